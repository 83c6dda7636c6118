/*
 * lib/xapdb.c: what the C side composes from the Xapian layer's primitives (lib/xap.h):
 *
 * - the revision of an open index (acc_xap_db_reopen): the sum of its tracked shards'
 *   revisions, since Xapian gives none for a combination of databases; without tracked
 *   shards, the revision of its one database (a remote shard alone has one), else 0. A reader
 *   compares revisions to tell that the index changed;
 * - the first document of a term (acc_xap_db_find).
 */
#include "xap.h"

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
