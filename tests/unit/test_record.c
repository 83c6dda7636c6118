/*
 * The stored record (lib/record.c): the binary record of index version 9 reads
 * back as the JSON record of version 8 did, field for field, and as /doc shows
 * it; every truncation of it, bytes after it and garbage are refused with empty
 * fields; JSON records of older indexes and of a server's answer still read.
 * And acc_json_text, the JSON strings of the answers, says what json_stringn says.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "accord/doc.h"
#include "accord/query.h"
#include "record.h"

static const char *parties[] = {"France", "Côte d'Ivoire", "", "A \"quoted\"\nparty"};
static const char *topics[] = {"climate-mitigation", "forests"};

static acc_doc sample(void)
{
    acc_doc d;
    memset(&d, 0, sizeof d);
    d.id = "fr/paris";
    d.title = "Accord de Paris \xe6\xb0\x94\xe5\x80\x99 \x01 end";
    strcpy(d.lang, "fr");
    strcpy(d.date, "2015-12-12");
    d.type = "treaty";
    d.parties = parties;
    d.nparties = 4;
    d.path = "fr/paris.txt";
    d.url = "https://unfccc.int/?a=1&b=2";
    d.topics = topics;
    d.ntopics = 2;
    return d;
}

static int rstr_is(acc_rstr s, const char *want)
{
    return s.n == strlen(want) && memcmp(s.p, want, s.n) == 0;
}

/* binary and JSON say the same, and /doc's object is the old record's */
static void same_as_json(const acc_doc *d)
{
    size_t n;
    char *bin = acc_record_encode(d, &n);
    char *js = acc_doc_record_json(d);
    acc_record b, j;
    assert_int_equal(bin[0], ACC_RECORD_BINARY);
    assert_int_equal(acc_record_decode(bin, n, &b), 1);
    assert_null(b.json);
    assert_int_equal(acc_record_decode(js, strlen(js), &j), 1);
    assert_non_null(j.json);
    acc_rstr *fb[] = {&b.id, &b.title, &b.lang, &b.date, &b.type, &b.url, &b.path};
    acc_rstr *fj[] = {&j.id, &j.title, &j.lang, &j.date, &j.type, &j.url, &j.path};
    for (size_t k = 0; k < sizeof fb / sizeof *fb; k++) {
        assert_int_equal(fb[k]->n, fj[k]->n);
        assert_memory_equal(fb[k]->p, fj[k]->p, fb[k]->n);
    }
    assert_int_equal(b.nparties, d->nparties);
    assert_int_equal(b.ntopics, d->ntopics);
    for (size_t i = 0; i < d->nparties; i++)
        assert_true(rstr_is(b.parties[i], d->parties[i]));
    for (size_t i = 0; i < d->ntopics; i++)
        assert_true(rstr_is(b.topics[i], d->topics[i]));
    json_t *ob = acc_record_json(&b), *oj = json_loads(js, 0, NULL);
    assert_true(json_equal(ob, oj));
    /* and in the same key order: /doc's answer does not change */
    char *sb = json_dumps(ob, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_string_equal(sb, js);
    free(sb);
    json_decref(ob);
    json_decref(oj);
    acc_record_release(&b);
    acc_record_release(&j);
    free(bin);
    free(js);
}

static void test_roundtrip(void **state)
{
    (void)state;
    acc_doc d = sample();
    same_as_json(&d);
    /* NULL title, type, url, path; no lists */
    acc_doc e;
    memset(&e, 0, sizeof e);
    e.id = "x";
    same_as_json(&e);
    /* a field of 200 bytes: a varint of two bytes */
    char long_title[201];
    memset(long_title, 'a', 200);
    long_title[200] = '\0';
    d.title = long_title;
    same_as_json(&d);
}

static void test_hit(void **state)
{
    (void)state;
    acc_doc d = sample();
    size_t n;
    char *bin = acc_record_encode(&d, &n);
    acc_hit h;
    memset(&h, 0, sizeof h);
    acc_hit_from_record_at(&h, bin, n, 100);
    assert_string_equal(h.id, "fr/paris");
    assert_string_equal(h.title, d.title);
    assert_string_equal(h.url, d.url);
    assert_int_equal(h.nparties, 4);
    assert_string_equal(h.parties[3], parties[3]);
    assert_string_equal(h.topics[1], "forests");
    assert_null(h.article); /* a binary record has no articles: they are in their slot */
    acc_results *box = calloc(1, sizeof *box);
    box->hits = calloc(1, sizeof *box->hits);
    box->hits[0] = h;
    box->nhits = 1;
    acc_results_free(box);
    free(bin);
}

static void expect_refused(const char *p, size_t n)
{
    acc_record r;
    assert_int_equal(acc_record_decode(p, n, &r), 0);
    assert_int_equal(r.id.n + r.title.n + r.lang.n + r.url.n + r.path.n, 0);
    assert_int_equal(r.nparties + r.ntopics, 0);
    assert_null(r.json);
    acc_record_release(&r);
}

static void test_corrupt(void **state)
{
    (void)state;
    acc_doc d = sample();
    size_t n;
    char *bin = acc_record_encode(&d, &n);
    /* every truncation (ASan: none reads past its end) */
    for (size_t k = 0; k < n; k++) {
        char *cut = malloc(k ? k : 1);
        memcpy(cut, bin, k);
        expect_refused(cut, k);
        free(cut);
    }
    /* bytes after it */
    char *more = malloc(n + 1);
    memcpy(more, bin, n);
    more[n] = 'x';
    expect_refused(more, n + 1);
    /* a count of parties far past the end, a length of 2^63 */
    static const char huge_count[] = "\x01\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff\x0f";
    expect_refused(huge_count, sizeof huge_count - 1);
    static const char huge_len[] = "\x01\xff\xff\xff\xff\xff\xff\xff\xff\x7f";
    expect_refused(huge_len, sizeof huge_len - 1);
    static const char endless_varint[] = "\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff";
    expect_refused(endless_varint, sizeof endless_varint - 1);
    expect_refused("not json", 8);
    expect_refused("[1,2]", 5);
    expect_refused("", 0);
    free(more);
    free(bin);
}

static void test_json_records(void **state)
{
    (void)state;
    /* a JSON record with unexpected types: strings read, the rest is empty */
    const char *s = "{\"id\":\"a\",\"title\":7,\"parties\":[\"p\",3,null,\"q\"],\"topics\":\"x\"}";
    acc_record r;
    assert_int_equal(acc_record_decode(s, strlen(s), &r), 1);
    assert_true(rstr_is(r.id, "a"));
    assert_true(rstr_is(r.title, ""));
    assert_int_equal(r.nparties, 2);
    assert_true(rstr_is(r.parties[1], "q"));
    assert_int_equal(r.ntopics, 0);
    acc_record_release(&r);
}

static void test_json_text(void **state)
{
    (void)state;
    /* as json_stringn: the same string for UTF-8 (NUL inside too), NULL for the rest */
    const char *ok[] = {"", "plain ascii longer than eight", "Côte d'Ivoire 气候 \xF0\x9F\x8C\x8D"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        json_t *a = acc_json_cstr(ok[i]), *b = json_string(ok[i]);
        assert_non_null(a);
        assert_true(json_equal(a, b));
        json_decref(a);
        json_decref(b);
    }
    json_t *nul = acc_json_text("a\0b", 3);
    assert_int_equal(json_string_length(nul), 3);
    json_decref(nul);
    const char *bad[] = {"abcdefgh\xC3", "\xED\xA0\x80 surrogate",
                         "12345678\x80"
                         "123"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_null(acc_json_cstr(bad[i]));
        assert_null(json_string(bad[i]));
    }
    assert_null(acc_json_cstr(NULL));
    assert_null(acc_json_text(NULL, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip), cmocka_unit_test(test_hit),
        cmocka_unit_test(test_corrupt),   cmocka_unit_test(test_json_records),
        cmocka_unit_test(test_json_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
