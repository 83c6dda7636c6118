/*
 * lib/commit.c: commitments in a document's text (include/accord/commit.h).
 *
 * The text is cut into sentences (a line break inside a paragraph, as PDF
 * extraction leaves them, is not a boundary); a sentence without a year is
 * skipped at once, which is most of them. The others are folded (lower case,
 * no accents), cut into tokens (words, numbers, '%', dashes, punctuation;
 * one token per Han character) and marked with the cues of the language's
 * lexicon (lib/commit_lex.h): words of emissions, of cutting, of
 * renewables, target-year and base-year prepositions, strength verbs...
 * Then per percentage, the nearest kind cue in its clause decides its kind,
 * the nearest year read as a target year its year, and a year read as a
 * base year or a business-as-usual phrase its base; per neutrality or
 * coal phase-out phrase, the nearest target year. Anything not tied so is
 * left out: the extractor prefers saying nothing to saying nonsense.
 */
#include "accord/commit.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "accord/text.h"
#include "commit_lex.h"

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

/* ---- the lexicon, compiled once ---- */

#define MAX_PAT 6

typedef struct pat {
    char *s; /* folded */
    size_t n;
    unsigned char prefix, suffix; /* "x*": a word starting with x; "*x": ending; both: containing */
} pat;

typedef struct cue {
    int cat;
    pat p[MAX_PAT];
    int np;
} cue;

typedef struct lexicon {
    char lang[4];
    cue *cues;
    size_t n;
} lexicon;

static lexicon *lexicons;
static size_t nlexicons;
static pthread_once_t lex_once = PTHREAD_ONCE_INIT;

static int is_han(const unsigned char *p, size_t n)
{
    /* U+3400..U+9FFF: three-byte sequences E3 90 80 .. E9 BF BF */
    return n >= 3 && p[0] >= 0xE3 && p[0] <= 0xE9 && !(p[0] == 0xE3 && p[1] < 0x90);
}

static void fold_into(const char *s, size_t n, acc_buf *out)
{
    acc_buf_reset(out);
    if (acc_text_norm_fold(s, n, out, NULL) != ACC_OK) {
        acc_buf_reset(out);
        acc_buf_append(out, s, n);
    }
}

static void add_pat(cue *c, const char *w, size_t n, acc_buf *tmp)
{
    if (c->np == MAX_PAT || !n)
        return;
    pat *p = &c->p[c->np++];
    p->prefix = n > 1 && w[n - 1] == '*';
    if (p->prefix)
        n--;
    p->suffix = n > 1 && w[0] == '*';
    if (p->suffix) {
        w++;
        n--;
    }
    fold_into(w, n, tmp);
    p->s = acc_xstrndup(tmp->p ? tmp->p : "", tmp->n);
    p->n = tmp->n;
}

/* "by the year" -> three patterns; a Han word -> one pattern per character. The cue is
   folded whole, as the text is, before it is cut into words: elisions go as in the text
   ("d'ici" is "ici" once folded). */
static void compile_cue(cue *c, int cat, const char *text, acc_buf *tmp)
{
    acc_buf whole;
    acc_buf_init(&whole, 0);
    fold_into(text, strlen(text), &whole);
    c->cat = cat;
    c->np = 0;
    const char *p = whole.p ? whole.p : "", *end = p + whole.n;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\'' || *p == '-'))
            p++;
        const char *e = p;
        while (e < end && *e != ' ' && *e != '\'' && *e != '-')
            e++;
        if (is_han((const unsigned char *)p, (size_t)(e - p))) {
            for (const char *h = p; h + 3 <= e; h += 3)
                add_pat(c, h, 3, tmp);
        } else if (e > p) {
            add_pat(c, p, (size_t)(e - p), tmp);
        }
        p = e;
    }
    acc_buf_release(&whole);
}

static void compile_all(void)
{
    acc_buf tmp;
    acc_buf_init(&tmp, 0);
    nlexicons = sizeof acc_commit_lexicons / sizeof acc_commit_lexicons[0];
    lexicons = acc_xcalloc(nlexicons, sizeof *lexicons);
    for (size_t l = 0; l < nlexicons; l++) {
        const acc_commit_lex *src = &acc_commit_lexicons[l];
        lexicon *lx = &lexicons[l];
        snprintf(lx->lang, sizeof lx->lang, "%s", src->lang);
        size_t n = 0;
        while (src->cues[n].text)
            n++;
        /* every language also reads the common cues (CO2, GHG, BAU...) */
        const acc_commit_cue *common = acc_commit_lexicons[0].cues;
        size_t nc = 0;
        if (l != 0)
            while (common[nc].text)
                nc++;
        lx->cues = acc_xcalloc(n + nc + 1, sizeof *lx->cues);
        for (size_t i = 0; i < n; i++)
            compile_cue(&lx->cues[lx->n++], src->cues[i].cat, src->cues[i].text, &tmp);
        for (size_t i = 0; i < nc; i++)
            compile_cue(&lx->cues[lx->n++], common[i].cat, common[i].text, &tmp);
    }
    acc_buf_release(&tmp);
}

static const lexicon *lexicon_for(const char *lang)
{
    pthread_once(&lex_once, compile_all);
    const lexicon *en = NULL;
    for (size_t l = 1; l < nlexicons; l++) {
        if (lang && strcmp(lexicons[l].lang, lang) == 0)
            return &lexicons[l];
        if (strcmp(lexicons[l].lang, "en") == 0)
            en = &lexicons[l];
    }
    return en;
}

/* ---- tokens ---- */

enum tok_type { T_WORD, T_NUM, T_PCT, T_DASH, T_PUNCT };

typedef struct tok {
    unsigned char type;
    char punct;    /* T_PUNCT: the character */
    const char *s; /* into the folded sentence */
    size_t n;
    double num;    /* T_NUM */
    int year;      /* T_NUM read as a year 1900..2100 (a footnote digit after it allowed) */
    uint64_t cats; /* bit set of the cue categories starting here */
    unsigned char end[ACC_CC_COUNT]; /* per category starting here: tokens it spans */
} tok;

typedef struct sent {
    tok *t;
    size_t n, alloc;
    int comma_decimal;
    long scale; /* 2 for Han text (a token per character): distances count double */
} sent;

static tok *push(sent *s)
{
    if (s->n == s->alloc) {
        s->alloc = s->alloc ? 2 * s->alloc : 64;
        s->t = acc_xrealloc(s->t, s->alloc * sizeof *s->t);
    }
    tok *t = &s->t[s->n++];
    memset(t, 0, sizeof *t);
    return t;
}

static int utf8_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

static int is_space_seq(const unsigned char *p, size_t left)
{
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v')
        return 1;
    if (left >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
        return 2;
    if (left >= 3 && p[0] == 0xE2 && p[1] == 0x80 &&
        (p[2] == 0xAF || (p[2] >= 0x80 && p[2] <= 0x8B)))
        return 3;
    if (left >= 3 && p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
        return 3;
    return 0;
}

static int is_dash_seq(const unsigned char *p, size_t left)
{
    if (*p == '-')
        return 1;
    if (left >= 3 && p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x90 && p[2] <= 0x95)
        return 3;
    if (left >= 3 && p[0] == 0xEF && p[1] == 0xBD && p[2] == 0x9E) /* ～ */
        return 3;
    return 0;
}

/* Han punctuation that separates clauses: ，。；：、（） */
static int han_punct(const unsigned char *p, size_t left, char *c)
{
    if (left < 3)
        return 0;
    if (p[0] == 0xE3 && p[1] == 0x80 && (p[2] == 0x81 || p[2] == 0x82)) {
        *c = p[2] == 0x82 ? '.' : ',';
        return 3;
    }
    if (p[0] == 0xEF && p[1] == 0xBC) {
        switch (p[2]) {
        case 0x8C:
            *c = ',';
            return 3;
        case 0x9B:
            *c = ';';
            return 3;
        case 0x9A:
            *c = ':';
            return 3;
        case 0x88:
            *c = '(';
            return 3;
        case 0x89:
            *c = ')';
            return 3;
        }
    }
    return 0;
}

/* A number as written: a separator followed by exactly three digits groups thousands (unless it
   is the language's decimal mark and the last separator: "0,125"); any other is a decimal mark. */
static double parse_num(const char *s, size_t n, int comma_decimal, int *plain_digits)
{
    char b[64];
    size_t k = 0, last_sep = n;
    *plain_digits = 1;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == '.')
            last_sep = i;
    for (size_t i = 0; i < n && k + 2 < sizeof b; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            b[k++] = c;
            continue;
        }
        *plain_digits = 0;
        size_t d = 0;
        while (i + 1 + d < n && s[i + 1 + d] >= '0' && s[i + 1 + d] <= '9')
            d++;
        int lang_decimal = (c == ',') == (comma_decimal != 0);
        int grouping = d == 3 && !(lang_decimal && i == last_sep && i + 1 + d == n);
        if (!grouping)
            b[k++] = '.';
    }
    b[k] = '\0';
    return strtod(b, NULL);
}

static void tokenize(sent *s, const char *p, size_t n)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t i = 0;
    s->n = 0;
    while (i < n) {
        int k;
        char pc;
        if ((k = is_space_seq(u + i, n - i))) {
            i += (size_t)k;
        } else if (u[i] >= '0' && u[i] <= '9') {
            size_t j = i;
            while (j < n &&
                   ((u[j] >= '0' && u[j] <= '9') || ((u[j] == ',' || u[j] == '.') && j + 1 < n &&
                                                     u[j + 1] >= '0' && u[j + 1] <= '9' && j > i)))
                j++;
            /* a word glued to digits ("co2", "2030s"): one word */
            if (j < n && ((u[j] | 0x20) >= 'a' && (u[j] | 0x20) <= 'z') && j + 1 < n &&
                ((u[j + 1] | 0x20) >= 'a' && (u[j + 1] | 0x20) <= 'z')) {
                tok *t = push(s);
                t->type = T_WORD;
                t->s = p + i;
                while (j < n && (isalnum(u[j]) || u[j] >= 0x80) && !is_han(u + j, n - j) &&
                       !is_space_seq(u + j, n - j))
                    j += (size_t)utf8_len(u[j]);
                t->n = j - i;
                i = j;
                continue;
            }
            tok *t = push(s);
            int plain;
            t->type = T_NUM;
            t->s = p + i;
            t->n = j - i;
            t->num = parse_num(p + i, j - i, s->comma_decimal, &plain);
            if (plain && (t->n == 4 || t->n == 5)) {
                int y = (int)(t->num / (t->n == 5 ? 10 : 1));
                /* "19902": 1990 and a footnote mark */
                if (y >= 1900 && y <= 2100 && (t->n == 4 || (y >= 1985 && y <= 2070)))
                    t->year = y;
            }
            i = j;
        } else if (u[i] == '%') {
            push(s)->type = T_PCT;
            i++;
        } else if (n - i >= 3 && u[i] == 0xEF && u[i + 1] == 0xBC && u[i + 2] == 0x85) {
            push(s)->type = T_PCT;
            i += 3;
        } else if ((k = is_dash_seq(u + i, n - i))) {
            push(s)->type = T_DASH;
            i += (size_t)k;
        } else if ((k = han_punct(u + i, n - i, &pc))) {
            tok *t = push(s);
            t->type = T_PUNCT;
            t->punct = pc;
            i += (size_t)k;
        } else if (is_han(u + i, n - i)) {
            tok *t = push(s);
            t->type = T_WORD;
            t->s = p + i;
            t->n = 3;
            i += 3;
        } else if (u[i] < 0x80 && !isalnum(u[i])) {
            tok *t = push(s);
            t->type = T_PUNCT;
            t->punct = (char)u[i];
            i++;
        } else if (n - i >= 3 && u[i] == 0xE2 && u[i + 1] == 0x80) {
            /* quotes, apostrophes, bullets: separators */
            tok *t = push(s);
            t->type = T_PUNCT;
            t->punct = u[i + 2] == 0xA2 ? '*' : '\'';
            i += 3;
        } else {
            size_t j = i;
            while (j < n) {
                if (u[j] < 0x80 && !isalnum(u[j]))
                    break;
                if (is_space_seq(u + j, n - j) || is_han(u + j, n - j) ||
                    is_dash_seq(u + j, n - j) || (n - j >= 3 && u[j] == 0xE2 && u[j + 1] == 0x80))
                    break;
                if (u[j] >= '0' && u[j] <= '9' && j > i && !isalpha(u[j - 1]))
                    break;
                j += (size_t)utf8_len(u[j]);
            }
            if (j == i)
                j = i + (size_t)utf8_len(u[i]);
            if (j > n)
                j = n;
            tok *t = push(s);
            t->type = T_WORD;
            t->s = p + i;
            t->n = j - i;
            i = j;
        }
    }
}

static int pat_match(const pat *p, const tok *t)
{
    if (t->type != T_WORD && !(t->type == T_NUM && p->n))
        return 0;
    if (t->type == T_NUM)
        return 0;
    if (p->prefix && p->suffix) {
        if (t->n < p->n)
            return 0;
        for (size_t i = 0; i + p->n <= t->n; i++)
            if (memcmp(t->s + i, p->s, p->n) == 0)
                return 1;
        return 0;
    }
    if (p->prefix)
        return t->n >= p->n && memcmp(t->s, p->s, p->n) == 0;
    if (p->suffix)
        return t->n >= p->n && memcmp(t->s + t->n - p->n, p->s, p->n) == 0;
    return t->n == p->n && memcmp(t->s, p->s, p->n) == 0;
}

/* Marks where each cue of lx starts; a cue's words may be separated by hyphens and apostrophes. */
static void mark(sent *s, const lexicon *lx)
{
    for (size_t i = 0; i < s->n; i++) {
        if (s->t[i].type != T_WORD)
            continue;
        for (size_t c = 0; c < lx->n; c++) {
            const cue *cu = &lx->cues[c];
            size_t j = i;
            int k = 0;
            for (; k < cu->np; k++) {
                while (
                    k > 0 && j < s->n &&
                    (s->t[j].type == T_DASH || (s->t[j].type == T_PUNCT && s->t[j].punct == '\'')))
                    j++;
                if (j >= s->n || !pat_match(&cu->p[k], &s->t[j]))
                    break;
                j++;
            }
            if (k < cu->np)
                continue;
            tok *t = &s->t[i];
            size_t span = j - i;
            if (!(t->cats & ((uint64_t)1 << cu->cat)) || t->end[cu->cat] < span) {
                t->cats |= (uint64_t)1 << cu->cat;
                t->end[cu->cat] = (unsigned char)(span > 255 ? 255 : span);
            }
        }
    }
}

/* ---- reading the marks ---- */

static int has(const sent *s, size_t i, int cat)
{
    return i < s->n && (s->t[i].cats & ((uint64_t)1 << cat));
}

/* index just past the cue of category cat starting at i */
static size_t cue_end(const sent *s, size_t i, int cat)
{
    return i + s->t[i].end[cat];
}

/* Does a cue of category cat end at token j (exclusive), starting at most `back` tokens before?
   The longest such cue is found (its start in *start). */
static int cue_ends_at(const sent *s, size_t j, int cat, size_t back, size_t *start)
{
    for (size_t b = back < j ? back : j; b >= 1; b--) {
        size_t i = j - b;
        if (has(s, i, cat) && cue_end(s, i, cat) == j) {
            if (start)
                *start = i;
            return 1;
        }
    }
    return 0;
}

/* the clause around token i: [lo, hi), cut at ';', '!' or '?' */
static void clause(const sent *s, size_t i, size_t *lo, size_t *hi)
{
    size_t a = i, b = i;
    /* a '.' inside a sentence is an item number or an abbreviation, not a boundary */
    while (a > 0 && !(s->t[a - 1].type == T_PUNCT && strchr(";!?", s->t[a - 1].punct)))
        a--;
    while (b < s->n && !(s->t[b].type == T_PUNCT && strchr(";!?", s->t[b].punct)))
        b++;
    *lo = a;
    *hi = b;
}

/* nearest token of category cat in [lo, hi) to [from, to): its distance, or -1 */
static long nearest(const sent *s, int cat, size_t lo, size_t hi, size_t from, size_t to,
                    size_t *at)
{
    long best = -1;
    for (size_t i = lo; i < hi; i++) {
        if (!has(s, i, cat))
            continue;
        size_t e = cue_end(s, i, cat);
        long d = e <= from ? (long)(from - e) : i >= to ? (long)(i - to) : 0;
        if (best < 0 || d < best) {
            best = d;
            if (at)
                *at = i;
        }
    }
    return best;
}

/*
 * nearest() for a kind's words that may introduce a list: "emissions are
 * reduced as follows: 1. by 2030 by 65 %, 2. by 2040 by 88 %" -- a cue before
 * the last ':' before the percentage counts from that ':'.
 */
static long list_dist(const sent *s, int cat, size_t lo, size_t hi, size_t from, size_t to)
{
    long d = nearest(s, cat, lo, hi, from, to, NULL);
    size_t colon = from;
    while (colon > lo && !(s->t[colon - 1].type == T_PUNCT && s->t[colon - 1].punct == ':'))
        colon--;
    if (colon > lo) {
        long dc = nearest(s, cat, lo, colon, colon, colon, NULL);
        if (dc >= 0) {
            dc += 2; /* a little further than a cue next to the figure */
            if (d < 0 || dc < d)
                d = dc;
        }
    }
    return d;
}

/* "75% of 1990 levels", "42.6% of the 1990 level", "до уровня 70-75% от выбросов 1990 года":
   the base year when the percentage states a level relative to it, else 0 */
static int level_of(const sent *s, size_t at, size_t end)
{
    size_t j = end;
    int before = 0;
    for (size_t b = at > 4 ? at - 4 : 0; b < at; b++)
        if (has(s, b, ACC_CC_LEVELTO) && cue_end(s, b, ACC_CC_LEVELTO) + 2 >= at)
            before = 1;
    /* "reduce by 40% of the 2010 levels" is a cut after all */
    if (!before && cue_ends_at(s, at, ACC_CC_CUTBY, 4, NULL))
        return 0;
    if (has(s, j, ACC_CC_LEVELOF))
        j = cue_end(s, j, ACC_CC_LEVELOF);
    else if (!before)
        return 0;
    for (size_t k = j; k < j + 4 && k < s->n; k++)
        if (s->t[k].year)
            return s->t[k].year;
    return 0;
}

/* a cue of category cat starting within n tokens after `from` */
static int has_near(const sent *s, int cat, size_t from, size_t n)
{
    for (size_t k = from; k < from + n && k < s->n; k++)
        if (has(s, k, cat))
            return 1;
    return 0;
}

/* Is token at inside brackets within [lo, hi)? Then *blo, *bhi: the inside of them. */
static int in_brackets(const sent *s, size_t lo, size_t hi, size_t at, size_t *blo, size_t *bhi)
{
    size_t a = at;
    while (a > lo && !(s->t[a - 1].type == T_PUNCT && strchr("()", s->t[a - 1].punct)))
        a--;
    if (a == lo || s->t[a - 1].punct != '(')
        return 0;
    size_t b = at;
    while (b < hi && !(s->t[b].type == T_PUNCT && strchr("()", s->t[b].punct)))
        b++;
    if (b == hi || s->t[b].punct != ')')
        return 0;
    *blo = a;
    *bhi = b;
    return 1;
}

enum year_role { Y_NONE = 0, Y_TARGET, Y_BASE, Y_START };

/* What year token i is: a target year ("by 2030", "2021-2030", "2030年前"), a base year
   ("below 1990 levels"), or neither. */
static int year_role(const sent *s, size_t i)
{
    const tok *t = &s->t[i];
    if (!t->year)
        return Y_NONE;
    /* a number of a range or list of numbers, a year as part of a date "25 June 2015" */
    size_t j = i + 1;
    while (j < s->n && s->t[j].type == T_PUNCT && s->t[j].punct == '\'')
        j++;
    if (j < s->n && (s->t[j].type == T_PCT || has(s, j, ACC_CC_PERCENT)))
        return Y_NONE;
    /* the first year of a period "2021-2030", "from 2021 to 2030", "between 1990 and 2012" */
    if (j + 1 < s->n &&
        (s->t[j].type == T_DASH || has(s, j, ACC_CC_RANGE) || has(s, j, ACC_CC_AND))) {
        size_t k = s->t[j].type == T_DASH    ? j + 1
                   : has(s, j, ACC_CC_RANGE) ? cue_end(s, j, ACC_CC_RANGE)
                                             : cue_end(s, j, ACC_CC_AND);
        if (k < s->n && s->t[k].year > t->year)
            return Y_START;
    }
    /* a date of signature, adoption, entry into force: no target */
    for (size_t b = i > 4 ? i - 4 : 0; b < i; b++)
        if (has(s, b, ACC_CC_ADOPT))
            return Y_NONE;
    /* "no later than 2050" is a target, "than 1990" a base: the longer cue decides */
    size_t bs = i, ts = i;
    int base = cue_ends_at(s, i, ACC_CC_BASEPRE, 5, &bs);
    int by = cue_ends_at(s, i, ACC_CC_BY, 5, &ts);
    if (base && !(by && ts < bs))
        return Y_BASE;
    if (has(s, j, ACC_CC_BASEPOST))
        return Y_BASE;
    /* "base year (1990)", "año base 2010" */
    if (i >= 1 && s->t[i - 1].type == T_PUNCT && s->t[i - 1].punct == '(' &&
        cue_ends_at(s, i - 1, ACC_CC_BASEPRE, 4, NULL))
        return Y_BASE;
    if (by)
        return Y_TARGET;
    /* the second year of a period: 2021-2030, 2021 to 2030, entre 2021 y 2030 */
    if (i >= 2 && s->t[i - 2].year && s->t[i - 2].year < t->year &&
        (s->t[i - 1].type == T_DASH ||
         (has(s, i - 1, ACC_CC_AND) && i >= 3 && has(s, i - 3, ACC_CC_BETWEEN))))
        return Y_TARGET;
    size_t rs;
    if (cue_ends_at(s, i, ACC_CC_RANGE, 3, &rs) && rs > 0 && s->t[rs - 1].year &&
        s->t[rs - 1].year < t->year)
        return Y_TARGET;
    /* "2030 target", "2030年前", "2030年までに" */
    if (has(s, j, ACC_CC_BYPOST) || has(s, j, ACC_CC_TARGET))
        return Y_TARGET;
    return Y_NONE;
}

typedef struct pct {
    size_t at, end; /* tokens of the number(s) and the percent sign */
    double v, vmax;
} pct;

/* A percentage starting at token i: "26 %", "26 to 28 per cent", "26-28%", "26 % à 28 %". */
static int read_pct(const sent *s, size_t i, pct *out)
{
    const tok *t = &s->t[i];
    if (t->type != T_NUM || t->year)
        return 0;
    size_t j = i + 1;
    int sign = 0;
    if (j < s->n && s->t[j].type == T_PCT) {
        sign = 1;
        j++;
    } else if (has(s, j, ACC_CC_PERCENT)) {
        sign = 1;
        j = cue_end(s, j, ACC_CC_PERCENT);
    }
    out->at = i;
    out->v = t->num;
    out->vmax = -1;
    /* a range: the separator, the second number, then the sign; "between 20% and 25%" */
    size_t r = j;
    int between = i > 0 && has(s, i - 1, ACC_CC_BETWEEN) && has(s, r, ACC_CC_AND);
    if (r < s->n && (s->t[r].type == T_DASH || has(s, r, ACC_CC_RANGE) || between)) {
        size_t k = s->t[r].type == T_DASH ? r + 1
                   : between              ? cue_end(s, r, ACC_CC_AND)
                                          : cue_end(s, r, ACC_CC_RANGE);
        if (k < s->n && s->t[k].type == T_NUM && !s->t[k].year && s->t[k].num > t->num) {
            size_t e = k + 1;
            int sign2 = 0;
            if (e < s->n && s->t[e].type == T_PCT) {
                sign2 = 1;
                e++;
            } else if (has(s, e, ACC_CC_PERCENT)) {
                sign2 = 1;
                e = cue_end(s, e, ACC_CC_PERCENT);
            }
            if (sign2) {
                out->vmax = s->t[k].num;
                out->end = e;
                return out->v > 0 && out->vmax <= 100;
            }
        }
    }
    if (!sign)
        return 0;
    out->end = j;
    return out->v > 0 && out->v <= 100;
}

/* the strength of the sentence's statement near [lo, hi) */
static acc_commit_strength strength_of(const sent *s, size_t lo, size_t hi)
{
    int bind = 0, will = 0, intend = 0, report = 0, weak = 0;
    for (size_t i = lo; i < hi; i++) {
        uint64_t c = s->t[i].cats;
        bind |= (int)((c >> ACC_CC_BIND) & 1);
        will |= (int)((c >> ACC_CC_WILL) & 1);
        intend |= (int)((c >> ACC_CC_INTEND) & 1);
        report |= (int)((c >> ACC_CC_REPORT) & 1);
        weak |= (int)((c >> ACC_CC_REPORTW) & 1);
    }
    /* "were", "decreased": a report unless a modal or an intention says otherwise */
    /* "aims to have reduced by 2030" is an aim: a modal or an intention outweighs a report */
    if ((report || weak) && !bind && !will && !intend)
        return ACC_CS_REPORTED;
    if (report && !intend)
        return ACC_CS_REPORTED;
    if (bind)
        return ACC_CS_BINDING;
    if (intend)
        return ACC_CS_INTENDED;
    if (will)
        return ACC_CS_BINDING;
    return ACC_CS_INTENDED;
}

/* a negation within the few words before token i of its clause */
static int negated(const sent *s, size_t lo, size_t i)
{
    size_t a = i > lo + 6 ? i - 6 : lo;
    for (size_t k = a; k < i; k++) {
        if (!has(s, k, ACC_CC_NEG))
            continue;
        /* "no later than", "not less than", "not only" */
        int excused = 0;
        for (size_t b = k >= 2 ? k - 2 : 0; b <= k; b++)
            if (has(s, b, ACC_CC_NEGX) && cue_end(s, b, ACC_CC_NEGX) > k)
                excused = 1;
        if (!excused)
            return 1;
    }
    return 0;
}

/* the target year nearest to [from, to) in [lo, hi), after it preferred; 0 if none. A year
   before the document's (doc_year, 0 = unknown) is passed over unless the sentence reports. */
static int target_year(const sent *s, const int *role, size_t lo, size_t hi, size_t from, size_t to,
                       int doc_year, int reported, size_t *at)
{
    long best = -1;
    int y = 0;
    for (size_t i = lo; i < hi; i++) {
        if (role[i] != Y_TARGET)
            continue;
        if (doc_year > 0 && !reported && s->t[i].year < doc_year)
            continue;
        long d = i >= to ? (long)(i - to) : (long)(from - i) + 3;
        /* "In 2022, emissions were ...": a year framing the clause */
        if (i < from && i <= lo + 3 && i + 1 < hi && s->t[i + 1].type == T_PUNCT &&
            s->t[i + 1].punct == ',')
            d = 6;
        /* a year across a comma belongs less to the figure ("2030 um 65 %, 2. bis 2040") */
        size_t a = i < from ? i : to, b = i < from ? from : i;
        for (size_t k = a; k < b; k++)
            if (s->t[k].type == T_PUNCT && (s->t[k].punct == ',' || s->t[k].punct == ':')) {
                d += 4;
                break;
            }
        if (best < 0 || d < best) {
            best = d;
            y = s->t[i].year;
            if (at)
                *at = i;
        }
    }
    return best >= 0 && best <= 25 * s->scale ? y : 0;
}

/* the base year nearest the figure; the first year of a period counts for a reported change
   ("fell by 36% between 1990 and 2012") */
static int base_of(const sent *s, const int *role, size_t lo, size_t hi, size_t from, size_t to,
                   int reported)
{
    long best = -1;
    int y = ACC_BASE_NONE;
    for (size_t i = lo; i < hi; i++) {
        if (role[i] != Y_BASE && !(reported && role[i] == Y_START))
            continue;
        long d = i >= to ? (long)(i - to) : (long)(from - i);
        if (best < 0 || d < best) {
            best = d;
            y = s->t[i].year;
        }
    }
    if (y == ACC_BASE_NONE && nearest(s, ACC_CC_BAU, lo, hi, from, to, NULL) >= 0)
        y = ACC_BASE_BAU;
    return y;
}

static int conditional_of(const sent *s, size_t lo, size_t hi, size_t from, size_t to)
{
    long c = nearest(s, ACC_CC_COND, lo, hi, from, to, NULL);
    long u = nearest(s, ACC_CC_UNCOND, lo, hi, from, to, NULL);
    if (u >= 0 && (c < 0 || u <= c))
        return 0;
    return c >= 0 ? 1 : -1;
}

typedef struct found {
    acc_commitment *v;
    size_t n, alloc;
} found;

static void emit(found *f, const acc_commitment *c)
{
    for (size_t i = 0; i < f->n; i++) {
        const acc_commitment *o = &f->v[i];
        if (o->start == c->start && o->kind == c->kind && o->year == c->year &&
            o->value == c->value)
            return;
    }
    if (f->n == f->alloc) {
        f->alloc = f->alloc ? 2 * f->alloc : 8;
        f->v = acc_xrealloc(f->v, f->alloc * sizeof *f->v);
    }
    f->v[f->n++] = *c;
}

/* a former target recalled ("the previous target was"): no commitment of the text */
static int past_target(const sent *s, size_t lo, size_t hi)
{
    for (size_t i = lo; i < hi; i++)
        if (has(s, i, ACC_CC_PAST))
            return 1;
    return 0;
}

/* Is a commitment for year y (of strength st) plausible in a document of doc_year? */
static int year_ok(int y, int base, acc_commit_strength st, int doc_year)
{
    if (y < 1990 || y > 2100)
        return 0;
    if (base > 0 && base >= y)
        return 0;
    if (doc_year > 0 && st != ACC_CS_REPORTED && y < doc_year)
        return 0;
    if (doc_year > 0 && st == ACC_CS_REPORTED && y > doc_year)
        return 0;
    return 1;
}

static void read_sentence(sent *s, int doc_year, size_t start, size_t end, found *f)
{
    int *role = acc_xcalloc(s->n + 1, sizeof *role);
    int any_target = 0;
    /* ACC_COMMIT_DEBUG=1: each sentence's tokens, cue categories and year roles on stderr */
    static int debug = -1;
    if (debug < 0)
        debug = getenv("ACC_COMMIT_DEBUG") != NULL;
    for (size_t i = 0; i < s->n; i++) {
        role[i] = year_role(s, i);
        any_target |= role[i] == Y_TARGET;
        if (debug)
            fprintf(stderr, "%zu:%d'%.*s'%c cats=%llx role=%d\n", i, s->t[i].type, (int)s->t[i].n,
                    s->t[i].s ? s->t[i].s : "", s->t[i].punct ? s->t[i].punct : ' ',
                    (unsigned long long)s->t[i].cats, role[i]);
    }
    if (!any_target)
        goto out;

    /* percentages: reduction, renewable, efficiency, protected */
    int prev_kind = -1;
    size_t prev_end = 0;
    for (size_t i = 0; i < s->n; i++) {
        pct p;
        if (!read_pct(s, i, &p))
            continue;
        i = p.end - 1; /* the second number of a range is not a percentage of its own */
        size_t lo, hi;
        clause(s, i, &lo, &hi);
        /* "15% of global emissions", "2 % du PIB": a share of something */
        if (has(s, p.end, ACC_CC_SHARE))
            continue;
        /* the IPCC's pathways, global emissions: science and context, not the text's own */
        if (nearest(s, ACC_CC_CONTEXT, lo, hi, p.at, p.end, NULL) >= 0)
            continue;
        long dist[4];
        static const int kcat[4] = {ACC_CC_CUT, ACC_CC_REN, ACC_CC_EFF, ACC_CC_PROT};
        static const acc_commit_kind kk[4] = {ACC_CK_REDUCTION, ACC_CK_RENEWABLE, ACC_CK_EFFICIENCY,
                                              ACC_CK_PROTECTED};
        for (int k = 0; k < 4; k++)
            dist[k] = list_dist(s, kcat[k], lo, hi, p.at, p.end);
        /* a cut of emissions (not of energy use: that is efficiency) */
        long emis = list_dist(s, ACC_CC_EMIS, lo, hi, p.at, p.end);
        if (emis < 0 || emis > 20 * s->scale)
            dist[0] = -1;
        long inc = nearest(s, ACC_CC_INC, lo, hi, p.at, p.end, NULL);
        if (dist[0] >= 0 && inc >= 0 && inc < dist[0])
            dist[0] = -1;
        if (dist[3] >= 0 && nearest(s, ACC_CC_AREA, lo, hi, p.at, p.end, NULL) < 0)
            dist[3] = -1;
        /* "75% of 1990 levels", "to 70-75% of 1990 emissions": a level, the cut is the rest */
        int level = level_of(s, p.at, p.end);
        int best = -1;
        /* "X% below 2005 levels", "X % par rapport au scénario tendanciel": a figure against
           a base is a cut when emissions are the subject */
        int against =
            (has_near(s, ACC_CC_BASEPRE, p.end, 2) || has_near(s, ACC_CC_BAU, p.end, 2)) &&
            emis >= 0 && emis <= 20 * s->scale && !(inc >= 0 && inc <= 3);
        if (level && emis >= 0 && emis <= 20 * s->scale) {
            best = 0;
        } else if (against && (dist[0] < 0 || dist[0] > 12 * s->scale) &&
                   !(dist[1] >= 0 && dist[1] <= 10 * s->scale) &&
                   !(dist[2] >= 0 && dist[2] <= 10 * s->scale)) {
            best = 0;
        } else {
            level = 0;
            for (int k = 0; k < 4; k++) {
                long lim = (k == 0 ? 12 : 10) * s->scale;
                if (dist[k] >= 0 && dist[k] <= lim && (best < 0 || dist[k] < dist[best]))
                    best = k;
            }
            /* energy efficiency beats a cut when its words are as near ("cut energy use by 20%") */
            if (best == 0 && dist[2] >= 0 && dist[2] <= dist[0] + 1 && emis > dist[2])
                best = 2;
            /* a renewable share is counted in energy consumption: "renewable energy in final
               energy consumption ... 32%" is a renewable share */
            if (best == 2 && dist[1] >= 0 && dist[1] <= 14 * s->scale)
                best = 1;
            /* "at least 10 per cent of coastal and marine areas ... conserved": the area
               named with the figure, the verb further on */
            if (best < 0 && has_near(s, ACC_CC_AREA, p.end, 3) &&
                nearest(s, ACC_CC_PROT, lo, hi, p.at, p.end, NULL) >= 0)
                best = 3;
            /* a figure without words of its own takes those of the figure just before it:
               "reduce emissions by 40% by 2030 and 55% by 2040", "31% ... (48% en 2025)" */
            if (best < 0 && prev_kind >= 0 && p.at - prev_end <= 12 * (size_t)s->scale)
                best = prev_kind;
        }
        if (best < 0)
            continue;
        prev_kind = best;
        prev_end = p.end;
        /* "... 9 000 GgCO2 over 2010-2025, i.e. 31%": a cumulative amount restated, no target
           for a year */
        if (cue_ends_at(s, p.at, ACC_CC_RESTATE, 3, NULL))
            continue;
        /* a figure in brackets is a part of the one before ("47% ... (hydro 24.5%, wind
           9.4%)") unless it has its own year there ("(48% en 2025)") */
        size_t plo = lo, phi = hi;
        if (in_brackets(s, lo, hi, p.at, &plo, &phi)) {
            lo = plo;
            hi = phi;
        }
        acc_commit_strength st = strength_of(s, lo, hi);
        int y = target_year(s, role, lo, hi, p.at, p.end, doc_year, st == ACC_CS_REPORTED, NULL);
        if (!y)
            continue;
        size_t kat = p.at;
        nearest(s, kcat[best], lo, hi, p.at, p.end, &kat);
        size_t first = kat < p.at ? kat : p.at;
        /* "will not exceed 60% of 1990 levels" is a level, not a negation */
        if (!level && negated(s, lo, first))
            continue;
        /* a single 100 % cut is a table's total, not a target (net zero says it in words) */
        if (best == 0 && !level && p.v == 100 && p.vmax < 0)
            continue;
        if (level) {
            double v = p.v, vm = p.vmax;
            p.v = vm > 0 ? 100 - vm : 100 - v;
            p.vmax = vm > 0 ? 100 - v : -1;
            if (p.v <= 0)
                continue;
        }
        acc_commitment c;
        memset(&c, 0, sizeof c);
        c.kind = kk[best];
        c.value = p.v;
        c.value_max = p.vmax;
        c.year = y;
        c.strength = st;
        c.base = c.kind == ACC_CK_RENEWABLE || c.kind == ACC_CK_PROTECTED ? ACC_BASE_NONE
                 : level > 0                                              ? level
                             : base_of(s, role, lo, hi, p.at, p.end, c.strength == ACC_CS_REPORTED);
        long inten = nearest(s, ACC_CC_INTENS, lo, hi, p.at, p.end, NULL);
        c.intensity = c.kind == ACC_CK_REDUCTION && inten >= 0 && inten <= 12 * s->scale;
        c.conditional = conditional_of(s, 0, s->n, p.at, p.end);
        c.start = start;
        c.end = end;
        if (year_ok(c.year, c.base, c.strength, doc_year) && !past_target(s, lo, hi))
            emit(f, &c);
    }

    /* neutrality and coal phase-out: a phrase and a target year */
    for (size_t i = 0; i < s->n; i++) {
        int kind = -1;
        size_t e = i + 1;
        if (has(s, i, ACC_CC_NZ)) {
            kind = ACC_CK_NETZERO;
            e = cue_end(s, i, ACC_CC_NZ);
        } else if (has(s, i, ACC_CC_COAL)) {
            size_t lo, hi;
            clause(s, i, &lo, &hi);
            size_t a = i > lo + 6 ? i - 6 : lo, b = i + 8 < hi ? i + 8 : hi;
            long d = nearest(s, ACC_CC_OUT, a, b, i, cue_end(s, i, ACC_CC_COAL), NULL);
            if (d >= 0) {
                kind = ACC_CK_COAL;
                e = cue_end(s, i, ACC_CC_COAL);
            }
        }
        if (kind < 0)
            continue;
        size_t lo, hi;
        clause(s, i, &lo, &hi);
        int y = target_year(s, role, lo, hi, i, e, doc_year,
                            strength_of(s, lo, hi) == ACC_CS_REPORTED, NULL);
        if (!y || negated(s, lo, i) || nearest(s, ACC_CC_CONTEXT, lo, hi, i, e, NULL) >= 0)
            continue;
        acc_commitment c;
        memset(&c, 0, sizeof c);
        c.kind = (acc_commit_kind)kind;
        c.value = c.value_max = -1;
        c.year = y;
        c.base = ACC_BASE_NONE;
        c.conditional = conditional_of(s, 0, s->n, i, e);
        c.strength = strength_of(s, lo, hi);
        c.start = start;
        c.end = end;
        /* neutrality "was set" for a year: a former target, not an achievement */
        if (kind == ACC_CK_NETZERO && c.strength == ACC_CS_REPORTED)
            continue;
        if (year_ok(c.year, 0, c.strength, doc_year) && !past_target(s, lo, hi))
            emit(f, &c);
        i = e - 1;
    }
out:
    free(role);
}

/* ---- sentences ---- */

static int has_year_digits(const char *p, size_t n)
{
    for (size_t i = 0; i + 4 <= n; i++)
        if ((p[i] == '1' && p[i + 1] == '9') || (p[i] == '2' && p[i + 1] == '0')) {
            if (p[i + 2] >= '0' && p[i + 2] <= '9' && p[i + 3] >= '0' && p[i + 3] <= '9' &&
                (i == 0 || p[i - 1] < '0' || p[i - 1] > '9'))
                return 1;
        }
    return 0;
}

static int starts_item(const unsigned char *p, size_t left)
{
    if (!left)
        return 0;
    if ((*p >= 'A' && *p <= 'Z') || *p == '(' || *p == '*' || *p == '-' || *p == '"')
        return 1;
    if (*p >= 0xC3) /* an accented capital, a bullet, a quote, Cyrillic or Han */
        return 1;
    if (*p >= '0' && *p <= '9')
        return 1;
    return 0;
}

/* a line starting "14.1 ", "3. ", "2) ", "(a) ", "a) ": an item of a list */
static int numbered_item(const unsigned char *p, size_t left)
{
    size_t i = 0;
    if (left && p[0] == '(')
        i++;
    size_t d = i;
    while (i < left && ((p[i] >= '0' && p[i] <= '9') || (p[i] == '.' && i > d)))
        i++;
    if (i == d && i < left && p[i] >= 'a' && p[i] <= 'z')
        i++;
    if (i == d || i - d > 8 || i >= left)
        return 0;
    /* digits alone ("2030 ") are a year or a number starting the line, not an item */
    int dots = 0;
    for (size_t k = d; k < i; k++)
        dots += p[k] == '.';
    if (p[i] == ')')
        return 1;
    return dots > 0 && (p[i] == ' ' || p[i] == '\t');
}

/* the word before p[i] ('.'), for abbreviations: "e.g.", "No.", "Art.", "para." */
static int abbreviation(const char *p, size_t i)
{
    size_t a = i;
    while (a > 0 && (isalpha((unsigned char)p[a - 1]) || p[a - 1] == '.'))
        a--;
    size_t n = i - a;
    if (n == 0)
        return 0;
    if (n == 1)
        return 1; /* an initial */
    static const char *const ab[] = {
        "e.g", "i.e", "no",  "nos",   "art", "arts",   "para", "paras", "p",   "pp",  "vs",
        "cf",  "mr",  "dr",  "st",    "fig", "approx", "incl", "ca",    "nr",  "abs", "vgl",
        "bzw", "z.b", "u.a", "et al", "op",  "ibid",   "resp", "mio",   "mrd", "bn",  "mln"};
    for (size_t k = 0; k < sizeof ab / sizeof ab[0]; k++)
        if (strlen(ab[k]) == n && strncasecmp(p + a, ab[k], n) == 0)
            return 1;
    return 0;
}

/* the end of the sentence starting at a (exclusive) */
static size_t sentence_end(const char *p, size_t n, size_t a)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t line_start = a;
    for (size_t i = a; i < n; i++) {
        if (i - a > 1500 && u[i] == '\n')
            return i + 1;
        if (u[i] == '\n') {
            size_t j = i + 1;
            while (j < n && (u[j] == ' ' || u[j] == '\t' || u[j] == '\r'))
                j++;
            if (j >= n || u[j] == '\n') {
                /* a blank line, unless the line before opens a list ("as follows:") or
                   continues one ("65 Prozent,") */
                size_t b = i;
                while (b > a && (u[b - 1] == ' ' || u[b - 1] == '\t' || u[b - 1] == '\r'))
                    b--;
                size_t nx = j;
                while (nx < n && (u[nx] == '\n' || u[nx] == ' ' || u[nx] == '\t' || u[nx] == '\r'))
                    nx++;
                /* a page break inside a sentence: the next line goes on in lower case */
                int goes_on =
                    nx < n && u[nx] >= 'a' && u[nx] <= 'z' && b > a && !strchr(".!?", u[b - 1]);
                if (b > a && (goes_on || u[b - 1] == ':' || u[b - 1] == ',' || u[b - 1] == ';') &&
                    j < n) {
                    while (j < n && (u[j] == '\n' || u[j] == ' ' || u[j] == '\t' || u[j] == '\r'))
                        j++;
                    i = j - 1;
                    line_start = j;
                    continue;
                }
                return j;
            }
            /* a short line (heading, last line of a paragraph) or a bullet: a boundary */
            size_t len = i - line_start;
            unsigned char last = i > a ? u[i - 1] : ' ';
            if (len < 40 && last != ',' && !(last >= 'a' && last <= 'z') &&
                !(last >= '0' && last <= '9') && last != '(' && starts_item(u + j, n - j))
                return i + 1;
            if (n - j >= 3 && u[j] == 0xE2 && u[j + 1] == 0x80 && u[j + 2] == 0xA2)
                return i + 1;
            /* an item of a list, unless the line before introduces it ("as follows:") */
            if (numbered_item(u + j, n - j) && last != ':' && last != ',')
                return i + 1;
            line_start = i + 1;
            continue;
        }
        if (u[i] == '.' || u[i] == '!' || u[i] == '?' || u[i] == ';') {
            size_t j = i + 1;
            while (j < n && (u[j] == ')' || u[j] == '"'))
                j++;
            if (j < n && !is_space_seq(u + j, n - j))
                continue;
            if (u[i] == ';')
                continue; /* a clause, not a sentence */
            while (j < n && is_space_seq(u + j, n - j))
                j += (size_t)is_space_seq(u + j, n - j);
            if (j >= n)
                return n;
            if (u[i] == '.' && abbreviation(p, i))
                continue;
            if (starts_item(u + j, n - j))
                return j;
            continue;
        }
        /* 。！？ */
        if (n - i >= 3 &&
            ((u[i] == 0xE3 && u[i + 1] == 0x80 && u[i + 2] == 0x82) ||
             (u[i] == 0xEF && u[i + 1] == 0xBC && (u[i + 2] == 0x81 || u[i + 2] == 0x9F))))
            return i + 3;
    }
    return n;
}

size_t acc_commit_extract(const char *lang, int doc_year, const char *text, size_t n,
                          acc_commitment **out)
{
    const lexicon *lx = lexicon_for(lang);
    found f = {0};
    sent s = {0};
    acc_buf folded;
    acc_buf_init(&folded, 0);
    s.comma_decimal = lang && strcmp(lang, "en") != 0 && strcmp(lang, "zh") != 0;
    *out = NULL;
    if (!lx || !text)
        return 0;
    size_t a = 0;
    while (a < n) {
        while (a < n && is_space_seq((const unsigned char *)text + a, n - a))
            a += (size_t)is_space_seq((const unsigned char *)text + a, n - a);
        if (a >= n)
            break;
        size_t e = sentence_end(text, n, a);
        if (e <= a)
            e = a + 1;
        size_t te = e;
        while (te > a && is_space_seq((const unsigned char *)text + te - 1, 1))
            te--;
        /* a row of a table ("| Ambition | Climate neutral by 2030 |"): its cells are not
           sentences, the text around the table says what it holds */
        size_t bars = 0;
        for (size_t k = a; k < te && bars < 4; k++)
            bars += text[k] == '|';
        if (bars < 4 && has_year_digits(text + a, te - a)) {
            fold_into(text + a, te - a, &folded);
            tokenize(&s, folded.p ? folded.p : "", folded.n);
            s.scale = 1;
            for (size_t k = 0; k < s.n && s.scale == 1; k++)
                if (s.t[k].type == T_WORD && is_han((const unsigned char *)s.t[k].s, s.t[k].n))
                    s.scale = 2;
            mark(&s, lx);
            read_sentence(&s, doc_year, a, te, &f);
        }
        a = e;
    }
    acc_buf_release(&folded);
    free(s.t);
    *out = f.v;
    return f.n;
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
