/*
 * lib/proximity.c: words typed together, tested from positions on the best documents.
 * - acc_prox_test: the phrase (in order, consecutive, found after a false start, a word
 *   repeated), the words near each other (within their number plus the slack, not at it,
 *   any order), a word missing;
 * - acc_proxset_add: the terms in the order typed, phrases kept once, one word is no phrase;
 * - acc_prox_rescore: the words' BM25 weight (as Xapian's match gives it) times the phrase's
 *   or the near boost, added; the new order, the window, offset and limit;
 * - the position cursor of the Xapian layer (acc_xap_poscur_*, its bulk read, and
 *   acc_xap_db_positions on it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "proximity.h"
#include "termgen.h"
#include "xap.h"

/* A pointer no call may leave (for "*out is set to NULL"). */
static char sentinel;
#define UNTOUCHED_PTR ((void *)&sentinel)

static int setup(void **state)
{
    (void)state;
    return fx_setup("proximity");
}

static int teardown(void **state)
{
    (void)state;
    return fx_teardown();
}

/* documents 1.. of "word@pos" postings, one string each, words separated by spaces */
static const char *const docs[] = {
    "greenhouse@1 gas@2 emissions@3",                       /* 1: the phrase */
    "emissions@1 gas@5 greenhouse@9",                       /* 2: near (span 8 < 9) */
    "greenhouse@1 gas@20 emissions@40",                     /* 3: neither */
    "greenhouse@1 gas@2",                                   /* 4: emissions missing */
    "greenhouse@1 gas@5 greenhouse@10 gas@11 emissions@12", /* 5: the phrase, second try */
    "emissions@1 gas@5 greenhouse@10",                      /* 6: span 9: not near */
    "fish@1 and@2 fish@3",                                  /* 7: a word repeated */
    "fish@1 and@2 chips@3",                                 /* 8: not "fish and fish" */
    "gas@3 greenhouse@100 gas@101 emissions@102 gas@200",   /* 9: the phrase, late */
};
#define NDOCS (sizeof docs / sizeof docs[0])

static acc_xap_db *open_index(void)
{
    static char path[512];
    static int made;
    acc_error err;
    if (!made) {
        acc_xap_wdb *w = NULL;
        fx_path(path, sizeof path, "prox.db");
        assert_int_equal(acc_xap_wdb_open(path, &w, &err), ACC_OK);
        for (size_t i = 0; i < NDOCS; i++) {
            acc_xap_doc *d = acc_xap_doc_new();
            char buf[256], q[16];
            snprintf(buf, sizeof buf, "%s", docs[i]);
            for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " ")) {
                char *at = strchr(tok, '@');
                acc_xap_doc_add_posting(d, tok, (size_t)(at - tok), (unsigned)atoi(at + 1), 1);
            }
            int n = snprintf(q, sizeof q, "Q%zu", i + 1);
            acc_xap_doc_add_term(d, q, (size_t)n, 0);
            /* languages: 5 French with English passages, 9 French, the others English */
            const char *lang = i + 1 == 5 || i + 1 == 9 ? "XLfr" : "XLen";
            acc_xap_doc_add_term(d, lang, 4, 0);
            if (i + 1 == 5)
                acc_xap_doc_add_term(d, "XQen", 4, 0);
            assert_int_equal(acc_xap_wdb_replace(w, q, (size_t)n, d, NULL, &err), ACC_OK);
            acc_xap_doc_free(d);
        }
        assert_int_equal(acc_xap_wdb_commit(w, &err), ACC_OK);
        acc_xap_wdb_close(w);
        made = 1;
    }
    acc_xap_db *db = NULL;
    assert_int_equal(acc_xap_db_open(path, &db, &err), ACC_OK);
    return db;
}

static acc_prox prox_of(const char *words)
{
    acc_prox p = {{NULL}, 0, "en", 0, 1.0};
    char buf[256];
    snprintf(buf, sizeof buf, "%s", words);
    for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " "))
        p.term[p.n++] = strdup(tok);
    return p;
}

static void prox_free(acc_prox *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->term[i]);
}

/* "PN" for document docid: P phrase or -, N near or - */
static const char *shows(acc_xap_db *db, unsigned docid, const char *words)
{
    static char out[3];
    acc_prox p = prox_of(words);
    acc_error err;
    int phrase = -1, near = -1;
    assert_int_equal(acc_prox_test(db, docid, &p, 6, &phrase, &near, &err), ACC_OK);
    prox_free(&p);
    out[0] = phrase ? 'P' : '-';
    out[1] = near ? 'N' : '-';
    out[2] = '\0';
    return out;
}

static void test_prox_test(void **state)
{
    acc_xap_db *db = open_index();
    (void)state;
    const char *ghg = "greenhouse gas emissions";
    assert_string_equal(shows(db, 1, ghg), "PN");
    assert_string_equal(shows(db, 2, ghg), "-N"); /* any order, span 8 < 3 + 6 */
    assert_string_equal(shows(db, 3, ghg), "--");
    assert_string_equal(shows(db, 4, ghg), "--"); /* a word missing */
    assert_string_equal(shows(db, 5, ghg), "PN"); /* after a false start at 1 */
    assert_string_equal(shows(db, 6, ghg), "--"); /* span 9: not within 9 */
    assert_string_equal(shows(db, 9, ghg), "PN"); /* gas before and after */
    assert_string_equal(shows(db, 1, "emissions gas greenhouse"), "-N"); /* order counts */
    assert_string_equal(shows(db, 7, "fish and fish"), "PN");
    /* fish once: no phrase, but its distinct words are near each other */
    assert_string_equal(shows(db, 8, "fish and fish"), "-N");
    assert_string_equal(shows(db, 8, "fish and chips"), "PN");
    assert_string_equal(shows(db, 99, ghg), "--"); /* no such document */
    acc_xap_db_close(db);
}

static void test_poscur(void **state)
{
    acc_xap_db *db = open_index();
    acc_xap_poscur *c = NULL;
    acc_error err;
    unsigned at = 0;
    (void)state;
    assert_int_equal(acc_xap_poscur_open(db, 9, "gas", 3, &c, &err), ACC_OK);
    assert_non_null(c);
    assert_int_equal(acc_xap_poscur_skip_to(c, 0, &at), 1);
    assert_int_equal(at, 3);
    assert_int_equal(acc_xap_poscur_skip_to(c, 3, &at), 1);
    assert_int_equal(at, 3); /* stays */
    assert_int_equal(acc_xap_poscur_skip_to(c, 4, &at), 1);
    assert_int_equal(at, 101);
    assert_int_equal(acc_xap_poscur_skip_to(c, 50, &at), 1);
    assert_int_equal(at, 101); /* forward only */
    assert_int_equal(acc_xap_poscur_skip_to(c, 201, &at), 0);
    assert_int_equal(acc_xap_poscur_skip_to(c, 1, &at), 0); /* at its end */
    acc_xap_poscur_free(c);
    /* read in bulk: the positions one by one give, from where the cursor is */
    unsigned all[16], got[16];
    size_t nall = 0, n;
    assert_int_equal(acc_xap_poscur_open(db, 9, "gas", 3, &c, &err), ACC_OK);
    for (unsigned next = 0; acc_xap_poscur_skip_to(c, next, &at); next = at + 1)
        all[nall++] = at;
    acc_xap_poscur_free(c);
    assert_true(nall >= 2);
    assert_int_equal(acc_xap_poscur_open(db, 9, "gas", 3, &c, &err), ACC_OK);
    assert_int_equal(acc_xap_poscur_read(c, got, 1), 1);
    assert_int_equal(got[0], 3);
    assert_int_equal(acc_xap_poscur_read(c, got, 16), nall - 1);
    assert_memory_equal(got, all + 1, (nall - 1) * sizeof *got);
    assert_int_equal(acc_xap_poscur_read(c, got, 16), 0); /* at its end */
    acc_xap_poscur_free(c);
    /* acc_xap_db_positions: from a position, at most max */
    assert_int_equal(acc_xap_db_positions(db, 9, "gas", 3, 4, got, 16, &n, &err), ACC_OK);
    assert_int_equal(n, nall - 1);
    assert_memory_equal(got, all + 1, n * sizeof *got);
    assert_int_equal(acc_xap_db_positions(db, 9, "gas", 3, 0, got, 1, &n, &err), ACC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(got[0], 3);
    assert_int_equal(acc_xap_db_positions(db, 9, "gas", 3, all[nall - 1] + 1, got, 16, &n, &err),
                     ACC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(acc_xap_db_positions(db, 4, "emissions", 9, 0, got, 16, &n, &err), ACC_OK);
    assert_int_equal(n, 0);
    c = UNTOUCHED_PTR;
    assert_int_equal(acc_xap_poscur_open(db, 4, "emissions", 9, &c, &err), ACC_OK);
    assert_null(c);
    acc_xap_poscur_free(NULL);
    acc_xap_db_close(db);
}

static void test_proxset(void **state)
{
    acc_xap_parser *p = acc_xap_parser_new(NULL);
    acc_xap_query *phrase = NULL, *two = NULL, *one = NULL;
    acc_proxset s = {.n = 0, .slack = 6};
    acc_error err;
    (void)state;
    static const char g[] = "\"greenhouse gas emissions\"", h[] = "\"greenhouse gas\"";
    assert_int_equal(acc_xap_parse(p, NULL, g, strlen(g), ACC_XAP_PARSE_PHRASE, ACC_XAP_AND, NULL,
                                   &phrase, &err),
                     ACC_OK);
    assert_int_equal(
        acc_xap_parse(p, NULL, h, strlen(h), ACC_XAP_PARSE_PHRASE, ACC_XAP_AND, NULL, &two, &err),
        ACC_OK);
    assert_int_equal(
        acc_xap_parse(p, NULL, "gas", 3, ACC_XAP_PARSE_PHRASE, ACC_XAP_AND, NULL, &one, &err),
        ACC_OK);
    acc_proxset_add(&s, phrase, "en", 0, 1.0);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.v[0].n, 3);
    /* the order typed, not byte order */
    assert_string_equal(s.v[0].term[0], "greenhouse");
    assert_string_equal(s.v[0].term[1], "gas");
    assert_string_equal(s.v[0].term[2], "emissions");
    acc_proxset_add(&s, phrase, "en", 0, 1.0); /* once */
    assert_int_equal(s.n, 1);
    acc_proxset_add(&s, two, "en", 0, 1.0);
    assert_int_equal(s.n, 2);
    acc_proxset_add(&s, one, "en", 0, 1.0); /* one word: no phrase */
    assert_int_equal(s.n, 2);
    acc_proxset_add(&s, phrase, "fr", 0, 0.7); /* another reading's */
    assert_int_equal(s.n, 3);
    assert_string_equal(s.v[2].lang, "fr");
    /* the words of every phrase, for the highlighter */
    acc_buf d;
    acc_buf_init(&d, 0);
    assert_non_null(s.words);
    acc_xap_query_describe(s.words, &d);
    assert_non_null(strstr(d.p, "greenhouse"));
    assert_non_null(strstr(d.p, "emissions"));
    acc_buf_release(&d);
    acc_proxset_release(&s);
    assert_int_equal(s.n, 0);
    assert_null(s.words);
    acc_xap_query_free(one);
    acc_xap_query_free(two);
    acc_xap_query_free(phrase);
    acc_xap_parser_free(p);
}

/* the docids of a match in its order */
static void order(acc_xap_match *m, unsigned *out, size_t *n)
{
    *n = acc_xap_match_size(m);
    for (size_t i = 0; i < *n; i++)
        out[i] = acc_xap_match_docid(m, i);
}

static const double bm25[5] = {1.2, 0, 1, 0.75, 0.5};

/* Xapian's BM25 weight of each document (by docid) for query q, 0 when it does not match */
static void weights_of(acc_xap_db *db, const acc_xap_query *q, double *w, size_t nw)
{
    acc_xap_match *m = NULL;
    acc_xap_match_opts o;
    acc_error err;
    acc_xap_match_opts_init(&o);
    memcpy(o.bm25, bm25, sizeof bm25);
    o.limit = 50;
    assert_int_equal(acc_xap_match_run(db, q, &o, &m, &err), ACC_OK);
    memset(w, 0, nw * sizeof *w);
    for (size_t i = 0; i < acc_xap_match_size(m); i++) {
        const unsigned d = acc_xap_match_docid(m, i);
        assert_true(d < nw);
        w[d] = acc_xap_match_weight(m, i);
    }
    acc_xap_match_free(m);
}

static void test_rescore(void **state)
{
    acc_xap_db *db = open_index();
    acc_xap_match *m = NULL;
    acc_xap_match_opts o;
    acc_error err;
    (void)state;
    acc_proxset s = {.n = 0, .slack = 6};
    s.v[0] = prox_of("greenhouse gas emissions");
    /* the French reading: French documents only, weighed 0.7 */
    s.v[1] = prox_of("greenhouse gas emissions");
    snprintf(s.v[1].lang, sizeof s.v[1].lang, "fr");
    s.v[1].restricted = 1;
    s.v[1].scale = 0.7;
    s.n = 2;
    /* the boost is the words' weight as Xapian's BM25 gives it (OR-ed, each once) */
    acc_xap_query *t[3] = {acc_xap_query_term("greenhouse", 10), acc_xap_query_term("gas", 3),
                           acc_xap_query_term("emissions", 9)};
    acc_xap_query *words = acc_xap_query_join(ACC_XAP_OR, t, 3);
    double u[NDOCS + 1], before[NDOCS + 1];
    weights_of(db, words, u, NDOCS + 1);
    /* ranked first by two of the words */
    acc_xap_query *q = acc_xap_query_join(ACC_XAP_OR, t, 2);
    weights_of(db, q, before, NDOCS + 1);
    acc_xap_match_opts_init(&o);
    memcpy(o.bm25, bm25, sizeof bm25);
    o.limit = 20;
    assert_int_equal(acc_xap_match_run(db, q, &o, &m, &err), ACC_OK);
    const size_t matched = acc_xap_match_size(m);
    assert_int_equal(acc_prox_rescore(db, m, &s, 20, bm25, 1.5, 0.5, 0, 20, &err), ACC_OK);
    unsigned got[20];
    size_t n;
    order(m, got, &n);
    assert_int_equal(n, matched);
    for (size_t i = 0; i < n; i++) {
        const unsigned d = got[i];
        /* the phrase: 1 (en), 5 (fr with English passages: the better reading, en's), 9 (fr:
           the French reading's); near only: 2 */
        const double boost = d == 1 || d == 5 ? 1.5 : d == 9 ? 1.5 * 0.7 : d == 2 ? 0.5 : 0;
        assert_float_equal(acc_xap_match_weight(m, i), before[d] + boost * u[d], 1e-9);
        if (i)
            assert_true(acc_xap_match_weight(m, i - 1) >= acc_xap_match_weight(m, i));
    }
    acc_xap_match_free(m);

    /* the window: only the first hit is tested; offset and limit cut the new order */
    assert_int_equal(acc_xap_match_run(db, q, &o, &m, &err), ACC_OK);
    const unsigned first = acc_xap_match_docid(m, 0), second = acc_xap_match_docid(m, 1);
    assert_int_equal(acc_prox_rescore(db, m, &s, 1, bm25, 1.5, 0.5, 1, 1, &err), ACC_OK);
    order(m, got, &n);
    assert_int_equal(n, 1);
    /* the first stays first (boosted or not), so the page from 1 starts at the second */
    assert_int_equal(got[0], second);
    assert_int_not_equal(got[0], first);
    acc_xap_match_free(m);

    acc_proxset_release(&s);
    acc_xap_query_free(q);
    acc_xap_query_free(words);
    for (int i = 0; i < 3; i++)
        acc_xap_query_free(t[i]);
    acc_xap_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prox_test),
        cmocka_unit_test(test_poscur),
        cmocka_unit_test(test_proxset),
        cmocka_unit_test(test_rescore),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
