/*
 * lib/complete.c (lib/complete.h): the search box's completion table gives,
 * for every prefix of one to three characters (ASCII, Cyrillic, CJK), the
 * words a scan of the index (acc_index_top_terms) gives, in its order (most
 * frequent first, equals in byte order); longer prefixes, prefixes no word
 * had, and damaged values are left to the scan; a rebuild after deletions
 * drops the prefixes no word has any more; the table is due when absent or
 * when a fiftieth of the documents changed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "accord/index.h"
#include "accord/writer.h"
#include "complete.h"
#include "fixture.h"
#include "reader.h"

static const fx_doc docs[] = {
    {.id = "a",
     .lang = "en",
     .title = "Climate action",
     .text = "climate climate climb clinic "
             "cliff clay water waste"},
    {.id = "b", .lang = "en", .title = "Clinics", .text = "climate clinic clinic cloud clue"},
    {.id = "c", .lang = "ru", .title = "Климат", .text = "климат климатический клиника"},
    {.id = "d", .lang = "zh", .title = "气候", .text = "气候变化 气候 水资源"},
    {.id = "e",
     .lang = "en",
     .title = "Wetlands",
     .text = "wetland wetlands waste water 2030 "
             "2050 20"},
};

static int setup(void **state)
{
    (void)state;
    return fx_setup("complete");
}

static int teardown(void **state)
{
    (void)state;
    return fx_teardown();
}

typedef struct words {
    char **v;
    size_t n;
} words;

static int on_term(void *ctx, const char *t, size_t n, unsigned long f)
{
    words *w = ctx;
    (void)f;
    if (n && ((t[0] >= 'a' && t[0] <= 'z') || (t[0] >= '0' && t[0] <= '9') ||
              (unsigned char)t[0] >= 0xC0)) {
        w->v = realloc(w->v, (w->n + 1) * sizeof *w->v);
        w->v[w->n++] = strndup(t, n);
    }
    return 0;
}

/* every prefix of 1-3 characters of every word: stored and scanned agree, and those not stored
   have fewer than ACC_COMPLETE_FEW words */
static void agree(acc_index *x, acc_xap_db *db, size_t keep)
{
    words w = {NULL, 0};
    acc_error err;
    assert_int_equal(acc_xap_db_terms(db, "", 0, 0, NULL, on_term, &w, &err), ACC_OK);
    assert_true(w.n > 5);
    size_t checked = 0, scanned = 0;
    for (size_t i = 0; i < w.n; i++) {
        for (size_t c = 1; c <= 3; c++) {
            size_t pn = 0, k = c;
            while (pn < strlen(w.v[i]) && k > 0) {
                pn++;
                while (pn < strlen(w.v[i]) && ((unsigned char)w.v[i][pn] & 0xC0) == 0x80)
                    pn++;
                k--;
            }
            if (k)
                break;
            acc_top_term *s = NULL, *t = NULL;
            size_t ns = 0, nt = 0;
            const int stored = acc_complete_stored(db, w.v[i], pn, keep, &s, &ns);
            assert_true(acc_complete_short(w.v[i], pn));
            if (!stored) {
                assert_int_equal(acc_index_top_terms(x, w.v[i], pn, ACC_COMPLETE_FEW, 0, NULL, NULL,
                                                     &t, &nt, &err),
                                 ACC_OK);
                assert_true(nt > 0 && nt < ACC_COMPLETE_FEW);
                acc_top_terms_free(t, nt);
                scanned++;
                continue;
            }
            assert_int_equal(acc_index_top_terms(x, w.v[i], pn, keep, 0, NULL, NULL, &t, &nt, &err),
                             ACC_OK);
            assert_int_equal(ns, nt);
            for (size_t j = 0; j < ns; j++) {
                assert_string_equal(s[j].term, t[j].term);
                assert_int_equal(s[j].freq, t[j].freq);
            }
            acc_top_terms_free(s, ns);
            acc_top_terms_free(t, nt);
            checked++;
        }
    }
    assert_true(checked > 10);
    assert_true(scanned > 10);
    for (size_t i = 0; i < w.n; i++)
        free(w.v[i]);
    free(w.v);
}

static void test_table(void **state)
{
    char path[512];
    acc_writer *w = NULL;
    acc_error err;
    unsigned long nwords = 0;
    (void)state;
    fx_index("table", docs, sizeof docs / sizeof docs[0], path, sizeof path);
    assert_int_equal(acc_writer_open(path, &w, &err), ACC_OK);
    assert_true(acc_writer_completions_due(w, 0)); /* no table yet */
    assert_int_equal(acc_writer_begin(w, &err), ACC_OK);
    assert_int_equal(acc_writer_completions(w, &nwords, &err), ACC_OK);
    assert_int_equal(acc_writer_commit(w, &err), ACC_OK);
    assert_true(nwords > 20);
    assert_false(acc_writer_completions_due(w, 0)); /* nothing changed */
    assert_true(acc_writer_completions_due(w, 1));  /* one of five documents: a fiftieth and more */
    acc_writer_close(w);

    acc_index *x = NULL;
    assert_int_equal(acc_index_open(path, &x, &err), ACC_OK);
    acc_xap_db *db = x->db;
    agree(x, db, ACC_COMPLETE_KEEP);
    agree(x, db, 2);
    /* the order: most frequent first, equals in byte order */
    acc_top_term *s = NULL;
    size_t ns = 0;
    assert_int_equal(acc_complete_stored(db, "cli", 3, 4, &s, &ns), 1);
    assert_int_equal(ns, 4);
    assert_string_equal(s[0].term, "climate");
    assert_string_equal(s[1].term, "clinic");
    assert_string_equal(s[2].term, "cliff"); /* one document each: byte order */
    assert_string_equal(s[3].term, "climb");
    acc_top_terms_free(s, ns);
    /* left to the scan: four characters, a prefix no word has, an empty one, prefixes of fewer
       than ACC_COMPLETE_FEW words (wa: waste, water; 20: 20, 2030, 2050; 气: 气候, 气候变化) */
    assert_int_equal(acc_complete_stored(db, "clim", 4, 4, &s, &ns), 0);
    assert_int_equal(acc_complete_stored(db, "wa", 2, 4, &s, &ns), 0);
    assert_int_equal(acc_complete_stored(db, "20", 2, 4, &s, &ns), 0);
    assert_int_equal(acc_complete_stored(db, "\xe6\xb0\x94", 3, 4, &s, &ns), 0);
    assert_false(acc_complete_short("clim", 4));
    assert_true(acc_complete_short("\xe6\xb0\x94\xe5\x80\x99", 6));
    assert_int_equal(acc_complete_stored(db, "qx", 2, 4, &s, &ns), 0);
    assert_int_equal(acc_complete_stored(db, "", 0, 4, &s, &ns), 0);
    acc_index_close(x);

    /* damaged values are left to the scan */
    static const char *const bad[] = {"12 climate", "x climate\n", "3 water\n", "3 \n"};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(acc_writer_open(path, &w, &err), ACC_OK);
        assert_int_equal(acc_writer_set_meta(w, ACC_COMPLETE_KEY_PREFIX "cl", bad[i], &err),
                         ACC_OK);
        assert_int_equal(acc_writer_commit(w, &err), ACC_OK);
        acc_writer_close(w);
        assert_int_equal(acc_index_open(path, &x, &err), ACC_OK);
        assert_int_equal(acc_complete_stored(x->db, "cl", 2, 4, &s, &ns), 0);
        acc_index_close(x);
    }

    /* deletions: a rebuild drops the prefixes no word has any more, and those of fewer than
       ACC_COMPLETE_FEW words (as an older table stored them), and agrees again */
    assert_int_equal(acc_writer_open(path, &w, &err), ACC_OK);
    assert_int_equal(
        acc_writer_set_meta(w, ACC_COMPLETE_KEY_PREFIX "wa", "2 water\n2 waste\n", &err), ACC_OK);
    assert_int_equal(acc_writer_commit(w, &err), ACC_OK);
    assert_int_equal(acc_index_open(path, &x, &err), ACC_OK);
    assert_int_equal(acc_complete_stored(x->db, "wa", 2, 4, &s, &ns), 1);
    acc_top_terms_free(s, ns);
    acc_index_close(x);
    assert_int_equal(acc_writer_delete(w, "c", &err), ACC_OK);
    assert_int_equal(acc_writer_delete(w, "d", &err), ACC_OK);
    assert_int_equal(acc_writer_commit(w, &err), ACC_OK);
    assert_int_equal(acc_writer_begin(w, &err), ACC_OK);
    assert_int_equal(acc_writer_completions(w, &nwords, &err), ACC_OK);
    assert_int_equal(acc_writer_commit(w, &err), ACC_OK);
    assert_true(nwords > 0);
    acc_writer_close(w);
    assert_int_equal(acc_index_open(path, &x, &err), ACC_OK);
    db = x->db;
    assert_int_equal(acc_complete_stored(db, "\xd0\xba\xd0\xbb", 4, 4, &s, &ns), 0); /* кл */
    assert_int_equal(acc_complete_stored(db, "wa", 2, 4, &s, &ns), 0);
    agree(x, db, ACC_COMPLETE_KEEP);
    acc_index_close(x);
}

/* the titles /suggest shows for text, as "title|title|..." (words left out) */
static char *titles_of(acc_index *x, const char *text)
{
    acc_error err;
    char *js = acc_index_suggest_json(x, text, strlen(text), 8, &err);
    assert_non_null(js);
    char *out = calloc(1, strlen(js) + 1);
    const char *p = js;
    while ((p = strstr(p, "\"text\":\"")) != NULL) {
        p += 8;
        const char *e = strchr(p, '"');
        if (strncmp(e, "\",\"kind\":\"title\"", 16) == 0) {
            strncat(out, p, (size_t)(e - p));
            strcat(out, "|");
        }
        p = e;
    }
    free(js);
    return out;
}

/* a large index (from ACC_LARGE_FROM documents) shows the first titles found instead of
   ranking them, also for several words whose last is short (from the table): the titles
   shown have every word typed, the last as a prefix */
static void test_titles_large(void **state)
{
    static const char *const cases[][2] = {
        {"climate ac", "Climate action|"}, /* head word + table words of "ac" */
        {"clin", "Clinics|"},              /* four characters: Xapian's expansion */
        {"cl", "Climate action|Clinics|"}, /* the table */
        {"action cl", "Climate action|"},
        {"wet", "Wetlands|"},
        {"water cl", ""}, /* no title has both */
    };
    char path[512];
    acc_writer *w = NULL;
    acc_error err;
    unsigned long nwords = 0;
    (void)state;
    fx_index("large", docs, sizeof docs / sizeof docs[0], path, sizeof path);
    assert_int_equal(acc_writer_open(path, &w, &err), ACC_OK);
    assert_int_equal(acc_writer_begin(w, &err), ACC_OK);
    assert_int_equal(acc_writer_completions(w, &nwords, &err), ACC_OK);
    assert_int_equal(acc_writer_commit(w, &err), ACC_OK);
    acc_writer_close(w);
    acc_index *x = NULL;
    assert_int_equal(acc_index_open(path, &x, &err), ACC_OK);
    for (int large = 0; large < 2; large++) {
        acc_index_set_large_from(x, large ? 1 : ACC_LARGE_FROM);
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            char *got = titles_of(x, cases[i][0]);
            if (strcmp(got, cases[i][1]) != 0)
                fail_msg("'%s' (large %d): titles '%s', expected '%s'", cases[i][0], large, got,
                         cases[i][1]);
            free(got);
        }
    }
    acc_index_close(x);
}

/* the titles of titles_of, sorted, for comparing what shards find in another order */
static char *sorted_titles(acc_index *x, const char *text)
{
    char *got = titles_of(x, text);
    char *v[16];
    size_t n = 0;
    for (char *t = strtok(got, "|"); t && n < 16; t = strtok(NULL, "|"))
        v[n++] = t;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
            char *tmp = v[j];
            v[j] = v[j - 1];
            v[j - 1] = tmp;
        }
    char *out = calloc(1, strlen(text) + 512);
    for (size_t i = 0; i < n; i++) {
        strcat(out, v[i]);
        strcat(out, "|");
    }
    free(got);
    return out;
}

static void with_table(const char *path)
{
    acc_writer *w = NULL;
    acc_error err;
    unsigned long nwords = 0;
    assert_int_equal(acc_writer_open(path, &w, &err), ACC_OK);
    assert_int_equal(acc_writer_begin(w, &err), ACC_OK);
    assert_int_equal(acc_writer_completions(w, &nwords, &err), ACC_OK);
    assert_int_equal(acc_writer_commit(w, &err), ACC_OK);
    acc_writer_close(w);
}

/* a large index of two shards (a stub file): the first titles found are looked for shard by
   shard (one match over both would look at every title), and are those of one index over the
   same documents, for titles in either shard */
static void test_titles_large_shards(void **state)
{
    static const char *const cases[] = {"clin", "wet", "action cl", "water cl", "климат", "qq"};
    const fx_doc a[] = {docs[0], docs[2], docs[4]}, b[] = {docs[1], docs[3]};
    char one[512], pa[512], pb[512], stub[512];
    acc_error err;
    (void)state;
    fx_index("one", docs, sizeof docs / sizeof docs[0], one, sizeof one);
    fx_index("sa.db", a, 3, pa, sizeof pa);
    fx_index("sb.db", b, 2, pb, sizeof pb);
    with_table(one);
    with_table(pa);
    with_table(pb);
    fx_write_file("ab.stub", "auto sa.db\nauto sb.db\n", stub, sizeof stub);
    acc_index *x = NULL, *y = NULL;
    assert_int_equal(acc_index_open(one, &x, &err), ACC_OK);
    assert_int_equal(acc_index_open(stub, &y, &err), ACC_OK);
    acc_index_set_large_from(x, 1);
    acc_index_set_large_from(y, 1);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *want = sorted_titles(x, cases[i]), *got = sorted_titles(y, cases[i]);
        if (strcmp(got, want) != 0)
            fail_msg("'%s' over shards: titles '%s', one index '%s'", cases[i], got, want);
        free(want);
        free(got);
    }
    /* "clin": Clinics is in the second shard only */
    char *c = titles_of(y, "clin");
    assert_string_equal(c, "Clinics|");
    free(c);
    acc_index_close(x);
    acc_index_close(y);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_titles_large),
        cmocka_unit_test(test_titles_large_shards),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
