/*
 * lib/lexbuild.c: builds the translation table of an index
 * (include/accord/lexicon.h; the format is in lib/lexicon.h).
 *
 * Every source offers candidates (source language and text, target language
 * and text, kind). A candidate is kept only when its words' stems occur in
 * the index's documents of the target language: a dictionary of 464,000
 * English headwords shrinks to what this collection can match, and senses
 * foreign to it (the geologist's "Gesteinsgang" for "dike") mostly vanish.
 * Per source and target language the candidates are ranked thesaurus first
 * (a controlled vocabulary of the domain), then the dictionaries read
 * forwards, then backwards (an nld-eng headword is an English word's Dutch
 * translation), each by how many documents of the target language have
 * them (the target language's own statistics); the dictionaries' are cut
 * to max_per_word.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>

#include "accord/lang.h"
#include "accord/lexicon.h"
#include "accord/schema.h"
#include "accord/text.h"
#include "dictd.h"
#include "lexicon.h"
#include "skos.h"
#include "stem.h"
#include "strmap.h"

/* candidate kinds, best first */
enum { KIND_THESAURUS = 0, KIND_SYNONYM = 1, KIND_DICT = 2, KIND_DICT_BACK = 3, KIND_PIVOT = 4 };

/* languages whose dictionaries are large enough to translate through (fr -> de -> en) */
static int is_pivot(const char *lang)
{
    return strcmp(lang, "en") == 0 || strcmp(lang, "de") == 0;
}

#define MAX_LANGS 16
#define DEFAULT_PER_WORD 4
/* at most this many translations of one source per target language */
#define MAX_PER_TARGET 8

typedef struct cand {
    char lang[ACC_LANG_MAX];
    int kind;
    unsigned long df;
    char *display;
    char *terms;
} cand;

typedef struct entry {
    cand *v;
    size_t n;
} entry;

typedef struct lang_state {
    char code[ACC_LANG_MAX];
    int in_index;
    acc_xap_stem *stem;
    int loaded;
    acc_strmap terms; /* "Z<lang>:<stem>" of the index */
    unsigned long *df;
    size_t dfalloc;
    /* stems already made: folded word -> its tagged stem ("nl:waterker"), as
       dictionaries repeat their words hundreds of thousands of times */
    acc_strmap memo, memo_stems;
    size_t *memo_to;
    size_t memo_alloc;
} lang_state;

typedef struct builder {
    acc_xap_db *db;
    lang_state langs[MAX_LANGS];
    size_t nlangs;
    acc_strmap keys;
    entry *entries;
    size_t alloc;
    unsigned long dropped;
    acc_buf a, b, c, d;
    acc_error *err;
    /* src (in s) means mid (in pivot language p), for translating through p */
    struct pivot {
        char s[ACC_LANG_MAX], p[ACC_LANG_MAX];
        char *src, *mid;
    } * pivots;
    size_t npivots, pivots_alloc;
} builder;

/* ------------------------------------------------------------ languages */

static lang_state *lang_get(builder *b, const char *code)
{
    for (size_t i = 0; i < b->nlangs; i++)
        if (strcmp(b->langs[i].code, code) == 0)
            return &b->langs[i];
    return NULL;
}

static lang_state *lang_add(builder *b, const char *code, int in_index)
{
    lang_state *l = lang_get(b, code);
    if (l || b->nlangs >= MAX_LANGS)
        return l;
    l = &b->langs[b->nlangs++];
    memset(l, 0, sizeof *l);
    snprintf(l->code, sizeof l->code, "%s", code);
    l->in_index = in_index;
    l->stem = acc_stem_new(code);
    acc_strmap_init(&l->terms);
    acc_strmap_init(&l->memo);
    acc_strmap_init(&l->memo_stems);
    return l;
}

static int on_lang_term(void *ctx, const char *t, size_t n, unsigned long f)
{
    builder *b = ctx;
    char code[ACC_LANG_MAX];
    size_t pl = strlen(ACC_PFX_LANG);
    (void)f;
    if (n - pl >= sizeof code)
        return 0;
    memcpy(code, t + pl, n - pl);
    code[n - pl] = '\0';
    lang_add(b, code, 1);
    return 0;
}

static int on_stem_term(void *ctx, const char *t, size_t n, unsigned long f)
{
    lang_state *l = ctx;
    size_t i = acc_strmap_put(&l->terms, t, n, NULL);
    if (i >= l->dfalloc) {
        l->dfalloc = l->dfalloc ? 2 * l->dfalloc : 4096;
        l->df = acc_xrealloc(l->df, l->dfalloc * sizeof *l->df);
    }
    l->df[i] = f;
    return 0;
}

/* The index's stems of language l, read on first use. */
static acc_status lang_load(builder *b, lang_state *l)
{
    if (l->loaded || !l->in_index)
        return ACC_OK;
    l->loaded = 1;
    acc_buf_reset(&b->a);
    acc_buf_append(&b->a, ACC_PFX_STEM, strlen(ACC_PFX_STEM));
    acc_buf_append(&b->a, l->code, strlen(l->code));
    acc_buf_putc(&b->a, ':');
    return acc_xap_db_terms(b->db, b->a.p, b->a.n, 0, NULL, on_stem_term, l, b->err);
}

/* The tagged stem of folded word w[0..n) in l ("nl:waterker"; unstemmed: "zh:w"), *len its length.
 */
static const char *stem_of(lang_state *l, const char *w, size_t n, acc_buf *scratch, size_t *len)
{
    int added = 0;
    size_t i = acc_strmap_put(&l->memo, w, n, &added);
    if (added) {
        acc_buf_reset(scratch);
        if (l->stem) {
            acc_xap_stem_word(l->stem, w, n, scratch);
        } else {
            acc_buf_append(scratch, l->code, strlen(l->code));
            acc_buf_putc(scratch, ':');
            acc_buf_append(scratch, w, n);
        }
        if (i >= l->memo_alloc) {
            l->memo_alloc = l->memo_alloc ? 2 * l->memo_alloc : 4096;
            l->memo_to = acc_xrealloc(l->memo_to, l->memo_alloc * sizeof *l->memo_to);
        }
        l->memo_to[i] =
            acc_strmap_put(&l->memo_stems, scratch->p ? scratch->p : "", scratch->n, NULL);
    }
    return acc_strmap_key(&l->memo_stems, l->memo_to[i], len);
}

/* Documents of l having the term of folded word w[0..n) (0 when none); the term into term. */
static unsigned long stem_df(builder *b, lang_state *l, const char *w, size_t n, acc_buf *term)
{
    size_t len;
    const char *st = stem_of(l, w, n, &b->d, &len);
    acc_buf_reset(term);
    acc_buf_append(term, ACC_PFX_STEM, strlen(ACC_PFX_STEM));
    acc_buf_append(term, st, len);
    size_t i = acc_strmap_get(&l->terms, term->p, term->n);
    return i == ACC_STRMAP_NONE ? 0 : l->df[i];
}

/* Appends the key form of folded word w[0..n) in l (acc_lex_word_key, memoised). */
static void word_key(builder *b, lang_state *l, const char *w, size_t n, acc_buf *out)
{
    if (!l->stem) {
        acc_buf_append(out, w, n);
        return;
    }
    size_t len;
    const char *st = stem_of(l, w, n, &b->d, &len);
    const char *colon = memchr(st, ':', len);
    size_t skip = colon ? (size_t)(colon + 1 - st) : 0;
    acc_buf_append(out, st + skip, len - skip);
}

/* -------------------------------------------------------------- words */

typedef struct words {
    const char *w[ACC_LEX_MAX_WORDS + 1];
    size_t n[ACC_LEX_MAX_WORDS + 1];
    size_t count;
    int cjk;
} words;

static int on_word(void *ctx, const char *w, size_t n, int cjk)
{
    words *ws = ctx;
    if (ws->count > ACC_LEX_MAX_WORDS)
        return 1;
    ws->cjk |= cjk;
    ws->w[ws->count] = w;
    ws->n[ws->count++] = n;
    return 0;
}

/* The words of folded text f (more than ACC_LEX_MAX_WORDS: count says so). */
static void split(const acc_buf *f, words *ws)
{
    memset(ws, 0, sizeof *ws);
    if (f->n)
        acc_text_words(f->p, f->n, on_word, ws);
}

/* --------------------------------------------------------------- adding */

static void entry_add(entry *e, const cand *c)
{
    for (size_t i = 0; i < e->n; i++) {
        cand *o = &e->v[i];
        if (strcmp(o->lang, c->lang) == 0 && strcmp(o->terms, c->terms) == 0) {
            /* the same translation from two sources: the better kind wins */
            if (c->kind < o->kind)
                o->kind = c->kind;
            free(c->display);
            free(c->terms);
            return;
        }
    }
    e->v = acc_xrealloc(e->v, (e->n + 1) * sizeof *e->v);
    e->v[e->n++] = *c;
}

/*
 * Offers "src (in language s) means dst (in language t)". Returns 1 when
 * kept, 0 when dropped.
 */
static int offer(builder *b, const char *s, const char *src, size_t srclen, const char *t,
                 const char *dst, size_t dstlen, int kind)
{
    lang_state *ls = lang_get(b, s), *lt = lang_get(b, t);
    words sw, tw;
    acc_buf key, term;
    if (!ls || !lt || !lt->in_index)
        return 0;
    acc_buf_reset(&b->a);
    acc_buf_reset(&b->b);
    if (acc_text_norm_fold(dst, dstlen, &b->b, NULL) != ACC_OK)
        return 0;
    split(&b->b, &tw);
    /* the target first: most candidates have a word no document has, and
       need no more work (a dictionary is read whole for a small index too) */
    if (!tw.count || tw.count > ACC_LEX_MAX_WORDS || tw.cjk)
        return 0;
    for (size_t i = 0; i < tw.count; i++) {
        acc_buf_reset(&b->c);
        if (!stem_df(b, lt, tw.w[i], tw.n[i], &b->c)) {
            b->dropped++;
            return 0;
        }
    }
    if (acc_text_norm_fold(src, srclen, &b->a, NULL) != ACC_OK)
        return 0;
    split(&b->a, &sw);
    if (!sw.count || sw.count > ACC_LEX_MAX_WORDS || sw.cjk || !tw.count ||
        tw.count > ACC_LEX_MAX_WORDS || tw.cjk)
        return 0;
    acc_buf_init(&key, 0);
    acc_buf_init(&term, 0);
    acc_lex_key_prefix(s, &key);
    for (size_t i = 0; i < sw.count; i++) {
        if (i)
            acc_buf_putc(&key, ' ');
        word_key(b, ls, sw.w[i], sw.n[i], &key);
    }
    cand c = {{0}, kind, 0, NULL, NULL};
    snprintf(c.lang, sizeof c.lang, "%s", t);
    int kept = 0;
    if (key.n > ACC_LEX_MAX_KEY)
        goto out;
    if (tw.count == 1) {
        c.df = stem_df(b, lt, tw.w[0], tw.n[0], &term);
        if (!c.df)
            goto dropped;
        c.terms = acc_xstrndup(term.p, term.n);
    } else {
        /* a phrase: each word must occur in the language's documents */
        unsigned long least = 0;
        acc_buf_reset(&b->c);
        for (size_t i = 0; i < tw.count; i++) {
            unsigned long df = stem_df(b, lt, tw.w[i], tw.n[i], &term);
            if (!df)
                goto dropped;
            if (!i || df < least)
                least = df;
            if (i)
                acc_buf_putc(&b->c, ' ');
            acc_buf_append(&b->c, tw.w[i], tw.n[i]);
        }
        c.df = least;
        c.terms = acc_xstrndup(b->c.p, b->c.n);
    }
    if (strcmp(s, t) == 0 && sw.count == tw.count && sw.count == 1) {
        /* a synonym that stems like the word itself adds nothing */
        acc_buf_reset(&b->c);
        stem_df(b, lt, sw.w[0], sw.n[0], &b->c);
        if (b->c.n == strlen(c.terms) && memcmp(b->c.p, c.terms, b->c.n) == 0) {
            free(c.terms);
            goto out;
        }
    }
    acc_buf_reset(&b->c);
    if (acc_text_norm(dst, dstlen, &b->c, NULL) != ACC_OK) {
        free(c.terms);
        goto out;
    }
    c.display = acc_xstrndup(b->c.p, b->c.n);
    {
        int added = 0;
        size_t i = acc_strmap_put(&b->keys, key.p, key.n, &added);
        if (i >= b->alloc) {
            size_t old = b->alloc;
            b->alloc = b->alloc ? 2 * b->alloc : 4096;
            b->entries = acc_xrealloc(b->entries, b->alloc * sizeof *b->entries);
            memset(b->entries + old, 0, (b->alloc - old) * sizeof *b->entries);
        }
        entry_add(&b->entries[i], &c);
    }
    kept = 1;
    goto out;
dropped:
    b->dropped++;
out:
    acc_buf_release(&key);
    acc_buf_release(&term);
    return kept;
}

/* --------------------------------------------------------- dictionaries */

typedef struct dict_ctx {
    builder *b;
    const char *s, *t;
    int forward, backward; /* offer s -> t, and t -> s (the dictionary read backwards) */
    unsigned long kept;
} dict_ctx;

static void pivot_add(builder *b, const char *s, const char *src, const char *p, const char *mid)
{
    if (b->npivots == b->pivots_alloc) {
        b->pivots_alloc = b->pivots_alloc ? 2 * b->pivots_alloc : 1024;
        b->pivots = acc_xrealloc(b->pivots, b->pivots_alloc * sizeof *b->pivots);
    }
    struct pivot *v = &b->pivots[b->npivots++];
    snprintf(v->s, sizeof v->s, "%s", s);
    snprintf(v->p, sizeof v->p, "%s", p);
    v->src = acc_xstrdup(src);
    v->mid = acc_xstrdup(mid);
}

static int on_dict_entry(void *ctx, const acc_dict_entry *e)
{
    dict_ctx *d = ctx;
    size_t hn = strlen(e->head);
    for (size_t i = 0; i < e->n; i++) {
        size_t tn = strlen(e->trans[i]);
        /* a small language's word and its meaning in a pivot language */
        if (d->forward && is_pivot(d->t) && !is_pivot(d->s))
            pivot_add(d->b, d->s, e->head, d->t, e->trans[i]);
        if (d->backward && is_pivot(d->s) && !is_pivot(d->t))
            pivot_add(d->b, d->t, e->trans[i], d->s, e->head);
        if (d->forward)
            d->kept +=
                (unsigned long)offer(d->b, d->s, e->head, hn, d->t, e->trans[i], tn, KIND_DICT);
        if (d->backward)
            d->kept += (unsigned long)offer(d->b, d->t, e->trans[i], tn, d->s, e->head, hn,
                                            KIND_DICT_BACK);
    }
    return 0;
}

/*
 * Translations through a pivot language: where a small language's word
 * means a German word, it also means that word's English translations, and
 * the other way round (the large deu-eng and eng-deu dictionaries reach
 * French, Spanish and Italian words so: torchage -> Abfackeln -> flaring).
 * Only where the direct dictionaries have no translation into that
 * language; ranked after them; no pivot of a pivot.
 */
static unsigned long read_pivots(builder *b)
{
    unsigned long kept = 0;
    acc_buf key;
    acc_buf_init(&key, 0);
    for (size_t i = 0; i < b->npivots; i++) {
        struct pivot *v = &b->pivots[i];
        lang_state *lp = lang_get(b, v->p);
        words mw;
        acc_buf_reset(&b->a);
        if (!lp || acc_text_norm_fold(v->mid, strlen(v->mid), &b->a, NULL) != ACC_OK)
            continue;
        split(&b->a, &mw);
        if (!mw.count || mw.count > ACC_LEX_MAX_WORDS || mw.cjk)
            continue;
        acc_buf_reset(&key);
        acc_lex_key_prefix(v->p, &key);
        for (size_t k = 0; k < mw.count; k++) {
            if (k)
                acc_buf_putc(&key, ' ');
            word_key(b, lp, mw.w[k], mw.n[k], &key);
        }
        size_t at = acc_strmap_get(&b->keys, key.p, key.n);
        if (at == ACC_STRMAP_NONE)
            continue;
        /* the languages the word already has a translation into: pivots
           only fill the gaps of the direct dictionaries */
        lang_state *ls = lang_get(b, v->s);
        words sw;
        acc_buf_reset(&b->b);
        if (!ls || acc_text_norm_fold(v->src, strlen(v->src), &b->b, NULL) != ACC_OK)
            continue;
        split(&b->b, &sw);
        if (!sw.count || sw.count > ACC_LEX_MAX_WORDS || sw.cjk)
            continue;
        acc_buf_reset(&b->c);
        acc_lex_key_prefix(v->s, &b->c);
        for (size_t k = 0; k < sw.count; k++) {
            if (k)
                acc_buf_putc(&b->c, ' ');
            word_key(b, ls, sw.w[k], sw.n[k], &b->c);
        }
        size_t have = acc_strmap_get(&b->keys, b->c.p, b->c.n);
        /* copied first: offering may move the entries */
        size_t n = b->entries[at].n;
        cand *c = acc_xmalloc((n ? n : 1) * sizeof *c);
        size_t m = 0;
        for (size_t k = 0; k < n; k++) {
            const cand *o = &b->entries[at].v[k];
            /* into the other pivot language only: where most documents are */
            if (o->kind >= KIND_PIVOT || strcmp(o->lang, v->s) == 0 || !is_pivot(o->lang))
                continue;
            int direct = 0;
            for (size_t j = 0; have != ACC_STRMAP_NONE && j < b->entries[have].n; j++)
                direct |= b->entries[have].v[j].kind < KIND_PIVOT &&
                          strcmp(b->entries[have].v[j].lang, o->lang) == 0;
            if (direct)
                continue;
            c[m] = *o;
            c[m++].display = acc_xstrdup(o->display);
        }
        for (size_t k = 0; k < m; k++) {
            kept += (unsigned long)offer(b, v->s, v->src, strlen(v->src), c[k].lang, c[k].display,
                                         strlen(c[k].display), KIND_PIVOT);
            free(c[k].display);
        }
        free(c);
    }
    acc_buf_release(&key);
    return kept;
}

/* Appends what[0..] to the report's list of sources. */
static void note(char *sources, size_t cap, const char *what)
{
    size_t at = strlen(sources);
    if (at + strlen(what) + 3 < cap)
        snprintf(sources + at, cap - at, "%s%s", at ? ", " : "", what);
}

/* Bytes of dir/freedict-SRC-DST.index, 0 when absent. */
static long long file_size(const char *dir, const char *s3, const char *t3)
{
    char path[4096];
    struct stat sb;
    snprintf(path, sizeof path, "%s/freedict-%s-%s.index", dir, s3, t3);
    return stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
}

/* Every installed dictionary between two languages of the index (and English). */
static acc_status read_dicts(builder *b, const char *dir, acc_lexicon_report *rep)
{
    size_t n = b->nlangs;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            lang_state *s = &b->langs[i], *t = &b->langs[j];
            const char *s3 = acc_lang_iso3(s->code), *t3 = acc_lang_iso3(t->code);
            if (i == j || !s3 || !t3 || (!t->in_index && !s->in_index))
                continue;
            acc_status st = lang_load(b, t);
            if (st == ACC_OK)
                st = lang_load(b, s);
            if (st != ACC_OK)
                return st;
            /* a dictionary serves both ways (its headwords are translations
               too), backwards only where the other direction's dictionary is
               less than half its size: FreeDict's eng-deu and deu-eng hold much
               the same pairs, nld-eng three times eng-nld's */
            int backward = s->in_index && 2 * file_size(dir, t3, s3) < file_size(dir, s3, t3);
            dict_ctx d = {b, s->code, t->code, t->in_index, backward, 0};
            if (!d.forward && !d.backward)
                continue;
            acc_error e;
            st = acc_dictd_read_pair(dir, s3, t3, on_dict_entry, &d, &e);
            if (st == ACC_ENOTFOUND)
                continue;
            if (st != ACC_OK) {
                *b->err = e;
                return st;
            }
            char what[96];
            snprintf(what, sizeof what, "freedict-%s-%s (%lu kept)", s3, t3, d.kept);
            note(rep->sources, sizeof rep->sources, what);
            rep->pairs++;
        }
    }
    return ACC_OK;
}

/* ------------------------------------------------------------ thesauri */

typedef struct skos_ctx {
    builder *b;
    unsigned long concepts, kept;
} skos_ctx;

static int on_concept(void *ctx, const char *uri, const acc_skos_label *l, size_t n)
{
    skos_ctx *k = ctx;
    (void)uri;
    k->concepts++;
    for (size_t i = 0; i < n; i++) {
        char s[ACC_LANG_MAX];
        if (!acc_lang_parse(l[i].lang, strlen(l[i].lang), s))
            continue;
        for (size_t j = 0; j < n; j++) {
            char t[ACC_LANG_MAX];
            if (i == j || !acc_lang_parse(l[j].lang, strlen(l[j].lang), t))
                continue;
            int same = strcmp(s, t) == 0;
            /* across languages: every label reaches the other language's labels;
               within one: the labels of a concept are synonyms */
            k->kept +=
                (unsigned long)offer(k->b, s, l[i].text, strlen(l[i].text), t, l[j].text,
                                     strlen(l[j].text), same ? KIND_SYNONYM : KIND_THESAURUS);
        }
    }
    return 0;
}

static acc_status read_thesauri(builder *b, const acc_lexicon_opts *o, acc_lexicon_report *rep)
{
    for (size_t i = 0; i < b->nlangs; i++) {
        acc_status st = lang_load(b, &b->langs[i]);
        if (st != ACC_OK)
            return st;
    }
    skos_ctx k = {b, 0, 0};
    acc_status st = acc_skos_read(o->thesauri, o->nthesauri, on_concept, &k, b->err);
    if (st != ACC_OK)
        return st;
    char what[128];
    snprintf(what, sizeof what, "%zu thesaurus file%s, %lu concepts (%lu kept)", o->nthesauri,
             o->nthesauri == 1 ? "" : "s", k.concepts, k.kept);
    note(rep->sources, sizeof rep->sources, what);
    return ACC_OK;
}

/* ------------------------------------------------------------ synonyms */

/*
 * The user's synonym file: "lang: word, other word, ..." a line (lang
 * optional: English); '#' starts a comment. Every member reaches every other.
 */
static acc_status read_synonyms(builder *b, const char *path, acc_lexicon_report *rep)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned long lineno = 0, kept = 0;
    acc_status st = ACC_OK;
    if (!f)
        return acc_error_set(b->err, ACC_EIO, "cannot read synonyms file '%s'", path);
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (!acc_utf8_valid(line, (size_t)len)) {
            st = acc_error_set(b->err, ACC_EINVAL, "%s:%lu: not UTF-8", path, lineno);
            break;
        }
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char lang[ACC_LANG_MAX] = "en";
        char *p = line, *colon = strchr(line, ':');
        if (colon) {
            char *a = line;
            while (*a == ' ' || *a == '\t')
                a++;
            size_t n = (size_t)(colon - a);
            while (n && (a[n - 1] == ' ' || a[n - 1] == '\t'))
                n--;
            if (!acc_lang_parse(a, n, lang)) {
                st = acc_error_set(b->err, ACC_EINVAL, "%s:%lu: '%.*s' is not a language code",
                                   path, lineno, (int)n, a);
                break;
            }
            p = colon + 1;
        }
        char *members[64];
        size_t nm = 0;
        for (char *tok = strtok(p, ",;\n\r"); tok && nm < 64; tok = strtok(NULL, ",;\n\r")) {
            while (*tok == ' ' || *tok == '\t')
                tok++;
            size_t n = strlen(tok);
            while (n && (tok[n - 1] == ' ' || tok[n - 1] == '\t'))
                tok[--n] = '\0';
            if (n)
                members[nm++] = tok;
        }
        if (nm == 1) {
            st = acc_error_set(b->err, ACC_EINVAL, "%s:%lu: a group needs two words or more", path,
                               lineno);
            break;
        }
        lang_state *l = lang_add(b, lang, 0);
        if (l && (st = lang_load(b, l)) != ACC_OK)
            break;
        for (size_t i = 0; i < nm; i++)
            for (size_t j = 0; j < nm; j++)
                if (i != j)
                    kept += (unsigned long)offer(b, lang, members[i], strlen(members[i]), lang,
                                                 members[j], strlen(members[j]), KIND_SYNONYM);
    }
    free(line);
    fclose(f);
    if (st == ACC_OK) {
        char what[128];
        snprintf(what, sizeof what, "synonyms (%lu kept)", kept);
        note(rep->sources, sizeof rep->sources, what);
    }
    return st;
}

/* --------------------------------------------------------------- output */

static int cand_cmp(const void *pa, const void *pb)
{
    const cand *a = pa, *b = pb;
    int c = strcmp(a->lang, b->lang);
    if (c)
        return c;
    if (a->kind != b->kind)
        return a->kind - b->kind;
    if (a->df != b->df)
        return a->df > b->df ? -1 : 1;
    return strcmp(a->terms, b->terms);
}

/* The table as the index holds it: key -> hash of the value, and whether the new table has it. */
typedef struct old_table {
    acc_strmap keys;
    uint64_t *hash;
    unsigned char *kept;
    size_t alloc;
} old_table;

static int on_old_key(void *ctx, const char *k, size_t kn, const char *v, size_t vn)
{
    old_table *o = ctx;
    size_t i = acc_strmap_put(&o->keys, k, kn, NULL);
    if (i >= o->alloc) {
        o->alloc = o->alloc ? 2 * o->alloc : 4096;
        o->hash = acc_xrealloc(o->hash, o->alloc * sizeof *o->hash);
        o->kept = acc_xrealloc(o->kept, o->alloc);
    }
    o->hash[i] = acc_fnv1a(v, vn, 14695981039346656037ULL) ^ (uint64_t)vn;
    o->kept[i] = 0;
    return 0;
}

/* A candidate's terms in their short form when there is one (lib/lexicon.h). */
static void put_terms(acc_buf *v, const cand *c)
{
    char pre[ACC_LANG_MAX + 8];
    size_t tn = strlen(c->terms);
    int pn = snprintf(pre, sizeof pre, "%s%s:", ACC_PFX_STEM, c->lang);
    if (strcmp(c->terms, c->display) == 0) {
        acc_buf_putc(v, '=');
    } else if (pn > 0 && tn > (size_t)pn && tn <= ACC_LEX_SHORT_TERMS &&
               memcmp(c->terms, pre, (size_t)pn) == 0) {
        acc_buf_putc(v, '+');
        acc_buf_append(v, c->terms + pn, tn - (size_t)pn);
    } else {
        acc_buf_append(v, c->terms, tn);
    }
}

/*
 * Writes the table: only the keys whose value changed, and deletes those
 * gone, so that rebuilding after every indexing run rewrites (and grows the
 * index by) what changed, not the whole table.
 */
static acc_status write_table(builder *b, acc_xap_wdb *w, unsigned per_word,
                              acc_lexicon_report *rep)
{
    acc_buf v;
    old_table old;
    memset(&old, 0, sizeof old);
    acc_strmap_init(&old.keys);
    acc_status st =
        acc_xap_wdb_meta_each(w, ACC_LEX_PREFIX, strlen(ACC_LEX_PREFIX), on_old_key, &old, b->err);
    acc_buf_init(&v, 0);
    for (size_t i = 0; i < b->keys.n && st == ACC_OK; i++) {
        entry *e = &b->entries[i];
        size_t klen;
        const char *key = acc_strmap_key(&b->keys, i, &klen);
        qsort(e->v, e->n, sizeof *e->v, cand_cmp);
        acc_buf_reset(&v);
        unsigned long stored = 0;
        for (size_t j = 0, run = 0, dicts = 0; j < e->n; j++) {
            const cand *c = &e->v[j];
            if (j && strcmp(c->lang, e->v[j - 1].lang) != 0)
                run = dicts = 0;
            int dict = c->kind >= KIND_DICT;
            if (run >= MAX_PER_TARGET || (dict && dicts >= per_word))
                continue;
            run++;
            dicts += dict;
            acc_buf_append(&v, c->lang, strlen(c->lang));
            acc_buf_putc(&v, '\t');
            acc_buf_append(&v, c->display, strlen(c->display));
            acc_buf_putc(&v, '\t');
            put_terms(&v, c);
            acc_buf_printf(&v, "\t%lu\n", c->df);
            stored++;
        }
        if (!stored)
            continue;
        size_t at = acc_strmap_get(&old.keys, key, klen);
        uint64_t h = acc_fnv1a(v.p, v.n, 14695981039346656037ULL) ^ (uint64_t)v.n;
        if (at != ACC_STRMAP_NONE)
            old.kept[at] = 1;
        if (at == ACC_STRMAP_NONE || old.hash[at] != h) {
            st = acc_xap_wdb_set_meta_n(w, key, klen, v.p, v.n, b->err);
            rep->written++;
        }
        rep->entries++;
        rep->translations += stored;
        rep->bytes += klen + v.n;
    }
    for (size_t i = 0; i < old.keys.n && st == ACC_OK; i++) {
        size_t klen;
        const char *key = acc_strmap_key(&old.keys, i, &klen);
        /* the description is rewritten by the caller */
        if (!old.kept[i] &&
            !(klen == strlen(ACC_LEX_META_KEY) && memcmp(key, ACC_LEX_META_KEY, klen) == 0)) {
            st = acc_xap_wdb_set_meta_n(w, key, klen, "", 0, b->err);
            rep->written++;
        }
    }
    acc_buf_release(&v);
    acc_strmap_release(&old.keys);
    free(old.hash);
    free(old.kept);
    return st;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

acc_status acc_lexicon_build(acc_writer *wr, const acc_lexicon_opts *o, acc_lexicon_report *rep,
                             acc_error *err)
{
    builder b;
    acc_xap_wdb *w = acc_writer_xap(wr);
    double t0 = now_s();
    acc_status st;
    memset(rep, 0, sizeof *rep);
    memset(&b, 0, sizeof b);
    b.db = acc_writer_reader(wr, err);
    if (!b.db)
        return acc_error_prefix(err, err ? err->code : ACC_EIO, "cannot read the index");
    b.err = err;
    acc_strmap_init(&b.keys);
    acc_buf_init(&b.a, 0);
    acc_buf_init(&b.b, 0);
    acc_buf_init(&b.c, 0);
    acc_buf_init(&b.d, 0);
    st = acc_xap_db_terms(b.db, ACC_PFX_LANG, strlen(ACC_PFX_LANG), 0, NULL, on_lang_term, &b, err);
    /* English queries reach the others even where no document is English */
    if (st == ACC_OK)
        lang_add(&b, "en", 0);
    if (st == ACC_OK && o->dict_dir && *o->dict_dir)
        st = read_dicts(&b, o->dict_dir, rep);
    if (st == ACC_OK && b.npivots) {
        char what[96];
        snprintf(what, sizeof what, "through German or English (%lu kept)", read_pivots(&b));
        note(rep->sources, sizeof rep->sources, what);
    }
    if (st == ACC_OK && o->nthesauri)
        st = read_thesauri(&b, o, rep);
    if (st == ACC_OK && o->synonyms)
        st = read_synonyms(&b, o->synonyms, rep);
    if (st == ACC_OK)
        st = write_table(&b, w, o->max_per_word ? o->max_per_word : DEFAULT_PER_WORD, rep);
    rep->dropped = b.dropped;
    rep->seconds = now_s() - t0;
    if (st == ACC_OK) {
        json_t *m = json_pack("{s:s,s:I,s:I,s:I}", "sources", rep->sources, "entries",
                              (json_int_t)rep->entries, "translations",
                              (json_int_t)rep->translations, "bytes", (json_int_t)rep->bytes);
        char *s = m ? json_dumps(m, JSON_COMPACT) : NULL;
        if (s)
            st = acc_xap_wdb_set_meta(w, ACC_LEX_META_KEY, s, err);
        free(s);
        json_decref(m);
    }
    for (size_t i = 0; i < b.keys.n; i++) {
        for (size_t j = 0; j < b.entries[i].n; j++) {
            free(b.entries[i].v[j].display);
            free(b.entries[i].v[j].terms);
        }
        free(b.entries[i].v);
    }
    free(b.entries);
    acc_strmap_release(&b.keys);
    for (size_t i = 0; i < b.nlangs; i++) {
        acc_xap_stem_free(b.langs[i].stem);
        acc_strmap_release(&b.langs[i].terms);
        free(b.langs[i].df);
        acc_strmap_release(&b.langs[i].memo);
        acc_strmap_release(&b.langs[i].memo_stems);
        free(b.langs[i].memo_to);
    }
    acc_buf_release(&b.a);
    acc_buf_release(&b.b);
    acc_buf_release(&b.c);
    acc_buf_release(&b.d);
    for (size_t i = 0; i < b.npivots; i++) {
        free(b.pivots[i].src);
        free(b.pivots[i].mid);
    }
    free(b.pivots);
    if (st != ACC_OK)
        acc_error_prefix(err, st, "cannot build the translation table");
    return st;
}
