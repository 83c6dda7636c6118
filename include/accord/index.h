/*
 * An accord index, opened for reading: search, documents, completions and
 * statistics (lib/reader.c, lib/search.c, lib/docview.c, lib/suggest.c).
 *
 * Every function reads the latest committed revision: the handle is reopened
 * at the start of each call, so a new accord-index commit is seen at once.
 * Errors are acc_status codes with a message in err (the Xapian layer below,
 * lib/xap.h, lets no exception through).
 *
 * Thread-safety: a handle must be used by one thread at a time (Xapian does
 * no locking); give each thread its own handle. Different handles on the same
 * index are independent.
 */
#ifndef ACCORD_INDEX_H
#define ACCORD_INDEX_H

#include <stddef.h>

#include "accord/query.h"
#include "accord/status.h"
#include "accord/topics.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct acc_index acc_index; /* a read handle */

/*
 * Opens the index (or Xapian stub file listing indexes, `auto PATH` per
 * line) at path for reading. Errors: ACC_EDB_NOTFOUND (no such path),
 * ACC_EDB_NOTINDEX (exists, not an index), ACC_EDB_VERSION, ACC_EDB_CORRUPT.
 * *out is set only on success (caller closes).
 */
acc_status acc_index_open(const char *path, acc_index **out, acc_error *err);

/*
 * A stub may list remote shards, "remote HOST:PORT" lines for a xapian-tcpsrv each. Such an index
 * is opened shard by shard: a remote shard that cannot be reached, or stops answering (calls time
 * out after 3 s, connections after 1 s), is left out and the request answered by the others; it
 * is tried again every 2 s and used again as soon as it answers. ACC_EDB_NETWORK when no shard
 * can be reached.
 *
 * The shards left out as of the last request: their names as the stub gives them (borrowed until
 * the next call on x), and how many.
 */
size_t acc_index_missing_shards(const acc_index *x, const char ***names);

/* Does x read remote shards? (Their revisions are not followed: answers cannot be cached by
   revision.) */
int acc_index_has_remote(const acc_index *x);

/*
 * Opens several indexes (or stub files) to be searched as one; the
 * statistics are merged, so results equal those of a single index. The
 * revision is the sum of the indexes' revisions. Errors as acc_index_open,
 * naming the path that fails.
 */
acc_status acc_index_open_many(const char *const *paths, size_t n, acc_index **out, acc_error *err);

/* Accepts NULL. */
void acc_index_close(acc_index *x);

/*
 * Gives the handle a topic vocabulary (borrowed: keep it alive while the
 * handle lives) for cross-lingual expansion of queries that name a topic.
 */
void acc_index_set_topics(acc_index *x, const acc_topics *vocab);

/*
 * 1 when the index stores the topic matchers of vocab (made by accord-index from the same
 * file bytes, with the same Xapian): its searches then use no entry of the vocabulary, which
 * may be read with acc_topics_read and left unparsed. Over several indexes, the first's.
 */
int acc_index_topics_stored(acc_index *x, const acc_topics *vocab);

/* Documents in the index and the index revision, as of now. */
acc_status acc_index_stats(acc_index *x, unsigned long *doccount, unsigned long *revision,
                           acc_error *err);

/* How many times x found its index deleted, rebuilt or replaced and opened it again (the
   revision alone cannot tell: a new index may have the old one's revision). */
unsigned long acc_index_generation(const acc_index *x);

/*
 * For a process that serves an index and must answer rather than abort when
 * it runs out of memory (a process limit reached): sets n bytes aside
 * (acc_mem_reserve, include/accord/mem.h) and makes libaccord's, Xapian's
 * and jansson's allocations give them back before failing. Afterwards
 * acc_mem_low() says when to refuse new work. Returns 0, or -1 when the
 * reserve cannot be set aside.
 */
int acc_index_memory_reserve(size_t n);

/*
 * Runs q and returns the results in *out (caller frees with
 * acc_results_free). Checks q with acc_query_check() first (ACC_EINVAL). A
 * query with a syntax error is run as plain words and r->simplified is set.
 * ACC_ENOTFOUND when q->similar names no document. A query runs at most
 * ACC_QUERY_TIME_LIMIT seconds, or ACCORD_QUERY_TIME_LIMIT from the environment
 * (then the best hits found so far).
 */
acc_status acc_index_search(acc_index *x, const acc_query *q, acc_results **out, acc_error *err);

/*
 * JSON documents for the HTTP API (caller frees; NULL with err set):
 * - acc_index_doc_json: the stored record of a document without its path,
 *   with "text" and "articles" ([{"label", "offset"}]); ACC_ENOTFOUND when
 *   there is no such id;
 * - acc_index_suggest_json: completions for a search box: the last word
 *   completed from the index's words (most frequent first) and titles having
 *   the words: {"suggestions": [{"text", "kind": "word"|"title", "id"?}]};
 *   ACC_EINVAL when text is not valid UTF-8;
 * - acc_index_stats_json: {"documents", "revision", "languages", "types",
 *   "topics"}, each list [{"value", "count"}].
 */
char *acc_index_doc_json(acc_index *x, const char *id, acc_error *err);
char *acc_index_suggest_json(acc_index *x, const char *text, size_t len, unsigned limit,
                             acc_error *err);
char *acc_index_stats_json(acc_index *x, acc_error *err);

#ifdef __cplusplus
}
#endif

#endif
