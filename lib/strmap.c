/*
 * lib/strmap.c: string -> dense index map (lib/strmap.h). acc_hash_words
 * (8 bytes a step: FNV-1a byte by byte was half of a put), linear probing,
 * load factor at most 1/2; each key's hash kept in its slot, so that probing
 * compares it before the bytes (one memory access a probe) and growth rehashes
 * nothing.
 */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#include "accord/mem.h"

static uint32_t hash(const char *k, size_t n)
{
    return (uint32_t)acc_hash_words(k, n, ACC_FNV_INIT);
}

void acc_strmap_init(acc_strmap *m)
{
    memset(m, 0, sizeof *m);
}

void acc_strmap_release(acc_strmap *m)
{
    free(m->keys);
    free(m->off);
    free(m->slots);
    acc_strmap_init(m);
}

const char *acc_strmap_key(const acc_strmap *m, size_t i, size_t *n)
{
    *n = m->off[i + 1] - m->off[i];
    return m->keys + m->off[i];
}

static size_t find_slot(const acc_strmap *m, const char *k, size_t n, uint32_t h)
{
    size_t mask = m->nslots - 1;
    for (size_t s = (size_t)h & mask;; s = (s + 1) & mask) {
        uint64_t e = m->slots[s];
        if (!e)
            return s;
        if ((uint32_t)(e >> 32) != h)
            continue;
        size_t kn;
        const char *kp = acc_strmap_key(m, (uint32_t)e - 1, &kn);
        if (kn == n && memcmp(kp, k, n) == 0)
            return s;
    }
}

size_t acc_strmap_get(const acc_strmap *m, const char *k, size_t n)
{
    if (!m->nslots)
        return ACC_STRMAP_NONE;
    uint64_t e = m->slots[find_slot(m, k, n, hash(k, n))];
    return e ? (uint32_t)e - 1 : ACC_STRMAP_NONE;
}

static void grow_slots(acc_strmap *m)
{
    size_t nslots = m->nslots ? m->nslots * 2 : 64, old_n = m->nslots;
    uint64_t *old = m->slots;
    m->slots = acc_xcalloc(nslots, sizeof *m->slots);
    m->nslots = nslots;
    /* the keys are distinct: each goes to the first free slot from its hash */
    size_t mask = nslots - 1;
    for (size_t o = 0; o < old_n; o++) {
        if (!old[o])
            continue;
        size_t s = (size_t)(old[o] >> 32) & mask;
        while (m->slots[s])
            s = (s + 1) & mask;
        m->slots[s] = old[o];
    }
    free(old);
}

size_t acc_strmap_put(acc_strmap *m, const char *k, size_t n, int *added)
{
    if (2 * (m->n + 1) > m->nslots)
        grow_slots(m);
    uint32_t h = hash(k, n);
    size_t s = find_slot(m, k, n, h);
    if (added)
        *added = !m->slots[s];
    if (m->slots[s])
        return (uint32_t)m->slots[s] - 1;
    if (m->n + 2 > m->alloc) {
        m->alloc = m->alloc ? 2 * m->alloc : 64;
        m->off = acc_xrealloc(m->off, m->alloc * sizeof *m->off);
        if (m->n == 0)
            m->off[0] = 0;
    }
    if (!m->keys || m->keys_n + n > m->keys_alloc) { /* keys never NULL once a key is in */
        size_t want = m->keys_alloc ? 2 * m->keys_alloc : 1024;
        while (want < m->keys_n + n)
            want *= 2;
        m->keys = acc_xrealloc(m->keys, want);
        m->keys_alloc = want;
    }
    if (n)
        memcpy(m->keys + m->keys_n, k, n);
    m->keys_n += n;
    m->off[m->n + 1] = m->keys_n;
    m->slots[s] = (uint64_t)h << 32 | (uint32_t)(m->n + 1);
    return m->n++;
}
