/* lib/spell.c: spelling suggestions (lib/spell.h). */
#include "spell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/schema.h"
#include "stem.h"

/* Levenshtein distance of bytes, stopping early above max (returns max + 1). */
static size_t edit_distance(const char *a, size_t an, const char *b, size_t bn, size_t max)
{
    if ((an > bn ? an - bn : bn - an) > max)
        return max + 1;
    size_t *prev = acc_xmalloc((bn + 1) * sizeof *prev), *cur = acc_xmalloc((bn + 1) * sizeof *cur);
    size_t res;
    for (size_t j = 0; j <= bn; j++)
        prev[j] = j;
    for (size_t i = 1; i <= an; i++) {
        cur[0] = i;
        size_t best = cur[0];
        for (size_t j = 1; j <= bn; j++) {
            size_t v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (prev[j - 1] + (a[i - 1] != b[j - 1]) < v)
                v = prev[j - 1] + (a[i - 1] != b[j - 1]);
            cur[j] = v;
            if (v < best)
                best = v;
        }
        if (best > max) {
            res = max + 1;
            goto out;
        }
        size_t *t = prev;
        prev = cur;
        cur = t;
    }
    res = prev[bn];
out:
    free(prev);
    free(cur);
    return res;
}

typedef struct near_ctx {
    const char *w;
    size_t n, max, best_dist;
    unsigned long best_freq;
    char *best;
} near_ctx;

static int on_candidate(void *ctx, const char *t, size_t n, unsigned long f)
{
    near_ctx *c = ctx;
    size_t d = edit_distance(c->w, c->n, t, n, c->max);
    if (d > c->max)
        return 0;
    if (d < c->best_dist || (d == c->best_dist && f > c->best_freq)) {
        free(c->best);
        c->best = acc_xstrndup(t, n);
        c->best_dist = d;
        c->best_freq = f;
    }
    return 0;
}

/* 1 when the index has w or, through a stem of one of its languages, a form of it. */
static acc_status known(acc_index *x, const char *w, size_t n, int *yes, acc_error *err)
{
    const char(*langs)[ACC_LANG_MAX];
    size_t nlangs;
    unsigned long f = 0;
    acc_buf z;
    acc_status st = acc_xap_db_termfreq(x->db, w, n, &f, err);
    *yes = f > 0;
    if (st != ACC_OK || *yes)
        return st;
    st = acc_index_langs(x, &langs, &nlangs, err);
    acc_buf_init(&z, 0);
    for (size_t i = 0; i < nlangs && st == ACC_OK && !*yes; i++) {
        acc_xap_stem *stem = acc_stem_new(langs[i]);
        if (!stem)
            continue;
        acc_buf_reset(&z);
        acc_buf_append(&z, ACC_PFX_STEM, strlen(ACC_PFX_STEM));
        acc_xap_stem_word(stem, w, n, &z);
        acc_xap_stem_free(stem);
        st = acc_xap_db_termfreq(x->db, z.p, z.n, &f, err);
        *yes = f > 0;
    }
    acc_buf_release(&z);
    return st;
}

acc_status acc_spell_suggest(acc_index *x, const char *q, size_t n, char **out, acc_error *err)
{
    acc_buf res;
    acc_status st = ACC_OK;
    int changed = 0;
    size_t i = 0;
    acc_buf_init(&res, 0);
    *out = NULL;
    while (i < n && st == ACC_OK) {
        const char *sp = memchr(q + i, ' ', n - i);
        size_t j = sp ? (size_t)(sp - q) : n, wn = j - i;
        const char *w = q + i;
        i = j + 1;
        if (!wn)
            continue;
        int plain = 1, yes = 0;
        for (size_t k = 0; k < wn; k++)
            if (!((w[k] >= 'a' && w[k] <= 'z') || (unsigned char)w[k] >= 0x80))
                plain = 0;
        near_ctx c = {w, wn, wn >= ACC_SPELL_LONG ? ACC_SPELL_EDITS_LONG : ACC_SPELL_EDITS_SHORT,
                      0, 0,  NULL};
        c.best_dist = c.max + 1;
        /* a word the index knows through a stem (foret -> forêts) is spelt right */
        if (plain)
            st = known(x, w, wn, &yes, err);
        if (st == ACC_OK && plain && wn >= ACC_SPELL_MIN && !yes)
            st = acc_xap_db_terms(x->db, w, 1, 0, NULL, on_candidate, &c, err);
        if (res.n)
            acc_buf_putc(&res, ' ');
        if (c.best) {
            changed = changed || strlen(c.best) != wn || memcmp(c.best, w, wn) != 0;
            acc_buf_append(&res, c.best, strlen(c.best));
            free(c.best);
        } else {
            acc_buf_append(&res, w, wn);
        }
    }
    if (st == ACC_OK && changed)
        *out = acc_buf_detach(&res, NULL);
    acc_buf_release(&res);
    return st;
}
