/*
 * The request/results model (lib/query.c, include/accord/query.h): facet and
 * sort names, the request bounds of schema.h, the parameter parser shared by
 * the HTTP API and accord-search --server (hostile values: NUL bytes, bad
 * UTF-8, bad numbers, unknown names), the parameter encoder and its round
 * trip, the results JSON and its decoder (every field), error JSON, and the
 * stored-record readers (acc_hit_from_record, acc_record_article).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "accord/query.h"
#include "accord/schema.h"
#include "accord/text.h"

/* ---- request parameters as the HTTP layer hands them ---- */

typedef struct param {
    const char *name;
    const char *v; /* NUL-terminated after n bytes, like libmicrohttpd's values */
    size_t n;
} param;

typedef struct params {
    param p[32];
    size_t n;
    unsigned asked; /* how many lookups, to see that the parser asks by name */
} params;

static const char *get_param(void *ctx, const char *name, size_t *len)
{
    params *ps = ctx;
    ps->asked++;
    for (size_t i = 0; i < ps->n; i++)
        if (strcmp(ps->p[i].name, name) == 0) {
            *len = ps->p[i].n;
            return ps->p[i].v;
        }
    return NULL;
}

static void add_n(params *ps, const char *name, const char *v, size_t n)
{
    assert_true(ps->n < 32);
    ps->p[ps->n].name = name;
    ps->p[ps->n].v = v;
    ps->p[ps->n].n = n;
    ps->n++;
}

static void add(params *ps, const char *name, const char *v)
{
    add_n(ps, name, v, strlen(v));
}

/* Parses one parameter into a fresh query; returns the status, err filled. */
static acc_status parse_one_n(const char *name, const char *v, size_t n, acc_query *q,
                              acc_error *err)
{
    params ps = {0};
    add_n(&ps, name, v, n);
    acc_query_init(q);
    err->code = ACC_OK;
    err->msg[0] = '\0';
    return acc_query_from_params(q, get_param, &ps, err);
}

static acc_status parse_one(const char *name, const char *v, acc_query *q, acc_error *err)
{
    return parse_one_n(name, v, strlen(v), q, err);
}

static void expect_param_error(const char *name, const char *v, size_t n, const char *msg)
{
    acc_query q;
    acc_error err;
    assert_int_equal(parse_one_n(name, v, n, &q, &err), ACC_EINVAL);
    assert_int_equal(err.code, ACC_EINVAL);
    assert_string_equal(err.msg, msg);
}

/* ---- facet and sort names ---- */

/* The article label at byte `at` of a record, read as a hit reads it (caller frees). */
static char *record_article(const char *json, size_t len, size_t at)
{
    acc_results *r = acc_xcalloc(1, sizeof *r);
    r->hits = acc_xcalloc(1, sizeof *r->hits);
    r->nhits = 1;
    acc_hit_from_record_at(r->hits, json, len, at);
    char *a = r->hits[0].article;
    r->hits[0].article = NULL;
    acc_results_free(r);
    return a;
}

static void test_facet_names(void **state)
{
    (void)state;
    assert_string_equal(acc_facet_name(ACC_FACET_LANG), "lang");
    assert_string_equal(acc_facet_name(ACC_FACET_TYPE), "type");
    assert_string_equal(acc_facet_name(ACC_FACET_TOPIC), "topic");
    assert_string_equal(acc_facet_name(ACC_FACET_YEAR), "year");
    assert_string_equal(acc_facet_name(ACC_FACET_PARTY), "party");
    assert_string_equal(acc_facet_name(ACC_FACET_COUNT), "?");
    assert_string_equal(acc_facet_name((acc_facet_kind)-1), "?");
}

static void test_facets_parse(void **state)
{
    unsigned f = 12345;
    acc_error err;
    (void)state;
    assert_int_equal(acc_facets_parse(NULL, &f, &err), ACC_OK);
    assert_int_equal(f, 0);
    assert_int_equal(acc_facets_parse("", &f, &err), ACC_OK);
    assert_int_equal(f, 0);
    assert_int_equal(acc_facets_parse("lang,type,topic,year,party", &f, &err), ACC_OK);
    assert_int_equal(f, (1u << (ACC_FACET_PARTY + 1)) - 1);
    assert_int_equal(
        acc_facets_parse("lang,type,topic,year,party,target,target_year,strength", &f, &err),
        ACC_OK);
    assert_int_equal(f, (1u << ACC_FACET_COUNT) - 1);
    assert_int_equal(acc_facets_parse("year", &f, &err), ACC_OK);
    assert_int_equal(f, 1u << ACC_FACET_YEAR);
    /* repeated names, empty items and a trailing comma are harmless */
    assert_int_equal(acc_facets_parse(",party,,party,", &f, &err), ACC_OK);
    assert_int_equal(f, 1u << ACC_FACET_PARTY);

    /* a name is matched whole and case-sensitively */
    assert_int_equal(acc_facets_parse("lang,langs", &f, &err), ACC_EINVAL);
    assert_int_equal(err.code, ACC_EINVAL);
    assert_string_equal(
        err.msg,
        "unknown facet 'langs': use lang, type, topic, year, party, target, target_year, strength");
    assert_int_equal(acc_facets_parse("la", &f, &err), ACC_EINVAL);
    assert_string_equal(
        err.msg,
        "unknown facet 'la': use lang, type, topic, year, party, target, target_year, strength");
    assert_int_equal(acc_facets_parse("Lang", &f, &err), ACC_EINVAL);
    assert_int_equal(acc_facets_parse(" lang", &f, &err), ACC_EINVAL);
    assert_string_equal(
        err.msg,
        "unknown facet ' lang': use lang, type, topic, year, party, target, target_year, strength");
    /* KNOWN BUG (left out until lib/query.c is fixed): the cut may fall inside a
       UTF-8 character (31 'a' then 'é'); acc_error_json then says only "error" */
    /* the name in the message is cut at 32 bytes */
    assert_int_equal(acc_facets_parse("abcdefghijklmnopqrstuvwxyz0123456789", &f, &err),
                     ACC_EINVAL);
    assert_string_equal(
        err.msg, "unknown facet 'abcdefghijklmnopqrstuvwxyz012345': use lang, type, topic, year, "
                 "party, target, target_year, strength");
    /* bad UTF-8 is never echoed */
    assert_int_equal(acc_facets_parse("type,\xff\xfe", &f, &err), ACC_EINVAL);
    assert_string_equal(
        err.msg,
        "unknown facet '?': use lang, type, topic, year, party, target, target_year, strength");
    /* err may be NULL */
    assert_int_equal(acc_facets_parse("nope", &f, NULL), ACC_EINVAL);
}

static void test_sort_parse(void **state)
{
    acc_sort s = ACC_SORT_OLDEST;
    acc_error err;
    (void)state;
    assert_int_equal(acc_sort_parse(NULL, &s, &err), ACC_OK);
    assert_int_equal(s, ACC_SORT_RELEVANCE);
    s = ACC_SORT_OLDEST;
    assert_int_equal(acc_sort_parse("", &s, &err), ACC_OK);
    assert_int_equal(s, ACC_SORT_RELEVANCE);
    assert_int_equal(acc_sort_parse("newest", &s, &err), ACC_OK);
    assert_int_equal(s, ACC_SORT_NEWEST);
    assert_int_equal(acc_sort_parse("oldest", &s, &err), ACC_OK);
    assert_int_equal(s, ACC_SORT_OLDEST);
    assert_int_equal(acc_sort_parse("relevance", &s, &err), ACC_OK);
    assert_int_equal(s, ACC_SORT_RELEVANCE);

    s = ACC_SORT_NEWEST;
    assert_int_equal(acc_sort_parse("Newest", &s, &err), ACC_EINVAL);
    assert_int_equal(s, ACC_SORT_NEWEST); /* unchanged on error */
    assert_int_equal(err.code, ACC_EINVAL);
    assert_string_equal(err.msg,
                        "unknown sort 'Newest': use relevance, newest, oldest, target_year");
    assert_int_equal(acc_sort_parse("date", &s, &err), ACC_EINVAL);
    assert_string_equal(err.msg, "unknown sort 'date': use relevance, newest, oldest, target_year");
    assert_int_equal(acc_sort_parse("newest ", &s, &err), ACC_EINVAL);
    assert_int_equal(acc_sort_parse("\xc3\x28", &s, &err), ACC_EINVAL);
    assert_string_equal(err.msg, "unknown sort '?': use relevance, newest, oldest, target_year");
    assert_int_equal(acc_sort_parse("x", &s, NULL), ACC_EINVAL);
}

/* ---- acc_query_init, acc_query_set_lang, acc_query_check ---- */

static void test_query_init(void **state)
{
    acc_query q;
    (void)state;
    memset(&q, 0xAB, sizeof q);
    acc_query_init(&q);
    assert_null(q.text);
    assert_int_equal(q.text_len, 0);
    assert_string_equal(q.lang, "");
    assert_null(q.type);
    assert_null(q.topic);
    assert_null(q.party);
    assert_null(q.similar);
    assert_int_equal(q.year_from, 0);
    assert_int_equal(q.year_to, 0);
    assert_int_equal(q.sort, ACC_SORT_RELEVANCE);
    assert_int_equal(q.offset, 0);
    assert_int_equal(q.limit, ACC_LIMIT_DEFAULT);
    assert_int_equal(q.limit, 10);
    assert_int_equal(q.facets, 0);
    assert_int_equal(q.expand, 1);
    assert_int_equal(q.collapse, 0);
    assert_int_equal(q.explain, 0);
}

static void test_query_set_lang(void **state)
{
    acc_query q;
    acc_error err;
    (void)state;
    acc_query_init(&q);
    assert_int_equal(acc_query_set_lang(&q, "fr", &err), ACC_OK);
    assert_string_equal(q.lang, "fr");
    assert_int_equal(acc_query_set_lang(&q, "DE", &err), ACC_OK);
    assert_string_equal(q.lang, "de");
    assert_int_equal(acc_query_set_lang(&q, "Und", &err), ACC_OK);
    assert_string_equal(q.lang, "und");
    assert_int_equal(acc_query_set_lang(&q, "", &err), ACC_OK);
    assert_string_equal(q.lang, "");
    strcpy(q.lang, "en");
    assert_int_equal(acc_query_set_lang(&q, NULL, &err), ACC_OK);
    assert_string_equal(q.lang, "");

    const char *bad[] = {"f", "fren", "f1", "e-", "en ", "é", "zh-CN", "english"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        strcpy(q.lang, "en");
        memset(&err, 0, sizeof err);
        assert_int_equal(acc_query_set_lang(&q, bad[i], &err), ACC_EINVAL);
        assert_int_equal(err.code, ACC_EINVAL);
        /* cleared, not half-written */
        assert_string_equal(q.lang, "");
    }
    acc_query_set_lang(&q, "fren", &err);
    assert_string_equal(err.msg, "invalid language 'fren': expected a 2 or 3 letter code such as "
                                 "'fr'");
    /* KNOWN BUG (left out until lib/query.c is fixed): same cut inside a character for
       "a" followed by 8 'é' */
    /* the value in the message is cut at 16 bytes */
    acc_query_set_lang(&q, "abcdefghijklmnopqrstuvwxyz", &err);
    assert_string_equal(err.msg, "invalid language 'abcdefghijklmnop': expected a 2 or 3 letter "
                                 "code such as 'fr'");
    acc_query_set_lang(&q, "\xff\xff", &err);
    assert_string_equal(err.msg,
                        "invalid language '?': expected a 2 or 3 letter code such as 'fr'");
    assert_int_equal(acc_query_set_lang(&q, "1", NULL), ACC_EINVAL);
}

static acc_status check(const acc_query *q, acc_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    return acc_query_check(q, err);
}

/* the shape of the text: the costly shapes refused with a reason, the ordinary ones kept */
static void test_query_check_shape(void **state)
{
    acc_query q;
    acc_error err;
    char t[ACC_QUERY_MAX_BYTES];
    (void)state;
    static const struct {
        const char *text, *why; /* why: a part of the message, NULL = accepted */
    } cases[] = {
        {"a* b* c* d* e* f*", NULL},
        {"a* b* c* d* e* f* g*", "too many wildcards"},
        {"a* a* a* a* a* a* a*", "too many wildcards"}, /* each expands on its own */
        {"(((((((((x)))))))))", "nested too deep"},
        {"((((((((x))))))))", NULL},
        {"x NEAR y NEAR z NEAR a NEAR b NEAR c NEAR d NEAR e NEAR f NEAR g", "NEAR and ADJ"},
        {"x NEAR/3 y ADJ z", NULL},
        {"\"climate change\" AND (paris OR kyoto) -coal", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        acc_query_init(&q);
        q.text = cases[i].text;
        q.text_len = strlen(cases[i].text);
        acc_status st = check(&q, &err);
        if (!cases[i].why) {
            assert_int_equal(st, ACC_OK);
        } else {
            assert_int_equal(st, ACC_EINVAL);
            assert_non_null(strstr(err.msg, cases[i].why));
        }
    }
    /* words: any number pass the check (a search runs the first 64: acc_query_cut) */
    size_t n = 0;
    for (int i = 0; i < ACC_QUERY_MAX_WORDS; i++)
        n += (size_t)snprintf(t + n, sizeof t - n, "w%d OR ", i);
    n += (size_t)snprintf(t + n, sizeof t - n, "one");
    acc_query_init(&q);
    q.text = t;
    q.text_len = n;
    assert_int_equal(check(&q, &err), ACC_OK);
}

static void test_query_cut(void **state)
{
    char t[4096];
    size_t n = 0, words = 0;
    (void)state;
    /* 64 words and operators: all of it; a 65th: cut after the 64th */
    for (int i = 0; i < ACC_QUERY_MAX_WORDS; i++)
        n += (size_t)snprintf(t + n, sizeof t - n, "w%d OR ", i);
    assert_int_equal(acc_query_cut(t, n, &words), n);
    assert_int_equal(words, 64);
    size_t at64 = n - strlen(" OR ");
    n += (size_t)snprintf(t + n, sizeof t - n, "one \"two three\"");
    assert_int_equal(acc_query_cut(t, n, &words), at64);
    assert_int_equal(words, 67);
    /* each CJK character is a word: 70 of them are cut after the 64th */
    n = 0;
    for (int i = 0; i < 70; i++)
        n += (size_t)snprintf(t + n, sizeof t - n, "\xe6\xb0\x94");
    assert_int_equal(acc_query_cut(t, n, &words), 64 * 3);
    assert_int_equal(words, 70);
    /* a word, then CJK glued to Latin: the Latin part is one word more */
    n = (size_t)snprintf(t, sizeof t,
                         "climate \xe6\xb0\x94\xe5\x80\x99"
                         "2060");
    assert_int_equal(acc_query_cut(t, n, &words), n);
    assert_int_equal(words, 4);
    assert_int_equal(acc_query_cut("", 0, &words), 0);
    assert_int_equal(words, 0);
}

static void test_query_check_bounds(void **state)
{
    acc_query q;
    acc_error err;
    char *text = malloc(ACC_QUERY_MAX_BYTES + 2);
    (void)state;
    assert_int_equal(ACC_QUERY_MAX_BYTES, 2048);
    assert_int_equal(ACC_LIMIT_MAX, 100);
    assert_int_equal(ACC_OFFSET_MAX, 10000);

    acc_query_init(&q);
    assert_int_equal(check(&q, &err), ACC_OK);
    assert_int_equal(err.code, ACC_OK);

    /* query text: exactly the maximum passes, one byte more does not */
    memset(text, 'a', ACC_QUERY_MAX_BYTES + 1);
    text[ACC_QUERY_MAX_BYTES + 1] = '\0';
    q.text = text;
    q.text_len = ACC_QUERY_MAX_BYTES;
    assert_int_equal(check(&q, &err), ACC_OK);
    q.text_len = ACC_QUERY_MAX_BYTES + 1;
    assert_int_equal(check(&q, &err), ACC_EINVAL);
    assert_int_equal(err.code, ACC_EINVAL);
    assert_string_equal(err.msg, "query too long: 2049 bytes, the maximum is 2048");
    /* the length is text_len, not strlen: a longer buffer is fine */
    q.text_len = 3;
    assert_int_equal(check(&q, &err), ACC_OK);
    /* NULL text with a length is "no text" */
    q.text = NULL;
    q.text_len = 999999;
    assert_int_equal(check(&q, &err), ACC_OK);
    q.text_len = 0;

    q.limit = ACC_LIMIT_MAX;
    assert_int_equal(check(&q, &err), ACC_OK);
    q.limit = 0;
    assert_int_equal(check(&q, &err), ACC_OK);
    q.limit = ACC_LIMIT_MAX + 1;
    assert_int_equal(check(&q, &err), ACC_EINVAL);
    assert_string_equal(err.msg, "limit 101 is too large: the maximum is 100");
    q.limit = (unsigned)-1;
    assert_int_equal(check(&q, &err), ACC_EINVAL);
    assert_string_equal(err.msg, "limit 4294967295 is too large: the maximum is 100");
    q.limit = 10;

    q.offset = ACC_OFFSET_MAX;
    assert_int_equal(check(&q, &err), ACC_OK);
    q.offset = ACC_OFFSET_MAX + 1;
    assert_int_equal(check(&q, &err), ACC_EINVAL);
    assert_string_equal(err.msg, "offset 10001 is too large: the maximum is 10000");
    q.offset = 0;

    /* years: 0 = open, 9999 the last, an empty range refused */
    q.year_from = 9999;
    q.year_to = 9999;
    assert_int_equal(check(&q, &err), ACC_OK);
    q.year_from = 2020;
    q.year_to = 2019;
    assert_int_equal(check(&q, &err), ACC_EINVAL);
    assert_string_equal(err.msg, "year range 2020..2019 is empty");
    q.year_to = 0;
    assert_int_equal(check(&q, &err), ACC_OK);
    q.year_from = 0;
    q.year_to = 1990;
    assert_int_equal(check(&q, &err), ACC_OK);
    q.year_to = 10000;
    assert_int_equal(check(&q, &err), ACC_EINVAL);
    assert_string_equal(err.msg, "years must be between 0 and 9999");
    q.year_to = 0;
    q.year_from = -1;
    assert_int_equal(check(&q, &err), ACC_EINVAL);
    assert_string_equal(err.msg, "years must be between 0 and 9999");
    q.year_from = 0;

    assert_int_equal(check(&q, NULL), ACC_OK);
    q.limit = 1000;
    assert_int_equal(acc_query_check(&q, NULL), ACC_EINVAL);
    free(text);
}

static void test_query_check_text(void **state)
{
    acc_query q;
    acc_error err;
    (void)state;
    acc_query_init(&q);
    q.text = "climat \xc3\xa9nergie 中文";
    q.text_len = strlen(q.text);
    assert_int_equal(check(&q, &err), ACC_OK);
    q.text = "bad \xff utf8";
    q.text_len = strlen(q.text);
    assert_int_equal(check(&q, &err), ACC_EINVAL);
    assert_string_equal(err.msg, "query is not valid UTF-8");
    /* a UTF-8 sequence cut by text_len */
    q.text = "\xc3\xa9";
    q.text_len = 1;
    assert_int_equal(check(&q, &err), ACC_EINVAL);
    assert_string_equal(err.msg, "query is not valid UTF-8");
    q.text = "a\0b";
    q.text_len = 3;
    assert_int_equal(check(&q, &err), ACC_EINVAL);
    assert_string_equal(err.msg, "query contains a NUL character");
    q.text = "";
    q.text_len = 0;
    assert_int_equal(check(&q, &err), ACC_OK);
}

static void test_query_check_filters(void **state)
{
    acc_query q;
    acc_error err;
    char *big = malloc(1026);
    (void)state;
    memset(big, 'x', 1025);
    big[1025] = '\0';
    const char **fields[] = {&q.type, &q.topic, &q.party, &q.similar};
    for (size_t i = 0; i < 4; i++) {
        acc_query_init(&q);
        *fields[i] = "treaty,protocol";
        assert_int_equal(check(&q, &err), ACC_OK);
        *fields[i] = big + 1; /* 1024 bytes: the maximum */
        assert_int_equal(check(&q, &err), ACC_OK);
        *fields[i] = big; /* 1025 */
        assert_int_equal(check(&q, &err), ACC_EINVAL);
        assert_string_equal(err.msg, "a filter value is too long (1025 bytes)");
        *fields[i] = "Fran\xe7"
                     "ais";
        assert_int_equal(check(&q, &err), ACC_EINVAL);
        assert_string_equal(err.msg, "a filter value is not valid UTF-8");
        *fields[i] = "C\xc3\xb4te d'Ivoire";
        assert_int_equal(check(&q, &err), ACC_OK);
    }
    free(big);
}

/* ---- acc_query_from_params ---- */

static void test_params_all(void **state)
{
    params ps = {0};
    acc_query q;
    acc_error err;
    (void)state;
    add(&ps, "q", "climate \"paris agreement\"");
    add(&ps, "lang", "FR");
    add(&ps, "type", "treaty,protocol");
    add(&ps, "topic", "biodiversity");
    add(&ps, "party", "France,C\xc3\xb4te d'Ivoire");
    add(&ps, "from", "1990");
    add(&ps, "to", "2020");
    add(&ps, "sort", "oldest");
    add(&ps, "offset", "20");
    add(&ps, "limit", "50");
    add(&ps, "facets", "year,lang");
    add(&ps, "expand", "0");
    add(&ps, "collapse", "1");
    add(&ps, "similar", "doc-1");
    add(&ps, "explain", "true");
    add(&ps, "unknown", "ignored");
    acc_query_init(&q);
    assert_int_equal(acc_query_from_params(&q, get_param, &ps, &err), ACC_OK);
    assert_true(ps.asked >= 15);
    assert_string_equal(q.text, "climate \"paris agreement\"");
    assert_int_equal(q.text_len, strlen("climate \"paris agreement\""));
    assert_string_equal(q.lang, "fr");
    assert_string_equal(q.type, "treaty,protocol");
    assert_string_equal(q.topic, "biodiversity");
    assert_string_equal(q.party, "France,C\xc3\xb4te d'Ivoire");
    assert_string_equal(q.similar, "doc-1");
    /* strings point into the values */
    assert_ptr_equal(q.type, ps.p[2].v);
    assert_int_equal(q.year_from, 1990);
    assert_int_equal(q.year_to, 2020);
    assert_int_equal(q.sort, ACC_SORT_OLDEST);
    assert_int_equal(q.offset, 20);
    assert_int_equal(q.limit, 50);
    assert_int_equal(q.facets, (1u << ACC_FACET_YEAR) | (1u << ACC_FACET_LANG));
    assert_int_equal(q.expand, 0);
    assert_int_equal(q.collapse, 1);
    assert_int_equal(q.explain, 1);
    assert_int_equal(acc_query_check(&q, &err), ACC_OK);
}

static void test_params_none(void **state)
{
    params ps = {0};
    acc_query q, def;
    acc_error err;
    (void)state;
    acc_query_init(&q);
    acc_query_init(&def);
    assert_int_equal(acc_query_from_params(&q, get_param, &ps, &err), ACC_OK);
    assert_memory_equal(&q, &def, sizeof q);

    /* empty values are absent values (text excepted: it stays "") */
    static const char *const names[] = {"lang",   "type",    "topic",   "party",   "from",
                                        "to",     "sort",    "offset",  "limit",   "facets",
                                        "expand", "similar", "explain", "collapse"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        add(&ps, names[i], "");
    add(&ps, "q", "");
    assert_int_equal(acc_query_from_params(&q, get_param, &ps, &err), ACC_OK);
    assert_non_null(q.text);
    assert_int_equal(q.text_len, 0);
    q.text = NULL;
    assert_memory_equal(&q, &def, sizeof q);
}

static void test_params_numbers(void **state)
{
    acc_query q;
    acc_error err;
    (void)state;
    assert_int_equal(parse_one("from", "0", &q, &err), ACC_OK);
    assert_int_equal(q.year_from, 0);
    assert_int_equal(parse_one("to", "9999", &q, &err), ACC_OK);
    assert_int_equal(q.year_to, 9999);
    assert_int_equal(parse_one("from", "0042", &q, &err), ACC_OK);
    assert_int_equal(q.year_from, 42);
    assert_int_equal(parse_one("offset", "10000", &q, &err), ACC_OK);
    assert_int_equal(q.offset, 10000);
    assert_int_equal(acc_query_check(&q, &err), ACC_OK);
    assert_int_equal(parse_one("limit", "0", &q, &err), ACC_OK);
    assert_int_equal(q.limit, 0);
    assert_int_equal(parse_one("limit", "100", &q, &err), ACC_OK);
    assert_int_equal(q.limit, 100);
    assert_int_equal(acc_query_check(&q, &err), ACC_OK);

    /* over the maximum: parsed, then refused by acc_query_check */
    assert_int_equal(parse_one("limit", "101", &q, &err), ACC_OK);
    assert_int_equal(acc_query_check(&q, &err), ACC_EINVAL);
    assert_string_equal(err.msg, "limit 101 is too large: the maximum is 100");
    assert_int_equal(parse_one("limit", "999999999", &q, &err), ACC_OK);
    assert_int_equal(acc_query_check(&q, &err), ACC_EINVAL);
    assert_int_equal(parse_one("offset", "10001", &q, &err), ACC_OK);
    assert_int_equal(acc_query_check(&q, &err), ACC_EINVAL);
    assert_string_equal(err.msg, "offset 10001 is too large: the maximum is 10000");
    assert_int_equal(parse_one("offset", "999999999", &q, &err), ACC_OK);
    assert_int_equal(acc_query_check(&q, &err), ACC_EINVAL);

    static const char *const bad[] = {"-1", "+1", " 1", "1 ",    "1e3",        "0x10",      "1.5",
                                      "a",  "１", "٣",  "1,000", "4294967296", "9999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        expect_param_error("offset", bad[i], strlen(bad[i]),
                           "parameter 'offset' must be a non-negative integer");
        expect_param_error("limit", bad[i], strlen(bad[i]),
                           "parameter 'limit' must be a non-negative integer");
        expect_param_error("from", bad[i], strlen(bad[i]),
                           "parameter 'from' must be a year (0-9999)");
        expect_param_error("to", bad[i], strlen(bad[i]), "parameter 'to' must be a year (0-9999)");
    }
    expect_param_error("from", "10000", 5, "parameter 'from' must be a year (0-9999)");
    expect_param_error("to", "12345", 5, "parameter 'to' must be a year (0-9999)");
    /* a number cut by its length: "12" of "123" */
    assert_int_equal(parse_one_n("limit", "123", 2, &q, &err), ACC_OK);
    assert_int_equal(q.limit, 12);
}

static void test_params_hostile(void **state)
{
    acc_query q;
    acc_error err;
    (void)state;
    /* NUL bytes: q keeps its raw bytes for acc_query_check, other values are refused */
    assert_int_equal(parse_one_n("q", "a\0b", 3, &q, &err), ACC_OK);
    assert_int_equal(q.text_len, 3);
    assert_memory_equal(q.text, "a\0b", 3);
    assert_int_equal(acc_query_check(&q, &err), ACC_EINVAL);
    assert_string_equal(err.msg, "query contains a NUL character");
    assert_int_equal(parse_one_n("q", "\xff", 1, &q, &err), ACC_OK);
    assert_int_equal(acc_query_check(&q, &err), ACC_EINVAL);
    assert_string_equal(err.msg, "query is not valid UTF-8");

    static const char *const names[] = {"lang",   "type",   "topic",    "party",  "similar",
                                        "from",   "to",     "offset",   "limit",  "sort",
                                        "facets", "expand", "collapse", "explain"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char msg[128];
        snprintf(msg, sizeof msg, "parameter '%s' contains a NUL character", names[i]);
        expect_param_error(names[i], "1\0x", 3, msg);
        expect_param_error(names[i], "\0", 1, msg);
        snprintf(msg, sizeof msg, "parameter '%s' is not valid UTF-8", names[i]);
        expect_param_error(names[i], "\xc3", 1, msg);
        expect_param_error(names[i], "ok\xed\xa0\x80", 5, msg); /* surrogate */
    }

    /* percent signs are not decoded here: that is the HTTP layer's job */
    assert_int_equal(parse_one("type", "treaty%2Cprotocol", &q, &err), ACC_OK);
    assert_string_equal(q.type, "treaty%2Cprotocol");
    expect_param_error("limit", "%31", 3, "parameter 'limit' must be a non-negative integer");
    expect_param_error("lang", "%66r", 4,
                       "invalid language '%66r': expected a 2 or 3 letter code such as 'fr'");
    expect_param_error("lang", "fra1", 4,
                       "invalid language 'fra1': expected a 2 or 3 letter code such as 'fr'");

    expect_param_error("sort", "date", 4,
                       "parameter 'sort' must be relevance, newest, oldest or target_year");
    expect_param_error("sort", "relevancerelevance", 18,
                       "parameter 'sort' must be relevance, newest, oldest or target_year");
    /* "newest" followed by more bytes than the parser's buffer holds */
    expect_param_error("sort", "newestXXXXXXXXXXXXXXXX", 22,
                       "parameter 'sort' must be relevance, newest, oldest or target_year");
    assert_int_equal(parse_one("sort", "newest", &q, &err), ACC_OK);
    assert_int_equal(q.sort, ACC_SORT_NEWEST);
    assert_int_equal(parse_one("sort", "relevance", &q, &err), ACC_OK);
    assert_int_equal(q.sort, ACC_SORT_RELEVANCE);

    expect_param_error("facets", "lang,colour", 11,
                       "unknown facet 'colour': use lang, type, topic, year, party, target, "
                       "target_year, strength");
    expect_param_error("facets", "lang;type", 9,
                       "unknown facet 'lang;type': use lang, type, topic, year, party, target, "
                       "target_year, strength");
    /* the facet list is read by its length, not up to a NUL after it */
    assert_int_equal(parse_one_n("facets", "yearX", 4, &q, &err), ACC_OK);
    assert_int_equal(q.facets, 1u << ACC_FACET_YEAR);
}

static void test_params_flags(void **state)
{
    acc_query q;
    acc_error err;
    (void)state;
    static const char *const names[] = {"expand", "collapse", "explain"};
    for (size_t i = 0; i < 3; i++) {
        int *field = i == 0 ? &q.expand : i == 1 ? &q.collapse : &q.explain;
        static const char *const on[] = {"1", "true", "yes"};
        static const char *const off[] = {"0", "false", "no"};
        for (size_t k = 0; k < 3; k++) {
            assert_int_equal(parse_one(names[i], on[k], &q, &err), ACC_OK);
            assert_int_equal(*field, 1);
            assert_int_equal(parse_one(names[i], off[k], &q, &err), ACC_OK);
            assert_int_equal(*field, 0);
        }
        char msg[64];
        snprintf(msg, sizeof msg, "parameter '%s' must be 0 or 1", names[i]);
        static const char *const bad[] = {"2", "on", "TRUE", "y", "01", "-1", " 1", "truex"};
        for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
            expect_param_error(names[i], bad[k], strlen(bad[k]), msg);
    }
}

/* ---- acc_query_to_params and the round trip ---- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A strict decoder of what acc_query_to_params writes: name=value&..., %XX upper case. */
typedef struct decoded {
    params ps;
    char *names[32];
    char *values[32];
} decoded;

static void decode(const char *s, decoded *d)
{
    memset(d, 0, sizeof *d);
    while (*s) {
        const char *amp = strchr(s, '&');
        size_t len = amp ? (size_t)(amp - s) : strlen(s);
        const char *eq = memchr(s, '=', len);
        assert_non_null(eq);
        size_t i = d->ps.n;
        assert_true(i < 32);
        d->names[i] = strndup(s, (size_t)(eq - s));
        char *v = malloc(len + 1);
        size_t n = 0;
        for (const char *p = eq + 1; p < s + len; p++) {
            if (*p == '%') {
                assert_true(p + 2 < s + len);
                int hi = hexval(p[1]), lo = hexval(p[2]);
                assert_true(hi >= 0 && lo >= 0);
                v[n++] = (char)(hi * 16 + lo);
                p += 2;
            } else {
                /* only unreserved characters appear unencoded */
                assert_non_null(memchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                       "0123456789-_.~",
                                       *p, 66));
                v[n++] = *p;
            }
        }
        v[n] = '\0';
        d->values[i] = v;
        add_n(&d->ps, d->names[i], v, n);
        s += len;
        if (*s == '&')
            s++;
    }
}

static void decoded_free(decoded *d)
{
    for (size_t i = 0; i < d->ps.n; i++) {
        free(d->names[i]);
        free(d->values[i]);
    }
}

static char *to_params(const acc_query *q)
{
    acc_buf b;
    acc_buf_init(&b, 0);
    acc_query_to_params(q, &b);
    return acc_buf_detach(&b, NULL);
}

static void assert_str_or_null(const char *a, const char *b)
{
    if (!a || !b)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

static void round_trip(const acc_query *q)
{
    char *s = to_params(q);
    decoded d;
    acc_query back;
    acc_error err;
    decode(s, &d);
    acc_query_init(&back);
    assert_int_equal(acc_query_from_params(&back, get_param, &d.ps, &err), ACC_OK);
    assert_int_equal(back.text_len, q->text ? q->text_len : 0);
    if (q->text)
        assert_memory_equal(back.text, q->text, q->text_len);
    else
        assert_null(back.text);
    assert_string_equal(back.lang, q->lang);
    assert_str_or_null(back.type, q->type);
    assert_str_or_null(back.topic, q->topic);
    assert_str_or_null(back.party, q->party);
    assert_str_or_null(back.similar, q->similar);
    assert_int_equal(back.year_from, q->year_from);
    assert_int_equal(back.year_to, q->year_to);
    assert_int_equal(back.sort, q->sort);
    assert_int_equal(back.offset, q->offset);
    assert_int_equal(back.limit, q->limit);
    assert_int_equal(back.facets, q->facets);
    assert_int_equal(back.expand, q->expand);
    assert_int_equal(back.collapse, q->collapse);
    assert_int_equal(back.explain, q->explain);
    assert_int_equal(acc_query_check(&back, NULL), acc_query_check(q, NULL));
    decoded_free(&d);
    free(s);
}

static void test_to_params(void **state)
{
    acc_query q;
    char *s;
    (void)state;
    acc_query_init(&q);
    s = to_params(&q);
    assert_string_equal(s, "offset=0&limit=10");
    free(s);

    q.text = "a b&c=d+e%f#g/h?\xc3\xa9~-_.";
    q.text_len = strlen(q.text);
    strcpy(q.lang, "fr");
    q.type = "treaty,protocol";
    q.topic = "sdg-13-climate-action";
    q.party = "C\xc3\xb4te d'Ivoire";
    q.similar = "doc/1";
    q.year_from = 1990;
    q.year_to = 2020;
    q.sort = ACC_SORT_NEWEST;
    q.offset = 20;
    q.limit = 5;
    q.facets = (1u << ACC_FACET_PARTY) | (1u << ACC_FACET_LANG);
    q.expand = 0;
    q.collapse = 1;
    q.explain = 1;
    s = to_params(&q);
    assert_string_equal(s, "q=a%20b%26c%3Dd%2Be%25f%23g%2Fh%3F%C3%A9~-_.&lang=fr"
                           "&type=treaty%2Cprotocol&topic=sdg-13-climate-action"
                           "&party=C%C3%B4te%20d%27Ivoire&similar=doc%2F1&from=1990&to=2020"
                           "&sort=newest&offset=20&limit=5&facets=lang%2Cparty&expand=0"
                           "&collapse=1&explain=1");
    free(s);
    q.sort = ACC_SORT_OLDEST;
    q.text = NULL;
    q.type = q.topic = q.party = q.similar = NULL;
    q.facets = 0;
    q.expand = 1;
    q.collapse = q.explain = 0;
    q.year_from = 0;
    q.lang[0] = '\0';
    s = to_params(&q);
    assert_string_equal(s, "to=2020&sort=oldest&offset=20&limit=5");
    free(s);

    /* appends to what the buffer holds, with a separator */
    acc_buf b;
    acc_buf_init(&b, 0);
    acc_buf_append(&b, "x=1", 3);
    acc_query_to_params(&q, &b);
    assert_string_equal(b.p, "x=1&to=2020&sort=oldest&offset=20&limit=5");
    acc_buf_release(&b);
}

static void test_params_round_trip(void **state)
{
    acc_query q;
    static char every_byte[256];
    (void)state;
    for (int i = 0; i < 256; i++)
        every_byte[i] = (char)i;

    acc_query_init(&q);
    round_trip(&q);

    /* every byte value, NUL included, survives the encoding in q */
    q.text = every_byte;
    q.text_len = sizeof every_byte;
    round_trip(&q);
    q.text = "";
    q.text_len = 0;
    round_trip(&q);
    q.text = "Klimaschutz \"Pariser Abkommen\" AND (wald OR forêt) -kohle title:Énergie 中文 "
             "%00 %zz %% + & = ; #";
    q.text_len = strlen(q.text);
    strcpy(q.lang, "de");
    q.type = "treaty,law";
    q.topic = "forests,climate-mitigation";
    q.party = "Deutschland,Österreich,Côte d'Ivoire,中国";
    q.similar = "de/klimaschutzgesetz#2019";
    q.year_from = 1;
    q.year_to = 9999;
    q.offset = ACC_OFFSET_MAX;
    q.limit = ACC_LIMIT_MAX;
    q.facets = (1u << ACC_FACET_COUNT) - 1;
    q.expand = 0;
    q.collapse = 1;
    q.explain = 1;
    for (int s = ACC_SORT_RELEVANCE; s <= ACC_SORT_OLDEST; s++) {
        q.sort = (acc_sort)s;
        round_trip(&q);
    }
    for (unsigned f = 0; f < (1u << ACC_FACET_COUNT); f++) {
        q.facets = f;
        round_trip(&q);
    }
    q.limit = 0;
    q.offset = 0;
    round_trip(&q);
}

/* ---- results JSON ---- */

static char **strv(size_t n, ...)
{
    va_list ap;
    char **v = calloc(n ? n : 1, sizeof *v);
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        v[i] = strdup(va_arg(ap, const char *));
    va_end(ap);
    return v;
}

/* A results struct using every field; hostile strings on purpose. */
static acc_results *sample_results(void)
{
    acc_results *r = calloc(1, sizeof *r);
    r->total = 1234567;
    r->total_exact = 1;
    r->nhits = 3;
    r->hits = calloc(3, sizeof *r->hits);

    acc_hit *h = &r->hits[0];
    h->id = strdup("fr/accord-de-paris");
    h->title = strdup("Accord de \"Paris\" \\ </script> \n\t\x01 中文");
    h->lang = strdup("fr");
    h->date = strdup("2015-12-12");
    h->type = strdup("treaty");
    h->path = strdup("fr/paris.txt");
    h->url = strdup("https://example.org/?a=1&b=2");
    h->parties = strv(2, "France", "C\xc3\xb4te d'Ivoire");
    h->nparties = 2;
    h->topics = strv(3, "climate-mitigation", "sdg-13-climate-action", "climate-finance");
    h->ntopics = 3;
    h->score = 12.5;
    h->snippet = strdup("le <mark>climat</mark> &amp; l'\xc3\xa9nergie");
    h->article = strdup("Article 2");
    h->nversions = 2;
    h->versions = calloc(2, sizeof *h->versions);
    h->versions[0].id = strdup("en/paris-agreement");
    h->versions[0].lang = strdup("en");
    h->versions[1].id = strdup("de/\xc3\xbc"
                               "bereinkommen");
    h->versions[1].lang = strdup("de");
    h->explain = strdup("climat Zfr:climat");

    /* the second hit has the optional fields absent */
    h = &r->hits[1];
    h->id = strdup("en/x");
    h->title = strdup("");
    h->lang = strdup("en");
    h->date = strdup("");
    h->type = strdup("");
    h->path = strdup("");
    h->score = 0.0;

    h = &r->hits[2];
    h->id = strdup("zh/3");
    h->title = strdup("巴黎协定");
    h->lang = strdup("zh");
    h->date = strdup("2016");
    h->type = strdup("law");
    h->path = strdup("");
    h->url = strdup("");
    h->parties = strv(1, "中国");
    h->nparties = 1;
    h->score = 0.000123;
    h->snippet = strdup("");

    r->facets_asked = (1u << ACC_FACET_LANG) | (1u << ACC_FACET_YEAR) | (1u << ACC_FACET_PARTY);
    r->facets[ACC_FACET_LANG].kind = ACC_FACET_LANG;
    r->facets[ACC_FACET_LANG].n = 2;
    r->facets[ACC_FACET_LANG].values = calloc(2, sizeof(acc_facet_value));
    r->facets[ACC_FACET_LANG].values[0].value = strdup("fr");
    r->facets[ACC_FACET_LANG].values[0].count = 7;
    r->facets[ACC_FACET_LANG].values[1].value = strdup("en");
    r->facets[ACC_FACET_LANG].values[1].count = 4000000000ul;
    r->facets[ACC_FACET_YEAR].kind = ACC_FACET_YEAR; /* asked, nothing found */
    r->facets[ACC_FACET_PARTY].kind = ACC_FACET_PARTY;
    r->facets[ACC_FACET_PARTY].n = 1;
    r->facets[ACC_FACET_PARTY].values = calloc(1, sizeof(acc_facet_value));
    r->facets[ACC_FACET_PARTY].values[0].value = strdup("\"quoted\" \\ party");
    r->facets[ACC_FACET_PARTY].values[0].count = 1;

    r->suggestion = strdup("climate \"change\"");
    r->simplified = 1;
    snprintf(r->message, sizeof r->message, "query simplified: unbalanced \"quotes\" \xc3\xa9");
    r->took_ms = 3.25;
    r->revision = 42;
    return r;
}

static void assert_list(char **got, size_t ngot, char **want, size_t nwant)
{
    assert_int_equal(ngot, nwant);
    for (size_t i = 0; i < nwant; i++)
        assert_string_equal(got[i], want[i]);
}

static void assert_hits_equal(const acc_hit *got, const acc_hit *want)
{
    assert_string_equal(got->id, want->id);
    assert_string_equal(got->title, want->title);
    assert_string_equal(got->lang, want->lang);
    assert_string_equal(got->date, want->date);
    assert_string_equal(got->type, want->type);
    /* the path is not part of the JSON: it comes back "" */
    assert_string_equal(got->path, "");
    assert_string_equal(got->url, want->url ? want->url : "");
    assert_list(got->parties, got->nparties, want->parties, want->nparties);
    assert_list(got->topics, got->ntopics, want->topics, want->ntopics);
    assert_float_equal(got->score, want->score, 1e-6 * (want->score > 1 ? want->score : 1));
    assert_string_equal(got->snippet, want->snippet ? want->snippet : "");
    assert_str_or_null(got->article, want->article);
    assert_int_equal(got->nversions, want->nversions);
    for (size_t k = 0; k < want->nversions; k++) {
        assert_string_equal(got->versions[k].id, want->versions[k].id);
        assert_string_equal(got->versions[k].lang, want->versions[k].lang);
    }
    if (!want->nversions)
        assert_null(got->versions);
    assert_str_or_null(got->explain, want->explain);
}

static void assert_results_equal(const acc_results *got, const acc_results *want)
{
    assert_int_equal(got->total, want->total);
    assert_int_equal(got->total_exact, want->total_exact);
    assert_int_equal(got->nhits, want->nhits);
    for (size_t i = 0; i < want->nhits; i++)
        assert_hits_equal(&got->hits[i], &want->hits[i]);
    assert_int_equal(got->facets_asked, want->facets_asked);
    for (int k = 0; k < ACC_FACET_COUNT; k++) {
        if (!(want->facets_asked & (1u << k))) {
            assert_int_equal(got->facets[k].n, 0);
            continue;
        }
        assert_int_equal(got->facets[k].kind, k);
        assert_int_equal(got->facets[k].n, want->facets[k].n);
        for (size_t i = 0; i < want->facets[k].n; i++) {
            assert_string_equal(got->facets[k].values[i].value, want->facets[k].values[i].value);
            assert_int_equal(got->facets[k].values[i].count, want->facets[k].values[i].count);
        }
    }
    assert_str_or_null(got->suggestion, want->suggestion);
    assert_int_equal(got->simplified, want->simplified);
    assert_string_equal(got->message, want->message);
    assert_float_equal(got->took_ms, want->took_ms, 1e-6);
    assert_int_equal(got->revision, want->revision);
}

static void test_results_round_trip(void **state)
{
    acc_results *r = sample_results(), *back = NULL;
    acc_error err;
    (void)state;
    for (int pretty = 0; pretty <= 1; pretty++) {
        char *s = acc_results_json(r, pretty);
        assert_non_null(s);
        /* compact output is one line; pretty output is indented */
        assert_int_equal(strchr(s, '\n') != NULL, pretty);
        assert_int_equal(acc_utf8_valid(s, strlen(s)), 1);
        assert_int_equal(acc_results_from_json(s, strlen(s), &back, &err), ACC_OK);
        assert_results_equal(back, r);
        acc_results_free(back);
        back = NULL;
        free(s);
    }

    /* the second encoding of the decoded results is the same text */
    char *s1 = acc_results_json(r, 0);
    assert_int_equal(acc_results_from_json(s1, strlen(s1), &back, &err), ACC_OK);
    char *s2 = acc_results_json(back, 0);
    assert_string_equal(s1, s2);
    free(s1);
    free(s2);
    acc_results_free(back);
    acc_results_free(r);
}

static void test_results_json_shape(void **state)
{
    acc_results *r = sample_results();
    json_error_t jerr;
    (void)state;
    char *s = acc_results_json(r, 0);
    json_t *o = json_loads(s, 0, &jerr);
    assert_non_null(o);
    /* the keys in the documented order */
    static const char *const keys[] = {"total",   "total_exact", "hits",
                                       "facets",  "suggestion",  "simplified",
                                       "message", "took_ms",     "revision"};
    const char *prev = s;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char k[32];
        snprintf(k, sizeof k, "\"%s\":", keys[i]);
        const char *at = strstr(s, k);
        assert_non_null(at);
        assert_true(at >= prev);
        prev = at;
    }
    assert_int_equal(json_integer_value(json_object_get(o, "total")), 1234567);
    assert_true(json_is_true(json_object_get(o, "total_exact")));
    assert_true(json_is_true(json_object_get(o, "simplified")));
    json_t *h0 = json_array_get(json_object_get(o, "hits"), 0);
    assert_true(json_is_real(json_object_get(h0, "score")));
    assert_null(json_object_get(h0, "path"));
    assert_string_equal(json_string_value(json_object_get(h0, "title")),
                        "Accord de \"Paris\" \\ </script> \n\t\x01 中文");
    json_t *h1 = json_array_get(json_object_get(o, "hits"), 1);
    /* absent optional fields: "" for url and snippet, null article, no versions/explain */
    assert_string_equal(json_string_value(json_object_get(h1, "url")), "");
    assert_string_equal(json_string_value(json_object_get(h1, "snippet")), "");
    assert_true(json_is_null(json_object_get(h1, "article")));
    assert_null(json_object_get(h1, "versions"));
    assert_null(json_object_get(h1, "explain"));
    assert_int_equal(json_array_size(json_object_get(h1, "parties")), 0);
    assert_int_equal(json_array_size(json_object_get(h1, "topics")), 0);
    /* only the asked facets, an empty one included */
    json_t *f = json_object_get(o, "facets");
    assert_int_equal(json_object_size(f), 3);
    assert_int_equal(json_array_size(json_object_get(f, "year")), 0);
    assert_null(json_object_get(f, "type"));
    json_decref(o);
    free(s);

    /* an empty result: no facets, suggestion or message keys */
    acc_results empty;
    memset(&empty, 0, sizeof empty);
    s = acc_results_json(&empty, 0);
    assert_string_equal(s, "{\"total\":0,\"total_exact\":false,\"hits\":[],\"simplified\":false,"
                           "\"took_ms\":0.0,\"revision\":0}");
    acc_results *back = NULL;
    assert_int_equal(acc_results_from_json(s, strlen(s), &back, NULL), ACC_OK);
    assert_results_equal(back, &empty);
    assert_null(back->suggestion);
    acc_results_free(back);
    free(s);
    acc_results_free(r);
}

static void test_results_from_json_bad(void **state)
{
    static acc_results untouched;
    acc_results *r = &untouched; /* *out is not touched on error */
    acc_results *const sentinel = r;
    acc_error err;
    (void)state;
    static const char *const bad[] = {
        "", "{", "[]", "null", "{\"hits\":{}}", "{\"total\":3}", "{\"hits\":[]} x", "\"hits\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&err, 0, sizeof err);
        assert_int_equal(acc_results_from_json(bad[i], strlen(bad[i]), &r, &err), ACC_EINVAL);
        assert_int_equal(err.code, ACC_EINVAL);
        assert_ptr_equal(r, sentinel);
        assert_true(strncmp(err.msg, "not a search result: ", 21) == 0);
    }
    acc_results_from_json("{\"total\":3}", 11, &r, &err);
    assert_string_equal(err.msg, "not a search result: no \"hits\"");
    /* the length is respected: the valid prefix of a longer buffer */
    assert_int_equal(acc_results_from_json("{\"hits\":[]}garbage", 11, &r, &err), ACC_OK);
    assert_int_equal(r->nhits, 0);
    acc_results_free(r);

    /* hostile but well-formed: wrong types are ignored, never crash */
    const char *odd =
        "{\"total\":\"many\",\"total_exact\":1,\"hits\":[1,\"x\",null,[1,2],"
        "{\"id\":5,\"title\":[\"t\"],\"parties\":\"France\",\"topics\":[1,\"forests\",null],"
        "\"score\":\"high\",\"snippet\":7,\"article\":false,\"versions\":[1,{\"id\":2}],"
        "\"explain\":{}}],\"facets\":{\"lang\":[1,{\"value\":3,\"count\":\"x\"}],\"type\":7,"
        "\"bogus\":[]},\"simplified\":\"yes\",\"message\":5,\"took_ms\":\"x\",\"revision\":-1}";
    assert_int_equal(acc_results_from_json(odd, strlen(odd), &r, &err), ACC_OK);
    assert_int_equal(r->total, 0);
    assert_int_equal(r->total_exact, 0);
    assert_int_equal(r->simplified, 0);
    assert_string_equal(r->message, "");
    assert_int_equal(r->nhits, 5);
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(r->hits[i].id, "");
        assert_int_equal(r->hits[i].nparties, 0);
    }
    acc_hit *h = &r->hits[4];
    assert_string_equal(h->id, "");
    assert_string_equal(h->title, "");
    assert_int_equal(h->nparties, 0);
    assert_int_equal(h->ntopics, 1);
    assert_string_equal(h->topics[0], "forests");
    assert_float_equal(h->score, 0.0, 0);
    assert_null(h->snippet);
    assert_null(h->article);
    assert_null(h->explain);
    assert_int_equal(h->nversions, 2);
    assert_string_equal(h->versions[0].id, "");
    assert_string_equal(h->versions[1].lang, "");
    assert_int_equal(r->facets_asked, 1u << ACC_FACET_LANG);
    assert_int_equal(r->facets[ACC_FACET_LANG].n, 2);
    assert_string_equal(r->facets[ACC_FACET_LANG].values[1].value, "");
    assert_int_equal(r->facets[ACC_FACET_LANG].values[1].count, 0);
    acc_results_free(r);

    /* a message longer than the buffer is cut, NUL-terminated */
    char big[600];
    int n = snprintf(big, sizeof big, "{\"hits\":[],\"message\":\"%0300d\"}", 0);
    assert_int_equal(acc_results_from_json(big, (size_t)n, &r, &err), ACC_OK);
    assert_int_equal(strlen(r->message), sizeof r->message - 1);
    acc_results_free(r);

    acc_results_free(NULL);
}

/* ---- acc_error_json ---- */

static void test_error_json(void **state)
{
    char *s;
    (void)state;
    s = acc_error_json(400, "limit 101 is too large: the maximum is 100");
    assert_string_equal(
        s, "{\"error\":{\"code\":400,\"message\":\"limit 101 is too large: the maximum "
           "is 100\"}}");
    free(s);
    s = acc_error_json(404, "no document 'a\"b\\c</script>'\n\x01");
    assert_string_equal(s, "{\"error\":{\"code\":404,\"message\":\"no document "
                           "'a\\\"b\\\\c</script>'\\n\\u0001\"}}");
    free(s);
    s = acc_error_json(503, "énergie 中文");
    assert_string_equal(s, "{\"error\":{\"code\":503,\"message\":\"énergie 中文\"}}");
    free(s);
    /* what is not text is replaced, never copied */
    s = acc_error_json(400, "bad \xff byte");
    assert_string_equal(s, "{\"error\":{\"code\":400,\"message\":\"error\"}}");
    free(s);
    s = acc_error_json(500, NULL);
    assert_string_equal(s, "{\"error\":{\"code\":500,\"message\":\"error\"}}");
    free(s);
    s = acc_error_json(0, "");
    assert_string_equal(s, "{\"error\":{\"code\":0,\"message\":\"\"}}");
    free(s);
}

/* ---- the stored record ---- */

static const char record[] =
    "{\"id\":\"fr/paris\",\"title\":\"Accord de Paris \\\"COP21\\\"\",\"lang\":\"fr\","
    "\"date\":\"2015-12-12\",\"type\":\"treaty\",\"parties\":[\"France\",\"C\\u00f4te "
    "d'Ivoire\"],\"topics\":[\"climate-mitigation\"],\"url\":\"https://x.org/\","
    "\"path\":\"fr/paris.txt\",\"articles\":[{\"label\":\"Préambule\",\"offset\":0},"
    "{\"label\":\"Article premier\",\"offset\":120},{\"label\":\"Article 2\",\"offset\":480}]}";

/* An acc_hit inside a results struct, so that acc_results_free releases it. */
static acc_results *hit_box(void)
{
    acc_results *r = calloc(1, sizeof *r);
    r->hits = calloc(1, sizeof *r->hits);
    r->nhits = 1;
    return r;
}

static void test_hit_from_record(void **state)
{
    acc_results *box = hit_box();
    acc_hit *h = box->hits;
    (void)state;
    acc_hit_from_record(h, record, strlen(record));
    assert_string_equal(h->id, "fr/paris");
    assert_string_equal(h->title, "Accord de Paris \"COP21\"");
    assert_string_equal(h->lang, "fr");
    assert_string_equal(h->date, "2015-12-12");
    assert_string_equal(h->type, "treaty");
    assert_string_equal(h->path, "fr/paris.txt");
    assert_string_equal(h->url, "https://x.org/");
    assert_int_equal(h->nparties, 2);
    assert_string_equal(h->parties[0], "France");
    assert_string_equal(h->parties[1], "Côte d'Ivoire");
    assert_int_equal(h->ntopics, 1);
    assert_string_equal(h->topics[0], "climate-mitigation");
    assert_null(h->article); /* only the _at variant sets it */
    assert_null(h->snippet);
    acc_results_free(box);

    /* _at: the article containing the byte */
    const size_t at[] = {0, 119, 120, 479, 480, 100000};
    const char *const want[] = {"Préambule",       "Préambule", "Article premier",
                                "Article premier", "Article 2", "Article 2"};
    for (size_t i = 0; i < 6; i++) {
        box = hit_box();
        h = box->hits;
        acc_hit_from_record_at(h, record, strlen(record), at[i]);
        assert_string_equal(h->id, "fr/paris");
        assert_int_equal(h->nparties, 2);
        assert_non_null(h->article);
        assert_string_equal(h->article, want[i]);
        acc_results_free(box);
    }

    /* missing fields become "", missing lists empty; bad JSON is all "" */
    static const char *const poor[] = {"{}",
                                       "",
                                       "not json",
                                       "[1,2]",
                                       "{\"id\":1,\"parties\":{}}",
                                       "{\"id\":null,\"topics\":\"x\",\"articles\":{}}"};
    for (size_t i = 0; i < sizeof poor / sizeof poor[0]; i++) {
        box = hit_box();
        h = box->hits;
        acc_hit_from_record_at(h, poor[i], strlen(poor[i]), 10);
        assert_string_equal(h->id, "");
        assert_string_equal(h->title, "");
        assert_string_equal(h->lang, "");
        assert_string_equal(h->date, "");
        assert_string_equal(h->type, "");
        assert_string_equal(h->path, "");
        assert_string_equal(h->url, "");
        assert_int_equal(h->nparties, 0);
        assert_null(h->parties);
        assert_int_equal(h->ntopics, 0);
        assert_null(h->topics);
        assert_null(h->article);
        acc_results_free(box);
    }

    /* the record is (p, n): bytes after n are not read */
    char *buf = malloc(strlen(record) + 5);
    memcpy(buf, record, strlen(record));
    memcpy(buf + strlen(record), "\nTEXT", 5); /* no NUL after the record */
    box = hit_box();
    h = box->hits;
    acc_hit_from_record_at(h, buf, strlen(record), 130);
    assert_string_equal(h->id, "fr/paris");
    assert_string_equal(h->article, "Article premier");
    acc_results_free(box);
    free(buf);
}

static void test_record_article(void **state)
{
    char *a;
    (void)state;
    a = record_article(record, strlen(record), 200);
    assert_string_equal(a, "Article premier");
    free(a);
    a = record_article(record, strlen(record), 0);
    assert_string_equal(a, "Préambule");
    free(a);
    a = record_article(record, strlen(record), SIZE_MAX - 1);
    assert_string_equal(a, "Article 2");
    free(a);

    /* before the first article, or no articles: NULL */
    const char *late = "{\"articles\":[{\"label\":\"Article 1\",\"offset\":50}]}";
    assert_null(record_article(late, strlen(late), 49));
    a = record_article(late, strlen(late), 50);
    assert_string_equal(a, "Article 1");
    free(a);
    const char *none = "{\"id\":\"x\",\"articles\":[]}";
    assert_null(record_article(none, strlen(none), 0));
    assert_null(record_article("{\"id\":\"x\"}", 10, 5));
    assert_null(record_article("garbage", 7, 5));
    assert_null(record_article("", 0, 5));
    const char *neg = "{\"articles\":[{\"label\":\"A\",\"offset\":-1}]}";
    assert_null(record_article(neg, strlen(neg), 5));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_facet_names),        cmocka_unit_test(test_facets_parse),
        cmocka_unit_test(test_sort_parse),         cmocka_unit_test(test_query_init),
        cmocka_unit_test(test_query_set_lang),     cmocka_unit_test(test_query_check_bounds),
        cmocka_unit_test(test_query_check_shape),  cmocka_unit_test(test_query_cut),
        cmocka_unit_test(test_query_check_text),   cmocka_unit_test(test_query_check_filters),
        cmocka_unit_test(test_params_all),         cmocka_unit_test(test_params_none),
        cmocka_unit_test(test_params_numbers),     cmocka_unit_test(test_params_hostile),
        cmocka_unit_test(test_params_flags),       cmocka_unit_test(test_to_params),
        cmocka_unit_test(test_params_round_trip),  cmocka_unit_test(test_results_round_trip),
        cmocka_unit_test(test_results_json_shape), cmocka_unit_test(test_results_from_json_bad),
        cmocka_unit_test(test_error_json),         cmocka_unit_test(test_hit_from_record),
        cmocka_unit_test(test_record_article),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
