/*
 * lib/lexphrase.c: the phrase translations the documents have (lib/lexbuild.h).
 *
 * Dictionaries translate many words by a phrase, a gloss more often than a term ("persistent"
 * -> nl "voet bij stuk houden", de "hält fest"). A phrase translation that no document has
 * matches nothing. Yet each search through it reads the positions of its words in every document
 * having them all (frequent words: most documents of the language), it takes the place of a
 * translation that would match, and the answer shows it as a translation.
 *
 * Before the table is written, the documents' stored text is read once and cut into terms
 * exactly as the indexer cuts them for positions (lib/docbuild.c: normalised, folded, German
 * digraphs for German documents, acc_text_terms). Every run of 2 to ACC_LEX_MAX_WORDS
 * consecutive terms of a title or a body is looked up among the table's phrases, and the
 * documents having each are counted. A phrase found nowhere is dropped, and so is one far rarer
 * than the best translation of its word (keep_found). The documents are split among threads,
 * each with its own reader.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "accord/text.h"
#include "docbuild.h"
#include "docstore.h"
#include "lexbuild.h"
#include "lexicon.h"
#include "reader.h"
#include "record.h"
#include "threads.h"

/* The phrases of the table: open addressing over their hashes (0: empty), and a bitmap of a
   few hash bits small enough to stay in cache, which turns most runs of terms away before a
   probe of the table. */
#define SEEN_BITS 20
typedef struct phrase_set {
    uint64_t *slot;
    size_t mask;
    size_t n;
    uint64_t *seen; /* 1 << SEEN_BITS bits */
} phrase_set;

/* A run of terms hashes as its terms' hashes chained, so that the scan hashes each term once. */
static uint64_t chain(uint64_t h, uint64_t term)
{
    h = (h ^ term) * 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 29);
}

static uint64_t term_hash(const char *t, size_t n)
{
    return acc_hash_words(t, n, ACC_FNV_INIT);
}

/* The hash of phrase p[0..n): its terms, one space between each. */
static uint64_t phrase_hash(const char *p, size_t n)
{
    uint64_t h = ACC_FNV_INIT;
    for (size_t i = 0; i < n;) {
        const char *sp = memchr(p + i, ' ', n - i);
        size_t j = sp ? (size_t)(sp - p) : n;
        h = chain(h, term_hash(p + i, j - i));
        i = j + 1;
    }
    return h ? h : 1;
}

static int maybe(const phrase_set *s, uint64_t h)
{
    uint64_t b = h >> (64 - SEEN_BITS);
    return (int)(s->seen[b >> 6] >> (b & 63)) & 1;
}

static size_t set_find(const phrase_set *s, uint64_t h)
{
    size_t i = (size_t)h & s->mask;
    while (s->slot[i] && s->slot[i] != h)
        i = (i + 1) & s->mask;
    return i;
}

static int is_phrase(const cand *c)
{
    return strchr(c->terms, ' ') != NULL;
}

/* ---------------------------------------------------------------- scan */

/* The documents to scan, taken one at a time by the threads: their sizes differ a
   thousandfold, and with halves cut in advance one thread went on alone (the real corpus on
   2 cores: 0.57 s -> 0.50 s) */
typedef struct doc_queue {
    const unsigned *docids;
    size_t n;
    atomic_size_t next;
} doc_queue;

typedef struct scan_job {
    const char *path;
    const phrase_set *set;
    doc_queue *queue;
    unsigned *docs; /* per slot of set: documents having the phrase */
    unsigned *last; /* per slot: the last document counted */
    acc_status st;
    acc_error err;
} scan_job;

/* The hashes of the last terms of a title or body (h[0] the last), for the runs ending at the
   next one. */
typedef struct ring {
    uint64_t h[ACC_LEX_MAX_WORDS - 1];
    size_t have;
    const phrase_set *set;
    unsigned docid;
    unsigned *docs, *last;
} ring;

static void on_term(void *ctx, const char *t, size_t n, int positional)
{
    ring *r = ctx;
    if (!positional)
        return; /* a CJK pair: no position of its own */
    const uint64_t th = term_hash(t, n);
    /* the runs of 2, 3 ... terms ending at t */
    for (size_t k = 1; k <= r->have; k++) {
        uint64_t h = ACC_FNV_INIT;
        for (size_t i = k; i > 0; i--)
            h = chain(h, r->h[i - 1]);
        h = chain(h, th);
        h = h ? h : 1;
        if (!maybe(r->set, h))
            continue;
        size_t s = set_find(r->set, h);
        if (r->set->slot[s] && r->last[s] != r->docid) {
            r->last[s] = r->docid;
            r->docs[s]++;
        }
    }
    memmove(r->h + 1, r->h, (ACC_LEX_MAX_WORDS - 2) * sizeof *r->h);
    r->h[0] = th;
    if (r->have < ACC_LEX_MAX_WORDS - 1)
        r->have++;
}

/* The terms of text p[0..n) as the indexer makes them, into r. */
static acc_status scan_text(ring *r, const char *p, size_t n, int german, acc_buf *nb, acc_buf *fb,
                            acc_error *err)
{
    acc_status st = acc_docbuild_fold_text(p, n, german, nb, fb, err);
    if (st == ACC_OK)
        acc_text_terms(fb->p ? fb->p : "", fb->n, on_term, r);
    return st;
}

/* The title and the body of document docid, its phrases counted in job->docs. */
static acc_status scan_doc(scan_job *job, acc_index *x, unsigned docid, acc_buf *rec, acc_buf *text,
                           acc_buf *bufs)
{
    acc_xap_doc *d = NULL;
    acc_status st = acc_xap_db_doc(x->db, docid, &d, &job->err);
    if (st == ACC_ENOTFOUND)
        return ACC_OK; /* deleted since the list was read */
    if (st == ACC_OK)
        st = acc_docstore_read(d, x, rec, text, &job->err);
    acc_xap_doc_free(d);
    if (st != ACC_OK)
        return st;
    acc_record rc;
    if (!acc_record_decode(rec->p ? rec->p : "", rec->n, &rc)) {
        acc_record_release(&rc);
        return acc_error_set(&job->err, ACC_EDB_CORRUPT,
                             "index is corrupt (document %u has an unreadable record)", docid);
    }
    const int german = acc_docbuild_german(rc.lang.p, rc.lang.n);
    ring r = {.set = job->set, .docid = docid, .docs = job->docs, .last = job->last};
    st = scan_text(&r, rc.title.p, rc.title.n, german, &bufs[0], &bufs[1], &job->err);
    acc_record_release(&rc);
    /* the body as it was stored, chunk by chunk (the chunks end between words; positions run
       on from one to the next) */
    size_t *cuts = NULL, ncuts = st == ACC_OK ? acc_docstore_cuts(text->p, text->n, &cuts) : 0;
    r.have = 0;
    for (size_t i = 0, done = 0; st == ACC_OK && i < ncuts; done = cuts[i++])
        st = scan_text(&r, text->p + done, cuts[i] - done, german, &bufs[0], &bufs[1], &job->err);
    free(cuts);
    return st;
}

static void *scan_worker(void *arg)
{
    scan_job *job = arg;
    acc_index *x = NULL;
    acc_buf rec, text, bufs[2];
    acc_buf_init(&rec, 0);
    acc_buf_init(&text, 0);
    for (int i = 0; i < 2; i++)
        acc_buf_init(&bufs[i], 0);
    job->st = acc_index_open(job->path, &x, &job->err);
    for (size_t i;
         job->st == ACC_OK && (i = atomic_fetch_add(&job->queue->next, 1)) < job->queue->n;) {
        acc_buf_reset(&rec);
        acc_buf_reset(&text);
        job->st = scan_doc(job, x, job->queue->docids[i], &rec, &text, bufs);
    }
    acc_index_close(x);
    acc_buf_release(&rec);
    acc_buf_release(&text);
    for (int i = 0; i < 2; i++)
        acc_buf_release(&bufs[i]);
    return NULL;
}

typedef struct docids {
    unsigned *v;
    size_t n, alloc;
} docids;

static int on_docid(void *ctx, unsigned docid)
{
    docids *d = ctx;
    if (d->n == d->alloc) {
        d->alloc = d->alloc ? 2 * d->alloc : 1024;
        d->v = acc_xrealloc(d->v, d->alloc * sizeof *d->v);
    }
    d->v[d->n++] = docid;
    return 0;
}

/* Counts into docs (per slot of set) the documents of the index at path having each phrase. */
static acc_status scan_all(const char *path, acc_xap_db *db, const phrase_set *set,
                           unsigned threads, unsigned *docs, acc_error *err)
{
    docids d = {NULL, 0, 0};
    acc_status st = acc_xap_db_postings(db, "", 0, on_docid, &d, err); /* "": every document */
    if (st != ACC_OK) {
        free(d.v);
        return st;
    }
    threads = acc_threads_for(threads, ACC_THREADS_MAX, d.n);
    doc_queue q = {d.v, d.n, 0};
    scan_job *jobs = acc_xcalloc(threads, sizeof *jobs);
    pthread_t *tid = acc_xcalloc(threads, sizeof *tid);
    int *started = acc_xcalloc(threads, sizeof *started);
    for (unsigned k = 0; k < threads; k++) {
        jobs[k] = (scan_job){path, set, &q, NULL, NULL, ACC_OK, {0}};
        jobs[k].docs = acc_xcalloc(set->mask + 1, sizeof *jobs[k].docs);
        jobs[k].last = acc_xcalloc(set->mask + 1, sizeof *jobs[k].last);
        started[k] = k > 0 && pthread_create(&tid[k], NULL, scan_worker, &jobs[k]) == 0;
    }
    scan_worker(&jobs[0]);
    for (unsigned k = 1; k < threads; k++) {
        if (started[k])
            pthread_join(tid[k], NULL);
        else
            scan_worker(&jobs[k]);
    }
    for (unsigned k = 0; k < threads; k++) {
        if (st == ACC_OK && jobs[k].st != ACC_OK) {
            st = jobs[k].st;
            if (err)
                *err = jobs[k].err;
        }
        for (size_t i = 0; i <= set->mask; i++)
            docs[i] += jobs[k].docs[i];
        free(jobs[k].docs);
        free(jobs[k].last);
    }
    free(jobs);
    free(tid);
    free(started);
    free(d.v);
    return st;
}

/* -------------------------------------------------------------- filter */

/* The documents having candidate c: a phrase's as counted, a word's as the builder found. */
static unsigned long cand_docs(const cand *c, const phrase_set *set, const unsigned *docs)
{
    return is_phrase(c) ? docs[set_find(set, phrase_hash(c->terms, strlen(c->terms)))] : c->df;
}

/*
 * Keeps of entry e's candidates the words, and the phrases that documents have: at least one,
 * and at least 1/ACC_LEX_PHRASE_RARER as many as the best candidate of their language. A
 * variant that much rarer (fr "changement climatique" -> en "change of climate": 1 document of
 * the real corpus against 332 for "climate change") adds next to no document, most of its own
 * having the best translation too, but a search through it reads the positions of its words in
 * every document having them all. A phrase kept keeps the df of its rarest word, which the
 * weighting of a translation's group is made for (lib/translate.c).
 */
static void keep_found(entry *e, const phrase_set *set, const unsigned *docs, unsigned long *rare)
{
    if (!e->n)
        return;
    /* every candidate judged against the whole entry, then the entry compacted */
    unsigned long *own = acc_xmalloc(e->n * sizeof *own);
    unsigned char *drop = acc_xcalloc(e->n, 1);
    for (size_t j = 0; j < e->n; j++)
        own[j] = cand_docs(&e->v[j], set, docs);
    for (size_t j = 0; j < e->n; j++) {
        if (!is_phrase(&e->v[j]))
            continue;
        unsigned long best = 0;
        for (size_t k = 0; k < e->n; k++)
            if (strcmp(e->v[k].lang, e->v[j].lang) == 0 && own[k] > best)
                best = own[k];
        drop[j] = !own[j] || own[j] * ACC_LEX_PHRASE_RARER < best;
        *rare += drop[j] && own[j] > 0;
    }
    size_t kept = 0;
    for (size_t j = 0; j < e->n; j++) {
        if (drop[j]) {
            free(e->v[j].display);
            free(e->v[j].terms);
        } else {
            e->v[kept++] = e->v[j];
        }
    }
    e->n = kept;
    free(own);
    free(drop);
}

acc_status acc_lexb_drop_absent_phrases(builder *b, const char *path, unsigned threads,
                                        unsigned long *phrases, unsigned long *absent,
                                        unsigned long *rare, acc_error *err)
{
    phrase_set set = {NULL, 0, 0, NULL};
    size_t want = 0;
    *phrases = *absent = *rare = 0;
    for (size_t i = 0; i < b->keys.n; i++)
        for (size_t j = 0; j < b->entries[i].n; j++)
            want += (size_t)is_phrase(&b->entries[i].v[j]);
    if (!want)
        return ACC_OK;
    size_t nslots = 64;
    while (nslots < 2 * want)
        nslots *= 2;
    set.slot = acc_xcalloc(nslots, sizeof *set.slot);
    set.mask = nslots - 1;
    set.seen = acc_xcalloc((1u << SEEN_BITS) / 64, sizeof *set.seen);
    for (size_t i = 0; i < b->keys.n; i++)
        for (size_t j = 0; j < b->entries[i].n; j++) {
            const cand *c = &b->entries[i].v[j];
            if (!is_phrase(c))
                continue;
            uint64_t h = phrase_hash(c->terms, strlen(c->terms));
            size_t s = set_find(&set, h);
            if (!set.slot[s]) {
                set.slot[s] = h;
                set.n++;
                uint64_t bit = h >> (64 - SEEN_BITS);
                set.seen[bit >> 6] |= 1ull << (bit & 63);
            }
        }
    unsigned *docs = acc_xcalloc(nslots, sizeof *docs);
    acc_status st = scan_all(path, b->db, &set, threads, docs, err);
    if (st == ACC_OK) {
        *phrases = set.n;
        for (size_t s = 0; s < nslots; s++)
            *absent += (unsigned long)(set.slot[s] && !docs[s]);
        for (size_t i = 0; i < b->keys.n; i++)
            keep_found(&b->entries[i], &set, docs, rare);
    }
    free(docs);
    free(set.slot);
    free(set.seen);
    return st;
}
