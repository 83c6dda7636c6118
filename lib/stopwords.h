/*
 * lib/stopwords.h: function words per language (private to libaccord): the
 * articles, pronouns, prepositions, conjunctions and auxiliaries that carry
 * no meaning in a query. Based on the Snowball project's published stop
 * lists (en de fr es it nl pt ru), with a careful list for Arabic and
 * Romanian; content words are kept out even where Snowball lists them
 * ("state", "two", "well"), since a wrong stop word makes a query word
 * disappear. Words are compared in their folded form (acc_text_norm_fold).
 */
#ifndef ACCORD_LIB_STOPWORDS_H
#define ACCORD_LIB_STOPWORDS_H

#include <stddef.h>

/* 1 when folded word w[0..n) is a function word of language lang ("en"...); unknown language: 0. */
int acc_stopword(const char *lang, const char *w, size_t n);

/* The list of language lang (sorted by bytes) and its length; NULL when there is none. */
const char *const *acc_stopword_list(const char *lang, size_t *n);

#endif
