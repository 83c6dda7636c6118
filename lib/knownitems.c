/* lib/knownitems.c: what points at one document in a query (lib/knownitems.h). */
#include "knownitems.h"

#include <stdlib.h>
#include <string.h>

#include "accord/schema.h"
#include "accord/text.h"
#include "qbits.h"

typedef struct title_ctx {
    acc_qlist *l;
} title_ctx;

static int on_title_word(void *ctx, const char *w, size_t n, int cjk)
{
    (void)cjk;
    if (!acc_text_is_operator(w, n))
        acc_qlist_add(ctx, acc_q_term(ACC_PFX_TITLE, w, n));
    return 0;
}

/*
 * Known items: the documents whose title has the words of the plain query
 * q in order (a phrase of the title's folded words, in any language); NULL
 * when the query has fewer than two words.
 */
acc_xap_query *acc_known_title(const acc_query *q)
{
    acc_buf f;
    acc_qlist words = {NULL, 0}, parts = {NULL, 0};
    acc_buf_init(&f, 0);
    if (acc_text_query_fold(q->text, q->text_len, &f, NULL) != ACC_OK || !f.n) {
        acc_buf_release(&f);
        return NULL;
    }
    acc_text_words(f.p, f.n, on_title_word, &words);
    if (words.n >= 2)
        acc_qlist_add(&parts,
                      acc_xap_query_window(ACC_XAP_PHRASE, words.v, words.n, (unsigned)words.n));
    else if (words.n == 1)
        /* one word: an acronym or a short title ("KVBG", "MARPOL") in the title */
        acc_qlist_add(&parts, acc_xap_query_copy(words.v[0]));
    acc_xap_query_free(acc_qlist_join(&words, ACC_XAP_OR));
    acc_buf_release(&f);
    return parts.n ? acc_qlist_join(&parts, ACC_XAP_OR) : NULL;
}

/* 1 when the query is one word of 2 to 10 capitals (and digits): an acronym, typed as one. */
int acc_known_acronym(const acc_query *q)
{
    size_t caps = 0, n = 0;
    for (size_t i = 0; i < q->text_len; i++) {
        char c = q->text[i];
        if (c == ' ' || c == '\t') {
            if (n)
                break;
            continue;
        }
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return 0;
        caps += c >= 'A' && c <= 'Z';
        n++;
    }
    for (size_t i = 0; i < q->text_len; i++) /* one word only */
        if ((q->text[i] == ' ' || q->text[i] == '\t') && i + 1 < q->text_len &&
            q->text[i + 1] != ' ' && q->text[i + 1] != '\t' && n && i > 0)
            return 0;
    return caps >= 2 && n <= 10;
}

static int on_accented(void *ctx, const char *w, size_t n, int cjk)
{
    acc_buf f;
    (void)cjk;
    acc_buf_init(&f, 0);
    acc_text_fold(w, n, &f, NULL);
    if (f.n != n || memcmp(f.p, w, n) != 0) {
        /* ș and ş alike, as indexed (lib/docbuild.c) */
        acc_buf_reset(&f);
        acc_buf_append(&f, w, n);
        acc_text_ro_cedilla(f.p, f.n);
        acc_qlist_add(ctx, acc_q_term(ACC_PFX_ACCENT, f.p, f.n));
    }
    acc_buf_release(&f);
    return 0;
}

/* The query's words that carry accents, spelt so (ACC_PFX_ACCENT); NULL when none. */
acc_xap_query *acc_known_accents(const acc_query *q)
{
    acc_buf normed;
    acc_qlist l = {NULL, 0};
    acc_buf_init(&normed, 0);
    if (acc_text_norm(q->text, q->text_len, &normed, NULL) == ACC_OK && normed.n)
        acc_text_words(normed.p, normed.n, on_accented, &l);
    acc_buf_release(&normed);
    return l.n ? acc_qlist_join(&l, ACC_XAP_OR) : NULL;
}
