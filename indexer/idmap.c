/* Open-addressing string hash map (idmap.h); FNV-1a hashing, load factor <= 1/2. */
#include "idmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "accord/mem.h"

static uint64_t hash(const char *s)
{
    return acc_fnv1a(s, strlen(s), ACC_FNV_INIT);
}

void ix_map_init(ix_map *m)
{
    m->cap = 1024;
    m->n = 0;
    m->slots = acc_xcalloc(m->cap, sizeof *m->slots);
}

void ix_map_release(ix_map *m)
{
    for (size_t i = 0; i < m->cap; i++) {
        free(m->slots[i].id);
        free(m->slots[i].stamp);
        free(m->slots[i].source);
    }
    free(m->slots);
    m->slots = NULL;
    m->cap = m->n = 0;
}

static ix_entry *find(ix_entry *slots, size_t cap, const char *id)
{
    size_t i = (size_t)(hash(id) & (cap - 1));
    while (slots[i].id && strcmp(slots[i].id, id) != 0)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

ix_entry *ix_map_get(const ix_map *m, const char *id)
{
    ix_entry *e = find(m->slots, m->cap, id);
    return e->id ? e : NULL;
}

ix_entry *ix_map_put(ix_map *m, const char *id, const char *stamp, const char *source)
{
    ix_entry *e;
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap * 2;
        ix_entry *slots = acc_xcalloc(cap, sizeof *slots);
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].id)
                *find(slots, cap, m->slots[i].id) = m->slots[i];
        free(m->slots);
        m->slots = slots;
        m->cap = cap;
    }
    e = find(m->slots, m->cap, id);
    if (!e->id) {
        e->id = acc_xstrdup(id);
        e->stamp = stamp ? acc_xstrdup(stamp) : NULL;
        e->source = source ? acc_xstrdup(source) : NULL;
        e->seen = 0;
        m->n++;
    }
    return e;
}
