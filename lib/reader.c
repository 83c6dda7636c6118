/*
 * lib/reader.c: opening indexes for reading (acc_index_open, acc_index_open_many),
 * following their revisions, their languages, per-language query parsers,
 * and the statistics of /stats.
 *
 * Several indexes, or a Xapian stub file listing several, are searched as
 * one with Xapian's merged statistics; Xapian gives no revision for such a
 * combination, so accord's revision is the sum of the shards' revisions
 * (it grows whenever one of them commits).
 */
#include "reader.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "accord/schema.h"
#include "stem.h"

/* Wildcards expand to at most this many terms, the most frequent (a one-letter
   prefix would otherwise expand to most of the vocabulary: twenty one-letter
   wildcards took 1-2 s each on the real corpus) */
#define WILDCARD_MAX_TERMS 100

/* ------------------------------------------------------------- stub files */

typedef struct dirlist {
    char **v;
    size_t n;
} dirlist;

static void dirs_add(dirlist *d, const char *dir, size_t n)
{
    d->v = acc_xrealloc(d->v, (d->n + 1) * sizeof *d->v);
    d->v[d->n++] = acc_xstrndup(dir, n);
}

static void dirs_free(dirlist *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->v[i]);
    free(d->v);
    d->v = NULL;
    d->n = 0;
}

/* The index directories listed by the stub file at stub ("auto PATH", "glass PATH", "chert PATH";
   relative paths to base, the stub's folder). Remote and in-memory lines have no revision to
   follow. */
static void stub_dirs(const char *stub, const char *base, size_t baselen, dirlist *out)
{
    char line[4096];
    FILE *f = fopen(stub, "r");
    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
            line[--n] = '\0';
        char *sp = strchr(line, ' ');
        if (!n || line[0] == '#' || !sp)
            continue;
        *sp = '\0';
        const char *p = sp + 1;
        if (strcmp(line, "auto") && strcmp(line, "glass") && strcmp(line, "chert"))
            continue;
        acc_buf b;
        acc_buf_init(&b, 0);
        if (*p != '/') {
            if (baselen)
                acc_buf_append(&b, base, baselen);
            else
                acc_buf_putc(&b, '.');
            acc_buf_putc(&b, '/');
        }
        acc_buf_append(&b, p, strlen(p));
        dirs_add(out, b.p, b.n);
        acc_buf_release(&b);
    }
    fclose(f);
}

/*
 * The index directories a path names: itself, the lines of a Xapian stub
 * file, or those of the stub XAPIANDB in a folder (a sharded index).
 */
static void index_dirs(const char *path, dirlist *out)
{
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        acc_buf stub;
        acc_buf_init(&stub, 0);
        acc_buf_printf(&stub, "%s/XAPIANDB", path);
        if (stat(stub.p, &sb) == 0 && S_ISREG(sb.st_mode))
            stub_dirs(stub.p, path, strlen(path), out);
        else
            dirs_add(out, path, strlen(path));
        acc_buf_release(&stub);
        return;
    }
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        dirs_add(out, path, strlen(path));
        return;
    }
    const char *slash = strrchr(path, '/');
    stub_dirs(path, path, slash ? (size_t)(slash - path) : 0, out);
}

/* ----------------------------------------------------------------- opening */

static void ident_read(acc_index_ident *id)
{
    struct stat sb;
    id->exists = stat(id->file, &sb) == 0;
    id->dev = id->exists ? (unsigned long long)sb.st_dev : 0;
    id->ino = id->exists ? (unsigned long long)sb.st_ino : 0;
}

/* A handle on db, opened from paths[0..n), whose index directories are d. */
static acc_index *handle_new(acc_xap_db *db, const char *const *paths, size_t n, const dirlist *d)
{
    acc_index *x = acc_xcalloc(1, sizeof *x);
    x->db = db;
    x->paths = acc_xcalloc(n, sizeof *x->paths);
    x->npaths = n;
    for (size_t i = 0; i < n; i++)
        x->paths[i] = acc_xstrdup(paths[i]);
    x->ids = acc_xcalloc(d->n ? d->n : 1, sizeof *x->ids);
    x->nids = d->n;
    for (size_t i = 0; i < d->n; i++) {
        acc_buf b;
        acc_buf_init(&b, 0);
        acc_buf_printf(&b, "%s/postlist.glass", d->v[i]);
        x->ids[i].file = acc_buf_detach(&b, NULL);
        ident_read(&x->ids[i]);
    }
    return x;
}

/* Has an index directory of x been deleted, rebuilt or replaced since x opened it? */
static int replaced(const acc_index *x)
{
    for (size_t i = 0; i < x->nids; i++) {
        acc_index_ident now = {x->ids[i].file, 0, 0, 0};
        ident_read(&now);
        if (now.exists != x->ids[i].exists || now.dev != x->ids[i].dev || now.ino != x->ids[i].ino)
            return 1;
    }
    return 0;
}

static void free_state(acc_index *x)
{
    for (size_t i = 0; i < x->nparsers; i++) {
        acc_xap_parser_free(x->parsers[i].p);
        acc_xap_stem_free(x->parsers[i].stem);
    }
    free(x->parsers);
    free(x->langs);
    acc_xap_db_close(x->db);
    for (size_t i = 0; i < x->npaths; i++)
        free(x->paths[i]);
    free(x->paths);
    for (size_t i = 0; i < x->nids; i++)
        free(x->ids[i].file);
    free(x->ids);
}

/* The index directories of paths[0..n) into d; each shard followed on its own when there are
   several. */
static acc_status track(acc_xap_db *db, const char *const *paths, size_t n, dirlist *d,
                        acc_error *err)
{
    acc_status st = ACC_OK;
    for (size_t i = 0; i < n; i++)
        index_dirs(paths[i], d);
    if (d->n > 1 || n > 1)
        for (size_t i = 0; i < d->n && st == ACC_OK; i++)
            st = acc_xap_db_track(db, d->v[i], err);
    return st;
}

acc_status acc_index_open(const char *path, acc_index **out, acc_error *err)
{
    acc_xap_db *db = NULL;
    dirlist d = {0};
    acc_status st = acc_xap_db_open(path, &db, err);
    if (st == ACC_OK)
        st = track(db, &path, 1, &d, err);
    if (st != ACC_OK) {
        dirs_free(&d);
        acc_xap_db_close(db);
        return acc_error_prefix(err, st, "cannot open index '%s'", path);
    }
    *out = handle_new(db, &path, 1, &d);
    dirs_free(&d);
    return ACC_OK;
}

acc_status acc_index_open_many(const char *const *paths, size_t n, acc_index **out, acc_error *err)
{
    acc_xap_db *db = NULL;
    dirlist d = {0};
    acc_status st;
    /* each alone first, for a message that names the one that fails */
    for (size_t i = 1; i < n; i++) {
        acc_index *one = NULL;
        st = acc_index_open(paths[i], &one, err);
        acc_index_close(one);
        if (st != ACC_OK)
            return st;
    }
    st = acc_xap_db_open(paths[0], &db, err);
    if (st != ACC_OK) {
        acc_xap_db_close(db);
        return acc_error_prefix(err, st, "cannot open index '%s'", paths[0]);
    }
    /* Xapian merges the statistics: results equal those of one big index */
    for (size_t i = 1; i < n && st == ACC_OK; i++)
        st = acc_xap_db_add(db, paths[i], err);
    if (st == ACC_OK)
        st = track(db, paths, n, &d, err);
    if (st != ACC_OK) {
        dirs_free(&d);
        acc_xap_db_close(db);
        return acc_error_prefix(err, st, "cannot open the indexes together");
    }
    *out = handle_new(db, paths, n, &d);
    dirs_free(&d);
    return ACC_OK;
}

void acc_index_close(acc_index *x)
{
    if (!x)
        return;
    free_state(x);
    free(x);
}

void acc_index_set_topics(acc_index *x, const acc_topics *vocab)
{
    x->vocab = vocab;
}

/* Opens x's indexes again from scratch into x (its topics kept); x is unchanged on failure. */
static acc_status open_again(acc_index *x, acc_error *err)
{
    acc_index *y = NULL;
    acc_status st = x->npaths == 1
                        ? acc_index_open(x->paths[0], &y, err)
                        : acc_index_open_many((const char *const *)x->paths, x->npaths, &y, err);
    if (st == ACC_OK)
        st = acc_xap_db_reopen(y->db, &y->rev, err);
    if (st != ACC_OK) {
        acc_index_close(y);
        return st;
    }
    y->vocab = x->vocab;
    y->generation = x->generation + 1;
    free_state(x);
    *x = *y;
    free(y);
    return ACC_OK;
}

unsigned long acc_index_generation(const acc_index *x)
{
    return x->generation;
}

acc_status acc_index_refresh(acc_index *x, acc_error *err)
{
    unsigned long before = x->rev;
    if (replaced(x))
        return open_again(x, err);
    acc_status st = acc_xap_db_reopen(x->db, &x->rev, err);
    /* a revision going back is another index at the same path */
    if (st == ACC_OK && before && x->rev < before)
        return open_again(x, err);
    return st;
}

/* --------------------------------------------------------------- languages */

typedef struct lang_ctx {
    acc_index *x;
    size_t alloc;
} lang_ctx;

static int on_lang(void *ctx, const char *t, size_t n, unsigned long freq)
{
    lang_ctx *l = ctx;
    acc_index *x = l->x;
    const size_t plen = strlen(ACC_PFX_LANG);
    (void)freq;
    if (n - plen >= ACC_LANG_MAX)
        return 0; /* not a language code accord writes */
    if (x->nlangs == l->alloc) {
        l->alloc = l->alloc ? 2 * l->alloc : 16;
        x->langs = acc_xrealloc(x->langs, l->alloc * sizeof *x->langs);
    }
    memcpy(x->langs[x->nlangs], t + plen, n - plen);
    x->langs[x->nlangs][n - plen] = '\0';
    x->nlangs++;
    return 0;
}

acc_status acc_index_langs(acc_index *x, const char (**langs)[ACC_LANG_MAX], size_t *n,
                           acc_error *err)
{
    acc_status st = ACC_OK;
    if (!x->langs_valid || x->rev != x->langs_rev) {
        lang_ctx l = {x, 0};
        free(x->langs);
        x->langs = NULL;
        x->nlangs = 0;
        st = acc_xap_db_terms(x->db, ACC_PFX_LANG, strlen(ACC_PFX_LANG), 0, NULL, on_lang, &l, err);
        x->langs_rev = x->rev;
        x->langs_valid = st == ACC_OK;
    }
    *langs = (const char(*)[ACC_LANG_MAX])x->langs;
    *n = x->nlangs;
    return st;
}

acc_xap_parser *acc_index_parser(acc_index *x, const char *lang)
{
    for (size_t i = 0; i < x->nparsers; i++)
        if (strcmp(x->parsers[i].lang, lang) == 0)
            return x->parsers[i].p;
    index_parser ip;
    snprintf(ip.lang, sizeof ip.lang, "%s", lang);
    ip.stem = acc_stem_new(lang);
    ip.p = acc_xap_parser_new(ip.stem);
    acc_xap_parser_prefix(ip.p, "title", ACC_PFX_TITLE, 0);
    acc_xap_parser_prefix(ip.p, "lang", ACC_PFX_LANG, 1);
    acc_xap_parser_prefix(ip.p, "type", ACC_PFX_TYPE, 1);
    acc_xap_parser_prefix(ip.p, "party", ACC_PFX_PARTY, 1);
    acc_xap_parser_prefix(ip.p, "year", ACC_PFX_YEAR, 1);
    acc_xap_parser_prefix(ip.p, "topic", ACC_PFX_TOPIC, 1);
    /* year:2015..2020, year:2019.., year:..2016 */
    acc_xap_parser_number_range(ip.p, ACC_SLOT_YEAR, "year:");
    acc_xap_parser_max_expansion(ip.p, WILDCARD_MAX_TERMS,
                                 ACC_XAP_PARSE_WILDCARD | ACC_XAP_PARSE_PARTIAL);
    x->parsers = acc_xrealloc(x->parsers, (x->nparsers + 1) * sizeof *x->parsers);
    x->parsers[x->nparsers++] = ip;
    return ip.p;
}

acc_xap_stem *acc_index_stemmer(acc_index *x, const char *lang)
{
    acc_index_parser(x, lang);
    for (size_t i = 0; i < x->nparsers; i++)
        if (strcmp(x->parsers[i].lang, lang) == 0)
            return x->parsers[i].stem;
    return NULL;
}

/* ------------------------------------------------------------ top terms */

typedef struct top_ctx {
    acc_top_term *v;
    size_t n, keep;
    unsigned long min_freq; /* what a term needs to enter the top */
    acc_term_accept_fn accept;
    void *ctx;
} top_ctx;

static int on_top_term(void *ctx, const char *t, size_t len, unsigned long f)
{
    top_ctx *c = ctx;
    if (c->accept && !c->accept(c->ctx, t, len))
        return 0;
    size_t at = 0; /* after the last entry of a frequency >= f */
    while (at < c->n && c->v[at].freq >= f)
        at++;
    if (c->n == c->keep) {
        free(c->v[c->n - 1].term);
        c->n--;
    }
    memmove(c->v + at + 1, c->v + at, (c->n - at) * sizeof *c->v);
    c->v[at].term = acc_xstrndup(t, len);
    c->v[at].freq = f;
    c->n++;
    if (c->n == c->keep)
        c->min_freq = c->v[c->n - 1].freq + 1;
    return 0;
}

acc_status acc_index_top_terms(acc_index *x, const char *prefix, size_t plen, size_t keep,
                               size_t max_scan, acc_term_accept_fn accept, void *ctx,
                               acc_top_term **out, size_t *n, acc_error *err)
{
    top_ctx c = {acc_xcalloc(keep + 1, sizeof(acc_top_term)), 0, keep, 0, accept, ctx};
    acc_status st = ACC_OK;
    if (keep)
        st = acc_xap_db_terms(x->db, prefix, plen, max_scan, &c.min_freq, on_top_term, &c, err);
    *out = c.v;
    *n = c.n;
    return st;
}

void acc_top_terms_free(acc_top_term *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].term);
    free(v);
}

/* -------------------------------------------------------------- statistics */

acc_status acc_index_stats(acc_index *x, unsigned long *doccount, unsigned long *revision,
                           acc_error *err)
{
    unsigned long n = 0;
    acc_status st = acc_index_refresh(x, err);
    if (st == ACC_OK)
        st = acc_xap_db_doccount(x->db, &n, err);
    if (st != ACC_OK)
        return acc_error_prefix(err, st, "cannot read index statistics");
    if (doccount)
        *doccount = n;
    if (revision)
        *revision = x->rev;
    return ACC_OK;
}

typedef struct group_ctx {
    json_t *arr;
    size_t plen;
} group_ctx;

static int on_group_term(void *ctx, const char *t, size_t n, unsigned long freq)
{
    group_ctx *g = ctx;
    json_t *o = json_object();
    json_object_set_new(o, "value", json_stringn(t + g->plen, n - g->plen));
    json_object_set_new(o, "count", json_integer((json_int_t)freq));
    json_array_append_new(g->arr, o);
    return 0;
}

char *acc_index_stats_json(acc_index *x, acc_error *err)
{
    static const char *const groups[][2] = {
        {"languages", ACC_PFX_LANG}, {"types", ACC_PFX_TYPE}, {"topics", ACC_PFX_TOPIC}};
    unsigned long n = 0;
    char *s = NULL;
    json_t *o = json_object();
    acc_status st = acc_index_refresh(x, err);
    if (st == ACC_OK)
        st = acc_xap_db_doccount(x->db, &n, err);
    if (st != ACC_OK)
        goto out;
    json_object_set_new(o, "documents", json_integer((json_int_t)n));
    json_object_set_new(o, "revision", json_integer((json_int_t)x->rev));
    for (size_t i = 0; i < sizeof groups / sizeof groups[0] && st == ACC_OK; i++) {
        group_ctx g = {json_array(), strlen(groups[i][1])};
        json_object_set_new(o, groups[i][0], g.arr);
        st = acc_xap_db_terms(x->db, groups[i][1], g.plen, 0, NULL, on_group_term, &g, err);
    }
    if (st == ACC_OK)
        s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
out:
    if (st != ACC_OK)
        acc_error_prefix(err, st, "cannot read index statistics");
    json_decref(o);
    return s;
}

int acc_index_memory_reserve(size_t n)
{
    acc_xap_use_reserve();
    json_set_alloc_funcs(acc_mem_try_malloc, free);
    return acc_mem_reserve(n);
}
