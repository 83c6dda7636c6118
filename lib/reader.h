/*
 * lib/reader.h: the read handle of an index (acc_index, public side in
 * include/accord/xap.h) as the engine modules see it (private to libaccord).
 *
 * One handle per thread. The handle follows the latest commit: each request
 * calls acc_index_refresh() once, and everything it reads comes from that
 * revision.
 */
#ifndef ACCORD_LIB_INDEX_H
#define ACCORD_LIB_INDEX_H

#include <stddef.h>

#include "accord/lang.h"
#include "accord/topics.h"
#include "accord/index.h"
#include "xap.h"

typedef struct index_parser {
    char lang[ACC_LANG_MAX];
    acc_xap_parser *p;
    acc_xap_stem *stem; /* kept alive for p; NULL for unstemmed languages */
} index_parser;

/* What a table file of an index was when the index was opened: a file replaced (a new index
   built or moved in at the same path) has another inode. */
typedef struct acc_index_ident {
    char *file;
    unsigned long long dev, ino;
    int exists;
    long long mtime_ns; /* stub files only (0 otherwise): rewritten in place, they change too */
} acc_index_ident;

/* A shard of an index opened shard by shard (a stub listing remote shards). */
typedef struct acc_shard {
    char *name; /* "HOST:PORT" or the folder, as the stub names it */
    char *path; /* local: the folder (resolved against the stub's folder) */
    char *host; /* remote: host and port */
    unsigned port;
    int down;        /* left out of the database: unreachable when last tried */
    double next_try; /* monotonic seconds: when to try a down shard again */
} acc_shard;

#define ACC_INDEX_COLUMNS 8

struct acc_index {
    acc_xap_db *db;
    acc_shard *shards; /* opened shard by shard (a remote line in a stub), else NULL */
    size_t nshards;
    const char **missing; /* acc_index_missing_shards's answer */
    char **paths;         /* what it was opened from, to open it again */
    size_t npaths;
    acc_index_ident *ids; /* each index directory's postlist table */
    size_t nids;
    unsigned long rev;        /* revision at the last refresh */
    unsigned long generation; /* times opened again from scratch (acc_index_generation) */
    unsigned long large_from; /* documents from which an index is large (ACC_LARGE_FROM) */
    unsigned long searches;   /* searches run on this handle (a long-lived one: a daemon's) */
    struct index_column {
        unsigned slot;
        unsigned long rev, generation; /* when loaded */
        struct acc_column *col;        /* NULL: none can be made (acc_column_load) */
    } cols[ACC_INDEX_COLUMNS];         /* acc_index_column's, by slot */
    size_t ncols;
    const acc_topics *vocab; /* for cross-lingual expansion; borrowed */
    index_parser *parsers;   /* one per language, made on first use */
    size_t nparsers;
    char (*langs)[ACC_LANG_MAX]; /* the languages of the index (XL terms) */
    size_t nlangs;
    unsigned long langs_rev;
    int langs_valid;
    struct acc_lex_cache *lex;       /* the translation table's header, dictionary, last bucket */
    struct acc_textdict **textdicts; /* the stored text's dictionaries read (acc_index_textdict) */
    struct acc_variant_memo *variants; /* stem variants found (lib/highlight.h) */
    size_t ntextdicts;
};

/* Moves x to the latest commit and notes its revision for the request. An index deleted,
   rebuilt or replaced at its path since x opened it is opened again from scratch (ACC_EDB_*
   while there is none). */
acc_status acc_index_refresh(acc_index *x, acc_error *err);

/*
 * After a call on x failed with st: when st is ACC_EDB_NETWORK and a remote shard stopped
 * answering, that shard is left out and x opened again without it: 1, run the call again.
 */
int acc_index_recover(acc_index *x, acc_status st);

/*
 * Whether a call on x that failed with st on its attempt-th try (from 0) is worth another:
 * the index changed under the read (ACC_EDB_MODIFIED: the next try refreshes to the new
 * revision; an indexer committing batches back to back can move it twice during one read) or
 * a remote shard was left out (acc_index_recover). At most three tries in all.
 */
int acc_index_again(acc_index *x, acc_status st, int attempt);

/*
 * The languages of the index as of the last refresh, in byte order
 * (borrowed: valid until the next refresh). *n receives how many.
 */
acc_status acc_index_langs(acc_index *x, const char (**langs)[ACC_LANG_MAX], size_t *n,
                           acc_error *err);

/*
 * The query parser of language lang (its stemmer, accord's fields and
 * filters: title: lang: type: party: year: topic:, year ranges, bounded
 * wildcards), made on first use (borrowed: lives as long as x).
 */
acc_xap_parser *acc_index_parser(acc_index *x, const char *lang);

/* The tagged folding stemmer of language lang (the parser's; NULL for unstemmed languages). */
acc_xap_stem *acc_index_stemmer(acc_index *x, const char *lang);

/*
 * The text dictionary of id (lib/docstore.h: a stored chunk names the one it was made with),
 * read on first use from the index's metadata, or from the shard that has it when shards
 * were built apart (borrowed: lives as long as x). ACC_EDB_CORRUPT when no shard has it.
 */
acc_status acc_index_textdict(acc_index *x, unsigned id, struct acc_textdict **out, acc_error *err);

/* A term of the index and the number of documents having it. */
typedef struct acc_top_term {
    char *term;
    unsigned long freq;
} acc_top_term;

/*
 * The `keep` most frequent index terms that begin with prefix[0..plen) and
 * pass accept(ctx, term, len) (NULL: all), most frequent first, among equals
 * the first in byte order; at most max_scan terms are looked at. A term is
 * copied only when it is frequent enough to enter the top. *out: free with
 * acc_top_terms_free (a NULL term in it is skipped).
 */
typedef int (*acc_term_accept_fn)(void *ctx, const char *term, size_t len);
acc_status acc_index_top_terms(acc_index *x, const char *prefix, size_t plen, size_t keep,
                               size_t max_scan, acc_term_accept_fn accept, void *ctx,
                               acc_top_term **out, size_t *n, acc_error *err);
void acc_top_terms_free(acc_top_term *v, size_t n);

/* Documents from which an index is large and work that grows with the matches is avoided: a
   search ranks in one match and counts totals and facets in another (lib/search.c), /suggest
   shows the first titles found rather than ranking every title matching a prefix
   (lib/suggest.c). Tests set it low to compare both ways on a small index. */
#define ACC_LARGE_FROM 50000
void acc_index_set_large_from(acc_index *x, unsigned long docs);

/*
 * The column of slot for x's revision (borrowed, valid until the next refresh), loaded on first
 * use and again when the index changed; NULL when none can be made (several shards, a remote
 * one, too many values) or on an error.
 */
const struct acc_column *acc_index_column(acc_index *x, unsigned slot);

#endif
