/*
 * lib/topicmatch.c: vocabulary terms found in texts (lib/topicmatch.h).
 *
 * A matcher holds, for one language, each vocabulary term as a sequence of
 * key ids, and the terms grouped by their first key; a text is walked once,
 * and at each word only the terms that start with its key are compared.
 */
#define _GNU_SOURCE /* memmem */
#include "topicmatch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/lang.h"
#include "accord/schema.h"
#include "accord/text.h"
#include "accord/writer.h"
#include "stem.h"

typedef struct tm_term {
    size_t off; /* its key ids: the matcher's pool[off..off + nkeys) */
    size_t nkeys;
    size_t topic;
} tm_term;

struct acc_topic_matcher {
    char lang[ACC_LANG_MAX];
    acc_strmap keys; /* key -> id */
    tm_term *terms;  /* in vocabulary order */
    size_t nterms, terms_alloc;
    size_t *pool; /* the terms' key ids, one allocation (a matcher has thousands of terms) */
    size_t npool, pool_alloc;
    size_t *first_start; /* terms starting with key id k: first_terms[first_start[k]..[k+1]) */
    size_t *first_terms; /* term indices, in vocabulary order within a key */
    char *ids;           /* the vocabulary's topic ids, each NUL-terminated, in topic order */
    size_t *id_off;      /* topic i's id: ids + id_off[i] */
    size_t nids;
    struct acc_topic_matcher *next;
};

/* ------------------------------------------------------------ word sequences */

void acc_wordseq_init(acc_wordseq *ws)
{
    memset(ws, 0, sizeof *ws);
    acc_strmap_init(&ws->words);
    acc_strmap_init(&ws->keys);
}

void acc_wordseq_release(acc_wordseq *ws)
{
    acc_strmap_release(&ws->words);
    acc_strmap_release(&ws->keys);
    free(ws->wdf);
    free(ws->cjk);
    free(ws->key);
    free(ws->seq);
    memset(ws, 0, sizeof *ws);
}

typedef struct add_ctx {
    acc_wordseq *ws;
    unsigned weight;
} add_ctx;

static int on_word(void *ctx, const char *w, size_t n, int cjk)
{
    add_ctx *a = ctx;
    acc_wordseq *ws = a->ws;
    int added;
    if (n > ACC_MAX_WORD_BYTES)
        return 0;
    size_t i = acc_strmap_put(&ws->words, w, n, &added);
    if (added) {
        if (i >= ws->alloc) {
            ws->alloc = ws->alloc ? 2 * ws->alloc : 256;
            ws->wdf = acc_xrealloc(ws->wdf, ws->alloc * sizeof *ws->wdf);
            ws->cjk = acc_xrealloc(ws->cjk, ws->alloc * sizeof *ws->cjk);
            ws->key = acc_xrealloc(ws->key, ws->alloc * sizeof *ws->key);
        }
        ws->wdf[i] = 0;
        ws->key[i] = ACC_STRMAP_NONE;
    }
    ws->wdf[i] += a->weight;
    ws->cjk[i] = cjk != 0;
    if (ws->nseq == ws->seq_alloc) {
        ws->seq_alloc = ws->seq_alloc ? 2 * ws->seq_alloc : 1024;
        ws->seq = acc_xrealloc(ws->seq, ws->seq_alloc * sizeof *ws->seq);
    }
    ws->seq[ws->nseq++] = i;
    return 0;
}

void acc_wordseq_add(acc_wordseq *ws, const char *p, size_t n, unsigned weight)
{
    add_ctx a = {ws, weight};
    acc_text_words(p, n, on_word, &a);
}

void acc_wordseq_set_key(acc_wordseq *ws, size_t i, const char *k, size_t n)
{
    ws->key[i] = acc_strmap_put(&ws->keys, k, n, NULL);
}

const char *acc_wordseq_word(const acc_wordseq *ws, size_t i, size_t *n)
{
    return acc_strmap_key(&ws->words, i, n);
}

size_t acc_wordseq_count(const acc_wordseq *ws)
{
    return ws->words.n;
}

void acc_topic_word_key(acc_xap_stem *stem, const char *w, size_t n, acc_buf *out)
{
    if (stem)
        acc_stem_folded(stem, w, n, out);
    else
        acc_text_fold(w, n, out, NULL);
}

void acc_wordseq_keys(acc_wordseq *ws, acc_xap_stem *stem)
{
    acc_buf k;
    acc_buf_init(&k, 0);
    for (size_t i = 0; i < ws->words.n; i++) {
        size_t n;
        const char *w = acc_wordseq_word(ws, i, &n);
        acc_buf_reset(&k);
        if (ws->cjk[i])
            acc_buf_append(&k, w, n);
        else
            acc_topic_word_key(stem, w, n, &k);
        acc_wordseq_set_key(ws, i, k.p ? k.p : "", k.n);
    }
    acc_buf_release(&k);
}

/* ----------------------------------------------------------------- matchers */

typedef struct key_ctx {
    acc_topic_matcher *m;
    acc_xap_stem *stem;
    acc_buf key;
    size_t *ids;
    size_t n, alloc;
} key_ctx;

static int on_term_word(void *ctx, const char *w, size_t n, int cjk)
{
    key_ctx *k = ctx;
    acc_buf_reset(&k->key);
    if (cjk)
        acc_buf_append(&k->key, w, n);
    else
        acc_topic_word_key(k->stem, w, n, &k->key);
    if (k->n == k->alloc) {
        k->alloc = k->alloc ? 2 * k->alloc : 8;
        k->ids = acc_xrealloc(k->ids, k->alloc * sizeof *k->ids);
    }
    k->ids[k->n++] = acc_strmap_put(&k->m->keys, k->key.p ? k->key.p : "", k->key.n, NULL);
    return 0;
}

static void group_by_first_key(acc_topic_matcher *m);

/* Appends a term of n key ids (n >= 1) to m. */
static void add_term(acc_topic_matcher *m, const size_t *ids, size_t n, size_t topic)
{
    if (m->nterms == m->terms_alloc) {
        m->terms_alloc = m->terms_alloc ? 2 * m->terms_alloc : 64;
        m->terms = acc_xrealloc(m->terms, m->terms_alloc * sizeof *m->terms);
    }
    while (m->npool + n > m->pool_alloc) {
        m->pool_alloc = m->pool_alloc ? 2 * m->pool_alloc : 256;
        m->pool = acc_xrealloc(m->pool, m->pool_alloc * sizeof *m->pool);
    }
    memcpy(m->pool + m->npool, ids, n * sizeof *ids);
    m->terms[m->nterms++] = (tm_term){m->npool, n, topic};
    m->npool += n;
}

static acc_topic_matcher *build(const acc_topics *vocab, const char *lang, acc_xap_stem *stem)
{
    acc_topic_matcher *m = acc_xcalloc(1, sizeof *m);
    key_ctx k = {m, stem, {0}, NULL, 0, 0};
    acc_buf normed;
    snprintf(m->lang, sizeof m->lang, "%s", lang);
    acc_strmap_init(&m->keys);
    acc_buf_init(&k.key, 0);
    acc_buf_init(&normed, 0);
    /* one pass over the vocabulary (a lookup per term would be quadratic) */
    for (size_t e = 0; e < acc_topics_nentries(vocab); e++) {
        size_t topic;
        const char *elang, *term;
        if (!acc_topics_entry(vocab, e, &topic, &elang, &term) || strcmp(lang, elang) != 0)
            continue;
        acc_buf_reset(&normed);
        if (acc_text_norm(term, strlen(term), &normed, NULL) != ACC_OK || !normed.n)
            continue;
        k.n = 0;
        acc_text_words(normed.p, normed.n, on_term_word, &k);
        if (k.n)
            add_term(m, k.ids, k.n, topic);
    }
    group_by_first_key(m);
    /* the topics' ids, as a stored matcher has them (a search names a topic by its id) */
    acc_buf ids;
    acc_buf_init(&ids, 0);
    m->nids = acc_topics_count(vocab);
    m->id_off = acc_xmalloc((m->nids ? m->nids : 1) * sizeof *m->id_off);
    for (size_t i = 0; i < m->nids; i++) {
        const char *id = acc_topics_id(vocab, i);
        m->id_off[i] = ids.n;
        acc_buf_append(&ids, id, strlen(id) + 1);
    }
    m->ids = acc_buf_detach(&ids, NULL);
    free(k.ids);
    acc_buf_release(&k.key);
    acc_buf_release(&normed);
    return m;
}

const char *acc_topic_matcher_topic_id(const acc_topic_matcher *m, size_t topic)
{
    return topic < m->nids && m->ids ? m->ids + m->id_off[topic] : NULL;
}

/* Terms grouped by first key, vocabulary order kept within a group. */
static void group_by_first_key(acc_topic_matcher *m)
{
    size_t nkeys = m->keys.n;
    m->first_start = acc_xcalloc(nkeys + 1, sizeof *m->first_start);
    m->first_terms = acc_xmalloc((m->nterms ? m->nterms : 1) * sizeof *m->first_terms);
    for (size_t i = 0; i < m->nterms; i++)
        m->first_start[m->pool[m->terms[i].off] + 1]++;
    for (size_t i = 0; i < nkeys; i++)
        m->first_start[i + 1] += m->first_start[i];
    size_t *fill = acc_xcalloc(nkeys + 1, sizeof *fill);
    for (size_t i = 0; i < m->nterms; i++) {
        size_t f = m->pool[m->terms[i].off];
        m->first_terms[m->first_start[f] + fill[f]++] = i;
    }
    free(fill);
}

const acc_topic_matcher *acc_topic_matcher_get(const acc_topics *vocab, const char *lang,
                                               acc_xap_stem *stem)
{
    acc_topic_matcher *m;
    /* a vocabulary read unparsed (acc_topics_read) is parsed by its first reader, under its
       lock: before build() reads it under that same lock */
    (void)acc_topics_count(vocab);
    acc_topics_lock(vocab);
    for (m = *acc_topics_matchers(vocab); m; m = m->next)
        if (strcmp(m->lang, lang) == 0)
            break;
    if (!m) {
        m = build(vocab, lang, stem);
        m->next = *acc_topics_matchers(vocab);
        *acc_topics_matchers(vocab) = m;
    }
    acc_topics_unlock(vocab);
    return m;
}

void acc_topic_matchers_free(void *matchers)
{
    acc_topic_matcher *m = matchers;
    while (m) {
        acc_topic_matcher *next = m->next;
        free(m->terms);
        free(m->pool);
        free(m->first_start);
        free(m->first_terms);
        free(m->ids);
        free(m->id_off);
        acc_strmap_release(&m->keys);
        free(m);
        m = next;
    }
}

void acc_topic_matcher_each(const acc_topic_matcher *m, const acc_wordseq *ws, acc_topic_hit_fn fn,
                            void *ctx)
{
    /* each distinct word's key as a key id of the matcher (NONE: in no term) */
    size_t nw = ws->words.n;
    size_t *kid = acc_xmalloc((nw ? nw : 1) * sizeof *kid);
    for (size_t i = 0; i < nw; i++) {
        size_t kn;
        if (ws->key[i] == ACC_STRMAP_NONE) {
            kid[i] = ACC_STRMAP_NONE;
            continue;
        }
        const char *k = acc_strmap_key(&ws->keys, ws->key[i], &kn);
        kid[i] = acc_strmap_get(&m->keys, k, kn);
    }
    for (size_t i = 0; i < ws->nseq; i++) {
        size_t first = kid[ws->seq[i]];
        if (first == ACC_STRMAP_NONE)
            continue;
        for (size_t c = m->first_start[first]; c < m->first_start[first + 1]; c++) {
            const tm_term *t = &m->terms[m->first_terms[c]];
            if (i + t->nkeys > ws->nseq)
                continue;
            size_t k = 1;
            const size_t *keys = m->pool + t->off;
            while (k < t->nkeys && kid[ws->seq[i + k]] == keys[k])
                k++;
            if (k == t->nkeys)
                fn(ctx, m->first_terms[c], t->topic);
        }
    }
    free(kid);
}

typedef struct tag_ctx {
    unsigned *hits;
    unsigned *distinct;
    char *seen; /* per term */
} tag_ctx;

static void on_hit(void *ctx, size_t term, size_t topic)
{
    tag_ctx *t = ctx;
    t->hits[topic]++;
    if (!t->seen[term]) {
        t->seen[term] = 1;
        t->distinct[topic]++;
    }
}

size_t acc_topic_tag(const acc_topic_matcher *m, const acc_wordseq *ws, size_t ntopics,
                     unsigned *hits, size_t *out)
{
    tag_ctx t = {hits, acc_xcalloc(ntopics ? ntopics : 1, sizeof(unsigned)),
                 acc_xcalloc(m->nterms ? m->nterms : 1, 1)};
    size_t n = 0, *all = acc_xmalloc((ntopics ? ntopics : 1) * sizeof *all);
    memset(hits, 0, ntopics * sizeof *hits);
    acc_topic_matcher_each(m, ws, on_hit, &t);
    unsigned need = (unsigned)(ws->nseq / ACC_TOPIC_WORDS_PER_HIT);
    if (need < 2)
        need = 2;
    for (size_t i = 0; i < ntopics; i++)
        if (t.distinct[i] >= ACC_TOPIC_MIN_TERMS && hits[i] >= need)
            all[n++] = i;
    /* most frequent first, ties in vocabulary order (insertion sort: stable) */
    for (size_t i = 1; i < n; i++) {
        size_t v = all[i], j = i;
        while (j > 0 && hits[all[j - 1]] < hits[v]) {
            all[j] = all[j - 1];
            j--;
        }
        all[j] = v;
    }
    if (n > ACC_TOPIC_MAX)
        n = ACC_TOPIC_MAX;
    memcpy(out, all, n * sizeof *out);
    free(all);
    free(t.distinct);
    free(t.seen);
    return n;
}

/* ---------------------------------------------------------- stored matchers */

/*
 * Format (text, one value per language):
 *   accord-topicmatch 2 <fingerprint, 16 hex digits> <lang>\n
 *   <number of keys> <number of terms> <number of topics>\n
 *   one topic id a line, in topic order
 *   one key a line, in key id order
 *   one term a line: <topic> <key id> <key id> ...
 * Keys are stems or folded words of the vocabulary's terms: never a newline. Topic ids are
 * [a-z0-9-]+ (lib/topics.c). Version 2 added the topic ids: a search over an index that stores
 * its matchers reads no vocabulary file entry.
 */
#define STORED_MAGIC "accord-topicmatch 2"
#define STORED_FP_KEY ACC_TOPICMATCH_KEY "fingerprint"

/* The fingerprint of what build() reads: the vocabulary, and Xapian's version. */
static unsigned long long match_fp(const acc_topics *vocab)
{
    acc_topics_lock(vocab);
    unsigned long long *slot = acc_topics_match_fp(vocab);
    if (!*slot) {
        /* what build() reads is the vocabulary file: its bytes' hash, computed as it was
           read (hashing the parsed entries cost a CLI process 2 M instructions) */
        unsigned long long fh = acc_topics_file_hash(vocab);
        unsigned long long h = acc_hash_words(STORED_MAGIC, sizeof STORED_MAGIC, ACC_FNV_INIT);
        h = acc_hash_words(acc_xap_version(), strlen(acc_xap_version()) + 1, h);
        h = acc_hash_words(&fh, sizeof fh, h);
        *slot = h ? h : 1;
    }
    unsigned long long fp = *slot;
    acc_topics_unlock(vocab);
    return fp;
}

const acc_topic_matcher *acc_topic_matcher_cached(const acc_topics *vocab, const char *lang)
{
    acc_topic_matcher *m;
    acc_topics_lock(vocab);
    for (m = *acc_topics_matchers(vocab); m; m = m->next)
        if (strcmp(m->lang, lang) == 0)
            break;
    acc_topics_unlock(vocab);
    return m;
}

/* Appends m in the stored format to out; 0 when a key cannot be written (a newline). */
static int encode(const acc_topic_matcher *m, unsigned long long fp, acc_buf *out)
{
    char line[64];
    snprintf(line, sizeof line, "%s %016llx ", STORED_MAGIC, fp);
    acc_buf_append(out, line, strlen(line));
    acc_buf_append(out, m->lang, strlen(m->lang));
    snprintf(line, sizeof line, "\n%zu %zu %zu\n", m->keys.n, m->nterms, m->nids);
    acc_buf_append(out, line, strlen(line));
    for (size_t i = 0; i < m->nids; i++) {
        const char *id = acc_topic_matcher_topic_id(m, i);
        acc_buf_append(out, id, strlen(id));
        acc_buf_putc(out, '\n');
    }
    for (size_t i = 0; i < m->keys.n; i++) {
        size_t n;
        const char *k = acc_strmap_key(&m->keys, i, &n);
        if (!n || memchr(k, '\n', n) || memchr(k, '\0', n))
            return 0;
        acc_buf_append(out, k, n);
        acc_buf_putc(out, '\n');
    }
    for (size_t i = 0; i < m->nterms; i++) {
        snprintf(line, sizeof line, "%zu", m->terms[i].topic);
        acc_buf_append(out, line, strlen(line));
        for (size_t k = 0; k < m->terms[i].nkeys; k++) {
            snprintf(line, sizeof line, " %zu", m->pool[m->terms[i].off + k]);
            acc_buf_append(out, line, strlen(line));
        }
        acc_buf_putc(out, '\n');
    }
    return 1;
}

acc_status acc_topic_matchers_store(const acc_topics *vocab, acc_writer *w, acc_error *err)
{
    char fps[17], *have = NULL;
    unsigned long long fp = match_fp(vocab);
    snprintf(fps, sizeof fps, "%016llx", fp);
    acc_status st = acc_writer_get_meta(w, STORED_FP_KEY, &have, err);
    int same = st == ACC_OK && have && strcmp(have, fps) == 0;
    free(have);
    if (st != ACC_OK || same)
        return st;
    /* every language of the vocabulary, each once */
    acc_strmap langs;
    acc_buf b;
    acc_strmap_init(&langs);
    acc_buf_init(&b, 0);
    for (size_t e = 0; e < acc_topics_nentries(vocab) && st == ACC_OK; e++) {
        size_t topic;
        const char *elang, *term;
        int added;
        if (!acc_topics_entry(vocab, e, &topic, &elang, &term))
            continue;
        acc_strmap_put(&langs, elang, strlen(elang), &added);
        if (!added)
            continue;
        acc_xap_stem *stem = acc_stem_new(elang);
        const acc_topic_matcher *m = acc_topic_matcher_get(vocab, elang, stem);
        acc_xap_stem_free(stem);
        char key[64];
        snprintf(key, sizeof key, "%s%s", ACC_TOPICMATCH_KEY, elang);
        acc_buf_reset(&b);
        /* a matcher that cannot be written is not stored: searches build it */
        st = acc_writer_set_meta(w, key, encode(m, fp, &b) && b.p ? b.p : "", err);
    }
    if (st == ACC_OK)
        st = acc_writer_set_meta(w, STORED_FP_KEY, fps, err);
    acc_buf_release(&b);
    acc_strmap_release(&langs);
    return st;
}

/* The number at *p (at most max) and the byte after it in *sep; advances *p past both. -1 when
   there is none, it is larger, or the text ends. */
static long long read_num(const char **p, const char *end, size_t max, char *sep)
{
    const char *s = *p;
    unsigned long long v = 0;
    if (s >= end || *s < '0' || *s > '9')
        return -1;
    while (s < end && *s >= '0' && *s <= '9') {
        v = v * 10 + (unsigned)(*s - '0');
        if (v > max)
            return -1;
        s++;
    }
    if (s >= end)
        return -1;
    *sep = *s;
    *p = s + 1;
    return (long long)v;
}

/* A matcher from p[0..end) (after its header), or NULL when damaged. */
static acc_topic_matcher *decode(const char *p, const char *end, const char *lang)
{
    const size_t limit = (size_t)(end - p);
    char sep = 0;
    long long nkeys = read_num(&p, end, limit, &sep);
    long long nterms = sep == ' ' ? read_num(&p, end, limit, &sep) : -1;
    long long ntopics = nterms >= 0 && sep == ' ' ? read_num(&p, end, limit, &sep) : -1;
    if (nkeys < 0 || nterms < 0 || ntopics <= 0 || sep != '\n')
        return NULL;
    acc_topic_matcher *m = acc_xcalloc(1, sizeof *m);
    snprintf(m->lang, sizeof m->lang, "%s", lang);
    acc_strmap_init(&m->keys);
    int ok = 1;
    /* the topic ids: one buffer, each id NUL-terminated in place of its newline */
    const char *idtext = p;
    m->id_off = acc_xmalloc((size_t)ntopics * sizeof *m->id_off);
    for (long long i = 0; i < ntopics && ok; i++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        ok = nl && acc_topic_id_valid(p, (size_t)(nl - p));
        if (ok) {
            m->id_off[i] = (size_t)(p - idtext);
            p = nl + 1;
        }
    }
    if (ok) {
        m->nids = (size_t)ntopics;
        m->ids = acc_xmalloc((size_t)(p - idtext));
        memcpy(m->ids, idtext, (size_t)(p - idtext));
        for (size_t i = 0; i < m->nids; i++)
            *strchr(m->ids + m->id_off[i], '\n') = '\0';
    }
    for (long long i = 0; i < nkeys && ok; i++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        int added = 0;
        /* ids are kept: the i-th key read is key id i (a repeated key is damage) */
        ok = nl && nl > p && acc_strmap_put(&m->keys, p, (size_t)(nl - p), &added) == (size_t)i &&
             added;
        if (ok)
            p = nl + 1;
    }
    m->terms_alloc = (size_t)nterms + 1; /* from the header, at most the text's length */
    m->terms = acc_xmalloc(m->terms_alloc * sizeof *m->terms);
    size_t *ids = NULL, alloc = 0;
    for (long long i = 0; i < nterms && ok; i++) {
        long long topic = read_num(&p, end, (size_t)ntopics - 1, &sep);
        size_t n = 0;
        ok = topic >= 0 && sep == ' ';
        while (ok) {
            long long id = read_num(&p, end, nkeys ? (size_t)nkeys - 1 : 0, &sep);
            ok = id >= 0 && nkeys > 0 && (sep == ' ' || sep == '\n');
            if (!ok)
                break;
            if (n == alloc) {
                alloc = alloc ? 2 * alloc : 8;
                ids = acc_xrealloc(ids, alloc * sizeof *ids);
            }
            ids[n++] = (size_t)id;
            if (sep == '\n')
                break;
        }
        if (!ok)
            break;
        add_term(m, ids, n, (size_t)topic);
    }
    free(ids);
    if (!ok || p != end) {
        acc_topic_matchers_free(m);
        return NULL;
    }
    group_by_first_key(m);
    return m;
}

int acc_topic_matchers_current(const acc_topics *vocab, acc_xap_db *db)
{
    char fps[17];
    acc_buf have;
    acc_buf_init(&have, 0);
    snprintf(fps, sizeof fps, "%016llx", match_fp(vocab));
    int same =
        acc_xap_db_get_meta(db, STORED_FP_KEY, strlen(STORED_FP_KEY), &have, NULL) == ACC_OK &&
        have.n == 16 && memcmp(have.p, fps, 16) == 0;
    acc_buf_release(&have);
    return same;
}

int acc_topic_matcher_stored_may_match(const acc_topics *vocab, const char *lang, acc_xap_db *db,
                                       const acc_wordseq *ws, acc_buf *value)
{
    char key[64], head[96];
    acc_buf v, probe;
    int may = 1;
    snprintf(key, sizeof key, "%s%s", ACC_TOPICMATCH_KEY, lang);
    snprintf(head, sizeof head, "%s %016llx %s\n", STORED_MAGIC, match_fp(vocab), lang);
    size_t hn = strlen(head);
    acc_buf_init(&v, 0);
    acc_buf_init(&probe, 0);
    acc_status st = acc_xap_db_get_meta(db, key, strlen(key), &v, NULL);
    if (st == ACC_OK && v.n == 0) {
        may = 0; /* none stored for lang, the index storing those of vocab: no term in lang */
    } else if (st == ACC_OK && v.n > hn && memcmp(v.p, head, hn) == 0) {
        /* from the end of the counts' line: the topic ids, the keys (one a line), then the
           terms, whose lines have two numbers or more with spaces. A key has no space, so
           "\nKEY\n" is a key's line or a topic id's (then decoded for nothing: harmless) */
        const char *from = memchr(v.p + hn, '\n', v.n - hn);
        may = 0;
        for (size_t i = 0; from && i < ws->keys.n && !may; i++) {
            size_t kn;
            const char *k = acc_strmap_key(&ws->keys, i, &kn);
            if (!kn)
                continue;
            acc_buf_reset(&probe);
            acc_buf_putc(&probe, '\n');
            acc_buf_append(&probe, k, kn);
            acc_buf_putc(&probe, '\n');
            may = memmem(from, (size_t)(v.p + v.n - from), probe.p, probe.n) != NULL;
        }
    }
    if (value && may) {
        acc_buf tmp = *value;
        *value = v;
        v = tmp;
    }
    acc_buf_release(&v);
    acc_buf_release(&probe);
    return may;
}

const acc_topic_matcher *acc_topic_matcher_stored(const acc_topics *vocab, const char *lang,
                                                  acc_xap_db *db)
{
    char key[64];
    acc_buf v;
    snprintf(key, sizeof key, "%s%s", ACC_TOPICMATCH_KEY, lang);
    acc_buf_init(&v, 0);
    const acc_topic_matcher *m = NULL;
    if (acc_xap_db_get_meta(db, key, strlen(key), &v, NULL) == ACC_OK)
        m = acc_topic_matcher_stored_value(vocab, lang, v.p, v.n);
    acc_buf_release(&v);
    return m;
}

const acc_topic_matcher *acc_topic_matcher_stored_value(const acc_topics *vocab, const char *lang,
                                                        const char *v, size_t n)
{
    char head[96];
    acc_topic_matcher *m = NULL;
    snprintf(head, sizeof head, "%s %016llx %s\n", STORED_MAGIC, match_fp(vocab), lang);
    size_t hn = strlen(head);
    if (v && n > hn && memcmp(v, head, hn) == 0)
        m = decode(v + hn, v + n, lang);
    if (!m)
        return NULL;
    /* kept with the vocabulary, unless another thread got there first */
    acc_topics_lock(vocab);
    acc_topic_matcher *have;
    for (have = *acc_topics_matchers(vocab); have; have = have->next)
        if (strcmp(have->lang, lang) == 0)
            break;
    if (!have) {
        m->next = *acc_topics_matchers(vocab);
        *acc_topics_matchers(vocab) = m;
        have = m;
        m = NULL;
    }
    acc_topics_unlock(vocab);
    acc_topic_matchers_free(m);
    return have;
}
