/* lib/complete.c: the completion table of the search box (lib/complete.h). */
#include "complete.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/mem.h"
#include "lexicon.h"
#include "strmap.h"

typedef struct top {
    acc_top_term v[ACC_COMPLETE_KEEP];
    size_t n;
} top;

typedef struct build_ctx {
    acc_strmap prefixes; /* prefix -> index in tops */
    top *tops;
    size_t alloc;
    unsigned long words;
} build_ctx;

/* t enters prefix k's top (freq descending, equals in the order seen: byte order). */
static void enter(top *k, const char *t, size_t n, unsigned long f)
{
    if (k->n == ACC_COMPLETE_KEEP && k->v[k->n - 1].freq >= f)
        return;
    size_t at = 0;
    while (at < k->n && k->v[at].freq >= f)
        at++;
    if (k->n == ACC_COMPLETE_KEEP)
        free(k->v[--k->n].term);
    memmove(k->v + at + 1, k->v + at, (k->n - at) * sizeof *k->v);
    k->v[at].term = acc_xstrndup(t, n);
    k->v[at].freq = f;
    k->n++;
}

/* The byte length of the first c characters of t[0..n) (n when shorter). */
static size_t chars(const char *t, size_t n, size_t c)
{
    size_t i = 0;
    while (i < n && c > 0) {
        i++;
        while (i < n && ((unsigned char)t[i] & 0xC0) == 0x80)
            i++;
        c--;
    }
    return i;
}

static int on_word(void *ctx, const char *t, size_t n, unsigned long f)
{
    build_ctx *b = ctx;
    if (!n || memchr(t, '\n', n))
        return 0;
    b->words++;
    size_t last = 0;
    for (size_t c = 1; c <= ACC_COMPLETE_CHARS; c++) {
        size_t pn = chars(t, n, c);
        if (pn == last)
            break; /* the word is shorter */
        last = pn;
        int added;
        size_t k = acc_strmap_put(&b->prefixes, t, pn, &added);
        if (k >= b->alloc) {
            size_t old = b->alloc;
            b->alloc = b->alloc ? 2 * b->alloc : 1024;
            b->tops = acc_xrealloc(b->tops, b->alloc * sizeof *b->tops);
            memset(b->tops + old, 0, (b->alloc - old) * sizeof *b->tops);
        }
        enter(&b->tops[k], t, n, f);
    }
    return 0;
}

/* A prefix of fewer words than this is not stored: the scan reads as few (see complete.h). */
static int kept(const build_ctx *b, size_t k)
{
    return b->tops[k].n >= ACC_COMPLETE_FEW;
}

typedef struct stale_ctx {
    const build_ctx *b;
    char **keys;
    size_t n, alloc;
} stale_ctx;

static int on_old_key(void *ctx, const char *key, size_t klen, const char *v, size_t vn)
{
    stale_ctx *s = ctx;
    const size_t pl = strlen(ACC_COMPLETE_KEY_PREFIX);
    (void)v;
    (void)vn;
    size_t k = acc_strmap_get(&s->b->prefixes, key + pl, klen - pl);
    if (k != ACC_STRMAP_NONE && kept(s->b, k))
        return 0;
    if (s->n == s->alloc) {
        s->alloc = s->alloc ? 2 * s->alloc : 64;
        s->keys = acc_xrealloc(s->keys, s->alloc * sizeof *s->keys);
    }
    s->keys[s->n++] = acc_xstrndup(key, klen);
    return 0;
}

acc_status acc_complete_build(acc_writer *w, unsigned long *words, acc_error *err)
{
    build_ctx b = {0};
    acc_strmap_init(&b.prefixes);
    acc_xap_db *db = acc_writer_reader(w, err);
    acc_status st = db ? ACC_OK : err->code;
    /* the words: terms beginning with a digit, a lower-case letter or a byte of a non-ASCII
       character (upper-case letters begin the prefixed terms: stems, filters) */
    for (int c = 0; st == ACC_OK && c < 256; c++) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c >= 0xC0))
            continue;
        char first = (char)c;
        st = acc_xap_db_terms(db, &first, 1, 0, NULL, on_word, &b, err);
    }
    acc_xap_wdb *x = acc_writer_xap(w);
    stale_ctx s = {&b, NULL, 0, 0};
    if (st == ACC_OK)
        st = acc_xap_wdb_meta_each(x, ACC_COMPLETE_KEY_PREFIX, strlen(ACC_COMPLETE_KEY_PREFIX),
                                   on_old_key, &s, err);
    for (size_t i = 0; st == ACC_OK && i < s.n; i++)
        st = acc_xap_wdb_set_meta_n(x, s.keys[i], strlen(s.keys[i]), "", 0, err);
    acc_buf key, val;
    acc_buf_init(&key, 0);
    acc_buf_init(&val, 0);
    for (size_t k = 0; st == ACC_OK && k < b.prefixes.n; k++) {
        if (!kept(&b, k))
            continue;
        size_t pn;
        const char *p = acc_strmap_key(&b.prefixes, k, &pn);
        acc_buf_reset(&key);
        acc_buf_append(&key, ACC_COMPLETE_KEY_PREFIX, strlen(ACC_COMPLETE_KEY_PREFIX));
        acc_buf_append(&key, p, pn);
        acc_buf_reset(&val);
        for (size_t i = 0; i < b.tops[k].n; i++) {
            char f[24];
            snprintf(f, sizeof f, "%lu ", b.tops[k].v[i].freq);
            acc_buf_append(&val, f, strlen(f));
            acc_buf_append(&val, b.tops[k].v[i].term, strlen(b.tops[k].v[i].term));
            acc_buf_putc(&val, '\n');
        }
        st = acc_xap_wdb_set_meta_n(x, key.p, key.n, val.p ? val.p : "", val.n, err);
    }
    if (st == ACC_OK) {
        char rec[64];
        snprintf(rec, sizeof rec, "%lu %lu", acc_writer_doccount(w), b.words);
        st = acc_xap_wdb_set_meta(x, ACC_COMPLETE_META_KEY, rec, err);
    }
    if (words)
        *words = b.words;
    acc_buf_release(&key);
    acc_buf_release(&val);
    for (size_t i = 0; i < s.n; i++)
        free(s.keys[i]);
    free(s.keys);
    for (size_t k = 0; k < b.prefixes.n; k++)
        for (size_t i = 0; i < b.tops[k].n; i++)
            free(b.tops[k].v[i].term);
    free(b.tops);
    acc_strmap_release(&b.prefixes);
    return st;
}

int acc_complete_due(acc_writer *w, unsigned long changed)
{
    char *rec = NULL;
    unsigned long docs = 0, words = 0;
    int have = acc_writer_get_meta(w, ACC_COMPLETE_META_KEY, &rec, NULL) == ACC_OK && rec &&
               sscanf(rec, "%lu %lu", &docs, &words) == 2;
    free(rec);
    unsigned long now = acc_writer_doccount(w);
    return !have || (changed > 0 && changed * 50 >= now);
}

int acc_complete_short(const char *prefix, size_t n)
{
    return n && chars(prefix, n, ACC_COMPLETE_CHARS) == n;
}

int acc_complete_stored(acc_xap_db *db, const char *prefix, size_t n, size_t keep,
                        acc_top_term **out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    if (!acc_complete_short(prefix, n) || keep > ACC_COMPLETE_KEEP)
        return 0;
    acc_buf key, v;
    acc_buf_init(&key, 0);
    acc_buf_init(&v, 0);
    acc_buf_append(&key, ACC_COMPLETE_KEY_PREFIX, strlen(ACC_COMPLETE_KEY_PREFIX));
    acc_buf_append(&key, prefix, n);
    int ok = acc_xap_db_get_meta(db, key.p, key.n, &v, NULL) == ACC_OK && v.n;
    acc_top_term *t = ok ? acc_xcalloc(keep + 1, sizeof *t) : NULL;
    size_t k = 0;
    for (const char *p = v.p, *end = v.p + v.n; ok && p < end && k < keep;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *sp = nl ? memchr(p, ' ', (size_t)(nl - p)) : NULL;
        char *num_end = NULL;
        unsigned long f = sp ? strtoul(p, &num_end, 10) : 0;
        /* a word of the prefix, after its count */
        ok = sp && num_end == sp && nl > sp + 1 && (size_t)(nl - sp - 1) >= n &&
             memcmp(sp + 1, prefix, n) == 0;
        if (ok) {
            t[k].term = acc_xstrndup(sp + 1, (size_t)(nl - sp - 1));
            t[k++].freq = f;
            p = nl + 1;
        }
    }
    acc_buf_release(&key);
    acc_buf_release(&v);
    if (!ok) {
        acc_top_terms_free(t, k);
        return 0;
    }
    *out = t;
    *nout = k;
    return 1;
}
