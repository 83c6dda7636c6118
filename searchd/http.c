/*
 * searchd/http.c: libmicrohttpd plumbing. Every request gets a `request`
 * (log_uri, first), is answered on the second call of the access handler
 * (after any body is read and thrown away), and is counted and logged when
 * libmicrohttpd says it is complete. GET and HEAD are routed here (the
 * table `routes`: URL -> handler of routes.c), OPTIONS is the CORS
 * preflight, anything else is 405. A request resumed by a worker comes back
 * here to send the worker's answer. Cacheable routes are answered from the
 * answer cache, when it holds the URI at the current revision, before their
 * handler runs.
 *
 * Every answer carries nosniff and no-store, the CORS origin when allowed,
 * a Content-Security-Policy on HTML, and Connection: close while draining.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "accord/log.h"
#include "accord/mem.h"
#include "server.h"

/* an idle connection is closed after this many seconds */
#define CONNECTION_TIMEOUT 30
/* memory for one connection's request (headers, arguments) */
#define CONNECTION_MEMORY (64 * 1024)
/* longest URI kept as the cache key */
#define CACHE_KEY_MAX 4096

static void add_cors(struct server *s, struct MHD_Connection *c, struct MHD_Response *r)
{
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    if (!s->ncors || !origin)
        return;
    for (size_t i = 0; i < s->ncors; i++) {
        if (strcmp(s->cors[i], "*") == 0) {
            MHD_add_response_header(r, "Access-Control-Allow-Origin", "*");
            return;
        }
        if (strcasecmp(s->cors[i], origin) == 0) {
            MHD_add_response_header(r, "Access-Control-Allow-Origin", origin);
            MHD_add_response_header(r, "Vary", "Origin");
            return;
        }
    }
}

enum MHD_Result http_send(struct server *s, struct MHD_Connection *c, request *rq, unsigned code,
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
    add_cors(s, c, r);
    if (rq && rq->key &&
        (rq->route == R_SEARCH || rq->route == R_SUGGEST || rq->route == R_SIMILAR))
        MHD_add_response_header(r, "X-Accord-Cache", rq->cached ? "hit" : "miss");
    if (atomic_load(&s->draining))
        MHD_add_response_header(r, "Connection", "close");
    ret = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    if (rq)
        rq->status = code;
    return ret;
}

enum MHD_Result http_send_json(struct server *s, struct MHD_Connection *c, request *rq,
                               unsigned code, char *json)
{
    return http_send(s, c, rq, code, "application/json; charset=utf-8", json, strlen(json), 1);
}

enum MHD_Result http_send_error(struct server *s, struct MHD_Connection *c, request *rq,
                                unsigned code, const char *msg)
{
    return http_send_json(s, c, rq, code, acc_error_json((int)code, msg));
}

#define MSG_SHORT_OF_MEMORY "the server is short of memory; try again shortly"

unsigned http_status(acc_status st)
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
    case ACC_EDB_NETWORK:
    case ACC_ENOMEM:
        return MHD_HTTP_SERVICE_UNAVAILABLE;
    default:
        return MHD_HTTP_INTERNAL_SERVER_ERROR;
    }
}

unsigned http_library_answer(acc_status st, const acc_error *err, const char **msg)
{
    unsigned code = http_status(st);
    *msg = err->msg;
    if (code >= 500) {
        acc_log(ACC_LOG_ERROR, "%s", err->msg);
        *msg = st == ACC_ENOMEM ? MSG_SHORT_OF_MEMORY
               : code == 503    ? "the index is not available"
                                : "the request failed; the error was logged";
    }
    return code;
}

const char *http_arg(struct MHD_Connection *c, const char *key, size_t *n)
{
    const char *v = NULL;
    *n = 0;
    /* percent-decoding may put a NUL inside the value: the length comes from MHD */
    if (MHD_lookup_connection_value_n(c, MHD_GET_ARGUMENT_KIND, key, strlen(key), &v, n) != MHD_YES)
        return NULL;
    return v;
}

/* The CORS preflight: which methods and headers a page of another origin may use. */
static enum MHD_Result preflight(struct server *s, struct MHD_Connection *c, request *rq)
{
    /* an empty body: a literal, never written (MHD takes a non-const pointer) */
    struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Allow", "GET, HEAD, OPTIONS");
    MHD_add_response_header(r, "Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
    MHD_add_response_header(r, "Access-Control-Allow-Headers", "Content-Type");
    MHD_add_response_header(r, "Access-Control-Max-Age", "600");
    add_cors(s, c, r);
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_NO_CONTENT, r);
    MHD_destroy_response(r);
    rq->status = MHD_HTTP_NO_CONTENT;
    return ret;
}

/* A cached answer for this request's URI at the current revision, sent at once. */
static int answered_from_cache(struct server *s, struct MHD_Connection *c, request *rq,
                               enum MHD_Result *ret)
{
    size_t len = 0;
    char *body;
    if (!s->cache || !rq->key)
        return 0;
    body = acc_cache_get(s->cache, rq->key, rq->klen, atomic_load(&s->current_rev), &len);
    if (!body)
        return 0;
    rq->cached = 1;
    *ret = http_send(s, c, rq, MHD_HTTP_OK, "application/json; charset=utf-8", body, len, 1);
    return 1;
}

/* Percent-decoded path segment after a prefix ("/doc/"), or NULL (caller frees). */
static char *path_rest(const char *url, const char *prefix)
{
    size_t k = strlen(prefix);
    if (strncmp(url, prefix, k) != 0 || !url[k])
        return NULL;
    char *out = acc_xstrdup(url + k);
    /* MHD has decoded the path already except for the characters it keeps */
    MHD_http_unescape(out);
    return out;
}

typedef enum MHD_Result route_handler(struct server *s, struct MHD_Connection *c, request *rq);

/*
 * The routes, tried in order: an exact path, or a prefix followed by a
 * document id (percent-decoded into rq->id; a bare prefix does not match).
 * Each is counted under its enum route in /metrics; a cacheable route is
 * answered from the cache when it holds the URI, before any check.
 */
static const struct route_entry {
    const char *path;
    int prefix;
    enum route route;
    int cacheable;
    route_handler *handler;
} routes[] = {
    {"/search", 0, R_SEARCH, 1, route_search},
    {"/suggest", 0, R_SUGGEST, 1, route_suggest},
    {"/health", 0, R_HEALTH, 0, route_health},
    {"/stats", 0, R_STATS, 0, route_stats},
    {"/metrics", 0, R_METRICS, 0, route_metrics},
    {"/doc/", 1, R_DOC, 0, route_doc},
    {"/similar/", 1, R_SIMILAR, 1, route_similar},
    {"/", 0, R_STATIC, 0, route_page},
    {"/index.html", 0, R_STATIC, 0, route_page},
    {"/widget.js", 0, R_STATIC, 0, route_widget_js},
    {"/widget.css", 0, R_STATIC, 0, route_widget_css},
    {"/opensearch.xml", 0, R_STATIC, 0, route_opensearch},
};

/* Answers a GET/HEAD request for url (the path, without the query). */
static enum MHD_Result dispatch(struct server *s, struct MHD_Connection *c, request *rq,
                                const char *url)
{
    enum MHD_Result ret;
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        const struct route_entry *e = &routes[i];
        if (e->prefix) {
            if ((rq->id = path_rest(url, e->path)) == NULL)
                continue;
        } else if (strcmp(url, e->path) != 0) {
            continue;
        }
        rq->route = e->route;
        if (e->cacheable && answered_from_cache(s, c, rq, &ret))
            return ret;
        return e->handler(s, c, rq);
    }
    rq->route = R_OTHER;
    return route_not_found(s, c, rq);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **req_cls)
{
    struct server *s = cls;
    request *rq = *req_cls;
    (void)version;
    (void)upload;

    /* back from the worker pool: send its answer */
    if (rq->job != JOB_NONE) {
        char *body = rq->body;
        if (rq->abandoned)
            return MHD_NO; /* close: the client is gone (logged as 499) */
        if (!atomic_load(&rq->done) || !body)
            return http_send_error(s, c, rq, MHD_HTTP_INTERNAL_SERVER_ERROR,
                                   "the request was lost");
        rq->body = NULL;
        return http_send(s, c, rq, rq->code, rq->type, body, rq->len, 1);
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
    /* the request is whole only with its body: until then the header deadline runs, so a
       client that trickles a long body (or half-closes in the middle of one, which
       libmicrohttpd 0.9.75 does not notice before its idle timeout) cannot hold the slot */
    guard_busy(c, 1);
    if (strcmp(method, "OPTIONS") == 0)
        return preflight(s, c, rq);
    /* a NUL decoded from the path would cut it short silently: refuse it */
    {
        const char *qm = strchr(rq->uri, '?');
        size_t plen = qm ? (size_t)(qm - rq->uri) : strlen(rq->uri);
        for (size_t i = 0; i + 2 < plen; i++)
            if (rq->uri[i] == '%' && rq->uri[i + 1] == '0' && rq->uri[i + 2] == '0')
                return http_send_error(s, c, rq, MHD_HTTP_BAD_REQUEST,
                                       "the path contains a NUL character");
    }
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return http_send_error(s, c, rq, MHD_HTTP_METHOD_NOT_ALLOWED,
                               "method not allowed: use GET, HEAD or OPTIONS");
    /* an allocation failed lately and took the memory reserve (main.c): new work waits until
       the reserve can be set aside again, after the requests in progress gave memory back */
    if (acc_mem_low()) {
        server_heap_trim();
        if (acc_mem_reserve(SEARCHD_MEM_RESERVE) != 0) {
            atomic_fetch_add(&s->metrics.low_memory, 1);
            return http_send_error(s, c, rq, MHD_HTTP_SERVICE_UNAVAILABLE, MSG_SHORT_OF_MEMORY);
        }
        acc_log(ACC_LOG_INFO, "memory reserve set aside again: serving");
    }
    return dispatch(s, c, rq, url);
}

static void completed(void *cls, struct MHD_Connection *c, void **req_cls,
                      enum MHD_RequestTerminationCode toe)
{
    struct server *s = cls;
    request *rq = *req_cls;
    if (!rq)
        return;
    guard_busy(c, 0); /* kept alive: the header deadline runs again */
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - rq->t0.tv_sec) + (double)(t1.tv_nsec - rq->t0.tv_nsec) / 1e9;
    metrics_count(&s->metrics, rq->route, rq->status, secs);

    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char ip[INET6_ADDRSTRLEN] = "-";
    if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, ip, sizeof ip);
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && !rq->status)
        rq->status = 499; /* the client went away before the answer */
    accesslog_write(&s->log, ip, rq->method[0] ? rq->method : "-", rq->uri, rq->status,
                    secs * 1000);
    free(rq->body);
    free(rq->id);
    free(rq->key);
    free(rq);
    atomic_fetch_sub(&s->inflight, 1);
    *req_cls = NULL;
}

/* Called first for each request: its state, with the URI as sent (for the log). */
static void *log_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    struct server *s = cls;
    request *rq = acc_xcalloc(1, sizeof *rq);
    (void)c;
    atomic_fetch_add(&s->inflight, 1);
    clock_gettime(CLOCK_MONOTONIC, &rq->t0);
    rq->route = R_OTHER;
    /* printable ASCII only: the log must not carry control characters */
    size_t k = 0;
    for (const char *p = uri ? uri : "-"; *p && k < sizeof rq->uri - 1; p++)
        rq->uri[k++] = (*p >= 0x21 && *p < 0x7f) ? *p : '?';
    rq->uri[k] = '\0';
    if (s->cache && uri && strlen(uri) <= CACHE_KEY_MAX) {
        rq->klen = strlen(uri);
        rq->key = acc_xstrdup(uri);
    }
    return rq;
}

struct MHD_Daemon *http_start(struct server *s, const struct sockaddr *sa, unsigned max_conn,
                              unsigned max_ip)
{
    return MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_ALLOW_SUSPEND_RESUME |
            MHD_USE_ERROR_LOG,
        0, NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR, sa, MHD_OPTION_CONNECTION_LIMIT, max_conn,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, max_ip, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned int)CONNECTION_TIMEOUT, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)CONNECTION_MEMORY, MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned int)1,
        MHD_OPTION_URI_LOG_CALLBACK, log_uri, s, MHD_OPTION_NOTIFY_COMPLETED, completed, s,
        MHD_OPTION_NOTIFY_CONNECTION, guard_notify, &s->guard, MHD_OPTION_END);
}
