/*
 * lib/docview.c: a stored document as /doc/ID shows it (acc_index_doc_json):
 * the record without the indexer's path, the article headings with their
 * offsets, the commitments its text states (with their sentences and byte
 * offsets), and the whole text.
 */
#include <jansson.h>
#include <string.h>

#include "accord/schema.h"
#include "commitq.h"
#include "docstore.h"
#include "reader.h"
#include "record.h"

static int on_article(void *ctx, size_t off, const char *label, size_t n)
{
    json_array_append_new(ctx,
                          json_pack("{s:s%,s:I}", "label", label, n, "offset", (json_int_t)off));
    return 0;
}

static int on_commit(void *ctx, const acc_commitment *c, const char *sentence, size_t n)
{
    json_array_append_new(ctx, acc_commit_json(c, sentence, n));
    return 0;
}

static char *doc_json_once(acc_index *x, const char *id, acc_error *err)
{
    acc_buf idterm, rec, text;
    acc_xap_doc *doc = NULL;
    json_t *o = NULL, *list = NULL;
    unsigned docid = 0;
    char *s = NULL;
    int any = 0;
    acc_status st = acc_index_refresh(x, err);
    acc_buf_init(&idterm, 0);
    acc_buf_init(&rec, 0);
    acc_buf_init(&text, 0);
    acc_buf_printf(&idterm, "%s%s", ACC_PFX_ID, id);
    if (st == ACC_OK)
        st = acc_xap_db_find(x->db, idterm.p, idterm.n, &docid, err);
    if (st != ACC_OK)
        goto out;
    if (!docid) {
        acc_error_set(err, ACC_ENOTFOUND, "no document with id '%.200s'", id);
        goto done;
    }
    st = acc_xap_db_doc(x->db, docid, &doc, err);
    if (st == ACC_OK)
        st = acc_docstore_read(doc, x, &rec, &text, err);
    if (st != ACC_OK)
        goto out;
    acc_record r;
    acc_record_decode(rec.p ? rec.p : "", rec.n, &r);
    o = acc_record_json(&r);
    acc_record_release(&r);
    json_object_del(o, "path"); /* where the indexer read it: not for the web */
    list = json_array();
    st = acc_docstore_articles(doc, on_article, list, &any, err);
    if (st != ACC_OK)
        goto out;
    if (any) {
        json_object_set_new(o, "articles", list);
        list = NULL;
    }
    json_t *commits = json_array();
    acc_commit_each(doc, on_commit, commits);
    json_object_set_new(o, "commitments", commits);
    json_object_set_new(o, "text", json_stringn(text.p ? text.p : "", text.n));
    s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!s)
        acc_error_set(err, ACC_EINTERNAL, "cannot encode document '%.200s'", id);
    goto done;
out:
    acc_error_prefix(err, st, "cannot read the document");
done:
    json_decref(list);
    json_decref(o);
    acc_xap_doc_free(doc);
    acc_buf_release(&idterm);
    acc_buf_release(&rec);
    acc_buf_release(&text);
    return s;
}

char *acc_index_doc_json(acc_index *x, const char *id, acc_error *err)
{
    acc_error e;
    acc_error *use = err ? err : &e;
    char *s = NULL;
    /* the index changed under the read, or a remote shard stopped answering: again */
    for (int attempt = 0; !s; attempt++) {
        s = doc_json_once(x, id, use);
        if (!s && !acc_index_again(x, use->code, attempt))
            break;
    }
    return s;
}
