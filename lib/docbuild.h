/*
 * lib/docbuild.h: a document turned into index terms, values and record,
 * ready for the writer (private to libaccord; the public side is
 * acc_docbuild() in include/accord/xap.h).
 */
#ifndef ACCORD_LIB_DOCBUILD_H
#define ACCORD_LIB_DOCBUILD_H

#include <stddef.h>

#include "xap.h"

struct acc_built_doc {
    acc_xap_doc *doc;
    char *idterm;  /* "Q" + id */
    char **topics; /* the topic ids the document was given */
    size_t ntopics;
};

/* Joins v[0..n) with 0x1f into a value slot (nothing when n == 0): a multi-valued facet. */
void acc_docbuild_set_list(acc_xap_doc *doc, unsigned slot, char *const *v, size_t n);

/* Text p[0..n) as a document's positional terms are made from it (acc_text_terms of *folded):
   normalised into *norm, then folded into *folded, the German digraphs' e dropped when german.
   Both reset first. Shared with the translation table's phrase check (lib/lexphrase.c). */
acc_status acc_docbuild_fold_text(const char *p, size_t n, int german, acc_buf *norm,
                                  acc_buf *folded, acc_error *err);

/* Whether a document of language lang[0..n) has its terms spelt the German way. */
int acc_docbuild_german(const char *lang, size_t n);

#endif
