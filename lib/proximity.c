/*
 * lib/proximity.c: words typed together, tested on the best documents from their positions
 * (lib/proximity.h).
 */
#include "proximity.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "accord/mem.h"

typedef struct terms_ctx {
    acc_prox *p;
} terms_ctx;

static void on_term(void *ctx, const char *t, size_t n)
{
    acc_prox *p = ((terms_ctx *)ctx)->p;
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
    if (a->n != b->n)
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

void acc_proxset_add(acc_proxset *s, const acc_xap_query *q)
{
    acc_xap_query_terms(q, on_word, s);
    if (s->n >= ACC_PROX_MAX)
        return;
    acc_prox p = {{NULL}, 0};
    terms_ctx c = {&p};
    acc_xap_query_terms_ordered(q, on_term, &c);
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
} ranked;

static int by_weight(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->w != y->w)
        return x->w > y->w ? -1 : 1;
    return x->hit < y->hit ? -1 : x->hit > y->hit;
}

acc_status acc_prox_rescore(acc_xap_db *db, acc_xap_match *m, const acc_proxset *s, size_t window,
                            double phrase_w, double near_w, size_t offset, size_t limit,
                            acc_error *err)
{
    const size_t n = acc_xap_match_size(m);
    acc_status st = ACC_OK;
    ranked *r = acc_xmalloc((n ? n : 1) * sizeof *r);
    for (size_t i = 0; i < n; i++) {
        r[i].hit = i;
        r[i].w = acc_xap_match_weight(m, i);
        int best = 0; /* 2: a phrase as typed, 1: its words near each other */
        for (size_t k = 0; k < s->n && i < window && best < 2 && st == ACC_OK; k++) {
            int phrase, near;
            st = acc_prox_test(db, acc_xap_match_docid(m, i), &s->v[k], s->slack, &phrase, &near,
                               err);
            best = phrase ? 2 : near && best < 1 ? 1 : best;
        }
        r[i].w *= best == 2 ? 1 + phrase_w : best == 1 ? 1 + near_w : 1;
    }
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
