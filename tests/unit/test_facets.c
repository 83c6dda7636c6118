/*
 * lib/facets.c (lib/facets.h) on a small index: which facets a request
 * filters on, facet counts over every match (languages, types, topics and
 * parties as lists, years newest first), most frequent first with ties in
 * value order, a spy riding on a match giving the counts a match of its own
 * gives, empty facets, and the ACC_FACET_MAX_VALUES cut; the two passes of a
 * large index (ranking apart from counting) answer as the one pass does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "accord/schema.h"
#include "facets.h"
#include "fixture.h"
#include "reader.h"

static acc_index *x;

static const fx_doc docs[] = {
    {.id = "a",
     .lang = "en",
     .type = "treaty",
     .date = "2015-12-12",
     .text = "climate",
     .parties = {"France", "Germany"},
     .topics = {"climate", "energy"}},
    {.id = "b",
     .lang = "fr",
     .type = "Treaty",
     .date = "2015",
     .text = "climat",
     .parties = {"France"},
     .topics = {"climate"}},
    {.id = "c",
     .lang = "de",
     .type = "protocol",
     .date = "2019-01",
     .text = "Klima",
     .parties = {"Germany", "Austria"},
     .topics = {"water"}},
    {.id = "d", .lang = "en", .type = "report", .date = "2001", .text = "water"},
    {.id = "e", .lang = "en", .text = "nothing else"},
};

static int setup(void **state)
{
    (void)state;
    if (fx_setup("facets") != 0)
        return -1;
    x = fx_open("f.db", docs, sizeof docs / sizeof docs[0]);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    acc_index_close(x);
    return fx_teardown();
}

static void test_filtered(void **state)
{
    acc_query q;
    (void)state;
    acc_query_init(&q);
    for (int k = 0; k < ACC_FACET_COUNT; k++)
        assert_false(acc_facet_filtered(&q, (acc_facet_kind)k));
    q.type = "";
    q.topic = "";
    q.party = "";
    for (int k = 0; k < ACC_FACET_COUNT; k++)
        assert_false(acc_facet_filtered(&q, (acc_facet_kind)k));
    strcpy(q.lang, "fr");
    assert_true(acc_facet_filtered(&q, ACC_FACET_LANG));
    assert_false(acc_facet_filtered(&q, ACC_FACET_TYPE));
    q.type = "treaty";
    assert_true(acc_facet_filtered(&q, ACC_FACET_TYPE));
    q.topic = "climate";
    assert_true(acc_facet_filtered(&q, ACC_FACET_TOPIC));
    q.party = "France";
    assert_true(acc_facet_filtered(&q, ACC_FACET_PARTY));
    assert_false(acc_facet_filtered(&q, ACC_FACET_YEAR));
    q.year_from = 2015;
    assert_true(acc_facet_filtered(&q, ACC_FACET_YEAR));
    q.year_from = 0;
    q.year_to = 2015;
    assert_true(acc_facet_filtered(&q, ACC_FACET_YEAR));
}

/* A facet as "value=count value=count ..." (freed). */
static const char *str(acc_facet *f)
{
    static char s[1024];
    s[0] = '\0';
    for (size_t i = 0; i < f->n; i++)
        snprintf(s + strlen(s), sizeof s - strlen(s), "%s%s=%lu", i ? " " : "", f->values[i].value,
                 f->values[i].count);
    for (size_t i = 0; i < f->n; i++)
        free(f->values[i].value);
    free(f->values);
    return s;
}

static const char *count(const acc_xap_query *q, acc_facet_kind k)
{
    acc_facet f;
    acc_error err;
    memset(&f, 0xff, sizeof f);
    assert_int_equal(acc_facet_count(x, q, k, 0, &f, &err), ACC_OK);
    assert_int_equal(f.kind, k);
    assert_non_null(f.values); /* never NULL, even when empty */
    return str(&f);
}

static void test_counts(void **state)
{
    acc_xap_query *all = acc_xap_query_all();
    (void)state;
    /* most frequent first, equal counts in value order */
    assert_string_equal(count(all, ACC_FACET_LANG), "en=3 de=1 fr=1");
    /* values as indexed: folded (Treaty and treaty are one) */
    assert_string_equal(count(all, ACC_FACET_TYPE), "treaty=2 protocol=1 report=1");
    /* lists: each item counted */
    assert_string_equal(count(all, ACC_FACET_TOPIC), "climate=2 energy=1 water=1");
    assert_string_equal(count(all, ACC_FACET_PARTY), "france=2 germany=2 austria=1");
    /* years: newest first, whatever the counts */
    assert_string_equal(count(all, ACC_FACET_YEAR), "2019=1 2015=2 2001=1");

    /* over the matches of a query only */
    acc_xap_query *q = acc_xap_query_term("XLen", 4);
    assert_string_equal(count(q, ACC_FACET_LANG), "en=3");
    assert_string_equal(count(q, ACC_FACET_TYPE), "report=1 treaty=1");
    assert_string_equal(count(q, ACC_FACET_YEAR), "2015=1 2001=1");
    acc_xap_query_free(q);
    /* no match: empty */
    q = acc_xap_query_none();
    assert_string_equal(count(q, ACC_FACET_TOPIC), "");
    acc_xap_query_free(q);
    q = acc_xap_query_term("XLzh", 4);
    assert_string_equal(count(q, ACC_FACET_PARTY), "");
    acc_xap_query_free(q);
    acc_xap_query_free(all);
}

static void test_spy(void **state)
{
    acc_xap_query *q = acc_xap_query_term("XTtreaty", 8), *all = acc_xap_query_all();
    acc_xap_spy *spies[ACC_FACET_COUNT];
    acc_xap_match_opts o;
    acc_xap_match *m = NULL;
    acc_error err;
    (void)state;
    /* reading each document's value, then (as a large index) from the slots' columns */
    for (int large = 0; large < 2; large++) {
        acc_index_set_large_from(x, large ? 1 : ACC_LARGE_FROM);
        for (int k = 0; k < ACC_FACET_COUNT; k++)
            spies[k] = acc_facet_spy(x, (acc_facet_kind)k);
        acc_xap_match_opts_init(&o);
        o.limit = 1; /* the spies see every match, not only the hits returned */
        o.check_at_least = 100;
        o.spies = spies;
        o.nspies = ACC_FACET_COUNT;
        assert_int_equal(acc_xap_match_run(x->db, q, &o, &m, &err), ACC_OK);
        for (int k = 0; k < ACC_FACET_COUNT; k++) {
            acc_facet f;
            char want[1024];
            acc_facet_read(spies[k], (acc_facet_kind)k, &f);
            assert_int_equal(f.kind, k);
            snprintf(want, sizeof want, "%s", count(q, (acc_facet_kind)k));
            assert_string_equal(str(&f), want);
            acc_facet_spy_free(spies[k]);
        }
        acc_xap_match_free(m);
        if (large)
            assert_non_null(acc_index_column(x, ACC_SLOT_LANG)); /* one local database */
    }
    acc_index_set_large_from(x, ACC_LARGE_FROM);

    /* a spy that counted nothing */
    acc_facet f;
    acc_xap_spy *s = acc_facet_spy(x, ACC_FACET_LANG);
    acc_facet_read(s, ACC_FACET_LANG, &f);
    assert_int_equal(f.n, 0);
    assert_non_null(f.values);
    free(f.values);
    acc_facet_spy_free(s);
    acc_xap_query_free(q);
    acc_xap_query_free(all);
}

static void test_max_values(void **state)
{
    char path[512], names[250][8];
    const char *parties[250];
    acc_writer *w = NULL;
    acc_index *big = NULL;
    acc_built_doc *b = NULL;
    acc_error err;
    acc_doc d;
    (void)state;
    /* one document with 250 parties p000..p249, one with p249 and p248 */
    for (int i = 0; i < 250; i++) {
        snprintf(names[i], sizeof names[i], "p%03d", i);
        parties[i] = names[i];
    }
    fx_path(path, sizeof path, "big.db");
    assert_int_equal(acc_writer_open(path, &w, &err), ACC_OK);
    memset(&d, 0, sizeof d);
    d.id = "many";
    strcpy(d.lang, "en");
    d.parties = parties;
    d.nparties = 250;
    d.text = "x";
    d.text_len = 1;
    assert_int_equal(acc_docbuild(&d, NULL, &b, &err), ACC_OK);
    assert_int_equal(acc_writer_write(w, b, NULL, &err), ACC_OK);
    acc_built_doc_free(b);
    d.id = "two";
    d.parties = parties + 248;
    d.nparties = 2;
    assert_int_equal(acc_docbuild(&d, NULL, &b, &err), ACC_OK);
    assert_int_equal(acc_writer_write(w, b, NULL, &err), ACC_OK);
    acc_built_doc_free(b);
    assert_int_equal(acc_writer_commit(w, &err), ACC_OK);
    acc_writer_close(w);
    assert_int_equal(acc_index_open(path, &big, &err), ACC_OK);

    acc_xap_query *all = acc_xap_query_all();
    acc_facet f;
    assert_int_equal(acc_facet_count(big, all, ACC_FACET_PARTY, 0, &f, &err), ACC_OK);
    /* the most frequent (p248, p249), then the first in value order */
    assert_int_equal(f.n, ACC_FACET_MAX_VALUES);
    assert_string_equal(f.values[0].value, "p248");
    assert_int_equal(f.values[0].count, 2);
    assert_string_equal(f.values[1].value, "p249");
    assert_string_equal(f.values[2].value, "p000");
    assert_int_equal(f.values[2].count, 1);
    assert_string_equal(f.values[ACC_FACET_MAX_VALUES - 1].value, "p197");
    for (size_t i = 0; i < f.n; i++)
        free(f.values[i].value);
    free(f.values);
    acc_xap_query_free(all);
    acc_index_close(big);
}

/* A search's answer as text: total, exactness, hits (id, score, snippet), facets. */
static void answer(acc_index *ix, const char *text, const char *type, char *out, size_t n)
{
    acc_query q;
    acc_results *r = NULL;
    acc_error err;
    acc_query_init(&q);
    q.text = text;
    q.text_len = strlen(text);
    q.type = type;
    q.limit = 3;
    assert_int_equal(acc_facets_parse("lang,type,topic,party,year", &q.facets, &err), ACC_OK);
    assert_int_equal(acc_index_search(ix, &q, &r, &err), ACC_OK);
    size_t k = (size_t)snprintf(out, n, "%lu%s|", r->total, r->total_exact ? "" : "~");
    for (size_t i = 0; i < r->nhits && k < n; i++)
        k += (size_t)snprintf(out + k, n - k, "%s %.6f %s|", r->hits[i].id, r->hits[i].score,
                              r->hits[i].snippet ? r->hits[i].snippet : "");
    for (int f = 0; f < ACC_FACET_COUNT && k < n; f++)
        for (size_t i = 0; i < r->facets[f].n && k < n; i++)
            k += (size_t)snprintf(out + k, n - k, "%d:%s=%lu ", f, r->facets[f].values[i].value,
                                  r->facets[f].values[i].count);
    acc_results_free(r);
}

/* A large index ranks in one match and counts totals and facets in another (lib/search.c):
   the same answers as the one match of a small index, boosts, fill, filters and all. */
static void test_two_passes(void **state)
{
    static const fx_doc more[] = {
        {.id = "t1",
         .lang = "en",
         .type = "treaty",
         .date = "2015",
         .topics = {"climate"},
         .parties = {"France"},
         .text = "climate change and the change of climate policy"},
        {.id = "t2",
         .lang = "en",
         .type = "plan",
         .date = "2019",
         .topics = {"water"},
         .text = "water management in a changing climate, climate change adaptation"},
        {.id = "t3",
         .lang = "fr",
         .type = "treaty",
         .date = "2001",
         .parties = {"France"},
         .text = "changement climatique et gestion de l'eau"},
        {.id = "t4",
         .lang = "en",
         .type = "plan",
         .date = "2021",
         .topics = {"forests"},
         .text = "forest management plan; climate resilient forests"},
        {.id = "t5",
         .lang = "de",
         .type = "law",
         .date = "2020",
         .parties = {"Germany"},
         .text = "Klimawandel und Wasser"},
    };
    static const char *const queries[][2] = {
        {"climate change", NULL},
        {"climate", NULL},
        {"water management", NULL},
        {"climate -water", NULL},
        {"\"climate change\"", NULL},
        {"climate", "plan"},
        {"forest water", NULL},
        {"nothingatall", NULL},
        {"", NULL},
    };
    (void)state;
    acc_index *ix = fx_open("two-passes", more, sizeof more / sizeof more[0]);
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        char one[4096], two[4096];
        acc_index_set_large_from(ix, ACC_LARGE_FROM);
        answer(ix, queries[i][0], queries[i][1], one, sizeof one);
        acc_index_set_large_from(ix, 1);
        answer(ix, queries[i][0], queries[i][1], two, sizeof two);
        assert_string_equal(one, two);
    }
    acc_index_close(ix);
}

/* a column follows the index: a document added, changed or deleted after it was loaded is
   counted as it is now */
static void test_column_revisions(void **state)
{
    char path[512];
    acc_writer *w = NULL;
    acc_index *ix = NULL;
    acc_built_doc *b = NULL;
    acc_error err;
    acc_doc d;
    (void)state;
    fx_path(path, sizeof path, "columns.db");
    static const char *const steps[][3] = {
        /* id, lang (NULL: delete), the lang facet afterwards */
        {"a", "en", "en=1 "},
        {"b", "fr", "en=1 fr=1 "},
        {"a", "de", "de=1 fr=1 "},
        {"b", NULL, "de=1 "},
    };
    assert_int_equal(acc_writer_open(path, &w, &err), ACC_OK);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        if (steps[i][1]) {
            memset(&d, 0, sizeof d);
            d.id = steps[i][0];
            strcpy(d.lang, steps[i][1]);
            d.text = "water";
            d.text_len = 5;
            assert_int_equal(acc_docbuild(&d, NULL, &b, &err), ACC_OK);
            assert_int_equal(acc_writer_write(w, b, NULL, &err), ACC_OK);
            acc_built_doc_free(b);
        } else {
            assert_int_equal(acc_writer_delete(w, steps[i][0], &err), ACC_OK);
        }
        assert_int_equal(acc_writer_commit(w, &err), ACC_OK);
        if (!ix) {
            assert_int_equal(acc_index_open(path, &ix, &err), ACC_OK);
            acc_index_set_large_from(ix, 1);
        }
        acc_query q;
        acc_results *r = NULL;
        acc_query_init(&q);
        q.text = "water";
        q.text_len = 5;
        q.facets = 1u << ACC_FACET_LANG;
        assert_int_equal(acc_index_search(ix, &q, &r, &err), ACC_OK);
        char got[256];
        size_t k = 0;
        got[0] = '\0';
        for (size_t j = 0; j < r->facets[ACC_FACET_LANG].n; j++)
            k += (size_t)snprintf(got + k, sizeof got - k, "%s=%lu ",
                                  r->facets[ACC_FACET_LANG].values[j].value,
                                  r->facets[ACC_FACET_LANG].values[j].count);
        assert_string_equal(got, steps[i][2]);
        assert_non_null(acc_index_column(ix, ACC_SLOT_LANG));
        acc_results_free(r);
    }
    acc_writer_close(w);
    acc_index_close(ix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_filtered),   cmocka_unit_test(test_counts),
        cmocka_unit_test(test_spy),        cmocka_unit_test(test_max_values),
        cmocka_unit_test(test_two_passes), cmocka_unit_test(test_column_revisions),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
