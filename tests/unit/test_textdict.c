/*
 * The stored text's dictionary (lib/docstore.c, lib/writer.c, lib/reader.c): a writer of an
 * index without one samples the text of the documents it writes, trains a dictionary once it
 * has ACC_TEXTDICT_SAMPLE bytes, puts it into the open transaction, and compresses with it;
 * every text reads back the same, before and after; the documents written before it are
 * stored again with it at the end of the run; a writer opened again uses the stored one; a small
 * collection keeps its text without one; a chunk whose dictionary the index lacks, or a damaged
 * dictionary, is ACC_EDB_CORRUPT; indexes built apart, each with its own dictionary, are read as
 * one (the dictionary found in the shard that has it); a shard that lost the dictionary another
 * shard has gets it back, and no other is trained over it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zstd.h>

#include "accord/schema.h"
#include "docstore.h"
#include "fixture.h"
#include "lexicon.h"
#include "reader.h"
#include "xap.h"

/* documents of this many bytes: enough of them pass ACC_TEXTDICT_SAMPLE */
#define DOC_BYTES (96u << 10)
#define NDOCS (ACC_TEXTDICT_SAMPLE / DOC_BYTES + 4)

/* Text i: sentences of a small vocabulary in a pseudo-random order (seed s), n bytes. */
static char *make_text(unsigned i, unsigned s, size_t n)
{
    static const char *const words[] = {
        "the",        "parties",  "shall",        "reduce",     "emissions", "of",
        "greenhouse", "gases",    "by",           "2030",       "and",       "protect",
        "forests",    "wetlands", "biodiversity", "adaptation", "finance",   "developing",
        "countries",  "article",  "agreement",    "climate",    "change",    "national"};
    char *t = malloc(n + 1);
    unsigned long long x = 0x9E3779B97F4A7C15ull * (i + 1) + s;
    size_t k = 0;
    assert_non_null(t);
    while (k < n) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        const char *w = words[(x >> 33) % (sizeof words / sizeof words[0])];
        size_t wn = strlen(w);
        if (k + wn + 2 > n)
            break;
        memcpy(t + k, w, wn);
        k += wn;
        t[k++] = (x >> 20) % 11 == 0 ? '\n' : ' ';
    }
    while (k < n)
        t[k++] = ' ';
    t[n] = '\0';
    return t;
}

/* Document d<i> of an index (its texts made with seed s). */
static void put(acc_writer *w, unsigned i, unsigned s)
{
    char id[32];
    char *text = make_text(i, s, DOC_BYTES);
    snprintf(id, sizeof id, "d%u", i);
    fx_doc d = {.id = id, .lang = "en", .title = "A document", .text = text};
    fx_put(w, &d, NULL);
    free(text);
}

/* Document d<i> of x (caller frees). */
static acc_xap_doc *doc_of(acc_index *x, unsigned i)
{
    char term[64];
    unsigned docid = 0;
    acc_xap_doc *doc = NULL;
    acc_error err;
    snprintf(term, sizeof term, "%sd%u", ACC_PFX_ID, i);
    assert_int_equal(acc_xap_db_find(x->db, term, strlen(term), &docid, &err), ACC_OK);
    assert_true(docid != 0);
    assert_int_equal(acc_xap_db_doc(x->db, docid, &doc, &err), ACC_OK);
    return doc;
}

/* The id of the dictionary document d<i>'s chunk k was made with (0: none); -1: no chunk. */
static long chunk_dict(acc_index *x, unsigned i, unsigned k)
{
    acc_xap_doc *doc = doc_of(x, i);
    acc_buf v;
    acc_error err;
    acc_buf_init(&v, 0);
    assert_int_equal(acc_xap_doc_value(doc, ACC_SLOT_TEXT + k, &v, &err), ACC_OK);
    long id = v.n ? (long)ZSTD_getDictID_fromFrame(v.p, v.n) : -1;
    acc_buf_release(&v);
    acc_xap_doc_free(doc);
    return id;
}

/* d<i>'s whole text read back through x equals its text (seed s). */
static void text_is(acc_index *x, unsigned i, unsigned s)
{
    acc_xap_doc *doc = doc_of(x, i);
    acc_buf rec, text;
    acc_error err;
    acc_buf_init(&rec, 0);
    acc_buf_init(&text, 0);
    if (acc_docstore_read(doc, x, &rec, &text, &err) != ACC_OK)
        fail_msg("d%u: %s", i, err.msg);
    char *want = make_text(i, s, DOC_BYTES);
    assert_int_equal(text.n, DOC_BYTES);
    if (memcmp(text.p, want, DOC_BYTES) != 0)
        fail_msg("d%u reads back different", i);
    free(want);
    acc_buf_release(&rec);
    acc_buf_release(&text);
    acc_xap_doc_free(doc);
}

static acc_index *open_index(const char *path)
{
    acc_index *x = NULL;
    acc_error err;
    if (acc_index_open(path, &x, &err) != ACC_OK)
        fail_msg("%s", err.msg);
    return x;
}

/* The stored dictionary of path (0: none). */
static unsigned stored_dict(const char *path)
{
    acc_index *x = open_index(path);
    acc_buf v;
    acc_error err;
    acc_buf_init(&v, 0);
    assert_int_equal(
        acc_xap_db_get_meta(x->db, ACC_TEXTDICT_KEY, strlen(ACC_TEXTDICT_KEY), &v, &err), ACC_OK);
    acc_textdict *t = NULL;
    unsigned id = 0;
    if (v.n) {
        assert_int_equal(acc_textdict_load(v.p, v.n, &t, &err), ACC_OK);
        id = acc_textdict_id(t);
        acc_textdict_free(t);
    }
    acc_buf_release(&v);
    acc_index_close(x);
    return id;
}

/* How many documents the last write_docs stored again with the dictionary. */
static unsigned long redone;

/* Documents d<from>..d<to - 1> (seed s) written with w as accord-index does: each shard's
   dictionary step after each document, and at the end; the documents written before the
   dictionary stored again with it; committed. */
static void write_docs(acc_writer *w, unsigned from, unsigned to, unsigned s)
{
    acc_error err;
    const unsigned shards = acc_writer_nshards(w);
    assert_int_equal(acc_writer_textdict_start(w, &err), ACC_OK);
    for (unsigned i = from; i <= to; i++) {
        if (i < to)
            put(w, i, s);
        for (unsigned k = 0; k < shards; k++)
            if (acc_writer_textdict_step(w, k, &err) != ACC_OK)
                fail_msg("%s", err.msg);
    }
    if (acc_writer_textdict_redo(w, &redone, &err) != ACC_OK)
        fail_msg("%s", err.msg);
    acc_writer_textdict_stop(w);
    assert_int_equal(acc_writer_commit(w, &err), ACC_OK);
}

/* An index of n documents (seed s) written as accord-index does. */
static void build(const char *name, unsigned n, unsigned s, char *path, size_t plen)
{
    acc_writer *w = NULL;
    acc_error err;
    fx_path(path, plen, name);
    assert_int_equal(acc_writer_open(path, &w, &err), ACC_OK);
    write_docs(w, 0, n, s);
    acc_writer_close(w);
}

static int setup(void **state)
{
    (void)state;
    return fx_setup("textdict");
}

static int teardown(void **state)
{
    (void)state;
    return fx_teardown();
}

static void test_trained_stored_then_used(void **state)
{
    char path[1024];
    (void)state;
    build("big", NDOCS, 1, path, sizeof path);
    unsigned id = stored_dict(path);
    assert_true(id != 0);
    acc_index *x = open_index(path);
    /* the first documents were written before the dictionary, then stored again with it: every
       chunk of every document has it, and reads back; their words are still found */
    assert_true(redone >= ACC_TEXTDICT_SAMPLE / DOC_BYTES && redone < NDOCS);
    for (unsigned i = 0; i < NDOCS; i++) {
        for (unsigned k = 0; k < DOC_BYTES / ACC_TEXT_CHUNK - 1; k++)
            if (chunk_dict(x, i, k) != (long)id)
                fail_msg("d%u chunk %u: dictionary %lx", i, k, (unsigned long)chunk_dict(x, i, k));
        text_is(x, i, 1);
    }
    unsigned long tf = 0;
    acc_error e;
    assert_int_equal(acc_xap_db_termfreq(x->db, "parties", 7, &tf, &e), ACC_OK);
    assert_int_equal(tf, NDOCS);
    acc_index_close(x);

    /* opened again: the stored dictionary, from the first document on */
    acc_writer *w = NULL;
    acc_error err;
    assert_int_equal(acc_writer_open(path, &w, &err), ACC_OK);
    assert_int_equal(acc_writer_textdict_start(w, &err), ACC_OK);
    put(w, NDOCS, 1);
    assert_int_equal(acc_writer_textdict_step(w, 0, &err), ACC_OK);
    acc_writer_textdict_stop(w);
    assert_int_equal(acc_writer_commit(w, &err), ACC_OK);
    acc_writer_close(w);
    assert_int_equal(stored_dict(path), id);
    x = open_index(path);
    assert_int_equal(chunk_dict(x, NDOCS, 0), (long)id);
    text_is(x, NDOCS, 1);

    /* without the index, or with another that lacks it: ACC_EDB_CORRUPT, naming it */
    acc_xap_doc *doc = doc_of(x, NDOCS);
    acc_buf out;
    int found = -1;
    acc_buf_init(&out, 0);
    assert_int_equal(acc_docstore_chunk(doc, 0, NULL, &out, &found, &err), ACC_EDB_CORRUPT);
    char hex[16];
    snprintf(hex, sizeof hex, "%08x", id);
    assert_non_null(strstr(err.msg, hex));
    static const fx_doc small[] = {{.id = "s", .lang = "en", .title = "S", .text = "Short."}};
    acc_index *other = fx_open("small", small, 1);
    assert_int_equal(acc_docstore_chunk(doc, 0, other, &out, &found, &err), ACC_EDB_CORRUPT);
    assert_non_null(strstr(err.msg, hex));
    acc_index_close(other);
    acc_buf_release(&out);
    acc_xap_doc_free(doc);
    acc_index_close(x);
}

static void test_small_collection_none(void **state)
{
    char path[1024];
    (void)state;
    build("few", 3, 2, path, sizeof path);
    assert_int_equal(stored_dict(path), 0);
    acc_index *x = open_index(path);
    for (unsigned i = 0; i < 3; i++) {
        assert_int_equal(chunk_dict(x, i, 0), 0);
        text_is(x, i, 2);
    }
    acc_index_close(x);
}

/* Two indexes built apart, each trained on its own text, read as one. */
static void test_indexes_built_apart(void **state)
{
    char a[1024], b[1024];
    (void)state;
    build("apart-a", NDOCS, 3, a, sizeof a);
    fx_path(b, sizeof b, "apart-b");
    /* b: its own dictionary, from other text, and documents of other ids */
    {
        acc_writer *w = NULL;
        acc_error err;
        size_t *sizes = calloc(600, sizeof *sizes);
        char *sample = malloc(600 * 4096);
        assert_non_null(sizes);
        assert_non_null(sample);
        for (unsigned k = 0; k < 600; k++) {
            char *t = make_text(k + 1000, 9, 4096);
            memcpy(sample + (size_t)k * 4096, t, 4096);
            sizes[k] = 4096;
            free(t);
        }
        acc_textdict *t = NULL;
        assert_int_equal(acc_textdict_train(sample, sizes, 600, &t, &err), ACC_OK);
        free(sample);
        free(sizes);
        assert_int_equal(acc_writer_open(b, &w, &err), ACC_OK);
        size_t n;
        const char *p = acc_textdict_bytes(t, &n);
        assert_int_equal(acc_xap_wdb_set_meta_n(acc_writer_xap(w), ACC_TEXTDICT_KEY,
                                                strlen(ACC_TEXTDICT_KEY), p, n, &err),
                         ACC_OK);
        acc_docstore_use_dict(t);
        put(w, NDOCS + 100, 3);
        acc_docstore_use_dict(NULL);
        assert_int_equal(acc_writer_commit(w, &err), ACC_OK);
        acc_writer_close(w);
        acc_textdict_free(t);
    }
    unsigned ida = stored_dict(a), idb = stored_dict(b);
    assert_true(ida && idb && ida != idb);
    const char *both[] = {a, b};
    acc_index *x = NULL;
    acc_error err;
    assert_int_equal(acc_index_open_many(both, 2, &x, &err), ACC_OK);
    assert_int_equal(chunk_dict(x, NDOCS + 100, 0), (long)idb);
    text_is(x, NDOCS + 100, 3);
    text_is(x, NDOCS - 1, 3);
    acc_index_close(x);
}

/*
 * One shard with the dictionary, the other without (its transaction that stored it killed
 * before it committed, while the other's committed with chunks made with it): the next writer
 * uses the stored one and puts it into the shard lacking it, rather than training another
 * over it, which would leave the first shard's chunks unreadable.
 */
static void test_shard_lacking_dictionary(void **state)
{
    char path[1024], shard[2][1100];
    acc_writer *w = NULL;
    acc_error err;
    (void)state;
    fx_path(path, sizeof path, "lacking");
    assert_int_equal(acc_writer_open_sharded(path, 2, &w, &err), ACC_OK);
    write_docs(w, 0, 2 * NDOCS, 5);
    acc_writer_close(w);
    for (int k = 0; k < 2; k++)
        snprintf(shard[k], sizeof shard[k], "%s/shard%02d", path, k);
    const unsigned id = stored_dict(shard[1]);
    assert_true(id != 0);
    acc_xap_wdb *raw = NULL;
    assert_int_equal(acc_xap_wdb_open(shard[0], &raw, &err), ACC_OK);
    assert_int_equal(
        acc_xap_wdb_set_meta_n(raw, ACC_TEXTDICT_KEY, strlen(ACC_TEXTDICT_KEY), "", 0, &err),
        ACC_OK);
    assert_int_equal(acc_xap_wdb_commit(raw, &err), ACC_OK);
    acc_xap_wdb_close(raw);
    assert_int_equal(stored_dict(shard[0]), 0);
    /* enough new text to train another dictionary, were one trained */
    assert_int_equal(acc_writer_open(path, &w, &err), ACC_OK);
    write_docs(w, 2 * NDOCS, 3 * NDOCS, 5);
    acc_writer_close(w);
    assert_int_equal(stored_dict(shard[1]), id);
    assert_int_equal(stored_dict(shard[0]), id);
    acc_index *x = open_index(path);
    long used = 0;
    for (unsigned i = 0; i < 3 * NDOCS; i++) {
        text_is(x, i, 5);
        used += chunk_dict(x, i, 0) == (long)id;
    }
    assert_true(used > NDOCS); /* the new documents, and the last ones of the first run */
    acc_index_close(x);
}

static void test_damaged_dictionary(void **state)
{
    char path[1024];
    acc_writer *w = NULL;
    acc_error err;
    (void)state;
    build("damaged", NDOCS, 4, path, sizeof path);
    unsigned id = stored_dict(path);
    assert_true(id != 0);
    assert_int_equal(acc_writer_open(path, &w, &err), ACC_OK);
    assert_int_equal(acc_writer_set_meta(w, ACC_TEXTDICT_KEY, "not a dictionary", &err), ACC_OK);
    assert_int_equal(acc_writer_commit(w, &err), ACC_OK);
    /* the writer will not go on with it */
    assert_int_equal(acc_writer_textdict_start(w, &err), ACC_EDB_CORRUPT);
    acc_writer_textdict_stop(w);
    acc_writer_close(w);
    acc_index *x = open_index(path);
    acc_xap_doc *doc = doc_of(x, NDOCS - 1);
    acc_buf rec, text;
    acc_buf_init(&rec, 0);
    acc_buf_init(&text, 0);
    assert_int_equal(acc_docstore_read(doc, x, &rec, &text, &err), ACC_EDB_CORRUPT);
    acc_xap_doc_free(doc);
    /* so do those written before it: they were stored again with it */
    doc = doc_of(x, 0);
    assert_int_equal(acc_docstore_read(doc, x, &rec, &text, &err), ACC_EDB_CORRUPT);
    acc_buf_release(&rec);
    acc_buf_release(&text);
    acc_xap_doc_free(doc);
    acc_index_close(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trained_stored_then_used),
        cmocka_unit_test(test_small_collection_none),
        cmocka_unit_test(test_indexes_built_apart),
        cmocka_unit_test(test_damaged_dictionary),
        cmocka_unit_test(test_shard_lacking_dictionary),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
