/* lib/lexcache.c: the dictionaries prepared, kept between runs (lib/lexcache.h). */
#define _DEFAULT_SOURCE /* realpath */
#include "lexcache.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>
#include <zstd.h>

#include "accord/log.h"
#include "accord/schema.h"
#include "accord/text.h"
#include "dictd.h"
#include "lexicon.h"
#include "varint.h"

/* the format of the records and header; a change makes the old files unused */
#define LEXCACHE_FORMAT "3"
/* records larger than this are not believed (deu-eng's: about 40 MB) */
#define LEXCACHE_MAX ((size_t)1 << 30)

enum {
    TEXT_TARGET = 1,  /* a target: shown, nwords, stems (short unless TEXT_FULL), phrase */
    TEXT_SOURCE = 2,  /* a source: its key and one word's stem term, unless derived */
    TEXT_WORDS = 4,   /* a source's words usable (its key maybe too long) */
    TEXT_FULL = 8,    /* the stems written whole, not without their "Z<lang>:" */
    TEXT_KEY = 16,    /* the key written, not made from the stems */
    TEXT_STEM1 = 32,  /* the one word's stem term written, not the target's */
    TEXT_PHRASE = 64, /* the phrase written (several words) */
    TEXT_FLAGS = 127
};

/* ------------------------------------------------------------- records */

static void put_str(acc_buf *out, const char *s, size_t n)
{
    acc_varint_put(out, n);
    acc_buf_append(out, s, n);
    acc_buf_putc(out, '\0');
}

/* The prefix of language code's stem terms ("Zde:") into out. */
static void stem_prefix(const char *code, acc_buf *out)
{
    acc_buf_reset(out);
    acc_buf_append(out, ACC_PFX_STEM, strlen(ACC_PFX_STEM));
    acc_buf_append(out, code, strlen(code));
    acc_buf_putc(out, ':');
}

/* Short stems sh[0..n) (NUL-ended each) made whole in language code: into stems, and the
   table key they make into key. */
static void unshorten(const char *code, const char *sh, size_t n, acc_buf *stems, acc_buf *key)
{
    size_t cn = strlen(code), pn = strlen(ACC_PFX_STEM), ln = strlen(ACC_LEX_PREFIX), k = 0;
    for (size_t i = 0; i < n; i++)
        k += sh[i] == '\0';
    acc_buf_reset(stems);
    acc_buf_reset(key);
    /* each stem its prefix (pn + cn + 1 bytes); the key its prefix, the stems and spaces */
    char *s = acc_buf_room(stems, n + k * (pn + cn + 1));
    char *y = acc_buf_room(key, ln + cn + 1 + n);
    memcpy(y, ACC_LEX_PREFIX, ln);
    memcpy(y + ln, code, cn);
    y[ln + cn] = ':';
    y += ln + cn + 1;
    for (size_t i = 0; i < n;) {
        size_t len = strlen(sh + i);
        memcpy(s, ACC_PFX_STEM, pn);
        memcpy(s + pn, code, cn);
        s[pn + cn] = ':';
        memcpy(s + pn + cn + 1, sh + i, len + 1);
        s += pn + cn + 1 + len + 1;
        if (i)
            *y++ = ' ';
        memcpy(y, sh + i, len);
        y += len;
        i += len + 1;
    }
    stems->n = (size_t)(s - stems->p);
    stems->p[stems->n] = '\0';
    key->n = (size_t)(y - key->p);
    key->p[key->n] = '\0';
}

typedef struct rec_ctx {
    builder *w;
    lang_state *ls, *lt;
    acc_buf *out;
    acc_buf pfx, sh, stems, key; /* scratch */
} rec_ctx;

/* Text s[0..n) in language l, prepared as a target and as a source, appended to the records:
   the stems without their common prefix, and what can be made from them (the key, the one
   word's stem term) left out, when making it gives them back exactly. */
static void put_text(rec_ctx *r, lang_state *l, const char *s, size_t n)
{
    const lex_target *g = acc_lexb_prep_target(r->w, l, s, n);
    const lex_source *o = acc_lexb_prep_source(r->w, l, s, n);
    unsigned flags =
        (g->ok ? TEXT_TARGET : 0) | (o->ok ? TEXT_SOURCE : 0) | (o->words ? TEXT_WORDS : 0);
    if (g->ok) {
        /* the short stems, when every stem term has the prefix */
        stem_prefix(l->code, &r->pfx);
        acc_buf_reset(&r->sh);
        for (size_t i = 0; i < g->stems_n && !(flags & TEXT_FULL);) {
            size_t len = strlen(g->stems + i);
            if (len <= r->pfx.n || memcmp(g->stems + i, r->pfx.p, r->pfx.n) != 0)
                flags |= TEXT_FULL;
            else
                acc_buf_append(&r->sh, g->stems + i + r->pfx.n, len + 1 - r->pfx.n);
            i += len + 1;
        }
        if (!(flags & TEXT_FULL))
            unshorten(l->code, r->sh.p ? r->sh.p : "", r->sh.n, &r->stems, &r->key);
        if (g->nwords > 1)
            flags |= TEXT_PHRASE;
    }
    if (o->ok) {
        int derived = g->ok && !(flags & TEXT_FULL);
        if (!derived || r->key.n != o->key_n || memcmp(r->key.p, o->key, o->key_n) != 0)
            flags |= TEXT_KEY;
        /* one word's stem term is the target's stems, NUL aside ("" for several words) */
        size_t dn = g->ok && g->nwords == 1 ? g->stems_n - 1 : 0;
        if (dn != o->stem1_n || memcmp(g->stems, o->stem1, dn) != 0)
            flags |= TEXT_STEM1;
    }
    acc_buf_putc(r->out, (char)flags);
    if (g->ok) {
        put_str(r->out, g->shown, g->shown_n);
        acc_varint_put(r->out, g->nwords);
        if (flags & TEXT_FULL)
            put_str(r->out, g->stems, g->stems_n);
        else
            put_str(r->out, r->sh.p ? r->sh.p : "", r->sh.n);
        if (flags & TEXT_PHRASE)
            put_str(r->out, g->phrase, g->phrase_n);
    }
    if (flags & TEXT_KEY)
        put_str(r->out, o->key, o->key_n);
    if (flags & TEXT_STEM1)
        put_str(r->out, o->stem1, o->stem1_n);
}

static int on_entry(void *ctx, const acc_dict_entry *e)
{
    rec_ctx *r = ctx;
    if (!e->n)
        return 0;
    acc_varint_put(r->out, e->n);
    put_text(r, r->ls, e->head, strlen(e->head));
    for (size_t i = 0; i < e->n; i++)
        put_text(r, r->lt, e->trans[i], strlen(e->trans[i]));
    return 0;
}

/* A str at rec[*at..n) into s, *len: 0 when it runs past n, lacks its NUL, or (unless
   nuls) holds one. */
static int get_str(const char *rec, size_t n, size_t *at, int nuls, const char **s, size_t *len)
{
    unsigned long long v;
    if (!acc_varint_get(rec, n, at, &v) || v >= n - *at || rec[*at + v] != '\0' ||
        (!nuls && memchr(rec + *at, '\0', (size_t)v)))
        return 0;
    *s = rec + *at;
    *len = (size_t)v;
    *at += (size_t)v + 1;
    return 1;
}

/* Whether s[0..n) is k strings each ended by a NUL, none empty, all valid UTF-8. */
static int nul_list(const char *s, size_t n, unsigned long long k)
{
    size_t i = 0;
    while (i < n) {
        size_t len = strlen(s + i);
        if (!len || i + len >= n)
            return 0;
        i += len + 1;
        k--;
    }
    return k == 0 && acc_utf8_valid(s, n);
}

void acc_lexcache_text_init(lexcache_text *t)
{
    acc_buf_init(&t->stems, 0);
    acc_buf_init(&t->key, 0);
}

void acc_lexcache_text_release(lexcache_text *t)
{
    acc_buf_release(&t->stems);
    acc_buf_release(&t->key);
}

/* A text in language code at rec[*at..n) into t; with check, its strings' UTF-8 and counts
   checked too. */
static int get_text(const char *rec, size_t n, size_t *at, const char *code, lexcache_text *t,
                    int check)
{
    lex_target *g = &t->tg;
    lex_source *o = &t->so;
    memset(g, 0, sizeof *g);
    memset(o, 0, sizeof *o);
    g->shown = g->stems = g->phrase = o->key = o->stem1 = "";
    if (*at >= n)
        return 0;
    unsigned flags = (unsigned char)rec[(*at)++];
    if ((flags & ~(unsigned)TEXT_FLAGS) || ((flags & TEXT_SOURCE) && !(flags & TEXT_WORDS)) ||
        (!(flags & TEXT_TARGET) && (flags & (TEXT_FULL | TEXT_PHRASE))) ||
        ((flags & TEXT_SOURCE) && !(flags & TEXT_KEY) &&
         (!(flags & TEXT_TARGET) || (flags & TEXT_FULL))) ||
        (!(flags & TEXT_SOURCE) && (flags & (TEXT_KEY | TEXT_STEM1))))
        return 0;
    o->words = (flags & TEXT_WORDS) != 0;
    size_t derived_key_n = 0;
    if (flags & TEXT_TARGET) {
        unsigned long long nw;
        const char *st;
        size_t stn;
        g->ok = 1;
        if (!get_str(rec, n, at, 0, &g->shown, &g->shown_n) || !acc_varint_get(rec, n, at, &nw) ||
            !get_str(rec, n, at, 1, &st, &stn) ||
            ((flags & TEXT_PHRASE) && !get_str(rec, n, at, 0, &g->phrase, &g->phrase_n)))
            return 0;
        if (check && (!nw || nw > ACC_LEX_MAX_WORDS || (nw > 1) != !!(flags & TEXT_PHRASE) ||
                      !nul_list(st, stn, nw) || !acc_utf8_valid(g->shown, g->shown_n) ||
                      !acc_utf8_valid(g->phrase, g->phrase_n)))
            return 0;
        g->nwords = (size_t)nw;
        if (flags & TEXT_FULL) {
            g->stems = st;
            g->stems_n = stn;
        } else if (check) {
            /* checked in their parts: only the length of the key they make is wanted here
               (the prefix, then the stems, a space for each NUL but the last) */
            derived_key_n = strlen(ACC_LEX_PREFIX) + strlen(code) + 1 + stn - 1;
        } else {
            unshorten(code, st, stn, &t->stems, &t->key);
            g->stems = t->stems.p;
            g->stems_n = t->stems.n;
        }
    }
    if (flags & TEXT_SOURCE) {
        o->ok = 1;
        if (flags & TEXT_KEY) {
            if (!get_str(rec, n, at, 0, &o->key, &o->key_n))
                return 0;
        } else if (!check) {
            o->key = t->key.p;
            o->key_n = t->key.n;
        }
        if (flags & TEXT_STEM1) {
            if (!get_str(rec, n, at, 0, &o->stem1, &o->stem1_n))
                return 0;
        } else if (g->nwords == 1 && !check) {
            o->stem1 = g->stems;
            o->stem1_n = g->stems_n - 1;
        }
        if (check) {
            size_t kn = flags & TEXT_KEY ? o->key_n : derived_key_n;
            if (!kn || kn > ACC_LEX_MAX_KEY || !acc_utf8_valid(o->key, o->key_n) ||
                !acc_utf8_valid(o->stem1, o->stem1_n))
                return 0;
        }
    }
    return 1;
}

int acc_lexcache_entry(const char *rec, size_t n, size_t *at, const char *code, lexcache_text *head,
                       size_t *ntrans)
{
    unsigned long long v;
    if (*at >= n || !acc_varint_get(rec, n, at, &v))
        return 0;
    *ntrans = (size_t)v;
    return get_text(rec, n, at, code, head, 0);
}

void acc_lexcache_trans(const char *rec, size_t n, size_t *at, const char *code, lexcache_text *t)
{
    get_text(rec, n, at, code, t, 0);
}

int acc_lexcache_valid(const char *rec, size_t n, const char *s, const char *t)
{
    size_t at = 0;
    lexcache_text x;
    int ok = 1;
    acc_lexcache_text_init(&x);
    while (ok && at < n) {
        unsigned long long v;
        ok = acc_varint_get(rec, n, &at, &v) && v && v <= n && get_text(rec, n, &at, s, &x, 1);
        for (unsigned long long i = 0; ok && i < v; i++)
            ok = get_text(rec, n, &at, t, &x, 1);
    }
    acc_lexcache_text_release(&x);
    return ok;
}

/* ---------------------------------------------------------------- files */

/* Room for n bytes (and a NUL) in b, emptied. */
static void buf_room(acc_buf *b, size_t n)
{
    acc_buf_reset(b);
    acc_buf_room(b, n);
}

/* The header of the cache of dictionary dir/freedict-s3-t3 as these files are now, and the
   cache file's path; 0 when a file cannot be seen (absent). */
static int header_of(const char *dir, const char *cache_dir, const char *s3, const char *t3,
                     acc_buf *head, char *path, size_t cap)
{
    char real[PATH_MAX], f[PATH_MAX + 64];
    struct stat si, sd;
    if (!realpath(dir, real))
        return 0;
    snprintf(f, sizeof f, "%s/freedict-%s-%s.index", real, s3, t3);
    if (stat(f, &si) != 0)
        return 0;
    snprintf(f, sizeof f, "%s/freedict-%s-%s.dict.dz", real, s3, t3);
    if (stat(f, &sd) != 0)
        return 0;
    acc_buf_reset(head);
    char line[PATH_MAX + 256];
    int k =
        snprintf(line, sizeof line,
                 "accord dictionary cache %s\nindex version %s, utf8proc %s, xapian %s\n"
                 "%s/freedict-%s-%s: index %lld bytes at %lld.%09ld, text %lld bytes at "
                 "%lld.%09ld\n\n",
                 LEXCACHE_FORMAT, ACC_INDEX_VERSION, utf8proc_version(), acc_xap_version(), real,
                 s3, t3, (long long)si.st_size, (long long)si.st_mtim.tv_sec, si.st_mtim.tv_nsec,
                 (long long)sd.st_size, (long long)sd.st_mtim.tv_sec, sd.st_mtim.tv_nsec);
    if (k < 0 || (size_t)k >= sizeof line)
        return 0;
    acc_buf_append(head, line, (size_t)k);
    snprintf(path, cap, "%s/freedict-%s-%s-%016llx.cache", cache_dir, s3, t3,
             (unsigned long long)acc_fnv1a(real, strlen(real), ACC_FNV_INIT));
    return 1;
}

/* The records of the cache file path into rec when it starts with head and the rest is one
   whole zstd frame of valid records. */
static int cache_load(const char *path, const acc_buf *head, const char *s, const char *t,
                      acc_buf *rec)
{
    acc_buf file;
    int ok = 0;
    acc_buf_init(&file, 0);
    if (acc_buf_read_file(&file, path, LEXCACHE_MAX) == 0 && file.n > head->n &&
        memcmp(file.p, head->p, head->n) == 0) {
        const char *z = file.p + head->n;
        size_t zn = file.n - head->n;
        unsigned long long size = ZSTD_getFrameContentSize(z, zn);
        if (size != ZSTD_CONTENTSIZE_UNKNOWN && size != ZSTD_CONTENTSIZE_ERROR &&
            size <= LEXCACHE_MAX && ZSTD_findFrameCompressedSize(z, zn) == zn) {
            buf_room(rec, (size_t)size);
            size_t got = ZSTD_decompress(rec->p, (size_t)size + 1, z, zn);
            ok = !ZSTD_isError(got) && got == size;
            rec->n = ok ? got : 0;
            rec->p[rec->n] = '\0';
            ok = ok && acc_lexcache_valid(rec->p, rec->n, s, t);
        }
    }
    acc_buf_release(&file);
    return ok;
}

/* mkdir -p of dir (the last part private to the user); 0 when it cannot be made. */
static int make_dirs(const char *dir)
{
    char p[PATH_MAX];
    size_t n = strlen(dir);
    if (!n || n >= sizeof p)
        return 0;
    memcpy(p, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] != '/' && p[i] != '\0')
            continue;
        char c = p[i];
        p[i] = '\0';
        if (mkdir(p, c ? 0755 : 0700) != 0 && errno != EEXIST)
            return 0;
        p[i] = c;
    }
    return 1;
}

/* Writes head and records rec to the cache file path: a new file, renamed into place. */
static void cache_store(const char *cache_dir, const char *path, const acc_buf *head,
                        const acc_buf *rec)
{
    static unsigned long seq;
    static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    char tmp[PATH_MAX + 192];
    pthread_mutex_lock(&mu);
    unsigned long k = seq++;
    pthread_mutex_unlock(&mu);
    snprintf(tmp, sizeof tmp, "%s.%ld.%lu.tmp", path, (long)getpid(), k);
    size_t cap = ZSTD_compressBound(rec->n);
    char *z = acc_xmalloc(cap);
    ZSTD_CCtx *cc = ZSTD_createCCtx();
    size_t zn = cc ? ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1) : 0;
    if (cc && !ZSTD_isError(zn))
        zn = ZSTD_compress2(cc, z, cap, rec->p ? rec->p : "", rec->n);
    ZSTD_freeCCtx(cc);
    int ok = cc && !ZSTD_isError(zn) && make_dirs(cache_dir);
    int fd = ok ? open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600) : -1;
    if (fd >= 0) {
        FILE *f = fdopen(fd, "wb");
        ok = f && fwrite(head->p, 1, head->n, f) == head->n && fwrite(z, 1, zn, f) == zn;
        if (f)
            ok = fclose(f) == 0 && ok;
        else
            close(fd);
        ok = ok && rename(tmp, path) == 0;
        if (!ok)
            unlink(tmp);
    }
    if (fd < 0 || !ok)
        acc_log(ACC_LOG_DEBUG, "translation table: cannot keep %s: %s", path, strerror(errno));
    free(z);
}

acc_status acc_lexcache_get(builder *w, lang_state *ls, lang_state *lt, const char *dir,
                            const char *cache_dir, const char *s3, const char *t3, acc_buf *rec,
                            int *cached, acc_error *err)
{
    char path[PATH_MAX + 128];
    acc_buf head;
    acc_buf_init(&head, 0);
    int use =
        cache_dir && *cache_dir && header_of(dir, cache_dir, s3, t3, &head, path, sizeof path);
    *cached = use && cache_load(path, &head, ls->code, lt->code, rec);
    acc_status st = ACC_OK;
    if (!*cached) {
        rec_ctx r = {w, ls, lt, rec, {0}, {0}, {0}, {0}};
        acc_buf_init(&r.pfx, 0);
        acc_buf_init(&r.sh, 0);
        acc_buf_init(&r.stems, 0);
        acc_buf_init(&r.key, 0);
        acc_buf_reset(rec);
        st = acc_dictd_read_pair(dir, s3, t3, on_entry, &r, err);
        acc_buf_release(&r.pfx);
        acc_buf_release(&r.sh);
        acc_buf_release(&r.stems);
        acc_buf_release(&r.key);
        if (st == ACC_OK && use)
            cache_store(cache_dir, path, &head, rec);
    }
    acc_buf_release(&head);
    return st;
}
