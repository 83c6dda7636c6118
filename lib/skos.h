/*
 * lib/skos.h: a reader of SKOS thesauri in RDF/XML (GEMET's files: one
 * language a file, the same concept URIs in every file), private to
 * libaccord. Files are merged by concept URI (rdf:about of a skos:Concept
 * element, or of an rdf:Description with rdf:type skos:Concept; concepts may
 * nest inside another's skos:narrower); the skos:prefLabel, skos:altLabel and
 * skos:hiddenLabel children are collected with their xml:lang (inherited from
 * an ancestor too). A label without a language, an empty one or one that is
 * not valid UTF-8 is left out. SKOS-XL labels (skosxl:Label) and Turtle are
 * not read. Read with libxml2's streaming reader, without network access or
 * external entities; everything is held in memory until the last file is read.
 */
#ifndef ACCORD_LIB_SKOS_H
#define ACCORD_LIB_SKOS_H

#include <stddef.h>

#include "accord/status.h"

typedef struct acc_skos_label {
    const char *lang; /* as the file says: "en", "nl", "pt-BR"... */
    const char *text;
    int pref; /* 1 prefLabel, 0 altLabel or hiddenLabel */
} acc_skos_label;

/*
 * Called once per concept with at least one label, in the order first met
 * across the files (strings valid during the call); nonzero stops.
 */
typedef int (*acc_skos_fn)(void *ctx, const char *uri, const acc_skos_label *labels, size_t n);

/*
 * Reads paths[0..npaths) and calls fn for every concept with a label.
 * ACC_EINVAL naming the file when one is not well-formed XML or holds no
 * SKOS concept; ACC_EIO when one cannot be read. Nothing is reported
 * before every file is read.
 */
acc_status acc_skos_read(const char *const *paths, size_t npaths, acc_skos_fn fn, void *ctx,
                         acc_error *err);

#endif
