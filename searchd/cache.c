/*
 * The answer cache (cache.h): a chained hash table of entries that are also
 * on a doubly linked list in order of use (most recent at the head).
 */
#include "cache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "accord/mem.h"

typedef struct entry {
    struct entry *next_in_bucket;
    struct entry *newer, *older;
    uint64_t hash;
    unsigned long rev;
    char *key;
    size_t klen;
    char *body;
    size_t len;
} entry;

struct acc_cache {
    pthread_mutex_t lock;
    entry **buckets;
    size_t nbuckets; /* a power of two */
    entry *newest, *oldest;
    size_t bytes, max_bytes, entries;
    unsigned long hits, misses;
};

/* the key's hash */
static uint64_t hash_of(const char *p, size_t n)
{
    return acc_fnv1a(p, n, ACC_FNV_INIT);
}

static size_t cost(const entry *e)
{
    return sizeof *e + e->klen + e->len;
}

acc_cache *acc_cache_new(size_t max_bytes)
{
    if (!max_bytes)
        return NULL;
    acc_cache *c = acc_xcalloc(1, sizeof *c);
    pthread_mutex_init(&c->lock, NULL);
    c->max_bytes = max_bytes;
    /* about one bucket per 4 KiB of budget, at least 64 */
    c->nbuckets = 64;
    while (c->nbuckets < max_bytes / 4096 && c->nbuckets < (1u << 20))
        c->nbuckets <<= 1;
    c->buckets = acc_xcalloc(c->nbuckets, sizeof *c->buckets);
    return c;
}

static void unlink_lru(acc_cache *c, entry *e)
{
    if (e->newer)
        e->newer->older = e->older;
    else
        c->newest = e->older;
    if (e->older)
        e->older->newer = e->newer;
    else
        c->oldest = e->newer;
    e->newer = e->older = NULL;
}

static void push_newest(acc_cache *c, entry *e)
{
    e->older = c->newest;
    e->newer = NULL;
    if (c->newest)
        c->newest->newer = e;
    c->newest = e;
    if (!c->oldest)
        c->oldest = e;
}

static entry **slot_of(acc_cache *c, uint64_t h, const char *key, size_t klen)
{
    entry **p = &c->buckets[h & (c->nbuckets - 1)];
    while (*p && !((*p)->hash == h && (*p)->klen == klen && memcmp((*p)->key, key, klen) == 0))
        p = &(*p)->next_in_bucket;
    return p;
}

static void drop(acc_cache *c, entry *e)
{
    entry **p = slot_of(c, e->hash, e->key, e->klen);
    if (*p == e)
        *p = e->next_in_bucket;
    unlink_lru(c, e);
    c->bytes -= cost(e);
    c->entries--;
    free(e->key);
    free(e->body);
    free(e);
}

char *acc_cache_get(acc_cache *c, const char *key, size_t klen, unsigned long rev, size_t *len)
{
    char *out = NULL;
    if (!c)
        return NULL;
    uint64_t h = hash_of(key, klen);
    pthread_mutex_lock(&c->lock);
    entry *e = *slot_of(c, h, key, klen);
    if (e && e->rev != rev) {
        drop(c, e); /* an answer of another revision is never right again */
        e = NULL;
    }
    if (e) {
        unlink_lru(c, e);
        push_newest(c, e);
        out = malloc(e->len + 1);
        if (out) {
            memcpy(out, e->body, e->len);
            out[e->len] = '\0';
            *len = e->len;
        }
        c->hits++;
    } else {
        c->misses++;
    }
    pthread_mutex_unlock(&c->lock);
    return out;
}

void acc_cache_put(acc_cache *c, const char *key, size_t klen, unsigned long rev, const char *body,
                   size_t len)
{
    if (!c || sizeof(entry) + klen + len > c->max_bytes / 8)
        return;
    entry *e = malloc(sizeof *e);
    char *k = malloc(klen), *b = malloc(len);
    if (!e || !k || !b) {
        free(e);
        free(k);
        free(b);
        return; /* a cache is allowed to forget */
    }
    memcpy(k, key, klen);
    memcpy(b, body, len);
    *e = (entry){NULL, NULL, NULL, hash_of(key, klen), rev, k, klen, b, len};
    pthread_mutex_lock(&c->lock);
    entry **p = slot_of(c, e->hash, key, klen);
    if (*p)
        drop(c, *p);
    p = slot_of(c, e->hash, key, klen);
    *p = e;
    push_newest(c, e);
    c->bytes += cost(e);
    c->entries++;
    while (c->bytes > c->max_bytes && c->oldest && c->oldest != e)
        drop(c, c->oldest);
    pthread_mutex_unlock(&c->lock);
}

void acc_cache_stats(acc_cache *c, unsigned long *hits, unsigned long *misses, size_t *bytes,
                     size_t *entries)
{
    *hits = *misses = 0;
    *bytes = *entries = 0;
    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    *hits = c->hits;
    *misses = c->misses;
    *bytes = c->bytes;
    *entries = c->entries;
    pthread_mutex_unlock(&c->lock);
}

void acc_cache_free(acc_cache *c)
{
    if (!c)
        return;
    while (c->oldest)
        drop(c, c->oldest);
    free(c->buckets);
    pthread_mutex_destroy(&c->lock);
    free(c);
}
