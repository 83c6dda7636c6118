/* lib/qbits.c: small helpers that build queries (lib/qbits.h). */
#include "qbits.h"

#include <stdlib.h>
#include <string.h>

#include "accord/schema.h"

acc_xap_query *acc_q_term(const char *prefix, const char *v, size_t n)
{
    acc_buf t;
    acc_buf_init(&t, 0);
    acc_buf_append(&t, prefix, strlen(prefix));
    acc_buf_append(&t, v, n);
    acc_xap_query *q = acc_xap_query_term(t.p, t.n);
    acc_buf_release(&t);
    return q;
}

/* a FILTER b, consuming a (b borrowed). */
acc_xap_query *acc_q_filter(acc_xap_query *a, const acc_xap_query *b)
{
    acc_xap_query *r = acc_xap_query_pair(ACC_XAP_FILTER, a, b);
    acc_xap_query_free(a);
    return r;
}

/* a FILTER XL<lang>, consuming a. */
acc_xap_query *acc_q_in_lang(acc_xap_query *a, const char *lang)
{
    acc_xap_query *l = acc_q_term(ACC_PFX_LANG, lang, strlen(lang));
    acc_xap_query *r = acc_q_filter(a, l);
    acc_xap_query_free(l);
    return r;
}

/*
 * a FILTER (XL<lang> OR XQ<lang>), consuming a: the documents a language's
 * reading of the query looks at, its own and those with passages in it.
 */
acc_xap_query *acc_q_read_in(acc_xap_query *a, const char *lang, int restricted)
{
    if (restricted)
        return acc_q_in_lang(a, lang);
    acc_xap_query *l = acc_q_term(ACC_PFX_LANG, lang, strlen(lang));
    acc_xap_query *p = acc_q_term(ACC_PFX_PASSAGE_LANG, lang, strlen(lang));
    acc_xap_query *either = acc_xap_query_pair(ACC_XAP_OR, l, p);
    acc_xap_query *r = acc_q_filter(a, either);
    acc_xap_query_free(l);
    acc_xap_query_free(p);
    acc_xap_query_free(either);
    return r;
}

/* a op b, consuming both. */
acc_xap_query *acc_q_join2(acc_xap_op op, acc_xap_query *a, acc_xap_query *b)
{
    acc_xap_query *r = acc_xap_query_pair(op, a, b);
    acc_xap_query_free(a);
    acc_xap_query_free(b);
    return r;
}

/* q scaled by f, consuming q. */
acc_xap_query *acc_q_scaled(acc_xap_query *q, double f)
{
    acc_xap_query *r = acc_xap_query_scale(q, f);
    acc_xap_query_free(q);
    return r;
}

void acc_qlist_add(acc_qlist *l, acc_xap_query *q)
{
    if (!q)
        return;
    l->v = acc_xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = q;
}

/* The join of l's queries by op; l emptied. */
acc_xap_query *acc_qlist_join(acc_qlist *l, acc_xap_op op)
{
    acc_xap_query *r = acc_xap_query_join(op, l->v, l->n);
    for (size_t i = 0; i < l->n; i++)
        acc_xap_query_free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
    return r;
}

/* Keys sort ascending, so that documents with equal keys and equal weights keep the docid order
   of a relevance ranking (Xapian reverses that too when asked to reverse the keys). */
void acc_sort_key_ascending(void *ctx, const char *v, size_t n, acc_buf *out)
{
    (void)ctx;
    if (!n)
        acc_buf_append(out, "\xff\xff", 2);
    else
        acc_buf_append(out, v, n);
}

void acc_sort_key_descending(void *ctx, const char *v, size_t n, acc_buf *out)
{
    (void)ctx;
    if (!n) {
        acc_buf_append(out, "\xff\xff", 2);
        return;
    }
    for (size_t i = 0; i < n; i++)
        acc_buf_putc(out, (char)(0xff - (unsigned char)v[i]));
    acc_buf_putc(out, '\xff');
}
