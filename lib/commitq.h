/*
 * lib/commitq.h: commitments in the index (private to libaccord): the terms
 * and values a document's commitments become (index side), and the filters,
 * facets, sort and snippets of a search on them (query side). The extractor
 * is lib/commit.c (include/accord/commit.h).
 *
 * Terms: per commitment, one boolean term per non-empty subset of its
 * attributes k (kind), y (target year), c (cut, reductions only) and s
 * (strength), written ACC_PFX_COMMIT + letters + ":" + values joined by ':',
 * e.g. "XCky:netzero:2050", "XCkycs:reduction:2030:26-28:binding". A filter
 * on some attributes reads the terms of exactly those letters, keeps those
 * whose values pass, and ORs them: so that every condition holds for one
 * commitment of the document, not for several.
 */
#ifndef ACCORD_LIB_COMMITQ_H
#define ACCORD_LIB_COMMITQ_H

#include <jansson.h>

#include "accord/commit.h"
#include "accord/query.h"
#include "reader.h"
#include "xap.h"

/* Extracts the commitments of text and adds their terms and values to doc. */
void acc_commit_index(acc_xap_doc *doc, const char *lang, const char *date, const char *text,
                      size_t n);

/* The commitment conditions of a request, parsed. */
typedef struct acc_commit_filter {
    int active;              /* any condition set */
    unsigned kinds;          /* bit set of acc_commit_kind; 0 = any */
    int year_from, year_to;  /* 0 = open */
    double cut_min, cut_max; /* percent; < 0 = open */
    unsigned strengths;      /* bit set of acc_commit_strength; 0 = any */
} acc_commit_filter;

/* Parses q's target, target_year, cut and strength; ACC_EINVAL with a message naming the bad one.
 */
acc_status acc_commit_filter_parse(const acc_query *q, acc_commit_filter *f, acc_error *err);

/* Does commitment c meet every condition of f? */
int acc_commit_filter_match(const acc_commit_filter *f, const acc_commitment *c);

/* The boolean query of f over x (NULL when f is not active). */
acc_status acc_commit_filter_query(acc_index *x, const acc_commit_filter *f, acc_xap_query **out,
                                   acc_error *err);

/*
 * The target_year facet as counted (years, and "kind:year" values) made the
 * years of the one kind cf asks for, or of any kind (values freed as needed).
 */
void acc_commit_facet_years(acc_facet *f, const acc_commit_filter *cf);

/*
 * The stored commitment of doc meeting f (any when f is not active) whose
 * sentence shows it best (running text before table rows and contents
 * lines; the first of those): 1 and *c, *sentence (malloc'ed, caller frees) when there is one, 0
 * otherwise.
 */
int acc_commit_first(const acc_xap_doc *doc, const acc_commit_filter *f, acc_commitment *c,
                     char **sentence);

/*
 * Calls fn for each stored commitment of doc, in text order, until it returns
 * nonzero (sentence borrowed for the call).
 */
typedef int (*acc_commit_fn)(void *ctx, const acc_commitment *c, const char *sentence, size_t n);
void acc_commit_each(const acc_xap_doc *doc, acc_commit_fn fn, void *ctx);

/*
 * Parses the filters typed in a query ("target:netzero target_year:2030..2040
 * cut:>=50 strength:binding") out of text[0..n): the rest of the text into
 * rest, each value into the matching field of vals (target, target_year, cut,
 * strength; malloc'ed, caller frees; NULL when absent).
 */
void acc_commit_text_filters(const char *text, size_t n, acc_buf *rest, char *vals[4]);

/*
 * c as a JSON object {"kind","value","value_max","year","base","intensity",
 * "conditional","strength","start","end"} (value, value_max, base,
 * conditional null when none; base "bau"), with "sentence" when sentence is not NULL.
 */
json_t *acc_commit_json(const acc_commitment *c, const char *sentence, size_t n);
/* The reverse (sentence ignored); -1 when o is not one. */
int acc_commit_from_json(json_t *o, acc_commitment *c);

#endif
