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
 *
 * A sharded index is a folder holding a Xapian stub file XAPIANDB that lists
 * its shards ("auto shard00" ...), each a Xapian database in the folder;
 * Xapian, accord's readers and xapian-delve open the folder as one index.
 * acc_writer_open opens every shard of such a folder.
 */
acc_status acc_writer_open(const char *path, acc_writer **out, acc_error *err);

/*
 * Opens the index at path for writing with nshards shards (1..ACC_SHARDS_MAX),
 * creating it so when it does not exist. An existing index must have that
 * many shards (ACC_EINVAL otherwise, with a message on how to re-shard):
 * where a document goes is computed again on every run, from its id.
 */
#define ACC_SHARDS_MAX 64
acc_status acc_writer_open_sharded(const char *path, unsigned nshards, acc_writer **out,
                                   acc_error *err);

/* The number of shards (1 for an unsharded index). */
unsigned acc_writer_nshards(const acc_writer *w);

/*
 * The shard of the document with that id among nshards: FNV-1a 64 of the id
 * modulo nshards, stable across runs, machines and versions.
 */
unsigned acc_shard_of(const char *id, size_t len, unsigned nshards);

/*
 * Compacts the index at path (no writer may hold it): each database (each shard of a sharded
 * index) is rewritten compacted beside itself and swapped in with one atomic rename, so readers
 * see the old or the new one, never a part (accord-searchd reopens it as a replaced index). With
 * into, the index is left as it is and one compacted database of all its documents is written
 * at into (which must not exist): a sharded index merged. *before and *after (optional) receive
 * the bytes on disk.
 */
acc_status acc_index_compact(const char *path, const char *into, unsigned long long *before,
                             unsigned long long *after, acc_error *err);

/* Closes the writer; uncommitted changes in an open transaction are discarded. Accepts NULL. */
void acc_writer_close(acc_writer *w);

/* Starts an atomic batch: nothing is visible to readers until commit. */
acc_status acc_writer_begin(acc_writer *w, acc_error *err);
acc_status acc_writer_commit(acc_writer *w, acc_error *err);
acc_status acc_writer_cancel(acc_writer *w, acc_error *err);

/* Adds b, or replaces the document with its id; *replaced (optional) says which. */
acc_status acc_writer_write(acc_writer *w, const acc_built_doc *b, int *replaced, acc_error *err);

/*
 * The same, one shard at a time: shard s is begun, written and committed by
 * one thread, while other threads do the same with the other shards (the
 * way a sharded index is built in parallel). acc_writer_write, begin, commit
 * and cancel act on every shard, from one thread.
 */
unsigned acc_built_doc_shard(const acc_built_doc *b, unsigned nshards);
acc_status acc_writer_begin_shard(acc_writer *w, unsigned s, acc_error *err);
acc_status acc_writer_commit_shard(acc_writer *w, unsigned s, acc_error *err);
acc_status acc_writer_write_shard(acc_writer *w, unsigned s, const acc_built_doc *b, int *replaced,
                                  acc_error *err);

/*
 * The stored text's compression dictionary (a zstd dictionary trained on the collection's own
 * text: its 4 KiB chunks come out 16% smaller and decompress faster). From
 * acc_writer_textdict_start to _stop, every document built in this process (acc_docbuild, in
 * any thread) compresses its text with the index's dictionary. An index without one gives the
 * text of the documents built meanwhile as samples, and once it has ACC_TEXTDICT_SAMPLE bytes
 * (lib/docstore.h) a dictionary is trained from them. acc_writer_textdict_step, called by the
 * thread that writes shard s (between two documents, and for every shard before the last
 * commit), puts it into that shard's open transaction; once every shard has it there, the
 * documents built use it. So each shard commits the dictionary with, or before, the first
 * document made with it, and no batch is cut short for it. A collection too small to sample
 * keeps its text without one. One run a process at a time.
 */
acc_status acc_writer_textdict_start(acc_writer *w, acc_error *err);
acc_status acc_writer_textdict_step(acc_writer *w, unsigned s, acc_error *err);
/*
 * After every shard's last acc_writer_textdict_step, before _stop: the documents this run
 * wrote before the dictionary came (their text stored without one, a fifth larger) have their
 * text compressed again with it, in the open transactions, so that they commit with the run's
 * last documents (a run killed before leaves them as they were: readable, larger). *n: how
 * many. Nothing when no dictionary came.
 */
acc_status acc_writer_textdict_redo(acc_writer *w, unsigned long *n, acc_error *err);
void acc_writer_textdict_stop(acc_writer *w);

/* Deletes the document with that id (no error when there is none). */
acc_status acc_writer_delete(acc_writer *w, const char *id, acc_error *err);

/*
 * The index's own key/value store (Xapian metadata), written with the next
 * commit: *value is "" when the key is absent (caller frees). A sharded
 * index keeps it in its first shard, where Xapian's readers look.
 */
acc_status acc_writer_get_meta(acc_writer *w, const char *key, char **value, acc_error *err);
acc_status acc_writer_set_meta(acc_writer *w, const char *key, const char *value, acc_error *err);

/*
 * Stores the matchers of vocab's terms in the index (with the next commit),
 * unless it has those of this vocabulary already: a search then reads them
 * instead of stemming the whole vocabulary in every process.
 */
acc_status acc_writer_store_topics(acc_writer *w, const acc_topics *vocab, acc_error *err);

/*
 * The table of the search box's completions (the most frequent words of
 * every prefix of one to three characters): acc_writer_completions_due says
 * whether it should be rebuilt (the index has none, or `changed` documents
 * are a fiftieth of it or more); acc_writer_completions rebuilds it from the
 * committed documents, with the next commit (call it inside a transaction).
 * *words: the distinct words read.
 */
int acc_writer_completions_due(acc_writer *w, unsigned long changed);
acc_status acc_writer_completions(acc_writer *w, unsigned long *words, acc_error *err);

/*
 * Calls fn for every document: its id, its source and its change stamp
 * (acc_doc.source / .stamp, "" when absent); strings borrowed for the call.
 * Stops when fn returns nonzero.
 */
typedef int (*acc_writer_each_fn)(void *ctx, const char *id, const char *source, const char *stamp);
acc_status acc_writer_each(acc_writer *w, acc_writer_each_fn fn, void *ctx, acc_error *err);

/* Number of documents visible to the writer (committed or not), over every shard. */
unsigned long acc_writer_doccount(acc_writer *w);

#ifdef __cplusplus
}
#endif

#endif
