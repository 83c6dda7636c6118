/*
 * One apostrophe set for the whole text pipeline: every way of writing an
 * apostrophe (U+0027, U+2019, U+2018, U+02BC, U+FF07, U+2032, U+0060,
 * U+00B4, U+201B) is indexed, queried and highlighted alike. A French
 * elision (l'environnement) is found by the bare word and by the elided
 * form typed with any apostrophe, and the whole written word is marked; a
 * word with an inner apostrophe (aujourd'hui) stays one word.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "accord/snippet.h"
#include "accord/text.h"
#include "accord/index.h"
#include "accord/writer.h"
#include "fixture.h"

static const char *const forms[] = {
    "'",            /* U+0027 apostrophe */
    "\xE2\x80\x99", /* U+2019 right single quotation mark */
    "\xE2\x80\x98", /* U+2018 left single quotation mark */
    "\xCA\xBC",     /* U+02BC modifier letter apostrophe */
    "\xEF\xBC\x87", /* U+FF07 fullwidth apostrophe */
    "\xE2\x80\xB2", /* U+2032 prime */
    "`",            /* U+0060 grave accent */
    "\xC2\xB4",     /* U+00B4 acute accent */
    "\xE2\x80\x9B", /* U+201B single high-reversed-9 quotation mark */
};
#define NFORMS (sizeof forms / sizeof forms[0])

/* Builds and writes d (acc_docbuild + acc_writer_write). */
static acc_status put_doc(acc_writer *w, const acc_doc *d, int *replaced, acc_error *err)
{
    acc_built_doc *b = NULL;
    acc_status st = acc_docbuild(d, NULL, &b, err);
    if (st == ACC_OK)
        st = acc_writer_write(w, b, replaced, err);
    acc_built_doc_free(b);
    return st;
}

static int setup(void **state)
{
    acc_writer *w = NULL;
    acc_error err;
    char path[300], text[512], id[16];
    (void)state;
    if (fx_setup("apostrophes") != 0)
        return -1;
    fx_path(path, sizeof path, "db");
    if (acc_writer_open(path, &w, &err) != ACC_OK)
        return -1;
    for (size_t i = 0; i < NFORMS; i++) {
        acc_doc d;
        memset(&d, 0, sizeof d);
        snprintf(id, sizeof id, "apo-%zu", i);
        snprintf(text, sizeof text,
                 "Protéger l%senvironnement des communes, aujourd%shui et demain.", forms[i],
                 forms[i]);
        d.id = id;
        d.title = "Charte";
        strcpy(d.lang, "fr");
        d.text = text;
        d.text_len = strlen(text);
        if (put_doc(w, &d, NULL, &err) != ACC_OK)
            return -1;
    }
    if (acc_writer_commit(w, &err) != ACC_OK)
        return -1;
    acc_writer_close(w);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return fx_teardown();
}

static acc_results *search(const char *text)
{
    acc_index *db = NULL;
    acc_results *r = NULL;
    acc_error err;
    acc_query q;
    char path[300];
    fx_path(path, sizeof path, "db");
    assert_int_equal(acc_index_open(path, &db, &err), ACC_OK);
    acc_query_init(&q);
    q.text = text;
    q.text_len = strlen(text);
    q.limit = 20;
    assert_int_equal(acc_index_search(db, &q, &r, &err), ACC_OK);
    acc_index_close(db);
    return r;
}

/* The hit of document apo-i in r, or fail. */
static const acc_hit *hit_of(const acc_results *r, size_t i)
{
    char id[16];
    snprintf(id, sizeof id, "apo-%zu", i);
    for (size_t k = 0; k < r->nhits; k++)
        if (strcmp(r->hits[k].id, id) == 0)
            return &r->hits[k];
    fail_msg("document %s (apostrophe %zu) not found", id, i);
    return NULL;
}

/* "<mark>" + left + the form as the snippet escapes it + right + "</mark>" */
static void marked(char *out, size_t n, const char *left, size_t form, const char *right)
{
    char *esc = acc_html_escape(forms[form], strlen(forms[form]));
    snprintf(out, n, "<mark>%s%s%s</mark>", left, esc, right);
    free(esc);
}

/* The bare word finds the elided form written with every apostrophe, marked whole. */
static void test_bare_word(void **state)
{
    char want[128];
    (void)state;
    acc_results *r = search("environnement");
    assert_int_equal(r->nhits, NFORMS);
    for (size_t i = 0; i < NFORMS; i++) {
        const acc_hit *h = hit_of(r, i);
        marked(want, sizeof want, "l", i, "environnement");
        if (!strstr(h->snippet, want))
            fail_msg("apostrophe %zu: snippet '%s' lacks '%s'", i, h->snippet, want);
    }
    acc_results_free(r);
}

/* The elided form typed with any apostrophe finds every document. */
static void test_typed_elision(void **state)
{
    char q[64];
    (void)state;
    for (size_t t = 0; t < NFORMS; t++) {
        snprintf(q, sizeof q, "l%senvironnement", forms[t]);
        acc_results *r = search(q);
        if (r->nhits != NFORMS)
            fail_msg("query with apostrophe %zu: %zu hits, want %zu", t, r->nhits, NFORMS);
        acc_results_free(r);
    }
}

/* aujourd'hui stays one word whatever the apostrophe, and is marked whole. */
static void test_inner_apostrophe(void **state)
{
    char q[64], want[128];
    (void)state;
    for (size_t t = 0; t < NFORMS; t++) {
        snprintf(q, sizeof q, "aujourd%shui", forms[t]);
        acc_results *r = search(q);
        if (r->nhits != NFORMS)
            fail_msg("query with apostrophe %zu: %zu hits, want %zu", t, r->nhits, NFORMS);
        for (size_t i = 0; i < NFORMS; i++) {
            marked(want, sizeof want, "aujourd", i, "hui");
            if (!strstr(hit_of(r, i)->snippet, want))
                fail_msg("query %zu, document %zu: snippet '%s' lacks '%s'", t, i,
                         hit_of(r, i)->snippet, want);
        }
        acc_results_free(r);
    }
}

/* The tokenizer keeps an apostrophe of the set inside a word, and the norm maps it to '. */
static void test_one_set(void **state)
{
    (void)state;
    for (size_t i = 0; i < NFORMS; i++) {
        int32_t c;
        const char *f = forms[i];
        size_t n = strlen(f);
        /* decode the one code point */
        c = (unsigned char)f[0] < 0x80 ? f[0]
            : n == 2                   ? ((f[0] & 0x1F) << 6) | (f[1] & 0x3F)
                     : ((f[0] & 0x0F) << 12) | ((f[1] & 0x3F) << 6) | (f[2] & 0x3F);
        if (!acc_text_is_apostrophe(c))
            fail_msg("form %zu (U+%04X) is not in the apostrophe set", i, (unsigned)c);
        char word[32];
        acc_buf b;
        acc_buf_init(&b, 0);
        snprintf(word, sizeof word, "rock%sn%sroll", f, f);
        assert_int_equal(acc_text_norm(word, strlen(word), &b, NULL), ACC_OK);
        assert_string_equal(b.p, "rock'n'roll");
        acc_buf_release(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_set),
        cmocka_unit_test(test_bare_word),
        cmocka_unit_test(test_typed_elision),
        cmocka_unit_test(test_inner_apostrophe),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
