/*
 * lib/lextable.h: how the translation table (lib/lexicon.h) is stored: in
 * compressed buckets (private to libaccord).
 *
 * The table's entries (key "L<src>:<words>", value its lines) are spread by
 * a hash of the key over N buckets of about ACC_LEX_BUCKET_TARGET bytes,
 * each one key of the index's key/value store:
 *
 *   "Lbuckets"   "accord-lex 1 <N> <dict id>" (the text of the header)
 *   "Ldict"      a zstd dictionary (64 KiB) trained on the table; its
 *                dict id is zstd's, in its header (absent: dict id 0)
 *   "L#<hex b>"  bucket b = FNV-1a(key) mod N, when it has entries:
 *                0x01, the dict id (4 bytes, little-endian), then one zstd
 *                frame of the entries sorted by key, each varint(key length
 *                - 1), the key without its "L", varint(value length), value
 *
 * One lookup reads one bucket of a few hundred bytes and decompresses about
 * a kilobyte with the dictionary (about a microsecond). On the real corpus
 * the 308,000 keys of 75 bytes on average, one B-tree item each, took
 * 23 MB of keys and values; the buckets take about 10 MB.
 *
 * N and the dictionary stay as they are while the table's size stays
 * within 4x of N buckets' target, so that rebuilding the table after an
 * indexing run rewrites only the buckets whose entries changed.
 *
 * An index written before the buckets (no "Lbuckets") keeps one key per
 * entry, read as it is until its next indexing run rewrites the table.
 */
#ifndef ACCORD_LIB_LEXTABLE_H
#define ACCORD_LIB_LEXTABLE_H

#include <stddef.h>

#include "accord/index.h"
#include "accord/mem.h"
#include "xap.h"

#define ACC_LEX_BUCKETS_KEY "Lbuckets"
#define ACC_LEX_DICT_KEY "Ldict"
#define ACC_LEX_BUCKET_PREFIX "L#"
/* raw bytes (keys and values) a bucket holds on average */
#define ACC_LEX_BUCKET_TARGET 1024

/*
 * The value of table key key[0..klen) in index x, appended to out ("" when
 * the table has no such key), from either layout. The header and the
 * dictionary are read once per revision of x (kept in x), the last bucket
 * read is kept too. ACC_EDB_CORRUPT for a bucket that does not decode.
 */
acc_status acc_lex_get(acc_index *x, const char *key, size_t klen, acc_buf *out, acc_error *err);

/* What acc_lex_get keeps in an index (freed with it). */
typedef struct acc_lex_cache acc_lex_cache;
void acc_lex_cache_free(acc_lex_cache *c);

/*
 * Calls fn(ctx, key, klen, value, vlen) for every entry of the table of the index open in w,
 * either layout (bucketed: in bucket order, by key within a bucket), until fn returns nonzero.
 */
acc_status acc_lex_each(acc_xap_wdb *w, acc_xap_meta_fn fn, void *ctx, acc_error *err);

/* A table to store: entries added one by one (each key once), then written. */
typedef struct acc_lex_table acc_lex_table;
acc_lex_table *acc_lex_table_new(void);
void acc_lex_table_add(acc_lex_table *t, const char *key, size_t klen, const char *value,
                       size_t vlen);
void acc_lex_table_free(acc_lex_table *t);

/* What acc_lex_table_write did. */
typedef struct acc_lex_written {
    unsigned long bytes;   /* keys and values of the entries */
    unsigned long stored;  /* bytes of the buckets and the dictionary */
    unsigned long buckets; /* N */
    unsigned long written; /* keys of the store written or deleted (the others were unchanged) */
    int retrained;         /* N and the dictionary chosen anew (the whole table rewritten) */
} acc_lex_written;

/*
 * Makes the table of the index open in w (written with its next commit) be
 * t's entries: writes the buckets that changed, deletes the keys of the old
 * table that are gone (of either layout), keeps ACC_LEX_META_KEY.
 */
acc_status acc_lex_table_write(acc_lex_table *t, acc_xap_wdb *w, acc_lex_written *out,
                               acc_error *err);

#endif
