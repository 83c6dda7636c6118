/* Unit tests of snippet selection and escaping (lib/snippet.c) with a toy matcher. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "accord/snippet.h"

/* matches the words listed in ctx (NULL-terminated), exactly, as ids 0.. */
/* The snippet of text[0..n) (acc_snippet_at without the offset). */
static char *snippet(const char *text, size_t n, size_t width, acc_snippet_match_fn fn, void *ctx)
{
    size_t at;
    return acc_snippet_at(text, n, width, fn, ctx, &at);
}

static int match_words(void *ctx, const char *tok, size_t n)
{
    const char *const *w = ctx;
    for (int i = 0; w[i]; i++)
        if (strlen(w[i]) == n && memcmp(w[i], tok, n) == 0)
            return i;
    return -1;
}

static void test_marks_and_escapes(void **state)
{
    const char *words[] = {"forests", NULL};
    const char *text = "Forests & <script>alert(1)</script> protect \"forests\" 'now'";
    char *s;
    (void)state;
    s = snippet(text, strlen(text), 200, match_words, (void *)words);
    assert_string_equal(s, "Forests &amp; &lt;script&gt;alert(1)&lt;/script&gt; protect "
                           "&quot;<mark>forests</mark>&quot; &#39;now&#39;");
    free(s);
}

static void test_best_window(void **state)
{
    const char *words[] = {"alpha", "beta", NULL};
    char text[4000];
    char *s;
    (void)state;
    /* alpha alone early, alpha + beta together late: the late window wins */
    strcpy(text, "alpha ");
    for (int i = 0; i < 100; i++)
        strcat(text, "filler words here ");
    strcat(text, "the alpha and the beta together. ");
    for (int i = 0; i < 20; i++)
        strcat(text, "more text ");
    s = snippet(text, strlen(text), 120, match_words, (void *)words);
    assert_non_null(strstr(s, "<mark>alpha</mark> and the <mark>beta</mark>"));
    assert_true(strncmp(s, "\xE2\x80\xA6", 3) == 0); /* cut at the start */
    assert_true(strlen(s) < 200);
    free(s);
}

static void test_no_match_gives_start(void **state)
{
    const char *words[] = {"absent", NULL};
    const char *text = "First line\n\n\twith   spaces and a long tail that goes on and on and on";
    char *s;
    (void)state;
    s = snippet(text, strlen(text), 30, match_words, (void *)words);
    assert_true(strncmp(s, "First line with spaces", 22) == 0);
    assert_non_null(strstr(s, "\xE2\x80\xA6"));
    free(s);
}

static void test_apostrophe_word_and_cjk(void **state)
{
    const char *words[] = {"l’environnement", "江流", NULL};
    const char *text = "de l’environnement. 长江流域";
    char *s;
    (void)state;
    s = snippet(text, strlen(text), 200, match_words, (void *)words);
    assert_string_equal(s, "de <mark>l’environnement</mark>. 长<mark>江流</mark>域");
    free(s);
}

static void test_escape(void **state)
{
    char *s = acc_html_escape("<a href='x'>&</a>", 17);
    (void)state;
    assert_string_equal(s, "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_marks_and_escapes),
        cmocka_unit_test(test_best_window),
        cmocka_unit_test(test_no_match_gives_start),
        cmocka_unit_test(test_apostrophe_word_and_cjk),
        cmocka_unit_test(test_escape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
