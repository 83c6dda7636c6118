/* Unit tests of snippet selection and escaping (lib/snippet.c) with a toy matcher. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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

/* match_words, counting the words it is asked about */
typedef struct counted {
    const char *const *words;
    size_t calls;
} counted;

static int match_counted(void *ctx, const char *tok, size_t n)
{
    counted *c = ctx;
    c->calls++;
    return match_words((void *)c->words, tok, n);
}

/* text = `before` filler words, then s, then `after` filler words */
static char *filled(size_t before, const char *s, size_t after)
{
    char *t = calloc(1, (before + after) * 8 + strlen(s) + 1);
    for (size_t i = 0; i < before; i++)
        strcat(t, "filler ");
    strcat(t, s);
    for (size_t i = 0; i < after; i++)
        strcat(t, " filler");
    return t;
}

static void test_near(void **state)
{
    const char *words[] = {"alpha", "beta", NULL};
    (void)state;
    /* the words near the place given are the ones looked at */
    char *t = filled(300, "the alpha and the beta together.", 300);
    counted c = {words, 0};
    size_t at = 0;
    char *s = acc_snippet_near(t, strlen(t), 120, match_counted, &c, 301, &at);
    assert_non_null(s);
    assert_non_null(strstr(s, "<mark>alpha</mark> and the <mark>beta</mark>"));
    assert_int_equal(strncmp(t + at, "alpha", 5), 0);
    assert_true(c.calls < 250); /* of 606 words */
    free(s);
    /* a place where nothing matches (positions and words counted apart): the whole text */
    c.calls = 0;
    s = acc_snippet_near(t, strlen(t), 120, match_counted, &c, 10, &at);
    assert_non_null(s);
    assert_non_null(strstr(s, "<mark>alpha</mark> and the <mark>beta</mark>"));
    free(s);
    s = acc_snippet_near(t, strlen(t), 120, match_counted, &c, 5000, &at);
    assert_non_null(strstr(s, "<mark>alpha</mark>"));
    free(s);
    free(t);
    /* no match anywhere: NULL, as acc_snippet_find */
    t = filled(100, "nothing here", 100);
    assert_null(acc_snippet_near(t, strlen(t), 120, match_counted, &c, 50, &at));
    free(t);
    /* a wide window shows words before and after those looked at: they are marked too */
    t = filled(200, "beta", 40);
    char *u = filled(0, "alpha", 200);
    char *v = filled(0, "beta", 100);
    char *all = calloc(1, strlen(t) + strlen(u) + strlen(v) + 3);
    sprintf(all, "%s %s %s", t, u, v);
    s = acc_snippet_near(all, strlen(all), 3000, match_counted, &c, 241, &at);
    assert_non_null(s);
    assert_non_null(strstr(s, "<mark>alpha</mark>"));
    size_t beta = 0;
    for (const char *q = s; (q = strstr(q, "<mark>beta</mark>")) != NULL; q++)
        beta++;
    assert_int_equal(beta, 2); /* 41 words before alpha, and 201 after */
    free(s);
    free(t);
    free(u);
    free(v);
    free(all);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_marks_and_escapes),
        cmocka_unit_test(test_best_window),
        cmocka_unit_test(test_no_match_gives_start),
        cmocka_unit_test(test_apostrophe_word_and_cjk),
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_near),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
