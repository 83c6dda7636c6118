/*
 * lib/search.c: a search, from request to results (acc_index_search): the query composed
 * (lib/compose.c, where ranking is decided), then
 *
 * 1. BM25 (ACC_BM25_*), then sort, collapse, facets, did-you-mean; on a large index the
 *    ranked page and the totals and facets in two matches;
 * 2. the hits: after each of the first ACC_VERSIONS_TOP, the other language
 *    versions of its agreement (the same work: manifest's work or
 *    english_title, or ids that differ by their language code), whether the
 *    query reaches them or not: a treaty's authentic texts say the same (the
 *    total counts the matches only).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accord/index.h"
#include "accord/schema.h"
#include "accord/text.h"
#include "commitq.h"
#include "compose.h"
#include "facets.h"
#include "hits.h"
#include "picks.h"
#include "qbits.h"
#include "qtext.h"
#include "reader.h"
#include "spell.h"
#include "translate.h"

/* "did you mean" only when fewer documents than this have every word */
#define ACC_SPELL_BELOW 3
/* totals are exact up to this many matches without facets */
#define ACC_EXACT_UP_TO 1000
/*
 * The boosts of words together (the phrase, the words near each other) are tested on the best
 * ACC_RESCORE_WINDOW documents of the query without them (or three pages' worth down to the
 * page's end, when more), in C from their positions (lib/proximity.h), not by Xapian on every
 * document with the words: a match counting every document for its totals and facets skips
 * none, and each test reads positions. /search with facets lang,type over
 * bench/load/queries.txt: 8.03 M -> 6.64 M instructions; public eval nDCG@10 0.727 before and
 * after, every query's the same; R@100 0.786 before, and with a window of the page alone
 * 0.781 (documents below the 100th lifted by their phrase no more), three pages 0.786.
 */
#define ACC_RESCORE_WINDOW 30

/* The documents rescored for a page: three pages' worth down to its end, at least the window
   (a page of 100 hits would otherwise miss what its boosts lift from just below it). */
static size_t rescore_window(const acc_query *q)
{
    const size_t deep = 3 * ((size_t)q->offset + q->limit);
    return deep > ACC_RESCORE_WINDOW ? deep : ACC_RESCORE_WINDOW;
}
/* BM25 parameters: k1, k2, k3, b, min_normlen */
static const double bm25[5] = {1.2, 0, 1, 0.75, 0.5};

/* The seconds a search may run: ACC_QUERY_TIME_LIMIT, or ACCORD_QUERY_TIME_LIMIT from the
   environment (a positive number of seconds, at most an hour) for measuring under a slow
   emulator such as valgrind, where a wall-clock limit would cut searches short. */
static double limit_s = ACC_QUERY_TIME_LIMIT;
static pthread_once_t limit_once = PTHREAD_ONCE_INIT;

static void read_time_limit(void)
{
    const char *e = getenv("ACCORD_QUERY_TIME_LIMIT");
    char *end = NULL;
    double v = e ? strtod(e, &end) : 0;
    if (e && end != e && *end == '\0' && v > 0 && v <= 3600)
        limit_s = v;
}

static double time_limit(void)
{
    pthread_once(&limit_once, read_time_limit);
    return limit_s;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Facets that no spy counted: each in a match of its own. */
static acc_status count_facets(acc_index *x, const acc_query *q, const acc_xap_query *matches,
                               const acc_xap_query *filters, acc_xap_spy *const *riders, double t0,
                               acc_results *r, acc_error *err)
{
    acc_status st = ACC_OK;
    r->facets_asked = q->facets;
    for (int k = 0; k < ACC_FACET_COUNT && st == ACC_OK; k++) {
        if (!(q->facets & (1u << k)))
            continue;
        if (riders[k]) {
            acc_facet_read(riders[k], (acc_facet_kind)k, &r->facets[k]);
            continue;
        }
        acc_xap_query *fq, *fk = acc_compose_filters(x, q, k, &st, err);
        if (k == ACC_FACET_LANG && q->lang[0]) {
            acc_query all_langs = *q;
            acc_strictness s2 = {0};
            acc_xap_query *c = NULL, *cm = NULL;
            all_langs.lang[0] = '\0';
            st = acc_compose(x, &all_langs, filters, NULL, &s2, &c, &cm, err);
            acc_xlat_free(s2.xlat);
            acc_xap_query_free(c);
            fq = st == ACC_OK ? acc_compose_with_filters(cm, filters) : NULL;
        } else {
            fq = acc_compose_with_filters(acc_xap_query_copy(matches), fk);
        }
        /* the facets' own matches spend what is left of the request's time limit: past it,
           counts of the matches seen so far, not a request without bound */
        double left = time_limit() - (now_ms() - t0) / 1e3;
        if (st == ACC_OK)
            st = acc_facet_count(x, fq, (acc_facet_kind)k, left > 0.05 ? left : 0.05, &r->facets[k],
                                 err);
        acc_xap_query_free(fq);
        acc_xap_query_free(fk);
    }
    if (st == ACC_OK && (q->facets & (1u << ACC_FACET_TARGET_YEAR))) {
        acc_commit_filter cf;
        acc_commit_facet_years(&r->facets[ACC_FACET_TARGET_YEAR],
                               acc_commit_filter_parse(q, &cf, NULL) == ACC_OK ? &cf : NULL);
    }
    return st;
}

/* The query's language and, per language searched, the translations used. */
static void report_translations(acc_index *x, const acc_query *q, const acc_xlat *t, acc_results *r)
{
    const char(*langs)[ACC_LANG_MAX];
    size_t nlangs;
    snprintf(r->query_lang, sizeof r->query_lang, "%s", acc_xlat_source(t));
    if (q->lang[0]) {
        acc_xlat_report(t, q->lang, r);
        return;
    }
    if (acc_index_langs(x, &langs, &nlangs, NULL) != ACC_OK)
        return;
    for (size_t i = 0; i < nlangs; i++)
        acc_xlat_report(t, langs[i], r);
}

static acc_status run_search(acc_index *x, const acc_query *q, acc_results **out, acc_error *err)
{
    double t0 = now_ms();
    x->searches++;
    acc_results *r = acc_xcalloc(1, sizeof *r);
    acc_status st = ACC_OK;
    acc_xap_query *filters = acc_compose_filters(x, q, -1, &st, err), *query = NULL, *full = NULL;
    acc_xap_query *matches = NULL;
    acc_xap_spy *riders[ACC_FACET_COUNT] = {NULL};
    acc_xap_spy *spies[ACC_FACET_COUNT];
    acc_xap_match *m = NULL, *counted = NULL;
    /* words typed together weigh on the best documents (lib/proximity.h), when ranked by
       relevance (sorted otherwise, they would only break ties) */
    acc_proxset prox = {.n = 0, .slack = ACC_NEAR_SLACK};
    acc_xap_match_opts o, co;
    acc_strictness s = {0};
    unsigned long all = 0, est, lower, upper;
    size_t nspies = 0;
    if (st == ACC_OK)
        /* over remote shards the servers test the boosts, as Xapian subqueries: here each
           position list, posting list and document length would be a round trip (two shards
           on loopback: 33-85 ms a search before, 128-280 ms with the boosts tested here) */
        st = acc_compose(x, q, filters, acc_index_has_remote(x) ? NULL : &prox, &s, &query,
                         &matches, err);
    if (st == ACC_OK)
        st = acc_xap_db_doccount(x->db, &all, err);
    if (st != ACC_OK)
        goto out;
    acc_xap_match_opts_init(&o);
    memcpy(o.bm25, bm25, sizeof bm25);
    /* a bounded answer time: past it, the best matches found so far. The time taken to read
       and compose the query (wildcard expansion, translations) is spent from it. */
    {
        double left = time_limit() - (now_ms() - t0) / 1e3;
        o.time_limit = left > 0.1 ? left : 0.1;
    }
    if (q->sort == ACC_SORT_NEWEST || q->sort == ACC_SORT_OLDEST) {
        o.sort_slot = ACC_SLOT_DATE;
        o.sort_descending = q->sort == ACC_SORT_NEWEST;
    } else if (q->sort == ACC_SORT_TARGET_YEAR) {
        o.sort_slot = ACC_SLOT_CSORT;
        o.sort_descending = 0;
    }
    /* documents without the value last either way; remote shards run Xapian's own value sort
       only (no key maker crosses the network) */
    if (o.sort_slot >= 0 && !acc_index_has_remote(x)) {
        o.sort_key = o.sort_descending ? acc_sort_key_descending : acc_sort_key_ascending;
        o.sort_descending = 0;
    }
    if (q->collapse)
        o.collapse_slot = ACC_SLOT_WORK;
    /* with versions following their hits, the page is cut from the start */
    const int with_versions = acc_picks_versions(q, s.plain);
    const unsigned id_doc = acc_picks_typed_id(x, q);
    o.offset = with_versions || id_doc ? 0 : q->offset;
    o.limit = with_versions || id_doc ? q->offset + q->limit : q->limit;
    if (with_versions && o.limit < ACC_VERSIONS_RANKED)
        o.limit = ACC_VERSIONS_RANKED;
    /* ranked again from the first hit: the rescore window's, at least */
    const unsigned page_offset = o.offset, page_limit = o.limit;
    const int rescore = prox.n && q->sort == ACC_SORT_RELEVANCE;
    if (rescore) {
        const size_t w = rescore_window(q);
        o.limit = o.offset + o.limit > w ? o.offset + o.limit : (unsigned)w;
        o.offset = 0;
    }
    /* exact totals when facets are asked for; otherwise exact up to ACC_EXACT_UP_TO */
    const unsigned check =
        q->facets
            ? (unsigned)all
            : (q->offset + q->limit > ACC_EXACT_UP_TO ? q->offset + q->limit : ACC_EXACT_UP_TO);
    full = acc_compose_with_filters(acc_xap_query_copy(query), filters);
    if (q->collapse || all < x->large_from) {
        /* one pass: the ranked match counts (check) and carries the facets' spies; a facet not
           filtered on its own dimension counts the main match set (collapsed hits: always, their
           totals are the ranked match's own) */
        o.check_at_least = check;
        for (int k = 0; k < ACC_FACET_COUNT; k++)
            if ((q->facets & (1u << k)) && !acc_facet_filtered(q, (acc_facet_kind)k) &&
                !q->collapse)
                spies[nspies++] = riders[k] = acc_facet_spy(x, (acc_facet_kind)k);
        o.spies = spies;
        o.nspies = nspies;
        st = acc_xap_match_run(x->db, full, &o, &m, err);
        if (st != ACC_OK)
            goto out;
        acc_xap_match_totals(m, &est, &lower, &upper);
    } else {
        /*
         * A large index, two passes: the ranked page (or the rescore window), where Xapian
         * skips what cannot reach it, and the totals and facets, counted over the query's match
         * set without weights or positions, facets riding on the count. On a small index the cost
         * of a search is the posting lists it opens, which a second pass opens again (565
         * documents: 13.95 M against 12.24 M instructions); on a large one it is the documents each
         * pass looks at.
         */
        st = acc_xap_match_run(x->db, full, &o, &m, err);
        if (st != ACC_OK)
            goto out;
        for (int k = 0; k < ACC_FACET_COUNT; k++)
            if ((q->facets & (1u << k)) && !acc_facet_filtered(q, (acc_facet_kind)k))
                spies[nspies++] = riders[k] = acc_facet_spy(x, (acc_facet_kind)k);
        acc_xap_match_opts_init(&co);
        co.bool_weight = 1;
        co.limit = 0;
        co.check_at_least = check;
        co.spies = spies;
        co.nspies = nspies;
        double left = time_limit() - (now_ms() - t0) / 1e3;
        co.time_limit = left > 0.1 ? left : 0.1;
        acc_xap_query *fm = acc_compose_with_filters(acc_xap_query_copy(matches), filters);
        st = acc_xap_match_run(x->db, fm, &co, &counted, err);
        acc_xap_query_free(fm);
        if (st != ACC_OK)
            goto out;
        acc_xap_match_totals(counted, &est, &lower, &upper);
    }
    if (rescore) {
        /* the boosts weigh as the reading they were part of: its words with every word of
           the query first in a filled query */
        const double f = s.filled ? ACC_FILL_FACTOR : 1.0;
        st = acc_prox_rescore(x->db, m, &prox, rescore_window(q), bm25,
                              (ACC_PHRASE_WEIGHT + ACC_NEAR_WEIGHT) * f, ACC_NEAR_WEIGHT * f,
                              page_offset, page_limit, err);
        if (st != ACC_OK)
            goto out;
    }
    /* without the fill's count, the strict query is the query itself (topic
       expansion aside, which a mistyped query does not trigger) */
    const unsigned long strict_total =
        s.counted ? s.strict_total : (lower < ACC_FILL_BELOW ? lower : ACC_FILL_BELOW);
    r->total = est;
    r->total_exact = lower == upper;
    r->revision = x->rev;
    r->simplified = s.simplified;
    if (s.simplified)
        snprintf(r->message, sizeof r->message, "%s",
                 "the query had a syntax error and was searched as plain words");
    else if (s.filled)
        snprintf(r->message, sizeof r->message, "%s",
                 "few documents have all the words: documents with some of them follow");
    if (s.xlat)
        report_translations(x, q, s.xlat, r);
    st = count_facets(x, q, matches, filters, riders, t0, r, err);
    if (st != ACC_OK)
        goto out;
    /* did you mean: only when the query finds nothing or very little, and time is left */
    if (!(q->similar && *q->similar) && strict_total < ACC_SPELL_BELOW && q->text && q->text_len &&
        !s.simplified && now_ms() - t0 < time_limit() * 1e3) {
        acc_buf b;
        acc_buf_init(&b, 0);
        if (acc_text_query_fold(q->text, q->text_len, &b, NULL) == ACC_OK && b.p)
            st = acc_spell_suggest(x, b.p, b.n, &r->suggestion, err);
        acc_buf_release(&b);
        if (st != ACC_OK)
            goto out;
    }
    acc_pick *picks = NULL;
    size_t npicks = 0;
    /* the total counts the matches: a version shown that is no match of its
       own is not counted (so that every page tells the same total) */
    st = acc_page_picks(x, m, q, with_versions, id_doc, &picks, &npicks, err);
    if (st == ACC_OK) {
        /* the highlighter marks the phrases' words too, as when they were Xapian's boosts */
        acc_xap_query *hl = prox.words ? acc_xap_query_pair(ACC_XAP_OR, query, prox.words) : query;
        st = acc_hits_fill(x, m, picks, npicks, hl, q, s.filled ? ACC_FILL_FACTOR : 1.0, r, err);
        if (hl != query)
            acc_xap_query_free(hl);
    }
    free(picks);
    r->took_ms = now_ms() - t0;
out:
    acc_proxset_release(&prox);
    acc_xap_match_free(m);
    acc_xap_match_free(counted);
    acc_xap_query_free(matches);
    for (int k = 0; k < ACC_FACET_COUNT; k++)
        acc_facet_spy_free(riders[k]);
    acc_xap_query_free(full);
    acc_xap_query_free(query);
    acc_xap_query_free(filters);
    acc_xlat_free(s.xlat);
    if (st != ACC_OK) {
        acc_results_free(r);
        r = NULL;
    }
    *out = r;
    return st;
}

acc_status acc_index_search(acc_index *x, const acc_query *q, acc_results **out, acc_error *err)
{
    acc_status st = acc_query_check(q, err);
    if (st != ACC_OK)
        return st;
    /* punctuation typed between words is no syntax (a title pasted as it is) */
    acc_query local = *q;
    acc_buf tidy, rest;
    char *typed[4] = {NULL, NULL, NULL, NULL};
    acc_buf_init(&tidy, 0);
    acc_buf_init(&rest, 0);
    if (q->text && q->text_len) {
        /* commitment filters typed in the query (target:netzero cut:>=50) are
           parameters; a parameter given apart wins */
        acc_commit_text_filters(q->text, q->text_len, &rest, typed);
        const char **fields[4] = {&local.target, &local.target_year, &local.cut, &local.strength};
        for (int k = 0; k < 4; k++)
            if (typed[k] && !(*fields[k] && **fields[k]))
                *fields[k] = typed[k];
        if (typed[0] || typed[1] || typed[2] || typed[3]) {
            st = acc_query_check(&local, err);
            if (st != ACC_OK)
                goto out;
        }
        acc_qtext_tidy(rest.p ? rest.p : "", rest.n, &tidy);
        local.text = tidy.p ? tidy.p : "";
        local.text_len = tidy.n;
    }
    /* a text pasted whole (a paragraph, a sentence in Chinese): its first words are searched,
       and the answer says so */
    size_t words = 0;
    if (local.text && local.text_len) {
        size_t cut = acc_query_cut(local.text, local.text_len, &words);
        if (words > ACC_QUERY_MAX_WORDS)
            local.text_len = cut;
    }
    /* one lang:xx typed in the query restricts and picks the stemmer like --lang */
    if (!q->lang[0] && local.text)
        acc_qtext_lang(local.text, local.text_len, local.lang);
    for (int attempt = 0;; attempt++) {
        st = acc_index_refresh(x, err);
        if (st == ACC_OK)
            st = run_search(x, &local, out, err);
        /* the index changed under the search: again on the new revision; a remote shard
           stopped answering: again without it */
        if (st == ACC_OK || !acc_index_again(x, st, attempt))
            break;
    }
    if (st == ACC_OK && words > ACC_QUERY_MAX_WORDS) {
        acc_results *r = *out;
        acc_buf m;
        acc_buf_init(&m, 0);
        acc_buf_printf(&m, "the query has %zu words: its first %d were searched%s%s", words,
                       ACC_QUERY_MAX_WORDS, r->message[0] ? "; " : "", r->message);
        size_t k = m.n < sizeof r->message - 1 ? m.n : sizeof r->message - 1; /* ASCII */
        memcpy(r->message, m.p, k);
        r->message[k] = '\0';
        acc_buf_release(&m);
        r->words_typed = words;
    }
    if (st == ACC_OK) {
        const char **names;
        size_t n = acc_index_missing_shards(x, &names);
        (*out)->missing_shards = n ? acc_xcalloc(n, sizeof(char *)) : NULL;
        for (size_t i = 0; i < n; i++)
            (*out)->missing_shards[i] = acc_xstrdup(names[i]);
        (*out)->nmissing = n;
    }
out:
    acc_buf_release(&tidy);
    acc_buf_release(&rest);
    for (int k = 0; k < 4; k++)
        free(typed[k]);
    if (st != ACC_OK)
        acc_error_prefix(err, st, "search failed");
    return st;
}
