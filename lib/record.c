/*
 * lib/record.c: a document's record, binary or JSON (lib/record.h).
 */
#include "record.h"

#include <stdlib.h>
#include <string.h>

#include "accord/mem.h"
#include "accord/text.h"
#include "varint.h"

/* the seven string fields, in their stored order */
#define NFIELDS 7
static const char *const field_names[NFIELDS] = {"id",   "title", "lang", "date",
                                                 "type", "url",   "path"};

static acc_rstr *field_at(acc_record *r, int k)
{
    acc_rstr *f[NFIELDS] = {&r->id, &r->title, &r->lang, &r->date, &r->type, &r->url, &r->path};
    return f[k];
}

static void put_str(acc_buf *b, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    acc_varint_put(b, n);
    acc_buf_append(b, s ? s : "", n);
}

static void put_list(acc_buf *b, const char *const *v, size_t n)
{
    acc_varint_put(b, n);
    for (size_t i = 0; i < n; i++)
        put_str(b, v[i]);
}

char *acc_record_encode(const acc_doc *doc, size_t *len)
{
    acc_buf b;
    acc_buf_init(&b, 0);
    acc_buf_putc(&b, ACC_RECORD_BINARY);
    const char *f[NFIELDS] = {doc->id,   doc->title, doc->lang, doc->date,
                              doc->type, doc->url,   doc->path};
    for (int k = 0; k < NFIELDS; k++)
        put_str(&b, f[k]);
    put_list(&b, doc->parties, doc->nparties);
    put_list(&b, doc->topics, doc->ntopics);
    return acc_buf_detach(&b, len);
}

static void clear(acc_record *r)
{
    for (int k = 0; k < NFIELDS; k++)
        *field_at(r, k) = (acc_rstr){"", 0};
    r->parties = r->topics = NULL;
    r->nparties = r->ntopics = 0;
}

static int get_str(const char *s, size_t n, size_t *i, acc_rstr *out)
{
    unsigned long long len;
    if (!acc_varint_get(s, n, i, &len) || len > n - *i)
        return 0;
    *out = (acc_rstr){s + *i, (size_t)len};
    *i += (size_t)len;
    return 1;
}

static int get_list(const char *s, size_t n, size_t *i, acc_rstr **v, size_t *nv)
{
    unsigned long long count;
    if (!acc_varint_get(s, n, i, &count) || count > n - *i) /* each takes a byte at least */
        return 0;
    *v = count ? acc_xcalloc((size_t)count, sizeof **v) : NULL;
    for (*nv = 0; *nv < count; (*nv)++)
        if (!get_str(s, n, i, &(*v)[*nv]))
            return 0;
    return 1;
}

static int decode_binary(const char *s, size_t n, acc_record *r)
{
    size_t i = 1;
    for (int k = 0; k < NFIELDS; k++)
        if (!get_str(s, n, &i, field_at(r, k)))
            return 0;
    return get_list(s, n, &i, &r->parties, &r->nparties) &&
           get_list(s, n, &i, &r->topics, &r->ntopics) && i == n;
}

static acc_rstr json_str(json_t *v)
{
    const char *s = json_string_value(v);
    return s ? (acc_rstr){s, json_string_length(v)} : (acc_rstr){"", 0};
}

static void json_list(json_t *arr, acc_rstr **v, size_t *nv)
{
    size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
    *v = n ? acc_xcalloc(n, sizeof **v) : NULL;
    *nv = 0;
    for (size_t i = 0; i < n; i++)
        if (json_is_string(json_array_get(arr, i)))
            (*v)[(*nv)++] = json_str(json_array_get(arr, i));
}

int acc_record_decode(const char *data, size_t n, acc_record *r)
{
    memset(r, 0, sizeof *r);
    clear(r);
    if (n && data[0] == ACC_RECORD_BINARY) {
        if (decode_binary(data, n, r))
            return 1;
        acc_record_release(r);
        return 0;
    }
    r->json = json_loadb(data, n, 0, NULL);
    if (!json_is_object(r->json)) {
        acc_record_release(r);
        return 0;
    }
    for (int k = 0; k < NFIELDS; k++)
        *field_at(r, k) = json_str(json_object_get(r->json, field_names[k]));
    json_list(json_object_get(r->json, "parties"), &r->parties, &r->nparties);
    json_list(json_object_get(r->json, "topics"), &r->topics, &r->ntopics);
    return 1;
}

void acc_record_release(acc_record *r)
{
    free(r->parties);
    free(r->topics);
    json_decref(r->json);
    memset(r, 0, sizeof *r);
    clear(r);
}

char *acc_rstr_dup(acc_rstr s)
{
    return acc_xstrndup(s.p, s.n);
}

json_t *acc_json_text(const char *s, size_t n)
{
    return s && acc_utf8_valid(s, n) ? json_stringn_nocheck(s, n) : NULL;
}

json_t *acc_json_cstr(const char *s)
{
    return s ? acc_json_text(s, strlen(s)) : NULL;
}

char *acc_json_dump(const json_t *j, size_t flags, size_t hint)
{
    size_t cap = hint ? hint : 4096;
    char *out = acc_xmalloc(cap);
    size_t n = json_dumpb(j, out, cap - 1, flags);
    if (n >= cap) {
        /* short: the size is known now */
        cap = n + 1;
        out = acc_xrealloc(out, cap);
        n = json_dumpb(j, out, cap - 1, flags);
    }
    if (!n || n >= cap) {
        free(out);
        return NULL;
    }
    out[n] = '\0';
    return out;
}

static json_t *json_of(acc_rstr s)
{
    json_t *v = acc_json_text(s.p, s.n);
    return v ? v : json_string(""); /* invalid UTF-8 in a corrupt record */
}

static json_t *json_of_list(const acc_rstr *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_of(v[i]));
    return a;
}

json_t *acc_record_json(const acc_record *r)
{
    if (r->json)
        return json_deep_copy(r->json);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_of(r->id));
    json_object_set_new(o, "title", json_of(r->title));
    json_object_set_new(o, "lang", json_of(r->lang));
    json_object_set_new(o, "date", json_of(r->date));
    json_object_set_new(o, "type", json_of(r->type));
    json_object_set_new(o, "parties", json_of_list(r->parties, r->nparties));
    json_object_set_new(o, "topics", json_of_list(r->topics, r->ntopics));
    json_object_set_new(o, "url", json_of(r->url));
    json_object_set_new(o, "path", json_of(r->path));
    json_object_set_new(o, "articles", json_array());
    return o;
}
