/*
 * lib/complete.h: the completion table of the search box (private to
 * libaccord). /suggest completes the last word typed with the index's most
 * frequent words that begin with it; for a prefix of one to
 * ACC_COMPLETE_CHARS characters that is a scan of up to all the index's
 * words (tens of thousands for two letters on the real corpus, millions on a
 * large collection), so the indexer stores the answer of every such prefix:
 * metadata key ACC_COMPLETE_KEY_PREFIX + prefix, value one "freq term" line
 * per word, at most ACC_COMPLETE_KEEP, most frequent first, among equals in
 * byte order (acc_index_top_terms' order). Longer prefixes are few words
 * each and are scanned as before, and so are the short prefixes of fewer than
 * ACC_COMPLETE_FEW words (most of them: on the real corpus 34,384 of 43,348
 * prefixes begin a single word, CJK characters and rare letter groups), whose
 * scan reads as few words as the stored value would have.
 */
#ifndef ACCORD_LIB_COMPLETE_H
#define ACCORD_LIB_COMPLETE_H

#include <stddef.h>

#include "accord/status.h"
#include "accord/writer.h"
#include "reader.h"
#include "xap.h"

#define ACC_COMPLETE_KEY_PREFIX "accord.complete:"
/* the table's own record: "<documents> <words>" when it was built */
#define ACC_COMPLETE_META_KEY "accord.complete"
#define ACC_COMPLETE_CHARS 3
/* /suggest asks for at most limit / 2 + 1 words, limit <= 20 */
#define ACC_COMPLETE_KEEP 11
/* a prefix of fewer words is scanned, not stored */
#define ACC_COMPLETE_FEW 5

/*
 * Rebuilds the table from the index's words as committed (every shard), with
 * the next commit of w: every prefix's words, stale prefixes removed. *words:
 * the distinct words read. The caller decides when (a fiftieth of the
 * documents changed, or no table yet: acc_complete_due).
 */
acc_status acc_complete_build(acc_writer *w, unsigned long *words, acc_error *err);

/* 1 when w's index has no table, or changed documents are a fiftieth of it or more. */
int acc_complete_due(acc_writer *w, unsigned long changed);

/* 1 when folded prefix[0..n) is short enough for the table (1 to ACC_COMPLETE_CHARS
   characters): stored, or with fewer than ACC_COMPLETE_FEW words. */
int acc_complete_short(const char *prefix, size_t n);

/*
 * The stored completions of folded prefix[0..n) (keep at most), into *out
 * (caller frees with acc_top_terms_free): 1 when the table has the prefix,
 * 0 when the caller must scan (a longer prefix, no table, a prefix of fewer
 * than ACC_COMPLETE_FEW words or none when the table was built, a damaged
 * value).
 */
int acc_complete_stored(acc_xap_db *db, const char *prefix, size_t n, size_t keep,
                        acc_top_term **out, size_t *nout);

#endif
