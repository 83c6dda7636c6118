/*
 * searchd/server.h: the state of accord-searchd, in one struct, and the
 * interfaces between its rooms:
 *   main.c       options, start, signals and drain
 *   http.c       libmicrohttpd plumbing: requests in, answers out, CORS, routing
 *                (URL -> handler), the answer cache lookup
 *   routes.c     what each endpoint does (on the event loop, or as a worker's job)
 *   pool.c       the worker pool: two queues, workers, per-thread index handles,
 *                the revision watcher
 *   metrics.c    counters and histograms for /metrics
 *   accesslog.c  one line per request, reopened on SIGHUP
 *   cache.c      the answer cache
 *
 * Threads: one libmicrohttpd event loop (epoll) reads requests and writes
 * answers for every connection; the index work runs on the pool's workers,
 * each with its own index handle. A request that needs the index suspends its
 * connection and waits in a queue: "fast" (/suggest, /doc, /stats) or "slow"
 * (/search, /similar). Workers take fast jobs first, and one extra worker takes
 * only fast jobs, so a keystroke's /suggest never waits behind a slow search
 * (libmicrohttpd's own thread pool would run a slow handler inside the event
 * loop and hold up the other connections). The worker resumes the connection
 * and the event loop sends the answer. Cheap routes are answered on the event
 * loop at once.
 *
 * Everything mutable is in struct server: fields are written by main.c before
 * the threads start, then only through the atomics and locks named here.
 */
#ifndef ACCORD_SEARCHD_SERVER_H
#define ACCORD_SEARCHD_SERVER_H

#include <microhttpd.h>

#include "guard.h"
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

#include "accord/index.h"
#include "accord/query.h"
#include "accord/topics.h"
#include "cache.h"

#define MAX_INDEXES 16
#define MAX_CORS 16
#define MAX_WORKERS 64
/* address space set aside against running out of memory (acc_index_memory_reserve) */
#define SEARCHD_MEM_RESERVE ((size_t)64 << 20)

/* ------------------------------------------------------------ metrics.c */

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

/* latency histogram buckets, in seconds */
#define NBUCKETS 11

struct metrics {
    atomic_ulong requests[R_COUNT][6]; /* by route and status class 1xx..5xx (index 1..5) */
    atomic_ulong latency_bucket[R_COUNT][NBUCKETS + 1];
    atomic_ulong latency_sum_us[R_COUNT];
    atomic_ulong revision_seen, reloads;
    atomic_ulong queued_now; /* jobs waiting in the queues */
    atomic_ulong low_memory; /* requests refused while short of memory */
};

/* Notes the revision an answer came from (reloads count the new ones). */
void metrics_note_revision(struct metrics *m, unsigned long rev);
/* Counts a finished request: its route, HTTP status and time. */
void metrics_count(struct metrics *m, enum route r, unsigned status, double secs);
/* The Prometheus text of m, of the cache and of the connection guard (caller frees; *n its
   length). */
char *metrics_text(struct metrics *m, acc_cache *cache, struct guard *g, size_t *n);

/* ---------------------------------------------------------- accesslog.c */

struct access_log {
    pthread_mutex_t lock;
    FILE *f;                      /* NULL: stderr */
    const char *path;             /* NULL: stderr */
    volatile sig_atomic_t reopen; /* set on SIGHUP: the next line reopens path */
};

/* Opens log->path (when set) for appending; 0, or -1 with errno. */
int accesslog_open(struct access_log *log);
/* Writes one line: time, client, method, URI, status, milliseconds. Thread-safe. */
void accesslog_write(struct access_log *log, const char *ip, const char *method, const char *url,
                     unsigned status, double ms);
void accesslog_close(struct access_log *log);

/* -------------------------------------------------------------- requests */

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

/* ---------------------------------------------------------------- pool.c */

struct pool {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    request *fast_head, *fast_tail, *slow_head, *slow_tail;
    int stopping;
    struct pool_worker {
        struct server *s;
        int fast_only; /* takes fast jobs only */
        pthread_t thread;
    } workers[MAX_WORKERS + 1];
    long nworkers; /* plus one that takes fast jobs only */
    pthread_t watcher;
    int watching;
};

/* ---------------------------------------------------------------- server */

struct server {
    const char *index_paths[MAX_INDEXES];
    size_t nindexes;
    acc_topics *vocab; /* read-only once loaded: shared by the threads */
    pthread_key_t db_key;
    const char *cors[MAX_CORS];
    size_t ncors;
    acc_cache *cache;         /* NULL: --cache-mb 0 */
    int remote;               /* the index has remote shards: no answer cache (prepare) */
    atomic_ulong current_rev; /* kept fresh by the revision watcher (cache validity) */
    atomic_int draining;      /* after SIGTERM: answers close their connection */
    atomic_long inflight;     /* requests begun and not completed */
    struct metrics metrics;
    struct access_log log;
    struct pool pool;
    struct guard guard; /* the connections' header deadline and shedding (guard.h) */
};

/* Gives the heap's free pages back to the system (main.c): mimalloc's collection when the
   daemon links it (CMakeLists.txt, acc_program), glibc's malloc_trim otherwise. */
void server_heap_trim(void);

/* The calling thread's index handle, opened on first use; NULL with err set. */
acc_index *server_thread_index(struct server *s, acc_error *err);

/* Starts the workers (and, with a cache, the revision watcher); 0 or -1. */
int pool_start(struct server *s, long nworkers);
/* Lets the workers drain the queues, then joins them and the watcher. */
void pool_stop(struct server *s);
/* Hands rq's index work to the pool: the connection sleeps until a worker has the answer. */
enum MHD_Result pool_submit(struct server *s, struct MHD_Connection *c, request *rq, enum job job);

/* ---------------------------------------------------------------- http.c */

/* Starts libmicrohttpd on sa with the connection limits; NULL on failure (errno). */
struct MHD_Daemon *http_start(struct server *s, const struct sockaddr *sa, unsigned max_conn,
                              unsigned max_ip);
/* Queues an answer (body freed by MHD when must_free), with the common headers. */
enum MHD_Result http_send(struct server *s, struct MHD_Connection *c, request *rq, unsigned code,
                          const char *type, char *body, size_t len, int must_free);
/* http_send of JSON (freed) and of {"error": {"code", "message"}}. */
enum MHD_Result http_send_json(struct server *s, struct MHD_Connection *c, request *rq,
                               unsigned code, char *json);
enum MHD_Result http_send_error(struct server *s, struct MHD_Connection *c, request *rq,
                                unsigned code, const char *msg);
/* The HTTP status of a library status: user errors 4xx, index trouble 503, else 500. */
unsigned http_status(acc_status st);
/*
 * The status and message to send for a library error; index trouble is
 * logged and not described to the client.
 */
unsigned http_library_answer(acc_status st, const acc_error *err, const char **msg);
/* A query argument as (p, n), or NULL when absent (the value may hold NUL bytes). */
const char *http_arg(struct MHD_Connection *c, const char *key, size_t *n);

/* -------------------------------------------------------------- routes.c */

/*
 * The handlers http.c routes to: each answers (or hands to the pool) a GET or
 * HEAD request whose route is set. route_doc and route_similar read the
 * document id from rq->id (rq owns it).
 */
/* /search: reads the query parameters, checks them, queues the search. */
enum MHD_Result route_search(struct server *s, struct MHD_Connection *c, request *rq);
/* /similar/ID: route_search with q.similar = ID, after checking ID. */
enum MHD_Result route_similar(struct server *s, struct MHD_Connection *c, request *rq);
/* /suggest?q=&limit=: checks the text and limit, queues the suggestions. */
enum MHD_Result route_suggest(struct server *s, struct MHD_Connection *c, request *rq);
/* /doc/ID: checks ID, queues the record. */
enum MHD_Result route_doc(struct server *s, struct MHD_Connection *c, request *rq);
/* /stats: queued (it reads the index). */
enum MHD_Result route_stats(struct server *s, struct MHD_Connection *c, request *rq);
/* /health: answered on the event loop, so it answers when every worker is busy. */
enum MHD_Result route_health(struct server *s, struct MHD_Connection *c, request *rq);
/* /metrics: the Prometheus text. */
enum MHD_Result route_metrics(struct server *s, struct MHD_Connection *c, request *rq);
/* /opensearch.xml, for the Host the client used. */
enum MHD_Result route_opensearch(struct server *s, struct MHD_Connection *c, request *rq);
/* The embedded files: the demo page (/ and /index.html), /widget.js, /widget.css. */
enum MHD_Result route_page(struct server *s, struct MHD_Connection *c, request *rq);
enum MHD_Result route_widget_js(struct server *s, struct MHD_Connection *c, request *rq);
enum MHD_Result route_widget_css(struct server *s, struct MHD_Connection *c, request *rq);
/* Any other path: 404 with the list of endpoints. */
enum MHD_Result route_not_found(struct server *s, struct MHD_Connection *c, request *rq);
/* Runs a request's index work on the calling worker and records its answer in rq. */
void routes_run_job(struct server *s, request *rq);

#endif
