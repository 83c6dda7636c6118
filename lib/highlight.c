/*
 * lib/highlight.c: matching a document's words against a query's terms
 * (lib/highlight.h).
 */
#include "highlight.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/lang.h"
#include "accord/schema.h"
#include "accord/text.h"
#include "qtext.h"
#include "stem.h"
#include "strmap.h"

/* a query term's first bytes, for rejecting words cheaply */
#define HEAD_BYTES 3

struct acc_highlighter {
    acc_strmap words, stems; /* the query's unprefixed terms, and its Z terms for the language */
    int *word_id, *stem_id;
    char (*prefixes)[HEAD_BYTES + 1]; /* first bytes of the stems */
    size_t nprefixes;
    char (*heads)[HEAD_BYTES + 1]; /* first bytes of every term, sorted, distinct */
    size_t nheads;
    size_t *head_len; /* strlen of each head */
    int first_byte[256];
    unsigned char ascii_pair[128][16]; /* bit [a][b]: a head starts with ASCII bytes a, b */
    int any_head;                      /* a term of no bytes: every word may match */
    char ascii_apostrophe[128];        /* acc_text_is_apostrophe of each ASCII byte */
    acc_xap_stem *stem;
    int german;
    char ztag[ACC_LANG_MAX + 3];
    size_t ztag_len;
    acc_buf normed, folded, key; /* scratch */
    /* the answers for words that passed may_match: a page's hits repeat their words, and
       normalising and stemming one costs thousands of instructions */
    acc_strmap seen;
    int *seen_id;
    size_t seen_alloc;
};

/* words remembered per highlighter (a page of one language), at most */
#define SEEN_MAX 4096

typedef struct build_ctx {
    acc_highlighter *h;
    int next_id;
    size_t alloc_w, alloc_s, alloc_p, alloc_h;
} build_ctx;

static void push_head(char (**v)[HEAD_BYTES + 1], size_t *n, size_t *alloc, const char *p,
                      size_t len)
{
    if (*n == *alloc) {
        *alloc = *alloc ? 2 * *alloc : 8;
        *v = acc_xrealloc(*v, *alloc * sizeof **v);
    }
    if (len > HEAD_BYTES)
        len = HEAD_BYTES;
    memcpy((*v)[*n], p, len);
    (*v)[*n][len] = '\0';
    (*n)++;
}

static void grow_ids(int **ids, size_t *alloc, size_t need)
{
    if (need > *alloc) {
        *alloc = need * 2;
        *ids = acc_xrealloc(*ids, *alloc * sizeof **ids);
    }
}

static void on_query_term(void *ctx, const char *t, size_t n)
{
    build_ctx *b = ctx;
    acc_highlighter *h = b->h;
    int added;
    if (!n)
        return;
    if (n >= h->ztag_len && memcmp(t, h->ztag, h->ztag_len) == 0) {
        size_t i = acc_strmap_put(&h->stems, t, n, &added);
        grow_ids(&h->stem_id, &b->alloc_s, i + 1);
        if (added)
            h->stem_id[i] = b->next_id++;
        push_head(&h->prefixes, &h->nprefixes, &b->alloc_p, t + h->ztag_len, n - h->ztag_len);
        push_head(&h->heads, &h->nheads, &b->alloc_h, t + h->ztag_len, n - h->ztag_len);
    } else if (!(t[0] >= 'A' && t[0] <= 'Z')) {
        size_t i = acc_strmap_put(&h->words, t, n, &added);
        grow_ids(&h->word_id, &b->alloc_w, i + 1);
        if (added)
            h->word_id[i] = b->next_id++;
        push_head(&h->heads, &h->nheads, &b->alloc_h, t, n);
    }
}

static int cmp_head(const void *a, const void *b)
{
    return strcmp(a, b);
}

acc_highlighter *acc_highlighter_new(const acc_xap_query *q, const char *lang)
{
    acc_highlighter *h = acc_xcalloc(1, sizeof *h);
    build_ctx b = {h, 0, 0, 0, 0, 0};
    acc_strmap_init(&h->words);
    acc_strmap_init(&h->stems);
    acc_strmap_init(&h->seen);
    acc_buf_init(&h->normed, 0);
    acc_buf_init(&h->folded, 0);
    acc_buf_init(&h->key, 0);
    h->german = strcmp(lang, "de") == 0;
    h->ztag_len = (size_t)snprintf(h->ztag, sizeof h->ztag, "%s%s:", ACC_PFX_STEM, lang);
    acc_xap_query_terms(q, 0, on_query_term, &b);
    if (h->stems.n && acc_lang_stemmer(lang))
        h->stem = acc_stem_new(lang);
    if (h->nheads)
        qsort(h->heads, h->nheads, sizeof *h->heads, cmp_head);
    size_t k = 0;
    for (size_t i = 0; i < h->nheads; i++)
        if (k == 0 || strcmp(h->heads[k - 1], h->heads[i]) != 0)
            memcpy(h->heads[k++], h->heads[i], sizeof *h->heads);
    h->nheads = k;
    h->head_len = acc_xmalloc((h->nheads ? h->nheads : 1) * sizeof *h->head_len);
    for (size_t i = 0; i < h->nheads; i++) {
        h->head_len[i] = strlen(h->heads[i]);
        unsigned char c0 = (unsigned char)h->heads[i][0], c1 = (unsigned char)h->heads[i][1];
        if (!c0)
            h->any_head = 1;
        else
            h->first_byte[c0] = 1;
        if (c0 && c0 < 0x80 && !c1) /* a one-byte head: every second byte */
            memset(h->ascii_pair[c0], 0xff, sizeof h->ascii_pair[c0]);
        else if (c0 && c0 < 0x80 && c1 < 0x80)
            h->ascii_pair[c0][c1 >> 3] |= (unsigned char)(1u << (c1 & 7));
        /* a head whose second byte is not ASCII: no word whose first two bytes are */
    }
    for (int c = 0; c < 128; c++)
        h->ascii_apostrophe[c] = (char)acc_text_is_apostrophe(c);
    return h;
}

void acc_highlighter_free(acc_highlighter *h)
{
    if (!h)
        return;
    acc_strmap_release(&h->words);
    acc_strmap_release(&h->stems);
    acc_strmap_release(&h->seen);
    free(h->seen_id);
    free(h->word_id);
    free(h->stem_id);
    free(h->prefixes);
    free(h->heads);
    free(h->head_len);
    acc_xap_stem_free(h->stem);
    acc_buf_release(&h->normed);
    acc_buf_release(&h->folded);
    acc_buf_release(&h->key);
    free(h);
}

/*
 * False when word tok[0..n) certainly matches no term: the start of its
 * folded form starts none of the terms. True when it may match, or when a
 * character needs the whole pipeline to tell.
 */
static int may_match(const acc_highlighter *h, const char *tok, size_t n)
{
    char head[32];
    if (h->any_head)
        return 1;
    unsigned char c0 = n ? (unsigned char)tok[0] : 0;
    if (n && c0 < 0x80) { /* most words: their first letters reject them */
        if (h->ascii_apostrophe[c0])
            return 0; /* the folded word starts empty: no term starts it */
        unsigned char a = c0 >= 'A' && c0 <= 'Z' ? (unsigned char)(c0 - 'A' + 'a') : c0;
        if (!h->first_byte[a])
            return 0;
        unsigned char b = n > 1 ? (unsigned char)tok[1] : 0;
        if (b >= 'A' && b <= 'Z')
            b = (unsigned char)(b - 'A' + 'a');
        /* two ASCII letters or digits fold to themselves (lower case): their pair must start a
           head; German ae/oe/ue may stand for an umlaut (below) */
        int alnum = (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9');
        int digraph = h->german && b == 'e' && (a == 'a' || a == 'o' || a == 'u');
        if (alnum && !digraph && !(h->ascii_pair[a][b >> 3] & (1u << (b & 7))))
            return 0;
    }
    /* German ae/oe/ue near the start stand for umlauts the terms have folded
       away (Waerme is warme): only the whole match can tell */
    if (h->german)
        for (size_t i = 0; i + 1 < n && i < HEAD_BYTES; i++) {
            char a = (char)(tok[i] | 0x20), b = (char)(tok[i + 1] | 0x20);
            if ((a == 'a' || a == 'o' || a == 'u') && b == 'e')
                return 1;
        }
    size_t len = acc_text_fold_head(tok, n, HEAD_BYTES, head, sizeof head);
    if (len == ACC_FOLD_HEAD_UNKNOWN)
        return 1;
    for (size_t i = 0; i < h->nheads; i++)
        if (h->head_len[i] <= len && memcmp(h->heads[i], head, h->head_len[i]) == 0)
            return 1;
    return 0;
}

static int match_piece(acc_highlighter *h, const char *folded, size_t fn, const char *normed,
                       size_t nn)
{
    size_t i;
    if (!fn)
        return -1;
    if (h->german) {
        acc_buf_reset(&h->key);
        acc_text_de_digraphs(folded, fn, &h->key);
        i = acc_strmap_get(&h->words, h->key.p ? h->key.p : "", h->key.n);
    } else {
        i = acc_strmap_get(&h->words, folded, fn);
    }
    if (i != ACC_STRMAP_NONE)
        return h->word_id[i];
    if (!h->stem)
        return -1;
    /* a stem can match only a word that starts like it (German: digraphs read as
       the umlauts the stems fold, Waerme as warme) */
    const char *start = h->german && h->key.p ? h->key.p : folded;
    size_t sn = h->german ? h->key.n : fn;
    int candidate = 0;
    for (size_t p = 0; p < h->nprefixes && !candidate; p++) {
        size_t k = strlen(h->prefixes[p]);
        candidate = sn >= k && memcmp(start, h->prefixes[p], k) == 0;
    }
    if (!candidate)
        return -1;
    acc_buf_reset(&h->key);
    acc_buf_append(&h->key, ACC_PFX_STEM, strlen(ACC_PFX_STEM));
    acc_xap_stem_word(h->stem, normed, nn, &h->key);
    i = acc_strmap_get(&h->stems, h->key.p, h->key.n);
    if (i == ACC_STRMAP_NONE) {
        acc_buf_reset(&h->key);
        acc_buf_append(&h->key, ACC_PFX_STEM, strlen(ACC_PFX_STEM));
        acc_stem_folded(h->stem, normed, nn, &h->key);
        i = acc_strmap_get(&h->stems, h->key.p, h->key.n);
    }
    return i == ACC_STRMAP_NONE ? -1 : h->stem_id[i];
}

/* Where the first apostrophe (acc_text_is_apostrophe) of tok ends, or NULL. */
static const char *after_apostrophe(const acc_highlighter *h, const char *tok, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char b = (unsigned char)tok[i];
        if (b < 0x80) { /* most bytes of most words: the table */
            i++;
            if (h->ascii_apostrophe[b])
                return tok + i;
            continue;
        }
        size_t k = b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        int32_t c = b;
        if (i + k > n)
            break;
        if (k == 2)
            c = ((b & 0x1F) << 6) | (tok[i + 1] & 0x3F);
        else if (k == 3)
            c = ((b & 0x0F) << 12) | ((tok[i + 1] & 0x3F) << 6) | (tok[i + 2] & 0x3F);
        i += k;
        if (k < 4 && acc_text_is_apostrophe(c))
            return tok + i;
    }
    return NULL;
}

static int match_word(acc_highlighter *h, const char *tok, size_t n);

int acc_highlight_match(void *ctx, const char *tok, size_t n)
{
    acc_highlighter *h = ctx;
    if (!may_match(h, tok, n)) {
        const char *rest = after_apostrophe(h, tok, n);
        if (!rest || !may_match(h, rest, n - (size_t)(rest - tok)))
            return -1;
    }
    size_t i = acc_strmap_get(&h->seen, tok, n);
    if (i != ACC_STRMAP_NONE)
        return h->seen_id[i];
    int id = match_word(h, tok, n);
    if (h->seen.n < SEEN_MAX) {
        int added;
        i = acc_strmap_put(&h->seen, tok, n, &added);
        grow_ids(&h->seen_id, &h->seen_alloc, i + 1);
        h->seen_id[i] = id;
    }
    return id;
}

/* Whether the word tok[0..n) is one of the terms: its id, else -1. */
static int match_word(acc_highlighter *h, const char *tok, size_t n)
{
    int ascii = 1;
    for (size_t i = 0; i < n && ascii; i++) {
        unsigned char c = (unsigned char)tok[i];
        if (c >= 0x80 || h->ascii_apostrophe[c])
            ascii = 0; /* the pipeline handles apostrophes (elisions) */
    }
    acc_buf_reset(&h->normed);
    acc_buf_reset(&h->folded);
    const char *f, *m;
    size_t fn, mn;
    if (ascii) {
        /* lower case is all the pipeline does to plain ASCII letters */
        acc_buf_append(&h->normed, tok, n);
        for (size_t i = 0; i < n; i++)
            if (h->normed.p[i] >= 'A' && h->normed.p[i] <= 'Z')
                h->normed.p[i] = (char)(h->normed.p[i] - 'A' + 'a');
        f = m = h->normed.p ? h->normed.p : "";
        fn = mn = h->normed.n;
    } else {
        /* a word that cannot be normalised simply is not highlighted */
        if (acc_text_norm(tok, n, &h->normed, NULL) != ACC_OK)
            return -1;
        if (acc_text_fold(h->normed.p ? h->normed.p : "", h->normed.n, &h->folded, NULL) != ACC_OK)
            return -1;
        f = h->folded.p ? h->folded.p : "";
        fn = h->folded.n;
        m = h->normed.p ? h->normed.p : "";
        mn = h->normed.n;
    }
    /* pieces: normalising may split a word in two (rare: a dropped elision
       leaves one piece, a compatibility mapping may add a space) */
    size_t a = 0, b = 0;
    while (a <= fn) {
        if (b > mn)
            return -1; /* more pieces folded than normalised: not a word to mark */
        const char *fe = memchr(f + a, ' ', fn - a), *me = memchr(m + b, ' ', mn - b);
        size_t e = fe ? (size_t)(fe - f) : fn, g = me ? (size_t)(me - m) : mn;
        int id = match_piece(h, f + a, e - a, m + b, g - b);
        if (id >= 0)
            return id;
        a = e + 1;
        b = g + 1;
    }
    return -1;
}

/* ---------------------------------------------------------- stem variants */

typedef struct variant_ctx {
    acc_xap_stem *stem;
    const char *term; /* the Z term */
    size_t term_len;
    acc_buf key;
} variant_ctx;

static int is_variant(void *ctx, const char *w, size_t n)
{
    variant_ctx *v = ctx;
    acc_buf_reset(&v->key);
    acc_buf_append(&v->key, ACC_PFX_STEM, strlen(ACC_PFX_STEM));
    acc_stem_folded(v->stem, w, n, &v->key);
    return v->key.n == v->term_len && memcmp(v->key.p, v->term, v->term_len) == 0;
}

typedef struct zterms_ctx {
    const char *ztag;
    size_t ztag_len;
    char **v;
    size_t n;
} zterms_ctx;

static void on_zterm(void *ctx, const char *t, size_t n)
{
    zterms_ctx *z = ctx;
    /* another language's, or a stem of one or two letters */
    if (n < z->ztag_len || memcmp(t, z->ztag, z->ztag_len) != 0 || n - z->ztag_len < 3)
        return;
    z->v = acc_xrealloc(z->v, (z->n + 1) * sizeof *z->v);
    z->v[z->n++] = acc_xstrndup(t, n);
}

static int has_word(char *const *v, size_t n, const char *w)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], w) == 0)
            return 1;
    return 0;
}

/* at most this many stems remembered per handle; then it starts afresh */
#define VARIANT_MEMO_MAX 1024

struct acc_variant_memo {
    unsigned long rev, generation; /* of the handle when the variants were found */
    acc_strmap keys;               /* the Z term (its language in it) */
    acc_top_term **tops;           /* per key: the variants, most frequent first */
    size_t *ntops;
};

static void memo_clear(acc_variant_memo *m)
{
    for (size_t i = 0; i < m->keys.n; i++)
        acc_top_terms_free(m->tops[i], m->ntops[i]);
    free(m->tops);
    free(m->ntops);
    m->tops = NULL;
    m->ntops = NULL;
    acc_strmap_release(&m->keys);
    acc_strmap_init(&m->keys);
}

void acc_variant_memo_free(acc_variant_memo *m)
{
    if (!m)
        return;
    memo_clear(m);
    acc_strmap_release(&m->keys);
    free(m);
}

/* x's memo, emptied when the index has changed since it was filled */
static acc_variant_memo *memo_of(acc_index *x)
{
    acc_variant_memo *m = x->variants;
    if (!m) {
        m = x->variants = acc_xcalloc(1, sizeof *m);
        acc_strmap_init(&m->keys);
    } else if (m->rev != x->rev || m->generation != x->generation ||
               m->keys.n >= VARIANT_MEMO_MAX) {
        memo_clear(m);
    }
    m->rev = x->rev;
    m->generation = x->generation;
    return m;
}

/* The variants of the Z term (remembered), borrowed from the memo */
static acc_status variants_of(acc_index *x, variant_ctx *v, const char *term, size_t ztag_len,
                              const acc_top_term **top, size_t *ntop, acc_error *err)
{
    acc_variant_memo *m = memo_of(x);
    size_t len = strlen(term);
    size_t i = acc_strmap_get(&m->keys, term, len);
    if (i == ACC_STRMAP_NONE) {
        /* "Z" lang ":" */
        const size_t h =
            acc_stem_stable_prefix(term + ztag_len, len - ztag_len, term + strlen(ACC_PFX_STEM),
                                   ztag_len - strlen(ACC_PFX_STEM) - 1);
        v->term = term;
        v->term_len = len;
        acc_top_term *found = NULL;
        size_t nfound = 0;
        acc_status st = acc_index_top_terms(x, term + ztag_len, h, 6, 1000, is_variant, v, &found,
                                            &nfound, err);
        if (st != ACC_OK) {
            acc_top_terms_free(found, nfound);
            return st;
        }
        int added;
        i = acc_strmap_put(&m->keys, term, len, &added);
        m->tops = acc_xrealloc(m->tops, (i + 1) * sizeof *m->tops);
        m->ntops = acc_xrealloc(m->ntops, (i + 1) * sizeof *m->ntops);
        m->tops[i] = found;
        m->ntops[i] = nfound;
    }
    *top = m->tops[i];
    *ntop = m->ntops[i];
    return ACC_OK;
}

acc_status acc_highlight_variants(acc_index *x, const acc_xap_query *q, char *const *qwords,
                                  size_t nq, const char *lang, char ***out, size_t *n,
                                  acc_error *err)
{
    char ztag[ACC_LANG_MAX + 3];
    zterms_ctx z = {ztag, 0, NULL, 0};
    variant_ctx v = {NULL, NULL, 0, {0}};
    char **res = NULL;
    size_t nres = 0;
    acc_status st = ACC_OK;
    *out = NULL;
    *n = 0;
    if (!(v.stem = acc_stem_new(lang)))
        return ACC_OK;
    acc_buf_init(&v.key, 0);
    z.ztag_len = (size_t)snprintf(ztag, sizeof ztag, "%s%s:", ACC_PFX_STEM, lang);
    acc_xap_query_terms(q, 0, on_zterm, &z);
    for (size_t t = 0; t < z.n && st == ACC_OK; t++) {
        const acc_top_term *top = NULL;
        size_t ntop = 0;
        st = variants_of(x, &v, z.v[t], z.ztag_len, &top, &ntop, err);
        for (size_t i = 0; st == ACC_OK && i < ntop; i++) {
            if (nres < ACC_HIGHLIGHT_MAX_VARIANTS && !has_word(qwords, nq, top[i].term) &&
                !has_word(res, nres, top[i].term)) {
                res = acc_xrealloc(res, (nres + 1) * sizeof *res);
                res[nres++] = acc_xstrdup(top[i].term);
            }
        }
    }
    acc_qtext_words_free(z.v, z.n);
    acc_buf_release(&v.key);
    acc_xap_stem_free(v.stem);
    *out = res;
    *n = nres;
    return st;
}
