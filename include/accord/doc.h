/*
 * A document as the indexer hands it to the index, and its stored record.
 *
 * All strings are UTF-8 and NUL-terminated; the struct borrows them (the
 * caller keeps them alive until acc_docbuild() returns). `text` is (p, n).
 */
#ifndef ACCORD_DOC_H
#define ACCORD_DOC_H

#include <stddef.h>

#include "accord/lang.h"
#include "accord/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ACC_DATE_MAX 11 /* "YYYY-MM-DD" + NUL */

typedef struct acc_article {
    const char *label; /* heading as written, e.g. "Article 4", "第三条" */
    size_t offset;     /* byte offset of the heading in the text */
} acc_article;

typedef struct acc_doc {
    const char *id;    /* required: stable external id */
    const char *title; /* may be "" */
    char lang[ACC_LANG_MAX];
    char date[ACC_DATE_MAX]; /* "", "YYYY", "YYYY-MM" or "YYYY-MM-DD" (see acc_date_parse) */
    const char *type;        /* document type, may be "" */
    const char **parties;    /* nparties strings */
    size_t nparties;
    const char *path;    /* source path for display, may be "" */
    const char *url;     /* source URL, may be "" or NULL */
    const char **topics; /* topic ids (ASCII slugs) */
    size_t ntopics;
    const acc_article *articles; /* article headings in text order */
    size_t narticles;
    const char *stamp;  /* change stamp (size, mtime, hash...), opaque; may be NULL */
    const char *source; /* corpus root or record file, for deletions; may be NULL */
    const char *work;   /* the agreement this is a version of (english_title, work); may be NULL */
    const char *text;   /* body text, valid UTF-8 */
    size_t text_len;
} acc_doc;

/*
 * Parses a date written YYYY, YYYY-MM or YYYY-MM-DD (optionally followed by
 * "T..." of an ISO timestamp) into out[ACC_DATE_MAX] in that canonical form.
 * "" is valid (unknown). Returns 0 on success, -1 when the text is not a date
 * (out is then "").
 */
int acc_date_parse(const char *s, char out[ACC_DATE_MAX]);

/* Year of a canonical date, 0 when unknown. */
int acc_date_year(const char *date);

/* "YYYYMMDD" sort key of a canonical date ("" -> "", "2019" -> "20190000"). */
void acc_date_sortkey(const char *date, char out[9]);

/*
 * The stored record of a document as compact one-line JSON:
 * {"id","title","lang","date","type","parties":[...],"topics":[...],"url","path",
 *  "articles":[{"label","offset"}...]} (caller frees).
 */
char *acc_doc_record_json(const acc_doc *doc);

#ifdef __cplusplus
}
#endif

#endif
