/* lib/dictd.c: dictd dictionaries, FreeDict's layout (lib/dictd.h). */
#include "dictd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <utf8proc.h>
#include <zlib.h>

#include "accord/mem.h"
#include "accord/text.h"

/* translations kept per entry, and the longest kept (bytes) */
#define MAX_TRANS 64
#define MAX_TRANS_BYTES 120

/*
 * The whole decompressed text of a gzip (dictzip) file. zlib reads a file
 * that is not gzip as it is, and stops quietly at the end of a truncated
 * one: both are errors here.
 */
static acc_status read_gz(const char *path, acc_buf *out, acc_error *err)
{
    FILE *raw = fopen(path, "rb");
    if (!raw)
        return acc_error_set(err, errno == ENOENT ? ACC_ENOTFOUND : ACC_EIO, "cannot read '%s': %s",
                             path, strerror(errno));
    unsigned char magic[2] = {0, 0};
    size_t got = fread(magic, 1, 2, raw);
    long size = fseek(raw, 0, SEEK_END) == 0 ? ftell(raw) : -1;
    fclose(raw);
    if (got != 2 || magic[0] != 0x1f || magic[1] != 0x8b)
        return acc_error_set(err, ACC_EIO, "'%s' is not a gzip (dictzip) file", path);
    gzFile f = gzopen(path, "rb");
    if (!f)
        return acc_error_set(err, ACC_EIO, "cannot open '%s'", path);
    if (size < 0 || size > (1 << 20))
        gzbuffer(f, 1 << 17); /* a large dictionary in fewer reads; zlib's 8 KiB otherwise */
    char chunk[1 << 16];
    int n;
    while ((n = gzread(f, chunk, sizeof chunk)) > 0)
        acc_buf_append(out, chunk, (size_t)n);
    int zerr = Z_OK;
    const char *msg = gzerror(f, &zerr);
    acc_status st = ACC_OK;
    if (n < 0 || zerr != Z_OK)
        st = acc_error_set(err, ACC_EIO, "'%s' is not a readable gzip file: %s", path,
                           zerr == Z_BUF_ERROR ? "truncated"
                           : msg && *msg       ? msg
                                               : "error");
    gzclose(f);
    return st;
}

/* dictd's base64 number p[0..n); -1 when a digit is not one. */
static long long b64(const char *p, size_t n)
{
    long long v = 0;
    if (!n || n > 10)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        int d = c >= 'A' && c <= 'Z'   ? c - 'A'
                : c >= 'a' && c <= 'z' ? c - 'a' + 26
                : c >= '0' && c <= '9' ? c - '0' + 52
                : c == '+'             ? 62
                : c == '/'             ? 63
                                       : -1;
        if (d < 0)
            return -1;
        v = v * 64 + d;
    }
    return v;
}

/* ------------------------------------------------------------- entries */

typedef struct trans_list {
    char *v[MAX_TRANS];
    char *dom[MAX_TRANS];
    size_t n;
} trans_list;

/* The buffers of a reading, reused from entry to entry (a dictionary has 100,000s). */
typedef struct scratch {
    acc_buf tmp, raw, dom, linedom, head, phrase;
} scratch;

static void trans_clear(trans_list *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i]);
        free(t->dom[i]);
    }
    t->n = 0;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/*
 * Whether p[0..n) (trimmed, spaces squeezed, tags out) is a plain word or
 * phrase: valid UTF-8 of letters, marks, spaces, apostrophes and dashes
 * inside words. Digits, dots (abbreviations: jdn., etw.), slashes
 * (alternatives), ellipses (fragments: "…fanatiker", "… und Konsorten"),
 * colons, quotes, symbols and control characters all mean it is not one.
 */
static int plain(const char *p, size_t n)
{
    if (!n || n > MAX_TRANS_BYTES)
        return 0;
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)p;
    utf8proc_ssize_t at = 0, len = (utf8proc_ssize_t)n;
    int prev_space = 1; /* a dash must sit between letters: "‐lich", "ere‐" are affixes */
    while (at < len) {
        utf8proc_int32_t c = s[at];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            at++; /* the common case, without utf8proc */
            prev_space = 0;
            continue;
        }
        utf8proc_ssize_t k = utf8proc_iterate(s + at, len - at, &c);
        if (k <= 0)
            return 0;
        at += k;
        utf8proc_category_t cat = utf8proc_category(c);
        if (c == ' ') {
            prev_space = 1;
            continue;
        }
        if (cat == UTF8PROC_CATEGORY_PD) {
            if (prev_space || at >= len || p[at] == ' ')
                return 0;
        } else if (c == '\'' || c == 0x2019) {
            /* an apostrophe: "Abel'sche", Dutch "'m", but no quotes: "'A Christmas Carol'" */
            if ((prev_space && (at >= len || p[at] == ' ')) || (at == k && p[n - 1] == p[at - 1]))
                return 0;
        } else if (c != 0x02BC && cat != UTF8PROC_CATEGORY_LU && cat != UTF8PROC_CATEGORY_LL &&
                   cat != UTF8PROC_CATEGORY_LT && cat != UTF8PROC_CATEGORY_LM &&
                   cat != UTF8PROC_CATEGORY_LO && cat != UTF8PROC_CATEGORY_MN &&
                   cat != UTF8PROC_CATEGORY_MC)
            return 0;
        prev_space = 0;
    }
    return 1;
}

/* p[0..n) trimmed, runs of spaces as one, into out (reset first). */
static void squeeze(const char *p, size_t n, acc_buf *out)
{
    acc_buf_reset(out);
    for (size_t i = 0; i < n; i++) {
        if (is_space(p[i])) {
            if (out->n && out->p[out->n - 1] != ' ')
                acc_buf_putc(out, ' ');
        } else
            acc_buf_putc(out, p[i]);
    }
    if (out->n && out->p[out->n - 1] == ' ')
        out->n--;
}

/*
 * Adds translation p[0..n) when it is a clean word or phrase: grammar tags
 * <...> and domains [...] out (the domains kept apart, after the line's own,
 * linedom), notes (...) and {...} out; text after a tag that follows the
 * translation is an abbreviation ("Computertomographie <fem> [med.] CT") and
 * is left out too.
 */
static void trans_add(trans_list *t, const char *p, size_t n, const char *linedom, scratch *sc)
{
    acc_buf *tmp = &sc->tmp, *raw = &sc->raw, *dom = &sc->dom;
    if (t->n >= MAX_TRANS)
        return;
    acc_buf_reset(raw);
    acc_buf_reset(dom);
    if (*linedom)
        acc_buf_append(dom, linedom, strlen(linedom));
    int depth = 0, text = 0, ended = 0;
    char close = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (!depth && (c == '<' || c == '[' || c == '(' || c == '{')) {
            depth = 1;
            close = c == '<' ? '>' : c == '[' ? ']' : c == '(' ? ')' : '}';
            if ((c == '<' || c == '[') && text)
                ended = 1;
            if (c == '[') {
                if (dom->n)
                    acc_buf_putc(dom, ' ');
                acc_buf_putc(dom, c);
            }
            continue;
        }
        if (depth) {
            if (close == ']')
                acc_buf_putc(dom, c);
            if (c == close)
                depth = 0;
            continue;
        }
        if (ended)
            continue;
        if (c == ')' || c == ']' || c == '>' || c == '}')
            acc_buf_putc(raw, '\x01'); /* unbalanced: makes it no plain phrase */
        if (!is_space(c))
            text = 1;
        acc_buf_putc(raw, c);
    }
    squeeze(raw->p ? raw->p : "", raw->n, tmp);
    if (depth || !plain(tmp->p, tmp->n))
        return;
    for (size_t i = 0; i < t->n; i++)
        if (strlen(t->v[i]) == tmp->n && memcmp(t->v[i], tmp->p, tmp->n) == 0)
            return;
    t->v[t->n] = acc_xstrndup(tmp->p, tmp->n);
    /* the tags as written, but valid UTF-8 whatever the file holds */
    acc_buf_reset(tmp);
    acc_utf8_sanitize(dom->p ? dom->p : "", dom->n, tmp);
    t->dom[t->n++] = acc_xstrndup(tmp->p ? tmp->p : "", tmp->n);
}

/*
 * Splits a line of translations on , and ; (not inside brackets). Domain
 * tags that open the line ("[selten] [statist.] weighting, weight") are the
 * whole line's.
 */
static void trans_split(trans_list *t, const char *p, size_t n, scratch *sc)
{
    acc_buf *linedom = &sc->linedom;
    acc_buf_reset(linedom);
    for (;;) {
        while (n && is_space(*p))
            p++, n--;
        const char *q = n && *p == '[' ? memchr(p, ']', n) : NULL;
        if (!q)
            break;
        if (linedom->n)
            acc_buf_putc(linedom, ' ');
        acc_buf_append(linedom, p, (size_t)(q - p) + 1);
        n -= (size_t)(q - p) + 1;
        p = q + 1;
    }
    acc_buf_putc(linedom, '\0');
    int depth = 0;
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        char c = i < n ? p[i] : ',';
        if (c == '<' || c == '[' || c == '(' || c == '{')
            depth++;
        else if ((c == '>' || c == ']' || c == ')' || c == '}') && depth)
            depth--;
        else if ((c == ',' || c == ';') && (!depth || i == n)) {
            trans_add(t, p + start, i - start, linedom->p, sc);
            start = i + 1;
            depth = 0;
        }
    }
}

static int starts(const char *p, size_t n, const char *w)
{
    size_t m = strlen(w);
    return n >= m && memcmp(p, w, m) == 0;
}

/* The next letter or digit of s[*at..n), lower case; -1 at the end. */
static utf8proc_int32_t next_alnum(const char *s, size_t n, size_t *at)
{
    while (*at < n) {
        unsigned char b = (unsigned char)s[*at];
        if (b < 0x80) {
            /* ASCII, most of a dictionary's keys: its letters and digits without utf8proc */
            (*at)++;
            if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9'))
                return b;
            if (b >= 'A' && b <= 'Z')
                return b - 'A' + 'a';
            continue;
        }
        utf8proc_int32_t c;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)s + *at, (utf8proc_ssize_t)(n - *at), &c);
        if (k <= 0)
            return -1;
        *at += (size_t)k;
        utf8proc_category_t cat = utf8proc_category(c);
        if ((cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
            (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO))
            return utf8proc_tolower(c);
    }
    return -1;
}

/*
 * Whether a and b have the same letters and digits, case aside: how dictd
 * keys its index ("… and that's flat!" is " and thats flat").
 */
static int same_key(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j = 0;
    for (;;) {
        utf8proc_int32_t x = next_alnum(a, an, &i), y = next_alnum(b, bn, &j);
        if (x != y)
            return 0;
        if (x < 0)
            return 1;
    }
}

/*
 * The headword of an entry whose index key is key: the entry's first line
 * up to the pronunciation (" /.../") or the part of speech (" <...>"), in
 * its own spelling ("Danube", "that's"), when it is what the key stands for;
 * the key itself for the index's other keys (abbreviations and variants
 * listed after the pronunciation). NULL when it is no plain word or phrase.
 */
static const char *headword(const char *key, const char *line, size_t len, acc_buf *out)
{
    size_t end = len;
    for (size_t i = 0; i + 1 < len; i++)
        if (line[i] == ' ' && (line[i + 1] == '/' || line[i + 1] == '<')) {
            end = i;
            break;
        }
    size_t kn = strlen(key);
    if (same_key(line, end, key, kn)) {
        squeeze(line, end, out);
    } else {
        /* a variant after the pronunciation: "No problem! /.../ (NPB /.../, ) (n.p. /.../, )" */
        const char *v = key;
        size_t vn = kn;
        for (size_t i = end; i < len; i++) {
            if (line[i] != '(')
                continue;
            size_t j = i + 1;
            while (j < len && line[j] != ')' && line[j] != ',' &&
                   !(line[j] == ' ' && j + 1 < len && line[j + 1] == '/'))
                j++;
            if (same_key(line + i + 1, j - i - 1, key, kn)) {
                v = line + i + 1;
                vn = j - i - 1;
                break;
            }
        }
        squeeze(v, vn, out);
    }
    acc_buf_putc(out, '\0');
    out->n--;
    return plain(out->p, out->n) ? out->p : NULL;
}

static int emit(acc_dictd_fn fn, void *ctx, const char *head, trans_list *t)
{
    if (!t->n)
        return 0;
    acc_dict_entry e = {head, (const char *const *)t->v, (const char *const *)t->dom, t->n};
    int stop = fn(ctx, &e);
    trans_clear(t);
    return stop;
}

/*
 * One entry's text p[0..n) under index key key: its translations, then each
 * short example ("phrase" - translation) as an entry of its own.
 */
static int parse_entry(const char *key, const char *p, size_t n, acc_dictd_fn fn, void *ctx,
                       scratch *sc)
{
    trans_list t = {{0}, {0}, 0}, ex = {{0}, {0}, 0};
    int stop = 0, senses = 0;
    acc_buf *head = &sc->head, *phrase = &sc->phrase;
    acc_buf_reset(head);
    acc_buf_reset(phrase);
    const char *nl = memchr(p, '\n', n);
    size_t first = nl ? (size_t)(nl - p) : n;
    const char *h = headword(key, p, first, head);
    for (size_t i = first + 1; h && i < n && !stop;) {
        const char *line = p + i;
        nl = memchr(line, '\n', n - i);
        size_t len = nl ? (size_t)(nl - line) : n - i;
        i += len + 1;
        while (len && is_space(*line))
            line++, len--;
        while (len && is_space(line[len - 1]))
            len--;
        if (!len || starts(line, len, "Note:") || starts(line, len, "Synonym") ||
            starts(line, len, "see:") || starts(line, len, "See") || starts(line, len, "Antonym") ||
            starts(line, len, "Syn:") || starts(line, len, "Ant:"))
            continue;
        if (*line == '"') {
            /* an example: "source phrase"  - its translation, ... */
            const char *q = memchr(line + 1, '"', len - 1);
            if (!q)
                continue;
            const char *dash = q + 1;
            size_t rest = len - (size_t)(dash - line);
            while (rest && is_space(*dash))
                dash++, rest--;
            if (!rest || *dash != '-')
                continue;
            squeeze(line + 1, (size_t)(q - line - 1), phrase);
            if (plain(phrase->p, phrase->n)) {
                acc_buf_putc(phrase, '\0');
                trans_split(&ex, dash + 1, rest - 1, sc);
                stop = emit(fn, ctx, phrase->p, &ex);
            }
            trans_clear(&ex);
            continue;
        }
        /*
         * A sense, "2. word, word", or the first line of an entry without
         * numbers. Any other line is a definition in the source language:
         * the dictionaries made from Wiktionary (deu-fra, deu-spa, fra-deu)
         * follow each sense with one ("1. fleuve, rivière" then "größeres,
         * fließendes Gewässer"), and give senses that have no translation
         * as a bare number line (" 3.") before theirs.
         */
        size_t k = 0;
        while (k < len && line[k] >= '0' && line[k] <= '9')
            k++;
        if (k && k < len && line[k] == '.' && (k + 1 == len || line[k + 1] == ' ')) {
            line += k + 1;
            len -= k + 1;
        } else if (senses++) {
            continue;
        }
        senses++;
        /* "1. maison 2.": the next sense's number, its translation missing */
        size_t e = len;
        while (e && line[e - 1] == '.')
            e--;
        size_t d = e;
        while (d && line[d - 1] >= '0' && line[d - 1] <= '9')
            d--;
        if (d < e && e < len && (d == 0 || line[d - 1] == ' '))
            len = d;
        trans_split(&t, line, len, sc);
    }
    if (!stop && h)
        stop = emit(fn, ctx, h, &t);
    trans_clear(&t);
    return stop;
}

acc_status acc_dictd_read(const char *index_path, const char *dict_path, acc_dictd_fn fn, void *ctx,
                          acc_error *err)
{
    FILE *ix = fopen(index_path, "r");
    if (!ix)
        return acc_error_set(err, errno == ENOENT ? ACC_ENOTFOUND : ACC_EIO, "cannot read '%s': %s",
                             index_path, strerror(errno));
    acc_buf text;
    scratch sc;
    acc_buf_init(&text, 0);
    acc_buf *const bufs[] = {&sc.tmp, &sc.raw, &sc.dom, &sc.linedom, &sc.head, &sc.phrase};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        acc_buf_init(bufs[i], 0);
    acc_status st = read_gz(dict_path, &text, err);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned long lineno = 0;
    while (st == ACC_OK && (len = getline(&line, &cap, ix)) >= 0) {
        lineno++;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (!len)
            continue;
        char *t1 = strchr(line, '\t');
        char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (!t2 || strchr(t2 + 1, '\t')) {
            st = acc_error_set(err, ACC_EINVAL, "%s:%lu: not 'headword TAB offset TAB length'",
                               index_path, lineno);
            break;
        }
        long long off = b64(t1 + 1, (size_t)(t2 - t1 - 1));
        long long n = b64(t2 + 1, strlen(t2 + 1));
        if (off < 0 || n < 0) {
            st = acc_error_set(err, ACC_EINVAL, "%s:%lu: offset or length is not base64",
                               index_path, lineno);
            break;
        }
        if ((unsigned long long)off + (unsigned long long)n > text.n) {
            st = acc_error_set(err, ACC_EINVAL, "%s:%lu: entry past the end of '%s'", index_path,
                               lineno, dict_path);
            break;
        }
        *t1 = '\0';
        /* the dictionary's own description: 00-database-info, 00databaseurl ... */
        if (strncmp(line, "00-", 3) == 0 || strncmp(line, "00database", 10) == 0 ||
            !acc_utf8_valid(line, strlen(line)))
            continue;
        /* an empty dictionary file has no buffer: no offset into nothing (undefined) */
        if (parse_entry(line, text.p ? text.p + off : "", (size_t)n, fn, ctx, &sc))
            break;
    }
    free(line);
    fclose(ix);
    acc_buf_release(&text);
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        acc_buf_release(bufs[i]);
    return st;
}

acc_status acc_dictd_read_pair(const char *dir, const char *src3, const char *dst3, acc_dictd_fn fn,
                               void *ctx, acc_error *err)
{
    char ix[4096], dz[4096];
    snprintf(ix, sizeof ix, "%s/freedict-%s-%s.index", dir, src3, dst3);
    snprintf(dz, sizeof dz, "%s/freedict-%s-%s.dict.dz", dir, src3, dst3);
    if (access(ix, F_OK) != 0 || access(dz, F_OK) != 0)
        return acc_error_set(err, ACC_ENOTFOUND, "no dictionary %s-%s in '%s'", src3, dst3, dir);
    return acc_dictd_read(ix, dz, fn, ctx, err);
}
