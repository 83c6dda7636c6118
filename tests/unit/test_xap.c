/*
 * The C API of the index wrapper (lib/xap.cc), compiled as C: distinct
 * statuses for a missing index, a locked index and a directory that is not an
 * index; put/search round trips; query checks; HTML escaping of snippets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "accord/schema.h"
#include "accord/index.h"
#include "accord/writer.h"
#include "fixture.h"

/* Builds and writes d (acc_docbuild + acc_writer_write). */
static acc_status put_doc(acc_writer *w, const acc_doc *d, int *replaced, acc_error *err)
{
    acc_built_doc *b = NULL;
    acc_status st = acc_docbuild(d, NULL, &b, err);
    if (st == ACC_OK)
        st = acc_writer_write(w, b, replaced, err);
    acc_built_doc_free(b);
    return st;
}

static int setup(void **state)
{
    (void)state;
    return fx_setup("xap");
}

static int teardown(void **state)
{
    (void)state;
    return fx_teardown();
}

static void test_missing_index(void **state)
{
    acc_index *db = NULL;
    acc_error err;
    char p[300];
    (void)state;
    fx_path(p, sizeof p, "does-not-exist");
    assert_int_equal(acc_index_open(p, &db, &err), ACC_EDB_NOTFOUND);
    assert_null(db);
    assert_int_equal(err.code, ACC_EDB_NOTFOUND);
    assert_non_null(strstr(err.msg, "cannot open index '"));
    assert_non_null(strstr(err.msg, "does-not-exist"));
}

static void test_not_an_index(void **state)
{
    acc_index *db = NULL;
    acc_error err;
    char p[300];
    FILE *f;
    (void)state;
    fx_path(p, sizeof p, "plain-dir");
    assert_int_equal(mkdir(p, 0700), 0);
    assert_int_equal(acc_index_open(p, &db, &err), ACC_EDB_NOTINDEX);
    assert_null(db);
    assert_non_null(strstr(err.msg, "not an accord index"));

    fx_path(p, sizeof p, "plain-file");
    f = fopen(p, "w");
    assert_non_null(f);
    fputs("hello\n", f);
    fclose(f);
    assert_int_equal(acc_index_open(p, &db, &err), ACC_EDB_NOTINDEX);
    assert_null(db);
}

static void put(acc_writer *w, const char *id, const char *lang, const char *title,
                const char *text)
{
    acc_doc d;
    acc_error err;
    memset(&d, 0, sizeof d);
    d.id = id;
    d.title = title;
    strcpy(d.lang, lang);
    strcpy(d.date, "2020-01-02");
    d.type = "treaty";
    d.text = text;
    d.text_len = strlen(text);
    assert_int_equal(put_doc(w, &d, NULL, &err), ACC_OK);
}

static void test_locked_index(void **state)
{
    acc_writer *w1 = NULL, *w2 = NULL;
    acc_index *r = NULL;
    acc_error err;
    char p[300];
    (void)state;
    fx_path(p, sizeof p, "locked.db");
    assert_int_equal(acc_writer_open(p, &w1, &err), ACC_OK);
    put(w1, "a", "en", "A", "climate text");
    assert_int_equal(acc_writer_commit(w1, &err), ACC_OK);

    assert_int_equal(acc_writer_open(p, &w2, &err), ACC_EDB_LOCKED);
    assert_null(w2);
    assert_non_null(strstr(err.msg, "locked by another accord-index"));
    /* readers are not blocked by the writer */
    assert_int_equal(acc_index_open(p, &r, &err), ACC_OK);
    acc_index_close(r);
    acc_writer_close(w1);
    /* the lock is released with the writer */
    assert_int_equal(acc_writer_open(p, &w2, &err), ACC_OK);
    acc_writer_close(w2);
}

static acc_results *search(acc_index *db, const char *q, const char *lang)
{
    acc_query query;
    acc_results *r = NULL;
    acc_error err;
    acc_query_init(&query);
    query.text = q;
    query.text_len = strlen(q);
    assert_int_equal(acc_query_set_lang(&query, lang, &err), ACC_OK);
    assert_int_equal(acc_index_search(db, &query, &r, &err), ACC_OK);
    return r;
}

static void test_round_trip(void **state)
{
    acc_writer *w = NULL;
    acc_index *db = NULL;
    acc_results *r;
    acc_error err;
    char p[300];
    int replaced = -1;
    acc_doc d;
    (void)state;
    fx_path(p, sizeof p, "rt.db");
    assert_int_equal(acc_writer_open(p, &w, &err), ACC_OK);
    assert_int_equal(acc_writer_begin(w, &err), ACC_OK);
    put(w, "fr1", "fr", "Accord", "La protection de l'environnement et des forêts.");
    put(w, "en1", "en", "<script>alert(1)</script> Forests",
        "Forests & <script>alert('x')</script> protection of forests.");
    put(w, "de1", "de", "Wald", "Schutz der Wälder in Paris.");
    /* nothing is visible before the commit */
    assert_int_equal(acc_index_open(p, &db, &err), ACC_OK);
    r = search(db, "", NULL);
    assert_int_equal(r->total, 0);
    acc_results_free(r);
    assert_int_equal(acc_writer_commit(w, &err), ACC_OK);

    r = search(db, "forest", NULL);
    assert_int_equal(r->nhits, 1);
    assert_string_equal(r->hits[0].id, "en1");
    assert_string_equal(r->hits[0].title, "<script>alert(1)</script> Forests");
    /* the snippet is HTML-escaped, with markup only around matches */
    assert_null(strstr(r->hits[0].snippet, "<script"));
    assert_non_null(strstr(r->hits[0].snippet, "&lt;script&gt;"));
    assert_non_null(strstr(r->hits[0].snippet, "<mark>"));
    acc_results_free(r);

    r = search(db, "forets", NULL);
    assert_int_equal(r->nhits, 1);
    assert_string_equal(r->hits[0].id, "fr1");
    acc_results_free(r);

    r = search(db, "walder", "de");
    assert_int_equal(r->nhits, 1);
    acc_results_free(r);
    r = search(db, "walder", "fr");
    assert_int_equal(r->nhits, 0);
    acc_results_free(r);

    /* a pure negation returns the other documents, never the excluded one */
    r = search(db, "-paris", NULL);
    assert_int_equal(r->total, 2);
    for (size_t i = 0; i < r->nhits; i++)
        assert_string_not_equal(r->hits[i].id, "de1");
    acc_results_free(r);

    /* replace by id */
    memset(&d, 0, sizeof d);
    d.id = "de1";
    strcpy(d.lang, "de");
    d.text = "Neuer Text.";
    d.text_len = strlen(d.text);
    assert_int_equal(put_doc(w, &d, &replaced, &err), ACC_OK);
    assert_int_equal(replaced, 1);
    assert_int_equal(acc_writer_commit(w, &err), ACC_OK);
    assert_int_equal(acc_writer_doccount(w), 3);
    r = search(db, "paris", NULL);
    assert_int_equal(r->total, 0);
    acc_results_free(r);

    acc_index_close(db);
    acc_writer_close(w);
}

/*
 * A text of many stored chunks (schema.h: ACC_TEXT_CHUNK): /doc gives it back
 * byte for byte, including multi-byte characters and a long run without a
 * space at the chunk cuts; a word deep in the text gets its snippet from the
 * right chunk (found through positions) with the right article label; a
 * match through a stem only (no exact word) is found by scanning.
 */
static void test_long_text(void **state)
{
    acc_writer *w = NULL;
    acc_index *db = NULL;
    acc_results *r;
    acc_error err;
    char p[300];
    acc_doc d;
    (void)state;
    const size_t size = 40 * ACC_TEXT_CHUNK;
    char *text = malloc(size + 64);
    size_t n = 0, deep = 0, deeper = 0;
    static const char *const filler[] = {"réseau ", "中国 ", "protection ", "des ", "océans ",
                                         "et ",     "du ",   "climat ",     "n° ",  "€ "};
    assert_non_null(text);
    for (size_t i = 0; n < size; i++) {
        if (n > 11 * ACC_TEXT_CHUNK && !deep) {
            deep = n;
            n += (size_t)sprintf(text + n, "Article 9 zanzibarite ");
        } else if (n > 31 * ACC_TEXT_CHUNK && !deeper) {
            deeper = n;
            n += (size_t)sprintf(text + n, "deforested ");
        } else if (i % 997 == 0) {
            /* 600 bytes without a space or newline: a cut inside a run */
            for (int k = 0; k < 300; k++)
                n += (size_t)sprintf(text + n, "é");
            text[n++] = ' ';
        } else {
            const char *f = filler[i % 10];
            memcpy(text + n, f, strlen(f));
            n += strlen(f);
        }
    }
    text[n] = '\0';
    acc_article arts[2] = {{"Article 1", 0}, {"Article 9", deep}};

    fx_path(p, sizeof p, "long.db");
    assert_int_equal(acc_writer_open(p, &w, &err), ACC_OK);
    memset(&d, 0, sizeof d);
    d.id = "long1";
    d.title = "A long agreement";
    strcpy(d.lang, "en");
    d.type = "treaty";
    d.text = text;
    d.text_len = n;
    d.articles = arts;
    d.narticles = 2;
    assert_int_equal(put_doc(w, &d, NULL, &err), ACC_OK);
    assert_int_equal(acc_writer_commit(w, &err), ACC_OK);
    assert_int_equal(acc_index_open(p, &db, &err), ACC_OK);

    /* the stored text comes back whole */
    char *json = acc_index_doc_json(db, "long1", &err);
    assert_non_null(json);
    json_t *o = json_loads(json, 0, NULL);
    assert_non_null(o);
    const char *back = json_string_value(json_object_get(o, "text"));
    assert_non_null(back);
    assert_int_equal(json_string_length(json_object_get(o, "text")), n);
    assert_memory_equal(back, text, n);
    json_decref(o);
    free(json);

    r = search(db, "zanzibarite", NULL);
    assert_int_equal(r->nhits, 1);
    assert_non_null(strstr(r->hits[0].snippet, "<mark>zanzibarite</mark>"));
    assert_non_null(r->hits[0].article);
    assert_string_equal(r->hits[0].article, "Article 9");
    acc_results_free(r);

    /* "deforestation" matches "deforested" through the English stem only */
    r = search(db, "deforestation", NULL);
    assert_int_equal(r->nhits, 1);
    assert_non_null(strstr(r->hits[0].snippet, "<mark>deforested</mark>"));
    acc_results_free(r);

    acc_index_close(db);
    acc_writer_close(w);
    free(text);
}

static void test_query_checks(void **state)
{
    acc_writer *w = NULL;
    acc_index *db = NULL;
    acc_query q;
    acc_results *r = NULL;
    acc_error err;
    char p[300], *big;
    (void)state;
    fx_path(p, sizeof p, "qc.db");
    assert_int_equal(acc_writer_open(p, &w, &err), ACC_OK);
    put(w, "x", "en", "X", "some climate text");
    assert_int_equal(acc_writer_commit(w, &err), ACC_OK);
    acc_writer_close(w);
    assert_int_equal(acc_index_open(p, &db, &err), ACC_OK);

    acc_query_init(&q);
    q.text = "bad\xff";
    q.text_len = 4;
    assert_int_equal(acc_index_search(db, &q, &r, &err), ACC_EINVAL);
    assert_string_equal(err.msg, "query is not valid UTF-8");

    big = malloc(10240);
    memset(big, 'a', 10240);
    q.text = big;
    q.text_len = 10240;
    assert_int_equal(acc_index_search(db, &q, &r, &err), ACC_EINVAL);
    assert_non_null(strstr(err.msg, "query too long"));
    /* a pasted paragraph: its first 64 words are searched, and the answer says so */
    size_t bn = 0;
    for (int i = 0; i < 100; i++)
        bn += (size_t)snprintf(big + bn, 10240 - bn, "%s ", i ? "word" : "climate");
    q.text = big;
    q.text_len = bn;
    assert_int_equal(acc_index_search(db, &q, &r, &err), ACC_OK);
    assert_int_equal(r->words_typed, 100);
    assert_non_null(strstr(r->message, "its first 64 were searched"));
    acc_results_free(r);
    free(big);

    q.text = "climate";
    q.text_len = 7;
    q.limit = ACC_LIMIT_MAX + 1;
    assert_int_equal(acc_index_search(db, &q, &r, &err), ACC_EINVAL);
    q.limit = 10;
    q.offset = ACC_OFFSET_MAX + 1;
    assert_int_equal(acc_index_search(db, &q, &r, &err), ACC_EINVAL);

    assert_int_equal(acc_query_set_lang(&q, "french!", &err), ACC_EINVAL);

    /* syntax errors are searched as plain words and say so */
    q.offset = 0;
    q.text = "climate AND";
    q.text_len = strlen(q.text);
    assert_int_equal(acc_index_search(db, &q, &r, &err), ACC_OK);
    assert_int_equal(r->simplified, 1);
    assert_int_equal(r->nhits, 1);
    assert_true(strlen(r->message) > 0);
    acc_results_free(r);

    acc_index_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_index), cmocka_unit_test(test_not_an_index),
        cmocka_unit_test(test_locked_index),  cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_query_checks),  cmocka_unit_test(test_long_text),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
