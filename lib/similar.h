/*
 * lib/similar.h: "more like this" (private to libaccord): the query for
 * documents like a given one, made of its most telling stems (Xapian's
 * relevance feedback over that document alone) and its topics, so that
 * versions and kin in other languages come up too.
 */
#ifndef ACCORD_LIB_SIMILAR_H
#define ACCORD_LIB_SIMILAR_H

#include "accord/lang.h"
#include "reader.h"

/* Stems taken from the document */
#define ACC_SIMILAR_TERMS 25
/* Weight of each of the document's topics in the query */
#define ACC_SIMILAR_TOPIC_WEIGHT 2.0

/*
 * The query for documents like the one with that id (itself left out), and
 * its language in lang. ACC_ENOTFOUND when there is no such document.
 * *out: caller frees.
 */
acc_status acc_similar_query(acc_index *x, const char *id, char lang[ACC_LANG_MAX],
                             acc_xap_query **out, acc_error *err);

#endif
