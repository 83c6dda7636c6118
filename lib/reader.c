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
#include <time.h>

#include "accord/log.h"
#include "accord/schema.h"
#include "column.h"
#include "docstore.h"
#include "highlight.h"
#include "lextable.h"
#include "stem.h"
#include "topicmatch.h"

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

/* ----------------------------------------------------------- remote shards */

#define REMOTE_TIMEOUT_MS 3000 /* a call to a remote shard */
#define REMOTE_CONNECT_MS 1000 /* connecting to it */
#define RETRY_DOWN_S 2.0       /* a shard left out is tried again after this */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void shards_free(acc_shard *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].path);
        free(v[i].host);
    }
    free(v);
}

/* The stub file path names (itself, or XAPIANDB in the folder), into stub; 0 when none. */
static int stub_of(const char *path, acc_buf *stub, size_t *baselen)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return 0;
    if (S_ISDIR(sb.st_mode)) {
        acc_buf_printf(stub, "%s/XAPIANDB", path);
        *baselen = strlen(path);
        return stat(stub->p, &sb) == 0 && S_ISREG(sb.st_mode);
    }
    if (!S_ISREG(sb.st_mode))
        return 0;
    const char *slash = strrchr(path, '/');
    acc_buf_append(stub, path, strlen(path));
    *baselen = slash ? (size_t)(slash - path) : 0;
    return 1;
}

/*
 * The shards paths[0..n) list, when one of their stubs has a remote line (*v, *nv), else none;
 * ACC_EINVAL for a line accord cannot open shard by shard.
 */
static acc_status spec_shards(const char *const *paths, size_t n, acc_shard **v, size_t *nv,
                              acc_error *err)
{
    acc_shard *out = NULL;
    size_t no = 0;
    int remote = 0;
    acc_status st = ACC_OK;
    for (size_t i = 0; i < n && st == ACC_OK; i++) {
        acc_buf stub;
        size_t baselen = 0;
        acc_buf_init(&stub, 0);
        if (!stub_of(paths[i], &stub, &baselen)) {
            out = acc_xrealloc(out, (no + 1) * sizeof *out);
            out[no++] = (acc_shard){acc_xstrdup(paths[i]), acc_xstrdup(paths[i]), NULL, 0, 0, 0};
            acc_buf_release(&stub);
            continue;
        }
        FILE *f = fopen(stub.p, "r");
        char line[4096];
        while (f && st == ACC_OK && fgets(line, sizeof line, f)) {
            line[strcspn(line, "\r\n")] = '\0';
            char *sp = strchr(line, ' ');
            if (!line[0] || line[0] == '#' || !sp)
                continue;
            *sp = '\0';
            const char *arg = sp + 1;
            acc_shard sh = {acc_xstrdup(arg), NULL, NULL, 0, 0, 0};
            if (strcmp(line, "remote") == 0) {
                const char *colon = strrchr(arg, ':');
                char *end = NULL;
                unsigned long port = colon ? strtoul(colon + 1, &end, 10) : 0;
                if (!colon || colon == arg || !end || *end || port == 0 || port > 65535) {
                    st = acc_error_set(err, ACC_EINVAL,
                                       "'%s': 'remote %s' is not HOST:PORT (a xapian-tcpsrv)",
                                       stub.p, arg);
                    free(sh.name);
                    break;
                }
                sh.host = acc_xstrndup(arg, (size_t)(colon - arg));
                sh.port = (unsigned)port;
                remote = 1;
            } else if (!strcmp(line, "auto") || !strcmp(line, "glass") || !strcmp(line, "chert")) {
                acc_buf b;
                acc_buf_init(&b, 0);
                if (*arg != '/') {
                    if (baselen)
                        acc_buf_append(&b, stub.p, baselen);
                    else
                        acc_buf_putc(&b, '.');
                    acc_buf_putc(&b, '/');
                }
                acc_buf_append(&b, arg, strlen(arg));
                sh.path = acc_buf_detach(&b, NULL);
            } else {
                free(sh.name);
                continue; /* inmemory and the like: Xapian's own opening handles them */
            }
            out = acc_xrealloc(out, (no + 1) * sizeof *out);
            out[no++] = sh;
        }
        if (f)
            fclose(f);
        acc_buf_release(&stub);
    }
    if (st != ACC_OK || !remote) {
        shards_free(out, no);
        out = NULL;
        no = 0;
    }
    *v = out;
    *nv = no;
    return st;
}

/* Can the remote shard sh be reached now? */
static int remote_answers(const acc_shard *sh)
{
    acc_xap_db *db = NULL;
    unsigned long n = 0;
    int ok = acc_xap_db_new(&db, NULL) == ACC_OK &&
             acc_xap_db_add_remote(db, sh->host, sh->port, REMOTE_TIMEOUT_MS, REMOTE_CONNECT_MS,
                                   NULL) == ACC_OK &&
             acc_xap_db_doccount(db, &n, NULL) == ACC_OK;
    acc_xap_db_close(db);
    return ok;
}

/*
 * The database of the shards of v that answer (a down shard is tried again once its time has
 * come), their local folders into d. ACC_EDB_NETWORK when none answers.
 */
static acc_status open_shards(acc_shard *v, size_t n, acc_xap_db **out, dirlist *d, acc_error *err)
{
    acc_xap_db *db = NULL;
    size_t up = 0;
    double now = now_s();
    acc_status st = acc_xap_db_new(&db, err);
    for (size_t i = 0; i < n && st == ACC_OK; i++) {
        acc_shard *sh = &v[i];
        if (!sh->host) {
            st = acc_xap_db_add(db, sh->path, err);
            if (st == ACC_OK)
                st = acc_xap_db_track(db, sh->path, err);
            if (st != ACC_OK)
                acc_error_prefix(err, st, "cannot open shard '%s'", sh->name);
            dirs_add(d, sh->path, strlen(sh->path));
            up++;
            continue;
        }
        if (sh->down && now < sh->next_try)
            continue;
        acc_error e;
        if (acc_xap_db_add_remote(db, sh->host, sh->port, REMOTE_TIMEOUT_MS, REMOTE_CONNECT_MS,
                                  &e) == ACC_OK) {
            if (sh->down)
                acc_log(ACC_LOG_INFO, "remote shard %s answers again", sh->name);
            sh->down = 0;
            up++;
        } else {
            if (!sh->down)
                acc_log(ACC_LOG_WARN, "remote shard %s left out: %s", sh->name, e.msg);
            sh->down = 1;
            sh->next_try = now + RETRY_DOWN_S;
        }
    }
    if (st == ACC_OK && up == 0)
        st = acc_error_set(err, ACC_EDB_NETWORK, "no shard of the index can be reached");
    if (st != ACC_OK) {
        acc_xap_db_close(db);
        return st;
    }
    *out = db;
    return ACC_OK;
}

int acc_index_has_remote(const acc_index *x)
{
    return x->shards != NULL;
}

size_t acc_index_missing_shards(const acc_index *x, const char ***names)
{
    static const char *none[1];
    size_t k = 0;
    if (!x->missing)
        ((acc_index *)x)->missing = acc_xcalloc(x->nshards + 1, sizeof(char *));
    for (size_t i = 0; i < x->nshards; i++)
        if (x->shards[i].down)
            x->missing[k++] = x->shards[i].name;
    *names = x->nshards ? x->missing : none;
    return k;
}

/*
 * After a failed call: when it failed on the network and a remote shard no longer answers, that
 * shard is left out and x opened again without it (1: run the call again), else 0.
 */
static acc_status open_again(acc_index *x, acc_error *err);

int acc_index_recover(acc_index *x, acc_status st)
{
    int dropped = 0;
    acc_error e;
    if (st != ACC_EDB_NETWORK || !x->shards)
        return 0;
    for (size_t i = 0; i < x->nshards; i++) {
        acc_shard *sh = &x->shards[i];
        if (sh->host && !sh->down && !remote_answers(sh)) {
            acc_log(ACC_LOG_WARN, "remote shard %s stopped answering: left out", sh->name);
            sh->down = 1;
            sh->next_try = now_s() + RETRY_DOWN_S;
            dropped = 1;
        }
    }
    return dropped && open_again(x, &e) == ACC_OK;
}

int acc_index_again(acc_index *x, acc_status st, int attempt)
{
    if (attempt >= 2)
        return 0;
    return st == ACC_EDB_MODIFIED || acc_index_recover(x, st);
}

/* ----------------------------------------------------------------- opening */

static void ident_read(acc_index_ident *id, int stub)
{
    struct stat sb;
    id->exists = stat(id->file, &sb) == 0;
    id->dev = id->exists ? (unsigned long long)sb.st_dev : 0;
    id->ino = id->exists ? (unsigned long long)sb.st_ino : 0;
    id->mtime_ns =
        id->exists && stub ? (long long)sb.st_mtim.tv_sec * 1000000000ll + sb.st_mtim.tv_nsec : 0;
}

/* A handle on db, opened from paths[0..n), whose index directories are d. */
static acc_index *handle_new(acc_xap_db *db, const char *const *paths, size_t n, const dirlist *d)
{
    acc_index *x = acc_xcalloc(1, sizeof *x);
    x->db = db;
    x->large_from = ACC_LARGE_FROM;
    x->paths = acc_xcalloc(n, sizeof *x->paths);
    x->npaths = n;
    for (size_t i = 0; i < n; i++)
        x->paths[i] = acc_xstrdup(paths[i]);
    /* each database's postlist table, and each stub: a stub rewritten (xapian-replicate
       switching its replica to a fresh copy) names other databases */
    x->ids = acc_xcalloc(d->n + n + 1, sizeof *x->ids);
    for (size_t i = 0; i < d->n; i++) {
        acc_buf b;
        acc_buf_init(&b, 0);
        acc_buf_printf(&b, "%s/postlist.glass", d->v[i]);
        x->ids[x->nids].file = acc_buf_detach(&b, NULL);
        ident_read(&x->ids[x->nids++], 0);
    }
    for (size_t i = 0; i < n; i++) {
        acc_buf stub;
        size_t baselen;
        acc_buf_init(&stub, 0);
        if (stub_of(paths[i], &stub, &baselen)) {
            x->ids[x->nids].file = acc_buf_detach(&stub, NULL);
            ident_read(&x->ids[x->nids++], 1);
        }
        acc_buf_release(&stub);
    }
    return x;
}

/* Has an index directory of x been deleted, rebuilt or replaced since x opened it? */
static int replaced(const acc_index *x)
{
    for (size_t i = 0; i < x->nids; i++) {
        acc_index_ident now = {x->ids[i].file, 0, 0, 0, 0};
        ident_read(&now, x->ids[i].mtime_ns != 0);
        if (now.exists != x->ids[i].exists || now.dev != x->ids[i].dev ||
            now.ino != x->ids[i].ino || now.mtime_ns != x->ids[i].mtime_ns)
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
    shards_free(x->shards, x->nshards);
    free(x->missing);
    for (size_t i = 0; i < x->ncols; i++)
        acc_column_free(x->cols[i].col);
    acc_lex_cache_free(x->lex);
    acc_variant_memo_free(x->variants);
    for (size_t i = 0; i < x->ntextdicts; i++)
        acc_textdict_free(x->textdicts[i]);
    free(x->textdicts);
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

/* Opens paths[0..n) shard by shard (spec: their shards, state kept from an earlier opening). */
static acc_status open_spec(const char *const *paths, size_t n, acc_shard *spec, size_t nspec,
                            acc_index **out, acc_error *err)
{
    acc_xap_db *db = NULL;
    dirlist d = {0};
    acc_status st = open_shards(spec, nspec, &db, &d, err);
    if (st != ACC_OK) {
        dirs_free(&d);
        shards_free(spec, nspec);
        return acc_error_prefix(err, st, "cannot open index '%s'", paths[0]);
    }
    *out = handle_new(db, paths, n, &d);
    (*out)->shards = spec;
    (*out)->nshards = nspec;
    dirs_free(&d);
    return ACC_OK;
}

acc_status acc_index_open(const char *path, acc_index **out, acc_error *err)
{
    acc_xap_db *db = NULL;
    dirlist d = {0};
    acc_shard *spec = NULL;
    size_t nspec = 0;
    acc_status st = spec_shards(&path, 1, &spec, &nspec, err);
    if (st != ACC_OK)
        return acc_error_prefix(err, st, "cannot open index '%s'", path);
    if (spec)
        return open_spec(&path, 1, spec, nspec, out, err);
    st = acc_xap_db_open(path, &db, err);
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
    acc_shard *spec = NULL;
    size_t nspec = 0;
    acc_status st = spec_shards(paths, n, &spec, &nspec, err);
    if (st != ACC_OK)
        return acc_error_prefix(err, st, "cannot open index '%s'", paths[0]);
    if (spec)
        return open_spec(paths, n, spec, nspec, out, err);
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

int acc_index_topics_stored(acc_index *x, const acc_topics *vocab)
{
    return x && vocab && acc_topic_matchers_current(vocab, x->db);
}

/* Opens x's indexes again from scratch into x (its topics kept); x is unchanged on failure. */
static acc_status open_again(acc_index *x, acc_error *err)
{
    acc_index *y = NULL;
    acc_status st;
    if (x->shards) {
        /* the same shards, with what is known of those down */
        acc_shard *spec = NULL;
        size_t nspec = 0;
        st = spec_shards((const char *const *)x->paths, x->npaths, &spec, &nspec, err);
        for (size_t i = 0; st == ACC_OK && i < nspec; i++)
            for (size_t j = 0; j < x->nshards; j++)
                if (strcmp(spec[i].name, x->shards[j].name) == 0) {
                    spec[i].down = x->shards[j].down;
                    spec[i].next_try = x->shards[j].next_try;
                }
        if (st == ACC_OK)
            st = spec ? open_spec((const char *const *)x->paths, x->npaths, spec, nspec, &y, err)
                      : acc_index_open_many((const char *const *)x->paths, x->npaths, &y, err);
    } else {
        st = x->npaths == 1
                 ? acc_index_open(x->paths[0], &y, err)
                 : acc_index_open_many((const char *const *)x->paths, x->npaths, &y, err);
    }
    if (st == ACC_OK)
        st = acc_xap_db_reopen(y->db, &y->rev, err);
    if (st != ACC_OK) {
        acc_index_close(y);
        return st;
    }
    y->vocab = x->vocab;
    y->large_from = x->large_from;
    y->generation = x->generation + 1;
    free_state(x);
    *x = *y;
    free(y);
    return ACC_OK;
}

void acc_index_set_large_from(acc_index *x, unsigned long docs)
{
    x->large_from = docs;
}

const acc_column *acc_index_column(acc_index *x, unsigned slot)
{
    struct index_column *c = NULL;
    for (size_t i = 0; i < x->ncols && !c; i++)
        if (x->cols[i].slot == slot)
            c = &x->cols[i];
    if (c && c->rev == x->rev && c->generation == x->generation)
        return c->col;
    if (!c) {
        if (x->ncols == ACC_INDEX_COLUMNS)
            return NULL;
        c = &x->cols[x->ncols++];
        c->slot = slot;
    }
    acc_column_free(c->col);
    c->col = NULL;
    acc_error e;
    if (acc_column_load(x->db, slot, &c->col, &e) != ACC_OK)
        c->col = NULL;
    c->rev = x->rev;
    c->generation = x->generation;
    return c->col;
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
    if (x->shards) {
        /* a shard left out whose time has come is tried again */
        double now = now_s();
        for (size_t i = 0; i < x->nshards; i++)
            if (x->shards[i].down && now >= x->shards[i].next_try)
                return open_again(x, err) == ACC_OK ? acc_xap_db_reopen(x->db, &x->rev, err)
                                                    : ACC_OK;
    }
    acc_status st = acc_xap_db_reopen(x->db, &x->rev, err);
    if (st == ACC_EDB_NETWORK && acc_index_recover(x, st))
        st = acc_xap_db_reopen(x->db, &x->rev, err);
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
    ip.stem = acc_stem_new_query(lang);
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
    acc_status st;
    for (int attempt = 0;; attempt++) {
        st = acc_index_refresh(x, err);
        if (st == ACC_OK)
            st = acc_xap_db_doccount(x->db, &n, err);
        if (st == ACC_OK || !acc_index_again(x, st, attempt))
            break;
    }
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

/* The dictionary stored in db, when it is the one of id: into *out (NULL when not). */
static acc_status textdict_in(acc_xap_db *db, unsigned id, acc_textdict **out, acc_error *err)
{
    acc_buf v;
    acc_buf_init(&v, 0);
    *out = NULL;
    acc_status st = acc_xap_db_get_meta(db, ACC_TEXTDICT_KEY, strlen(ACC_TEXTDICT_KEY), &v, err);
    if (st == ACC_OK && v.n) {
        st = acc_textdict_load_buf(&v, out, err);
        if (st == ACC_OK && acc_textdict_id(*out) != id) {
            acc_textdict_free(*out);
            *out = NULL;
        }
    }
    acc_buf_release(&v);
    return st;
}

acc_status acc_index_textdict(acc_index *x, unsigned id, acc_textdict **out, acc_error *err)
{
    for (size_t i = 0; i < x->ntextdicts; i++)
        if (acc_textdict_id(x->textdicts[i]) == id) {
            *out = x->textdicts[i];
            return ACC_OK;
        }
    /* the index's own (its first shard's), else each shard's */
    acc_textdict *t = NULL;
    acc_status st = textdict_in(x->db, id, &t, err);
    for (size_t i = 0, n = acc_xap_db_parts(x->db); st == ACC_OK && !t && n > 1 && i < n; i++) {
        acc_xap_db *part = NULL;
        st = acc_xap_db_part(x->db, i, &part, err);
        if (st == ACC_OK)
            st = textdict_in(part, id, &t, err);
        acc_xap_db_close(part);
    }
    if (st != ACC_OK)
        return st;
    if (!t)
        return acc_error_set(err, ACC_EDB_CORRUPT,
                             "index is corrupt (a stored text chunk needs text dictionary %08x, "
                             "which no shard has)",
                             id);
    x->textdicts = acc_xrealloc(x->textdicts, (x->ntextdicts + 1) * sizeof *x->textdicts);
    x->textdicts[x->ntextdicts++] = t;
    *out = t;
    return ACC_OK;
}
