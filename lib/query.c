/*
 * The request/results model and its JSON encoding (include/accord/query.h).
 * The index wrapper (xap.cc) runs the query; everything here is plain C.
 */
#include "accord/query.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "accord/mem.h"
#include "accord/schema.h"
#include "accord/text.h"

void acc_query_init(acc_query *q)
{
    memset(q, 0, sizeof *q);
    q->limit = ACC_LIMIT_DEFAULT;
}

acc_status acc_query_set_lang(acc_query *q, const char *lang, acc_error *err)
{
    if (!lang || !*lang) {
        q->lang[0] = '\0';
        return ACC_OK;
    }
    if (!acc_lang_parse(lang, strlen(lang), q->lang)) {
        q->lang[0] = '\0';
        return acc_error_set(err, ACC_EINVAL,
                             "invalid language '%.16s': expected a 2 or 3 letter code such as 'fr'",
                             acc_utf8_valid(lang, strlen(lang)) ? lang : "?");
    }
    return ACC_OK;
}

acc_status acc_query_check(const acc_query *q, acc_error *err)
{
    if (q->text && q->text_len > ACC_QUERY_MAX_BYTES)
        return acc_error_set(err, ACC_EINVAL, "query too long: %zu bytes, the maximum is %d",
                             q->text_len, ACC_QUERY_MAX_BYTES);
    if (q->text && !acc_utf8_valid(q->text, q->text_len))
        return acc_error_set(err, ACC_EINVAL, "query is not valid UTF-8");
    if (q->text && memchr(q->text, '\0', q->text_len))
        return acc_error_set(err, ACC_EINVAL, "query contains a NUL character");
    if (q->limit > ACC_LIMIT_MAX)
        return acc_error_set(err, ACC_EINVAL, "limit %u is too large: the maximum is %d", q->limit,
                             ACC_LIMIT_MAX);
    if (q->offset > ACC_OFFSET_MAX)
        return acc_error_set(err, ACC_EINVAL, "offset %u is too large: the maximum is %d",
                             q->offset, ACC_OFFSET_MAX);
    return ACC_OK;
}

static void hit_release(acc_hit *h)
{
    free(h->id);
    free(h->title);
    free(h->lang);
    free(h->date);
    free(h->type);
    free(h->path);
    free(h->snippet);
}

void acc_results_free(acc_results *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nhits; i++)
        hit_release(&r->hits[i]);
    free(r->hits);
    free(r);
}

static char *field(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return acc_xstrdup(s ? s : "");
}

void acc_hit_from_record(acc_hit *h, const char *json, size_t len)
{
    json_t *o = json_loadb(json, len, 0, NULL);
    h->id = field(o, "id");
    h->title = field(o, "title");
    h->lang = field(o, "lang");
    h->date = field(o, "date");
    h->type = field(o, "type");
    h->path = field(o, "path");
    json_decref(o);
}

char *acc_results_json(const acc_results *r, int pretty)
{
    json_t *o = json_object();
    json_t *hits = json_array();
    char *s;

    for (size_t i = 0; i < r->nhits; i++) {
        const acc_hit *h = &r->hits[i];
        json_t *j = json_object();
        json_object_set_new(j, "id", json_string(h->id));
        json_object_set_new(j, "title", json_string(h->title));
        json_object_set_new(j, "lang", json_string(h->lang));
        json_object_set_new(j, "date", json_string(h->date));
        json_object_set_new(j, "type", json_string(h->type));
        json_object_set_new(j, "score", json_real(h->score));
        json_object_set_new(j, "snippet", json_string(h->snippet ? h->snippet : ""));
        json_array_append_new(hits, j);
    }
    json_object_set_new(o, "total", json_integer((json_int_t)r->total));
    json_object_set_new(o, "total_exact", json_boolean(r->total_exact));
    json_object_set_new(o, "hits", hits);
    json_object_set_new(o, "simplified", json_boolean(r->simplified));
    if (r->message[0])
        json_object_set_new(o, "message", json_string(r->message));
    json_object_set_new(o, "took_ms", json_real(r->took_ms));
    json_object_set_new(o, "revision", json_integer((json_int_t)r->revision));
    s = json_dumps(o, JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6) |
                          (pretty ? JSON_INDENT(2) : JSON_COMPACT));
    json_decref(o);
    return s ? s : acc_xstrdup("{}");
}

char *acc_error_json(int http_code, const char *msg)
{
    json_t *o = json_pack("{s:{s:i,s:s}}", "error", "code", http_code, "message",
                          msg && acc_utf8_valid(msg, strlen(msg)) ? msg : "error");
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    return s ? s : acc_xstrdup("{\"error\":{\"code\":500,\"message\":\"error\"}}");
}
