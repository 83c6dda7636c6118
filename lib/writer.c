/*
 * lib/writer.c: the single writer of an index (include/accord/writer.h): transactions, documents in
 * and out, the index's key/value store, and the list of what is indexed (for incremental runs).
 *
 * A sharded index is a folder with a Xapian stub file XAPIANDB ("auto shard00" ... one line a
 * shard) and the shards beside it. The writer opens each shard's Xapian writer; a document goes to
 * the shard acc_shard_of its id gives, every run; the key/value store is the first shard's (where
 * Xapian's readers of the whole look for it); the number of shards is also kept there
 * (SHARDS_KEY), so that a stub edited by hand is noticed.
 */
#define _GNU_SOURCE /* renameat2 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accord/log.h"
#include "accord/mem.h"
#include "complete.h"
#include "topicmatch.h"
#include "accord/schema.h"
#include "accord/writer.h"
#include "docbuild.h"
#include "docstore.h"
#include "lexicon.h"
#include "xap.h"

#define STUB_NAME "XAPIANDB"
#define SHARDS_KEY "accord.shards"
/* Set in every database accord-index writes: it was never compacted with Xapian's "fuller"
   compaction, or has been rewritten since (see open_updatable). */
#define UPDATABLE_KEY "accord.updatable"

struct acc_writer {
    acc_xap_wdb **w;         /* one per shard */
    unsigned char *unmarked; /* per shard: UPDATABLE_KEY still to be set with its next commit */
    unsigned n;
    char *path;
    acc_xap_db *whole; /* the shards as one, for reading (acc_writer_reader) */
    /* the text dictionary (acc_writer_textdict_*): samples, under td_mu */
    pthread_mutex_t td_mu;
    acc_buf td_text;
    size_t *td_sizes, td_n, td_alloc;
    int td_sampling, td_started;
    size_t td_want;           /* bytes of samples to train on */
    acc_textdict *td_pending; /* trained, not yet in every shard's transaction */
    unsigned char *td_staged; /* per shard: td_pending is in its transaction */
    unsigned td_nstaged;
    acc_textdict *td_active; /* the one documents use */
    /* the documents written with their text stored without a dictionary, while there was none:
       their shard and id term (acc_writer_textdict_redo) */
    char **td_plain;
    unsigned *td_plain_shard;
    size_t td_nplain, td_plain_alloc;
};

/* At most this many documents a run are noted for acc_writer_textdict_redo (a dictionary comes
   after ACC_TEXTDICT_SAMPLE bytes of text: this many only when they are tiny) */
#define TD_PLAIN_MAX 65536

unsigned acc_shard_of(const char *id, size_t len, unsigned nshards)
{
    if (nshards <= 1)
        return 0;
    return (unsigned)(acc_fnv1a(id, len, ACC_FNV_INIT) % nshards);
}

unsigned acc_built_doc_shard(const acc_built_doc *b, unsigned nshards)
{
    const size_t plen = strlen(ACC_PFX_ID);
    return acc_shard_of(b->idterm + plen, strlen(b->idterm + plen), nshards);
}

unsigned acc_writer_nshards(const acc_writer *w)
{
    return w->n;
}

static void shard_path(const char *dir, unsigned i, char *out, size_t n)
{
    snprintf(out, n, "%s/shard%02u", dir, i);
}

/* How many shards the stub of folder dir lists (each "auto shardNN" in order), 0 when dir has
   no stub; -1 with err set for a stub accord did not write. */
static int stub_shards(const char *dir, acc_error *err)
{
    char p[4096], line[512];
    int n = 0;
    snprintf(p, sizeof p, "%s/" STUB_NAME, dir);
    FILE *f = fopen(p, "r");
    if (!f)
        return 0;
    while (fgets(line, sizeof line, f)) {
        char want[32];
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        snprintf(want, sizeof want, "auto shard%02d", n);
        if (strcmp(line, want) != 0 || n >= ACC_SHARDS_MAX) {
            fclose(f);
            acc_error_set(err, ACC_EINVAL,
                          "'%s' lists '%s': accord writes only to the shards it made (auto "
                          "shard00, shard01 ...); remote shards are written where they live",
                          p, line);
            return -1;
        }
        n++;
    }
    fclose(f);
    return n;
}

static acc_status write_stub(const char *dir, unsigned n, acc_error *err)
{
    char p[4096], tmp[4200];
    snprintf(p, sizeof p, "%s/" STUB_NAME, dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", p);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return acc_error_set(err, ACC_EIO, "cannot write '%s': %s", tmp, strerror(errno));
    fprintf(f, "# accord: a sharded index; each document's shard comes from its id\n");
    for (unsigned i = 0; i < n; i++)
        fprintf(f, "auto shard%02u\n", i);
    int bad = ferror(f) | (fflush(f) != 0) | (fsync(fileno(f)) != 0);
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, p) != 0) {
        unlink(tmp);
        return acc_error_set(err, ACC_EIO, "cannot write '%s': %s", p, strerror(errno));
    }
    return ACC_OK;
}

static acc_status compact_in_place(const char *db, acc_error *err);

/*
 * Opens database folder p for writing, ready to be updated. Full builds of accord from
 * e510f88 (--compact) until be5ac13 ended with Xapian's "fuller" compaction (blocks filled to
 * the last byte), and Xapian 1.4.22 cannot update such a database: replacing documents in one
 * made of the real corpus overruns a block buffer inside libxapian (AddressSanitizer:
 * heap-buffer-overflow in replace_document), then fails with "EOF reading block" or "Error
 * writing block ...: File too large" and the process aborts on a corrupted heap. So a
 * database with documents that lacks UPDATABLE_KEY (written by an accord before this key,
 * maybe compacted that way) is first rewritten with the standard compaction, swapped in
 * atomically, once; then the key is set.
 */
static acc_status open_updatable(const char *p, acc_xap_wdb **out, unsigned char *unmarked,
                                 acc_error *err)
{
    acc_buf v;
    unsigned long docs = 0;
    acc_buf_init(&v, 0);
    acc_status st = acc_xap_wdb_open(p, out, err);
    if (st == ACC_OK)
        st = acc_xap_wdb_get_meta(*out, UPDATABLE_KEY, &v, err);
    if (st == ACC_OK)
        st = acc_xap_db_doccount(acc_xap_wdb_reader(*out), &docs, err);
    *unmarked = st == ACC_OK && !v.n;
    if (st == ACC_OK && !v.n && docs > 0) {
        acc_log(ACC_LOG_INFO,
                "%s: written by an older accord: rewritten once (compacted) so that Xapian can "
                "update it",
                p);
        /* rewritten while this writer holds the lock (it has nothing uncommitted), then
           opened again on the new files: another writer could come in between only then */
        st = compact_in_place(p, err);
        acc_xap_wdb_close(*out);
        *out = NULL;
        if (st == ACC_OK)
            st = acc_xap_wdb_open(p, out, err);
        /* marked at once: a run that changes nothing would rewrite it again */
        if (st == ACC_OK)
            st = acc_xap_wdb_set_meta(*out, UPDATABLE_KEY, "1", err);
        if (st == ACC_OK)
            st = acc_xap_wdb_commit(*out, err);
        *unmarked = 0;
    }
    acc_buf_release(&v);
    if (st != ACC_OK) {
        acc_xap_wdb_close(*out);
        *out = NULL;
    }
    return st;
}

static void writer_free(acc_writer *w)
{
    if (!w)
        return;
    acc_writer_textdict_stop(w);
    pthread_mutex_destroy(&w->td_mu);
    for (unsigned i = 0; i < w->n; i++)
        acc_xap_wdb_close(w->w[i]);
    acc_xap_db_close(w->whole);
    free(w->w);
    free(w->unmarked);
    free(w->path);
    free(w);
}

/* Opens the n shards of folder path (n == 0: path itself, unsharded). */
static acc_status open_shards(const char *path, unsigned n, acc_writer **out, acc_error *err)
{
    acc_writer *w = acc_xcalloc(1, sizeof *w);
    pthread_mutex_init(&w->td_mu, NULL);
    acc_buf_init(&w->td_text, 0);
    acc_status st = ACC_OK;
    w->path = acc_xstrdup(path);
    w->w = acc_xcalloc(n ? n : 1, sizeof *w->w);
    w->unmarked = acc_xcalloc(n ? n : 1, 1);
    if (n == 0) {
        st = open_updatable(path, &w->w[0], &w->unmarked[0], err);
        w->n = st == ACC_OK;
    }
    for (unsigned i = 0; i < n && st == ACC_OK; i++) {
        char p[4096];
        shard_path(path, i, p, sizeof p);
        st = open_updatable(p, &w->w[i], &w->unmarked[i], err);
        if (st == ACC_OK)
            w->n++;
    }
    if (st != ACC_OK) {
        writer_free(w);
        return st;
    }
    *out = w;
    return ACC_OK;
}

/* Checks the shard count kept in the first shard against n (writes it when absent). */
static acc_status check_count(acc_writer *w, acc_error *err)
{
    acc_buf v;
    char want[16];
    acc_buf_init(&v, 0);
    acc_status st = acc_xap_wdb_get_meta(w->w[0], SHARDS_KEY, &v, err);
    snprintf(want, sizeof want, "%u", w->n);
    if (st == ACC_OK && v.n && (v.n != strlen(want) || memcmp(v.p, want, v.n) != 0))
        st = acc_error_set(err, ACC_EINVAL, "'%s' lists %u shards but was built with %.*s", w->path,
                           w->n, (int)v.n, v.p);
    else if (st == ACC_OK && !v.n && w->n > 1) {
        st = acc_xap_wdb_set_meta(w->w[0], SHARDS_KEY, want, err);
        if (st == ACC_OK)
            st = acc_xap_wdb_commit(w->w[0], err);
    }
    acc_buf_release(&v);
    return st;
}

static acc_status open_any(const char *path, unsigned want, acc_writer **out, acc_error *err)
{
    struct stat sb;
    int have = stub_shards(path, err);
    if (have < 0)
        return acc_error_prefix(err, ACC_EINVAL, "cannot open index '%s' for writing", path);
    int exists = stat(path, &sb) == 0;
    if (want > 1 && exists && have == 0) {
        char p[4096];
        snprintf(p, sizeof p, "%s/iamglass", path);
        int empty_dir = S_ISDIR(sb.st_mode) && access(p, F_OK) != 0 && rmdir(path) == 0;
        if (!empty_dir)
            return acc_error_set(err, ACC_EINVAL,
                                 "'%s' is an index of one shard, not %u: to re-shard, build "
                                 "into a new folder with --shards %u and swap it in",
                                 path, want, want);
        exists = 0;
    }
    if (want && have && (unsigned)have != want)
        return acc_error_set(err, ACC_EINVAL,
                             "'%s' has %d shard%s, not %u: a document's shard depends on the "
                             "count; to re-shard, build into a new folder with --shards %u and "
                             "swap it in",
                             path, have, have == 1 ? "" : "s", want, want);
    if (want > 1 && !exists) {
        if (mkdir(path, 0777) != 0)
            return acc_error_set(err, ACC_EIO, "cannot create '%s': %s", path, strerror(errno));
        /* the shards first, the stub last: a stub always names shards that exist */
        acc_status st = open_shards(path, want, out, err);
        if (st == ACC_OK)
            st = check_count(*out, err);
        if (st == ACC_OK)
            st = write_stub(path, want, err);
        if (st != ACC_OK) {
            writer_free(*out);
            *out = NULL;
            return acc_error_prefix(err, st, "cannot create index '%s'", path);
        }
        return ACC_OK;
    }
    acc_status st = open_shards(path, (unsigned)have, out, err);
    if (st == ACC_OK && have > 0 && (st = check_count(*out, err)) != ACC_OK) {
        writer_free(*out);
        *out = NULL;
    }
    if (st != ACC_OK)
        return acc_error_prefix(err, st, "cannot open index '%s' for writing", path);
    return ACC_OK;
}

acc_status acc_writer_open(const char *path, acc_writer **out, acc_error *err)
{
    return open_any(path, 0, out, err);
}

acc_status acc_writer_open_sharded(const char *path, unsigned nshards, acc_writer **out,
                                   acc_error *err)
{
    if (nshards < 1 || nshards > ACC_SHARDS_MAX)
        return acc_error_set(err, ACC_EINVAL, "shards: %u is not between 1 and %d", nshards,
                             ACC_SHARDS_MAX);
    return open_any(path, nshards, out, err);
}

acc_xap_wdb *acc_writer_xap(acc_writer *w)
{
    return w->w[0];
}

const char *acc_writer_path(const acc_writer *w)
{
    return w->path;
}

acc_xap_db *acc_writer_reader(acc_writer *w, acc_error *err)
{
    if (w->n == 1)
        return acc_xap_wdb_reader(w->w[0]);
    acc_xap_db_close(w->whole);
    w->whole = NULL;
    if (acc_xap_db_open(w->path, &w->whole, err) != ACC_OK)
        return NULL;
    return w->whole;
}

static unsigned long long tree_bytes;

static int add_bytes(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
    (void)p;
    (void)f;
    if (flag == FTW_F)
        tree_bytes += (unsigned long long)sb->st_size;
    return 0;
}

static int remove_one(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
    (void)sb;
    (void)flag;
    (void)f;
    return remove(p);
}

/* Bytes of the files under dir (one thread at a time: accord-index's main thread). */
static unsigned long long du(const char *dir)
{
    tree_bytes = 0;
    nftw(dir, add_bytes, 16, FTW_PHYS);
    return tree_bytes;
}

/* Database folder db rewritten compacted and swapped in. */
static acc_status compact_in_place(const char *db, acc_error *err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.compacting", db);
    nftw(tmp, remove_one, 16, FTW_DEPTH | FTW_PHYS); /* what a killed run left */
    /* the standard compaction, not FULLER: Xapian 1.4.22 cannot update a database compacted
       with FULLER (open_updatable), and this one is updated by the next run */
    acc_status st = acc_xap_compact(db, tmp, 0, err);
    if (st == ACC_OK && renameat2(AT_FDCWD, tmp, AT_FDCWD, db, RENAME_EXCHANGE) != 0)
        st = acc_error_set(err, ACC_EIO, "cannot swap in the compacted '%s': %s", db,
                           strerror(errno));
    /* after the swap tmp holds the old database */
    nftw(tmp, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    return st;
}

acc_status acc_index_compact(const char *path, const char *into, unsigned long long *before,
                             unsigned long long *after, acc_error *err)
{
    struct stat sb;
    acc_status st = ACC_OK;
    int n = stub_shards(path, err);
    if (n < 0)
        return acc_error_prefix(err, ACC_EINVAL, "cannot compact '%s'", path);
    if (before)
        *before = du(path);
    if (into) {
        if (stat(into, &sb) == 0)
            return acc_error_set(err, ACC_EINVAL, "'%s' exists: give a new folder to merge into",
                                 into);
        st = acc_xap_compact(path, into, 0, err); /* standard: updatable, as above */
    } else if (n == 0) {
        st = compact_in_place(path, err);
    } else {
        for (int i = 0; i < n && st == ACC_OK; i++) {
            char p[4096];
            shard_path(path, (unsigned)i, p, sizeof p);
            st = compact_in_place(p, err);
        }
    }
    if (st != ACC_OK)
        return acc_error_prefix(err, st, "cannot compact '%s'", path);
    if (after)
        *after = du(into ? into : path);
    return ACC_OK;
}

void acc_writer_close(acc_writer *w)
{
    writer_free(w);
}

acc_status acc_writer_begin_shard(acc_writer *w, unsigned s, acc_error *err)
{
    acc_status st = acc_xap_wdb_begin(w->w[s], err);
    return st == ACC_OK ? st : acc_error_prefix(err, st, "cannot start a transaction");
}

acc_status acc_writer_commit_shard(acc_writer *w, unsigned s, acc_error *err)
{
    /* the key goes with the first commit of a new database (no commit of its own: that would
       be a revision more) */
    acc_status st =
        w->unmarked[s] ? acc_xap_wdb_set_meta(w->w[s], UPDATABLE_KEY, "1", err) : ACC_OK;
    if (st == ACC_OK)
        st = acc_xap_wdb_commit(w->w[s], err);
    if (st == ACC_OK)
        w->unmarked[s] = 0;
    if (st != ACC_OK && w->n > 1)
        return acc_error_prefix(err, st, "cannot commit shard %u of the index", s);
    return st == ACC_OK ? st : acc_error_prefix(err, st, "cannot commit the index");
}

acc_status acc_writer_begin(acc_writer *w, acc_error *err)
{
    acc_status st = ACC_OK;
    for (unsigned i = 0; i < w->n && st == ACC_OK; i++)
        st = acc_writer_begin_shard(w, i, err);
    return st;
}

/* Each shard's commit is atomic; a run killed between two shards' commits leaves each shard at
   one of its commits (the next run carries on, as after any kill). */
acc_status acc_writer_commit(acc_writer *w, acc_error *err)
{
    acc_status st = ACC_OK;
    for (unsigned i = 0; i < w->n && st == ACC_OK; i++)
        st = acc_writer_commit_shard(w, i, err);
    return st;
}

acc_status acc_writer_cancel(acc_writer *w, acc_error *err)
{
    acc_status st = ACC_OK;
    for (unsigned i = 0; i < w->n; i++) {
        acc_status one = acc_xap_wdb_cancel(w->w[i], err);
        if (st == ACC_OK)
            st = one;
    }
    return st == ACC_OK ? st : acc_error_prefix(err, st, "cannot cancel the transaction");
}

unsigned long acc_writer_doccount(acc_writer *w)
{
    unsigned long sum = 0;
    for (unsigned i = 0; i < w->n; i++) {
        unsigned long n = 0;
        if (acc_xap_db_doccount(acc_xap_wdb_reader(w->w[i]), &n, NULL) == ACC_OK)
            sum += n;
    }
    return sum;
}

/* Notes document idterm of shard s, whose text is stored without a dictionary. */
static void note_plain(acc_writer *w, unsigned s, const char *idterm)
{
    pthread_mutex_lock(&w->td_mu);
    if (w->td_started && w->td_nplain < TD_PLAIN_MAX) {
        if (w->td_nplain == w->td_plain_alloc) {
            w->td_plain_alloc = w->td_plain_alloc ? 2 * w->td_plain_alloc : 256;
            w->td_plain = acc_xrealloc(w->td_plain, w->td_plain_alloc * sizeof *w->td_plain);
            w->td_plain_shard =
                acc_xrealloc(w->td_plain_shard, w->td_plain_alloc * sizeof *w->td_plain_shard);
        }
        w->td_plain_shard[w->td_nplain] = s;
        w->td_plain[w->td_nplain++] = acc_xstrdup(idterm);
    }
    pthread_mutex_unlock(&w->td_mu);
}

acc_status acc_writer_write_shard(acc_writer *w, unsigned s, const acc_built_doc *x, int *replaced,
                                  acc_error *err)
{
    acc_status st =
        acc_xap_wdb_replace(w->w[s], x->idterm, strlen(x->idterm), x->doc, replaced, err);
    if (st != ACC_OK)
        acc_error_prefix(err, st, "cannot write document '%s'", x->idterm + 1);
    else if (w->td_started && acc_docstore_plain(x->doc))
        note_plain(w, s, x->idterm);
    return st;
}

acc_status acc_writer_write(acc_writer *w, const acc_built_doc *x, int *replaced, acc_error *err)
{
    return acc_writer_write_shard(w, acc_built_doc_shard(x, w->n), x, replaced, err);
}

acc_status acc_writer_delete(acc_writer *w, const char *id, acc_error *err)
{
    acc_buf t;
    acc_buf_init(&t, 0);
    acc_buf_printf(&t, "%s%s", ACC_PFX_ID, id);
    acc_status st = acc_xap_wdb_delete(w->w[acc_shard_of(id, strlen(id), w->n)], t.p, t.n, err);
    acc_buf_release(&t);
    if (st != ACC_OK)
        acc_error_prefix(err, st, "cannot delete document '%s'", id);
    return st;
}

acc_status acc_writer_get_meta(acc_writer *w, const char *key, char **value, acc_error *err)
{
    acc_buf v;
    acc_buf_init(&v, 0);
    acc_status st = acc_xap_wdb_get_meta(w->w[0], key, &v, err);
    if (st != ACC_OK) {
        acc_buf_release(&v);
        return acc_error_prefix(err, st, "cannot read index metadata");
    }
    *value = acc_buf_detach(&v, NULL);
    return ACC_OK;
}

acc_status acc_writer_store_topics(acc_writer *w, const acc_topics *vocab, acc_error *err)
{
    return acc_topic_matchers_store(vocab, w, err);
}

int acc_writer_completions_due(acc_writer *w, unsigned long changed)
{
    return acc_complete_due(w, changed);
}

acc_status acc_writer_completions(acc_writer *w, unsigned long *words, acc_error *err)
{
    acc_status st = acc_complete_build(w, words, err);
    return st == ACC_OK ? st : acc_error_prefix(err, st, "cannot build the completion table");
}

acc_status acc_writer_set_meta(acc_writer *w, const char *key, const char *value, acc_error *err)
{
    acc_status st = acc_xap_wdb_set_meta(w->w[0], key, value, err);
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
    acc_status st = ACC_OK;
    for (unsigned i = 0; i < w->n && st == ACC_OK; i++) {
        each_ctx e = {acc_xap_wdb_reader(w->w[i]), fn, ctx, ACC_OK, err};
        st = acc_xap_db_terms(e.db, ACC_PFX_ID, strlen(ACC_PFX_ID), 0, NULL, on_id, &e, err);
        if (st == ACC_OK)
            st = e.st;
    }
    if (st != ACC_OK)
        acc_error_prefix(err, st, "cannot list the documents of the index");
    return st;
}

/* ------------------------------------------------------------- text dictionary */

/* Bytes of text a dictionary is trained on: ACC_TEXTDICT_SAMPLE, or ACCORD_TEXTDICT_SAMPLE's
   (at least 64 KiB; for tests, whose collections are small: tests/indexer/kill_loop.py). */
static size_t sample_bytes(void)
{
    const char *e = getenv("ACCORD_TEXTDICT_SAMPLE");
    char *end;
    unsigned long v = e && *e ? strtoul(e, &end, 10) : 0;
    return v >= (64u << 10) && v <= (64ul << 20) && !*end ? (size_t)v : ACC_TEXTDICT_SAMPLE;
}

/* A chunk of text stored while the index has no dictionary (acc_docstore_sample): kept until
   there is enough, then a dictionary trained from them, in the thread that gave the last. */
static void on_text_sample(void *ctx, const char *p, size_t n)
{
    acc_writer *w = ctx;
    pthread_mutex_lock(&w->td_mu);
    if (!w->td_sampling) {
        pthread_mutex_unlock(&w->td_mu);
        return;
    }
    if (w->td_n == w->td_alloc) {
        w->td_alloc = w->td_alloc ? 2 * w->td_alloc : 1024;
        w->td_sizes = acc_xrealloc(w->td_sizes, w->td_alloc * sizeof *w->td_sizes);
    }
    acc_buf_append(&w->td_text, p, n);
    w->td_sizes[w->td_n++] = n;
    if (w->td_text.n < w->td_want) {
        pthread_mutex_unlock(&w->td_mu);
        return;
    }
    /* enough: trained outside the lock, from what was taken */
    w->td_sampling = 0;
    acc_buf text = w->td_text;
    size_t *sizes = w->td_sizes, n_samples = w->td_n;
    acc_buf_init(&w->td_text, 0);
    w->td_sizes = NULL;
    w->td_n = w->td_alloc = 0;
    pthread_mutex_unlock(&w->td_mu);
    acc_docstore_sample(NULL, NULL);
    acc_textdict *t = NULL;
    acc_error e;
    if (acc_textdict_train(text.p, sizes, n_samples, &t, &e) != ACC_OK)
        acc_log(ACC_LOG_WARN, "the stored text stays without a dictionary: %s", e.msg);
    acc_buf_release(&text);
    free(sizes);
    pthread_mutex_lock(&w->td_mu);
    w->td_pending = t;
    pthread_mutex_unlock(&w->td_mu);
}

acc_status acc_writer_textdict_start(acc_writer *w, acc_error *err)
{
    acc_buf v, first;
    acc_buf_init(&v, 0);
    acc_buf_init(&first, 0);
    acc_status st = ACC_OK;
    unsigned char *lacking = acc_xcalloc(w->n, 1);
    unsigned nlacking = 0;
    /* every shard's: a shard's transaction that stored it can have been killed before it
       committed while another shard's committed (with chunks made with it), and a new
       dictionary stored over it would leave those chunks unreadable */
    for (unsigned s = 0; s < w->n && st == ACC_OK; s++) {
        acc_buf_reset(&v);
        st = acc_xap_wdb_get_meta(w->w[s], ACC_TEXTDICT_KEY, &v, err);
        if (st == ACC_OK && !v.n)
            nlacking += lacking[s] = 1;
        else if (st == ACC_OK && !first.n)
            acc_buf_append(&first, v.p, v.n);
    }
    if (st == ACC_OK && first.n)
        st = acc_textdict_load(first.p, first.n, &w->td_active, err);
    /* the shards lacking it get it too, in their next transaction (acc_writer_textdict_step),
       so that each shard reads its own chunks */
    if (st == ACC_OK && w->td_active && nlacking)
        st = acc_textdict_load(first.p, first.n, &w->td_pending, err);
    acc_buf_release(&v);
    acc_buf_release(&first);
    if (st != ACC_OK) {
        free(lacking);
        return acc_error_prefix(err, st, "cannot read the text dictionary");
    }
    w->td_started = 1;
    if (w->td_active) {
        acc_docstore_use_dict(w->td_active);
        pthread_mutex_lock(&w->td_mu);
        for (unsigned s = 0; s < w->n; s++)
            lacking[s] = !lacking[s]; /* staged: those that have it */
        w->td_staged = lacking;
        w->td_nstaged = w->n - nlacking;
        pthread_mutex_unlock(&w->td_mu);
    } else {
        free(lacking);
        pthread_mutex_lock(&w->td_mu);
        w->td_sampling = 1;
        w->td_want = sample_bytes();
        w->td_staged = acc_xcalloc(w->n, 1);
        pthread_mutex_unlock(&w->td_mu);
        acc_docstore_sample(on_text_sample, w);
    }
    return ACC_OK;
}

acc_status acc_writer_textdict_step(acc_writer *w, unsigned s, acc_error *err)
{
    pthread_mutex_lock(&w->td_mu);
    acc_textdict *t = w->td_pending;
    int stage = t && !w->td_staged[s];
    pthread_mutex_unlock(&w->td_mu);
    if (!stage)
        return ACC_OK;
    /* into shard s's open transaction: committed with the documents made with it */
    size_t n;
    const char *p = acc_textdict_bytes(t, &n);
    acc_status st =
        acc_xap_wdb_set_meta_n(w->w[s], ACC_TEXTDICT_KEY, strlen(ACC_TEXTDICT_KEY), p, n, err);
    if (st != ACC_OK)
        return acc_error_prefix(err, st, "cannot store the text dictionary");
    pthread_mutex_lock(&w->td_mu);
    w->td_staged[s] = 1;
    if (++w->td_nstaged == w->n) {
        w->td_pending = NULL;
        if (w->td_active) {
            /* the index's own, put into the shards that lacked it */
            acc_textdict_free(t);
        } else {
            /* in every shard: documents use it from now on */
            w->td_active = t;
            acc_docstore_use_dict(t);
            acc_log(ACC_LOG_INFO,
                    "stored text: dictionary %08x (%zu bytes) trained on %zu KiB of it",
                    acc_textdict_id(t), n, w->td_want >> 10);
        }
    }
    pthread_mutex_unlock(&w->td_mu);
    return ACC_OK;
}

acc_status acc_writer_textdict_redo(acc_writer *w, unsigned long *n, acc_error *err)
{
    acc_status st = ACC_OK;
    *n = 0;
    pthread_mutex_lock(&w->td_mu);
    acc_textdict *t = w->td_active;
    pthread_mutex_unlock(&w->td_mu);
    for (size_t i = 0; t && st == ACC_OK && i < w->td_nplain; i++) {
        const unsigned s = w->td_plain_shard[i];
        const char *term = w->td_plain[i];
        acc_xap_db *r = acc_xap_wdb_reader(w->w[s]);
        unsigned docid = 0;
        acc_xap_doc *doc = NULL;
        size_t changed = 0;
        st = acc_xap_db_find(r, term, strlen(term), &docid, err);
        if (st != ACC_OK || !docid)
            continue; /* deleted since */
        /* read from the shard's own database and given back with only its values changed:
           Xapian replaces those alone */
        st = acc_xap_db_doc(r, docid, &doc, err);
        if (st == ACC_OK)
            st = acc_docstore_redo(doc, t, &changed, err);
        if (st == ACC_OK && changed) {
            st = acc_xap_wdb_replace(w->w[s], term, strlen(term), doc, NULL, err);
            *n += st == ACC_OK;
        }
        acc_xap_doc_free(doc);
        if (st != ACC_OK)
            acc_error_prefix(err, st, "cannot store document '%s' again with the text dictionary",
                             term + strlen(ACC_PFX_ID));
    }
    return st;
}

static void forget_plain(acc_writer *w)
{
    for (size_t i = 0; i < w->td_nplain; i++)
        free(w->td_plain[i]);
    free(w->td_plain);
    free(w->td_plain_shard);
    w->td_plain = NULL;
    w->td_plain_shard = NULL;
    w->td_nplain = w->td_plain_alloc = 0;
}

void acc_writer_textdict_stop(acc_writer *w)
{
    if (w->td_started) {
        acc_docstore_sample(NULL, NULL);
        acc_docstore_use_dict(NULL);
        w->td_started = 0;
    }
    pthread_mutex_lock(&w->td_mu);
    w->td_sampling = 0;
    acc_textdict_free(w->td_pending);
    acc_textdict_free(w->td_active);
    w->td_pending = w->td_active = NULL;
    free(w->td_staged);
    w->td_staged = NULL;
    w->td_nstaged = 0;
    acc_buf_release(&w->td_text);
    free(w->td_sizes);
    w->td_sizes = NULL;
    w->td_n = w->td_alloc = 0;
    forget_plain(w);
    pthread_mutex_unlock(&w->td_mu);
}
