/*
 * lib/dictd.c on dictionaries written by the test (dictd's .index with base64
 * numbers, a gzip .dict.dz): an entry's translations come clean (senses,
 * grammar tags, notes and see/Synonyms lines out; domains kept apart; forms
 * with a slash or an abbreviation dropped), each short example is an entry of
 * its own, invalid UTF-8 is never passed on, and a malformed index line, an
 * entry past the end, a text that is not gzip and a missing file are clear
 * errors. Then one real FreeDict dictionary when Debian's package is there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "dictd.h"
#include "fixture.h"

static char dir[1024];

typedef struct seen {
    char text[8192];
} seen;

/* "head=t1|t2(dom);" for every entry, in order */
static int collect(void *ctx, const acc_dict_entry *e)
{
    seen *s = ctx;
    size_t at = strlen(s->text);
    at += (size_t)snprintf(s->text + at, sizeof s->text - at, "%s=", e->head);
    for (size_t i = 0; i < e->n; i++)
        at += (size_t)snprintf(s->text + at, sizeof s->text - at, "%s%s%s%s%s", i ? "|" : "",
                               e->trans[i], *e->domains[i] ? "(" : "", e->domains[i],
                               *e->domains[i] ? ")" : "");
    snprintf(s->text + at, sizeof s->text - at, ";");
    return 0;
}

static int setup(void **state)
{
    (void)state;
    if (fx_setup("dictd") != 0)
        return -1;
    fx_path(dir, sizeof dir, "");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return fx_teardown();
}

static void clean_translations(void **state)
{
    (void)state;
    static const char *const heads[] = {"00-database-info", "river", "flood", "dike", "bad", "tag"};
    static const char *const entries[] = {
        "This is the description of the dictionary.\n",
        "river /riv@r/\nrivier, stroom\n",
        "flood /fl^d/ <n>\nHochwasser <neut>, Flut <fem> [geogr.]; Flutstrom (auch Tide)\n"
        "      \"flood of record\"  - h\xc3\xb6"
        "chstes Hochwasser, Maximalhochwasser\n"
        "      \"The tide begins to flood.\"  - Die Flut kommt.\n"
        "   Synonyms: {flow}, {flood tide}\n\n see: {floods}\n",
        "dike\n1. dijk\n2. waterkering, jdn. etw. eindijken, dijk/dam\n         Note: der Gang\n",
        "bad\nok, \xff\xfe broken\n",
        /* a domain tag of broken bytes (fuzz_dict): handed on as valid UTF-8 */
        "tag\nEtikett [oc\x9f\xc3h.]\n",
    };
    fx_write_dictd(dir, "eng-tst", heads, entries, 6);
    seen s = {{0}};
    acc_error err;
    assert_int_equal(acc_dictd_read_pair(dir, "eng", "tst", collect, &s, &err), ACC_OK);
    assert_string_equal(s.text, "river=rivier|stroom;"
                                "flood of record=h\xc3\xb6"
                                "chstes Hochwasser|Maximalhochwasser;"
                                "flood=Hochwasser|Flut([geogr.])|Flutstrom;"
                                "dike=dijk|waterkering;"
                                "bad=ok;"
                                "tag=Etikett([oc\xef\xbf\xbd\xef\xbf\xbdh.]);");
}

/*
 * FreeDict's deu-eng and eng-deu layout: the part of speech on the headword
 * line, domains that open a line (the whole line's), an abbreviation after
 * the tags, fragments with an ellipsis, affixes, quoted titles, symbols, and
 * a second index key (an abbreviation listed after the pronunciation) for
 * the same text.
 */
static void freedict_layout(void **state)
{
    (void)state;
    static const char *const heads[] = {"wichtung", "computed tomography", " and thats flat",
                                        "druk"};
    static const char *const entries[] = {
        "Wichtung /v\xcb\x88\xc9\xaa\xc3\xa7t\xca\x8a\xc5\x8b/ <fem, n, sg>\n"
        " [selten]  [statist.] weighting <n>, weight <n>\n"
        "         Note: in averaging\n   Synonym: {Gewichtung}\n\n see: {Wichtungen}\n",
        "computed tomography /k\xc9\x99m/ (CT /si\xcb\x90ti\xcb\x90/, ) (c.t. /x/)\n"
        "Computertomographie <fem> [med.] CT, Schichtaufnahme <fem>  [med.]\n",
        "\xe2\x80\xa6 and that's flat! /and/\n"
        "\xe2\x80\xa6 und damit basta!, \xe2\x80\xa6"
        "fanatiker, Smiley   :-), "
        "\xe2\x80\x9eKreiss\xc3\xa4ge\xe2\x80\x9c, 'Ein Titel', Ma%, Oort'sche Wolke\n",
        "druk /drYk/\n"
        "1. Druck\xe2\x80\x90, Pr\xc3\xa4ge\xe2\x80\x90, aan 'm, "
        "Wasser  und   Brot, (sich) freuen, Klammer)\n",
    };
    fx_write_dictd(dir, "deu-tst", heads, entries, 4);
    /* a second key, "ct", for the text of "computed tomography" (line 2) */
    char ix[2048];
    snprintf(ix, sizeof ix, "%s/freedict-deu-tst.index", dir);
    FILE *f = fopen(ix, "a");
    char off[16], len[16];
    size_t at = strlen(entries[0]);
    fx_b64(at, off);
    fx_b64(strlen(entries[1]), len);
    fprintf(f, "ct\t%s\t%s\n", off, len);
    fclose(f);
    seen s = {{0}};
    acc_error err;
    assert_int_equal(acc_dictd_read_pair(dir, "deu", "tst", collect, &s, &err), ACC_OK);
    assert_string_equal(s.text,
                        "Wichtung=weighting([selten] [statist.])|weight([selten] [statist.]);"
                        "computed tomography=Computertomographie([med.])|"
                        "Schichtaufnahme([med.]);"
                        /* "… and that's flat!" is no plain phrase: no entry */
                        /* affixes (Druck‐) out */
                        "druk=aan 'm|Wasser und Brot|freuen;"
                        "CT=Computertomographie([med.])|Schichtaufnahme([med.]);");
}

/*
 * The dictionaries made from Wiktionary (deu-fra, deu-spa, fra-deu): each
 * sense followed by its definition in the source language, senses without a
 * translation as bare numbers, the next number at the end of a line, two
 * pronunciations.
 */
static void wiktionary_layout(void **state)
{
    (void)state;
    static const char *const heads[] = {"fluss", "aachen"};
    static const char *const entries[] = {
        "Fluss /fl\xca\x8As/ <n, masc>\n"
        "1. fleuve, rivi\xc3\xa8re 2.\n"
        "gr\xc3\xb6\xc3\x9f"
        "eres, flie\xc3\x9f"
        "endes Gew\xc3\xa4sser\n"
        " 3.\n"
        "Energie\xc3\xbc"
        "bertragungsrate\n"
        "2. \xc3\xa9"
        "coulement\n"
        "stetiger Ablauf; das Flie\xc3\x9f"
        "en\n",
        "Aachen /a/ /b/ <pn>\nAix-la-Chapelle\nStadt in Nordrhein-Westfalen, Deutschland\n",
    };
    fx_write_dictd(dir, "deu-wik", heads, entries, 2);
    seen s = {{0}};
    acc_error err;
    assert_int_equal(acc_dictd_read_pair(dir, "deu", "wik", collect, &s, &err), ACC_OK);
    assert_string_equal(s.text, "Fluss=fleuve|rivi\xc3\xa8re|\xc3\xa9"
                                "coulement;"
                                "Aachen=Aix-la-Chapelle;");
}

static int stop_first(void *ctx, const acc_dict_entry *e)
{
    (*(int *)ctx)++;
    (void)e;
    return 1;
}

static void stops_when_asked(void **state)
{
    (void)state;
    int calls = 0;
    acc_error err;
    assert_int_equal(acc_dictd_read_pair(dir, "eng", "tst", stop_first, &calls, &err), ACC_OK);
    assert_int_equal(calls, 1);
}

static void malformed(void **state)
{
    (void)state;
    char ix[2048], dz[2048];
    seen s = {{0}};
    acc_error err;
    static const char *const heads[] = {"river"};
    static const char *const entries[] = {"river\nrivier\n"};
    fx_write_dictd(dir, "eng-bad", heads, entries, 1);
    snprintf(ix, sizeof ix, "%s/freedict-eng-bad.index", dir);
    snprintf(dz, sizeof dz, "%s/freedict-eng-bad.dict.dz", dir);
    /* a digit that is not base64 */
    FILE *f = fopen(ix, "w");
    fputs("river\tA\tN\nriver\t!!\tB\n", f);
    fclose(f);
    assert_int_equal(acc_dictd_read(ix, dz, collect, &s, &err), ACC_EINVAL);
    assert_non_null(strstr(err.msg, "freedict-eng-bad.index:2"));
    /* an entry past the end of the text */
    f = fopen(ix, "w");
    fputs("river\tA\tzzz\n", f);
    fclose(f);
    assert_int_equal(acc_dictd_read(ix, dz, collect, &s, &err), ACC_EINVAL);
    assert_non_null(strstr(err.msg, "past the end"));
    /* not 'headword TAB offset TAB length' */
    f = fopen(ix, "w");
    fputs("river A B\n", f);
    fclose(f);
    assert_int_equal(acc_dictd_read(ix, dz, collect, &s, &err), ACC_EINVAL);
    /* a text that is not gzip (zlib alone would read it as it is) */
    f = fopen(dz, "w");
    fputs("river\nrivier\n", f);
    fclose(f);
    f = fopen(ix, "w");
    fputs("river\tA\tN\n", f);
    fclose(f);
    assert_int_equal(acc_dictd_read(ix, dz, collect, &s, &err), ACC_EIO);
    assert_non_null(strstr(err.msg, "freedict-eng-bad.dict.dz' is not a gzip"));
    /* a truncated gzip file (zlib alone would stop quietly at its end) */
    gzFile g = gzopen(dz, "wb");
    for (int i = 0; i < 2000; i++)
        gzprintf(g, "river %d\nrivier\n", i);
    gzclose(g);
    assert_int_equal(truncate(dz, 600), 0);
    assert_int_equal(acc_dictd_read(ix, dz, collect, &s, &err), ACC_EIO);
    assert_non_null(strstr(err.msg, "truncated"));
    /* an empty text */
    f = fopen(dz, "w");
    fclose(f);
    assert_int_equal(acc_dictd_read(ix, dz, collect, &s, &err), ACC_EIO);
    /* a length that is not base64, on line 1 */
    fx_write_dictd(dir, "eng-bad", heads, entries, 1);
    f = fopen(ix, "w");
    fputs("river\tA\tN-\n", f);
    fclose(f);
    assert_int_equal(acc_dictd_read(ix, dz, collect, &s, &err), ACC_EINVAL);
    assert_non_null(strstr(err.msg, "freedict-eng-bad.index:1"));
    /* a missing text */
    assert_int_equal(unlink(dz), 0);
    assert_int_equal(acc_dictd_read(ix, dz, collect, &s, &err), ACC_ENOTFOUND);
    assert_non_null(strstr(err.msg, "freedict-eng-bad.dict.dz"));
    /* missing files */
    assert_int_equal(acc_dictd_read_pair(dir, "eng", "none", collect, &s, &err), ACC_ENOTFOUND);
    assert_non_null(strstr(err.msg, "eng-none"));
}

static int find_river(void *ctx, const acc_dict_entry *e)
{
    /* every translation of the real dictionary is clean */
    for (size_t i = 0; i < e->n; i++)
        assert_null(strpbrk(e->trans[i], "<>[](){}/0123456789.:;,\"\t\n"));
    if (strcmp(e->head, "river") != 0)
        return 0;
    for (size_t i = 0; i < e->n; i++)
        if (strcmp(e->trans[i], "rivier") == 0)
            *(int *)ctx = 1;
    return 0;
}

static void real_freedict(void **state)
{
    (void)state;
    const char *d = "/usr/share/dictd";
    if (access("/usr/share/dictd/freedict-eng-nld.index", R_OK) != 0) {
        fail_msg("dict-freedict-eng-nld is not installed: scripts/install-deps.sh installs it");
    }
    int found = 0;
    acc_error err;
    assert_int_equal(acc_dictd_read_pair(d, "eng", "nld", find_river, &found, &err), ACC_OK);
    assert_true(found);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clean_translations), cmocka_unit_test(freedict_layout),
        cmocka_unit_test(wiktionary_layout),  cmocka_unit_test(stops_when_asked),
        cmocka_unit_test(malformed),          cmocka_unit_test(real_freedict),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
