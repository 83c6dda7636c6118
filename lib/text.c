/*
 * The text pipeline (include/accord/text.h): UTF-8 validation, NFKC + case
 * folding with utf8proc, the letter mappings utf8proc cannot do, elision
 * splitting, accent folding, and the query folding that spares operators.
 * Cutting text into words and terms is lib/words.c.
 *
 * Invariant: every function that appends to an acc_buf leaves valid UTF-8.
 */
#include "accord/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "strmap.h"
#include "textchar.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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
