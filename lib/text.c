/*
 * The text pipeline (include/accord/text.h): UTF-8 validation, NFKC + case
 * folding with utf8proc, the letter mappings utf8proc cannot do, elision
 * splitting, accent folding, and the query folding that spares operators.
 *
 * Invariant: every function that appends to an acc_buf leaves valid UTF-8.
 */
#include "accord/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "strmap.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* The apostrophe set (text.h, acc_text_is_apostrophe); inline: the tokenizer asks per character. */
static inline int is_apostrophe(int32_t c)
{
    if (c < 0x80)
        return c == '\'' || c == '`';
    switch (c) {
    case 0x0027: /* apostrophe */
    case 0x2019: /* right single quotation mark: typographic apostrophe */
    case 0x2018: /* left single quotation mark */
    case 0x02BC: /* modifier letter apostrophe */
    case 0xFF07: /* fullwidth apostrophe (NFKC makes it ' too) */
    case 0x2032: /* prime */
    case 0x0060: /* grave accent, typed for an apostrophe */
    case 0x00B4: /* acute accent, typed for an apostrophe */
    case 0x201B: /* single high-reversed-9 quotation mark */
        return 1;
    default:
        return 0;
    }
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 if invalid. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2)
        return 0;
    if (c < 0xE0) {
        if (n < 2 || (p[1] & 0xC0) != 0x80)
            return 0;
        return 2;
    }
    if (c < 0xF0) {
        if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && p[1] < 0xA0)
            return 0; /* overlong */
        if (c == 0xED && p[1] >= 0xA0)
            return 0; /* surrogate */
        return 3;
    }
    if (c < 0xF5) {
        if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && p[1] < 0x90)
            return 0; /* overlong */
        if (c == 0xF4 && p[1] >= 0x90)
            return 0; /* above U+10FFFF */
        return 4;
    }
    return 0;
}

int acc_utf8_valid(const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0;
    while (i < n) {
        /* ASCII: 8 bytes at a time, then a byte at a time */
        uint64_t w;
        if (i + 8 <= n && (memcpy(&w, s + i, 8), !(w & 0x8080808080808080ull))) {
            i += 8;
            continue;
        }
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = utf8_seq(s + i, n - i);
        if (!k)
            return 0;
        i += k;
    }
    return 1;
}

size_t acc_utf8_sanitize(const char *p, size_t n, acc_buf *out)
{
    static const char repl[] = "\xEF\xBF\xBD";
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0, start = 0, bad = 0;

    while (i < n) {
        size_t k = utf8_seq(s + i, n - i);
        if (k && s[i] != 0) {
            i += k;
            continue;
        }
        acc_buf_append(out, p + start, i - start);
        acc_buf_append(out, repl, 3);
        bad++;
        i++;
        start = i;
    }
    acc_buf_append(out, p + start, n - start);
    return bad;
}

static void put_cp(acc_buf *out, int32_t cp)
{
    utf8proc_uint8_t tmp[4];
    utf8proc_ssize_t k = utf8proc_encode_char(cp, tmp);
    acc_buf_append(out, tmp, (size_t)k);
}

/* Elided words that are split from the following word at an apostrophe. */
static const char *const elisions[] = {
    /* French */
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu",
    /* Italian */
    "dell", "all", "nell", "dall", "sull", "coll", "un", "quell", "quest", "tutt", "sant", "pover",
    NULL};

static int is_elision(const char *w, size_t n)
{
    for (size_t i = 0; elisions[i]; i++)
        if (strlen(elisions[i]) == n && memcmp(elisions[i], w, n) == 0)
            return 1;
    return 0;
}

static int is_letter(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    utf8proc_category_t c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

static int is_word_char(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO);
}

/* Every apostrophe of the set is ' before NFKC (which would turn ´ into a
   space and a combining accent). */
static utf8proc_int32_t one_apostrophe(utf8proc_int32_t c, void *data)
{
    (void)data;
    return is_apostrophe(c) ? '\'' : c;
}

/*
 * Second pass over NFKC-casefolded text: letters utf8proc leaves alone,
 * apostrophe variants, tatweel, and elision splitting. `word_start` is the
 * byte offset in out where the current run of word characters began.
 */
static int is_ascii_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The first i' >= i of s[0..n) holding a byte >= 0x80, or (with quotes) ' or `; n when none.
   16 bytes at a time (SSE2). */
static size_t plain_end(const unsigned char *s, size_t i, size_t n, int quotes)
{
#ifdef __SSE2__
    const __m128i q1 = _mm_set1_epi8('\''), q2 = _mm_set1_epi8('`');
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        int m = _mm_movemask_epi8(v);
        if (quotes)
            m |= _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, q1), _mm_cmpeq_epi8(v, q2)));
        if (m)
            return i + (size_t)__builtin_ctz((unsigned)m);
    }
#endif
    while (i < n && s[i] < 0x80 && (!quotes || (s[i] != '\'' && s[i] != '`')))
        i++;
    return i;
}

/* One ASCII byte as map_chunks writes it: whitespace a space, other control characters
   dropped (as STRIPCC does: -1), upper case lowered when lower. */
static int plain_char(unsigned char c, int lower)
{
    if (is_ascii_space(c))
        return ' ';
    if (c < 0x20 || c == 0x7f)
        return -1;
    if (lower && c >= 'A' && c <= 'Z')
        return c - 'A' + 'a';
    return c;
}

/* ASCII p[i..end) into dst as plain_char writes it; the bytes written. */
static size_t plain_copy(const unsigned char *p, size_t i, size_t end, char *dst, int lower)
{
    size_t m = 0;
#ifdef __SSE2__
    const __m128i sp = _mm_set1_epi8(' '), t0 = _mm_set1_epi8('\t' - 1),
                  t1 = _mm_set1_epi8('\r' + 1), del = _mm_set1_epi8(0x7f),
                  a0 = _mm_set1_epi8('A' - 1), z1 = _mm_set1_epi8('Z' + 1),
                  bit = _mm_set1_epi8(0x20);
    while (i + 16 <= end) {
        /* ASCII only here, so the signed compares order the bytes */
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        __m128i ws = _mm_and_si128(_mm_cmpgt_epi8(v, t0), _mm_cmplt_epi8(v, t1));
        __m128i ctl =
            _mm_or_si128(_mm_andnot_si128(ws, _mm_cmplt_epi8(v, sp)), _mm_cmpeq_epi8(v, del));
        if (_mm_movemask_epi8(ctl)) {
            /* a control character to drop: this block byte by byte */
            for (size_t k = i; k < i + 16; k++) {
                int c = plain_char(p[k], lower);
                if (c >= 0)
                    dst[m++] = (char)c;
            }
            i += 16;
            continue;
        }
        v = _mm_or_si128(_mm_andnot_si128(ws, v), _mm_and_si128(ws, sp));
        if (lower)
            v = _mm_or_si128(
                v, _mm_and_si128(_mm_and_si128(_mm_cmpgt_epi8(v, a0), _mm_cmplt_epi8(v, z1)), bit));
        _mm_storeu_si128((__m128i *)(void *)(dst + m), v);
        m += 16;
        i += 16;
    }
#endif
    for (; i < end; i++) {
        int c = plain_char(p[i], lower);
        if (c >= 0)
            dst[m++] = (char)c;
    }
    return m;
}

static void norm_post(const utf8proc_uint8_t *s, utf8proc_ssize_t n, acc_buf *out)
{
    utf8proc_ssize_t i = 0;
    size_t word_start = out->n;
    int in_word = 0;

    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k;
        if (s[i] < 0x80 && s[i] != '\'' && s[i] != '`') {
            /* fast path: copy a run of plain ASCII at once, then find where
               its last word starts (for an elision right after it) */
            utf8proc_ssize_t j = i, w;
            size_t base = out->n;
            j = (utf8proc_ssize_t)plain_end(s, (size_t)j, (size_t)n, 1);
            acc_buf_append(out, s + i, (size_t)(j - i));
            w = j;
            while (w > i && is_word_char(s[w - 1]))
                w--;
            if (w == j) {
                in_word = 0;
            } else if (w > i || !in_word) {
                in_word = 1;
                word_start = base + (size_t)(w - i);
            }
            i = j;
            continue;
        }
        k = utf8proc_iterate(s + i, n - i, &cp);
        if (k <= 0) { /* cannot happen on utf8proc output; stay safe */
            i++;
            continue;
        }
        i += k;
        if (is_apostrophe(cp))
            cp = '\''; /* the ` of an ASCII stretch; the others are ' already */
        else if (cp == 0x0640)
            continue; /* Arabic tatweel: elongation only, never part of a word */
        if (cp == '\'') {
            utf8proc_int32_t next = 0;
            if (i < n)
                utf8proc_iterate(s + i, n - i, &next);
            if (in_word && next && is_letter(next) &&
                is_elision(out->p + word_start, out->n - word_start)) {
                /* drop the elided article: l'eau -> eau, as a stop word would be */
                out->n = word_start;
                out->p[out->n] = '\0';
                in_word = 0;
                continue;
            }
            acc_buf_putc(out, '\'');
            /* inside a word (rock'n'roll, aujourd'hui) the word goes on */
            in_word = in_word && next && is_letter(next);
            continue;
        }
        size_t before = out->n;
        switch (cp) {
        case 0x0153: /* œ */
            acc_buf_append(out, "oe", 2);
            break;
        case 0x00E6: /* æ */
            acc_buf_append(out, "ae", 2);
            break;
        case 0x00F8: /* ø */
            acc_buf_putc(out, 'o');
            break;
        case 0x0142: /* ł */
            acc_buf_putc(out, 'l');
            break;
        case 0x0111: /* đ */
            acc_buf_putc(out, 'd');
            break;
        default:
            put_cp(out, cp);
            break;
        }
        if (is_word_char(cp)) {
            if (!in_word) {
                in_word = 1;
                word_start = before;
            }
        } else {
            in_word = 0;
        }
    }
}

/*
 * Runs utf8proc_map with `flags` over the parts of p[0..n) that need it, and
 * a plain ASCII path over the rest: text is cut at ASCII whitespace into
 * chunks, and only chunks with a non-ASCII byte go through utf8proc (marks
 * never compose across whitespace, so the result is the same). `ascii_lower`
 * lower-cases ASCII chunks (what case folding does to them). `post`, when
 * given, receives each piece instead of a plain append.
 */
/* In a text this long, the non-ASCII chunks utf8proc mapped are remembered (a document repeats
   its words: "für", "été", a Russian or Arabic text all of them); chunks up to CHUNK_MEMO_LEN
   bytes, at most CHUNK_MEMO_MAX of them. */
#define CHUNK_MEMO_TEXT 4096
#define CHUNK_MEMO_LEN 64
#define CHUNK_MEMO_MAX 16384

typedef struct chunk_memo {
    acc_strmap keys; /* the chunk as written */
    size_t *at;      /* per key: its mapped form's offset in out, then its length */
    size_t alloc;
    acc_buf out;
} chunk_memo;

/* utf8proc_map_custom of chunk p[0..n) with flags into *res, *len (borrowed from the memo or
   from *own, which the caller frees); a negative length is utf8proc's error. */
static void map_chunk(chunk_memo *m, const char *p, size_t n, utf8proc_option_t flags,
                      const utf8proc_uint8_t **res, utf8proc_ssize_t *len, utf8proc_uint8_t **own)
{
    size_t i = m && n <= CHUNK_MEMO_LEN ? acc_strmap_get(&m->keys, p, n) : ACC_STRMAP_NONE;
    if (i != ACC_STRMAP_NONE) {
        *res = (const utf8proc_uint8_t *)m->out.p + m->at[2 * i];
        *len = (utf8proc_ssize_t)m->at[2 * i + 1];
        return;
    }
    *len = utf8proc_map_custom((const utf8proc_uint8_t *)p, (utf8proc_ssize_t)n, own, flags,
                               one_apostrophe, NULL);
    *res = *own;
    if (!m || *len < 0 || n > CHUNK_MEMO_LEN || m->keys.n >= CHUNK_MEMO_MAX)
        return;
    i = acc_strmap_put(&m->keys, p, n, NULL);
    if (i >= m->alloc) {
        m->alloc = m->alloc ? 2 * m->alloc : 256;
        m->at = acc_xrealloc(m->at, 2 * m->alloc * sizeof *m->at);
    }
    m->at[2 * i] = m->out.n;
    m->at[2 * i + 1] = (size_t)*len;
    acc_buf_append(&m->out, *own, (size_t)*len);
}

static acc_status map_chunks(const char *p, size_t n, acc_buf *out, utf8proc_option_t flags,
                             int ascii_lower,
                             void (*post)(const utf8proc_uint8_t *, utf8proc_ssize_t, acc_buf *),
                             acc_error *err)
{
    acc_buf ascii;
    char small[512];
    size_t i = 0;
    acc_status st = ACC_OK;

    chunk_memo memo, *mm = NULL;
    acc_buf_init(&ascii, 0);
    if (n >= CHUNK_MEMO_TEXT) {
        memset(&memo, 0, sizeof memo);
        acc_strmap_init(&memo.keys);
        acc_buf_init(&memo.out, 0);
        mm = &memo;
    }
    while (i < n) {
        /* the ASCII stretch up to the chunk holding the next non-ASCII byte */
        size_t j = plain_end((const unsigned char *)p, i, n, 0);
        size_t chunk = j;
        while (j < n && chunk > i && !is_ascii_space((unsigned char)p[chunk - 1]))
            chunk--;
        /* converted into small when it fits (a word, a dictionary's line: no allocation),
           else into ascii, sized first */
        char *dst = small;
        if (chunk - i > sizeof small) {
            acc_buf_reset(&ascii);
            acc_buf_append(&ascii, p + i, chunk - i);
            dst = ascii.p;
        }
        size_t m = plain_copy((const unsigned char *)p, i, chunk, dst, ascii_lower);
        if (m) {
            if (post)
                post((const utf8proc_uint8_t *)dst, (utf8proc_ssize_t)m, out);
            else
                acc_buf_append(out, dst, m);
        }
        if (j >= n)
            break;
        /* the non-ASCII chunk: to the next ASCII whitespace */
        size_t end = j;
        while (end < n && !is_ascii_space((unsigned char)p[end]))
            end++;
        utf8proc_uint8_t *own = NULL;
        const utf8proc_uint8_t *mapped;
        utf8proc_ssize_t len;
        map_chunk(mm, p + chunk, end - chunk, flags, &mapped, &len, &own);
        if (len < 0) {
            free(own);
            st = acc_error_set(err, ACC_EINVAL, "cannot normalise text: %s", utf8proc_errmsg(len));
            break;
        }
        if (post)
            post(mapped, len, out);
        else
            acc_buf_append(out, mapped, (size_t)len);
        free(own);
        i = end;
    }
    acc_buf_release(&ascii);
    if (mm) {
        acc_strmap_release(&memo.keys);
        free(memo.at);
        acc_buf_release(&memo.out);
    }
    if (st == ACC_OK && !out->p)
        acc_buf_append(out, "", 0);
    return st;
}

acc_status acc_text_norm(const char *p, size_t n, acc_buf *out, acc_error *err)
{
    if (!acc_utf8_valid(p, n))
        return acc_error_set(err, ACC_EINVAL, "text is not valid UTF-8");
    return map_chunks(p, n, out,
                      UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
                          UTF8PROC_IGNORE | UTF8PROC_STRIPCC,
                      1, norm_post, err);
}

static int all_ascii(const char *p, size_t n)
{
    return plain_end((const unsigned char *)p, 0, n, 0) == n;
}

acc_status acc_text_fold(const char *p, size_t n, acc_buf *out, acc_error *err)
{
    if (all_ascii(p, n)) {
        acc_buf_append(out, p, n);
        return ACC_OK;
    }
    if (!acc_utf8_valid(p, n))
        return acc_error_set(err, ACC_EINVAL, "text is not valid UTF-8");
    return map_chunks(p, n, out, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK, 0, NULL,
                      err);
}

acc_status acc_text_norm_fold(const char *p, size_t n, acc_buf *out, acc_error *err)
{
    acc_buf tmp;
    acc_status st;

    acc_buf_init(&tmp, 0);
    st = acc_text_norm(p, n, &tmp, err);
    if (st == ACC_OK)
        st = acc_text_fold(tmp.p, tmp.n, out, err);
    acc_buf_release(&tmp);
    return st;
}

int acc_text_is_operator(const char *w, size_t n)
{
    static const char *const ops[] = {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ", NULL};
    for (size_t i = 0; ops[i]; i++) {
        size_t k = strlen(ops[i]);
        if (n < k || memcmp(w, ops[i], k) != 0)
            continue;
        if (n == k)
            return 1;
        /* NEAR/3, ADJ/2 */
        if (k >= 3 && w[k] == '/' && n > k + 1) {
            size_t j = k + 1;
            while (j < n && w[j] >= '0' && w[j] <= '9')
                j++;
            if (j == n)
                return 1;
        }
    }
    return 0;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

acc_status acc_text_query_fold(const char *p, size_t n, acc_buf *out, acc_error *err)
{
    size_t i = 0;
    acc_status st = ACC_OK;

    if (!acc_utf8_valid(p, n))
        return acc_error_set(err, ACC_EINVAL, "query is not valid UTF-8");
    while (i < n) {
        size_t j = i;
        if (is_space(p[i])) {
            acc_buf_putc(out, ' ');
            while (i < n && is_space(p[i]))
                i++;
            continue;
        }
        while (j < n && !is_space(p[j]))
            j++;
        if (acc_text_is_operator(p + i, j - i)) {
            acc_buf_append(out, p + i, j - i);
        } else {
            st = acc_text_norm_fold(p + i, j - i, out, err);
            if (st != ACC_OK)
                break;
        }
        i = j;
    }
    return st;
}

size_t acc_text_fold_head(const char *w, size_t n, size_t want, char *head, size_t cap)
{
    size_t h = 0, i = 0;
    while (i < n && h < want) {
        utf8proc_int32_t c, out[8];
        if ((unsigned char)w[i] < 0x80) {
            c = (unsigned char)w[i++];
        } else {
            utf8proc_ssize_t len =
                utf8proc_iterate((const utf8proc_uint8_t *)w + i, (utf8proc_ssize_t)(n - i), &c);
            if (len <= 0)
                return ACC_FOLD_HEAD_UNKNOWN;
            i += (size_t)len;
        }
        if (is_apostrophe(c))
            break; /* an elision: the caller also tries the rest of the word */
        if (c < 0x80) {
            if (h < cap)
                head[h++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
            continue;
        }
        /* letters acc_text_norm maps by hand, and tatweel: only the whole
           pipeline tells */
        if (c == 0x0153 || c == 0x00E6 || c == 0x00F8 || c == 0x0142 || c == 0x0111 ||
            c == 0x0152 || c == 0x00C6 || c == 0x00D8 || c == 0x0141 || c == 0x0110 || c == 0x0640)
            return ACC_FOLD_HEAD_UNKNOWN;
        int bound = 0;
        utf8proc_ssize_t m = utf8proc_decompose_char(
            c, out, 8,
            (utf8proc_option_t)(UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE |
                                UTF8PROC_STRIPMARK | UTF8PROC_IGNORE),
            &bound);
        if (m < 0 || m > 8)
            return ACC_FOLD_HEAD_UNKNOWN;
        for (utf8proc_ssize_t j = 0; j < m && h + 4 <= cap; j++)
            h += (size_t)utf8proc_encode_char(out[j], (utf8proc_uint8_t *)head + h);
    }
    return h;
}

void acc_text_de_digraphs(const char *p, size_t n, acc_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        acc_buf_putc(out, c);
        if ((c == 'a' || c == 'o' || c == 'u') && i + 1 < n && p[i + 1] == 'e')
            i++;
    }
}

void acc_text_ro_cedilla(char *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        unsigned char a = (unsigned char)p[i], b = (unsigned char)p[i + 1];
        if (a != 0xC8)
            continue;
        if (b == 0x99) { /* ș U+0219 -> ş U+015F */
            p[i] = (char)0xC5;
            p[i + 1] = (char)0x9F;
        } else if (b == 0x9B) { /* ț U+021B -> ţ U+0163 */
            p[i] = (char)0xC5;
            p[i + 1] = (char)0xA3;
        }
        i++;
    }
}

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
                unsigned c = (unsigned)__builtin_popcount(starts);
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
