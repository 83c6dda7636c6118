/*
 * The request/results model and its JSON encoding (include/accord/query.h).
 * The index wrapper (xap.cc) runs the query; everything here is plain C.
 */
#include "accord/query.h"

#include "accord/opt.h"

#include <jansson.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "accord/mem.h"
#include "accord/schema.h"
#include "accord/text.h"
#include "commitq.h"
#include "record.h"

void acc_query_init(acc_query *q)
{
    memset(q, 0, sizeof *q);
    q->limit = ACC_LIMIT_DEFAULT;
    q->expand = 1;
}

static const char *const facet_names[ACC_FACET_COUNT] = {
    "lang", "type", "topic", "year", "party", "target", "target_year", "strength"};

const char *acc_facet_name(acc_facet_kind k)
{
    return (unsigned)k < ACC_FACET_COUNT ? facet_names[k] : "?";
}

acc_status acc_facets_parse(const char *list, unsigned *out, acc_error *err)
{
    *out = 0;
    if (!list)
        return ACC_OK;
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        int found = 0;
        for (int k = 0; k < ACC_FACET_COUNT && n; k++)
            if (strlen(facet_names[k]) == n && strncmp(p, facet_names[k], n) == 0) {
                *out |= 1u << k;
                found = 1;
            }
        if (n && !found)
            return acc_error_set(
                err, ACC_EINVAL,
                "unknown facet '%.*s': use lang, type, topic, year, party, target, "
                "target_year, strength",
                (int)(n > 32 ? 32 : n), acc_utf8_valid(p, n) ? p : "?");
        p += n;
        if (*p == ',')
            p++;
    }
    return ACC_OK;
}

acc_status acc_sort_parse(const char *s, acc_sort *out, acc_error *err)
{
    if (!s || !*s || strcmp(s, "relevance") == 0)
        *out = ACC_SORT_RELEVANCE;
    else if (strcmp(s, "newest") == 0)
        *out = ACC_SORT_NEWEST;
    else if (strcmp(s, "oldest") == 0)
        *out = ACC_SORT_OLDEST;
    else if (strcmp(s, "target_year") == 0)
        *out = ACC_SORT_TARGET_YEAR;
    else
        return acc_error_set(err, ACC_EINVAL,
                             "unknown sort '%.32s': use relevance, newest, oldest, target_year",
                             acc_utf8_valid(s, strlen(s)) ? s : "?");
    return ACC_OK;
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

/* The number of CJK word characters in t[0..n) (their bytes in *bytes): each is searched as
   a word of its own (its character and the pair it starts, Xapian's n-grams), so each counts
   as one. */
static size_t cjk_chars(const char *t, size_t n, size_t *bytes)
{
    size_t k = 0;
    *bytes = 0;
    for (size_t i = 0; i < n;) {
        int32_t c;
        if ((unsigned char)t[i] < 0x80) {
            i++;
            continue;
        }
        utf8proc_ssize_t m =
            utf8proc_iterate((const utf8proc_uint8_t *)t + i, (utf8proc_ssize_t)(n - i), &c);
        if (m <= 0) {
            i++;
            continue;
        }
        if (acc_text_cjk_wordchar(c)) {
            k++;
            *bytes += (size_t)m;
        }
        i += (size_t)m;
    }
    return k;
}

/* Where the query's max-th word ends in t[0..n): a CJK run may be cut after a character. */
static size_t cut_in_word(const char *t, size_t a, size_t b, size_t need)
{
    for (size_t i = a; i < b;) {
        int32_t c = (unsigned char)t[i];
        utf8proc_ssize_t m = c < 0x80 ? 1
                                      : utf8proc_iterate((const utf8proc_uint8_t *)t + i,
                                                         (utf8proc_ssize_t)(b - i), &c);
        i += m > 0 ? (size_t)m : 1;
        if (acc_text_cjk_wordchar(c) && --need == 0)
            return i;
    }
    return b;
}

/* The words (a CJK character is one), wildcards, proximity operators and bracket depth of
   query text t[0..n) (valid UTF-8), and in *cut where its first max words end. Each wildcard
   is expanded on its own, even when repeated ("a* a*"), once in every language the query is
   parsed in. */
typedef struct qshape_count {
    size_t words, nwild, near, cut;
    int deepest;
} qshape_count;

static void count_shape(const char *t, size_t n, size_t max, qshape_count *sc)
{
    int depth = 0;
    size_t i = 0;
    memset(sc, 0, sizeof *sc);
    sc->cut = n;
    while (i < n) {
        while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
            i++;
        size_t a = i;
        while (i < n && !(t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r')) {
            if (t[i] == '(' && ++depth > sc->deepest)
                sc->deepest = depth;
            else if (t[i] == ')' && depth > 0)
                depth--;
            i++;
        }
        if (i == a)
            break;
        /* a word is what is left without brackets and quotes around it */
        size_t wa = a, wb = i;
        while (wa < wb && strchr("()\"+-", t[wa]))
            wa++;
        while (wb > wa && strchr("()\"", t[wb - 1]))
            wb--;
        if (wb == wa)
            continue;
        if (acc_text_is_operator(t + wa, wb - wa)) {
            size_t m = wb - wa;
            sc->near += (m >= 4 && memcmp(t + wa, "NEAR", 4) == 0) ||
                        (m >= 3 && memcmp(t + wa, "ADJ", 3) == 0);
            continue;
        }
        size_t cjk_bytes, cjk = cjk_chars(t + wa, wb - wa, &cjk_bytes);
        size_t w = cjk + (cjk_bytes < wb - wa); /* the CJK characters, and the rest as one */
        if (sc->words < max && sc->words + w > max)
            sc->cut = cut_in_word(t, wa, wb, max - sc->words);
        else if (sc->words + w == max)
            sc->cut = i;
        sc->words += w;
        sc->nwild += memchr(t + wa, '*', wb - wa) != NULL;
    }
    if (sc->words <= max)
        sc->cut = n;
}

size_t acc_query_cut(const char *t, size_t n, size_t *words)
{
    qshape_count sc;
    count_shape(t, n, ACC_QUERY_MAX_WORDS, &sc);
    if (words)
        *words = sc.words;
    return sc.cut;
}

static acc_status check_shape(const char *t, size_t n, acc_error *err)
{
    qshape_count sc;
    count_shape(t, n, ACC_QUERY_MAX_WORDS, &sc);
    if (sc.nwild > ACC_QUERY_MAX_WILDCARDS)
        return acc_error_set(err, ACC_EINVAL,
                             "too many wildcards: a query may have at most %d words ending in "
                             "'*'",
                             ACC_QUERY_MAX_WILDCARDS);
    if (sc.near > ACC_QUERY_MAX_NEAR)
        return acc_error_set(err, ACC_EINVAL,
                             "too many NEAR and ADJ operators: at most %d in a query",
                             ACC_QUERY_MAX_NEAR);
    if (sc.deepest > ACC_QUERY_MAX_DEPTH)
        return acc_error_set(err, ACC_EINVAL,
                             "query nested too deep: brackets may nest at most %d levels",
                             ACC_QUERY_MAX_DEPTH);
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
    if (q->text && check_shape(q->text, q->text_len, err) != ACC_OK)
        return ACC_EINVAL;
    if (q->limit > ACC_LIMIT_MAX)
        return acc_error_set(err, ACC_EINVAL, "limit %u is too large: the maximum is %d", q->limit,
                             ACC_LIMIT_MAX);
    if (q->offset > ACC_OFFSET_MAX)
        return acc_error_set(err, ACC_EINVAL, "offset %u is too large: the maximum is %d",
                             q->offset, ACC_OFFSET_MAX);
    const char *filters[] = {q->type,   q->topic,       q->party, q->similar,
                             q->target, q->target_year, q->cut,   q->strength};
    for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
        if (!filters[i])
            continue;
        size_t n = strlen(filters[i]);
        if (n > 1024)
            return acc_error_set(err, ACC_EINVAL, "a filter value is too long (%zu bytes)", n);
        if (!acc_utf8_valid(filters[i], n))
            return acc_error_set(err, ACC_EINVAL, "a filter value is not valid UTF-8");
    }
    if (q->year_from < 0 || q->year_from > 9999 || q->year_to < 0 || q->year_to > 9999)
        return acc_error_set(err, ACC_EINVAL, "years must be between 0 and 9999");
    if (q->year_from && q->year_to && q->year_from > q->year_to)
        return acc_error_set(err, ACC_EINVAL, "year range %d..%d is empty", q->year_from,
                             q->year_to);
    acc_commit_filter cf;
    return acc_commit_filter_parse(q, &cf, err);
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void hit_release(acc_hit *h)
{
    free_list(h->parties, h->nparties);
    free_list(h->topics, h->ntopics);
    free(h->url);
    free(h->article);
    free(h->explain);
    free(h->commitment);
    for (size_t i = 0; i < h->nversions; i++) {
        free(h->versions[i].id);
        free(h->versions[i].lang);
    }
    free(h->versions);
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
    for (int k = 0; k < ACC_FACET_COUNT; k++) {
        for (size_t i = 0; i < r->facets[k].n; i++)
            free(r->facets[k].values[i].value);
        free(r->facets[k].values);
    }
    free(r->suggestion);
    for (size_t i = 0; i < r->ntranslations; i++) {
        for (size_t k = 0; k < r->translations[i].n; k++)
            free(r->translations[i].words[k]);
        free(r->translations[i].words);
    }
    free(r->translations);
    for (size_t i = 0; i < r->nmissing; i++)
        free(r->missing_shards[i]);
    free(r->missing_shards);
    free(r);
}

static char *article_at(json_t *o, size_t at);

void acc_hit_from_record(acc_hit *h, const char *json, size_t len)
{
    acc_hit_from_record_at(h, json, len, SIZE_MAX);
}

static char **dup_list(const acc_rstr *v, size_t n)
{
    char **out = n ? acc_xcalloc(n, sizeof *out) : NULL;
    for (size_t i = 0; i < n; i++)
        out[i] = acc_rstr_dup(v[i]);
    return out;
}

void acc_hit_from_record_at(acc_hit *h, const char *data, size_t len, size_t at)
{
    acc_record r;
    acc_record_decode(data, len, &r);
    if (at != SIZE_MAX && r.json)
        h->article = article_at(r.json, at);
    h->id = acc_rstr_dup(r.id);
    h->title = acc_rstr_dup(r.title);
    h->lang = acc_rstr_dup(r.lang);
    h->date = acc_rstr_dup(r.date);
    h->type = acc_rstr_dup(r.type);
    h->path = acc_rstr_dup(r.path);
    h->url = acc_rstr_dup(r.url);
    h->parties = dup_list(r.parties, r.nparties);
    h->nparties = r.nparties;
    h->topics = dup_list(r.topics, r.ntopics);
    h->ntopics = r.ntopics;
    acc_record_release(&r);
}

static char *article_at(json_t *o, size_t at)
{
    json_t *arts = json_object_get(o, "articles");
    const char *best = NULL;
    size_t n = json_is_array(arts) ? json_array_size(arts) : 0;
    for (size_t i = 0; i < n; i++) {
        json_t *a = json_array_get(arts, i);
        json_int_t off = json_integer_value(json_object_get(a, "offset"));
        if (off < 0 || (size_t)off > at)
            break;
        best = json_string_value(json_object_get(a, "label"));
    }
    return best ? acc_xstrdup(best) : NULL;
}

char *acc_results_json(const acc_results *r, int pretty)
{
    json_t *o = json_object();
    json_t *hits = json_array();
    char *s;

    for (size_t i = 0; i < r->nhits; i++) {
        const acc_hit *h = &r->hits[i];
        json_t *j = json_object();
        json_object_set_new(j, "id", acc_json_cstr(h->id));
        json_object_set_new(j, "title", acc_json_cstr(h->title));
        json_object_set_new(j, "lang", acc_json_cstr(h->lang));
        json_object_set_new(j, "date", acc_json_cstr(h->date));
        json_object_set_new(j, "type", acc_json_cstr(h->type));
        json_object_set_new(j, "score", json_real(h->score));
        json_object_set_new(j, "snippet", acc_json_cstr(h->snippet ? h->snippet : ""));
        json_t *parties = json_array(), *topics = json_array();
        for (size_t k = 0; k < h->nparties; k++)
            json_array_append_new(parties, acc_json_cstr(h->parties[k]));
        for (size_t k = 0; k < h->ntopics; k++)
            json_array_append_new(topics, acc_json_cstr(h->topics[k]));
        json_object_set_new(j, "parties", parties);
        json_object_set_new(j, "topics", topics);
        json_object_set_new(j, "url", acc_json_cstr(h->url ? h->url : ""));
        json_object_set_new(j, "article", h->article ? acc_json_cstr(h->article) : json_null());
        if (h->nversions) {
            json_t *v = json_array();
            for (size_t k = 0; k < h->nversions; k++)
                json_array_append_new(v, json_pack("{s:s,s:s}", "id", h->versions[k].id, "lang",
                                                   h->versions[k].lang));
            json_object_set_new(j, "versions", v);
        }
        if (h->explain)
            json_object_set_new(j, "explain", acc_json_cstr(h->explain));
        if (h->commitment)
            json_object_set_new(j, "commitment", acc_commit_json(h->commitment, NULL, 0));
        json_array_append_new(hits, j);
    }
    json_object_set_new(o, "total", json_integer((json_int_t)r->total));
    json_object_set_new(o, "total_exact", json_boolean(r->total_exact));
    json_object_set_new(o, "hits", hits);
    if (r->facets_asked) {
        json_t *facets = json_object();
        for (int k = 0; k < ACC_FACET_COUNT; k++) {
            if (!(r->facets_asked & (1u << k)))
                continue;
            json_t *arr = json_array();
            for (size_t i = 0; i < r->facets[k].n; i++) {
                /* direct calls: json_pack reads its format string for every value */
                json_t *fv = json_object(), *v = acc_json_cstr(r->facets[k].values[i].value);
                json_object_set_new_nocheck(fv, "value", v ? v : acc_json_cstr(""));
                json_object_set_new_nocheck(fv, "count",
                                            json_integer((json_int_t)r->facets[k].values[i].count));
                json_array_append_new(arr, fv);
            }
            json_object_set_new(facets, acc_facet_name((acc_facet_kind)k), arr);
        }
        json_object_set_new(o, "facets", facets);
    }
    if (r->suggestion)
        json_object_set_new(o, "suggestion", acc_json_cstr(r->suggestion));
    if (r->query_lang[0])
        json_object_set_new(o, "query_lang", acc_json_cstr(r->query_lang));
    if (r->ntranslations) {
        json_t *tr = json_object();
        for (size_t i = 0; i < r->ntranslations; i++) {
            json_t *arr = json_array();
            for (size_t k = 0; k < r->translations[i].n; k++)
                json_array_append_new(arr, acc_json_cstr(r->translations[i].words[k]));
            json_object_set_new(tr, r->translations[i].lang, arr);
        }
        json_object_set_new(o, "translations", tr);
    }
    json_object_set_new(o, "simplified", json_boolean(r->simplified));
    if (r->words_typed)
        json_object_set_new(o, "words_typed", json_integer((json_int_t)r->words_typed));
    if (r->nmissing) {
        /* an answer without some shards: said, so that no one takes it for the whole */
        json_t *m = json_array();
        for (size_t i = 0; i < r->nmissing; i++)
            json_array_append_new(m, acc_json_cstr(r->missing_shards[i]));
        json_object_set_new(o, "partial", json_true());
        json_object_set_new(o, "missing_shards", m);
    }
    if (r->message[0])
        json_object_set_new(o, "message", acc_json_cstr(r->message));
    json_object_set_new(o, "took_ms", json_real(r->took_ms));
    json_object_set_new(o, "revision", json_integer((json_int_t)r->revision));
    /* 16 KiB: a page of ten hits with snippets and facets is 7-9 KB */
    s = acc_json_dump(
        o, JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6) | (pretty ? JSON_INDENT(2) : JSON_COMPACT),
        16u << 10);
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

/* A parameter as a NUL-free string, or NULL; -1 (err set) when it holds a NUL or bad UTF-8. */
static int param_str(acc_param_fn get, void *ctx, const char *name, const char **out, size_t *len,
                     acc_error *err)
{
    size_t n = 0;
    const char *v = get(ctx, name, &n);
    *out = NULL;
    *len = 0;
    if (!v)
        return 0;
    if (memchr(v, '\0', n)) {
        acc_error_set(err, ACC_EINVAL, "parameter '%s' contains a NUL character", name);
        return -1;
    }
    if (!acc_utf8_valid(v, n)) {
        acc_error_set(err, ACC_EINVAL, "parameter '%s' is not valid UTF-8", name);
        return -1;
    }
    *out = v;
    *len = n;
    return 0;
}

static int param_flag(const char *v, size_t n, int *out)
{
    if (n == 1 && (v[0] == '0' || v[0] == '1')) {
        *out = v[0] == '1';
        return 0;
    }
    if ((n == 4 && strncmp(v, "true", 4) == 0) || (n == 3 && strncmp(v, "yes", 3) == 0)) {
        *out = 1;
        return 0;
    }
    if ((n == 5 && strncmp(v, "false", 5) == 0) || (n == 2 && strncmp(v, "no", 2) == 0)) {
        *out = 0;
        return 0;
    }
    return -1;
}

acc_status acc_query_from_params(acc_query *q, acc_param_fn get, void *ctx, acc_error *err)
{
    const char *v;
    size_t n;
    unsigned long num;

    /* q keeps its raw bytes: acc_query_check reports bad UTF-8 or NUL in it */
    q->text = get(ctx, "q", &q->text_len);
    if (param_str(get, ctx, "lang", &v, &n, err) != 0)
        return ACC_EINVAL;
    if (v && acc_query_set_lang(q, v, err) != ACC_OK)
        return ACC_EINVAL;
    if (param_str(get, ctx, "qlang", &v, &n, err) != 0)
        return ACC_EINVAL;
    if (v && *v && !acc_lang_parse(v, n, q->qlang))
        return acc_error_set(err, ACC_EINVAL,
                             "invalid query language: expected a 2 or 3 letter code such as 'fr'");
    const char **strs[] = {&q->type,   &q->topic,       &q->party, &q->similar,
                           &q->target, &q->target_year, &q->cut,   &q->strength};
    const char *names[] = {"type",   "topic",       "party", "similar",
                           "target", "target_year", "cut",   "strength"};
    for (size_t i = 0; i < 8; i++) {
        if (param_str(get, ctx, names[i], &v, &n, err) != 0)
            return ACC_EINVAL;
        *strs[i] = v && n ? v : NULL;
    }
    const char *nums[] = {"from", "to", "offset", "limit"};
    for (size_t i = 0; i < 4; i++) {
        if (param_str(get, ctx, nums[i], &v, &n, err) != 0)
            return ACC_EINVAL;
        if (!v || !n)
            continue;
        unsigned long max = i < 2 ? 9999 : 1000000000ul;
        if (acc_parse_uint(v, n, 0, max, &num) != 0)
            return acc_error_set(err, ACC_EINVAL, "parameter '%s' must be %s", nums[i],
                                 i < 2 ? "a year (0-9999)" : "a non-negative integer");
        if (i == 0)
            q->year_from = (int)num;
        else if (i == 1)
            q->year_to = (int)num;
        else if (i == 2)
            q->offset = (unsigned)(num > ACC_OFFSET_MAX + 1ul ? ACC_OFFSET_MAX + 1ul : num);
        else
            q->limit = (unsigned)(num > ACC_LIMIT_MAX + 1ul ? ACC_LIMIT_MAX + 1ul : num);
    }
    if (param_str(get, ctx, "sort", &v, &n, err) != 0)
        return ACC_EINVAL;
    if (v && n) {
        char s[16];
        snprintf(s, sizeof s, "%.*s", (int)(n < 15 ? n : 15), v);
        if (n > 15 || acc_sort_parse(s, &q->sort, err) != ACC_OK)
            return acc_error_set(
                err, ACC_EINVAL,
                "parameter 'sort' must be relevance, newest, oldest or target_year");
    }
    if (param_str(get, ctx, "facets", &v, &n, err) != 0)
        return ACC_EINVAL;
    if (v && n) {
        char *list = acc_xstrndup(v, n);
        acc_status st = acc_facets_parse(list, &q->facets, err);
        free(list);
        if (st != ACC_OK)
            return st;
    }
    const char *flags[] = {"expand", "collapse", "explain"};
    int *fvals[] = {&q->expand, &q->collapse, &q->explain};
    for (size_t i = 0; i < 3; i++) {
        if (param_str(get, ctx, flags[i], &v, &n, err) != 0)
            return ACC_EINVAL;
        if (v && n && param_flag(v, n, fvals[i]) != 0)
            return acc_error_set(err, ACC_EINVAL, "parameter '%s' must be 0 or 1", flags[i]);
    }
    return ACC_OK;
}

static void put_param(acc_buf *out, const char *name, const char *v, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    if (out->n)
        acc_buf_putc(out, '&');
    acc_buf_append(out, name, strlen(name));
    acc_buf_putc(out, '=');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            acc_buf_putc(out, (char)c);
        } else {
            acc_buf_putc(out, '%');
            acc_buf_putc(out, hex[c >> 4]);
            acc_buf_putc(out, hex[c & 15]);
        }
    }
}

void acc_query_to_params(const acc_query *q, acc_buf *out)
{
    char num[32];
    if (q->text)
        put_param(out, "q", q->text, q->text_len);
    if (q->lang[0])
        put_param(out, "lang", q->lang, strlen(q->lang));
    if (q->qlang[0])
        put_param(out, "qlang", q->qlang, strlen(q->qlang));
    if (q->type)
        put_param(out, "type", q->type, strlen(q->type));
    if (q->topic)
        put_param(out, "topic", q->topic, strlen(q->topic));
    if (q->party)
        put_param(out, "party", q->party, strlen(q->party));
    if (q->similar)
        put_param(out, "similar", q->similar, strlen(q->similar));
    const char *cvals[] = {q->target, q->target_year, q->cut, q->strength};
    const char *cnames[] = {"target", "target_year", "cut", "strength"};
    for (size_t i = 0; i < 4; i++)
        if (cvals[i])
            put_param(out, cnames[i], cvals[i], strlen(cvals[i]));
    if (q->year_from) {
        snprintf(num, sizeof num, "%d", q->year_from);
        put_param(out, "from", num, strlen(num));
    }
    if (q->year_to) {
        snprintf(num, sizeof num, "%d", q->year_to);
        put_param(out, "to", num, strlen(num));
    }
    if (q->sort != ACC_SORT_RELEVANCE) {
        const char *s = q->sort == ACC_SORT_NEWEST   ? "newest"
                        : q->sort == ACC_SORT_OLDEST ? "oldest"
                                                     : "target_year";
        put_param(out, "sort", s, strlen(s));
    }
    snprintf(num, sizeof num, "%u", q->offset);
    put_param(out, "offset", num, strlen(num));
    snprintf(num, sizeof num, "%u", q->limit);
    put_param(out, "limit", num, strlen(num));
    if (q->facets) {
        acc_buf f;
        acc_buf_init(&f, 0);
        for (int k = 0; k < ACC_FACET_COUNT; k++)
            if (q->facets & (1u << k))
                acc_buf_printf(&f, "%s%s", f.n ? "," : "", acc_facet_name((acc_facet_kind)k));
        put_param(out, "facets", f.p, f.n);
        acc_buf_release(&f);
    }
    if (!q->expand)
        put_param(out, "expand", "0", 1);
    if (q->collapse)
        put_param(out, "collapse", "1", 1);
    if (q->explain)
        put_param(out, "explain", "1", 1);
}

static char *opt_field(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? acc_xstrdup(s) : NULL;
}

acc_status acc_results_from_json(const char *json, size_t len, acc_results **out, acc_error *err)
{
    json_error_t jerr;
    json_t *o = json_loadb(json, len, 0, &jerr), *hits;
    acc_results *r;

    if (!o || !json_is_object(o) || !json_is_array(hits = json_object_get(o, "hits"))) {
        json_decref(o);
        return acc_error_set(err, ACC_EINVAL, "not a search result: %s",
                             o ? "no \"hits\"" : jerr.text);
    }
    r = acc_xcalloc(1, sizeof *r);
    r->total = (unsigned long)json_integer_value(json_object_get(o, "total"));
    r->total_exact = json_is_true(json_object_get(o, "total_exact"));
    r->simplified = json_is_true(json_object_get(o, "simplified"));
    json_int_t typed = json_integer_value(json_object_get(o, "words_typed"));
    r->words_typed = typed > 0 ? (size_t)typed : 0;
    r->took_ms = json_number_value(json_object_get(o, "took_ms"));
    r->revision = (unsigned long)json_integer_value(json_object_get(o, "revision"));
    const char *msg = json_string_value(json_object_get(o, "message"));
    if (msg)
        snprintf(r->message, sizeof r->message, "%s", msg);
    r->suggestion = opt_field(o, "suggestion");
    const char *ql = json_string_value(json_object_get(o, "query_lang"));
    if (ql)
        acc_lang_parse(ql, strlen(ql), r->query_lang);
    json_t *tr = json_object_get(o, "translations");
    if (json_is_object(tr)) {
        const char *lang;
        json_t *arr;
        json_object_foreach(tr, lang, arr)
        {
            acc_translation t;
            memset(&t, 0, sizeof t);
            if (!json_is_array(arr) || !acc_lang_parse(lang, strlen(lang), t.lang))
                continue;
            for (size_t k = 0; k < json_array_size(arr); k++) {
                const char *w = json_string_value(json_array_get(arr, k));
                if (!w)
                    continue;
                t.words = acc_xrealloc(t.words, (t.n + 1) * sizeof *t.words);
                t.words[t.n++] = acc_xstrdup(w);
            }
            r->translations =
                acc_xrealloc(r->translations, (r->ntranslations + 1) * sizeof *r->translations);
            r->translations[r->ntranslations++] = t;
        }
    }
    size_t nh = json_array_size(hits);
    r->hits = acc_xcalloc(nh ? nh : 1, sizeof *r->hits);
    for (size_t i = 0; i < nh; i++) {
        json_t *h = json_array_get(hits, i);
        char *rec = json_dumps(h, JSON_COMPACT);
        acc_hit *x = &r->hits[r->nhits++];
        acc_hit_from_record(x, rec ? rec : "{}", rec ? strlen(rec) : 2);
        free(rec);
        x->score = json_number_value(json_object_get(h, "score"));
        x->snippet = opt_field(h, "snippet");
        x->article = opt_field(h, "article");
        x->explain = opt_field(h, "explain");
        json_t *cj = json_object_get(h, "commitment");
        if (json_is_object(cj)) {
            x->commitment = acc_xcalloc(1, sizeof *x->commitment);
            if (acc_commit_from_json(cj, x->commitment) != 0) {
                free(x->commitment);
                x->commitment = NULL;
            }
        }
        json_t *vs = json_object_get(h, "versions");
        size_t nv = json_is_array(vs) ? json_array_size(vs) : 0;
        if (nv) {
            x->versions = acc_xcalloc(nv, sizeof *x->versions);
            for (size_t k = 0; k < nv; k++) {
                json_t *v = json_array_get(vs, k);
                x->versions[k].id = acc_xstrdup(json_string_value(json_object_get(v, "id"))
                                                    ? json_string_value(json_object_get(v, "id"))
                                                    : "");
                x->versions[k].lang =
                    acc_xstrdup(json_string_value(json_object_get(v, "lang"))
                                    ? json_string_value(json_object_get(v, "lang"))
                                    : "");
                x->nversions++;
            }
        }
    }
    json_t *facets = json_object_get(o, "facets");
    for (int k = 0; k < ACC_FACET_COUNT && json_is_object(facets); k++) {
        json_t *arr = json_object_get(facets, acc_facet_name((acc_facet_kind)k));
        if (!json_is_array(arr))
            continue;
        r->facets_asked |= 1u << k;
        size_t n = json_array_size(arr);
        r->facets[k].kind = (acc_facet_kind)k;
        r->facets[k].values = acc_xcalloc(n ? n : 1, sizeof(acc_facet_value));
        for (size_t i = 0; i < n; i++) {
            json_t *e = json_array_get(arr, i);
            const char *val = json_string_value(json_object_get(e, "value"));
            r->facets[k].values[i].value = acc_xstrdup(val ? val : "");
            r->facets[k].values[i].count =
                (unsigned long)json_integer_value(json_object_get(e, "count"));
            r->facets[k].n++;
        }
    }
    json_decref(o);
    *out = r;
    return ACC_OK;
}
