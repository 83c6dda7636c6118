/*
 * tests/fuzz/fuzz_text.c: the text pipeline on any bytes: UTF-8 checking and
 * repair, normalising, folding (index and query), words and index terms,
 * the fold of a word's head, German digraphs, Romanian cedillas, language
 * detection, and each word stemmed with the stemmer of the language byte 0
 * picks. Checks the invariants the index relies on: what the pipeline
 * writes is valid UTF-8, and words lie inside their text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/lang.h"
#include "accord/text.h"
#include "fuzz_util.h"
#include "stem.h"
#include "xap.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

typedef struct ctx {
    const char *text;
    size_t n, words;
    acc_xap_stem *stem;
    acc_buf out;
} ctx;

static int on_word(void *vc, const char *w, size_t len, int cjk)
{
    ctx *c = vc;
    (void)cjk;
    if (!len || w < c->text || w + len > c->text + c->n || !acc_utf8_valid(w, len))
        abort();
    c->words++;
    if (c->stem) {
        acc_buf_reset(&c->out);
        acc_xap_stem_word(c->stem, w, len, &c->out);
        acc_stem_folded(c->stem, w, len, &c->out);
    }
    char head[32];
    size_t h = acc_text_fold_head(w, len, 8, head, sizeof head);
    if (h != ACC_FOLD_HEAD_UNKNOWN && h > sizeof head)
        abort();
    return c->words > 5000; /* enough of one input */
}

static void on_term(void *vc, const char *t, size_t len, int positional)
{
    (void)vc;
    (void)positional;
    if (!len || !acc_utf8_valid(t, len))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    if (n < 1)
        return 0;
    const char *lang = fz_lang(d[0]);
    const char *p = (const char *)d + 1;
    size_t m = n - 1;
    acc_buf clean, norm, fold, q, de;
    acc_error err;
    acc_buf_init(&clean, 0);
    acc_buf_init(&norm, 0);
    acc_buf_init(&fold, 0);
    acc_buf_init(&q, 0);
    acc_buf_init(&de, 0);
    (void)acc_utf8_valid(p, m);
    acc_utf8_sanitize(p, m, &clean);
    const char *t = clean.p ? clean.p : "";
    if (!acc_utf8_valid(t, clean.n))
        abort();
    if (acc_text_norm(t, clean.n, &norm, &err) == ACC_OK && !acc_utf8_valid(norm.p, norm.n))
        abort();
    if (acc_text_fold(t, clean.n, &fold, &err) == ACC_OK && !acc_utf8_valid(fold.p, fold.n))
        abort();
    acc_buf_reset(&fold);
    if (acc_text_norm_fold(t, clean.n, &fold, &err) == ACC_OK) {
        if (!acc_utf8_valid(fold.p, fold.n))
            abort();
        acc_text_de_digraphs(fold.p ? fold.p : "", fold.n, &de);
        char *ro = fz_dup(fold.p ? fold.p : "", fold.n);
        acc_text_ro_cedilla(ro, fold.n);
        if (!acc_utf8_valid(ro, fold.n))
            abort();
        free(ro);
    }
    if (acc_text_query_fold(t, clean.n, &q, &err) == ACC_OK && !acc_utf8_valid(q.p, q.n))
        abort();
    ctx c = {.text = t, .n = clean.n, .stem = acc_stem_new(lang)};
    acc_buf_init(&c.out, 0);
    acc_text_words(t, clean.n, on_word, &c);
    acc_text_terms(norm.p ? norm.p : "", norm.n, on_term, NULL);
    char code[ACC_LANG_MAX];
    (void)acc_lang_detect(t, clean.n, code, &err);
    acc_xap_stem_free(c.stem);
    acc_buf_release(&c.out);
    acc_buf_release(&clean);
    acc_buf_release(&norm);
    acc_buf_release(&fold);
    acc_buf_release(&q);
    acc_buf_release(&de);
    return 0;
}
