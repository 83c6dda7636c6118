/*
 * lib/stopwords.c (lib/stopwords.h): every list sorted by bytes, without
 * duplicates and already folded (each entry is what acc_text_norm_fold makes
 * of it); known function words in, content words out (a wrong stop word makes
 * a query word disappear); words typed with accents found through folding;
 * unknown languages, the empty word, bogus lengths and NUL bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "accord/mem.h"
#include "accord/text.h"
#include "stopwords.h"

/* acc_stopword() on NUL-terminated w */
static int stop(const char *lang, const char *w)
{
    return acc_stopword(lang, w, strlen(w));
}

/* acc_stopword() on w as a user types it, folded first as query words are */
static int stop_typed(const char *lang, const char *w)
{
    acc_buf b;
    acc_error err = {0};
    acc_buf_init(&b, 0);
    assert_int_equal(acc_text_norm_fold(w, strlen(w), &b, &err), ACC_OK);
    int r = acc_stopword(lang, b.p, b.n);
    acc_buf_release(&b);
    return r;
}

static void test_lists_sorted_and_folded(void **state)
{
    const char *const *langs = acc_stopword_langs();
    size_t nlangs = 0, total = 0;
    acc_buf b;
    acc_buf_init(&b, 0);
    (void)state;
    for (; langs[nlangs]; nlangs++) {
        const char *lang = langs[nlangs];
        size_t n;
        const char *const *v = acc_stopword_list(lang, &n);
        assert_non_null(v);
        assert_true(n >= 80); /* none is a token list */
        for (size_t i = 0; i < n; i++) {
            size_t len = strlen(v[i]);
            acc_error err = {0};
            assert_true(len > 0);
            assert_true(len < ACC_STOPWORD_MAX_BYTES);
            if (i > 0 && strcmp(v[i - 1], v[i]) >= 0)
                fail_msg("%s: \"%s\" before \"%s\"", lang, v[i - 1], v[i]);
            acc_buf_reset(&b);
            assert_int_equal(acc_text_norm_fold(v[i], len, &b, &err), ACC_OK);
            if (b.n != len || memcmp(b.p, v[i], len) != 0)
                fail_msg("%s: \"%s\" folds to \"%.*s\"", lang, v[i], (int)b.n, b.p);
            assert_true(acc_stopword(lang, v[i], len));
            assert_true(acc_stopword_any(v[i], len));
        }
        total += n;
        printf("%s: %zu words\n", lang, n);
    }
    assert_int_equal(nlangs, 10);
    printf("all: %zu words\n", total);
    acc_buf_release(&b);
}

static void test_known_words(void **state)
{
    (void)state;
    assert_true(stop("en", "the"));
    assert_true(stop("en", "and"));
    assert_true(stop("en", "to"));
    assert_true(stop("en", "of"));
    assert_true(stop("en", "a"));
    assert_true(stop("en", "yourselves"));
    assert_true(stop("en", "don't"));
    assert_true(stop("nl", "de"));
    assert_true(stop("nl", "het"));
    assert_true(stop("nl", "van"));
    assert_true(stop("de", "der"));
    assert_true(stop("de", "und"));
    assert_true(stop("de", "zwischen"));
    assert_true(stop("fr", "le"));
    assert_true(stop("fr", "et"));
    assert_true(stop("es", "el"));
    assert_true(stop("es", "y"));
    assert_true(stop("it", "il"));
    assert_true(stop("it", "della"));
    assert_true(stop("pt", "de"));
    assert_true(stop("pt", "os"));
    assert_true(stop("ro", "si"));
    assert_true(stop("ro", "sau"));
    assert_true(stop("ru", "и"));
    assert_true(stop("ru", "не"));
    assert_true(stop("ar", "في"));
    assert_true(stop("ar", "من"));
    assert_true(stop("ar", "وفي"));
    assert_true(stop("ar", "التي"));
    assert_true(stop("ar", "الذي"));
    /* not the word of another language: "the" is English only, "und" German only */
    assert_false(stop("de", "the"));
    assert_false(stop("en", "und"));
    assert_false(stop("nl", "the"));
    /* exact words only: no prefix, no extension, no upper case (lists are folded) */
    assert_false(acc_stopword("en", "the", 2));
    assert_false(stop("en", "thee"));
    assert_false(stop("en", "them_"));
    assert_false(stop("en", "The"));
    assert_false(stop("en", "aa"));
    assert_false(stop("en", "zzz"));
}

/* The words as typed (accents, ß, й, hamza) are found once folded. */
static void test_typed_words(void **state)
{
    (void)state;
    assert_true(stop_typed("de", "für"));
    assert_true(stop_typed("de", "daß"));
    assert_true(stop_typed("de", "dass"));
    assert_true(stop_typed("de", "Über"));
    assert_true(stop_typed("de", "würde"));
    assert_true(stop_typed("fr", "à"));
    assert_true(stop_typed("fr", "été"));
    assert_true(stop_typed("fr", "où"));
    assert_true(stop_typed("es", "también"));
    assert_true(stop_typed("it", "perché"));
    assert_true(stop_typed("pt", "não"));
    assert_true(stop_typed("pt", "à"));
    assert_true(stop_typed("ro", "și"));
    assert_true(stop_typed("ro", "şi")); /* the cedilla spelling */
    assert_true(stop_typed("ro", "în"));
    assert_true(stop_typed("ro", "către"));
    assert_true(stop_typed("ru", "Её"));
    assert_true(stop_typed("ru", "другой"));
    assert_true(stop_typed("ar", "إلى"));
    assert_true(stop_typed("ar", "أن"));
    assert_true(stop_typed("ar", "هؤلاء"));
    assert_true(stop_typed("en", "The"));
    assert_true(stop_typed("en", "don’t")); /* typographic apostrophe */
}

/* Content words are never function words, in their own language or any. */
static void test_content_words(void **state)
{
    static const char *const en[] = {"climate", "energy", "water", "fund",   "loss",
                                     "state",   "first",  "new",   "two",    "just",
                                     "may",     "will",   "us",    "damage", "people"};
    (void)state;
    for (size_t i = 0; i < sizeof en / sizeof en[0]; i++)
        if (stop("en", en[i]))
            fail_msg("en \"%s\" is a stop word", en[i]);
    assert_false(stop("nl", "klimaat"));
    assert_false(stop("nl", "meer")); /* lake */
    assert_false(stop("nl", "water"));
    assert_false(stop("de", "klima"));
    assert_false(stop("de", "wasser"));
    assert_false(stop("de", "weg")); /* path */
    assert_false(stop("de", "machen"));
    assert_false(stop_typed("de", "Wärme"));
    assert_false(stop("fr", "climat"));
    assert_false(stop("fr", "eau"));
    assert_false(stop("fr", "plus"));
    assert_false(stop("es", "agua"));
    assert_false(stop("es", "bajo"));  /* bajo carbono: low carbon */
    assert_false(stop("it", "stato")); /* state */
    assert_false(stop("it", "acqua"));
    assert_false(stop("it", "prima")); /* first */
    assert_false(stop("pt", "agua"));
    assert_false(stop("ro", "apa"));
    assert_false(stop("ru", "климат"));
    assert_false(stop("ru", "человек"));
    assert_false(stop("ru", "два"));
    assert_false(stop("ru", "один"));
    assert_false(stop("ar", "المناخ"));
    assert_false(stop("ar", "مياه"));
    assert_false(acc_stopword_any("climate", 7));
    assert_false(acc_stopword_any("energy", 6));
    assert_false(acc_stopword_any("klimaat", 7));
}

static void test_any(void **state)
{
    (void)state;
    assert_true(acc_stopword_any("the", 3));
    assert_true(acc_stopword_any("und", 3));
    assert_true(acc_stopword_any("het", 3));
    assert_true(acc_stopword_any("della", 5));
    assert_true(acc_stopword_any("которые", strlen("которые")));
    assert_true(acc_stopword_any("وفي", strlen("وفي")));
    assert_false(acc_stopword_any("", 0));
    assert_false(acc_stopword_any(NULL, 3));
    assert_false(acc_stopword_any("the", (size_t)-1));
    assert_false(acc_stopword_any("the\0", 4));
}

static void test_unknown_language(void **state)
{
    size_t n = 99;
    (void)state;
    assert_false(stop("zh", "的")); /* Chinese has no list */
    assert_false(stop("xx", "the"));
    assert_false(stop("", "the"));
    assert_false(stop("EN", "the"));
    assert_false(stop("english", "the"));
    assert_false(acc_stopword(NULL, "the", 3));
    assert_null(acc_stopword_list("zh", &n));
    assert_int_equal(n, 0);
    assert_null(acc_stopword_list(NULL, &n));
}

static void test_empty_and_bad_lengths(void **state)
{
    char longword[ACC_STOPWORD_MAX_BYTES + 8];
    (void)state;
    assert_false(acc_stopword("en", "", 0));
    assert_false(acc_stopword("en", "the", 0));
    assert_false(acc_stopword("en", NULL, 3));
    assert_false(acc_stopword("en", NULL, 0));
    /* a length that is no length (a negative one cast) is no word, and reads nothing */
    assert_false(acc_stopword("en", "the", (size_t)-1));
    assert_false(acc_stopword("en", "the", ACC_STOPWORD_MAX_BYTES));
    /* NUL bytes are part of the word: "the\0" is not "the" */
    assert_false(acc_stopword("en", "the\0", 4));
    assert_false(acc_stopword("en", "\0the", 4));
    memset(longword, 'a', sizeof longword);
    assert_false(acc_stopword("en", longword, sizeof longword));
    /* a function word followed by other bytes counts only its own n */
    assert_true(acc_stopword("en", "andromeda", 3));
    assert_false(acc_stopword("en", "andromeda", 9));
}

/* The mask of a word: exactly the languages whose list has it, found by bisection here. */
static void test_mask(void **state)
{
    (void)state;
    const char *const *langs = acc_stopword_langs();
    size_t nlangs = 0;
    while (langs[nlangs])
        nlangs++;
    assert_int_equal(nlangs, ACC_STOPWORD_NLANGS);
    size_t checked = 0;
    for (size_t l = 0; l < nlangs; l++) {
        size_t n;
        const char *const *v = acc_stopword_list(langs[l], &n);
        for (size_t k = 0; k < n; k++) {
            unsigned want = 0;
            for (size_t m = 0; m < nlangs; m++) {
                size_t mn;
                const char *const *mv = acc_stopword_list(langs[m], &mn);
                size_t lo = 0, hi = mn;
                while (lo < hi) {
                    size_t mid = lo + (hi - lo) / 2;
                    int c = strcmp(v[k], mv[mid]);
                    if (c == 0) {
                        want |= 1u << m;
                        break;
                    }
                    if (c < 0)
                        hi = mid;
                    else
                        lo = mid + 1;
                }
            }
            assert_int_equal(acc_stopword_mask(v[k], strlen(v[k])), want);
            checked++;
        }
    }
    assert_true(checked > 1000);
    /* "de": Spanish, French, Dutch, Portuguese and Romanian */
    unsigned de = acc_stopword_mask("de", 2);
    assert_true(__builtin_popcount(de) >= 4);
    assert_int_equal(acc_stopword_mask("forest", 6), 0);
    assert_int_equal(acc_stopword_mask("the", 2), 0); /* a prefix is not the word */
    assert_int_equal(acc_stopword_mask("the\0", 4), 0);
    assert_int_equal(acc_stopword_mask(NULL, 3), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lists_sorted_and_folded),
        cmocka_unit_test(test_known_words),
        cmocka_unit_test(test_typed_words),
        cmocka_unit_test(test_content_words),
        cmocka_unit_test(test_any),
        cmocka_unit_test(test_unknown_language),
        cmocka_unit_test(test_empty_and_bad_lengths),
        cmocka_unit_test(test_mask),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
