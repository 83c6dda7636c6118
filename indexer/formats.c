/*
 * Input formats of accord-index (formats.h). Each format goes through the
 * library that does it well: zlib and liblzma for compressed files, cmark for
 * Markdown, libxml2's HTML parser, poppler-glib for PDF.
 *
 * Invariants: a whole file read (ix_read_file) is at most IX_MAX_FILE_BYTES
 * after decompression; the workers call every function here concurrently,
 * and the only state shared between calls is pdf_lock, which lets one PDF
 * at a time into poppler (its global state is not documented as
 * thread-safe): a process-wide lock for a process-wide library, so it is
 * not in struct run.
 */
#include "formats.h"

#include <cmark.h>
#include <errno.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <lzma.h>
#include <poppler.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <zlib.h>

#include "accord/doc.h"

static int ends_with_ci(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && strncasecmp(s + n - k, suffix, k) == 0;
}

ix_kind ix_classify(const char *name, ix_comp *comp, size_t *stem_len)
{
    static const struct {
        const char *ext;
        ix_kind kind;
    } exts[] = {{".txt", IX_TXT},     {".text", IX_TXT},  {".md", IX_MD},
                {".markdown", IX_MD}, {".html", IX_HTML}, {".htm", IX_HTML},
                {".xhtml", IX_HTML},  {".pdf", IX_PDF},   {".jsonl", IX_JSONL},
                {".ndjson", IX_JSONL}};
    size_t n = strlen(name);
    const char *base = strrchr(name, '/');

    *comp = IX_PLAIN;
    if (base && base[1] == '.')
        return IX_NONE;
    if (ends_with_ci(name, n, ".gz")) {
        *comp = IX_GZ;
        n -= 3;
    } else if (ends_with_ci(name, n, ".xz")) {
        *comp = IX_XZ;
        n -= 3;
    }
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        if (ends_with_ci(name, n, exts[i].ext)) {
            if (exts[i].kind == IX_PDF && *comp != IX_PLAIN)
                return IX_NONE;
            *stem_len = n - strlen(exts[i].ext);
            return exts[i].kind;
        }
    }
    return IX_NONE;
}

/* ---- streams: plain, gzip, xz ------------------------------------------ */

struct ix_lines {
    ix_comp comp;
    FILE *f;
    gzFile gz;
    lzma_stream xz;
    unsigned char inbuf[1 << 16];
    char chunk[1 << 16];
    size_t chunk_n, chunk_pos;
    int eof, error;
    char why[160];
    acc_buf line;
};

/* Reads up to n decompressed bytes; returns the count, 0 at the end, -1 on error. */
static long stream_read(ix_lines *l, char *buf, size_t n)
{
    if (l->comp == IX_GZ) {
        int k = gzread(l->gz, buf, (unsigned)n);
        if (k < 0) {
            int e;
            snprintf(l->why, sizeof l->why, "gzip: %s", gzerror(l->gz, &e));
            return -1;
        }
        return k;
    }
    if (l->comp == IX_XZ) {
        l->xz.next_out = (uint8_t *)buf;
        l->xz.avail_out = n;
        while (l->xz.avail_out == n) {
            lzma_action action = LZMA_RUN;
            if (l->xz.avail_in == 0 && !feof(l->f)) {
                l->xz.next_in = l->inbuf;
                l->xz.avail_in = fread(l->inbuf, 1, sizeof l->inbuf, l->f);
                if (ferror(l->f)) {
                    snprintf(l->why, sizeof l->why, "read error: %s", strerror(errno));
                    return -1;
                }
            }
            if (feof(l->f) && l->xz.avail_in == 0)
                action = LZMA_FINISH;
            lzma_ret r = lzma_code(&l->xz, action);
            if (r == LZMA_STREAM_END)
                break;
            if (r != LZMA_OK) {
                snprintf(l->why, sizeof l->why, "xz: corrupt or truncated data (code %d)", (int)r);
                return -1;
            }
        }
        return (long)(n - l->xz.avail_out);
    }
    size_t k = fread(buf, 1, n, l->f);
    if (ferror(l->f)) {
        snprintf(l->why, sizeof l->why, "read error: %s", strerror(errno));
        return -1;
    }
    return (long)k;
}

ix_lines *ix_lines_open(const char *path, ix_comp comp, char *why, size_t whylen)
{
    ix_lines *l = acc_xcalloc(1, sizeof *l);
    l->comp = comp;
    acc_buf_init(&l->line, 64u << 20); /* a line (one record) of at most 64 MiB */
    if (comp == IX_GZ) {
        l->gz = gzopen(path, "rb");
        if (!l->gz)
            goto fail;
        gzbuffer(l->gz, 1 << 17);
        return l;
    }
    l->f = fopen(path, "rb");
    if (!l->f)
        goto fail;
    if (comp == IX_XZ) {
        lzma_stream init = LZMA_STREAM_INIT;
        l->xz = init;
        if (lzma_stream_decoder(&l->xz, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
            snprintf(why, whylen, "cannot start the xz decoder");
            fclose(l->f);
            acc_buf_release(&l->line);
            free(l);
            return NULL;
        }
    }
    return l;
fail:
    snprintf(why, whylen, "%s", strerror(errno ? errno : EIO));
    acc_buf_release(&l->line);
    free(l);
    return NULL;
}

const char *ix_lines_next(ix_lines *l, size_t *len)
{
    acc_buf_reset(&l->line);
    for (;;) {
        if (l->chunk_pos == l->chunk_n) {
            long k;
            if (l->eof || l->error)
                break;
            k = stream_read(l, l->chunk, sizeof l->chunk);
            if (k < 0) {
                l->error = 1;
                break;
            }
            if (k == 0) {
                l->eof = 1;
                break;
            }
            l->chunk_n = (size_t)k;
            l->chunk_pos = 0;
        }
        char *start = l->chunk + l->chunk_pos;
        char *nl = memchr(start, '\n', l->chunk_n - l->chunk_pos);
        size_t take = nl ? (size_t)(nl - start) : l->chunk_n - l->chunk_pos;
        if (acc_buf_append(&l->line, start, take) != 0) {
            snprintf(l->why, sizeof l->why, "a line is longer than 64 MiB");
            l->error = 1;
            break;
        }
        l->chunk_pos += take + (nl ? 1 : 0);
        if (nl) {
            *len = l->line.n;
            return l->line.p ? l->line.p : "";
        }
    }
    if (l->line.n && !l->error) {
        *len = l->line.n;
        return l->line.p;
    }
    return NULL;
}

int ix_lines_error(ix_lines *l, char *why, size_t whylen)
{
    if (l->error)
        snprintf(why, whylen, "%s", l->why);
    return l->error;
}

void ix_lines_close(ix_lines *l)
{
    if (!l)
        return;
    if (l->gz)
        gzclose(l->gz);
    if (l->comp == IX_XZ)
        lzma_end(&l->xz);
    if (l->f)
        fclose(l->f);
    acc_buf_release(&l->line);
    free(l);
}

int ix_read_file(const char *path, ix_comp comp, acc_buf *out, char *why, size_t whylen)
{
    ix_lines *l = ix_lines_open(path, comp, why, whylen);
    char buf[1 << 16];
    long k;

    if (!l)
        return -1;
    acc_buf_init(out, IX_MAX_FILE_BYTES);
    while ((k = stream_read(l, buf, sizeof buf)) > 0) {
        if (acc_buf_append(out, buf, (size_t)k) != 0) {
            snprintf(why, whylen, "file too large (over %u MiB of text)", IX_MAX_FILE_BYTES >> 20);
            ix_lines_close(l);
            acc_buf_release(out);
            return -1;
        }
    }
    if (k < 0) {
        snprintf(why, whylen, "%s", l->why);
        ix_lines_close(l);
        acc_buf_release(out);
        return -1;
    }
    ix_lines_close(l);
    if (!out->p)
        acc_buf_append(out, "", 0);
    return 0;
}

/* ---- HTML ---------------------------------------------------------------- */

static int skipped_element(xmlNode *n)
{
    static const char *const skip[] = {"script", "style",  "noscript", "template", "nav",
                                       "header", "footer", "aside",    "form",     "button",
                                       "select", "svg",    "iframe",   "object",   "head",
                                       "canvas", "map",    "dialog",   NULL};
    xmlChar *role, *hidden;
    int skipit = 0;
    for (size_t i = 0; skip[i]; i++)
        if (xmlStrcasecmp(n->name, (const xmlChar *)skip[i]) == 0)
            return 1;
    role = xmlGetProp(n, (const xmlChar *)"role");
    hidden = xmlGetProp(n, (const xmlChar *)"aria-hidden");
    if (role && (xmlStrcasecmp(role, (const xmlChar *)"navigation") == 0 ||
                 xmlStrcasecmp(role, (const xmlChar *)"banner") == 0 ||
                 xmlStrcasecmp(role, (const xmlChar *)"contentinfo") == 0 ||
                 xmlStrcasecmp(role, (const xmlChar *)"search") == 0))
        skipit = 1;
    if (hidden && xmlStrcasecmp(hidden, (const xmlChar *)"true") == 0)
        skipit = 1;
    xmlFree(role);
    xmlFree(hidden);
    return skipit;
}

static int block_element(const xmlChar *name)
{
    static const char *const blocks[] = {
        "p",  "div", "br", "li",         "ul",      "ol",      "tr",   "table",      "h1",  "h2",
        "h3", "h4",  "h5", "h6",         "section", "article", "main", "blockquote", "pre", "hr",
        "dd", "dt",  "dl", "figcaption", "caption", "address", "body", NULL};
    for (size_t i = 0; blocks[i]; i++)
        if (xmlStrcasecmp(name, (const xmlChar *)blocks[i]) == 0)
            return 1;
    return 0;
}

static void html_text(xmlNode *n, acc_buf *out, int depth)
{
    for (; n && depth < 200; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            const char *s = (const char *)n->content;
            if (s)
                acc_buf_append(out, s, strlen(s));
            continue;
        }
        if (n->type != XML_ELEMENT_NODE || skipped_element(n))
            continue;
        int block = block_element(n->name);
        if (block)
            acc_buf_putc(out, '\n');
        else if (xmlStrcasecmp(n->name, (const xmlChar *)"td") == 0 ||
                 xmlStrcasecmp(n->name, (const xmlChar *)"th") == 0)
            acc_buf_putc(out, ' ');
        html_text(n->children, out, depth + 1);
        if (block)
            acc_buf_putc(out, '\n');
    }
}

/* First element with that name (or role="main" for "main"), depth-first. */
static xmlNode *find_element(xmlNode *n, const char *name, int depth)
{
    for (; n && depth < 200; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrcasecmp(n->name, (const xmlChar *)name) == 0)
            return n;
        if (strcmp(name, "main") == 0) {
            xmlChar *role = xmlGetProp(n, (const xmlChar *)"role");
            int is_main = role && xmlStrcasecmp(role, (const xmlChar *)"main") == 0;
            xmlFree(role);
            if (is_main)
                return n;
        }
        xmlNode *f = find_element(n->children, name, depth + 1);
        if (f)
            return f;
    }
    return NULL;
}

static void set_meta(json_t *meta, const char *key, const char *val)
{
    size_t n;
    if (!val)
        return;
    while (*val == ' ' || *val == '\n' || *val == '\t' || *val == '\r')
        val++;
    n = strlen(val);
    while (n &&
           (val[n - 1] == ' ' || val[n - 1] == '\n' || val[n - 1] == '\t' || val[n - 1] == '\r'))
        n--;
    if (n && !json_object_get(meta, key))
        json_object_set_new(meta, key, json_stringn(val, n));
}

static void html_meta(xmlNode *n, json_t *meta, int depth)
{
    static const char *const date_names[] = {"date",
                                             "dc.date",
                                             "dcterms.date",
                                             "dc.date.issued",
                                             "dcterms.issued",
                                             "article:published_time",
                                             "citation_date",
                                             "citation_publication_date",
                                             NULL};
    for (; n && depth < 200; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrcasecmp(n->name, (const xmlChar *)"title") == 0 && n->children) {
            xmlChar *t = xmlNodeGetContent(n);
            set_meta(meta, "title", (const char *)t);
            xmlFree(t);
        } else if (xmlStrcasecmp(n->name, (const xmlChar *)"meta") == 0) {
            xmlChar *name = xmlGetProp(n, (const xmlChar *)"name");
            xmlChar *prop = xmlGetProp(n, (const xmlChar *)"property");
            xmlChar *content = xmlGetProp(n, (const xmlChar *)"content");
            const xmlChar *key = name ? name : prop;
            if (key && content) {
                for (size_t i = 0; date_names[i]; i++)
                    if (xmlStrcasecmp(key, (const xmlChar *)date_names[i]) == 0) {
                        char d[ACC_DATE_MAX];
                        if (acc_date_parse((const char *)content, d) == 0)
                            set_meta(meta, "date", d);
                    }
                if (xmlStrcasecmp(key, (const xmlChar *)"og:url") == 0)
                    set_meta(meta, "url", (const char *)content);
            }
            xmlFree(name);
            xmlFree(prop);
            xmlFree(content);
        } else if (xmlStrcasecmp(n->name, (const xmlChar *)"link") == 0) {
            xmlChar *rel = xmlGetProp(n, (const xmlChar *)"rel");
            xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
            if (rel && href && xmlStrcasecmp(rel, (const xmlChar *)"canonical") == 0)
                set_meta(meta, "url", (const char *)href);
            xmlFree(rel);
            xmlFree(href);
        }
        if (xmlStrcasecmp(n->name, (const xmlChar *)"body") != 0)
            html_meta(n->children, meta, depth + 1);
    }
}

static int extract_html(const char *data, size_t n, acc_buf *text, json_t *meta, int fragment,
                        char *why, size_t whylen)
{
    /* without a declared charset libxml2 would read bytes as Latin-1; accord's
       input is UTF-8 unless the page says otherwise */
    size_t probe = n < 4096 ? n : 4096;
    int declared = 0;
    for (size_t i = 0; i + 8 <= probe && !declared; i++)
        declared = strncasecmp(data + i, "charset=", 8) == 0;
    htmlDocPtr doc = htmlReadMemory(data, (int)(n > 0x7fffffff ? 0x7fffffff : n), "input.html",
                                    declared ? NULL : "UTF-8",
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                        HTML_PARSE_NONET | HTML_PARSE_NOBLANKS);
    if (!doc) {
        snprintf(why, whylen, "cannot parse the HTML");
        return -1;
    }
    xmlNode *root = xmlDocGetRootElement(doc);
    if (root && !fragment) {
        xmlChar *lang = xmlGetProp(root, (const xmlChar *)"lang");
        if (!lang)
            lang = xmlGetProp(root, (const xmlChar *)"xml:lang");
        if (lang) {
            char code[8] = {0};
            size_t k = 0;
            while (lang[k] && lang[k] != '-' && lang[k] != '_' && k < 3) {
                code[k] = (char)lang[k];
                k++;
            }
            set_meta(meta, "language", code);
            xmlFree(lang);
        }
        html_meta(root, meta, 0);
    }
    xmlNode *body = root ? find_element(root, "main", 0) : NULL;
    if (!body && root)
        body = find_element(root, "body", 0);
    if (body)
        html_text(body->children, text, 0);
    else if (root)
        html_text(root, text, 0);
    xmlFreeDoc(doc);
    if (!text->p)
        acc_buf_append(text, "", 0);
    return 0;
}

/* ---- Markdown -------------------------------------------------------------- */

/* "[a, b]" or "a, b" -> JSON array of trimmed, unquoted strings */
static json_t *fm_list(const char *v)
{
    json_t *arr = json_array();
    char *copy = acc_xstrdup(v), *p = copy, *save = NULL;
    size_t n = strlen(p);
    if (n && p[0] == '[' && p[n - 1] == ']') {
        p[n - 1] = '\0';
        p++;
    }
    for (char *t = strtok_r(p, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ' || *t == '"' || *t == '\'')
            t++;
        size_t k = strlen(t);
        while (k && (t[k - 1] == ' ' || t[k - 1] == '"' || t[k - 1] == '\''))
            t[--k] = '\0';
        if (k)
            json_array_append_new(arr, json_stringn(t, k));
    }
    free(copy);
    return arr;
}

/* Parses "---\nkey: value\n---" front matter into meta; returns the body offset. */
static size_t front_matter(const char *data, size_t n, json_t *meta)
{
    size_t i, end;
    if (n < 4 || strncmp(data, "---", 3) != 0 || (data[3] != '\n' && data[3] != '\r'))
        return 0;
    i = data[3] == '\r' ? 5 : 4;
    for (end = i; end < n; end++) {
        if (end + 3 <= n && (end == i || data[end - 1] == '\n') &&
            (strncmp(data + end, "---", 3) == 0 || strncmp(data + end, "...", 3) == 0) &&
            (end + 3 == n || data[end + 3] == '\n' || data[end + 3] == '\r'))
            break;
    }
    if (end >= n)
        return 0; /* no closing line: not front matter */
    char *block = acc_xstrndup(data + i, end - i), *save = NULL;
    for (char *line = strtok_r(block, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *colon = strchr(line, ':');
        if (!colon || line[0] == '#' || line[0] == ' ')
            continue;
        *colon = '\0';
        char *v = colon + 1;
        while (*v == ' ')
            v++;
        size_t k = strlen(v);
        while (k && (v[k - 1] == '\r' || v[k - 1] == ' '))
            v[--k] = '\0';
        if (k >= 2 && (v[0] == '"' || v[0] == '\'') && v[k - 1] == v[0]) {
            v[k - 1] = '\0';
            v++;
        }
        if (!*v)
            continue;
        if (strcmp(line, "parties") == 0 || strcmp(line, "topics") == 0)
            json_object_set_new(meta, line, fm_list(v));
        else if (strcmp(line, "lang") == 0)
            json_object_set_new(meta, "language", json_string(v));
        else if (strcmp(line, "type") == 0)
            json_object_set_new(meta, "doc_type", json_string(v));
        else
            json_object_set_new(meta, line, json_string(v));
    }
    free(block);
    end += 3;
    while (end < n && data[end] != '\n')
        end++;
    return end < n ? end + 1 : n;
}

static int extract_md(const char *data, size_t n, acc_buf *text, json_t *meta, char *why,
                      size_t whylen)
{
    json_t *fm = json_object();
    size_t body = front_matter(data, n, fm);
    char *html = cmark_markdown_to_html(data + body, n - body, CMARK_OPT_DEFAULT);
    acc_buf wrapped;
    int rc;

    /* front matter is explicit metadata: it wins over what is derived later */
    json_object_set_new(meta, "front_matter", fm);
    if (!html) {
        snprintf(why, whylen, "cannot render the Markdown");
        return -1;
    }
    acc_buf_init(&wrapped, 0);
    acc_buf_printf(&wrapped, "<html><head><meta charset=\"utf-8\"></head><body>%s</body></html>",
                   html);
    free(html);
    rc = extract_html(wrapped.p, wrapped.n, text, meta, 1, why, whylen);
    acc_buf_release(&wrapped);
    return rc;
}

/* ---- PDF ------------------------------------------------------------------- */

static pthread_mutex_t pdf_lock = PTHREAD_MUTEX_INITIALIZER;

static int extract_pdf(const char *data, size_t n, acc_buf *text, json_t *meta, char *why,
                       size_t whylen)
{
    GError *gerr = NULL;
    GBytes *bytes;
    PopplerDocument *doc;
    int rc = 0;

    /* poppler's global state is not documented as thread-safe: one PDF at a time */
    pthread_mutex_lock(&pdf_lock);
    bytes = g_bytes_new_static(data, n);
    doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
    if (!doc) {
        if (gerr && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_ENCRYPTED)
            snprintf(why, whylen, "encrypted PDF");
        else
            snprintf(why, whylen, "not a readable PDF (%s)", gerr ? gerr->message : "unknown");
        rc = -1;
        goto out;
    }
    for (int i = 0, np = poppler_document_get_n_pages(doc); i < np; i++) {
        PopplerPage *page = poppler_document_get_page(doc, i);
        if (!page)
            continue;
        char *t = poppler_page_get_text(page);
        if (t) {
            acc_buf_append(text, t, strlen(t));
            acc_buf_append(text, "\n\n", 2);
            g_free(t);
        }
        g_object_unref(page);
    }
    {
        char *title = poppler_document_get_title(doc);
        set_meta(meta, "title", title);
        g_free(title);
        time_t t = poppler_document_get_creation_date(doc);
        if (t > 0) {
            struct tm tm;
            char d[16];
            gmtime_r(&t, &tm);
            strftime(d, sizeof d, "%Y-%m-%d", &tm);
            set_meta(meta, "date", d);
        }
    }
    if (!text->p)
        acc_buf_append(text, "", 0);
out:
    if (doc)
        g_object_unref(doc);
    g_bytes_unref(bytes);
    if (gerr)
        g_error_free(gerr);
    pthread_mutex_unlock(&pdf_lock);
    return rc;
}

int ix_extract(ix_kind kind, const char *data, size_t n, acc_buf *text, json_t *meta, char *why,
               size_t whylen)
{
    switch (kind) {
    case IX_TXT:
        acc_buf_append(text, data, n);
        return 0;
    case IX_MD:
        return extract_md(data, n, text, meta, why, whylen);
    case IX_HTML:
        return extract_html(data, n, text, meta, 0, why, whylen);
    case IX_PDF:
        return extract_pdf(data, n, text, meta, why, whylen);
    default:
        snprintf(why, whylen, "not a document format");
        return -1;
    }
}
