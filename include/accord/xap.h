/*
 * The C interface to libxapian, implemented in lib/xap.cc (the only C++ in
 * accord). Task-shaped: open an index, put documents, commit, search.
 *
 * Every function is noexcept: Xapian errors, std::bad_alloc and unknown
 * exceptions become distinct acc_status codes with a message in err.
 *
 * Thread-safety: a handle must be used by one thread at a time (Xapian does
 * no locking); give each thread its own handle. Different handles on the same
 * index are independent.
 */
#ifndef ACCORD_XAP_H
#define ACCORD_XAP_H

#include <stddef.h>

#include "accord/doc.h"
#include "accord/query.h"
#include "accord/status.h"
#include "accord/topics.h"

#ifdef __cplusplus
#define ACC_NOEXCEPT noexcept
extern "C" {
#else
#define ACC_NOEXCEPT
#endif

typedef struct acc_xdb acc_xdb;   /* read-only index handle */
typedef struct acc_xwdb acc_xwdb; /* the single writer */

/*
 * Opens the index at path for reading. Errors: ACC_EDB_NOTFOUND (no such
 * path), ACC_EDB_NOTINDEX (exists, not an index), ACC_EDB_VERSION,
 * ACC_EDB_CORRUPT. *out is set only on success (caller closes).
 */
acc_status acc_xdb_open(const char *path, acc_xdb **out, acc_error *err) ACC_NOEXCEPT;
void acc_xdb_close(acc_xdb *db) ACC_NOEXCEPT;

/*
 * Opens several indexes (or Xapian stub files) to be searched as one; the
 * statistics are merged, so results equal those of a single index.
 */
acc_status acc_xdb_open_many(const char *const *paths, size_t n, acc_xdb **out,
                             acc_error *err) ACC_NOEXCEPT;

/*
 * JSON documents for the HTTP API (caller frees; NULL with err set):
 * - the stored record of a document with its text and articles
 *   (ACC_ENOTFOUND when there is no such id);
 * - completions for a search box: the last word completed from the index's
 *   words (most frequent first) and titles having the words:
 *   {"suggestions": [{"text", "kind": "word"|"title", "id"?}]};
 * - statistics: {"documents", "revision", "languages", "types", "topics"}.
 */
char *acc_xdb_doc_json(acc_xdb *db, const char *id, acc_error *err) ACC_NOEXCEPT;
char *acc_xdb_suggest_json(acc_xdb *db, const char *text, size_t len, unsigned limit,
                           acc_error *err) ACC_NOEXCEPT;
char *acc_xdb_stats_json(acc_xdb *db, acc_error *err) ACC_NOEXCEPT;

/*
 * Gives the handle a topic vocabulary (borrowed: keep it alive while the
 * handle lives) for cross-lingual expansion of queries that name a topic.
 */
void acc_xdb_set_topics(acc_xdb *db, const acc_topics *vocab) ACC_NOEXCEPT;

/* Documents in the index, and the index revision, as of the last (re)open. */
acc_status acc_xdb_stats(acc_xdb *db, unsigned long *doccount, unsigned long *revision,
                         acc_error *err) ACC_NOEXCEPT;

/*
 * Runs q against the latest committed revision (the handle is reopened
 * first) and returns the results in *out (caller frees with
 * acc_results_free). A query with a syntax error is run as plain words and
 * r->simplified is set. Checks q with acc_query_check() first.
 */
acc_status acc_xdb_search(acc_xdb *db, const acc_query *q, acc_results **out,
                          acc_error *err) ACC_NOEXCEPT;

/*
 * Opens (creating when needed) the index at path for writing. Only one writer
 * may hold an index: ACC_EDB_LOCKED when another process has it.
 */
acc_status acc_xwdb_open(const char *path, acc_xwdb **out, acc_error *err) ACC_NOEXCEPT;

/* Closes the writer; uncommitted changes in an open transaction are discarded. */
void acc_xwdb_close(acc_xwdb *w) ACC_NOEXCEPT;

/* Starts an atomic batch: nothing is visible to readers until commit. */
acc_status acc_xwdb_begin(acc_xwdb *w, acc_error *err) ACC_NOEXCEPT;
acc_status acc_xwdb_commit(acc_xwdb *w, acc_error *err) ACC_NOEXCEPT;
acc_status acc_xwdb_cancel(acc_xwdb *w, acc_error *err) ACC_NOEXCEPT;

/*
 * A document turned into index terms, ready to be written. Building is the
 * expensive part of indexing and needs no index: it is thread-safe, so
 * several threads can build while one writes.
 */
typedef struct acc_xdoc acc_xdoc;

/*
 * Builds doc (text valid UTF-8; sanitise it first). With a vocabulary, the
 * document also gets the topics its text earns (rule in topics.h), after
 * those of its metadata (doc->topics). *out: caller frees with acc_xdoc_free.
 */
acc_status acc_xdoc_build(const acc_doc *doc, const acc_topics *vocab, acc_xdoc **out,
                          acc_error *err) ACC_NOEXCEPT;
void acc_xdoc_free(acc_xdoc *x) ACC_NOEXCEPT;

/* The topic ids of a built document; borrowed: valid until the next call or acc_xdoc_free. */
const char *const *acc_xdoc_topics(acc_xdoc *x, size_t *n) ACC_NOEXCEPT;

/* Adds x, or replaces the document with its id; *replaced (optional) says which. */
acc_status acc_xwdb_write(acc_xwdb *w, const acc_xdoc *x, int *replaced,
                          acc_error *err) ACC_NOEXCEPT;

/* Deletes the document with that id (no error when there is none). */
acc_status acc_xwdb_delete(acc_xwdb *w, const char *id, acc_error *err) ACC_NOEXCEPT;

/*
 * The index's own key/value store (Xapian metadata), written with the next
 * commit: *value is "" when the key is absent (caller frees).
 */
acc_status acc_xwdb_get_meta(acc_xwdb *w, const char *key, char **value,
                             acc_error *err) ACC_NOEXCEPT;
acc_status acc_xwdb_set_meta(acc_xwdb *w, const char *key, const char *value,
                             acc_error *err) ACC_NOEXCEPT;

/*
 * Calls fn for every document: its id, its source and its change stamp
 * (acc_doc.source / .stamp, "" when absent); strings borrowed for the call.
 * Stops when fn returns nonzero.
 */
typedef int (*acc_xwdb_each_fn)(void *ctx, const char *id, const char *source, const char *stamp);
acc_status acc_xwdb_each(acc_xwdb *w, acc_xwdb_each_fn fn, void *ctx, acc_error *err) ACC_NOEXCEPT;

/*
 * Builds and writes doc in one call (acc_xdoc_build + acc_xwdb_write).
 */
acc_status acc_xwdb_put(acc_xwdb *w, const acc_doc *doc, int *replaced,
                        acc_error *err) ACC_NOEXCEPT;

/* Number of documents visible to the writer (committed or not). */
unsigned long acc_xwdb_doccount(acc_xwdb *w) ACC_NOEXCEPT;

#ifdef __cplusplus
}
#endif

#endif
