/*
 * indexer/meta.h: a document's metadata from its layers (meta.c). Layers,
 * highest precedence first: a sidecar <file>.json or Markdown front matter;
 * the corpus root's manifest.jsonl entry (or the jsonl record itself); what
 * the document says of itself (HTML <title>/lang, PDF info); derived from
 * the text (the first line as title, the detected language).
 *
 * Invariants: a key's value comes whole from the first layer that has it
 * (layers are not merged within a key); a title is one line of at most
 * MAX_TITLE_BYTES bytes of valid UTF-8. Thread-safety: every function is
 * reentrant (no shared state); meta_apply is called by the workers.
 */
#ifndef ACCORD_INDEXER_META_H
#define ACCORD_INDEXER_META_H

#include <jansson.h>
#include <stddef.h>

#include "accord/doc.h"
#include "accord/mem.h"

#define MAX_TITLE_BYTES 300

/* 1 when p[0..n) is only whitespace (space, tab, CR, LF, FF), else 0. */
int meta_blank(const char *p, size_t n);

/*
 * Loads the sidecar "<path>.json" when it exists: 1 loaded (*out: a JSON
 * object, caller decrefs), 0 absent (*out NULL), -1 unreadable or not a
 * JSON object (why[0..whylen) says why).
 */
int meta_load_sidecar(const char *path, json_t **out, char *why, size_t whylen);

/*
 * manifest.jsonl of a corpus root as an object {id: record} (caller
 * decrefs), or NULL when the root has none. Invalid lines are warnings and
 * left out.
 */
json_t *meta_load_manifest(const char *root);

/*
 * Fills d's title, language, date, type, url, parties, topics and work from
 * the metadata layers (layers[0..nlayers), highest precedence first, NULL
 * layers skipped), what is missing derived from the text[0..n). title
 * receives the title's text (d->title points into it); *parties and *topics
 * receive arrays the caller frees, their strings borrowed from the layers.
 * Invalid languages and dates are warnings naming where.
 */
void meta_apply(acc_doc *d, json_t *const *layers, size_t nlayers, const char *text, size_t n,
                const char *where, acc_buf *title, const char ***parties, const char ***topics);

#endif
