/*
 * tests/fuzz/fuzz_dict.c: the readers of the cross-language data on any
 * bytes: a dictd dictionary (lib/dictd.c: the .index lines and the gzip
 * .dict.dz text they point into) and a SKOS thesaurus file (lib/skos.c,
 * RDF/XML through libxml2's reader). Byte 0 picks the reader; for a
 * dictionary, line 1 onwards up to a line "--" is the index, the rest the
 * entries' text, stored gzip-compressed as dictd installs it (byte 0's high
 * bit: stored as given, to fuzz the gzip reading too).
 * Byte 0 with its low bits 10: the rest is the records of a cached prepared
 * dictionary (lib/lexcache.h), German headwords and English translations.
 * Checks the readers' promises: every headword and translation handed on is
 * valid UTF-8 and plain (no tab, newline or '<'), at most 64 translations
 * an entry; every SKOS label has a language and valid UTF-8 text; records
 * said valid replay whole, every string inside them, NUL-terminated, valid
 * UTF-8, as many stems as words, keys within ACC_LEX_MAX_KEY.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "accord/text.h"
#include "dictd.h"
#include "lexcache.h"
#include "lexicon.h"
#include "fuzz_util.h"
#include "skos.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static char dir[64];

static void cleanup(void)
{
    static const char *const names[] = {"d.index", "d.dict.dz", "t.rdf"};
    char p[128];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
}

static const char *path_of(const char *name)
{
    static char path[4][128];
    static int k;
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/accord-fuzz-dict-XXXXXX");
        if (!mkdtemp(dir))
            abort();
        atexit(cleanup);
    }
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
    return path[k];
}

static void put(const char *path, const char *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f) != 0)
        abort();
}

static void put_gz(const char *path, const char *p, size_t n)
{
    gzFile g = gzopen(path, "wb");
    if (!g || (n && gzwrite(g, p, (unsigned)n) != (int)n) || gzclose(g) != Z_OK)
        abort();
}

static void plain(const char *s)
{
    if (!s || !*s || !acc_utf8_valid(s, strlen(s)) || strpbrk(s, "\t\n<"))
        abort();
}

static int on_entry(void *ctx, const acc_dict_entry *e)
{
    (void)ctx;
    plain(e->head);
    if (e->n > 64)
        abort();
    for (size_t i = 0; i < e->n; i++) {
        plain(e->trans[i]);
        if (!e->domains[i] || !acc_utf8_valid(e->domains[i], strlen(e->domains[i])))
            abort();
    }
    return 0;
}

static int on_concept(void *ctx, const char *uri, const acc_skos_label *l, size_t n)
{
    (void)ctx;
    if (!uri || !n)
        abort();
    for (size_t i = 0; i < n; i++)
        if (!l[i].lang || !*l[i].lang || !l[i].text || !*l[i].text ||
            !acc_utf8_valid(l[i].text, strlen(l[i].text)))
            abort();
    return 0;
}

/* A string of a replayed record: n bytes, then its NUL, valid UTF-8 (NULs inside with nuls). */
static void str_ok(const char *s, size_t n, int nuls)
{
    if (!s || s[n] != '\0' || (!nuls && strlen(s) != n) || !acc_utf8_valid(s, n))
        abort();
}

static void text_ok(const lexcache_text *t)
{
    if (t->tg.ok) {
        str_ok(t->tg.shown, t->tg.shown_n, 0);
        str_ok(t->tg.phrase, t->tg.phrase_n, 0);
        str_ok(t->tg.stems, t->tg.stems_n, 1);
        size_t words = 0;
        for (size_t i = 0; i < t->tg.stems_n; i += strlen(t->tg.stems + i) + 1)
            words++;
        if (!words || words != t->tg.nwords || t->tg.stems[t->tg.stems_n - 1] != '\0')
            abort();
    }
    if (t->so.ok) {
        if (!t->so.words || !t->so.key_n || t->so.key_n > ACC_LEX_MAX_KEY)
            abort();
        str_ok(t->so.key, t->so.key_n, 0);
        str_ok(t->so.stem1, t->so.stem1_n, 0);
    }
}

/* Records p[0..n): replayed whole when said valid. */
static void records(const char *p, size_t n)
{
    /* a copy of exactly n bytes, so that ASan sees a read past them */
    char *rec = malloc(n ? n : 1);
    if (!rec)
        abort();
    memcpy(rec, p, n);
    if (acc_lexcache_valid(rec, n, "de", "en")) {
        lexcache_text h, t;
        size_t at = 0, k;
        acc_lexcache_text_init(&h);
        acc_lexcache_text_init(&t);
        while (acc_lexcache_entry(rec, n, &at, "de", &h, &k)) {
            text_ok(&h);
            for (size_t i = 0; i < k; i++) {
                acc_lexcache_trans(rec, n, &at, "en", &t);
                text_ok(&t);
            }
        }
        if (at != n)
            abort(); /* valid records replay to their end */
        acc_lexcache_text_release(&h);
        acc_lexcache_text_release(&t);
    }
    free(rec);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    if (n < 1)
        return 0;
    const char *p = (const char *)d + 1;
    size_t m = n - 1;
    acc_error err;
    if ((d[0] & 3) == 2) {
        records(p, m);
        return 0;
    }
    if (d[0] & 1) {
        const char *t = path_of("t.rdf");
        put(t, p, m);
        const char *paths[] = {t};
        acc_status st = acc_skos_read(paths, 1, on_concept, NULL, &err);
        if (st != ACC_OK && !err.msg[0])
            abort(); /* an error says what */
        return 0;
    }
    /* the index up to a line "--", the text after it */
    size_t cut = m, rest = m;
    for (size_t i = 0; i + 3 <= m; i++)
        if ((i == 0 || p[i - 1] == '\n') && p[i] == '-' && p[i + 1] == '-' && p[i + 2] == '\n') {
            cut = i;
            rest = i + 3;
            break;
        }
    const char *ix = path_of("d.index"), *dz = path_of("d.dict.dz");
    put(ix, p, cut);
    if (d[0] & 0x80)
        put(dz, p + rest, m - rest);
    else
        put_gz(dz, p + rest, m - rest);
    acc_status st = acc_dictd_read(ix, dz, on_entry, NULL, &err);
    if (st != ACC_OK && !err.msg[0])
        abort();
    return 0;
}
