/*
 * tests/fuzz/fuzz_snippet.c: the snippet and highlight code on any text and
 * query words, and the document readers that run on the same text at
 * indexing: foreign-language passages and article headings. Input: byte 0
 * picks the language and the snippet width, line 1 holds the query words,
 * the rest is the document's text. The query is made of each word's plain
 * term and its stem for the language, as a query of the index would be,
 * and the highlighter built from it (lib/highlight.c) is the snippet's
 * matcher, as for a hit (lib/hits.c).
 * Checks: a snippet is valid UTF-8 whose only markup is balanced <mark>
 * (the text is HTML-escaped), its start lies inside the text on a character boundary,
 * the find/at pair agree, passages are valid UTF-8.
 */
#include <stdlib.h>
#include <string.h>

#include "accord/snippet.h"
#include "accord/structure.h"
#include "accord/text.h"
#include "fuzz_util.h"
#include "highlight.h"
#include "passages.h"
#include "qbits.h"
#include "stem.h"
#include "xap.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static void on_passage(void *ctx, const char *lang, const char *p, size_t n)
{
    (void)ctx;
    if (!lang || !*lang || !acc_utf8_valid(p, n))
        abort();
}

static void check_snippet(const char *s, const char *text, size_t n, size_t at)
{
    if (!s || !acc_utf8_valid(s, strlen(s)))
        abort();
    /* the only markup: <mark>...</mark>, balanced, not nested */
    int open = 0;
    for (const char *c = s; *c; c++) {
        if (*c == '<' && strncmp(c, "<mark>", 6) == 0 && !open) {
            open = 1;
            c += 5;
        } else if (*c == '<' && strncmp(c, "</mark>", 7) == 0 && open) {
            open = 0;
            c += 6;
        } else if (*c == '<' || *c == '>') {
            abort();
        }
    }
    if (open)
        abort();
    if (at > n || (at < n && ((unsigned char)text[at] & 0xC0) == 0x80))
        abort();
}

/* the query words' terms: each plain (folded) and its stem for lang */
static acc_xap_query *query_of(const char *q, size_t qn, const char *lang)
{
    acc_buf fold, stem;
    acc_error err;
    acc_qlist l = {0};
    acc_buf_init(&fold, 0);
    acc_buf_init(&stem, 0);
    acc_xap_stem *st = acc_stem_new(lang);
    if (acc_text_query_fold(q, qn, &fold, &err) == ACC_OK && fold.p) {
        const char *p = fold.p, *e = fold.p + fold.n;
        while (p < e) {
            while (p < e && *p == ' ')
                p++;
            const char *w = p;
            while (p < e && *p != ' ')
                p++;
            if (p == w)
                continue;
            acc_qlist_add(&l, acc_q_term("", w, (size_t)(p - w)));
            if (st) {
                acc_buf_reset(&stem);
                acc_xap_stem_word(st, w, (size_t)(p - w), &stem);
                if (stem.n)
                    acc_qlist_add(&l, acc_q_term("Z", stem.p, stem.n));
            }
        }
    }
    acc_xap_stem_free(st);
    acc_buf_release(&fold);
    acc_buf_release(&stem);
    return l.n ? acc_qlist_join(&l, ACC_XAP_OR) : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    if (n < 1)
        return 0;
    const char *lang = fz_lang(d[0]);
    size_t width = 40 + (size_t)(d[0] >> 4) * 20;
    const char *f[2];
    size_t len[2];
    size_t k = fz_split(d + 1, n - 1, f, len, 2);
    acc_buf q, text;
    acc_buf_init(&q, 0);
    acc_buf_init(&text, 0);
    acc_utf8_sanitize(f[0], len[0], &q);
    if (k > 1)
        acc_utf8_sanitize(f[1], len[1], &text);
    const char *t = text.p ? text.p : "";
    size_t tn = text.n;

    acc_xap_query *xq = query_of(q.p ? q.p : "", q.n, lang);
    acc_highlighter *h = xq ? acc_highlighter_new(xq, lang) : NULL;
    size_t at = 0, at2 = 0;
    char *s = acc_snippet_at(t, tn, width, h ? acc_highlight_match : NULL, h, &at);
    check_snippet(s, t, tn, at);
    char *s2 = acc_snippet_find(t, tn, width, h ? acc_highlight_match : NULL, h, &at2);
    if (s2) {
        check_snippet(s2, t, tn, at2);
        if (strcmp(s, s2) != 0 || at != at2) /* with a match, both give the same window */
            abort();
    }
    free(s);
    free(s2);
    /* a whole sentence as the snippet of a commitment (hits.c) */
    size_t dummy;
    s = acc_snippet_at(t, tn, tn + 1, h ? acc_highlight_match : NULL, h, &dummy);
    check_snippet(s, t, tn, dummy);
    free(s);
    s = acc_html_escape(t, tn);
    if (!s || strchr(s, '<') || !acc_utf8_valid(s, strlen(s)))
        abort();
    free(s);

    acc_passages_foreign(lang, t, tn, on_passage, NULL);
    acc_article *a = NULL;
    size_t na = acc_articles_find(t, tn, &a);
    acc_articles_free(a, na);

    acc_highlighter_free(h);
    acc_xap_query_free(xq);
    acc_buf_release(&q);
    acc_buf_release(&text);
    return 0;
}
