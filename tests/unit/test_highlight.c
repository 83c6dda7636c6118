/*
 * lib/highlight.c (lib/highlight.h) on a small index: queries parsed as a
 * search parses them (acc_index_parser, acc_xap_parse) or built from terms,
 * then the words of a text matched against them: exact, with and without
 * accents, other forms of a stem (développement, developpements), elisions
 * with ' and U+2019, German umlauts and digraphs, œ, CJK, unstemmed
 * languages, phrases (exact words only), the highlighter's language, and
 * words that must not match. Then acc_highlight_variants: the index words a
 * query's stems matched, most frequent first, without the query's words, at
 * most 6 per stem and ACC_HIGHLIGHT_MAX_VARIANTS in all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "accord/text.h"
#include "fixture.h"
#include "highlight.h"
#include "qtext.h"

static acc_index *x;

static const fx_doc docs[] = {
    {.id = "f1",
     .lang = "fr",
     .title = "Développement durable",
     .text = "Le développement durable et l'environnement. Les développements récents. Le cœur."},
    {.id = "f2", .lang = "fr", .text = "developpements developper"},
    {.id = "f3", .lang = "fr", .text = "developpements developper"},
    {.id = "f4", .lang = "fr", .text = "developpements développé"},
    {.id = "d1", .lang = "de", .text = "Die Wärme und die Waerme der Erde"},
    /* variants found by a scan of the stem's first letters but its last two (lib/stem.c,
       acc_stem_stable_prefix): appliquer's stem appliqu, application's too; German reads "ue" as ü,
       so the German stem of the Dutch aandoeningen is aandoning */
    {.id = "f5", .lang = "fr", .text = "l'application des applications"},
    {.id = "n1", .lang = "nl", .text = "aandoeningen"},
    {.id = "z1", .lang = "zh", .text = "\xe6\xb0\x94\xe5\x80\x99\xe5\x8f\x98\xe5\x8c\x96"},
    {.id = "p1", .lang = "pl", .text = "woda i lasy"},
    {.id = "e1", .lang = "en", .text = "wetlands and a wetland"},
    /* connect: 7 forms, connectivity the rarest */
    {.id = "c1",
     .lang = "en",
     .text = "connects connected connecting connection connections connective connectivity"},
    {.id = "c2",
     .lang = "en",
     .text = "connects connected connecting connection connections connective"},
    {.id = "c3",
     .lang = "en",
     .text = "develops developed developing development developments developer developers "
             "governs governed governing government governments governance "
             "protects protected protecting protection protections protective "
             "manages managed managing management managements manager"},
};

static int setup(void **state)
{
    (void)state;
    if (fx_setup("highlight") != 0)
        return -1;
    x = fx_open("h.db", docs, sizeof docs / sizeof docs[0]);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    acc_index_close(x);
    return fx_teardown();
}

/* Query text as a search parses it for lang (folded; German digraphs spelt out). */
static acc_xap_query *parse(const char *lang, const char *text)
{
    static const unsigned flags = ACC_XAP_PARSE_PHRASE | ACC_XAP_PARSE_BOOLEAN |
                                  ACC_XAP_PARSE_LOVEHATE | ACC_XAP_PARSE_WILDCARD |
                                  ACC_XAP_PARSE_CJK | ACC_XAP_PARSE_PURE_NOT;
    acc_buf f, g;
    acc_xap_query *q = NULL;
    acc_error err;
    acc_buf_init(&f, 0);
    acc_buf_init(&g, 0);
    assert_int_equal(acc_text_query_fold(text, strlen(text), &f, &err), ACC_OK);
    if (strcmp(lang, "de") == 0)
        acc_text_de_digraphs(f.p, f.n, &g);
    else
        acc_buf_append(&g, f.p, f.n);
    if (acc_xap_parse(acc_index_parser(x, lang), x->db, g.p, g.n, flags, ACC_XAP_AND, NULL, &q,
                      &err) != ACC_OK)
        fail_msg("'%s': %s", text, err.msg);
    acc_buf_release(&f);
    acc_buf_release(&g);
    return q;
}

/* The id word w gets from h (-1: no match). */
static int m(acc_highlighter *h, const char *w)
{
    return acc_highlight_match(h, w, strlen(w));
}

static acc_highlighter *for_text(const char *lang, const char *text)
{
    acc_xap_query *q = parse(lang, text);
    acc_highlighter *h = acc_highlighter_new(q, lang);
    acc_xap_query_free(q); /* not kept */
    return h;
}

static acc_highlighter *for_term(const char *lang, const char *term)
{
    acc_xap_query *q = acc_xap_query_term(term, strlen(term));
    acc_highlighter *h = acc_highlighter_new(q, lang);
    acc_xap_query_free(q);
    return h;
}

/* Every word of v[] matches h with one id, which is returned. */
static int same_id(acc_highlighter *h, const char *const *v, size_t n)
{
    int id = m(h, v[0]);
    if (id < 0)
        fail_msg("'%s' does not match", v[0]);
    for (size_t i = 1; i < n; i++)
        if (m(h, v[i]) != id)
            fail_msg("'%s': %d, not %d", v[i], m(h, v[i]), id);
    return id;
}

static void none_match(acc_highlighter *h, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (m(h, v[i]) >= 0)
            fail_msg("'%s' matches", v[i]);
}

#define N(v) (sizeof v / sizeof v[0])

static void test_stems_and_accents(void **state)
{
    static const char *const yes[] = {"développement",  "Développement",  "DÉVELOPPEMENT",
                                      "developpement",  "développements", "developpements",
                                      "Developpements", "développer"};
    static const char *const no[] = {"devastation", "dev",    "climat",      "le",
                                     "durable",     "envelo", "développeur", ""};
    (void)state;
    acc_highlighter *h = for_text("fr", "développement");
    same_id(h, yes, N(yes));
    none_match(h, no, N(no));
    acc_highlighter_free(h);
    /* the query as typed or unaccented: the same */
    h = for_text("fr", "DEVELOPPEMENTS");
    same_id(h, yes, N(yes));
    none_match(h, no, N(no));
    acc_highlighter_free(h);

    /* two words: two ids */
    h = for_text("fr", "développement durable");
    int a = m(h, "développements"), b = m(h, "durables");
    assert_true(a >= 0 && b >= 0 && a != b);
    acc_highlighter_free(h);

    /* créée: fold(stem(w)) is fr:cre, the query's stem(fold(w)) fr:cree: the second form
       of the stem matches */
    static const char *const creee[] = {"créée", "creee", "Créée"};
    h = for_text("fr", "créée");
    same_id(h, creee, N(creee));
    acc_highlighter_free(h);

    /* œ is folded by the whole pipeline */
    static const char *const coeur[] = {"cœur", "coeur", "Cœur", "COEUR"};
    h = for_text("fr", "cœur");
    same_id(h, coeur, N(coeur));
    acc_highlighter_free(h);
    acc_highlighter_free(NULL);
}

static void test_elisions(void **state)
{
    static const char *const yes[] = {"environnement",        "l'environnement",
                                      "l\u2019environnement", "L'Environnement",
                                      "d'environnements",     "l\u2019Environnement"};
    static const char *const no[] = {"l'", "'", "l\u2019", "l'eau", "environnementale"};
    (void)state;
    acc_highlighter *h = for_text("fr", "environnement");
    same_id(h, yes, N(yes));
    none_match(h, no, N(no));
    acc_highlighter_free(h);
    /* the query typed with the elision */
    h = for_text("fr", "l\u2019environnement");
    assert_true(m(h, "l'environnement") >= 0);
    assert_true(m(h, "environnement") >= 0);
    acc_highlighter_free(h);
}

static void test_phrases(void **state)
{
    (void)state;
    /* a phrase searches the words as written (folded): no other forms */
    acc_highlighter *h = for_text("fr", "\"développement durable\"");
    static const char *const dev[] = {"Développement", "developpement", "DEVELOPPEMENT"};
    int a = same_id(h, dev, N(dev));
    assert_true(m(h, "durable") >= 0);
    assert_int_not_equal(m(h, "durable"), a);
    static const char *const no[] = {"développements", "durables", "développer"};
    none_match(h, no, N(no));
    acc_highlighter_free(h);
}

static void test_german(void **state)
{
    /* the digraph spellings too (the index matches them: Zde:warm, warme), also at the
       start of a word, where the quick rejection once turned them away ("wae" vs "war") */
    static const char *const yes[] = {"Wärme", "warme", "wärme", "WÄRME", "Waerme", "WAERME"};
    static const char *const no[] = {"Wasser", "Wa", "Erde"};
    (void)state;
    acc_highlighter *h = for_text("de", "Wärme");
    same_id(h, yes, N(yes));
    none_match(h, no, N(no));
    acc_highlighter_free(h);
    h = for_text("de", "Waerme");
    same_id(h, yes, N(yes));
    acc_highlighter_free(h);
    /* in a phrase: the unprefixed word, digraphs spelt out on both sides */
    h = for_text("de", "\"Waerme Erde\"");
    same_id(h, yes, N(yes));
    assert_true(m(h, "Erde") >= 0);
    acc_highlighter_free(h);
    /* past the first bytes a digraph spelling matches an unprefixed word too */
    static const char *const building[] = {"Gebäude", "Gebaeude", "GEBAEUDE", "gebaude"};
    h = for_text("de", "\"Gebäude\"");
    same_id(h, building, N(building));
    acc_highlighter_free(h);
    h = for_text("de", "Gebaeude");
    same_id(h, building, N(building));
    acc_highlighter_free(h);
    /* a digraph as the first two bytes (Ue for Ü): the quick rejection by the first two
       bytes lets it through; other pairs are rejected there (Ul, Ub... start no term) */
    static const char *const exercise[] = {"Übung", "Uebung", "UEBUNG", "ubung"};
    static const char *const not_exercise[] = {"Ulme", "Umwelt", "Uebel"};
    h = for_text("de", "Übung");
    same_id(h, exercise, N(exercise));
    none_match(h, not_exercise, N(not_exercise));
    acc_highlighter_free(h);
    /* digraphs are German: a French highlighter leaves them */
    h = for_term("fr", "warme");
    assert_true(m(h, "Wärme") >= 0);
    assert_int_equal(m(h, "Waerme"), -1);
    acc_highlighter_free(h);
}

static void test_cjk(void **state)
{
    (void)state;
    acc_highlighter *h = for_text("zh", "\xe6\xb0\x94\xe5\x80\x99"); /* climate */
    int pair = m(h, "\xe6\xb0\x94\xe5\x80\x99"), a = m(h, "\xe6\xb0\x94"), b = m(h, "\xe5\x80\x99");
    assert_true(pair >= 0 && a >= 0 && b >= 0);
    assert_true(pair != a && pair != b && a != b);
    assert_int_equal(m(h, "\xe5\x8f\x98"), -1);             /* change */
    assert_int_equal(m(h, "\xe5\x80\x99\xe6\xb0\x94"), -1); /* the pair the other way */
    assert_int_equal(m(h, "\xe5\x8f\x98\xe5\x8c\x96"), -1); /* change (pair) */
    acc_highlighter_free(h);
}

static void test_unstemmed_and_terms(void **state)
{
    (void)state;
    /* a language without a stemmer: the folded words */
    acc_highlighter *h = for_text("pl", "woda");
    assert_true(m(h, "Woda") >= 0);
    assert_true(m(h, "wodą") >= 0);
    assert_int_equal(m(h, "wody"), -1);
    assert_int_equal(m(h, "lasy"), -1);
    acc_highlighter_free(h);

    /* queries built from terms: a Z term of the highlighter's language... */
    h = for_term("en", "Zen:wetland");
    assert_true(m(h, "wetlands") >= 0);
    assert_true(m(h, "Wetland") >= 0);
    assert_int_equal(m(h, "wet"), -1);
    assert_int_equal(m(h, "wetter"), -1);
    acc_highlighter_free(h);
    /* ...of another language: ignored */
    h = for_term("fr", "Zen:wetland");
    assert_int_equal(m(h, "wetlands"), -1);
    assert_int_equal(m(h, "wetland"), -1);
    acc_highlighter_free(h);
    /* an unprefixed term: that word, in any language */
    h = for_term("en", "forest");
    assert_true(m(h, "Forest") >= 0);
    assert_true(m(h, "FORÊT") == -1);
    assert_int_equal(m(h, "forests"), -1);
    acc_highlighter_free(h);
    /* other prefixed terms (filters, titles) are not words */
    h = for_term("en", "XLen");
    assert_int_equal(m(h, "en"), -1);
    assert_int_equal(m(h, "XLen"), -1);
    acc_highlighter_free(h);
    /* the highlighter of an undetermined language */
    h = for_term("", "forest");
    assert_true(m(h, "forest") >= 0);
    acc_highlighter_free(h);
    /* a query without terms matches nothing */
    acc_xap_query *none = acc_xap_query_none();
    h = acc_highlighter_new(none, "en");
    assert_int_equal(m(h, "forest"), -1);
    assert_int_equal(m(h, ""), -1);
    acc_highlighter_free(h);
    acc_xap_query_free(none);
}

/* acc_highlight_variants of query text (lang), the query's positional words left out. */
static size_t variants(const char *lang, const char *text, char ***out)
{
    acc_xap_query *q = parse(lang, text);
    size_t nq, n = 99;
    acc_error err;
    char **qw = acc_qtext_positional(text, strlen(text), &nq);
    assert_int_equal(acc_highlight_variants(x, q, qw, nq, lang, out, &n, &err), ACC_OK);
    acc_qtext_words_free(qw, nq);
    acc_xap_query_free(q);
    return n;
}

static int has(char **v, size_t n, const char *w)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], w) == 0)
            return 1;
    return 0;
}

static void test_variants(void **state)
{
    char **v = NULL;
    size_t n;
    (void)state;
    /* developpements (4 documents), developper (2), developpe (1); not the query's word */
    n = variants("fr", "développement", &v);
    assert_int_equal(n, 3);
    assert_string_equal(v[0], "developpements");
    assert_string_equal(v[1], "developper");
    assert_string_equal(v[2], "developpe");
    acc_qtext_words_free(v, n);
    /* the query's word is left out, whatever form it has */
    n = variants("fr", "developpements", &v);
    assert_false(has(v, n, "developpements"));
    assert_true(has(v, n, "developpement"));
    acc_qtext_words_free(v, n);
    n = variants("en", "wetland", &v);
    assert_int_equal(n, 1);
    assert_string_equal(v[0], "wetlands");
    acc_qtext_words_free(v, n);
    /* a stem whose last letters differ from the words' (appliqu: "appliq" would miss them) */
    n = variants("fr", "appliquer", &v);
    assert_true(has(v, n, "application"));
    assert_true(has(v, n, "applications"));
    acc_qtext_words_free(v, n);
    /* a stem with a letter fewer inside than a word of it ("aandoni" would miss it) */
    n = variants("de", "aandoning", &v);
    assert_true(has(v, n, "aandoeningen"));
    acc_qtext_words_free(v, n);

    /* at most 6 per stem, the most frequent (connectivity, in one document, is left out),
       equals in byte order */
    n = variants("en", "connect", &v);
    static const char *const six[] = {"connected",   "connecting", "connection",
                                      "connections", "connective", "connects"};
    assert_int_equal(n, 6);
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(v[i], six[i]);
    acc_qtext_words_free(v, n);

    /* at most ACC_HIGHLIGHT_MAX_VARIANTS in all: connect, develop, govern, manag fill them
       (stems in byte order), protect gets none */
    n = variants("en", "connect develop govern protect manage", &v);
    assert_int_equal(n, ACC_HIGHLIGHT_MAX_VARIANTS);
    for (size_t i = 0; i < n; i++)
        if (strncmp(v[i], "protect", 7) == 0)
            fail_msg("%s", v[i]);
    assert_true(has(v, n, "governance"));
    assert_true(has(v, n, "managements"));
    acc_qtext_words_free(v, n);

    /* none: no stemmer, no stems in the query (a phrase), or no other form indexed */
    v = (char **)&n;
    n = variants("pl", "woda", &v);
    assert_int_equal(n, 0);
    assert_null(v);
    n = variants("fr", "\"développement durable\"", &v);
    assert_int_equal(n, 0);
    acc_qtext_words_free(v, n);
    n = variants("fr", "environnement", &v);
    assert_int_equal(n, 0);
    acc_qtext_words_free(v, n);
}

/* a stem's variants are remembered by the handle, and looked for again once the index has
   changed (lib/highlight.c, acc_variant_memo) */
static void test_variants_after_commit(void **state)
{
    char **v = NULL, path[512];
    size_t n;
    acc_writer *w = NULL;
    acc_error err;
    static const fx_doc more = {.id = "e2", .lang = "en", .text = "wetlanded wetlanded"};
    (void)state;
    n = variants("en", "wetland", &v);
    assert_int_equal(n, 1);
    assert_string_equal(v[0], "wetlands");
    acc_qtext_words_free(v, n);
    /* the same answer again, from the memo */
    n = variants("en", "wetland", &v);
    assert_int_equal(n, 1);
    assert_string_equal(v[0], "wetlands");
    acc_qtext_words_free(v, n);
    /* another form of the stem committed; the handle moves to that revision */
    fx_path(path, sizeof path, "h.db");
    assert_int_equal(acc_writer_open(path, &w, &err), ACC_OK);
    fx_put(w, &more, NULL);
    assert_int_equal(acc_writer_commit(w, &err), ACC_OK);
    acc_writer_close(w);
    assert_int_equal(acc_index_refresh(x, &err), ACC_OK);
    n = variants("en", "wetland", &v);
    assert_int_equal(n, 2);
    assert_true(has(v, n, "wetlands"));
    assert_true(has(v, n, "wetlanded"));
    acc_qtext_words_free(v, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stems_and_accents),
        cmocka_unit_test(test_elisions),
        cmocka_unit_test(test_phrases),
        cmocka_unit_test(test_german),
        cmocka_unit_test(test_cjk),
        cmocka_unit_test(test_unstemmed_and_terms),
        cmocka_unit_test(test_variants),
        /* last: it adds a document */
        cmocka_unit_test(test_variants_after_commit),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
