/* lib/facets.c: facet counts (lib/facets.h). */
#include "facets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/schema.h"
#include "column.h"
#include "strmap.h"

/* the separator of the items of a list value (include/accord/schema.h: "joined by 0x1f") */
#define LIST_SEP '\x1f'

int acc_facet_filtered(const acc_query *q, acc_facet_kind k)
{
    switch (k) {
    case ACC_FACET_LANG:
        return q->lang[0] != '\0';
    case ACC_FACET_TYPE:
        return q->type && *q->type;
    case ACC_FACET_TOPIC:
        return q->topic && *q->topic;
    case ACC_FACET_PARTY:
        return q->party && *q->party;
    case ACC_FACET_TARGET:
        return q->target && *q->target;
    case ACC_FACET_TARGET_YEAR:
        return q->target_year && *q->target_year;
    case ACC_FACET_STRENGTH:
        return q->strength && *q->strength;
    default:
        return q->year_from || q->year_to;
    }
}

/* The slot of facet k, and the separator of the items of its values (0: one value). */
static unsigned slot_of(acc_facet_kind k, char *sep)
{
    *sep = LIST_SEP;
    switch (k) {
    case ACC_FACET_TOPIC:
        return ACC_SLOT_TOPICS;
    case ACC_FACET_PARTY:
        return ACC_SLOT_PARTIES;
    case ACC_FACET_TARGET:
        return ACC_SLOT_CKINDS;
    case ACC_FACET_TARGET_YEAR:
        return ACC_SLOT_CYEARS;
    case ACC_FACET_STRENGTH:
        return ACC_SLOT_CSTRENGTHS;
    case ACC_FACET_LANG:
        *sep = 0;
        return ACC_SLOT_LANG;
    case ACC_FACET_TYPE:
        *sep = 0;
        return ACC_SLOT_TYPE;
    default:
        *sep = 0;
        return ACC_SLOT_YEAR;
    }
}

acc_xap_spy *acc_facet_spy(acc_index *x, acc_facet_kind k)
{
    char sep;
    const unsigned slot = slot_of(k, &sep);
    acc_xap_spy *spy = acc_xap_spy_new(slot);
    /* counted from the slot's column, loaded once per revision: on a large index, and on a
       handle that has searched before (a daemon's). The load reads every document's value,
       as much as one count of a small index, so a handle's first search of a small index (the
       command line's only one) counts as it goes. */
    unsigned long docs = 0;
    acc_error e;
    if (x && spy &&
        (x->searches > 1 ||
         (acc_xap_db_doccount(x->db, &docs, &e) == ACC_OK && docs >= x->large_from)))
        acc_column_spy(spy, acc_index_column(x, slot));
    return spy;
}

void acc_facet_spy_free(acc_xap_spy *spy)
{
    acc_column_spy_free(spy);
}

/* The counts of the items of a facet's values, each item once. */
typedef struct items {
    char sep;
    acc_strmap map; /* item -> index */
    unsigned long *count;
    size_t alloc;
} items;

/* A value counted `count` times: each of its items (a list value) or itself, empty ones
   left out. A document counts once per item it holds, as a per-document split would. */
static void on_value(void *ctx, const char *v, size_t n, unsigned long count)
{
    items *it = ctx;
    for (size_t i = 0; i <= n;) {
        const char *e = it->sep ? memchr(v + i, it->sep, n - i) : NULL;
        size_t j = e ? (size_t)(e - v) : n;
        if (j > i) {
            size_t k = acc_strmap_put(&it->map, v + i, j - i, NULL);
            if (k >= it->alloc) {
                size_t old = it->alloc;
                it->alloc = it->alloc ? 2 * it->alloc : 16;
                while (it->alloc <= k)
                    it->alloc *= 2;
                it->count = acc_xrealloc(it->count, it->alloc * sizeof *it->count);
                memset(it->count + old, 0, (it->alloc - old) * sizeof *it->count);
            }
            it->count[k] += count;
        }
        i = j + 1;
    }
}

static void add_value(acc_facet *f, size_t *alloc, acc_facet_kind kind, const char *v, size_t n,
                      unsigned long count)
{
    if (f->n == *alloc) {
        *alloc = *alloc ? 2 * *alloc : 16;
        f->values = acc_xrealloc(f->values, *alloc * sizeof *f->values);
    }
    if (kind == ACC_FACET_YEAR) {
        char y[32];
        snprintf(y, sizeof y, "%d", (int)acc_xap_unsortable(v, n));
        f->values[f->n].value = acc_xstrdup(y);
    } else {
        f->values[f->n].value = acc_xstrndup(v, n);
    }
    f->values[f->n].count = count;
    f->n++;
}

/* byte order of the values (items hold no NUL) */
static int value_order(const void *a, const void *b)
{
    return strcmp(((const acc_facet_value *)a)->value, ((const acc_facet_value *)b)->value);
}

static int newest_first(const void *a, const void *b)
{
    return -strcmp(((const acc_facet_value *)a)->value, ((const acc_facet_value *)b)->value);
}

void acc_facet_read(const acc_xap_spy *spy, acc_facet_kind k, acc_facet *out)
{
    items it = {0};
    size_t alloc = 0;
    out->kind = k;
    out->n = 0;
    out->values = NULL;
    slot_of(k, &it.sep);
    acc_strmap_init(&it.map);
    acc_column_counts(spy, on_value, &it);
    for (size_t i = 0; i < it.map.n; i++) {
        size_t n;
        const char *v = acc_strmap_key(&it.map, i, &n);
        add_value(out, &alloc, k, v, n, it.count[i]);
    }
    acc_strmap_release(&it.map);
    free(it.count);
    if (k == ACC_FACET_YEAR) {
        if (out->n)
            qsort(out->values, out->n, sizeof *out->values, newest_first);
    } else {
        /* in byte order of the values: a histogram of target years in year order */
        if (out->n)
            qsort(out->values, out->n, sizeof *out->values, value_order);
    }
    if (k != ACC_FACET_YEAR && k != ACC_FACET_TARGET_YEAR) {
        /* most frequent first, ties in value order (insertion sort: stable) */
        for (size_t i = 1; i < out->n; i++) {
            acc_facet_value v = out->values[i];
            size_t j = i;
            while (j > 0 && out->values[j - 1].count < v.count) {
                out->values[j] = out->values[j - 1];
                j--;
            }
            out->values[j] = v;
        }
    }
    while (out->n > ACC_FACET_MAX_VALUES)
        free(out->values[--out->n].value);
    if (!out->values)
        out->values = acc_xcalloc(1, sizeof *out->values);
}

acc_status acc_facet_count(acc_index *x, const acc_xap_query *query, acc_facet_kind k,
                           double time_limit, acc_facet *out, acc_error *err)
{
    acc_xap_spy *spy = acc_facet_spy(x, k);
    acc_xap_match *m = NULL;
    acc_xap_match_opts o;
    unsigned long all = 0;
    acc_status st = acc_xap_db_doccount(x->db, &all, err);
    if (st != ACC_OK)
        goto out;
    acc_xap_match_opts_init(&o);
    o.bool_weight = 1;
    o.limit = 0;
    o.check_at_least = (unsigned)all;
    o.time_limit = time_limit;
    o.spies = &spy;
    o.nspies = 1;
    st = acc_xap_match_run(x->db, query, &o, &m, err);
    if (st == ACC_OK)
        acc_facet_read(spy, k, out);
out:
    acc_xap_match_free(m);
    acc_facet_spy_free(spy);
    return st;
}
