#!/usr/bin/env python3
"""Mate benchmark: cross-language retrieval of a document's other language versions.

The corpus manifest links language versions of one agreement. For every such pair (source
document -> its version in language L), this asks accord-search, restricted to L, for the
source's title and, separately, for the first sentence of its body, once with query translation
and once with --no-expand, and reports where the mate ranks: MRR@k, success@1, success@k per
language pair and query form.

    bench/mate/mate.py --index IDX [--search BIN] [--corpus DIR] [--manifest FILE]
                       [--limit K] [--json-out FILE] [--all-pairs] [--jobs N] [--list-pairs]

Python 3 standard library only. Nothing here changes the index or the corpus.
"""

import argparse
import collections
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# Target languages of the benchmark, in the order the table shows them.
LANGS = ["en", "nl", "de", "fr", "es", "it", "ru", "ar", "zh"]
FIRST_SENTENCE_WORDS = 30
# A "sentence" shorter than this (e.g. "1." or "Article 1.") is joined to what follows.
MIN_SENTENCE_WORDS = 5
QUERY_TIMEOUT_S = 60


def default_corpus():
    """../shared/corpus/real beside the repository; a git worktree may sit one level deeper."""
    shared = os.environ.get("SHARED")
    cands = [shared] if shared else []
    cands += [os.path.join(REPO, "..", "shared"), os.path.join(REPO, "..", "..", "shared")]
    for c in cands:
        p = os.path.join(c, "corpus", "real")
        if os.path.isdir(p):
            return os.path.normpath(p)
    return os.path.normpath(os.path.join(REPO, "..", "shared", "corpus", "real"))


def load_manifest(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                r = json.loads(line)
            except ValueError as e:
                print(f"mate: {path}:{n}: bad JSON ({e}), line skipped", file=sys.stderr)
                continue
            if not r.get("id") or not r.get("language"):
                print(f"mate: {path}:{n}: no id or language, line skipped", file=sys.stderr)
                continue
            rows.append(r)
    return rows


def base_title(r):
    """The title without the suffixes that mark a language version of the same work:
    ' - translation' (NDC translations) and ' - <lang>' (the SDG texts)."""
    t = (r.get("title") or "").strip()
    lang = r["language"]
    for suffix in (" - translation", f" - {lang}", f" ({lang})"):
        if t.lower().endswith(suffix):
            t = t[: -len(suffix)].rstrip()
    return t


def link_keys(r):
    """The manifest fields that identify the work a document is a version of."""
    src = r.get("source") or {}
    keys = []
    if src.get("bwb_id"):  # Dutch treaty database id: English/French text + Dutch translation
        keys.append(("bwb_id", src["bwb_id"]))
    if r.get("english_title"):
        keys.append(("english_title", r.get("doc_type", ""), r["english_title"].strip().lower()))
    if src.get("symbol"):  # UN document symbol
        keys.append(("symbol", src["symbol"]))
    if src.get("publisher_url"):  # e.g. undocs.org/A/RES/70/1 for the SDG texts
        keys.append(("publisher_url", src["publisher_url"]))
    bt = base_title(r)
    if bt:  # NDC translations share the Party's title; the SDG texts share theirs
        keys.append(("title", r.get("doc_type", ""), bt.lower()))
    return keys


def link_groups(rows):
    """Groups of documents that are language versions of one work.

    A key links documents only when they are all in different languages: a key shared by two
    documents of one language (a landing page URL such as netzerocities.eu for 32 city
    contracts, a symbol that two reports carry) names a place or a series, not one work."""
    by_key = collections.defaultdict(list)
    for r in rows:
        for k in link_keys(r):
            by_key[k].append(r["id"])
    parent = {r["id"]: r["id"] for r in rows}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    lang = {r["id"]: r["language"] for r in rows}
    used, refused = collections.Counter(), collections.Counter()
    for k, ids in by_key.items():
        ids = sorted(set(ids))
        if len(ids) < 2:
            continue
        langs = [lang[i] for i in ids]
        if len(set(langs)) != len(langs):
            refused[k[0]] += 1
            continue
        used[k[0]] += 1
        for i in ids[1:]:
            parent[find(i)] = find(ids[0])
    groups = collections.defaultdict(list)
    for r in rows:
        groups[find(r["id"])].append(r["id"])
    return [sorted(g) for g in groups.values() if len(g) > 1], used, refused


def derive_pairs(rows, all_pairs):
    """(source id, target language, mate ids) for every linked pair.

    English -> L for every group with an English version; a group without one (e.g. a French
    treaty with its Dutch translation) gives its pairs both ways. --all-pairs: every directed
    pair of every group."""
    by_id = {r["id"]: r for r in rows}
    groups, used, refused = link_groups(rows)
    pairs = []
    for g in groups:
        by_lang = collections.defaultdict(list)
        for i in g:
            by_lang[by_id[i]["language"]].append(i)
        if all_pairs or "en" not in by_lang:
            sources = [i for i in g]
        else:
            sources = by_lang["en"]
        for s in sources:
            sl = by_id[s]["language"]
            for tl, mates in sorted(by_lang.items()):
                if tl != sl:
                    pairs.append((s, tl, sorted(mates)))
    pairs.sort(key=lambda p: (lang_order(by_id[p[0]]["language"]), lang_order(p[1]), p[0]))
    return pairs, groups, used, refused


def lang_order(lang):
    return (LANGS.index(lang), lang) if lang in LANGS else (len(LANGS), lang)


def clean_query(text):
    """Plain words for the query: accord's query syntax characters (brackets, quotes, field
    colons, a leading '-' or '+', upper-case AND/OR/NOT) would otherwise turn a pasted title
    into a different query."""
    text = re.sub(r'[()\[\]{}"“”„«»:*]', " ", text)
    words = []
    for w in text.split():
        w = w.lstrip("-+")
        if not w or not re.search(r"\w", w):
            continue
        if w in ("AND", "OR", "NOT", "NEAR", "ADJ", "XOR"):
            w = w.lower()
        words.append(w)
    return " ".join(words)


def title_query(r):
    return base_title(r) if r.get("title") else ""


SENT_END = re.compile(r"[.!?;。！？؟]$")
CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def first_sentence(path, r):
    """The first sentence of the body: leading lines that repeat the title (or a part of it) and
    blank lines are skipped, then words are taken up to the end of a sentence of at least
    MIN_SENTENCE_WORDS words (or a blank line after that many), at most FIRST_SENTENCE_WORDS.
    Han text has no spaces, so there a sentence ends at 。！？ and is cut at 60 characters."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read(200_000)
    titles = [letters(t) for t in (r.get("title"), r.get("english_title"), base_title(r)) if t]
    lines = text.split("\n")
    i = 0
    while i < len(lines) and (not lines[i].strip() or is_title_line(lines[i], titles)):
        i += 1
    words = []
    for line in lines[i:]:
        if not line.strip():
            if len(words) >= MIN_SENTENCE_WORDS:
                break
            continue
        done = False
        for w in line.split():
            if CJK.search(w):
                m = re.search(r"[。！？]", w)
                if m:
                    w, done = w[: m.end()], True
                if len(w) > 60:
                    w, done = w[:60], True
            words.append(w)
            if len(words) >= FIRST_SENTENCE_WORDS:
                done = True
            elif SENT_END.search(w) and len(words) >= MIN_SENTENCE_WORDS and not abbrev(w):
                done = True
            if done:
                break
        if done:
            break
    return " ".join(words)


def abbrev(w):
    """A full stop that ends a number or a short abbreviation ('1.', 'No.', 'e.g.') is no
    sentence end."""
    core = w.rstrip(".")
    return bool(re.fullmatch(r"[\dIVXivx.]+|[A-Za-z]{1,2}|[a-z]\.[a-z]|No|Art|art|para|Nos", core))


def letters(s):
    """Letters and digits only, lower case: 'Decision-Making' and 'decision-making' agree."""
    return "".join(c for c in (s or "").lower() if c.isalnum())


def is_title_line(line, titles):
    """The title as the text repeats it, or a part of it: the first line often differs from
    the manifest title in case, hyphens or a qualifier such as '(Aarhus)' or ', as modified'."""
    ln = letters(line)
    if len(ln) < 4:
        return False
    return any(ln in t or (t and t in ln and len(ln) <= len(t) + 20) for t in titles)


def run_query(search, index, lang, query, expand, limit):
    """Ranked ids, or an error message. Exit status 1 is 'no hits', not an error."""
    cmd = [search, "--index", index, "--lang", lang, "--json", "--limit", str(limit)]
    if not expand:
        cmd.append("--no-expand")
    cmd += ["--", query]
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=QUERY_TIMEOUT_S)
    except (OSError, subprocess.SubprocessError) as e:
        return None, f"{type(e).__name__}: {e}"
    out = p.stdout.decode("utf-8", "replace")
    if p.returncode not in (0, 1):
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        return None, f"exit {p.returncode}: {err[-1] if err else ''}"
    if not out.strip() and p.returncode == 1:
        return [], None
    try:
        hits = json.loads(out).get("hits") or []
        return [h.get("id") for h in hits], None
    except (ValueError, AttributeError) as e:
        return None, f"bad JSON: {e}"


def summarise(results, key):
    """{group: {mode: (n, mrr, s1, sk, errors)}}."""
    acc = collections.defaultdict(lambda: collections.defaultdict(list))
    for res in results:
        acc[key(res)][res["mode"]].append(res)
    out = {}
    for g, modes in acc.items():
        out[g] = {}
        for mode, rs in modes.items():
            n = len(rs)
            rr = sum(1.0 / x["rank"] for x in rs if x["rank"]) / n
            s1 = sum(1 for x in rs if x["rank"] == 1) / n
            sk = sum(1 for x in rs if x["rank"]) / n
            errs = sum(1 for x in rs if x["error"])
            out[g][mode] = (n, rr, s1, sk, errs)
    return out


def print_table(title, summary, order, limit, label_width):
    k = limit
    print(title)
    head = (
        f"{'':<{label_width}} {'n':>4} | {'translation':^23} | {'--no-expand':^23} | {'err':>7}\n"
        f"{'':<{label_width}} {'':>4} | {'MRR@' + str(k):>7} {'S@1':>7} {'S@' + str(k):>7} "
        f"| {'MRR@' + str(k):>7} {'S@1':>7} {'S@' + str(k):>7} | {'tr/no':>7}"
    )
    print(head)
    print("-" * (label_width + 64))
    for g in order:
        if g not in summary:
            continue
        row = summary[g]
        cells, n, errs = [], 0, []
        for mode in ("expand", "no-expand"):
            if mode in row:
                n, rr, s1, sk, e = row[mode]
                cells.append(f"{rr:7.3f} {s1:7.3f} {sk:7.3f}")
                errs.append(str(e))
            else:
                cells.append(f"{'-':>7} {'-':>7} {'-':>7}")
                errs.append("-")
        label = " ".join(g) if isinstance(g, tuple) else g
        print(f"{label:<{label_width}} {n:>4} | {cells[0]} | {cells[1]} | {'/'.join(errs):>7}")
    print()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", required=True, help="accord index directory")
    ap.add_argument(
        "--search",
        default=os.path.join(REPO, "build", "bin", "accord-search"),
        help="accord-search binary (default build/bin/accord-search)",
    )
    ap.add_argument("--corpus", default=None, help="corpus folder (default ../shared/corpus/real)")
    ap.add_argument("--manifest", default=None, help="manifest (default CORPUS/manifest.jsonl)")
    ap.add_argument("--limit", type=int, default=10, help="hits asked per query (default 10)")
    ap.add_argument("--json-out", help="write every query, rank and the summary to FILE")
    ap.add_argument(
        "--mode",
        choices=["both", "expand", "no-expand"],
        default="both",
        help="with translation, without, or both (default)",
    )
    ap.add_argument("--all-pairs", action="store_true", help="every direction of every group")
    ap.add_argument("--jobs", type=int, default=2, help="queries run at once (default 2)")
    ap.add_argument("--list-pairs", action="store_true", help="print the pairs and stop")
    a = ap.parse_args()
    t0 = time.monotonic()

    corpus = a.corpus or default_corpus()
    manifest = a.manifest or os.path.join(corpus, "manifest.jsonl")
    if not os.path.isfile(manifest):
        sys.exit(f"mate: no manifest at {manifest} (give --corpus or --manifest)")
    if not os.access(a.search, os.X_OK):
        sys.exit(f"mate: {a.search} is not an executable accord-search (give --search)")
    if not os.path.isdir(a.index) and not os.path.isfile(a.index):
        sys.exit(f"mate: no index at {a.index}")
    if a.limit < 1 or a.limit > 100:
        sys.exit("mate: --limit must be 1..100")

    rows = load_manifest(manifest)
    by_id = {r["id"]: r for r in rows}
    pairs, groups, used, refused = derive_pairs(rows, a.all_pairs)
    pair_count = collections.Counter(f"{by_id[s]['language']}->{tl}" for s, tl, _ in pairs)
    print(
        f"manifest: {len(rows)} documents, {len(groups)} groups of language versions; "
        f"links used per field: {dict(sorted(used.items()))}; "
        f"refused (one language twice): {dict(sorted(refused.items()))}"
    )
    print("pairs: " + ", ".join(f"{k} {v}" for k, v in sorted(pair_count.items(), key=lambda kv: pk(kv[0]))))
    if a.list_pairs:
        for s, tl, mates in pairs:
            print(f"{s}\t{tl}\t{','.join(mates)}")
        return 0

    # Queries: the source's title and the first sentence of its body.
    tasks, missing = [], []
    for s, tl, mates in pairs:
        r = by_id[s]
        pair = f"{r['language']}->{tl}"
        forms = {"title": title_query(r)}
        path = os.path.join(corpus, s + ".txt")
        if os.path.isfile(path):
            forms["sentence"] = first_sentence(path, r)
        else:
            forms["sentence"] = ""
            missing.append(path)
        for form, raw in forms.items():
            q = clean_query(raw)
            for mode in ("expand", "no-expand"):
                if a.mode not in ("both", mode):
                    continue
                tasks.append(
                    {
                        "source": s,
                        "lang": tl,
                        "mates": mates,
                        "pair": pair,
                        "kind": r.get("doc_type", ""),
                        "form": form,
                        "mode": mode,
                        "query": q,
                    }
                )
    for p in missing[:5]:
        print(f"mate: missing {p}: its first-sentence queries count as errors", file=sys.stderr)
    if len(missing) > 5:
        print(f"mate: ... and {len(missing) - 5} more missing files", file=sys.stderr)

    def run(t):
        if not t["query"]:
            t.update(hits=[], rank=None, error="empty query")
            return t
        hits, err = run_query(a.search, a.index, t["lang"], t["query"], t["mode"] == "expand", a.limit)
        rank = None
        for n, h in enumerate(hits or [], 1):
            if h in t["mates"]:
                rank = n
                break
        t.update(hits=hits or [], rank=rank, error=err)
        return t

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
        results = list(ex.map(run, tasks))
    errors = [r for r in results if r["error"]]
    for r in errors[:10]:
        print(f"mate: error for {r['source']} {r['form']} {r['mode']}: {r['error']}", file=sys.stderr)

    # Tables: per language pair and query form; then all pairs per form; then per document kind.
    per_pair = summarise(results, lambda r: (r["pair"], r["form"]))
    order = [(p, f) for p in sorted(pair_count, key=pk) for f in ("title", "sentence")]
    per_all = summarise(results, lambda r: ("all", r["form"]))
    per_kind = summarise(results, lambda r: (r["kind"], r["form"]))
    kinds = sorted({r["kind"] for r in results})
    print()
    print_table(
        f"mate rank, query restricted to the mate's language (k = {a.limit})",
        {**per_pair, **per_all},
        order + [("all", "title"), ("all", "sentence")],
        a.limit,
        20,
    )
    print_table(
        "by document kind of the source",
        per_kind,
        [(k, f) for k in kinds for f in ("title", "sentence")],
        a.limit,
        20,
    )
    took = time.monotonic() - t0
    print(
        f"{len(pairs)} pairs, {len(results)} queries, {len(errors)} errors "
        f"(counted as not found), {len(missing)} missing files; total time {took:.1f} s"
    )

    if a.json_out:
        def pack(s):
            return [
                {"pair": g[0], "form": g[1], "mode": m, "n": v[0], "mrr": v[1], "s1": v[2],
                 f"s{a.limit}": v[3], "errors": v[4]}
                for g, modes in sorted(s.items()) for m, v in sorted(modes.items())
            ]

        doc = {
            "index": os.path.abspath(a.index),
            "search": os.path.abspath(a.search),
            "manifest": os.path.abspath(manifest),
            "limit": a.limit,
            "pairs": pair_count,
            "summary": pack(per_pair) + pack(per_all),
            "by_kind": pack(per_kind),
            "queries": results,
            "errors": len(errors),
            "seconds": round(took, 2),
        }
        with open(a.json_out, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=1)
    return 0


def pk(p):
    s, t = p.split("->")
    return (s != "en", lang_order(s), lang_order(t))


if __name__ == "__main__":
    sys.exit(main())
