/*
 * accord-index: builds or updates an accord index from folders and files of
 * agreements (txt, md, html, pdf, jsonl; gzip/xz-compressed txt/md/jsonl).
 *
 * Threads: the main thread walks the inputs and queues jobs; N workers read,
 * extract, detect the language, find articles and build each document's
 * terms (the expensive part, acc_docbuild); one writer thread adds the
 * built documents to the index and commits them in batches, each batch a
 * transaction, so a killed run leaves the index at its last commit and the
 * next run carries on (unchanged documents are recognised by their stamp).
 * Queues are bounded, so memory does not grow with the corpus.
 *
 * Metadata precedence, highest first: sidecar <file>.json and Markdown front
 * matter; manifest.jsonl of the corpus root (or the jsonl record itself);
 * what the document says of itself (HTML <title>/lang/meta, PDF info);
 * derived (first line as title, detected language).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "accord/doc.h"
#include "accord/lang.h"
#include "accord/log.h"
#include "accord/mem.h"
#include "accord/structure.h"
#include "accord/text.h"
#include "accord/topics.h"
#include "accord/writer.h"
#include "formats.h"
#include "idmap.h"

#define INDEX_VERSION "6" /* bump to make every document be rebuilt */
#define MAX_TITLE_BYTES 300
#define QUEUE_JOBS 64
#define QUEUE_RESULTS 48
#define BATCH_BYTES (24ull << 20) /* bounds the writer's memory: ~4-5 bytes per byte of text */

/* ---- a bounded blocking queue ---------------------------------------------- */

typedef struct qnode {
    struct qnode *next;
} qnode;

typedef struct queue {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    qnode *head, *tail;
    size_t n, cap;
    int closed;
} queue;

static void q_init(queue *q, size_t cap)
{
    memset(q, 0, sizeof *q);
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->not_empty, NULL);
    pthread_cond_init(&q->not_full, NULL);
    q->cap = cap;
}

static void q_push(queue *q, qnode *item)
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

/* NULL once the queue is closed and empty. */
static qnode *q_pop(queue *q)
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

static void q_close(queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->closed = 1;
    pthread_cond_broadcast(&q->not_empty);
    pthread_mutex_unlock(&q->mu);
}

/* ---- jobs and results ------------------------------------------------------ */

typedef struct job {
    qnode node; /* first: a job is a qnode */
    char *path; /* file, or the jsonl file of a record */
    unsigned long lineno;
    char *id; /* files: from the path; records: NULL until parsed */
    ix_kind kind;
    ix_comp comp;
    const char *source;
    json_t *manifest;   /* the manifest entry (a reference), or NULL */
    const char *origin; /* records: the real path of their jsonl file */
    char *line;         /* records: the JSON line */
    size_t line_len;
    unsigned long long size;
    long long mtime_ns;
} job;

enum { R_BUILT, R_UNCHANGED, R_SKIPPED };

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

typedef struct skip_item {
    char *path, *why;
} skip_item;

typedef struct run {
    /* options */
    const char *index;
    int quiet, json, no_delete, nthreads;
    unsigned batch;
    /* shared, read-only once workers start */
    acc_topics *vocab;
    char vocab_hash[17];
    ix_map existing;
    char **sources;
    size_t nsources;
    char **origins; /* real paths of jsonl files, shared by their jobs */
    size_t norigins;
    char **file_keys; /* metadata key/value pairs of jsonl files read to the end */
    size_t nfile_keys;
    unsigned long unchanged_files_docs; /* records of unchanged jsonl files */
    char **skip_files;                  /* jsonl files found unchanged before the threads start */
    size_t nskip_files;
    /* pipeline */
    queue jobs, results;
    acc_writer *w;
    /* writer-side statistics */
    unsigned long added, updated, deleted, unchanged, skipped, repaired;
    unsigned long walk_skipped, unknown; /* counted by the walking (main) thread */
    unsigned long long bytes, done_docs, total_files;
    json_t *langs, *topics;
    skip_item *skips;
    size_t nskips;
    pthread_mutex_t skip_mu; /* skips are added by the writer and the walker */
    int write_failed;
    acc_error write_err;
    struct timespec t0;
    int progress;
} run;

static uint64_t fnv1a(const void *p, size_t n, uint64_t h)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ull;
    }
    return h;
}

#define FNV_INIT 1469598103934665603ull

static double elapsed(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* ---- metadata ------------------------------------------------------------- */

/* The first non-empty string for key across layers (highest precedence first). */
static const char *meta_str(json_t *const *layers, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++) {
        json_t *v = layers[i] ? json_object_get(layers[i], key) : NULL;
        if (json_is_string(v) && *json_string_value(v))
            return json_string_value(v);
    }
    return NULL;
}

/* A list field (array of strings, or one comma-separated string) as strings. */
static size_t meta_list(json_t *const *layers, size_t n, const char *key, const char ***out)
{
    for (size_t i = 0; i < n; i++) {
        json_t *v = layers[i] ? json_object_get(layers[i], key) : NULL;
        if (json_is_array(v) && json_array_size(v)) {
            const char **list = acc_xcalloc(json_array_size(v), sizeof *list);
            size_t k = 0;
            for (size_t j = 0; j < json_array_size(v); j++) {
                const char *s = json_string_value(json_array_get(v, j));
                if (s && *s)
                    list[k++] = s;
            }
            *out = list;
            return k;
        }
    }
    *out = NULL;
    return 0;
}

static void cut_title(acc_buf *title)
{
    size_t n = title->n;
    while (n && (title->p[n - 1] == ' ' || title->p[n - 1] == '\t' || title->p[n - 1] == '\r'))
        n--;
    if (n > MAX_TITLE_BYTES) {
        n = MAX_TITLE_BYTES;
        while (n && ((unsigned char)title->p[n] & 0xC0) == 0x80)
            n--;
    }
    title->n = n;
    title->p[n] = '\0';
    /* one line: newlines inside a title become spaces */
    for (size_t i = 0; i < n; i++)
        if (title->p[i] == '\n' || title->p[i] == '\t')
            title->p[i] = ' ';
}

/* First non-blank line of text (a title when nothing better is known). */
static void first_line(const char *text, size_t n, acc_buf *out)
{
    size_t i = 0, j;
    while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
        i++;
    j = i;
    while (j < n && text[j] != '\n' && j - i < 4 * MAX_TITLE_BYTES)
        j++;
    acc_buf_append(out, text + i, j - i);
}

/*
 * The main language of a text: detected on three samples (10%, 50% and 80%
 * of the way in) and voted, so that page furniture at the top of a page
 * (menus in another language) does not decide.
 */
static void detect_language(const char *text, size_t n, char out[ACC_LANG_MAX])
{
    char votes[3][ACC_LANG_MAX];
    static const double at[3] = {0.1, 0.5, 0.8};
    const size_t sample = 1500;

    if (n <= 3 * sample) {
        acc_lang_detect(text, n, out, NULL);
        return;
    }
    for (int i = 0; i < 3; i++) {
        size_t s = (size_t)((double)n * at[i]);
        while (s > 0 && ((unsigned char)text[s] & 0xC0) == 0x80)
            s--;
        size_t len = s + sample < n ? sample : n - s;
        acc_lang_detect(text + s, len, votes[i], NULL);
    }
    for (int i = 0; i < 3; i++) {
        int count = 0;
        for (int j = 0; j < 3; j++)
            count += strcmp(votes[i], votes[j]) == 0;
        if (count >= 2 && strcmp(votes[i], "und") != 0) {
            strcpy(out, votes[i]);
            return;
        }
    }
    /* no majority: the whole text's start decides */
    acc_lang_detect(text, n, out, NULL);
}

/* ---- the worker -------------------------------------------------------------- */

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

static int blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t' || p[i] == '\f'))
            return 0;
    return 1;
}

/* Loads "<path>.json" when it exists: 1 loaded, 0 absent, -1 invalid (why set). */
static int load_sidecar(const char *path, json_t **out, char *why, size_t whylen)
{
    char side[PATH_MAX + 8];
    json_error_t jerr;
    struct stat sb;

    *out = NULL;
    if (snprintf(side, sizeof side, "%s.json", path) >= (int)sizeof side || stat(side, &sb) != 0)
        return 0;
    *out = json_load_file(side, 0, &jerr);
    if (!*out || !json_is_object(*out)) {
        snprintf(why, whylen, "invalid metadata in '%.200s': %.200s", side,
                 *out ? "not a JSON object" : jerr.text);
        json_decref(*out);
        *out = NULL;
        return -1;
    }
    return 1;
}

static result *process(run *rn, job *j)
{
    char why[512], where[PATH_MAX + 32];
    acc_buf raw, text, clean, title;
    json_t *record = NULL, *sidecar = NULL, *embedded = json_object(), *front = NULL;
    result *r = NULL;
    char stamp[PATH_MAX + 160];
    uint64_t content_hash;
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
        if (!t || blank(t, strlen(t))) {
            r = skip(j->id, where, "no text");
            goto out;
        }
        acc_buf_append(&text, t, strlen(t));
        content_hash = fnv1a(j->line, j->line_len, FNV_INIT);
        snprintf(stamp, sizeof stamp, "v%s;%s;r;%016llx;%s", INDEX_VERSION, rn->vocab_hash,
                 (unsigned long long)content_hash, j->origin ? j->origin : "");
        ix_entry *old = ix_map_get(&rn->existing, j->id);
        if (old && old->stamp && strcmp(old->stamp, stamp) == 0) {
            r = new_result(R_UNCHANGED, j->id, where);
            goto out;
        }
    } else {
        snprintf(where, sizeof where, "%s", j->path);
        int sc = load_sidecar(j->path, &sidecar, why, sizeof why);
        if (sc < 0) {
            r = skip(j->id, where, why);
            goto out;
        }
        /* the metadata's own hash: a changed manifest entry or sidecar rebuilds */
        uint64_t mh = FNV_INIT;
        char *ms = j->manifest ? json_dumps(j->manifest, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
        char *ss = sidecar ? json_dumps(sidecar, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
        if (ms)
            mh = fnv1a(ms, strlen(ms), mh);
        mh = fnv1a("|", 1, mh);
        if (ss)
            mh = fnv1a(ss, strlen(ss), mh);
        free(ms);
        free(ss);
        char prefix[96];
        snprintf(prefix, sizeof prefix, "v%s;%s;f;%016llx;%llu;%lld;", INDEX_VERSION,
                 rn->vocab_hash, (unsigned long long)mh, j->size, j->mtime_ns);
        ix_entry *old = ix_map_get(&rn->existing, j->id);
        if (old && old->stamp && strncmp(old->stamp, prefix, strlen(prefix)) == 0) {
            r = new_result(R_UNCHANGED, j->id, where);
            goto out;
        }
        if (ix_read_file(j->path, j->comp, &raw, why, sizeof why) != 0) {
            r = skip(j->id, where, why);
            goto out;
        }
        content_hash = fnv1a(raw.p, raw.n, FNV_INIT);
        snprintf(stamp, sizeof stamp, "%s%016llx", prefix, (unsigned long long)content_hash);
        if (raw.n == 0 || blank(raw.p, raw.n)) {
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
    if (!clean.p || blank(clean.p, clean.n)) {
        r = skip(j->id, where, j->kind == IX_PDF ? "no text (a scanned PDF?)" : "no text");
        goto out;
    }

    json_t *layers[] = {sidecar, front, j->manifest ? j->manifest : record, embedded};
    const size_t nl = sizeof layers / sizeof layers[0];

    const char *t = meta_str(layers, nl, "title");
    if (t)
        acc_utf8_sanitize(t, strlen(t), &title);
    else
        first_line(clean.p, clean.n, &title);
    if (!title.p)
        acc_buf_append(&title, "", 0);
    cut_title(&title);

    const char *lang = meta_str(layers, nl, "language");
    if (!lang)
        lang = meta_str(layers, nl, "lang");
    if (!lang || !acc_lang_parse(lang, strlen(lang), d.lang)) {
        if (lang)
            acc_log(ACC_LOG_WARN, "'%s': invalid language '%.16s', detecting it", where, lang);
        detect_language(clean.p, clean.n, d.lang);
    }
    const char *date = meta_str(layers, nl, "date");
    if (date && acc_date_parse(date, d.date) != 0)
        acc_log(ACC_LOG_WARN, "'%s': invalid date '%.32s', ignored", where, date);

    d.id = j->id;
    d.title = title.p;
    d.type = meta_str(layers, nl, "doc_type");
    if (!d.type)
        d.type = meta_str(layers, nl, "type");
    d.url = meta_str(layers, nl, "url");
    d.path = j->line ? "" : j->path;
    d.text = clean.p;
    d.text_len = clean.n;
    d.nparties = meta_list(layers, nl, "parties", &parties);
    d.parties = parties;
    d.ntopics = meta_list(layers, nl, "topics", &topics);
    d.topics = topics;
    narticles = acc_articles_find(clean.p, clean.n, &articles);
    d.articles = articles;
    d.narticles = narticles;
    d.stamp = stamp;
    d.source = j->source;
    d.work = meta_str(layers, nl, "work");
    if (!d.work)
        d.work = meta_str(layers, nl, "english_title");

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
    while ((n = q_pop(&rn->jobs)) != NULL) {
        job *j = (job *)n;
        result *r = process(rn, j);
        job_free(j);
        q_push(&rn->results, &r->node);
    }
    acc_lang_thread_cleanup();
    return NULL;
}

/* ---- the writer -------------------------------------------------------------- */

static void count(json_t *obj, const char *key)
{
    json_object_set_new(obj, key, json_integer(json_integer_value(json_object_get(obj, key)) + 1));
}

static void show_progress(run *rn, int final)
{
    static double last;
    double t = elapsed(&rn->t0);
    if (!rn->progress || (!final && t - last < 0.2))
        return;
    last = t;
    unsigned long long done = rn->done_docs, total = rn->total_files;
    double mb = (double)rn->bytes / 1e6;
    char eta[32] = "";
    if (total >= done && done > 0 && !final) {
        double rest = t / (double)done * (double)(total - done);
        snprintf(eta, sizeof eta, "  ETA %d:%02d", (int)rest / 60, (int)rest % 60);
    }
    int width = 24, fill = total ? (int)((double)width * (double)done / (double)total) : 0;
    if (fill > width)
        fill = width;
    char count[64];
    if (total)
        snprintf(count, sizeof count, "%llu/%llu", done, total);
    else
        snprintf(count, sizeof count, "%llu", done);
    fprintf(stderr, "\r[%.*s%*s] %s docs  %.1f MB  %.2f MB/s%s   ", fill,
            "########################", width - fill, "", count, mb, t > 0 ? mb / t : 0.0, eta);
    if (final)
        fputc('\n', stderr);
    fflush(stderr);
}

/* Records a skipped file for the summary (writer thread or, before it starts, main). */
static void add_skip(run *rn, const char *where, const char *why)
{
    pthread_mutex_lock(&rn->skip_mu);
    rn->skips = acc_xrealloc(rn->skips, (rn->nskips + 1) * sizeof *rn->skips);
    rn->skips[rn->nskips].path = acc_xstrdup(where);
    rn->skips[rn->nskips].why = acc_xstrdup(why);
    rn->nskips++;
    pthread_mutex_unlock(&rn->skip_mu);
}

static int commit_batch(run *rn, int reopen)
{
    if (acc_writer_commit(rn->w, &rn->write_err) != ACC_OK ||
        (reopen && acc_writer_begin(rn->w, &rn->write_err) != ACC_OK)) {
        rn->write_failed = 1;
        return -1;
    }
    return 0;
}

static void *writer_main(void *arg)
{
    run *rn = arg;
    unsigned long in_batch = 0;
    unsigned long long batch_bytes = 0;
    qnode *n;

    if (acc_writer_begin(rn->w, &rn->write_err) != ACC_OK)
        rn->write_failed = 1;
    while ((n = q_pop(&rn->results)) != NULL) {
        result *r = (result *)n;
        ix_entry *e = r->id ? ix_map_get(&rn->existing, r->id) : NULL;
        if (e)
            e->seen = 1; /* present in the input: never deleted, even if skipped now */
        rn->done_docs++;
        if (r->kind == R_UNCHANGED) {
            rn->unchanged++;
        } else if (r->kind == R_SKIPPED) {
            rn->skipped++;
            acc_log(ACC_LOG_WARN, "'%s': %s, skipped", r->where, r->why);
            add_skip(rn, r->where, r->why);
        } else if (!rn->write_failed) {
            int replaced = 0;
            if (acc_writer_write(rn->w, r->x, &replaced, &rn->write_err) != ACC_OK) {
                rn->write_failed = 1;
            } else {
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
                acc_log(ACC_LOG_DEBUG, "%s %s [%s]", replaced ? "updated" : "added", r->id,
                        r->lang);
                in_batch++;
                batch_bytes += r->bytes;
                if (in_batch >= rn->batch || batch_bytes >= BATCH_BYTES) {
                    commit_batch(rn, 1);
                    in_batch = 0;
                    batch_bytes = 0;
                }
            }
        }
        acc_built_doc_free(r->x);
        free(r->id);
        free(r->where);
        free(r->why);
        free(r);
        show_progress(rn, 0);
    }
    return NULL;
}

/* ---- walking the inputs --------------------------------------------------------- */

typedef struct strlist {
    char **v;
    size_t n;
} strlist;

static void list_add(strlist *l, char *s)
{
    l->v = acc_xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = s;
}

static void list_free(strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void load_ignores(const char *root, strlist *pats)
{
    char path[PATH_MAX], line[1024];
    FILE *f;
    snprintf(path, sizeof path, "%s/.accordignore", root);
    f = fopen(path, "r");
    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] && line[0] != '#')
            list_add(pats, acc_xstrdup(line));
    }
    fclose(f);
}

static int ignored(const strlist *pats, const char *rel)
{
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    for (size_t i = 0; i < pats->n; i++) {
        const char *p = pats->v[i];
        if (fnmatch(p, rel, FNM_PATHNAME) == 0 || (!strchr(p, '/') && fnmatch(p, base, 0) == 0))
            return 1;
    }
    return 0;
}

static void walk(const char *root, const char *rel, int depth, strlist *out)
{
    char path[PATH_MAX];
    DIR *d;
    struct dirent *e;

    if (snprintf(path, sizeof path, "%s%s%s", root, *rel ? "/" : "", rel) >= (int)sizeof path)
        return;
    if (depth > 40) {
        acc_log(ACC_LOG_WARN, "'%s': directories nested too deep, not read", path);
        return;
    }
    d = opendir(path);
    if (!d) {
        acc_log(ACC_LOG_WARN, "cannot read directory '%s': %s", path, strerror(errno));
        return;
    }
    while ((e = readdir(d)) != NULL) {
        char sub[PATH_MAX], full[PATH_MAX];
        struct stat sb;
        if (e->d_name[0] == '.')
            continue;
        if (snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name) >=
                (int)sizeof sub ||
            snprintf(full, sizeof full, "%s/%s", root, sub) >= (int)sizeof full) {
            acc_log(ACC_LOG_WARN, "'%s/%s': path too long, skipped", path, e->d_name);
            continue;
        }
        if (stat(full, &sb) != 0) {
            acc_log(ACC_LOG_WARN, "cannot read '%s': %s", full, strerror(errno));
            continue;
        }
        if (S_ISDIR(sb.st_mode))
            walk(root, sub, depth + 1, out);
        else if (S_ISREG(sb.st_mode))
            list_add(out, acc_xstrdup(sub));
    }
    closedir(d);
}

static json_t *load_manifest(const char *root)
{
    char path[PATH_MAX];
    ix_lines *l;
    const char *line;
    size_t len;
    char why[160];
    unsigned long lineno = 0;
    json_t *map;

    snprintf(path, sizeof path, "%s/manifest.jsonl", root);
    if (access(path, F_OK) != 0)
        return NULL;
    l = ix_lines_open(path, IX_PLAIN, why, sizeof why);
    if (!l) {
        acc_log(ACC_LOG_WARN, "cannot read '%s': %s", path, why);
        return NULL;
    }
    map = json_object();
    while ((line = ix_lines_next(l, &len)) != NULL) {
        json_error_t jerr;
        json_t *rec;
        lineno++;
        if (blank(line, len))
            continue;
        rec = json_loadb(line, len, 0, &jerr);
        const char *id = json_string_value(json_object_get(rec, "id"));
        if (!rec || !json_is_object(rec) || !id || !*id) {
            acc_log(ACC_LOG_WARN, "%s:%lu: %s, ignored", path, lineno,
                    !rec ? jerr.text : "not a record with an \"id\"");
            json_decref(rec);
            continue;
        }
        json_object_set_new(map, id, rec);
    }
    if (ix_lines_error(l, why, sizeof why))
        acc_log(ACC_LOG_WARN, "'%s': %s", path, why);
    ix_lines_close(l);
    return map;
}

static const char *add_origin(run *rn, const char *real);

/* The stamp of a whole jsonl file, and the metadata key it is kept under. */
static void file_stamp(const run *rn, const char *real, const struct stat *sb, char *key,
                       size_t keylen, char *val, size_t vallen)
{
    snprintf(key, keylen, "accord.file:%s", real);
    snprintf(val, vallen, "v%s;%s;%lld;%lld", INDEX_VERSION, rn->vocab_hash, (long long)sb->st_size,
             (long long)sb->st_mtim.tv_sec * 1000000000ll + sb->st_mtim.tv_nsec);
}

/* The origin recorded in a record's stamp ("v;vocab;r;hash;origin"), or NULL. */
static const char *stamp_origin(const char *stamp)
{
    int semis = 0;
    if (!stamp)
        return NULL;
    for (const char *p = stamp; *p; p++)
        if (*p == ';' && ++semis == 4)
            return p + 1;
    return NULL;
}

/*
 * An unchanged jsonl file (same size, mtime, vocabulary and accord version as
 * when its records were last all written) is not read again: its records are
 * marked seen and counted unchanged. Called before the threads start.
 * Returns 1 when the file can be skipped.
 */
static int jsonl_unchanged(run *rn, const char *path)
{
    char real[PATH_MAX], key[PATH_MAX + 32], val[160];
    char *old = NULL;
    struct stat sb;
    int same;
    if (!realpath(path, real) || stat(real, &sb) != 0)
        return 0;
    file_stamp(rn, real, &sb, key, sizeof key, val, sizeof val);
    if (acc_writer_get_meta(rn->w, key, &old, NULL) != ACC_OK)
        return 0;
    same = strcmp(old, val) == 0;
    free(old);
    if (!same)
        return 0;
    for (size_t i = 0; i < rn->existing.cap; i++) {
        ix_entry *e = &rn->existing.slots[i];
        const char *o = e->id ? stamp_origin(e->stamp) : NULL;
        if (o && strcmp(o, real) == 0 && !e->seen) {
            e->seen = 1;
            rn->unchanged_files_docs++;
        }
    }
    return 1;
}

static void queue_records(run *rn, const char *path, ix_comp comp, const char *source)
{
    char real[PATH_MAX];
    struct stat sb;
    const char *origin = realpath(path, real) ? add_origin(rn, real) : NULL;
    char why[160];
    const char *line;
    size_t len;
    unsigned long lineno = 0;
    ix_lines *l = ix_lines_open(path, comp, why, sizeof why);

    if (!l) {
        acc_log(ACC_LOG_WARN, "cannot read '%s': %s, skipped", path, why);
        rn->walk_skipped++;
        add_skip(rn, path, why);
        return;
    }
    while ((line = ix_lines_next(l, &len)) != NULL) {
        lineno++;
        if (blank(line, len))
            continue;
        job *j = acc_xcalloc(1, sizeof *j);
        j->path = acc_xstrdup(path);
        j->lineno = lineno;
        j->line = acc_xstrndup(line, len);
        j->line_len = len;
        j->kind = IX_JSONL;
        j->source = source;
        j->origin = origin;
        q_push(&rn->jobs, &j->node);
    }
    if (ix_lines_error(l, why, sizeof why)) {
        acc_log(ACC_LOG_WARN, "'%s': %s after line %lu; the lines before were read", path, why,
                lineno);
    } else if (origin && stat(real, &sb) == 0) {
        /* read to the end: once the run commits, the file counts as indexed */
        char key[PATH_MAX + 32], val[160];
        file_stamp(rn, real, &sb, key, sizeof key, val, sizeof val);
        rn->file_keys = acc_xrealloc(rn->file_keys, (rn->nfile_keys + 1) * sizeof(char *) * 2);
        rn->file_keys[2 * rn->nfile_keys] = acc_xstrdup(key);
        rn->file_keys[2 * rn->nfile_keys + 1] = acc_xstrdup(val);
        rn->nfile_keys++;
    }
    ix_lines_close(l);
}

static void queue_file(run *rn, const char *path, const char *id, ix_kind kind, ix_comp comp,
                       const char *source, json_t *manifest_entry, const struct stat *sb)
{
    job *j = acc_xcalloc(1, sizeof *j);
    j->path = acc_xstrdup(path);
    j->id = acc_xstrdup(id);
    j->kind = kind;
    j->comp = comp;
    j->source = source;
    j->manifest = json_incref(manifest_entry);
    j->size = (unsigned long long)sb->st_size;
    j->mtime_ns = (long long)sb->st_mtim.tv_sec * 1000000000ll + sb->st_mtim.tv_nsec;
    q_push(&rn->jobs, &j->node);
}

static const char *add_origin(run *rn, const char *real)
{
    for (size_t i = 0; i < rn->norigins; i++)
        if (strcmp(rn->origins[i], real) == 0)
            return rn->origins[i];
    rn->origins = acc_xrealloc(rn->origins, (rn->norigins + 1) * sizeof *rn->origins);
    rn->origins[rn->norigins] = acc_xstrdup(real);
    return rn->origins[rn->norigins++];
}

static const char *add_source(run *rn, const char *path)
{
    char real[PATH_MAX];
    const char *p = realpath(path, real) ? real : path;
    for (size_t i = 0; i < rn->nsources; i++)
        if (strcmp(rn->sources[i], p) == 0)
            return rn->sources[i];
    rn->sources = acc_xrealloc(rn->sources, (rn->nsources + 1) * sizeof *rn->sources);
    rn->sources[rn->nsources] = acc_xstrdup(p);
    return rn->sources[rn->nsources++];
}

static int skipped_file(const run *rn, const char *path)
{
    for (size_t i = 0; i < rn->nskip_files; i++)
        if (strcmp(rn->skip_files[i], path) == 0)
            return 1;
    return 0;
}

/* Queues every document of one input (a corpus root or a file); 0, or -1 when unreadable. */
static int queue_input(run *rn, const char *input, const char *source, strlist *files)
{
    struct stat sb;
    if (stat(input, &sb) != 0) {
        acc_log(ACC_LOG_ERROR, "cannot read '%s': %s", input, strerror(errno));
        return -1;
    }
    if (S_ISREG(sb.st_mode)) {
        ix_comp comp;
        size_t stem;
        const char *base = strrchr(input, '/');
        base = base ? base + 1 : input;
        ix_kind kind = ix_classify(base, &comp, &stem);
        if (kind == IX_NONE) {
            acc_log(ACC_LOG_ERROR, "'%s': not a document format accord reads", input);
            return -1;
        }
        if (kind == IX_JSONL) {
            if (!skipped_file(rn, input))
                queue_records(rn, input, comp, source);
        } else {
            char *id = acc_xstrndup(base, stem);
            queue_file(rn, input, id, kind, comp, source, NULL, &sb);
            free(id);
        }
        return 0;
    }
    if (!S_ISDIR(sb.st_mode)) {
        acc_log(ACC_LOG_ERROR, "'%s': not a file or a directory", input);
        return -1;
    }
    json_t *manifest = load_manifest(input);
    strlist pats = {0};
    load_ignores(input, &pats);
    for (size_t i = 0; i < files->n; i++) {
        const char *rel = files->v[i];
        char path[PATH_MAX];
        ix_comp comp;
        size_t stem;
        struct stat fsb;
        ix_kind kind = ix_classify(rel, &comp, &stem);
        if (strcmp(rel, "manifest.jsonl") == 0 || ignored(&pats, rel))
            continue;
        if (kind == IX_NONE) {
            size_t n = strlen(rel);
            /* sidecars are metadata, not documents */
            if (!(n > 5 && strcmp(rel + n - 5, ".json") == 0)) {
                char where[PATH_MAX];
                snprintf(where, sizeof where, "%s/%s", input, rel);
                rn->unknown++;
                rn->walk_skipped++;
                add_skip(rn, where, "not a format accord reads");
                acc_log(ACC_LOG_DEBUG, "'%s': unknown format, skipped", where);
            }
            continue;
        }
        snprintf(path, sizeof path, "%s/%s", input, rel);
        if (stat(path, &fsb) != 0)
            continue;
        if (kind == IX_JSONL) {
            if (!skipped_file(rn, path))
                queue_records(rn, path, comp, source);
            continue;
        }
        char *id = acc_xstrndup(rel, stem);
        if (!acc_utf8_valid(id, strlen(id))) {
            acc_log(ACC_LOG_WARN, "'%s': file name is not valid UTF-8, skipped", path);
            rn->walk_skipped++;
            add_skip(rn, path, "file name is not valid UTF-8");
        } else {
            queue_file(rn, path, id, kind, comp, source,
                       manifest ? json_object_get(manifest, id) : NULL, &fsb);
        }
        free(id);
    }
    list_free(&pats);
    json_decref(manifest);
    return 0;
}

/* ---- main ---------------------------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f, "usage: accord-index --index DIR [options] INPUT...\n"
               "\n"
               "Builds or updates the index DIR from each INPUT: a folder of documents\n"
               "(walked recursively) or a single file. Formats: .txt .md .html/.htm .pdf .jsonl,\n"
               "and .txt/.md/.html/.jsonl compressed with gzip (.gz) or xz (.xz).\n"
               "A document's id is its path under the folder without extensions (jsonl:\n"
               "the record's id). Metadata, highest precedence first: a sidecar <file>.json\n"
               "or Markdown front matter; manifest.jsonl in the folder; what the document\n"
               "says (HTML title/lang, PDF info); derived (first line, detected language).\n"
               "A .accordignore file in a folder lists glob patterns of files to leave out.\n"
               "Unchanged documents are skipped; changed ones replaced; documents whose file\n"
               "is gone are deleted. Documents are committed in batches: a killed run keeps\n"
               "what was committed, and the next run carries on.\n"
               "\n"
               "  -i, --index DIR    the index to create or update (required)\n"
               "  -t, --threads N    documents prepared in parallel (default: CPU count)\n"
               "  -b, --batch N      documents per commit (default 1000)\n"
               "      --topics FILE  topic vocabulary (default: topics.tsv of an input folder,\n"
               "                     $ACCORD_TOPICS, or accord's corpus/topics.tsv)\n"
               "      --no-topics    do not tag topics\n"
               "      --no-delete    keep documents whose file is gone\n"
               "      --json         print a JSON summary on stdout\n"
               "  -q, --quiet        only errors\n"
               "  -v, --verbose      one line per document\n"
               "  -h, --help         this text\n"
               "\n"
               "Exit status: 0 done (skipped files are listed), 2 usage error or the index\n"
               "could not be opened or written.\n");
}

static const char *find_topics(const char *opt, int argc, char **argv, int first)
{
    static char path[PATH_MAX];
    if (opt)
        return opt;
    for (int a = first; a < argc; a++) {
        struct stat sb;
        snprintf(path, sizeof path, "%s/topics.tsv", argv[a]);
        if (stat(argv[a], &sb) == 0 && S_ISDIR(sb.st_mode) && access(path, R_OK) == 0)
            return path;
    }
    return acc_topics_default_path();
}

static int collect_existing(void *ctx, const char *id, const char *source, const char *stamp)
{
    ix_map_put(ctx, id, stamp, source);
    return 0;
}

static void print_summary(run *rn, double secs)
{
    unsigned long docs = acc_writer_doccount(rn->w);
    if (rn->json) {
        json_t *o = json_object(), *sk = json_array();
        for (size_t i = 0; i < rn->nskips; i++)
            json_array_append_new(sk, json_pack("{s:s?,s:s?}", "path", rn->skips[i].path, "reason",
                                                rn->skips[i].why));
        json_object_set_new(o, "added", json_integer((json_int_t)rn->added));
        json_object_set_new(o, "updated", json_integer((json_int_t)rn->updated));
        json_object_set_new(o, "deleted", json_integer((json_int_t)rn->deleted));
        json_object_set_new(o, "unchanged", json_integer((json_int_t)rn->unchanged));
        json_object_set_new(o, "skipped", json_integer((json_int_t)rn->skipped));
        json_object_set_new(o, "unknown_format", json_integer((json_int_t)rn->unknown));
        json_object_set_new(o, "repaired", json_integer((json_int_t)rn->repaired));
        json_object_set_new(o, "bytes", json_integer((json_int_t)rn->bytes));
        json_object_set_new(o, "seconds", json_real(secs));
        json_object_set_new(o, "documents", json_integer((json_int_t)docs));
        json_object_set_new(o, "languages", json_incref(rn->langs));
        json_object_set_new(o, "topics", json_incref(rn->topics));
        json_object_set_new(o, "skipped_files", sk);
        json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
        json_decref(o);
    }
    if (rn->quiet)
        return;
    acc_buf langs, topics;
    const char *key;
    json_t *val;
    acc_buf_init(&langs, 0);
    acc_buf_init(&topics, 0);
    json_object_foreach(rn->langs, key, val)
    {
        acc_buf_printf(&langs, "%s%s %lld", langs.n ? ", " : "", key,
                       (long long)json_integer_value(val));
    }
    json_object_foreach(rn->topics, key, val)
    {
        acc_buf_printf(&topics, "%s%s %lld", topics.n ? ", " : "", key,
                       (long long)json_integer_value(val));
    }
    fprintf(stderr,
            "accord-index: %lu added, %lu updated, %lu deleted, %lu unchanged, %lu skipped, "
            "%lu repaired, %lu of unknown format\n"
            "  %.1f MB of text in %.2f s (%.2f MB/s); %lu documents in '%s'\n"
            "  languages: %s\n  topics: %s\n",
            rn->added, rn->updated, rn->deleted, rn->unchanged, rn->skipped, rn->repaired,
            rn->unknown, (double)rn->bytes / 1e6, secs,
            secs > 0 ? (double)rn->bytes / 1e6 / secs : 0.0, docs, rn->index,
            langs.p ? langs.p : "-", topics.p ? topics.p : "-");
    for (size_t i = 0; i < rn->nskips && i < 50; i++)
        fprintf(stderr, "  skipped %s: %s\n", rn->skips[i].path, rn->skips[i].why);
    if (rn->nskips > 50)
        fprintf(stderr, "  ... and %zu more skipped (see the warnings above)\n", rn->nskips - 50);
    acc_buf_release(&langs);
    acc_buf_release(&topics);
}

static int parse_count(const char *s, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < 1 || v > max)
        return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    run rn;
    const char *topics_opt = NULL;
    int no_topics = 0, status = 2, a;
    acc_log_level level = ACC_LOG_INFO;
    acc_error err;
    pthread_t *workers = NULL, writer;
    int nworkers = 0, writer_started = 0;
    strlist *walked = NULL;
    int first_input;

    memset(&rn, 0, sizeof rn);
    pthread_mutex_init(&rn.skip_mu, NULL);
    rn.batch = 1000;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    rn.nthreads = ncpu > 0 ? (int)(ncpu > 16 ? 16 : ncpu) : 2;
    for (a = 1; a < argc && argv[a][0] == '-' && argv[a][1]; a++) {
        const char *o = argv[a];
        long v;
        if (strcmp(o, "--") == 0) {
            a++;
            break;
        }
        if ((strcmp(o, "-i") == 0 || strcmp(o, "--index") == 0) && a + 1 < argc) {
            rn.index = argv[++a];
        } else if (strncmp(o, "--index=", 8) == 0) {
            rn.index = o + 8;
        } else if ((strcmp(o, "-t") == 0 || strcmp(o, "--threads") == 0) && a + 1 < argc) {
            if (parse_count(argv[++a], 64, &v) != 0) {
                fprintf(stderr, "accord-index: invalid --threads '%s': expected 1-64\n", argv[a]);
                return 2;
            }
            rn.nthreads = (int)v;
        } else if ((strcmp(o, "-b") == 0 || strcmp(o, "--batch") == 0) && a + 1 < argc) {
            if (parse_count(argv[++a], 1000000, &v) != 0) {
                fprintf(stderr, "accord-index: invalid --batch '%s': expected 1-1000000\n",
                        argv[a]);
                return 2;
            }
            rn.batch = (unsigned)v;
        } else if (strcmp(o, "--topics") == 0 && a + 1 < argc) {
            topics_opt = argv[++a];
        } else if (strcmp(o, "--no-topics") == 0) {
            no_topics = 1;
        } else if (strcmp(o, "--no-delete") == 0) {
            rn.no_delete = 1;
        } else if (strcmp(o, "--json") == 0) {
            rn.json = 1;
        } else if (strcmp(o, "-q") == 0 || strcmp(o, "--quiet") == 0) {
            level = ACC_LOG_ERROR;
            rn.quiet = 1;
        } else if (strcmp(o, "-v") == 0 || strcmp(o, "--verbose") == 0) {
            level = ACC_LOG_DEBUG;
        } else if (strcmp(o, "-h") == 0 || strcmp(o, "--help") == 0) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "accord-index: unknown or incomplete option '%s' (see --help)\n", o);
            return 2;
        }
    }
    acc_log_setup("accord-index", level);
    first_input = a;
    if (!rn.index || first_input >= argc) {
        usage(stderr);
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &rn.t0);
    rn.langs = json_object();
    rn.topics = json_object();
    ix_map_init(&rn.existing);

    /* every input must exist before anything is written */
    for (a = first_input; a < argc; a++) {
        struct stat sb;
        if (stat(argv[a], &sb) != 0) {
            acc_log(ACC_LOG_ERROR, "cannot read input '%s': %s", argv[a], strerror(errno));
            goto out;
        }
    }
    if (!no_topics) {
        const char *tp = find_topics(topics_opt, argc, argv, first_input);
        if (tp && acc_topics_load(tp, &rn.vocab, &err) != ACC_OK) {
            acc_log(ACC_LOG_ERROR, "%s", err.msg);
            goto out;
        }
        if (tp) {
            /* the vocabulary is part of every stamp: a changed vocabulary re-tags */
            acc_buf b;
            char why[160];
            uint64_t h = FNV_INIT;
            if (ix_read_file(tp, IX_PLAIN, &b, why, sizeof why) == 0) {
                h = fnv1a(b.p, b.n, h);
                acc_buf_release(&b);
            }
            snprintf(rn.vocab_hash, sizeof rn.vocab_hash, "%016llx", (unsigned long long)h);
        } else if (topics_opt == NULL) {
            acc_log(ACC_LOG_WARN, "no topic vocabulary found; documents get no topics");
        }
    }
    if (!rn.vocab_hash[0])
        strcpy(rn.vocab_hash, "-");

    if (acc_writer_open(rn.index, &rn.w, &err) != ACC_OK) {
        acc_log(ACC_LOG_ERROR, "%s", err.msg);
        goto out;
    }
    if (acc_writer_each(rn.w, collect_existing, &rn.existing, &err) != ACC_OK) {
        acc_log(ACC_LOG_ERROR, "%s", err.msg);
        goto out;
    }

    /* walk first: the number of files drives the progress bar */
    walked = acc_xcalloc((size_t)(argc - first_input), sizeof *walked);
    for (a = first_input; a < argc; a++) {
        struct stat sb;
        if (stat(argv[a], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            walk(argv[a], "", 0, &walked[a - first_input]);
            qsort(walked[a - first_input].v, walked[a - first_input].n, sizeof(char *), cmp_str);
            rn.total_files += walked[a - first_input].n;
        } else {
            rn.total_files++;
        }
    }
    /* unchanged jsonl files are not read at all */
    for (a = first_input; a < argc; a++) {
        strlist *wl = &walked[a - first_input];
        ix_comp comp;
        size_t stem;
        if (wl->n == 0 && ix_classify(argv[a], &comp, &stem) == IX_JSONL &&
            jsonl_unchanged(&rn, argv[a])) {
            rn.skip_files = acc_xrealloc(rn.skip_files, (rn.nskip_files + 1) * sizeof(char *));
            rn.skip_files[rn.nskip_files++] = acc_xstrdup(argv[a]);
        }
        for (size_t i = 0; i < wl->n; i++) {
            char path[PATH_MAX];
            if (ix_classify(wl->v[i], &comp, &stem) != IX_JSONL)
                continue;
            snprintf(path, sizeof path, "%s/%s", argv[a], wl->v[i]);
            if (jsonl_unchanged(&rn, path)) {
                rn.skip_files = acc_xrealloc(rn.skip_files, (rn.nskip_files + 1) * sizeof(char *));
                rn.skip_files[rn.nskip_files++] = acc_xstrdup(path);
            }
        }
    }
    rn.progress = !rn.quiet && isatty(STDERR_FILENO) && level < ACC_LOG_DEBUG;

    q_init(&rn.jobs, QUEUE_JOBS);
    q_init(&rn.results, QUEUE_RESULTS);
    workers = acc_xcalloc((size_t)rn.nthreads, sizeof *workers);
    for (int i = 0; i < rn.nthreads; i++)
        if (pthread_create(&workers[i], NULL, worker_main, &rn) == 0)
            nworkers++;
    if (nworkers == 0 || pthread_create(&writer, NULL, writer_main, &rn) != 0) {
        acc_log(ACC_LOG_ERROR, "cannot start threads");
        q_close(&rn.jobs);
        goto join;
    }
    writer_started = 1;

    for (a = first_input; a < argc; a++) {
        const char *source = add_source(&rn, argv[a]);
        queue_input(&rn, argv[a], source, &walked[a - first_input]);
    }
    q_close(&rn.jobs);
join:
    for (int i = 0; i < nworkers; i++)
        pthread_join(workers[i], NULL);
    q_close(&rn.results);
    if (writer_started)
        pthread_join(writer, NULL);
    if (!writer_started || rn.write_failed) {
        if (rn.write_failed)
            acc_log(ACC_LOG_ERROR, "%s", rn.write_err.msg);
        acc_writer_cancel(rn.w, NULL);
        goto out;
    }

    /* deletions: documents from these inputs whose file or record is gone */
    if (!rn.no_delete) {
        for (size_t i = 0; i < rn.existing.cap; i++) {
            ix_entry *e = &rn.existing.slots[i];
            int ours = 0;
            if (!e->id || e->seen || !e->source)
                continue;
            for (size_t s = 0; s < rn.nsources && !ours; s++)
                ours = strcmp(rn.sources[s], e->source) == 0;
            if (!ours)
                continue;
            if (acc_writer_delete(rn.w, e->id, &err) != ACC_OK) {
                acc_log(ACC_LOG_ERROR, "%s", err.msg);
                acc_writer_cancel(rn.w, NULL);
                goto out;
            }
            acc_log(ACC_LOG_DEBUG, "deleted %s", e->id);
            rn.deleted++;
        }
    }
    for (size_t i = 0; i < rn.nfile_keys; i++)
        acc_writer_set_meta(rn.w, rn.file_keys[2 * i], rn.file_keys[2 * i + 1], NULL);
    if (commit_batch(&rn, 0) != 0) {
        acc_log(ACC_LOG_ERROR, "%s", rn.write_err.msg);
        goto out;
    }
    show_progress(&rn, 1);
    rn.skipped += rn.walk_skipped; /* the threads are joined: no race */
    rn.unchanged += rn.unchanged_files_docs;
    print_summary(&rn, elapsed(&rn.t0));
    status = 0;
out:
    acc_writer_close(rn.w);
    if (walked)
        for (a = first_input; a < argc; a++)
            list_free(&walked[a - first_input]);
    free(walked);
    free(workers);
    for (size_t i = 0; i < rn.nsources; i++)
        free(rn.sources[i]);
    free(rn.sources);
    for (size_t i = 0; i < rn.norigins; i++)
        free(rn.origins[i]);
    free(rn.origins);
    for (size_t i = 0; i < 2 * rn.nfile_keys; i++)
        free(rn.file_keys[i]);
    free(rn.file_keys);
    for (size_t i = 0; i < rn.nskip_files; i++)
        free(rn.skip_files[i]);
    free(rn.skip_files);
    for (size_t i = 0; i < rn.nskips; i++) {
        free(rn.skips[i].path);
        free(rn.skips[i].why);
    }
    free(rn.skips);
    ix_map_release(&rn.existing);
    acc_topics_free(rn.vocab);
    json_decref(rn.langs);
    json_decref(rn.topics);
    acc_lang_thread_cleanup();
    return status;
}
