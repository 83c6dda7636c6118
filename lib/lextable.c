/*
 * lib/lextable.c: the translation table's buckets (lib/lextable.h):
 * spreading, compressing and reading them.
 */
#include "lextable.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* ZDICT_optimizeTrainFromBuffer_fastCover and its parameters (exported by libzstd.so) */
#define ZDICT_STATIC_LINKING_ONLY
#include <zdict.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "lexicon.h"
#include "reader.h"
#include "strmap.h"
#include "threads.h"
#include "varint.h"

#define BUCKET_MAGIC 0x01
#define BUCKET_HEAD 5 /* the magic byte and the dict id */
/* a bucket holds at most this much once decompressed (a bigger frame is damage) */
#define BUCKET_MAX (64u << 20)
/* zstd's level for the buckets, and the dictionary: its size, and how much of the table it is
   trained on. The real corpus' table (12.3 MB) takes 5.8 MB at level 3 with 64 KiB trained on
   2 MiB, 5.5 MB at 9 with those, 5.1 MB at 9 with 128 KiB on 4 MiB, 4.8 MB with these (every
   other bucket, 6.2 MB, sampled; a dictionary of at most a sixteenth of its sample) and at
   12; the price is a larger dictionary to load per process (about 0.2 ms of page faults for a
   command-line search) and about 0.5 s of compression per build */
#define LEVEL 9
#define DICT_SIZE (256u << 10)
#define DICT_SAMPLE (6u << 20)
/* no dictionary for a table smaller than this: it would outweigh what it saves */
#define DICT_FROM (256u << 10)
#define HEADER_FMT "accord-lex 1 %lu %lu"

/* Room for need bytes in b (its contents kept). */
static void reserve(acc_buf *b, size_t need)
{
    if (b->alloc < need) {
        b->p = acc_xrealloc(b->p, need);
        b->alloc = need;
    }
}

static uint32_t bucket_of(const char *key, size_t klen, unsigned long n)
{
    return (uint32_t)(acc_fnv1a(key, klen, ACC_FNV_INIT) % n);
}

static void bucket_key(uint32_t b, acc_buf *out)
{
    acc_buf_reset(out);
    acc_buf_printf(out, "%s%x", ACC_LEX_BUCKET_PREFIX, (unsigned)b);
}

static void put_u32(acc_buf *b, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        acc_buf_putc(b, (char)((v >> (8 * i)) & 0xff));
}

static uint32_t get_u32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
}

/* The header's N and dict id: 0 when v is not one (no buckets: the older layout). */
static int parse_header(const char *v, size_t n, unsigned long *nb, unsigned long *dict_id)
{
    char tmp[64];
    char tail;
    if (!n || n >= sizeof tmp)
        return 0;
    memcpy(tmp, v, n);
    tmp[n] = '\0';
    return sscanf(tmp, HEADER_FMT "%c", nb, dict_id, &tail) == 2 && *nb > 0 &&
           *dict_id <= 0xffffffffUL;
}

/*
 * The entries of bucket value v[0..n) decompressed into raw: ACC_EDB_CORRUPT
 * when it is not one, or was made with another dictionary than dict_id.
 */
static acc_status bucket_decode(ZSTD_DCtx *dc, const ZSTD_DDict *dd, unsigned long dict_id,
                                const char *v, size_t n, acc_buf *raw, acc_error *err)
{
    acc_buf_reset(raw);
    if (n < BUCKET_HEAD || (unsigned char)v[0] != BUCKET_MAGIC || get_u32(v + 1) != dict_id)
        return acc_error_set(err, ACC_EDB_CORRUPT,
                             "index is corrupt (a bucket of the translation table has another "
                             "format or dictionary than its header)");
    unsigned long long size = ZSTD_getFrameContentSize(v + BUCKET_HEAD, n - BUCKET_HEAD);
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > BUCKET_MAX)
        return acc_error_set(err, ACC_EDB_CORRUPT,
                             "index is corrupt (a bucket of the translation table is not a "
                             "zstd frame)");
    reserve(raw, (size_t)size + 1);
    size_t k = dd ? ZSTD_decompress_usingDDict(dc, raw->p, (size_t)size, v + BUCKET_HEAD,
                                               n - BUCKET_HEAD, dd)
                  : ZSTD_decompressDCtx(dc, raw->p, (size_t)size, v + BUCKET_HEAD, n - BUCKET_HEAD);
    if (ZSTD_isError(k) || k != size)
        return acc_error_set(err, ACC_EDB_CORRUPT,
                             "index is corrupt (a bucket of the translation table does not "
                             "decompress)");
    raw->n = k;
    raw->p[k] = '\0';
    return ACC_OK;
}

/* Calls fn for each entry of raw bucket r[0..n): 0, or -1 when it is malformed, or fn's
   nonzero answer. */
static int bucket_each(const char *r, size_t n, acc_xap_meta_fn fn, void *ctx, acc_buf *key)
{
    size_t i = 0;
    while (i < n) {
        unsigned long long kl, vl;
        if (!acc_varint_get(r, n, &i, &kl) || kl > n - i)
            return -1;
        const char *k = r + i;
        i += (size_t)kl;
        if (!acc_varint_get(r, n, &i, &vl) || vl > n - i)
            return -1;
        acc_buf_reset(key);
        acc_buf_append(key, ACC_LEX_PREFIX, strlen(ACC_LEX_PREFIX));
        acc_buf_append(key, k, (size_t)kl);
        int stop = fn(ctx, key->p, key->n, r + i, (size_t)vl);
        if (stop)
            return stop;
        i += (size_t)vl;
    }
    return 0;
}

/* ------------------------------------------------------------------ reading */

struct acc_lex_cache {
    int loaded;
    unsigned long rev, generation; /* of the index when the header was read */
    unsigned long nbuckets;        /* 0: one key per entry (the older layout) */
    unsigned long dict_id;
    ZSTD_DDict *dd; /* dictionary dict_id (NULL for 0) */
    unsigned long dd_id;
    acc_buf dict; /* read into, while making dd */
    ZSTD_DCtx *dc;
    long last;   /* the bucket in raw, or -1 */
    acc_buf raw; /* its entries */
    acc_buf scratch;
};

void acc_lex_cache_free(acc_lex_cache *c)
{
    if (!c)
        return;
    ZSTD_freeDDict(c->dd);
    ZSTD_freeDCtx(c->dc);
    acc_buf_release(&c->dict);
    acc_buf_release(&c->raw);
    acc_buf_release(&c->scratch);
    free(c);
}

/* The header as of x's revision, and the dictionary it names. */
static acc_status cache_current(acc_index *x, acc_lex_cache *c, acc_error *err)
{
    if (c->loaded && c->rev == x->rev && c->generation == x->generation)
        return ACC_OK;
    acc_buf v;
    acc_buf_init(&v, 0);
    acc_status st =
        acc_xap_db_get_meta(x->db, ACC_LEX_BUCKETS_KEY, strlen(ACC_LEX_BUCKETS_KEY), &v, err);
    unsigned long nb = 0, id = 0;
    if (st == ACC_OK && v.n && !parse_header(v.p, v.n, &nb, &id))
        st = acc_error_set(err, ACC_EDB_CORRUPT,
                           "index is corrupt (the translation table's header is unreadable)");
    if (st == ACC_OK && nb && id && (!c->dd || c->dd_id != id)) {
        /* the dictionary's own id (zstd's, in its header) is the one the header names */
        ZSTD_freeDDict(c->dd);
        c->dd = NULL;
        acc_buf_reset(&c->dict);
        st = acc_xap_db_get_meta(x->db, ACC_LEX_DICT_KEY, strlen(ACC_LEX_DICT_KEY), &c->dict, err);
        if (st == ACC_OK && c->dict.n)
            c->dd = ZSTD_createDDict(c->dict.p, c->dict.n);
        acc_buf_release(&c->dict);
        if (st == ACC_OK && (!c->dd || ZSTD_getDictID_fromDDict(c->dd) != id)) {
            ZSTD_freeDDict(c->dd);
            c->dd = NULL;
            st = acc_error_set(err, ACC_EDB_CORRUPT,
                               "index is corrupt (the translation table's dictionary is missing "
                               "or damaged)");
        }
        c->dd_id = c->dd ? id : 0;
    }
    acc_buf_release(&v);
    if (st != ACC_OK) {
        c->loaded = 0;
        return st;
    }
    c->loaded = 1;
    c->rev = x->rev;
    c->generation = x->generation;
    c->nbuckets = nb;
    c->dict_id = id;
    c->last = -1;
    return ACC_OK;
}

typedef struct find_ctx {
    const char *key;
    size_t klen;
    acc_buf *out;
} find_ctx;

static int on_find(void *ctx, const char *k, size_t kn, const char *v, size_t vn)
{
    find_ctx *f = ctx;
    if (kn != f->klen || memcmp(k, f->key, kn) != 0)
        return 0;
    acc_buf_append(f->out, v, vn);
    return 1;
}

acc_status acc_lex_get(acc_index *x, const char *key, size_t klen, acc_buf *out, acc_error *err)
{
    if (!x->lex) {
        x->lex = acc_xcalloc(1, sizeof *x->lex);
        acc_buf_init(&x->lex->dict, 0);
        acc_buf_init(&x->lex->raw, 0);
        acc_buf_init(&x->lex->scratch, 0);
        x->lex->last = -1;
    }
    acc_lex_cache *c = x->lex;
    acc_status st = cache_current(x, c, err);
    if (st != ACC_OK)
        return st;
    if (!c->nbuckets)
        return acc_xap_db_get_meta(x->db, key, klen, out, err);
    if (klen < strlen(ACC_LEX_PREFIX) || memcmp(key, ACC_LEX_PREFIX, strlen(ACC_LEX_PREFIX)) != 0)
        return ACC_OK; /* not a key of the table */
    uint32_t b = bucket_of(key, klen, c->nbuckets);
    if (c->last != (long)b) {
        acc_buf v;
        acc_buf_init(&v, 0);
        c->last = -1;
        bucket_key(b, &c->scratch);
        st = acc_xap_db_get_meta(x->db, c->scratch.p, c->scratch.n, &v, err);
        if (st == ACC_OK && !c->dc && !(c->dc = ZSTD_createDCtx()))
            st = acc_error_set(err, ACC_ENOMEM, "out of memory (zstd)");
        if (st == ACC_OK && !v.n)
            acc_buf_reset(&c->raw); /* an empty bucket */
        else if (st == ACC_OK)
            st =
                bucket_decode(c->dc, c->dict_id ? c->dd : NULL, c->dict_id, v.p, v.n, &c->raw, err);
        acc_buf_release(&v);
        if (st != ACC_OK)
            return st;
        c->last = (long)b;
    }
    find_ctx f = {key, klen, out};
    if (bucket_each(c->raw.p, c->raw.n, on_find, &f, &c->scratch) < 0) {
        c->last = -1;
        return acc_error_set(err, ACC_EDB_CORRUPT,
                             "index is corrupt (a bucket of the translation table is malformed)");
    }
    return ACC_OK;
}

/* ---------------------------------------------------------------- listing */

typedef struct each_ctx {
    acc_xap_meta_fn fn;
    void *ctx;
    ZSTD_DCtx *dc;
    ZSTD_DDict *dd;
    unsigned long dict_id;
    acc_buf raw, key;
    acc_error *err;
    acc_status st;
    int stop;
} each_ctx;

static int is_reserved(const char *k, size_t kn)
{
    return (kn == strlen(ACC_LEX_META_KEY) && memcmp(k, ACC_LEX_META_KEY, kn) == 0) ||
           (kn == strlen(ACC_LEX_BUCKETS_KEY) && memcmp(k, ACC_LEX_BUCKETS_KEY, kn) == 0) ||
           (kn == strlen(ACC_LEX_DICT_KEY) && memcmp(k, ACC_LEX_DICT_KEY, kn) == 0);
}

static int is_bucket(const char *k, size_t kn)
{
    size_t pn = strlen(ACC_LEX_BUCKET_PREFIX);
    return kn > pn && memcmp(k, ACC_LEX_BUCKET_PREFIX, pn) == 0;
}

static int on_each_bucket(void *ctx, const char *k, size_t kn, const char *v, size_t vn)
{
    each_ctx *e = ctx;
    if (!is_bucket(k, kn))
        return 0;
    e->st = bucket_decode(e->dc, e->dd, e->dict_id, v, vn, &e->raw, e->err);
    if (e->st != ACC_OK)
        return 1;
    int r = bucket_each(e->raw.p, e->raw.n, e->fn, e->ctx, &e->key);
    if (r < 0) {
        e->st = acc_error_set(e->err, ACC_EDB_CORRUPT,
                              "index is corrupt (a bucket of the translation table is malformed)");
        return 1;
    }
    e->stop = r != 0;
    return r;
}

static int on_each_key(void *ctx, const char *k, size_t kn, const char *v, size_t vn)
{
    each_ctx *e = ctx;
    if (is_reserved(k, kn) || is_bucket(k, kn))
        return 0;
    return e->fn(e->ctx, k, kn, v, vn);
}

acc_status acc_lex_each(acc_xap_wdb *w, acc_xap_meta_fn fn, void *ctx, acc_error *err)
{
    each_ctx e;
    memset(&e, 0, sizeof e);
    e.fn = fn;
    e.ctx = ctx;
    e.err = err;
    acc_buf_init(&e.raw, 0);
    acc_buf_init(&e.key, 0);
    acc_buf v;
    acc_buf_init(&v, 0);
    unsigned long nb = 0;
    acc_status st = acc_xap_wdb_get_meta(w, ACC_LEX_BUCKETS_KEY, &v, err);
    if (st == ACC_OK && v.n && !parse_header(v.p, v.n, &nb, &e.dict_id))
        st = acc_error_set(err, ACC_EDB_CORRUPT,
                           "index is corrupt (the translation table's header)");
    if (st == ACC_OK && nb) {
        acc_buf_reset(&v);
        if (e.dict_id)
            st = acc_xap_wdb_get_meta(w, ACC_LEX_DICT_KEY, &v, err);
        if (st == ACC_OK && e.dict_id &&
            (!(e.dd = ZSTD_createDDict(v.p ? v.p : "", v.n)) ||
             ZSTD_getDictID_fromDDict(e.dd) != e.dict_id))
            st = acc_error_set(err, ACC_EDB_CORRUPT,
                               "index is corrupt (the translation table's dictionary)");
        if (st == ACC_OK && !(e.dc = ZSTD_createDCtx()))
            st = acc_error_set(err, ACC_ENOMEM, "out of memory (zstd)");
        if (st == ACC_OK)
            st = acc_xap_wdb_meta_each(w, ACC_LEX_BUCKET_PREFIX, strlen(ACC_LEX_BUCKET_PREFIX),
                                       on_each_bucket, &e, err);
        if (st == ACC_OK)
            st = e.st;
    }
    /* entries of the older layout (none once the table is bucketed) */
    if (st == ACC_OK && !e.stop)
        st = acc_xap_wdb_meta_each(w, ACC_LEX_PREFIX, strlen(ACC_LEX_PREFIX), on_each_key, &e, err);
    acc_buf_release(&v);
    acc_buf_release(&e.raw);
    acc_buf_release(&e.key);
    ZSTD_freeDDict(e.dd);
    ZSTD_freeDCtx(e.dc);
    return st;
}

/* ------------------------------------------------------------------ writing */

typedef struct lex_entry {
    size_t k, kn, v, vn; /* offsets into the table's bytes */
    const char *key;     /* set for sorting */
    uint32_t bucket;
} lex_entry;

struct acc_lex_table {
    acc_buf bytes;
    lex_entry *e;
    size_t n, alloc;
    unsigned long raw; /* keys and values */
};

acc_lex_table *acc_lex_table_new(void)
{
    acc_lex_table *t = acc_xcalloc(1, sizeof *t);
    acc_buf_init(&t->bytes, 0);
    return t;
}

void acc_lex_table_add(acc_lex_table *t, const char *key, size_t klen, const char *value,
                       size_t vlen)
{
    if (t->n == t->alloc) {
        t->alloc = t->alloc ? 2 * t->alloc : 1024;
        t->e = acc_xrealloc(t->e, t->alloc * sizeof *t->e);
    }
    lex_entry *e = &t->e[t->n++];
    e->k = t->bytes.n;
    e->kn = klen;
    acc_buf_append(&t->bytes, key, klen);
    e->v = t->bytes.n;
    e->vn = vlen;
    acc_buf_append(&t->bytes, value, vlen);
    t->raw += klen + vlen;
}

void acc_lex_table_free(acc_lex_table *t)
{
    if (!t)
        return;
    acc_buf_release(&t->bytes);
    free(t->e);
    free(t);
}

/* for qsort: by bucket, then by key */
static int entry_cmp(const void *a, const void *b)
{
    const lex_entry *x = a, *y = b;
    if (x->bucket != y->bucket)
        return x->bucket < y->bucket ? -1 : 1;
    size_t n = x->kn < y->kn ? x->kn : y->kn;
    int c = memcmp(x->key, y->key, n);
    return c ? c : (x->kn > y->kn) - (x->kn < y->kn);
}

/* The raw bytes of the bucket of entries e[0..n). */
static void bucket_raw(const acc_lex_table *t, const lex_entry *e, size_t n, acc_buf *out)
{
    size_t pn = strlen(ACC_LEX_PREFIX);
    acc_buf_reset(out);
    for (size_t i = 0; i < n; i++) {
        acc_varint_put(out, e[i].kn - pn);
        acc_buf_append(out, t->bytes.p + e[i].k + pn, e[i].kn - pn);
        acc_varint_put(out, e[i].vn);
        acc_buf_append(out, t->bytes.p + e[i].v, e[i].vn);
    }
}

/* The old table: store key -> hash of its value, and whether the new table has it. */
typedef struct old_table {
    acc_strmap keys;
    uint64_t *hash;
    unsigned char *kept;
    size_t alloc;
    unsigned long nbuckets, dict_id;
    acc_buf dict;
} old_table;

static uint64_t value_hash(const char *v, size_t n)
{
    return acc_hash_words(v, n, ACC_FNV_INIT) ^ (uint64_t)n;
}

static int on_old_key(void *ctx, const char *k, size_t kn, const char *v, size_t vn)
{
    old_table *o = ctx;
    if (kn == strlen(ACC_LEX_BUCKETS_KEY) && memcmp(k, ACC_LEX_BUCKETS_KEY, kn) == 0 &&
        !parse_header(v, vn, &o->nbuckets, &o->dict_id))
        o->nbuckets = o->dict_id = 0;
    if (kn == strlen(ACC_LEX_DICT_KEY) && memcmp(k, ACC_LEX_DICT_KEY, kn) == 0) {
        acc_buf_reset(&o->dict);
        acc_buf_append(&o->dict, v, vn);
    }
    size_t i = acc_strmap_put(&o->keys, k, kn, NULL);
    if (i >= o->alloc) {
        o->alloc = o->alloc ? 2 * o->alloc : 4096;
        o->hash = acc_xrealloc(o->hash, o->alloc * sizeof *o->hash);
        o->kept = acc_xrealloc(o->kept, o->alloc);
    }
    o->hash[i] = value_hash(v, vn);
    o->kept[i] = 0;
    return 0;
}

/* Writes key[0..kn) = v[0..vn) unless the old table has that already. */
static acc_status put_if_changed(acc_xap_wdb *w, old_table *old, const char *k, size_t kn,
                                 const char *v, size_t vn, acc_lex_written *out, acc_error *err)
{
    size_t at = acc_strmap_get(&old->keys, k, kn);
    if (at != ACC_STRMAP_NONE) {
        old->kept[at] = 1;
        if (old->hash[at] == value_hash(v, vn))
            return ACC_OK;
    }
    out->written++;
    return acc_xap_wdb_set_meta_n(w, k, kn, v, vn, err);
}

/*
 * A dictionary trained on buckets of t sorted by bucket (every k-th, at most
 * DICT_SAMPLE bytes in all), into dict; 0 on success, -1 when there is
 * none to train (small tables, or zstd finds too little to learn).
 */
static int train(const acc_lex_table *t, const lex_entry *e, size_t n, unsigned long nb,
                 acc_buf *dict)
{
    if (t->raw < DICT_FROM)
        return -1;
    unsigned long step = (unsigned long)((t->raw + DICT_SAMPLE - 1) / DICT_SAMPLE);
    acc_buf sample, one;
    acc_buf_init(&sample, 0);
    acc_buf_init(&one, 0);
    size_t *sizes = acc_xmalloc((nb + 1) * sizeof *sizes);
    unsigned nsamples = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && e[j].bucket == e[i].bucket)
            j++;
        if (e[i].bucket % step == 0) {
            bucket_raw(t, e + i, j - i, &one);
            acc_buf_append(&sample, one.p, one.n);
            sizes[nsamples++] = one.n;
        }
        i = j;
    }
    /* at most a sixteenth of the sample: a small table's dictionary would outweigh it */
    size_t cap = sample.n / 16 < DICT_SIZE ? sample.n / 16 : DICT_SIZE;
    if (cap < (4u << 10))
        cap = 4u << 10;
    acc_buf_reset(dict);
    reserve(dict, cap);
    /* ZDICT_trainFromBuffer's own parameters (zstd 1.5.4, lib/zdict/zdict.c), its search for
       the segment size k run on the machine's cores: the same dictionary (the index's metadata
       byte for byte), training 0.44 s -> 0.27 s on 2 cores (it was the longest
       step on one core of a full build) */
    ZDICT_fastCover_params_t fp;
    memset(&fp, 0, sizeof fp);
    fp.d = 8;
    fp.steps = 4;
    fp.nbThreads = acc_threads_for(0, 8, fp.steps);
    fp.zParams.compressionLevel = ZSTD_CLEVEL_DEFAULT;
    size_t k = nsamples >= 16 ? ZDICT_optimizeTrainFromBuffer_fastCover(dict->p, cap, sample.p,
                                                                        sizes, nsamples, &fp)
                              : 0;
    int ok = nsamples >= 16 && !ZDICT_isError(k) && k > 0;
    dict->n = ok ? k : 0;
    acc_buf_release(&sample);
    acc_buf_release(&one);
    free(sizes);
    return ok ? 0 : -1;
}

/* The buckets compressed in parallel (zstd at level 9 is most of the writing): bucket k is
   t->e[start[k] .. start[k + 1]); its stored value (magic, dict id, frame) goes to val[k]. The
   frames are those one thread makes: ZSTD_compress2 starts each afresh. */
typedef struct zpool {
    const acc_lex_table *t;
    const size_t *start;
    size_t nb, next;
    const ZSTD_CDict *cd; /* NULL: no dictionary, LEVEL */
    unsigned long dict_id;
    acc_buf *val;
    size_t zerr; /* the first zstd error, 0 when none */
    pthread_mutex_t mu;
} zpool;

static void *zworker(void *arg)
{
    zpool *z = arg;
    ZSTD_CCtx *cc = ZSTD_createCCtx();
    acc_buf raw;
    acc_buf_init(&raw, 0);
    if (cc) {
        ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 0);
        ZSTD_CCtx_setParameter(cc, ZSTD_c_dictIDFlag, 0);
        ZSTD_CCtx_setParameter(cc, ZSTD_c_contentSizeFlag, 1);
        if (z->cd)
            ZSTD_CCtx_refCDict(cc, z->cd);
        else
            ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, LEVEL);
    }
    for (;;) {
        pthread_mutex_lock(&z->mu);
        size_t k = z->next < z->nb && !z->zerr ? z->next++ : SIZE_MAX;
        pthread_mutex_unlock(&z->mu);
        if (k == SIZE_MAX)
            break;
        size_t r = (size_t)-ZSTD_error_memory_allocation;
        if (cc) {
            acc_buf *val = &z->val[k];
            bucket_raw(z->t, z->t->e + z->start[k], z->start[k + 1] - z->start[k], &raw);
            acc_buf_putc(val, (char)BUCKET_MAGIC);
            put_u32(val, (uint32_t)z->dict_id);
            size_t bound = ZSTD_compressBound(raw.n);
            reserve(val, BUCKET_HEAD + bound + 1);
            r = ZSTD_compress2(cc, val->p + BUCKET_HEAD, bound, raw.p, raw.n);
            if (!ZSTD_isError(r))
                val->n = BUCKET_HEAD + r;
        }
        if (ZSTD_isError(r)) {
            pthread_mutex_lock(&z->mu);
            if (!z->zerr)
                z->zerr = r;
            pthread_mutex_unlock(&z->mu);
        }
    }
    acc_buf_release(&raw);
    ZSTD_freeCCtx(cc);
    return NULL;
}

/* Compresses the buckets of z on the machine's cores (this thread among them). */
static void zpool_run(zpool *z)
{
    pthread_mutex_init(&z->mu, NULL);
    acc_threads_run(zworker, z, acc_threads_for(0, 8, z->nb));
    pthread_mutex_destroy(&z->mu);
}

acc_status acc_lex_table_write(acc_lex_table *t, acc_xap_wdb *w, acc_lex_written *out,
                               acc_error *err)
{
    old_table old;
    acc_buf val, key, dict;
    ZSTD_CDict *cd = NULL;
    memset(out, 0, sizeof *out);
    memset(&old, 0, sizeof old);
    acc_strmap_init(&old.keys);
    acc_buf_init(&old.dict, 0);
    acc_buf_init(&val, 0);
    acc_buf_init(&key, 0);
    acc_buf_init(&dict, 0);
    out->bytes = t->raw;
    acc_status st =
        acc_xap_wdb_meta_each(w, ACC_LEX_PREFIX, strlen(ACC_LEX_PREFIX), on_old_key, &old, err);

    /* N and the dictionary: the old ones while the table's size suits them */
    unsigned long nb = old.nbuckets, dict_id = old.dict_id;
    int reuse =
        nb && t->raw / nb >= ACC_LEX_BUCKET_TARGET / 4 &&
        t->raw / nb <= ACC_LEX_BUCKET_TARGET * 4 &&
        (!dict_id || (old.dict.n && ZSTD_getDictID_fromDict(old.dict.p, old.dict.n) == dict_id));
    if (!reuse) {
        nb = t->raw / ACC_LEX_BUCKET_TARGET;
        if (nb < 1)
            nb = 1;
    }
    for (size_t i = 0; i < t->n; i++) {
        t->e[i].key = t->bytes.p + t->e[i].k;
        t->e[i].bucket = bucket_of(t->e[i].key, t->e[i].kn, nb);
    }
    if (t->n)
        qsort(t->e, t->n, sizeof *t->e, entry_cmp);
    if (reuse) {
        acc_buf_append(&dict, old.dict.p ? old.dict.p : "", dict_id ? old.dict.n : 0);
    } else {
        out->retrained = 1;
        dict_id = 0;
        if (train(t, t->e, t->n, nb, &dict) == 0)
            dict_id = ZSTD_getDictID_fromDict(dict.p, dict.n);
        if (!dict_id)
            acc_buf_reset(&dict);
    }
    out->buckets = nb;
    if (st == ACC_OK && dict_id && !(cd = ZSTD_createCDict(dict.p, dict.n, LEVEL)))
        st = acc_error_set(err, ACC_ENOMEM, "out of memory (zstd dictionary)");
    /* the buckets (t->e is sorted by bucket), compressed in parallel, then stored in order */
    size_t nbk = 0, *start = acc_xmalloc((t->n + 1) * sizeof *start);
    for (size_t i = 0; i < t->n;) {
        size_t j = i;
        while (j < t->n && t->e[j].bucket == t->e[i].bucket)
            j++;
        start[nbk++] = i;
        i = j;
    }
    start[nbk] = t->n;
    zpool z = {t, start, nbk, 0, cd, dict_id, acc_xcalloc(nbk + 1, sizeof(acc_buf)), 0, {{0}}};
    if (st == ACC_OK) {
        zpool_run(&z);
        if (z.zerr)
            st = acc_error_set(err, ACC_EIO, "cannot compress the translation table: %s",
                               ZSTD_getErrorName(z.zerr));
    }
    for (size_t k = 0; st == ACC_OK && k < nbk; k++) {
        bucket_key(t->e[start[k]].bucket, &key);
        st = put_if_changed(w, &old, key.p, key.n, z.val[k].p, z.val[k].n, out, err);
        out->stored += z.val[k].n;
    }
    for (size_t k = 0; k < nbk; k++)
        acc_buf_release(&z.val[k]);
    free(z.val);
    free(start);
    if (st == ACC_OK && dict_id) {
        st = put_if_changed(w, &old, ACC_LEX_DICT_KEY, strlen(ACC_LEX_DICT_KEY), dict.p, dict.n,
                            out, err);
        out->stored += dict.n;
    }
    if (st == ACC_OK) {
        acc_buf_reset(&val);
        acc_buf_printf(&val, HEADER_FMT, nb, dict_id);
        st = put_if_changed(w, &old, ACC_LEX_BUCKETS_KEY, strlen(ACC_LEX_BUCKETS_KEY), val.p, val.n,
                            out, err);
    }
    /* what the new table does not have: buckets emptied, the older layout's keys */
    for (size_t i = 0; i < old.keys.n && st == ACC_OK; i++) {
        size_t kn;
        const char *k = acc_strmap_key(&old.keys, i, &kn);
        if (!old.kept[i] &&
            !(kn == strlen(ACC_LEX_META_KEY) && memcmp(k, ACC_LEX_META_KEY, kn) == 0)) {
            st = acc_xap_wdb_set_meta_n(w, k, kn, "", 0, err);
            out->written++;
        }
    }
    ZSTD_freeCDict(cd);
    acc_buf_release(&val);
    acc_buf_release(&key);
    acc_buf_release(&dict);
    acc_buf_release(&old.dict);
    acc_strmap_release(&old.keys);
    free(old.hash);
    free(old.kept);
    return st;
}
