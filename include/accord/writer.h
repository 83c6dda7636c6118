/*
 * Writing an accord index (lib/writer.c) and turning documents into what is
 * written (lib/docbuild.c).
 *
 * One writer per index (Xapian's lock: a second one gets ACC_EDB_LOCKED).
 * Changes are made in transactions: nothing is visible to readers until
 * acc_writer_commit, and a process killed at any point leaves the index at
 * its last commit.
 *
 * Thread-safety: a writer is used by one thread at a time. Building
 * documents (acc_docbuild) needs no index and is thread-safe: several
 * threads build while one writes.
 */
#ifndef ACCORD_WRITER_H
#define ACCORD_WRITER_H

#include <stddef.h>

#include "accord/doc.h"
#include "accord/status.h"
#include "accord/topics.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct acc_writer acc_writer;       /* the single writer */
typedef struct acc_built_doc acc_built_doc; /* a document turned into index terms */

/*
 * Builds doc (text valid UTF-8: sanitise it first; ACC_EINVAL otherwise):
 * terms, values, record and stored text by the scheme of schema.h. With a
 * vocabulary, the document also gets the topics its text earns (rule in
 * topics.h), after those of its metadata (doc->topics). *out: caller frees
 * with acc_built_doc_free.
 */
acc_status acc_docbuild(const acc_doc *doc, const acc_topics *vocab, acc_built_doc **out,
                        acc_error *err);
/* Accepts NULL. */
void acc_built_doc_free(acc_built_doc *b);

/* The topic ids a built document was given; borrowed: valid until acc_built_doc_free. */
const char *const *acc_built_doc_topics(acc_built_doc *b, size_t *n);

/*
 * Opens (creating when needed) the index at path for writing.
 * ACC_EDB_LOCKED when another writer holds it. *out is set only on success.
 */
acc_status acc_writer_open(const char *path, acc_writer **out, acc_error *err);

/* Closes the writer; uncommitted changes in an open transaction are discarded. Accepts NULL. */
void acc_writer_close(acc_writer *w);

/* Starts an atomic batch: nothing is visible to readers until commit. */
acc_status acc_writer_begin(acc_writer *w, acc_error *err);
acc_status acc_writer_commit(acc_writer *w, acc_error *err);
acc_status acc_writer_cancel(acc_writer *w, acc_error *err);

/* Adds b, or replaces the document with its id; *replaced (optional) says which. */
acc_status acc_writer_write(acc_writer *w, const acc_built_doc *b, int *replaced, acc_error *err);

/* Deletes the document with that id (no error when there is none). */
acc_status acc_writer_delete(acc_writer *w, const char *id, acc_error *err);

/*
 * The index's own key/value store (Xapian metadata), written with the next
 * commit: *value is "" when the key is absent (caller frees).
 */
acc_status acc_writer_get_meta(acc_writer *w, const char *key, char **value, acc_error *err);
acc_status acc_writer_set_meta(acc_writer *w, const char *key, const char *value, acc_error *err);

/*
 * Calls fn for every document: its id, its source and its change stamp
 * (acc_doc.source / .stamp, "" when absent); strings borrowed for the call.
 * Stops when fn returns nonzero.
 */
typedef int (*acc_writer_each_fn)(void *ctx, const char *id, const char *source, const char *stamp);
acc_status acc_writer_each(acc_writer *w, acc_writer_each_fn fn, void *ctx, acc_error *err);

/* Number of documents visible to the writer (committed or not). */
unsigned long acc_writer_doccount(acc_writer *w);

#ifdef __cplusplus
}
#endif

#endif
