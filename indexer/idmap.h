/*
 * A string-keyed hash map for the indexer's bookkeeping: id -> the stamp and
 * source a document had in the index, and whether this run saw it.
 * Single-threaded writes; lookups may run in several threads once filling
 * is done (the map is then read-only except for the `seen` flags, which only
 * the writer thread touches).
 */
#ifndef ACCORD_INDEXER_IDMAP_H
#define ACCORD_INDEXER_IDMAP_H

#include <stddef.h>

typedef struct ix_entry {
    char *id;
    char *stamp;  /* may be NULL */
    char *source; /* may be NULL */
    int seen;
} ix_entry;

typedef struct ix_map {
    ix_entry *slots;
    size_t cap, n;
} ix_map;

void ix_map_init(ix_map *m);
void ix_map_release(ix_map *m);
/* The entry for id, or NULL. */
ix_entry *ix_map_get(const ix_map *m, const char *id);
/* The entry for id, created (with copies of stamp/source) when absent. */
ix_entry *ix_map_put(ix_map *m, const char *id, const char *stamp, const char *source);

#endif
