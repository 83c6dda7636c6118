/*
 * lib/stopwords.c: every list is sorted by bytes, without duplicates, and
 * already folded as queries are (acc_text_norm_fold), so that binary search
 * finds what a query holds; function words are in, content words of the
 * domain are not; unknown languages and odd lengths are no stop words.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "accord/text.h"
#include "stopwords.h"

static const char *const langs[] = {"ar", "de", "en", "es", "fr", "it", "nl", "pt", "ro", "ru"};

static void lists_sorted_and_folded(void **state)
{
    (void)state;
    for (size_t l = 0; l < sizeof langs / sizeof langs[0]; l++) {
        size_t n;
        const char *const *v = acc_stopword_list(langs[l], &n);
        assert_non_null(v);
        assert_true(n >= 80);
        for (size_t i = 0; i < n; i++) {
            if (i)
                assert_true(strcmp(v[i - 1], v[i]) < 0);
            acc_buf f;
            acc_buf_init(&f, 0);
            assert_int_equal(acc_text_norm_fold(v[i], strlen(v[i]), &f, NULL), ACC_OK);
            assert_int_equal(f.n, strlen(v[i]));
            assert_memory_equal(f.p, v[i], f.n);
            acc_buf_release(&f);
            assert_true(acc_stopword(langs[l], v[i], strlen(v[i])));
        }
    }
}

static int is(const char *lang, const char *w)
{
    return acc_stopword(lang, w, strlen(w));
}

static void function_words_only(void **state)
{
    (void)state;
    assert_true(is("en", "the") && is("en", "and") && is("en", "to") && is("en", "of"));
    assert_true(is("nl", "de") && is("nl", "het") && is("nl", "van"));
    assert_true(is("de", "der") && is("de", "und") && is("de", "fur")); /* für, folded */
    assert_true(is("fr", "les") && is("fr", "du") && is("es", "los") && is("it", "della"));
    assert_true(is("ru", "и") && is("ar", "في"));
    static const char *const content[] = {"climate", "energy", "water", "fund",  "loss",
                                          "damage",  "state",  "new",   "first", "two"};
    for (size_t i = 0; i < sizeof content / sizeof content[0]; i++)
        assert_false(is("en", content[i]));
    assert_false(is("nl", "klimaat") || is("de", "klima") || is("fr", "climat"));
    assert_false(is("de", "weg") || is("de", "machen")); /* nouns and verbs of the domain */
    /* "the" is English, not Dutch: lists are per language */
    assert_false(is("nl", "the"));
}

static void edges(void **state)
{
    (void)state;
    assert_false(is("xx", "the"));
    assert_false(is("zh", "的"));
    assert_false(acc_stopword(NULL, "the", 3));
    assert_false(acc_stopword("en", "the", 0));
    assert_false(acc_stopword("en", "th", 2)); /* a prefix of a stop word */
    assert_false(acc_stopword("en", "thee", 4));
    size_t n = 7;
    assert_null(acc_stopword_list("zh", &n));
    assert_int_equal(n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lists_sorted_and_folded),
        cmocka_unit_test(function_words_only),
        cmocka_unit_test(edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
