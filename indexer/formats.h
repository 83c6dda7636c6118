/*
 * accord-index input formats: which files are documents, reading them (with
 * gzip/xz decompression), and turning each format into plain text plus the
 * metadata it carries (HTML <title>/lang, PDF /Info, Markdown front matter).
 */
#ifndef ACCORD_INDEXER_FORMATS_H
#define ACCORD_INDEXER_FORMATS_H

#include <jansson.h>
#include <stddef.h>

#include "accord/mem.h"

typedef enum ix_kind { IX_NONE = 0, IX_TXT, IX_MD, IX_HTML, IX_PDF, IX_JSONL } ix_kind;
typedef enum ix_comp { IX_PLAIN = 0, IX_GZ, IX_XZ } ix_comp;

#define IX_MAX_FILE_BYTES (256u << 20) /* after decompression; larger files are skipped */

/*
 * Classifies a file name: its kind and compression, and the length of the
 * name without the extension(s) ("a/b.txt.gz" -> IX_TXT, IX_GZ, 3).
 * IX_NONE for files that are not documents.
 */
ix_kind ix_classify(const char *name, ix_comp *comp, size_t *stem_len);

/*
 * Reads a whole file, decompressing it (caller frees out->p). Returns 0, or
 * -1 with a reason in why.
 */
int ix_read_file(const char *path, ix_comp comp, acc_buf *out, char *why, size_t whylen);

/* A streaming line reader over a plain, gzip or xz file (for .jsonl). */
typedef struct ix_lines ix_lines;
ix_lines *ix_lines_open(const char *path, ix_comp comp, char *why, size_t whylen);
/* Next line without its '\n' (borrowed until the next call); NULL at the end or on error. */
const char *ix_lines_next(ix_lines *l, size_t *len);
/* Nonzero when reading stopped on an error; why says which. */
int ix_lines_error(ix_lines *l, char *why, size_t whylen);
void ix_lines_close(ix_lines *l);

/*
 * Extracts the text of a txt/md/html/pdf file's bytes into text (valid UTF-8
 * is not guaranteed: sanitise after). Metadata found in the document goes
 * into meta (a JSON object: title, language, date, url, and for front
 * matter any accord field). Returns 0, or -1 with a reason (broken or
 * encrypted PDF...). Thread-safe (PDF extraction is serialised inside).
 */
int ix_extract(ix_kind kind, const char *data, size_t n, acc_buf *text, json_t *meta, char *why,
               size_t whylen);

#endif
