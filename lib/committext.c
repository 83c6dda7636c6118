/*
 * lib/committext.c: sentences, tokens and cues for the commitment extractor
 * (lib/committext.h).
 *
 * The text is cut into sentences (a line break inside a paragraph, as PDF
 * extraction leaves them, is not a boundary; neither is a blank line inside a
 * list or before a line going on in lower case). A sentence is folded (lower
 * case, no accents), cut into tokens (words, numbers, '%', dashes,
 * punctuation; one token per Han character) and marked with the cues of the
 * language's lexicon.
 */
#include "committext.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "accord/mem.h"
#include "accord/text.h"
#include "commit_lex.h"

/* ---- the lexicon, compiled once ---- */

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

/* lx->byfirst and lx->anyfirst: a word is compared only with the cues it can start */
static void index_cues(lexicon *lx)
{
    size_t count[256] = {0};
    lx->byfirst = acc_xcalloc(lx->n + 1, sizeof *lx->byfirst);
    lx->anyfirst = acc_xcalloc(lx->n + 1, sizeof *lx->anyfirst);
    for (size_t c = 0; c < lx->n; c++) {
        const pat *p = &lx->cues[c].p[0];
        if (lx->cues[c].np == 0 || p->suffix || p->n == 0)
            lx->anyfirst[lx->nany++] = c;
        else
            count[(unsigned char)p->s[0]]++;
    }
    lx->off[0] = 0;
    for (int b = 0; b < 256; b++)
        lx->off[b + 1] = lx->off[b] + count[b];
    size_t fill[256];
    memcpy(fill, lx->off, sizeof fill);
    for (size_t c = 0; c < lx->n; c++) {
        const pat *p = &lx->cues[c].p[0];
        if (!(lx->cues[c].np == 0 || p->suffix || p->n == 0))
            lx->byfirst[fill[(unsigned char)p->s[0]]++] = c;
    }
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
        index_cues(lx);
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
        } else if (u[i] == '$' || (u[i] == '\\' && i + 1 < n && u[i + 1] == '%')) {
            /* the TeX of converted PDFs: "$80\\%$" is "80%" */
            i++;
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
/* Does cue cu match the tokens from i? *end: past its last token. Hyphens and apostrophes
   between its words are skipped. */
static int cue_at(const sent *s, size_t i, const cue *cu, size_t *end)
{
    size_t j = i;
    for (int k = 0; k < cu->np; k++) {
        while (k > 0 && j < s->n &&
               (s->t[j].type == T_DASH || (s->t[j].type == T_PUNCT && s->t[j].punct == '\'')))
            j++;
        if (j >= s->n || !pat_match(&cu->p[k], &s->t[j]))
            return 0;
        j++;
    }
    *end = j;
    return 1;
}

static void mark_cue(tok *t, int cat, size_t span)
{
    if (!(t->cats & ((uint64_t)1 << cat)) || t->end[cat] < span) {
        t->cats |= (uint64_t)1 << cat;
        t->end[cat] = (unsigned char)(span > 255 ? 255 : span);
    }
}

/* Marks where each cue of lx starts. */
static void mark(sent *s, const lexicon *lx)
{
    for (size_t i = 0; i < s->n; i++) {
        if (s->t[i].type != T_WORD || !s->t[i].n)
            continue;
        unsigned char b = (unsigned char)s->t[i].s[0];
        size_t end;
        for (size_t k = lx->off[b]; k < lx->off[b + 1]; k++) {
            const cue *cu = &lx->cues[lx->byfirst[k]];
            if (cue_at(s, i, cu, &end))
                mark_cue(&s->t[i], cu->cat, end - i);
        }
        for (size_t k = 0; k < lx->nany; k++) {
            const cue *cu = &lx->cues[lx->anyfirst[k]];
            if (cue_at(s, i, cu, &end))
                mark_cue(&s->t[i], cu->cat, end - i);
        }
    }
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
        /* a sentence is at most about 1500 bytes (a run-on text, a table flattened):
           cut at a line break past that, or at a space past 2000, so that reading one
           stays linear in practice */
        if (i - a > 1500 && u[i] == '\n')
            return i + 1;
        if (i - a > 2000 && u[i] == ' ')
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

void acc_csent_init(sent *s, const char *lang)
{
    memset(s, 0, sizeof *s);
    acc_buf_init(&s->folded, 0);
    s->lx = lexicon_for(lang);
    s->comma_decimal = lang && strcmp(lang, "en") != 0 && strcmp(lang, "zh") != 0;
}

void acc_csent_release(sent *s)
{
    free(s->t);
    acc_buf_release(&s->folded);
    s->t = NULL;
    s->n = s->alloc = 0;
}

static int numword(const char *lang, const tok *t)
{
    if (t->type != T_WORD)
        return 0;
    for (size_t k = 0; k < sizeof acc_commit_numwords / sizeof acc_commit_numwords[0]; k++) {
        const acc_commit_numword *w = &acc_commit_numwords[k];
        if (strlen(w->word) == t->n && memcmp(w->word, t->s, t->n) == 0 &&
            strcmp(w->lang, lang) == 0)
            return w->value;
    }
    return 0;
}

/* A number written as a word just before a percent sign or word is read as the number:
   "five per cent", "twenty-five per cent", "treinta y cinco por ciento". */
static void read_numwords(sent *s)
{
    for (size_t i = 0; i + 1 < s->n; i++) {
        tok *t = &s->t[i];
        const tok *nx = &s->t[i + 1];
        if (t->type != T_WORD ||
            !(nx->type == T_PCT || (nx->cats & ((uint64_t)1 << ACC_CC_PERCENT))))
            continue;
        int v = numword(s->lx->lang, t);
        if (!v)
            continue;
        if (v < 10 && i >= 2) {
            const tok *sep = &s->t[i - 1];
            int tens = numword(s->lx->lang, &s->t[i - 2]);
            int joined = sep->type == T_DASH ||
                         (sep->type == T_WORD && ((sep->n == 1 && sep->s[0] == 'y') ||
                                                  (sep->n == 3 && memcmp(sep->s, "und", 3) == 0)));
            if (tens >= 20 && tens < 100 && tens % 10 == 0 && joined)
                v += tens;
        }
        t->type = T_NUM;
        t->num = v;
        t->year = 0;
    }
}

void acc_csent_read(sent *s, const char *p, size_t n)
{
    /* the tokens point into the folded text, kept in s until the next sentence */
    fold_into(p, n, &s->folded);
    tokenize(s, s->folded.p ? s->folded.p : "", s->folded.n);
    s->scale = 1;
    for (size_t k = 0; k < s->n && s->scale == 1; k++)
        if (s->t[k].type == T_WORD && is_han((const unsigned char *)s->t[k].s, s->t[k].n))
            s->scale = 2;
    if (s->lx) {
        mark(s, s->lx);
        read_numwords(s);
    }
}

int acc_ctext_next(const char *text, size_t n, size_t *pos, size_t *start, size_t *end,
                   size_t *skipped)
{
    size_t a = *pos;
    skipped[0] = skipped[1] = 0;
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
        size_t sa = a;
        /* ... unless a cell holds prose, a sentence ending in its cell: "| Comments | The
           achieved emission reduction from the 2015 level to 2022 was ten percent." */
        if (bars >= 4) {
            while (sa < te && memchr(text + sa, '|', te - sa))
                sa = (size_t)((const char *)memchr(text + sa, '|', te - sa) - text) + 1;
            while (sa < te && is_space_seq((const unsigned char *)text + sa, te - sa))
                sa += (size_t)is_space_seq((const unsigned char *)text + sa, te - sa);
            if (te - sa >= 40 && text[te - 1] == '.')
                bars = 0;
        }
        if (bars < 4 && has_year_digits(text + sa, te - sa)) {
            *pos = e;
            *start = sa;
            *end = te;
            return 1;
        }
        skipped[0] = a;
        skipped[1] = te;
        a = e;
    }
    *pos = n;
    return 0;
}
