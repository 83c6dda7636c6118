/*
 * lib/strmap.h: a map from byte strings to dense indices 0, 1, 2... in
 * insertion order (private to libaccord). The caller keeps whatever it
 * associates with a string in its own arrays, indexed by that number.
 *
 * Keys are copied. Not thread-safe; no deletion. Sizes are bounded by memory
 * only (growth doubles; out of memory aborts, as acc_xmalloc does).
 */
#ifndef ACCORD_LIB_STRMAP_H
#define ACCORD_LIB_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#define ACC_STRMAP_NONE ((size_t)-1)

typedef struct acc_strmap {
    char *keys; /* all keys, back to back */
    size_t keys_n, keys_alloc;
    size_t *off;     /* key i is keys[off[i] .. off[i + 1]) */
    size_t n, alloc; /* keys stored, room in off (minus one) */
    uint64_t *slots; /* open addressing: the key's hash (low 32 bits) << 32 | index + 1; 0 =
                        empty. Probing compares the hash in the slot before reading a key, and
                        growth hashes nothing again */
    size_t nslots;   /* a power of two, at least twice n */
} acc_strmap;

void acc_strmap_init(acc_strmap *m);
void acc_strmap_release(acc_strmap *m);

/* The index of k[0..n), added when absent (*added, optional, says so). */
size_t acc_strmap_put(acc_strmap *m, const char *k, size_t n, int *added);

/* The index of k[0..n), or ACC_STRMAP_NONE. */
size_t acc_strmap_get(const acc_strmap *m, const char *k, size_t n);

/* Key i (borrowed: valid until the next put) and its length. */
const char *acc_strmap_key(const acc_strmap *m, size_t i, size_t *n);

#endif
