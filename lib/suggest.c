/*
 * lib/suggest.c: completions for a search box (acc_index_suggest_json), fast
 * enough for every keystroke: the last word completed from the index's
 * words, most frequent first, then titles having the words typed, the last
 * one as a prefix.
 */
#include <ctype.h>
#include <jansson.h>
#include <string.h>

#include "accord/schema.h"
#include "accord/text.h"
#include "complete.h"
#include "docstore.h"
#include "qbits.h"
#include "qtext.h"
#include "reader.h"
#include "record.h"

/* words looked at for completing the last word, at most */
#define WORDS_SCAN_MAX 20000
/* a title prefix expands to at most this many words, the most frequent */
#define TITLE_EXPANSION 20
/* titles complete from this many characters typed (one letter would expand
   to most words) */
#define TITLE_MIN_BYTES 2

/* {"text": text, "kind": kind[, "id": id]} onto arr (direct calls: json_pack reads its format
   string each time, a third of an item's cost) */
static void add_item(json_t *arr, const char *text, size_t tn, const char *kind, const char *id,
                     size_t idn)
{
    json_t *t = acc_json_text(text, tn), *i = id ? acc_json_text(id, idn) : NULL;
    if (!t || (id && !i)) { /* not UTF-8: an index written by something else */
        json_decref(t);
        json_decref(i);
        return;
    }
    json_t *o = json_object();
    json_object_set_new_nocheck(o, "text", t);
    json_object_set_new_nocheck(o, "kind", json_string_nocheck(kind));
    if (i)
        json_object_set_new_nocheck(o, "id", i);
    json_array_append_new(arr, o);
}

static void add_word(json_t *arr, const char *head, size_t hn, const char *w)
{
    acc_buf s;
    acc_buf_init(&s, 0);
    acc_buf_append(&s, head, hn);
    acc_buf_append(&s, w, strlen(w));
    add_item(arr, s.p ? s.p : "", s.n, "word", NULL, 0);
    acc_buf_release(&s);
}

/* A title hit: its title and id from the label slot (or, version 5, the record). */
static acc_status add_title(json_t *arr, const acc_xap_doc *doc, acc_error *err)
{
    acc_buf label, data;
    acc_status st;
    acc_buf_init(&label, 0);
    acc_buf_init(&data, 0);
    st = acc_xap_doc_value(doc, ACC_SLOT_LABEL, &label, err);
    if (st != ACC_OK)
        goto out;
    const char *sep = label.n ? memchr(label.p, '\x1f', label.n) : NULL;
    if (sep) {
        size_t idn = (size_t)(sep - label.p), tn = label.n - idn - 1;
        if (tn) /* else no title to show */
            add_item(arr, sep + 1, tn, "title", label.p, idn);
        goto out;
    }
    /* an index of accord < 0.6: the record has them */
    st = acc_xap_doc_data(doc, &data, err);
    if (st != ACC_OK)
        goto out;
    json_t *rec = json_loadb(data.p ? data.p : "",
                             acc_docstore_record_len(data.p ? data.p : "", data.n), 0, NULL);
    const char *title = json_string_value(json_object_get(rec, "title"));
    const char *id = json_string_value(json_object_get(rec, "id"));
    if (title && *title && id)
        json_array_append_new(arr,
                              json_pack("{s:s,s:s,s:s}", "text", title, "kind", "title", "id", id));
    json_decref(rec);
out:
    acc_buf_release(&label);
    acc_buf_release(&data);
    return st;
}

/*
 * Whether the words f[0..n) (folded, space-separated) are each one title term as the query
 * parser would make it: letters and digits, no CJK (which the parser cuts into n-grams).
 */
static int plain_words(const char *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)f[i];
        if (c < 0x80 ? !(isalnum(c) || c == ' ') : c >= 0xE3)
            return 0;
    }
    return 1;
}

/*
 * Titles having the words typed, the last one as a prefix: want of them into arr. With words
 * (the last word's most frequent completions, from the index's table), the titles having one
 * of those words and the words before it (hn bytes of folded, plain_words), the first found;
 * otherwise the query parsed with the last word expanded by Xapian, the titles ranked (or,
 * unless ranked, the first found).
 */
static acc_status titles(acc_index *x, const char *folded, size_t n, size_t hn, unsigned want,
                         const acc_top_term *words, size_t nwords, int ranked, json_t *arr,
                         acc_error *err)
{
    acc_xap_parser *p = NULL;
    acc_xap_query *q = NULL;
    acc_xap_match *m = NULL;
    acc_xap_match_opts o;
    acc_status st = ACC_OK;
    acc_xap_match_opts_init(&o);
    o.limit = want;
    if (words) {
        /* a word of one to three characters starts the most frequent words of the index, whose
           title posting lists span most of a large one: ranking them is a scan of every title
           (195 M instructions for "de" over 1M documents) and Xapian's expansion a scan of the
           title words, so the table's words are taken and the first titles found shown, which
           Xapian finds without looking further */
        acc_qlist l = {NULL, 0}, all = {NULL, 0};
        for (size_t i = 0; i < nwords; i++)
            acc_qlist_add(&l, acc_q_term(ACC_PFX_TITLE, words[i].term, strlen(words[i].term)));
        acc_qlist_add(&all, acc_qlist_join(&l, ACC_XAP_OR));
        for (size_t i = 0; i < hn;) {
            size_t j = i;
            while (j < hn && folded[j] != ' ')
                j++;
            if (j > i)
                acc_qlist_add(&all, acc_q_term(ACC_PFX_TITLE, folded + i, j - i));
            i = j + 1;
        }
        q = acc_qlist_join(&all, ACC_XAP_AND);
        o.bool_weight = 1;
    } else {
        p = acc_xap_parser_new(NULL);
        acc_xap_parser_max_expansion(p, TITLE_EXPANSION, ACC_XAP_PARSE_PARTIAL);
        acc_buf b;
        acc_buf_init(&b, 0);
        acc_qtext_for_parser(folded, n, &b);
        st = acc_xap_parse(p, x->db, b.p ? b.p : "", b.n, ACC_XAP_PARSE_PARTIAL | ACC_XAP_PARSE_CJK,
                           ACC_XAP_AND, ACC_PFX_TITLE, &q, err);
        acc_buf_release(&b);
        if (st != ACC_OK)
            goto out;
        o.bool_weight = !ranked;
    }
    /* the first found over several local shards: shard by shard, since Xapian's match over
       several databases looks at every match ("de": 582 M instructions over 2 shards of 1M
       documents, 0.35 M over one database) */
    const size_t parts = o.bool_weight ? acc_xap_db_parts(x->db) : 0;
    const size_t before = json_array_size(arr);
    for (size_t k = 0; st == ACC_OK && k < (parts ? parts : 1); k++) {
        const size_t got = json_array_size(arr) - before;
        if (got >= want)
            break;
        acc_xap_db *part = NULL;
        if (parts)
            st = acc_xap_db_part(x->db, k, &part, err);
        o.limit = want - (unsigned)got;
        if (st == ACC_OK)
            st = acc_xap_match_run(parts ? part : x->db, q, &o, &m, err);
        for (size_t i = 0; st == ACC_OK && i < acc_xap_match_size(m); i++) {
            acc_xap_doc *doc = NULL;
            st = acc_xap_match_doc(m, i, &doc, err);
            if (st == ACC_OK)
                st = add_title(arr, doc, err);
            acc_xap_doc_free(doc);
        }
        acc_xap_match_free(m);
        m = NULL;
        acc_xap_db_close(part);
    }
out:
    acc_xap_match_free(m);
    acc_xap_query_free(q);
    acc_xap_parser_free(p);
    return st;
}

static char *suggest_json_once(acc_index *x, const char *text, size_t len, unsigned limit,
                               acc_error *err)
{
    acc_buf folded;
    json_t *arr = NULL;
    char *s = NULL;
    acc_status st = acc_index_refresh(x, err);
    acc_buf_init(&folded, 0);
    if (st != ACC_OK)
        goto out;
    if (!acc_utf8_valid(text, len)) {
        acc_error_set(err, ACC_EINVAL, "query is not valid UTF-8");
        goto done;
    }
    st = acc_text_norm_fold(text, len, &folded, err);
    if (st != ACC_OK)
        goto out;
    arr = json_array();
    const char *f = folded.p ? folded.p : "";
    size_t hn = folded.n; /* the words before the last, with their space */
    while (hn > 0 && f[hn - 1] != ' ')
        hn--;
    const char *last = f + hn;
    size_t ln = folded.n - hn;
    /* the last word completed from the index's words, most frequent first: short prefixes
       from the index's table (lib/complete.h), longer ones scanned */
    acc_top_term *top = NULL;
    size_t ntop = 0;
    int as_table = 0; /* top is what the table has, or would have, for the prefix */
    const size_t nwords = limit / 2 + 1;
    if (ln && ((last[0] & 0x80) == 0 ? isalnum((unsigned char)last[0]) : 1)) {
        as_table = acc_complete_stored(x->db, last, ln, ACC_COMPLETE_KEEP, &top, &ntop);
        if (!as_table) {
            /* a short prefix of fewer than ACC_COMPLETE_FEW words is left out of the table: its
               scan finds all of them, as the table would have had them */
            const int brief = acc_complete_short(last, ln);
            const size_t want = brief && nwords < ACC_COMPLETE_FEW ? ACC_COMPLETE_FEW : nwords;
            st = acc_index_top_terms(x, last, ln, want, WORDS_SCAN_MAX, NULL, NULL, &top, &ntop,
                                     err);
            as_table = st == ACC_OK && brief && ntop < ACC_COMPLETE_FEW;
        }
        for (size_t i = 0; st == ACC_OK && i < ntop && i < nwords; i++)
            add_word(arr, f, hn, top[i].term);
    }
    if (st == ACC_OK && ln >= TITLE_MIN_BYTES && json_array_size(arr) < limit) {
        /* ranking the titles that match a prefix costs what their posting lists hold (37 M
           instructions for "prot" over 1M documents) and Xapian's expansion of a short prefix
           a scan of the title words (12 M for "climate ad"): a large index shows the first
           titles found, and the words before a short last word narrow its table's words, as
           one short word always does */
        unsigned long docs = 0;
        acc_error e;
        const int large = acc_xap_db_doccount(x->db, &docs, &e) == ACC_OK && docs >= x->large_from;
        const int by_words = as_table && ntop && (hn == 0 || (large && plain_words(f, hn)));
        st = titles(x, f, folded.n, hn, limit - (unsigned)json_array_size(arr),
                    by_words ? top : NULL, by_words ? ntop : 0, !large, arr, err);
    }
    acc_top_terms_free(top, ntop);
    if (st != ACC_OK)
        goto out;
    json_t *o = json_object();
    json_object_set(o, "suggestions", arr);
    s = acc_json_dump(o, JSON_COMPACT | JSON_PRESERVE_ORDER, 1024); /* ten suggestions: < 1 KB */
    json_decref(o);
out:
    if (st != ACC_OK)
        acc_error_prefix(err, st, "suggestions failed");
done:
    json_decref(arr);
    acc_buf_release(&folded);
    return s;
}

char *acc_index_suggest_json(acc_index *x, const char *text, size_t len, unsigned limit,
                             acc_error *err)
{
    acc_error e;
    acc_error *use = err ? err : &e;
    char *s = NULL;
    /* the index changed under the read, or a remote shard stopped answering: again */
    for (int attempt = 0; !s; attempt++) {
        s = suggest_json_once(x, text, len, limit, use);
        if (!s && !acc_index_again(x, use->code, attempt))
            break;
    }
    return s;
}
