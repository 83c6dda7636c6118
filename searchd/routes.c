/*
 * searchd/routes.c: what each endpoint does, once http.c has routed the URL
 * here (rq->route set; rq->id holds the decoded id of /doc/ID and
 * /similar/ID). On the event loop: parameter checks, /health, /metrics,
 * /opensearch.xml, the static files and every refusal; as a worker's job
 * (routes_run_job): /search, /similar, /suggest, /doc and /stats, which read
 * the index. The answer cache is read by http.c and filled by pool.c.
 *
 * A document id in a path is looked up as an index term, never as a file:
 * "../" is just text.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "accord/log.h"
#include "accord/mem.h"
#include "accord/opt.h"
#include "accord/text.h"
#include "server.h"

extern const unsigned char acc_web_index_html[];
extern const size_t acc_web_index_html_len;
extern const unsigned char acc_web_widget_js[];
extern const size_t acc_web_widget_js_len;
extern const unsigned char acc_web_widget_css[];
extern const size_t acc_web_widget_css_len;

/* /suggest: completions by default, at most, and the longest query text */
#define SUGGEST_LIMIT 8
#define SUGGEST_LIMIT_MAX 20
#define SUGGEST_TEXT_MAX 256
/* longest document id in a path */
#define ID_MAX 512

/* ---------------------------------------------------------- worker jobs */

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
    unsigned code = http_library_answer(st, err, &msg);
    answer_json(rq, code, acc_error_json((int)code, msg));
}

void routes_run_job(struct server *s, request *rq)
{
    acc_error err;
    acc_status st;
    char *json = NULL;
    acc_index *db = server_thread_index(s, &err);

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
        metrics_note_revision(&s->metrics, r->revision);
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
            metrics_note_revision(&s->metrics, rev);
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

/* ----------------------------------------------------- on the event loop */

static const char *param(void *ctx, const char *name, size_t *len)
{
    return http_arg(ctx, name, len);
}

enum MHD_Result route_search(struct server *s, struct MHD_Connection *c, request *rq)
{
    acc_error err;
    acc_status st;

    acc_query_init(&rq->q);
    if (acc_query_from_params(&rq->q, param, c, &err) != ACC_OK)
        return http_send_error(s, c, rq, MHD_HTTP_BAD_REQUEST, err.msg);
    if (rq->id)
        rq->q.similar = rq->id;
    st = acc_query_check(&rq->q, &err);
    if (st != ACC_OK)
        return http_send_error(s, c, rq, http_status(st), err.msg);
    return pool_submit(s, c, rq, JOB_SEARCH);
}

enum MHD_Result route_suggest(struct server *s, struct MHD_Connection *c, request *rq)
{
    size_t n = 0, ln = 0;
    const char *q = http_arg(c, "q", &n);
    const char *lim = http_arg(c, "limit", &ln);
    unsigned limit = SUGGEST_LIMIT;

    if (!q || n == 0)
        return http_send_json(s, c, rq, MHD_HTTP_OK, acc_xstrdup("{\"suggestions\":[]}"));
    if (n > SUGGEST_TEXT_MAX)
        return http_send_error(s, c, rq, MHD_HTTP_BAD_REQUEST,
                               "suggest query too long: at most 256 bytes");
    if (memchr(q, '\0', n) || !acc_utf8_valid(q, n))
        return http_send_error(s, c, rq, MHD_HTTP_BAD_REQUEST, "query is not valid UTF-8 text");
    if (lim && ln) {
        unsigned long v = 0;
        if (acc_parse_uint(lim, ln, 1, SUGGEST_LIMIT_MAX, &v) != 0)
            return http_send_error(s, c, rq, MHD_HTTP_BAD_REQUEST,
                                   "parameter 'limit' must be an integer from 1 to 20");
        limit = (unsigned)v;
    }
    rq->text = q;
    rq->text_len = n;
    rq->limit = limit;
    return pool_submit(s, c, rq, JOB_SUGGEST);
}

static int valid_id(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > ID_MAX || !acc_utf8_valid(id, n))
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)id[i] < 0x20)
            return 0;
    return 1;
}

enum MHD_Result route_doc(struct server *s, struct MHD_Connection *c, request *rq)
{
    if (!valid_id(rq->id))
        return http_send_error(s, c, rq, MHD_HTTP_BAD_REQUEST, "invalid document id");
    return pool_submit(s, c, rq, JOB_DOC);
}

enum MHD_Result route_health(struct server *s, struct MHD_Connection *c, request *rq)
{
    acc_error err;
    unsigned long docs = 0, rev = 0;
    acc_index *db = server_thread_index(s, &err);
    json_t *o;
    char *out;

    if (!db || acc_index_stats(db, &docs, &rev, &err) != ACC_OK) {
        acc_log(ACC_LOG_ERROR, "health: %s", err.msg);
        return http_send_error(s, c, rq, MHD_HTTP_SERVICE_UNAVAILABLE,
                               "the index is not available");
    }
    metrics_note_revision(&s->metrics, rev);
    const char **missing;
    size_t nmissing = acc_index_missing_shards(db, &missing);
    o = json_pack("{s:s,s:I,s:I}", "status", nmissing ? "degraded" : "ok", "documents",
                  (json_int_t)docs, "revision", (json_int_t)rev);
    if (nmissing) {
        json_t *m = json_array();
        for (size_t i = 0; i < nmissing; i++)
            json_array_append_new(m, json_string(missing[i]));
        json_object_set_new(o, "missing_shards", m);
    }
    out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return http_send_json(s, c, rq, MHD_HTTP_OK, out ? out : acc_xstrdup("{\"status\":\"ok\"}"));
}

enum MHD_Result route_metrics(struct server *s, struct MHD_Connection *c, request *rq)
{
    size_t n;
    char *text = metrics_text(&s->metrics, s->cache, &s->guard, &n);
    return http_send(s, c, rq, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", text, n, 1);
}

enum MHD_Result route_opensearch(struct server *s, struct MHD_Connection *c, request *rq)
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
    char *out = acc_buf_detach(&b, &n);
    return http_send(s, c, rq, MHD_HTTP_OK, "application/opensearchdescription+xml", out, n, 1);
}

enum MHD_Result route_similar(struct server *s, struct MHD_Connection *c, request *rq)
{
    if (!valid_id(rq->id))
        return http_send_error(s, c, rq, MHD_HTTP_BAD_REQUEST, "invalid document id");
    return route_search(s, c, rq);
}

enum MHD_Result route_stats(struct server *s, struct MHD_Connection *c, request *rq)
{
    return pool_submit(s, c, rq, JOB_STATS);
}

enum MHD_Result route_page(struct server *s, struct MHD_Connection *c, request *rq)
{
    return http_send(s, c, rq, MHD_HTTP_OK, "text/html; charset=utf-8", (char *)acc_web_index_html,
                     acc_web_index_html_len, 0);
}

enum MHD_Result route_widget_js(struct server *s, struct MHD_Connection *c, request *rq)
{
    return http_send(s, c, rq, MHD_HTTP_OK, "application/javascript; charset=utf-8",
                     (char *)acc_web_widget_js, acc_web_widget_js_len, 0);
}

enum MHD_Result route_widget_css(struct server *s, struct MHD_Connection *c, request *rq)
{
    return http_send(s, c, rq, MHD_HTTP_OK, "text/css; charset=utf-8", (char *)acc_web_widget_css,
                     acc_web_widget_css_len, 0);
}

enum MHD_Result route_not_found(struct server *s, struct MHD_Connection *c, request *rq)
{
    return http_send_error(s, c, rq, MHD_HTTP_NOT_FOUND,
                           "no such endpoint: try /search?q=..., /suggest?q=..., /doc/ID or "
                           "/health");
}
