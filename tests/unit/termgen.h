/*
 * tests/unit/termgen.h: Xapian's own TermGenerator, the reference the tests
 * pin accord's tokenizer to, and the other Xapian calls only tests make
 * (tests/unit/termgen.cc; not part of libaccord).
 */
#ifndef ACCORD_TESTS_TERMGEN_H
#define ACCORD_TESTS_TERMGEN_H

#include "xap.h"

#ifdef __cplusplus
extern "C" {
#endif

/* fn(ctx, term, len, wdf, positions, npositions): a term of a document, arrays borrowed for the
   call. */
typedef void (*acc_xap_posting_fn)(void *ctx, const char *term, size_t len, unsigned wdf,
                                   const unsigned *pos, size_t npos);
/* Calls fn for each term of d, in byte order (what the tests compare; libaccord never lists a
   document's postings). */
acc_status acc_xap_doc_postings(const acc_xap_doc *d, acc_xap_posting_fn fn, void *ctx,
                                acc_error *err) ACC_NOEXCEPT;

/* Xapian's description of q (what tests compare queries by; libaccord never shows one). */
void acc_xap_query_describe(const acc_xap_query *q, acc_buf *out) ACC_NOEXCEPT;
/* Sets the document data to p[0..n): a document as indexes of version 9 and before stored
   their record (libaccord writes it to a value slot since version 10). */
void acc_xap_doc_set_data(acc_xap_doc *d, const char *p, size_t n) ACC_NOEXCEPT;

/*
 * The terms TermGenerator makes of text[0..n) (FLAG_CJK_NGRAM, no stemming,
 * words of at most max_word bytes): fn per term in byte order, as
 * acc_xap_doc_postings lists a document's.
 */
acc_status acc_xap_termgen(const char *text, size_t n, unsigned max_word, acc_xap_posting_fn fn,
                           void *ctx, acc_error *err) ACC_NOEXCEPT;

#ifdef __cplusplus
}
#endif

#endif
