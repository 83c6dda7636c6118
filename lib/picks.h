/*
 * lib/picks.h: the hits of a page in their order (private to libaccord).
 * After each of the first ACC_VERSIONS_TOP hits (lib/picks.c) come the other
 * language versions of its agreement (the same work: the manifest's work or
 * english_title, or ids that differ by their language code), whether the
 * query reaches them or not: a treaty's authentic texts say the same; the
 * document whose id is the query comes first. Both need the match from its
 * first hit, not from the page's.
 */
#ifndef ACCORD_LIB_PICKS_H
#define ACCORD_LIB_PICKS_H

#include "accord/query.h"
#include "hits.h"
#include "reader.h"
#include "xap.h"

/* The document whose id is the query text, typed as it is, for a search by relevance; 0: none. */
unsigned acc_picks_typed_id(acc_index *x, const acc_query *q);

/* 1 when the language versions of the first hits follow them (a plain query by relevance). */
int acc_picks_versions(const acc_query *q, int plain);

/* With versions, the match ranks at least this many hits, so that the versions that follow a
   hit come in the same order (their own rank) whatever the page's size: the pages of a ranking
   then concatenate to the ranking. */
#define ACC_VERSIONS_RANKED 100

/*
 * The hits of the page of q from match m (run from its first hit when
 * with_versions or first): first (a docid, or 0), then the match's, with
 * versions after the first hits. *out: caller frees.
 */
acc_status acc_page_picks(acc_index *x, acc_xap_match *m, const acc_query *q, int with_versions,
                          unsigned first, acc_pick **out, size_t *nout, acc_error *err);

#endif
