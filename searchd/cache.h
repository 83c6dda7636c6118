/*
 * The answer cache of accord-searchd: JSON answers of /search, /suggest and
 * /similar by request URI, valid for one index revision. As-you-type search
 * boxes send the same prefixes and queries again and again; a hit is answered
 * by the event loop without a worker or any Xapian work.
 *
 * Bounded by bytes (keys + bodies + bookkeeping), least recently used entries
 * evicted first. Thread-safe (one mutex; every operation is short).
 */
#ifndef ACCORD_SEARCHD_CACHE_H
#define ACCORD_SEARCHD_CACHE_H

#include <stddef.h>

typedef struct acc_cache acc_cache;

/* A cache of at most max_bytes; NULL when max_bytes is 0 (no cache). */
acc_cache *acc_cache_new(size_t max_bytes);
void acc_cache_free(acc_cache *c);

/*
 * The answer stored for key at revision rev: a malloc'ed copy of its body
 * (length in *len), or NULL (also for an entry of another revision). c may be
 * NULL.
 */
char *acc_cache_get(acc_cache *c, const char *key, size_t klen, unsigned long rev, size_t *len);

/* Stores a copy of body for key at revision rev (bodies over an eighth of the
   cache are not kept). c may be NULL. */
void acc_cache_put(acc_cache *c, const char *key, size_t klen, unsigned long rev, const char *body,
                   size_t len);

/* Counters for /metrics. */
void acc_cache_stats(acc_cache *c, unsigned long *hits, unsigned long *misses, size_t *bytes,
                     size_t *entries);

#endif
