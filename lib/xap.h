/*
 * lib/xap.h: the Xapian layer, private to libaccord (implemented in
 * lib/xap.cc, xap_query.cc and xap_match.cc, the only C++ in accord).
 *
 * Mechanism only: open and reopen databases, transactions, documents, the
 * language-tagged folding stemmer, query objects and the query parser, running
 * a match (sort, collapse, time limit, spies), hits, terms, positions, values
 * and relevance sets. Which words to search, how to fill, rank, facet,
 * highlight or store text is decided by the C modules above (DESIGN.md,
 * "Layers"). The layer calls no lib/ module except the text fold its stemmer
 * needs (acc_text_fold).
 *
 * Contract, for every function below:
 * - no exception crosses it: Xapian errors become acc_status codes with a
 *   message in err (without context: callers prefix theirs with
 *   acc_error_prefix()). Messages name the Xapian class when it matters:
 *   ACC_EDB_LOCKED, ACC_EDB_NOTFOUND, ACC_EDB_NOTINDEX, ACC_EDB_VERSION,
 *   ACC_EDB_CORRUPT, ACC_EDB_MODIFIED (the caller may reopen and retry),
 *   ACC_EINVAL (query syntax, from acc_xap_parse only), ACC_EQUERY (wildcard
 *   expansion), ACC_ENOTFOUND (no such document), ACC_EXAPIAN (any other
 *   Xapian error), ACC_EINTERNAL.
 * - functions that only allocate (documents being built, query objects,
 *   spies) cannot fail: out of memory aborts with a message, as acc_xmalloc()
 *   does, so they return no status.
 * - strings go in as (p, n) or NUL-terminated where named `const char *`, and
 *   come out appended to a caller-owned acc_buf, or borrowed for the duration
 *   of a callback. No pointer into a C++ object escapes.
 * - handles are not thread-safe: one thread at a time per handle (Xapian does
 *   no locking). Different handles are independent. Query objects are
 *   read-only once built and may be shared between threads; stemmers may not
 *   (Snowball keeps a work buffer).
 */
#ifndef ACCORD_LIB_XAP_H
#define ACCORD_LIB_XAP_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "accord/mem.h"
#include "accord/status.h"

#ifdef __cplusplus
#define ACC_NOEXCEPT noexcept
extern "C" {
#else
#define ACC_NOEXCEPT
#endif

typedef struct acc_xap_db acc_xap_db;         /* a reader (one or several databases) */
typedef struct acc_xap_wdb acc_xap_wdb;       /* the writer */
typedef struct acc_xap_doc acc_xap_doc;       /* a document being built, or one read */
typedef struct acc_xap_stem acc_xap_stem;     /* the tagged folding stemmer */
typedef struct acc_xap_query acc_xap_query;   /* an immutable query */
typedef struct acc_xap_parser acc_xap_parser; /* a query parser */
typedef struct acc_xap_spy acc_xap_spy;       /* a value counter riding on a match */
typedef struct acc_xap_match acc_xap_match;   /* the hits of a match */

/* The version of the Xapian library in use ("1.4.22"); a static string. */
const char *acc_xap_version(void) ACC_NOEXCEPT;

/* Makes C++ allocations (Xapian's) give the memory reserve back before failing
   (acc_mem_reserve): std::set_new_handler with acc_mem_give_back. */
void acc_xap_use_reserve(void) ACC_NOEXCEPT;

/* ------------------------------------------------------------- readers */

/*
 * Opens the index (or Xapian stub file) at path for reading. An existing
 * path that is not an index is ACC_EDB_NOTINDEX, a missing one
 * ACC_EDB_NOTFOUND. *out is set only on success (caller closes).
 */
acc_status acc_xap_db_open(const char *path, acc_xap_db **out, acc_error *err) ACC_NOEXCEPT;

/* Adds another index to db: they are searched as one, statistics merged. */
acc_status acc_xap_db_add(acc_xap_db *db, const char *path, acc_error *err) ACC_NOEXCEPT;

/* A reader of no database yet, for acc_xap_db_add and acc_xap_db_add_remote. */
acc_status acc_xap_db_new(acc_xap_db **out, acc_error *err) ACC_NOEXCEPT;

/*
 * Adds the database a xapian-tcpsrv at host:port serves: calls time out after timeout_ms, the
 * connection after connect_ms (ACC_EDB_NETWORK: unreachable, or no answer in time).
 */
acc_status acc_xap_db_add_remote(acc_xap_db *db, const char *host, unsigned port,
                                 unsigned timeout_ms, unsigned connect_ms,
                                 acc_error *err) ACC_NOEXCEPT;

/*
 * Follows the revision of the index directory dir (one shard of db) on its
 * own: Xapian gives no revision for a combined database. Once a shard is
 * tracked, acc_xap_db_reopen() reports the sum of the tracked revisions.
 */
acc_status acc_xap_db_track(acc_xap_db *db, const char *dir, acc_error *err) ACC_NOEXCEPT;

/* Accepts NULL. */
void acc_xap_db_close(acc_xap_db *db) ACC_NOEXCEPT;

/* Moves db to the latest commit; *revision (optional): see acc_xap_db_track (lib/xapdb.c). */
acc_status acc_xap_db_reopen(acc_xap_db *db, unsigned long *revision, acc_error *err) ACC_NOEXCEPT;

/* Moves db and each tracked database to its latest commit. */
acc_status acc_xap_db_reopen_all(acc_xap_db *db, acc_error *err) ACC_NOEXCEPT;

/* The number of databases tracked (acc_xap_db_track). */
size_t acc_xap_db_tracked(const acc_xap_db *db) ACC_NOEXCEPT;

/* The revision of tracked database i, or of db as a whole for i >= acc_xap_db_tracked(db) (db
   then one database: Xapian gives none for a combination); 0 for a remote one. */
acc_status acc_xap_db_revision(const acc_xap_db *db, size_t i, unsigned long *out,
                               acc_error *err) ACC_NOEXCEPT;

/* Number of documents as of the last (re)open. */
acc_status acc_xap_db_doccount(acc_xap_db *db, unsigned long *out, acc_error *err) ACC_NOEXCEPT;

/*
 * Writes the database(s) at src (a database folder or a stub) compacted into one new database at
 * dest (which must not exist): Xapian's Database::compact, blocks full; fuller: Xapian's
 * FULLER, which leaves no room in the blocks (and cannot be updated by Xapian 1.4.22).
 */
acc_status acc_xap_compact(const char *src, const char *dest, int fuller,
                           acc_error *err) ACC_NOEXCEPT;

/* The number of databases db reads as one (shards: a stub file, several indexes, remote ones). */
size_t acc_xap_db_shards(const acc_xap_db *db) ACC_NOEXCEPT;

/* When db reads several local databases as one, each followed (acc_xap_db_track): how many;
   otherwise 0 (lib/xapdb.c). */
size_t acc_xap_db_parts(const acc_xap_db *db) ACC_NOEXCEPT;
/* Part i of those as a database of its own, at the revision db was last reopened to (each part
   is reopened with it); caller closes. */
acc_status acc_xap_db_part(const acc_xap_db *db, size_t i, acc_xap_db **out,
                           acc_error *err) ACC_NOEXCEPT;

/* Appends the value of key[0..klen) of the index's key/value store to out ("" when absent; with
   several databases, the first one's). */
acc_status acc_xap_db_get_meta(acc_xap_db *db, const char *key, size_t klen, acc_buf *out,
                               acc_error *err) ACC_NOEXCEPT;

/* Number of documents having term t[0..n) (0 when none). */
acc_status acc_xap_db_termfreq(acc_xap_db *db, const char *t, size_t n, unsigned long *out,
                               acc_error *err) ACC_NOEXCEPT;

/*
 * Calls fn(ctx, term, len, termfreq) for the index's terms that begin with
 * prefix[0..plen), in byte order (term borrowed for the call), until fn
 * returns nonzero or max_scan terms were looked at (0: no bound). When
 * min_freq is not NULL, terms with a frequency below *min_freq are counted
 * as looked at but not copied nor offered (fn may raise *min_freq as it goes:
 * a top-k scan copies only terms that can enter its top).
 */
typedef int (*acc_xap_term_fn)(void *ctx, const char *term, size_t len, unsigned long freq);
acc_status acc_xap_db_terms(acc_xap_db *db, const char *prefix, size_t plen, size_t max_scan,
                            unsigned long *min_freq, acc_xap_term_fn fn, void *ctx,
                            acc_error *err) ACC_NOEXCEPT;

/* The first document having term t[0..n) in *docid, 0 when none (lib/xapdb.c). */
acc_status acc_xap_db_find(acc_xap_db *db, const char *t, size_t n, unsigned *docid,
                           acc_error *err) ACC_NOEXCEPT;

/* Calls fn(ctx, docid) for every document having term t[0..n), until fn returns nonzero. */
typedef int (*acc_xap_docid_fn)(void *ctx, unsigned docid);
acc_status acc_xap_db_postings(acc_xap_db *db, const char *t, size_t n, acc_xap_docid_fn fn,
                               void *ctx, acc_error *err); /* lib/xapdb.c, on acc_xap_postcur */

/* Document docid (ACC_ENOTFOUND when there is none); *out: caller frees. */
acc_status acc_xap_db_doc(acc_xap_db *db, unsigned docid, acc_xap_doc **out,
                          acc_error *err) ACC_NOEXCEPT;

/*
 * The first positions at or after `from` of term t[0..n) in document docid, ascending, at
 * most max of them in out[0..*nout); *nout = 0 when the term has no position there.
 */
acc_status acc_xap_db_positions(acc_xap_db *db, unsigned docid, const char *t, size_t n,
                                unsigned from, unsigned *out, size_t max, size_t *nout,
                                acc_error *err); /* lib/xapdb.c, on acc_xap_poscur */

/* The index's mean document length (for BM25), and document docid's length. */
acc_status acc_xap_db_avlength(acc_xap_db *db, double *out, acc_error *err) ACC_NOEXCEPT;
acc_status acc_xap_db_doclength(acc_xap_db *db, unsigned docid, unsigned long *out,
                                acc_error *err) ACC_NOEXCEPT;

/* A cursor on the documents of a term (its posting list), moving forward only. */
typedef struct acc_xap_postcur acc_xap_postcur;
/* Opens one on term t[0..n); *out = NULL when no document has the term. */
acc_status acc_xap_postcur_open(acc_xap_db *db, const char *t, size_t n, acc_xap_postcur **out,
                                acc_error *err) ACC_NOEXCEPT;
/* Moves c to its first document >= docid, into *at with the term's wdf there: 0 when there is
   none (or after an error of the database: the cursor is then at its end). */
int acc_xap_postcur_skip_to(acc_xap_postcur *c, unsigned docid, unsigned *at,
                            unsigned *wdf) ACC_NOEXCEPT;
/* Accepts NULL. */
void acc_xap_postcur_free(acc_xap_postcur *c) ACC_NOEXCEPT;

/* A cursor on the positions of a term in a document, moving forward only. */
typedef struct acc_xap_poscur acc_xap_poscur;
/* Opens one on term t[0..n) in document docid; *out = NULL when the term has no position
   there. */
acc_status acc_xap_poscur_open(acc_xap_db *db, unsigned docid, const char *t, size_t n,
                               acc_xap_poscur **out, acc_error *err) ACC_NOEXCEPT;
/* Moves c to its first position >= pos into *at: 0 when there is none (c is then at its end,
   as it stays after an error of the database). */
int acc_xap_poscur_skip_to(acc_xap_poscur *c, unsigned pos, unsigned *at) ACC_NOEXCEPT;
/* The positions from where c is, up to max of them, into out[0..n): n, and c moved past them
   (0 at its end, as after an error of the database). One call for a list instead of one a
   position (a snippet's place reads up to 256 of each word). */
size_t acc_xap_poscur_read(acc_xap_poscur *c, unsigned *out, size_t max) ACC_NOEXCEPT;
/* Accepts NULL. */
void acc_xap_poscur_free(acc_xap_poscur *c) ACC_NOEXCEPT;

/*
 * Relevance feedback: up to max terms that best describe document docid (as
 * Xapian's ESet ranks them for the relevance set {docid}, the terms of query
 * q left out), each passing accept(ctx, term, len), given to fn(ctx, term,
 * len, weight) best first.
 */
typedef int (*acc_xap_accept_fn)(void *ctx, const char *term, size_t len);
typedef void (*acc_xap_weighted_fn)(void *ctx, const char *term, size_t len, double weight);
acc_status acc_xap_db_expand(acc_xap_db *db, const acc_xap_query *q, unsigned docid, unsigned max,
                             acc_xap_accept_fn accept, void *actx, acc_xap_weighted_fn fn,
                             void *ctx, acc_error *err) ACC_NOEXCEPT;

/* ----------------------------------------------------------- documents */

/* A new empty document (caller frees with acc_xap_doc_free). */
acc_xap_doc *acc_xap_doc_new(void) ACC_NOEXCEPT;
/* Accepts NULL. */
void acc_xap_doc_free(acc_xap_doc *d) ACC_NOEXCEPT;

/* Adds term t[0..n) at position pos with wdf increment wdf. */
void acc_xap_doc_add_posting(acc_xap_doc *d, const char *t, size_t n, unsigned pos,
                             unsigned wdf) ACC_NOEXCEPT;
/* Adds term t[0..n) without a position, wdf increment wdf (0 for a boolean term). */
void acc_xap_doc_add_term(acc_xap_doc *d, const char *t, size_t n, unsigned wdf) ACC_NOEXCEPT;
/* Sets value slot `slot` to p[0..n). */
void acc_xap_doc_set_value(acc_xap_doc *d, unsigned slot, const char *p, size_t n) ACC_NOEXCEPT;

/* Appends value slot `slot` (empty when unset) to out. */
acc_status acc_xap_doc_value(const acc_xap_doc *d, unsigned slot, acc_buf *out,
                             acc_error *err) ACC_NOEXCEPT;
/* Appends the document data to out. */
acc_status acc_xap_doc_data(const acc_xap_doc *d, acc_buf *out, acc_error *err) ACC_NOEXCEPT;

/*
 * Calls fn(ctx, term, len, wdf) for the document's terms that begin with
 * prefix[0..plen), in byte order, until fn returns nonzero (term borrowed).
 */
typedef int (*acc_xap_wdf_fn)(void *ctx, const char *term, size_t len, unsigned wdf);
acc_status acc_xap_doc_terms(const acc_xap_doc *d, const char *prefix, size_t plen,
                             acc_xap_wdf_fn fn, void *ctx, acc_error *err) ACC_NOEXCEPT;

/* ------------------------------------------------------------- writer */

/*
 * Opens (creating when needed) the index at path for writing: ACC_EDB_LOCKED
 * when another writer holds it. *out is set only on success.
 */
acc_status acc_xap_wdb_open(const char *path, acc_xap_wdb **out, acc_error *err) ACC_NOEXCEPT;
/* Discards an open transaction, closes; accepts NULL. */
void acc_xap_wdb_close(acc_xap_wdb *w) ACC_NOEXCEPT;

/* A reader over what the writer sees, committed or not (borrowed: valid until close). */
acc_xap_db *acc_xap_wdb_reader(acc_xap_wdb *w) ACC_NOEXCEPT;

/* An atomic batch: nothing is visible to readers until commit. */
acc_status acc_xap_wdb_begin(acc_xap_wdb *w, acc_error *err) ACC_NOEXCEPT;
/* Commits the open transaction, or the pending changes when there is none. */
acc_status acc_xap_wdb_commit(acc_xap_wdb *w, acc_error *err) ACC_NOEXCEPT;
/* Discards the open transaction, if any. */
acc_status acc_xap_wdb_cancel(acc_xap_wdb *w, acc_error *err) ACC_NOEXCEPT;

/*
 * Replaces the document having the unique term t[0..n) by d, or adds d;
 * *existed (optional) says which.
 */
acc_status acc_xap_wdb_replace(acc_xap_wdb *w, const char *t, size_t n, const acc_xap_doc *d,
                               int *existed, acc_error *err) ACC_NOEXCEPT;
/* Deletes the documents having term t[0..n) (none is not an error). */
acc_status acc_xap_wdb_delete(acc_xap_wdb *w, const char *t, size_t n, acc_error *err) ACC_NOEXCEPT;

/* The index's key/value store, written with the next commit (an empty value deletes). */
acc_status acc_xap_wdb_set_meta_n(acc_xap_wdb *w, const char *key, size_t klen, const char *value,
                                  size_t vlen, acc_error *err) ACC_NOEXCEPT;
/* Calls fn(ctx, key, klen, value, vlen) for every key of the store that begins with
   prefix[0..plen), in byte order (borrowed for the call), until fn returns nonzero. */
typedef int (*acc_xap_meta_fn)(void *ctx, const char *key, size_t klen, const char *value,
                               size_t vlen);
acc_status acc_xap_wdb_meta_each(acc_xap_wdb *w, const char *prefix, size_t plen,
                                 acc_xap_meta_fn fn, void *ctx, acc_error *err) ACC_NOEXCEPT;

/* --------------------------------------------------------------- stemmer */

/* Xapian's Snowball stemmer of a language (of an acc_xap_stem, living as long as it does). */
typedef struct acc_xap_snowball acc_xap_snowball;
/* Appends Snowball's stem of w[0..n) to out. */
void acc_xap_snowball_stem(const acc_xap_snowball *sb, const char *w, size_t n,
                           acc_buf *out) ACC_NOEXCEPT;

/*
 * The term of word w[0..n) in the C side's scheme (lib/stem.c), appended to out; sb gives
 * Snowball's stem; ctx is the copy acc_xap_stem_new made.
 */
typedef acc_status (*acc_xap_word_fn)(const void *ctx, const acc_xap_snowball *sb, const char *w,
                                      size_t n, acc_buf *out, acc_error *err);

/*
 * Xapian's Snowball stemmer `algorithm` ("english", "german2"...), which the query parser
 * (acc_xap_parser_new) and acc_xap_stem_word call with fn and a copy of ctx[0..ctx_size): the
 * term scheme, decided in C. NULL when Xapian has no such algorithm. Caller frees; one thread
 * at a time.
 */
acc_xap_stem *acc_xap_stem_new(const char *algorithm, acc_xap_word_fn fn, const void *ctx,
                               size_t ctx_size) ACC_NOEXCEPT;
/* Accepts NULL. */
void acc_xap_stem_free(acc_xap_stem *s) ACC_NOEXCEPT;

/* Appends fn's term of w[0..n) (normalised text) to out, as the query parser makes it. */
void acc_xap_stem_word(acc_xap_stem *s, const char *w, size_t n, acc_buf *out) ACC_NOEXCEPT;
/* The copy of ctx the stemmer keeps (borrowed). */
const void *acc_xap_stem_ctx(const acc_xap_stem *s) ACC_NOEXCEPT;
/* Its Snowball stemmer (borrowed). */
const acc_xap_snowball *acc_xap_stem_snowball(const acc_xap_stem *s) ACC_NOEXCEPT;

/* --------------------------------------------------------------- queries */

/* Xapian::Query's operators, with their values (lib/xap_query.cc checks them) */
typedef enum acc_xap_op {
    ACC_XAP_AND = 0,
    ACC_XAP_OR = 1,
    ACC_XAP_AND_NOT = 2,
    ACC_XAP_AND_MAYBE = 4, /* the first's matches, weighted by both */
    ACC_XAP_FILTER = 5,
    ACC_XAP_NEAR = 6,   /* window: acc_xap_query_window */
    ACC_XAP_PHRASE = 7, /* window: acc_xap_query_window */
    ACC_XAP_SYNONYM = 13,
    ACC_XAP_MAX = 14,
} acc_xap_op;

/* A query of one term t[0..n) (caller frees every query with acc_xap_query_free). */
acc_xap_query *acc_xap_query_term(const char *t, size_t n) ACC_NOEXCEPT;
/* Another handle on q (cheap: queries are immutable and shared). */
acc_xap_query *acc_xap_query_copy(const acc_xap_query *q) ACC_NOEXCEPT;
/* The query matching every document. */
acc_xap_query *acc_xap_query_all(void) ACC_NOEXCEPT;
/* The query matching nothing. */
acc_xap_query *acc_xap_query_none(void) ACC_NOEXCEPT;
/* subs[0..n) (borrowed) joined by op; PHRASE or NEAR within `window` positions (0: the
   number of subqueries). Xapian's rules for empty subqueries. */
acc_xap_query *acc_xap_query_window(acc_xap_op op, acc_xap_query *const *subs, size_t n,
                                    unsigned window) ACC_NOEXCEPT;
/* subs[0..n) (borrowed) joined by op. */
static inline acc_xap_query *acc_xap_query_join(acc_xap_op op, acc_xap_query *const *subs, size_t n)
{
    return acc_xap_query_window(op, subs, n, 0);
}
/* a op b (borrowed), e.g. FILTER or AND_NOT. */
static inline acc_xap_query *acc_xap_query_pair(acc_xap_op op, const acc_xap_query *a,
                                                const acc_xap_query *b)
{
    acc_xap_query *v[2] = {(acc_xap_query *)a, (acc_xap_query *)b};
    return acc_xap_query_window(op, v, 2, 0);
}
/* q with its weights multiplied by factor. */
acc_xap_query *acc_xap_query_scale(const acc_xap_query *q, double factor) ACC_NOEXCEPT;
/* Documents whose value in slot lies in [lo, hi] (byte order). */
acc_xap_query *acc_xap_query_range(unsigned slot, const char *lo, size_t lolen, const char *hi,
                                   size_t hilen) ACC_NOEXCEPT;
/* 1 when q matches nothing by construction (no terms). */
int acc_xap_query_empty(const acc_xap_query *q) ACC_NOEXCEPT;
/* Calls fn(ctx, term, len) for each distinct term of q, in byte order; ordered: for each term
   in the order of the query's words instead (a term again for each word it stands for). */
typedef void (*acc_xap_str_fn)(void *ctx, const char *term, size_t len);
void acc_xap_query_terms(const acc_xap_query *q, int ordered, acc_xap_str_fn fn,
                         void *ctx) ACC_NOEXCEPT;
/* Accepts NULL. */
void acc_xap_query_free(acc_xap_query *q) ACC_NOEXCEPT;

/* What the layer's errors say (lib/xaperr.c, C): code with Xapian's type, message and system
   reason (each may be NULL) worded for the user into err; returns code. */
acc_status acc_xap_said(acc_error *err, acc_status code, const char *type, const char *msg,
                        const char *why) ACC_NOEXCEPT;
/* A Xapian::Error of class type (Error::get_type()) said: its status decided from the class,
   then worded as acc_xap_said does. */
acc_status acc_xap_said_error(acc_error *err, const char *type, const char *msg,
                              const char *why) ACC_NOEXCEPT;
/* Xapian found no database at path: ACC_EDB_NOTINDEX for an existing folder, else
   ACC_EDB_NOTFOUND, worded with msg. */
acc_status acc_xap_said_missing(acc_error *err, const char *path, const char *msg) ACC_NOEXCEPT;

/* Xapian's sortable encoding of a number (at most 18 bytes into out), its length. */
size_t acc_xap_sortable(double v, char out[18]) ACC_NOEXCEPT;
/* The number of a sortable encoding. */
double acc_xap_unsortable(const char *p, size_t n) ACC_NOEXCEPT;

/* ---------------------------------------------------------------- parser */

/* Parser flags: Xapian's QueryParser features, with their values (lib/xap_query.cc checks them). */
enum {
    ACC_XAP_PARSE_BOOLEAN = 1 << 0,
    ACC_XAP_PARSE_PHRASE = 1 << 1,
    ACC_XAP_PARSE_LOVEHATE = 1 << 2,
    ACC_XAP_PARSE_WILDCARD = 1 << 4,
    ACC_XAP_PARSE_PURE_NOT = 1 << 5,
    ACC_XAP_PARSE_PARTIAL = 1 << 6,
    ACC_XAP_PARSE_CJK = 1 << 11,
};

/*
 * A query parser stemming with s (borrowed for the call; NULL: no stemming),
 * Omega's STEM_SOME strategy (words stemmed into Z terms, unstemmed in
 * phrases). Caller frees.
 */
acc_xap_parser *acc_xap_parser_new(const acc_xap_stem *s) ACC_NOEXCEPT;
/* Accepts NULL. */
void acc_xap_parser_free(acc_xap_parser *p) ACC_NOEXCEPT;
/* field:word searches terms prefix+word (free text) or is a filter on prefix+value (boolean). */
void acc_xap_parser_prefix(acc_xap_parser *p, const char *field, const char *prefix,
                           int boolean) ACC_NOEXCEPT;
/* field:A..B (and A.., ..B) as a range of numbers stored sortable in slot. */
void acc_xap_parser_number_range(acc_xap_parser *p, unsigned slot, const char *field) ACC_NOEXCEPT;
/*
 * Bounds the expansion of wildcards and/or partial words (`which`: the
 * ACC_XAP_PARSE_WILDCARD and ACC_XAP_PARSE_PARTIAL bits) to the max most
 * frequent terms. Unbounded by default.
 */
void acc_xap_parser_max_expansion(acc_xap_parser *p, unsigned max, unsigned which) ACC_NOEXCEPT;

/*
 * Parses text[0..n) with the ACC_XAP_PARSE_* flags, words joined by
 * default_op (ACC_XAP_AND or ACC_XAP_OR), free words searched under
 * default_prefix (NULL: none), wildcards expanded against db. A syntax error
 * is ACC_EINVAL. *out: caller frees.
 */
acc_status acc_xap_parse(acc_xap_parser *p, acc_xap_db *db, const char *text, size_t n,
                         unsigned flags, acc_xap_op default_op, const char *default_prefix,
                         acc_xap_query **out, acc_error *err) ACC_NOEXCEPT;

/* ----------------------------------------------------------------- spies */

/*
 * A counter of the values of slot over every document a match looks at (a
 * value as stored: lib/facets.c splits lists). Caller frees, after the match
 * it rode on.
 */
acc_xap_spy *acc_xap_spy_new(unsigned slot) ACC_NOEXCEPT;
void acc_xap_spy_free(acc_xap_spy *s) ACC_NOEXCEPT;
/* Calls fn(ctx, value, len, count) for each value counted, in no set order. */
typedef void (*acc_xap_count_fn)(void *ctx, const char *value, size_t len, unsigned long count);
void acc_xap_spy_each(const acc_xap_spy *s, acc_xap_count_fn fn, void *ctx) ACC_NOEXCEPT;

/*
 * Documents instead of values: the match calls fn(ctx, docid) for each document it counts and
 * s counts no values; ctx is the caller's (it outlives s's matches; s does not free it). Only
 * for a match on one local database (acc_xap_db_one_local): the docids of shards are not the
 * database's. NULL fn: values.
 */
typedef void (*acc_xap_seen_fn)(void *ctx, unsigned docid);
void acc_xap_spy_on_docids(acc_xap_spy *s, acc_xap_seen_fn fn, void *ctx) ACC_NOEXCEPT;
/* The ctx given to acc_xap_spy_on_docids, NULL when none was. */
void *acc_xap_spy_docids_ctx(const acc_xap_spy *s) ACC_NOEXCEPT;

/* Whether db is one local database (not several shards, not a remote one). */
int acc_xap_db_one_local(const acc_xap_db *db) ACC_NOEXCEPT;
/*
 * Calls fn(ctx, docid, value, len) for every document of db that has a value in slot, by
 * docid, until fn returns nonzero; *lastdocid receives db's last docid. Over several
 * databases the docids are Xapian's merged ones: the caller decides whether that is what it
 * wants (lib/column.c reads one local database only).
 */
typedef int (*acc_xap_value_fn)(void *ctx, unsigned docid, const char *v, size_t n);
acc_status acc_xap_db_values_each(acc_xap_db *db, unsigned slot, unsigned *lastdocid,
                                  acc_xap_value_fn fn, void *ctx, acc_error *err) ACC_NOEXCEPT;

/* ----------------------------------------------------------------- match */

/* A sort key from a document's value of the sort slot (v[0..n), n = 0 when it has none),
   appended to out; keys sort ascending, bytewise. */
typedef void (*acc_xap_key_fn)(void *ctx, const char *v, size_t n, acc_buf *out);

typedef struct acc_xap_match_opts {
    int bool_weight;         /* 1: every match weighs 0 (counting); 0: BM25 with bm25[] */
    double bm25[5];          /* k1, k2, k3, b, min_normlen */
    double time_limit;       /* seconds, 0 = none; past it, the best matches found so far */
    int sort_slot;           /* -1: by relevance; else by this slot's value, then relevance */
    acc_xap_key_fn sort_key; /* with sort_slot: the key of each match's value, ties by
                                relevance; NULL: Xapian's own value sort (what remote shards
                                can run), sort_descending for largest first */
    void *sort_key_ctx;
    int sort_descending;
    int collapse_slot;         /* -1: none; else one hit per value of this slot */
    unsigned offset;           /* first hit to return */
    unsigned limit;            /* hits to return */
    unsigned check_at_least;   /* documents to look at for exact totals and spies */
    acc_xap_spy *const *spies; /* borrowed, counted over the match */
    size_t nspies;
} acc_xap_match_opts;

/* Defaults: BM25 (1, 0, 1, 0.5, 0.5), no time limit, by relevance, no collapse, 10 hits. */
static inline void acc_xap_match_opts_init(acc_xap_match_opts *o)
{
    memset(o, 0, sizeof *o);
    o->bm25[0] = 1;
    o->bm25[2] = 1;
    o->bm25[3] = 0.5;
    o->bm25[4] = 0.5;
    o->sort_slot = -1;
    o->collapse_slot = -1;
    o->limit = 10;
}

/* Runs q (borrowed) over db; *out: caller frees with acc_xap_match_free. */
acc_status acc_xap_match_run(acc_xap_db *db, const acc_xap_query *q, const acc_xap_match_opts *o,
                             acc_xap_match **out, acc_error *err) ACC_NOEXCEPT;
void acc_xap_match_free(acc_xap_match *m) ACC_NOEXCEPT;

/* The match's totals: estimate, lower and upper bounds of the number of matches. */
void acc_xap_match_totals(const acc_xap_match *m, unsigned long *estimated, unsigned long *lower,
                          unsigned long *upper) ACC_NOEXCEPT;
/* Number of hits returned (at most limit). */
size_t acc_xap_match_size(const acc_xap_match *m) ACC_NOEXCEPT;
/* Hit i's document id and weight (i < acc_xap_match_size). */
unsigned acc_xap_match_docid(const acc_xap_match *m, size_t i) ACC_NOEXCEPT;
double acc_xap_match_weight(const acc_xap_match *m, size_t i) ACC_NOEXCEPT;
/* The match keeps hits keep[0..n) (indexes of its hits, in the order given), weighing
   weights[0..n) (a ranking the C side decides, lib/proximity.h). */
void acc_xap_match_keep(acc_xap_match *m, const size_t *keep, const double *weights,
                        size_t n) ACC_NOEXCEPT;
/* Hit i's document; *out: caller frees. */
acc_status acc_xap_match_doc(acc_xap_match *m, size_t i, acc_xap_doc **out,
                             acc_error *err) ACC_NOEXCEPT;
/* Calls fn(ctx, term, len) for the query terms hit i matches. */
acc_status acc_xap_match_terms(acc_xap_match *m, size_t i, acc_xap_str_fn fn, void *ctx,
                               acc_error *err) ACC_NOEXCEPT;

/* The writer's key/value store, NUL-terminated key and value; absent: "" (what the writer sees). */
static inline acc_status acc_xap_wdb_get_meta(acc_xap_wdb *w, const char *key, acc_buf *out,
                                              acc_error *err)
{
    return acc_xap_db_get_meta(acc_xap_wdb_reader(w), key, strlen(key), out, err);
}
static inline acc_status acc_xap_wdb_set_meta(acc_xap_wdb *w, const char *key, const char *value,
                                              acc_error *err)
{
    return acc_xap_wdb_set_meta_n(w, key, strlen(key), value, strlen(value), err);
}

#ifdef __cplusplus
}
#endif

#endif
