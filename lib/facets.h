/*
 * lib/facets.h: facet counts of a search (private to libaccord): exact
 * counts of languages, types, topics, years and parties over every match.
 * A facet that is not filtered on its own dimension is counted by a spy on
 * the main match; a filtered one counts in a match of its own, without its
 * own filter (what each of its values would give).
 */
#ifndef ACCORD_LIB_FACETS_H
#define ACCORD_LIB_FACETS_H

#include "accord/query.h"
#include "reader.h"
#include "xap.h"

/* Facet values kept per facet, the most frequent */
#define ACC_FACET_MAX_VALUES 200

/* 1 when the request filters on facet k's own dimension. */
int acc_facet_filtered(const acc_query *q, acc_facet_kind k);

/* The spy that counts facet k over x (caller frees with acc_facet_spy_free, before x's next
   refresh). */
acc_xap_spy *acc_facet_spy(acc_index *x, acc_facet_kind k);
/* Frees a spy of acc_facet_spy, and the counters by code it kept (lib/column.c). NULL: nothing. */
void acc_facet_spy_free(acc_xap_spy *spy);

/* Facet k from a spy that counted it, into out (most frequent first; years newest first). */
void acc_facet_read(const acc_xap_spy *spy, acc_facet_kind k, acc_facet *out);

/* Facet k counted over every match of query (a match of its own), into out; past time_limit
   seconds (0: none) the counts are those of the matches seen so far. */
acc_status acc_facet_count(acc_index *x, const acc_xap_query *query, acc_facet_kind k,
                           double time_limit, acc_facet *out, acc_error *err);

#endif
