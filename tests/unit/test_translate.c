/*
 * Query translation end to end on a small index (lib/lexbuild.c,
 * lib/translate.c, lib/search.c): a dictd pair and a SKOS thesaurus written
 * by the test become the index's translation table (only translations whose
 * stems the index has are kept); the query's language is guessed from its
 * script and words; each word's translations form one OP_SYNONYM group per
 * language; an English query reaches a Dutch-only document through the
 * dictionary, ranked below the English documents, and not with expand off;
 * synonyms from a user file; known items (a title typed as a phrase, an
 * acronym of a title, an id) come first; an accented spelling ranks above its folded twin; a
 * malformed dictionary is a clear error and leaves the index searchable without translations;
 * phrase translations are kept only when documents have them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <sys/stat.h>
#include <zlib.h>
#include <zstd.h>

#include "accord/lexicon.h"
#include "accord/query.h"
#include "fixture.h"
#include "lexicon.h"
#include "lextable.h"
#include "termgen.h"
#include "translate.h"

static char dicts[1024], thesaurus[1024], synonyms[1024], db[1024];

static fx_doc docs[] = {
    {.id = "en-dike",
     .lang = "en",
     .title = "Coastal protection report",
     .text = "The dike protects the coast. Coastal protection needs maintenance of every dike."},
    {.id = "en-other",
     .lang = "en",
     .title = "Forest report",
     .text = "Forests and trees and woodland management and the coast."},
    {.id = "nl-water",
     .lang = "nl",
     .title = "Deltaprogramma",
     .text = "De waterkering beschermt het land tegen overstromingen. Elke waterkering wordt "
             "onderhouden door het waterschap."},
    {.id = "nl-other",
     .lang = "nl",
     .title = "Bosbeheer",
     .text = "Het bos en de bomen van de provincie worden beheerd."},
    {.id = "de-water",
     .lang = "de",
     .title = "Hochwasserschutz",
     .text = "Der Deich schützt das Land vor dem Hochwasser."},
    {.id = "en-cites",
     .lang = "en",
     .title = "Notes on the Paris Agreement",
     .text = "The Paris Agreement on climate change is cited here. Paris Agreement, Paris "
             "Agreement, Paris Agreement again and again."},
    {.id = "en-paris",
     .lang = "en",
     .title = "Paris Agreement",
     .text = "The Parties to this Agreement, pursuant to the Convention, agree on climate."},
    {.id = "de-gross1",
     .lang = "de",
     .title = "Koalition",
     .text = "Die Grosse Koalition und der Wald."},
    {.id = "de-gross2",
     .lang = "de",
     .title = "Wald",
     .text = "Die Größe der Wälder und der Wald."},
    {.id = "nl-bilingual",
     .lang = "nl",
     .title = "Verdrag",
     .text = "De partijen bij dit verdrag zijn het volgende overeengekomen over het water.\n"
             "The parties to this convention shall prevent the discharge of ballast sediments "
             "into the harbours of the other parties and report on it every year.\n"
             "Dit verdrag treedt in werking op de dertigste dag na de neerlegging."},
    {.id = "convention",
     .lang = "en",
     .title = "United Nations Framework Convention on Climate Change",
     .text = "The Parties to this Convention agree on the ultimate objective."},
    {.id = "cites-it",
     .lang = "en",
     .title = "Report",
     .text = "Under the UNFCCC, the UNFCCC reporting and the UNFCCC review."},
    {.id = "ar-ndc",
     .lang = "ar",
     .title = "\xd8\xa7\xd9\x84\xd9\x85\xd8\xb3\xd8\xa7\xd9\x87\xd9\x85\xd8\xa9",
     .text = "\xd8\xa7\xd8\xaa\xd9\x81\xd8\xa7\xd9\x82\xd9\x8a\xd8\xa9 UNFCCC"},
    {.id = "glacier-en",
     .lang = "en",
     .title = "Mountain protocol",
     .text = "Glaciers retreat: the glacier monitoring network measures every glacier."},
    {.id = "glacier-ru", .lang = "ru", .title = "Горный протокол", .text = "Текст протокола."},
    {.id = "en-car",
     .lang = "en",
     .title = "Mobility",
     .text = "Every automobile must be electric by 2035."},
};

static int setup(void **state)
{
    (void)state;
    if (fx_setup("translate") != 0)
        return -1;
    fx_path(dicts, sizeof dicts, "dicts");
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dicts);
    if (system(cmd) != 0)
        return -1;
    static const char *const eng_nld[] = {
        "dike /daik/\ndijk, waterkering\n",
        "flood /flud/\noverstroming, vloed, zondvloed\n",
        "forest /forist/\nbos, woud\n",
        "protection\nbescherming\n",
    };
    static const char *const eng_deu[] = {
        "dike\nDeich <masc>, Gesteinsgang <masc> [geol.]\n",
        "flood\nHochwasser <neut>, Flut <fem>\n",
    };
    fx_write_dictd(dicts, "eng-nld", NULL, eng_nld, 4);
    fx_write_dictd(dicts, "eng-deu", NULL, eng_deu, 2);
    fx_write_file(
        "t.rdf",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"\n"
        "         xmlns:skos=\"http://www.w3.org/2004/02/skos/core#\">\n"
        "<skos:Concept rdf:about=\"http://example.org/c/1\">\n"
        "  <skos:prefLabel xml:lang=\"en\">flood protection</skos:prefLabel>\n"
        "  <skos:prefLabel xml:lang=\"nl\">bescherming tegen overstromingen</skos:prefLabel>\n"
        "  <skos:prefLabel xml:lang=\"de\">Hochwasserschutz</skos:prefLabel>\n"
        "</skos:Concept>\n"
        "</rdf:RDF>\n",
        thesaurus, sizeof thesaurus);
    fx_write_file("syn.txt", "# cars\nen: car, automobile\n", synonyms, sizeof synonyms);
    fx_index("t.db", docs, sizeof docs / sizeof docs[0], db, sizeof db);
    acc_writer *w = NULL;
    acc_error err;
    assert_int_equal(acc_writer_open(db, &w, &err), ACC_OK);
    const char *th[] = {thesaurus};
    acc_lexicon_opts o = {dicts, th, 1, synonyms, 0, 2, NULL};
    acc_lexicon_report rep;
    assert_int_equal(acc_lexicon_build(w, &o, &rep, &err), ACC_OK);
    assert_int_equal(acc_writer_commit(w, &err), ACC_OK);
    acc_writer_close(w);
    assert_true(rep.entries > 0);
    assert_true(rep.dropped > 0); /* vloed, woud, Gesteinsgang... are in no document */
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return fx_teardown();
}

static acc_results *search(acc_index *x, const char *text, const char *lang, int expand)
{
    acc_query q;
    acc_results *r = NULL;
    acc_error err;
    acc_query_init(&q);
    q.text = text;
    q.text_len = strlen(text);
    q.expand = expand;
    q.limit = 20;
    if (lang)
        assert_int_equal(acc_query_set_lang(&q, lang, &err), ACC_OK);
    assert_int_equal(acc_index_search(x, &q, &r, &err), ACC_OK);
    return r;
}

static long rank_of(const acc_results *r, const char *id)
{
    for (size_t i = 0; i < r->nhits; i++)
        if (strcmp(r->hits[i].id, id) == 0)
            return (long)i;
    return -1;
}

static acc_index *open_db(void)
{
    acc_index *x = NULL;
    acc_error err;
    assert_int_equal(acc_index_open(db, &x, &err), ACC_OK);
    return x;
}

static void guesses_the_query_language(void **state)
{
    (void)state;
    acc_index *x = open_db();
    char l[ACC_LANG_MAX];
    acc_error err;
    assert_int_equal(acc_query_lang_guess(x, "the dike", 8, l, &err), ACC_OK);
    assert_string_equal(l, "en");
    assert_int_equal(acc_query_lang_guess(x, "waterkering waterschap", 22, l, &err), ACC_OK);
    assert_string_equal(l, "nl");
    assert_int_equal(acc_query_lang_guess(x, "deich", 5, l, &err), ACC_OK);
    assert_string_equal(l, "de");
    const char *zh = "\xe6\xb0\x94\xe5\x80\x99"; /* 气候 */
    assert_int_equal(acc_query_lang_guess(x, zh, strlen(zh), l, &err), ACC_OK);
    assert_string_equal(l, "zh");
    /* every Arabic document has the Latin acronym, few English ones: a
       query in Latin letters is not Arabic */
    assert_int_equal(acc_query_lang_guess(x, "unfccc", 6, l, &err), ACC_OK);
    assert_string_not_equal(l, "ar");
    assert_int_equal(acc_query_lang_guess(x, "qqqzzz", 6, l, &err), ACC_OK);
    assert_string_equal(l, "");
    acc_index_close(x);
}

/* The query the English text makes in lang, described into d (NUL-terminated). */
static void described(acc_index *x, const char *text, const char *lang, acc_buf *d)
{
    acc_xlat *t = NULL;
    acc_error err;
    assert_int_equal(acc_xlat_new(x, "en", text, strlen(text), &t, &err), ACC_OK);
    acc_xap_query *q = acc_xlat_query(t, lang, ACC_XAP_AND);
    assert_non_null(q);
    acc_buf_reset(d);
    acc_xap_query_describe(q, d);
    acc_buf_putc(d, '\0');
    acc_xap_query_free(q);
    acc_xlat_free(t);
}

static void groups_translations_as_synonyms(void **state)
{
    (void)state;
    acc_index *x = open_db();
    acc_xlat *t = NULL;
    acc_error err;
    acc_buf d;
    acc_buf_init(&d, 0);
    assert_int_equal(acc_xlat_new(x, "en", "the dike", 8, &t, &err), ACC_OK);
    acc_xap_query *q = acc_xlat_query(t, "nl", ACC_XAP_AND);
    assert_non_null(q);
    acc_xap_query_describe(q, &d);
    acc_buf_putc(&d, '\0');
    /* one group: the word itself and its Dutch translation that Dutch
       documents have (waterkering, not dijk), stemmed as Dutch; "the" left out */
    assert_non_null(strstr(d.p, "SYNONYM"));
    assert_non_null(strstr(d.p, "Znl:dik"));
    assert_non_null(strstr(d.p, "Znl:waterker"));
    assert_null(strstr(d.p, "dijk"));
    assert_null(strstr(d.p, "the"));
    acc_xap_query_free(q);
    /* no translation of "dike" into Italian: nothing for it */
    assert_null(acc_xlat_query(t, "it", ACC_XAP_AND));
    acc_xlat_free(t);
    /* a phrase of the thesaurus is found before its words */
    described(x, "flood protection", "de", &d);
    assert_non_null(strstr(d.p, "Zde:hochwasserschutz"));
    acc_buf_release(&d);
    acc_index_close(x);
}

/* The queries "the dike" and "flood protection" make in Dutch and German, described. */
static void describe_translations(acc_buf *out)
{
    static const struct {
        const char *text, *lang;
    } qs[] = {{"the dike", "nl"}, {"flood protection", "de"}};
    acc_index *x = open_db();
    acc_error err;
    acc_buf_reset(out);
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        acc_xlat *t = NULL;
        assert_int_equal(acc_xlat_new(x, "en", qs[i].text, strlen(qs[i].text), &t, &err), ACC_OK);
        acc_xap_query *q = acc_xlat_query(t, qs[i].lang, ACC_XAP_AND);
        assert_non_null(q);
        acc_xap_query_describe(q, out);
        acc_buf_putc(out, '\n');
        acc_xap_query_free(q);
        acc_xlat_free(t);
    }
    acc_buf_putc(out, '\0');
    acc_index_close(x);
}

typedef struct long_ctx {
    acc_buf keys, values; /* NUL-separated, in the long form */
    size_t n, short_forms;
} long_ctx;

/* A value of the table in the long form of the tables written before stop 24. */
static int to_long(void *ctx, const char *key, size_t klen, const char *v, size_t vn)
{
    long_ctx *l = ctx;
    if (klen == strlen(ACC_LEX_META_KEY) && memcmp(key, ACC_LEX_META_KEY, klen) == 0)
        return 0;
    acc_buf_append(&l->keys, key, klen);
    acc_buf_putc(&l->keys, '\0');
    for (const char *p = v, *end = v + vn; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *t1 = memchr(p, '\t', (size_t)(nl - p));
        const char *t2 = memchr(t1 + 1, '\t', (size_t)(nl - t1 - 1));
        const char *t3 = memchr(t2 + 1, '\t', (size_t)(nl - t2 - 1));
        acc_buf_append(&l->values, p, (size_t)(t2 + 1 - p));
        if (t3 - t2 == 2 && t2[1] == '=') {
            acc_buf_append(&l->values, t1 + 1, (size_t)(t2 - t1 - 1));
            l->short_forms++;
        } else if (t2[1] == '+') {
            acc_buf_printf(&l->values, "Z%.*s:%.*s", (int)(t1 - p), p, (int)(t3 - t2 - 2), t2 + 2);
            l->short_forms++;
        } else {
            acc_buf_append(&l->values, t2 + 1, (size_t)(t3 - t2 - 1));
        }
        acc_buf_append(&l->values, t3, (size_t)(nl + 1 - t3));
        p = nl + 1;
    }
    acc_buf_putc(&l->values, '\0');
    l->n++;
    return 0;
}

/* The store's keys of the bucketed table (lib/lextable.h), NUL-separated. */
static int on_bucket_key(void *ctx, const char *key, size_t klen, const char *v, size_t vn)
{
    (void)v;
    (void)vn;
    acc_buf_append(ctx, key, klen);
    acc_buf_putc(ctx, '\0');
    return 0;
}

/* Tables are written in buckets with short terms ("=", "+stem"); a table of one key per entry
   in the long form (an index written before stop 24) gives the same queries. */
static void reads_short_and_long_tables(void **state)
{
    (void)state;
    acc_buf before, after;
    acc_buf_init(&before, 0);
    acc_buf_init(&after, 0);
    describe_translations(&before);
    assert_non_null(strstr(before.p, "Znl:waterker"));
    assert_non_null(strstr(before.p, "Zde:hochwasserschutz"));
    acc_xap_wdb *w = NULL;
    acc_error err;
    long_ctx l;
    memset(&l, 0, sizeof l);
    acc_buf_init(&l.keys, 0);
    acc_buf_init(&l.values, 0);
    assert_int_equal(acc_xap_wdb_open(db, &w, &err), ACC_OK);
    assert_int_equal(acc_lex_each(w, to_long, &l, &err), ACC_OK);
    assert_true(l.n > 0 && l.short_forms > 0);
    /* the buckets, their header and dictionary deleted */
    acc_buf gone;
    acc_buf_init(&gone, 0);
    assert_int_equal(acc_xap_wdb_meta_each(w, ACC_LEX_BUCKET_PREFIX, strlen(ACC_LEX_BUCKET_PREFIX),
                                           on_bucket_key, &gone, &err),
                     ACC_OK);
    assert_true(gone.n > 0);
    for (const char *g = gone.p; g < gone.p + gone.n; g += strlen(g) + 1)
        assert_int_equal(acc_xap_wdb_set_meta(w, g, "", &err), ACC_OK);
    acc_buf_release(&gone);
    assert_int_equal(acc_xap_wdb_set_meta(w, ACC_LEX_BUCKETS_KEY, "", &err), ACC_OK);
    assert_int_equal(acc_xap_wdb_set_meta(w, ACC_LEX_DICT_KEY, "", &err), ACC_OK);
    const char *k = l.keys.p, *v = l.values.p;
    for (size_t i = 0; i < l.n; i++) {
        assert_int_equal(acc_xap_wdb_set_meta(w, k, v, &err), ACC_OK);
        k += strlen(k) + 1;
        v += strlen(v) + 1;
    }
    assert_int_equal(acc_xap_wdb_commit(w, &err), ACC_OK);
    acc_xap_wdb_close(w);
    describe_translations(&after);
    assert_string_equal(before.p, after.p);
    acc_buf_release(&l.keys);
    acc_buf_release(&l.values);
    acc_buf_release(&before);
    acc_buf_release(&after);
}

/* The hash of every entry of the table of index path, in the order acc_lex_each gives them. */
static int on_digest(void *ctx, const char *k, size_t kn, const char *v, size_t vn)
{
    uint64_t *h = ctx;
    *h = acc_fnv1a(k, kn, *h) * 31 + acc_fnv1a(v, vn, ACC_FNV_INIT);
    return 0;
}

/* Builds the table of index path from dictionary folder dir with `threads` readers. */
static void build_cached(const char *path, const char *dir, unsigned threads, const char *cache,
                         acc_lexicon_report *rep, uint64_t *digest)
{
    acc_writer *w = NULL;
    acc_xap_wdb *x = NULL;
    acc_error err;
    acc_lexicon_opts o = {dir, NULL, 0, NULL, 0, threads, cache};
    assert_int_equal(acc_writer_open(path, &w, &err), ACC_OK);
    assert_int_equal(acc_lexicon_build(w, &o, rep, &err), ACC_OK);
    assert_int_equal(acc_writer_commit(w, &err), ACC_OK);
    acc_writer_close(w);
    *digest = ACC_FNV_INIT;
    assert_int_equal(acc_xap_wdb_open(path, &x, &err), ACC_OK);
    assert_int_equal(acc_lex_each(x, on_digest, digest, &err), ACC_OK);
    acc_xap_wdb_close(x);
}

static void build_with(const char *path, const char *dir, unsigned threads, acc_lexicon_report *rep,
                       uint64_t *digest)
{
    build_cached(path, dir, threads, NULL, rep, digest);
}

/*
 * Dictionaries read by several threads give the table one thread gives: the same entries, the
 * same candidates in the same order (the first dictionary's display of a translation two
 * dictionaries share), the same pivots and counts; written again, nothing changes.
 */
/* Six dictionaries between English, Dutch and German into folder `name` (its path into dir). */
static void many_dicts(const char *name, char *dir, size_t cap)
{
    char cmd[1200];
    fx_path(dir, cap, name);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    assert_int_equal(system(cmd), 0);
    static const char *const eng_nld[] = {"dike\ndijk, waterkering\n",
                                          "flood\nvloed, overstroming\n", "water\nwater\n",
                                          "protection\nbescherming\n"};
    static const char *const nld_eng[] = {"waterkering\nflood barrier, dike\n",
                                          "overstroming\nflood, flooding\n",
                                          "bos\nforest, wood\n",
                                          "land\nland, country\n",
                                          "dijk\ndike, dyke\n",
                                          "water\nwater\n"};
    static const char *const eng_deu[] = {"dike\nDeich, Damm\n", "flood\nHochwasser, Flut\n",
                                          "land\nLand\n", "forest\nWald, Forst\n"};
    static const char *const deu_eng[] = {"Deich\ndike, levee\n", "Hochwasser\nflood\n",
                                          "Wald\nforest, woods\n", "Land\nland, country\n",
                                          "Schutz\nprotection\n"};
    static const char *const nld_deu[] = {"waterkering\nDeich\n", "bos\nWald\n",
                                          "overstroming\nHochwasser, Überschwemmung\n"};
    static const char *const deu_nld[] = {"Deich\ndijk, waterkering\n", "Wald\nbos, woud\n"};
    fx_write_dictd(dir, "eng-nld", NULL, eng_nld, 4);
    fx_write_dictd(dir, "nld-eng", NULL, nld_eng, 6);
    fx_write_dictd(dir, "eng-deu", NULL, eng_deu, 4);
    fx_write_dictd(dir, "deu-eng", NULL, deu_eng, 5);
    fx_write_dictd(dir, "nld-deu", NULL, nld_deu, 3);
    fx_write_dictd(dir, "deu-nld", NULL, deu_nld, 2);
}

static void parallel_reading_gives_the_same_table(void **state)
{
    (void)state;
    char dir[1024], path[1024];
    many_dicts("dicts-many", dir, sizeof dir);
    fx_index("many.db", docs, sizeof docs / sizeof docs[0], path, sizeof path);
    acc_lexicon_report one, many, again;
    uint64_t d1, d4, d2;
    build_with(path, dir, 1, &one, &d1);
    assert_true(one.entries > 0 && one.pairs == 6);
    build_with(path, dir, 4, &many, &d4);
    assert_true(d1 == d4);
    assert_int_equal(many.written, 0);
    assert_int_equal(many.entries, one.entries);
    assert_int_equal(many.translations, one.translations);
    assert_int_equal(many.dropped, one.dropped);
    assert_int_equal(many.pairs, one.pairs);
    assert_string_equal(many.sources, one.sources);
    build_with(path, dir, 2, &again, &d2);
    assert_true(d2 == d1);
    assert_int_equal(again.written, 0);
}

/* The names of the cache files in dir, sorted, into names[0..*n) (at most 16). */
static void cache_files(const char *dir, char names[16][1400], size_t *n)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    *n = 0;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        if (strstr(e->d_name, ".cache") && *n < 16)
            snprintf(names[(*n)++], 1400, "%s/%s", dir, e->d_name);
    closedir(d);
    qsort(names, *n, sizeof names[0], (int (*)(const void *, const void *))strcmp);
}

/* Asserts that report r and digest d are those of the table built without the cache. */
static void same_table(const acc_lexicon_report *r, uint64_t d, const acc_lexicon_report *o,
                       uint64_t od)
{
    assert_true(d == od);
    assert_int_equal(r->entries, o->entries);
    assert_int_equal(r->translations, o->translations);
    assert_int_equal(r->dropped, o->dropped);
    assert_int_equal(r->pairs, o->pairs);
    assert_string_equal(r->sources, o->sources);
}

/* Replaces file path's contents by its first `keep` bytes, then `extra[0..n)`. */
static void rewrite(const char *path, size_t keep, const void *extra, size_t n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    size_t got = fread(buf, 1, 1 << 20, f);
    fclose(f);
    assert_true(keep <= got);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, keep, f), keep);
    if (n)
        assert_int_equal(fwrite(extra, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    free(buf);
}

/* The length of cache file path's text header (up to its blank line). */
static size_t header_len(const char *path)
{
    char buf[8192];
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t got = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[got] = '\0';
    char *end = strstr(buf, "\n\n");
    assert_non_null(end);
    return (size_t)(end + 2 - buf);
}

/*
 * The dictionaries prepared in the cache give the table read from them gives, for any index:
 * made on the first build (in a folder made then), used on the next; a cache file that is
 * damaged (bytes changed, cut short, records that do not parse though their checksum is
 * right) or that a changed dictionary makes stale is not used, and is made again.
 */
static void cached_dictionaries_give_the_same_table(void **state)
{
    (void)state;
    char dir[1024], path[1024], cache[1100], cmd[2400], names[16][1400];
    size_t n;
    many_dicts("dicts-cached", dir, sizeof dir);
    fx_path(cache, sizeof cache, "lexcache");
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", cache);
    assert_int_equal(system(cmd), 0);
    strcat(cache, "/made/on/first/use");
    fx_index("cached.db", docs, sizeof docs / sizeof docs[0], path, sizeof path);
    acc_lexicon_report plain, r;
    uint64_t dp, d;
    build_with(path, dir, 1, &plain, &dp);
    assert_true(plain.pairs == 6 && plain.entries > 0 && plain.dropped > 0);
    assert_int_equal(plain.cached, 0);

    build_cached(path, dir, 2, cache, &r, &d);
    same_table(&r, d, &plain, dp);
    assert_int_equal(r.cached, 0);
    cache_files(cache, names, &n);
    assert_int_equal(n, 6);

    build_cached(path, dir, 1, cache, &r, &d);
    same_table(&r, d, &plain, dp);
    assert_int_equal(r.cached, 6);

    /* damaged: a byte of the frame changed, cut short, a header changed, records that do not
       parse in a right frame */
    size_t h = header_len(names[0]);
    FILE *f = fopen(names[0], "r+b");
    assert_non_null(f);
    fseek(f, (long)h + 12, SEEK_SET);
    int c = fgetc(f);
    fseek(f, (long)h + 12, SEEK_SET);
    fputc(c ^ 0x21, f);
    fclose(f);
    rewrite(names[1], header_len(names[1]) + 5, NULL, 0);
    rewrite(names[2], 0, "accord dictionary cache 0\n\n", 27);
    static const char junk[] = "\x02\x05zzz";
    char frame[256];
    size_t zn = ZSTD_compress(frame, sizeof frame, junk, sizeof junk - 1, 1);
    assert_false(ZSTD_isError(zn));
    rewrite(names[3], header_len(names[3]), frame, zn);
    build_cached(path, dir, 2, cache, &r, &d);
    same_table(&r, d, &plain, dp);
    assert_int_equal(r.cached, 2);
    /* made again */
    build_cached(path, dir, 2, cache, &r, &d);
    same_table(&r, d, &plain, dp);
    assert_int_equal(r.cached, 6);

    /* a dictionary changed: its old preparation is not used */
    static const char *const eng_nld2[] = {"dike\ndijk\n", "forest\nbos\n"};
    fx_write_dictd(dir, "eng-nld", NULL, eng_nld2, 2);
    build_with(path, dir, 1, &plain, &dp);
    build_cached(path, dir, 2, cache, &r, &d);
    same_table(&r, d, &plain, dp);
    assert_int_equal(r.cached, 5);
    cache_files(cache, names, &n);
    assert_int_equal(n, 6);
}

static void english_query_reaches_dutch_document(void **state)
{
    (void)state;
    acc_index *x = open_db();
    acc_results *r = search(x, "dike", NULL, 1);
    long en = rank_of(r, "en-dike"), nl = rank_of(r, "nl-water"), de = rank_of(r, "de-water");
    assert_true(en == 0);
    assert_true(nl > en);
    assert_true(de > en);
    assert_string_equal(r->query_lang, "en");
    int seen = 0;
    for (size_t i = 0; i < r->ntranslations; i++)
        if (strcmp(r->translations[i].lang, "nl") == 0)
            for (size_t k = 0; k < r->translations[i].n; k++)
                seen |= strcmp(r->translations[i].words[k], "waterkering") == 0;
    assert_true(seen);
    char *json = acc_results_json(r, 0);
    assert_non_null(strstr(json, "\"translations\""));
    free(json);
    acc_results_free(r);
    /* restricted to Dutch, as the mate benchmark asks */
    r = search(x, "dike", "nl", 1);
    assert_true(r->nhits >= 1);
    assert_string_equal(r->hits[0].id, "nl-water");
    acc_results_free(r);
    /* expand=0: no translation */
    r = search(x, "dike", "nl", 0);
    assert_int_equal(rank_of(r, "nl-water"), -1);
    assert_int_equal(r->ntranslations, 0);
    acc_results_free(r);
    acc_index_close(x);
}

static void synonyms_from_a_file(void **state)
{
    (void)state;
    acc_index *x = open_db();
    acc_results *r = search(x, "car", NULL, 1);
    assert_true(rank_of(r, "en-car") >= 0);
    acc_results_free(r);
    r = search(x, "car", NULL, 0);
    assert_int_equal(rank_of(r, "en-car"), -1);
    acc_results_free(r);
    acc_index_close(x);
}

static void known_item_first(void **state)
{
    (void)state;
    acc_index *x = open_db();
    /* en-cites says "Paris Agreement" five times; en-paris is titled so */
    acc_results *r = search(x, "Paris Agreement", NULL, 1);
    assert_true(r->nhits >= 2);
    assert_string_equal(r->hits[0].id, "en-paris");
    acc_results_free(r);
    /* an id typed as the query: that document first, even with no word of it */
    acc_query iq;
    acc_error ierr;
    acc_query_init(&iq);
    iq.text = "en-car";
    iq.text_len = strlen(iq.text);
    iq.explain = 1;
    assert_int_equal(acc_index_search(x, &iq, &r, &ierr), ACC_OK);
    assert_true(r->nhits >= 1);
    assert_string_equal(r->hits[0].id, "en-car");
    assert_string_equal(r->hits[0].explain, "the id typed");
    acc_results_free(r);
    /* an acronym as people cite the agreement: the initials of its title,
       though its text never says UNFCCC, before a text that says it thrice */
    r = search(x, "UNFCCC", NULL, 1);
    assert_true(r->nhits >= 2);
    assert_string_equal(r->hits[0].id, "convention");
    assert_true(rank_of(r, "cites-it") > 0);
    acc_results_free(r);
    acc_index_close(x);
}

static void accented_spelling_first(void **state)
{
    (void)state;
    acc_index *x = open_db();
    acc_results *r = search(x, "Größe", NULL, 1);
    assert_true(r->nhits >= 2);
    assert_string_equal(r->hits[0].id, "de-gross2");
    assert_true(rank_of(r, "de-gross1") > 0);
    acc_results_free(r);
    /* typed without accents: both, the folded twin not pushed down */
    r = search(x, "grosse", NULL, 1);
    assert_true(rank_of(r, "de-gross1") >= 0 && rank_of(r, "de-gross2") >= 0);
    acc_results_free(r);
    acc_index_close(x);
}

static void passage_in_another_language(void **state)
{
    (void)state;
    acc_index *x = open_db();
    /* the English line of the Dutch treaty is read as English: its stems and
       the English reading of a query find it, weighed by English statistics */
    acc_query q;
    acc_results *r = NULL;
    acc_error err;
    acc_query_init(&q);
    q.text = "ballast sediments";
    q.text_len = strlen(q.text);
    q.expand = 0;
    q.explain = 1;
    assert_int_equal(acc_index_search(x, &q, &r, &err), ACC_OK);
    assert_int_equal(rank_of(r, "nl-bilingual"), 0);
    assert_non_null(strstr(r->hits[0].explain, "Zen:sediment"));
    acc_results_free(r);
    /* restricted to English documents, it is not one */
    r = search(x, "ballast sediments", "en", 0);
    assert_int_equal(rank_of(r, "nl-bilingual"), -1);
    acc_results_free(r);
    /* a negation is read in the document's language only */
    r = search(x, "verdrag -ballast", NULL, 0);
    assert_int_equal(rank_of(r, "nl-bilingual"), -1);
    acc_results_free(r);
    acc_index_close(x);
}

static void versions_follow_their_hit(void **state)
{
    (void)state;
    acc_index *x = open_db();
    acc_query q;
    acc_results *r = NULL;
    acc_error err;
    acc_query_init(&q);
    q.text = "glacier";
    q.text_len = strlen(q.text);
    q.explain = 1;
    assert_int_equal(acc_index_search(x, &q, &r, &err), ACC_OK);
    /* the Russian text has no word of the query: it comes as the version of
       the English one (ids that differ by their language code) */
    assert_true(r->nhits >= 2);
    assert_string_equal(r->hits[0].id, "glacier-en");
    assert_string_equal(r->hits[1].id, "glacier-ru");
    assert_string_equal(r->hits[1].explain, "version of glacier-en");
    /* the total counts the matches: the version is shown, not counted */
    assert_int_equal(r->total, 1);
    acc_results_free(r);
    /* no versions when a language is asked for, or with expand off */
    q.expand = 0;
    assert_int_equal(acc_index_search(x, &q, &r, &err), ACC_OK);
    assert_int_equal(rank_of(r, "glacier-ru"), -1);
    acc_results_free(r);
    acc_index_close(x);
}

static void malformed_dictionary(void **state)
{
    (void)state;
    char bad[1024], path[4096], copy[1024], cache[1024];
    fx_path(bad, sizeof bad, "bad");
    /* through the cache (an error is an error, and nothing is kept) */
    fx_path(cache, sizeof cache, "bad-cache");
    snprintf(path, sizeof path,
             "mkdir -p '%s' && printf 'dike\\t!!!\\tB\\n' > '%s/freedict-eng-nld.index'"
             " && printf 'not gzip' > '%s/freedict-eng-nld.dict.dz'",
             bad, bad, bad);
    assert_int_equal(system(path), 0);
    fx_index("bad.db", docs, sizeof docs / sizeof docs[0], copy, sizeof copy);
    acc_writer *w = NULL;
    acc_error err;
    assert_int_equal(acc_writer_open(copy, &w, &err), ACC_OK);
    acc_lexicon_opts o = {bad, NULL, 0, NULL, 0, 0, cache};
    acc_lexicon_report rep;
    assert_int_not_equal(acc_lexicon_build(w, &o, &rep, &err), ACC_OK);
    assert_non_null(strstr(err.msg, "freedict-eng-nld"));
    acc_writer_close(w);
    struct stat sb;
    assert_int_not_equal(stat(cache, &sb), 0);
    /* the index is still there and searchable, without translations */
    acc_index *x = NULL;
    assert_int_equal(acc_index_open(copy, &x, &err), ACC_OK);
    acc_query q;
    acc_results *r = NULL;
    acc_query_init(&q);
    q.text = "dike";
    q.text_len = 4;
    assert_int_equal(acc_index_search(x, &q, &r, &err), ACC_OK);
    assert_string_equal(r->hits[0].id, "en-dike");
    assert_int_equal(rank_of(r, "nl-water"), -1);
    acc_results_free(r);
    acc_index_close(x);
}

/* The phrase translations the table keeps: those some document has, not far rarer than the
   best translation of their word (lib/lexphrase.c), German ones spelt as German documents are
   indexed (the e of a digraph dropped: erneuerbare -> erneurbare). */
static void keeps_the_phrases_the_documents_have(void **state)
{
    (void)state;
    enum { NCOMMON = 21 };
    fx_doc pd[NCOMMON + 3];
    char ids[NCOMMON][16];
    for (int i = 0; i < NCOMMON; i++) {
        snprintf(ids[i], sizeof ids[i], "nl-%d", i);
        pd[i] =
            (fx_doc){.id = ids[i],
                     .lang = "nl",
                     .title = "Rivier",
                     .text = "Het schoon water van de rivier is helder en het water is schoon."};
    }
    pd[NCOMMON] = (fx_doc){
        .id = "nl-helder", .lang = "nl", .title = "Meer", .text = "Helder water in het meer."};
    pd[NCOMMON + 1] = (fx_doc){.id = "de-sonne",
                               .lang = "de",
                               .title = "Sonne",
                               .text = "Die erneuerbare Energie der Sonne und des Windes."};
    pd[NCOMMON + 2] = (fx_doc){.id = "en-sun",
                               .lang = "en",
                               .title = "Sun",
                               .text = "Renewable energy from the sun and the wind."};
    char dir[1024], path[1024], cmd[1200];
    fx_path(dir, sizeof dir, "pdicts");
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    assert_int_equal(system(cmd), 0);
    static const char *const nl_heads[] = {"clean water"};
    /* the dropped ones first: each is judged against the whole entry, the best one included */
    static const char *const nl[] = {"clean water\nhelder water, water schoon, schoon water\n"};
    static const char *const de_heads[] = {"renewable energy"};
    static const char *const de[] = {"renewable energy\nerneuerbare Energie\n"};
    fx_write_dictd(dir, "eng-nld", nl_heads, nl, 1);
    fx_write_dictd(dir, "eng-deu", de_heads, de, 1);
    fx_index("p.db", pd, sizeof pd / sizeof pd[0], path, sizeof path);
    acc_writer *w = NULL;
    acc_error err;
    assert_int_equal(acc_writer_open(path, &w, &err), ACC_OK);
    acc_lexicon_opts o = {dir, NULL, 0, NULL, 0, 2, NULL};
    acc_lexicon_report rep;
    assert_int_equal(acc_lexicon_build(w, &o, &rep, &err), ACC_OK);
    assert_int_equal(acc_writer_commit(w, &err), ACC_OK);
    acc_writer_close(w);
    /* schoon water (21 documents), helder water (1), water schoon (none, though both words
       are in every Dutch document), erneurbare energie (1), and renewable energy (1: the
       German entry read backwards) */
    assert_int_equal(rep.phrases, 5);
    assert_int_equal(rep.absent, 1);
    assert_int_equal(rep.rare, 1);
    acc_index *x = NULL;
    assert_int_equal(acc_index_open(path, &x, &err), ACC_OK);
    acc_buf d;
    acc_buf_init(&d, 0);
    described(x, "clean water", "nl", &d);
    assert_non_null(strstr(d.p, "schoon PHRASE 2 water"));
    assert_null(strstr(d.p, "helder"));
    assert_null(strstr(d.p, "water PHRASE 2 schoon"));
    described(x, "renewable energy", "de", &d);
    assert_non_null(strstr(d.p, "erneurbare PHRASE 2 energie"));
    acc_buf_release(&d);
    /* the English query finds the German document through its phrase */
    acc_results *r = search(x, "renewable energy", NULL, 1);
    assert_true(rank_of(r, "de-sonne") >= 0);
    acc_results_free(r);
    acc_index_close(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(guesses_the_query_language),
        cmocka_unit_test(groups_translations_as_synonyms),
        cmocka_unit_test(reads_short_and_long_tables),
        cmocka_unit_test(parallel_reading_gives_the_same_table),
        cmocka_unit_test(cached_dictionaries_give_the_same_table),
        cmocka_unit_test(english_query_reaches_dutch_document),
        cmocka_unit_test(synonyms_from_a_file),
        cmocka_unit_test(known_item_first),
        cmocka_unit_test(accented_spelling_first),
        cmocka_unit_test(passage_in_another_language),
        cmocka_unit_test(versions_follow_their_hit),
        cmocka_unit_test(malformed_dictionary),
        cmocka_unit_test(keeps_the_phrases_the_documents_have),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
