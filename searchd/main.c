/*
 * accord-searchd: the HTTP search daemon (the rooms are listed in
 * searchd/server.h).
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
 * This file: the options, the start, and the signals. The signals are
 * blocked in every thread and taken by sigwait() in main: SIGHUP reopens the
 * access log, SIGTERM and SIGINT drain (stop accepting, answer what has begun
 * with Connection: close for at most DRAIN_MS, then stop the workers).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accord/log.h"
#include "accord/opt.h"
#include "server.h"

/* how long in-flight requests may take to finish after SIGTERM */
#define DRAIN_MS 10000

static void usage(FILE *f)
{
    fprintf(
        f, "usage: accord-searchd --index DIR [--index DIR2 ...] [--port 8080] [--bind 127.0.0.1]\n"
           "                      [--cors ORIGIN ...] [--access-log FILE] [--topics FILE]\n"
           "                      [--max-connections N] [--max-per-ip N] [--workers N]\n"
           "                      [--cache-mb N] [--header-timeout S] [--verbose]\n"
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
           "(default 16; 0: no cache). A connection must send a whole request within\n"
           "--header-timeout S seconds of connecting or of its previous answer (default 5);\n"
           "near --max-connections, the connections waiting longest are closed first.\n"
           "SIGTERM or SIGINT finish the requests in flight and exit 0.\n"
           "--help prints this text, --version the versions of accord and its libraries.\n");
}

static void close_db(void *p)
{
    acc_index_close(p);
}

/* The options that do not live in struct server. */
typedef struct options {
    const char *bind_addr, *topics_path;
    long port, max_conn, max_ip, nworkers, cache_mb, header_timeout;
} options;

/* Reads the options into s and o; 0 to go on, else the exit status (-1: 0, after --help). */
static int read_options(int argc, char **argv, struct server *s, options *o)
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
                                         {"header-timeout", required_argument, NULL, 'H'},
                                         {"help", no_argument, NULL, 'h'},
                                         {"version", no_argument, NULL, 'V'},
                                         {NULL, 0, NULL, 0}};
    acc_error err;
    int c;
    while ((c = getopt_long(argc, argv, "i:p:b:vhT:C:L:M:P:W:K:H:", opts, NULL)) != -1) {
        acc_status st = ACC_OK;
        switch (c) {
        case 'i':
            if (s->nindexes == MAX_INDEXES) {
                acc_log(ACC_LOG_ERROR, "at most %d --index", MAX_INDEXES);
                return 2;
            }
            s->index_paths[s->nindexes++] = optarg;
            break;
        case 'p':
            st = acc_opt_long("--port", optarg, 0, 65535, &o->port, &err);
            break;
        case 'b':
            o->bind_addr = optarg;
            break;
        case 'v':
            acc_log_setup("accord-searchd", ACC_LOG_DEBUG);
            break;
        case 'T':
            o->topics_path = optarg;
            break;
        case 'C':
            if (s->ncors == MAX_CORS) {
                acc_log(ACC_LOG_ERROR, "at most %d --cors", MAX_CORS);
                return 2;
            }
            s->cors[s->ncors++] = optarg;
            break;
        case 'L':
            s->log.path = optarg;
            break;
        case 'M':
            st = acc_opt_long("--max-connections", optarg, 1, 100000, &o->max_conn, &err);
            break;
        case 'P':
            st = acc_opt_long("--max-per-ip", optarg, 1, 100000, &o->max_ip, &err);
            break;
        case 'W':
            st = acc_opt_long("--workers", optarg, 1, MAX_WORKERS, &o->nworkers, &err);
            break;
        case 'K':
            st = acc_opt_long("--cache-mb", optarg, 0, 65536, &o->cache_mb, &err);
            break;
        case 'H':
            st = acc_opt_long("--header-timeout", optarg, 1, 3600, &o->header_timeout, &err);
            break;
        case 'h':
            usage(stdout);
            return -1;
        case 'V':
            acc_opt_print_version(stdout, "accord-searchd");
            return -1;
        default:
            usage(stderr);
            return 2;
        }
        if (st != ACC_OK) {
            acc_log(ACC_LOG_ERROR, "%s", err.msg);
            return 2;
        }
    }
    if (!s->nindexes || optind != argc) {
        usage(stderr);
        return 2;
    }
    return 0;
}

/* Opens what the server reads: the index (checked once), the vocabulary, the log. */
static int prepare(struct server *s, const options *o)
{
    acc_index *probe = NULL;
    acc_error err;
    /* fail early and clearly when the index cannot be opened */
    if (acc_index_open_many(s->index_paths, s->nindexes, &probe, &err) != ACC_OK) {
        acc_log(ACC_LOG_ERROR, "%s", err.msg);
        return 2;
    }
    s->remote = acc_index_has_remote(probe);
    acc_index_close(probe);
    const char *tp = o->topics_path ? o->topics_path : acc_topics_default_path();
    if (tp && acc_topics_load(tp, &s->vocab, &err) != ACC_OK) {
        acc_log(ACC_LOG_ERROR, "%s", err.msg);
        return 2;
    }
    if (accesslog_open(&s->log) != 0) {
        acc_log(ACC_LOG_ERROR, "cannot open access log '%s': %s", s->log.path, strerror(errno));
        return 2;
    }
    return 0;
}

/* Waits for SIGTERM or SIGINT (SIGHUP: the access log is reopened); the signal. */
static int wait_for_stop(struct server *s, const sigset_t *sigs)
{
    int sig;
    for (;;) {
        sigwait(sigs, &sig);
        if (sig != SIGHUP)
            return sig;
        s->log.reopen = 1; /* the next log line reopens the file */
    }
}

int main(int argc, char **argv)
{
    static struct server server; /* the one server state (large: not on the stack) */
    struct server *s = &server;
    options o = {"127.0.0.1", NULL, 8080, 512, 64, 0, 16, 5};
    struct sockaddr_in sa;
    struct MHD_Daemon *d;
    const union MHD_DaemonInfo *info;
    sigset_t sigs;
    int status;

    acc_log_setup("accord-searchd", ACC_LOG_INFO);
    pthread_mutex_init(&s->log.lock, NULL);
    pthread_mutex_init(&s->pool.lock, NULL);
    pthread_cond_init(&s->pool.cond, NULL);
    /* glibc's malloc (a build without mimalloc): without a cap, it gives each busy thread its
       own arena and the resident size grows with the thread count */
    mallopt(M_ARENA_MAX, 2);
    status = read_options(argc, argv, s, &o);
    if (status)
        return status < 0 ? 0 : status;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)o.port);
    if (inet_pton(AF_INET, o.bind_addr, &sa.sin_addr) != 1) {
        acc_log(ACC_LOG_ERROR, "invalid --bind '%s': expected an IPv4 address", o.bind_addr);
        return 2;
    }
    status = prepare(s, &o);
    if (status)
        return status;

    pthread_key_create(&s->db_key, close_db);
    /* the signals are taken by sigwait below; block them in every thread */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (!o.nworkers) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        o.nworkers = cpus < 2 ? 2 : cpus > MAX_WORKERS ? MAX_WORKERS : cpus;
    }
    /* running out of memory (a process limit) answers 503 instead of aborting: a reserve
       given back when an allocation fails lets the request in progress finish, and new
       requests are refused until it can be set aside again (http.c) */
    if (acc_index_memory_reserve(SEARCHD_MEM_RESERVE) != 0)
        acc_log(ACC_LOG_WARN, "cannot set a memory reserve aside: out of memory will abort");
    /* a remote shard's commits do not show in the revision: cached answers would go stale */
    if (s->remote && o.cache_mb)
        acc_log(ACC_LOG_INFO, "remote shards: answers are not cached");
    s->cache = s->remote ? NULL : acc_cache_new((size_t)o.cache_mb << 20);
    if (pool_start(s, o.nworkers) != 0)
        return 2;
    if (guard_start(&s->guard, (unsigned)o.max_conn, (double)o.header_timeout) != 0) {
        acc_log(ACC_LOG_ERROR, "cannot start the connection guard");
        return 2;
    }
    d = http_start(s, (const struct sockaddr *)&sa, (unsigned)o.max_conn, (unsigned)o.max_ip);
    if (!d) {
        acc_log(ACC_LOG_ERROR, "cannot listen on %s:%ld: %s", o.bind_addr, o.port, strerror(errno));
        return 2;
    }
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    printf("accord-searchd: listening on http://%s:%u/\n", o.bind_addr,
           info ? (unsigned)info->port : (unsigned)o.port);
    fflush(stdout);

    int sig = wait_for_stop(s, &sigs);
    acc_log(ACC_LOG_INFO, "signal %d: finishing the requests in flight", sig);
    atomic_store(&s->draining, 1);
    MHD_quiesce_daemon(d);
    for (int i = 0; i < DRAIN_MS / 10 && atomic_load(&s->inflight) > 0; i++) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    pool_stop(s);
    guard_stop(&s->guard);
    MHD_stop_daemon(d);
    acc_cache_free(s->cache);
    acc_topics_free(s->vocab);
    accesslog_close(&s->log);
    return 0;
}
