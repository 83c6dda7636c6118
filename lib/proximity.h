/*
 * lib/proximity.h: words typed together, weighed where they can change the page. A query's
 * phrase boosts (the words as typed, then the words near each other) need each document's
 * positions: as Xapian subqueries they are tested on every document with the words, since a
 * match that counts every document for its totals and facets skips none. Here they are tested
 * in C, from the positions of the best documents of the query without them (the rescore of
 * Elasticsearch), and add what the subqueries added: the words' BM25 weight, times the boost.
 */
#ifndef ACCORD_PROXIMITY_H
#define ACCORD_PROXIMITY_H

#include <stddef.h>

#include "xap.h"

/* the phrases of a query kept, at most (one per language reading with them) */
#define ACC_PROX_MAX 16
/* the words of a phrase, at most (longer ones: the first ones) */
#define ACC_PROX_WORDS 16

/* A phrase: its index terms in the order typed (a term again for a repeated word), and the
   reading of the query it belongs to: the documents it weighs in (those in language lang, and
   unless restricted those with passages in it) and the reading's weight. */
typedef struct acc_prox {
    char *term[ACC_PROX_WORDS];
    size_t n;
    char lang[16];
    int restricted;
    double scale;
} acc_prox;

/* The distinct phrases of a query (one per reading of it that has them). */
typedef struct acc_proxset {
    acc_prox v[ACC_PROX_MAX];
    size_t n;
    unsigned slack;       /* words near each other: within their number plus this many positions */
    acc_xap_query *words; /* the phrases' words, OR-ed (for the highlighter), or NULL */
} acc_proxset;

/* Adds the phrase of q's terms in order (borrowed) for the reading in lang, unless the set has
   it or is full, or q has fewer than two terms; its words to s->words. */
void acc_proxset_add(acc_proxset *s, const acc_xap_query *q, const char *lang, int restricted,
                     double scale);
void acc_proxset_release(acc_proxset *s);

/* What document docid shows of phrase p: *phrase when the terms occur in order at consecutive
   positions, *near when one occurrence of each distinct term lies within (terms + slack)
   positions. */
acc_status acc_prox_test(acc_xap_db *db, unsigned docid, const acc_prox *p, unsigned slack,
                         int *phrase, int *near, acc_error *err);

/*
 * Ranks the hits of m (a match by the query without its phrase boosts, best first) again: each
 * of the first `window` gains, for the best phrase of s whose reading it is in, the BM25 weight
 * of the phrase's words in it (bm25: k1, k2, k3, b, min_normlen, as the match weighed), times
 * phrase_w when the phrase occurs in it as typed or near_w when its words occur near each
 * other only, times the reading's scale: what the phrase and window subqueries of that reading
 * added as Xapian's boosts. Then the hits from `offset` on, `limit` of them, are kept in the
 * new order (ties: the old order).
 */
acc_status acc_prox_rescore(acc_xap_db *db, acc_xap_match *m, const acc_proxset *s, size_t window,
                            const double *bm25, double phrase_w, double near_w, size_t offset,
                            size_t limit, acc_error *err);

#endif
