/*
 * lib/words.c: the tokenizer of the text pipeline (include/accord/text.h): text cut into words
 * (acc_text_words, acc_text_word_start) and into Xapian's terms (acc_text_terms), as the
 * indexer, the snippets and the queries cut it. Normalising is lib/text.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "accord/text.h"
#include "textchar.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif

static int is_cjk(int32_t c)
{
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF);
}

int acc_text_is_apostrophe(int32_t c)
{
    return is_apostrophe(c);
}

/* Decodes the code point at p[i]; invalid bytes read as U+FFFD of length 1. */
static size_t next_cp(const char *p, size_t n, size_t i, int32_t *c)
{
    utf8proc_ssize_t k;
    if ((unsigned char)p[i] < 0x80) {
        *c = (unsigned char)p[i];
        return 1;
    }
    k = utf8proc_iterate((const utf8proc_uint8_t *)p + i, (utf8proc_ssize_t)(n - i), c);
    if (k <= 0) {
        *c = 0xFFFD;
        return 1;
    }
    return (size_t)k;
}

/* 1 for the bytes of ASCII letters and digits: the tokenizer's test for most bytes */
static const unsigned char ascii_alnum[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* The tokenizer's loop, inlined into each caller below, so that a known fn is inlined too */
static inline __attribute__((always_inline)) void words_each(const char *p, size_t n,
                                                             acc_word_fn fn, void *ctx)
{
    size_t i = 0;
    while (i < n) {
        int32_t c;
        size_t k;
        /* skip ASCII separators quickly */
        unsigned char b = (unsigned char)p[i];
        if (b < 0x80 && !ascii_alnum[b]) {
            i++;
            continue;
        }
        k = next_cp(p, n, i, &c);
        if (is_cjk(c)) {
            if (fn(ctx, p + i, k, 1))
                return;
            i += k;
            continue;
        }
        if (!is_word_char(c)) {
            i += k;
            continue;
        }
        size_t start = i;
        i += k;
        while (i < n) {
            b = (unsigned char)p[i];
            if (ascii_alnum[b]) {
                i++;
                continue;
            }
            /* the word ends at an ASCII byte other than an apostrophe */
            if (b < 0x80 && b != '\'' && b != '`')
                break;
            k = next_cp(p, n, i, &c);
            if (is_word_char(c) && !is_cjk(c)) {
                i += k;
                continue;
            }
            if (is_apostrophe(c) && i + k < n) {
                int32_t c2;
                next_cp(p, n, i + k, &c2);
                if (is_word_char(c2) && !is_cjk(c2)) {
                    i += k;
                    continue;
                }
            }
            break;
        }
        if (fn(ctx, p + start, i - start, 0))
            return;
    }
}

void acc_text_words(const char *p, size_t n, acc_word_fn fn, void *ctx)
{
    words_each(p, n, fn, ctx);
}

typedef struct word_skip {
    const char *base;
    size_t left; /* words still to pass */
    size_t at;   /* where the next word starts */
} word_skip;

static int on_skip(void *ctx, const char *w, size_t n, int cjk)
{
    word_skip *s = ctx;
    (void)n;
    (void)cjk;
    if (s->left == 0) {
        s->at = (size_t)(w - s->base);
        return 1;
    }
    s->left--;
    return 0;
}

/* an ASCII byte that ends any word before it: not a letter, digit or apostrophe */
static int word_break(unsigned char b)
{
    return b < 0x80 && !ascii_alnum[b] && b != '\'' && b != '`';
}

/*
 * Sixteen bytes at a time where they are all ASCII and hold no apostrophe: there a word is a
 * run of letters and digits, and the words starting in a block are the letters and digits not
 * after one (SSE2 masks, a popcount). A block with other bytes goes to the tokenizer's loop,
 * from the start of the word it is in to the next byte that ends every word, and the blocks
 * go on from there. A snippet counts up to 4 KiB of words this way.
 */
#ifdef __SSE2__
/* The bits set in a 16-bit mask, inline: __builtin_popcount is a call into libgcc without
   -mpopcnt, which the x86-64 baseline lacks (0.8 M instructions over the bench searches). */
static inline unsigned popcount16(unsigned x)
{
    x = x - ((x >> 1) & 0x5555u);
    x = (x & 0x3333u) + ((x >> 2) & 0x3333u);
    x = (x + (x >> 4)) & 0x0F0Fu;
    return (x + (x >> 8)) & 0x1Fu;
}
#endif

size_t acc_text_word_start(const char *p, size_t n, size_t k)
{
    size_t i = 0, left = k;
    unsigned prev = 0; /* p[i - 1] is an ASCII letter or digit */
#ifdef __SSE2__
    const __m128i quote = _mm_set1_epi8('\''), grave = _mm_set1_epi8('`');
    const __m128i d0 = _mm_set1_epi8('0' - 1), d9 = _mm_set1_epi8('9' + 1);
    const __m128i a0 = _mm_set1_epi8('a' - 1), z9 = _mm_set1_epi8('z' + 1);
    const __m128i lower = _mm_set1_epi8(0x20);
#endif
    while (i < n) {
#ifdef __SSE2__
        if (i + 16 <= n) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            __m128i other = _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, grave));
            if (!_mm_movemask_epi8(_mm_or_si128(v, other))) { /* no byte >= 0x80, ' or ` */
                /* signed comparisons: every byte is below 0x80 here */
                __m128i l = _mm_or_si128(v, lower); /* A-Z to a-z; no other byte enters a..z */
                __m128i alnum =
                    _mm_or_si128(_mm_and_si128(_mm_cmpgt_epi8(v, d0), _mm_cmplt_epi8(v, d9)),
                                 _mm_and_si128(_mm_cmpgt_epi8(l, a0), _mm_cmplt_epi8(l, z9)));
                unsigned m = (unsigned)_mm_movemask_epi8(alnum);
                unsigned starts = m & ~((m << 1) | prev);
                unsigned c = popcount16(starts);
                if (c > left) {
                    for (; left; left--)
                        starts &= starts - 1;
                    return i + (unsigned)__builtin_ctz(starts);
                }
                left -= c;
                prev = (m >> 15) & 1;
                i += 16;
                continue;
            }
        }
#endif
        /* the tokenizer's loop over [from, to): from the start of the word i is in (counted
           already when it began before i: passed again), to a byte that ends every word */
        size_t from = i, to = i + 16 < n ? i + 16 : n;
        if (prev) {
            while (from > 0 && ascii_alnum[(unsigned char)p[from - 1]])
                from--;
            left++;
        }
        while (to < n && !word_break((unsigned char)p[to - 1]))
            to++;
        word_skip s = {p + from, left, SIZE_MAX};
        words_each(p + from, to - from, on_skip, &s);
        if (s.at != SIZE_MAX)
            return from + s.at;
        left = s.left;
        prev = 0;
        i = to;
    }
    return n;
}

/* Xapian 1.4's CJK ranges (CJK::codepoint_is_cjk) */
static int xapian_cjk(int32_t p)
{
    if (p < 0x1100)
        return 0;
    return (p <= 0x11FF) || (p >= 0x2E80 && p <= 0x2FDF) || (p >= 0x3000 && p <= 0x9FFF) ||
           (p >= 0xA700 && p <= 0xA71F) || (p >= 0xAC00 && p <= 0xD7AF) ||
           (p >= 0xF900 && p <= 0xFAFF) || (p >= 0xFE30 && p <= 0xFE4F) ||
           (p >= 0xFF00 && p <= 0xFFEF) || (p >= 0x20000 && p <= 0x2A6DF) ||
           (p >= 0x2F800 && p <= 0x2FA1F);
}

/* Xapian's Unicode::is_wordchar: letters, marks, numbers, connector punctuation */
static int xapian_wordchar(int32_t c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
    utf8proc_category_t k = utf8proc_category(c);
    return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_NO) || k == UTF8PROC_CATEGORY_PC;
}

int acc_text_cjk_wordchar(int32_t c)
{
    return xapian_cjk(c) && xapian_wordchar(c);
}

static int xapian_digit(int32_t c)
{
    if (c < 0x80)
        return c >= '0' && c <= '9';
    return utf8proc_category(c) == UTF8PROC_CATEGORY_ND;
}

static int zero_width(int32_t c)
{
    return (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF;
}

enum { ACC_TERM_BUF = 256 };

typedef struct term_buf {
    char b[ACC_TERM_BUF];
    size_t n;
    int overflow;
} term_buf;

static void tb_put(term_buf *t, int32_t c)
{
    /* lower case, as TermGenerator does (the pipeline's text already is) */
    if (c < 0x80) {
        if (c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
    } else {
        c = utf8proc_tolower(c);
    }
    if (t->n + 4 > sizeof t->b) {
        t->overflow = 1;
        return;
    }
    if (c < 0x80)
        t->b[t->n++] = (char)c;
    else
        t->n += (size_t)utf8proc_encode_char(c, (utf8proc_uint8_t *)t->b + t->n);
}

static void tb_emit(term_buf *t, acc_term_fn fn, void *ctx, int positional)
{
    /* TermGenerator drops terms over its maximum word length (64 bytes) */
    if (t->n && !t->overflow && t->n <= 64)
        fn(ctx, t->b, t->n, positional);
}

void acc_text_terms(const char *p, size_t n, acc_term_fn fn, void *ctx)
{
    size_t i = 0;
    int32_t c = 0;
    size_t k = 0;

    for (;;) {
        /* to the start of the next term */
        for (;;) {
            if (i >= n)
                return;
            unsigned char b = (unsigned char)p[i];
            if (b < 0x80) {
                if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '_' ||
                    (b >= 'A' && b <= 'Z')) {
                    c = b;
                    k = 1;
                    break;
                }
                i++;
                continue;
            }
            k = next_cp(p, n, i, &c);
            if (xapian_wordchar(c))
                break;
            i += k;
        }

        if (xapian_cjk(c)) {
            /* a CJK run: each character, then the pair it starts */
            term_buf uni = {{0}, 0, 0};
            int32_t prev = -1;
            while (i < n) {
                k = next_cp(p, n, i, &c);
                if (!xapian_cjk(c) || !xapian_wordchar(c))
                    break;
                if (prev >= 0) {
                    term_buf bi = {{0}, 0, 0};
                    tb_put(&bi, prev);
                    tb_put(&bi, c);
                    tb_emit(&bi, fn, ctx, 0);
                }
                uni.n = 0;
                tb_put(&uni, c);
                tb_emit(&uni, fn, ctx, 1);
                prev = c;
                i += k;
            }
            continue;
        }

        term_buf t = {{0}, 0, 0};
        int32_t prevch;
        for (;;) {
            /* a run of word characters */
            do {
                tb_put(&t, c);
                prevch = c;
                i += k;
                if (i >= n) {
                    tb_emit(&t, fn, ctx, 1);
                    return;
                }
                k = next_cp(p, n, i, &c);
                if (xapian_cjk(c))
                    goto endofterm;
            } while (xapian_wordchar(c));
            /* an infix between word characters continues the word */
            size_t i2 = i + k;
            if (i2 >= n)
                goto suffix;
            int32_t nextch;
            size_t k2 = next_cp(p, n, i2, &nextch);
            if (!xapian_wordchar(nextch))
                goto suffix;
            int32_t infix = 0;
            if (xapian_digit(prevch) && xapian_digit(nextch)) {
                if (c == ',' || c == '.' || c == ';' || c == 0x037E || c == 0x0589 || c == 0x060D ||
                    c == 0x07F8 || c == 0x2044 || c == 0xFE10 || c == 0xFE13 || c == 0xFE14)
                    infix = c;
                else if (zero_width(c))
                    infix = -1;
            } else {
                if (c == '\'' || c == '&' || c == 0xB7 || c == 0x5F4 || c == 0x2027)
                    infix = c;
                else if (c == 0x2019 || c == 0x201B)
                    infix = '\'';
                else if (zero_width(c))
                    infix = -1;
            }
            if (!infix)
                goto suffix;
            if (infix > 0)
                tb_put(&t, infix);
            c = nextch;
            k = k2;
            i = i2;
            if (xapian_cjk(c))
                goto endofterm;
        }
    suffix : {
        size_t len = t.n;
        unsigned count = 0;
        while (i < n && (p[i] == '+' || p[i] == '#')) {
            if (++count > 3) {
                t.n = len;
                break;
            }
            tb_put(&t, p[i]);
            i++;
            if (i >= n) {
                tb_emit(&t, fn, ctx, 1);
                return;
            }
        }
        /* "fish+chips" is not "fish+" "chips" */
        if (count && count <= 3) {
            int32_t after;
            next_cp(p, n, i, &after);
            if (xapian_wordchar(after))
                t.n = len;
        }
    }
    endofterm:
        tb_emit(&t, fn, ctx, 1);
    }
}
