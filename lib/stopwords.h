/*
 * lib/stopwords.h: function words per language (private to libaccord): the
 * articles, pronouns, prepositions, conjunctions and auxiliaries that carry
 * no meaning in a query, so that they weigh almost nothing in it.
 *
 * Based on the Snowball project's published stop lists (en de fr es it nl pt
 * ru), with a careful list for Arabic (with the common prefixed forms: وفي,
 * والتي) and Romanian; Chinese has none. Content words are kept out even where
 * Snowball lists them (de "machen" "weg", nl "meer" (lake), it "stato"
 * (state), ru "человек" "два"), since a wrong stop word makes a query word
 * disappear; a few clear function words Snowball lacks are added (en
 * "although" "via", de "dass" "sowie", ru "это" "который").
 *
 * Words are looked up in their folded form, exactly as acc_text_norm_fold()
 * writes query words: lower case, accents removed, ß as ss, й as и, أ إ آ as
 * ا (für -> fur, daß -> dass, إلى -> الى). The tables are sorted const arrays
 * (lib/stopwords_data.h), looked up in a hash table of all of them built on
 * first use (pthread_once): thread-safe.
 */
#ifndef ACCORD_LIB_STOPWORDS_H
#define ACCORD_LIB_STOPWORDS_H

#include <stddef.h>

/* Longer words are never function words (every listed word is shorter). */
#define ACC_STOPWORD_MAX_BYTES 32

/* 1 when w[0..n) (folded) is a function word of language lang ("en"...), else 0; unknown language:
 * 0. */
int acc_stopword(const char *lang, const char *w, size_t n);

/*
 * 1 when w[0..n) (folded) is a function word of ANY listed language. Only for
 * text of unknown language: a function word of one language can be a content
 * word of another (es "sea", ro "care", nl "men", de "war", fr "son").
 */
int acc_stopword_any(const char *w, size_t n);

/* The number of languages with a list. */
#define ACC_STOPWORD_NLANGS 10

/* The languages listing w[0..n) (folded) as a function word: bit i for acc_stopword_langs()[i]. */
unsigned acc_stopword_mask(const char *w, size_t n);

/* The list of language lang (folded, sorted by bytes) and its length; NULL and 0 when there is
 * none. */
const char *const *acc_stopword_list(const char *lang, size_t *n);

/* The languages that have a list, NULL-terminated ("ar", "de", ...). */
const char *const *acc_stopword_langs(void);

#endif
