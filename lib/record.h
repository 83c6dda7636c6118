/*
 * lib/record.h: a document's record: the fields a hit shows (private to
 * libaccord). Value slot ACC_SLOT_RECORD holds it since index version 10, the
 * Xapian document's data before (lib/docstore.h, acc_docstore_record).
 *
 * Index version 9 stores it binary: the byte ACC_RECORD_BINARY, then id,
 * title, lang, date, type, url and path, each a varint length and its bytes,
 * then a varint count of parties and each party so, then the topics so.
 * Reading it costs a few thousand instructions; the compact JSON of older
 * indexes (acc_doc_record_json), which jansson reads a character at a time,
 * cost about 170 per byte, some 85,000 for a record of 500 bytes, for each hit
 * of each page. Both are read, and so is a hit of a server's JSON answer.
 */
#ifndef ACCORD_LIB_RECORD_H
#define ACCORD_LIB_RECORD_H

#include <jansson.h>
#include <stddef.h>

#include "accord/doc.h"

#define ACC_RECORD_BINARY '\x01'

typedef struct acc_rstr {
    const char *p; /* not NUL-terminated; "" when absent */
    size_t n;
} acc_rstr;

typedef struct acc_record {
    acc_rstr id, title, lang, date, type, url, path;
    acc_rstr *parties, *topics;
    size_t nparties, ntopics;
    json_t *json; /* a JSON record: owns the strings above (its "articles" too, version 5) */
} acc_record;

/* The binary record of doc (its articles are stored apart); caller frees. */
char *acc_record_encode(const acc_doc *doc, size_t *len);

/*
 * Reads the record data[0..n), binary or JSON, into r, whose strings point
 * into data (binary) or r->json. Returns 0, with every field empty, when it
 * is neither (a corrupt record); r must be released either way.
 */
int acc_record_decode(const char *data, size_t n, acc_record *r);

void acc_record_release(acc_record *r);

/*
 * The record as the JSON object of old records and of /doc: id, title, lang,
 * date, type, parties, topics, url, path, articles (empty unless a version 5
 * record had them). New reference; caller decrefs.
 */
json_t *acc_record_json(const acc_record *r);

/*
 * A JSON string of s[0..n), or NULL when it is not UTF-8, as json_stringn, but
 * checked by acc_utf8_valid (ASCII 8 bytes at a time; jansson's own check reads
 * every byte through a function): the answers' stored text. acc_json_cstr: of a
 * C string. NULL for NULL, as jansson.
 */
json_t *acc_json_text(const char *s, size_t n);
json_t *acc_json_cstr(const char *s);

/*
 * json_dumps(j, flags), written straight into one buffer (json_dumpb) instead
 * of jansson's growing one and its final copy; hint: the size expected (a
 * second dump when it is short). NULL when jansson fails, as json_dumps.
 */
char *acc_json_dump(const json_t *j, size_t flags, size_t hint);

/* A field as a NUL-terminated copy (caller frees). */
char *acc_rstr_dup(acc_rstr s);

#endif
