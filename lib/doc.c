/* Dates and the stored record of a document (include/accord/doc.h). */
#include "accord/doc.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/mem.h"

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

int acc_date_parse(const char *s, char out[ACC_DATE_MAX])
{
    size_t n = strlen(s);
    const char *t = strchr(s, 'T');

    out[0] = '\0';
    if (t)
        n = (size_t)(t - s);
    if (n == 0)
        return 0;
    if (!(n == 4 || n == 7 || n == 10) || !digits(s, 4))
        return -1;
    if (n >= 7) {
        int m;
        if (s[4] != '-' || !digits(s + 5, 2))
            return -1;
        m = (s[5] - '0') * 10 + (s[6] - '0');
        if (m < 1 || m > 12)
            return -1;
    }
    if (n == 10) {
        int d;
        if (s[7] != '-' || !digits(s + 8, 2))
            return -1;
        d = (s[8] - '0') * 10 + (s[9] - '0');
        if (d < 1 || d > 31)
            return -1;
    }
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

int acc_date_year(const char *date)
{
    if (strlen(date) < 4)
        return 0;
    return atoi(date) > 0 ? (int)strtol(date, NULL, 10) : 0;
}

void acc_date_sortkey(const char *date, char out[9])
{
    size_t n = strlen(date);
    if (n < 4) {
        out[0] = '\0';
        return;
    }
    snprintf(out, 9, "%.4s%.2s%.2s", date, n >= 7 ? date + 5 : "00", n >= 10 ? date + 8 : "00");
}

char *acc_doc_record_json(const acc_doc *doc)
{
    json_t *o = json_object();
    json_t *parties = json_array();
    char *s;

    for (size_t i = 0; i < doc->nparties; i++)
        json_array_append_new(parties, json_string(doc->parties[i]));
    json_object_set_new(o, "id", json_string(doc->id));
    json_object_set_new(o, "title", json_string(doc->title ? doc->title : ""));
    json_object_set_new(o, "lang", json_string(doc->lang));
    json_object_set_new(o, "date", json_string(doc->date));
    json_object_set_new(o, "type", json_string(doc->type ? doc->type : ""));
    json_object_set_new(o, "parties", parties);
    json_t *topics = json_array();
    for (size_t i = 0; i < doc->ntopics; i++)
        json_array_append_new(topics, json_string(doc->topics[i]));
    json_object_set_new(o, "topics", topics);
    json_object_set_new(o, "url", json_string(doc->url ? doc->url : ""));
    json_object_set_new(o, "path", json_string(doc->path ? doc->path : ""));
    json_t *articles = json_array();
    for (size_t i = 0; i < doc->narticles; i++)
        json_array_append_new(articles, json_pack("{s:s,s:I}", "label", doc->articles[i].label,
                                                  "offset", (json_int_t)doc->articles[i].offset));
    json_object_set_new(o, "articles", articles);
    /* JSON_COMPACT never emits raw newlines: the record stays on one line */
    s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (!s) {
        /* only on invalid UTF-8 in a field, which callers sanitise first */
        s = acc_xstrdup("{}");
    }
    return s;
}
