/* lib/dictd.c: dictd dictionaries, FreeDict's layout (lib/dictd.h). */
#include "dictd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "accord/mem.h"
#include "accord/text.h"

/* translations kept per entry, and the longest kept (bytes) */
#define MAX_TRANS 64
#define MAX_TRANS_BYTES 120

/* The whole decompressed text of a gzip (dictzip) file. */
static acc_status read_gz(const char *path, acc_buf *out, acc_error *err)
{
    if (access(path, R_OK) != 0)
        return acc_error_set(err, errno == ENOENT ? ACC_ENOTFOUND : ACC_EIO, "cannot read '%s': %s",
                             path, strerror(errno));
    gzFile f = gzopen(path, "rb");
    if (!f)
        return acc_error_set(err, ACC_EIO, "cannot open '%s'", path);
    gzbuffer(f, 1 << 17);
    char chunk[1 << 16];
    int n;
    while ((n = gzread(f, chunk, sizeof chunk)) > 0)
        acc_buf_append(out, chunk, (size_t)n);
    int zerr = Z_OK;
    const char *msg = n < 0 ? gzerror(f, &zerr) : NULL;
    acc_status st = ACC_OK;
    if (n < 0)
        st = acc_error_set(err, ACC_EIO, "'%s' is not a readable gzip file: %s", path,
                           msg ? msg : "error");
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
 * Adds translation p[0..n) when it is a clean word or phrase: tags <...>,
 * domains [...] (kept apart), notes (...) and {...} removed; forms with a
 * slash (alternatives), abbreviations (jdn., etw.) or digits dropped.
 */
static void trans_add(trans_list *t, const char *p, size_t n)
{
    acc_buf clean, dom;
    if (t->n >= MAX_TRANS)
        return;
    acc_buf_init(&clean, 0);
    acc_buf_init(&dom, 0);
    int depth = 0, bad = 0;
    char close = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (!depth && (c == '<' || c == '[' || c == '(' || c == '{')) {
            depth = 1;
            close = c == '<' ? '>' : c == '[' ? ']' : c == '(' ? ')' : '}';
            if (c == '[') {
                if (dom.n)
                    acc_buf_putc(&dom, ' ');
                acc_buf_putc(&dom, c);
            }
            continue;
        }
        if (depth) {
            if (close == ']')
                acc_buf_putc(&dom, c);
            if (c == close)
                depth = 0;
            continue;
        }
        if (c == '/' || c == '.' || c == '"' || c == '=' || c == '!' || c == '?' ||
            (c >= '0' && c <= '9'))
            bad = 1;
        acc_buf_putc(&clean, c);
    }
    /* trim and squeeze spaces */
    size_t a = 0, b = clean.n;
    while (a < b && is_space(clean.p[a]))
        a++;
    while (b > a && is_space(clean.p[b - 1]))
        b--;
    if (!bad && b > a && b - a <= MAX_TRANS_BYTES && acc_utf8_valid(clean.p + a, b - a)) {
        for (size_t i = 0; i < t->n; i++)
            if (strlen(t->v[i]) == b - a && memcmp(t->v[i], clean.p + a, b - a) == 0)
                goto out;
        t->v[t->n] = acc_xstrndup(clean.p + a, b - a);
        t->dom[t->n++] = acc_xstrndup(dom.p ? dom.p : "", dom.n);
    }
out:
    acc_buf_release(&clean);
    acc_buf_release(&dom);
}

/* Splits a line of translations on , and ; (not inside brackets). */
static void trans_split(trans_list *t, const char *p, size_t n)
{
    int depth = 0;
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        char c = i < n ? p[i] : ',';
        if (c == '<' || c == '[' || c == '(' || c == '{')
            depth++;
        else if ((c == '>' || c == ']' || c == ')' || c == '}') && depth)
            depth--;
        else if ((c == ',' || c == ';') && (!depth || i == n)) {
            trans_add(t, p + start, i - start);
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
 * One entry's text p[0..n) under headword head: its translations, then each
 * short example ("phrase" - translation) as an entry of its own.
 */
static int parse_entry(const char *head, const char *p, size_t n, acc_dictd_fn fn, void *ctx)
{
    trans_list t = {{0}, {0}, 0}, ex = {{0}, {0}, 0};
    int stop = 0, first = 1;
    for (size_t i = 0; i < n && !stop;) {
        const char *line = p + i;
        const char *nl = memchr(line, '\n', n - i);
        size_t len = nl ? (size_t)(nl - line) : n - i;
        i += len + 1;
        if (first) {
            first = 0; /* the headword, its pronunciation and part of speech */
            continue;
        }
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
            char *phrase = acc_xstrndup(line + 1, (size_t)(q - line - 1));
            if (acc_utf8_valid(phrase, strlen(phrase)) && !strpbrk(phrase, ".?!;:")) {
                trans_split(&ex, dash + 1, rest - 1);
                stop = emit(fn, ctx, phrase, &ex);
            }
            trans_clear(&ex);
            free(phrase);
            continue;
        }
        /* a sense: "2. word, word" */
        size_t k = 0;
        while (k < len && line[k] >= '0' && line[k] <= '9')
            k++;
        if (k && k + 1 < len && line[k] == '.' && line[k + 1] == ' ') {
            line += k + 2;
            len -= k + 2;
        }
        trans_split(&t, line, len);
    }
    if (!stop)
        stop = emit(fn, ctx, head, &t);
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
    acc_buf_init(&text, 0);
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
        if (parse_entry(line, text.p + off, (size_t)n, fn, ctx))
            break;
    }
    free(line);
    fclose(ix);
    acc_buf_release(&text);
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
