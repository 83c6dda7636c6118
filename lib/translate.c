/* lib/translate.c: query translation (lib/translate.h). */
#include "translate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/schema.h"
#include "accord/text.h"
#include "lexicon.h"
#include "lextable.h"
#include "qbits.h"
#include "stem.h"
#include "stopwords.h"

/* at most this many words of a query are translated */
#define MAX_WORDS 32

typedef struct segment segment;
struct segment {
    size_t first, count; /* words[first .. first + count) */
    int stop;            /* a function word of the source language */
    char *value;         /* the table's lines for it, or NULL */
    double idf;          /* its weight among the source language's documents */
    segment *words;      /* a phrase's words, each a segment of its own */
};

struct acc_xlat {
    acc_index *x;
    char src[ACC_LANG_MAX];
    char *text;   /* the folded query without its filters, words point into it */
    char *folded; /* the folded query */
    char *fields; /* its filters */
    size_t nfolded;
    const char *w[MAX_WORDS];
    size_t wn[MAX_WORDS];
    size_t nwords;
    segment seg[MAX_WORDS];
    size_t nseg;
    int all_stop;
    unsigned long docs; /* documents of the index */
};

/*
 * BM25's idf as Xapian 1.4 computes it for n documents of N: log of
 * (N - n + 0.5) / (n + 0.5), a ratio under 2 pulled towards 1 (never
 * negative).
 */
static double idf(double N, double n)
{
    double r = (N - n + 0.5) / (n + 0.5);
    if (r < 2)
        r = r * 0.5 + 1;
    return log(r);
}

/* ------------------------------------------------------------- words */

typedef struct wctx {
    const char **w;
    size_t *n;
    size_t count, max;
    int cjk;
} wctx;

static int on_word(void *ctx, const char *w, size_t n, int cjk)
{
    wctx *c = ctx;
    c->cjk |= cjk;
    if (c->count >= c->max)
        return 1;
    c->w[c->count] = w;
    c->n[c->count++] = n;
    return 0;
}

/*
 * A copy of folded query f[0..n) with the filters typed in it (lang:fr,
 * year:2015..2020: tokens with a colon) blanked: they are no words to read
 * or translate.
 */
static char *without_fields(const char *f, size_t n)
{
    char *c = acc_xstrndup(f, n);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && c[j] != ' ' && c[j] != '\t')
            j++;
        if (memchr(c + i, ':', j - i))
            memset(c + i, ' ', j - i);
        i = j + 1;
    }
    return c;
}

/* ------------------------------------------------------ the language */

/* 1 for the languages of the index written in another script than Latin. */
static int is_other_script(const char *lang)
{
    static const char *const v[] = {"ar", "ru", "zh", "el", "uk", "bg", "fa", "he",
                                    "ja", "ko", "hi", "sr", "mk", "th", "ka", "hy"};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (strcmp(v[i], lang) == 0)
            return 1;
    return 0;
}

/* The script of f, as a language of its own ("" for Latin and others). */
static const char *script_lang(const char *f, size_t n)
{
    size_t han = 0, arabic = 0, cyrillic = 0, letters = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)f[i];
        uint32_t cp;
        size_t len;
        if (c < 0x80) {
            cp = c;
            len = 1;
        } else if ((c & 0xe0) == 0xc0 && i + 1 < n) {
            cp = ((uint32_t)(c & 0x1f) << 6) | ((unsigned char)f[i + 1] & 0x3f);
            len = 2;
        } else if ((c & 0xf0) == 0xe0 && i + 2 < n) {
            cp = ((uint32_t)(c & 0x0f) << 12) | (((unsigned char)f[i + 1] & 0x3fu) << 6) |
                 ((unsigned char)f[i + 2] & 0x3f);
            len = 3;
        } else {
            cp = 0x10000;
            len = (c & 0xf8) == 0xf0 ? 4 : 1;
        }
        i += len;
        if ((cp >= 'a' && cp <= 'z') || cp >= 0xc0)
            letters++;
        if ((cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf))
            han++;
        else if (cp >= 0x0600 && cp <= 0x06ff)
            arabic++;
        else if (cp >= 0x0400 && cp <= 0x04ff)
            cyrillic++;
    }
    if (!letters)
        return "";
    if (2 * han >= letters)
        return "zh";
    if (2 * arabic >= letters)
        return "ar";
    if (2 * cyrillic >= letters)
        return "ru";
    return "";
}

acc_status acc_query_lang_guess(acc_index *x, const char *f, size_t n, char out[ACC_LANG_MAX],
                                acc_error *err)
{
    const char(*langs)[ACC_LANG_MAX];
    size_t nlangs;
    const char *w[MAX_WORDS];
    size_t wn[MAX_WORDS];
    wctx c = {w, wn, 0, MAX_WORDS, 0};
    acc_status st;
    out[0] = '\0';
    const char *script = script_lang(f, n);
    if (*script) {
        snprintf(out, ACC_LANG_MAX, "%s", script);
        return ACC_OK;
    }
    st = acc_index_langs(x, &langs, &nlangs, err);
    if (st != ACC_OK)
        return st;
    char *words = without_fields(f, n);
    acc_text_words(words, n, on_word, &c);
    unsigned long all = 0;
    st = acc_xap_db_doccount(x->db, &all, err);
    double best = -HUGE_VAL;
    acc_buf t;
    acc_buf_init(&t, 0);
    for (size_t l = 0; l < nlangs && st == ACC_OK; l++) {
        const char *lang = langs[l];
        acc_xap_stem *stem = acc_index_stemmer(x, lang);
        unsigned long docs = 0, df;
        size_t found = 0;
        /* a query in Latin letters is in no language written in another
           script, whatever Latin acronyms its documents carry (UNFCCC in
           every Arabic NDC) */
        if (!stem || is_other_script(lang))
            continue;
        acc_buf_reset(&t);
        acc_buf_append(&t, ACC_PFX_LANG, strlen(ACC_PFX_LANG));
        acc_buf_append(&t, lang, strlen(lang));
        st = acc_xap_db_termfreq(x->db, t.p, t.n, &docs, err);
        if (st != ACC_OK || !docs)
            continue;
        /* a language is as likely as its share of the documents: with the
           shares of its documents having each word, a word found in 28
           French documents of 28 does not outweigh 300 English of 386 */
        double score = log((double)docs / (double)(all ? all : 1));
        for (size_t i = 0; i < c.count && st == ACC_OK; i++) {
            if (acc_text_is_operator(w[i], wn[i]))
                continue;
            if (acc_stopword(lang, w[i], wn[i])) {
                found++;
                continue; /* as if every document had it */
            }
            acc_buf_reset(&t);
            acc_buf_append(&t, ACC_PFX_STEM, strlen(ACC_PFX_STEM));
            acc_xap_stem_word(stem, w[i], wn[i], &t);
            st = acc_xap_db_termfreq(x->db, t.p, t.n, &df, err);
            if (df)
                found++;
            /* the share of the language's documents with the word, floored */
            score += log(((double)df + 0.05) / ((double)docs + 1.0));
        }
        if (!found)
            continue;
        if (score > best) {
            best = score;
            snprintf(out, ACC_LANG_MAX, "%s", lang);
        }
    }
    /* words no document has: the language whose translation table knows most of them */
    size_t most = 0;
    const int fallback = !out[0];
    for (size_t l = 0; fallback && l < nlangs && st == ACC_OK; l++) {
        acc_xap_stem *stem = acc_index_stemmer(x, langs[l]);
        size_t known = 0;
        for (size_t i = 0; i < c.count && st == ACC_OK; i++) {
            acc_buf_reset(&t);
            acc_lex_key_prefix(langs[l], &t);
            acc_lex_word_key(stem, w[i], wn[i], &t);
            unsigned long present = 0;
            acc_buf v;
            acc_buf_init(&v, 0);
            st = acc_lex_get(x, t.p, t.n, &v, err);
            present = v.n > 0;
            acc_buf_release(&v);
            known += present;
        }
        if (known > most) {
            most = known;
            snprintf(out, ACC_LANG_MAX, "%s", langs[l]);
        }
    }
    acc_buf_release(&t);
    free(words);
    return st;
}

/* --------------------------------------------------------- segmenting */

/* The table's value for words [first, first + count) in src, or NULL. */
static acc_status lookup(acc_xlat *t, acc_xap_stem *stem, size_t first, size_t count, char **out,
                         acc_error *err)
{
    acc_buf key, v;
    acc_buf_init(&key, 0);
    acc_buf_init(&v, 0);
    acc_lex_key_prefix(t->src, &key);
    for (size_t i = first; i < first + count; i++) {
        if (i > first)
            acc_buf_putc(&key, ' ');
        acc_lex_word_key(stem, t->w[i], t->wn[i], &key);
    }
    acc_status st = ACC_OK;
    *out = NULL;
    if (key.n <= ACC_LEX_MAX_KEY) {
        st = acc_lex_get(t->x, key.p, key.n, &v, err);
        if (st == ACC_OK && v.n)
            *out = acc_xstrndup(v.p, v.n);
    }
    acc_buf_release(&key);
    acc_buf_release(&v);
    return st;
}

/*
 * A segment's weight in the source language: the idf of its rarest word
 * among the source language's documents (a word none has weighs most).
 */
/*
 * How many documents have the concept of value v in other languages than
 * src: per language, its most frequent translation (the table's counts).
 */
static unsigned long elsewhere(const char *v, const char *src)
{
    char lang[ACC_LANG_MAX] = "";
    unsigned long sum = 0, best = 0;
    for (const char *p = v; p && *p;) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *tab = memchr(p, '\t', len);
        const char *last = NULL;
        for (const char *q = p; q < p + len; q++)
            if (*q == '\t')
                last = q;
        if (tab && (size_t)(tab - p) < sizeof lang && last) {
            if (strlen(lang) != (size_t)(tab - p) || memcmp(lang, p, (size_t)(tab - p)) != 0) {
                sum += best;
                best = 0;
                memcpy(lang, p, (size_t)(tab - p));
                lang[tab - p] = '\0';
            }
            unsigned long df = strtoul(last + 1, NULL, 10);
            if (strcmp(lang, src) != 0 && df > best)
                best = df;
        }
        p = end ? end + 1 : NULL;
    }
    return sum + best;
}

/*
 * A segment's weight, the same whatever language carries it: the idf of
 * its concept over the whole index, that is of the documents having it in
 * the source language (its rarest word) or a translation in another
 * language. A common word of a small language is no rare word.
 */
static acc_status segment_idf(acc_xlat *t, segment *s, acc_xap_stem *stem, acc_buf *term,
                              acc_error *err)
{
    acc_status st = ACC_OK;
    unsigned long least = 0;
    for (size_t k = s->first; k < s->first + s->count && st == ACC_OK; k++) {
        unsigned long df = 0;
        acc_buf_reset(term);
        acc_buf_append(term, ACC_PFX_STEM, strlen(ACC_PFX_STEM));
        if (stem)
            acc_xap_stem_word(stem, t->w[k], t->wn[k], term);
        else
            acc_buf_append(term, t->w[k], t->wn[k]);
        st = acc_xap_db_termfreq(t->x->db, term->p, term->n, &df, err);
        if (k == s->first || df < least)
            least = df;
    }
    unsigned long concept = least + (s->value ? elsewhere(s->value, t->src) : 0);
    if (concept > t->docs)
    concept = t->docs;
    s->idf = idf((double)t->docs, (double)concept);
    return st;
}

/* Every segment's weight, and each phrase's words looked up on their own. */
static acc_status source_weights(acc_xlat *t, acc_xap_stem *stem, acc_error *err)
{
    acc_buf term;
    acc_status st = acc_xap_db_doccount(t->x->db, &t->docs, err);
    acc_buf_init(&term, 0);
    for (size_t i = 0; i < t->nseg && st == ACC_OK; i++) {
        segment *s = &t->seg[i];
        st = segment_idf(t, s, stem, &term, err);
        if (s->count < 2)
            continue;
        s->words = acc_xcalloc(s->count, sizeof *s->words);
        for (size_t k = 0; k < s->count && st == ACC_OK; k++) {
            segment *w = &s->words[k];
            w->first = s->first + k;
            w->count = 1;
            w->stop = acc_stopword(t->src, t->w[w->first], t->wn[w->first]);
            st = lookup(t, stem, w->first, 1, &w->value, err);
            if (st == ACC_OK)
                st = segment_idf(t, w, stem, &term, err);
        }
    }
    acc_buf_release(&term);
    return st;
}

acc_status acc_xlat_new(acc_index *x, const char *src, const char *f, size_t n, acc_xlat **out,
                        acc_error *err)
{
    acc_xlat *t = acc_xcalloc(1, sizeof *t);
    acc_status st = ACC_OK;
    t->x = x;
    snprintf(t->src, sizeof t->src, "%s", src);
    t->text = without_fields(f, n);
    t->folded = acc_xstrndup(f, n);
    t->nfolded = n;
    acc_buf fields;
    acc_buf_init(&fields, 0);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && f[j] != ' ' && f[j] != '\t')
            j++;
        if (memchr(f + i, ':', j - i)) {
            if (fields.n)
                acc_buf_putc(&fields, ' ');
            acc_buf_append(&fields, f + i, j - i);
        }
        i = j + 1;
    }
    acc_buf_putc(&fields, '\0');
    t->fields = acc_buf_detach(&fields, NULL);
    wctx c = {t->w, t->wn, 0, MAX_WORDS, 0};
    acc_text_words(t->text, n, on_word, &c);
    t->nwords = c.count;
    acc_xap_stem *stem = acc_index_stemmer(x, src);
    t->all_stop = 1;
    for (size_t i = 0; i < t->nwords && st == ACC_OK;) {
        segment *s = &t->seg[t->nseg];
        memset(s, 0, sizeof *s);
        /* the longest phrase the table knows, starting at word i */
        size_t longest = ACC_LEX_MAX_WORDS < t->nwords - i ? ACC_LEX_MAX_WORDS : t->nwords - i;
        for (size_t k = longest; k >= 1 && st == ACC_OK; k--) {
            if (k > 1 && (acc_stopword(src, t->w[i], t->wn[i]) ||
                          acc_stopword(src, t->w[i + k - 1], t->wn[i + k - 1])))
                continue; /* a phrase neither starts nor ends with a function word */
            st = lookup(t, stem, i, k, &s->value, err);
            if (s->value || k == 1) {
                s->first = i;
                s->count = k;
                break;
            }
        }
        s->stop = s->count == 1 && acc_stopword(src, t->w[i], t->wn[i]);
        t->all_stop &= s->stop;
        i += s->count ? s->count : 1;
        t->nseg++;
    }
    if (st == ACC_OK)
        st = source_weights(t, stem, err);
    if (st != ACC_OK) {
        acc_xlat_free(t);
        t = NULL;
    }
    *out = t;
    return st;
}

void acc_xlat_free(acc_xlat *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nseg; i++) {
        segment *s = &t->seg[i];
        for (size_t k = 0; s->words && k < s->count; k++)
            free(s->words[k].value);
        free(s->words);
        free(s->value);
    }
    free(t->text);
    free(t->folded);
    free(t->fields);
    free(t);
}

const char *acc_xlat_source(const acc_xlat *t)
{
    return t->src;
}

const char *acc_xlat_fields(const acc_xlat *t)
{
    return t->fields;
}

void acc_xlat_content(const acc_xlat *t, acc_buf *out)
{
    /* token by token, so that filters and hyphenated words stay as typed */
    const char *f = t->folded;
    size_t n = t->nfolded;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && f[j] != ' ' && f[j] != '\t')
            j++;
        int stop = !t->all_stop && j > i && acc_stopword(t->src, f + i, j - i);
        if (j > i && !stop) {
            if (out->n)
                acc_buf_putc(out, ' ');
            acc_buf_append(out, f + i, j - i);
        }
        i = j + 1;
    }
}

/* ------------------------------------------------------------ queries */

/* The query of a line's terms: one term, or the phrase of several words. */
static acc_xap_query *terms_query(const char *p, size_t n)
{
    acc_xap_query *v[ACC_LEX_MAX_WORDS] = {NULL};
    size_t k = 0;
    for (size_t i = 0; i < n && k < ACC_LEX_MAX_WORDS;) {
        size_t j = i;
        while (j < n && p[j] != ' ')
            j++;
        if (j > i)
            v[k++] = acc_xap_query_term(p + i, j - i);
        i = j + 1;
    }
    if (k == 0)
        return acc_xap_query_none();
    if (k == 1)
        return v[0];
    acc_xap_query *q = acc_xap_query_window(ACC_XAP_PHRASE, v, k, (unsigned)k);
    for (size_t i = 0; i < k; i++)
        acc_xap_query_free(v[i]);
    return q;
}

/* Calls fn for every line of value v in language lang: display, terms and their frequency. */
typedef void (*line_fn)(void *ctx, const char *display, size_t dn, const char *terms, size_t tn,
                        unsigned long df);
static size_t each_line(const char *v, const char *lang, line_fn fn, void *ctx)
{
    size_t found = 0, ln = strlen(lang);
    for (const char *p = v; p && *p;) {
        const char *end = strchr(p, '\n');
        const char *t1 = memchr(p, '\t', end ? (size_t)(end - p) : strlen(p));
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (t1 && (size_t)(t1 - p) == ln && memcmp(p, lang, ln) == 0) {
            const char *d = t1 + 1;
            const char *t2 = memchr(d, '\t', len - (size_t)(d - p));
            const char *t3 = t2 ? memchr(t2 + 1, '\t', len - (size_t)(t2 + 1 - p)) : NULL;
            if (t3) {
                /* the terms in their short forms (lib/lexicon.h): "=" the display's words,
                   "+stem" the stem term of lang */
                const char *terms = t2 + 1;
                size_t tn = (size_t)(t3 - t2 - 1);
                char full[ACC_LEX_SHORT_TERMS + 1];
                if (tn == 1 && terms[0] == '=') {
                    terms = d;
                    tn = (size_t)(t2 - d);
                } else if (tn > 1 && terms[0] == '+' && tn - 1 + ln + 2 <= ACC_LEX_SHORT_TERMS) {
                    int k = snprintf(full, sizeof full, "%s%s:%.*s", ACC_PFX_STEM, lang,
                                     (int)(tn - 1), terms + 1);
                    terms = full;
                    tn = (size_t)k;
                }
                fn(ctx, d, (size_t)(t2 - d), terms, tn, strtoul(t3 + 1, NULL, 10));
                found++;
            }
        }
        p = end ? end + 1 : NULL;
    }
    return found;
}

static void on_nothing(void *ctx, const char *d, size_t dn, const char *terms, size_t tn,
                       unsigned long df)
{
    (void)ctx, (void)d, (void)dn, (void)terms, (void)tn, (void)df;
}

static int has_lines(const segment *s, const char *lang)
{
    return s->value && each_line(s->value, lang, on_nothing, NULL) > 0;
}

typedef struct group_ctx {
    acc_qlist members;
    unsigned long df; /* documents having the most frequent member */
    acc_buf seen;     /* the members' terms, each followed by '\n' */
} group_ctx;

static void on_member(void *ctx, const char *d, size_t dn, const char *terms, size_t tn,
                      unsigned long df)
{
    group_ctx *g = ctx;
    (void)d;
    (void)dn;
    if (df > g->df)
        g->df = df;
    /* a translation that stems as the word itself (fr climat -> climat) is the same member:
       twice in the group it would count each occurrence twice */
    for (size_t i = 0; i + tn < g->seen.n;) {
        const char *nl = memchr(g->seen.p + i, '\n', g->seen.n - i);
        if ((size_t)(nl - (g->seen.p + i)) == tn && memcmp(g->seen.p + i, terms, tn) == 0)
            return;
        i = (size_t)(nl - g->seen.p) + 1;
    }
    acc_buf_append(&g->seen, terms, tn);
    acc_buf_putc(&g->seen, '\n');
    acc_qlist_add(&g->members, terms_query(terms, tn));
}

/*
 * The OP_SYNONYM group of segment s in language lang: the words themselves
 * as lang's documents have them, and their translations; weighted as the
 * words weigh in the query's language. NULL when nothing of it can match
 * (no translation, and no document of lang has the words). *translated is
 * raised when the table had translations.
 */
static acc_xap_query *group_of(acc_xlat *t, const segment *s, const char *lang, acc_xap_stem *stem,
                               size_t *translated, acc_buf *term)
{
    group_ctx g = {{NULL, 0}, 0, {0}};
    unsigned long df = 0;
    acc_buf_init(&g.seen, 0);
    acc_buf_reset(term);
    if (s->count == 1) {
        if (stem) {
            acc_buf_append(term, ACC_PFX_STEM, strlen(ACC_PFX_STEM));
            acc_xap_stem_word(stem, t->w[s->first], t->wn[s->first], term);
        } else {
            acc_buf_append(term, t->w[s->first], t->wn[s->first]);
        }
        if (acc_xap_db_termfreq(t->x->db, term->p, term->n, &df, NULL) != ACC_OK)
            df = 0;
    } else {
        for (size_t k = s->first; k < s->first + s->count; k++) {
            if (k > s->first)
                acc_buf_putc(term, ' ');
            acc_buf_append(term, t->w[k], t->wn[k]);
        }
    }
    on_member(&g, NULL, 0, term->p, term->n, df);
    int has = s->value && each_line(s->value, lang, on_member, &g);
    acc_buf_release(&g.seen);
    *translated += (size_t)has;
    /* a word we cannot carry over, and that no document of the language
       has, is not asked of its documents */
    if (!has && !g.df) {
        acc_xap_query_free(acc_qlist_join(&g.members, ACC_XAP_SYNONYM));
        return NULL;
    }
    acc_xap_query *q = g.members.n == 1 ? acc_xap_query_copy(g.members.v[0]) : NULL;
    if (q)
        acc_xap_query_free(acc_qlist_join(&g.members, ACC_XAP_SYNONYM));
    else
        q = acc_qlist_join(&g.members, ACC_XAP_SYNONYM);
    /* the group weighs what its word weighs in the query's language, not
       what its rarity among all documents would make it (a common word of a
       small language is rare in the whole index) */
    double here = idf((double)t->docs, (double)g.df);
    if (here > 0 && s->idf > 0)
        q = acc_q_scaled(q, s->idf / here);
    return q;
}

/* 1 when the table gives s a translation into lang. */
static int has_lines(const segment *s, const char *lang);

acc_xap_query *acc_xlat_query(acc_xlat *t, const char *lang, acc_xap_op op)
{
    acc_xap_stem *stem = acc_index_stemmer(t->x, lang);
    acc_qlist gs = {NULL, 0};
    size_t translated = 0, wanted = 0;
    acc_buf term;
    acc_buf_init(&term, 0);
    for (size_t i = 0; i < t->nseg; i++) {
        const segment *s = &t->seg[i];
        if (s->stop && !t->all_stop)
            continue;
        if (s->count > 1 && !has_lines(s, lang)) {
            /* a phrase the table knows, but not in this language: its words */
            for (size_t k = 0; k < s->count; k++)
                if (!s->words[k].stop) {
                    wanted++;
                    acc_qlist_add(&gs, group_of(t, &s->words[k], lang, stem, &translated, &term));
                }
            continue;
        }
        wanted++;
        acc_qlist_add(&gs, group_of(t, s, lang, stem, &translated, &term));
    }
    acc_buf_release(&term);
    /* all the words are asked only of documents that can have them all: a
       word that could not be carried over makes the AND no AND; another
       language than the query's: its groups even without any translation
       (the words themselves, weighed as in the query's language, not by
       their rarity among that language's documents: UNFCCC in every Arabic
       NDC); the query's own language: only with synonyms */
    int other = strcmp(lang, t->src) != 0;
    int keep = (translated || (other && gs.n)) && (op != ACC_XAP_AND || gs.n == wanted);
    acc_xap_query *r = acc_qlist_join(&gs, op);
    if (!keep) {
        acc_xap_query_free(r);
        r = NULL;
    }
    return r;
}

/* ------------------------------------------------------------- report */

typedef struct report_ctx {
    acc_translation *tr;
} report_ctx;

static void on_display(void *ctx, const char *d, size_t dn, const char *terms, size_t tn,
                       unsigned long df)
{
    acc_translation *tr = ctx;
    (void)terms;
    (void)tn;
    (void)df;
    for (size_t i = 0; i < tr->n; i++)
        if (strlen(tr->words[i]) == dn && memcmp(tr->words[i], d, dn) == 0)
            return;
    tr->words = acc_xrealloc(tr->words, (tr->n + 1) * sizeof *tr->words);
    tr->words[tr->n++] = acc_xstrndup(d, dn);
}

void acc_xlat_report(const acc_xlat *t, const char *lang, acc_results *r)
{
    acc_translation tr;
    memset(&tr, 0, sizeof tr);
    snprintf(tr.lang, sizeof tr.lang, "%s", lang);
    for (size_t i = 0; i < t->nseg; i++) {
        const segment *s = &t->seg[i];
        if (s->stop && !t->all_stop)
            continue;
        if (s->count > 1 && !has_lines(s, lang)) {
            for (size_t k = 0; k < s->count; k++)
                if (s->words[k].value)
                    each_line(s->words[k].value, lang, on_display, &tr);
        } else if (s->value) {
            each_line(s->value, lang, on_display, &tr);
        }
    }
    if (!tr.n)
        return;
    r->translations = acc_xrealloc(r->translations, (r->ntranslations + 1) * sizeof tr);
    r->translations[r->ntranslations++] = tr;
}
