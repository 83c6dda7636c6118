/*
 * lib/lexdicts.c: the translation table's dictionaries (lib/lexbuild.h): every installed
 * FreeDict dictionary between two languages of the index, read in parallel, and the
 * translations through a pivot language (German or English) they make possible.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "accord/lang.h"
#include "accord/log.h"
#include "accord/text.h"
#include "lexbuild.h"
#include "lexcache.h"
#include "threads.h"

/* dictionaries read at once, at most */
#define MAX_DICT_THREADS 8

/* languages whose dictionaries are large enough to translate through (fr -> de -> en) */
static int is_pivot(const char *lang)
{
    return strcmp(lang, "en") == 0 || strcmp(lang, "de") == 0;
}

typedef struct dict_ctx {
    const char *s, *t;
    int forward, backward; /* offer s -> t, and t -> s (the dictionary read backwards) */
} dict_ctx;

/* Source src (in s) means mid (in pivot language p): kept for translating through p, when
   both have words and mid a key (the only pivots pivot_range can use). */
static void pivot_add(builder *b, const char *s, const lex_source *src, const char *p,
                      const lex_source *mid)
{
    if (!src->words || !mid->ok)
        return;
    if (b->npivots == b->pivots_alloc) {
        b->pivots_alloc = b->pivots_alloc ? 2 * b->pivots_alloc : 1024;
        b->pivots = acc_xrealloc(b->pivots, b->pivots_alloc * sizeof *b->pivots);
    }
    struct pivot *v = &b->pivots[b->npivots++];
    acc_lexb_code_copy(v->s, sizeof v->s, s);
    acc_lexb_code_copy(v->p, sizeof v->p, p);
    v->src_key = src->ok ? acc_xstrndup(src->key, src->key_n) : NULL;
    v->mid_key = acc_xstrndup(mid->key, mid->key_n);
}

/* Offers the dictionary's records (lib/lexcache.h) into b as d says; the number kept. */
static unsigned long replay(builder *b, const dict_ctx *d, const acc_buf *rec)
{
    size_t at = 0, n;
    unsigned long kept = 0;
    lexcache_text h, t;
    const char *p = rec->p ? rec->p : "";
    acc_lexcache_text_init(&h);
    acc_lexcache_text_init(&t);
    while (acc_lexcache_entry(p, rec->n, &at, d->s, &h, &n)) {
        for (size_t i = 0; i < n; i++) {
            acc_lexcache_trans(p, rec->n, &at, d->t, &t);
            /* a small language's word and its meaning in a pivot language */
            if (d->forward && is_pivot(d->t) && !is_pivot(d->s))
                pivot_add(b, d->s, &h.so, d->t, &t.so);
            if (d->backward && is_pivot(d->s) && !is_pivot(d->t))
                pivot_add(b, d->t, &t.so, d->s, &h.so);
            if (d->forward)
                kept +=
                    (unsigned long)acc_lexb_offer_prepared(b, d->s, &h.so, d->t, &t.tg, KIND_DICT);
            if (d->backward)
                kept += (unsigned long)acc_lexb_offer_prepared(b, d->t, &t.so, d->s, &h.tg,
                                                               KIND_DICT_BACK);
        }
    }
    acc_lexcache_text_release(&h);
    acc_lexcache_text_release(&t);
    return kept;
}

/* The targets a worker prepared for pivots, by language and display: the same translations
   come back through many pivots (a German word's English translations, for each Dutch, French,
   Spanish word meaning it). The strings in an arena, by offset. */
typedef struct tgt_memo {
    acc_strmap keys; /* "lang\0display" */
    struct tgt_at {
        int ok;
        size_t shown, shown_n, stems, stems_n, nwords, phrase, phrase_n;
    } * v;
    size_t alloc;
    acc_buf arena, key;
} tgt_memo;

static void memo_init(tgt_memo *m)
{
    memset(m, 0, sizeof *m);
    acc_strmap_init(&m->keys);
    acc_buf_init(&m->arena, 0);
    acc_buf_init(&m->key, 0);
}

static void memo_release(tgt_memo *m)
{
    acc_strmap_release(&m->keys);
    free(m->v);
    acc_buf_release(&m->arena);
    acc_buf_release(&m->key);
}

static size_t arena_put(acc_buf *a, const char *p, size_t n)
{
    size_t at = a->n;
    acc_buf_append(a, p, n);
    acc_buf_putc(a, '\0');
    return at;
}

/* Display d (in lt) prepared as a target: from the memo, else prepared and remembered; g is
   filled (valid until the next call). */
static void memo_target(tgt_memo *m, builder *b, lang_state *lt, const char *d, lex_target *g)
{
    int added = 0;
    acc_buf_reset(&m->key);
    acc_buf_append(&m->key, lt->code, strlen(lt->code) + 1);
    acc_buf_append(&m->key, d, strlen(d));
    size_t i = acc_strmap_put(&m->keys, m->key.p, m->key.n, &added);
    if (added) {
        const lex_target *p = acc_lexb_prep_target(b, lt, d, strlen(d));
        if (i >= m->alloc) {
            m->alloc = m->alloc ? 2 * m->alloc : 1024;
            m->v = acc_xrealloc(m->v, m->alloc * sizeof *m->v);
        }
        struct tgt_at *t = &m->v[i];
        t->ok = p->ok;
        t->shown = arena_put(&m->arena, p->shown, p->shown_n);
        t->shown_n = p->shown_n;
        t->stems = arena_put(&m->arena, p->stems, p->stems_n);
        t->stems_n = p->stems_n;
        t->nwords = p->nwords;
        t->phrase = arena_put(&m->arena, p->phrase, p->phrase_n);
        t->phrase_n = p->phrase_n;
    }
    const struct tgt_at *t = &m->v[i];
    const char *a = m->arena.p;
    *g = (lex_target){t->ok,      a + t->shown, t->shown_n,    a + t->stems,
                      t->stems_n, t->nwords,    a + t->phrase, t->phrase_n};
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
static unsigned long pivot_range(builder *b, const builder *sh, size_t from, size_t to,
                                 tgt_memo *memo)
{
    unsigned long kept = 0;
    for (size_t i = from; i < to; i++) {
        const struct pivot *v = &sh->pivots[i];
        size_t at = acc_strmap_get(&sh->keys, v->mid_key, strlen(v->mid_key));
        if (at == ACC_STRMAP_NONE)
            continue;
        /* the languages the word already has a translation into: pivots
           only fill the gaps of the direct dictionaries */
        size_t have = v->src_key ? acc_strmap_get(&sh->keys, v->src_key, strlen(v->src_key))
                                 : ACC_STRMAP_NONE;
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
        /* the source as prepared (a pivot's languages differ: its stem is not needed) */
        lex_source so = {v->src_key != NULL,
                         1,
                         v->src_key ? v->src_key : "",
                         v->src_key ? strlen(v->src_key) : 0,
                         "",
                         0};
        for (size_t k = 0; k < m; k++) {
            lang_state *lt = acc_lexb_lang_get(b, c[k].lang);
            lex_target g;
            if (lt && lt->in_index) {
                memo_target(memo, b, lt, c[k].display, &g);
                kept +=
                    (unsigned long)acc_lexb_offer_prepared(b, v->s, &so, c[k].lang, &g, KIND_PIVOT);
            }
            free(c[k].display);
        }
        free(c);
    }
    return kept;
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
    int found, cached;
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
    const char *dir;       /* NULL: the jobs are ranges of b's pivots */
    const char *cache_dir; /* the prepared dictionaries (lib/lexcache.h); NULL: none */
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
    acc_lexb_bufs_init(w);
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
    acc_lexb_bufs_release(w);
}

static void run_job(builder *w, const char *dir, const char *cache_dir, dict_job *j)
{
    dict_ctx d = {w->langs[j->s].code, w->langs[j->t].code, j->forward, j->backward};
    struct timespec t0, t1;
    acc_buf rec;
    acc_buf_init(&rec, 0);
    w->err = &j->err;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    j->st = acc_lexcache_get(w, &w->langs[j->s], &w->langs[j->t], dir, cache_dir, j->s3, j->t3,
                             &rec, &j->cached, &j->err);
    j->found = j->st != ACC_ENOTFOUND;
    if (j->st == ACC_ENOTFOUND)
        j->st = ACC_OK;
    j->kept = j->st == ACC_OK ? replay(w, &d, &rec) : 0;
    acc_buf_release(&rec);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (j->found)
        acc_log(ACC_LOG_DEBUG, "translation table: freedict-%s-%s %s in %.2f s (%lu kept)", j->s3,
                j->t3, j->cached ? "from the cache" : "read",
                (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, j->kept);
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
    tgt_memo memo;
    worker_init(&w, p->b);
    memo_init(&memo);
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t k = p->next < p->njobs ? p->order[p->next++] : (size_t)-1;
        pthread_mutex_unlock(&p->mu);
        if (k == (size_t)-1)
            break;
        if (p->dir) {
            run_job(&w, p->dir, p->cache_dir, &p->jobs[k]);
        } else {
            dict_job *j = &p->jobs[k];
            j->kept = pivot_range(&w, p->b, j->from, j->to, &memo);
            take_results(&w, j);
        }
    }
    worker_release(&w);
    memo_release(&memo);
    return NULL;
}

/* A pool of jobs[0..njobs) (taken over: freed by pool_done), in order until sorted. */
static void pool_init(dict_pool *p, builder *b, const char *dir, dict_job *jobs, size_t njobs)
{
    p->b = b;
    p->dir = dir;
    p->cache_dir = NULL;
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
    acc_threads_run(dict_worker, p, acc_threads_for(threads, MAX_DICT_THREADS, p->njobs));
}

/* Job j's results into b (after the jobs before it). */
static void merge_job(builder *b, dict_job *j)
{
    for (size_t i = 0; i < j->keys.n; i++) {
        size_t klen;
        const char *key = acc_strmap_key(&j->keys, i, &klen);
        entry *e = acc_lexb_entry_of(b, acc_strmap_put(&b->keys, key, klen, NULL));
        for (size_t k = 0; k < j->entries[i].n; k++)
            acc_lexb_entry_add(e, &j->entries[i].v[k]);
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
unsigned long acc_lexb_read_pivots(builder *b, unsigned threads)
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
acc_status acc_lexb_read_dicts(builder *b, const char *dir, const char *cache_dir, unsigned threads,
                               acc_lexicon_report *rep)
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
            st = acc_lexb_lang_load(b, t);
            if (st == ACC_OK)
                st = acc_lexb_lang_load(b, s);
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
    pool.cache_dir = cache_dir;
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
            acc_lexb_note(rep->sources, sizeof rep->sources, what);
            rep->pairs++;
            rep->cached += (unsigned long)jb->cached;
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
            free(jb->pivots[i].src_key);
            free(jb->pivots[i].mid_key);
        }
        free(jb->pivots);
        acc_strmap_release(&jb->keys);
    }
    pool_done(&pool);
    return st;
}
