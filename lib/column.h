/*
 * lib/column.h: a slot's value of every document, in memory (private to
 * libaccord): what a facet of a large index counts from, one lookup by
 * docid per document of the match instead of one value read.
 */
#ifndef ACCORD_LIB_COLUMN_H
#define ACCORD_LIB_COLUMN_H

#include <stddef.h>
#include <stdint.h>

#include "strmap.h"
#include "xap.h"

/* at most this many different values: a code is two bytes, 0 meaning none */
#define ACC_COLUMN_MAX_VALUES 65535

typedef struct acc_column {
    uint16_t *code; /* docid -> 1 + the value's index in values; 0: no value */
    size_t ncode;   /* last docid + 1 */
    acc_strmap values;
} acc_column;

/*
 * The values of slot in db for every document, read once from the slot's value stream. *out
 * is NULL (and ACC_OK) when db is not one local database (several shards, or a remote one) or
 * the slot holds more than ACC_COLUMN_MAX_VALUES different values. Valid for db's revision
 * when loaded.
 */
acc_status acc_column_load(acc_xap_db *db, unsigned slot, acc_column **out, acc_error *err);
void acc_column_free(acc_column *c);

/* The spy counts from column c (NULL: from each document's value); c must outlive the match.
   Free such a spy with acc_column_spy_free (its counters with it). */
void acc_column_spy(acc_xap_spy *s, const acc_column *c);
void acc_column_spy_free(acc_xap_spy *s);

/* Calls fn(ctx, value, len, count) for each value the spy counted: from the codes of the column
   it counted from (acc_column_spy), else from its values. */
void acc_column_counts(const acc_xap_spy *s, acc_xap_count_fn fn, void *ctx);

#endif
