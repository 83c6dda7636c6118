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
}
concept;

typedef struct thesaurus {
    acc_strmap uris;
    concept *c;
    size_t alloc;
} thesaurus;

static concept *concept_of(thesaurus *t, const char *uri)
{
    size_t i = acc_strmap_put(&t->uris, uri, strlen(uri), NULL);
    if (i >= t->alloc) {
        size_t old = t->alloc;
        t->alloc = t->alloc ? 2 * t->alloc : 1024;
        t->c = acc_xrealloc(t->c, t->alloc * sizeof *t->c);
        memset(t->c + old, 0, (t->alloc - old) * sizeof *t->c);
    }
    return &t->c[i];
}

static int is(xmlTextReaderPtr r, const char *ns, const char *local)
{
    const xmlChar *u = xmlTextReaderConstNamespaceUri(r);
    const xmlChar *l = xmlTextReaderConstLocalName(r);
    return u && l && strcmp((const char *)u, ns) == 0 && strcmp((const char *)l, local) == 0;
}

/* Reads one file into t; *concepts receives how many skos:Concept it has. */
static acc_status read_file(thesaurus *t, const char *path, unsigned long *concepts, acc_error *err)
{
    if (access(path, R_OK) != 0)
        return acc_error_set(err, ACC_EIO, "cannot read thesaurus '%s': %s", path, strerror(errno));
    xmlTextReaderPtr r =
        xmlReaderForFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!r)
        return acc_error_set(err, ACC_EIO, "cannot open thesaurus '%s'", path);
    concept *cur = NULL;
    int rc, depth = -1;
    acc_status st = ACC_OK;
    *concepts = 0;
    while ((rc = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_END_ELEMENT && cur && xmlTextReaderDepth(r) == depth) {
            cur = NULL;
            continue;
        }
        if (type != XML_READER_TYPE_ELEMENT)
            continue;
        if (is(r, SKOS_NS, "Concept")) {
            xmlChar *about =
                xmlTextReaderGetAttributeNs(r, (const xmlChar *)"about", (const xmlChar *)RDF_NS);
            (*concepts)++;
            if (about && !xmlTextReaderIsEmptyElement(r)) {
                cur = concept_of(t, (const char *)about);
                depth = xmlTextReaderDepth(r);
            }
            xmlFree(about);
            continue;
        }
        int pref = is(r, SKOS_NS, "prefLabel");
        if (!cur || !(pref || is(r, SKOS_NS, "altLabel") || is(r, SKOS_NS, "hiddenLabel")))
            continue;
        xmlChar *lang = xmlTextReaderXmlLang(r);
        xmlChar *text = xmlTextReaderReadString(r);
        if (lang && text && *text && acc_utf8_valid((const char *)text, strlen((char *)text))) {
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
        if (st == ACC_OK && !stopped && c->n) {
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
