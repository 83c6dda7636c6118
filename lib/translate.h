/*
 * lib/translate.h: query translation (private to libaccord).
 *
 * The words of a plain query are cut into the longest phrases the index's
 * translation table knows (lib/lexicon.h), then, for a target language, each
 * phrase or word becomes one OP_SYNONYM group of its translations and itself,
 * stemmed as that language's documents are (Pirkola's structured query: a
 * word with ten translations weighs as much as a word with one). Function
 * words of the query's language are left out.
 */
#ifndef ACCORD_LIB_TRANSLATE_H
#define ACCORD_LIB_TRANSLATE_H

#include <stddef.h>

#include "accord/query.h"
#include "reader.h"
#include "xap.h"

/*
 * The language of folded query text f[0..n): its script (Han, Arabic,
 * Cyrillic), else the index language whose documents use its words most
 * (the share of that language's documents having each word's stem,
 * multiplied over the words; function words count as present). "" when no
 * language has any of the words.
 */
acc_status acc_query_lang_guess(acc_index *x, const char *f, size_t n, char out[ACC_LANG_MAX],
                                acc_error *err);

typedef struct acc_xlat acc_xlat;

/*
 * The words of folded plain query f[0..n) in language src, cut into phrases
 * and looked up in the table. *out: free with acc_xlat_free.
 */
acc_status acc_xlat_new(acc_index *x, const char *src, const char *f, size_t n, acc_xlat **out,
                        acc_error *err);

void acc_xlat_free(acc_xlat *t);

/* The language the query was read in. */
const char *acc_xlat_source(const acc_xlat *t);

/*
 * The structured query of the words in language lang, groups joined by op
 * (not yet filtered to lang's documents); NULL when the table offers nothing
 * for lang (no translation, or no synonym when lang is the source), and for
 * AND when a word can be neither translated nor found in lang's documents.
 */
acc_xap_query *acc_xlat_query(acc_xlat *t, const char *lang, acc_xap_op op);

/* The filters typed in the query (lang:fr, year:2015..2020 ...), space-separated, or "". */
const char *acc_xlat_fields(const acc_xlat *t);

/* The folded query without the source language's function words (all of it when only those). */
void acc_xlat_content(const acc_xlat *t, acc_buf *out);

/* Adds the translations used for lang (display forms) to r->translations. */
void acc_xlat_report(const acc_xlat *t, const char *lang, acc_results *r);

#endif
