/*
 * The query model shared by accord-search and accord-searchd: one request
 * struct in, one results struct out, one JSON encoding.
 */
#ifndef ACCORD_QUERY_H
#define ACCORD_QUERY_H

#include <stddef.h>

#include "accord/lang.h"
#include "accord/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ACC_LIMIT_DEFAULT 10

typedef struct acc_query {
    const char *text; /* query text (UTF-8, borrowed); NULL or blank = all documents */
    size_t text_len;
    char lang[ACC_LANG_MAX]; /* "" = every language; otherwise restricts and picks the stemmer */
    unsigned offset;
    unsigned limit;
} acc_query;

typedef struct acc_hit {
    char *id;
    char *title;
    char *lang;
    char *date;
    char *type;
    char *path;
    double score;
    char *snippet; /* HTML-escaped text, <mark>...</mark> around matches */
} acc_hit;

typedef struct acc_results {
    unsigned long total; /* number of matching documents (see total_exact) */
    int total_exact;     /* 1 when total is exact, 0 when it is an estimate */
    acc_hit *hits;
    size_t nhits;
    int simplified;    /* the query had a syntax error and was run as plain words */
    char message[256]; /* for the user, e.g. why the query was simplified; "" if none */
    double took_ms;
    unsigned long revision; /* index revision the results come from */
} acc_results;

/* Sets q to defaults: all languages, offset 0, limit ACC_LIMIT_DEFAULT. */
void acc_query_init(acc_query *q);

/*
 * Sets q->lang from user input ("" or NULL clears it). ACC_EINVAL with a
 * message when the value is not a language code.
 */
acc_status acc_query_set_lang(acc_query *q, const char *lang, acc_error *err);

/*
 * Checks a request before it reaches the index: valid UTF-8, at most
 * ACC_QUERY_MAX_BYTES of query text, limit <= ACC_LIMIT_MAX, offset <=
 * ACC_OFFSET_MAX. ACC_EINVAL with a message for the user otherwise.
 */
acc_status acc_query_check(const acc_query *q, acc_error *err);

/* Frees r and everything it holds; accepts NULL. */
void acc_results_free(acc_results *r);

/*
 * Fills the fields of h from a stored record (one-line JSON, see schema.h).
 * Missing fields become "". Used by the index wrapper.
 */
void acc_hit_from_record(acc_hit *h, const char *json, size_t len);

/*
 * Encodes results as {"total", "total_exact", "hits": [{"id", "title", "lang",
 * "date", "type", "score", "snippet"}], "simplified", "message"?, "took_ms",
 * "revision"} (caller frees; compact when pretty == 0).
 */
char *acc_results_json(const acc_results *r, int pretty);

/* Encodes {"error": {"code": http_code, "message": msg}} (caller frees). */
char *acc_error_json(int http_code, const char *msg);

#ifdef __cplusplus
}
#endif

#endif
