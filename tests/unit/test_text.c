/* Unit tests of the text pipeline (lib/text.c): what documents and queries become. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "accord/text.h"

typedef acc_status (*text_fn)(const char *, size_t, acc_buf *, acc_error *);

static void expect(text_fn fn, const char *in, const char *want)
{
    acc_buf b;
    acc_error err;
    acc_buf_init(&b, 0);
    assert_int_equal(fn(in, strlen(in), &b, &err), ACC_OK);
    assert_non_null(b.p);
    assert_string_equal(b.p, want);
    acc_buf_release(&b);
}

static void test_norm_casefold(void **state)
{
    (void)state;
    expect(acc_text_norm, "Größe STRASSE Straße", "grösse strasse strasse");
    expect(acc_text_norm, "КЛИМАТ", "климат");
    expect(acc_text_norm, "ﬁnance Ｆｕｌｌ", "finance full");
    expect(acc_text_norm, "ΣΊΣΥΦΟΣ", "σίσυφοσ");
    /* soft hyphen and zero-width space vanish */
    expect(acc_text_norm, "sus\xC2\xADtain\xE2\x80\x8B", "sustain");
}

static void test_norm_letters(void **state)
{
    (void)state;
    expect(acc_text_norm, "Œuvre æther Tromsø Łódź Đakovo", "oeuvre aether tromso lódź dakovo");
    /* Arabic tatweel is removed */
    expect(acc_text_norm, "المنـاخ", "المناخ");
}

static void test_norm_elision(void **state)
{
    (void)state;
    expect(acc_text_norm, "l'environnement", "environnement");
    expect(acc_text_norm, "de L’Environnement", "de environnement");
    expect(acc_text_norm, "qu’elle d'eau jusqu'à", "elle eau à");
    expect(acc_text_norm, "dell'ambiente all'acqua un'azione", "ambiente acqua azione");
    /* not elisions: kept whole */
    expect(acc_text_norm, "aujourd'hui don't o'neill rock'n'roll",
           "aujourd'hui don't o'neill rock'n'roll");
    /* an apostrophe before a non-letter is kept */
    expect(acc_text_norm, "l' 2", "l' 2");
}

static void test_fold(void **state)
{
    (void)state;
    expect(acc_text_norm_fold, "Développement durable", "developpement durable");
    expect(acc_text_norm_fold, "dezvoltare durabilă", "dezvoltare durabila");
    /* both Romanian spellings fold to the same letters */
    expect(acc_text_norm_fold, "Şcoală școală ţară țară", "scoala scoala tara tara");
    expect(acc_text_norm_fold, "GRÖSSE Größe", "grosse grosse");
    expect(acc_text_norm_fold, "مُسْتَدَامَة", "مستدامة");
    expect(acc_text_norm_fold, "可持续发展", "可持续发展");
}

static void test_query_fold(void **state)
{
    (void)state;
    expect(acc_text_query_fold, "Climat AND Développement", "climat AND developpement");
    expect(acc_text_query_fold, "a NEAR/3 b ADJ c OR NOT x", "a NEAR/3 b ADJ c OR NOT x");
    /* lower-case operators are words; partial operator names are words */
    expect(acc_text_query_fold, "and Andorra NEARBY", "and andorra nearby");
    expect(acc_text_query_fold, "\"gaz à effet\" -Paris title:Énergie",
           "\"gaz a effet\" -paris title:energie");
    expect(acc_text_query_fold, "l’environnement", "environnement");
}

static void test_invalid_utf8(void **state)
{
    acc_buf b;
    acc_error err;
    (void)state;
    acc_buf_init(&b, 0);
    assert_int_equal(acc_text_query_fold("bad\xff", 4, &b, &err), ACC_EINVAL);
    assert_string_equal(err.msg, "query is not valid UTF-8");
    assert_int_equal(acc_text_norm("\xC0\x80", 2, &b, &err), ACC_EINVAL);
    acc_buf_release(&b);

    assert_int_equal(acc_utf8_valid("ok é 中", strlen("ok é 中")), 1);
    assert_int_equal(acc_utf8_valid("\xED\xA0\x80", 3), 0);     /* surrogate */
    assert_int_equal(acc_utf8_valid("\xF4\x90\x80\x80", 4), 0); /* > U+10FFFF */
    assert_int_equal(acc_utf8_valid("\xE2\x82", 2), 0);         /* truncated */
    /* the 8-byte ASCII steps: a bad byte at every place after and inside a run */
    for (size_t at = 0; at < 20; at++) {
        char t[21];
        memset(t, 'a', 20);
        t[20] = '\0';
        assert_int_equal(acc_utf8_valid(t, 20), 1);
        t[at] = (char)0xC3; /* a lead byte whose continuation is 'a' (or missing) */
        assert_int_equal(acc_utf8_valid(t, 20), 0);
        t[at] = (char)0x80; /* a lone continuation byte */
        assert_int_equal(acc_utf8_valid(t, 20), 0);
        assert_int_equal(acc_utf8_valid(t, at), 1); /* the bytes before it */
    }
}

static void test_sanitize(void **state)
{
    acc_buf b;
    (void)state;
    acc_buf_init(&b, 0);
    assert_int_equal(acc_utf8_sanitize("a\xff"
                                       "b\xC3",
                                       4, &b),
                     2);
    assert_string_equal(b.p, "a\xEF\xBF\xBD"
                             "b\xEF\xBF\xBD");
    acc_buf_reset(&b);
    assert_int_equal(acc_utf8_sanitize("x\0y", 3, &b), 1);
    assert_int_equal(acc_utf8_valid(b.p, b.n), 1);
    acc_buf_reset(&b);
    assert_int_equal(acc_utf8_sanitize("clean é", strlen("clean é"), &b), 0);
    assert_string_equal(b.p, "clean é");
    acc_buf_release(&b);
}

static void test_ro_cedilla(void **state)
{
    char s[] = "protecția școlii";
    (void)state;
    acc_text_ro_cedilla(s, strlen(s));
    assert_string_equal(s, "protecţia şcolii");
}

/* acc_text_word_start's reference: the k-th word's start as acc_text_words cuts them */
typedef struct nth {
    const char *base;
    size_t k, at;
} nth;

static int on_nth(void *ctx, const char *w, size_t n, int cjk)
{
    nth *t = ctx;
    (void)n;
    (void)cjk;
    if (t->k-- == 0) {
        t->at = (size_t)(w - t->base);
        return 1;
    }
    return 0;
}

/* acc_text_word_start (16 ASCII bytes at a time, then the tokenizer's loop) against the
   tokenizer's own cut, for every k, on texts mixing ASCII, accents, apostrophes, CJK, bad bytes */
static void test_word_start(void **state)
{
    (void)state;
    static const char *const pieces[] = {"word",
                                         " ",
                                         "  ",
                                         "\n",
                                         ",",
                                         ".",
                                         "-",
                                         "_",
                                         "42",
                                         "COP28",
                                         "l'environnement",
                                         "rock'n'roll",
                                         "don`t",
                                         "'",
                                         "`",
                                         "caf\xC3\xA9",
                                         "\xC3\xA9t\xC3\xA9",
                                         "\xE2\x80\x93",
                                         "\xC2\xA0",
                                         "\xE6\xB0\x94\xE5\x80\x99",
                                         "\xFF",
                                         "\xC3",
                                         "Stra\xC3\x9F"
                                         "e",
                                         "x",
                                         "abcdefghijklmnopq",
                                         "0123456789abcdef",
                                         "\xD8\xAA\xD8\xBA\xD9\x8A\xD8\xB1"};
    const size_t npieces = sizeof pieces / sizeof *pieces;
    unsigned seed = 12345;
    char buf[600];
    for (int round = 0; round < 3000; round++) {
        size_t n = 0;
        /* mostly plain English in some rounds, mixed in others */
        int plain = round % 3 != 0;
        while (n < 400) {
            seed = seed * 1103515245u + 12345u;
            size_t pick = (seed >> 16) % npieces;
            const char *pc = pieces[pick];
            if (plain && (pick > 8 && pick != 9 && pick != 23 && pick != 24 && pick != 25))
                pc = (seed >> 8) & 1 ? " " : "word";
            size_t l = strlen(pc);
            memcpy(buf + n, pc, l);
            n += l;
        }
        for (size_t k = 0;; k++) {
            nth t = {buf, k, n};
            acc_text_words(buf, n, on_nth, &t);
            assert_int_equal(acc_text_word_start(buf, n, k), t.at);
            if (t.at == n)
                break;
        }
        /* every suffix too: blocks start at every alignment */
        size_t from = round % 17;
        nth t = {buf + from, 3, n - from};
        acc_text_words(buf + from, n - from, on_nth, &t);
        assert_int_equal(acc_text_word_start(buf + from, n - from, 3), t.at);
    }
}

/*
 * Plain ASCII goes 16 bytes at a time (lib/text.c: plain_end, plain_copy): the same as byte by
 * byte. Random ASCII texts of every length up to 80 at every alignment, with whitespace of every
 * kind, other control characters, DEL and upper case: acc_text_norm makes whitespace a space,
 * drops the other control characters and lowers the letters; acc_text_fold keeps the case. A
 * non-ASCII word at either end (its own chunk) leaves the ASCII between as it was.
 */
static void test_plain_blocks(void **state)
{
    (void)state;
    static const char alphabet[] = "abcXYZ09 .,-\t\n\r\f\v\x01\x1f\x7f@[`{AMz";
    char in[128], want_norm[256], want_fold[256], wrapped[160];
    unsigned seed = 7;
    acc_buf b;
    acc_error err;
    acc_buf_init(&b, 0);
    for (int round = 0; round < 4000; round++) {
        size_t len = (size_t)(round % 81), off = (size_t)(round / 81) % 16, nn = 0, nf = 0;
        char *t = in + off;
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            char c = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
            /* ` is an apostrophe to acc_text_norm: kept out of this test */
            t[i] = c == '`' ? 'q' : c;
        }
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)t[i];
            int space = c == ' ' || (c >= '\t' && c <= '\r');
            int ctl = !space && (c < 0x20 || c == 0x7f);
            if (!ctl)
                want_norm[nn++] = space ? ' ' : (c >= 'A' && c <= 'Z') ? (char)(c + 32) : (char)c;
            want_fold[nf++] = (char)c;
        }
        acc_buf_reset(&b);
        assert_int_equal(acc_text_norm(t, len, &b, &err), ACC_OK);
        assert_int_equal(b.n, nn);
        assert_memory_equal(b.p, want_norm, nn);
        acc_buf_reset(&b);
        assert_int_equal(acc_text_fold(t, len, &b, &err), ACC_OK);
        assert_int_equal(b.n, nf);
        assert_memory_equal(b.p, want_fold, nf);
        /* "é " + the text + " é": the ASCII between goes the same way */
        memcpy(wrapped, "\xC3\xA9 ", 3);
        memcpy(wrapped + 3, t, len);
        memcpy(wrapped + 3 + len, " \xC3\xA9", 3);
        acc_buf_reset(&b);
        assert_int_equal(acc_text_norm(wrapped, len + 6, &b, &err), ACC_OK);
        assert_int_equal(b.n, nn + 6);
        assert_memory_equal(b.p + 3, want_norm, nn);
    }
    acc_buf_release(&b);
}

/*
 * A long text remembers the non-ASCII words it normalised (lib/text.c: chunk_memo, from 4 KiB):
 * the same as normalising each line alone. Lines of repeated accented, Cyrillic, Arabic and
 * elided words, mixed case, some over 64 bytes (not remembered), joined by newlines.
 */
static void test_long_text_memo(void **state)
{
    (void)state;
    static const char *const words[] = {
        "Für",         "ÉTÉ",     "l'été",
        "Ĳssel",       "КЛИМАТ",  "климат",
        "تغير",        "ﬁnance",  "Straße",
        "naïve-Ñandú", "d'Œuvre", "ÀÉÎÕÜàéîõü-ÀÉÎÕÜàéîõü-ÀÉÎÕÜàéîõü-ÀÉÎÕÜàéîõü-ÀÉÎÕÜàéîõü",
        "plain"};
    const size_t nw = sizeof words / sizeof words[0];
    acc_buf text, line, want, got;
    acc_error err;
    acc_buf_init(&text, 0);
    acc_buf_init(&line, 0);
    acc_buf_init(&want, 0);
    acc_buf_init(&got, 0);
    unsigned seed = 11;
    for (int l = 0; l < 300; l++) {
        acc_buf_reset(&line);
        for (int k = 0; k < 6; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *w = words[(seed >> 16) % nw];
            if (k)
                acc_buf_putc(&line, ' ');
            acc_buf_append(&line, w, strlen(w));
        }
        if (l)
            acc_buf_putc(&text, '\n');
        acc_buf_append(&text, line.p, line.n);
        if (l)
            acc_buf_putc(&want, ' ');
        assert_int_equal(acc_text_norm(line.p, line.n, &want, &err), ACC_OK);
    }
    assert_true(text.n >= 4096);
    assert_int_equal(acc_text_norm(text.p, text.n, &got, &err), ACC_OK);
    assert_int_equal(got.n, want.n);
    assert_memory_equal(got.p, want.p, want.n);
    /* folding too */
    acc_buf_reset(&want);
    acc_buf_reset(&got);
    acc_buf_reset(&line);
    assert_int_equal(acc_text_norm(text.p, text.n, &line, &err), ACC_OK);
    assert_int_equal(acc_text_fold(line.p, line.n, &got, &err), ACC_OK);
    for (size_t i = 0, start = 0; i <= line.n; i++) {
        if (i < line.n && line.p[i] != ' ')
            continue;
        if (start)
            acc_buf_putc(&want, ' ');
        assert_int_equal(acc_text_fold(line.p + start, i - start, &want, &err), ACC_OK);
        start = i + 1;
    }
    assert_int_equal(got.n, want.n);
    assert_memory_equal(got.p, want.p, want.n);
    acc_buf_release(&text);
    acc_buf_release(&line);
    acc_buf_release(&want);
    acc_buf_release(&got);
}

static void test_buf_cap(void **state)
{
    acc_buf b;
    (void)state;
    acc_buf_init(&b, 8);
    assert_int_equal(acc_buf_append(&b, "12345678", 8), 0);
    assert_int_equal(acc_buf_append(&b, "9", 1), -1);
    assert_int_equal(b.toobig, 1);
    assert_string_equal(b.p, "12345678");
    acc_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_norm_casefold), cmocka_unit_test(test_norm_letters),
        cmocka_unit_test(test_norm_elision),  cmocka_unit_test(test_fold),
        cmocka_unit_test(test_query_fold),    cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_sanitize),      cmocka_unit_test(test_ro_cedilla),
        cmocka_unit_test(test_buf_cap),       cmocka_unit_test(test_word_start),
        cmocka_unit_test(test_plain_blocks),  cmocka_unit_test(test_long_text_memo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
