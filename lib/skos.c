/* lib/skos.c: SKOS thesauri in RDF/XML (lib/skos.h). */
#include "skos.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/xmlreader.h>

#include "accord/mem.h"
#include "accord/text.h"
#include "strmap.h"

#define SKOS_NS "http://www.w3.org/2004/02/skos/core#"
#define RDF_NS "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

typedef struct label {
    char *lang, *text;
    int pref;
} label;

typedef struct concept {
    label *v;
    size_t n;
    int typed; /* a skos:Concept, or an rdf:Description of rdf:type skos:Concept */
}
concept;

typedef struct thesaurus {
    acc_strmap uris;
    concept *c;
    size_t alloc;
} thesaurus;

/* The index of uri's concept, a new one the first time. */
static size_t concept_of(thesaurus *t, const char *uri)
{
    size_t i = acc_strmap_put(&t->uris, uri, strlen(uri), NULL);
    if (i >= t->alloc) {
        size_t old = t->alloc;
        t->alloc = t->alloc ? 2 * t->alloc : 1024;
        t->c = acc_xrealloc(t->c, t->alloc * sizeof *t->c);
        memset(t->c + old, 0, (t->alloc - old) * sizeof *t->c);
    }
    return i;
}

static int is(xmlTextReaderPtr r, const char *ns, const char *local)
{
    const xmlChar *u = xmlTextReaderConstNamespaceUri(r);
    const xmlChar *l = xmlTextReaderConstLocalName(r);
    return u && l && strcmp((const char *)u, ns) == 0 && strcmp((const char *)l, local) == 0;
}

static xmlChar *rdf_attr(xmlTextReaderPtr r, const char *name)
{
    return xmlTextReaderGetAttributeNs(r, (const xmlChar *)name, (const xmlChar *)RDF_NS);
}

/* an open node element: a concept (or a description that may turn out one) */
typedef struct open_node {
    size_t idx;
    int depth;
} open_node;

#define MAX_OPEN 64

/*
 * Reads one file into t; *concepts receives how many concepts it has.
 * Concepts may be skos:Concept elements or rdf:Description elements with an
 * rdf:type child naming skos:Concept, and may nest (a concept described
 * inside another's skos:narrower): labels go to the node they are children of.
 */
static acc_status read_file(thesaurus *t, const char *path, unsigned long *concepts, acc_error *err)
{
    if (access(path, R_OK) != 0)
        return acc_error_set(err, ACC_EIO, "cannot read thesaurus '%s': %s", path, strerror(errno));
    xmlTextReaderPtr r =
        xmlReaderForFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!r)
        return acc_error_set(err, ACC_EIO, "cannot open thesaurus '%s'", path);
    open_node open[MAX_OPEN];
    int nopen = 0, rc;
    acc_status st = ACC_OK;
    *concepts = 0;
    while ((rc = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        int depth = xmlTextReaderDepth(r);
        if (type == XML_READER_TYPE_END_ELEMENT && nopen && open[nopen - 1].depth == depth) {
            nopen--;
            continue;
        }
        if (type != XML_READER_TYPE_ELEMENT)
            continue;
        int is_concept = is(r, SKOS_NS, "Concept");
        if (is_concept || is(r, RDF_NS, "Description")) {
            xmlChar *about = rdf_attr(r, "about");
            if (about && *about) {
                size_t i = concept_of(t, (const char *)about);
                if (is_concept) {
                    t->c[i].typed = 1;
                    (*concepts)++;
                }
                if (!xmlTextReaderIsEmptyElement(r) && nopen < MAX_OPEN)
                    open[nopen++] = (open_node){i, depth};
            }
            xmlFree(about);
            continue;
        }
        if (!nopen || depth != open[nopen - 1].depth + 1)
            continue;
        concept *cur = &t->c[open[nopen - 1].idx];
        if (is(r, RDF_NS, "type")) {
            xmlChar *res = rdf_attr(r, "resource");
            if (res && strcmp((const char *)res, SKOS_NS "Concept") == 0 && !cur->typed) {
                cur->typed = 1;
                (*concepts)++;
            }
            xmlFree(res);
            continue;
        }
        int pref = is(r, SKOS_NS, "prefLabel");
        if (!(pref || is(r, SKOS_NS, "altLabel") || is(r, SKOS_NS, "hiddenLabel")))
            continue;
        xmlChar *lang = xmlTextReaderXmlLang(r);
        xmlChar *text = xmlTextReaderReadString(r);
        if (lang && *lang && text && *text &&
            acc_utf8_valid((const char *)text, strlen((char *)text))) {
            cur->v = acc_xrealloc(cur->v, (cur->n + 1) * sizeof *cur->v);
            cur->v[cur->n].lang = acc_xstrdup((const char *)lang);
            cur->v[cur->n].text = acc_xstrdup((const char *)text);
            cur->v[cur->n++].pref = pref;
        }
        xmlFree(lang);
        xmlFree(text);
    }
    if (rc < 0)
        st = acc_error_set(err, ACC_EINVAL, "thesaurus '%s' is not well-formed XML", path);
    else if (!*concepts)
        st = acc_error_set(err, ACC_EINVAL, "thesaurus '%s' has no SKOS concept (skos:Concept)",
                           path);
    xmlFreeTextReader(r);
    return st;
}

acc_status acc_skos_read(const char *const *paths, size_t npaths, acc_skos_fn fn, void *ctx,
                         acc_error *err)
{
    thesaurus t;
    acc_status st = ACC_OK;
    memset(&t, 0, sizeof t);
    acc_strmap_init(&t.uris);
    for (size_t i = 0; i < npaths && st == ACC_OK; i++) {
        unsigned long n;
        st = read_file(&t, paths[i], &n, err);
    }
    acc_skos_label *v = NULL;
    int stopped = 0;
    for (size_t i = 0; i < t.uris.n; i++) {
        concept *c = &t.c[i];
        if (st == ACC_OK && !stopped && c->typed && c->n) {
            size_t klen;
            const char *k = acc_strmap_key(&t.uris, i, &klen);
            char *uri = acc_xstrndup(k, klen);
            v = acc_xrealloc(v, c->n * sizeof *v);
            for (size_t j = 0; j < c->n; j++) {
                v[j].lang = c->v[j].lang;
                v[j].text = c->v[j].text;
                v[j].pref = c->v[j].pref;
            }
            stopped = fn(ctx, uri, v, c->n) != 0;
            free(uri);
        }
        for (size_t j = 0; j < c->n; j++) {
            free(c->v[j].lang);
            free(c->v[j].text);
        }
        free(c->v);
    }
    free(v);
    free(t.c);
    acc_strmap_release(&t.uris);
    return st;
}
