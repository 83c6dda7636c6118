/*
 * lib/spell.h: "did you mean" (private to libaccord). Each plain word of the
 * query that the index does not know, not even through a stem, is replaced
 * by the most frequent indexed word within ACC_SPELL_EDITS_SHORT edits
 * (ACC_SPELL_EDITS_LONG for words of ACC_SPELL_LONG bytes or more) that
 * shares its first byte.
 */
#ifndef ACCORD_LIB_SPELL_H
#define ACCORD_LIB_SPELL_H

#include "reader.h"

#define ACC_SPELL_MIN 3 /* shorter words are never corrected */
#define ACC_SPELL_LONG 6
#define ACC_SPELL_EDITS_SHORT 1
#define ACC_SPELL_EDITS_LONG 2

/*
 * The corrected query for folded query text q[0..n) (acc_text_query_fold),
 * or NULL when nothing changes (caller frees).
 */
acc_status acc_spell_suggest(acc_index *x, const char *q, size_t n, char **out, acc_error *err);

#endif
