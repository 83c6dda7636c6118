/* lib/commitq.c: commitments in the index and in a search (lib/commitq.h). */
#include "commitq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/doc.h"
#include "accord/schema.h"
#include "docbuild.h"
#include "qbits.h"

/* The stored list of commitments stops growing past this many bytes. */
#define COMMITS_MAX_BYTES 65536
/* at most this many terms in one filter's OR (the index's distinct combinations) */
#define FILTER_MAX_TERMS 4096

static const char letters[] = "kycs";

/* value of attribute a of c into b (appended) */
static void put_attr(acc_buf *b, char a, const acc_commitment *c)
{
    switch (a) {
    case 'k':
        acc_buf_printf(b, "%s", acc_commit_kind_name(c->kind));
        break;
    case 'y':
        acc_buf_printf(b, "%d", c->year);
        break;
    case 'c':
        if (c->value_max > c->value)
            acc_buf_printf(b, "%g-%g", c->value, c->value_max);
        else
            acc_buf_printf(b, "%g", c->value);
        break;
    default:
        acc_buf_printf(b, "%s", acc_commit_strength_name(c->strength));
        break;
    }
}

static void add_once(char ***v, size_t *n, const char *s)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*v)[i], s) == 0)
            return;
    *v = acc_xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = acc_xstrdup(s);
}

/* the list in slot as a multi-valued facet, then freed */
static void set_joined(acc_xap_doc *doc, unsigned slot, char **v, size_t n)
{
    acc_docbuild_set_list(doc, slot, v, n);
    for (size_t i = 0; i < n; i++)
        free(v[i]);
}

void acc_commit_index(acc_xap_doc *doc, const char *lang, const char *date, const char *text,
                      size_t n)
{
    acc_commitment *c = NULL;
    size_t nc = acc_commit_extract(lang, acc_date_year(date), text, n, &c);
    if (!nc)
        return;
    acc_buf list, term;
    char **kinds = NULL, **years = NULL, **strengths = NULL;
    size_t nk = 0, ny = 0, ns = 0;
    int first = 0;
    acc_buf_init(&list, 0);
    acc_buf_init(&term, 0);
    for (size_t i = 0; i < nc; i++) {
        if (list.n < COMMITS_MAX_BYTES)
            acc_commit_encode(&c[i], text, &list);
        /* one term per subset of the attributes (c only for a cut) */
        for (unsigned mask = 1; mask < 16; mask++) {
            if ((mask & 4) && c[i].kind != ACC_CK_REDUCTION)
                continue;
            acc_buf_reset(&term);
            acc_buf_printf(&term, "%s", ACC_PFX_COMMIT);
            for (int a = 0; a < 4; a++)
                if (mask & (1u << a))
                    acc_buf_putc(&term, letters[a]);
            for (int a = 0; a < 4; a++)
                if (mask & (1u << a)) {
                    acc_buf_putc(&term, ':');
                    put_attr(&term, letters[a], &c[i]);
                }
            acc_xap_doc_add_term(doc, term.p, term.n, 0);
        }
        char y[16];
        add_once(&kinds, &nk, acc_commit_kind_name(c[i].kind));
        add_once(&strengths, &ns, acc_commit_strength_name(c[i].strength));
        if (c[i].strength != ACC_CS_REPORTED) {
            char ky[48];
            snprintf(y, sizeof y, "%d", c[i].year);
            add_once(&years, &ny, y);
            /* "netzero:2050" too: the target years of one kind (acc_commit_facet_years) */
            snprintf(ky, sizeof ky, "%s:%d", acc_commit_kind_name(c[i].kind), c[i].year);
            add_once(&years, &ny, ky);
            if (!first || c[i].year < first)
                first = c[i].year;
        }
    }
    acc_xap_doc_set_value(doc, ACC_SLOT_COMMITS, list.p, list.n);
    set_joined(doc, ACC_SLOT_CKINDS, kinds, nk);
    set_joined(doc, ACC_SLOT_CYEARS, years, ny);
    set_joined(doc, ACC_SLOT_CSTRENGTHS, strengths, ns);
    if (first) {
        char y[16];
        snprintf(y, sizeof y, "%04d", first);
        acc_xap_doc_set_value(doc, ACC_SLOT_CSORT, y, strlen(y));
    }
    free(kinds);
    free(years);
    free(strengths);
    acc_buf_release(&list);
    acc_buf_release(&term);
    free(c);
}

/* ------------------------------------------------------------ filters */

/* a comma-separated list of names into a bit set */
static acc_status parse_set(const char *csv, int (*parse)(const char *, size_t), const char *what,
                            unsigned *out, acc_error *err)
{
    *out = 0;
    for (const char *p = csv;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        while (n && *p == ' ') {
            p++;
            n--;
        }
        while (n && p[n - 1] == ' ')
            n--;
        if (n) {
            int k = parse(p, n);
            if (k < 0)
                return acc_error_set(err, ACC_EINVAL, "unknown %s '%.*s'", what,
                                     (int)(n > 40 ? 40 : n), p);
            *out |= 1u << k;
        }
        if (!comma)
            break;
        p = comma + 1;
    }
    return ACC_OK;
}

/* "2030", "2030..2040", "2030..", "..2040" */
static int parse_years(const char *s, int *from, int *to)
{
    const char *dots = strstr(s, "..");
    char *e;
    long a = 0, b = 0;
    if (!dots) {
        a = strtol(s, &e, 10);
        if (e == s || *e || a < 1 || a > 9999)
            return -1;
        *from = *to = (int)a;
        return 0;
    }
    if (dots > s) {
        a = strtol(s, &e, 10);
        if (e != dots || a < 1 || a > 9999)
            return -1;
    }
    if (dots[2]) {
        b = strtol(dots + 2, &e, 10);
        if (*e || b < 1 || b > 9999)
            return -1;
    }
    if (!a && !b)
        return -1;
    *from = (int)a;
    *to = (int)b;
    return 0;
}

/* ">=50", ">50", "<=30", "<30", "50", "40..60" */
static int parse_cut(const char *s, double *lo, double *hi)
{
    char *e;
    double v;
    *lo = *hi = -1;
    if (s[0] == '>' || s[0] == '<') {
        int eq = s[1] == '=';
        v = strtod(s + 1 + eq, &e);
        if (e == s + 1 + eq || *e || v < 0 || v > 100)
            return -1;
        if (s[0] == '>')
            *lo = eq ? v : v + 1e-9;
        else
            *hi = eq ? v : v - 1e-9;
        return 0;
    }
    const char *dots = strstr(s, "..");
    if (dots) {
        if (dots > s) {
            /* the lower bound alone: strtod would read "40." of "40..60" */
            char a[40];
            size_t k = (size_t)(dots - s);
            if (k >= sizeof a)
                return -1;
            memcpy(a, s, k);
            a[k] = '\0';
            *lo = strtod(a, &e);
            if (e == a || *e || *lo < 0 || *lo > 100)
                return -1;
        }
        if (dots[2]) {
            *hi = strtod(dots + 2, &e);
            if (*e || *hi < 0 || *hi > 100)
                return -1;
        }
        if (*lo >= 0 && *hi >= 0 && *lo > *hi)
            return -1;
        return *lo < 0 && *hi < 0 ? -1 : 0;
    }
    v = strtod(s, &e);
    if (e == s || *e || v < 0 || v > 100)
        return -1;
    *lo = *hi = v;
    return 0;
}

acc_status acc_commit_filter_parse(const acc_query *q, acc_commit_filter *f, acc_error *err)
{
    memset(f, 0, sizeof *f);
    f->cut_min = f->cut_max = -1;
    if (q->target && *q->target) {
        if (parse_set(q->target, acc_commit_kind_parse, "target", &f->kinds, err) != ACC_OK)
            return acc_error_prefix(err, ACC_EINVAL,
                                    "target must be netzero, reduction, renewable, efficiency, "
                                    "coal or protected");
        f->active = 1;
    }
    if (q->strength && *q->strength) {
        if (parse_set(q->strength, acc_commit_strength_parse, "strength", &f->strengths, err) !=
            ACC_OK)
            return acc_error_prefix(err, ACC_EINVAL,
                                    "strength must be binding, intended or reported");
        f->active = 1;
    }
    if (q->target_year && *q->target_year) {
        if (strlen(q->target_year) > 32 ||
            parse_years(q->target_year, &f->year_from, &f->year_to) != 0 ||
            (f->year_to && f->year_from > f->year_to))
            return acc_error_set(err, ACC_EINVAL,
                                 "target_year must be a year or a range such as 2030..2040");
        f->active = 1;
    }
    if (q->cut && *q->cut) {
        if (strlen(q->cut) > 32 || parse_cut(q->cut, &f->cut_min, &f->cut_max) != 0)
            return acc_error_set(err, ACC_EINVAL,
                                 "cut must be a percentage such as 50, >=50, <=30 or 40..60");
        f->active = 1;
    }
    return ACC_OK;
}

static int cut_ok(const acc_commit_filter *f, double v, double vmax)
{
    if (f->cut_min < 0 && f->cut_max < 0)
        return 1;
    if (v < 0)
        return 0;
    double hi = vmax > v ? vmax : v;
    /* a range stated ("26 to 28 per cent") meets a bound when some of it does */
    if (f->cut_min >= 0 && hi < f->cut_min)
        return 0;
    if (f->cut_max >= 0 && v > f->cut_max)
        return 0;
    return 1;
}

int acc_commit_filter_match(const acc_commit_filter *f, const acc_commitment *c)
{
    if (f->kinds && !(f->kinds & (1u << c->kind)))
        return 0;
    if (f->strengths && !(f->strengths & (1u << c->strength)))
        return 0;
    if (f->year_from && c->year < f->year_from)
        return 0;
    if (f->year_to && c->year > f->year_to)
        return 0;
    if (f->cut_min >= 0 || f->cut_max >= 0) {
        if (c->kind != ACC_CK_REDUCTION || !cut_ok(f, c->value, c->value_max))
            return 0;
    }
    return 1;
}

typedef struct scan {
    const acc_commit_filter *f;
    const char *letters;
    acc_qlist terms;
} scan;

/* does the term's values (after "XC<letters>:") pass the filter? */
static int on_term(void *ctx, const char *t, size_t n, unsigned long freq)
{
    scan *s = ctx;
    (void)freq;
    size_t skip = strlen(ACC_PFX_COMMIT) + strlen(s->letters) + 1;
    if (n <= skip || s->terms.n >= FILTER_MAX_TERMS)
        return s->terms.n >= FILTER_MAX_TERMS;
    acc_commitment c;
    memset(&c, 0, sizeof c);
    c.value = c.value_max = -1;
    /* the attributes the term does not carry pass: only its letters are read */
    acc_commit_filter f = *s->f;
    const char *p = t + skip, *end = t + n;
    for (const char *l = s->letters; *l; l++) {
        const char *colon = memchr(p, ':', (size_t)(end - p));
        size_t vn = colon ? (size_t)(colon - p) : (size_t)(end - p);
        char v[48];
        snprintf(v, sizeof v, "%.*s", (int)(vn < 47 ? vn : 47), p);
        switch (*l) {
        case 'k': {
            int k = acc_commit_kind_parse(v, strlen(v));
            if (k < 0)
                return 0;
            c.kind = (acc_commit_kind)k;
            break;
        }
        case 'y':
            c.year = atoi(v);
            break;
        case 'c': {
            char *dash = strchr(v + 1, '-');
            c.value = strtod(v, NULL);
            c.value_max = dash ? strtod(dash + 1, NULL) : -1;
            c.kind = ACC_CK_REDUCTION;
            break;
        }
        default: {
            int k = acc_commit_strength_parse(v, strlen(v));
            if (k < 0)
                return 0;
            c.strength = (acc_commit_strength)k;
            break;
        }
        }
        p = colon ? colon + 1 : end;
    }
    if (!strchr(s->letters, 'k'))
        f.kinds = 0;
    if (!strchr(s->letters, 's'))
        f.strengths = 0;
    if (!strchr(s->letters, 'y'))
        f.year_from = f.year_to = 0;
    if (acc_commit_filter_match(&f, &c))
        acc_qlist_add(&s->terms, acc_xap_query_term(t, n));
    return 0;
}

acc_status acc_commit_filter_query(acc_index *x, const acc_commit_filter *f, acc_xap_query **out,
                                   acc_error *err)
{
    *out = NULL;
    if (!f->active)
        return ACC_OK;
    char l[8];
    size_t k = 0;
    if (f->kinds)
        l[k++] = 'k';
    if (f->year_from || f->year_to)
        l[k++] = 'y';
    if (f->cut_min >= 0 || f->cut_max >= 0)
        l[k++] = 'c';
    if (f->strengths)
        l[k++] = 's';
    l[k] = '\0';
    char prefix[16];
    int pn = snprintf(prefix, sizeof prefix, "%s%s:", ACC_PFX_COMMIT, l);
    scan s = {f, l, {NULL, 0}};
    acc_status st = acc_xap_db_terms(x->db, prefix, (size_t)pn, 0, NULL, on_term, &s, err);
    if (st != ACC_OK) {
        acc_xap_query_free(acc_qlist_join(&s.terms, ACC_XAP_OR));
        return st;
    }
    if (!s.terms.n) {
        /* nothing meets it: a term no document has */
        static const char none[] = ACC_PFX_COMMIT "\x01none";
        *out = acc_xap_query_term(none, sizeof none - 1);
        return ACC_OK;
    }
    *out = acc_qlist_join(&s.terms, ACC_XAP_OR);
    return ACC_OK;
}

/* ------------------------------------------------------------ stored list */

void acc_commit_each(const acc_xap_doc *doc, acc_commit_fn fn, void *ctx)
{
    acc_buf v;
    acc_buf_init(&v, 0);
    if (acc_xap_doc_value(doc, ACC_SLOT_COMMITS, &v, NULL) == ACC_OK && v.n) {
        const char *p = v.p, *end = v.p + v.n;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
            acc_commitment c;
            const char *sent;
            size_t sn;
            if (acc_commit_decode(p, n, &c, &sent, &sn) == 0 && fn(ctx, &c, sent, sn))
                break;
            p += n + 1;
        }
    }
    acc_buf_release(&v);
}

typedef struct first_ctx {
    const acc_commit_filter *f;
    acc_commitment *c;
    char **sentence;
    int best;
} first_ctx;

/* how well a sentence shows its commitment: running text first, then table rows and contents */
static int sentence_quality(const char *s, size_t n)
{
    int q = 3;
    if (memchr(s, '|', n))
        q--;
    for (size_t i = 0; i + 3 <= n; i++)
        if (memcmp(s + i, "...", 3) == 0 || memcmp(s + i, "\xe2\x80\xa6", 3) == 0) {
            q--;
            break;
        }
    if (n < 40)
        q--;
    return q;
}

static int on_first(void *ctx, const acc_commitment *c, const char *sentence, size_t n)
{
    first_ctx *fc = ctx;
    if (fc->f && fc->f->active && !acc_commit_filter_match(fc->f, c))
        return 0;
    int q = sentence_quality(sentence, n);
    if (q <= fc->best)
        return 0;
    fc->best = q;
    *fc->c = *c;
    free(*fc->sentence);
    *fc->sentence = acc_xstrndup(sentence, n);
    return q == 3;
}

int acc_commit_first(const acc_xap_doc *doc, const acc_commit_filter *f, acc_commitment *c,
                     char **sentence)
{
    first_ctx fc = {f, c, sentence, -1};
    *sentence = NULL;
    acc_commit_each(doc, on_first, &fc);
    return fc.best >= 0;
}

/* ------------------------------------------------------------ typed filters */

void acc_commit_text_filters(const char *text, size_t n, acc_buf *rest, char *vals[4])
{
    static const char *const names[4] = {"target:", "target_year:", "cut:", "strength:"};
    for (int k = 0; k < 4; k++)
        vals[k] = NULL;
    size_t i = 0;
    while (i < n) {
        size_t a = i;
        while (a < n && text[a] == ' ')
            a++;
        size_t b = a;
        while (b < n && text[b] != ' ')
            b++;
        int used = 0;
        for (int k = 0; k < 4 && b > a; k++) {
            size_t ln = strlen(names[k]);
            if (b - a > ln && strncmp(text + a, names[k], ln) == 0) {
                /* the last one typed wins; values join with a comma for kinds and strengths */
                char *v = acc_xstrndup(text + a + ln, b - a - ln);
                if (vals[k] && (k == 0 || k == 3)) {
                    acc_buf j;
                    acc_buf_init(&j, 0);
                    acc_buf_printf(&j, "%s,%s", vals[k], v);
                    free(v);
                    v = acc_buf_detach(&j, NULL);
                }
                free(vals[k]);
                vals[k] = v;
                used = 1;
            }
        }
        if (!used && b > a) {
            if (rest->n)
                acc_buf_putc(rest, ' ');
            acc_buf_append(rest, text + a, b - a);
        }
        i = b;
    }
}

/* ------------------------------------------------------------ JSON */

json_t *acc_commit_json(const acc_commitment *c, const char *sentence, size_t n)
{
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(acc_commit_kind_name(c->kind)));
    json_object_set_new(o, "value", c->value < 0 ? json_null() : json_real(c->value));
    json_object_set_new(o, "value_max", c->value_max < 0 ? json_null() : json_real(c->value_max));
    json_object_set_new(o, "year", json_integer(c->year));
    json_object_set_new(o, "base",
                        c->base == ACC_BASE_BAU ? json_string("bau")
                        : c->base > 0           ? json_integer(c->base)
                                                : json_null());
    json_object_set_new(o, "intensity", json_boolean(c->intensity));
    json_object_set_new(o, "conditional",
                        c->conditional < 0 ? json_null() : json_boolean(c->conditional));
    json_object_set_new(o, "strength", json_string(acc_commit_strength_name(c->strength)));
    json_object_set_new(o, "start", json_integer((json_int_t)c->start));
    json_object_set_new(o, "end", json_integer((json_int_t)c->end));
    if (sentence)
        json_object_set_new(o, "sentence", json_stringn(sentence, n));
    return o;
}

int acc_commit_from_json(json_t *o, acc_commitment *c)
{
    const char *k = json_string_value(json_object_get(o, "kind"));
    const char *st = json_string_value(json_object_get(o, "strength"));
    int kind = k ? acc_commit_kind_parse(k, strlen(k)) : -1;
    int strength = st ? acc_commit_strength_parse(st, strlen(st)) : -1;
    if (kind < 0 || strength < 0)
        return -1;
    memset(c, 0, sizeof *c);
    c->kind = (acc_commit_kind)kind;
    c->strength = (acc_commit_strength)strength;
    json_t *v = json_object_get(o, "value"), *vm = json_object_get(o, "value_max");
    c->value = json_is_number(v) ? json_number_value(v) : -1;
    c->value_max = json_is_number(vm) ? json_number_value(vm) : -1;
    c->year = (int)json_integer_value(json_object_get(o, "year"));
    json_t *b = json_object_get(o, "base");
    c->base = json_is_string(b) ? ACC_BASE_BAU : (int)json_integer_value(b);
    c->intensity = json_is_true(json_object_get(o, "intensity"));
    json_t *cd = json_object_get(o, "conditional");
    c->conditional = json_is_boolean(cd) ? json_is_true(cd) : -1;
    c->start = (size_t)json_integer_value(json_object_get(o, "start"));
    c->end = (size_t)json_integer_value(json_object_get(o, "end"));
    return 0;
}

void acc_commit_facet_years(acc_facet *f, const acc_commit_filter *cf)
{
    /* with one kind asked for, that kind's years; else the years of any kind */
    const char *kind = NULL;
    for (int k = 0; k < ACC_CK_COUNT; k++)
        if (cf && cf->kinds == 1u << k)
            kind = acc_commit_kind_name((acc_commit_kind)k);
    size_t kn = kind ? strlen(kind) : 0, n = 0;
    for (size_t i = 0; i < f->n; i++) {
        char *v = f->values[i].value;
        char *colon = strchr(v, ':');
        int keep = kind ? colon && (size_t)(colon - v) == kn && strncmp(v, kind, kn) == 0 : !colon;
        if (!keep) {
            free(v);
            continue;
        }
        if (colon)
            memmove(v, colon + 1, strlen(colon + 1) + 1);
        f->values[n++] = f->values[i];
    }
    f->n = n;
}
