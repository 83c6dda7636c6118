/*
 * lib/knownitems.h: what in a query points at one document (private to
 * libaccord): a title typed as a phrase or one of its words, an acronym typed
 * in capitals, a word spelt with its accents. lib/search.c adds these as
 * boosts to the documents its query finds.
 */
#ifndef ACCORD_LIB_KNOWNITEMS_H
#define ACCORD_LIB_KNOWNITEMS_H

#include "accord/query.h"
#include "xap.h"

/*
 * The documents whose title has the words of the plain query q in order (a
 * phrase of the title's folded words, in any language), or its one word;
 * NULL when the query has no word.
 */
acc_xap_query *acc_known_title(const acc_query *q);

/* 1 when the query is one word of 2 to 10 capitals (and digits): an acronym, typed as one. */
int acc_known_acronym(const acc_query *q);

/* The query's words that carry accents, spelt so (ACC_PFX_ACCENT); NULL when none. */
acc_xap_query *acc_known_accents(const acc_query *q);

#endif
