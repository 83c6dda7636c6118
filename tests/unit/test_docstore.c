/*
 * lib/docstore.c (lib/docstore.h): where the text is cut into chunks (after
 * a space or newline near ACC_TEXT_CHUNK, never inside a UTF-8 character;
 * texts of 0, 1, 4096, 4097 bytes and 1 MB, texts without spaces), the
 * chunks and the chunk map stored and read back, the article headings, the
 * record's length in both layouts, acc_docstore_read of a version-5 and a
 * version-6 document, and damaged chunks (ACC_EDB_CORRUPT).
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
#include "accord/snippet.h"
#include "docstore.h"
#include "hits.h"
#include "termgen.h"

/* the lookahead of lib/docstore.c: a chunk ends at a space or newline at most this far
   past ACC_TEXT_CHUNK */
#define LOOKAHEAD 256

/* The invariants of any cut: increasing, the last at n, every chunk of at most
   ACC_TEXT_CHUNK + LOOKAHEAD bytes, at a character boundary. */
static void check_cuts(const char *t, size_t n, const size_t *cuts, size_t k)
{
    size_t prev = 0;
    if (n == 0) {
        assert_int_equal(k, 0);
        return;
    }
    assert_true(k > 0);
    assert_int_equal(cuts[k - 1], n);
    for (size_t i = 0; i < k; i++) {
        if (cuts[i] <= prev || cuts[i] - prev > ACC_TEXT_CHUNK + LOOKAHEAD)
            fail_msg("chunk %zu: [%zu, %zu)", i, prev, cuts[i]);
        if (cuts[i] < n && ((unsigned char)t[cuts[i]] & 0xC0) == 0x80)
            fail_msg("cut %zu at %zu is inside a character", i, cuts[i]);
        /* every chunk but the last is full */
        if (i + 1 < k && cuts[i] - prev < ACC_TEXT_CHUNK - 3)
            fail_msg("chunk %zu is short: %zu bytes", i, cuts[i] - prev);
        prev = cuts[i];
    }
}

static size_t cut(const char *t, size_t n, size_t **cuts)
{
    size_t k = acc_docstore_cuts(t, n, cuts);
    check_cuts(t, n, *cuts, k);
    return k;
}

/* n bytes of words separated by spaces ("lorem ipsum ..."), caller frees. */
static char *words(size_t n)
{
    static const char *const w[] = {"lorem", "ipsum", "dolor", "sit", "amet", "accord"};
    char *t = malloc(n + 1);
    size_t i = 0, k = 0;
    while (i < n) {
        const char *s = w[k++ % 6];
        for (size_t j = 0; s[j] && i < n; j++)
            t[i++] = s[j];
        if (i < n)
            t[i++] = k % 11 == 0 ? '\n' : ' ';
    }
    t[n] = '\0';
    return t;
}

/* n bytes of character c (UTF-8, clen bytes) repeated; n a multiple of clen; caller frees. */
static char *repeat(const char *c, size_t clen, size_t n)
{
    char *t = malloc(n + 1);
    for (size_t i = 0; i < n; i += clen)
        memcpy(t + i, c, clen);
    t[n] = '\0';
    return t;
}

static void test_cuts_small(void **state)
{
    size_t *cuts = NULL, k;
    (void)state;
    k = cut("", 0, &cuts);
    assert_int_equal(k, 0);
    free(cuts);

    k = cut("a", 1, &cuts);
    assert_int_equal(k, 1);
    assert_int_equal(cuts[0], 1);
    free(cuts);

    char *t = repeat("a", 1, ACC_TEXT_CHUNK + 1);
    k = cut(t, ACC_TEXT_CHUNK, &cuts); /* exactly one chunk's worth: one chunk */
    assert_int_equal(k, 1);
    assert_int_equal(cuts[0], ACC_TEXT_CHUNK);
    free(cuts);
    k = cut(t, ACC_TEXT_CHUNK + 1, &cuts); /* one byte more, no space: cut at the size */
    assert_int_equal(k, 2);
    assert_int_equal(cuts[0], ACC_TEXT_CHUNK);
    assert_int_equal(cuts[1], ACC_TEXT_CHUNK + 1);
    free(cuts);
    t[ACC_TEXT_CHUNK] = ' '; /* the extra byte is a space: the chunk ends after it */
    k = cut(t, ACC_TEXT_CHUNK + 1, &cuts);
    assert_int_equal(k, 1);
    assert_int_equal(cuts[0], ACC_TEXT_CHUNK + 1);
    free(cuts);
    free(t);
}

static void test_cuts_at_spaces(void **state)
{
    size_t *cuts = NULL, k, n = ACC_TEXT_CHUNK + 1000;
    char *t = repeat("a", 1, n);
    (void)state;
    /* a space before ACC_TEXT_CHUNK does not end the chunk */
    t[100] = ' ';
    t[ACC_TEXT_CHUNK - 1] = ' ';
    /* the first space or newline at or past ACC_TEXT_CHUNK does */
    t[ACC_TEXT_CHUNK + 10] = '\n';
    t[ACC_TEXT_CHUNK + 20] = ' ';
    k = cut(t, n, &cuts);
    assert_int_equal(k, 2);
    assert_int_equal(cuts[0], ACC_TEXT_CHUNK + 11);
    free(cuts);

    /* the last byte the lookahead sees */
    t[ACC_TEXT_CHUNK + 10] = 'a';
    t[ACC_TEXT_CHUNK + 20] = 'a';
    t[ACC_TEXT_CHUNK + LOOKAHEAD - 1] = ' ';
    k = cut(t, n, &cuts);
    assert_int_equal(cuts[0], ACC_TEXT_CHUNK + LOOKAHEAD);
    free(cuts);
    /* one byte further: not seen, the chunk is cut at its size */
    t[ACC_TEXT_CHUNK + LOOKAHEAD - 1] = 'a';
    t[ACC_TEXT_CHUNK + LOOKAHEAD] = ' ';
    k = cut(t, n, &cuts);
    assert_int_equal(cuts[0], ACC_TEXT_CHUNK);
    free(cuts);
    free(t);

    /* 1 MB of words: every chunk ends after a space or a newline */
    n = 1 << 20;
    t = words(n);
    k = cut(t, n, &cuts);
    assert_true(k >= n / (ACC_TEXT_CHUNK + LOOKAHEAD));
    for (size_t i = 0; i + 1 < k; i++)
        if (t[cuts[i] - 1] != ' ' && t[cuts[i] - 1] != '\n')
            fail_msg("chunk %zu ends with '%c'", i, t[cuts[i] - 1]);
    free(cuts);
    free(t);
}

static void test_cuts_utf8(void **state)
{
    static const struct {
        const char *c;
        size_t len;
    } chars[] = {
        {"\xc3\xa9", 2}, {"\xe2\x82\xac", 3}, {"\xf0\x9f\x8c\x8d", 4}, {"\xe6\xa3\xae", 3}};
    (void)state;
    /* texts without any space, of 2-, 3- and 4-byte characters: cut between characters */
    for (size_t c = 0; c < sizeof chars / sizeof chars[0]; c++) {
        size_t n = (1 << 20) / chars[c].len * chars[c].len, *cuts = NULL;
        char *t = repeat(chars[c].c, chars[c].len, n);
        size_t k = cut(t, n, &cuts);
        assert_true(k >= n / ACC_TEXT_CHUNK);
        /* each chunk is whole characters */
        for (size_t i = 0; i < k; i++)
            assert_int_equal(cuts[i] % chars[c].len, 0);
        free(cuts);
        free(t);
    }
}

/* Chunk i of d equals want[0..n). */
static void chunk_is(const acc_xap_doc *d, unsigned i, const char *want, size_t n)
{
    acc_buf out;
    acc_error err;
    int found = -1;
    acc_buf_init(&out, 0);
    acc_buf_append(&out, "junk", 4); /* reset by the call */
    assert_int_equal(acc_docstore_chunk(d, i, NULL, &out, &found, &err), ACC_OK);
    assert_int_equal(found, 1);
    assert_int_equal(out.n, n);
    if (n && memcmp(out.p, want, n) != 0)
        fail_msg("chunk %u differs", i);
    acc_buf_release(&out);
}

static void no_chunk(const acc_xap_doc *d, unsigned i)
{
    acc_buf out;
    acc_error err;
    int found = -1;
    acc_buf_init(&out, 0);
    assert_int_equal(acc_docstore_chunk(d, i, NULL, &out, &found, &err), ACC_OK);
    assert_int_equal(found, 0);
    assert_int_equal(out.n, 0);
    acc_buf_release(&out);
}

/* Stores t[0..n) in a new document, reads it back chunk by chunk and whole. */
static void round_trip(const char *t, size_t n)
{
    size_t *cuts = NULL, k = acc_docstore_cuts(t, n, &cuts);
    acc_xap_doc *d = acc_xap_doc_new();
    acc_buf rec, text;
    acc_error err;
    assert_int_equal(acc_docstore_put_text(d, t, cuts, k, &err), ACC_OK);
    acc_xap_doc_set_data(d, "{\"id\":\"x\"}", 10);
    for (size_t i = 0, done = 0; i < k; done = cuts[i++])
        chunk_is(d, (unsigned)i, t + done, cuts[i] - done);
    no_chunk(d, (unsigned)k);
    /* the lead: the text's first ACC_TEXT_LEAD bytes at most, cut at a character */
    int found = -1;
    acc_buf lead;
    acc_buf_init(&lead, 0);
    assert_int_equal(acc_docstore_lead(d, &lead, &found, &err), ACC_OK);
    assert_int_equal(found, n > 0);
    assert_true(lead.n <= ACC_TEXT_LEAD && lead.n <= n);
    assert_true(lead.n == n || lead.n > ACC_TEXT_LEAD - 4);
    assert_true(lead.n == n || ((unsigned char)t[lead.n] & 0xC0) != 0x80);
    if (lead.n && memcmp(lead.p, t, lead.n) != 0)
        fail_msg("the lead differs from the text's start");
    acc_buf_release(&lead);
    acc_buf_init(&rec, 0);
    acc_buf_init(&text, 0);
    assert_int_equal(acc_docstore_read(d, NULL, &rec, &text, &err), ACC_OK);
    assert_int_equal(rec.n, 10);
    assert_memory_equal(rec.p, "{\"id\":\"x\"}", 10);
    assert_int_equal(text.n, n);
    if (n && memcmp(text.p, t, n) != 0)
        fail_msg("the text read back differs");
    acc_buf_release(&rec);
    acc_buf_release(&text);
    acc_xap_doc_free(d);
    free(cuts);
}

static void test_text_round_trip(void **state)
{
    (void)state;
    round_trip("", 0);
    round_trip("a", 1);
    char *t = words(1 << 20);
    round_trip(t, ACC_TEXT_CHUNK);
    round_trip(t, ACC_TEXT_CHUNK + 1);
    round_trip(t, 1 << 20);
    free(t);
    t = repeat("\xe2\x82\xac", 3, 300000);
    round_trip(t, 300000);
    free(t);
    /* NUL bytes are stored as they are */
    round_trip("a\0b\0", 4);
}

/* A language version shown after its hit displays the start of its text (lib/hits.c): made of
   the stored lead it is the snippet made of the whole first chunk, for texts of every length
   with runs of spaces and newlines (long leading ones too), characters of 1 to 4 bytes and
   words longer than the window */
static void test_lead_snippet(void **state)
{
    static const char *const pieces[] = {"climate",
                                         " ",
                                         "  ",
                                         "\n",
                                         "\n\n  ",
                                         "\xc3\xa9",
                                         "\xc3\x9f",
                                         "\xe6\xb0\x94",
                                         "\xf0\x9f\x8c\x8d",
                                         "&",
                                         "<b>",
                                         "adaptation-finance-mechanisms-and-more",
                                         "x"};
    char text[1400];
    unsigned seed = 7;
    acc_error err;
    (void)state;
    for (int round = 0; round < 2000; round++) {
        size_t n = 0, want = (size_t)(round % 600) + (round % 7 == 0 ? 700 : 0);
        while (n < want) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
            if (round % 11 == 0 && n < 300)
                p = round % 2 ? " " : "\n"; /* a long run of leading whitespace */
            size_t k = strlen(p);
            if (n + k >= sizeof text)
                break;
            memcpy(text + n, p, k);
            n += k;
        }
        size_t *cuts = NULL, k = acc_docstore_cuts(text, n, &cuts);
        acc_xap_doc *d = acc_xap_doc_new();
        acc_buf lead, first;
        int has_lead = 0, has_first = 0;
        acc_buf_init(&lead, 0);
        acc_buf_init(&first, 0);
        assert_int_equal(acc_docstore_put_text(d, text, cuts, k, &err), ACC_OK);
        assert_int_equal(acc_docstore_lead(d, &lead, &has_lead, &err), ACC_OK);
        assert_int_equal(acc_docstore_chunk(d, 0, NULL, &first, &has_first, &err), ACC_OK);
        assert_int_equal(has_lead, has_first);
        size_t at_lead = 1, at_first = 2;
        char *a =
            acc_snippet_at(lead.p ? lead.p : "", lead.n, ACC_SNIPPET_WIDTH, NULL, NULL, &at_lead);
        char *b = acc_snippet_at(first.p ? first.p : "", first.n, ACC_SNIPPET_WIDTH, NULL, NULL,
                                 &at_first);
        if (strcmp(a, b) != 0 || at_lead != at_first)
            fail_msg("round %d, %zu bytes, lead %zu: '%s' (at %zu), chunk: '%s' (at %zu)", round, n,
                     lead.n, a, at_lead, b, at_first);
        free(a);
        free(b);
        acc_buf_release(&lead);
        acc_buf_release(&first);
        acc_xap_doc_free(d);
        free(cuts);
    }
}

static void test_map_round_trip(void **state)
{
    static const unsigned pos[] = {1, 150, 151, 70000, 4000000000u};
    static const size_t cuts[] = {4100, 8200, 8201, 12345, 1u << 30};
    acc_xap_doc *d = acc_xap_doc_new();
    acc_chunk_map m;
    acc_error err;
    (void)state;
    /* no map (a version-5 document): empty */
    assert_int_equal(acc_docstore_map(d, &m, &err), ACC_OK);
    assert_int_equal(m.n, 0);
    acc_chunk_map_release(&m);

    acc_docstore_put_map(d, pos, cuts, 5);
    assert_int_equal(acc_docstore_map(d, &m, &err), ACC_OK);
    assert_int_equal(m.n, 5);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(m.pos[i], pos[i]);
        assert_int_equal(m.off[i], i ? cuts[i - 1] : 0);
    }
    acc_chunk_map_release(&m);
    assert_int_equal(m.n, 0);
    assert_null(m.pos);

    /* a map of one chunk; then of none */
    acc_docstore_put_map(d, pos, cuts, 1);
    assert_int_equal(acc_docstore_map(d, &m, &err), ACC_OK);
    assert_int_equal(m.n, 1);
    assert_int_equal(m.pos[0], 1);
    assert_int_equal(m.off[0], 0);
    acc_chunk_map_release(&m);
    acc_docstore_put_map(d, pos, cuts, 0);
    assert_int_equal(acc_docstore_map(d, &m, &err), ACC_OK);
    assert_int_equal(m.n, 0);
    acc_chunk_map_release(&m);

    /* a truncated varint ends the map where it breaks */
    acc_xap_doc_set_value(d, ACC_SLOT_TEXT_MAP, "\x01\x05\x02\x85", 4);
    assert_int_equal(acc_docstore_map(d, &m, &err), ACC_OK);
    assert_int_equal(m.n, 1);
    assert_int_equal(m.pos[0], 1);
    acc_chunk_map_release(&m);
    acc_xap_doc_free(d);
}

typedef struct seen {
    char labels[8][32];
    size_t off[8];
    size_t n, stop_after;
} seen;

static int on_article(void *ctx, size_t offset, const char *label, size_t len)
{
    seen *s = ctx;
    assert_true(s->n < 8 && len < 32);
    memcpy(s->labels[s->n], label, len);
    s->labels[s->n][len] = '\0';
    s->off[s->n++] = offset;
    return s->n == s->stop_after;
}

static void test_articles(void **state)
{
    static const acc_article a[] = {{"Preamble", 0},
                                    {"Article 1", 120},
                                    {"\xe7\xac\xac\xe4\xb8\x89\xe6\x9d\xa1", 5000},
                                    {"", 5000},
                                    {"Annex", 1u << 20}};
    acc_xap_doc *d = acc_xap_doc_new();
    acc_error err;
    seen s;
    int any = -1;
    (void)state;
    memset(&s, 0, sizeof s);
    assert_int_equal(acc_docstore_articles(d, on_article, &s, &any, &err), ACC_OK);
    assert_int_equal(any, 0);
    assert_int_equal(s.n, 0);

    acc_docstore_put_articles(d, a, 5);
    assert_int_equal(acc_docstore_articles(d, on_article, &s, &any, &err), ACC_OK);
    assert_int_equal(any, 1);
    assert_int_equal(s.n, 5);
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(s.labels[i], a[i].label);
        assert_int_equal(s.off[i], a[i].offset);
    }
    /* fn stops the walk; any is optional */
    memset(&s, 0, sizeof s);
    s.stop_after = 2;
    assert_int_equal(acc_docstore_articles(d, on_article, &s, NULL, &err), ACC_OK);
    assert_int_equal(s.n, 2);

    /* a label longer than the value is not read past the value */
    acc_xap_doc_set_value(d, ACC_SLOT_ARTICLES,
                          "\x00\x01"
                          "A\x05\x05"
                          "Art",
                          8);
    memset(&s, 0, sizeof s);
    assert_int_equal(acc_docstore_articles(d, on_article, &s, &any, &err), ACC_OK);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.labels[0], "A");
    acc_xap_doc_free(d);
}

static void test_record_len(void **state)
{
    (void)state;
    assert_int_equal(acc_docstore_record_len("{}", 2), 2);
    assert_int_equal(acc_docstore_record_len("{}\ntext\nmore", 12), 2);
    assert_int_equal(acc_docstore_record_len("{}\n", 3), 2);
    assert_int_equal(acc_docstore_record_len("\n", 1), 0);
    assert_int_equal(acc_docstore_record_len("", 0), 0);
    /* only data[0..n) is looked at */
    assert_int_equal(acc_docstore_record_len("{}\nx", 2), 2);
}

static void read_is(const acc_xap_doc *d, const char *rec, const char *text)
{
    acc_buf r, t;
    acc_error err;
    acc_buf_init(&r, 0);
    acc_buf_init(&t, 0);
    assert_int_equal(acc_docstore_read(d, NULL, &r, &t, &err), ACC_OK);
    assert_int_equal(r.n, strlen(rec));
    assert_memory_equal(r.p ? r.p : "", rec, r.n);
    assert_int_equal(t.n, strlen(text));
    assert_memory_equal(t.p ? t.p : "", text, t.n);
    /* the record alone */
    acc_buf_reset(&r);
    assert_int_equal(acc_docstore_read(d, NULL, &r, NULL, &err), ACC_OK);
    assert_int_equal(r.n, strlen(rec));
    acc_buf_release(&r);
    acc_buf_release(&t);
}

static void test_read_layouts(void **state)
{
    acc_xap_doc *d = acc_xap_doc_new();
    acc_error err;
    size_t cut = 9;
    (void)state;
    /* version 5: the text after the record's newline (newlines of the text kept) */
    const char v5[] = "{\"id\":\"a\"}\nthe text\nof a";
    acc_xap_doc_set_data(d, v5, strlen(v5));
    read_is(d, "{\"id\":\"a\"}", "the text\nof a");
    /* the data's text wins over chunks: a version-5 document has none */
    assert_int_equal(acc_docstore_put_text(d, "elsewhere", &cut, 1, &err), ACC_OK);
    read_is(d, "{\"id\":\"a\"}", "the text\nof a");
    /* version 5 with an empty text */
    acc_xap_doc_set_data(d, "{}\n", 3);
    read_is(d, "{}", "");
    /* version 6: the record alone in the data, the text in chunks */
    acc_xap_doc_set_data(d, "{}", 2);
    read_is(d, "{}", "elsewhere");
    acc_xap_doc_free(d);

    /* nothing at all */
    d = acc_xap_doc_new();
    read_is(d, "", "");
    acc_xap_doc_free(d);
}

/* acc_docstore_chunk of value v[0..n) in chunk 0: ACC_EDB_CORRUPT. */
static void corrupt_chunk(const char *v, size_t n)
{
    acc_xap_doc *d = acc_xap_doc_new();
    acc_buf out, rec, text;
    acc_error err;
    int found = -1;
    acc_buf_init(&out, 0);
    acc_buf_init(&rec, 0);
    acc_buf_init(&text, 0);
    acc_xap_doc_set_value(d, ACC_SLOT_TEXT, v, n);
    memset(&err, 0, sizeof err);
    assert_int_equal(acc_docstore_chunk(d, 0, NULL, &out, &found, &err), ACC_EDB_CORRUPT);
    assert_int_equal(err.code, ACC_EDB_CORRUPT);
    assert_non_null(strstr(err.msg, "corrupt"));
    assert_int_equal(found, 0);
    assert_int_equal(out.n, 0);
    /* and so does reading the whole text */
    acc_xap_doc_set_data(d, "{}", 2);
    assert_int_equal(acc_docstore_read(d, NULL, &rec, &text, &err), ACC_EDB_CORRUPT);
    acc_buf_release(&out);
    acc_buf_release(&rec);
    acc_buf_release(&text);
    acc_xap_doc_free(d);
}

static void test_corrupt_chunks(void **state)
{
    (void)state;
    corrupt_chunk("not zstd at all", 15);
    corrupt_chunk("\x28", 1);

    /* a frame cut short: its header promises more than it holds */
    char *t = words(20000);
    size_t bound = ZSTD_compressBound(20000);
    char *z = malloc(bound);
    size_t zn = ZSTD_compress(z, bound, t, 20000, 3);
    assert_false(ZSTD_isError(zn));
    corrupt_chunk(z, zn - 5);
    free(z);
    free(t);

    /* a frame far larger than any chunk */
    size_t big = 64 * ACC_TEXT_CHUNK + 1;
    t = words(big);
    bound = ZSTD_compressBound(big);
    z = malloc(bound);
    zn = ZSTD_compress(z, bound, t, big, 1);
    assert_false(ZSTD_isError(zn));
    corrupt_chunk(z, zn);
    free(z);
    free(t);

    /* a frame that does not say its size (streamed) */
    ZSTD_CCtx *c = ZSTD_createCCtx();
    assert_false(ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, 0)));
    char buf[256];
    ZSTD_outBuffer ob = {buf, sizeof buf, 0};
    ZSTD_inBuffer ib = {"streamed text", 13, 0};
    assert_false(ZSTD_isError(ZSTD_compressStream2(c, &ob, &ib, ZSTD_e_end)));
    ZSTD_freeCCtx(c);
    assert_int_equal(ZSTD_getFrameContentSize(buf, ob.pos), ZSTD_CONTENTSIZE_UNKNOWN);
    corrupt_chunk(buf, ob.pos);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cuts_small),   cmocka_unit_test(test_cuts_at_spaces),
        cmocka_unit_test(test_cuts_utf8),    cmocka_unit_test(test_text_round_trip),
        cmocka_unit_test(test_lead_snippet), cmocka_unit_test(test_map_round_trip),
        cmocka_unit_test(test_articles),     cmocka_unit_test(test_record_len),
        cmocka_unit_test(test_read_layouts), cmocka_unit_test(test_corrupt_chunks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
