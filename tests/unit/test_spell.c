/*
 * lib/spell.c (lib/spell.h) on a small index: a word the index does not
 * know is replaced by the nearest indexed word within one edit (two from
 * ACC_SPELL_LONG bytes on) that shares its first byte, the most frequent
 * among equally near ones; words known as written or through a stem of one
 * of the index's languages, words shorter than ACC_SPELL_MIN and words that
 * are not plain (digits, fields, quotes, operators) are left as they are;
 * NULL when nothing changes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "spell.h"

static acc_index *x;

/* documents having each word: climate 2, clime 2, climb 1, forest 2, mountain 3,
   mountains 1, wetlands 1, environment 1, biodiversity 1, vapor 1, vigor 1, cop 1;
   fr: forets 1 */
static const fx_doc docs[] = {
    {.id = "e1", .lang = "en", .text = "climate forest biodiversity wetlands environment"},
    {.id = "e2", .lang = "en", .text = "climate forest clime"},
    {.id = "e3", .lang = "en", .text = "clime mountain"},
    {.id = "e4", .lang = "en", .text = "mountain mountains climb"},
    {.id = "e5", .lang = "en", .text = "mountain"},
    {.id = "e6", .lang = "en", .text = "vapor vigor cop"},
    {.id = "f1", .lang = "fr", .text = "les forêts"},
};

static int setup(void **state)
{
    (void)state;
    if (fx_setup("spell") != 0)
        return -1;
    x = fx_open("s.db", docs, sizeof docs / sizeof docs[0]);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    acc_index_close(x);
    return fx_teardown();
}

/* The suggestion for folded query q; want NULL: none. */
static void suggest(const char *q, const char *want)
{
    char *out = (char *)"untouched";
    acc_error err;
    assert_int_equal(acc_spell_suggest(x, q, strlen(q), &out, &err), ACC_OK);
    if (!want) {
        if (out)
            fail_msg("'%s': '%s', want none", q, out);
        return;
    }
    if (!out || strcmp(out, want) != 0)
        fail_msg("'%s': '%s', want '%s'", q, out ? out : "(none)", want);
    free(out);
}

static void test_one_edit(void **state)
{
    (void)state;
    suggest("muntain", "mountain");  /* a letter missing */
    suggest("mountian", "mountain"); /* two letters swapped: two edits, a long word */
    suggest("wetlnds", "wetlands");
    suggest("foest", "forest");     /* short: one edit */
    suggest("climatr", "climate");  /* a letter wrong */
    suggest("climatee", "climate"); /* a letter too many */
}

static void test_two_edits(void **state)
{
    (void)state;
    /* words of ACC_SPELL_LONG bytes or more: two edits */
    suggest("envirnmnt", "environment");
    suggest("mntain", "mountain");
    suggest("bodiversty", "biodiversity");
    /* shorter words: one */
    suggest("frst", NULL);
    suggest("mntan", NULL);
    /* three edits: too far */
    suggest("envrnmnt", NULL);
}

static void test_choice(void **state)
{
    (void)state;
    /* equally near: the most frequent (clime in 2 documents, climb in 1) */
    suggest("climx", "clime");
    /* equally near and frequent: the first in byte order */
    suggest("vagor", "vapor");
    /* nearer beats more frequent: mountains (1 edit, 1 document) over mountain (2, 3) */
    suggest("moutains", "mountains");
    /* the first byte is kept */
    suggest("oountain", NULL);
    suggest("nountain", NULL);
}

static void test_left_alone(void **state)
{
    (void)state;
    /* known words */
    suggest("climate forest", NULL);
    suggest("mountains", NULL);
    /* known through a stem of one of the index's languages */
    suggest("wetland", NULL); /* en: wetlands */
    suggest("foret", NULL);   /* fr: forêts */
    suggest("environments", NULL);
    /* short words */
    suggest("mu", NULL);
    suggest("co", NULL); /* one edit from cop */
    /* words that are not plain */
    suggest("muntain2", NULL);
    suggest("title:muntain", NULL);
    suggest("\"muntain\"", NULL);
    suggest("muntain*", NULL);
    suggest("AND", NULL);
    suggest("", NULL);
    suggest("   ", NULL);
}

static void test_queries(void **state)
{
    (void)state;
    /* each word on its own; the others kept as they are */
    suggest("muntain AND wetlnds", "mountain AND wetlands");
    suggest("muntain climate", "mountain climate");
    suggest("title:x muntain", "title:x mountain");
    suggest("muntain  wetlnds ", "mountain wetlands"); /* runs of spaces collapse */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_edit), cmocka_unit_test(test_two_edits),
        cmocka_unit_test(test_choice),   cmocka_unit_test(test_left_alone),
        cmocka_unit_test(test_queries),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
