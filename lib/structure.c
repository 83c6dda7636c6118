/*
 * Article headings (include/accord/structure.h). Each line's first bytes are
 * normalised and folded (so ARTÍCULO, Artículo and articulo look alike), then
 * compared with the heading words; the number and what follows it decide.
 */
#include "accord/structure.h"

#include <stdlib.h>
#include <string.h>

#include "accord/mem.h"
#include "accord/text.h"

static const char *const words[] = {"article",   "artikel", "articulo", "articolo", "artigo",
                                    "articolul", "artykul", "art.",     "section",  "statya",
                                    "статья",    "§",       "المادة",   "artikkel", "artiklan",
                                    "artikla",   NULL};

static int is_roman(const char *p, size_t n)
{
    if (n == 0 || n > 8)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!strchr("ivxlcdm", p[i]))
            return 0;
    return 1;
}

/* Length of the number at p (digits, a roman numeral, premier/1er/first); 0 if none. */
static size_t number_len(const char *p, size_t n)
{
    static const char *const ordinals[] = {"premier", "1er",    "first", "primero", "primo",
                                           "erster",  "unique", "único", "unico",   NULL};
    size_t k = 0;
    while (k < n && ((p[k] >= '0' && p[k] <= '9') ||
                     ((unsigned char)p[k] == 0xD9 && k + 1 < n && (unsigned char)p[k + 1] >= 0xA0 &&
                      (unsigned char)p[k + 1] <= 0xA9)))
        k += (p[k] >= '0' && p[k] <= '9') ? 1 : 2; /* ASCII or Arabic-Indic digits */
    if (k) {
        /* 4a, 4bis, 12.1 */
        while (k < n && ((p[k] >= 'a' && p[k] <= 'z') || p[k] == '.') && k < 12 &&
               !(p[k] == '.' && (k + 1 >= n || p[k + 1] < '0' || p[k + 1] > '9')))
            k++;
        return k;
    }
    while (k < n && p[k] >= 'a' && p[k] <= 'z')
        k++;
    if (is_roman(p, k))
        return k;
    for (size_t i = 0; ordinals[i]; i++) {
        size_t m = strlen(ordinals[i]);
        if (n >= m && memcmp(p, ordinals[i], m) == 0)
            return m;
    }
    return 0;
}

/* Chinese 第…条 at p: returns its length in bytes, 0 if none. */
static size_t chinese_article(const char *p, size_t n)
{
    static const char *const digits[] = {"一", "二", "三", "四", "五", "六", "七", "八",
                                         "九", "十", "百", "千", "零", "〇", "两", NULL};
    size_t k = 3;
    if (n < 9 || memcmp(p, "第", 3) != 0)
        return 0;
    for (;;) {
        int found = 0;
        if (k < n && p[k] >= '0' && p[k] <= '9') {
            k++;
            continue;
        }
        for (size_t i = 0; digits[i]; i++)
            if (k + 3 <= n && memcmp(p + k, digits[i], 3) == 0) {
                k += 3;
                found = 1;
                break;
            }
        if (!found)
            break;
    }
    if (k == 3 || k + 3 > n || memcmp(p + k, "条", 3) != 0)
        return 0;
    return k + 3;
}

/* What may follow the number of a heading: end, punctuation, or a short title. */
static int heading_tail(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    if (i == n)
        return 1;
    if (strchr(".:-)]", p[i]) || (unsigned char)p[i] == 0xE2 /* – — */)
        return 1;
    /* a title on the same line: short, and not a sentence going on */
    return n - i <= 100 && !memchr(p + i, ';', n - i);
}

size_t acc_articles_find(const char *text, size_t n, acc_article **out)
{
    acc_article *a = NULL;
    size_t na = 0, alloc = 0, line = 0;
    acc_buf head;

    acc_buf_init(&head, 0);
    while (line < n && na < ACC_ARTICLES_MAX) {
        const char *eol = memchr(text + line, '\n', n - line);
        size_t end = eol ? (size_t)(eol - text) : n;
        size_t s = line;
        size_t label_len = 0;

        while (s < end && (text[s] == ' ' || text[s] == '\t' || text[s] == '#' || text[s] == '*'))
            s++;
        if (end - s >= 3 && end - s <= 400) {
            size_t ck = chinese_article(text + s, end - s);
            if (ck) {
                label_len = ck;
            } else {
                /* fold the first bytes of the line, cut at a character boundary */
                size_t take = end - s < 40 ? end - s : 40;
                while (take > 0 && take < end - s && ((unsigned char)text[s + take] & 0xC0) == 0x80)
                    take--;
                acc_buf_reset(&head);
                if (acc_text_norm_fold(text + s, take, &head, NULL) == ACC_OK && head.p) {
                    for (size_t w = 0; words[w] && !label_len; w++) {
                        size_t wl = strlen(words[w]);
                        if (head.n <= wl || memcmp(head.p, words[w], wl) != 0)
                            continue;
                        size_t k = wl;
                        while (k < head.n && head.p[k] == ' ')
                            k++;
                        if (k == wl && strcmp(words[w], "§") != 0 && strcmp(words[w], "art.") != 0)
                            continue; /* "articles" is not "article 4" */
                        size_t num = number_len(head.p + k, head.n - k);
                        if (!num)
                            continue;
                        /* the label is as many words of the original line as the
                           heading has in its folded form ("Article" "4") */
                        size_t nwords = 1, o = s;
                        for (size_t q = 1; q < k + num; q++)
                            if (head.p[q] == ' ' && head.p[q - 1] != ' ')
                                nwords++;
                        while (o < end && nwords > 0) {
                            while (o < end && text[o] != ' ' && text[o] != '\t')
                                o++;
                            if (--nwords)
                                while (o < end && (text[o] == ' ' || text[o] == '\t'))
                                    o++;
                        }
                        while (o > s && strchr(".:)-", text[o - 1]))
                            o--;
                        if (heading_tail(text + o, end - o))
                            label_len = o - s;
                    }
                }
            }
        }
        if (label_len) {
            if (label_len > ACC_ARTICLE_LABEL_MAX) {
                label_len = ACC_ARTICLE_LABEL_MAX;
                while (label_len > 0 && ((unsigned char)text[s + label_len] & 0xC0) == 0x80)
                    label_len--;
            }
            if (na == alloc) {
                alloc = alloc ? alloc * 2 : 32;
                a = acc_xrealloc(a, alloc * sizeof *a);
            }
            a[na].label = acc_xstrndup(text + s, label_len);
            a[na].offset = s;
            na++;
        }
        line = end + 1;
    }
    acc_buf_release(&head);
    *out = a;
    return na;
}

void acc_articles_free(acc_article *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free((char *)a[i].label);
    free(a);
}
