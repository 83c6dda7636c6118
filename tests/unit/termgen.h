/*
 * tests/unit/termgen.h: Xapian's own TermGenerator, the reference the tests
 * pin accord's tokenizer to (tests/unit/termgen.cc; not part of libaccord).
 */
#ifndef ACCORD_TESTS_TERMGEN_H
#define ACCORD_TESTS_TERMGEN_H

#include "xap.h"

#ifdef __cplusplus
extern "C" {
#endif

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
