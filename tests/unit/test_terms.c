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
#include "accord/schema.h"
#include "termgen.h"
#include "xap.h"

static const char *corpus_dir;

/* One term of a document as acc_xap_termgen/acc_xap_doc_postings list it. */
typedef struct posting {
    char *term;
    unsigned wdf;
    char pos[256]; /* the first positions, as text */
} posting;

typedef struct plist {
    posting *v;
    size_t n;
} plist;

static void on_posting(void *ctx, const char *t, size_t n, unsigned wdf, const unsigned *pos,
                       size_t npos)
{
    plist *l = ctx;
    l->v = realloc(l->v, (l->n + 1) * sizeof *l->v);
    posting *p = &l->v[l->n++];
    p->term = strndup(t, n);
    p->wdf = wdf;
    size_t k = 0;
    p->pos[0] = '\0';
    for (size_t i = 0; i < npos && i < 6; i++)
        k += (size_t)snprintf(p->pos + k, sizeof p->pos - k, " %u", pos[i]);
}

static void plist_free(plist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].term);
    free(l->v);
}

/* acc_text_terms() into a document, as the indexer adds them */
typedef struct sink {
    acc_xap_doc *doc;
    unsigned pos;
} sink;

static void on_term(void *ctx, const char *t, size_t n, int positional)
{
    sink *s = ctx;
    if (positional)
        acc_xap_doc_add_posting(s->doc, t, n, ++s->pos, 1);
    else
        acc_xap_doc_add_term(s->doc, t, n, 1);
}

static void same_terms(const char *what, const char *text, size_t n)
{
    plist a = {NULL, 0}, b = {NULL, 0};
    sink s = {acc_xap_doc_new(), 0};
    size_t ndiff = 0;
    char first[1024] = "";
    assert_int_equal(acc_xap_termgen(text, n, ACC_MAX_WORD_BYTES, on_posting, &a, NULL), ACC_OK);
    acc_text_terms(text, n, on_term, &s);
    assert_int_equal(acc_xap_doc_postings(s.doc, on_posting, &b, NULL), ACC_OK);
    acc_xap_doc_free(s.doc);
    /* both lists are in byte order of the term */
    size_t i = 0, j = 0;
    while (i < a.n || j < b.n) {
        int c = i == a.n ? 1 : j == b.n ? -1 : strcmp(a.v[i].term, b.v[j].term);
        if (c == 0 && a.v[i].wdf == b.v[j].wdf && strcmp(a.v[i].pos, b.v[j].pos) == 0) {
            i++;
            j++;
            continue;
        }
        if (!ndiff++) {
            if (c < 0)
                snprintf(first, sizeof first, "TermGenerator has '%s' that accord has not",
                         a.v[i].term);
            else if (c > 0)
                snprintf(first, sizeof first, "accord has '%s' that TermGenerator has not",
                         b.v[j].term);
            else
                snprintf(first, sizeof first, "'%s': TermGenerator wdf %u at%s; accord wdf %u at%s",
                         a.v[i].term, a.v[i].wdf, a.v[i].pos, b.v[j].wdf, b.v[j].pos);
        }
        if (c <= 0)
            i++;
        if (c >= 0)
            j++;
    }
    plist_free(&a);
    plist_free(&b);
    if (ndiff)
        fail_msg("%s: %zu terms differ; first: %s", what, ndiff, first);
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
