/* lib/qtext.c: the text of a query before parsing (lib/qtext.h). */
#include "qtext.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "accord/text.h"

/* Calls fn(ctx, token, len) for each space-separated token of q, empty ones included. */
typedef void (*token_fn)(void *ctx, const char *t, size_t n);
static void each_token(const char *q, size_t n, token_fn fn, void *ctx)
{
    size_t i = 0;
    while (i < n) {
        const char *sp = memchr(q + i, ' ', n - i);
        size_t j = sp ? (size_t)(sp - q) : n;
        fn(ctx, q + i, j - i);
        i = j + 1;
    }
}

static int has_prefix(const char *t, size_t n, const char *p)
{
    size_t k = strlen(p);
    return n >= k && memcmp(t, p, k) == 0;
}

static const char *find_str(const char *hay, size_t n, size_t from, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = from; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return hay + i;
    return NULL;
}

/* 1 when t[0..n) is punctuation only: - – — : ; , / | · */
static int punctuation_only(const char *t, size_t n)
{
    static const char *const marks[] = {"\xe2\x80\x93", "\xe2\x80\x94", "\xc2\xb7"};
    if (!n)
        return 0;
    for (size_t i = 0; i < n;) {
        if (strchr("-:;,/|", t[i]) && t[i]) {
            i++;
            continue;
        }
        size_t k = 0;
        for (; k < sizeof marks / sizeof marks[0]; k++)
            if (has_prefix(t + i, n - i, marks[k]))
                break;
        if (k == sizeof marks / sizeof marks[0])
            return 0;
        i += strlen(marks[k]);
    }
    return 1;
}

void acc_qtext_tidy(const char *t, size_t n, acc_buf *out)
{
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && t[j] != ' ' && t[j] != '\t' && t[j] != '\n')
            j++;
        size_t len = j - i;
        if (len && !punctuation_only(t + i, len)) {
            /* "Argentina:" is a word; "lang:fr" and a quoted "a:" are left alone */
            if (len > 1 && t[j - 1] == ':' && t[i] != '"' && !memchr(t + i, ':', len - 1))
                len--;
            if (out->n)
                acc_buf_putc(out, ' ');
            acc_buf_append(out, t + i, len);
        }
        i = j + 1;
    }
}

int acc_qtext_lang(const char *t, size_t n, char out[ACC_LANG_MAX])
{
    const char *at = find_str(t, n, 0, "lang:");
    if (!at)
        return 0;
    size_t a = (size_t)(at - t);
    if (find_str(t, n, a + 5, "lang:") || (a > 0 && t[a - 1] != ' '))
        return 0;
    const char *sp = memchr(t + a, ' ', n - a);
    size_t end = sp ? (size_t)(sp - t) : n;
    return acc_lang_parse(t + a + 5, end - a - 5, out);
}

int acc_qtext_negation(const char *q, size_t n, acc_buf *words)
{
    size_t i = 0, start = words->n;
    int any = 0;
    while (i < n) {
        while (i < n && q[i] == ' ')
            i++;
        if (i >= n)
            break;
        const char *sp = memchr(q + i, ' ', n - i);
        size_t j = sp ? (size_t)(sp - q) : n;
        if (j - i == 3 && memcmp(q + i, "NOT", 3) == 0) {
            i = j;
            continue;
        }
        if (j - i < 2 || q[i] != '-')
            goto no;
        acc_buf_append(words, q + i + 1, j - i - 1);
        acc_buf_putc(words, ' ');
        any = 1;
        i = j;
    }
    if (!any)
        goto no;
    /* "NOT" must precede each word when used: a bare "a NOT" is not negation */
    for (size_t k = n; k >= 3; k--)
        if (memcmp(q + k - 3, "NOT", 3) == 0) {
            if (k >= n)
                goto no;
            break;
        }
    return 1;
no:
    words->n = start;
    if (words->p)
        words->p[start] = '\0';
    return 0;
}

typedef struct scan_ctx {
    acc_buf *scan;
} scan_ctx;

/* Keeps the tokens that are not filters (lang:fr, year:2015..2020 are not syntax). */
static void on_scan_token(void *ctx, const char *t, size_t n)
{
    static const char *const filters[] = {"lang:", "type:", "topic:", "party:", "year:"};
    scan_ctx *s = ctx;
    for (size_t f = 0; f < sizeof filters / sizeof filters[0]; f++)
        if (has_prefix(t, n, filters[f]) && n > strlen(filters[f]))
            return;
    if (s->scan->n)
        acc_buf_putc(s->scan, ' ');
    acc_buf_append(s->scan, t, n);
}

void acc_qtext_shape(const char *q, size_t n, acc_qshape *out)
{
    acc_buf scan;
    scan_ctx s = {&scan};
    acc_buf_init(&scan, 0);
    each_token(q, n, on_scan_token, &s);
    const char *w = scan.p ? scan.p : "";
    out->words = 0;
    out->syntax = 0;
    for (size_t i = 0; i < scan.n; i++) {
        char c = w[i];
        int token_start = i == 0 || w[i - 1] == ' ';
        if (c == '"' || c == '(' || c == ')' || c == ':' || c == '*' ||
            ((c == '-' || c == '+') && token_start))
            out->syntax = 1;
        if (c != ' ' && token_start)
            out->words++;
    }
    for (size_t i = 0; i + 1 < scan.n; i++)
        if (w[i] >= 'A' && w[i] <= 'Z')
            out->syntax = 1; /* an operator */
    acc_buf_release(&scan);
}

typedef struct plain_ctx {
    acc_buf words, ops;
} plain_ctx;

static void on_plain_token(void *ctx, const char *t, size_t n)
{
    plain_ctx *p = ctx;
    if (!n)
        return;
    if (acc_text_is_operator(t, n)) {
        for (size_t i = 0; i < n; i++)
            acc_buf_putc(&p->ops, t[i] >= 'A' && t[i] <= 'Z' ? (char)(t[i] - 'A' + 'a') : t[i]);
        acc_buf_putc(&p->ops, ' ');
    } else {
        acc_buf_append(&p->words, t, n);
        acc_buf_putc(&p->words, ' ');
    }
}

void acc_qtext_plain(const char *q, size_t n, acc_buf *out)
{
    plain_ctx p;
    acc_buf_init(&p.words, 0);
    acc_buf_init(&p.ops, 0);
    each_token(q, n, on_plain_token, &p);
    int only_syntax = 1;
    for (size_t i = 0; i < p.words.n; i++)
        if (!strchr(" ()\"+-", p.words.p[i]))
            only_syntax = 0;
    const acc_buf *use = only_syntax ? &p.ops : &p.words;
    acc_buf_append(out, use->p ? use->p : "", use->n);
    acc_buf_release(&p.words);
    acc_buf_release(&p.ops);
}

typedef struct pos_ctx {
    char **v;
    size_t n;
} pos_ctx;

static void on_positional(void *ctx, const char *t, size_t n, int positional)
{
    pos_ctx *p = ctx;
    if (!positional)
        return;
    for (size_t i = 0; i < p->n; i++)
        if (strlen(p->v[i]) == n && memcmp(p->v[i], t, n) == 0)
            return;
    p->v = acc_xrealloc(p->v, (p->n + 1) * sizeof *p->v);
    p->v[p->n++] = acc_xstrndup(t, n);
}

char **acc_qtext_positional(const char *text, size_t len, size_t *n)
{
    pos_ctx p = {NULL, 0};
    acc_buf f, g;
    acc_buf_init(&f, 0);
    acc_buf_init(&g, 0);
    if (text && len && acc_text_norm_fold(text, len, &f, NULL) == ACC_OK) {
        const char *fp = f.p ? f.p : "";
        acc_text_terms(fp, f.n, on_positional, &p);
        acc_text_de_digraphs(fp, f.n, &g);
        if (g.n != f.n || (g.n && memcmp(g.p, fp, g.n) != 0))
            acc_text_terms(g.p ? g.p : "", g.n, on_positional, &p);
    }
    acc_buf_release(&f);
    acc_buf_release(&g);
    while (p.n > ACC_QTEXT_MAX_POSITIONAL)
        free(p.v[--p.n]);
    *n = p.n;
    return p.v;
}

void acc_qtext_words_free(char **words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(words[i]);
    free(words);
}

/* Is t[0..n) the operator NEAR or ADJ, with or without /N? */
static int positional_op(const char *t, size_t n)
{
    size_t k = n >= 4 && memcmp(t, "NEAR", 4) == 0 ? 4 : n >= 3 && memcmp(t, "ADJ", 3) == 0 ? 3 : 0;
    if (!k)
        return 0;
    if (k == n)
        return 1;
    if (t[k] != '/')
        return 0;
    for (size_t i = k + 1; i < n; i++)
        if (t[i] < '0' || t[i] > '9')
            return 0;
    return 1;
}

static int space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int word_byte(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (unsigned char)c >= 0x80;
}

/* Is t[0..n) a term Xapian reads as one positive word or phrase: word bytes, maybe joined by
   its phrase generators (. - / : \ @), and no boolean operator? */
static int plain_term(const char *t, size_t n)
{
    if (!n || !word_byte(t[0]))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!word_byte(t[i]) && !strchr(".-/:\\@", t[i]))
            return 0;
    static const char *const ops[] = {"AND", "OR", "NOT", "XOR"};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (n == strlen(ops[i]) && memcmp(t, ops[i], n) == 0)
            return 0;
    return 1;
}

/* The code point at q[i] in *c and its length; 0 on a bad sequence. */
static size_t cp_at(const char *q, size_t n, size_t i, int32_t *c)
{
    utf8proc_ssize_t k =
        utf8proc_iterate((const utf8proc_uint8_t *)q + i, (utf8proc_ssize_t)(n - i), c);
    return k > 0 ? (size_t)k : 0;
}

/* The end of the CJK run at q[i] (i itself when there is none). */
static size_t cjk_run(const char *q, size_t n, size_t i)
{
    int32_t c;
    size_t k;
    while (i < n && (unsigned char)q[i] >= 0x80 && (k = cp_at(q, n, i, &c)) &&
           acc_text_cjk_wordchar(c))
        i += k;
    return i;
}

void acc_qtext_for_parser(const char *q, size_t n, acc_buf *out)
{
    int year = 0, gap = 0;
    size_t i = 0;
    while (i < n) {
        /* after a space, or the dots written as one */
        const int starts_word = i == 0 || space(q[i - 1]) || gap;
        gap = 0;
        if (starts_word)
            year = has_prefix(q + i, n - i, "year:");
        if (starts_word) {
            /* a CJK run at the start of a word, maybe after a field name (title:气候) */
            size_t f = i;
            while (f < n && ((q[f] >= 'a' && q[f] <= 'z') || (q[f] >= 'A' && q[f] <= 'Z')))
                f++;
            f = f > i && f < n && q[f] == ':' ? f + 1 : i;
            size_t e = cjk_run(q, n, f);
            if (e > f) {
                acc_buf_putc(out, '(');
                acc_buf_append(out, q + i, e - i);
                acc_buf_putc(out, ')');
                i = e;
                continue;
            }
        }
        if (q[i] == '.' && i + 1 < n && q[i + 1] == '.' && !year) {
            /* dots: a range only after year: (climate... is not one) */
            while (i < n && q[i] == '.')
                i++;
            acc_buf_putc(out, ' ');
            gap = 1;
            continue;
        }
        acc_buf_append(out, q + i, 1);
        i++;
    }
}

/* Is t[0..n) AND, OR or XOR, alone or before "(" (Xapian's lexer reads OR(a b) as OR)? */
static int binary_op(const char *t, size_t n)
{
    static const char *const ops[] = {"AND", "OR", "XOR"};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        size_t k = strlen(ops[i]);
        if (n >= k && memcmp(t, ops[i], k) == 0 && (n == k || t[k] == '('))
            return 1;
    }
    return 0;
}

/* The next run of non-space bytes from *i: its start in *a, *i just past it; 0 at the end. */
static int next_word(const char *q, size_t n, size_t *i, size_t *a)
{
    while (*i < n && space(q[*i]))
        (*i)++;
    if (*i >= n)
        return 0;
    *a = *i;
    while (*i < n && !space(q[*i]))
        (*i)++;
    return 1;
}

/* 1 when a binary operator has nothing on its left: at the start, after "(", after another
   operator or NOT. Xapian's parser meets a syntax error there and recovers by parsing again
   without operators; with CJK n-grams around (OR a 和 b, AND 和 a 和 b) that recovery leaks. */
static int operator_without_left(const char *q, size_t n)
{
    int left = 0; /* is there an operand on the left of the next token? */
    size_t a, b;
    for (size_t i = 0; next_word(q, n, &i, &a);) {
        b = i;
        if (q[a] == '(') {
            left = 0;
            while (a < b && q[a] == '(')
                a++;
        }
        if (a == b)
            continue;
        if (binary_op(q + a, b - a) || positional_op(q + a, b - a)) {
            if (!left)
                return 1;
            left = 0;
        } else {
            left = !(b - a == 3 && memcmp(q + a, "NOT", 3) == 0);
        }
    }
    return 0;
}

int acc_qtext_parser_trap(const char *q, size_t n)
{
    if (operator_without_left(q, n))
        return 1;
    /* NEAR or ADJ anywhere: Xapian's lexer also reads them after punctuation (-a,NEAR/3 b:c) */
    int positional = 0;
    for (size_t i = 0; i + 3 <= n && !positional; i++)
        positional = memcmp(q + i, "ADJ", 3) == 0 || (i + 4 <= n && memcmp(q + i, "NEAR", 4) == 0);
    if (!positional)
        return 0;
    /* with NEAR or ADJ in it: only terms joined by them, or standing side by side */
    int last = 0; /* the token before: 0 none, 1 a term, 2 NEAR or ADJ */
    size_t a;
    for (size_t i = 0; next_word(q, n, &i, &a);) {
        if (positional_op(q + a, i - a)) {
            if (last != 1)
                return 1;
            last = 2;
        } else if (plain_term(q + a, i - a)) {
            last = 1;
        } else {
            return 1;
        }
    }
    return last != 1;
}
