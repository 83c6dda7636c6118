/*
 * lib/xapdb.c: what the C side composes from the Xapian layer's primitives (lib/xap.h):
 *
 * - the revision of an open index (acc_xap_db_reopen): the sum of its tracked shards'
 *   revisions, since Xapian gives none for a combination of databases; without tracked
 *   shards, the revision of its one database (a remote shard alone has one), else 0. A reader
 *   compares revisions to tell that the index changed;
 * - the first document of a term (acc_xap_db_find);
 * - the parts of a database read as one (acc_xap_db_parts): its shards when every one of them
 *   is tracked, so that each can be matched on its own.
 */
#include "xap.h"

size_t acc_xap_db_parts(const acc_xap_db *db)
{
    const size_t n = acc_xap_db_tracked(db);
    return n > 1 && n == acc_xap_db_shards(db) ? n : 0;
}

acc_status acc_xap_db_reopen(acc_xap_db *db, unsigned long *revision, acc_error *err)
{
    acc_status st = acc_xap_db_reopen_all(db, err);
    const size_t n = acc_xap_db_tracked(db);
    unsigned long sum = 0, r = 0;
    if (st != ACC_OK || !revision)
        return st;
    for (size_t i = 0; i < n && st == ACC_OK; i++) {
        st = acc_xap_db_revision(db, i, &r, err);
        sum += r;
    }
    if (st == ACC_OK && !n && acc_xap_db_shards(db) == 1)
        st = acc_xap_db_revision(db, n, &sum, err);
    if (st == ACC_OK)
        *revision = sum;
    return st;
}

static int on_first(void *ctx, unsigned docid)
{
    *(unsigned *)ctx = docid;
    return 1;
}

acc_status acc_xap_db_find(acc_xap_db *db, const char *t, size_t n, unsigned *docid, acc_error *err)
{
    *docid = 0;
    return acc_xap_db_postings(db, t, n, on_first, docid, err);
}

acc_status acc_xap_db_postings(acc_xap_db *db, const char *t, size_t n, acc_xap_docid_fn fn,
                               void *ctx, acc_error *err)
{
    acc_xap_postcur *c = NULL;
    unsigned at, wdf, next = 0;
    acc_status st = acc_xap_postcur_open(db, t, n, &c, err);
    while (st == ACC_OK && c && acc_xap_postcur_skip_to(c, next, &at, &wdf) && fn(ctx, at) == 0)
        next = at + 1;
    acc_xap_postcur_free(c);
    return st;
}

acc_status acc_xap_db_positions(acc_xap_db *db, unsigned docid, const char *t, size_t n,
                                unsigned from, unsigned *out, size_t max, size_t *nout,
                                acc_error *err)
{
    acc_xap_poscur *c = NULL;
    unsigned at;
    *nout = 0;
    acc_status st = acc_xap_poscur_open(db, docid, t, n, &c, err);
    if (st == ACC_OK && c && max && acc_xap_poscur_skip_to(c, from, &at))
        *nout = acc_xap_poscur_read(c, out, max);
    acc_xap_poscur_free(c);
    return st;
}
