/*
 * lib/reader.c (lib/reader.h, include/accord/index.h) on small temporary
 * indexes: one index and its revision as commits come; Xapian stub files
 * (`auto` lines relative to the stub, comments, opened by a relative path)
 * and several indexes opened together, searched as one, their revision the
 * sum of theirs; errors naming the path; the index's languages (byte order,
 * as of the last refresh); the per-language parsers (fields, filters, year
 * ranges, the wildcard bound); acc_index_top_terms (most frequent first,
 * ties in byte order, accept, max_scan, keep); the statistics and their JSON.
 */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "accord/schema.h"
#include "fixture.h"
#include "reader.h"
#include "termgen.h"

static char dir_a[512], dir_b[512], stub[512];

/* zza in 1 document, zzb 3, zzc 2, zzd 3, zze 3 over both shards */
static const fx_doc docs_a[] = {
    {.id = "a1", .lang = "en", .type = "treaty", .text = "zzb zzd zze", .topics = {"climate"}},
    {.id = "a2", .lang = "fr", .type = "Treaty", .text = "zzb zzc zzd zze"},
};
static const fx_doc docs_b[] = {
    {.id = "b1",
     .lang = "de",
     .type = "protocol",
     .text = "zzb zzc zzd zze",
     .topics = {"climate", "water"}},
    {.id = "b2", .text = "zza"},
};

static int setup(void **state)
{
    (void)state;
    if (fx_setup("reader") != 0)
        return -1;
    fx_index("a.db", docs_a, 2, dir_a, sizeof dir_a);
    fx_index("b.db", docs_b, 2, dir_b, sizeof dir_b);
    fx_write_file("both.stub", "# the two shards\n\nauto a.db\nauto b.db\n", stub, sizeof stub);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return fx_teardown();
}

static acc_index *open_path(const char *path)
{
    acc_index *x = NULL;
    acc_error err;
    if (acc_index_open(path, &x, &err) != ACC_OK)
        fail_msg("%s", err.msg);
    return x;
}

static void stats(acc_index *x, unsigned long docs, unsigned long rev)
{
    unsigned long d = 0, r = 0;
    acc_error err;
    assert_int_equal(acc_index_stats(x, &d, &r, &err), ACC_OK);
    assert_int_equal(d, docs);
    assert_int_equal(r, rev);
    assert_int_equal(acc_index_stats(x, NULL, NULL, &err), ACC_OK);
}

/* Adds a document to the index at path and commits. */
static void add(const char *path, const char *id, const char *lang)
{
    acc_writer *w = NULL;
    acc_error err;
    fx_doc d = {.id = id, .lang = lang, .text = "added"};
    assert_int_equal(acc_writer_open(path, &w, &err), ACC_OK);
    fx_put(w, &d, NULL);
    assert_int_equal(acc_writer_commit(w, &err), ACC_OK);
    acc_writer_close(w);
}

/* The writer's "updatable" key of the database at path ("" when absent). */
static void updatable(const char *path, acc_buf *v)
{
    acc_xap_wdb *w = NULL;
    acc_error err;
    acc_buf_reset(v);
    assert_int_equal(acc_xap_wdb_open(path, &w, &err), ACC_OK);
    assert_int_equal(acc_xap_wdb_get_meta(w, "accord.updatable", v, &err), ACC_OK);
    acc_xap_wdb_close(w);
}

/*
 * An index written by an accord before the "updatable" key (whose full builds were compacted
 * with Xapian's fuller compaction, which Xapian 1.4.22 cannot update: lib/writer.c) is
 * rewritten once when next opened for writing, keeps its documents, and is marked; a new
 * index is marked with its first commit, without a commit of its own.
 */
static void test_older_index_rewritten(void **state)
{
    char path[512], tmp[600];
    acc_xap_wdb *w = NULL;
    acc_error err;
    acc_buf v;
    (void)state;
    acc_buf_init(&v, 0);
    fx_index("older.db", docs_a, 2, path, sizeof path);
    updatable(path, &v);
    assert_true(v.n == 1 && v.p[0] == '1');
    acc_index *x = open_path(path);
    stats(x, 2, 1);
    acc_index_close(x);
    /* as an older accord left it: no key */
    assert_int_equal(acc_xap_wdb_open(path, &w, &err), ACC_OK);
    assert_int_equal(acc_xap_wdb_set_meta(w, "accord.updatable", "", &err), ACC_OK);
    assert_int_equal(acc_xap_wdb_commit(w, &err), ACC_OK);
    acc_xap_wdb_close(w);
    updatable(path, &v);
    assert_int_equal(v.n, 0);
    /* opened for writing: rewritten, marked, the documents kept, then updated as usual */
    add(path, "s3", "en");
    updatable(path, &v);
    assert_true(v.n == 1 && v.p[0] == '1');
    snprintf(tmp, sizeof tmp, "%s.compacting", path);
    assert_int_not_equal(access(tmp, F_OK), 0);
    x = open_path(path);
    unsigned long d = 0, r = 0;
    assert_int_equal(acc_index_stats(x, &d, &r, &err), ACC_OK);
    assert_int_equal(d, 3);
    acc_index_close(x);
    /* marked now: the next writer rewrites nothing (the revision moves by its one commit) */
    add(path, "s4", "en");
    x = open_path(path);
    stats(x, 4, r + 1);
    acc_index_close(x);
    acc_buf_release(&v);
}

static void test_one_index(void **state)
{
    char path[512];
    (void)state;
    fx_index("solo.db", docs_a, 2, path, sizeof path);
    acc_index *x = open_path(path);
    stats(x, 2, 1);
    /* each call reads the latest commit */
    add(path, "s3", "en");
    stats(x, 3, 2);
    add(path, "s4", "en");
    add(path, "s4", "en"); /* replaced: a commit, no new document */
    stats(x, 4, 4);
    acc_index_close(x);
    acc_index_close(NULL);
}

static void test_stub(void **state)
{
    char path[512], cwd[1024], bad[512];
    acc_index *x;
    acc_error err;
    (void)state;
    x = open_path(stub);
    stats(x, 4, 2); /* revision 1 + 1 */
    acc_index_close(x);

    /* absolute lines; a relative stub path resolved against the working directory */
    char lines[1200];
    snprintf(lines, sizeof lines, "auto %s\nauto %s\n", dir_a, dir_b);
    fx_write_file("abs.stub", lines, path, sizeof path);
    x = open_path(path);
    stats(x, 4, 2);
    acc_index_close(x);
    assert_non_null(getcwd(cwd, sizeof cwd));
    fx_path(path, sizeof path, "");
    assert_int_equal(chdir(path), 0);
    x = open_path("both.stub");
    stats(x, 4, 2);
    acc_index_close(x);
    assert_int_equal(chdir(cwd), 0);

    /* one line: one index */
    fx_write_file("one.stub", "auto a.db\n", path, sizeof path);
    x = open_path(path);
    stats(x, 2, 1);
    acc_index_close(x);

    /* a stub naming a missing index: an error naming the stub */
    fx_write_file("bad.stub", "auto a.db\nauto missing.db\n", bad, sizeof bad);
    x = NULL;
    assert_int_not_equal(acc_index_open(bad, &x, &err), ACC_OK);
    assert_null(x);
    assert_non_null(strstr(err.msg, "bad.stub"));
}

static void test_revision_sum(void **state)
{
    char c[512];
    static const fx_doc one[] = {{.id = "c1", .lang = "en", .text = "zzb"}};
    acc_error err;
    (void)state;
    fx_index("c.db", one, 1, c, sizeof c);
    const char *paths[] = {stub, c};
    acc_index *x = NULL;
    assert_int_equal(acc_index_open_many(paths, 2, &x, &err), ACC_OK);
    stats(x, 5, 3);
    /* a commit to any shard moves the sum */
    add(c, "c2", "en");
    stats(x, 6, 4);
    add(dir_b, "b3", "zh");
    stats(x, 7, 5);

    /* the statistics are merged: one term, its frequency over all */
    unsigned long f = 0;
    assert_int_equal(acc_xap_db_termfreq(x->db, "zzb", 3, &f, &err), ACC_OK);
    assert_int_equal(f, 4);
    acc_index_close(x);

    /* one path: as acc_index_open */
    assert_int_equal(acc_index_open_many(paths + 1, 1, &x, &err), ACC_OK);
    stats(x, 2, 2);
    acc_index_close(x);

    /* a missing one: the message names it */
    char missing[512];
    fx_path(missing, sizeof missing, "missing.db");
    const char *bad[] = {dir_a, missing, c};
    x = NULL;
    assert_int_equal(acc_index_open_many(bad, 3, &x, &err), ACC_EDB_NOTFOUND);
    assert_null(x);
    assert_non_null(strstr(err.msg, "missing.db"));
    assert_non_null(strstr(err.msg, "cannot open index"));
    const char *bad_first[] = {missing, c};
    assert_int_equal(acc_index_open_many(bad_first, 2, &x, &err), ACC_EDB_NOTFOUND);
    assert_non_null(strstr(err.msg, "missing.db"));
    assert_null(x);
}

static const char *langs(acc_index *x)
{
    static char out[64];
    const char(*l)[ACC_LANG_MAX] = NULL;
    size_t n = 99;
    acc_error err;
    assert_int_equal(acc_index_langs(x, &l, &n, &err), ACC_OK);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s ", l[i]);
    return out;
}

static void test_langs(void **state)
{
    char a[512], b[512];
    acc_error err;
    (void)state;
    fx_index("la.db", docs_a, 2, a, sizeof a);
    fx_index("lb.db", docs_b, 2, b, sizeof b);
    const char *paths[] = {a, b};
    acc_index *x = NULL;
    assert_int_equal(acc_index_open_many(paths, 2, &x, &err), ACC_OK);
    assert_int_equal(acc_index_refresh(x, &err), ACC_OK);
    /* byte order; a document without a language is "und" */
    assert_string_equal(langs(x), "de en fr und ");
    /* as of the last refresh */
    add(b, "b9", "zh");
    assert_string_equal(langs(x), "de en fr und ");
    assert_int_equal(acc_index_refresh(x, &err), ACC_OK);
    assert_string_equal(langs(x), "de en fr und zh ");
    assert_string_equal(langs(x), "de en fr und zh ");
    acc_index_close(x);
}

static void on_term(void *ctx, const char *t, size_t n)
{
    char *s = ctx;
    snprintf(s + strlen(s), 256 - strlen(s), "%.*s ", (int)n, t);
}

static const char *terms_of(acc_index *x, const char *lang, const char *text)
{
    static char s[256];
    acc_xap_query *q = NULL;
    acc_error err;
    s[0] = '\0';
    if (acc_xap_parse(acc_index_parser(x, lang), x->db, text, strlen(text),
                      ACC_XAP_PARSE_BOOLEAN | ACC_XAP_PARSE_PHRASE | ACC_XAP_PARSE_WILDCARD,
                      ACC_XAP_AND, NULL, &q, &err) != ACC_OK)
        fail_msg("'%s': %s", text, err.msg);
    acc_xap_query_terms(q, 0, on_term, s);
    acc_xap_query_free(q);
    return s;
}

static void test_parsers(void **state)
{
    acc_index *x = open_path(stub);
    (void)state;
    /* one per language, made once */
    acc_xap_parser *fr = acc_index_parser(x, "fr");
    assert_ptr_equal(acc_index_parser(x, "fr"), fr);
    assert_ptr_not_equal(acc_index_parser(x, "en"), fr);
    assert_ptr_equal(acc_index_parser(x, "fr"), fr);
    /* stems of the language, fields, boolean filters */
    assert_string_equal(terms_of(x, "fr", "forets"), "Zfr:foret ");
    assert_string_equal(terms_of(x, "en", "forests"), "Zen:forest ");
    assert_string_equal(terms_of(x, "pl", "lasy"), "lasy ");
    assert_string_equal(terms_of(x, "fr", "title:forets"), "ZSfr:foret ");
    assert_string_equal(terms_of(x, "pl", "title:lasy"), "Slasy ");
    assert_string_equal(
        terms_of(x, "en", "lang:fr type:treaty party:france topic:water year:2015 x"),
        "XLfr XOwater XPfrance XTtreaty XY2015 Zen:x ");
    /* year ranges on the sortable year */
    acc_xap_query *q = NULL;
    acc_buf d;
    acc_error err;
    acc_buf_init(&d, 0);
    assert_int_equal(acc_xap_parse(acc_index_parser(x, "en"), x->db, "year:2015..2020", 15,
                                   ACC_XAP_PARSE_BOOLEAN, ACC_XAP_AND, NULL, &q, &err),
                     ACC_OK);
    acc_xap_query_describe(q, &d);
    assert_non_null(strstr(d.p, "VALUE_RANGE 1 "));
    acc_xap_query_free(q);
    acc_buf_release(&d);
    acc_index_close(x);
}

static void test_wildcard_bound(void **state)
{
    fx_doc d[150];
    char words[150][16], ids[150][8], path[512];
    acc_xap_query *q = NULL;
    acc_xap_match_opts o;
    acc_xap_match *m = NULL;
    acc_error err;
    unsigned long lo = 0;
    (void)state;
    /* 150 documents, each with a word of its own: zq000 ... zq149 */
    for (int i = 0; i < 150; i++) {
        snprintf(words[i], sizeof words[i], "zq%03d", i);
        snprintf(ids[i], sizeof ids[i], "w%d", i);
        d[i] = (fx_doc){.id = ids[i], .lang = "en", .text = words[i]};
    }
    fx_index("wild.db", d, 150, path, sizeof path);
    acc_index *x = open_path(path);
    assert_int_equal(acc_xap_parse(acc_index_parser(x, "en"), x->db, "zq*", 3,
                                   ACC_XAP_PARSE_WILDCARD, ACC_XAP_AND, NULL, &q, &err),
                     ACC_OK);
    acc_xap_match_opts_init(&o);
    o.check_at_least = 1000;
    assert_int_equal(acc_xap_match_run(x->db, q, &o, &m, &err), ACC_OK);
    acc_xap_match_totals(m, NULL, &lo, NULL);
    assert_int_equal(lo, 100); /* the wildcard's expansion is bounded */
    acc_xap_match_free(m);
    acc_xap_query_free(q);
    acc_index_close(x);
}

static int reject_zzd(void *ctx, const char *t, size_t n)
{
    (*(int *)ctx)++;
    return !(n == 3 && memcmp(t, "zzd", 3) == 0);
}

static const char *top(acc_index *x, const char *prefix, size_t keep, size_t max_scan,
                       acc_term_accept_fn accept)
{
    static char s[256];
    acc_top_term *v = NULL;
    size_t n = 99;
    int calls = 0;
    acc_error err;
    assert_int_equal(acc_index_top_terms(x, prefix, strlen(prefix), keep, max_scan, accept, &calls,
                                         &v, &n, &err),
                     ACC_OK);
    assert_non_null(v);
    assert_true(n <= keep);
    s[0] = '\0';
    for (size_t i = 0; i < n; i++)
        snprintf(s + strlen(s), sizeof s - strlen(s), "%s:%lu ", v[i].term, v[i].freq);
    acc_top_terms_free(v, n);
    return s;
}

static void test_top_terms(void **state)
{
    char a[512], b[512];
    acc_error err;
    (void)state;
    fx_index("ta.db", docs_a, 2, a, sizeof a);
    fx_index("tb.db", docs_b, 2, b, sizeof b);
    const char *paths[] = {a, b};
    acc_index *x = NULL;
    assert_int_equal(acc_index_open_many(paths, 2, &x, &err), ACC_OK);
    /* most frequent first; equals in byte order, the first ones kept */
    assert_string_equal(top(x, "zz", 10, 0, NULL), "zzb:3 zzd:3 zze:3 zzc:2 zza:1 ");
    assert_string_equal(top(x, "zz", 4, 0, NULL), "zzb:3 zzd:3 zze:3 zzc:2 ");
    assert_string_equal(top(x, "zz", 3, 0, NULL), "zzb:3 zzd:3 zze:3 ");
    assert_string_equal(top(x, "zz", 2, 0, NULL), "zzb:3 zzd:3 ");
    assert_string_equal(top(x, "zz", 1, 0, NULL), "zzb:3 ");
    /* accept */
    assert_string_equal(top(x, "zz", 10, 0, reject_zzd), "zzb:3 zze:3 zzc:2 zza:1 ");
    assert_string_equal(top(x, "zz", 2, 0, reject_zzd), "zzb:3 zze:3 ");
    /* at most max_scan terms looked at, in byte order: zza, zzb */
    assert_string_equal(top(x, "zz", 10, 2, NULL), "zzb:3 zza:1 ");
    assert_string_equal(top(x, "zz", 10, 3, NULL), "zzb:3 zzc:2 zza:1 ");
    /* the prefix is a byte prefix */
    assert_string_equal(top(x, "zzc", 10, 0, NULL), "zzc:2 ");
    assert_string_equal(top(x, "zzz", 10, 0, NULL), "");
    assert_string_equal(top(x, "XL", 10, 0, NULL), "XLde:1 XLen:1 XLfr:1 XLund:1 ");
    /* keep 0 */
    assert_string_equal(top(x, "zz", 0, 0, NULL), "");
    acc_index_close(x);
}

static void test_stats_json(void **state)
{
    char a[512], b[512];
    acc_error err;
    json_error_t jerr;
    (void)state;
    fx_index("ja.db", docs_a, 2, a, sizeof a);
    fx_index("jb.db", docs_b, 2, b, sizeof b);
    const char *paths[] = {a, b};
    acc_index *x = NULL;
    assert_int_equal(acc_index_open_many(paths, 2, &x, &err), ACC_OK);
    char *s = acc_index_stats_json(x, &err);
    assert_non_null(s);
    assert_string_equal(s, "{\"documents\":4,\"revision\":2,"
                           "\"languages\":[{\"value\":\"de\",\"count\":1},"
                           "{\"value\":\"en\",\"count\":1},{\"value\":\"fr\",\"count\":1},"
                           "{\"value\":\"und\",\"count\":1}],"
                           "\"types\":[{\"value\":\"protocol\",\"count\":1},"
                           "{\"value\":\"treaty\",\"count\":2}],"
                           "\"topics\":[{\"value\":\"climate\",\"count\":2},"
                           "{\"value\":\"water\",\"count\":1}]}");
    json_t *j = json_loads(s, 0, &jerr);
    assert_non_null(j);
    json_decref(j);
    free(s);
    /* as of now */
    add(a, "a9", "en");
    s = acc_index_stats_json(x, &err);
    assert_non_null(strstr(s, "\"documents\":5,\"revision\":3,"));
    assert_non_null(strstr(s, "{\"value\":\"en\",\"count\":2}"));
    free(s);
    acc_index_close(x);
}

static void test_topics_handle(void **state)
{
    acc_index *x = open_path(dir_a);
    (void)state;
    assert_null(x->vocab);
    acc_index_set_topics(x, (const acc_topics *)&x);
    assert_ptr_equal(x->vocab, (const acc_topics *)&x);
    acc_index_set_topics(x, NULL);
    assert_null(x->vocab);
    acc_index_close(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_index),
        cmocka_unit_test(test_stub),
        cmocka_unit_test(test_older_index_rewritten),
        cmocka_unit_test(test_revision_sum),
        cmocka_unit_test(test_langs),
        cmocka_unit_test(test_parsers),
        cmocka_unit_test(test_wildcard_bound),
        cmocka_unit_test(test_top_terms),
        cmocka_unit_test(test_stats_json),
        cmocka_unit_test(test_topics_handle),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
