/*
 * lib/commit.c: commitments in a document's text (include/accord/commit.h).
 *
 * The text is cut into sentences (a line break inside a paragraph, as PDF
 * extraction leaves them, is not a boundary); a sentence without a year is
 * skipped at once, which is most of them. The others are folded (lower case,
 * no accents), cut into tokens (words, numbers, '%', dashes, punctuation;
 * one token per Han character) and marked with the cues of the language's
 * lexicon (lib/commit_lex.h): words of emissions, of cutting, of
 * renewables, target-year and base-year prepositions, strength verbs...
 * Then per percentage, the nearest kind cue in its clause decides its kind,
 * the nearest year read as a target year its year, and a year read as a
 * base year or a business-as-usual phrase its base; per neutrality or
 * coal phase-out phrase, the nearest target year. Anything not tied so is
 * left out: the extractor prefers saying nothing to saying nonsense. A
 * city's document (its city words outnumber its country words) keeps only
 * the city's targets: a figure whose clause names a country or the EU before
 * it, and none of the city's words, is a target it recalls (others_of).
 */
#include "accord/commit.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "accord/text.h"
#include "committext.h"

/* ---- reading the marks ---- */

static int has(const sent *s, size_t i, int cat)
{
    return i < s->n && (s->t[i].cats & ((uint64_t)1 << cat));
}

/* index just past the cue of category cat starting at i */
static size_t cue_end(const sent *s, size_t i, int cat)
{
    return i + s->t[i].end[cat];
}

/* Does a cue of category cat end at token j (exclusive), starting at most `back` tokens before?
   The longest such cue is found (its start in *start). */
static int cue_ends_at(const sent *s, size_t j, int cat, size_t back, size_t *start)
{
    for (size_t b = back < j ? back : j; b >= 1; b--) {
        size_t i = j - b;
        if (has(s, i, cat) && cue_end(s, i, cat) == j) {
            if (start)
                *start = i;
            return 1;
        }
    }
    return 0;
}

/* the clause around token i: [lo, hi), cut at ";", "!", "?" or a table cell's "|" and
   before a contrast ("fell by 3.1%, while the economy grew by 12.9%") */
static void clause(const sent *s, size_t i, size_t *lo, size_t *hi)
{
    size_t a = i, b = i;
    /* a '.' inside a sentence is an item number or an abbreviation, not a boundary */
    while (a > 0 && !(s->t[a - 1].type == T_PUNCT && strchr(";!?|", s->t[a - 1].punct)) &&
           !has(s, a, ACC_CC_CLAUSE))
        a--;
    while (b < s->n && !(s->t[b].type == T_PUNCT && strchr(";!?|", s->t[b].punct)) &&
           !(b > i && has(s, b, ACC_CC_CLAUSE)))
        b++;
    *lo = a;
    *hi = b;
}

/* nearest token of category cat in [lo, hi) to [from, to): its distance, or -1 */
static long nearest(const sent *s, int cat, size_t lo, size_t hi, size_t from, size_t to,
                    size_t *at)
{
    long best = -1;
    for (size_t i = lo; i < hi; i++) {
        if (!has(s, i, cat))
            continue;
        size_t e = cue_end(s, i, cat);
        long d = e <= from ? (long)(from - e) : i >= to ? (long)(i - to) : 0;
        if (best < 0 || d < best) {
            best = d;
            if (at)
                *at = i;
        }
    }
    return best;
}

/*
 * nearest() for a kind's words that may introduce a list: "emissions are
 * reduced as follows: 1. by 2030 by 65 %, 2. by 2040 by 88 %" -- a cue before
 * the last ':' before the percentage counts from that ':'.
 */
static long list_dist(const sent *s, int cat, size_t lo, size_t hi, size_t from, size_t to)
{
    long d = nearest(s, cat, lo, hi, from, to, NULL);
    size_t colon = from;
    while (colon > lo && !(s->t[colon - 1].type == T_PUNCT && s->t[colon - 1].punct == ':'))
        colon--;
    if (colon > lo) {
        long dc = nearest(s, cat, lo, colon, colon, colon, NULL);
        if (dc >= 0) {
            dc += 2; /* a little further than a cue next to the figure */
            if (d < 0 || dc < d)
                d = dc;
        }
    }
    return d;
}

/* "75% of 1990 levels", "42.6% of the 1990 level", "до уровня 70-75% от выбросов 1990 года":
   the base year when the percentage states a level relative to it, else 0 */
static int level_of(const sent *s, size_t at, size_t end)
{
    size_t j = end;
    int before = 0;
    for (size_t b = at > 4 ? at - 4 : 0; b < at; b++)
        if (has(s, b, ACC_CC_LEVELTO) && cue_end(s, b, ACC_CC_LEVELTO) + 2 >= at)
            before = 1;
    /* "reduce by 40% of the 2010 levels" is a cut after all */
    if (!before && cue_ends_at(s, at, ACC_CC_CUTBY, 4, NULL))
        return 0;
    if (has(s, j, ACC_CC_LEVELOF))
        j = cue_end(s, j, ACC_CC_LEVELOF);
    else if (!before)
        return 0;
    /* "75 процентов объема указанных выбросов в 1990 году": a level named before may
       name its year a little further on */
    for (size_t k = j; k < j + (before ? 6 : 4) && k < s->n; k++)
        if (s->t[k].year)
            return s->t[k].year;
    return 0;
}

/* a cue of category cat starting in [lo, hi) */
static int any_in(const sent *s, int cat, size_t lo, size_t hi)
{
    for (size_t i = lo; i < hi; i++)
        if (has(s, i, cat))
            return 1;
    return 0;
}

/* a cue of category cat starting within n tokens after `from` */
static int has_near(const sent *s, int cat, size_t from, size_t n)
{
    for (size_t k = from; k < from + n && k < s->n; k++)
        if (has(s, k, cat))
            return 1;
    return 0;
}

/* Is token at inside brackets within [lo, hi)? Then *blo, *bhi: the inside of them. */
static int in_brackets(const sent *s, size_t lo, size_t hi, size_t at, size_t *blo, size_t *bhi)
{
    size_t a = at;
    while (a > lo && !(s->t[a - 1].type == T_PUNCT && strchr("()", s->t[a - 1].punct)))
        a--;
    if (a == lo || s->t[a - 1].punct != '(')
        return 0;
    size_t b = at;
    while (b < hi && !(s->t[b].type == T_PUNCT && strchr("()", s->t[b].punct)))
        b++;
    if (b == hi || s->t[b].punct != ')')
        return 0;
    *blo = a;
    *bhi = b;
    return 1;
}

enum year_role { Y_NONE = 0, Y_TARGET, Y_BASE, Y_START };

/* What year token i is: a target year ("by 2030", "2021-2030", "2030年前"), a base year
   ("below 1990 levels"), or neither. */
static int year_role(const sent *s, size_t i)
{
    const tok *t = &s->t[i];
    if (!t->year)
        return Y_NONE;
    /* a number of a range or list of numbers, a year as part of a date "25 June 2015" */
    size_t j = i + 1;
    while (j < s->n && s->t[j].type == T_PUNCT && s->t[j].punct == '\'')
        j++;
    if (j < s->n && (s->t[j].type == T_PCT || has(s, j, ACC_CC_PERCENT)))
        return Y_NONE;
    /* the first year of a period "2021-2030", "from 2021 to 2030", "between 1990 and 2012" */
    if (j + 1 < s->n &&
        (s->t[j].type == T_DASH || has(s, j, ACC_CC_RANGE) || has(s, j, ACC_CC_AND))) {
        size_t k = s->t[j].type == T_DASH    ? j + 1
                   : has(s, j, ACC_CC_RANGE) ? cue_end(s, j, ACC_CC_RANGE)
                                             : cue_end(s, j, ACC_CC_AND);
        if (k < s->n && s->t[k].year > t->year)
            return Y_START;
    }
    /* a date of signature, adoption, entry into force: no target */
    for (size_t b = i > 4 ? i - 4 : 0; b < i; b++)
        if (has(s, b, ACC_CC_ADOPT))
            return Y_NONE;
    /* "no later than 2050" is a target, "than 1990" a base: the longer cue decides */
    size_t bs = i, ts = i;
    int base = cue_ends_at(s, i, ACC_CC_BASEPRE, 5, &bs);
    int by = cue_ends_at(s, i, ACC_CC_BY, 5, &ts);
    if (base && !(by && ts < bs))
        return Y_BASE;
    if (has(s, j, ACC_CC_BASEPOST))
        return Y_BASE;
    /* "base year (1990)", "año base 2010" */
    if (i >= 1 && s->t[i - 1].type == T_PUNCT && s->t[i - 1].punct == '(' &&
        cue_ends_at(s, i - 1, ACC_CC_BASEPRE, 4, NULL))
        return Y_BASE;
    if (by)
        return Y_TARGET;
    /* the second year of a period: 2021-2030, 2021 to 2030, entre 2021 y 2030 */
    if (i >= 2 && s->t[i - 2].year && s->t[i - 2].year < t->year &&
        (s->t[i - 1].type == T_DASH ||
         (has(s, i - 1, ACC_CC_AND) && i >= 3 && has(s, i - 3, ACC_CC_BETWEEN))))
        return Y_TARGET;
    size_t rs;
    if (cue_ends_at(s, i, ACC_CC_RANGE, 3, &rs) && rs > 0 && s->t[rs - 1].year &&
        s->t[rs - 1].year < t->year)
        return Y_TARGET;
    /* "2030 target", "2030年前", "2030年までに" */
    if (has(s, j, ACC_CC_BYPOST) || has(s, j, ACC_CC_TARGET))
        return Y_TARGET;
    return Y_NONE;
}

typedef struct pct {
    size_t at, end; /* tokens of the number(s) and the percent sign */
    double v, vmax;
} pct;

/* A percentage starting at token i: "26 %", "26 to 28 per cent", "26-28%", "26 % à 28 %". */
static int read_pct(const sent *s, size_t i, pct *out)
{
    const tok *t = &s->t[i];
    /* "by half", "de moitié", "halbieren": 50 % */
    if (has(s, i, ACC_CC_HALF) && !cue_ends_at(s, i, ACC_CC_APPROX, 3, NULL)) {
        out->at = i;
        out->end = cue_end(s, i, ACC_CC_HALF);
        out->v = 50;
        out->vmax = -1;
        return 1;
    }
    if (t->type != T_NUM || t->year)
        return 0;
    size_t j = i + 1;
    int sign = 0;
    if (j < s->n && s->t[j].type == T_PCT) {
        sign = 1;
        j++;
    } else if (has(s, j, ACC_CC_PERCENT)) {
        sign = 1;
        j = cue_end(s, j, ACC_CC_PERCENT);
    }
    out->at = i;
    out->v = t->num;
    out->vmax = -1;
    /* a range: the separator, the second number, then the sign; "between 20% and 25%" */
    size_t r = j;
    int between = i > 0 && has(s, i - 1, ACC_CC_BETWEEN) && has(s, r, ACC_CC_AND);
    if (r < s->n && (s->t[r].type == T_DASH || has(s, r, ACC_CC_RANGE) || between)) {
        size_t k = s->t[r].type == T_DASH ? r + 1
                   : between              ? cue_end(s, r, ACC_CC_AND)
                                          : cue_end(s, r, ACC_CC_RANGE);
        if (k < s->n && s->t[k].type == T_NUM && !s->t[k].year && s->t[k].num > t->num) {
            size_t e = k + 1;
            int sign2 = 0;
            if (e < s->n && s->t[e].type == T_PCT) {
                sign2 = 1;
                e++;
            } else if (has(s, e, ACC_CC_PERCENT)) {
                sign2 = 1;
                e = cue_end(s, e, ACC_CC_PERCENT);
            }
            if (sign2) {
                out->vmax = s->t[k].num;
                out->end = e;
                return out->v > 0 && out->vmax <= 100;
            }
        }
    }
    if (!sign)
        return 0;
    out->end = j;
    return out->v > 0 && out->v <= 100;
}

/* "from 40% ... to 55%": is the percentage [at, end) the first value of such a change? */
static int old_value(const sent *s, size_t at, size_t end, size_t hi)
{
    int from = 0;
    for (size_t b = at > 4 ? at - 4 : 0; b < at; b++)
        if (has(s, b, ACC_CC_FROM) && cue_end(s, b, ACC_CC_FROM) + 3 >= at)
            from = 1;
    if (!from)
        return 0;
    for (size_t k = end; k < hi && k < end + 10; k++) {
        if (!has(s, k, ACC_CC_RANGE))
            continue;
        pct q;
        size_t j = cue_end(s, k, ACC_CC_RANGE);
        if (j < hi && read_pct(s, j, &q))
            return 1;
    }
    return 0;
}

/* the strength of the sentence's statement near [lo, hi) */
static acc_commit_strength strength_of(const sent *s, size_t lo, size_t hi, int future)
{
    int bind = 0, will = 0, intend = 0, report = 0, weak = 0;
    for (size_t i = lo; i < hi; i++) {
        uint64_t c = s->t[i].cats;
        bind |= (int)((c >> ACC_CC_BIND) & 1);
        will |= (int)((c >> ACC_CC_WILL) & 1);
        intend |= (int)((c >> ACC_CC_INTEND) & 1);
        weak |= (int)((c >> ACC_CC_REPORTW) & 1);
        /* "will be reached already by 2025": an early date, a report only without a modal */
        if ((c >> ACC_CC_REPORT) & 1) {
            if (has(s, cue_end(s, i, ACC_CC_REPORT), ACC_CC_BY))
                weak = 1;
            else
                report = 1;
        }
    }
    /* a year still to come is no outcome: "has already undertaken ... to achieve the 2020
       target of 17 percent below 2005" in a text of 2015 */
    if (future)
        report = weak = 0;
    /* "were", "decreased": a report unless a modal or an intention says otherwise */
    /* "aims to have reduced by 2030" is an aim: a modal or an intention outweighs a report */
    if ((report || weak) && !bind && !will && !intend)
        return ACC_CS_REPORTED;
    if (report && !intend)
        return ACC_CS_REPORTED;
    if (bind)
        return ACC_CS_BINDING;
    if (intend)
        return ACC_CS_INTENDED;
    if (will)
        return ACC_CS_BINDING;
    return ACC_CS_INTENDED;
}

/* a negation within the few words before token i of its clause */
static int negated(const sent *s, size_t lo, size_t i)
{
    size_t a = i > lo + 6 ? i - 6 : lo;
    for (size_t k = a; k < i; k++) {
        if (!has(s, k, ACC_CC_NEG))
            continue;
        /* "no later than", "not less than", "not only" */
        int excused = 0;
        for (size_t b = k >= 2 ? k - 2 : 0; b <= k; b++)
            if (has(s, b, ACC_CC_NEGX) && cue_end(s, b, ACC_CC_NEGX) > k)
                excused = 1;
        if (!excused)
            return 1;
    }
    return 0;
}

/* the target year nearest to [from, to) in [lo, hi), after it preferred; 0 if none. A year
   before the document's (doc_year, 0 = unknown) is passed over unless the sentence reports.
   far: the clause's only target year may stand further off when it comes first. */
static int target_year(const sent *s, const int *role, size_t lo, size_t hi, size_t from, size_t to,
                       int doc_year, int reported, int far, size_t *at)
{
    long best = -1;
    int y = 0, cands = 0, before = 0;
    for (size_t i = lo; i < hi; i++) {
        if (role[i] != Y_TARGET)
            continue;
        if (doc_year > 0 && !reported && s->t[i].year < doc_year)
            continue;
        /* a remark in brackets is no year of a figure outside them ("inventory of 2018
           (the inventory for 2020 is being finalised) ... reduced by 53%", "achieve carbon
           neutrality (which was done in 2022)") */
        size_t blo, bhi;
        if (in_brackets(s, lo, hi, i, &blo, &bhi) && !(from >= blo && from < bhi) &&
            (bhi - blo > 5 || any_in(s, ACC_CC_REPORTW, blo, bhi) ||
             any_in(s, ACC_CC_REPORT, blo, bhi)))
            continue;
        cands++;
        long d = i >= to ? (long)(i - to) : (long)(from - i) + 3;
        /* "In 2022, emissions were ...": a year framing the clause */
        if (i < from && i <= lo + 3 && i + 1 < hi && s->t[i + 1].type == T_PUNCT &&
            s->t[i + 1].punct == ',')
            d = 6;
        /* a year across a comma belongs less to the figure ("2030 um 65 %, 2. bis 2040") */
        size_t a = i < from ? i : to, b = i < from ? from : i;
        for (size_t k = a; k < b; k++)
            if (s->t[k].type == T_PUNCT && (s->t[k].punct == ',' || s->t[k].punct == ':')) {
                d += 4;
                break;
            }
        if (best < 0 || d < best) {
            best = d;
            y = s->t[i].year;
            before = i < from;
            if (at)
                *at = i;
        }
    }
    /* the clause's only target year, framing it, may stand further off ("se compromete al
       2030, a aumentar su reducción ... hasta alcanzar una disminución entre 35% a 45%") */
    return best >= 0 && best <= (far && cands == 1 && before ? 35 : 25) * s->scale ? y : 0;
}

/* the base year nearest the figure; the first year of a period counts for a reported change
   ("fell by 36% between 1990 and 2012") */
static int base_of(const sent *s, const int *role, size_t lo, size_t hi, size_t from, size_t to,
                   int reported)
{
    long best = -1;
    int y = ACC_BASE_NONE;
    for (size_t i = lo; i < hi; i++) {
        if (role[i] != Y_BASE && !(reported && role[i] == Y_START))
            continue;
        long d = i >= to ? (long)(i - to) : (long)(from - i);
        if (best < 0 || d < best) {
            best = d;
            y = s->t[i].year;
        }
    }
    if (y == ACC_BASE_NONE && nearest(s, ACC_CC_BAU, lo, hi, from, to, NULL) >= 0)
        y = ACC_BASE_BAU;
    return y;
}

static int conditional_of(const sent *s, size_t lo, size_t hi, size_t from, size_t to)
{
    long c = nearest(s, ACC_CC_COND, lo, hi, from, to, NULL);
    long u = nearest(s, ACC_CC_UNCOND, lo, hi, from, to, NULL);
    if (u >= 0 && (c < 0 || u <= c))
        return 0;
    return c >= 0 ? 1 : -1;
}

typedef struct found {
    acc_commitment *v;
    unsigned char *others; /* per commitment: stated of a country or the EU (see others_of) */
    size_t n, alloc;
} found;

static void emit(found *f, const acc_commitment *c, int others)
{
    for (size_t i = 0; i < f->n; i++) {
        const acc_commitment *o = &f->v[i];
        if (o->start == c->start && o->kind == c->kind && o->year == c->year &&
            o->value == c->value)
            return;
    }
    if (f->n == f->alloc) {
        f->alloc = f->alloc ? 2 * f->alloc : 8;
        f->v = acc_xrealloc(f->v, f->alloc * sizeof *f->v);
        f->others = acc_xrealloc(f->others, f->alloc);
    }
    f->others[f->n] = (unsigned char)others;
    f->v[f->n++] = *c;
}

/* The city words and the country words of a sentence, in one pass. */
static void count_actors(const sent *s, size_t *local, size_t *higher)
{
    *local = *higher = 0;
    for (size_t i = 0; i < s->n; i++) {
        *local += has(s, i, ACC_CC_LOCAL);
        *higher += has(s, i, ACC_CC_HIGHER);
    }
}

/*
 * Is the figure or phrase at token `at` of the clause [lo, hi) a country's or
 * the EU's target rather than the writer's? A city's plan recalls them: "the
 * European Union has pledged to reduce CO2 emissions by at least 55 percent
 * by 2030", "In the Netherlands, this has been translated into the National
 * Climate Agreement ... 60 percent in 2030", "This sets the target of a 49
 * percent ..." after a sentence on the Netherlands and the Paris Agreement
 * (prev_higher). The country is named before the figure, where the one who
 * commits is ("climate neutrality by 2030, 20 years ahead of the EU target" is
 * the city's); a clause that names the city too ("the city will cut 55% in
 * line with the national target") is the city's. Only a city's document drops
 * these (see acc_commit_extract): in a national contribution "national" is the
 * writer.
 */
static int others_of(const sent *s, size_t lo, size_t hi, size_t at, int prev_higher)
{
    if (any_in(s, ACC_CC_LOCAL, lo, hi))
        return 0;
    if (any_in(s, ACC_CC_HIGHER, lo, at))
        return 1;
    return prev_higher && has(s, 0, ACC_CC_ANAPHOR) && !any_in(s, ACC_CC_LOCAL, 0, s->n);
}

/* a former target recalled ("the previous target was"): no commitment of the text */
static int past_target(const sent *s, size_t lo, size_t hi)
{
    for (size_t i = lo; i < hi; i++)
        if (has(s, i, ACC_CC_PAST))
            return 1;
    return 0;
}

/* Is a commitment for year y (of strength st) plausible in a document of doc_year? */
static int year_ok(int y, int base, acc_commit_strength st, int doc_year)
{
    if (y < 1990 || y > 2100)
        return 0;
    if (base > 0 && base >= y)
        return 0;
    if (doc_year > 0 && st != ACC_CS_REPORTED && y < doc_year)
        return 0;
    if (doc_year > 0 && st == ACC_CS_REPORTED && y > doc_year)
        return 0;
    return 1;
}

static void read_sentence(sent *s, int doc_year, size_t start, size_t end, found *f,
                          int prev_higher)
{
    int *role = acc_xcalloc(s->n + 1, sizeof *role);
    int any_target = 0;
    /* ACC_COMMIT_DEBUG=1: each sentence's tokens, cue categories and year roles on stderr */
    static int debug = -1;
    if (debug < 0)
        debug = getenv("ACC_COMMIT_DEBUG") != NULL;
    for (size_t i = 0; i < s->n; i++) {
        role[i] = year_role(s, i);
        any_target |= role[i] == Y_TARGET;
        if (debug)
            fprintf(stderr, "%zu:%d'%.*s'%c cats=%llx role=%d\n", i, s->t[i].type, (int)s->t[i].n,
                    s->t[i].s ? s->t[i].s : "", s->t[i].punct ? s->t[i].punct : ' ',
                    (unsigned long long)s->t[i].cats, role[i]);
    }
    if (!any_target)
        goto out;

    /* percentages: reduction, renewable, efficiency, protected */
    int prev_kind = -1;
    size_t prev_end = 0;
    for (size_t i = 0; i < s->n; i++) {
        pct p;
        if (!read_pct(s, i, &p))
            continue;
        i = p.end - 1; /* the second number of a range is not a percentage of its own */
        size_t lo, hi;
        clause(s, i, &lo, &hi);
        /* "15% of global emissions", "2 % du PIB": a share of something */
        if (has(s, p.end, ACC_CC_SHARE))
            continue;
        /* the IPCC's pathways, global emissions: science and context, not the text's own */
        if (nearest(s, ACC_CC_CONTEXT, lo, hi, p.at, p.end, NULL) >= 0)
            continue;
        long dist[4];
        static const int kcat[4] = {ACC_CC_CUT, ACC_CC_REN, ACC_CC_EFF, ACC_CC_PROT};
        static const acc_commit_kind kk[4] = {ACC_CK_REDUCTION, ACC_CK_RENEWABLE, ACC_CK_EFFICIENCY,
                                              ACC_CK_PROTECTED};
        for (int k = 0; k < 4; k++)
            dist[k] = list_dist(s, kcat[k], lo, hi, p.at, p.end);
        /* a cut of emissions (not of energy use: that is efficiency) */
        long emis = list_dist(s, ACC_CC_EMIS, lo, hi, p.at, p.end);
        if (emis < 0 || emis > 20 * s->scale)
            dist[0] = -1;
        long inc = nearest(s, ACC_CC_INC, lo, hi, p.at, p.end, NULL);
        if (dist[0] >= 0 && inc >= 0 && inc < dist[0])
            dist[0] = -1;
        /* "the share of renewable energy of electricity and heat sold by X will be at least
           95 per cent": a share named first holds its figure further off */
        size_t rat = 0;
        if (dist[1] > 10 * s->scale && dist[1] <= 20 * s->scale &&
            nearest(s, ACC_CC_REN, lo, hi, p.at, p.end, &rat) >= 0 && rat < p.at &&
            cue_ends_at(s, rat, ACC_CC_SHAREOF, 3, NULL))
            dist[1] = 10 * s->scale;
        if (dist[3] >= 0 && nearest(s, ACC_CC_AREA, lo, hi, p.at, p.end, NULL) < 0)
            dist[3] = -1;
        /* "75% of 1990 levels", "to 70-75% of 1990 emissions": a level, the cut is the rest */
        int level = level_of(s, p.at, p.end);
        int best = -1;
        /* "X% below 2005 levels", "X % par rapport au scénario tendanciel": a figure against
           a base is a cut when emissions are the subject */
        int against =
            (has_near(s, ACC_CC_BASEPRE, p.end, 2) || has_near(s, ACC_CC_BAU, p.end, 2)) &&
            emis >= 0 && emis <= 20 * s->scale && !(inc >= 0 && inc <= 3);
        if (level && emis >= 0 && emis <= 20 * s->scale) {
            best = 0;
        } else if (against && (dist[0] < 0 || dist[0] > 12 * s->scale) &&
                   !(dist[1] >= 0 && dist[1] <= 10 * s->scale) &&
                   !(dist[2] >= 0 && dist[2] <= 10 * s->scale)) {
            best = 0;
        } else {
            level = 0;
            for (int k = 0; k < 4; k++) {
                long lim = (k == 0 ? 12 : 10) * s->scale;
                if (dist[k] >= 0 && dist[k] <= lim && (best < 0 || dist[k] < dist[best]))
                    best = k;
            }
            /* energy efficiency beats a cut when its words are as near ("cut energy use by 20%") */
            if (best == 0 && dist[2] >= 0 && dist[2] <= dist[0] + 1 && emis > dist[2])
                best = 2;
            /* a renewable share is counted in energy consumption: "renewable energy in final
               energy consumption ... 32%" is a renewable share */
            if (best == 2 && dist[1] >= 0 && dist[1] <= 14 * s->scale)
                best = 1;
            /* "at least 10 per cent of coastal and marine areas ... conserved": the area
               named with the figure, the verb further on */
            if (best < 0 && has_near(s, ACC_CC_AREA, p.end, 3) &&
                nearest(s, ACC_CC_PROT, lo, hi, p.at, p.end, NULL) >= 0)
                best = 3;
            /* a figure without words of its own takes those of the figure just before it:
               "reduce emissions by 40% by 2030 and 55% by 2040", "31% ... (48% en 2025)" */
            if (best < 0 && prev_kind >= 0 && p.at - prev_end <= 12 * (size_t)s->scale)
                best = prev_kind;
        }
        if (best < 0)
            continue;
        prev_kind = best;
        prev_end = p.end;
        /* "... 9 000 GgCO2 over 2010-2025, i.e. 31%": a cumulative amount restated, no target
           for a year */
        if (cue_ends_at(s, p.at, ACC_CC_RESTATE, 3, NULL))
            continue;
        /* "a further 9-11% beyond our 2020 target": an increment, not a target */
        if (has_near(s, ACC_CC_BEYOND, p.end, 2))
            continue;
        /* "from the currently pledged 40% ... to 55%": the old value of a change */
        if (old_value(s, p.at, p.end, hi))
            continue;
        /* a figure in brackets is a part of the one before ("47% ... (hydro 24.5%, wind
           9.4%)") unless it has its own year there ("(48% en 2025)") */
        size_t plo = lo, phi = hi;
        if (in_brackets(s, lo, hi, p.at, &plo, &phi)) {
            lo = plo;
            hi = phi;
        }
        acc_commit_strength st = strength_of(s, lo, hi, 0);
        int y = target_year(s, role, lo, hi, p.at, p.end, doc_year, st == ACC_CS_REPORTED, 1, NULL);
        if (!y)
            continue;
        if (st == ACC_CS_REPORTED && doc_year > 0 && y > doc_year)
            st = strength_of(s, lo, hi, 1);
        size_t kat = p.at;
        nearest(s, kcat[best], lo, hi, p.at, p.end, &kat);
        size_t first = kat < p.at ? kat : p.at;
        /* "will not exceed 60% of 1990 levels" is a level, not a negation */
        if (!level && negated(s, lo, first))
            continue;
        /* a single 100 % cut is a table's total, not a target (net zero says it in words) */
        if (best == 0 && !level && p.v == 100 && p.vmax < 0)
            continue;
        if (level) {
            double v = p.v, vm = p.vmax;
            p.v = vm > 0 ? 100 - vm : 100 - v;
            p.vmax = vm > 0 ? 100 - v : -1;
            if (p.v <= 0)
                continue;
        }
        acc_commitment c;
        memset(&c, 0, sizeof c);
        c.kind = kk[best];
        c.value = p.v;
        c.value_max = p.vmax;
        c.year = y;
        c.strength = st;
        c.base = c.kind == ACC_CK_RENEWABLE || c.kind == ACC_CK_PROTECTED ? ACC_BASE_NONE
                 : level > 0                                              ? level
                             : base_of(s, role, lo, hi, p.at, p.end, c.strength == ACC_CS_REPORTED);
        long inten = nearest(s, ACC_CC_INTENS, lo, hi, p.at, p.end, NULL);
        c.intensity = c.kind == ACC_CK_REDUCTION && inten >= 0 && inten <= 12 * s->scale;
        c.conditional = conditional_of(s, 0, s->n, p.at, p.end);
        c.start = start;
        c.end = end;
        if (year_ok(c.year, c.base, c.strength, doc_year) && !past_target(s, lo, hi))
            emit(f, &c, others_of(s, lo, hi, first, prev_higher));
    }

    /* neutrality and coal phase-out: a phrase and a target year */
    for (size_t i = 0; i < s->n; i++) {
        int kind = -1;
        size_t e = i + 1;
        if (has(s, i, ACC_CC_NZ)) {
            kind = ACC_CK_NETZERO;
            e = cue_end(s, i, ACC_CC_NZ);
        } else if (has(s, i, ACC_CC_COAL)) {
            size_t lo, hi;
            clause(s, i, &lo, &hi);
            size_t a = i > lo + 6 ? i - 6 : lo, b = i + 8 < hi ? i + 8 : hi;
            long d = nearest(s, ACC_CC_OUT, a, b, i, cue_end(s, i, ACC_CC_COAL), NULL);
            if (d >= 0) {
                kind = ACC_CK_COAL;
                e = cue_end(s, i, ACC_CC_COAL);
            }
        }
        if (kind < 0)
            continue;
        size_t lo, hi;
        clause(s, i, &lo, &hi);
        int y = target_year(s, role, lo, hi, i, e, doc_year,
                            strength_of(s, lo, hi, 0) == ACC_CS_REPORTED, 0, NULL);
        if (!y || negated(s, lo, i) || nearest(s, ACC_CC_CONTEXT, lo, hi, i, e, NULL) >= 0)
            continue;
        acc_commitment c;
        memset(&c, 0, sizeof c);
        c.kind = (acc_commit_kind)kind;
        c.value = c.value_max = -1;
        c.year = y;
        c.base = ACC_BASE_NONE;
        c.conditional = conditional_of(s, 0, s->n, i, e);
        c.strength = strength_of(s, lo, hi, 0);
        c.start = start;
        c.end = end;
        /* neutrality "was set" for a year: a former target, not an achievement */
        if (kind == ACC_CK_NETZERO && c.strength == ACC_CS_REPORTED)
            continue;
        if (year_ok(c.year, 0, c.strength, doc_year) && !past_target(s, lo, hi))
            emit(f, &c, others_of(s, lo, hi, i, prev_higher));
        i = e - 1;
    }
out:
    free(role);
}

size_t acc_commit_extract(const char *lang, int doc_year, const char *text, size_t n,
                          acc_commitment **out)
{
    found f = {0};
    sent s, ps;
    size_t pos = 0, a, e, skipped[2];
    /* the cities' and the countries' words in the sentences read, and whether the sentence
       read last names a country and no city */
    size_t nlocal = 0, nhigher = 0;
    int last_higher = 0;
    *out = NULL;
    if (!text)
        return 0;
    acc_csent_init(&s, lang);
    if (!s.lx) {
        acc_csent_release(&s);
        return 0;
    }
    acc_csent_init(&ps, lang);
    while (acc_ctext_next(text, n, &pos, &a, &e, skipped)) {
        acc_csent_read(&s, text + a, e - a);
        size_t l, h;
        int prev_higher = last_higher;
        if (has(&s, 0, ACC_CC_ANAPHOR) && skipped[1] > skipped[0]) {
            acc_csent_read(&ps, text + skipped[0], skipped[1] - skipped[0]);
            count_actors(&ps, &l, &h);
            prev_higher = h && !l;
        }
        count_actors(&s, &l, &h);
        nlocal += l;
        nhigher += h;
        last_higher = h && !l;
        read_sentence(&s, doc_year, a, e, &f, prev_higher);
    }
    acc_csent_release(&s);
    acc_csent_release(&ps);
    /* A city's document (its words outnumber a country's) keeps its own targets only; the
       real corpus's city climate contracts have 2.2-7 city words per country word, national
       contributions and laws under 0.25. */
    if (nlocal >= 5 && nlocal > nhigher) {
        size_t k = 0;
        for (size_t i = 0; i < f.n; i++) {
            if (!f.others[i])
                f.v[k++] = f.v[i];
            else if (getenv("ACC_COMMIT_DEBUG"))
                fprintf(stderr, "dropped (a country's): %s %g by %d: %.*s\n",
                        acc_commit_kind_name(f.v[i].kind), f.v[i].value, f.v[i].year,
                        (int)(f.v[i].end - f.v[i].start < 200 ? f.v[i].end - f.v[i].start : 200),
                        text + f.v[i].start);
        }
        f.n = k;
    }
    if (getenv("ACC_COMMIT_DEBUG"))
        fprintf(stderr, "document: %zu city words, %zu country words\n", nlocal, nhigher);
    free(f.others);
    *out = f.v;
    return f.n;
}
