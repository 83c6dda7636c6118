/*
 * lib/docstore.c: the stored text and article headings of a document
 * (lib/docstore.h): chunking, zstd, the varint maps, and both layouts.
 */
#include "docstore.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <zdict.h>
#include <zstd.h>

#include "accord/schema.h"
#include "reader.h"
#include "record.h"
#include "varint.h"

/* zstd level of the stored chunks. With the 256 KiB dictionary of ACC_TEXTDICT_SIZE, the real
   corpus' text (37.7 MB in 4 KiB chunks) takes 11.7 MB at 7 against 12.8 MB at 3 (zstd's
   default), for 1.0 s of compression against 0.2 s in all; 9 saves 1% more for 0.2 s more.
   Decompression costs the same. */
#define TEXT_ZSTD_LEVEL 7
/* a chunk holds at most this much once decompressed (a bigger frame is damage) */
#define CHUNK_MAX (64 * ACC_TEXT_CHUNK)
/* a chunk ends after a space or newline found this far past ACC_TEXT_CHUNK */
#define CUT_LOOKAHEAD 256

/* ------------------------------------------------- per-thread zstd contexts */

typedef struct zctx {
    ZSTD_CCtx *c;
    ZSTD_DCtx *d;
} zctx;

static pthread_key_t zkey;
static pthread_once_t zonce = PTHREAD_ONCE_INIT;

static void zctx_free(void *p)
{
    zctx *z = p;
    ZSTD_freeCCtx(z->c);
    ZSTD_freeDCtx(z->d);
    free(z);
}

static void zkey_make(void)
{
    pthread_key_create(&zkey, zctx_free);
}

static zctx *thread_zctx(void)
{
    pthread_once(&zonce, zkey_make);
    zctx *z = pthread_getspecific(zkey);
    if (!z) {
        z = acc_xcalloc(1, sizeof *z);
        pthread_setspecific(zkey, z);
    }
    return z;
}

/* ---------------------------------------------------------- text dictionary */

struct acc_textdict {
    char *p;
    size_t n;
    unsigned id;
    pthread_mutex_t mu; /* making c and d */
    void *_Atomic c;    /* ZSTD_CDict, for compressing, made on first use */
    void *_Atomic d;    /* ZSTD_DDict, for decompressing, made on first use */
};

/* A dictionary of the n bytes at p, which it takes (allocated with acc_xmalloc). */
static acc_textdict *textdict_take(char *p, size_t n, unsigned id)
{
    acc_textdict *t = acc_xcalloc(1, sizeof *t);
    t->p = p;
    t->n = n;
    t->id = id;
    pthread_mutex_init(&t->mu, NULL);
    atomic_init(&t->c, NULL);
    atomic_init(&t->d, NULL);
    return t;
}

acc_status acc_textdict_train(const char *text, const size_t *sizes, size_t n, acc_textdict **out,
                              acc_error *err)
{
    /* at most a sixteenth of the samples (zstd's advice: 100x; a small sample still gets one) */
    size_t total = 0, cap = ACC_TEXTDICT_SIZE;
    for (size_t i = 0; i < n; i++)
        total += sizes[i];
    if (total / 16 < cap)
        cap = total / 16 > 4096 ? total / 16 : 4096;
    char *buf = acc_xmalloc(cap);
    size_t k = ZDICT_trainFromBuffer(buf, cap, text, sizes, (unsigned)n);
    *out = NULL;
    if (ZDICT_isError(k)) {
        free(buf);
        return acc_error_set(err, ACC_EINVAL, "no text dictionary from %zu samples: %s", n,
                             ZDICT_getErrorName(k));
    }
    *out = textdict_take(buf, k, ZDICT_getDictID(buf, k));
    return ACC_OK;
}

acc_status acc_textdict_load_buf(acc_buf *b, acc_textdict **out, acc_error *err)
{
    unsigned id = b->n ? ZDICT_getDictID(b->p, b->n) : 0;
    *out = NULL;
    if (!id) {
        acc_buf_release(b);
        return acc_error_set(err, ACC_EDB_CORRUPT,
                             "index is corrupt (the stored text dictionary is none)");
    }
    *out = textdict_take(b->p, b->n, id);
    acc_buf_init(b, b->cap);
    return ACC_OK;
}

acc_status acc_textdict_load(const char *p, size_t n, acc_textdict **out, acc_error *err)
{
    acc_buf b;
    acc_buf_init(&b, 0);
    acc_buf_append(&b, p, n);
    return acc_textdict_load_buf(&b, out, err);
}

unsigned acc_textdict_id(const acc_textdict *t)
{
    return t->id;
}

const char *acc_textdict_bytes(const acc_textdict *t, size_t *n)
{
    *n = t->n;
    return t->p;
}

void acc_textdict_free(acc_textdict *t)
{
    if (!t)
        return;
    ZSTD_freeCDict(atomic_load(&t->c));
    ZSTD_freeDDict(atomic_load(&t->d));
    pthread_mutex_destroy(&t->mu);
    free(t->p);
    free(t);
}

static void *make_cdict(const acc_textdict *t)
{
    return ZSTD_createCDict(t->p, t->n, TEXT_ZSTD_LEVEL);
}

static void *make_ddict(const acc_textdict *t)
{
    return ZSTD_createDDict(t->p, t->n);
}

/* *slot, made by make on first use (once, whichever thread asks first). */
static void *made(acc_textdict *t, void *_Atomic *slot, void *(*make)(const acc_textdict *))
{
    void *v = atomic_load(slot);
    if (v)
        return v;
    pthread_mutex_lock(&t->mu);
    if (!(v = atomic_load(slot))) {
        v = make(t);
        atomic_store(slot, v);
    }
    pthread_mutex_unlock(&t->mu);
    return v;
}

/* the process's: what acc_docstore_put_text compresses with, and gives samples to */
static _Atomic(acc_textdict *) use_dict;
static _Atomic(acc_text_sample_fn) sample_fn;
static _Atomic(void *) sample_ctx;

void acc_docstore_use_dict(const acc_textdict *t)
{
    atomic_store(&use_dict, (acc_textdict *)t);
}

void acc_docstore_sample(acc_text_sample_fn fn, void *ctx)
{
    /* the function out first and in last, and the context left when it goes (a thread that has
       just read the function reads the context next): it is never called with another's, or
       none */
    atomic_store(&sample_fn, NULL);
    if (!fn)
        return;
    atomic_store(&sample_ctx, ctx);
    atomic_store(&sample_fn, fn);
}

/* ------------------------------------------------------------------ writing */

/* Where the chunk starting at `from` ends: after a space or newline near
   from + ACC_TEXT_CHUNK, else at a character boundary. */
static size_t chunk_end(const char *t, size_t n, size_t from)
{
    if (n - from <= ACC_TEXT_CHUNK)
        return n;
    size_t stop = from + ACC_TEXT_CHUNK;
    for (size_t e = stop; e < n && e < stop + CUT_LOOKAHEAD; e++)
        if (t[e] == ' ' || t[e] == '\n')
            return e + 1;
    while (stop > from && ((unsigned char)t[stop] & 0xC0) == 0x80)
        stop--;
    return stop > from ? stop : n;
}

size_t acc_docstore_cuts(const char *text, size_t n, size_t **cuts)
{
    size_t k = 0, alloc = n / ACC_TEXT_CHUNK + 2;
    size_t *v = acc_xmalloc(alloc * sizeof *v);
    for (size_t done = 0; done < n; done = v[k - 1]) {
        if (k == alloc)
            v = acc_xrealloc(v, (alloc *= 2) * sizeof *v);
        v[k++] = chunk_end(text, n, done);
    }
    *cuts = v;
    return k;
}

/* The zstd frame of chunk text[0..len) into *out (grown to fit), with cd when not NULL. */
static acc_status compress_chunk(zctx *z, const ZSTD_CDict *cd, const char *text, size_t len,
                                 char **out, size_t *k, acc_error *err)
{
    size_t bound = ZSTD_compressBound(len);
    *out = acc_xrealloc(*out, bound);
    *k = cd ? ZSTD_compress_usingCDict(z->c, *out, bound, text, len, cd)
            : ZSTD_compressCCtx(z->c, *out, bound, text, len, TEXT_ZSTD_LEVEL);
    if (ZSTD_isError(*k))
        return acc_error_set(err, ACC_EINTERNAL, "unexpected error: zstd: %s",
                             ZSTD_getErrorName(*k));
    return ACC_OK;
}

acc_status acc_docstore_put_text(acc_xap_doc *d, const char *text, const size_t *cuts, size_t ncuts,
                                 acc_error *err)
{
    zctx *z = thread_zctx();
    acc_status st = ACC_OK;
    char *out = NULL;
    size_t done = 0;
    acc_textdict *t = atomic_load(&use_dict);
    ZSTD_CDict *cd = t ? made(t, &t->c, make_cdict) : NULL;
    acc_text_sample_fn sample = t ? NULL : atomic_load(&sample_fn);
    void *sctx = sample ? atomic_load(&sample_ctx) : NULL;
    if ((!z->c && !(z->c = ZSTD_createCCtx())) || (t && !cd)) {
        st = acc_error_set(err, ACC_ENOMEM, "out of memory (zstd)");
        goto out;
    }
    for (size_t i = 0; i < ncuts; i++) {
        size_t len = cuts[i] - done, k = 0;
        if (sample)
            sample(sctx, text + done, len);
        st = compress_chunk(z, cd, text + done, len, &out, &k, err);
        if (st != ACC_OK)
            goto out;
        acc_xap_doc_set_value(d, (unsigned)(ACC_SLOT_TEXT + i), out, k);
        done = cuts[i];
    }
    if (ncuts) {
        size_t lead = done < ACC_TEXT_LEAD ? done : ACC_TEXT_LEAD;
        while (lead < done && lead > 0 && ((unsigned char)text[lead] & 0xC0) == 0x80)
            lead--; /* not inside a character */
        acc_xap_doc_set_value(d, ACC_SLOT_LEAD, text, lead);
    }
out:
    free(out);
    return st;
}

void acc_docstore_put_map(acc_xap_doc *d, const unsigned *pos, const size_t *cuts, size_t ncuts)
{
    acc_buf v;
    unsigned prev = 0;
    size_t done = 0;
    acc_buf_init(&v, 0);
    for (size_t i = 0; i < ncuts; i++) {
        acc_varint_put(&v, pos[i] - prev);
        acc_varint_put(&v, cuts[i] - done);
        prev = pos[i];
        done = cuts[i];
    }
    acc_xap_doc_set_value(d, ACC_SLOT_TEXT_MAP, v.p ? v.p : "", v.n);
    acc_buf_release(&v);
}

void acc_docstore_put_articles(acc_xap_doc *d, const acc_article *a, size_t n)
{
    acc_buf v;
    size_t prev = 0;
    acc_buf_init(&v, 0);
    for (size_t i = 0; i < n; i++) {
        const size_t off = a[i].offset > prev ? a[i].offset : prev;
        const size_t len = strlen(a[i].label);
        acc_varint_put(&v, off - prev);
        acc_varint_put(&v, len);
        acc_buf_append(&v, a[i].label, len);
        prev = off;
    }
    acc_xap_doc_set_value(d, ACC_SLOT_ARTICLES, v.p ? v.p : "", v.n);
    acc_buf_release(&v);
}

/* ------------------------------------------------------------------ reading */

acc_status acc_docstore_map(const acc_xap_doc *d, acc_chunk_map *m, acc_error *err)
{
    acc_buf v;
    unsigned long long dp, len;
    size_t i = 0, off = 0, alloc = 0;
    unsigned pos = 0;
    acc_status st;
    memset(m, 0, sizeof *m);
    acc_buf_init(&v, 0);
    st = acc_xap_doc_value(d, ACC_SLOT_TEXT_MAP, &v, err);
    if (st != ACC_OK)
        goto out;
    while (i < v.n && acc_varint_get(v.p, v.n, &i, &dp) && acc_varint_get(v.p, v.n, &i, &len)) {
        if (m->n == alloc) {
            alloc = alloc ? 2 * alloc : 16;
            m->pos = acc_xrealloc(m->pos, alloc * sizeof *m->pos);
            m->off = acc_xrealloc(m->off, alloc * sizeof *m->off);
        }
        pos += (unsigned)dp;
        m->pos[m->n] = pos;
        m->off[m->n] = off;
        m->n++;
        off += (size_t)len;
    }
out:
    acc_buf_release(&v);
    return st;
}

void acc_chunk_map_release(acc_chunk_map *m)
{
    free(m->pos);
    free(m->off);
    memset(m, 0, sizeof *m);
}

/* The text of the stored chunk v[0..n) appended to out (x as for acc_docstore_chunk). */
static acc_status decode(const char *v, size_t n, acc_index *x, acc_buf *out, acc_error *err)
{
    unsigned long long size = ZSTD_getFrameContentSize(v, n);
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > CHUNK_MAX)
        return acc_error_set(err, ACC_EDB_CORRUPT,
                             "index is corrupt (stored text chunk is not a zstd frame)");
    zctx *z = thread_zctx();
    if (!z->d && !(z->d = ZSTD_createDCtx()))
        return acc_error_set(err, ACC_ENOMEM, "out of memory (zstd)");
    /* made with a dictionary: the index's of that id */
    ZSTD_DDict *dd = NULL;
    const unsigned id = ZSTD_getDictID_fromFrame(v, n);
    if (id) {
        acc_textdict *t = NULL;
        acc_status st =
            x ? acc_index_textdict(x, id, &t, err)
              : acc_error_set(err, ACC_EDB_CORRUPT,
                              "index is corrupt (stored text chunk needs text dictionary %08x)",
                              id);
        if (st != ACC_OK)
            return st;
        if (!(dd = made(t, &t->d, make_ddict)))
            return acc_error_set(err, ACC_ENOMEM, "out of memory (zstd)");
    }
    char *dst = acc_xmalloc((size_t)size + 1);
    size_t k = dd ? ZSTD_decompress_usingDDict(z->d, dst, (size_t)size, v, n, dd)
                  : ZSTD_decompressDCtx(z->d, dst, (size_t)size, v, n);
    if (ZSTD_isError(k) || k != size) {
        free(dst);
        return acc_error_set(err, ACC_EDB_CORRUPT,
                             "index is corrupt (stored text chunk does not decompress)");
    }
    acc_buf_append(out, dst, k);
    free(dst);
    return ACC_OK;
}

acc_status acc_docstore_lead(const acc_xap_doc *d, acc_buf *out, int *found, acc_error *err)
{
    acc_buf_reset(out);
    acc_status st = acc_xap_doc_value(d, ACC_SLOT_LEAD, out, err);
    *found = st == ACC_OK && out->n;
    return st;
}

acc_status acc_docstore_chunk(const acc_xap_doc *d, unsigned i, acc_index *x, acc_buf *out,
                              int *found, acc_error *err)
{
    acc_buf v;
    acc_buf_init(&v, 0);
    acc_buf_reset(out);
    *found = 0;
    acc_status st = acc_xap_doc_value(d, ACC_SLOT_TEXT + i, &v, err);
    if (st == ACC_OK && v.n)
        st = decode(v.p, v.n, x, out, err);
    *found = st == ACC_OK && v.n;
    acc_buf_release(&v);
    return st;
}

int acc_docstore_plain(const acc_xap_doc *d)
{
    acc_buf v;
    acc_buf_init(&v, 0);
    int plain = acc_xap_doc_value(d, ACC_SLOT_TEXT, &v, NULL) == ACC_OK && v.n >= 4 &&
                ZSTD_getFrameContentSize(v.p, v.n) != ZSTD_CONTENTSIZE_ERROR &&
                ZSTD_getDictID_fromFrame(v.p, v.n) == 0;
    acc_buf_release(&v);
    return plain;
}

acc_status acc_docstore_redo(acc_xap_doc *d, acc_textdict *t, size_t *changed, acc_error *err)
{
    zctx *z = thread_zctx();
    ZSTD_CDict *cd = made(t, &t->c, make_cdict);
    acc_buf v, text;
    char *out = NULL;
    acc_status st = ACC_OK;
    *changed = 0;
    acc_buf_init(&v, 0);
    acc_buf_init(&text, 0);
    if ((!z->c && !(z->c = ZSTD_createCCtx())) || !cd)
        st = acc_error_set(err, ACC_ENOMEM, "out of memory (zstd)");
    for (unsigned i = 0; st == ACC_OK; i++) {
        acc_buf_reset(&v);
        st = acc_xap_doc_value(d, ACC_SLOT_TEXT + i, &v, err);
        if (st != ACC_OK || !v.n)
            break;
        if (ZSTD_getDictID_fromFrame(v.p, v.n))
            continue;
        size_t k = 0;
        acc_buf_reset(&text);
        st = decode(v.p, v.n, NULL, &text, err);
        if (st == ACC_OK)
            st = compress_chunk(z, cd, text.p ? text.p : "", text.n, &out, &k, err);
        if (st == ACC_OK) {
            acc_xap_doc_set_value(d, ACC_SLOT_TEXT + i, out, k);
            (*changed)++;
        }
    }
    free(out);
    acc_buf_release(&v);
    acc_buf_release(&text);
    return st;
}

size_t acc_docstore_record_len(const char *data, size_t n)
{
    if (n && data[0] == ACC_RECORD_BINARY)
        return n; /* version 9: the record is all of it */
    const char *nl = memchr(data, '\n', n);
    return nl ? (size_t)(nl - data) : n;
}

acc_status acc_docstore_record(const acc_xap_doc *d, acc_buf *out, size_t *rec_len, acc_error *err)
{
    acc_buf_reset(out);
    *rec_len = 0;
    acc_status st = acc_xap_doc_value(d, ACC_SLOT_RECORD, out, err);
    if (st != ACC_OK || out->n) {
        *rec_len = out->n;
        return st;
    }
    /* version 9 and before: the document data */
    st = acc_xap_doc_data(d, out, err);
    if (st == ACC_OK)
        *rec_len = acc_docstore_record_len(out->p ? out->p : "", out->n);
    return st;
}

acc_status acc_docstore_read(const acc_xap_doc *d, acc_index *x, acc_buf *rec, acc_buf *text,
                             acc_error *err)
{
    acc_buf data, chunk;
    acc_status st;
    size_t rl;
    acc_buf_init(&data, 0);
    acc_buf_init(&chunk, 0);
    st = acc_docstore_record(d, &data, &rl, err);
    if (st != ACC_OK)
        goto out;
    acc_buf_append(rec, data.p ? data.p : "", rl);
    if (!text)
        goto out;
    if (rl < data.n) { /* version 5: the text follows the record */
        acc_buf_append(text, data.p + rl + 1, data.n - rl - 1);
        goto out;
    }
    for (unsigned i = 0;; i++) {
        int found;
        st = acc_docstore_chunk(d, i, x, &chunk, &found, err);
        if (st != ACC_OK || !found)
            break;
        acc_buf_append(text, chunk.p, chunk.n);
    }
out:
    acc_buf_release(&data);
    acc_buf_release(&chunk);
    return st;
}

acc_status acc_docstore_articles(const acc_xap_doc *d, acc_article_fn fn, void *ctx, int *any,
                                 acc_error *err)
{
    acc_buf v;
    size_t i = 0, off = 0;
    unsigned long long delta, len;
    acc_status st;
    acc_buf_init(&v, 0);
    st = acc_xap_doc_value(d, ACC_SLOT_ARTICLES, &v, err);
    if (any)
        *any = st == ACC_OK && v.n > 0;
    if (st != ACC_OK)
        goto out;
    while (i < v.n && acc_varint_get(v.p, v.n, &i, &delta) && acc_varint_get(v.p, v.n, &i, &len) &&
           len <= v.n - i) {
        off += (size_t)delta;
        if (fn(ctx, off, v.p + i, (size_t)len) != 0)
            break;
        i += (size_t)len;
    }
out:
    acc_buf_release(&v);
    return st;
}
