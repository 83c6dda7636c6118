/*
 * accord-searchd: the HTTP search daemon.
 *
 * Routes: GET /search?q=&lang=&limit=&offset= (results JSON, as accord-search
 * --json), GET /health, GET / (the demo page). HEAD is answered like GET
 * without a body; other methods get 405. Every error is JSON
 * {"error": {"code", "message"}} with a 4xx status for the user's input; 5xx
 * only when the index itself cannot be read.
 *
 * Threads: libmicrohttpd runs one thread per connection, so a slow query
 * never delays another connection (XAPIAN-NOTES 9). Each thread opens its own
 * read-only Xapian handle on first use (24 us) and closes it when the thread
 * ends; every search reopens it to the latest committed revision.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/log.h"
#include "accord/mem.h"
#include "accord/query.h"
#include "accord/text.h"
#include "accord/topics.h"
#include "accord/xap.h"

extern const unsigned char acc_web_index_html[];
extern const size_t acc_web_index_html_len;

static const char *index_path;
static acc_topics *vocab; /* read-only once loaded: shared by the threads */
static pthread_key_t db_key;

static void close_db(void *p)
{
    acc_xdb_close(p);
}

/* The calling thread's index handle, opened on first use; NULL with err set. */
static acc_xdb *thread_db(acc_error *err)
{
    acc_xdb *db = pthread_getspecific(db_key);
    if (!db) {
        if (acc_xdb_open(index_path, &db, err) != ACC_OK)
            return NULL;
        acc_xdb_set_topics(db, vocab);
        pthread_setspecific(db_key, db);
    }
    return db;
}

static enum MHD_Result send_body(struct MHD_Connection *c, unsigned code, const char *type,
                                 char *body, size_t len, int must_free)
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
        MHD_add_response_header(r, "Allow", "GET, HEAD");
    ret = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned code, char *json)
{
    return send_body(c, code, "application/json; charset=utf-8", json, strlen(json), 1);
}

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned code, const char *msg)
{
    return send_json(c, code, acc_error_json((int)code, msg));
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

static enum MHD_Result handle_search(struct MHD_Connection *c)
{
    acc_query q;
    acc_error err;
    acc_results *r = NULL;
    acc_xdb *db;
    enum MHD_Result ret;
    acc_status st;

    acc_query_init(&q);
    if (acc_query_from_params(&q, param, c, &err) != ACC_OK)
        return send_error(c, MHD_HTTP_BAD_REQUEST, err.msg);
    st = acc_query_check(&q, &err);
    if (st != ACC_OK)
        return send_error(c, http_status(st), err.msg);
    db = thread_db(&err);
    if (!db) {
        acc_log(ACC_LOG_ERROR, "%s", err.msg);
        return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "the index is not available");
    }
    st = acc_xdb_search(db, &q, &r, &err);
    if (st != ACC_OK) {
        unsigned code = http_status(st);
        if (code >= 500) {
            acc_log(ACC_LOG_ERROR, "search failed: %s", err.msg);
            return send_error(c, code, "the search failed; the error was logged");
        }
        return send_error(c, code, err.msg);
    }
    ret = send_json(c, MHD_HTTP_OK, acc_results_json(r, 0));
    acc_results_free(r);
    return ret;
}

static enum MHD_Result handle_health(struct MHD_Connection *c)
{
    acc_error err;
    unsigned long docs = 0, rev = 0;
    acc_xdb *db = thread_db(&err);
    json_t *o;
    char *s;

    if (!db || acc_xdb_stats(db, &docs, &rev, &err) != ACC_OK) {
        acc_log(ACC_LOG_ERROR, "health: %s", err.msg);
        return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "the index is not available");
    }
    o = json_pack("{s:s,s:I,s:I}", "status", "ok", "documents", (json_int_t)docs, "revision",
                  (json_int_t)rev);
    s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return send_json(c, MHD_HTTP_OK, s ? s : acc_xstrdup("{\"status\":\"ok\"}"));
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **req_cls)
{
    static int first_call;
    (void)cls;
    (void)version;
    (void)upload;

    /* answer on the second call, after MHD has consumed any request body */
    if (*req_cls == NULL) {
        *req_cls = &first_call;
        return MHD_YES;
    }
    if (*upload_size) {
        *upload_size = 0; /* discard a body: no route takes one */
        return MHD_YES;
    }
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed: use GET");
    if (strcmp(url, "/search") == 0)
        return handle_search(c);
    if (strcmp(url, "/health") == 0)
        return handle_health(c);
    if (strcmp(url, "/") == 0 || strcmp(url, "/index.html") == 0)
        return send_body(c, MHD_HTTP_OK, "text/html; charset=utf-8", (char *)acc_web_index_html,
                         acc_web_index_html_len, 0);
    return send_error(c, MHD_HTTP_NOT_FOUND, "no such endpoint: try /search?q=... or /health");
}

static void log_request(void *cls, struct MHD_Connection *c, void **req_cls,
                        enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)req_cls;
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
        acc_log(ACC_LOG_DEBUG, "request ended early (code %d)", (int)toe);
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: accord-searchd --index DIR [--port 8080] [--bind 127.0.0.1] [--topics FILE]\n"
            "                      [--verbose]\n"
            "\n"
            "Serves the index DIR over HTTP: GET /search?q=&lang=&type=&topic=&party=\n"
            "&from=&to=&sort=&offset=&limit=&facets=&expand=&collapse=&similar=&explain=,\n"
            "GET /health, and a demo search page at /. --port 0 picks a free port;\n"
            "the address is printed on stdout. SIGTERM or SIGINT stops it cleanly.\n");
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"index", required_argument, NULL, 'i'}, {"port", required_argument, NULL, 'p'},
        {"bind", required_argument, NULL, 'b'},  {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0}};
    const char *bind_addr = "127.0.0.1";
    const char *topics_path = NULL;
    long port = 8080;
    struct sockaddr_in sa;
    struct MHD_Daemon *d;
    const union MHD_DaemonInfo *info;
    acc_xdb *probe = NULL;
    acc_error err;
    sigset_t sigs;
    int c, sig;

    acc_log_setup("accord-searchd", ACC_LOG_INFO);
    while ((c = getopt_long(argc, argv, "i:p:b:vhT:", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'i':
            index_path = optarg;
            break;
        case 'p':
            errno = 0;
            port = strtol(optarg, &end, 10);
            if (errno || *end || port < 0 || port > 65535) {
                acc_log(ACC_LOG_ERROR, "invalid --port '%s': expected 0-65535", optarg);
                return 2;
            }
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
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (!index_path || optind != argc) {
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
    if (acc_xdb_open(index_path, &probe, &err) != ACC_OK) {
        acc_log(ACC_LOG_ERROR, "%s", err.msg);
        return 2;
    }
    acc_xdb_close(probe);
    {
        const char *tp = topics_path ? topics_path : acc_topics_default_path();
        if (tp && acc_topics_load(tp, &vocab, &err) != ACC_OK) {
            acc_log(ACC_LOG_ERROR, "%s", err.msg);
            return 2;
        }
    }

    pthread_key_create(&db_key, close_db);
    /* SIGTERM/SIGINT are taken by sigwait below; block them in every thread */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL |
            MHD_USE_ERROR_LOG,
        0, NULL, NULL, handle, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)512, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned int)128, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_LISTENING_ADDRESS_REUSE,
        (unsigned int)1, MHD_OPTION_NOTIFY_COMPLETED, log_request, NULL, MHD_OPTION_END);
    if (!d) {
        acc_log(ACC_LOG_ERROR, "cannot listen on %s:%ld: %s", bind_addr, port, strerror(errno));
        return 2;
    }
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    printf("accord-searchd: listening on http://%s:%u/\n", bind_addr,
           info ? (unsigned)info->port : (unsigned)port);
    fflush(stdout);

    sigwait(&sigs, &sig);
    acc_log(ACC_LOG_INFO, "signal %d: stopping", sig);
    MHD_stop_daemon(d);
    acc_topics_free(vocab);
    return 0;
}
