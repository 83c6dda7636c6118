/*
 * accord's own term tokenizer (acc_text_terms) must make exactly the terms
 * Xapian's TermGenerator makes, or queries parsed by QueryParser would miss
 * indexed words. Compared on edge cases and on every document of corpus/,
 * after the same normalisation and folding the indexer applies.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "accord/text.h"
#include "accord/xap.h"

static const char *corpus_dir;

static void same_terms(const char *what, const char *text, size_t n)
{
    char diff[512];
    size_t ndiff = 99;
    assert_int_equal(acc_xap_check_terms(text, n, diff, sizeof diff, &ndiff), ACC_OK);
    if (ndiff)
        fail_msg("%s: %zu terms differ; first: %s", what, ndiff, diff);
}

static void test_edge_cases(void **state)
{
    static const char *const cases[] = {
        "plain words here",
        "don't rock'n'roll aujourd'hui o'neill",
        "at&t m&s a&b &x y&",
        "1.5 3,000 2030-2050 v2.0 iso14001 1st 10% 50/50 12.1.3 1,2,3 1;2",
        "c++ c# f# x+++ y++++ fish+chips a+ b#c",
        "state-of-the-art covid-19 e-mail",
        "under_score __init__ a__b",
        "info@example.org https://www.un.org/sdgs?x=1",
        "可持续发展协议 长江流域生态环境保护 中文abc混合def",
        "日本語のテキスト 한국어 텍스트",
        "климат изменение климата",
        "التنمية المستدامة ١٢٣ 123",
        "x\xE2\x80\x99y a\xE2\x80\x8B"
        "b 1\xE2\x80\x8B"
        "2",
        "a\xC2\xB7"
        "b a\xE2\x80\xA7"
        "b",
        "'quoted' \"double\" (brackets) [x] {y}",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa short",
        "\xE2\x85\xA0 \xE2\x85\xAB roman numerals",
        "trailing+",
        "",
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        same_terms(cases[i], cases[i], strlen(cases[i]));
}

static void test_corpus(void **state)
{
    DIR *d = opendir(corpus_dir);
    struct dirent *e;
    int files = 0;
    (void)state;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        size_t k = strlen(e->d_name);
        if (k < 5 || strcmp(e->d_name + k - 4, ".txt") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", corpus_dir, e->d_name);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        acc_buf raw, folded;
        acc_buf_init(&raw, 0);
        acc_buf_init(&folded, 0);
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            acc_buf_append(&raw, chunk, n);
        fclose(f);
        assert_int_equal(acc_text_norm_fold(raw.p, raw.n, &folded, NULL), ACC_OK);
        same_terms(e->d_name, folded.p, folded.n);
        acc_buf_release(&raw);
        acc_buf_release(&folded);
        files++;
    }
    closedir(d);
    assert_true(files >= 40);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edge_cases),
        cmocka_unit_test(test_corpus),
    };
    corpus_dir = argc > 1 ? argv[1] : "corpus";
    return cmocka_run_group_tests(tests, NULL, NULL);
}
