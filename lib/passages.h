/*
 * lib/passages.h: passages of a document in another language than its own
 * (private to libaccord): a treaty published in Dutch with the authentic
 * English text beside it, a press release with page furniture in English.
 * Each line of at least ACC_PASSAGE_MIN_WORDS words is read by its
 * function words (lib/stopwords.h): when another language's clearly
 * outnumber the document language's, the line is in that language, and is
 * indexed with that language's stems too (lib/docbuild.c), so that its
 * words are weighed by that language's statistics and found by that
 * language's reading of a query.
 */
#ifndef ACCORD_LIB_PASSAGES_H
#define ACCORD_LIB_PASSAGES_H

#include <stddef.h>

/* a line shorter than this says too little about its language */
#define ACC_PASSAGE_MIN_WORDS 12

/* Called with each foreign passage: its language and its text (normalised by acc_text_norm,
 * borrowed). */
typedef void (*acc_passage_fn)(void *ctx, const char *lang, const char *p, size_t n);

/* Calls fn for each line of text p[0..n) (valid UTF-8, as written) in another language than lang.
 */
void acc_passages_foreign(const char *lang, const char *p, size_t n, acc_passage_fn fn, void *ctx);

#endif
