/*
 * lib/commitform.c: commitments by name and in their stored form
 * (include/accord/commit.h): the names of kinds and strengths and the words
 * people type for them, and the tab-separated line a document stores per
 * commitment. The extractor that finds them is lib/commit.c.
 */
#include "accord/commit.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/mem.h"

/* ---- names ---- */

static const char *const kind_names[ACC_CK_COUNT] = {"netzero",    "reduction", "renewable",
                                                     "efficiency", "coal",      "protected"};
static const char *const strength_names[ACC_CS_COUNT] = {"binding", "intended", "reported"};

const char *acc_commit_kind_name(acc_commit_kind k)
{
    return (unsigned)k < ACC_CK_COUNT ? kind_names[k] : "";
}

const char *acc_commit_strength_name(acc_commit_strength s)
{
    return (unsigned)s < ACC_CS_COUNT ? strength_names[s] : "";
}

/* name == s[0..n), case-insensitive, '-' '_' ' ' ignored in s */
static int name_is(const char *name, const char *s, size_t n)
{
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '-' || s[i] == '_' || s[i] == ' ')
            continue;
        if (!name[j] || tolower((unsigned char)s[i]) != name[j])
            return 0;
        j++;
    }
    return name[j] == '\0' && j > 0;
}

int acc_commit_kind_parse(const char *s, size_t n)
{
    for (int k = 0; k < ACC_CK_COUNT; k++)
        if (name_is(kind_names[k], s, n))
            return k;
    /* the words people type */
    static const struct {
        const char *w;
        int k;
    } alias[] = {{"neutrality", ACC_CK_NETZERO},      {"carbonneutral", ACC_CK_NETZERO},
                 {"climateneutral", ACC_CK_NETZERO},  {"cut", ACC_CK_REDUCTION},
                 {"emissions", ACC_CK_REDUCTION},     {"renewables", ACC_CK_RENEWABLE},
                 {"protectedarea", ACC_CK_PROTECTED}, {"protection", ACC_CK_PROTECTED},
                 {"coalphaseout", ACC_CK_COAL},       {"energyefficiency", ACC_CK_EFFICIENCY}};
    for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
        if (name_is(alias[i].w, s, n))
            return alias[i].k;
    return -1;
}

int acc_commit_strength_parse(const char *s, size_t n)
{
    for (int k = 0; k < ACC_CS_COUNT; k++)
        if (name_is(strength_names[k], s, n))
            return k;
    if (name_is("intention", s, n) || name_is("intent", s, n) || name_is("aim", s, n))
        return ACC_CS_INTENDED;
    if (name_is("achieved", s, n))
        return ACC_CS_REPORTED;
    return -1;
}

/* ---- the stored form ---- */

static void put_num(acc_buf *b, double v)
{
    if (v < 0)
        acc_buf_putc(b, '-');
    else if (v == floor(v))
        acc_buf_printf(b, "%.0f", v);
    else
        acc_buf_printf(b, "%g", v);
}

void acc_commit_encode(const acc_commitment *c, const char *text, acc_buf *out)
{
    acc_buf_printf(out, "%s\t", acc_commit_kind_name(c->kind));
    put_num(out, c->value);
    acc_buf_putc(out, '\t');
    put_num(out, c->value_max);
    acc_buf_printf(out, "\t%d\t%d\t%d\t%d\t%s\t%zu\t%zu\t", c->year, c->base, c->intensity,
                   c->conditional, acc_commit_strength_name(c->strength), c->start, c->end);
    size_t n = c->end > c->start ? c->end - c->start : 0;
    if (n > ACC_COMMIT_SENTENCE_MAX) {
        n = ACC_COMMIT_SENTENCE_MAX;
        while (n > 0 && ((unsigned char)text[c->start + n] & 0xC0) == 0x80)
            n--;
    }
    for (size_t i = 0; i < n; i++) {
        char ch = text[c->start + i];
        acc_buf_putc(out, ch == '\t' || ch == '\n' || ch == '\r' ? ' ' : ch);
    }
    acc_buf_putc(out, '\n');
}

int acc_commit_decode(const char *line, size_t n, acc_commitment *c, const char **sentence,
                      size_t *slen)
{
    enum { NF = 11 };
    const char *f[NF];
    size_t fl[NF], k = 0, a = 0;
    for (size_t i = 0; i <= n && k < NF; i++) {
        if (i == n || (line[i] == '\t' && k < NF - 1)) {
            f[k] = line + a;
            fl[k] = i - a;
            k++;
            a = i + 1;
        }
    }
    if (k != NF)
        return -1;
    int kind = acc_commit_kind_parse(f[0], fl[0]);
    int st = acc_commit_strength_parse(f[7], fl[7]);
    if (kind < 0 || st < 0)
        return -1;
    char b[NF][32];
    for (int i = 1; i < NF - 1; i++) {
        size_t m = fl[i] < 31 ? fl[i] : 31;
        memcpy(b[i], f[i], m);
        b[i][m] = '\0';
    }
    memset(c, 0, sizeof *c);
    c->kind = (acc_commit_kind)kind;
    c->value = b[1][0] == '-' ? -1 : strtod(b[1], NULL);
    c->value_max = b[2][0] == '-' ? -1 : strtod(b[2], NULL);
    c->year = atoi(b[3]);
    c->base = atoi(b[4]);
    c->intensity = atoi(b[5]);
    c->conditional = atoi(b[6]);
    c->strength = (acc_commit_strength)st;
    c->start = (size_t)strtoull(b[8], NULL, 10);
    c->end = (size_t)strtoull(b[9], NULL, 10);
    *sentence = f[10];
    *slen = fl[10];
    return 0;
}
