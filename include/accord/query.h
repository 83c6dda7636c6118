/*
 * The query model shared by accord-search and accord-searchd: one request
 * struct in, one results struct out, one JSON encoding.
 */
#ifndef ACCORD_QUERY_H
#define ACCORD_QUERY_H

#include <stddef.h>

#include "accord/lang.h"
#include "accord/mem.h"
#include "accord/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ACC_LIMIT_DEFAULT 10

/* target_year: the earliest target year a document states first, documents without last */
typedef enum acc_sort {
    ACC_SORT_RELEVANCE = 0,
    ACC_SORT_NEWEST,
    ACC_SORT_OLDEST,
    ACC_SORT_TARGET_YEAR
} acc_sort;

/* Facet names, for acc_query.facets (a bit set) and the results */
typedef enum acc_facet_kind {
    ACC_FACET_LANG = 0,
    ACC_FACET_TYPE,
    ACC_FACET_TOPIC,
    ACC_FACET_YEAR,
    ACC_FACET_PARTY,
    ACC_FACET_TARGET,      /* commitment kinds */
    ACC_FACET_TARGET_YEAR, /* commitment target years (oldest first) */
    ACC_FACET_STRENGTH,    /* commitment strengths */
    ACC_FACET_COUNT
} acc_facet_kind;

/* "lang", "type", "topic", "year", "party", "target", "target_year", "strength" */
const char *acc_facet_name(acc_facet_kind k);

/*
 * One request. Filters take comma-separated values (OR-ed within a filter,
 * AND-ed across filters), matched case- and accent-insensitively. All strings
 * are borrowed for the duration of the search.
 */
typedef struct acc_query {
    const char *text; /* query text (UTF-8); NULL or blank = all documents */
    size_t text_len;
    char lang[ACC_LANG_MAX]; /* "" = every language; otherwise restricts and picks the stemmer */
    const char *type;        /* document types, e.g. "treaty,protocol"; NULL = any */
    const char *topic;       /* topic ids, e.g. "biodiversity" */
    const char *party;       /* parties, e.g. "France" */
    int year_from, year_to;  /* inclusive; 0 = open */
    acc_sort sort;
    unsigned offset;
    unsigned limit;
    unsigned facets;          /* bit set of 1u << acc_facet_kind */
    int expand;               /* cross-lingual topic expansion (default on) */
    int collapse;             /* one hit per agreement, its other language versions listed */
    const char *similar;      /* a document id: documents like it (text is then ignored) */
    int explain;              /* list the matching terms of each hit */
    char qlang[ACC_LANG_MAX]; /* the language the query is written in; "" = guessed */
    /* commitments (include/accord/commit.h): every condition holds for one commitment */
    const char *target;      /* kinds, e.g. "netzero,reduction"; NULL = any */
    const char *target_year; /* "2030", "2030..2040", "..2040" */
    const char *cut;         /* reduction percentage: "50", ">=50", "<=30", "40..60" */
    const char *strength;    /* "binding,intended" */
} acc_query;

typedef struct acc_version {
    char *id;
    char *lang;
} acc_version;

typedef struct acc_hit {
    char *id;
    char *title;
    char *lang;
    char *date;
    char *type;
    char *path;
    char *url;
    char **parties;
    size_t nparties;
    char **topics;
    size_t ntopics;
    double score;
    char *snippet;         /* HTML-escaped text, <mark>...</mark> around matches */
    char *article;         /* the article the snippet is in ("Article 4"), or NULL */
    acc_version *versions; /* other language versions (collapse), may be NULL */
    size_t nversions;
    char *explain;                     /* the matching terms (explain), or NULL */
    struct acc_commitment *commitment; /* with a commitment filter: the one the snippet shows */
} acc_hit;

typedef struct acc_facet_value {
    char *value;
    unsigned long count;
} acc_facet_value;

typedef struct acc_facet {
    acc_facet_kind kind;
    acc_facet_value *values; /* most frequent first (year: newest first) */
    size_t n;
} acc_facet;

/* The words a query reached in another language (or synonyms, in its own). */
typedef struct acc_translation {
    char lang[ACC_LANG_MAX];
    char **words;
    size_t n;
} acc_translation;

typedef struct acc_results {
    unsigned long total; /* number of matching documents (see total_exact) */
    int total_exact;     /* 1 when total is exact, 0 when it is an estimate */
    acc_hit *hits;
    size_t nhits;
    acc_facet facets[ACC_FACET_COUNT];
    unsigned facets_asked; /* facets[k] is filled when bit k is set */
    char *suggestion;      /* "did you mean" query, or NULL */
    int simplified;        /* the query had a syntax error and was run as plain words */
    char message[256];     /* for the user, e.g. why the query was simplified; "" if none */
    size_t words_typed;    /* when the query was cut to ACC_QUERY_MAX_WORDS: its words; else 0 */
    double took_ms;
    unsigned long revision;        /* index revision the results come from */
    char query_lang[ACC_LANG_MAX]; /* the language the query was read in; "" = unknown */
    acc_translation *translations; /* per language, the translations used (expand) */
    size_t ntranslations;
    char **missing_shards; /* remote shards left out of this answer (unreachable) */
    size_t nmissing;
} acc_results;

/*
 * Parses a comma-separated facet list ("lang,type,topic,year,party") into a
 * bit set. ACC_EINVAL naming the unknown facet otherwise.
 */
acc_status acc_facets_parse(const char *list, unsigned *out, acc_error *err);

/* Parses "relevance", "newest" or "oldest". */
acc_status acc_sort_parse(const char *s, acc_sort *out, acc_error *err);

/* Sets q to defaults: all languages, offset 0, limit ACC_LIMIT_DEFAULT, expansion on. */
void acc_query_init(acc_query *q);

/*
 * Sets q->lang from user input ("" or NULL clears it). ACC_EINVAL with a
 * message when the value is not a language code.
 */
acc_status acc_query_set_lang(acc_query *q, const char *lang, acc_error *err);

/*
 * Where the first ACC_QUERY_MAX_WORDS words of query text t[0..n) end (n
 * when it has no more), and its number of words in *words (NULL: not
 * asked). Operators are not words; each CJK character is one, since each is
 * searched as its own n-grams. A search runs the words up to there.
 */
size_t acc_query_cut(const char *t, size_t n, size_t *words);

/*
 * Checks a request before it reaches the index: valid UTF-8, at most
 * ACC_QUERY_MAX_BYTES of query text (a search runs its first
 * ACC_QUERY_MAX_WORDS words: acc_query_cut), at most
 * ACC_QUERY_MAX_WILDCARDS wildcards ("clim*"), at most
 * ACC_QUERY_MAX_NEAR NEAR or ADJ operators, brackets nested at most
 * ACC_QUERY_MAX_DEPTH deep, limit <= ACC_LIMIT_MAX,
 * offset <= ACC_OFFSET_MAX: so that no query text costs more than a bounded
 * amount of work. ACC_EINVAL with a message for the user otherwise.
 */
acc_status acc_query_check(const acc_query *q, acc_error *err);

/* Frees r and everything it holds; accepts NULL. */
void acc_results_free(acc_results *r);

/*
 * Fills the fields of h from a stored record (one-line JSON, see schema.h).
 * Missing fields become "". Used by the index wrapper.
 */
void acc_hit_from_record(acc_hit *h, const char *json, size_t len);
/* acc_hit_from_record(), also setting h->article to the article at byte `at`
   of the text (the last heading of the record's "articles" at or before
   `at`; NULL when none), in one parse of the record. */
void acc_hit_from_record_at(acc_hit *h, const char *json, size_t len, size_t at);

/*
 * Fills q from request parameters, the one parser of the HTTP API and of
 * accord-search --server: q lang type topic party from to sort offset limit
 * facets expand collapse similar explain. get(ctx, name, &len) returns a
 * parameter's value (borrowed, may contain NUL bytes: len says its length)
 * or NULL when absent. Strings in q point into the values. ACC_EINVAL with a
 * message naming the parameter on bad input.
 */
typedef const char *(*acc_param_fn)(void *ctx, const char *name, size_t *len);
acc_status acc_query_from_params(acc_query *q, acc_param_fn get, void *ctx, acc_error *err);

/* Appends q as URL query parameters (percent-encoded, no leading '?'). */
void acc_query_to_params(const acc_query *q, acc_buf *out);

/*
 * Decodes results JSON as acc_results_json() writes it (for --server).
 * *out: caller frees with acc_results_free. ACC_EINVAL when it is not that.
 */
acc_status acc_results_from_json(const char *json, size_t len, acc_results **out, acc_error *err);

/*
 * Encodes results (caller frees; compact when pretty == 0) as
 *   {"total", "total_exact",
 *    "hits": [{"id", "title", "lang", "date", "type", "score", "snippet",
 *              "parties", "topics", "url", "article" (or null),
 *              "versions"? [{"id", "lang"}], "explain"?}],
 *    "facets"? {"lang"|"type"|"topic"|"year"|"party": [{"value", "count"}]},
 *    "suggestion"?, "simplified", "message"?, "took_ms", "revision"}
 * Keys marked ? appear only when set (versions: with collapse; explain: when
 * asked; facets: when asked; message: when not empty).
 */
char *acc_results_json(const acc_results *r, int pretty);

/* Encodes {"error": {"code": http_code, "message": msg}} (caller frees). */
char *acc_error_json(int http_code, const char *msg);

#ifdef __cplusplus
}
#endif

#endif
