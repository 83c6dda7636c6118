/*
 * searchd/guard.h: the connection guard of accord-searchd. libmicrohttpd's
 * idle timeout restarts with every byte, so clients that send half a request
 * and then a byte now and then (slowloris) can hold every connection slot.
 * The guard keeps a list of the open connections and a thread that, four
 * times a second:
 *   - closes a connection that has waited longer than the header deadline
 *     for a complete request (since it connected, or since its previous
 *     answer when kept alive), however slowly it trickles bytes;
 *   - when the connections fill more than 7/8 of the limit, closes the
 *     oldest waiting ones (waiting at least 1 s) until they fill 3/4:
 *     a connection with a request being answered is never closed.
 * A connection is closed by shutdown(2) of its socket, which libmicrohttpd
 * reads as the client going away; the socket is still libmicrohttpd's then
 * (it is closed only after the close notification, which takes it off the list
 * under the same lock).
 */
#ifndef ACCORD_SEARCHD_GUARD_H
#define ACCORD_SEARCHD_GUARD_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>

struct guard_conn;

struct guard {
    pthread_mutex_t mu;
    struct guard_conn *head; /* oldest first */
    struct guard_conn *tail;
    unsigned n, max;
    double deadline; /* seconds a connection may wait for a complete request */
    atomic_int stop;
    atomic_ulong closed_deadline, closed_shed; /* counts, for /metrics */
    pthread_t th;
    int running;
};

/* Starts the guard for at most max connections; 0 or -1. */
int guard_start(struct guard *g, unsigned max, double deadline);
void guard_stop(struct guard *g);

/* MHD_OPTION_NOTIFY_CONNECTION callback (cls: the guard). */
void guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                  enum MHD_ConnectionNotificationCode toe);

/* Open connections now. */
unsigned guard_open(struct guard *g);

/* The connection has a complete request (1) or has been answered and waits again (0). */
void guard_busy(struct MHD_Connection *c, int busy);

#endif
