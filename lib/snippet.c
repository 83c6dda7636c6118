/*
 * Snippet selection and highlighting (include/accord/snippet.h).
 *
 * The text is cut into words with byte offsets: runs of letters, marks and
 * digits, with an apostrophe inside a word kept (l'environnement is one word,
 * so the callback sees the elision and can split it like the indexer does).
 * Han, kana and hangul characters are words of one character each.
 * Bounded work: scanning stops after the first 64 KiB chunk with a match, and
 * at ACC_SNIPPET_SCAN_MAX bytes; at most MAX_MATCHES matches are kept.
 */
#include "accord/snippet.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "accord/mem.h"

#define MAX_MATCHES 4096
#define SCAN_CHUNK (64u << 10)

typedef struct match {
    size_t start, end;
    int term;
} match;

static int is_cjk(int32_t c)
{
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF);
}

static int is_word(int32_t c)
{
    utf8proc_category_t k;
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    k = utf8proc_category(c);
    return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_NO;
}

static int is_apostrophe(int32_t c)
{
    return c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x02BC;
}

/* Decodes the code point at p[i] (valid UTF-8 assumed; invalid bytes read as U+FFFD). */
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

static size_t find_matches(const char *p, size_t n, acc_snippet_match_fn fn, void *ctx, match *m)
{
    size_t i = 0, nm = 0;
    while (i < n && nm < MAX_MATCHES) {
        int32_t c;
        size_t k = next_cp(p, n, i, &c);
        if (is_cjk(c)) {
            /* the pair first: a bigram match is the better highlight */
            int t = -1;
            size_t end = i + k;
            if (end < n) {
                int32_t c2;
                size_t k2 = next_cp(p, n, end, &c2);
                if (is_cjk(c2)) {
                    t = fn(ctx, p + i, k + k2);
                    if (t >= 0)
                        end += k2;
                }
            }
            if (t < 0)
                t = fn(ctx, p + i, k);
            if (t >= 0)
                m[nm++] = (match){i, end, t};
            i = t >= 0 ? end : i + k;
            continue;
        }
        if (!is_word(c)) {
            i += k;
            continue;
        }
        size_t start = i;
        i += k;
        while (i < n) {
            k = next_cp(p, n, i, &c);
            if (is_word(c) && !is_cjk(c)) {
                i += k;
                continue;
            }
            if (is_apostrophe(c) && i + k < n) {
                int32_t c2;
                next_cp(p, n, i + k, &c2);
                if (is_word(c2) && !is_cjk(c2)) {
                    i += k;
                    continue;
                }
            }
            break;
        }
        int t = fn(ctx, p + start, i - start);
        if (t >= 0)
            m[nm++] = (match){start, i, t};
    }
    return nm;
}

static void escape_char(acc_buf *b, char c)
{
    switch (c) {
    case '&':
        acc_buf_append(b, "&amp;", 5);
        break;
    case '<':
        acc_buf_append(b, "&lt;", 4);
        break;
    case '>':
        acc_buf_append(b, "&gt;", 4);
        break;
    case '"':
        acc_buf_append(b, "&quot;", 6);
        break;
    case '\'':
        acc_buf_append(b, "&#39;", 5);
        break;
    default:
        acc_buf_putc(b, c);
    }
}

char *acc_html_escape(const char *s, size_t n)
{
    acc_buf b;
    acc_buf_init(&b, 0);
    acc_buf_append(&b, "", 0);
    for (size_t i = 0; i < n; i++)
        escape_char(&b, s[i]);
    return acc_buf_detach(&b, NULL);
}

/* Appends p[a..b) escaped, whitespace runs collapsed to one space. */
static void put_text(acc_buf *out, const char *p, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++) {
        char c = p[i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v') {
            if (out->n && out->p[out->n - 1] != ' ')
                acc_buf_putc(out, ' ');
            continue;
        }
        escape_char(out, c);
    }
}

/* Moves i back to the start of a UTF-8 character. */
static size_t char_start(const char *p, size_t i)
{
    while (i > 0 && ((unsigned char)p[i] & 0xC0) == 0x80)
        i--;
    return i;
}

char *acc_snippet(const char *text, size_t n, size_t width, acc_snippet_match_fn fn, void *ctx)
{
    size_t scan = n > ACC_SNIPPET_SCAN_MAX ? char_start(text, ACC_SNIPPET_SCAN_MAX) : n;
    match *m = acc_xmalloc(MAX_MATCHES * sizeof *m);
    size_t nm = 0, done = 0;

    /*
     * Scan in chunks and stop after the first chunk with a match: the best
     * window of a long document is usually near its first matches, and this
     * keeps a page of ten 500 KB documents at a few ms.
     */
    while (done < scan && nm == 0) {
        size_t stop = done + SCAN_CHUNK < scan ? done + SCAN_CHUNK : scan;
        while (stop < scan && text[stop] != ' ' && text[stop] != '\n' &&
               stop < done + SCAN_CHUNK + 256)
            stop++; /* end the chunk between words */
        stop = char_start(text, stop);
        if (stop <= done)
            stop = scan;
        nm = find_matches(text + done, stop - done, fn, ctx, m);
        for (size_t k = 0; k < nm; k++) {
            m[k].start += done;
            m[k].end += done;
        }
        done = stop;
    }
    size_t best_start = 0, best_i = 0, j = 0;
    int best_score = -1;
    acc_buf out;

    /* two pointers: window of matches starting at m[i] and ending before start + width */
    for (size_t i = 0; i < nm; i++) {
        unsigned char seen[64] = {0};
        int distinct = 0, score;
        if (j < i)
            j = i;
        while (j < nm && m[j].end - m[i].start <= width)
            j++;
        for (size_t k = i; k < j; k++) {
            int t = m[k].term & 63;
            if (!seen[t]) {
                seen[t] = 1;
                distinct++;
            }
        }
        score = distinct * 1000 + (int)(j - i);
        if (score > best_score) {
            best_score = score;
            best_i = i;
        }
    }
    if (nm) {
        /* some context before the first match, starting at a word boundary */
        size_t lead = width / 5, s = m[best_i].start;
        best_start = s > lead ? char_start(text, s - lead) : 0;
        while (best_start > 0 && best_start > s - (s > lead + 30 ? lead + 30 : s) &&
               text[best_start - 1] != ' ' && text[best_start - 1] != '\n')
            best_start--;
        best_start = char_start(text, best_start);
    }
    size_t end = best_start + width < n ? char_start(text, best_start + width) : n;
    /* never cut inside a match */
    for (size_t k = 0; k < nm; k++)
        if (m[k].start < end && m[k].end > end)
            end = m[k].end;
    /* prefer to end at a space */
    if (end < n) {
        size_t e = end;
        while (e > best_start + width / 2 && text[e] != ' ' && text[e] != '\n')
            e--;
        if (e > best_start + width / 2)
            end = e;
    }
    while (best_start < end && (text[best_start] == ' ' || text[best_start] == '\n' ||
                                text[best_start] == '\t' || text[best_start] == '\r'))
        best_start++;

    acc_buf_init(&out, 0);
    if (best_start > 0)
        acc_buf_append(&out, "\xE2\x80\xA6", 3);
    size_t pos = best_start;
    for (size_t k = 0; k < nm; k++) {
        if (m[k].start < best_start || m[k].end > end)
            continue;
        if (m[k].start < pos)
            continue; /* overlapping CJK pair */
        put_text(&out, text, pos, m[k].start);
        acc_buf_append(&out, "<mark>", 6);
        put_text(&out, text, m[k].start, m[k].end);
        acc_buf_append(&out, "</mark>", 7);
        pos = m[k].end;
    }
    put_text(&out, text, pos, end);
    while (out.n && out.p[out.n - 1] == ' ')
        out.p[--out.n] = '\0';
    if (end < n)
        acc_buf_append(&out, "\xE2\x80\xA6", 3);
    free(m);
    return acc_buf_detach(&out, NULL);
}
