/*
 * indexer/pipeline.c: the pipeline of accord-index. N worker threads take
 * jobs (a file or a jsonl record) and turn each into a result: unchanged (its
 * stamp is the indexed one), skipped (with the reason), or built (read,
 * extracted, described by its metadata, its articles found, turned into terms
 * by acc_docbuild: the expensive part). One writer thread per shard (one for
 * an unsharded index) adds the built documents of its shard and commits them
 * in batches of rn->batch documents or BATCH_BYTES of text, each batch a
 * transaction, so a killed run leaves each shard at its last commit and the
 * next run carries on. Workers send each result to the queue of its id's shard.
 *
 * Invariants: a job is freed by the worker that took it, a result by the
 * writer; every queued document is counted once by a writer, as added,
 * updated, unchanged or skipped (the counters under rn->stat_mu); after a
 * failed write every writer still drains its results (so every thread ends)
 * but writes nothing more, and pipeline_run cancels the open transactions.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/log.h"
#include "accord/structure.h"
#include "accord/text.h"
#include "incremental.h"
#include "meta.h"
#include "pipeline.h"
#include "report.h"
#include "run.h"
#include "walk.h"

#define QUEUE_JOBS 64    /* jobs waiting for a worker */
#define QUEUE_RESULTS 48 /* results waiting for the writer (built documents: the big ones) */
#define BATCH_BYTES (24ull << 20) /* bounds the writer's memory: ~4-5 bytes per byte of text */

/* ------------------------------------------------------------------ queues */

void queue_init(queue *q, size_t cap)
{
    memset(q, 0, sizeof *q);
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->not_empty, NULL);
    pthread_cond_init(&q->not_full, NULL);
    q->cap = cap;
}

void queue_push(queue *q, qnode *item)
{
    pthread_mutex_lock(&q->mu);
    while (q->n >= q->cap)
        pthread_cond_wait(&q->not_full, &q->mu);
    item->next = NULL;
    if (q->tail)
        q->tail->next = item;
    else
        q->head = item;
    q->tail = item;
    q->n++;
    pthread_cond_signal(&q->not_empty);
    pthread_mutex_unlock(&q->mu);
}

qnode *queue_pop(queue *q)
{
    qnode *item;
    pthread_mutex_lock(&q->mu);
    while (!q->head && !q->closed)
        pthread_cond_wait(&q->not_empty, &q->mu);
    item = q->head;
    if (item) {
        q->head = item->next;
        if (!q->head)
            q->tail = NULL;
        q->n--;
        pthread_cond_signal(&q->not_full);
    }
    pthread_mutex_unlock(&q->mu);
    return item;
}

void queue_close(queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->closed = 1;
    pthread_cond_broadcast(&q->not_empty);
    pthread_mutex_unlock(&q->mu);
}

/* ----------------------------------------------------------------- workers */

enum { R_BUILT, R_UNCHANGED, R_SKIPPED };

/* What a worker made of a job, for the writer. */
typedef struct result {
    qnode node;
    int kind;
    char *id; /* NULL for a record whose id is unknown */
    char *where;
    char *why;
    acc_built_doc *x;
    char lang[ACC_LANG_MAX];
    size_t bytes;
    int repaired;
} result;

static result *new_result(int kind, const char *id, const char *where)
{
    result *r = acc_xcalloc(1, sizeof *r);
    r->kind = kind;
    r->id = id ? acc_xstrdup(id) : NULL;
    r->where = acc_xstrdup(where);
    return r;
}

static result *skip(const char *id, const char *where, const char *why)
{
    result *r = new_result(R_SKIPPED, id, where);
    r->why = acc_xstrdup(why);
    return r;
}

static int has_nul_or_binary(const char *p, size_t n)
{
    size_t ctrl = 0, k = n < 65536 ? n : 65536;
    for (size_t i = 0; i < k; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == 0)
            return 1;
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f')
            ctrl++;
    }
    return k > 0 && ctrl * 20 > k; /* over 5% control bytes: not text */
}

static result *process(run *rn, job *j)
{
    char why[512], where[PATH_MAX + 32];
    acc_buf raw, text, clean, title;
    json_t *record = NULL, *sidecar = NULL, *embedded = json_object(), *front = NULL;
    result *r = NULL;
    char stamp[INCR_STAMP_MAX];
    const char **parties = NULL, **topics = NULL;
    acc_article *articles = NULL;
    size_t narticles = 0;
    acc_doc d;
    acc_error err;

    acc_buf_init(&raw, 0);
    acc_buf_init(&text, 0);
    acc_buf_init(&clean, 0);
    acc_buf_init(&title, 0);
    memset(&d, 0, sizeof d);

    if (j->line) {
        /* a jsonl record: its fields are its metadata */
        json_error_t jerr;
        snprintf(where, sizeof where, "%s:%lu", j->path, j->lineno);
        record = json_loadb(j->line, j->line_len, 0, &jerr);
        if (!record || !json_is_object(record)) {
            snprintf(why, sizeof why, "line %lu: invalid JSON (%s)", j->lineno,
                     record ? "not an object" : jerr.text);
            r = skip(NULL, where, why);
            goto out;
        }
        json_t *idv = json_object_get(record, "id");
        char idbuf[64];
        const char *id = json_string_value(idv);
        if (json_is_integer(idv)) {
            snprintf(idbuf, sizeof idbuf, "%lld", (long long)json_integer_value(idv));
            id = idbuf;
        }
        if (!id || !*id) {
            snprintf(why, sizeof why, "line %lu: record without an \"id\"", j->lineno);
            r = skip(NULL, where, why);
            goto out;
        }
        j->id = acc_xstrdup(id);
        const char *t = json_string_value(json_object_get(record, "text"));
        if (!t || meta_blank(t, strlen(t))) {
            r = skip(j->id, where, "no text");
            goto out;
        }
        acc_buf_append(&text, t, strlen(t));
        incr_record_stamp(rn, j, stamp, sizeof stamp);
        if (incr_unchanged(rn, j->id, stamp, 0)) {
            r = new_result(R_UNCHANGED, j->id, where);
            goto out;
        }
    } else {
        snprintf(where, sizeof where, "%s", j->path);
        int sc = meta_load_sidecar(j->path, &sidecar, why, sizeof why);
        if (sc < 0) {
            r = skip(j->id, where, why);
            goto out;
        }
        char prefix[INCR_PREFIX_MAX];
        incr_file_prefix(rn, j, sidecar, prefix, sizeof prefix);
        if (incr_unchanged(rn, j->id, prefix, 1)) {
            r = new_result(R_UNCHANGED, j->id, where);
            goto out;
        }
        if (ix_read_file(j->path, j->comp, &raw, why, sizeof why) != 0) {
            r = skip(j->id, where, why);
            goto out;
        }
        incr_file_stamp(prefix, raw.p, raw.n, stamp, sizeof stamp);
        if (raw.n == 0 || meta_blank(raw.p, raw.n)) {
            r = skip(j->id, where, "empty file");
            goto out;
        }
        if (j->kind != IX_PDF && has_nul_or_binary(raw.p, raw.n)) {
            r = skip(j->id, where, "binary file, not text");
            goto out;
        }
        if (ix_extract(j->kind, raw.p, raw.n, &text, embedded, why, sizeof why) != 0) {
            r = skip(j->id, where, why);
            goto out;
        }
        front = json_object_get(embedded, "front_matter");
    }

    size_t bad = acc_utf8_sanitize(text.p ? text.p : "", text.n, &clean);
    if (!clean.p || meta_blank(clean.p, clean.n)) {
        r = skip(j->id, where, j->kind == IX_PDF ? "no text (a scanned PDF?)" : "no text");
        goto out;
    }

    json_t *layers[] = {sidecar, front, j->manifest ? j->manifest : record, embedded};
    meta_apply(&d, layers, sizeof layers / sizeof layers[0], clean.p, clean.n, where, &title,
               &parties, &topics);
    d.id = j->id;
    d.path = j->line ? "" : j->path;
    d.text = clean.p;
    d.text_len = clean.n;
    narticles = acc_articles_find(clean.p, clean.n, &articles);
    d.articles = articles;
    d.narticles = narticles;
    d.stamp = stamp;
    d.source = j->source;

    r = new_result(R_BUILT, j->id, where);
    if (acc_docbuild(&d, rn->vocab, &r->x, &err) != ACC_OK) {
        free(r->id);
        free(r->where);
        free(r);
        r = skip(j->id, where, err.msg);
        goto out;
    }
    strcpy(r->lang, d.lang);
    r->bytes = clean.n;
    r->repaired = bad > 0;
    if (bad)
        acc_log(ACC_LOG_WARN, "'%s': %zu invalid UTF-8 sequence%s replaced by U+FFFD", where, bad,
                bad == 1 ? "" : "s");
out:
    free(parties);
    free(topics);
    acc_articles_free(articles, narticles);
    json_decref(record);
    json_decref(sidecar);
    json_decref(embedded);
    acc_buf_release(&raw);
    acc_buf_release(&text);
    acc_buf_release(&clean);
    acc_buf_release(&title);
    return r;
}

static void job_free(job *j)
{
    free(j->path);
    free(j->id);
    free(j->line);
    json_decref(j->manifest);
    free(j);
}

static void *worker_main(void *arg)
{
    run *rn = arg;
    qnode *n;
    while ((n = queue_pop(&rn->jobs)) != NULL) {
        job *j = (job *)n;
        result *r = process(rn, j);
        job_free(j);
        /* a record without an id has no shard and nothing to write: the first writer counts it */
        unsigned s = r->id ? acc_shard_of(r->id, strlen(r->id), rn->nshards) : 0;
        queue_push(&rn->results[s], &r->node);
    }
    acc_lang_thread_cleanup();
    return NULL;
}

/* ------------------------------------------------------------------ writer */

static void count(json_t *obj, const char *key)
{
    json_object_set_new(obj, key, json_integer(json_integer_value(json_object_get(obj, key)) + 1));
}

int pipeline_commit(run *rn, int reopen)
{
    if (acc_writer_commit(rn->w, &rn->write_err) != ACC_OK ||
        (reopen && acc_writer_begin(rn->w, &rn->write_err) != ACC_OK)) {
        rn->write_failed = 1;
        return -1;
    }
    return 0;
}

/* A writer's failure, for pipeline_run to log (the first one wins); under rn->stat_mu. */
static void write_failed(run *rn, const acc_error *err)
{
    if (!rn->write_failed)
        rn->write_err = *err;
    rn->write_failed = 1;
}

/* What a writer thread writes: shard s of rn's index. */
typedef struct writer_arg {
    run *rn;
    unsigned shard;
} writer_arg;

/* Commits shard s's batch and begins the next; 0, or -1 (recorded). */
static int commit_shard(run *rn, unsigned s)
{
    acc_error err;
    if (acc_writer_commit_shard(rn->w, s, &err) == ACC_OK &&
        acc_writer_begin_shard(rn->w, s, &err) == ACC_OK)
        return 0;
    pthread_mutex_lock(&rn->stat_mu);
    write_failed(rn, &err);
    pthread_mutex_unlock(&rn->stat_mu);
    return -1;
}

static void *writer_main(void *arg)
{
    run *rn = ((writer_arg *)arg)->rn;
    const unsigned s = ((writer_arg *)arg)->shard;
    unsigned long in_batch = 0;
    unsigned long long batch_bytes = 0;
    int failed = 0;
    qnode *n;
    acc_error err;

    if (acc_writer_begin_shard(rn->w, s, &err) != ACC_OK) {
        pthread_mutex_lock(&rn->stat_mu);
        write_failed(rn, &err);
        pthread_mutex_unlock(&rn->stat_mu);
        failed = 1;
    }
    while ((n = queue_pop(&rn->results[s])) != NULL) {
        result *r = (result *)n;
        /* ids of one shard come to one writer: no other thread touches this entry */
        ix_entry *e = r->id ? ix_map_get(&rn->existing, r->id) : NULL;
        int replaced = 0, wrote = 0;
        if (e)
            e->seen = 1; /* present in the input: never deleted, even if skipped now */
        if (r->kind == R_BUILT && !failed) {
            /* the expensive part, outside the lock: each shard's writer in parallel */
            if (acc_writer_write_shard(rn->w, s, r->x, &replaced, &err) != ACC_OK) {
                pthread_mutex_lock(&rn->stat_mu);
                write_failed(rn, &err);
                pthread_mutex_unlock(&rn->stat_mu);
                failed = 1;
            } else {
                wrote = 1;
            }
        }
        pthread_mutex_lock(&rn->stat_mu);
        failed |= rn->write_failed;
        rn->done_docs++;
        if (r->kind == R_UNCHANGED) {
            rn->unchanged++;
        } else if (r->kind == R_SKIPPED) {
            rn->skipped++;
            acc_log(ACC_LOG_WARN, "'%s': %s, skipped", r->where, r->why);
            report_skip(rn, r->where, r->why);
        } else if (wrote) {
            if (replaced)
                rn->updated++;
            else
                rn->added++;
            rn->repaired += (unsigned long)r->repaired;
            rn->bytes += r->bytes;
            count(rn->langs, r->lang);
            size_t nt;
            const char *const *topics = acc_built_doc_topics(r->x, &nt);
            for (size_t i = 0; i < nt; i++)
                count(rn->topics, topics[i]);
            acc_log(ACC_LOG_DEBUG, "%s %s [%s]", replaced ? "updated" : "added", r->id, r->lang);
        }
        report_progress(rn, 0);
        pthread_mutex_unlock(&rn->stat_mu);
        /* a text dictionary trained meanwhile goes into this shard's transaction */
        if (!failed && acc_writer_textdict_step(rn->w, s, &err) != ACC_OK) {
            pthread_mutex_lock(&rn->stat_mu);
            write_failed(rn, &err);
            pthread_mutex_unlock(&rn->stat_mu);
            failed = 1;
        }
        if (wrote) {
            in_batch++;
            batch_bytes += r->bytes;
            /* a batch is the whole run's: each shard commits its share of it */
            if (in_batch * rn->nshards >= rn->batch || batch_bytes >= BATCH_BYTES / rn->nshards) {
                failed |= commit_shard(rn, s) != 0;
                in_batch = 0;
                batch_bytes = 0;
            }
        }
        acc_built_doc_free(r->x);
        free(r->id);
        free(r->where);
        free(r->why);
        free(r);
    }
    return NULL;
}

int pipeline_run(run *rn, char *const *inputs, int ninputs, const strlist *walked)
{
    const unsigned ns = rn->nshards;
    pthread_t *workers, *writers = acc_xcalloc(ns, sizeof *writers);
    writer_arg *wargs = acc_xcalloc(ns, sizeof *wargs);
    int nworkers = 0, status = 0;
    unsigned nwriters = 0;

    /* the stored text's dictionary: the index's, or one trained from this run's first text */
    acc_error td_err;
    if (acc_writer_textdict_start(rn->w, &td_err) != ACC_OK) {
        acc_log(ACC_LOG_ERROR, "%s", td_err.msg);
        free(writers);
        free(wargs);
        return -1;
    }
    queue_init(&rn->jobs, QUEUE_JOBS);
    rn->results = acc_xcalloc(ns, sizeof *rn->results);
    for (unsigned s = 0; s < ns; s++)
        queue_init(&rn->results[s], QUEUE_RESULTS / ns + 2);
    workers = acc_xcalloc((size_t)rn->nthreads, sizeof *workers);
    for (int i = 0; i < rn->nthreads; i++)
        if (pthread_create(&workers[i], NULL, worker_main, rn) == 0)
            nworkers++;
    for (unsigned s = 0; s < ns && nworkers > 0; s++) {
        wargs[s].rn = rn;
        wargs[s].shard = s;
        if (pthread_create(&writers[s], NULL, writer_main, &wargs[s]) != 0)
            break;
        nwriters++;
    }
    if (nworkers == 0 || nwriters < ns) {
        acc_log(ACC_LOG_ERROR, "cannot start threads");
        queue_close(&rn->jobs);
        goto join;
    }
    for (int a = 0; a < ninputs; a++)
        walk_queue_input(rn, inputs[a], walk_source(rn, inputs[a]), &walked[a]);
    queue_close(&rn->jobs);
join:
    for (int i = 0; i < nworkers; i++)
        pthread_join(workers[i], NULL);
    for (unsigned s = 0; s < ns; s++)
        queue_close(&rn->results[s]);
    for (unsigned s = 0; s < nwriters; s++)
        pthread_join(writers[s], NULL);
    free(workers);
    free(writers);
    free(wargs);
    /* a dictionary trained after a shard's last document: stored for the next runs */
    for (unsigned s = 0; s < ns && !rn->write_failed && nwriters == ns; s++)
        if (acc_writer_textdict_step(rn->w, s, &td_err) != ACC_OK)
            write_failed(rn, &td_err);
    /* the documents written before it came: their text compressed again with it */
    unsigned long redone = 0;
    if (!rn->write_failed && nwriters == ns) {
        const double t = report_elapsed(&rn->t0);
        if (acc_writer_textdict_redo(rn->w, &redone, &td_err) != ACC_OK)
            write_failed(rn, &td_err);
        else if (redone)
            acc_log(ACC_LOG_INFO,
                    "stored text: %lu documents written before the dictionary stored again with "
                    "it, %.2f s",
                    redone, report_elapsed(&rn->t0) - t);
    }
    acc_writer_textdict_stop(rn->w);
    /* a writer that never started leaves results nobody frees: only when threads cannot start */
    if (nwriters < ns || rn->write_failed) {
        if (rn->write_failed)
            acc_log(ACC_LOG_ERROR, "%s", rn->write_err.msg);
        acc_writer_cancel(rn->w, NULL);
        status = -1;
    }
    return status;
}
