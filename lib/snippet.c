/*
 * Snippet selection and highlighting (include/accord/snippet.h).
 *
 * The text is cut into words with byte offsets by acc_text_words(), so an
 * apostrophe inside a word is kept (l'environnement is one word, and the
 * callback normalises it like the indexer does); CJK characters are tried in
 * pairs with the character before them, then alone.
 * Bounded work: scanning stops after the first 16 KiB chunk with a match, and
 * at ACC_SNIPPET_SCAN_MAX bytes; at most MAX_MATCHES matches are kept. With
 * the place of the first match known (acc_snippet_near), only the words near
 * it are matched, and those the window shows beyond them.
 */
#include "accord/snippet.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "accord/mem.h"
#include "accord/text.h"

#define MAX_MATCHES 4096
#define SCAN_CHUNK (16u << 10)

typedef struct match {
    size_t start, end;
    int term;
} match;

typedef struct scanner {
    const char *base;
    acc_snippet_match_fn fn;
    void *ctx;
    match *m;
    size_t nm;
    /* the previous CJK character, for two-character matches */
    const char *cjk_prev;
    size_t cjk_prev_len;
    int cjk_prev_paired;
    size_t max; /* matches kept, at most */
} scanner;

static int on_word(void *ctx, const char *w, size_t n, int cjk)
{
    scanner *s = ctx;
    size_t at = (size_t)(w - s->base);
    int t;

    if (s->nm >= s->max)
        return 1;
    if (cjk) {
        /* a pair with the character before beats that character alone */
        if (s->cjk_prev && s->cjk_prev + s->cjk_prev_len == w && !s->cjk_prev_paired) {
            size_t pat = (size_t)(s->cjk_prev - s->base);
            t = s->fn(s->ctx, s->cjk_prev, s->cjk_prev_len + n);
            if (t >= 0) {
                if (s->nm && s->m[s->nm - 1].start == pat)
                    s->nm--; /* the single-character match it replaces */
                s->m[s->nm++] = (match){pat, at + n, t};
                s->cjk_prev = w;
                s->cjk_prev_len = n;
                s->cjk_prev_paired = 1;
                return 0;
            }
        }
        t = s->fn(s->ctx, w, n);
        if (t >= 0)
            s->m[s->nm++] = (match){at, at + n, t};
        s->cjk_prev = w;
        s->cjk_prev_len = n;
        s->cjk_prev_paired = 0;
        return 0;
    }
    s->cjk_prev = NULL;
    t = s->fn(s->ctx, w, n);
    if (t >= 0)
        s->m[s->nm++] = (match){at, at + n, t};
    return 0;
}

/* The matches of text[a..b) into m, at most max of them, their offsets in text. */
static size_t find_matches(const char *text, size_t a, size_t b, acc_snippet_match_fn fn, void *ctx,
                           match *m, size_t max)
{
    scanner s = {text, fn, ctx, m, 0, NULL, 0, 0, max};
    if (!fn || a >= b || !max)
        return 0;
    acc_text_words(text + a, b - a, on_word, &s);
    return s.nm;
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

static char *snippet(const char *text, size_t n, size_t width, acc_snippet_match_fn fn, void *ctx,
                     size_t *at, int need_match, size_t from, size_t to);

char *acc_snippet_at(const char *text, size_t n, size_t width, acc_snippet_match_fn fn, void *ctx,
                     size_t *at)
{
    return snippet(text, n, width, fn, ctx, at, 0, 0, n);
}

char *acc_snippet_find(const char *text, size_t n, size_t width, acc_snippet_match_fn fn, void *ctx,
                       size_t *at)
{
    return snippet(text, n, width, fn, ctx, at, 1, 0, n);
}

/* Moves i forward to the end of a word (a space or a newline), at most 256 bytes, then back
   to the start of a UTF-8 character. */
static size_t word_end(const char *p, size_t n, size_t i)
{
    size_t stop = i + 256 < n ? i + 256 : n;
    while (i < stop && p[i] != ' ' && p[i] != '\n')
        i++;
    return i < n ? char_start(p, i) : n;
}

char *acc_snippet_near(const char *text, size_t n, size_t width, acc_snippet_match_fn fn, void *ctx,
                       size_t word, size_t *at)
{
    if (!fn)
        return NULL;
    size_t from = 0;
    if (word > ACC_SNIPPET_NEAR_LEAD) {
        /* the words before are only counted, not matched */
        from = acc_text_word_start(text, n, word - ACC_SNIPPET_NEAR_LEAD);
    }
    if (from < n) {
        size_t to =
            from + ACC_SNIPPET_NEAR_SCAN < n ? word_end(text, n, from + ACC_SNIPPET_NEAR_SCAN) : n;
        char *s = snippet(text, n, width, fn, ctx, at, 1, from, to);
        if (s || (from == 0 && to == n))
            return s;
    }
    /* the count and the index's positions disagreed: the whole text */
    return snippet(text, n, width, fn, ctx, at, 1, 0, n);
}

/* The snippet of text[0..n), its matches looked for in text[from..to) (between words). */
static char *snippet(const char *text, size_t n, size_t width, acc_snippet_match_fn fn, void *ctx,
                     size_t *at, int need_match, size_t from, size_t to)
{
    size_t scan = to > ACC_SNIPPET_SCAN_MAX ? char_start(text, ACC_SNIPPET_SCAN_MAX) : to;
    match *m = acc_xmalloc(MAX_MATCHES * sizeof *m);
    size_t nm = 0, done = from;

    /*
     * Scan in chunks and stop after the first chunk with a match: the best
     * window of a long document is usually near its first matches, and this
     * keeps a page of ten 500 KB documents at a few ms.
     */
    while (done < scan && nm == 0) {
        /* the chunk ends between words */
        size_t stop = done + SCAN_CHUNK < scan ? word_end(text, scan, done + SCAN_CHUNK) : scan;
        if (stop <= done)
            stop = scan;
        nm = find_matches(text, done, stop, fn, ctx, m, MAX_MATCHES);
        done = stop;
    }
    if (!nm && need_match) {
        free(m);
        return NULL;
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
    if (nm && (best_start < from || end > done)) {
        /* the window reaches past the words looked at: its matches there are marked too */
        size_t a = best_start < from ? best_start : from,
               b = end > done ? word_end(text, n, end) : done;
        while (a > 0 && text[a - 1] != ' ' && text[a - 1] != '\n')
            a--; /* from the start of a word (best_start may cut one) */
        match *before = acc_xmalloc(MAX_MATCHES * sizeof *before);
        size_t nb = find_matches(text, a, from, fn, ctx, before, MAX_MATCHES);
        size_t keep = nm < MAX_MATCHES - nb ? nm : MAX_MATCHES - nb;
        memmove(m + nb, m, keep * sizeof *m);
        memcpy(m, before, nb * sizeof *m);
        free(before);
        best_i += nb;
        nm = nb + keep;
        nm += find_matches(text, done, b, fn, ctx, m + nm, MAX_MATCHES - nm);
    }
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

    *at = nm ? m[best_i].start : best_start;
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
