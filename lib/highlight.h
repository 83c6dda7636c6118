/*
 * lib/highlight.h: which words of a document's text match a query (private
 * to libaccord), for snippets: the same normalisation, fold and stemmers as
 * indexing (text.c, words.c, stem.c), so that a word is highlighted exactly when the
 * index matched it.
 */
#ifndef ACCORD_LIB_HIGHLIGHT_H
#define ACCORD_LIB_HIGHLIGHT_H

#include <stddef.h>

#include "reader.h"
#include "xap.h"

typedef struct acc_highlighter acc_highlighter;

/*
 * The matcher of query q's terms in documents of language lang ("" for an
 * undetermined language): a word matches when its folded form is one of
 * the query's unprefixed terms (phrases, CJK n-grams, unstemmed languages)
 * or when its tagged stem, fold(stem(w)) or stem(fold(w)), is one of the
 * query's Z terms for lang. Caller frees; q is not kept.
 */
acc_highlighter *acc_highlighter_new(const acc_xap_query *q, const char *lang);
void acc_highlighter_free(acc_highlighter *h);

/*
 * The acc_snippet_match_fn of a highlighter (ctx): the id of the query term
 * tok[0..n) matches, or -1. Words that share no first bytes with a query term
 * are rejected without being normalised, which keeps long documents cheap.
 */
int acc_highlight_match(void *ctx, const char *tok, size_t n);

/*
 * Index words (unprefixed terms) of which the query's stems for lang are the
 * stem, and that are not among qwords: the forms a stem matched in a
 * document (Znl:methan matches "methaan"; Zen:wetland, "wetlands"), the most
 * frequent few per stem, at most ACC_HIGHLIGHT_MAX_VARIANTS in all. *out:
 * free with acc_qtext_words_free.
 */
#define ACC_HIGHLIGHT_MAX_VARIANTS 24
acc_status acc_highlight_variants(acc_index *x, const acc_xap_query *q, char *const *qwords,
                                  size_t nq, const char *lang, char ***out, size_t *n,
                                  acc_error *err);

/*
 * The variants of a stem are looked for once per handle and revision: finding them stems up
 * to 1,000 index words (5.5 M instructions of one search's 13.7 M for "ballast water", its
 * stems of three letters: es:reg, es:wat, de:wat scan 300, 160, 150 words), and a
 * daemon's handle meets the same stems in many searches. The handle's memo (acc_index's
 * variants, lib/reader.h), freed with it.
 */
typedef struct acc_variant_memo acc_variant_memo;
void acc_variant_memo_free(acc_variant_memo *m);

#endif
