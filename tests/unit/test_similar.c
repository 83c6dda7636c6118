/*
 * lib/similar.c (lib/similar.h) on a small index: the query for documents
 * like a given one is made of its telling stems (language-tagged, not ids,
 * filters nor short stems; at most ACC_SIMILAR_TERMS) and its topics
 * (weight ACC_SIMILAR_TOPIC_WEIGHT), leaves the document out, finds its kin
 * by words and its versions in other languages by topic; words for a
 * language without a stemmer; ACC_ENOTFOUND for an unknown id.
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
#include "fixture.h"
#include "similar.h"
#include "termgen.h"

static acc_index *x;
static char many[2048];

static fx_doc docs[] = {
    {.id = "a",
     .lang = "en",
     .text = "Wetlands conservation protects migratory waterbirds and their habitats. "
             "Wetlands conservation and biodiversity.",
     .topics = {"biodiversity"}},
    {.id = "b", .lang = "en", .text = "The conservation of wetlands for migratory waterbirds."},
    {.id = "c", .lang = "en", .text = "Taxation of tobacco products, customs revenue."},
    {.id = "d", .lang = "fr", .text = "La forêt et les oiseaux.", .topics = {"biodiversity"}},
    {.id = "e", .lang = "pl", .text = "Ochrona mokradeł i siedlisk ptaków wodnych."},
    {.id = "f", .lang = "pl", .text = "Ochrona siedlisk."},
    {.id = "g", .lang = "en", .text = many},
};

static int setup(void **state)
{
    (void)state;
    /* forty distinct long words */
    for (int i = 0; i < 40; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), "zyx%c%cqua ",
                 (char)('a' + i % 26), (char)('a' + i / 26));
    if (fx_setup("similar") != 0)
        return -1;
    x = fx_open("s.db", docs, sizeof docs / sizeof docs[0]);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    acc_index_close(x);
    return fx_teardown();
}

static int by_id(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* The ids q finds, in id order ("b d "). */
static const char *found(const acc_xap_query *q)
{
    static char out[256];
    char ids[16][8];
    size_t n = 0;
    acc_xap_match_opts o;
    acc_xap_match *m = NULL;
    acc_error err;
    acc_xap_match_opts_init(&o);
    o.limit = 16;
    assert_int_equal(acc_xap_match_run(x->db, q, &o, &m, &err), ACC_OK);
    for (size_t i = 0; i < acc_xap_match_size(m); i++) {
        acc_xap_doc *d = NULL;
        acc_buf v;
        acc_buf_init(&v, 0);
        assert_int_equal(acc_xap_match_doc(m, i, &d, &err), ACC_OK);
        assert_int_equal(acc_xap_doc_value(d, ACC_SLOT_LABEL, &v, &err), ACC_OK);
        snprintf(ids[n++], sizeof ids[0], "%.*s", (int)strcspn(v.p, "\x1f"), v.p);
        acc_buf_release(&v);
        acc_xap_doc_free(d);
    }
    acc_xap_match_free(m);
    qsort(ids, n, sizeof ids[0], by_id);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s ", ids[i]);
    return out;
}

typedef struct kinds {
    size_t stems, words, topics, ids, other;
    char bad[64];
} kinds;

static void on_term(void *ctx, const char *t, size_t n)
{
    kinds *k = ctx;
    if (n > 4 && memcmp(t, "Z", 1) == 0 && memchr(t, ':', n))
        k->stems++;
    else if (n > 2 && memcmp(t, ACC_PFX_TOPIC, 2) == 0)
        k->topics++;
    else if (t[0] == 'Q')
        k->ids++;
    else if (t[0] >= 'a' && t[0] <= 'z')
        k->words++;
    else
        snprintf(k->bad, sizeof k->bad, "%.*s", (int)n, t);
    /* no short stems nor words */
    if (t[0] == 'Z' && n <= 6)
        snprintf(k->bad, sizeof k->bad, "%.*s", (int)n, t);
    if (t[0] >= 'a' && t[0] <= 'z' && n <= 3)
        snprintf(k->bad, sizeof k->bad, "%.*s", (int)n, t);
}

static acc_xap_query *similar(const char *id, const char *want_lang, kinds *k)
{
    char lang[ACC_LANG_MAX] = "?";
    acc_xap_query *q = NULL;
    acc_error err;
    assert_int_equal(acc_similar_query(x, id, lang, &q, &err), ACC_OK);
    assert_non_null(q);
    assert_string_equal(lang, want_lang);
    memset(k, 0, sizeof *k);
    acc_xap_query_terms(q, 0, on_term, k);
    if (k->bad[0])
        fail_msg("'%s' in the query for '%s'", k->bad, id);
    return q;
}

static void test_stems_and_topics(void **state)
{
    kinds k;
    acc_buf d;
    (void)state;
    acc_xap_query *q = similar("a", "en", &k);
    /* its kin by words, its French version by topic; not itself, not the unrelated */
    assert_string_equal(found(q), "b d ");
    assert_true(k.stems >= 4);
    assert_int_equal(k.topics, 1);
    assert_int_equal(k.ids, 1); /* the document itself, left out */
    assert_int_equal(k.words, 0);
    acc_buf_init(&d, 0);
    acc_xap_query_describe(q, &d);
    assert_non_null(strstr(d.p, "2 * XObiodiversity"));
    assert_non_null(strstr(d.p, "AND_NOT Qa"));
    assert_non_null(strstr(d.p, "Zen:wetland"));
    acc_buf_release(&d);
    acc_xap_query_free(q);

    /* the French version: its topic brings a back, no word of it is shared */
    q = similar("d", "fr", &k);
    assert_string_equal(found(q), "a ");
    acc_xap_query_free(q);

    /* no topic: words only */
    q = similar("b", "en", &k);
    assert_int_equal(k.topics, 0);
    assert_string_equal(found(q), "a ");
    acc_xap_query_free(q);
}

static void test_unstemmed(void **state)
{
    kinds k;
    (void)state;
    /* Polish has no stemmer: the words (of more than 3 bytes) */
    acc_xap_query *q = similar("e", "pl", &k);
    assert_int_equal(k.stems, 0);
    assert_true(k.words >= 3);
    assert_string_equal(found(q), "f ");
    acc_xap_query_free(q);
}

static void test_at_most(void **state)
{
    kinds k;
    (void)state;
    acc_xap_query *q = similar("g", "en", &k);
    assert_int_equal(k.stems, ACC_SIMILAR_TERMS);
    assert_string_equal(found(q), "");
    acc_xap_query_free(q);
}

static void test_not_found(void **state)
{
    char lang[ACC_LANG_MAX] = "?";
    acc_xap_query *q = (acc_xap_query *)lang;
    acc_error err;
    (void)state;
    assert_int_equal(acc_similar_query(x, "zzz", lang, &q, &err), ACC_ENOTFOUND);
    assert_int_equal(err.code, ACC_ENOTFOUND);
    assert_string_equal(err.msg, "no document with id 'zzz'");
    assert_ptr_equal(q, (acc_xap_query *)lang);
    /* an id is a whole term: a prefix of one is no id */
    assert_int_equal(acc_similar_query(x, "", lang, &q, &err), ACC_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stems_and_topics),
        cmocka_unit_test(test_unstemmed),
        cmocka_unit_test(test_at_most),
        cmocka_unit_test(test_not_found),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
