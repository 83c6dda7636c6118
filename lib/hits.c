/*
 * lib/hits.c: a page of hits (lib/hits.h). The snippet of a hit is placed by
 * the positions of the query's words in the document: the window of a
 * snippet's width with the most of them, whose stored chunk alone is
 * decompressed, and only the words near it are matched (acc_snippet_near).
 * A document where none of those words occurs as written (a word read
 * through its stem or its translation): the chunk of the first occurrence of
 * an index word its stems begin, matched whole.
 */
#include "hits.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/schema.h"
#include "accord/snippet.h"
#include "docstore.h"
#include "commitq.h"
#include "highlight.h"
#include "qtext.h"
#include "record.h"

/* What the hits of one page share: matchers and variants per language. */
typedef struct lang_cache {
    char lang[ACC_LANG_MAX];
    acc_highlighter *h;
    char **variants;
    size_t nvariants;
    int have_variants;
    char **marked;  /* the query's words as written that the matcher marks */
    int *marked_id; /* and the id it gives each */
    size_t nmarked;
} lang_cache;

typedef struct page {
    acc_index *x;
    const acc_xap_query *query;
    char **qwords;
    size_t nq;
    lang_cache *langs;
    size_t nlangs;
} page;

static lang_cache *cache_for(page *p, const char *lang)
{
    for (size_t i = 0; i < p->nlangs; i++)
        if (strcmp(p->langs[i].lang, lang) == 0)
            return &p->langs[i];
    p->langs = acc_xrealloc(p->langs, (p->nlangs + 1) * sizeof *p->langs);
    lang_cache *c = &p->langs[p->nlangs++];
    memset(c, 0, sizeof *c);
    snprintf(c->lang, sizeof c->lang, "%s", lang);
    c->h = acc_highlighter_new(p->query, lang);
    /* a word of the query that marks nothing in this language (a filter's value, a word
       read here through its translation) does not place a snippet */
    for (size_t i = 0; i < p->nq; i++) {
        const int id = acc_highlight_match(c->h, p->qwords[i], strlen(p->qwords[i]));
        if (id < 0)
            continue;
        c->marked = acc_xrealloc(c->marked, (c->nmarked + 1) * sizeof *c->marked);
        c->marked_id = acc_xrealloc(c->marked_id, (c->nmarked + 1) * sizeof *c->marked_id);
        c->marked[c->nmarked] = acc_xstrdup(p->qwords[i]);
        c->marked_id[c->nmarked++] = id;
    }
    return c;
}

/* a snippet of the lead is the snippet of the whole chunk: its window (ACC_SNIPPET_WIDTH bytes,
   backed to a character) ends before the lead does, backed to a character too */
_Static_assert(ACC_TEXT_LEAD > ACC_SNIPPET_WIDTH + 4, "ACC_TEXT_LEAD too short");

/* positions of a word looked at, at most, when choosing where a snippet is */
#define ACC_SNIPPET_POSITIONS 256
/* distinct ids of marked words told apart when choosing it (as lib/snippet.c does) */
#define ACC_SNIPPET_IDS 64
/* a snippet's width in words, for choosing it from positions */
#define ACC_SNIPPET_WORDS (ACC_SNIPPET_WIDTH / 8)

typedef struct word_pos {
    unsigned pos;
    unsigned key; /* the id of the word looked for (ACC_SNIPPET_IDS of them) */
} word_pos;

/* The chunk of cm holding body position pos, and pos's word in it (counted from 0). */
static unsigned chunk_of(const acc_chunk_map *cm, unsigned pos, size_t *word)
{
    size_t k = 0; /* the last chunk starting at or before pos */
    while (k + 1 < cm->n && cm->pos[k + 1] <= pos)
        k++;
    *word = pos >= cm->pos[k] ? pos - cm->pos[k] : 0;
    return (unsigned)k;
}

/*
 * The chunk of the earliest body occurrence of any of words[0..nwords) in document docid: the
 * index's words that begin with the query's stems, or its translations, which mark more words
 * in a document than their positions tell (the chunk is matched whole). *found = 0 when none
 * occurs (0 is then returned).
 */
static acc_status first_place(acc_index *x, unsigned docid, const acc_chunk_map *cm,
                              char *const *words, size_t nwords, int *found, unsigned *chunk,
                              acc_error *err)
{
    unsigned best = 0;
    *found = cm->n < 1; /* no map: nothing to look for */
    *chunk = 0;
    for (size_t i = 0; i < nwords && cm->n; i++) {
        unsigned pos;
        size_t k = 0;
        /* past the title's positions */
        acc_status st = acc_xap_db_positions(x->db, docid, words[i], strlen(words[i]), cm->pos[0],
                                             &pos, 1, &k, err);
        if (st != ACC_OK)
            return st;
        if (k && (best == 0 || pos < best))
            best = pos;
    }
    if (best) {
        size_t word;
        *found = 1;
        *chunk = chunk_of(cm, best, &word);
    }
    return ACC_OK;
}

/*
 * Where the snippet of document docid is, from the positions of the marked words in its body
 * (lc->marked, at most ACC_QTEXT_MAX_POSITIONAL): the chunk holding the window of
 * ACC_SNIPPET_WORDS positions with the most distinct words (one id counts once: a word and its
 * plural), then the most occurrences (the score acc_snippet_find gives its windows), and the
 * window's first word in that chunk (*word, counted from 0). *found = 0 when none of the words
 * occurs as written (0 is then returned).
 */
static acc_status dense_place(acc_index *x, unsigned docid, const acc_chunk_map *cm,
                              const lang_cache *lc, int *found, unsigned *chunk, size_t *word,
                              acc_error *err)
{
    acc_status st = ACC_OK;
    *found = cm->n < 1; /* no map: nothing to look for */
    *chunk = 0;
    *word = SIZE_MAX;
    if (cm->n < 1 || !lc->nmarked)
        return ACC_OK;
    unsigned *got = acc_xmalloc(ACC_SNIPPET_POSITIONS * sizeof *got);
    word_pos *all = NULL, *tmp = NULL;
    size_t nall = 0;
    /* each word's positions (ascending) merged into the others' */
    for (size_t i = 0; i < lc->nmarked && st == ACC_OK; i++) {
        size_t k = 0;
        const unsigned key = (unsigned)lc->marked_id[i] % ACC_SNIPPET_IDS;
        /* past the title's positions */
        st = acc_xap_db_positions(x->db, docid, lc->marked[i], strlen(lc->marked[i]), cm->pos[0],
                                  got, ACC_SNIPPET_POSITIONS, &k, err);
        if (!k)
            continue;
        tmp = acc_xrealloc(tmp, (nall + k) * sizeof *tmp);
        size_t a = 0, b = 0, o = 0;
        while (a < nall || b < k)
            tmp[o++] =
                b == k || (a < nall && all[a].pos <= got[b]) ? all[a++] : (word_pos){got[b++], key};
        word_pos *t = all;
        all = tmp;
        tmp = t;
        nall = o;
    }
    free(got);
    free(tmp);
    if (st != ACC_OK || !nall) {
        free(all);
        return st;
    }
    /* two pointers: the window of the occurrences from all[i] on */
    unsigned count[ACC_SNIPPET_IDS] = {0};
    size_t distinct = 0, j = 0;
    unsigned best = all[0].pos;
    long best_score = -1;
    for (size_t i = 0; i < nall; i++) {
        while (j < nall && all[j].pos - all[i].pos < ACC_SNIPPET_WORDS)
            distinct += count[all[j++].key]++ == 0;
        const long score = (long)distinct * 1000 + (long)(j - i);
        if (score > best_score) {
            best_score = score;
            best = all[i].pos;
        }
        distinct -= --count[all[i].key] == 0;
    }
    free(all);
    *found = 1;
    *chunk = chunk_of(cm, best, word);
    return ACC_OK;
}

/* The snippet of a hit and the byte offset in the text where it starts. */
static acc_status snippet_of(page *p, acc_hit *h, unsigned docid, const acc_xap_doc *doc,
                             const char *data, size_t n, size_t rec_len, lang_cache *lc, size_t *at,
                             acc_error *err)
{
    acc_chunk_map cm;
    acc_buf chunk, first;
    acc_status st;
    int found = -1, ok;
    unsigned from = 0;
    size_t word = SIZE_MAX;
    if (rec_len < n) { /* an index of accord < 0.6: the text is in the data */
        h->snippet = acc_snippet_at(data + rec_len + 1, n - rec_len - 1, ACC_SNIPPET_WIDTH,
                                    acc_highlight_match, lc->h, at);
        return ACC_OK;
    }
    acc_buf_init(&chunk, 0);
    acc_buf_init(&first, 0);
    st = acc_docstore_map(doc, &cm, err);
    if (st == ACC_OK)
        st = dense_place(p->x, docid, &cm, lc, &found, &from, &word, err);
    if (st == ACC_OK && !found) {
        /* no query word as written: words of the index that begin with one
           of the query's stems (wetland for wetlands) */
        if (!lc->have_variants) {
            st = acc_highlight_variants(p->x, p->query, p->qwords, p->nq, lc->lang, &lc->variants,
                                        &lc->nvariants, err);
            lc->have_variants = 1;
        }
        if (st == ACC_OK)
            st = first_place(p->x, docid, &cm, lc->variants, lc->nvariants, &found, &from, err);
    }
    const unsigned budget = found ? ACC_SNIPPET_MAX_CHUNKS : ACC_SNIPPET_BLIND_CHUNKS;
    size_t base = from < cm.n ? cm.off[from] : 0;
    for (unsigned i = from; st == ACC_OK && i < from + budget; i++) {
        st = acc_docstore_chunk(doc, i, p->x, &chunk, &ok, err);
        if (st != ACC_OK || !ok)
            break;
        /* the chunk of the first occurrence: the words near it (lib/snippet.c) */
        h->snippet = i == from && word != SIZE_MAX
                         ? acc_snippet_near(chunk.p, chunk.n, ACC_SNIPPET_WIDTH,
                                            acc_highlight_match, lc->h, word, at)
                         : acc_snippet_find(chunk.p, chunk.n, ACC_SNIPPET_WIDTH,
                                            acc_highlight_match, lc->h, at);
        if (h->snippet) {
            *at += base;
            break;
        }
        if (i == 0) {
            acc_buf tmp = first;
            first = chunk;
            chunk = tmp;
            acc_buf_reset(&chunk);
        }
        base += i == 0 ? first.n : chunk.n;
    }
    if (st == ACC_OK && !h->snippet) {
        if (!first.n) {
            st = acc_docstore_chunk(doc, 0, p->x, &chunk, &ok, err);
            if (st == ACC_OK && ok) {
                acc_buf tmp = first;
                first = chunk;
                chunk = tmp;
            }
        }
        if (st == ACC_OK)
            h->snippet =
                acc_snippet_at(first.p ? first.p : "", first.n, ACC_SNIPPET_WIDTH, NULL, NULL, at);
    }
    acc_chunk_map_release(&cm);
    acc_buf_release(&chunk);
    acc_buf_release(&first);
    return st;
}

/*
 * The snippet of a language version shown after its hit (no match of its
 * own, often in another script): the start of its text, nothing marked, no
 * scan for the query's words.
 */
static acc_status snippet_start(acc_index *x, acc_hit *h, const acc_xap_doc *doc, const char *data,
                                size_t n, size_t rec_len, size_t *at, acc_error *err)
{
    acc_buf first;
    int ok = 0;
    if (rec_len < n) {
        h->snippet =
            acc_snippet_at(data + rec_len + 1, n - rec_len - 1, ACC_SNIPPET_WIDTH, NULL, NULL, at);
        return ACC_OK;
    }
    acc_buf_init(&first, 0);
    /* the text's first bytes as stored (schema.h, ACC_TEXT_LEAD), else its first chunk */
    acc_status st = acc_docstore_lead(doc, &first, &ok, err);
    if (st == ACC_OK && !ok)
        st = acc_docstore_chunk(doc, 0, x, &first, &ok, err);
    if (st == ACC_OK)
        h->snippet = acc_snippet_at(ok && first.p ? first.p : "", ok ? first.n : 0,
                                    ACC_SNIPPET_WIDTH, NULL, NULL, at);
    acc_buf_release(&first);
    return st;
}

typedef struct label_ctx {
    size_t at;
    acc_buf label; /* the last heading at or before `at` */
    int any;
} label_ctx;

static int on_article(void *ctx, size_t off, const char *label, size_t len)
{
    label_ctx *l = ctx;
    if (off > l->at)
        return 1;
    acc_buf_reset(&l->label);
    acc_buf_append(&l->label, label, len);
    l->any = 1;
    return 0;
}

/*
 * A hit's fields from its record, and the label of the article heading at or
 * before byte `at` of the text. Indexes of accord < 0.6 have the articles in
 * the record instead.
 */
static acc_status hit_fields(acc_hit *h, const acc_xap_doc *doc, const char *data, size_t rec_len,
                             size_t at, acc_error *err)
{
    label_ctx l = {at, {0}, 0};
    int any = 0;
    acc_buf_init(&l.label, 0);
    acc_status st = acc_docstore_articles(doc, on_article, &l, &any, err);
    if (st == ACC_OK && !any)
        acc_hit_from_record_at(h, data, rec_len, at);
    if (st == ACC_OK && any) {
        acc_hit_from_record(h, data, rec_len);
        h->article = l.any ? acc_xstrndup(l.label.p ? l.label.p : "", l.label.n) : NULL;
    }
    acc_buf_release(&l.label);
    return st;
}

typedef struct versions_ctx {
    acc_index *x;
    unsigned self;
    acc_hit *h;
    acc_status st;
    acc_error *err;
} versions_ctx;

static int on_id_term(void *ctx, const char *t, size_t n, unsigned wdf)
{
    (void)wdf;
    *(char **)ctx = acc_xstrndup(t + strlen(ACC_PFX_ID), n - strlen(ACC_PFX_ID));
    return 1;
}

static int on_version(void *ctx, unsigned docid)
{
    versions_ctx *v = ctx;
    acc_xap_doc *d = NULL;
    acc_buf lang;
    char *id = NULL;
    if (docid == v->self)
        return 0;
    acc_buf_init(&lang, 0);
    v->st = acc_xap_db_doc(v->x->db, docid, &d, v->err);
    if (v->st == ACC_OK)
        v->st = acc_xap_doc_terms(d, ACC_PFX_ID, strlen(ACC_PFX_ID), on_id_term, &id, v->err);
    if (v->st == ACC_OK)
        v->st = acc_xap_doc_value(d, ACC_SLOT_LANG, &lang, v->err);
    if (v->st == ACC_OK) {
        acc_hit *h = v->h;
        h->versions = acc_xrealloc(h->versions, (h->nversions + 1) * sizeof *h->versions);
        h->versions[h->nversions].id = id ? id : acc_xstrdup("");
        h->versions[h->nversions].lang = acc_xstrndup(lang.p ? lang.p : "", lang.n);
        h->nversions++;
        id = NULL;
    }
    free(id);
    acc_buf_release(&lang);
    acc_xap_doc_free(d);
    return v->st != ACC_OK;
}

/* The other language versions of the agreement of hit h (collapse). */
static acc_status versions(acc_index *x, acc_hit *h, unsigned docid, const acc_xap_doc *doc,
                           acc_error *err)
{
    acc_buf work, term;
    versions_ctx v = {x, docid, h, ACC_OK, err};
    acc_status st;
    acc_buf_init(&work, 0);
    acc_buf_init(&term, 0);
    st = acc_xap_doc_value(doc, ACC_SLOT_WORK, &work, err);
    if (st == ACC_OK && work.n) {
        acc_buf_append(&term, ACC_PFX_WORK, strlen(ACC_PFX_WORK));
        acc_buf_append(&term, work.p, work.n);
        st = acc_xap_db_postings(x->db, term.p, term.n, on_version, &v, err);
        if (st == ACC_OK)
            st = v.st;
    }
    acc_buf_release(&work);
    acc_buf_release(&term);
    return st;
}

static void on_matching(void *ctx, const char *t, size_t n)
{
    acc_buf *b = ctx;
    if (b->n)
        acc_buf_putc(b, ' ');
    acc_buf_append(b, t, n);
}

acc_status acc_hits_fill(acc_index *x, acc_xap_match *m, const acc_pick *picks, size_t n,
                         const acc_xap_query *query, const acc_query *q, double score_div,
                         acc_results *r, acc_error *err)
{
    page p = {x, query, NULL, 0, NULL, 0};
    acc_buf data, lang;
    acc_status st = ACC_OK;
    acc_buf_init(&data, 0);
    acc_buf_init(&lang, 0);
    r->hits = acc_xcalloc(n ? n : 1, sizeof *r->hits);
    p.qwords = acc_qtext_positional(q->text, q->text ? q->text_len : 0, &p.nq);
    acc_commit_filter cf;
    if (acc_commit_filter_parse(q, &cf, NULL) != ACC_OK)
        cf.active = 0;
    for (size_t i = 0; i < n && st == ACC_OK; i++) {
        acc_hit *h = &r->hits[r->nhits++];
        acc_xap_doc *doc = NULL;
        const acc_pick *pk = &picks[i];
        unsigned docid = pk->docid;
        size_t at = 0;
        size_t rec_len = 0;
        acc_buf_reset(&lang);
        st = pk->match >= 0 ? acc_xap_match_doc(m, (size_t)pk->match, &doc, err)
                            : acc_xap_db_doc(x->db, docid, &doc, err);
        if (st == ACC_OK)
            st = acc_docstore_record(doc, &data, &rec_len, err);
        if (st != ACC_OK) {
            acc_xap_doc_free(doc);
            break;
        }
        const char *d = data.p ? data.p : "";
        /* the language from the record, which has it as the document gave it (ACC_SLOT_LANG:
           "und" for none), not from the value: a B-tree lookup of its own */
        {
            acc_record rec;
            acc_record_decode(d, rec_len, &rec);
            acc_buf_append(&lang, rec.lang.p, rec.lang.n);
            acc_record_release(&rec);
        }
        /* with the fill, documents with every word were weighted up to stay
           first; scaled back so that scores read like BM25 weights */
        h->score = pk->weight / score_div;
        const char *hl = lang.p ? lang.p : "";
        if (strcmp(hl, "und") == 0)
            hl = "";
        acc_commitment c;
        char *sentence = NULL;
        if (pk->match >= 0 && cf.active && acc_commit_first(doc, &cf, &c, &sentence)) {
            /* with a commitment filter, the snippet is the sentence stating it */
            lang_cache *lc = cache_for(&p, hl);
            size_t sn = strlen(sentence), dummy;
            h->snippet = acc_snippet_at(sentence, sn, sn + 1, acc_highlight_match, lc->h, &dummy);
            h->commitment = acc_xmalloc(sizeof *h->commitment);
            *h->commitment = c;
            at = c.start;
            free(sentence);
        } else if (pk->match >= 0) {
            lang_cache *lc = cache_for(&p, hl);
            st = snippet_of(&p, h, docid, doc, d, data.n, rec_len, lc, &at, err);
        } else {
            st = snippet_start(x, h, doc, d, data.n, rec_len, &at, err);
        }
        if (st == ACC_OK)
            st = hit_fields(h, doc, d, rec_len, at, err);
        if (st == ACC_OK && q->explain) {
            acc_buf terms;
            acc_buf_init(&terms, 0);
            if (pk->match >= 0) {
                st = acc_xap_match_terms(m, (size_t)pk->match, on_matching, &terms, err);
            } else if (!pk->version_of) {
                acc_buf_printf(&terms, "the id typed");
            } else {
                /* not a match: a language version of the hit it follows */
                acc_xap_doc *src = NULL;
                char *id = NULL;
                st = acc_xap_db_doc(x->db, pk->version_of, &src, err);
                if (st == ACC_OK)
                    st = acc_xap_doc_terms(src, ACC_PFX_ID, strlen(ACC_PFX_ID), on_id_term, &id,
                                           err);
                acc_buf_printf(&terms, "version of %s", id ? id : "?");
                free(id);
                acc_xap_doc_free(src);
            }
            h->explain = acc_xstrndup(terms.p ? terms.p : "", terms.n);
            acc_buf_release(&terms);
        }
        if (st == ACC_OK && q->collapse)
            st = versions(x, h, docid, doc, err);
        acc_xap_doc_free(doc);
    }
    for (size_t i = 0; i < p.nlangs; i++) {
        acc_highlighter_free(p.langs[i].h);
        acc_qtext_words_free(p.langs[i].variants, p.langs[i].nvariants);
        acc_qtext_words_free(p.langs[i].marked, p.langs[i].nmarked);
        free(p.langs[i].marked_id);
    }
    free(p.langs);
    acc_qtext_words_free(p.qwords, p.nq);
    acc_buf_release(&data);
    acc_buf_release(&lang);
    return st;
}
