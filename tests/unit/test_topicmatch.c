/*
 * lib/topicmatch.c (lib/topicmatch.h): word sequences (distinct words,
 * counts times weights, words over ACC_MAX_WORD_BYTES left out, CJK), word
 * keys (stemmed, folded, CJK), the matcher of a small vocabulary written in
 * the format of corpus/topics.tsv (one-word, multi-word, overlapping and CJK
 * terms, in text order), the tagging rule of topics.h (ACC_TOPIC_MIN_TERMS
 * distinct terms, max(2, words / ACC_TOPIC_WORDS_PER_HIT) occurrences, at
 * most ACC_TOPIC_MAX, most frequent first, ties in vocabulary order), and
 * one matcher per language shared by threads that ask for it at once.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "accord/schema.h"
#include "accord/text.h"
#include "fixture.h"
#include "stem.h"
#include "accord/writer.h"
#include "topicmatch.h"
#include "xap.h"

/* topics 0 water, 1 forests, 2 climate */
static const char vocab_tsv[] =
    "# a test vocabulary: see corpus/TOPICS.md\n"
    "\n"
    "water\ten\tlabel\tWater\n"
    "water\ten\tterm\tdrinking water\n"
    "water\ten\tterm\tgroundwater\n"
    "water\ten\tterm\twater supply\n"
    "water\tfr\tlabel\tEau\n"
    "water\tfr\tterm\teau potable\n"
    "water\tfr\tterm\tnappes phréatiques\n"
    "# forests\n"
    "forests\ten\tlabel\tForests\n"
    "forests\ten\tterm\tforest\n"
    "forests\ten\tterm\tdeforestation\n"
    "forests\ten\tterm\tforest management\n"
    "forests\tfr\tterm\tforêts\n"
    "forests\tzh\tterm\t\xe6\xa3\xae\xe6\x9e\x97\n" /* forest */
    "forests\tzh\tterm\t\xe6\xaf\x81\xe6\x9e\x97\n" /* deforestation */
    "forests\tpl\tterm\tlasy\n"                     /* no stemmer */
    "climate\ten\tterm\tclimate change\n"
    "climate\ten\tterm\temissions\n"
    "climate\ten\tterm\tForest Management\n"; /* in two topics, written otherwise */

static acc_topics *load(const char *content)
{
    char path[512];
    acc_topics *t = NULL;
    acc_error err;
    static int k;
    char name[32];
    snprintf(name, sizeof name, "topics-%d.tsv", k++);
    fx_write_file(name, content, path, sizeof path);
    if (acc_topics_load(path, &t, &err) != ACC_OK)
        fail_msg("%s", err.msg);
    return t;
}

/* As load, read with acc_topics_read: parsed on first use. */
static acc_topics *load_unparsed(const char *content)
{
    char path[512], name[40];
    acc_topics *t = NULL;
    acc_error err;
    static int k;
    snprintf(name, sizeof name, "topics-unparsed-%d.tsv", k++);
    fx_write_file(name, content, path, sizeof path);
    if (acc_topics_read(path, &t, &err) != ACC_OK)
        fail_msg("%s", err.msg);
    return t;
}

static int setup(void **state)
{
    (void)state;
    return fx_setup("topicmatch");
}

static int teardown(void **state)
{
    (void)state;
    return fx_teardown();
}

/* A word sequence of normalised text t, weight 1, keyed with lang's stemmer. */
static void seq(acc_wordseq *ws, const char *lang, const char *t)
{
    acc_buf n;
    acc_buf_init(&n, 0);
    assert_int_equal(acc_text_norm(t, strlen(t), &n, NULL), ACC_OK);
    acc_wordseq_init(ws);
    acc_wordseq_add(ws, n.p ? n.p : "", n.n, 1);
    acc_xap_stem *stem = acc_stem_new(lang);
    acc_wordseq_keys(ws, stem);
    acc_xap_stem_free(stem);
    acc_buf_release(&n);
}

static size_t word_index(const acc_wordseq *ws, const char *w)
{
    return acc_strmap_get(&ws->words, w, strlen(w));
}

static void test_wordseq(void **state)
{
    acc_wordseq ws;
    size_t n;
    (void)state;
    acc_wordseq_init(&ws);
    assert_int_equal(acc_wordseq_count(&ws), 0);
    const char *t = "the forest and the forests, the forest";
    acc_wordseq_add(&ws, t, strlen(t), 1);
    assert_int_equal(acc_wordseq_count(&ws), 4);
    assert_int_equal(ws.nseq, 7);
    const char *want[] = {"the", "forest", "and", "forests"};
    for (size_t i = 0; i < 4; i++) {
        const char *w = acc_wordseq_word(&ws, i, &n);
        assert_int_equal(n, strlen(want[i]));
        assert_memory_equal(w, want[i], n);
        assert_int_equal(ws.cjk[i], 0);
    }
    static const size_t order[] = {0, 1, 2, 0, 3, 0, 1};
    for (size_t i = 0; i < 7; i++)
        assert_int_equal(ws.seq[i], order[i]);
    assert_int_equal(ws.wdf[0], 3);
    assert_int_equal(ws.wdf[1], 2);
    assert_int_equal(ws.wdf[3], 1);
    /* more text, with a weight (a title's): counts add up, sequence grows */
    acc_wordseq_add(&ws, "forest", 6, 3);
    assert_int_equal(ws.wdf[1], 5);
    assert_int_equal(ws.nseq, 8);
    assert_int_equal(acc_wordseq_count(&ws), 4);
    acc_wordseq_release(&ws);

    /* words of more than ACC_MAX_WORD_BYTES bytes are left out, in the sequence too */
    char text[512], *p = text;
    for (int i = 0; i < ACC_MAX_WORD_BYTES; i++)
        *p++ = 'a';
    *p++ = ' ';
    for (int i = 0; i < ACC_MAX_WORD_BYTES + 1; i++)
        *p++ = 'b';
    *p++ = ' ';
    for (int i = 0; i < (ACC_MAX_WORD_BYTES + 2) / 2; i++) { /* 66 bytes of 33 letters */
        *p++ = '\xc3';
        *p++ = '\xa9';
    }
    strcpy(p, " end");
    acc_wordseq_init(&ws);
    acc_wordseq_add(&ws, text, strlen(text), 1);
    assert_int_equal(acc_wordseq_count(&ws), 2);
    assert_int_equal(ws.nseq, 2);
    acc_wordseq_word(&ws, 0, &n);
    assert_int_equal(n, ACC_MAX_WORD_BYTES);
    acc_wordseq_word(&ws, 1, &n);
    assert_int_equal(n, 3);
    acc_wordseq_release(&ws);

    /* CJK: a word per character */
    t = "\xe4\xbf\x9d\xe6\x8a\xa4\xe6\xa3\xae\xe6\x9e\x97 forest";
    acc_wordseq_init(&ws);
    acc_wordseq_add(&ws, t, strlen(t), 1);
    assert_int_equal(acc_wordseq_count(&ws), 5);
    for (size_t i = 0; i < 4; i++) {
        acc_wordseq_word(&ws, i, &n);
        assert_int_equal(n, 3);
        assert_int_equal(ws.cjk[i], 1);
    }
    assert_int_equal(ws.cjk[4], 0);
    acc_wordseq_release(&ws);
}

static void key_is(acc_xap_stem *stem, const char *w, const char *want)
{
    acc_buf k;
    acc_buf_init(&k, 0);
    acc_topic_word_key(stem, w, strlen(w), &k);
    assert_string_equal(k.p ? k.p : "", want);
    acc_buf_release(&k);
}

/* The key given to word w of ws. */
static const char *key_of(const acc_wordseq *ws, const char *w)
{
    static char out[128];
    size_t i = word_index(ws, w), n;
    assert_int_not_equal(i, ACC_STRMAP_NONE);
    assert_int_not_equal(ws->key[i], ACC_STRMAP_NONE);
    const char *k = acc_strmap_key(&ws->keys, ws->key[i], &n);
    assert_true(n < sizeof out);
    memcpy(out, k, n);
    out[n] = '\0';
    return out;
}

static void test_keys(void **state)
{
    acc_xap_stem *en = acc_stem_new("en"), *fr = acc_stem_new("fr");
    acc_wordseq ws;
    (void)state;
    /* stem(fold(w)), tagged */
    key_is(en, "forests", "en:forest");
    key_is(en, "forest", "en:forest");
    key_is(fr, "forêts", "fr:foret");
    key_is(fr, "developpements", "fr:developp");
    key_is(fr, "développement", "fr:developp");
    /* without a stemmer: the folded word */
    key_is(NULL, "forêts", "forets");
    key_is(NULL, "lasy", "lasy");

    /* every distinct word gets one; CJK characters are their own key */
    acc_wordseq_init(&ws);
    const char *t = "forests forest \xe6\xa3\xae";
    acc_wordseq_add(&ws, t, strlen(t), 1);
    assert_int_equal(ws.key[0], ACC_STRMAP_NONE); /* not keyed yet */
    acc_wordseq_keys(&ws, en);
    assert_string_equal(key_of(&ws, "forests"), "en:forest");
    assert_string_equal(key_of(&ws, "\xe6\xa3\xae"), "\xe6\xa3\xae");
    assert_int_equal(ws.key[0], ws.key[1]); /* one key for both words */
    assert_int_equal(ws.keys.n, 2);
    /* set by hand */
    acc_wordseq_set_key(&ws, 0, "other", 5);
    assert_string_equal(key_of(&ws, "forests"), "other");
    acc_wordseq_release(&ws);
    acc_xap_stem_free(en);
    acc_xap_stem_free(fr);
}

typedef struct hits {
    size_t term[32], topic[32];
    size_t n;
} hits;

static void on_hit(void *ctx, size_t term, size_t topic)
{
    hits *h = ctx;
    assert_true(h->n < 32);
    h->term[h->n] = term;
    h->topic[h->n++] = topic;
}

/* The topics of the terms found in text t (lang), in order, as a string of topic digits. */
static const char *found(const acc_topics *v, const char *lang, const char *t)
{
    static char out[64];
    acc_wordseq ws;
    hits h = {.n = 0};
    acc_xap_stem *stem = acc_stem_new(lang);
    const acc_topic_matcher *m = acc_topic_matcher_get(v, lang, stem);
    seq(&ws, lang, t);
    acc_topic_matcher_each(m, &ws, on_hit, &h);
    for (size_t i = 0; i < h.n; i++)
        out[i] = (char)('0' + h.topic[i]);
    out[h.n] = '\0';
    acc_wordseq_release(&ws);
    acc_xap_stem_free(stem);
    return out;
}

static void test_matcher(void **state)
{
    acc_topics *v = load(vocab_tsv);
    (void)state;
    /* one-word and multi-word terms, in text order; stems match (supplies, forests) */
    assert_string_equal(found(v, "en", "Drinking water supplies and groundwater"), "000");
    assert_string_equal(found(v, "en", "Forests"), "1");
    /* a multi-word term only as a run of words: not split, not at the very end */
    assert_string_equal(found(v, "en", "drinking the water"), "");
    assert_string_equal(found(v, "en", "water drinking"), "");
    assert_string_equal(found(v, "en", "the drinking"), "");
    /* overlapping terms all count, in vocabulary order at one place: forest (1),
       forest management (1), Forest Management (2, the same words in another topic) */
    assert_string_equal(found(v, "en", "sustainable forest management"), "112");
    /* the other languages: French stems, accents folded; CJK characters; no stemmer */
    assert_string_equal(found(v, "fr", "l'eau potable et les forets"), "01");
    assert_string_equal(found(v, "fr", "Nappes phreatiques"), "0");
    assert_string_equal(found(v, "zh",
                              "\xe9\x98\xb2\xe6\xad\xa2\xe6\xaf\x81\xe6\x9e\x97\xe5\x92"
                              "\x8c\xe4\xbf\x9d\xe6\x8a\xa4\xe6\xa3\xae\xe6\x9e\x97"),
                        "11");
    assert_string_equal(found(v, "pl", "Lasy i lasy"), "11");
    assert_string_equal(found(v, "pl", "las"), "");
    /* a language without terms: a matcher that finds nothing */
    assert_string_equal(found(v, "de", "Wald forest"), "");

    /* the term ids: one per vocabulary term, the same for each occurrence */
    acc_wordseq ws;
    hits h = {.n = 0};
    acc_xap_stem *en = acc_stem_new("en");
    seq(&ws, "en", "groundwater emissions groundwater");
    acc_topic_matcher_each(acc_topic_matcher_get(v, "en", en), &ws, on_hit, &h);
    assert_int_equal(h.n, 3);
    assert_int_equal(h.term[0], h.term[2]);
    assert_int_not_equal(h.term[0], h.term[1]);
    assert_int_equal(h.topic[1], 2);
    acc_wordseq_release(&ws);

    /* words without keys match nothing */
    acc_wordseq_init(&ws);
    acc_wordseq_add(&ws, "forest", 6, 1);
    h.n = 0;
    acc_topic_matcher_each(acc_topic_matcher_get(v, "en", en), &ws, on_hit, &h);
    assert_int_equal(h.n, 0);
    acc_wordseq_release(&ws);
    acc_xap_stem_free(en);
    acc_topics_free(v);
}

/* acc_topic_tag over text t (en): the topic digits in order, and the hits per topic. */
static const char *tag(const acc_topics *v, const char *t, unsigned *hits_out)
{
    static char out[ACC_TOPIC_MAX + 1];
    size_t ids[ACC_TOPIC_MAX];
    unsigned h[64];
    acc_wordseq ws;
    acc_xap_stem *en = acc_stem_new("en");
    size_t nt = acc_topics_count(v);
    assert_true(nt <= 64);
    memset(h, 0xff, sizeof h);
    seq(&ws, "en", t);
    size_t n = acc_topic_tag(acc_topic_matcher_get(v, "en", en), &ws, nt, h, ids);
    assert_true(n <= ACC_TOPIC_MAX);
    for (size_t i = 0; i < n; i++)
        out[i] = (char)(ids[i] < 10 ? '0' + ids[i] : 'a' + ids[i] - 10);
    out[n] = '\0';
    if (hits_out)
        memcpy(hits_out, h, nt * sizeof *h);
    acc_wordseq_release(&ws);
    acc_xap_stem_free(en);
    return out;
}

/* Text of `words` words: the given ones, then "lorem" up to the count (caller frees). */
static char *padded(const char *given, size_t words)
{
    size_t have = 1, n = strlen(given);
    for (size_t i = 0; i < n; i++)
        have += given[i] == ' ';
    char *t = malloc(n + 6 * (words - have) + 1);
    strcpy(t, given);
    for (size_t i = have; i < words; i++)
        strcat(t + n + 6 * (i - have) - 0, " lorem");
    return t;
}

/* found() for each language of the vocabulary's test sentences, joined */
static void found_all(const acc_topics *v, char *out, size_t n)
{
    static const char *const cases[][2] = {
        {"en", "Drinking water supplies and groundwater"},
        {"en", "sustainable forest management"},
        {"en", "drinking the water"},
        {"fr", "l'eau potable et les forets"},
        {"fr", "Nappes phreatiques"},
        {"zh", "\xe9\x98\xb2\xe6\xad\xa2\xe6\xaf\x81\xe6\x9e\x97\xe5\x92"
               "\x8c\xe4\xbf\x9d\xe6\x8a\xa4\xe6\xa3\xae\xe6\x9e\x97"},
        {"pl", "Lasy i lasy"},
    };
    out[0] = '\0';
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        strncat(out, found(v, cases[i][0], cases[i][1]), n - strlen(out) - 1);
        strncat(out, "|", n - strlen(out) - 1);
    }
}

/* The matcher of lang read from the index at path into v (NULL when it is not taken). */
static const acc_topic_matcher *stored(const acc_topics *v, const char *path, const char *lang)
{
    acc_xap_db *db = NULL;
    acc_error err;
    if (acc_xap_db_open(path, &db, &err) != ACC_OK)
        fail_msg("%s", err.msg);
    const acc_topic_matcher *m = acc_topic_matcher_stored(v, lang, db);
    acc_xap_db_close(db);
    return m;
}

static void set_meta(const char *path, const char *key, const char *value)
{
    acc_writer *w = NULL;
    acc_error err;
    if (acc_writer_open(path, &w, &err) != ACC_OK || acc_writer_set_meta(w, key, value, &err) ||
        acc_writer_commit(w, &err) != ACC_OK)
        fail_msg("%s", err.msg);
    acc_writer_close(w);
}

/* The start of the last line of s (which ends with a newline). */
static char *last_line(char *s)
{
    size_t n = strlen(s);
    assert_true(n >= 2 && s[n - 1] == '\n');
    n -= 2;
    while (n > 0 && s[n] != '\n')
        n--;
    return s + n + 1;
}

/* Matchers stored by the indexer: read back, they find what built ones find; another
   vocabulary, or a damaged value, is not taken (the searcher builds its own). */
static void test_stored(void **state)
{
    char path[512], want[256], got[256];
    acc_writer *w = NULL;
    acc_error err;
    (void)state;
    acc_topics *v = load(vocab_tsv);
    found_all(v, want, sizeof want);
    fx_path(path, sizeof path, "stored-index");
    assert_int_equal(acc_writer_open(path, &w, &err), ACC_OK);
    assert_int_equal(acc_writer_store_topics(w, v, &err), ACC_OK);
    assert_int_equal(acc_writer_commit(w, &err), ACC_OK);
    char *en = NULL;
    assert_int_equal(acc_writer_get_meta(w, ACC_TOPICMATCH_KEY "en", &en, &err), ACC_OK);
    acc_writer_close(w);
    assert_non_null(en);
    assert_true(strncmp(en, "accord-topicmatch 2 ", 20) == 0);

    /* a new process's vocabulary (no matcher built): every language read from the index, with
       the topics' ids; the vocabulary is the index's (acc_index_topics_stored) */
    acc_topics *fresh = load(vocab_tsv);
    acc_xap_db *db = NULL;
    assert_int_equal(acc_xap_db_open(path, &db, &err), ACC_OK);
    assert_true(acc_topic_matchers_current(fresh, db));
    const char *langs[] = {"en", "fr", "zh", "pl"};
    for (size_t i = 0; i < 4; i++) {
        assert_null(acc_topic_matcher_cached(fresh, langs[i]));
        const acc_topic_matcher *m = stored(fresh, path, langs[i]);
        assert_non_null(m);
        assert_ptr_equal(acc_topic_matcher_cached(fresh, langs[i]), m);
        for (size_t t = 0; t < acc_topics_count(v); t++)
            assert_string_equal(acc_topic_matcher_topic_id(m, t), acc_topics_id(v, t));
        assert_null(acc_topic_matcher_topic_id(m, acc_topics_count(v)));
    }
    /* without decoding: a stored matcher that has a key of the text may match it, one that
       has none cannot; "water" is a topic id as well as a key (then decoded for nothing) */
    static const struct {
        const char *lang, *text;
        int may;
    } probes[] = {
        {"en", "forest fires", 1},
        {"en", "the groundwaters", 1},
        {"en", "urban heat", 0},
        {"en", "change", 1},
        {"fr", "forêts anciennes", 1},
        {"fr", "forest", 0},
        {"zh", "\xe6\xa3\xae", 1},
        {"pl", "lasy", 1},
        {"pl", "las", 0},
        {"de", "Wald", 0}, /* nothing stored for de: the vocabulary has no term in it */
    };
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        acc_wordseq ws;
        seq(&ws, probes[i].lang, probes[i].text);
        acc_buf value;
        acc_buf_init(&value, 0);
        assert_int_equal(acc_topic_matcher_stored_may_match(fresh, probes[i].lang, db, &ws, NULL),
                         probes[i].may);
        assert_int_equal(acc_topic_matcher_stored_may_match(fresh, probes[i].lang, db, &ws, &value),
                         probes[i].may);
        /* the value it read is given back when it may match, ready to decode */
        assert_true(probes[i].may ? value.n > 0 : value.n == 0);
        if (probes[i].may)
            assert_non_null(
                acc_topic_matcher_stored_value(fresh, probes[i].lang, value.p, value.n));
        acc_buf_release(&value);
        acc_wordseq_release(&ws);
    }
    /* built matchers have the ids too */
    const acc_topic_matcher *built = acc_topic_matcher_get(v, "en", NULL);
    assert_string_equal(acc_topic_matcher_topic_id(built, 0), acc_topics_id(v, 0));
    /* a language the vocabulary lacks: nothing stored */
    assert_null(stored(fresh, path, "de"));
    found_all(fresh, got, sizeof got);
    assert_string_equal(got, want);
    assert_string_equal(want, "000|112||01|0|11|11|");
    acc_topics_free(fresh);

    /* another vocabulary (one term more): not taken, built */
    char other[sizeof vocab_tsv + 64];
    snprintf(other, sizeof other, "%swater\ten\tterm\triver basin\n", vocab_tsv);
    acc_topics *o = load(other);
    assert_false(acc_topic_matchers_current(o, db));
    assert_null(stored(o, path, "en"));
    acc_topics_free(o);
    acc_xap_db_close(db);

    /* damaged values: cut short, a key id out of range, a topic out of range, junk after, the
       counts, a topic id */
    size_t n = strlen(en);
    char *bad = malloc(n + 16);
    const char *nl = strchr(en, '\n');
    assert_non_null(nl);
    const char *ids = strchr(nl + 1, '\n'); /* the counts' line ends: the first topic id */
    assert_non_null(ids);
    for (int k = 0; k < 6; k++) {
        memcpy(bad, en, n + 1);
        if (k == 0)
            bad[n - 3] = '\0';
        else if (k == 1 || k == 2) /* the last term's line replaced: the counts still agree */
            strcpy(last_line(bad), k == 1 ? "0 999999\n" : "99 0\n");
        else if (k == 3)
            strcat(bad, "junk");
        else if (k == 4)
            bad[nl - en + 1] = 'x'; /* the counts */
        else
            bad[ids - en + 1] = '!'; /* a topic id */
        set_meta(path, ACC_TOPICMATCH_KEY "en", bad);
        acc_topics *d = load(vocab_tsv);
        assert_null(stored(d, path, "en"));
        acc_topics_free(d);
        /* the same, the vocabulary read unparsed (accord-search): then built, its parse
           happening first (it takes the lock that building holds) */
        d = load_unparsed(vocab_tsv);
        assert_true(acc_topics_unparsed(d));
        assert_null(stored(d, path, "en"));
        acc_xap_stem *en_stem = acc_stem_new("en");
        const acc_topic_matcher *b = acc_topic_matcher_get(d, "en", en_stem);
        acc_xap_stem_free(en_stem);
        assert_non_null(b);
        assert_false(acc_topics_unparsed(d));
        assert_string_equal(acc_topic_matcher_topic_id(b, 0), "water");
        acc_topics_free(d);
    }
    free(bad);
    free(en);
    acc_topics_free(v);
}

static void test_tag_rule(void **state)
{
    acc_topics *v = load(vocab_tsv);
    unsigned h[3];
    (void)state;
    /* two distinct terms, two occurrences: tagged; hits per topic filled for all */
    assert_string_equal(tag(v, "a forest after deforestation", h), "1");
    assert_int_equal(h[0], 0);
    assert_int_equal(h[1], 2);
    assert_int_equal(h[2], 0);
    /* one term, however often: not tagged (but counted) */
    assert_string_equal(tag(v, "forest forest forest forest forest forests", h), "");
    assert_int_equal(h[1], 6);
    /* two distinct terms that are the same words in two topics count once per topic */
    assert_string_equal(tag(v, "forest management", h), "1");
    assert_int_equal(h[1], 2);
    assert_int_equal(h[2], 1);

    /* the occurrences needed grow with the text: max(2, words / 2500) */
    char *t = padded("forest deforestation", 7499); /* needs 2 */
    assert_string_equal(tag(v, t, NULL), "1");
    free(t);
    t = padded("forest deforestation", 7500); /* needs 3 */
    assert_string_equal(tag(v, t, NULL), "");
    free(t);
    t = padded("forest deforestation forest", 7500);
    assert_string_equal(tag(v, t, h), "1");
    assert_int_equal(h[1], 3);
    free(t);
    t = padded("forest deforestation forest", 10000); /* needs 4 */
    assert_string_equal(tag(v, t, NULL), "");
    free(t);

    /* most frequent first; equal counts in vocabulary order */
    assert_string_equal(tag(v,
                            "groundwater drinking water climate change emissions "
                            "forest deforestation forest deforestation",
                            h),
                        "102");
    assert_int_equal(h[0], 2);
    assert_int_equal(h[1], 4);
    assert_int_equal(h[2], 2);
    assert_string_equal(
        tag(v, "emissions climate change groundwater groundwater drinking water", NULL), "02");
    assert_string_equal(tag(v,
                            "climate change emissions deforestation forest groundwater "
                            "water supply",
                            NULL),
                        "012");
    acc_topics_free(v);

    /* at most ACC_TOPIC_MAX: ten topics, topic i found i + 2 times */
    char tsv[4096] = "", text[4096] = "";
    for (int i = 0; i < 10; i++) {
        char c = (char)('a' + i);
        snprintf(tsv + strlen(tsv), sizeof tsv - strlen(tsv), "t%d\ten\tterm\tqq%cone\n", i, c);
        snprintf(tsv + strlen(tsv), sizeof tsv - strlen(tsv), "t%d\ten\tterm\tqq%ctwo\n", i, c);
        snprintf(text + strlen(text), sizeof text - strlen(text), "qq%cone ", c);
        for (int k = 0; k <= i; k++)
            snprintf(text + strlen(text), sizeof text - strlen(text), "qq%ctwo ", c);
    }
    v = load(tsv);
    assert_int_equal(acc_topics_count(v), 10);
    assert_string_equal(tag(v, text, NULL), "98765432");
    acc_topics_free(v);
}

/* ------------------------------------------------------------ threads */

typedef struct shared {
    const acc_topics *v;
    pthread_barrier_t go;
    const acc_topic_matcher *got[4];
    size_t hits[4];
} shared;

typedef struct worker {
    shared *s;
    int i;
} worker;

static void *get_matcher(void *arg)
{
    worker *w = arg;
    acc_xap_stem *en = acc_stem_new("en");
    acc_wordseq ws;
    hits h = {.n = 0};
    pthread_barrier_wait(&w->s->go);
    w->s->got[w->i] = acc_topic_matcher_get(w->s->v, "en", en);
    seq(&ws, "en", "drinking water and forest management");
    acc_topic_matcher_each(w->s->got[w->i], &ws, on_hit, &h);
    w->s->hits[w->i] = h.n;
    acc_wordseq_release(&ws);
    acc_xap_stem_free(en);
    return NULL;
}

static void test_shared_by_threads(void **state)
{
    (void)state;
    for (int round = 0; round < 20; round++) {
        shared s;
        worker w[4];
        pthread_t th[4];
        acc_topics *v = load(vocab_tsv);
        s.v = v;
        pthread_barrier_init(&s.go, NULL, 4);
        for (int i = 0; i < 4; i++) {
            w[i] = (worker){&s, i};
            assert_int_equal(pthread_create(&th[i], NULL, get_matcher, &w[i]), 0);
        }
        for (int i = 0; i < 4; i++)
            pthread_join(th[i], NULL);
        pthread_barrier_destroy(&s.go);
        for (int i = 0; i < 4; i++) {
            assert_ptr_equal(s.got[i], s.got[0]);
            assert_int_equal(s.hits[i], 4); /* drinking water, forest, forest management x2 */
        }
        /* the same one afterwards; another language has its own */
        acc_xap_stem *en = acc_stem_new("en");
        assert_ptr_equal(acc_topic_matcher_get(v, "en", en), s.got[0]);
        assert_ptr_not_equal(acc_topic_matcher_get(v, "fr", NULL), s.got[0]);
        assert_ptr_equal(acc_topic_matcher_get(v, "fr", NULL), acc_topic_matcher_get(v, "fr", en));
        acc_xap_stem_free(en);
        acc_topics_free(v); /* frees the matchers (leak-checked under ASan) */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wordseq),           cmocka_unit_test(test_keys),
        cmocka_unit_test(test_matcher),           cmocka_unit_test(test_tag_rule),
        cmocka_unit_test(test_shared_by_threads), cmocka_unit_test(test_stored),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
