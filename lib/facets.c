/* lib/facets.c: facet counts (lib/facets.h). */
#include "facets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/schema.h"

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

acc_xap_spy *acc_facet_spy(acc_facet_kind k)
{
    switch (k) {
    case ACC_FACET_TOPIC:
        return acc_xap_spy_new(ACC_SLOT_TOPICS, '\x1f');
    case ACC_FACET_PARTY:
        return acc_xap_spy_new(ACC_SLOT_PARTIES, '\x1f');
    case ACC_FACET_LANG:
        return acc_xap_spy_new(ACC_SLOT_LANG, 0);
    case ACC_FACET_TYPE:
        return acc_xap_spy_new(ACC_SLOT_TYPE, 0);
    case ACC_FACET_TARGET:
        return acc_xap_spy_new(ACC_SLOT_CKINDS, '\x1f');
    case ACC_FACET_TARGET_YEAR:
        return acc_xap_spy_new(ACC_SLOT_CYEARS, '\x1f');
    case ACC_FACET_STRENGTH:
        return acc_xap_spy_new(ACC_SLOT_CSTRENGTHS, '\x1f');
    default:
        return acc_xap_spy_new(ACC_SLOT_YEAR, 0);
    }
}

typedef struct read_ctx {
    acc_facet *f;
    size_t alloc;
    acc_facet_kind kind;
} read_ctx;

static void on_count(void *ctx, const char *v, size_t n, unsigned long count)
{
    read_ctx *r = ctx;
    acc_facet *f = r->f;
    if (f->n == r->alloc) {
        r->alloc = r->alloc ? 2 * r->alloc : 16;
        f->values = acc_xrealloc(f->values, r->alloc * sizeof *f->values);
    }
    if (r->kind == ACC_FACET_YEAR) {
        char y[32];
        snprintf(y, sizeof y, "%d", (int)acc_xap_unsortable(v, n));
        f->values[f->n].value = acc_xstrdup(y);
    } else {
        f->values[f->n].value = acc_xstrndup(v, n);
    }
    f->values[f->n].count = count;
    f->n++;
}

static int newest_first(const void *a, const void *b)
{
    return -strcmp(((const acc_facet_value *)a)->value, ((const acc_facet_value *)b)->value);
}

static int oldest_first(const void *a, const void *b)
{
    return strcmp(((const acc_facet_value *)a)->value, ((const acc_facet_value *)b)->value);
}

void acc_facet_read(const acc_xap_spy *spy, acc_facet_kind k, acc_facet *out)
{
    read_ctx r = {out, 0, k};
    out->kind = k;
    out->n = 0;
    out->values = NULL;
    acc_xap_spy_each(spy, on_count, &r);
    if (k == ACC_FACET_YEAR) {
        if (out->n)
            qsort(out->values, out->n, sizeof *out->values, newest_first);
    } else if (k == ACC_FACET_TARGET_YEAR) {
        /* a histogram: in year order */
        if (out->n)
            qsort(out->values, out->n, sizeof *out->values, oldest_first);
    } else {
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
    acc_xap_spy *spy = acc_facet_spy(k);
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
    acc_xap_spy_free(spy);
    return st;
}
