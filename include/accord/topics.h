/*
 * The topic vocabulary (corpus/topics.tsv, format in corpus/TOPICS.md): topics
 * with a label and terms per language. Loaded once, then read-only: safe to
 * share between threads.
 *
 * Tagging rule (applied in acc_docbuild, see xap.h): the document's words
 * and each term of its language are compared stem by stem (stem of the folded
 * word; unstemmed for languages without a stemmer; character by character for
 * CJK). Every occurrence of every term counts, overlapping ones included (a
 * long specific phrase is stronger evidence than its parts). A topic is given
 * to a document when at least ACC_TOPIC_MIN_TERMS distinct terms occur and
 * the occurrences reach max(2, words / ACC_TOPIC_WORDS_PER_HIT); at most
 * ACC_TOPIC_MAX topics, the most frequent first. Documents in a language the
 * vocabulary lacks are matched with the English terms.
 */
#ifndef ACCORD_TOPICS_H
#define ACCORD_TOPICS_H

#include <stddef.h>

#include "accord/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ACC_TOPIC_MIN_TERMS 2
#define ACC_TOPIC_WORDS_PER_HIT 2500
#define ACC_TOPIC_MAX 8

typedef struct acc_topics acc_topics;

/*
 * The vocabulary to use when none is named (acc_paths_topics, paths.h):
 * $ACCORD_TOPICS, else share/accord/topics.tsv beside the running program's
 * bin/ (the build tree and any installed or unpacked tree), else the one of
 * the configured install prefix. NULL when none is readable.
 */
const char *acc_topics_default_path(void);

/* Loads a vocabulary file; bad lines are an error naming the line. *out: caller frees. */
acc_status acc_topics_load(const char *path, acc_topics **out, acc_error *err);
/*
 * Reads a vocabulary file and parses it on first use: for a process that may not need its
 * entries (accord-search over an index that stores the topic matchers of these very bytes,
 * acc_index_topics_stored in index.h). Only the file's reading can fail here; call
 * acc_topics_parse to see its errors. A vocabulary whose deferred parse fails is empty, and
 * the log says why.
 */
acc_status acc_topics_read(const char *path, acc_topics **out, acc_error *err);
/* Parses a vocabulary read with acc_topics_read now (nothing when done already): bad lines are
   an error naming the line, as for acc_topics_load. Thread-safe. */
acc_status acc_topics_parse(acc_topics *t, acc_error *err);
void acc_topics_free(acc_topics *t);

size_t acc_topics_count(const acc_topics *t);
/* Topic i's id (borrowed: valid until acc_topics_free). */
const char *acc_topics_id(const acc_topics *t, size_t i);
/* Index of the topic with that id, or -1. */
int acc_topics_find(const acc_topics *t, const char *id);
/* 1 when the vocabulary has terms in lang. */
int acc_topics_has_lang(const acc_topics *t, const char *lang);
/*
 * All entries in file order, for one pass over the vocabulary: entry k's
 * topic index, language and text (borrowed); returns 1 for a term, 0 for a
 * label. k < acc_topics_nentries().
 */
size_t acc_topics_nentries(const acc_topics *t);
int acc_topics_entry(const acc_topics *t, size_t k, size_t *topic, const char **lang,
                     const char **text);

#ifdef __cplusplus
}
#endif

#endif
