/*
 * lib/qtext.c: the query text before parsing (lib/qtext.h): lang: typed in
 * the text, pure negations, the shape (words, syntax), the plain-word reading
 * of a broken query, the query's positional words.
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

    /* at most ACC_QTEXT_MAX_POSITIONAL words */
    char many[2048] = "";
    for (int i = 0; i < 50; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), "w%d ", i);
    w = acc_qtext_positional(many, strlen(many), &n);
    assert_int_equal(n, ACC_QTEXT_MAX_POSITIONAL);
    acc_qtext_words_free(w, n);

    /* invalid UTF-8: no words (the snippet then scans from the start) */
    w = acc_qtext_positional("a\xff", 2, &n);
    assert_int_equal(n, 0);
    acc_qtext_words_free(w, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lang),       cmocka_unit_test(test_negation),
        cmocka_unit_test(test_shape),      cmocka_unit_test(test_plain),
        cmocka_unit_test(test_positional),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
