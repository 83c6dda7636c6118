/* searchd/guard.c: see guard.h. */
#include "guard.h"

#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "accord/log.h"
#include "accord/mem.h"

struct guard_conn {
    struct guard_conn *prev, *next;
    struct guard *g;
    int fd;
    int busy;
    int shut;     /* shutdown already asked */
    double since; /* when it began to wait for a request */
};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void unlink_conn(struct guard *g, struct guard_conn *k)
{
    if (k->prev)
        k->prev->next = k->next;
    else
        g->head = k->next;
    if (k->next)
        k->next->prev = k->prev;
    else
        g->tail = k->prev;
    k->prev = k->next = NULL;
}

/* a waiting connection moves to the end: the list stays in order of `since` */
static void append(struct guard *g, struct guard_conn *k)
{
    k->prev = g->tail;
    k->next = NULL;
    if (g->tail)
        g->tail->next = k;
    else
        g->head = k;
    g->tail = k;
}

void guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                  enum MHD_ConnectionNotificationCode toe)
{
    struct guard *g = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        struct guard_conn *k = acc_xcalloc(1, sizeof *k);
        k->g = g;
        k->fd = ci ? ci->connect_fd : -1;
        k->since = now();
        pthread_mutex_lock(&g->mu);
        append(g, k);
        g->n++;
        pthread_mutex_unlock(&g->mu);
        *socket_context = k;
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
        struct guard_conn *k = *socket_context;
        if (!k)
            return;
        pthread_mutex_lock(&g->mu);
        unlink_conn(g, k);
        g->n--;
        pthread_mutex_unlock(&g->mu);
        free(k);
        *socket_context = NULL;
    }
}

void guard_busy(struct MHD_Connection *c, int busy)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    struct guard_conn *k = ci ? ci->socket_context : NULL;
    if (!k)
        return;
    struct guard *g = k->g;
    pthread_mutex_lock(&g->mu);
    if (k->busy != busy) {
        k->busy = busy;
        if (!busy) {
            k->since = now();
            unlink_conn(g, k);
            append(g, k);
        }
    }
    pthread_mutex_unlock(&g->mu);
}

unsigned guard_open(struct guard *g)
{
    pthread_mutex_lock(&g->mu);
    unsigned n = g->n;
    pthread_mutex_unlock(&g->mu);
    return n;
}

static void close_conn(struct guard_conn *k)
{
    if (k->fd >= 0 && !k->shut)
        shutdown(k->fd, SHUT_RDWR);
    k->shut = 1;
}

static void *watch(void *arg)
{
    struct guard *g = arg;
    const struct timespec tick = {0, 250 * 1000 * 1000};
    while (!atomic_load(&g->stop)) {
        nanosleep(&tick, NULL);
        double t = now();
        unsigned long late = 0, shed = 0;
        pthread_mutex_lock(&g->mu);
        unsigned open = g->n;
        for (struct guard_conn *k = g->head; k; k = k->next) {
            if (k->busy || k->shut)
                continue;
            if (t - k->since > g->deadline) {
                close_conn(k);
                late++;
                open--;
            } else if (open > g->max - g->max / 8 && t - k->since >= 1.0) {
                /* the oldest waiting first (the list is in order of since) */
                close_conn(k);
                shed++;
                open--;
                if (open <= g->max - g->max / 4)
                    break;
            }
        }
        pthread_mutex_unlock(&g->mu);
        if (late)
            atomic_fetch_add(&g->closed_deadline, late);
        if (shed) {
            atomic_fetch_add(&g->closed_shed, shed);
            acc_log(ACC_LOG_WARN, "connections near the limit (%u): closed %lu waiting ones",
                    g->max, shed);
        }
    }
    return NULL;
}

int guard_start(struct guard *g, unsigned max, double deadline)
{
    g->head = g->tail = NULL;
    g->n = 0;
    g->max = max;
    g->deadline = deadline;
    atomic_init(&g->stop, 0);
    atomic_init(&g->closed_deadline, 0);
    atomic_init(&g->closed_shed, 0);
    if (pthread_mutex_init(&g->mu, NULL) != 0)
        return -1;
    if (pthread_create(&g->th, NULL, watch, g) != 0) {
        pthread_mutex_destroy(&g->mu);
        return -1;
    }
    g->running = 1;
    return 0;
}

void guard_stop(struct guard *g)
{
    if (!g->running)
        return;
    atomic_store(&g->stop, 1);
    pthread_join(g->th, NULL);
    g->running = 0;
    /* what is left is freed by the close notifications of MHD_stop_daemon */
}
