/*
 * lib/compose.h: a search's Xapian query, composed from the request (lib/compose.c): the
 * query's reading in each language with its stemmer and translations, the boosts of words
 * together, the OR fill, known items, topic expansion, and the request's filters.
 */
#ifndef ACCORD_COMPOSE_H
#define ACCORD_COMPOSE_H

#include "accord/query.h"
#include "proximity.h"
#include "reader.h"
#include "translate.h"
#include "xap.h"

/* Below this many documents with every word, documents with some follow
   (fixed, so that every page of a result agrees on the total) */
#define ACC_FILL_BELOW 10
/* documents with every word are weighted by this in a filled query, to stay first */
#define ACC_FILL_FACTOR 1000.0

/* What acc_compose learnt of the query. */
typedef struct acc_strictness {
    int simplified;             /* a syntax error: searched as plain words */
    int filled;                 /* documents with only some words follow */
    unsigned long strict_total; /* documents with every word (up to ACC_FILL_BELOW) */
    int counted;                /* strict_total was counted by acc_compose */
    size_t words;               /* words of the query, filters not counted */
    int plain;                  /* words only, no syntax: may be filled and expanded */
    acc_xlat *xlat;             /* the query's translations (owned by the first caller) */
    char src[ACC_LANG_MAX];     /* the query's language, "" when not known */
} acc_strictness;

/* The filters of q (type, topic, party, years, commitments), leaving out facet `without`'s own
   (-1: none left out); an error of a commitment filter into *st. */
acc_xap_query *acc_compose_filters(acc_index *x, const acc_query *q, int without, acc_status *st,
                                   acc_error *err);

/* main FILTER f, or main alone when f is empty; main consumed. */
acc_xap_query *acc_compose_with_filters(acc_xap_query *main, const acc_xap_query *f);

/* The boosts of words together: the phrase, and the words near each other
   (acc_prox_rescore's phrase_w is their sum: a phrase has its words near each other) */
#define ACC_PHRASE_WEIGHT 1.0
#define ACC_NEAR_WEIGHT 0.5
/* the NEAR window: the words plus this many positions */
#define ACC_NEAR_SLACK 6

/*
 * The whole text query of q (*out, ranked) and the documents it matches (*matches_out, without
 * the boosts, which add no match), within filters; what was learnt of the query into s.
 * With prox (may be NULL), the boosts of words together are not in *out but in prox, to be
 * weighed on the best documents of *out (acc_prox_rescore).
 */
acc_status acc_compose(acc_index *x, const acc_query *q, const acc_xap_query *filters,
                       acc_proxset *prox, acc_strictness *s, acc_xap_query **out,
                       acc_xap_query **matches_out, acc_error *err);

#endif
