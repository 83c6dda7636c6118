/*
 * lib/topicmatch.h: finding the terms of the topic vocabulary in a text
 * (private to libaccord), for tagging documents (docbuild.c) and for the
 * cross-lingual expansion of queries (search.c). The tagging rule is the one
 * of include/accord/topics.h.
 *
 * Words are compared by key: the tagged stem of the folded word (stem(fold
 * w)), the folded word for languages without a stemmer, the character itself
 * for CJK.
 */
#ifndef ACCORD_LIB_TOPICMATCH_H
#define ACCORD_LIB_TOPICMATCH_H

#include <stddef.h>

#include "accord/mem.h"
#include "accord/topics.h"
#include "strmap.h"
#include "xap.h"

/* The words of a text in order; each distinct word once, with its count and key. */
typedef struct acc_wordseq {
    acc_strmap words; /* distinct words, as written (normalised) */
    unsigned *wdf;    /* per distinct word: occurrences x weight */
    char *cjk;        /* per distinct word: a CJK character */
    acc_strmap keys;  /* distinct keys */
    size_t *key;      /* per distinct word: index in keys */
    size_t alloc;
    size_t *seq; /* the text as distinct-word indices */
    size_t nseq, seq_alloc;
} acc_wordseq;

void acc_wordseq_init(acc_wordseq *ws);
void acc_wordseq_release(acc_wordseq *ws);

/*
 * Appends the words of normalised text p[0..n) (acc_text_words), each
 * occurrence counting `weight`; words longer than ACC_MAX_WORD_BYTES are
 * left out, as the index leaves them out.
 */
void acc_wordseq_add(acc_wordseq *ws, const char *p, size_t n, unsigned weight);

/* Sets distinct word i's key to k[0..n). */
void acc_wordseq_set_key(acc_wordseq *ws, size_t i, const char *k, size_t n);

/* Word i (borrowed) and its length. */
const char *acc_wordseq_word(const acc_wordseq *ws, size_t i, size_t *n);

/* Number of distinct words. */
size_t acc_wordseq_count(const acc_wordseq *ws);

/*
 * Appends the matching key of normalised word w[0..n) to out: stem(fold(w))
 * with stem, fold(w) without.
 */
void acc_topic_word_key(acc_xap_stem *stem, const char *w, size_t n, acc_buf *out);

/* Sets the key of every distinct word (CJK: the word itself) with acc_topic_word_key. */
void acc_wordseq_keys(acc_wordseq *ws, acc_xap_stem *stem);

typedef struct acc_topic_matcher acc_topic_matcher;

/*
 * The matcher of vocab's terms in language lang, keyed with stem (the
 * language's, or NULL): built on first use, then kept with the vocabulary
 * and shared read-only by all threads (borrowed: valid until
 * acc_topics_free). Thread-safe.
 */
const acc_topic_matcher *acc_topic_matcher_get(const acc_topics *vocab, const char *lang,
                                               acc_xap_stem *stem);

/* Calls fn(ctx, topic) for every occurrence of a vocabulary term in ws, in text order. */
typedef void (*acc_topic_hit_fn)(void *ctx, size_t term, size_t topic);
void acc_topic_matcher_each(const acc_topic_matcher *m, const acc_wordseq *ws, acc_topic_hit_fn fn,
                            void *ctx);

/*
 * The topics ws earns by the rule of topics.h, most frequent first, into
 * out[0..ACC_TOPIC_MAX); hits[0..ntopics) receives the occurrences per topic.
 * Returns how many.
 */
size_t acc_topic_tag(const acc_topic_matcher *m, const acc_wordseq *ws, size_t ntopics,
                     unsigned *hits, size_t *out);

/* Frees the matchers kept with a vocabulary (acc_topics_free calls it). */
void acc_topic_matchers_free(void *matchers);

/*
 * Matchers stored in an index (a per-process matcher costs stemming every
 * term of the language: about 9 M instructions, 70 M for the eight languages
 * a query is read in, the start-up of accord-search). The indexer stores the
 * matcher of every language of its vocabulary under the metadata key
 * ACC_TOPICMATCH_KEY + lang, with a fingerprint of the vocabulary's terms and
 * of Xapian's version (its stemmers make the keys): a matcher is taken from
 * the index only when the searcher's vocabulary and Xapian are those it was
 * made with, otherwise built as before.
 */
#define ACC_TOPICMATCH_KEY "accord.topicmatch."

/* The id of the vocabulary's topic `topic` (borrowed, as the matcher), or NULL past the last. */
const char *acc_topic_matcher_topic_id(const acc_topic_matcher *m, size_t topic);

/*
 * 1 when db stores the matchers of vocab (its file's very bytes, with this Xapian): a search
 * then needs none of the vocabulary's entries (acc_topics_read).
 */
int acc_topic_matchers_current(const acc_topics *vocab, acc_xap_db *db);

/* The matcher of lang if this process has it already (borrowed), or NULL. */
const acc_topic_matcher *acc_topic_matcher_cached(const acc_topics *vocab, const char *lang);

/*
 * Writes the matcher of every language of vocab into w's metadata (with the
 * next commit), unless the index has those of this vocabulary already.
 */
typedef struct acc_writer acc_writer;
acc_status acc_topic_matchers_store(const acc_topics *vocab, acc_writer *w, acc_error *err);

/*
 * The matcher of lang stored in db, kept with vocab as if built (borrowed),
 * or NULL when db has none for lang, or one of another vocabulary, or a
 * damaged one (then the caller builds it).
 */
const acc_topic_matcher *acc_topic_matcher_stored(const acc_topics *vocab, const char *lang,
                                                  acc_xap_db *db);
/* The same from the stored value v[0..n) read already (acc_topic_matcher_stored_may_match). */
const acc_topic_matcher *acc_topic_matcher_stored_value(const acc_topics *vocab, const char *lang,
                                                        const char *v, size_t n);

/*
 * For an index that stores the matchers of vocab (acc_topic_matchers_current): 0 when the
 * matcher of lang stored in db has none of ws's keys (decoded, it would find nothing in ws),
 * or when db stores none for lang (vocab has no term in it); 1 when it may have one, or its
 * value is of another vocabulary or damaged (then decoded or built as usual). Costs one read
 * of the stored value and a memmem per key: for a process that searches once
 * (acc_topics_unparsed), instead of decoding the matchers of every language. When it returns
 * 1, value (if not NULL) holds the stored value, for acc_topic_matcher_stored_value.
 */
int acc_topic_matcher_stored_may_match(const acc_topics *vocab, const char *lang, acc_xap_db *db,
                                       const acc_wordseq *ws, acc_buf *value);

/*
 * Kept by lib/topics.c for this module: the vocabulary's matchers (a list
 * head) and their fingerprint (0 until computed), under the vocabulary's lock.
 */
void acc_topics_lock(const acc_topics *t);
void acc_topics_unlock(const acc_topics *t);
void **acc_topics_matchers(const acc_topics *t);
unsigned long long *acc_topics_match_fp(const acc_topics *t);
/* 1 while a vocabulary read with acc_topics_read is not parsed: its process expects to
   search once or a few times (accord-search) */
int acc_topics_unparsed(const acc_topics *t);
/* Is s[0..n) a topic id ([a-z0-9-]+, as topics.tsv's lines must give)? */
int acc_topic_id_valid(const char *s, size_t n);
/* the hash of the vocabulary file's bytes (acc_hash_words), taken as it was read */
unsigned long long acc_topics_file_hash(const acc_topics *t);

#endif
