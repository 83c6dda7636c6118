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
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "accord/lang.h"
#include "accord/lexicon.h"
#include "accord/schema.h"
#include "accord/text.h"
#include "dictd.h"
#include "lexicon.h"
#include "lextable.h"
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
/* dictionaries read at once, at most */
#define MAX_DICT_THREADS 8
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

/* The entry of key i of b->keys (a new key: an empty entry). */
static entry *entry_of(builder *b, size_t i)
{
    if (i >= b->alloc) {
        size_t old = b->alloc;
        b->alloc = b->alloc ? 2 * b->alloc : 4096;
        while (b->alloc <= i)
            b->alloc *= 2;
        b->entries = acc_xrealloc(b->entries, b->alloc * sizeof *b->entries);
        memset(b->entries + old, 0, (b->alloc - old) * sizeof *b->entries);
    }
    return &b->entries[i];
}

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
        entry_add(entry_of(b, acc_strmap_put(&b->keys, key.p, key.n, NULL)), &c);
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
 * language; ranked after them; no pivot of a pivot. Pivots [from, to) of
 * sh (the dictionaries' table, read only) offered into worker b.
 */
static unsigned long pivot_range(builder *b, const builder *sh, size_t from, size_t to)
{
    unsigned long kept = 0;
    acc_buf key;
    acc_buf_init(&key, 0);
    for (size_t i = from; i < to; i++) {
        const struct pivot *v = &sh->pivots[i];
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
        size_t at = acc_strmap_get(&sh->keys, key.p, key.n);
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
        size_t have = acc_strmap_get(&sh->keys, b->c.p, b->c.n);
        /* copied first: offering may move the entries */
        size_t n = sh->entries[at].n;
        cand *c = acc_xmalloc((n ? n : 1) * sizeof *c);
        size_t m = 0;
        for (size_t k = 0; k < n; k++) {
            const cand *o = &sh->entries[at].v[k];
            /* into the other pivot language only: where most documents are */
            if (o->kind >= KIND_PIVOT || strcmp(o->lang, v->s) == 0 || !is_pivot(o->lang))
                continue;
            int direct = 0;
            for (size_t j = 0; have != ACC_STRMAP_NONE && j < sh->entries[have].n; j++)
                direct |= sh->entries[have].v[j].kind < KIND_PIVOT &&
                          strcmp(sh->entries[have].v[j].lang, o->lang) == 0;
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

/*
 * Reading the dictionaries in parallel: each pair of languages with an installed dictionary is
 * a job; workers take the jobs, largest first, each with its own stemmers, memos and results
 * (the languages' stems of the index are shared, read only). The results are then merged in
 * the order of the jobs, which gives the very table one thread reading them in that order
 * makes: the same candidates in the same order per key, the same pivots, the same counts.
 */
typedef struct dict_job {
    size_t s, t;     /* indexes into the languages */
    size_t from, to; /* a range of pivots instead (read_pivots) */
    int forward, backward;
    long long size;
    char s3[4], t3[4];
    /* results */
    int found;
    acc_strmap keys;
    entry *entries;
    size_t alloc;
    struct pivot *pivots;
    size_t npivots;
    unsigned long dropped, kept;
    acc_status st;
    acc_error err;
} dict_job;

typedef struct dict_pool {
    builder *b;
    const char *dir; /* NULL: the jobs are ranges of b's pivots */
    dict_job *jobs;
    size_t *order; /* job indexes, largest first */
    size_t njobs, next;
    pthread_mutex_t mu;
} dict_pool;

static void take_results(builder *w, dict_job *j);

/* A worker's builder: b's languages and their stems of the index (shared, read only), its own
   stemmers, memos and buffers. */
static void worker_init(builder *w, const builder *b)
{
    *w = *b;
    for (size_t i = 0; i < w->nlangs; i++) {
        lang_state *l = &w->langs[i];
        l->stem = acc_stem_new(l->code);
        acc_strmap_init(&l->memo);
        acc_strmap_init(&l->memo_stems);
        l->memo_to = NULL;
        l->memo_alloc = 0;
    }
    acc_strmap_init(&w->keys);
    w->entries = NULL;
    w->alloc = 0;
    w->dropped = 0;
    acc_buf_init(&w->a, 0);
    acc_buf_init(&w->b, 0);
    acc_buf_init(&w->c, 0);
    acc_buf_init(&w->d, 0);
    w->pivots = NULL;
    w->npivots = w->pivots_alloc = 0;
}

static void worker_release(builder *w)
{
    for (size_t i = 0; i < w->nlangs; i++) {
        lang_state *l = &w->langs[i];
        acc_xap_stem_free(l->stem);
        acc_strmap_release(&l->memo);
        acc_strmap_release(&l->memo_stems);
        free(l->memo_to);
    }
    acc_buf_release(&w->a);
    acc_buf_release(&w->b);
    acc_buf_release(&w->c);
    acc_buf_release(&w->d);
}

static void run_job(builder *w, const char *dir, dict_job *j)
{
    dict_ctx d = {w, w->langs[j->s].code, w->langs[j->t].code, j->forward, j->backward, 0};
    w->err = &j->err;
    j->st = acc_dictd_read_pair(dir, j->s3, j->t3, on_dict_entry, &d, &j->err);
    j->found = j->st != ACC_ENOTFOUND;
    if (j->st == ACC_ENOTFOUND)
        j->st = ACC_OK;
    j->kept = d.kept;
    take_results(w, j);
}

/* The worker's results move to job j; the worker starts the next job empty. */
static void take_results(builder *w, dict_job *j)
{
    j->keys = w->keys;
    j->entries = w->entries;
    j->alloc = w->alloc;
    j->pivots = w->pivots;
    j->npivots = w->npivots;
    j->dropped = w->dropped;
    acc_strmap_init(&w->keys);
    w->entries = NULL;
    w->alloc = 0;
    w->pivots = NULL;
    w->npivots = w->pivots_alloc = 0;
    w->dropped = 0;
}

static void *dict_worker(void *arg)
{
    dict_pool *p = arg;
    builder w;
    worker_init(&w, p->b);
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t k = p->next < p->njobs ? p->order[p->next++] : (size_t)-1;
        pthread_mutex_unlock(&p->mu);
        if (k == (size_t)-1)
            break;
        if (p->dir) {
            run_job(&w, p->dir, &p->jobs[k]);
        } else {
            dict_job *j = &p->jobs[k];
            j->kept = pivot_range(&w, p->b, j->from, j->to);
            take_results(&w, j);
        }
    }
    worker_release(&w);
    return NULL;
}

/* A pool of jobs[0..njobs) (taken over: freed by pool_done), in order until sorted. */
static void pool_init(dict_pool *p, builder *b, const char *dir, dict_job *jobs, size_t njobs)
{
    p->b = b;
    p->dir = dir;
    p->jobs = jobs;
    p->order = acc_xmalloc((njobs + 1) * sizeof *p->order);
    for (size_t k = 0; k < njobs; k++)
        p->order[k] = k;
    p->njobs = njobs;
    p->next = 0;
    pthread_mutex_init(&p->mu, NULL);
}

static void pool_done(dict_pool *p)
{
    pthread_mutex_destroy(&p->mu);
    free(p->order);
    free(p->jobs);
}

/* Runs the pool's jobs on `threads` threads (0: one per CPU), this one among them. */
static void pool_run(dict_pool *p, unsigned threads)
{
    if (threads == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        threads = cpus > 0 ? (unsigned)cpus : 1;
    }
    if (threads > MAX_DICT_THREADS)
        threads = MAX_DICT_THREADS;
    if (threads > p->njobs)
        threads = (unsigned)p->njobs;
    pthread_t tid[MAX_DICT_THREADS];
    unsigned started = 0;
    for (; started + 1 < threads; started++)
        if (pthread_create(&tid[started], NULL, dict_worker, p) != 0)
            break;
    dict_worker(p); /* this thread is a worker too */
    for (unsigned k = 0; k < started; k++)
        pthread_join(tid[k], NULL);
}

/* Job j's results into b (after the jobs before it). */
static void merge_job(builder *b, dict_job *j)
{
    for (size_t i = 0; i < j->keys.n; i++) {
        size_t klen;
        const char *key = acc_strmap_key(&j->keys, i, &klen);
        entry *e = entry_of(b, acc_strmap_put(&b->keys, key, klen, NULL));
        for (size_t k = 0; k < j->entries[i].n; k++)
            entry_add(e, &j->entries[i].v[k]);
        free(j->entries[i].v);
    }
    for (size_t i = 0; i < j->npivots; i++) {
        if (b->npivots == b->pivots_alloc) {
            b->pivots_alloc = b->pivots_alloc ? 2 * b->pivots_alloc : 1024;
            b->pivots = acc_xrealloc(b->pivots, b->pivots_alloc * sizeof *b->pivots);
        }
        b->pivots[b->npivots++] = j->pivots[i];
    }
    b->dropped += j->dropped;
    acc_strmap_release(&j->keys);
    free(j->entries);
    free(j->pivots);
    j->entries = NULL;
    j->pivots = NULL;
}

/* Translations through a pivot language (pivot_range), the pivots cut into ranges read in
   parallel and merged in order: the table one thread reading them in order makes. */
static unsigned long read_pivots(builder *b, unsigned threads)
{
    size_t per = b->npivots / (8 * MAX_DICT_THREADS) + 1, njobs = (b->npivots + per - 1) / per;
    dict_job *jobs = acc_xcalloc(njobs + 1, sizeof *jobs);
    dict_pool pool;
    pool_init(&pool, b, NULL, jobs, njobs);
    for (size_t k = 0; k < njobs; k++) {
        jobs[k].from = k * per;
        jobs[k].to = jobs[k].from + per < b->npivots ? jobs[k].from + per : b->npivots;
        acc_strmap_init(&jobs[k].keys);
    }
    pool_run(&pool, threads);
    unsigned long kept = 0;
    for (size_t k = 0; k < njobs; k++) {
        merge_job(b, &jobs[k]);
        kept += jobs[k].kept;
    }
    pool_done(&pool);
    return kept;
}

/* Every installed dictionary between two languages of the index (and English). */
static acc_status read_dicts(builder *b, const char *dir, unsigned threads, acc_lexicon_report *rep)
{
    size_t n = b->nlangs;
    dict_job *jobs = acc_xcalloc(n * n + 1, sizeof *jobs);
    size_t njobs = 0;
    acc_status st = ACC_OK;
    for (size_t i = 0; i < n && st == ACC_OK; i++) {
        for (size_t j = 0; j < n && st == ACC_OK; j++) {
            lang_state *s = &b->langs[i], *t = &b->langs[j];
            const char *s3 = acc_lang_iso3(s->code), *t3 = acc_lang_iso3(t->code);
            if (i == j || !s3 || !t3 || (!t->in_index && !s->in_index))
                continue;
            /* the index's stems, read before the workers share them */
            st = lang_load(b, t);
            if (st == ACC_OK)
                st = lang_load(b, s);
            /* a dictionary serves both ways (its headwords are translations
               too), backwards only where the other direction's dictionary is
               less than half its size: FreeDict's eng-deu and deu-eng hold much
               the same pairs, nld-eng three times eng-nld's */
            int backward = s->in_index && 2 * file_size(dir, t3, s3) < file_size(dir, s3, t3);
            if (st != ACC_OK || (!t->in_index && !backward))
                continue;
            dict_job *jb = &jobs[njobs++];
            jb->s = i;
            jb->t = j;
            jb->forward = t->in_index;
            jb->backward = backward;
            jb->size = file_size(dir, s3, t3);
            snprintf(jb->s3, sizeof jb->s3, "%s", s3);
            snprintf(jb->t3, sizeof jb->t3, "%s", t3);
            acc_strmap_init(&jb->keys);
        }
    }
    dict_pool pool;
    pool_init(&pool, b, dir, jobs, njobs);
    /* largest first (insertion sort: a few dozen jobs), so that the two large FreeDict
       dictionaries (deu-eng, eng-deu) start at once on two cores */
    for (size_t k = 0; k < njobs; k++) {
        size_t x = k;
        while (x > 0 && jobs[pool.order[x - 1]].size < jobs[k].size) {
            pool.order[x] = pool.order[x - 1];
            x--;
        }
        pool.order[x] = k;
    }
    if (st == ACC_OK)
        pool_run(&pool, threads);
    for (size_t k = 0; k < njobs; k++) {
        dict_job *jb = &jobs[k];
        if (st == ACC_OK && jb->st != ACC_OK) {
            *b->err = jb->err;
            st = jb->st;
        }
        if (st == ACC_OK)
            merge_job(b, jb);
        if (st == ACC_OK && jb->found) {
            char what[96];
            snprintf(what, sizeof what, "freedict-%s-%s (%lu kept)", jb->s3, jb->t3, jb->kept);
            note(rep->sources, sizeof rep->sources, what);
            rep->pairs++;
        }
    }
    /* what was not merged (an error stopped it) */
    for (size_t k = 0; k < njobs; k++) {
        dict_job *jb = &jobs[k];
        for (size_t i = 0; jb->entries && i < jb->keys.n; i++) {
            for (size_t c = 0; c < jb->entries[i].n; c++) {
                free(jb->entries[i].v[c].display);
                free(jb->entries[i].v[c].terms);
            }
            free(jb->entries[i].v);
        }
        free(jb->entries);
        for (size_t i = 0; jb->pivots && i < jb->npivots; i++) {
            free(jb->pivots[i].src);
            free(jb->pivots[i].mid);
        }
        free(jb->pivots);
        acc_strmap_release(&jb->keys);
    }
    pool_done(&pool);
    return st;
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
 * Writes the table (lib/lextable.h): only the buckets whose entries changed, and deletes those
 * gone, so that rebuilding after every indexing run rewrites (and grows the index by) what
 * changed, not the whole table.
 */
static acc_status write_table(builder *b, acc_xap_wdb *w, unsigned per_word,
                              acc_lexicon_report *rep)
{
    acc_buf v;
    acc_lex_table *t = acc_lex_table_new();
    acc_buf_init(&v, 0);
    for (size_t i = 0; i < b->keys.n; i++) {
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
        acc_lex_table_add(t, key, klen, v.p, v.n);
        rep->entries++;
        rep->translations += stored;
    }
    acc_lex_written wr;
    acc_status st = acc_lex_table_write(t, w, &wr, b->err);
    rep->bytes = wr.bytes;
    rep->stored = wr.stored;
    rep->buckets = wr.buckets;
    rep->written = wr.written;
    acc_buf_release(&v);
    acc_lex_table_free(t);
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
        st = read_dicts(&b, o->dict_dir, o->threads, rep);
    if (st == ACC_OK && b.npivots) {
        char what[96];
        snprintf(what, sizeof what, "through German or English (%lu kept)",
                 read_pivots(&b, o->threads));
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
        json_t *m =
            json_pack("{s:s,s:I,s:I,s:I,s:I,s:I}", "sources", rep->sources, "entries",
                      (json_int_t)rep->entries, "translations", (json_int_t)rep->translations,
                      "bytes", (json_int_t)rep->bytes, "stored_bytes", (json_int_t)rep->stored,
                      "buckets", (json_int_t)rep->buckets);
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
