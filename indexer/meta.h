/*
 * indexer/meta.h: a document's metadata from its layers (meta.c), highest
 * precedence first: a sidecar <file>.json or Markdown front matter; the
 * corpus's manifest.jsonl (or the jsonl record itself); what the document
 * says of itself (HTML <title>/lang, PDF info); derived from the text.
 *
 * Thread-safety: all functions are reentrant (workers call them in parallel).
 */
#ifndef ACCORD_INDEXER_META_H
#define ACCORD_INDEXER_META_H

#include <jansson.h>
#include <stddef.h>

#include "accord/doc.h"
#include "accord/mem.h"

/* 1 when p[0..n) is only whitespace (or empty), else 0. */
int meta_blank(const char *p, size_t n);

/*
 * Loads "<path>.json" when it exists into *out (a new reference the caller
 * releases): 1 loaded, 0 absent (*out NULL), -1 not a JSON object (*out
 * NULL, the reason in why[0..whylen)).
 */
int meta_load_sidecar(const char *path, json_t **out, char *why, size_t whylen);

/*
 * The manifest.jsonl of a corpus root as an object {id: record} (a new
 * reference the caller releases), or NULL when there is none. Bad lines are
 * warnings and left out.
 */
json_t *meta_load_manifest(const char *root);

/*
 * Fills d's title, language, date, type, url, parties, topics and work from
 * the metadata layers (highest precedence first; NULL layers skipped), what
 * is missing derived from text[0..n) (first line as title, the detected
 * language). title receives the title's text (d->title points into it);
 * *parties and *topics are arrays the caller frees, their strings borrowed
 * from the layers, like d's other strings: valid while the layers live.
 * where names the document in warnings.
 */
void meta_apply(acc_doc *d, json_t *const *layers, size_t nlayers, const char *text, size_t n,
                const char *where, acc_buf *title, const char ***parties, const char ***topics);

#endif
