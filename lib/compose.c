/*
 * lib/compose.c: a search's Xapian query, composed from the request (lib/compose.h). This is
 * where ranking is decided (lib/search.c runs the query):
 *
 * 1. the query's language is given or guessed (lib/translate.c); the query
 *    text is parsed once per language of the index (or the one asked for),
 *    each parse with that language's stemmer and filtered to that language's
 *    documents (and, for plain words, documents with passages in it); a
 *    document is scored by its best reading (OP_MAX), so negation and weights
 *    never leak across languages. Documents in another language than the
 *    query's are reached by its translation (ACC_TRANSLATION_WEIGHT), or
 *    weighed ACC_OTHER_LANG_WEIGHT when there is none; synonyms add to the
 *    query's own language (ACC_SYNONYM_WEIGHT); function words count only in
 *    the phrase;
 * 2. words typed together weigh more: the phrase, then the words near each
 *    other (ACC_PHRASE_WEIGHT, ACC_NEAR_WEIGHT), tested on the best documents
 *    by lib/proximity.c when the caller asks (lib/search.c), else by Xapian;
 * 3. when fewer than ACC_FILL_BELOW documents of the query's language have
 *    every word, documents with some of them follow, always below (the OR
 *    fill); a translation that has every word counts as having them all;
 * 4. known items: a title with the words as a phrase (ACC_TITLE_WEIGHT), and
 *    exact accented spellings (ACC_ACCENT_WEIGHT), add to the documents found;
 * 5. documents of a topic the query names, in any language, come last
 *    (cross-lingual topic expansion, ACC_TOPIC_WEIGHT);
 * 6. the filters of the request (type, topic, party, years, commitments) as a FILTER.
 */
#include "compose.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/schema.h"
#include "accord/text.h"
#include "commitq.h"
#include "facets.h"
#include "knownitems.h"
#include "proximity.h"
#include "qbits.h"
#include "qtext.h"
#include "similar.h"
#include "stem.h"
#include "topicmatch.h"

/* the boosts for words together: lib/compose.h (public eval set: nDCG@10 0.627 -> 0.665; flat
   between 0.5 and 2 for either weight, so not tuned to single queries) */
/* weight of the documents reached only through a topic the query names */
#define ACC_TOPIC_WEIGHT 0.01
/* weight of a document reached through the translation of the query into its
   language, against 1 for the query's own language */
#define ACC_TRANSLATION_WEIGHT 0.9
/* weight of a document in another language than the query's, matched by the
   query's words themselves (no translation into its language is known) */
#define ACC_OTHER_LANG_WEIGHT 0.7
/* weight of the synonyms of the query's words, on top of the words themselves */
#define ACC_SYNONYM_WEIGHT 0.5
/* weight of the documents whose title has the query's words as a phrase
   (known items: a law or convention typed as people cite it) */
#define ACC_TITLE_WEIGHT 2.0
/* weight of the documents whose title has the one word of the query (an acronym) */
#define ACC_TITLE_WORD_WEIGHT 0.3
/* weight of a word's spelling with the accents the query gave it, over its
   folded matches (Größe above Grosse) */
#define ACC_ACCENT_WEIGHT 0.3

static const unsigned full_flags = ACC_XAP_PARSE_PHRASE | ACC_XAP_PARSE_BOOLEAN |
                                   ACC_XAP_PARSE_LOVEHATE | ACC_XAP_PARSE_WILDCARD |
                                   ACC_XAP_PARSE_CJK | ACC_XAP_PARSE_PURE_NOT;
static const unsigned plain_flags = ACC_XAP_PARSE_CJK;
static const unsigned phrase_flags = ACC_XAP_PARSE_PHRASE | ACC_XAP_PARSE_CJK;

/* ----------------------------------------------------------- query bits */

/* ------------------------------------------------------------- filters */

/* OR of prefix+value for each comma-separated value (values folded unless raw). */
static acc_xap_query *filter_query(const char *csv, const char *prefix, int raw)
{
    acc_qlist terms = {NULL, 0};
    acc_buf v;
    acc_buf_init(&v, 0);
    for (const char *p = csv;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        size_t a = 0, b = n;
        while (a < n && p[a] == ' ')
            a++;
        while (b > a && p[b - 1] == ' ')
            b--;
        if (a < b) {
            acc_buf_reset(&v);
            if (raw) {
                for (size_t i = a; i < b; i++)
                    acc_buf_putc(&v, p[i] >= 'A' && p[i] <= 'Z' ? (char)(p[i] - 'A' + 'a') : p[i]);
            } else if (acc_text_norm_fold(p + a, b - a, &v, NULL) != ACC_OK) {
                acc_buf_reset(&v); /* cannot happen: acc_query_check validated it */
            }
            acc_qlist_add(&terms, acc_q_term(prefix, v.p ? v.p : "", v.n));
        }
        if (!comma)
            break;
        p = comma + 1;
    }
    acc_buf_release(&v);
    return acc_qlist_join(&terms, ACC_XAP_OR);
}

/* The filters of q (type, topic, party, years), leaving out facet `without`'s own. */
acc_xap_query *acc_compose_filters(acc_index *x, const acc_query *q, int without, acc_status *st,
                                   acc_error *err)
{
    acc_qlist f = {NULL, 0};
    acc_commit_filter cf;
    /* commitments: every condition on one commitment (lib/commitq.h) */
    if (acc_commit_filter_parse(q, &cf, err) == ACC_OK && cf.active) {
        if (without == ACC_FACET_TARGET)
            cf.kinds = 0;
        if (without == ACC_FACET_TARGET_YEAR)
            cf.year_from = cf.year_to = 0;
        if (without == ACC_FACET_STRENGTH)
            cf.strengths = 0;
        cf.active = cf.kinds || cf.year_from || cf.year_to || cf.cut_min >= 0 || cf.cut_max >= 0 ||
                    cf.strengths;
        acc_xap_query *cq = NULL;
        acc_status cst = acc_commit_filter_query(x, &cf, &cq, err);
        if (cst != ACC_OK)
            *st = cst;
        acc_qlist_add(&f, cq);
    }
    if (q->type && *q->type && without != ACC_FACET_TYPE)
        acc_qlist_add(&f, filter_query(q->type, ACC_PFX_TYPE, 0));
    if (q->topic && *q->topic && without != ACC_FACET_TOPIC)
        acc_qlist_add(&f, filter_query(q->topic, ACC_PFX_TOPIC, 1));
    if (q->party && *q->party && without != ACC_FACET_PARTY)
        acc_qlist_add(&f, filter_query(q->party, ACC_PFX_PARTY, 0));
    if ((q->year_from || q->year_to) && without != ACC_FACET_YEAR) {
        char lo[18], hi[18];
        size_t nlo = acc_xap_sortable(q->year_from ? q->year_from : 0, lo);
        size_t nhi = acc_xap_sortable(q->year_to ? q->year_to : 9999, hi);
        acc_qlist_add(&f, acc_xap_query_range(ACC_SLOT_YEAR, lo, nlo, hi, nhi));
    }
    return acc_qlist_join(&f, ACC_XAP_AND);
}

/* main FILTER f, or main alone when f is empty; main consumed. */
acc_xap_query *acc_compose_with_filters(acc_xap_query *main, const acc_xap_query *f)
{
    return acc_xap_query_empty(f) ? main : acc_q_filter(main, f);
}

/* ------------------------------------------------------- the text query */

static acc_xap_query *parse_or_die(acc_xap_parser *p, acc_index *x, const char *t, size_t n,
                                   unsigned flags, acc_xap_op op, acc_status *st, acc_error *err)
{
    acc_xap_query *q = NULL;
    acc_buf b;
    acc_buf_init(&b, 0);
    acc_qtext_for_parser(t, n, &b);
    *st = acc_xap_parse(p, x->db, b.p ? b.p : "", b.n, flags, op, NULL, &q, err);
    acc_buf_release(&b);
    return q;
}

typedef struct words_ctx {
    acc_qlist *l;
} words_ctx;

static void on_phrase_term(void *ctx, const char *t, size_t n)
{
    acc_qlist_add(ctx, acc_xap_query_term(t, n));
}

static int on_cjk(void *ctx, const char *w, size_t n, int cjk)
{
    (void)w, (void)n;
    *(int *)ctx = cjk;
    return cjk;
}

static int has_cjk(const char *text, size_t n)
{
    int cjk = 0;
    acc_text_words(text, n, on_cjk, &cjk);
    return cjk;
}

/*
 * sub OR the phrase of text OR its words near each other (sub consumed). With prox, and no CJK
 * in text (its phrases are of character pairs), the phrase goes into prox instead, to be tested
 * on the best documents (lib/proximity.h), its words into prox->words for the highlighter.
 */
/* A reading's language and weight, for the phrases it gives prox. */
typedef struct prox_reading {
    const char *lang;
    int restricted;
    double scale;
} prox_reading;

static acc_xap_query *with_proximity(acc_index *x, acc_xap_parser *p, acc_xap_query *sub,
                                     const char *text, size_t n, acc_proxset *prox,
                                     const prox_reading *pr, acc_status *st, acc_error *err)
{
    acc_buf quoted;
    acc_qlist words = {NULL, 0}, boosts = {NULL, 0};
    acc_buf_init(&quoted, 0);
    acc_buf_putc(&quoted, '"');
    acc_buf_append(&quoted, text, n);
    acc_buf_putc(&quoted, '"');
    acc_xap_query *phrase =
        parse_or_die(p, x, quoted.p, quoted.n, phrase_flags, ACC_XAP_AND, st, err);
    acc_buf_release(&quoted);
    if (*st != ACC_OK)
        return sub;
    acc_xap_query_terms(phrase, 0, on_phrase_term, &words);
    if (prox && words.n >= 2 && !has_cjk(text, n)) {
        acc_proxset_add(prox, phrase, pr->lang, pr->restricted, pr->scale);
        acc_xap_query_free(acc_qlist_join(&words, ACC_XAP_OR));
        acc_xap_query_free(phrase);
        return sub;
    }
    if (!acc_xap_query_empty(phrase))
        acc_qlist_add(&boosts, acc_xap_query_scale(phrase, ACC_PHRASE_WEIGHT));
    if (words.n >= 2 && ACC_NEAR_WEIGHT > 0) {
        acc_xap_query *near = acc_xap_query_window(ACC_XAP_NEAR, words.v, words.n,
                                                   (unsigned)(words.n + ACC_NEAR_SLACK));
        acc_qlist_add(&boosts, acc_q_scaled(near, ACC_NEAR_WEIGHT));
    }
    for (size_t i = 0; i < boosts.n; i++) {
        sub = acc_q_join2(ACC_XAP_OR, sub, boosts.v[i]);
        boosts.v[i] = NULL;
    }
    free(boosts.v);
    acc_xap_query_free(acc_qlist_join(&words, ACC_XAP_OR));
    acc_xap_query_free(phrase);
    return sub;
}

typedef struct parse_req {
    acc_index *x;
    const char (*langs)[ACC_LANG_MAX];
    size_t nlangs;
    const char *text; /* the folded query, or the negated words */
    size_t n;
    int negated;
    int proximity;
    int conjunctive;   /* plain words that must all occur: a reading missing one matches nothing */
    const char *whole; /* the folded query with its function words, for proximity */
    size_t whole_n;
    acc_xap_op default_op;
    acc_xap_query **unboosted; /* optional: the query without boosts */
    acc_xap_query **matches;   /* optional: the query's match set (no proximity boosts) */
    acc_xlat *xlat;            /* the query's translations, or NULL */
    const char *src;           /* the query's language, when known, or NULL */
    int restricted;            /* only documents in the languages asked for (lang) */
    acc_proxset *prox;         /* the phrases go here, not into the query, or NULL */
} parse_req;

/* Can the language readings be joined with OP_MAX? Not over two or more local databases (see
   parse_all). */
static int max_is_safe(acc_index *x)
{
    if (acc_xap_db_shards(x->db) <= 1)
        return 1;
    if (!x->shards)
        return 0;
    for (size_t i = 0; i < x->nshards; i++)
        if (!x->shards[i].host)
            return 0;
    return 1;
}

typedef struct absent_ctx {
    acc_xap_db *db;
    int absent;
} absent_ctx;

static void on_reading_term(void *ctx, const char *t, size_t n)
{
    absent_ctx *a = ctx;
    unsigned long tf = 1;
    if (!a->absent && acc_xap_db_termfreq(a->db, t, n, &tf, NULL) == ACC_OK && tf == 0)
        a->absent = 1;
}

/* Does a reading of words that must all occur have a word no document has? Then it matches
   nothing, and its boosts (phrase, words near each other, each a posting list per term per
   language) are not built: a query is read in every language of the index, and in most of
   them some word is absent. Not over remote shards (a round trip per term). */
static int reading_empty(const parse_req *r, const acc_xap_query *sub)
{
    if (!r->conjunctive || acc_index_has_remote(r->x))
        return 0;
    absent_ctx a = {r->x->db, 0};
    acc_xap_query_terms(sub, 0, on_reading_term, &a);
    return a.absent;
}

/*
 * One parse per language, each filtered to that language, OR-ed. ACC_EINVAL
 * on a syntax error of the query.
 */
static acc_status parse_all(const parse_req *r, unsigned flags, acc_xap_query **out, acc_error *err)
{
    acc_qlist subs = {NULL, 0}, plain = {NULL, 0}, sets = {NULL, 0};
    acc_buf de;
    acc_status st = ACC_OK;
    acc_buf_init(&de, 0);
    for (size_t i = 0; i < r->nlangs && st == ACC_OK; i++) {
        const char *lang = r->langs[i];
        acc_xap_parser *p = acc_index_parser(r->x, lang);
        const char *text = r->text;
        size_t n = r->n;
        acc_xap_query *sub;
        if (strcmp(lang, "de") == 0) {
            acc_buf_reset(&de);
            acc_text_de_digraphs(r->text, r->n, &de);
            text = de.p ? de.p : "";
            n = de.n;
        }
        if (r->xlat && !r->negated && strcmp(lang, acc_xlat_source(r->xlat)) != 0) {
            /* another language than the query's: its translation, when the
               table has one */
            acc_xap_query *tq = acc_xlat_query(r->xlat, lang, r->default_op);
            if (tq && *acc_xlat_fields(r->xlat)) {
                /* the filters typed in the query hold for its translation too */
                const char *fl = acc_xlat_fields(r->xlat);
                acc_xap_query *fq =
                    parse_or_die(p, r->x, fl, strlen(fl), flags, ACC_XAP_AND, &st, err);
                if (st != ACC_OK) {
                    acc_xap_query_free(tq);
                    break;
                }
                tq = acc_xap_query_empty(fq) ? tq : acc_q_filter(tq, fq);
                acc_xap_query_free(fq);
            }
            if (tq) {
                /* not in the unboosted query: whether the fill is needed is
                   judged on the query's own language alone */
                if (r->matches)
                    acc_qlist_add(&sets,
                                  acc_q_read_in(acc_xap_query_copy(tq), lang, r->restricted));
                acc_qlist_add(&subs, acc_q_read_in(acc_q_scaled(tq, ACC_TRANSLATION_WEIGHT), lang,
                                                   r->restricted));
                continue;
            }
        }
        acc_xap_query *set = NULL; /* sub without its proximity boosts */
        if (r->negated) {
            acc_xap_query *bad = parse_or_die(p, r->x, text, n, plain_flags, ACC_XAP_OR, &st, err);
            if (st != ACC_OK)
                break;
            acc_xap_query *all = acc_xap_query_all();
            sub = acc_q_join2(ACC_XAP_AND_NOT, all, bad);
            set = r->matches ? acc_xap_query_copy(sub) : NULL;
        } else {
            sub = parse_or_die(p, r->x, text, n, flags, r->default_op, &st, err);
            if (st != ACC_OK)
                break;
            if (!acc_xap_query_empty(sub) && reading_empty(r, sub)) {
                acc_xap_query_free(sub);
                sub = acc_xap_query_none();
            }
            if (r->unboosted && !acc_xap_query_empty(sub) &&
                (!r->xlat || strcmp(lang, acc_xlat_source(r->xlat)) == 0))
                acc_qlist_add(&plain, acc_q_read_in(acc_xap_query_copy(sub), lang, r->restricted));
            set = r->matches ? acc_xap_query_copy(sub) : NULL;
            /* the phrase and the words near each other match only documents that have the
               words: they weigh, they add no match */
            const int own = r->xlat && strcmp(lang, acc_xlat_source(r->xlat)) == 0;
            const int other = !own && (r->xlat || (r->src && strcmp(lang, r->src) != 0));
            if (r->proximity && !acc_xap_query_empty(sub)) {
                /* the reading's weight (below) and filter (acc_q_read_in) */
                const prox_reading pr = {lang, r->restricted, other ? ACC_OTHER_LANG_WEIGHT : 1.0};
                sub = with_proximity(r->x, p, sub, r->whole ? r->whole : text,
                                     r->whole ? r->whole_n : n, r->prox, &pr, &st, err);
            }
            if (own) {
                /* the query's own language: its synonyms too */
                acc_xap_query *syn = acc_xlat_query(r->xlat, lang, r->default_op);
                if (syn && set)
                    set = acc_q_join2(ACC_XAP_OR, set, acc_xap_query_copy(syn));
                if (syn)
                    sub = acc_q_join2(ACC_XAP_OR, sub, acc_q_scaled(syn, ACC_SYNONYM_WEIGHT));
            } else if (other) {
                sub = acc_q_scaled(sub, ACC_OTHER_LANG_WEIGHT);
            }
        }
        if (acc_xap_query_empty(sub)) {
            acc_xap_query_free(sub);
            acc_xap_query_free(set);
            continue;
        }
        if (set)
            acc_qlist_add(&sets, acc_q_read_in(set, lang, r->restricted));
        acc_qlist_add(&subs, acc_q_read_in(sub, lang, r->restricted));
        if (r->unboosted && r->negated)
            acc_qlist_add(&plain, acc_xap_query_copy(subs.v[subs.n - 1]));
    }
    acc_buf_release(&de);
    if (st != ACC_OK) {
        acc_xap_query_free(acc_qlist_join(&subs, ACC_XAP_OR));
        acc_xap_query_free(acc_qlist_join(&plain, ACC_XAP_OR));
        acc_xap_query_free(acc_qlist_join(&sets, ACC_XAP_OR));
        return st;
    }
    if (r->unboosted) {
        acc_xap_query_free(*r->unboosted);
        *r->unboosted = acc_qlist_join(&plain, ACC_XAP_OR);
    }
    if (r->matches) {
        acc_xap_query_free(*r->matches);
        *r->matches = acc_qlist_join(&sets, ACC_XAP_OR);
    }
    /* a document with passages in two languages is scored by its best
       reading, not by the sum of both. Over several local shards, the sum:
       Xapian 1.4.22 crashes (SIGSEGV in get_mset) on an OP_MAX of three or
       more subqueries holding OP_SYNONYM (a wildcard, a translation) over a
       multi-database once the page is full: an exhausted MaxPostList is asked
       for its weight again when the match moves to the next shard
       (tests/shards/test_shards.py has the case). Remote shards match on
       their own servers, one database each: the best reading there. The sum
       differs only for documents with passages in several languages; public
       eval nDCG@10 0.727 with MAX, 0.724 with the sum. */
    *out = acc_qlist_join(&subs, max_is_safe(r->x) ? ACC_XAP_MAX : ACC_XAP_OR);
    return ACC_OK;
}

/*
 * The multi-language query of the text of q, its words joined by op;
 * with `shape`, also the query's shape and its unboosted form.
 */
static acc_status build_query(acc_index *x, const acc_query *q, acc_xap_op op, acc_strictness *s,
                              int shape, acc_proxset *prox, acc_xap_query **unboosted,
                              acc_xap_query **matches, acc_xap_query **out, acc_error *err)
{
    acc_buf folded, negated;
    const char(*langs)[ACC_LANG_MAX] = NULL;
    char one[1][ACC_LANG_MAX];
    size_t nlangs = 0;
    acc_status st;
    acc_buf_init(&folded, 0);
    acc_buf_init(&negated, 0);
    *out = NULL;
    st = acc_text_query_fold(q->text ? q->text : "", q->text ? q->text_len : 0, &folded, err);
    if (st != ACC_OK)
        goto out;
    if (q->lang[0]) {
        memcpy(one[0], q->lang, ACC_LANG_MAX);
        langs = (const char(*)[ACC_LANG_MAX])one;
        nlangs = 1;
    } else {
        st = acc_index_langs(x, &langs, &nlangs, err);
        if (st != ACC_OK)
            goto out;
    }
    const char *f = folded.p ? folded.p : "";
    size_t fn = folded.n, blank = 1;
    for (size_t i = 0; i < fn && blank; i++)
        blank = strchr(" \t\r\n\f\v", f[i]) != NULL;
    if (blank) {
        *out = acc_xap_query_all();
        if (q->lang[0])
            *out = acc_q_in_lang(*out, q->lang);
        if (matches) {
            acc_xap_query_free(*matches);
            *matches = acc_xap_query_copy(*out);
        }
        goto out;
    }
    int neg = acc_qtext_negation(f, fn, &negated);
    parse_req r = {.x = x,
                   .langs = langs,
                   .nlangs = nlangs,
                   .text = f,
                   .n = fn,
                   .negated = neg,
                   .default_op = op,
                   .unboosted = unboosted,
                   .matches = matches,
                   .restricted = q->lang[0] != 0,
                   .prox = prox};
    if (neg) {
        r.text = negated.p;
        r.n = negated.n;
    }
    if (shape) {
        /* several words and no syntax: a candidate for the OR fill */
        acc_qshape sh;
        acc_qtext_shape(f, fn, &sh);
        s->plain = sh.words >= 1 && !sh.syntax && !neg;
        s->words = sh.words;
        r.proximity = sh.words >= 2 && !sh.syntax && !neg;
        r.conjunctive = op == ACC_XAP_AND && sh.words >= 1 && !sh.syntax && !neg;
    }
    if (shape && q->expand && !s->src[0]) {
        /* the query's language: its documents first */
        if (q->qlang[0])
            memcpy(s->src, q->qlang, sizeof s->src);
        else
            st = acc_query_lang_guess(x, f, fn, s->src, err);
        /* a plain query in a known language reaches the others translated */
        if (st == ACC_OK && s->src[0] && s->plain)
            st = acc_xlat_new(x, s->src, f, fn, &s->xlat, err);
        if (st != ACC_OK)
            goto out;
    }
    r.src = s->src[0] ? s->src : NULL;
    /* passages in other languages only for plain words: a negation read in
       one language must not be undone by another reading of the same document */
    r.restricted = q->lang[0] != 0 || !s->plain;
    acc_buf content;
    acc_buf_init(&content, 0);
    if (s->xlat && s->plain) {
        /* the function words of the query's language count only in the phrase */
        acc_xlat_content(s->xlat, &content);
        r.xlat = s->xlat;
        r.whole = f;
        r.whole_n = fn;
        r.text = content.p ? content.p : "";
        r.n = content.n;
    }
    /* what Xapian's parser mishandles is read as plain words, as a syntax error is */
    st = acc_qtext_parser_trap(f, fn) ? ACC_EINVAL : parse_all(&r, full_flags, out, err);
    acc_buf_release(&content);
    if (st != ACC_EINVAL)
        goto out;
    /* a syntax error: plain words, operators and syntax dropped */
    s->simplified = 1;
    acc_buf plain;
    acc_buf_init(&plain, 0);
    acc_qtext_plain(f, fn, &plain);
    r.text = plain.p ? plain.p : "";
    r.n = plain.n;
    r.negated = 0;
    r.xlat = NULL;
    r.whole = NULL;
    st = parse_all(&r, plain_flags, out, err);
    acc_buf_release(&plain);
out:
    acc_buf_release(&folded);
    acc_buf_release(&negated);
    return st;
}

typedef struct topic_ctx {
    const acc_topic_matcher *tm; /* the matcher of the language being read */
    char **ids;
    size_t n;
} topic_ctx;

static void on_query_topic(void *ctx, size_t term, size_t topic)
{
    topic_ctx *t = ctx;
    const char *id = acc_topic_matcher_topic_id(t->tm, topic);
    (void)term;
    if (!id)
        return;
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->ids[i], id) == 0)
            return;
    t->ids = acc_xrealloc(t->ids, (t->n + 1) * sizeof *t->ids);
    t->ids[t->n++] = acc_xstrdup(id);
}

/*
 * Topics whose terms occur in the query, in any language of the vocabulary
 * that the index has (and English): a topic named in another language still
 * reaches every document of that topic, whatever its language. Compared
 * stem by stem, as documents are tagged; any occurrence counts.
 */
static acc_status query_topics(acc_index *x, const acc_query *q, topic_ctx *t, acc_error *err)
{
    const char(*langs)[ACC_LANG_MAX];
    size_t nlangs;
    acc_buf normed;
    acc_status st;
    int have_en = 0;
    if (!x->vocab || !q->text || !q->text_len)
        return ACC_OK;
    acc_buf_init(&normed, 0);
    st = acc_text_norm(q->text, q->text_len, &normed, err);
    if (st == ACC_OK)
        st = acc_index_langs(x, &langs, &nlangs, err);
    /* a vocabulary left unparsed (accord-search) whose matchers the index stores: a language
       the index stores none for has no term in the vocabulary, and the stored ones are
       decoded only for the languages where the query has a key (8 languages: 2.8 M
       instructions of a CLI process) */
    const int unparsed = acc_topics_unparsed(x->vocab);
    const int stored_all = st == ACC_OK && unparsed && acc_topic_matchers_current(x->vocab, x->db);
    for (size_t i = 0; st == ACC_OK && i <= nlangs; i++) {
        const char *lang = i < nlangs ? langs[i] : "en";
        if (i == nlangs && have_en)
            break;
        /* the matcher this process has, else the index's, else built (lib/topicmatch.h) */
        const acc_topic_matcher *tm = acc_topic_matcher_cached(x->vocab, lang);
        if (!tm && i < nlangs && !unparsed && !acc_topics_has_lang(x->vocab, lang))
            continue;
        have_en = have_en || strcmp(lang, "en") == 0;
        acc_xap_stem *stem = acc_stem_new_query(lang);
        acc_wordseq ws;
        acc_wordseq_init(&ws);
        acc_wordseq_add(&ws, normed.p ? normed.p : "", normed.n, 1);
        acc_wordseq_keys(&ws, stem);
        /* the stored value read to look for the keys is the one decoded */
        acc_buf sv;
        acc_buf_init(&sv, 0);
        if (!tm && stored_all &&
            !acc_topic_matcher_stored_may_match(x->vocab, lang, x->db, &ws, &sv)) {
            acc_buf_release(&sv);
            acc_wordseq_release(&ws);
            acc_xap_stem_free(stem);
            continue;
        }
        if (!tm)
            tm = sv.n ? acc_topic_matcher_stored_value(x->vocab, lang, sv.p, sv.n)
                      : acc_topic_matcher_stored(x->vocab, lang, x->db);
        acc_buf_release(&sv);
        /* none stored: built, unless the vocabulary has no term in lang (it is parsed here,
           when left unparsed: a damaged stored value) */
        if (!tm && i < nlangs && unparsed && !acc_topics_has_lang(x->vocab, lang)) {
            acc_wordseq_release(&ws);
            acc_xap_stem_free(stem);
            continue;
        }
        if (!tm)
            tm = acc_topic_matcher_get(x->vocab, lang, stem);
        t->tm = tm;
        acc_topic_matcher_each(tm, &ws, on_query_topic, t);
        acc_wordseq_release(&ws);
        acc_xap_stem_free(stem);
    }
    acc_buf_release(&normed);
    return st;
}

/* Documents having every word of strict (within filters), up to ACC_FILL_BELOW. */
static acc_status count_strict(acc_index *x, const acc_xap_query *strict,
                               const acc_xap_query *filters, unsigned long *total, acc_error *err)
{
    acc_xap_match_opts o;
    acc_xap_match *m = NULL;
    acc_xap_query *q = acc_compose_with_filters(acc_xap_query_copy(strict), filters);
    acc_xap_match_opts_init(&o);
    o.bool_weight = 1;
    o.limit = 0;
    o.check_at_least = ACC_FILL_BELOW;
    acc_status st = acc_xap_match_run(x->db, q, &o, &m, err);
    if (st == ACC_OK)
        acc_xap_match_totals(m, NULL, total, NULL);
    acc_xap_match_free(m);
    acc_xap_query_free(q);
    return st;
}

/*
 * The whole text query of a request: the parsed words (or documents like
 * q->similar), then documents with only some of the words when too few have
 * them all, then documents of a topic the query names in any language.
 */
acc_status acc_compose(acc_index *x, const acc_query *q, const acc_xap_query *filters,
                       acc_proxset *prox, acc_strictness *s, acc_xap_query **out,
                       acc_xap_query **matches_out, acc_error *err)
{
    acc_xap_query *query = NULL, *strict = NULL, *matches = NULL;
    acc_status st;
    *out = NULL;
    *matches_out = NULL;
    if (q->similar && *q->similar) {
        char lang[ACC_LANG_MAX];
        st = acc_similar_query(x, q->similar, lang, &query, err);
        if (st == ACC_OK && q->lang[0])
            query = acc_q_in_lang(query, q->lang);
        *out = query;
        *matches_out = st == ACC_OK ? acc_xap_query_copy(query) : NULL;
        return st;
    }
    st = build_query(x, q, ACC_XAP_AND, s, 1, prox, &strict, &matches, &query, err);
    if (st != ACC_OK)
        goto out;
    if (s->plain && s->words >= 2 && !s->simplified) {
        /* the fill needs to know how many documents have every word; other
           queries take it from their own match. The boosts do not change
           which documents match: counted without them. */
        st = count_strict(x, strict && !acc_xap_query_empty(strict) ? strict : query, filters,
                          &s->strict_total, err);
        if (st != ACC_OK)
            goto out;
        s->counted = 1;
    }
    if (s->counted && s->strict_total < ACC_FILL_BELOW) {
        /* too few documents have every word: documents with some of the words
           follow, always below those with all of them */
        acc_strictness s2 = *s;
        acc_xap_query *any = NULL;
        st = build_query(x, q, ACC_XAP_OR, &s2, 0, NULL, NULL, NULL, &any, err);
        s->simplified = s2.simplified;
        if (st != ACC_OK)
            goto out;
        matches = acc_q_join2(ACC_XAP_OR, matches, acc_xap_query_copy(any));
        query = acc_q_join2(ACC_XAP_OR, acc_q_scaled(query, ACC_FILL_FACTOR), any);
        s->filled = 1;
    }
    if (s->plain && !s->simplified) {
        /* known items first: a title with the words in order, or the id */
        acc_xap_query *tq = acc_known_title(q);
        if (tq) {
            if (q->lang[0])
                tq = acc_q_in_lang(tq, q->lang);
            /* a phrase of the title says more than one word of it, unless the
               word is typed as an acronym (UNFCCC): a name */
            const double w =
                s->words >= 2 || acc_known_acronym(q) ? ACC_TITLE_WEIGHT : ACC_TITLE_WORD_WEIGHT;
            query = acc_q_join2(ACC_XAP_AND_MAYBE, query,
                                acc_q_scaled(tq, w * (s->filled ? ACC_FILL_FACTOR : 1.0)));
        }
        /* exact spellings first: the accents typed, matched as written */
        acc_xap_query *aq = acc_known_accents(q);
        if (aq) {
            if (q->lang[0])
                aq = acc_q_in_lang(aq, q->lang);
            query = acc_q_join2(
                ACC_XAP_AND_MAYBE, query,
                acc_q_scaled(aq, ACC_ACCENT_WEIGHT * (s->filled ? ACC_FILL_FACTOR : 1.0)));
        }
    }
    if (prox && prox->words && q->explain)
        /* the words of the phrases, weightless: the terms a hit matched name them */
        query =
            acc_q_join2(ACC_XAP_AND_MAYBE, query, acc_q_scaled(acc_xap_query_copy(prox->words), 0));
    if (s->plain && q->expand && !s->simplified) {
        topic_ctx t = {NULL, NULL, 0};
        st = query_topics(x, q, &t, err);
        if (st == ACC_OK && t.n) {
            acc_qlist topics = {NULL, 0};
            for (size_t i = 0; i < t.n; i++)
                acc_qlist_add(&topics, acc_q_term(ACC_PFX_TOPIC, t.ids[i], strlen(t.ids[i])));
            acc_xap_query *tq = acc_qlist_join(&topics, ACC_XAP_OR);
            if (q->lang[0])
                tq = acc_q_in_lang(tq, q->lang);
            matches = acc_q_join2(ACC_XAP_OR, matches, acc_xap_query_copy(tq));
            query = acc_q_join2(ACC_XAP_OR, query, acc_q_scaled(tq, ACC_TOPIC_WEIGHT));
        }
        for (size_t i = 0; i < t.n; i++)
            free(t.ids[i]);
        free(t.ids);
    }
out:
    acc_xap_query_free(strict);
    if (st != ACC_OK) {
        acc_xap_query_free(query);
        acc_xap_query_free(matches);
        query = matches = NULL;
    }
    *out = query;
    *matches_out = matches;
    return st;
}
