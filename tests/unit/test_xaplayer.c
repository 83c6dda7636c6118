/*
 * lib/xap.cc, the Xapian layer (lib/xap.h), through its C interface:
 * - Xapian errors as statuses: a missing path (ACC_EDB_NOTFOUND), an empty
 *   directory or a file that is no stub (ACC_EDB_NOTINDEX), a damaged
 *   version file (ACC_EDB_CORRUPT), a second writer (ACC_EDB_LOCKED), a
 *   syntax error (ACC_EINVAL), a missing document (ACC_ENOTFOUND); *out set
 *   only on success;
 * - the reader's primitives (counts, term scans with their bounds, postings,
 *   positions, documents, relevance feedback), combined readers and their
 *   revision, the writer (transactions, replace, delete, metadata);
 * - query objects (join, pair, window, scale, range, empty, terms,
 *   describe) and what they match, the sortable encoding, the parser;
 * - spies, match options (sort with missing values last both ways,
 *   collapse, offset and limit, totals, weights, matching terms);
 * - the stemmer (tag, fold, the prepare hook, Romanian cedillas, unknown
 *   algorithms), documents' terms and postings, TermGenerator's terms.
 * lib/stem.c (acc_stem_new) is tested here too: it only names an algorithm.
 * The public acc_index_* API is tested by test_xap.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "accord/text.h"
#include "fixture.h"
#include "qbits.h"
#include "qtext.h"
#include "stem.h"
#include "termgen.h"
#include "xap.h"

static int setup(void **state)
{
    (void)state;
    return fx_setup("xaplayer");
}

static int teardown(void **state)
{
    (void)state;
    return fx_teardown();
}

/* A pointer no call may write (for "*out is set only on success"). */
static char sentinel;
#define UNTOUCHED ((void *)&sentinel)

/* ------------------------------------------------------ a small index */

/*
 * docs 1..4 (unique terms Q1..Q4):
 *   1: climate@1 change@2 policy@3 rare; common; slot 0 "b", 1 year 2010, 6 "w1", 7 "x|y"; "one"
 *   2: climate@1 forest@2 climate@5;     common; slot 0 "a", 1 year 2015, 6 "w1", 7 "y";   "two"
 *   3: forest@1 change@3;                common; slot 0 "c", 1 year 2020, 6 "w2", 7 "x||z|";
 * "three" 4: policy@1;                         common; no slots 0, 1, 6; slot 7 "";        "four"
 * (| is 0x1f)
 */
static void add_doc(acc_xap_wdb *w, int id, const char *const *words, const char *s0, int year,
                    const char *s6, const char *s7, size_t s7len, const char *data)
{
    acc_xap_doc *d = acc_xap_doc_new();
    acc_error err;
    char q[8];
    unsigned pos = 0;
    for (size_t i = 0; words[i]; i++) {
        /* "word@n" at position n */
        const char *at = strchr(words[i], '@');
        if (at) {
            pos = (unsigned)atoi(at + 1);
            acc_xap_doc_add_posting(d, words[i], (size_t)(at - words[i]), pos, 1);
        } else {
            acc_xap_doc_add_term(d, words[i], strlen(words[i]), 1);
        }
    }
    acc_xap_doc_add_term(d, "common", 6, 1);
    if (s0)
        acc_xap_doc_set_value(d, 0, s0, strlen(s0));
    if (year) {
        char s[18];
        acc_xap_doc_set_value(d, 1, s, acc_xap_sortable(year, s));
    }
    if (s6)
        acc_xap_doc_set_value(d, 6, s6, strlen(s6));
    if (s7)
        acc_xap_doc_set_value(d, 7, s7, s7len);
    acc_xap_doc_set_data(d, data, strlen(data));
    int n = snprintf(q, sizeof q, "Q%d", id);
    acc_xap_doc_add_term(d, q, (size_t)n, 0);
    assert_int_equal(acc_xap_wdb_replace(w, q, (size_t)n, d, NULL, &err), ACC_OK);
    acc_xap_doc_free(d);
}

static void small_index(const char *name, char *path, size_t n)
{
    static const char *const d1[] = {"climate@1", "change@2", "policy@3", "rare", NULL},
                             *const d2[] = {"climate@1", "forest@2", "climate@5", NULL},
                             *const d3[] = {"forest@1", "change@3", NULL},
                             *const d4[] = {"policy@1", NULL};
    acc_xap_wdb *w = NULL;
    acc_error err;
    fx_path(path, n, name);
    assert_int_equal(acc_xap_wdb_open(path, &w, &err), ACC_OK);
    add_doc(w, 1, d1, "b", 2010, "w1", "x\x1fy", 3, "one");
    add_doc(w, 2, d2, "a", 2015, "w1", "y", 1, "two");
    add_doc(w, 3, d3, "c", 2020, "w2", "x\x1f\x1fz\x1f", 5, "three");
    add_doc(w, 4, d4, NULL, 0, NULL, "", 0, "four");
    assert_int_equal(acc_xap_wdb_commit(w, &err), ACC_OK);
    acc_xap_wdb_close(w);
}

static acc_xap_db *open_small(void)
{
    static char path[512];
    static int made;
    acc_xap_db *db = NULL;
    acc_error err;
    if (!made) {
        small_index("small.db", path, sizeof path);
        made = 1;
    }
    assert_int_equal(acc_xap_db_open(path, &db, &err), ACC_OK);
    return db;
}

/* ------------------------------------------------------------- errors */

static void test_version(void **state)
{
    (void)state;
    const char *v = acc_xap_version();
    assert_non_null(v);
    assert_int_equal(strncmp(v, "1.", 2), 0);
}

static void test_open_errors(void **state)
{
    acc_xap_db *db = UNTOUCHED;
    acc_xap_wdb *w = NULL, *w2 = UNTOUCHED;
    acc_error err;
    char p[512], junk[512];
    (void)state;
    fx_path(p, sizeof p, "missing");
    assert_int_equal(acc_xap_db_open(p, &db, &err), ACC_EDB_NOTFOUND);
    assert_int_equal(err.code, ACC_EDB_NOTFOUND);
    assert_ptr_equal(db, UNTOUCHED);
    /* no context in the message: the caller prefixes its own */
    assert_null(strstr(err.msg, "cannot open"));

    fx_path(p, sizeof p, "empty-dir");
    assert_int_equal(mkdir(p, 0700), 0);
    assert_int_equal(acc_xap_db_open(p, &db, &err), ACC_EDB_NOTINDEX);
    assert_ptr_equal(db, UNTOUCHED);
    fx_write_file("junk", "hello\n", junk, sizeof junk); /* read as a stub file: no index line */
    assert_int_equal(acc_xap_db_open(junk, &db, &err), ACC_EDB_NOTINDEX);
    assert_ptr_equal(db, UNTOUCHED);

    /* a damaged version file */
    char cmd[1200];
    small_index("damaged.db", p, sizeof p);
    snprintf(cmd, sizeof cmd, "echo garbage > '%s/iamglass'", p);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(acc_xap_db_open(p, &db, &err), ACC_EDB_CORRUPT);
    assert_ptr_equal(db, UNTOUCHED);

    /* a second writer; readers are not kept out */
    fx_path(p, sizeof p, "locked.db");
    assert_int_equal(acc_xap_wdb_open(p, &w, &err), ACC_OK);
    assert_int_equal(acc_xap_wdb_commit(w, &err), ACC_OK);
    assert_int_equal(acc_xap_wdb_open(p, &w2, &err), ACC_EDB_LOCKED);
    assert_int_equal(err.code, ACC_EDB_LOCKED);
    assert_ptr_equal(w2, UNTOUCHED);
    db = NULL;
    assert_int_equal(acc_xap_db_open(p, &db, &err), ACC_OK);
    acc_xap_db_close(db);
    acc_xap_wdb_close(w);
    w2 = NULL;
    assert_int_equal(acc_xap_wdb_open(p, &w2, &err), ACC_OK); /* released with the first */
    acc_xap_wdb_close(w2);

    /* adding a missing index to a reader */
    db = open_small();
    fx_path(p, sizeof p, "missing");
    assert_int_not_equal(acc_xap_db_add(db, p, &err), ACC_OK);
    /* a document that does not exist */
    acc_xap_doc *d = UNTOUCHED;
    assert_int_equal(acc_xap_db_doc(db, 99, &d, &err), ACC_ENOTFOUND);
    assert_ptr_equal(d, UNTOUCHED);
    acc_xap_db_close(db);
    acc_xap_db_close(NULL);
    acc_xap_wdb_close(NULL);
}

static void test_parse_errors(void **state)
{
    static const unsigned all = ACC_XAP_PARSE_PHRASE | ACC_XAP_PARSE_BOOLEAN |
                                ACC_XAP_PARSE_LOVEHATE | ACC_XAP_PARSE_WILDCARD |
                                ACC_XAP_PARSE_CJK | ACC_XAP_PARSE_PURE_NOT;
    static const char *const bad[] = {"climate AND", "AND", "a OR", "a XOR", "a AND NOT"};
    acc_xap_parser *p = acc_xap_parser_new(NULL);
    acc_xap_query *q;
    acc_error err;
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        q = UNTOUCHED;
        memset(&err, 0, sizeof err);
        if (acc_xap_parse(p, NULL, bad[i], strlen(bad[i]), all, ACC_XAP_AND, NULL, &q, &err) !=
            ACC_EINVAL)
            fail_msg("'%s' is not a syntax error", bad[i]);
        assert_int_equal(err.code, ACC_EINVAL);
        assert_non_null(strstr(err.msg, "Syntax"));
        /* named, so that a caller (fuzz_query) can tell the parser's errors from others */
        assert_memory_equal(err.msg, "query parser: ", 14);
        assert_ptr_equal(q, UNTOUCHED);
    }
    /* what Xapian 1.4.22's parser fails on, and the text accord hands it instead
       (acc_qtext_for_parser): words around a CJK run with n-grams on; dots outside a range */
    acc_xap_parser_number_range(p, 1, "year:");
    static const char *const fails[] = {"water \xe6\xb0\x94\xe5\x80\x99 climate", "climate...",
                                        "a..b"};
    for (size_t i = 0; i < sizeof fails / sizeof fails[0]; i++) {
        acc_buf h;
        acc_buf_init(&h, 0);
        q = NULL;
        if (acc_xap_parse(p, NULL, fails[i], strlen(fails[i]), all, ACC_XAP_AND, NULL, &q, &err) ==
            ACC_OK)
            fail_msg("Xapian's parser reads '%s' now: acc_qtext_for_parser may be simpler",
                     fails[i]);
        acc_qtext_for_parser(fails[i], strlen(fails[i]), &h);
        assert_int_equal(acc_xap_parse(p, NULL, h.p, h.n, all, ACC_XAP_AND, NULL, &q, &err),
                         ACC_OK);
        assert_false(acc_xap_query_empty(q));
        acc_xap_query_free(q);
        acc_buf_release(&h);
    }
    /* without the boolean flag the same text is words */
    q = NULL;
    assert_int_equal(acc_xap_parse(p, NULL, "climate AND", 11, 0, ACC_XAP_AND, NULL, &q, &err),
                     ACC_OK);
    assert_false(acc_xap_query_empty(q));
    acc_xap_query_free(q);
    acc_xap_parser_free(p);
    acc_xap_parser_free(NULL);
}

/* --------------------------------------------------------------- reader */

typedef struct termlist {
    char s[1024]; /* "term:freq " ... */
    size_t n, stop_after;
    unsigned long *min_freq, raise_to;
} termlist;

static int on_term(void *ctx, const char *t, size_t n, unsigned long freq)
{
    termlist *l = ctx;
    size_t k = strlen(l->s);
    snprintf(l->s + k, sizeof l->s - k, "%.*s:%lu ", (int)n, t, freq);
    l->n++;
    if (l->min_freq && l->raise_to)
        *l->min_freq = l->raise_to;
    return l->stop_after && l->n == l->stop_after;
}

/* The first position at or after from, 0 when none (acc_xap_db_positions with max 1). */
static acc_status first_pos(acc_xap_db *db, unsigned docid, const char *t, size_t n, unsigned from,
                            unsigned *pos, acc_error *err)
{
    size_t k = 0;
    acc_status st = acc_xap_db_positions(db, docid, t, n, from, pos, 1, &k, err);
    if (k == 0)
        *pos = 0;
    return st;
}

static const char *terms(acc_xap_db *db, const char *prefix, size_t max_scan,
                         unsigned long *min_freq, unsigned long raise_to, size_t stop_after)
{
    static termlist l;
    acc_error err;
    memset(&l, 0, sizeof l);
    l.stop_after = stop_after;
    l.min_freq = min_freq;
    l.raise_to = raise_to;
    assert_int_equal(
        acc_xap_db_terms(db, prefix, strlen(prefix), max_scan, min_freq, on_term, &l, &err),
        ACC_OK);
    return l.s;
}

static void test_reader(void **state)
{
    acc_xap_db *db = open_small();
    acc_error err;
    unsigned long n = 0, min;
    (void)state;
    assert_int_equal(acc_xap_db_doccount(db, &n, &err), ACC_OK);
    assert_int_equal(n, 4);
    assert_int_equal(acc_xap_db_termfreq(db, "climate", 7, &n, &err), ACC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(acc_xap_db_termfreq(db, "climatex", 7, &n, &err), ACC_OK); /* (p, n) */
    assert_int_equal(n, 2);
    assert_int_equal(acc_xap_db_termfreq(db, "nothing", 7, &n, &err), ACC_OK);
    assert_int_equal(n, 0);

    /* term scans: byte order, a prefix, bounds */
    assert_string_equal(terms(db, "Q", 0, NULL, 0, 0), "Q1:1 Q2:1 Q3:1 Q4:1 ");
    assert_string_equal(terms(db, "c", 0, NULL, 0, 0), "change:2 climate:2 common:4 ");
    assert_string_equal(terms(db, "zzz", 0, NULL, 0, 0), "");
    assert_string_equal(terms(db, "", 2, NULL, 0, 0), "Q1:1 Q2:1 ");
    assert_string_equal(terms(db, "", 0, NULL, 0, 3), "Q1:1 Q2:1 Q3:1 "); /* fn stops it */
    min = 2;
    assert_string_equal(terms(db, "", 0, &min, 0, 0),
                        "change:2 climate:2 common:4 forest:2 policy:2 ");
    /* terms below min_freq count as looked at */
    min = 2;
    assert_string_equal(terms(db, "", 5, &min, 0, 0), "change:2 ");
    /* fn raises the bar as it goes */
    min = 2;
    assert_string_equal(terms(db, "", 0, &min, 3, 0), "change:2 common:4 ");

    /* postings, first document, positions */
    unsigned id = 99;
    assert_int_equal(acc_xap_db_find(db, "forest", 6, &id, &err), ACC_OK);
    assert_int_equal(id, 2);
    assert_int_equal(acc_xap_db_find(db, "nothing", 7, &id, &err), ACC_OK);
    assert_int_equal(id, 0);
    unsigned pos = 99;
    assert_int_equal(first_pos(db, 2, "climate", 7, 0, &pos, &err), ACC_OK);
    assert_int_equal(pos, 1);
    assert_int_equal(first_pos(db, 2, "climate", 7, 2, &pos, &err), ACC_OK);
    assert_int_equal(pos, 5);
    assert_int_equal(first_pos(db, 2, "climate", 7, 5, &pos, &err), ACC_OK);
    assert_int_equal(pos, 5);
    assert_int_equal(first_pos(db, 2, "climate", 7, 6, &pos, &err), ACC_OK);
    assert_int_equal(pos, 0);
    assert_int_equal(first_pos(db, 1, "rare", 4, 0, &pos, &err), ACC_OK);
    assert_int_equal(pos, 0); /* a term without positions */
    assert_int_equal(first_pos(db, 3, "climate", 7, 0, &pos, &err), ACC_OK);
    assert_int_equal(pos, 0); /* not in that document */
    unsigned all[4];
    size_t nall = 99;
    assert_int_equal(acc_xap_db_positions(db, 2, "climate", 7, 0, all, 4, &nall, &err), ACC_OK);
    assert_int_equal(nall, 2);
    assert_int_equal(all[0], 1);
    assert_int_equal(all[1], 5);
    assert_int_equal(acc_xap_db_positions(db, 2, "climate", 7, 0, all, 1, &nall, &err), ACC_OK);
    assert_int_equal(nall, 1); /* at most max */

    /* documents */
    acc_xap_doc *d = NULL;
    acc_buf b;
    acc_buf_init(&b, 0);
    assert_int_equal(acc_xap_db_doc(db, 3, &d, &err), ACC_OK);
    assert_int_equal(acc_xap_doc_data(d, &b, &err), ACC_OK);
    assert_string_equal(b.p, "three");
    acc_buf_reset(&b);
    assert_int_equal(acc_xap_doc_value(d, 0, &b, &err), ACC_OK);
    assert_string_equal(b.p, "c");
    acc_buf_reset(&b);
    assert_int_equal(acc_xap_doc_value(d, 50, &b, &err), ACC_OK); /* unset: empty */
    assert_int_equal(b.n, 0);
    acc_xap_doc_free(d);
    acc_xap_doc_free(NULL);
    acc_buf_release(&b);
    acc_xap_db_close(db);
}

typedef struct ids {
    unsigned v[16];
    size_t n, stop_after;
} ids;

static int on_docid(void *ctx, unsigned id)
{
    ids *s = ctx;
    s->v[s->n++] = id;
    return s->stop_after && s->n == s->stop_after;
}

static void test_postings(void **state)
{
    acc_xap_db *db = open_small();
    acc_error err;
    ids s = {.n = 0};
    (void)state;
    assert_int_equal(acc_xap_db_postings(db, "common", 6, on_docid, &s, &err), ACC_OK);
    assert_int_equal(s.n, 4);
    for (unsigned i = 0; i < 4; i++)
        assert_int_equal(s.v[i], i + 1);
    s = (ids){.n = 0, .stop_after = 2};
    assert_int_equal(acc_xap_db_postings(db, "common", 6, on_docid, &s, &err), ACC_OK);
    assert_int_equal(s.n, 2);
    s = (ids){.n = 0};
    assert_int_equal(acc_xap_db_postings(db, "nothing", 7, on_docid, &s, &err), ACC_OK);
    assert_int_equal(s.n, 0);
    acc_xap_db_close(db);
}

typedef struct weighted {
    char t[16][32];
    double w[16];
    size_t n;
} weighted;

static void on_weighted(void *ctx, const char *t, size_t n, double w)
{
    weighted *s = ctx;
    assert_true(s->n < 16 && n < 32);
    memcpy(s->t[s->n], t, n);
    s->t[s->n][n] = '\0';
    s->w[s->n++] = w;
}

static int no_q(void *ctx, const char *t, size_t n)
{
    (void)ctx;
    return n && t[0] != 'Q';
}

static void test_expand(void **state)
{
    acc_xap_db *db = open_small();
    acc_xap_query *q = acc_xap_query_term("climate", 7);
    acc_error err;
    weighted s = {.n = 0};
    (void)state;
    assert_int_equal(acc_xap_db_expand(db, q, 1, 10, no_q, NULL, on_weighted, &s, &err), ACC_OK);
    /* doc 1's terms but the query's: change, policy, rare (common is in every document) */
    assert_true(s.n >= 3 && s.n <= 4);
    for (size_t i = 0; i < s.n; i++) {
        assert_string_not_equal(s.t[i], "climate");
        assert_true(s.t[i][0] != 'Q');
        assert_true(strcmp(s.t[i], "change") == 0 || strcmp(s.t[i], "policy") == 0 ||
                    strcmp(s.t[i], "rare") == 0 || strcmp(s.t[i], "common") == 0);
        if (i)
            assert_true(s.w[i] <= s.w[i - 1]);
    }
    /* the rarest first */
    assert_string_equal(s.t[0], "rare");
    /* at most max */
    s.n = 0;
    assert_int_equal(acc_xap_db_expand(db, q, 1, 1, NULL, NULL, on_weighted, &s, &err), ACC_OK);
    assert_int_equal(s.n, 1);
    acc_xap_query_free(q);
    acc_xap_db_close(db);
}

static void test_combined_revision(void **state)
{
    char a[512], b[512];
    acc_xap_wdb *w = NULL;
    acc_xap_db *db = NULL;
    acc_error err;
    unsigned long rev = 0, n = 0;
    (void)state;
    small_index("rev-a.db", a, sizeof a);
    small_index("rev-b.db", b, sizeof b);
    /* b gets two more commits: revisions 1 and 3 */
    assert_int_equal(acc_xap_wdb_open(b, &w, &err), ACC_OK);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(acc_xap_wdb_set_meta(w, "k", i ? "2" : "1", &err), ACC_OK);
        assert_int_equal(acc_xap_wdb_commit(w, &err), ACC_OK);
    }
    acc_xap_wdb_close(w);

    assert_int_equal(acc_xap_db_open(b, &db, &err), ACC_OK);
    assert_int_equal(acc_xap_db_reopen(db, &rev, &err), ACC_OK);
    assert_int_equal(rev, 3);
    acc_xap_db_close(db);

    assert_int_equal(acc_xap_db_open(a, &db, &err), ACC_OK);
    assert_int_equal(acc_xap_db_add(db, b, &err), ACC_OK);
    assert_int_equal(acc_xap_db_doccount(db, &n, &err), ACC_OK);
    assert_int_equal(n, 8);
    assert_int_equal(acc_xap_db_termfreq(db, "climate", 7, &n, &err), ACC_OK);
    assert_int_equal(n, 4);
    /* Xapian has no revision for two databases: 0 until they are tracked (remote shards
       are never tracked) */
    assert_int_equal(acc_xap_db_reopen(db, &rev, &err), ACC_OK);
    assert_int_equal(rev, 0);
    assert_int_equal(acc_xap_db_reopen(db, NULL, &err), ACC_OK);
    assert_int_equal(acc_xap_db_track(db, a, &err), ACC_OK);
    assert_int_equal(acc_xap_db_track(db, b, &err), ACC_OK);
    assert_int_equal(acc_xap_db_reopen(db, &rev, &err), ACC_OK);
    assert_int_equal(rev, 4);
    /* a commit to either moves the sum */
    assert_int_equal(acc_xap_wdb_open(a, &w, &err), ACC_OK);
    assert_int_equal(acc_xap_wdb_delete(w, "Q4", 2, &err), ACC_OK);
    assert_int_equal(acc_xap_wdb_commit(w, &err), ACC_OK);
    acc_xap_wdb_close(w);
    assert_int_equal(acc_xap_db_doccount(db, &n, &err), ACC_OK);
    assert_int_equal(n, 8); /* as of the last reopen */
    assert_int_equal(acc_xap_db_reopen(db, &rev, &err), ACC_OK);
    assert_int_equal(rev, 5);
    assert_int_equal(acc_xap_db_doccount(db, &n, &err), ACC_OK);
    assert_int_equal(n, 7);
    fx_path(b, sizeof b, "missing");
    assert_int_not_equal(acc_xap_db_track(db, b, &err), ACC_OK);
    acc_xap_db_close(db);
}

/* --------------------------------------------------------------- writer */

static unsigned long count(acc_xap_db *db)
{
    unsigned long n = 0;
    acc_error err;
    assert_int_equal(acc_xap_db_doccount(db, &n, &err), ACC_OK);
    return n;
}

static acc_xap_doc *doc_with(const char *term, const char *data)
{
    acc_xap_doc *d = acc_xap_doc_new();
    acc_xap_doc_add_term(d, term, strlen(term), 0);
    acc_xap_doc_set_data(d, data, strlen(data));
    return d;
}

static void test_writer(void **state)
{
    char p[512];
    acc_xap_wdb *w = NULL;
    acc_xap_db *r = NULL;
    acc_error err;
    acc_buf b;
    int existed = -1;
    unsigned long rev, rev1;
    (void)state;
    acc_buf_init(&b, 0);
    fx_path(p, sizeof p, "writer.db");
    assert_int_equal(acc_xap_wdb_open(p, &w, &err), ACC_OK);
    acc_xap_db *view = acc_xap_wdb_reader(w);
    assert_int_equal(acc_xap_wdb_commit(w, &err), ACC_OK);
    assert_int_equal(acc_xap_db_open(p, &r, &err), ACC_OK);

    /* replace: added, then replaced; the writer's view sees it at once, readers after commit */
    acc_xap_doc *d = doc_with("Qa", "first");
    assert_int_equal(acc_xap_wdb_replace(w, "Qa", 2, d, &existed, &err), ACC_OK);
    assert_int_equal(existed, 0);
    acc_xap_doc_free(d);
    d = doc_with("Qa", "second");
    assert_int_equal(acc_xap_wdb_replace(w, "Qa", 2, d, &existed, &err), ACC_OK);
    assert_int_equal(existed, 1);
    assert_int_equal(acc_xap_wdb_replace(w, "Qa", 2, d, NULL, &err), ACC_OK);
    acc_xap_doc_free(d);
    assert_int_equal(count(view), 1);
    assert_int_equal(acc_xap_db_reopen(r, &rev, &err), ACC_OK);
    assert_int_equal(count(r), 0);
    assert_int_equal(acc_xap_wdb_commit(w, &err), ACC_OK); /* pending changes, no transaction */
    assert_int_equal(acc_xap_db_reopen(r, &rev1, &err), ACC_OK);
    assert_int_equal(count(r), 1);
    assert_true(rev1 > rev);

    /* a cancelled transaction leaves nothing */
    assert_int_equal(acc_xap_wdb_begin(w, &err), ACC_OK);
    d = doc_with("Qb", "b");
    assert_int_equal(acc_xap_wdb_replace(w, "Qb", 2, d, NULL, &err), ACC_OK);
    assert_int_equal(acc_xap_wdb_delete(w, "Qa", 2, &err), ACC_OK);
    assert_int_equal(acc_xap_wdb_cancel(w, &err), ACC_OK);
    assert_int_equal(acc_xap_wdb_cancel(w, &err), ACC_OK); /* none open: nothing to do */
    unsigned id = 0;
    assert_int_equal(acc_xap_db_find(view, "Qa", 2, &id, &err), ACC_OK);
    assert_int_not_equal(id, 0);
    assert_int_equal(acc_xap_db_find(view, "Qb", 2, &id, &err), ACC_OK);
    assert_int_equal(id, 0);
    /* a committed one is seen whole */
    assert_int_equal(acc_xap_wdb_begin(w, &err), ACC_OK);
    assert_int_equal(acc_xap_wdb_replace(w, "Qb", 2, d, NULL, &err), ACC_OK);
    assert_int_equal(acc_xap_wdb_delete(w, "Qa", 2, &err), ACC_OK);
    assert_int_equal(acc_xap_wdb_delete(w, "Qnone", 5, &err), ACC_OK); /* none: not an error */
    assert_int_equal(acc_xap_db_reopen(r, &rev, &err), ACC_OK);
    assert_int_equal(acc_xap_db_find(r, "Qa", 2, &id, &err), ACC_OK);
    assert_int_not_equal(id, 0);
    assert_int_equal(acc_xap_wdb_commit(w, &err), ACC_OK);
    assert_int_equal(acc_xap_db_reopen(r, &rev, &err), ACC_OK);
    assert_int_equal(rev, rev1 + 1);
    assert_int_equal(acc_xap_db_find(r, "Qa", 2, &id, &err), ACC_OK);
    assert_int_equal(id, 0);
    assert_int_equal(acc_xap_db_find(r, "Qb", 2, &id, &err), ACC_OK);
    assert_int_not_equal(id, 0);

    /* metadata: "" when absent, written with the commit */
    assert_int_equal(acc_xap_wdb_get_meta(w, "stamp", &b, &err), ACC_OK);
    assert_int_equal(b.n, 0);
    assert_int_equal(acc_xap_wdb_set_meta(w, "stamp", "v1", &err), ACC_OK);
    assert_int_equal(acc_xap_wdb_get_meta(w, "stamp", &b, &err), ACC_OK);
    assert_string_equal(b.p, "v1");
    assert_int_equal(acc_xap_wdb_commit(w, &err), ACC_OK);

    /* closing with a transaction open discards it */
    assert_int_equal(acc_xap_wdb_begin(w, &err), ACC_OK);
    acc_xap_doc_free(d);
    d = doc_with("Qc", "c");
    assert_int_equal(acc_xap_wdb_replace(w, "Qc", 2, d, NULL, &err), ACC_OK);
    assert_int_equal(acc_xap_wdb_set_meta(w, "stamp", "v2", &err), ACC_OK);
    acc_xap_wdb_close(w);
    acc_xap_doc_free(d);
    assert_int_equal(acc_xap_db_reopen(r, &rev, &err), ACC_OK);
    assert_int_equal(count(r), 1);
    assert_int_equal(acc_xap_wdb_open(p, &w, &err), ACC_OK);
    acc_buf_reset(&b);
    assert_int_equal(acc_xap_wdb_get_meta(w, "stamp", &b, &err), ACC_OK);
    assert_string_equal(b.p, "v1");
    acc_xap_wdb_close(w);
    acc_xap_db_close(r);
    acc_buf_release(&b);
}

/* -------------------------------------------------------------- queries */

static const char *describe(const acc_xap_query *q)
{
    static char out[512];
    acc_buf b;
    acc_buf_init(&b, 0);
    acc_xap_query_describe(q, &b);
    snprintf(out, sizeof out, "%s", b.p ? b.p : "");
    acc_buf_release(&b);
    return out;
}

/* Describes q, then frees it. */
static const char *take(acc_xap_query *q)
{
    const char *s = describe(q);
    acc_xap_query_free(q);
    return s;
}

static void on_qterm(void *ctx, const char *t, size_t n)
{
    char *s = ctx;
    size_t k = strlen(s);
    snprintf(s + k, 256 - k, "%.*s ", (int)n, t);
}

static void test_query_objects(void **state)
{
    acc_xap_query *a = acc_xap_query_term("a", 1), *b = acc_xap_query_term("b", 1),
                  *c = acc_xap_query_term("c", 1), *none = acc_xap_query_none(),
                  *all = acc_xap_query_all();
    acc_xap_query *v[] = {c, a, b, a};
    (void)state;
    assert_string_equal(describe(a), "Query(a)");
    assert_string_equal(describe(none), "Query()");
    assert_string_equal(describe(all), "Query(<alldocuments>)");
    assert_string_equal(take(acc_xap_query_join(ACC_XAP_AND, v, 2)), "Query((c AND a))");
    assert_string_equal(take(acc_xap_query_join(ACC_XAP_OR, v, 3)), "Query((c OR a OR b))");
    assert_string_equal(take(acc_xap_query_join(ACC_XAP_SYNONYM, v, 2)), "Query((c SYNONYM a))");
    assert_string_equal(take(acc_xap_query_join(ACC_XAP_MAX, v, 2)), "Query((c MAX a))");
    assert_string_equal(take(acc_xap_query_pair(ACC_XAP_AND_NOT, all, a)),
                        "Query((<alldocuments> AND_NOT a))");
    assert_string_equal(take(acc_xap_query_pair(ACC_XAP_FILTER, a, b)), "Query((a FILTER b))");
    assert_string_equal(take(acc_xap_query_window(ACC_XAP_PHRASE, v + 1, 2, 2)),
                        "Query((a PHRASE 2 b))");
    assert_string_equal(take(acc_xap_query_window(ACC_XAP_NEAR, v, 3, 5)),
                        "Query((c NEAR 5 a NEAR 5 b))");
    assert_string_equal(take(acc_xap_query_scale(a, 2.5)), "Query(2.5 * a)");
    assert_string_equal(take(acc_xap_query_range(1, "a", 1, "b\0c", 3)),
                        "Query(VALUE_RANGE 1 a b\\x00c)");

    /* empty: by construction only */
    assert_true(acc_xap_query_empty(none));
    assert_false(acc_xap_query_empty(all));
    assert_false(acc_xap_query_empty(a));
    acc_xap_query *q = acc_xap_query_join(ACC_XAP_OR, v, 0);
    assert_true(acc_xap_query_empty(q));
    acc_xap_query_free(q);
    /* Xapian's rules for empty subqueries: OR drops them, AND is empty with one */
    acc_xap_query *an[] = {a, none};
    assert_string_equal(take(acc_xap_query_join(ACC_XAP_OR, an, 2)), "Query(a)");
    q = acc_xap_query_join(ACC_XAP_AND, an, 2);
    assert_true(acc_xap_query_empty(q));
    acc_xap_query_free(q);

    /* distinct terms, in byte order, negated ones included */
    char s[256] = "";
    q = acc_xap_query_join(ACC_XAP_OR, v, 4);
    acc_xap_query *q2 = acc_xap_query_pair(ACC_XAP_AND_NOT, q, c);
    acc_xap_query_terms(q2, 0, on_qterm, s);
    assert_string_equal(s, "a b c ");
    s[0] = '\0';
    acc_xap_query_terms(none, 0, on_qterm, s);
    assert_string_equal(s, "");

    /* copies are independent handles */
    acc_xap_query *copy = acc_xap_query_copy(q2);
    acc_xap_query_free(q2);
    acc_xap_query_free(q);
    assert_string_equal(describe(copy), "Query(((c OR a OR b OR a) AND_NOT c))");
    acc_xap_query_free(copy);
    acc_xap_query_free(NULL);
    acc_xap_query_free(a);
    acc_xap_query_free(b);
    acc_xap_query_free(c);
    acc_xap_query_free(none);
    acc_xap_query_free(all);
}

/* The docids q matches in db (bool weights, by docid), e.g. "1 3 ". */
static const char *matches(acc_xap_db *db, acc_xap_query *q)
{
    static char out[64];
    acc_xap_match_opts o;
    acc_xap_match *m = NULL;
    acc_error err;
    unsigned v[16];
    size_t n;
    acc_xap_match_opts_init(&o);
    o.bool_weight = 1;
    o.limit = 16;
    assert_int_equal(acc_xap_match_run(db, q, &o, &m, &err), ACC_OK);
    n = acc_xap_match_size(m);
    for (size_t i = 0; i < n; i++)
        v[i] = acc_xap_match_docid(m, i);
    for (size_t i = 1; i < n; i++) /* by docid */
        for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
            unsigned t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        snprintf(out + strlen(out), sizeof out - strlen(out), "%u ", v[i]);
    acc_xap_match_free(m);
    acc_xap_query_free(q);
    return out;
}

static acc_xap_query *t(const char *s)
{
    return acc_xap_query_term(s, strlen(s));
}

/* op over two terms; the terms are freed. */
static acc_xap_query *two(acc_xap_op op, acc_xap_query *a, acc_xap_query *b, unsigned window)
{
    acc_xap_query *v[] = {a, b};
    acc_xap_query *q =
        window ? acc_xap_query_window(op, v, 2, window) : acc_xap_query_join(op, v, 2);
    acc_xap_query_free(a);
    acc_xap_query_free(b);
    return q;
}

static void test_query_matches(void **state)
{
    acc_xap_db *db = open_small();
    char lo[18], hi[18];
    (void)state;
    assert_string_equal(matches(db, t("climate")), "1 2 ");
    assert_string_equal(matches(db, acc_xap_query_all()), "1 2 3 4 ");
    assert_string_equal(matches(db, acc_xap_query_none()), "");
    assert_string_equal(matches(db, two(ACC_XAP_AND, t("climate"), t("change"), 0)), "1 ");
    assert_string_equal(matches(db, two(ACC_XAP_OR, t("climate"), t("change"), 0)), "1 2 3 ");
    assert_string_equal(matches(db, two(ACC_XAP_AND_NOT, t("common"), t("climate"), 0)), "3 4 ");
    assert_string_equal(matches(db, two(ACC_XAP_FILTER, t("common"), t("forest"), 0)), "2 3 ");
    assert_string_equal(matches(db, two(ACC_XAP_SYNONYM, t("forest"), t("policy"), 0)), "1 2 3 4 ");
    assert_string_equal(matches(db, two(ACC_XAP_MAX, t("forest"), t("rare"), 0)), "1 2 3 ");
    /* phrases keep order and distance; NEAR keeps distance only */
    assert_string_equal(matches(db, two(ACC_XAP_PHRASE, t("climate"), t("change"), 2)), "1 ");
    assert_string_equal(matches(db, two(ACC_XAP_PHRASE, t("change"), t("climate"), 2)), "");
    assert_string_equal(matches(db, two(ACC_XAP_NEAR, t("change"), t("climate"), 2)), "1 ");
    assert_string_equal(matches(db, two(ACC_XAP_PHRASE, t("climate"), t("policy"), 2)), "");
    assert_string_equal(matches(db, two(ACC_XAP_PHRASE, t("climate"), t("policy"), 3)), "1 ");
    assert_string_equal(matches(db, two(ACC_XAP_NEAR, t("forest"), t("change"), 2)), "");
    assert_string_equal(matches(db, two(ACC_XAP_NEAR, t("forest"), t("change"), 3)), "3 ");
    /* value ranges, inclusive, on the sortable years of slot 1 */
    assert_string_equal(matches(db, acc_xap_query_range(1, lo, acc_xap_sortable(2012, lo), hi,
                                                        acc_xap_sortable(2020, hi))),
                        "2 3 ");
    assert_string_equal(matches(db, acc_xap_query_range(1, lo, acc_xap_sortable(2010, lo), hi,
                                                        acc_xap_sortable(2010, hi))),
                        "1 ");
    assert_string_equal(matches(db, acc_xap_query_range(0, "b", 1, "z", 1)), "1 3 ");

    /* scale multiplies the weights */
    acc_xap_match_opts o;
    acc_xap_match *m1 = NULL, *m2 = NULL;
    acc_error err;
    acc_xap_query *q = t("climate"), *q2 = acc_xap_query_scale(q, 3);
    acc_xap_match_opts_init(&o);
    assert_int_equal(acc_xap_match_run(db, q, &o, &m1, &err), ACC_OK);
    assert_int_equal(acc_xap_match_run(db, q2, &o, &m2, &err), ACC_OK);
    assert_int_equal(acc_xap_match_size(m1), 2);
    assert_int_equal(acc_xap_match_size(m2), 2);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(acc_xap_match_docid(m1, i), acc_xap_match_docid(m2, i));
        assert_true(acc_xap_match_weight(m1, i) > 0);
        assert_float_equal(acc_xap_match_weight(m2, i), 3 * acc_xap_match_weight(m1, i), 1e-9);
    }
    /* BM25: the document with climate twice first */
    assert_int_equal(acc_xap_match_docid(m1, 0), 2);
    assert_true(acc_xap_match_weight(m1, 0) > acc_xap_match_weight(m1, 1));
    acc_xap_match_free(m1);
    acc_xap_match_free(m2);
    acc_xap_query_free(q);
    acc_xap_query_free(q2);
    acc_xap_db_close(db);
}

static void test_sortable(void **state)
{
    static const double v[] = {-1e300, -1e9, -2.5, -1, 0, 0.5, 1, 2, 1999, 2019, 2020, 1e9, 1e300};
    char prev[18], cur[18];
    size_t pn = 0;
    (void)state;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        size_t n = acc_xap_sortable(v[i], cur);
        assert_true(n >= 1 && n <= 18);
        assert_true(acc_xap_unsortable(cur, n) == v[i]);
        /* byte order is number order */
        if (i) {
            size_t k = pn < n ? pn : n;
            int c = memcmp(prev, cur, k);
            assert_true(c < 0 || (c == 0 && pn < n));
        }
        memcpy(prev, cur, n);
        pn = n;
    }
}

/* ----------------------------------------------------- parser */

static const char *parsed_terms(acc_xap_parser *p, acc_xap_db *db, const char *text, unsigned flags,
                                acc_xap_op op, const char *prefix)
{
    static char s[256];
    acc_xap_query *q = NULL;
    acc_error err;
    s[0] = '\0';
    if (acc_xap_parse(p, db, text, strlen(text), flags, op, prefix, &q, &err) != ACC_OK)
        fail_msg("'%s': %s", text, err.msg);
    acc_xap_query_terms(q, 0, on_qterm, s);
    acc_xap_query_free(q);
    return s;
}

/* The documents of a parsed wildcard query, by docid. */
static const char *wildcard(acc_xap_parser *p, acc_xap_db *db, const char *text)
{
    acc_xap_query *q = NULL;
    acc_error err;
    assert_int_equal(acc_xap_parse(p, db, text, strlen(text), ACC_XAP_PARSE_WILDCARD, ACC_XAP_AND,
                                   NULL, &q, &err),
                     ACC_OK);
    return matches(db, q);
}

static void test_parser(void **state)
{
    acc_xap_db *db = open_small();
    acc_xap_stem *fr = acc_stem_new("fr");
    acc_xap_parser *p = acc_xap_parser_new(fr), *plain = acc_xap_parser_new(NULL);
    acc_xap_query *q = NULL;
    acc_error err;
    (void)state;
    acc_xap_stem_free(fr); /* borrowed for the call only */
    acc_xap_parser_prefix(p, "title", "S", 0);
    acc_xap_parser_prefix(p, "lang", "XL", 1);
    acc_xap_parser_number_range(p, 1, "year:");
    /* words stemmed into Z terms; unstemmed in phrases (STEM_SOME) */
    assert_string_equal(parsed_terms(p, NULL, "developpements", 0, ACC_XAP_AND, NULL),
                        "Zfr:developp ");
    assert_string_equal(parsed_terms(p, NULL, "\"developpements durables\"", ACC_XAP_PARSE_PHRASE,
                                     ACC_XAP_AND, NULL),
                        "developpements durables ");
    assert_string_equal(parsed_terms(p, NULL, "title:forets", 0, ACC_XAP_AND, NULL), "ZSfr:foret ");
    assert_string_equal(
        parsed_terms(p, NULL, "lang:fr eau", ACC_XAP_PARSE_BOOLEAN, ACC_XAP_AND, NULL),
        "XLfr Zfr:eau ");
    /* no stemmer: the words; a default prefix for free text */
    assert_string_equal(parsed_terms(plain, NULL, "forets eau", 0, ACC_XAP_AND, NULL),
                        "eau forets ");
    assert_string_equal(parsed_terms(plain, NULL, "forets", 0, ACC_XAP_AND, "S"), "Sforets ");
    /* the default operator */
    assert_int_equal(acc_xap_parse(plain, NULL, "a b", 3, 0, ACC_XAP_OR, NULL, &q, &err), ACC_OK);
    assert_string_equal(take(q), "Query((a@1 OR b@2))");
    assert_int_equal(acc_xap_parse(plain, NULL, "a b", 3, 0, ACC_XAP_AND, NULL, &q, &err), ACC_OK);
    assert_string_equal(take(q), "Query((a@1 AND b@2))");
    /* a number range */
    assert_int_equal(acc_xap_parse(p, NULL, "year:2012..2020", 15, 0, ACC_XAP_AND, NULL, &q, &err),
                     ACC_OK);
    assert_string_equal(matches(db, q), "2 3 ");
    /* pure NOT, with its flag */
    assert_int_equal(acc_xap_parse(plain, NULL, "NOT climate", 11,
                                   ACC_XAP_PARSE_BOOLEAN | ACC_XAP_PARSE_PURE_NOT, ACC_XAP_AND,
                                   NULL, &q, &err),
                     ACC_OK);
    assert_string_equal(matches(db, q), "3 4 ");
    /* wildcards expand against the database, bounded to the most frequent terms:
       water (docs 1-3) beats wave (doc 4) */
    static const char *const water[] = {"water@1", NULL}, *const wave[] = {"wave@1", NULL};
    char path[512];
    acc_xap_wdb *w = NULL;
    acc_xap_db *wild = NULL;
    fx_path(path, sizeof path, "wild.db");
    assert_int_equal(acc_xap_wdb_open(path, &w, &err), ACC_OK);
    for (int i = 1; i <= 4; i++)
        add_doc(w, i, i < 4 ? water : wave, NULL, 0, NULL, NULL, 0, "");
    assert_int_equal(acc_xap_wdb_commit(w, &err), ACC_OK);
    acc_xap_wdb_close(w);
    assert_int_equal(acc_xap_db_open(path, &wild, &err), ACC_OK);
    assert_string_equal(wildcard(plain, wild, "wa*"), "1 2 3 4 ");
    assert_string_equal(wildcard(plain, wild, "wav*"), "4 ");
    acc_xap_parser_max_expansion(plain, 1, ACC_XAP_PARSE_WILDCARD);
    assert_string_equal(wildcard(plain, wild, "wa*"), "1 2 3 ");
    assert_string_equal(wildcard(plain, wild, "wav*"), "4 ");
    acc_xap_db_close(wild);
    /* CJK n-grams */
    assert_string_equal(
        parsed_terms(plain, NULL, "\xe6\xb0\x94\xe5\x80\x99", ACC_XAP_PARSE_CJK, ACC_XAP_AND, NULL),
        "\xe5\x80\x99 \xe6\xb0\x94 \xe6\xb0\x94\xe5\x80\x99 ");
    acc_xap_parser_free(p);
    acc_xap_parser_free(plain);
    acc_xap_db_close(db);
}

/* -------------------------------------------------- spies and matches */

typedef struct counts {
    char s[256];
} counts;

static void on_count(void *ctx, const char *v, size_t n, unsigned long c)
{
    counts *s = ctx;
    size_t k = strlen(s->s);
    snprintf(s->s + k, sizeof s->s - k, "%.*s=%lu ", (int)n, v, c);
}

static void test_spies(void **state)
{
    acc_xap_db *db = open_small();
    acc_xap_spy *plain = acc_xap_spy_new(0), *raw = acc_xap_spy_new(7);
    acc_xap_spy *spies[] = {plain, raw};
    acc_xap_match_opts o;
    acc_xap_match *m = NULL;
    acc_error err;
    counts c = {""};
    (void)state;
    acc_xap_match_opts_init(&o);
    o.limit = 1; /* spies count every document looked at, not only the hits returned */
    o.check_at_least = 4;
    o.spies = spies;
    o.nspies = 2;
    acc_xap_query *all = acc_xap_query_all();
    assert_int_equal(acc_xap_match_run(db, all, &o, &m, &err), ACC_OK);
    acc_xap_match_free(m);
    /* values as stored (lib/facets.c splits lists), in byte order, documents without one
       left out */
    acc_xap_spy_each(plain, on_count, &c);
    assert_string_equal(c.s, "a=1 b=1 c=1 ");
    c.s[0] = '\0';
    acc_xap_spy_each(raw, on_count, &c);
    assert_string_equal(c.s, "x\x1f\x1fz\x1f=1 x\x1fy=1 y=1 ");
    for (int i = 0; i < 2; i++)
        acc_xap_spy_free(spies[i]);

    /* over the documents of a match only */
    raw = acc_xap_spy_new(7);
    o.spies = &raw;
    o.nspies = 1;
    acc_xap_query *q = t("climate");
    assert_int_equal(acc_xap_match_run(db, q, &o, &m, &err), ACC_OK);
    c.s[0] = '\0';
    acc_xap_spy_each(raw, on_count, &c);
    assert_string_equal(c.s, "x\x1fy=1 y=1 ");
    acc_xap_match_free(m);
    acc_xap_spy_free(raw);
    acc_xap_spy_free(NULL);
    acc_xap_query_free(q);
    acc_xap_query_free(all);
    acc_xap_db_close(db);
}

/* The docids of the hits of q with options o, in hit order. */
static const char *hits(acc_xap_db *db, const acc_xap_query *q, const acc_xap_match_opts *o)
{
    static char out[64];
    acc_xap_match *m = NULL;
    acc_error err;
    assert_int_equal(acc_xap_match_run(db, q, o, &m, &err), ACC_OK);
    out[0] = '\0';
    for (size_t i = 0; i < acc_xap_match_size(m); i++)
        snprintf(out + strlen(out), sizeof out - strlen(out), "%u ", acc_xap_match_docid(m, i));
    acc_xap_match_free(m);
    return out;
}

static void test_match_options(void **state)
{
    acc_xap_db *db = open_small();
    acc_xap_query *all = acc_xap_query_all(), *q;
    acc_xap_match_opts o;
    acc_xap_match *m = NULL;
    acc_error err;
    unsigned long est, lo, hi;
    (void)state;
    acc_xap_match_opts_init(&o);
    assert_int_equal(o.sort_slot, -1);
    assert_int_equal(o.collapse_slot, -1);
    assert_int_equal(o.limit, 10);
    assert_int_equal(o.offset, 0);
    assert_int_equal(o.bool_weight, 0);
    assert_float_equal(o.bm25[0], 1, 0);
    assert_float_equal(o.bm25[3], 0.5, 0);

    /* sorted by slot 0 (a, b, c; doc 4 has none) with the engine's keys: missing last both
       ways */
    o.sort_slot = 0;
    o.sort_key = acc_sort_key_ascending;
    assert_string_equal(hits(db, all, &o), "2 1 3 4 ");
    o.sort_key = acc_sort_key_descending;
    assert_string_equal(hits(db, all, &o), "3 1 2 4 ");
    /* Xapian's own value sort (remote shards): missing first when ascending */
    o.sort_key = NULL;
    assert_string_equal(hits(db, all, &o), "4 2 1 3 ");
    o.sort_descending = 1;
    assert_string_equal(hits(db, all, &o), "3 1 2 4 ");
    o.sort_descending = 0;
    o.sort_key = acc_sort_key_ascending;
    /* then by relevance among equal values */
    o.sort_slot = 6; /* w1 w1 w2 - */
    q = t("climate");
    assert_string_equal(hits(db, q, &o), "2 1 ");
    /* offset and limit */
    o.sort_slot = 0;
    o.offset = 1;
    o.limit = 2;
    assert_string_equal(hits(db, all, &o), "1 3 ");
    o.offset = 4;
    assert_string_equal(hits(db, all, &o), "");
    o.offset = 0;
    o.limit = 0;
    o.check_at_least = 4;
    assert_int_equal(acc_xap_match_run(db, all, &o, &m, &err), ACC_OK);
    assert_int_equal(acc_xap_match_size(m), 0);
    acc_xap_match_totals(m, &est, &lo, &hi);
    assert_int_equal(est, 4);
    assert_int_equal(lo, 4);
    assert_int_equal(hi, 4);
    acc_xap_match_totals(m, NULL, NULL, NULL);
    acc_xap_match_free(m);

    /* collapse on slot 6: one hit per value; documents without one are kept */
    acc_xap_match_opts_init(&o);
    o.collapse_slot = 6;
    o.sort_slot = 0;
    o.sort_key = acc_sort_key_ascending;
    assert_string_equal(hits(db, all, &o), "2 3 4 ");
    o.sort_key = acc_sort_key_descending;
    assert_string_equal(hits(db, all, &o), "3 1 4 ");
    o.check_at_least = 4;
    assert_int_equal(acc_xap_match_run(db, all, &o, &m, &err), ACC_OK);
    acc_xap_match_totals(m, &est, &lo, &hi);
    assert_int_equal(lo, 3);
    acc_xap_match_free(m);

    /* weights: BM25 or none */
    acc_xap_match_opts_init(&o);
    o.bool_weight = 1;
    assert_int_equal(acc_xap_match_run(db, q, &o, &m, &err), ACC_OK);
    assert_int_equal(acc_xap_match_size(m), 2);
    assert_float_equal(acc_xap_match_weight(m, 0), 0, 0);
    acc_xap_match_free(m);

    /* hits' documents and matching terms */
    acc_xap_match_opts_init(&o);
    acc_xap_query *v[] = {q, NULL};
    v[1] = t("forest");
    acc_xap_query *q2 = acc_xap_query_join(ACC_XAP_OR, v, 2);
    o.sort_slot = 0; /* 2 (a), 1 (b), 3 (c) */
    assert_int_equal(acc_xap_match_run(db, q2, &o, &m, &err), ACC_OK);
    assert_int_equal(acc_xap_match_size(m), 3);
    const char *want_data[] = {"two", "one", "three"},
               *want_terms[] = {"climate forest ", "climate ", "forest "};
    for (size_t i = 0; i < 3; i++) {
        acc_xap_doc *d = NULL;
        acc_buf b;
        char s[256] = "";
        acc_buf_init(&b, 0);
        assert_int_equal(acc_xap_match_doc(m, i, &d, &err), ACC_OK);
        assert_int_equal(acc_xap_doc_data(d, &b, &err), ACC_OK);
        assert_string_equal(b.p, want_data[i]);
        assert_int_equal(acc_xap_match_terms(m, i, on_qterm, s, &err), ACC_OK);
        assert_string_equal(s, want_terms[i]);
        acc_buf_release(&b);
        acc_xap_doc_free(d);
    }
    acc_xap_match_free(m);
    acc_xap_match_free(NULL);
    acc_xap_query_free(v[1]);
    acc_xap_query_free(q2);
    acc_xap_query_free(q);
    acc_xap_query_free(all);
    acc_xap_db_close(db);
}

/* -------------------------------------------------------------- stemmer */

static const char *stem(acc_xap_stem *s, const char *w, int folded)
{
    static char out[128];
    acc_buf b;
    acc_buf_init(&b, 0);
    acc_buf_append(&b, ">", 1); /* appended to what the buffer holds */
    if (folded)
        acc_stem_folded(s, w, strlen(w), &b);
    else
        acc_xap_stem_word(s, w, strlen(w), &b);
    assert_int_equal(b.p[0], '>');
    snprintf(out, sizeof out, "%s", b.p + 1);
    acc_buf_release(&b);
    return out;
}

static int prepared;

/* A test hook: 'q' becomes 's'. */
static void q_to_s(char *p, size_t n)
{
    prepared++;
    for (size_t i = 0; i < n; i++)
        if (p[i] == 'q')
            p[i] = 's';
}

/* A term scheme of the test's own (acc_xap_word_fn): tag + Snowball's stem of the word, after
   the hook on a copy of it */
typedef struct test_scheme {
    char tag[8];
    void (*hook)(char *, size_t);
} test_scheme;

static acc_status test_term(const void *ctx, const acc_xap_snowball *sb, const char *w, size_t n,
                            acc_buf *out, acc_error *err)
{
    const test_scheme *k = ctx;
    char copy[256];
    (void)err;
    assert_true(n < sizeof copy);
    memcpy(copy, w, n);
    if (k->hook)
        k->hook(copy, n);
    acc_buf_append(out, k->tag, strlen(k->tag));
    acc_xap_snowball_stem(sb, copy, n, out);
    return ACC_OK;
}

static void test_stemmer(void **state)
{
    (void)state;
    acc_xap_stem *en = acc_stem_new("en");
    assert_non_null(en);
    assert_string_equal(stem(en, "developments", 0), "en:develop");
    assert_string_equal(stem(en, "developments", 1), "en:develop");
    acc_xap_stem_free(en);
    /* any term scheme of the C side: here no tag */
    test_scheme none = {"", NULL};
    acc_xap_stem *x = acc_xap_stem_new("english", test_term, &none, sizeof none);
    assert_string_equal(stem(x, "wetlands", 0), "wetland");
    acc_xap_stem_free(x);

    /* fold(stem(w)) and stem(fold(w)) differ for some words: both are needed */
    acc_xap_stem *fr = acc_stem_new("fr");
    assert_string_equal(stem(fr, "créée", 0), "fr:cre");
    assert_string_equal(stem(fr, "créée", 1), "fr:cree");
    assert_string_equal(stem(fr, "développement", 0), "fr:developp");
    assert_string_equal(stem(fr, "forêts", 0), "fr:foret");

    /* remembered terms (lib/stem.c): the same word in another language is its own, a word
       asked again gets the same term, words longer than the memo's are stemmed each time */
    acc_xap_stem *en2 = acc_stem_new_query("en"), *de = acc_stem_new_query("de");
    assert_string_equal(stem(en2, "forests", 0), "en:forest");
    acc_xap_stem *fr2 = acc_stem_new_query("fr");
    assert_string_equal(stem(fr2, "forests", 0), "fr:forest");
    assert_string_equal(stem(de, "forests", 0), "de:for");
    assert_string_equal(stem(en2, "forests", 0), "en:forest");
    assert_string_equal(stem(fr2, "forêts", 0), "fr:foret");
    acc_xap_stem_free(fr2);
    for (int i = 0; i < 2; i++)
        assert_string_equal(stem(en2, "internationalisationsinternationalisations", 0),
                            "en:internationalisationsinternationalis");
    acc_xap_stem_free(en2);
    acc_xap_stem_free(de);
    acc_xap_stem_free(fr);

    /* the scheme's hook rewrites a copy before stemming; the stemmer keeps a copy of the
       scheme (the caller's may go) */
    prepared = 0;
    test_scheme hooked = {"en:", q_to_s};
    acc_xap_stem *h = acc_xap_stem_new("english", test_term, &hooked, sizeof hooked);
    memset(&hooked, 0, sizeof hooked);
    char w[] = "wetlandq";
    acc_buf b;
    acc_buf_init(&b, 0);
    acc_xap_stem_word(h, w, strlen(w), &b);
    assert_string_equal(b.p, "en:wetland");
    assert_string_equal(w, "wetlandq");
    assert_string_equal(stem(h, "wetlandq", 0), "en:wetland");
    assert_true(prepared >= 2);
    acc_buf_release(&b);
    acc_xap_stem_free(h);

    /* Romanian: the 1.4 stemmer knows the cedilla letters only; lib/stem.c gives them */
    const char *comma = "organiza\xc8\x9biei", *cedilla = "organiza\xc5\xa3iei";
    acc_xap_stem *ro = acc_stem_new("ro");
    assert_string_equal(stem(ro, comma, 0), "ro:organiz");
    assert_string_equal(stem(ro, cedilla, 0), "ro:organiz");
    assert_string_equal(stem(ro, comma, 1), "ro:organiz");
    acc_xap_stem_free(ro);
    test_scheme bare_ro = {"ro:", NULL};
    ro = acc_xap_stem_new("romanian", test_term, &bare_ro, sizeof bare_ro);
    char without[128];
    snprintf(without, sizeof without, "%s", stem(ro, comma, 0));
    assert_string_not_equal(without, stem(ro, cedilla, 0));
    acc_xap_stem_free(ro);

    /* no such algorithm */
    assert_null(acc_xap_stem_new("klingon", test_term, &none, sizeof none));
    acc_xap_stem_free(NULL);

    /* lib/stem.c: the language's algorithm, tagged; ro with its hook; none for pl, zh */
    acc_xap_stem *s = acc_stem_new("ro");
    assert_string_equal(stem(s, comma, 0), "ro:organiz");
    acc_xap_stem_free(s);
    s = acc_stem_new("de");
    assert_string_equal(stem(s, "waerme", 0), "de:warm");
    assert_string_equal(stem(s, "wärme", 0), "de:warm");
    acc_xap_stem_free(s);
    s = acc_stem_new("en");
    assert_string_equal(stem(s, "wetlands", 0), "en:wetland");
    acc_xap_stem_free(s);
    assert_null(acc_stem_new("pl"));
    assert_null(acc_stem_new("zh"));
    assert_null(acc_stem_new("und"));
}

/* ------------------------------------------------- terms of documents */

typedef struct plist {
    char s[512];
} plist;

static void on_posting(void *ctx, const char *t, size_t n, unsigned wdf, const unsigned *pos,
                       size_t npos)
{
    plist *l = ctx;
    size_t k = strlen(l->s);
    k += (size_t)snprintf(l->s + k, sizeof l->s - k, "%.*s/%u", (int)n, t, wdf);
    for (size_t i = 0; i < npos; i++)
        k += (size_t)snprintf(l->s + k, sizeof l->s - k, "%c%u", i ? ',' : '@', pos[i]);
    snprintf(l->s + k, sizeof l->s - k, " ");
}

static int on_wdf(void *ctx, const char *t, size_t n, unsigned wdf)
{
    termlist *l = ctx;
    size_t k = strlen(l->s);
    snprintf(l->s + k, sizeof l->s - k, "%.*s:%u ", (int)n, t, wdf);
    l->n++;
    return l->stop_after && l->n == l->stop_after;
}

static void test_doc_terms(void **state)
{
    acc_xap_doc *d = acc_xap_doc_new();
    acc_error err;
    plist p = {""};
    termlist l;
    (void)state;
    acc_xap_doc_add_posting(d, "a", 1, 5, 1);
    acc_xap_doc_add_posting(d, "a", 1, 1, 1);
    acc_xap_doc_add_term(d, "b", 1, 0);
    acc_xap_doc_add_term(d, "c", 1, 2);
    acc_xap_doc_add_term(d, "XLen", 4, 0);
    acc_xap_doc_add_term(d, "XL", 2, 0);
    acc_xap_doc_add_term(d, "XTtreaty", 8, 0);
    acc_xap_doc_add_term(d, "Xa", 2, 0);
    assert_int_equal(acc_xap_doc_postings(d, on_posting, &p, &err), ACC_OK);
    assert_string_equal(p.s, "XL/0 XLen/0 XTtreaty/0 Xa/0 a/2@1,5 b/0 c/2 ");
    memset(&l, 0, sizeof l);
    assert_int_equal(acc_xap_doc_terms(d, "XL", 2, on_wdf, &l, &err), ACC_OK);
    assert_string_equal(l.s, "XL:0 XLen:0 ");
    memset(&l, 0, sizeof l);
    l.stop_after = 1;
    assert_int_equal(acc_xap_doc_terms(d, "X", 1, on_wdf, &l, &err), ACC_OK);
    assert_string_equal(l.s, "XL:0 ");
    memset(&l, 0, sizeof l);
    assert_int_equal(acc_xap_doc_terms(d, "", 0, on_wdf, &l, &err), ACC_OK);
    assert_int_equal(l.n, 7);
    memset(&l, 0, sizeof l);
    assert_int_equal(acc_xap_doc_terms(d, "Y", 1, on_wdf, &l, &err), ACC_OK);
    assert_int_equal(l.n, 0);
    acc_xap_doc_free(d);
}

static void test_termgen(void **state)
{
    acc_error err;
    plist p = {""};
    (void)state;
    const char *t = "hello world, hello";
    assert_int_equal(acc_xap_termgen(t, strlen(t), 64, on_posting, &p, &err), ACC_OK);
    assert_string_equal(p.s, "hello/2@1,3 world/1@2 ");
    /* words longer than max_word are dropped (their position too) */
    p.s[0] = '\0';
    t = "abcd abcde abc";
    assert_int_equal(acc_xap_termgen(t, strlen(t), 4, on_posting, &p, &err), ACC_OK);
    assert_string_equal(p.s, "abc/1@2 abcd/1@1 ");
    /* CJK: characters with positions, pairs without */
    p.s[0] = '\0';
    t = "\xe6\xb0\x94\xe5\x80\x99";
    assert_int_equal(acc_xap_termgen(t, strlen(t), 64, on_posting, &p, &err), ACC_OK);
    assert_string_equal(p.s, "\xe5\x80\x99/1@2 \xe6\xb0\x94/1@1 \xe6\xb0\x94\xe5\x80\x99/1 ");
    /* nothing */
    p.s[0] = '\0';
    assert_int_equal(acc_xap_termgen("", 0, 64, on_posting, &p, &err), ACC_OK);
    assert_string_equal(p.s, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_reader),
        cmocka_unit_test(test_postings),
        cmocka_unit_test(test_expand),
        cmocka_unit_test(test_combined_revision),
        cmocka_unit_test(test_writer),
        cmocka_unit_test(test_query_objects),
        cmocka_unit_test(test_query_matches),
        cmocka_unit_test(test_sortable),
        cmocka_unit_test(test_parser),
        cmocka_unit_test(test_spies),
        cmocka_unit_test(test_match_options),
        cmocka_unit_test(test_stemmer),
        cmocka_unit_test(test_doc_terms),
        cmocka_unit_test(test_termgen),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
