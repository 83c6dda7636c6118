/*
 * lib/hits.h: the hits of a search as the user sees them (private to
 * libaccord): each hit's record fields, its snippet (from the stored text,
 * highlighted by highlight.c), the article the snippet is in, its other
 * language versions (collapse) and the terms it matched (explain).
 */
#ifndef ACCORD_LIB_HITS_H
#define ACCORD_LIB_HITS_H

#include "accord/query.h"
#include "reader.h"
#include "xap.h"

/* Bytes of text a snippet shows */
#define ACC_SNIPPET_WIDTH 240
/* A snippet looks at most this many chunks for a match (ACC_SNIPPET_SCAN_MAX bytes)... */
#define ACC_SNIPPET_MAX_CHUNKS (ACC_SNIPPET_SCAN_MAX / ACC_TEXT_CHUNK)
/* ...or only this many when no query word nor a variant of its stem occurs in
   the text: the match came through the title, a topic or a stem of another
   shape, and a long text would be scanned to its end in vain */
#define ACC_SNIPPET_BLIND_CHUNKS 4

/* One hit of a page: a match of the query, or a language version following one. */
typedef struct acc_pick {
    unsigned docid;
    double weight;
    long match;          /* its index in the match, or -1: a version put after its source, or
                            the document whose id was typed */
    unsigned version_of; /* with match -1: the docid of the hit it follows (0: the id typed) */
} acc_pick;

/*
 * Fills r->hits with picks[0..n) (record fields, snippet, article, versions
 * with collapse, matched terms with explain); a pick's score is its weight
 * divided by score_div.
 */
acc_status acc_hits_fill(acc_index *x, acc_xap_match *m, const acc_pick *picks, size_t n,
                         const acc_xap_query *query, const acc_query *q, double score_div,
                         acc_results *r, acc_error *err);

#endif
