#!/usr/bin/env python3
"""Scores accord's commitment extractor against the gold set (bench/commitments/gold/).

    python3 bench/commitments/score.py [--bin build/bin/accord-commit-extract]
        [--corpus ../shared/corpus/real] [--show-errors] [--json OUT]

The extractor runs on each gold document as accord-index reads it (the manifest's language and
date). Both sides are compared per document as sets of distinct commitments: kind, year, value
and value_max (percentages within 0.05) must agree; one extracted commitment matches at most one
gold commitment, and gold commitments equal on those fields (a national and a sector target of
the same figure and year) count as one. Prints precision, recall and F1 per kind and per language, the agreement on base
year, conditionality and strength of the matched ones, and how many matched ones were found in
the sentence the annotator marked (offset agreement).
"""
import argparse
import collections
import glob
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
KINDS = ["netzero", "reduction", "renewable", "efficiency", "coal", "protected"]


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= 0.05


def same(g, e):
    if g["kind"] != e["kind"] or int(g["year"]) != int(e["year"]):
        return False
    if g["kind"] in ("netzero", "coal"):
        return True
    # a single value stated as a range of one ("28 to 28") is the value
    gmax = g.get("value_max")
    emax = e.get("value_max")
    return close(g.get("value"), e.get("value")) and close(gmax, emax)


def base_of(x):
    b = x.get("base")
    if isinstance(b, str):
        return b.lower()
    return b


def load_gold(gold_dir):
    docs = {}
    for p in sorted(glob.glob(os.path.join(gold_dir, "*.json"))):
        with open(p, encoding="utf-8") as f:
            d = json.load(f)
        docs[d["id"]] = d
    return docs


def extract(binary, corpus, docs, manifest):
    lines = []
    for i in docs:
        m = manifest.get(i, {})
        year = (m.get("date") or "0")[:4]
        lang = m.get("language") or docs[i].get("language") or "en"
        lines.append(f"{os.path.join(corpus, i + '.txt')}\t{i}\t{lang}\t{year if year.isdigit() else 0}")
    out = subprocess.run([binary], input="\n".join(lines) + "\n", capture_output=True, text=True,
                         check=True).stdout
    by = collections.defaultdict(list)
    for l in out.splitlines():
        o = json.loads(l)
        by[o["id"]].append(o)
    return by


def distinct(mentions):
    """Mentions of one document -> distinct commitments, each with its mentions."""
    items = []
    for m in mentions:
        for it in items:
            if same(it, m):
                it["mentions"].append(m)
                break
        else:
            it = dict(m)
            it["mentions"] = [m]
            items.append(it)
    return items


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "bin", "accord-commit-extract"))
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus", "real"))
    ap.add_argument("--gold", default=os.path.join(HERE, "gold"))
    ap.add_argument("--show-errors", action="store_true")
    ap.add_argument("--json", help="write the figures as JSON here")
    a = ap.parse_args()

    manifest = {}
    with open(os.path.join(a.corpus, "manifest.jsonl"), encoding="utf-8") as f:
        for l in f:
            o = json.loads(l)
            manifest[o["id"]] = o
    gold = load_gold(a.gold)
    if not gold:
        sys.exit("no gold documents in " + a.gold)
    ext = extract(a.bin, a.corpus, gold, manifest)

    tp = collections.Counter()
    fp = collections.Counter()
    fn = collections.Counter()
    agree = collections.Counter()
    agree_n = collections.Counter()
    errors = []
    langs = set()
    types = set()
    ngold = 0
    for i, d in gold.items():
        lang = manifest.get(i, {}).get("language", d.get("language", "?"))
        langs.add(lang)
        types.add(manifest.get(i, {}).get("doc_type", d.get("doc_type", "?")))
        # items that differ only in what the comparison does not see (scope, base,
        # conditionality: a national 50 % and a waste-sector 50 % for 2025) count once
        g_items = []
        for g in d.get("commitments", []):
            if not any(same(x, g) for x in g_items):
                g_items.append(g)
        ngold += len(g_items)
        e_items = distinct(ext.get(i, []))
        used = set()
        for g in g_items:
            hit = None
            for k, e in enumerate(e_items):
                if k not in used and same(g, e):
                    hit = k
                    break
            if hit is None:
                fn[(g["kind"], lang)] += 1
                errors.append(("missed", i, g))
                continue
            used.add(hit)
            e = e_items[hit]
            tp[(g["kind"], lang)] += 1
            # the mention nearest the annotated sentence
            off = g.get("offset", 0) or 0
            m = min(e["mentions"], key=lambda m: abs(m["start"] - off))
            for field, gv, ev in (("base", base_of(g), base_of(m)),
                                  ("conditional", g.get("conditional"), m.get("conditional")),
                                  ("strength", g.get("strength"), m.get("strength"))):
                agree_n[field] += 1
                agree[field] += gv == ev
            agree_n["offset"] += 1
            agree["offset"] += any(x["start"] - 80 <= off <= x["end"] for x in e["mentions"])
        for k, e in enumerate(e_items):
            if k not in used:
                fp[(e["kind"], lang)] += 1
                errors.append(("spurious", i, e))

    def prf(keys):
        t = sum(tp[k] for k in keys)
        p_ = sum(fp[k] for k in keys)
        n_ = sum(fn[k] for k in keys)
        prec = t / (t + p_) if t + p_ else float("nan")
        rec = t / (t + n_) if t + n_ else float("nan")
        f1 = 2 * prec * rec / (prec + rec) if t else 0.0
        return t, p_, n_, prec, rec, f1

    allkeys = set(tp) | set(fp) | set(fn)
    report = {"documents": len(gold), "gold_commitments": ngold, "languages": sorted(langs),
              "doc_types": sorted(types), "by_kind": {}, "by_lang": {}, "agreement": {}}
    print(f"gold set: {len(gold)} documents, {ngold} commitments, languages {', '.join(sorted(langs))}, "
          f"types {', '.join(sorted(types))}")
    print(f"\n{'kind':<12} {'gold':>5} {'found':>6} {'tp':>4} {'prec':>6} {'recall':>7} {'F1':>6}")
    for kind in KINDS + ["all"]:
        keys = [k for k in allkeys if kind == "all" or k[0] == kind]
        t, p_, n_, prec, rec, f1 = prf(keys)
        report["by_kind"][kind] = {"tp": t, "fp": p_, "fn": n_, "precision": prec, "recall": rec, "f1": f1}
        print(f"{kind:<12} {t + n_:>5} {t + p_:>6} {t:>4} {prec:>6.3f} {rec:>7.3f} {f1:>6.3f}")
    print(f"\n{'language':<12} {'gold':>5} {'found':>6} {'tp':>4} {'prec':>6} {'recall':>7}   "
          "(netzero + reduction)")
    for lang in sorted(langs):
        keys = [k for k in allkeys if k[1] == lang and k[0] in ("netzero", "reduction")]
        t, p_, n_, prec, rec, f1 = prf(keys)
        keys_all = [k for k in allkeys if k[1] == lang]
        ta, pa, na, preca, reca, _ = prf(keys_all)
        report["by_lang"][lang] = {"nz_red": {"tp": t, "fp": p_, "fn": n_, "precision": prec, "recall": rec},
                                   "all": {"tp": ta, "fp": pa, "fn": na, "precision": preca, "recall": reca}}
        print(f"{lang:<12} {t + n_:>5} {t + p_:>6} {t:>4} {prec:>6.3f} {rec:>7.3f}   "
              f"all kinds: {ta}/{ta + na} found, precision {preca:.3f}")
    print("\nagreement on matched commitments:")
    for field in ("base", "conditional", "strength", "offset"):
        n = agree_n[field]
        report["agreement"][field] = agree[field] / n if n else None
        if n:
            print(f"  {field:<12} {agree[field]}/{n} = {agree[field] / n:.3f}")
    if a.show_errors:
        print()
        for kind, i, x in errors:
            what = f"{x['kind']} {x.get('value')}{'-' + str(x['value_max']) if x.get('value_max') else ''} " \
                   f"by {x['year']} base {x.get('base')} [{x.get('strength')}]"
            sent = (x.get("quote") or x.get("sentence") or "").replace("\n", " ")[:160]
            print(f"{kind:<8} {i:<32} {what}\n         {sent}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
