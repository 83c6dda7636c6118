/*
 * lib/proximity.c: words typed together, tested on the best documents from their positions
 * (lib/proximity.h).
 */
#include "proximity.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/mem.h"
#include "accord/schema.h"

static void on_term(void *ctx, const char *t, size_t n)
{
    acc_prox *p = ctx;
    if (p->n < ACC_PROX_WORDS)
        p->term[p->n++] = acc_xstrndup(t, n);
}

static void prox_release(acc_prox *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->term[i]);
    p->n = 0;
}

static int prox_equal(const acc_prox *a, const acc_prox *b)
{
    if (a->n != b->n || strcmp(a->lang, b->lang) != 0 || a->restricted != b->restricted ||
        a->scale != b->scale)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->term[i], b->term[i]) != 0)
            return 0;
    return 1;
}

static void on_word(void *ctx, const char *t, size_t n)
{
    acc_proxset *s = ctx;
    acc_xap_query *w = acc_xap_query_term(t, n);
    if (!s->words) {
        s->words = w;
        return;
    }
    acc_xap_query *both = acc_xap_query_pair(ACC_XAP_OR, s->words, w);
    acc_xap_query_free(s->words);
    acc_xap_query_free(w);
    s->words = both;
}

void acc_proxset_add(acc_proxset *s, const acc_xap_query *q, const char *lang, int restricted,
                     double scale)
{
    acc_xap_query_terms(q, 0, on_word, s);
    if (s->n >= ACC_PROX_MAX)
        return;
    acc_prox p = {{NULL}, 0, {0}, restricted, scale};
    snprintf(p.lang, sizeof p.lang, "%s", lang);
    acc_xap_query_terms(q, 1, on_term, &p);
    int keep = p.n >= 2;
    for (size_t i = 0; i < s->n && keep; i++)
        keep = !prox_equal(&s->v[i], &p);
    if (keep)
        s->v[s->n++] = p;
    else
        prox_release(&p);
}

void acc_proxset_release(acc_proxset *s)
{
    for (size_t i = 0; i < s->n; i++)
        prox_release(&s->v[i]);
    s->n = 0;
    acc_xap_query_free(s->words);
    s->words = NULL;
}

/* Do the words' cursors c[0..n) hold the phrase: word k at the first word's position + k?
   Leapfrogs: each cursor skips to where the phrase could start next. */
static int phrase_at(acc_xap_poscur **c, size_t n)
{
    unsigned start = 0, at;
    for (size_t k = 0; k < n;) {
        if (!acc_xap_poscur_skip_to(c[k], start + (unsigned)k, &at))
            return 0;
        if (at > start + k) {
            start = at - (unsigned)k; /* the phrase cannot start before */
            k = k ? 0 : 1;
            continue;
        }
        k++;
    }
    return 1;
}

/* Is there a span of fewer than `window` positions holding a position of each cursor's term?
   The earliest cursor skips past where it could share a window with the latest. */
static int near_at(acc_xap_poscur **c, size_t n, unsigned window)
{
    unsigned at[ACC_PROX_WORDS];
    for (size_t i = 0; i < n; i++)
        if (!acc_xap_poscur_skip_to(c[i], 0, &at[i]))
            return 0;
    for (;;) {
        size_t lo = 0, hi = 0;
        for (size_t i = 1; i < n; i++) {
            lo = at[i] < at[lo] ? i : lo;
            hi = at[i] > at[hi] ? i : hi;
        }
        if (at[hi] - at[lo] < window)
            return 1;
        if (!acc_xap_poscur_skip_to(c[lo], at[hi] - window + 1, &at[lo]))
            return 0;
    }
}

/*
 * The words near each other first, then the phrase, on the same cursors: near_at skips only
 * positions that are in no window of the words (a phrase is such a window), so the phrase is
 * looked for from where it stopped. A document without its words near each other has no
 * phrase: one cursor a word, each opened once (over remote shards, a round trip each).
 */
acc_status acc_prox_test(acc_xap_db *db, unsigned docid, const acc_prox *p, unsigned slack,
                         int *phrase, int *near, acc_error *err)
{
    acc_xap_poscur *c[ACC_PROX_WORDS] = {NULL}, *distinct[ACC_PROX_WORDS];
    size_t ndistinct = 0;
    acc_status st = ACC_OK;
    *phrase = *near = 0;
    for (size_t i = 0; i < p->n && st == ACC_OK; i++) {
        st = acc_xap_poscur_open(db, docid, p->term[i], strlen(p->term[i]), &c[i], err);
        if (st != ACC_OK || !c[i])
            goto out; /* a word the document lacks: neither */
        int seen = 0; /* a word repeated has a cursor of its own for the phrase */
        for (size_t k = 0; k < i && !seen; k++)
            seen = strcmp(p->term[k], p->term[i]) == 0;
        if (!seen)
            distinct[ndistinct++] = c[i];
    }
    *near = near_at(distinct, ndistinct, (unsigned)(ndistinct + slack));
    if (*near)
        *phrase = phrase_at(c, p->n);
out:
    for (size_t i = 0; i < p->n; i++)
        acc_xap_poscur_free(c[i]);
    return st;
}

typedef struct ranked {
    size_t hit;
    double w;
    unsigned docid;
} ranked;

static int by_weight(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->w != y->w)
        return x->w > y->w ? -1 : 1;
    return x->hit < y->hit ? -1 : x->hit > y->hit;
}

static int by_docid(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    return x->docid < y->docid ? -1 : x->docid > y->docid;
}

/* A phrase as the rescore reads it: cursors on its reading's language terms and on its
   distinct words, each word's BM25 term weight (Xapian 1.4's BM25Weight, once in the query). */
typedef struct reading {
    acc_xap_postcur *in[2]; /* XL<lang>, XQ<lang> (unless restricted) */
    acc_xap_postcur *c[ACC_PROX_WORDS];
    double tw[ACC_PROX_WORDS]; /* (k1 + 1) log idf */
    size_t nt;
} reading;

static acc_status reading_open(acc_xap_db *db, const acc_prox *p, const double *bm25,
                               unsigned long docs, reading *r, acc_error *err)
{
    char t[64];
    acc_status st = ACC_OK;
    memset(r, 0, sizeof *r);
    for (int k = 0; k < (p->restricted ? 1 : 2) && st == ACC_OK; k++) {
        int n = snprintf(t, sizeof t, "%s%s", k ? ACC_PFX_PASSAGE_LANG : ACC_PFX_LANG, p->lang);
        st = acc_xap_postcur_open(db, t, (size_t)n, &r->in[k], err);
    }
    for (size_t j = 0; j < p->n && st == ACC_OK; j++) {
        int seen = 0;
        for (size_t q = 0; q < j && !seen; q++)
            seen = strcmp(p->term[q], p->term[j]) == 0;
        if (seen)
            continue;
        unsigned long tf = 0;
        st = acc_xap_db_termfreq(db, p->term[j], strlen(p->term[j]), &tf, err);
        if (st == ACC_OK)
            st = acc_xap_postcur_open(db, p->term[j], strlen(p->term[j]), &r->c[r->nt], err);
        double idf = ((double)docs - (double)tf + 0.5) / ((double)tf + 0.5);
        if (idf < 2)
            idf = idf * 0.5 + 1;
        /* k3's factor for a word once in the query is 1 */
        r->tw[r->nt++] = log(idf) * (bm25[0] + 1);
    }
    return st;
}

static void reading_close(reading *r)
{
    for (int k = 0; k < 2; k++)
        acc_xap_postcur_free(r->in[k]);
    for (size_t i = 0; i < r->nt; i++)
        acc_xap_postcur_free(r->c[i]);
}

/* Is document docid (ascending from call to call) in r's language? */
static int reading_has(reading *r, unsigned docid)
{
    unsigned at, wdf;
    int in = 0;
    for (int k = 0; k < 2; k++)
        if (r->in[k] && acc_xap_postcur_skip_to(r->in[k], docid, &at, &wdf) && at == docid)
            in = 1; /* both cursors move on */
    return in;
}

/* What r's words weigh in document docid (ascending), of normalised length normlen. */
static double reading_weight(reading *r, const double *bm25, double normlen, unsigned docid)
{
    double sum = 0;
    for (size_t i = 0; i < r->nt; i++) {
        unsigned at, wdf = 0;
        if (!r->c[i] || !acc_xap_postcur_skip_to(r->c[i], docid, &at, &wdf) || at != docid)
            continue;
        sum += r->tw[i] * wdf / (bm25[0] * (normlen * bm25[3] + (1 - bm25[3])) + wdf);
    }
    return sum;
}

acc_status acc_prox_rescore(acc_xap_db *db, acc_xap_match *m, const acc_proxset *s, size_t window,
                            const double *bm25, double phrase_w, double near_w, size_t offset,
                            size_t limit, acc_error *err)
{
    const size_t n = acc_xap_match_size(m), tested = n < window ? n : window;
    acc_status st = ACC_OK;
    ranked *r = acc_xmalloc((n ? n : 1) * sizeof *r);
    reading *rd = acc_xcalloc(s->n ? s->n : 1, sizeof *rd);
    size_t nrd = 0;
    unsigned long docs = 0;
    double avlen = 0;
    for (size_t i = 0; i < n; i++)
        r[i] = (ranked){i, acc_xap_match_weight(m, i), acc_xap_match_docid(m, i)};
    st = acc_xap_db_doccount(db, &docs, err);
    if (st == ACC_OK)
        st = acc_xap_db_avlength(db, &avlen, err);
    for (; nrd < s->n && st == ACC_OK; nrd++)
        st = reading_open(db, &s->v[nrd], bm25, docs, &rd[nrd], err);
    /* the cursors move forward: the tested hits in docid order */
    qsort(r, tested, sizeof *r, by_docid);
    for (size_t i = 0; i < tested && st == ACC_OK; i++) {
        double best = 0, normlen = -1;
        for (size_t k = 0; k < s->n && st == ACC_OK; k++) {
            int phrase = 0, near = 0;
            if (!reading_has(&rd[k], r[i].docid))
                continue;
            st = acc_prox_test(db, r[i].docid, &s->v[k], s->slack, &phrase, &near, err);
            if (st != ACC_OK || !near)
                continue;
            if (normlen < 0) {
                unsigned long len = 0;
                st = acc_xap_db_doclength(db, r[i].docid, &len, err);
                normlen = avlen > 0 ? (double)len / avlen : 0;
                if (normlen < bm25[4])
                    normlen = bm25[4];
            }
            const double b = reading_weight(&rd[k], bm25, normlen, r[i].docid) *
                             (phrase ? phrase_w : near_w) * s->v[k].scale;
            if (b > best)
                best = b;
        }
        r[i].w += best;
    }
    for (size_t k = 0; k < nrd; k++)
        reading_close(&rd[k]);
    free(rd);
    if (st == ACC_OK) {
        qsort(r, n, sizeof *r, by_weight);
        size_t from = offset < n ? offset : n, k = n - from < limit ? n - from : limit;
        size_t *keep = acc_xmalloc((k ? k : 1) * sizeof *keep);
        double *w = acc_xmalloc((k ? k : 1) * sizeof *w);
        for (size_t i = 0; i < k; i++) {
            keep[i] = r[from + i].hit;
            w[i] = r[from + i].w;
        }
        acc_xap_match_keep(m, keep, w, k);
        free(keep);
        free(w);
    }
    free(r);
    return st;
}
