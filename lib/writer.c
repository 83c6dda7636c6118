/*
 * lib/writer.c: the single writer of an index (include/accord/writer.h): transactions, documents in
 * and out, the index's key/value store, and the list of what is indexed (for incremental runs).
 */
#include <stdlib.h>
#include <string.h>

#include "accord/schema.h"
#include "accord/writer.h"
#include "docbuild.h"
#include "lexicon.h"
#include "xap.h"

struct acc_writer {
    acc_xap_wdb *w;
};

acc_status acc_writer_open(const char *path, acc_writer **out, acc_error *err)
{
    acc_xap_wdb *w = NULL;
    acc_status st = acc_xap_wdb_open(path, &w, err);
    if (st != ACC_OK)
        return acc_error_prefix(err, st, "cannot open index '%s' for writing", path);
    *out = acc_xcalloc(1, sizeof **out);
    (*out)->w = w;
    return ACC_OK;
}

acc_xap_wdb *acc_writer_xap(acc_writer *w)
{
    return w->w;
}

void acc_writer_close(acc_writer *w)
{
    if (!w)
        return;
    acc_xap_wdb_close(w->w);
    free(w);
}

acc_status acc_writer_begin(acc_writer *w, acc_error *err)
{
    acc_status st = acc_xap_wdb_begin(w->w, err);
    return st == ACC_OK ? st : acc_error_prefix(err, st, "cannot start a transaction");
}

acc_status acc_writer_commit(acc_writer *w, acc_error *err)
{
    acc_status st = acc_xap_wdb_commit(w->w, err);
    return st == ACC_OK ? st : acc_error_prefix(err, st, "cannot commit the index");
}

acc_status acc_writer_cancel(acc_writer *w, acc_error *err)
{
    acc_status st = acc_xap_wdb_cancel(w->w, err);
    return st == ACC_OK ? st : acc_error_prefix(err, st, "cannot cancel the transaction");
}

unsigned long acc_writer_doccount(acc_writer *w)
{
    unsigned long n = 0;
    if (acc_xap_db_doccount(acc_xap_wdb_reader(w->w), &n, NULL) != ACC_OK)
        return 0;
    return n;
}

acc_status acc_writer_write(acc_writer *w, const acc_built_doc *x, int *replaced, acc_error *err)
{
    acc_status st = acc_xap_wdb_replace(w->w, x->idterm, strlen(x->idterm), x->doc, replaced, err);
    if (st != ACC_OK)
        acc_error_prefix(err, st, "cannot write document '%s'", x->idterm + 1);
    return st;
}

acc_status acc_writer_delete(acc_writer *w, const char *id, acc_error *err)
{
    acc_buf t;
    acc_buf_init(&t, 0);
    acc_buf_printf(&t, "%s%s", ACC_PFX_ID, id);
    acc_status st = acc_xap_wdb_delete(w->w, t.p, t.n, err);
    acc_buf_release(&t);
    if (st != ACC_OK)
        acc_error_prefix(err, st, "cannot delete document '%s'", id);
    return st;
}

acc_status acc_writer_get_meta(acc_writer *w, const char *key, char **value, acc_error *err)
{
    acc_buf v;
    acc_buf_init(&v, 0);
    acc_status st = acc_xap_wdb_get_meta(w->w, key, &v, err);
    if (st != ACC_OK) {
        acc_buf_release(&v);
        return acc_error_prefix(err, st, "cannot read index metadata");
    }
    *value = acc_buf_detach(&v, NULL);
    return ACC_OK;
}

acc_status acc_writer_set_meta(acc_writer *w, const char *key, const char *value, acc_error *err)
{
    acc_status st = acc_xap_wdb_set_meta(w->w, key, value, err);
    return st == ACC_OK ? st : acc_error_prefix(err, st, "cannot write index metadata");
}

typedef struct each_ctx {
    acc_xap_db *db;
    acc_writer_each_fn fn;
    void *ctx;
    acc_status st;
    acc_error *err;
} each_ctx;

/* One id term: its document's source and stamp to the caller's function. */
static int on_id(void *ctx, const char *term, size_t len, unsigned long freq)
{
    each_ctx *e = ctx;
    acc_xap_doc *doc = NULL;
    acc_buf id, source, stamp;
    unsigned docid = 0;
    int stop = 0;
    (void)freq;
    acc_buf_init(&id, 0);
    acc_buf_init(&source, 0);
    acc_buf_init(&stamp, 0);
    e->st = acc_xap_db_find(e->db, term, len, &docid, e->err);
    if (e->st != ACC_OK || !docid)
        goto out;
    e->st = acc_xap_db_doc(e->db, docid, &doc, e->err);
    if (e->st == ACC_OK)
        e->st = acc_xap_doc_value(doc, ACC_SLOT_SOURCE, &source, e->err);
    if (e->st == ACC_OK)
        e->st = acc_xap_doc_value(doc, ACC_SLOT_STAMP, &stamp, e->err);
    if (e->st != ACC_OK)
        goto out;
    acc_buf_append(&id, term + strlen(ACC_PFX_ID), len - strlen(ACC_PFX_ID));
    acc_buf_putc(&source, '\0');
    acc_buf_putc(&stamp, '\0');
    stop = e->fn(e->ctx, id.p ? id.p : "", source.p, stamp.p) != 0;
out:
    acc_xap_doc_free(doc);
    acc_buf_release(&id);
    acc_buf_release(&source);
    acc_buf_release(&stamp);
    return stop || e->st != ACC_OK;
}

acc_status acc_writer_each(acc_writer *w, acc_writer_each_fn fn, void *ctx, acc_error *err)
{
    each_ctx e = {acc_xap_wdb_reader(w->w), fn, ctx, ACC_OK, err};
    acc_status st = acc_xap_db_terms(e.db, ACC_PFX_ID, strlen(ACC_PFX_ID), 0, NULL, on_id, &e, err);
    if (st == ACC_OK)
        st = e.st;
    if (st != ACC_OK)
        acc_error_prefix(err, st, "cannot list the documents of the index");
    return st;
}
