/*
 * lib/picks.c: the hits of a page in their order (lib/picks.h): the match's,
 * a typed id's document first, the language versions of the first hits
 * after them.
 */
#include "picks.h"

#include <stdlib.h>
#include <string.h>

#include "accord/schema.h"
#include "strmap.h"

/* the language versions of the first this many hits follow them (0: off) */
#define ACC_VERSIONS_TOP 3
/* a version's score, against the hit it follows */
#define ACC_VERSION_FACTOR 0.99

/*
 * The document whose id is the query text, typed as it is (ids keep their
 * case: "unfccc-en"), for a search by relevance; 0 when there is none.
 */
unsigned acc_picks_typed_id(acc_index *x, const acc_query *q)
{
    if (!q->text || q->sort != ACC_SORT_RELEVANCE || q->collapse || (q->similar && *q->similar))
        return 0;
    const char *t = q->text;
    size_t n = q->text_len;
    while (n && (*t == ' ' || *t == '\t'))
        t++, n--;
    while (n && (t[n - 1] == ' ' || t[n - 1] == '\t'))
        n--;
    if (!n || n > 200 || memchr(t, ' ', n))
        return 0;
    acc_buf id;
    unsigned docid = 0;
    acc_buf_init(&id, 0);
    acc_buf_append(&id, ACC_PFX_ID, strlen(ACC_PFX_ID));
    acc_buf_append(&id, t, n);
    if (acc_xap_db_find(x->db, id.p, id.n, &docid, NULL) != ACC_OK)
        docid = 0;
    acc_buf_release(&id);
    /* within the filters' language, if one is asked for */
    if (docid && q->lang[0]) {
        acc_xap_doc *d = NULL;
        acc_buf lang;
        acc_buf_init(&lang, 0);
        if (acc_xap_db_doc(x->db, docid, &d, NULL) != ACC_OK ||
            acc_xap_doc_value(d, ACC_SLOT_LANG, &lang, NULL) != ACC_OK ||
            lang.n != strlen(q->lang) || memcmp(lang.p, q->lang, lang.n) != 0)
            docid = 0;
        acc_buf_release(&lang);
        acc_xap_doc_free(d);
    }
    return docid;
}

/* 1 when the language versions of the first hits follow them (lib/search.c, step 7). */
int acc_picks_versions(const acc_query *q, int plain)
{
    return ACC_VERSIONS_TOP > 0 && q->expand && q->sort == ACC_SORT_RELEVANCE && !q->collapse &&
           !(q->similar && *q->similar) && plain && !q->lang[0];
}

typedef struct picks_ctx {
    acc_pick *v;
    size_t n, alloc;
    unsigned source;
    double weight;
    acc_strmap seen; /* docids picked, as 4 bytes */
    unsigned *ver;   /* the versions of the hit being followed, before they are ordered */
    size_t nver, aver;
} picks_ctx;

static int picked(const picks_ctx *c, unsigned docid)
{
    return acc_strmap_get(&c->seen, (const char *)&docid, sizeof docid) != ACC_STRMAP_NONE;
}

static void pick(picks_ctx *c, unsigned docid, double weight, long match, unsigned of)
{
    acc_strmap_put(&c->seen, (const char *)&docid, sizeof docid, NULL);
    if (c->n == c->alloc) {
        c->alloc = c->alloc ? 2 * c->alloc : 16;
        c->v = acc_xrealloc(c->v, c->alloc * sizeof *c->v);
    }
    c->v[c->n++] = (acc_pick){docid, weight, match, of};
}

static int on_version_doc(void *ctx, unsigned docid)
{
    picks_ctx *c = ctx;
    if (picked(c, docid))
        return 0;
    if (c->nver == c->aver) {
        c->aver = c->aver ? 2 * c->aver : 8;
        c->ver = acc_xrealloc(c->ver, c->aver * sizeof *c->ver);
    }
    c->ver[c->nver++] = docid;
    return 0;
}

/* The versions of a hit follow it in the order they rank on their own (those the match found,
   best first), then the others by docid: the same order whatever docids indexing gave them. */
static void pick_versions(picks_ctx *c, acc_xap_match *m, size_t n)
{
    long *rank = acc_xcalloc(c->nver ? c->nver : 1, sizeof *rank);
    for (size_t k = 0; k < c->nver; k++) {
        rank[k] = -1;
        for (size_t i = 0; i < n && rank[k] < 0; i++)
            if (acc_xap_match_docid(m, i) == c->ver[k])
                rank[k] = (long)i;
    }
    for (size_t k = 1; k < c->nver; k++) /* insertion sort: a handful of versions */
        for (size_t j = k; j > 0; j--) {
            long ra = rank[j - 1] < 0 ? (long)n : rank[j - 1];
            long rb = rank[j] < 0 ? (long)n : rank[j];
            if (ra < rb || (ra == rb && c->ver[j - 1] < c->ver[j]))
                break;
            unsigned t = c->ver[j];
            c->ver[j] = c->ver[j - 1];
            c->ver[j - 1] = t;
            long r = rank[j];
            rank[j] = rank[j - 1];
            rank[j - 1] = r;
        }
    for (size_t k = 0; k < c->nver; k++)
        if (!picked(c, c->ver[k]))
            pick(c, c->ver[k], c->weight * ACC_VERSION_FACTOR, -1, c->source);
    c->nver = 0;
    free(rank);
}

/*
 * The hits of the page, in order: the match's, and with versions, after
 * each of the first ACC_VERSIONS_TOP hits the other language versions of
 * its agreement (same work), each once and at its first place.
 */
acc_status acc_page_picks(acc_index *x, acc_xap_match *m, const acc_query *q, int with_versions,
                          unsigned first, acc_pick **out, size_t *nout, acc_error *err)
{
    picks_ctx c = {NULL, 0, 0, 0, 0, {0}, NULL, 0, 0};
    size_t n = acc_xap_match_size(m);
    acc_strmap_init(&c.seen);
    acc_status st = ACC_OK;
    acc_buf work;
    acc_buf_init(&work, 0);
    if (first) {
        /* the document whose id the query is: first, at the best score */
        long at = -1;
        for (size_t i = 0; i < n && at < 0; i++)
            if (acc_xap_match_docid(m, i) == first)
                at = (long)i;
        pick(&c, first, n ? acc_xap_match_weight(m, 0) : 0, at, 0);
    }
    for (size_t i = 0; i < n && st == ACC_OK; i++) {
        unsigned docid = acc_xap_match_docid(m, i);
        if (picked(&c, docid))
            continue;
        pick(&c, docid, acc_xap_match_weight(m, i), (long)i, 0);
        if (!with_versions || i >= ACC_VERSIONS_TOP)
            continue;
        acc_xap_doc *doc = NULL;
        acc_buf_reset(&work);
        st = acc_xap_match_doc(m, i, &doc, err);
        if (st == ACC_OK)
            st = acc_xap_doc_value(doc, ACC_SLOT_WORK, &work, err);
        acc_xap_doc_free(doc);
        if (st != ACC_OK || !work.n)
            continue;
        acc_buf term;
        acc_buf_init(&term, 0);
        acc_buf_append(&term, ACC_PFX_WORK, strlen(ACC_PFX_WORK));
        acc_buf_append(&term, work.p, work.n);
        c.source = docid;
        c.weight = acc_xap_match_weight(m, i);
        st = acc_xap_db_postings(x->db, term.p, term.n, on_version_doc, &c, err);
        if (st == ACC_OK)
            pick_versions(&c, m, n);
        c.nver = 0;
        acc_buf_release(&term);
    }
    acc_buf_release(&work);
    acc_strmap_release(&c.seen);
    free(c.ver);
    if (st != ACC_OK) {
        free(c.v);
        return st;
    }
    /* the page */
    const int reordered = with_versions || first;
    size_t from = reordered ? q->offset : 0;
    size_t count = from < c.n ? c.n - from : 0;
    if (reordered && count > q->limit)
        count = q->limit;
    if (from && count)
        memmove(c.v, c.v + from, count * sizeof *c.v);
    *out = c.v;
    *nout = count;
    return ACC_OK;
}
