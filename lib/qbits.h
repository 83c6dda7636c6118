/*
 * lib/qbits.h: small helpers that build Xapian queries for the engine's C
 * modules (private to libaccord). Functions that say "consuming" free the
 * queries they are given.
 */
#ifndef ACCORD_LIB_QBITS_H
#define ACCORD_LIB_QBITS_H

#include <stddef.h>

#include "xap.h"

/* The term prefix + v[0..n). */
acc_xap_query *acc_q_term(const char *prefix, const char *v, size_t n);

/* a FILTER b, consuming a (b borrowed). */
acc_xap_query *acc_q_filter(acc_xap_query *a, const acc_xap_query *b);

/* a FILTER XL<lang>, consuming a. */
acc_xap_query *acc_q_in_lang(acc_xap_query *a, const char *lang);

/* a FILTER (XL<lang> OR XQ<lang>) (restricted: XL<lang> only), consuming a. */
acc_xap_query *acc_q_read_in(acc_xap_query *a, const char *lang, int restricted);

/* a op b, consuming both. */
acc_xap_query *acc_q_join2(acc_xap_op op, acc_xap_query *a, acc_xap_query *b);

/* q scaled by f, consuming q. */
acc_xap_query *acc_q_scaled(acc_xap_query *q, double f);

/* A growing list of queries. */
typedef struct acc_qlist {
    acc_xap_query **v;
    size_t n;
} acc_qlist;

/* Appends q (owned by the list; NULL is left out). */
void acc_qlist_add(acc_qlist *l, acc_xap_query *q);

/* The join of l's queries by op; l emptied. */
acc_xap_query *acc_qlist_join(acc_qlist *l, acc_xap_op op);

/* Sort keys (acc_xap_key_fn) of a slot's value: ascending, the value itself; descending, its
   bytes inverted, then 0xff. A document without the value gets 0xff 0xff, after every value
   either way. */
void acc_sort_key_ascending(void *ctx, const char *v, size_t n, acc_buf *out);
void acc_sort_key_descending(void *ctx, const char *v, size_t n, acc_buf *out);

#endif
