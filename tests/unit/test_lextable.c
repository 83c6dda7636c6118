/*
 * The translation table's buckets (lib/lextable.c): every entry read back
 * through the index and listed; a table written again unchanged writes
 * nothing, a changed entry rewrites its bucket only, a table grown 4x gets
 * new buckets and a new dictionary; a small table has no dictionary; the
 * older layout (one key per entry) is read as it is and replaced by the
 * next write; a reader sees a rewritten table after a refresh; damaged
 * buckets, headers and dictionaries are ACC_EDB_CORRUPT, never a crash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "lexicon.h"
#include "lextable.h"
#include "reader.h"

static const fx_doc docs[] = {
    {.id = "d1", .lang = "en", .title = "One", .text = "Forests and rivers."},
    {.id = "d2", .lang = "fr", .title = "Deux", .text = "Les forêts et les rivières."},
};

static char db[1024];

static int setup(void **state)
{
    (void)state;
    if (fx_setup("lextable") != 0)
        return -1;
    fx_index("idx", docs, sizeof docs / sizeof docs[0], db, sizeof db);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return fx_teardown();
}

/* Entry i of a table of `n` (version v of its values): key and value. */
static void entry(unsigned i, unsigned v, acc_buf *k, acc_buf *val)
{
    static const char *const langs[] = {"en", "fr", "de", "nl"};
    static const char *const words[] = {"forest", "river", "water", "coast", "climate", "land"};
    acc_buf_reset(k);
    acc_buf_reset(val);
    acc_buf_printf(k, "L%s:%s%u", langs[i % 4], words[i % 6], i);
    acc_buf_printf(val, "de\tWald%u\t+wald%u\t%u\nnl\tbos %u\t=\t%u\n", i + v, i, i % 97, i,
                   (i * 7 + v) % 89);
}

/* Writes a table of entries [0, n) (version v; entry `skip` left out) into db. */
static acc_lex_written write_table(unsigned n, unsigned v, unsigned skip)
{
    acc_xap_wdb *w = NULL;
    acc_error err;
    acc_buf k, val;
    acc_lex_written out;
    acc_buf_init(&k, 0);
    acc_buf_init(&val, 0);
    acc_lex_table *t = acc_lex_table_new();
    for (unsigned i = 0; i < n; i++) {
        if (i == skip)
            continue;
        entry(i, v, &k, &val);
        acc_lex_table_add(t, k.p, k.n, val.p, val.n);
    }
    assert_int_equal(acc_xap_wdb_open(db, &w, &err), ACC_OK);
    assert_int_equal(acc_lex_table_write(t, w, &out, &err), ACC_OK);
    assert_int_equal(acc_xap_wdb_commit(w, &err), ACC_OK);
    acc_xap_wdb_close(w);
    acc_lex_table_free(t);
    acc_buf_release(&k);
    acc_buf_release(&val);
    return out;
}

/* Every entry [0, n) of version v reads back (entry skip reads ""), and a key never written
   reads "". */
static void check_reads(acc_index *x, unsigned n, unsigned v, unsigned skip)
{
    acc_error err;
    acc_buf k, val, got;
    acc_buf_init(&k, 0);
    acc_buf_init(&val, 0);
    acc_buf_init(&got, 0);
    for (unsigned i = 0; i < n; i++) {
        entry(i, v, &k, &val);
        acc_buf_reset(&got);
        assert_int_equal(acc_lex_get(x, k.p, k.n, &got, &err), ACC_OK);
        if (i == skip) {
            assert_int_equal(got.n, 0);
        } else {
            assert_int_equal(got.n, val.n);
            assert_memory_equal(got.p, val.p, val.n);
        }
    }
    acc_buf_reset(&got);
    assert_int_equal(acc_lex_get(x, "Len:nowhere", 11, &got, &err), ACC_OK);
    assert_int_equal(got.n, 0);
    acc_buf_reset(&got);
    assert_int_equal(acc_lex_get(x, "Lmeta", 5, &got, &err), ACC_OK); /* not an entry */
    assert_int_equal(got.n, 0);
    acc_buf_release(&k);
    acc_buf_release(&val);
    acc_buf_release(&got);
}

typedef struct count_ctx {
    unsigned long n, bytes;
} count_ctx;

static int on_entry(void *ctx, const char *k, size_t kn, const char *v, size_t vn)
{
    count_ctx *c = ctx;
    assert_true(kn > 1 && k[0] == 'L');
    assert_true(vn == 0 || v[vn - 1] == '\n');
    c->n++;
    c->bytes += kn + vn;
    return 0;
}

static unsigned long listed(acc_lex_written *expect_bytes)
{
    acc_xap_wdb *w = NULL;
    acc_error err;
    count_ctx c = {0, 0};
    assert_int_equal(acc_xap_wdb_open(db, &w, &err), ACC_OK);
    assert_int_equal(acc_lex_each(w, on_entry, &c, &err), ACC_OK);
    acc_xap_wdb_close(w);
    if (expect_bytes)
        assert_int_equal(c.bytes, expect_bytes->bytes);
    return c.n;
}

/* The store's keys under "L" that are entries of the older layout (a colon). */
static int on_key(void *ctx, const char *k, size_t kn, const char *v, size_t vn)
{
    (void)v;
    (void)vn;
    unsigned long *n = ctx;
    *n += memchr(k, ':', kn) != NULL;
    return 0;
}

static unsigned long older_keys(void)
{
    acc_xap_wdb *w = NULL;
    acc_error err;
    unsigned long n = 0;
    assert_int_equal(acc_xap_wdb_open(db, &w, &err), ACC_OK);
    assert_int_equal(acc_xap_wdb_meta_each(w, "L", 1, on_key, &n, &err), ACC_OK);
    acc_xap_wdb_close(w);
    return n;
}

static void writes_reads_and_rewrites_little(void **state)
{
    (void)state;
    acc_error err;
    acc_lex_written w = write_table(6000, 0, (unsigned)-1);
    assert_true(w.retrained);
    assert_int_equal(w.buckets, w.bytes / ACC_LEX_BUCKET_TARGET);
    assert_true(w.bytes > 300000);
    assert_true(w.stored < w.bytes / 2);        /* compressed, with the dictionary */
    assert_int_equal(w.written, w.buckets + 2); /* every bucket, the dictionary, the header */
    assert_int_equal(listed(&w), 6000);

    acc_index *x = NULL;
    assert_int_equal(acc_index_open(db, &x, &err), ACC_OK);
    assert_int_equal(acc_index_refresh(x, &err), ACC_OK);
    check_reads(x, 6000, 0, (unsigned)-1);

    /* the same table: nothing written */
    acc_lex_written again = write_table(6000, 0, (unsigned)-1);
    assert_false(again.retrained);
    assert_int_equal(again.written, 0);
    assert_int_equal(again.stored, w.stored);

    /* entry 17 changed, entry 4000 gone: their buckets only */
    acc_xap_wdb *wd = NULL;
    acc_buf k, val;
    acc_buf_init(&k, 0);
    acc_buf_init(&val, 0);
    acc_lex_table *t = acc_lex_table_new();
    for (unsigned i = 0; i < 6000; i++) {
        if (i == 4000)
            continue;
        entry(i, i == 17 ? 1 : 0, &k, &val);
        acc_lex_table_add(t, k.p, k.n, val.p, val.n);
    }
    acc_lex_written some;
    assert_int_equal(acc_xap_wdb_open(db, &wd, &err), ACC_OK);
    assert_int_equal(acc_lex_table_write(t, wd, &some, &err), ACC_OK);
    assert_int_equal(acc_xap_wdb_commit(wd, &err), ACC_OK);
    acc_xap_wdb_close(wd);
    acc_lex_table_free(t);
    assert_false(some.retrained);
    assert_true(some.written >= 1 && some.written <= 2);

    /* the reader sees the new table after a refresh */
    assert_int_equal(acc_index_refresh(x, &err), ACC_OK);
    acc_buf got;
    acc_buf_init(&got, 0);
    entry(17, 1, &k, &val);
    assert_int_equal(acc_lex_get(x, k.p, k.n, &got, &err), ACC_OK);
    assert_int_equal(got.n, val.n);
    assert_memory_equal(got.p, val.p, val.n);
    acc_buf_reset(&got);
    entry(4000, 0, &k, &val);
    assert_int_equal(acc_lex_get(x, k.p, k.n, &got, &err), ACC_OK);
    assert_int_equal(got.n, 0);
    acc_buf_release(&got);
    acc_buf_release(&k);
    acc_buf_release(&val);

    /* 4x the entries: new buckets and dictionary, all of it rewritten */
    acc_lex_written big = write_table(30000, 0, (unsigned)-1);
    assert_true(big.retrained);
    assert_true(big.buckets > 4 * w.buckets);
    assert_int_equal(acc_index_refresh(x, &err), ACC_OK);
    check_reads(x, 30000, 0, (unsigned)-1);
    assert_int_equal(listed(&big), 30000);
    acc_index_close(x);
}

static void small_table_has_no_dictionary(void **state)
{
    (void)state;
    acc_error err;
    /* a reader that used the larger table's dictionary, then refreshed to the small table */
    acc_index *y = NULL;
    assert_int_equal(acc_index_open(db, &y, &err), ACC_OK);
    check_reads(y, 30000, 0, (unsigned)-1);
    acc_lex_written w = write_table(40, 3, 5);
    assert_true(w.retrained);
    assert_int_equal(w.buckets,
                     w.bytes / ACC_LEX_BUCKET_TARGET ? w.bytes / ACC_LEX_BUCKET_TARGET : 1);
    assert_int_equal(acc_index_refresh(y, &err), ACC_OK);
    check_reads(y, 40, 3, 5);
    acc_index_close(y);
    acc_index *x = NULL;
    assert_int_equal(acc_index_open(db, &x, &err), ACC_OK);
    check_reads(x, 40, 3, 5);
    acc_index_close(x);
    acc_xap_wdb *wd = NULL;
    acc_buf v;
    acc_buf_init(&v, 0);
    assert_int_equal(acc_xap_wdb_open(db, &wd, &err), ACC_OK);
    assert_int_equal(acc_xap_wdb_get_meta(wd, ACC_LEX_DICT_KEY, &v, &err), ACC_OK);
    assert_int_equal(v.n, 0); /* the larger table's dictionary was deleted */
    acc_xap_wdb_close(wd);
    acc_buf_release(&v);
    assert_int_equal(listed(&w), 39);
}

/* An index of the older layout: one key per entry, no header. */
static void older_layout_read_then_replaced(void **state)
{
    (void)state;
    acc_error err;
    acc_xap_wdb *w = NULL;
    acc_buf k, val;
    acc_buf_init(&k, 0);
    acc_buf_init(&val, 0);
    write_table(40, 0, (unsigned)-1);
    assert_int_equal(acc_xap_wdb_open(db, &w, &err), ACC_OK);
    /* what an older accord left: the entries as keys, no buckets */
    assert_int_equal(acc_xap_wdb_set_meta(w, ACC_LEX_BUCKETS_KEY, "", &err), ACC_OK);
    assert_int_equal(acc_xap_wdb_set_meta(w, ACC_LEX_DICT_KEY, "", &err), ACC_OK);
    for (unsigned b = 0; b < 64; b++) {
        char key[32];
        snprintf(key, sizeof key, "%s%x", ACC_LEX_BUCKET_PREFIX, b);
        assert_int_equal(acc_xap_wdb_set_meta(w, key, "", &err), ACC_OK);
    }
    for (unsigned i = 0; i < 300; i++) {
        entry(i, 2, &k, &val);
        assert_int_equal(acc_xap_wdb_set_meta_n(w, k.p, k.n, val.p, val.n, &err), ACC_OK);
    }
    assert_int_equal(acc_xap_wdb_commit(w, &err), ACC_OK);
    acc_xap_wdb_close(w);
    assert_int_equal(older_keys(), 300);
    assert_int_equal(listed(NULL), 300);

    acc_index *x = NULL;
    assert_int_equal(acc_index_open(db, &x, &err), ACC_OK);
    check_reads(x, 300, 2, (unsigned)-1);

    /* the next write replaces them */
    acc_lex_written wr = write_table(300, 2, (unsigned)-1);
    assert_true(wr.retrained);
    assert_int_equal(older_keys(), 0);
    assert_int_equal(listed(&wr), 300);
    assert_int_equal(acc_index_refresh(x, &err), ACC_OK);
    check_reads(x, 300, 2, (unsigned)-1);
    acc_index_close(x);
    acc_buf_release(&k);
    acc_buf_release(&val);
}

/* Sets key to value (length n) in db and commits. */
static void set_meta(const char *key, const char *value, size_t n)
{
    acc_xap_wdb *w = NULL;
    acc_error err;
    assert_int_equal(acc_xap_wdb_open(db, &w, &err), ACC_OK);
    assert_int_equal(acc_xap_wdb_set_meta_n(w, key, strlen(key), value, n, &err), ACC_OK);
    assert_int_equal(acc_xap_wdb_commit(w, &err), ACC_OK);
    acc_xap_wdb_close(w);
}

/* The status of looking up every entry [0, n): the first that is not ACC_OK, else ACC_OK. */
static acc_status lookup_all(unsigned n)
{
    acc_error err;
    acc_index *x = NULL;
    acc_buf k, val, got;
    acc_status st = ACC_OK;
    acc_buf_init(&k, 0);
    acc_buf_init(&val, 0);
    acc_buf_init(&got, 0);
    assert_int_equal(acc_index_open(db, &x, &err), ACC_OK);
    for (unsigned i = 0; i < n && st == ACC_OK; i++) {
        entry(i, 0, &k, &val);
        acc_buf_reset(&got);
        st = acc_lex_get(x, k.p, k.n, &got, &err);
    }
    acc_index_close(x);
    acc_buf_release(&k);
    acc_buf_release(&val);
    acc_buf_release(&got);
    return st;
}

static void damage_is_corrupt(void **state)
{
    (void)state;
    acc_error err;
    acc_lex_written w = write_table(6000, 0, (unsigned)-1);
    assert_int_equal(lookup_all(6000), ACC_OK);

    /* a bucket: garbage, a frame cut short, the header byte only */
    acc_xap_wdb *wd = NULL;
    acc_buf v, key;
    acc_buf_init(&v, 0);
    acc_buf_init(&key, 0);
    acc_buf_printf(&key, "%s0", ACC_LEX_BUCKET_PREFIX);
    assert_int_equal(acc_xap_wdb_open(db, &wd, &err), ACC_OK);
    assert_int_equal(acc_xap_wdb_get_meta(wd, key.p, &v, &err), ACC_OK);
    acc_xap_wdb_close(wd);
    assert_true(v.n > 10);
    set_meta(key.p, v.p, v.n - 3);
    assert_int_equal(lookup_all(6000), ACC_EDB_CORRUPT);
    set_meta(key.p, "\x01", 1);
    assert_int_equal(lookup_all(6000), ACC_EDB_CORRUPT);
    set_meta(key.p, "not a bucket at all", 19);
    assert_int_equal(lookup_all(6000), ACC_EDB_CORRUPT);
    /* another dictionary's bucket */
    acc_buf_reset(&key);
    v.p[1] ^= 0x55;
    acc_buf_printf(&key, "%s0", ACC_LEX_BUCKET_PREFIX);
    set_meta(key.p, v.p, v.n);
    assert_int_equal(lookup_all(6000), ACC_EDB_CORRUPT);
    v.p[1] ^= 0x55;
    set_meta(key.p, v.p, v.n);
    assert_int_equal(lookup_all(6000), ACC_OK);

    /* the header and the dictionary */
    set_meta(ACC_LEX_BUCKETS_KEY, "accord-lex 1 zero", 17);
    assert_int_equal(lookup_all(10), ACC_EDB_CORRUPT);
    write_table(6000, 0, (unsigned)-1);
    set_meta(ACC_LEX_DICT_KEY, "not a dictionary", 16);
    assert_int_equal(lookup_all(10), ACC_EDB_CORRUPT);
    {
        acc_xap_wdb *w2 = NULL;
        count_ctx c = {0, 0};
        assert_int_equal(acc_xap_wdb_open(db, &w2, &err), ACC_OK);
        assert_int_equal(acc_lex_each(w2, on_entry, &c, &err), ACC_EDB_CORRUPT);
        acc_xap_wdb_close(w2);
    }
    /* the next write mends it: a damaged dictionary is not reused */
    acc_lex_written again = write_table(6000, 0, (unsigned)-1);
    assert_true(again.retrained);
    assert_int_equal(again.stored, w.stored);
    assert_int_equal(lookup_all(6000), ACC_OK);
    acc_buf_release(&v);
    acc_buf_release(&key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(writes_reads_and_rewrites_little),
        cmocka_unit_test(small_table_has_no_dictionary),
        cmocka_unit_test(older_layout_read_then_replaced),
        cmocka_unit_test(damage_is_corrupt),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
