/*
 * lib/qtext.c: the query text before parsing (lib/qtext.h): lang: typed in
 * the text, pure negations (with NOT, trailing NOT, mixed, appended to what
 * the buffer holds), the shape (words, syntax; filters are neither), the
 * plain-word reading of a broken query, the query's positional words
 * (folding, elisions with either apostrophe, German digraphs, CJK, the cap).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "qtext.h"

static void test_lang(void **state)
{
    char out[ACC_LANG_MAX];
    (void)state;
    const char *t = "climat lang:fr";
    assert_int_equal(acc_qtext_lang(t, strlen(t), out), 1);
    assert_string_equal(out, "fr");
    t = "lang:DE wasser";
    assert_int_equal(acc_qtext_lang(t, strlen(t), out), 1);
    assert_string_equal(out, "de");
    t = "lang:fr lang:de x"; /* two: neither */
    assert_int_equal(acc_qtext_lang(t, strlen(t), out), 0);
    t = "xlang:fr"; /* not at the start of a word */
    assert_int_equal(acc_qtext_lang(t, strlen(t), out), 0);
    t = "lang:french"; /* not a code */
    assert_int_equal(acc_qtext_lang(t, strlen(t), out), 0);
    t = "climate";
    assert_int_equal(acc_qtext_lang(t, strlen(t), out), 0);
    t = "climate lang:"; /* no code */
    assert_int_equal(acc_qtext_lang(t, strlen(t), out), 0);
    t = "(lang:fr)";
    assert_int_equal(acc_qtext_lang(t, strlen(t), out), 0);
    t = "lang:fr lang:de"; /* only t[0..n) is read: one */
    assert_int_equal(acc_qtext_lang(t, 7, out), 1);
    assert_string_equal(out, "fr");
}

static int negation(const char *q, char *words, size_t n)
{
    acc_buf b;
    acc_buf_init(&b, 0);
    int r = acc_qtext_negation(q, strlen(q), &b);
    snprintf(words, n, "%s", b.p ? b.p : "");
    acc_buf_release(&b);
    return r;
}

static void test_negation(void **state)
{
    char w[64];
    (void)state;
    assert_int_equal(negation("-paris", w, sizeof w), 1);
    assert_string_equal(w, "paris ");
    assert_int_equal(negation("-a  -b", w, sizeof w), 1);
    assert_string_equal(w, "a b ");
    assert_int_equal(negation("NOT -paris", w, sizeof w), 1);
    assert_string_equal(w, "paris ");
    assert_int_equal(negation("climate -paris", w, sizeof w), 0);
    assert_string_equal(w, "");
    assert_int_equal(negation("-", w, sizeof w), 0);
    assert_int_equal(negation("-a NOT", w, sizeof w), 0); /* a trailing NOT negates nothing */
    assert_int_equal(negation("", w, sizeof w), 0);
    assert_int_equal(negation("   ", w, sizeof w), 0);
    /* more shapes: NOT before each word, or before some; a trailing NOT; mixed */
    assert_int_equal(negation("-a NOT -b ", w, sizeof w), 1);
    assert_string_equal(w, "a b ");
    assert_int_equal(negation("NOT -a NOT -b", w, sizeof w), 1);
    assert_string_equal(w, "a b ");
    assert_int_equal(negation("a NOT", w, sizeof w), 0);
    assert_int_equal(negation("NOT", w, sizeof w), 0);
    assert_int_equal(negation("-a b", w, sizeof w), 0);
    assert_int_equal(negation("b -a", w, sizeof w), 0);
    assert_int_equal(negation("- -a", w, sizeof w), 0);
    assert_int_equal(negation("-a -", w, sizeof w), 0);
    assert_int_equal(negation("-a AND -b", w, sizeof w), 0);

    /* words are appended to what the buffer holds; a refusal leaves it as it was */
    acc_buf b;
    acc_buf_init(&b, 0);
    acc_buf_append(&b, "x ", 2);
    assert_int_equal(acc_qtext_negation("-a b", 4, &b), 0);
    assert_int_equal(b.n, 2);
    assert_string_equal(b.p, "x ");
    assert_int_equal(acc_qtext_negation("-paris", 6, &b), 1);
    assert_string_equal(b.p, "x paris ");
    /* only q[0..n) is read */
    assert_int_equal(acc_qtext_negation("-a b", 2, &b), 1);
    assert_string_equal(b.p, "x paris a ");
    acc_buf_release(&b);
}

static void shape(const char *q, size_t words, int syntax)
{
    acc_qshape s;
    acc_qtext_shape(q, strlen(q), &s);
    if (s.words != words || s.syntax != syntax)
        fail_msg("'%s': %zu words, syntax %d; want %zu, %d", q, s.words, s.syntax, words, syntax);
}

static void test_shape(void **state)
{
    (void)state;
    shape("climate change", 2, 0);
    shape("climate", 1, 0);
    shape("climate lang:fr year:2015..2020", 1, 0); /* filters are not words nor syntax */
    shape("\"climate change\"", 2, 1);
    shape("climat*", 1, 1);
    shape("title:climate", 1, 1);
    shape("a AND b", 3, 1);
    shape("(a b)", 2, 1);
    shape("a -b", 2, 1);
    shape("a-b", 1, 0); /* a hyphen inside a word is not syntax */
    shape("", 0, 0);
    shape("  climate   change ", 2, 0);
    shape("lang:fr", 0, 0);
    shape("type:treaty topic:forests party:france climate", 1, 0);
    shape("lang:", 1, 1); /* a filter without a value is a field: syntax */
    shape("+climate", 1, 1);
    shape("climate NOT paris", 3, 1);
    shape("a OR b", 3, 1);
    shape("a and b", 3, 0); /* folded operators in lower case are words */
    shape("(a", 1, 1);
}

static void plain(const char *q, const char *want)
{
    acc_buf b;
    acc_buf_init(&b, 0);
    acc_qtext_plain(q, strlen(q), &b);
    assert_string_equal(b.p ? b.p : "", want);
    acc_buf_release(&b);
}

static void test_plain(void **state)
{
    (void)state;
    plain("climate AND", "climate ");
    plain("AND", "and ");
    plain("OR OR", "or or ");
    plain("(climate", "(climate ");
    plain("a  b", "a b ");
    plain("\" -", "");
    plain("NOT paris", "paris ");
    plain("a OR (b", "a (b ");
    plain("( AND", "and "); /* nothing but syntax besides the operator */
    plain("NEAR", "near ");
    plain("", "");
}

static void test_positional(void **state)
{
    size_t n;
    (void)state;
    const char *t = "Développement l'environnement Wärme WAERME";
    char **w = acc_qtext_positional(t, strlen(t), &n);
    /* folded, elisions split, German digraphs spelt out as a second form, each once */
    const char *want[] = {"developpement", "environnement", "warme", "waerme"};
    assert_int_equal(n, 4);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(w[i], want[i]);
    acc_qtext_words_free(w, n);

    /* the typographic apostrophe is an apostrophe */
    t = "l\u2019environnement L'Environnement";
    w = acc_qtext_positional(t, strlen(t), &n);
    assert_int_equal(n, 1);
    assert_string_equal(w[0], "environnement");
    acc_qtext_words_free(w, n);

    /* a digraph spelling gets its umlaut-less form too, after the words as typed */
    t = "Waerme Fuesse";
    w = acc_qtext_positional(t, strlen(t), &n);
    assert_int_equal(n, 4);
    assert_string_equal(w[0], "waerme");
    assert_string_equal(w[1], "fuesse");
    assert_string_equal(w[2], "warme");
    assert_string_equal(w[3], "fusse");
    acc_qtext_words_free(w, n);

    /* CJK: each character (the pairs have no position) */
    t = "\u6c14\u5019\u53d8\u5316";
    w = acc_qtext_positional(t, strlen(t), &n);
    assert_int_equal(n, 4);
    assert_string_equal(w[0], "\u6c14");
    assert_string_equal(w[3], "\u5316");
    acc_qtext_words_free(w, n);

    /* no text */
    w = acc_qtext_positional(NULL, 0, &n);
    assert_int_equal(n, 0);
    acc_qtext_words_free(w, n);
    w = acc_qtext_positional("  ", 2, &n);
    assert_int_equal(n, 0);
    acc_qtext_words_free(w, n);

    /* at most ACC_QTEXT_MAX_POSITIONAL words, the first ones */
    char many[2048] = "";
    for (int i = 0; i < 50; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), "w%d ", i);
    w = acc_qtext_positional(many, strlen(many), &n);
    assert_int_equal(n, ACC_QTEXT_MAX_POSITIONAL);
    assert_string_equal(w[0], "w0");
    assert_string_equal(w[ACC_QTEXT_MAX_POSITIONAL - 1], "w31");
    acc_qtext_words_free(w, n);

    /* repeated words count once toward the cap */
    many[0] = '\0';
    for (int i = 0; i < 100; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), "same ");
    strcat(many, "other");
    w = acc_qtext_positional(many, strlen(many), &n);
    assert_int_equal(n, 2);
    assert_string_equal(w[0], "same");
    assert_string_equal(w[1], "other");
    acc_qtext_words_free(w, n);

    /* invalid UTF-8: no words (the snippet then scans from the start) */
    w = acc_qtext_positional("a\xff", 2, &n);
    assert_int_equal(n, 0);
    acc_qtext_words_free(w, n);
}

/* What Xapian 1.4.22's QueryParser leaks on: a hated phrase before NEAR or ADJ, a hated word
   before NEAR or ADJ and a phrase. */
static void test_for_parser(void **state)
{
    static const char *const cases[][2] = {
        {"water \xe6\xb0\x94\xe5\x80\x99 climate", "water (\xe6\xb0\x94\xe5\x80\x99) climate"},
        {"\xe6\xb0\x94\xe5\x80\x99", "(\xe6\xb0\x94\xe5\x80\x99)"},
        {"a \xe6\xb0\x94\xe5\x80\x99"
         "b c",
         "a (\xe6\xb0\x94\xe5\x80\x99)b c"},
        /* Korean, kana */
        {"a \xed\x95\x9c\xea\xb5\xad b", "a (\xed\x95\x9c\xea\xb5\xad) b"},
        {"a \xe3\x82\xab\xe3\x82\xbf b", "a (\xe3\x82\xab\xe3\x82\xbf) b"},
        /* in a phrase too (ignored there); not inside a word or after a sign */
        {"b\xe6\xb0\x94 c", "b\xe6\xb0\x94 c"},
        {"\"a \xe6\xb0\x94 b\" c \xe6\xb0\x94", "\"a (\xe6\xb0\x94) b\" c (\xe6\xb0\x94)"},
        {"-\xe6\xb0\x94 +\xe6\xb0\x94", "-\xe6\xb0\x94 +\xe6\xb0\x94"},
        /* a field name goes in with the run */
        {"a title:\xe6\xb0\x94 to", "a (title:\xe6\xb0\x94) to"},
        {"a title: \xe6\xb0\x94", "a title: (\xe6\xb0\x94)"},
        {"x:y:\xe6\xb0\x94", "x:y:\xe6\xb0\x94"},
        /* dots: a range only after year: */
        {"climate...", "climate "},
        {"a..b c.d", "a b c.d"},
        {"year:2015..2020 a..b year:..1999", "year:2015..2020 a b year:..1999"},
        {"\"a..b\"", "\"a b\""},
        {".", "."},
        {"of\xe2\x80\x9cH \xe5\x92\x8c\xe2\x80\x9d \xe5\x92\x8c",
         "of\xe2\x80\x9cH (\xe5\x92\x8c)\xe2\x80\x9d (\xe5\x92\x8c)"},
        {"van...\xe4\xbc\x98 b", "van (\xe4\xbc\x98) b"},
        /* CJK punctuation ends the run; other scripts and bad bytes pass */
        {"a \xe6\xb0\x94\xef\xbc\x8c\xe5\x80\x99", "a (\xe6\xb0\x94)\xef\xbc\x8c\xe5\x80\x99"},
        {"a \xc3\xa9t\xc3\xa9 \xff b", "a \xc3\xa9t\xc3\xa9 \xff b"},
        {"", ""},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        acc_buf b;
        acc_buf_init(&b, 0);
        acc_qtext_for_parser(cases[i][0], strlen(cases[i][0]), &b);
        acc_buf_putc(&b, 0);
        assert_string_equal(b.p, cases[i][1]);
        acc_buf_release(&b);
    }
}

static void test_parser_trap(void **state)
{
    static const char *const yes[] = {
        "-a:b NEAR/3",
        "-kli:x NEAR/3 r",
        "-\"a b\" NEAR/3",
        "-a:b ADJ/2 c",
        "x -a.b NEAR y",
        "-\"a b\" ADJ c",
        "-a-b NEAR/10 c",
        /* found by fuzz_query (stop 21) and a cross-check of random queries against Xapian */
        "-KM\tNEAR [e:M\tNEAR [en",
        "-a NEAR b:c",
        "-a ADJ/2 b/c",
        "-\xc3\xa9 NEAR b:c",
        "-a NEAR [b c",
        "-[a NEAR b:c",
        "AND ADJ/2",
        "AND NEAR/3 a:b",
        "(-a:b NEAR/3 c)",
        "-a,NEAR/3 b:c",
        "a NEAR",
        "NEAR a",
        "a NEAR NEAR b",
        "a NEAR b*",
        "a OR b NEAR c",
        "a NEAR \"b c\"",
        "-a:b NEARBY c",
        /* a binary operator with nothing on its left: Xapian's recovery leaks around CJK */
        "OR \xe5\x92\x8c nOR \xe5\x92\x8c n|r",
        "OR a \xe5\x92\x8c b",
        "AND \xe5\x92\x8c a \xe5\x92\x8c b",
        "a AND (OR \xe5\x92\x8c a \xe5\x92\x8c b)",
        "a OR XOR b",
        "NOT OR b",
        "a (AND b)",
        "OR(a b)",
    };
    static const char *const no[] = {
        "-a:b AND c",
        "a:b NEAR/3 c",
        "climate NEAR/3 water",
        "a NEAR b:c",
        "a b NEAR c ADJ/2 d",
        "title:b ADJ x@y",
        "NEARBY",
        "-a:b",
        "-a:b near/3 c",
        "climate OR (water AND -sea)",
        "a AND NOT b",
        "NOT a",
        "a OR (b XOR c) AND d",
        "\xe5\x92\x8c a \xe5\x92\x8c b OR c",
        "ORCHID AND orbit",
        "\"OR a\" b",
        "",
        "-",
    };
    (void)state;
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (!acc_qtext_parser_trap(yes[i], strlen(yes[i])))
            fail_msg("not recognised: %s", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (acc_qtext_parser_trap(no[i], strlen(no[i])))
            fail_msg("recognised: %s", no[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lang),       cmocka_unit_test(test_negation),
        cmocka_unit_test(test_shape),      cmocka_unit_test(test_plain),
        cmocka_unit_test(test_positional), cmocka_unit_test(test_parser_trap),
        cmocka_unit_test(test_for_parser),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
