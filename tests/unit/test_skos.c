/*
 * lib/skos.c: two SKOS files merged by concept URI (labels of both, pref and
 * alt told apart, concepts in the order first met), a file that is not
 * well-formed XML, an XML file without concepts and a missing file are clear
 * errors naming the file; then GEMET's English and Dutch files when
 * ../shared/thesaurus is beside the repository.
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

#include "fixture.h"
#include "skos.h"

#define HEAD                                                                                       \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                                 \
    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"\n"                         \
    "         xmlns:skos=\"http://www.w3.org/2004/02/skos/core#\">\n"

static int setup(void **state)
{
    (void)state;
    return fx_setup("skos");
}

static int teardown(void **state)
{
    (void)state;
    return fx_teardown();
}

typedef struct seen {
    char text[4096];
    unsigned long concepts;
    size_t langs_en, langs_nl;
} seen;

static int collect(void *ctx, const char *uri, const acc_skos_label *l, size_t n)
{
    seen *s = ctx;
    size_t at = strlen(s->text);
    s->concepts++;
    if (at + 512 > sizeof s->text)
        return 0;
    at += (size_t)snprintf(s->text + at, sizeof s->text - at, "%s:", uri);
    for (size_t i = 0; i < n; i++)
        at += (size_t)snprintf(s->text + at, sizeof s->text - at, " %s%s=%s", l[i].pref ? "" : "~",
                               l[i].lang, l[i].text);
    snprintf(s->text + at, sizeof s->text - at, ";");
    return 0;
}

static void merges_by_uri(void **state)
{
    (void)state;
    char en[1024], nl[1024];
    fx_write_file("en.rdf",
                  HEAD "<skos:ConceptScheme rdf:about=\"http://x/scheme\"/>\n"
                       "<skos:Concept rdf:about=\"http://x/c/1\">\n"
                       "  <skos:prefLabel xml:lang=\"en\">flood protection</skos:prefLabel>\n"
                       "  <skos:altLabel xml:lang=\"en\">flood defence</skos:altLabel>\n"
                       "  <skos:broader rdf:resource=\"http://x/c/9\"/>\n"
                       "</skos:Concept>\n"
                       "<skos:Concept rdf:about=\"http://x/c/2\"/>\n"
                       "</rdf:RDF>\n",
                  en, sizeof en);
    fx_write_file("nl.rdf",
                  HEAD "<skos:Concept rdf:about=\"http://x/c/3\">\n"
                       "  <skos:prefLabel xml:lang=\"nl\">dijk</skos:prefLabel>\n"
                       "</skos:Concept>\n"
                       "<skos:Concept rdf:about=\"http://x/c/1\">\n"
                       "  <skos:prefLabel xml:lang=\"nl\">bescherming tegen overstromingen"
                       "</skos:prefLabel>\n"
                       "  <skos:scopeNote xml:lang=\"nl\">not a label</skos:scopeNote>\n"
                       "</skos:Concept>\n"
                       "</rdf:RDF>\n",
                  nl, sizeof nl);
    const char *paths[] = {en, nl};
    seen s = {{0}, 0, 0, 0};
    acc_error err;
    assert_int_equal(acc_skos_read(paths, 2, collect, &s, &err), ACC_OK);
    assert_string_equal(s.text, "http://x/c/1: en=flood protection ~en=flood defence "
                                "nl=bescherming tegen overstromingen;"
                                "http://x/c/3: nl=dijk;");
}

/*
 * Other shapes of SKOS in RDF/XML: an rdf:Description typed skos:Concept, a
 * concept described inside another's skos:narrower (labels go to the node
 * they belong to), hiddenLabel, xml:lang inherited from an ancestor, a label
 * without a language (left out) and a description that is no concept.
 */
static void other_shapes(void **state)
{
    (void)state;
    char path[1024];
    fx_write_file("shapes.rdf",
                  HEAD
                  "<rdf:Description rdf:about=\"http://x/d/1\">\n"
                  "  <rdf:type rdf:resource=\"http://www.w3.org/2004/02/skos/core#Concept\"/>\n"
                  "  <skos:prefLabel xml:lang=\"de\">Deich</skos:prefLabel>\n"
                  "  <skos:hiddenLabel xml:lang=\"de\">Teich</skos:hiddenLabel>\n"
                  "  <skos:altLabel>no language</skos:altLabel>\n"
                  "</rdf:Description>\n"
                  "<rdf:Description rdf:about=\"http://x/d/2\">\n"
                  "  <skos:prefLabel xml:lang=\"de\">kein Konzept</skos:prefLabel>\n"
                  "</rdf:Description>\n"
                  "<skos:Concept rdf:about=\"http://x/d/3\" xml:lang=\"fr\">\n"
                  "  <skos:prefLabel>eau</skos:prefLabel>\n"
                  "  <skos:narrower>\n"
                  "    <skos:Concept rdf:about=\"http://x/d/4\">\n"
                  "      <skos:prefLabel>eau douce</skos:prefLabel>\n"
                  "    </skos:Concept>\n"
                  "  </skos:narrower>\n"
                  "  <skos:altLabel>flotte</skos:altLabel>\n"
                  "</skos:Concept>\n"
                  "</rdf:RDF>\n",
                  path, sizeof path);
    const char *paths[] = {path};
    seen s = {{0}, 0, 0, 0};
    acc_error err;
    assert_int_equal(acc_skos_read(paths, 1, collect, &s, &err), ACC_OK);
    assert_string_equal(s.text, "http://x/d/1: de=Deich ~de=Teich;"
                                "http://x/d/3: fr=eau ~fr=flotte;"
                                "http://x/d/4: fr=eau douce;");
}

static int stop_first(void *ctx, const char *uri, const acc_skos_label *l, size_t n)
{
    (void)uri;
    (void)l;
    (void)n;
    (*(int *)ctx)++;
    return 1;
}

static void malformed(void **state)
{
    (void)state;
    char bad[1024], none[1024], good[1024];
    seen s = {{0}, 0, 0, 0};
    acc_error err;
    fx_write_file("bad.rdf",
                  HEAD "<skos:Concept rdf:about=\"http://x/c/1\">\n"
                       "  <skos:prefLabel xml:lang=\"en\">flood</skos:prefLabel>\n",
                  bad, sizeof bad);
    fx_write_file("none.xml", "<?xml version=\"1.0\"?><html><p>hello</p></html>\n", none,
                  sizeof none);
    fx_write_file("good.rdf",
                  HEAD "<skos:Concept rdf:about=\"http://x/c/1\"><skos:prefLabel xml:lang=\"en\">"
                       "flood</skos:prefLabel></skos:Concept></rdf:RDF>\n",
                  good, sizeof good);
    /* stopping after the first concept */
    int calls = 0;
    const char *p0[] = {good, good};
    assert_int_equal(acc_skos_read(p0, 2, stop_first, &calls, &err), ACC_OK);
    assert_int_equal(calls, 1);
    /* a truncated file, after a good one */
    const char *p1[] = {good, bad};
    assert_int_equal(acc_skos_read(p1, 2, collect, &s, &err), ACC_EINVAL);
    assert_non_null(strstr(err.msg, "bad.rdf"));
    assert_int_equal(s.concepts, 0); /* nothing reported before every file is read */
    const char *p2[] = {none};
    assert_int_equal(acc_skos_read(p2, 1, collect, &s, &err), ACC_EINVAL);
    assert_non_null(strstr(err.msg, "no SKOS concept"));
    /* an empty file and one that is no XML at all */
    fx_write_file("empty.rdf", "", bad, sizeof bad);
    const char *p4[] = {bad};
    assert_int_equal(acc_skos_read(p4, 1, collect, &s, &err), ACC_EINVAL);
    assert_non_null(strstr(err.msg, "empty.rdf"));
    fx_write_file("text.rdf", "river\trivier\n", bad, sizeof bad);
    assert_int_equal(acc_skos_read(p4, 1, collect, &s, &err), ACC_EINVAL);
    assert_non_null(strstr(err.msg, "text.rdf"));
    char missing[1024];
    fx_path(missing, sizeof missing, "missing.rdf");
    const char *p3[] = {missing};
    assert_int_equal(acc_skos_read(p3, 1, collect, &s, &err), ACC_EIO);
    assert_non_null(strstr(err.msg, "missing.rdf"));
}

static int count_langs(void *ctx, const char *uri, const acc_skos_label *l, size_t n)
{
    seen *s = ctx;
    (void)uri;
    s->concepts++;
    for (size_t i = 0; i < n; i++) {
        s->langs_en += strcmp(l[i].lang, "en") == 0;
        s->langs_nl += strcmp(l[i].lang, "nl") == 0;
    }
    return 0;
}

static void real_gemet(void **state)
{
    (void)state;
    const char *en = ACC_TEST_GEMET "/gemet-en.rdf", *nl = ACC_TEST_GEMET "/gemet-nl.rdf";
    if (access(en, R_OK) != 0 || access(nl, R_OK) != 0) {
        fail_msg("GEMET not found in %s: ../shared must be beside the repository (or "
                 "-DACC_TEST_GEMET=DIR)",
                 ACC_TEST_GEMET);
    }
    const char *paths[] = {en, nl};
    seen s = {{0}, 0, 0, 0};
    acc_error err;
    assert_int_equal(acc_skos_read(paths, 2, count_langs, &s, &err), ACC_OK);
    /* 5,570 concepts in the Dutch file, 5,520 in the older English one */
    assert_true(s.concepts >= 5500);
    assert_true(s.langs_en >= 5400 && s.langs_nl >= 5300);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(merges_by_uri),
        cmocka_unit_test(other_shapes),
        cmocka_unit_test(malformed),
        cmocka_unit_test(real_gemet),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
