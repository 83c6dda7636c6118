/*
 * lib/column.c: a slot's value of every document as two-byte codes
 * (lib/column.h), from the slot's value stream.
 */
#include "column.h"

#include <stdlib.h>
#include <string.h>

#include "accord/mem.h"

typedef struct load_ctx {
    acc_column *c;
    unsigned last_docid; /* set by acc_xap_db_values_each before the first value */
    const char *last;    /* the previous document's value, and its code */
    size_t last_n;
    uint16_t last_code;
    int too_many;
} load_ctx;

static int on_value(void *ctx, unsigned docid, const char *v, size_t n)
{
    load_ctx *l = ctx;
    acc_column *c = l->c;
    if (!c->code) {
        c->ncode = (size_t)l->last_docid + 1;
        c->code = acc_xcalloc(c->ncode, sizeof *c->code);
    }
    if (docid >= c->ncode)
        return 0;
    /* documents in a row often share a value */
    if (!l->last_code || n != l->last_n || memcmp(v, l->last, n) != 0) {
        if (c->values.n >= ACC_COLUMN_MAX_VALUES &&
            acc_strmap_get(&c->values, v, n) == ACC_STRMAP_NONE) {
            l->too_many = 1;
            return 1;
        }
        size_t i = acc_strmap_put(&c->values, v, n, NULL);
        l->last_code = (uint16_t)(i + 1);
        l->last = acc_strmap_key(&c->values, i, &l->last_n);
    }
    c->code[docid] = l->last_code;
    return 0;
}

acc_status acc_column_load(acc_xap_db *db, unsigned slot, acc_column **out, acc_error *err)
{
    *out = NULL;
    if (!acc_xap_db_one_local(db))
        return ACC_OK;
    acc_column *c = acc_xcalloc(1, sizeof *c);
    acc_strmap_init(&c->values);
    load_ctx l = {c, 0, NULL, 0, 0, 0};
    acc_status st = acc_xap_db_values_each(db, slot, &l.last_docid, on_value, &l, err);
    if (st != ACC_OK || l.too_many) {
        acc_column_free(c);
        return st;
    }
    if (!c->code) { /* no document has a value */
        c->ncode = (size_t)l.last_docid + 1;
        c->code = acc_xcalloc(c->ncode, sizeof *c->code);
    }
    *out = c;
    return ACC_OK;
}

void acc_column_free(acc_column *c)
{
    if (!c)
        return;
    free(c->code);
    acc_strmap_release(&c->values);
    free(c);
}

/* A spy's counts by code of its column (acc_column_spy): counter k for the k-th value (0: none). */
typedef struct code_counts {
    const acc_column *c;
    unsigned long *n;
} code_counts;

static void on_docid(void *ctx, unsigned docid)
{
    code_counts *k = ctx;
    if (docid < k->c->ncode)
        k->n[k->c->code[docid]]++;
}

/* Counting by the code of each docid is a lookup in an array, where Document::get_value looks
   each document up in the B-tree (at 1M documents, 106 M of a search's 304 M instructions for
   two facets) and the value stream's skip_to costs about as much. */
void acc_column_spy(acc_xap_spy *s, const acc_column *c)
{
    if (!c)
        return;
    code_counts *k = acc_xmalloc(sizeof *k);
    k->c = c;
    k->n = acc_xcalloc(c->values.n + 1, sizeof *k->n);
    acc_xap_spy_on_docids(s, on_docid, k);
}

void acc_column_spy_free(acc_xap_spy *s)
{
    if (!s)
        return;
    code_counts *k = acc_xap_spy_docids_ctx(s);
    if (k) {
        free(k->n);
        free(k);
    }
    acc_xap_spy_free(s);
}

void acc_column_counts(const acc_xap_spy *s, acc_xap_count_fn fn, void *ctx)
{
    const code_counts *k = acc_xap_spy_docids_ctx(s);
    if (!k) {
        acc_xap_spy_each(s, fn, ctx);
        return;
    }
    for (size_t i = 1; i <= k->c->values.n; i++)
        if (k->n[i]) {
            size_t vn;
            const char *v = acc_strmap_key(&k->c->values, i - 1, &vn);
            fn(ctx, v, vn, k->n[i]);
        }
}
