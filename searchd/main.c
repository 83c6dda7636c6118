/*
 * accord-searchd: the HTTP search daemon.
 *
 * Routes (GET and HEAD; OPTIONS for CORS preflight; anything else 405):
 *   /search?q=&lang=&type=&topic=&party=&from=&to=&sort=&offset=&limit=&facets=
 *          &expand=&collapse=&similar=&explain=   results JSON (as accord-search --json)
 *   /suggest?q=&limit=      completions of the last word and of titles
 *   /doc/{id}               the stored record, its text and its articles
 *   /similar/{id}           documents like {id} (same parameters as /search)
 *   /health  /stats  /metrics (Prometheus text)  /opensearch.xml
 *   /  /widget.js  /widget.css   the demo page and the embeddable search box
 * Every error is JSON {"error": {"code", "message"}} with a 4xx status for the
 * user's input; 5xx only when the index itself cannot be read.
 *
 * Threads: one libmicrohttpd event loop (epoll) reads requests and writes
 * answers for every connection; the index work runs on a pool of worker
 * threads, each with its own Xapian handle opened once. A request that needs
 * the index (/search, /similar, /suggest, /doc, /stats) suspends its
 * connection and waits in one of two queues: "fast" (/suggest, /doc, /stats)
 * and "slow" (/search, /similar). Workers take fast jobs first, and one extra
 * worker takes only fast jobs, so a keystroke's /suggest never waits behind a
 * slow search (no head-of-line blocking: XAPIAN-NOTES 9); each search also has
 * a time limit. The worker resumes the connection and the event loop sends the
 * answer. Cheap routes (/health, /metrics, static files, errors) are answered
 * on the event loop at once. Every request reopens the worker's handle to the
 * latest committed revision, so a new accord-index commit is served at once.
 * Counters for /metrics are atomics; the access log is one write per line.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "accord/log.h"
#include "accord/mem.h"
#include "accord/query.h"
#include "accord/text.h"
#include "accord/topics.h"
#include "accord/index.h"
#include "cache.h"

extern const unsigned char acc_web_index_html[];
extern const size_t acc_web_index_html_len;
extern const unsigned char acc_web_widget_js[];
extern const size_t acc_web_widget_js_len;
extern const unsigned char acc_web_widget_css[];
extern const size_t acc_web_widget_css_len;

#define MAX_INDEXES 16
#define MAX_CORS 16
#define MAX_WORKERS 64

static const char *index_paths[MAX_INDEXES];
static size_t nindexes;
static acc_topics *vocab; /* read-only once loaded: shared by the threads */
static pthread_key_t db_key;
static const char *cors[MAX_CORS];
static size_t ncors;

/* ---- the access log ------------------------------------------------------ */

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *access_log; /* NULL: stderr */
static const char *access_log_path;
static volatile sig_atomic_t reopen_log;

static void log_access(const char *ip, const char *method, const char *url, unsigned status,
                       double ms)
{
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    pthread_mutex_lock(&log_lock);
    if (reopen_log && access_log_path) {
        reopen_log = 0;
        FILE *f = fopen(access_log_path, "a");
        if (f) {
            if (access_log)
                fclose(access_log);
            access_log = f;
        }
    }
    fprintf(access_log ? access_log : stderr, "%s %s %s %.300s %u %.2fms\n", when, ip, method, url,
            status, ms);
    fflush(access_log ? access_log : stderr);
    pthread_mutex_unlock(&log_lock);
}

/* ---- metrics -------------------------------------------------------------- */

enum route {
    R_SEARCH,
    R_SUGGEST,
    R_DOC,
    R_SIMILAR,
    R_HEALTH,
    R_STATS,
    R_METRICS,
    R_STATIC,
    R_OTHER,
    R_COUNT
};
static const char *const route_names[R_COUNT] = {"search", "suggest", "doc",    "similar", "health",
                                                 "stats",  "metrics", "static", "other"};
static const double buckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
#define NBUCKETS (sizeof buckets / sizeof buckets[0])
static atomic_ulong requests[R_COUNT][6]; /* by route and status class 1xx..5xx (index 1..5) */
static atomic_ulong latency_bucket[R_COUNT][NBUCKETS + 1];
static atomic_ulong latency_sum_us[R_COUNT];
static atomic_ulong revision_seen, reloads;
static atomic_int draining;      /* after SIGTERM: answers close their connection */
static acc_cache *cache;         /* NULL: --cache-mb 0 */
static atomic_ulong current_rev; /* kept fresh by the revision watcher (cache validity) */

static void note_revision(unsigned long rev)
{
    unsigned long old = atomic_load(&revision_seen);
    while (rev > old) {
        if (atomic_compare_exchange_weak(&revision_seen, &old, rev)) {
            if (old != 0)
                atomic_fetch_add(&reloads, 1);
            break;
        }
    }
}

/* ---- per request state ------------------------------------------------------ */

/* Index work a request hands to the worker pool. */
enum job {
    JOB_NONE,
    JOB_SEARCH,  /* q (q.similar set for /similar/ID) */
    JOB_SUGGEST, /* text, text_len, limit */
    JOB_DOC,     /* id */
    JOB_STATS
};

typedef struct request {
    struct timespec t0;
    enum route route;
    unsigned status;
    int started;
    char method[8];
    char uri[256]; /* as sent, query included, cut for the log */
    /* the job: arguments point into the connection's memory (valid until the
       request completes) or are malloc'ed (id) */
    enum job job;
    struct MHD_Connection *conn;
    char *key; /* the URI as sent, the cache key (NULL: not cached) */
    size_t klen;
    unsigned long rev; /* the index revision when the job was handed over */
    int cached;        /* answered from the cache */
    int abandoned;     /* the client left before a worker took the job */
    acc_query q;
    char *id;
    const char *text;
    size_t text_len;
    unsigned limit;
    struct request *next;
    /* the answer, made by a worker (atomic: read by the event loop on resume) */
    atomic_int done;
    unsigned code;
    const char *type;
    char *body;
    size_t len;
} request;

static void close_db(void *p)
{
    acc_index_close(p);
}

/* The calling thread's index handle, opened on first use; NULL with err set. */
static acc_index *thread_db(acc_error *err)
{
    acc_index *db = pthread_getspecific(db_key);
    if (!db) {
        if (acc_index_open_many(index_paths, nindexes, &db, err) != ACC_OK)
            return NULL;
        acc_index_set_topics(db, vocab);
        pthread_setspecific(db_key, db);
    }
    return db;
}

static void add_cors(struct MHD_Connection *c, struct MHD_Response *r)
{
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    if (!ncors || !origin)
        return;
    for (size_t i = 0; i < ncors; i++) {
        if (strcmp(cors[i], "*") == 0) {
            MHD_add_response_header(r, "Access-Control-Allow-Origin", "*");
            return;
        }
        if (strcasecmp(cors[i], origin) == 0) {
            MHD_add_response_header(r, "Access-Control-Allow-Origin", origin);
            MHD_add_response_header(r, "Vary", "Origin");
            return;
        }
    }
}

static enum MHD_Result send_body(struct MHD_Connection *c, request *rq, unsigned code,
                                 const char *type, char *body, size_t len, int must_free)
{
    struct MHD_Response *r;
    enum MHD_Result ret;

    r = MHD_create_response_from_buffer(len, body,
                                        must_free ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!r) {
        if (must_free)
            free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, "Allow", "GET, HEAD, OPTIONS");
    if (strncmp(type, "text/html", 9) == 0)
        MHD_add_response_header(r, "Content-Security-Policy",
                                "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                                "script-src 'self' 'unsafe-inline'; img-src 'self' data:");
    add_cors(c, r);
    if (rq && rq->key &&
        (rq->route == R_SEARCH || rq->route == R_SUGGEST || rq->route == R_SIMILAR))
        MHD_add_response_header(r, "X-Accord-Cache", rq->cached ? "hit" : "miss");
    if (atomic_load(&draining))
        MHD_add_response_header(r, "Connection", "close");
    ret = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    if (rq)
        rq->status = code;
    return ret;
}

static enum MHD_Result send_json(struct MHD_Connection *c, request *rq, unsigned code, char *json)
{
    return send_body(c, rq, code, "application/json; charset=utf-8", json, strlen(json), 1);
}

static enum MHD_Result send_error(struct MHD_Connection *c, request *rq, unsigned code,
                                  const char *msg)
{
    return send_json(c, rq, code, acc_error_json((int)code, msg));
}

/* HTTP status for a library status: user errors are 4xx, index trouble 503. */
static unsigned http_status(acc_status st)
{
    switch (st) {
    case ACC_EINVAL:
    case ACC_EQUERY:
        return MHD_HTTP_BAD_REQUEST;
    case ACC_ENOTFOUND:
        return MHD_HTTP_NOT_FOUND;
    case ACC_EDB_NOTFOUND:
    case ACC_EDB_NOTINDEX:
    case ACC_EDB_LOCKED:
    case ACC_EDB_MODIFIED:
        return MHD_HTTP_SERVICE_UNAVAILABLE;
    default:
        return MHD_HTTP_INTERNAL_SERVER_ERROR;
    }
}

/* The status and message of a library error; index trouble is logged and
   not described to the client. */
static unsigned library_answer(acc_status st, const acc_error *err, const char **msg)
{
    unsigned code = http_status(st);
    *msg = err->msg;
    if (code >= 500) {
        acc_log(ACC_LOG_ERROR, "%s", err->msg);
        *msg =
            code == 503 ? "the index is not available" : "the request failed; the error was logged";
    }
    return code;
}

/* ---- the worker pool ------------------------------------------------------- */

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_cond = PTHREAD_COND_INITIALIZER;
static request *fast_head, *fast_tail, *slow_head, *slow_tail;
static int pool_stopping;
static atomic_long inflight;    /* requests begun and not completed */
static atomic_ulong queued_now; /* jobs waiting in the queues, for /metrics */

static void answer_json(request *rq, unsigned code, char *json)
{
    rq->code = code;
    rq->type = "application/json; charset=utf-8";
    rq->body = json;
    rq->len = strlen(json);
}

static void answer_library_error(request *rq, acc_status st, const acc_error *err)
{
    const char *msg;
    unsigned code = library_answer(st, err, &msg);
    answer_json(rq, code, acc_error_json((int)code, msg));
}

/* Runs a request's index work on the calling worker and records its answer. */
static void run_job(request *rq)
{
    acc_error err;
    acc_status st;
    char *json = NULL;
    acc_index *db = thread_db(&err);

    if (!db) {
        answer_library_error(rq, ACC_EDB_NOTFOUND, &err);
        return;
    }
    switch (rq->job) {
    case JOB_SEARCH: {
        acc_results *r = NULL;
        st = acc_index_search(db, &rq->q, &r, &err);
        if (st != ACC_OK) {
            answer_library_error(rq, st, &err);
            return;
        }
        note_revision(r->revision);
        answer_json(rq, MHD_HTTP_OK, acc_results_json(r, 0));
        acc_results_free(r);
        return;
    }
    case JOB_SUGGEST:
        json = acc_index_suggest_json(db, rq->text, rq->text_len, rq->limit, &err);
        break;
    case JOB_DOC:
        json = acc_index_doc_json(db, rq->id, &err);
        break;
    case JOB_STATS: {
        unsigned long docs = 0, rev = 0;
        if (acc_index_stats(db, &docs, &rev, &err) == ACC_OK) {
            note_revision(rev);
            json = acc_index_stats_json(db, &err);
        }
        break;
    }
    case JOB_NONE:
        break;
    }
    if (json)
        answer_json(rq, MHD_HTTP_OK, json);
    else
        answer_library_error(rq, err.code, &err);
}

/*
 * True when the client of a waiting request has closed its connection (or
 * reset it): its job is not run, so a client cannot queue up expensive
 * searches and leave (nginx's 499 behaviour). A client that half-closes after
 * its request counts as gone too.
 */
static int client_gone(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!ci)
        return 0;
    struct pollfd p = {ci->connect_fd, POLLIN, 0};
    if (poll(&p, 1, 0) <= 0)
        return 0;
    if (p.revents & (POLLHUP | POLLERR))
        return 1;
    if (!(p.revents & POLLIN))
        return 0;
    /* readable: the end of the stream (0) or a reset, unlike a pipelined request */
    char b;
    ssize_t k = recv(ci->connect_fd, &b, 1, MSG_PEEK);
    return k == 0 || (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

/* A worker: fast jobs first; with fast_only, fast jobs alone. Drains the
   queues before it ends. */
static void *worker(void *arg)
{
    const int fast_only = arg != NULL;
    pthread_mutex_lock(&pool_lock);
    for (;;) {
        request *rq = NULL;
        if (fast_head) {
            rq = fast_head;
            fast_head = rq->next;
            if (!fast_head)
                fast_tail = NULL;
        } else if (!fast_only && slow_head) {
            rq = slow_head;
            slow_head = rq->next;
            if (!slow_head)
                slow_tail = NULL;
        } else if (pool_stopping) {
            break;
        } else {
            pthread_cond_wait(&pool_cond, &pool_lock);
            continue;
        }
        atomic_fetch_sub(&queued_now, 1);
        pthread_mutex_unlock(&pool_lock);
        if (client_gone(rq->conn))
            rq->abandoned = 1;
        else
            run_job(rq);
        if (cache && rq->key && rq->code == MHD_HTTP_OK && rq->body &&
            (rq->job == JOB_SEARCH || rq->job == JOB_SUGGEST))
            acc_cache_put(cache, rq->key, rq->klen, rq->rev, rq->body, rq->len);
        atomic_store(&rq->done, 1);
        MHD_resume_connection(rq->conn); /* the event loop sends the answer */
        pthread_mutex_lock(&pool_lock);
    }
    pthread_mutex_unlock(&pool_lock);
    return NULL;
}

/* Hands a request's index work to the pool: the connection sleeps until a
   worker has the answer. */
static enum MHD_Result submit(struct MHD_Connection *c, request *rq, enum job job)
{
    const int fast = job != JOB_SEARCH;
    rq->job = job;
    rq->conn = c;
    rq->next = NULL;
    rq->rev = atomic_load(&current_rev); /* read before the worker reopens the index */
    MHD_suspend_connection(c);
    pthread_mutex_lock(&pool_lock);
    if (fast) {
        if (fast_tail)
            fast_tail->next = rq;
        else
            fast_head = rq;
        fast_tail = rq;
    } else {
        if (slow_tail)
            slow_tail->next = rq;
        else
            slow_head = rq;
        slow_tail = rq;
    }
    atomic_fetch_add(&queued_now, 1);
    pthread_cond_broadcast(&pool_cond);
    pthread_mutex_unlock(&pool_lock);
    return MHD_YES;
}

/*
 * A query argument as (p, n), or NULL when absent. Percent-decoding may put a
 * NUL inside the value, so the length comes from MHD, not strlen.
 */
static const char *arg(struct MHD_Connection *c, const char *key, size_t *n)
{
    const char *v = NULL;
    *n = 0;
    if (MHD_lookup_connection_value_n(c, MHD_GET_ARGUMENT_KIND, key, strlen(key), &v, n) != MHD_YES)
        return NULL;
    return v;
}

static const char *param(void *ctx, const char *name, size_t *len)
{
    return arg(ctx, name, len);
}

/*
 * The revision watcher: every 100 ms, the revision of the index (a commit of
 * accord-index is seen within 0.1 s), so that the event loop can tell a cached
 * answer is still current without touching the index.
 */
static void *revision_watcher(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&pool_lock);
        int stop = pool_stopping;
        pthread_mutex_unlock(&pool_lock);
        if (stop)
            break;
        acc_error err;
        unsigned long rev = 0;
        acc_index *db = thread_db(&err);
        if (db && acc_index_stats(db, NULL, &rev, &err) == ACC_OK)
            atomic_store(&current_rev, rev);
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return NULL;
}

/* A cached answer for this request's URI at the current revision, sent at once. */
static int answered_from_cache(struct MHD_Connection *c, request *rq, enum MHD_Result *ret)
{
    size_t len = 0;
    char *body;
    if (!cache || !rq->key)
        return 0;
    body = acc_cache_get(cache, rq->key, rq->klen, atomic_load(&current_rev), &len);
    if (!body)
        return 0;
    rq->cached = 1;
    *ret = send_body(c, rq, MHD_HTTP_OK, "application/json; charset=utf-8", body, len, 1);
    return 1;
}

static enum MHD_Result handle_search(struct MHD_Connection *c, request *rq)
{
    acc_error err;
    acc_status st;

    acc_query_init(&rq->q);
    if (acc_query_from_params(&rq->q, param, c, &err) != ACC_OK)
        return send_error(c, rq, MHD_HTTP_BAD_REQUEST, err.msg);
    if (rq->id)
        rq->q.similar = rq->id;
    st = acc_query_check(&rq->q, &err);
    if (st != ACC_OK)
        return send_error(c, rq, http_status(st), err.msg);
    return submit(c, rq, JOB_SEARCH);
}

static enum MHD_Result handle_suggest(struct MHD_Connection *c, request *rq)
{
    size_t n = 0, ln = 0;
    const char *q = arg(c, "q", &n);
    const char *lim = arg(c, "limit", &ln);
    unsigned limit = 8;

    if (!q || n == 0)
        return send_json(c, rq, MHD_HTTP_OK, acc_xstrdup("{\"suggestions\":[]}"));
    if (n > 256)
        return send_error(c, rq, MHD_HTTP_BAD_REQUEST, "suggest query too long: at most 256 bytes");
    if (memchr(q, '\0', n) || !acc_utf8_valid(q, n))
        return send_error(c, rq, MHD_HTTP_BAD_REQUEST, "query is not valid UTF-8 text");
    if (lim && ln) {
        unsigned long v = 0;
        for (size_t i = 0; i < ln; i++) {
            if (lim[i] < '0' || lim[i] > '9' || i > 3)
                return send_error(c, rq, MHD_HTTP_BAD_REQUEST,
                                  "parameter 'limit' must be an integer from 1 to 20");
            v = v * 10 + (unsigned long)(lim[i] - '0');
        }
        if (v < 1 || v > 20)
            return send_error(c, rq, MHD_HTTP_BAD_REQUEST,
                              "parameter 'limit' must be an integer from 1 to 20");
        limit = (unsigned)v;
    }
    rq->text = q;
    rq->text_len = n;
    rq->limit = limit;
    return submit(c, rq, JOB_SUGGEST);
}

static int valid_id(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > 512 || !acc_utf8_valid(id, n))
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)id[i] < 0x20)
            return 0;
    return 1;
}

static enum MHD_Result handle_doc(struct MHD_Connection *c, request *rq)
{
    /* an id is looked up as an index term, never as a file: "../" is just text */
    if (!valid_id(rq->id))
        return send_error(c, rq, MHD_HTTP_BAD_REQUEST, "invalid document id");
    return submit(c, rq, JOB_DOC);
}

/* /health, on the event loop: it must answer even when every worker is busy */
static enum MHD_Result handle_health(struct MHD_Connection *c, request *rq)
{
    acc_error err;
    unsigned long docs = 0, rev = 0;
    acc_index *db = thread_db(&err);
    json_t *o;
    char *s;

    if (!db || acc_index_stats(db, &docs, &rev, &err) != ACC_OK) {
        acc_log(ACC_LOG_ERROR, "health: %s", err.msg);
        return send_error(c, rq, MHD_HTTP_SERVICE_UNAVAILABLE, "the index is not available");
    }
    note_revision(rev);
    o = json_pack("{s:s,s:I,s:I}", "status", "ok", "documents", (json_int_t)docs, "revision",
                  (json_int_t)rev);
    s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return send_json(c, rq, MHD_HTTP_OK, s ? s : acc_xstrdup("{\"status\":\"ok\"}"));
}

static enum MHD_Result handle_metrics(struct MHD_Connection *c, request *rq)
{
    acc_buf b;
    acc_buf_init(&b, 0);
    acc_buf_printf(&b, "# HELP accord_requests_total HTTP requests by route and status class.\n"
                       "# TYPE accord_requests_total counter\n");
    for (int r = 0; r < R_COUNT; r++)
        for (int k = 1; k <= 5; k++)
            acc_buf_printf(&b, "accord_requests_total{route=\"%s\",status=\"%dxx\"} %lu\n",
                           route_names[r], k, atomic_load(&requests[r][k]));
    acc_buf_printf(&b, "# HELP accord_request_seconds Time to answer a request.\n"
                       "# TYPE accord_request_seconds histogram\n");
    for (int r = 0; r < R_COUNT; r++) {
        unsigned long cum = 0;
        for (size_t i = 0; i <= NBUCKETS; i++) {
            cum += atomic_load(&latency_bucket[r][i]);
            if (i < NBUCKETS)
                acc_buf_printf(&b, "accord_request_seconds_bucket{route=\"%s\",le=\"%g\"} %lu\n",
                               route_names[r], buckets[i], cum);
            else
                acc_buf_printf(&b, "accord_request_seconds_bucket{route=\"%s\",le=\"+Inf\"} %lu\n",
                               route_names[r], cum);
        }
        acc_buf_printf(&b, "accord_request_seconds_sum{route=\"%s\"} %.6f\n", route_names[r],
                       (double)atomic_load(&latency_sum_us[r]) / 1e6);
        acc_buf_printf(&b, "accord_request_seconds_count{route=\"%s\"} %lu\n", route_names[r], cum);
    }
    acc_buf_printf(&b,
                   "# HELP accord_index_revision Index revision last served.\n"
                   "# TYPE accord_index_revision gauge\naccord_index_revision %lu\n"
                   "# HELP accord_index_reloads_total New index revisions picked up.\n"
                   "# TYPE accord_index_reloads_total counter\naccord_index_reloads_total %lu\n",
                   atomic_load(&revision_seen), atomic_load(&reloads));
    acc_buf_printf(&b,
                   "# HELP accord_queued_jobs Requests waiting for a worker.\n"
                   "# TYPE accord_queued_jobs gauge\naccord_queued_jobs %lu\n",
                   atomic_load(&queued_now));
    {
        unsigned long hits, misses;
        size_t bytes, entries;
        acc_cache_stats(cache, &hits, &misses, &bytes, &entries);
        acc_buf_printf(&b,
                       "# HELP accord_cache_hits_total Answers sent from the answer cache.\n"
                       "# TYPE accord_cache_hits_total counter\naccord_cache_hits_total %lu\n"
                       "# HELP accord_cache_misses_total Cacheable requests not in the cache.\n"
                       "# TYPE accord_cache_misses_total counter\naccord_cache_misses_total %lu\n"
                       "# HELP accord_cache_bytes Memory held by the answer cache.\n"
                       "# TYPE accord_cache_bytes gauge\naccord_cache_bytes %zu\n"
                       "# HELP accord_cache_entries Answers in the answer cache.\n"
                       "# TYPE accord_cache_entries gauge\naccord_cache_entries %zu\n",
                       hits, misses, bytes, entries);
    }
    size_t n;
    char *s = acc_buf_detach(&b, &n);
    return send_body(c, rq, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", s, n, 1);
}

static enum MHD_Result handle_opensearch(struct MHD_Connection *c, request *rq)
{
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    char safe[256];
    size_t k = 0;
    /* the Host header goes into XML: keep only host-name characters */
    for (const char *p = host ? host : "127.0.0.1"; *p && k < sizeof safe - 1; p++)
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '.' || *p == '-' || *p == ':' || *p == '[' || *p == ']')
            safe[k++] = *p;
    safe[k] = '\0';
    acc_buf b;
    acc_buf_init(&b, 0);
    acc_buf_printf(&b,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<OpenSearchDescription xmlns=\"http://a9.com/-/spec/opensearch/1.1/\">\n"
                   "  <ShortName>accord</ShortName>\n"
                   "  <Description>Search sustainability agreements</Description>\n"
                   "  <InputEncoding>UTF-8</InputEncoding>\n"
                   "  <Url type=\"text/html\" template=\"http://%s/?q={searchTerms}\"/>\n"
                   "  <Url type=\"application/json\" "
                   "template=\"http://%s/search?q={searchTerms}\"/>\n"
                   "  <Url type=\"application/x-suggestions+json\" "
                   "template=\"http://%s/suggest?q={searchTerms}\"/>\n"
                   "</OpenSearchDescription>\n",
                   safe, safe, safe);
    size_t n;
    char *s = acc_buf_detach(&b, &n);
    return send_body(c, rq, MHD_HTTP_OK, "application/opensearchdescription+xml", s, n, 1);
}

/* Percent-decoded path segment after a prefix ("/doc/"), or NULL (caller frees). */
static char *path_rest(const char *url, const char *prefix)
{
    size_t k = strlen(prefix);
    if (strncmp(url, prefix, k) != 0 || !url[k])
        return NULL;
    char *s = acc_xstrdup(url + k);
    /* MHD has decoded the path already except for the characters it keeps */
    MHD_http_unescape(s);
    return s;
}

static enum MHD_Result route(struct MHD_Connection *c, request *rq, const char *url)
{
    enum MHD_Result ret;
    if (strcmp(url, "/search") == 0) {
        rq->route = R_SEARCH;
        return answered_from_cache(c, rq, &ret) ? ret : handle_search(c, rq);
    }
    if (strcmp(url, "/suggest") == 0) {
        rq->route = R_SUGGEST;
        return answered_from_cache(c, rq, &ret) ? ret : handle_suggest(c, rq);
    }
    if (strcmp(url, "/health") == 0)
        return rq->route = R_HEALTH, handle_health(c, rq);
    if (strcmp(url, "/stats") == 0)
        return rq->route = R_STATS, submit(c, rq, JOB_STATS);
    if (strcmp(url, "/metrics") == 0)
        return rq->route = R_METRICS, handle_metrics(c, rq);
    if ((rq->id = path_rest(url, "/doc/")) != NULL)
        return rq->route = R_DOC, handle_doc(c, rq);
    if ((rq->id = path_rest(url, "/similar/")) != NULL) {
        rq->route = R_SIMILAR;
        if (answered_from_cache(c, rq, &ret))
            return ret;
        return valid_id(rq->id) ? handle_search(c, rq)
                                : send_error(c, rq, MHD_HTTP_BAD_REQUEST, "invalid document id");
    }
    rq->route = R_STATIC;
    if (strcmp(url, "/") == 0 || strcmp(url, "/index.html") == 0)
        return send_body(c, rq, MHD_HTTP_OK, "text/html; charset=utf-8", (char *)acc_web_index_html,
                         acc_web_index_html_len, 0);
    if (strcmp(url, "/widget.js") == 0)
        return send_body(c, rq, MHD_HTTP_OK, "application/javascript; charset=utf-8",
                         (char *)acc_web_widget_js, acc_web_widget_js_len, 0);
    if (strcmp(url, "/widget.css") == 0)
        return send_body(c, rq, MHD_HTTP_OK, "text/css; charset=utf-8", (char *)acc_web_widget_css,
                         acc_web_widget_css_len, 0);
    if (strcmp(url, "/opensearch.xml") == 0)
        return handle_opensearch(c, rq);
    rq->route = R_OTHER;
    return send_error(c, rq, MHD_HTTP_NOT_FOUND,
                      "no such endpoint: try /search?q=..., /suggest?q=..., /doc/ID or /health");
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **req_cls)
{
    request *rq = *req_cls;
    (void)cls;
    (void)version;
    (void)upload;

    /* back from the worker pool: send its answer */
    if (rq->job != JOB_NONE) {
        char *body = rq->body;
        if (rq->abandoned)
            return MHD_NO; /* close: the client is gone (logged as 499) */
        if (!atomic_load(&rq->done) || !body)
            return send_error(c, rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "the request was lost");
        rq->body = NULL;
        return send_body(c, rq, rq->code, rq->type, body, rq->len, 1);
    }
    /* answer on the second call, after MHD has consumed any request body */
    if (!rq->started) {
        rq->started = 1;
        snprintf(rq->method, sizeof rq->method, "%s", method);
        return MHD_YES;
    }
    if (*upload_size) {
        *upload_size = 0; /* discard a body: no route takes one */
        return MHD_YES;
    }
    if (strcmp(method, "OPTIONS") == 0) {
        static char empty[1];
        struct MHD_Response *r = MHD_create_response_from_buffer(0, empty, MHD_RESPMEM_PERSISTENT);
        if (!r)
            return MHD_NO;
        MHD_add_response_header(r, "Allow", "GET, HEAD, OPTIONS");
        MHD_add_response_header(r, "Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
        MHD_add_response_header(r, "Access-Control-Allow-Headers", "Content-Type");
        MHD_add_response_header(r, "Access-Control-Max-Age", "600");
        add_cors(c, r);
        enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_NO_CONTENT, r);
        MHD_destroy_response(r);
        rq->status = MHD_HTTP_NO_CONTENT;
        return ret;
    }
    /* a NUL decoded from the path would cut it short silently: refuse it */
    {
        const char *qm = strchr(rq->uri, '?');
        size_t plen = qm ? (size_t)(qm - rq->uri) : strlen(rq->uri);
        for (size_t i = 0; i + 2 < plen; i++)
            if (rq->uri[i] == '%' && rq->uri[i + 1] == '0' && rq->uri[i + 2] == '0')
                return send_error(c, rq, MHD_HTTP_BAD_REQUEST, "the path contains a NUL character");
    }
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return send_error(c, rq, MHD_HTTP_METHOD_NOT_ALLOWED,
                          "method not allowed: use GET, HEAD or OPTIONS");
    return route(c, rq, url);
}

static void completed(void *cls, struct MHD_Connection *c, void **req_cls,
                      enum MHD_RequestTerminationCode toe)
{
    request *rq = *req_cls;
    (void)cls;
    if (!rq)
        return;
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - rq->t0.tv_sec) + (double)(t1.tv_nsec - rq->t0.tv_nsec) / 1e9;
    unsigned cls_idx = rq->status >= 100 && rq->status < 600 ? rq->status / 100 : 4;
    atomic_fetch_add(&requests[rq->route][cls_idx], 1);
    size_t b = 0;
    while (b < NBUCKETS && secs > buckets[b])
        b++;
    atomic_fetch_add(&latency_bucket[rq->route][b], 1);
    atomic_fetch_add(&latency_sum_us[rq->route], (unsigned long)(secs * 1e6));

    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char ip[INET6_ADDRSTRLEN] = "-";
    if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, ip, sizeof ip);
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && !rq->status)
        rq->status = 499; /* the client went away before the answer */
    log_access(ip, rq->method[0] ? rq->method : "-", rq->uri, rq->status, secs * 1000);
    free(rq->body);
    free(rq->id);
    free(rq->key);
    free(rq);
    atomic_fetch_sub(&inflight, 1);
    *req_cls = NULL;
}

/* Called first for each request: its state, with the URI as sent (for the log). */
static void *log_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    request *rq = acc_xcalloc(1, sizeof *rq);
    (void)cls;
    (void)c;
    atomic_fetch_add(&inflight, 1);
    clock_gettime(CLOCK_MONOTONIC, &rq->t0);
    rq->route = R_OTHER;
    /* printable ASCII only: the log must not carry control characters */
    size_t k = 0;
    for (const char *p = uri ? uri : "-"; *p && k < sizeof rq->uri - 1; p++)
        rq->uri[k++] = (*p >= 0x21 && *p < 0x7f) ? *p : '?';
    rq->uri[k] = '\0';
    if (cache && uri && strlen(uri) <= 4096) {
        rq->klen = strlen(uri);
        rq->key = acc_xstrdup(uri);
    }
    return rq;
}

static void usage(FILE *f)
{
    fprintf(
        f, "usage: accord-searchd --index DIR [--index DIR2 ...] [--port 8080] [--bind 127.0.0.1]\n"
           "                      [--cors ORIGIN ...] [--access-log FILE] [--topics FILE]\n"
           "                      [--max-connections N] [--max-per-ip N] [--workers N]\n"
           "                      [--cache-mb N] [--verbose]\n"
           "\n"
           "Serves accord indexes over HTTP (several --index, or a Xapian stub file, are\n"
           "searched as one): GET /search, /suggest, /doc/ID, /similar/ID, /health,\n"
           "/stats, /metrics, /opensearch.xml, and the demo page at / with the search box\n"
           "/widget.js. --port 0 picks a free port; the address is printed on stdout.\n"
           "--cors ORIGIN (or '*') lets pages of that origin call the API. The access log\n"
           "(one line per request) goes to stderr or FILE; SIGHUP reopens FILE.\n"
           "--workers N threads search the index (default: one per CPU, at least 2),\n"
           "plus one that only answers /suggest, /doc and /stats. --cache-mb N keeps up to\n"
           "N MiB of /search, /suggest and /similar answers for the current index revision\n"
           "(default 16; 0: no cache).\n"
           "SIGTERM or SIGINT finish the requests in flight and exit 0.\n");
}

static long parse_long(const char *s, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return -1;
    return v;
}

/* A numeric option's value into *out; 0 (logged) when it is not a number in lo..hi. */
static int number_option(const char *name, const char *s, long lo, long hi, long *out)
{
    long v = parse_long(s, lo, hi);
    if (v < 0) {
        acc_log(ACC_LOG_ERROR, "invalid %s '%s': expected %ld-%ld", name, s, lo, hi);
        return 0;
    }
    *out = v;
    return 1;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"index", required_argument, NULL, 'i'},
                                         {"port", required_argument, NULL, 'p'},
                                         {"bind", required_argument, NULL, 'b'},
                                         {"verbose", no_argument, NULL, 'v'},
                                         {"topics", required_argument, NULL, 'T'},
                                         {"cors", required_argument, NULL, 'C'},
                                         {"access-log", required_argument, NULL, 'L'},
                                         {"max-connections", required_argument, NULL, 'M'},
                                         {"max-per-ip", required_argument, NULL, 'P'},
                                         {"workers", required_argument, NULL, 'W'},
                                         {"cache-mb", required_argument, NULL, 'K'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *bind_addr = "127.0.0.1", *topics_path = NULL;
    long port = 8080, max_conn = 512, max_ip = 64, nworkers = 0, cache_mb = 16;
    pthread_t watcher;
    pthread_t workers[MAX_WORKERS + 1];
    struct sockaddr_in sa;
    struct MHD_Daemon *d;
    const union MHD_DaemonInfo *info;
    acc_index *probe = NULL;
    acc_error err;
    sigset_t sigs;
    int c, sig;

    acc_log_setup("accord-searchd", ACC_LOG_INFO);
    /* without a cap, glibc gives each busy thread its own malloc arena and the
       resident size grows with the thread count */
    mallopt(M_ARENA_MAX, 2);
    while ((c = getopt_long(argc, argv, "i:p:b:vhT:C:L:M:P:W:K:", opts, NULL)) != -1) {
        switch (c) {
        case 'i':
            if (nindexes == MAX_INDEXES) {
                acc_log(ACC_LOG_ERROR, "at most %d --index", MAX_INDEXES);
                return 2;
            }
            index_paths[nindexes++] = optarg;
            break;
        case 'p':
            if (!number_option("--port", optarg, 0, 65535, &port))
                return 2;
            break;
        case 'b':
            bind_addr = optarg;
            break;
        case 'v':
            acc_log_setup("accord-searchd", ACC_LOG_DEBUG);
            break;
        case 'T':
            topics_path = optarg;
            break;
        case 'C':
            if (ncors == MAX_CORS) {
                acc_log(ACC_LOG_ERROR, "at most %d --cors", MAX_CORS);
                return 2;
            }
            cors[ncors++] = optarg;
            break;
        case 'L':
            access_log_path = optarg;
            break;
        case 'M':
            if (!number_option("--max-connections", optarg, 1, 100000, &max_conn))
                return 2;
            break;
        case 'P':
            if (!number_option("--max-per-ip", optarg, 1, 100000, &max_ip))
                return 2;
            break;
        case 'W':
            if (!number_option("--workers", optarg, 1, MAX_WORKERS, &nworkers))
                return 2;
            break;
        case 'K':
            if (!number_option("--cache-mb", optarg, 0, 65536, &cache_mb))
                return 2;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (!nindexes || optind != argc) {
        usage(stderr);
        return 2;
    }
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, bind_addr, &sa.sin_addr) != 1) {
        acc_log(ACC_LOG_ERROR, "invalid --bind '%s': expected an IPv4 address", bind_addr);
        return 2;
    }
    /* fail early and clearly when the index cannot be opened */
    if (acc_index_open_many(index_paths, nindexes, &probe, &err) != ACC_OK) {
        acc_log(ACC_LOG_ERROR, "%s", err.msg);
        return 2;
    }
    acc_index_close(probe);
    {
        const char *tp = topics_path ? topics_path : acc_topics_default_path();
        if (tp && acc_topics_load(tp, &vocab, &err) != ACC_OK) {
            acc_log(ACC_LOG_ERROR, "%s", err.msg);
            return 2;
        }
    }
    if (access_log_path) {
        access_log = fopen(access_log_path, "a");
        if (!access_log) {
            acc_log(ACC_LOG_ERROR, "cannot open access log '%s': %s", access_log_path,
                    strerror(errno));
            return 2;
        }
    }

    pthread_key_create(&db_key, close_db);
    /* the signals are taken by sigwait below; block them in every thread */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (!nworkers) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        nworkers = cpus < 2 ? 2 : cpus > MAX_WORKERS ? MAX_WORKERS : cpus;
    }
    cache = acc_cache_new((size_t)cache_mb << 20);
    if (cache && pthread_create(&watcher, NULL, revision_watcher, NULL) != 0) {
        acc_log(ACC_LOG_ERROR, "cannot start the revision watcher");
        return 2;
    }
    /* nworkers take any job, fast first; one more takes fast jobs only */
    for (long i = 0; i <= nworkers; i++)
        if (pthread_create(&workers[i], NULL, worker, i == nworkers ? (void *)1 : NULL) != 0) {
            acc_log(ACC_LOG_ERROR, "cannot start worker threads");
            return 2;
        }

    d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_ALLOW_SUSPEND_RESUME |
            MHD_USE_ERROR_LOG,
        0, NULL, NULL, handle, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)max_conn, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned int)max_ip, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_LISTENING_ADDRESS_REUSE,
        (unsigned int)1, MHD_OPTION_URI_LOG_CALLBACK, log_uri, NULL, MHD_OPTION_NOTIFY_COMPLETED,
        completed, NULL, MHD_OPTION_END);
    if (!d) {
        acc_log(ACC_LOG_ERROR, "cannot listen on %s:%ld: %s", bind_addr, port, strerror(errno));
        return 2;
    }
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    printf("accord-searchd: listening on http://%s:%u/\n", bind_addr,
           info ? (unsigned)info->port : (unsigned)port);
    fflush(stdout);

    for (;;) {
        sigwait(&sigs, &sig);
        if (sig == SIGHUP) {
            reopen_log = 1; /* the next log line reopens the file */
            continue;
        }
        break;
    }
    acc_log(ACC_LOG_INFO, "signal %d: finishing the requests in flight", sig);
    /* stop accepting; answer what has begun (with Connection: close), for at
       most 10 s; then stop the event loop and the workers */
    atomic_store(&draining, 1);
    MHD_quiesce_daemon(d);
    for (int i = 0; i < 1000 && atomic_load(&inflight) > 0; i++) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    pthread_mutex_lock(&pool_lock);
    pool_stopping = 1;
    pthread_cond_broadcast(&pool_cond);
    pthread_mutex_unlock(&pool_lock);
    for (long i = 0; i <= nworkers; i++)
        pthread_join(workers[i], NULL);
    if (cache)
        pthread_join(watcher, NULL);
    MHD_stop_daemon(d);
    acc_cache_free(cache);
    acc_topics_free(vocab);
    if (access_log)
        fclose(access_log);
    return 0;
}
