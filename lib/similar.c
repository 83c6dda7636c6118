/* lib/similar.c: documents like a document (lib/similar.h). */
#include "similar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/schema.h"

typedef struct parts {
    acc_xap_query **v;
    size_t n;
} parts;

static void add_part(parts *p, acc_xap_query *q)
{
    p->v = acc_xrealloc(p->v, (p->n + 1) * sizeof *p->v);
    p->v[p->n++] = q;
}

static void on_weighted(void *ctx, const char *t, size_t n, double w)
{
    acc_xap_query *term = acc_xap_query_term(t, n);
    add_part(ctx, acc_xap_query_scale(term, w));
    acc_xap_query_free(term);
}

static int on_topic(void *ctx, const char *t, size_t n, unsigned wdf)
{
    acc_xap_query *term = acc_xap_query_term(t, n);
    (void)wdf;
    add_part(ctx, acc_xap_query_scale(term, ACC_SIMILAR_TOPIC_WEIGHT));
    acc_xap_query_free(term);
    return 0;
}

/* Language-tagged stems (or, for a language without a stemmer, words): not
   ids or filters, no short words. */
static int telling(void *ctx, const char *t, size_t n)
{
    const int words = *(const int *)ctx;
    if (words)
        return n > 3 && !(t[0] >= 'A' && t[0] <= 'Z');
    return n > 6 && t[0] == 'Z' && memchr(t, ':', n) != NULL;
}

acc_status acc_similar_query(acc_index *x, const char *id, char lang[ACC_LANG_MAX],
                             acc_xap_query **out, acc_error *err)
{
    acc_buf idterm, l;
    acc_xap_doc *doc = NULL;
    acc_xap_query *idq = NULL;
    parts p = {NULL, 0};
    unsigned docid = 0;
    int words;
    acc_status st;
    acc_buf_init(&idterm, 0);
    acc_buf_init(&l, 0);
    acc_buf_printf(&idterm, "%s%s", ACC_PFX_ID, id);
    st = acc_xap_db_find(x->db, idterm.p, idterm.n, &docid, err);
    if (st != ACC_OK)
        goto out;
    if (!docid) {
        st = acc_error_set(err, ACC_ENOTFOUND, "no document with id '%s'", id);
        goto out;
    }
    st = acc_xap_db_doc(x->db, docid, &doc, err);
    if (st == ACC_OK)
        st = acc_xap_doc_value(doc, ACC_SLOT_LANG, &l, err);
    if (st != ACC_OK)
        goto out;
    snprintf(lang, ACC_LANG_MAX, "%s", l.p ? l.p : "");
    words = acc_lang_stemmer(lang) == NULL;
    idq = acc_xap_query_term(idterm.p, idterm.n);
    st = acc_xap_db_expand(x->db, idq, docid, ACC_SIMILAR_TERMS, telling, &words, on_weighted, &p,
                           err);
    /* topics reach versions and kin in other languages */
    if (st == ACC_OK)
        st = acc_xap_doc_terms(doc, ACC_PFX_TOPIC, strlen(ACC_PFX_TOPIC), on_topic, &p, err);
    if (st == ACC_OK) {
        acc_xap_query *any = acc_xap_query_join(ACC_XAP_OR, p.v, p.n);
        *out = acc_xap_query_pair(ACC_XAP_AND_NOT, any, idq);
        acc_xap_query_free(any);
    }
out:
    for (size_t i = 0; i < p.n; i++)
        acc_xap_query_free(p.v[i]);
    free(p.v);
    acc_xap_query_free(idq);
    acc_xap_doc_free(doc);
    acc_buf_release(&idterm);
    acc_buf_release(&l);
    return st;
}
