/*
 * searchd/pool.c: the worker pool. Requests that need the index wait in two
 * FIFO queues under one lock: "fast" (/suggest, /doc, /stats) and "slow"
 * (/search, /similar). nworkers threads take fast jobs first, then slow ones;
 * one more takes fast jobs only. A queued job whose client has gone is not
 * run. Each thread has its own index handle (Xapian does no locking), opened
 * on first use and closed when the thread ends. With an answer cache, a
 * watcher thread keeps the index revision fresh for the event loop.
 */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>

#include "accord/log.h"
#include "server.h"

#ifdef ACC_HAVE_MIMALLOC
#include <mimalloc.h>
#endif

void server_heap_trim(void)
{
#ifdef ACC_HAVE_MIMALLOC
    mi_collect(true);
#else
    malloc_trim(0);
#endif
}

/* a job at least this long gives the heap's free pages back afterwards (server_heap_trim) */
#define TRIM_AFTER_MS 100

/* how often the watcher reads the index revision (a commit is seen within this) */
#define WATCH_NS (100 * 1000 * 1000)

acc_index *server_thread_index(struct server *s, acc_error *err)
{
    acc_index *db = pthread_getspecific(s->db_key);
    if (!db) {
        if (acc_index_open_many(s->index_paths, s->nindexes, &db, err) != ACC_OK)
            return NULL;
        acc_index_set_topics(db, s->vocab);
        pthread_setspecific(s->db_key, db);
    }
    return db;
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
    const struct pool_worker *wa = arg;
    struct server *s = wa->s;
    struct pool *p = &s->pool;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        request *rq = NULL;
        if (p->fast_head) {
            rq = p->fast_head;
            p->fast_head = rq->next;
            if (!p->fast_head)
                p->fast_tail = NULL;
        } else if (!wa->fast_only && p->slow_head) {
            rq = p->slow_head;
            p->slow_head = rq->next;
            if (!p->slow_head)
                p->slow_tail = NULL;
        } else if (p->stopping) {
            break;
        } else {
            pthread_cond_wait(&p->cond, &p->lock);
            continue;
        }
        atomic_fetch_sub(&s->metrics.queued_now, 1);
        pthread_mutex_unlock(&p->lock);
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (client_gone(rq->conn))
            rq->abandoned = 1;
        else
            routes_run_job(s, rq);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (s->cache && rq->key && rq->code == MHD_HTTP_OK && rq->body &&
            (rq->job == JOB_SEARCH || rq->job == JOB_SUGGEST))
            acc_cache_put(s->cache, rq->key, rq->klen, rq->rev, rq->body, rq->len);
        atomic_store(&rq->done, 1);
        MHD_resume_connection(rq->conn); /* the event loop sends the answer */
        /* a long job (a wildcard expansion, big facets) may have grown the heap by tens of
           MiB: give the free pages back to the system rather than keep them for good */
        if ((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 >= TRIM_AFTER_MS)
            server_heap_trim();
        pthread_mutex_lock(&p->lock);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

enum MHD_Result pool_submit(struct server *s, struct MHD_Connection *c, request *rq, enum job job)
{
    struct pool *p = &s->pool;
    const int fast = job != JOB_SEARCH;
    rq->job = job;
    rq->conn = c;
    rq->next = NULL;
    rq->rev = atomic_load(&s->current_rev); /* read before the worker reopens the index */
    MHD_suspend_connection(c);
    pthread_mutex_lock(&p->lock);
    if (fast) {
        if (p->fast_tail)
            p->fast_tail->next = rq;
        else
            p->fast_head = rq;
        p->fast_tail = rq;
    } else {
        if (p->slow_tail)
            p->slow_tail->next = rq;
        else
            p->slow_head = rq;
        p->slow_tail = rq;
    }
    atomic_fetch_add(&s->metrics.queued_now, 1);
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
    return MHD_YES;
}

/*
 * The revision watcher: every WATCH_NS, the revision of the index, so that
 * the event loop can tell a cached answer is still current without touching
 * the index.
 */
static void *revision_watcher(void *arg)
{
    struct server *s = arg;
    for (;;) {
        pthread_mutex_lock(&s->pool.lock);
        int stop = s->pool.stopping;
        pthread_mutex_unlock(&s->pool.lock);
        if (stop)
            break;
        acc_error err;
        unsigned long rev = 0;
        acc_index *db = server_thread_index(s, &err);
        /* the cache's token: the revision, and the times the index was replaced (a new
           index may have the old one's revision); none while there is no index */
        if (db && acc_index_stats(db, NULL, &rev, &err) == ACC_OK)
            atomic_store(&s->current_rev, rev + (acc_index_generation(db) << 40));
        else
            atomic_store(&s->current_rev, ULONG_MAX);
        struct timespec ts = {0, WATCH_NS};
        nanosleep(&ts, NULL);
    }
    return NULL;
}

int pool_start(struct server *s, long nworkers)
{
    struct pool *p = &s->pool;
    p->nworkers = nworkers;
    if (s->cache) {
        if (pthread_create(&p->watcher, NULL, revision_watcher, s) != 0) {
            acc_log(ACC_LOG_ERROR, "cannot start the revision watcher");
            return -1;
        }
        p->watching = 1;
    }
    /* nworkers take any job, fast first; one more takes fast jobs only */
    for (long i = 0; i <= nworkers; i++) {
        p->workers[i].s = s;
        p->workers[i].fast_only = i == nworkers;
        if (pthread_create(&p->workers[i].thread, NULL, worker, &p->workers[i]) != 0) {
            acc_log(ACC_LOG_ERROR, "cannot start worker threads");
            return -1;
        }
    }
    return 0;
}

void pool_stop(struct server *s)
{
    struct pool *p = &s->pool;
    pthread_mutex_lock(&p->lock);
    p->stopping = 1;
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
    for (long i = 0; i <= p->nworkers; i++)
        pthread_join(p->workers[i].thread, NULL);
    if (p->watching)
        pthread_join(p->watcher, NULL);
}
