/*
 * tests/fuzz/fuzz_formats.c: accord-index's readers on any bytes. Byte 0
 * picks the reader: plain text, Markdown with front matter, HTML, PDF (its
 * text and /Info), a gzip or an xz file read from disk, a jsonl record, a
 * sidecar .json, a corpus root's manifest.jsonl. What a reader yields then
 * goes the way accord-index takes it (indexer/pipeline.c): UTF-8 repair, the
 * metadata layers (meta_apply), the article headings, the stored record.
 * Checks the invariants the index relies on: the text indexed is valid
 * UTF-8, the title one line of valid UTF-8 of at most MAX_TITLE_BYTES, the
 * language and date canonical, headings inside the text and in order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "accord/doc.h"
#include "accord/log.h"
#include "accord/structure.h"
#include "accord/text.h"
#include "formats.h"
#include "fuzz_util.h"
#include "meta.h"
#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static char dir[64];

static void cleanup(void)
{
    static const char *const names[] = {"doc.txt", "doc.txt.json", "root/manifest.jsonl"};
    char p[128];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    snprintf(p, sizeof p, "%s/root", dir);
    rmdir(p);
    rmdir(dir);
}

static const char *put(const char *name, const char *p, size_t n)
{
    static char path[128];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/accord-fuzz-formats-XXXXXX");
        char sub[96];
        if (!mkdtemp(dir))
            abort();
        snprintf(sub, sizeof sub, "%s/root", dir);
        if (mkdir(sub, 0700) != 0)
            abort();
        atexit(cleanup);
        acc_log_setup("fuzz_formats", ACC_LOG_ERROR);
    }
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f) != 0)
        abort();
    return path;
}

static void check_doc(const char *text, size_t n, json_t *const *layers, size_t nl)
{
    acc_buf clean, title;
    acc_buf_init(&clean, 0);
    acc_buf_init(&title, 0);
    acc_utf8_sanitize(text, n, &clean);
    const char *t = clean.p ? clean.p : "";
    if (!acc_utf8_valid(t, clean.n))
        abort();
    acc_doc doc;
    const char **parties = NULL, **topics = NULL;
    memset(&doc, 0, sizeof doc);
    meta_apply(&doc, layers, nl, t, clean.n, "fuzz", &title, &parties, &topics);
    size_t tl = doc.title ? strlen(doc.title) : 0;
    if (tl > MAX_TITLE_BYTES || !acc_utf8_valid(doc.title ? doc.title : "", tl) ||
        (doc.title && strchr(doc.title, '\n')))
        abort();
    char canon[ACC_DATE_MAX];
    if (acc_date_parse(doc.date, canon) != 0 || strcmp(canon, doc.date) != 0)
        abort();
    if (memchr(doc.lang, '\0', sizeof doc.lang) == NULL)
        abort();
    acc_article *a = NULL;
    size_t na = acc_articles_find(t, clean.n, &a);
    for (size_t i = 0; i < na; i++)
        if (a[i].offset >= clean.n || (i && a[i].offset <= a[i - 1].offset) ||
            !acc_utf8_valid(a[i].label, strlen(a[i].label)))
            abort();
    doc.id = "fuzz";
    doc.path = "";
    doc.text = t;
    doc.text_len = clean.n;
    doc.articles = a;
    doc.narticles = na;
    char *rec = acc_doc_record_json(&doc);
    json_error_t jerr;
    json_t *back = rec ? json_loads(rec, 0, &jerr) : NULL;
    if (!back) /* the stored record must read back */
        abort();
    /* and the binary record of index version 9 reads back as the same fields */
    size_t bn;
    char *bin = acc_record_encode(&doc, &bn);
    acc_record r;
    if (!acc_record_decode(bin, bn, &r))
        abort();
    json_t *fields = acc_record_json(&r);
    json_object_del(back, "articles");
    json_object_del(fields, "articles");
    if (!json_equal(fields, back))
        abort();
    json_decref(fields);
    acc_record_release(&r);
    free(bin);
    json_decref(back);
    free(rec);
    acc_articles_free(a, na);
    free(parties);
    free(topics);
    acc_buf_release(&title);
    acc_buf_release(&clean);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    if (n < 1)
        return 0;
    const char *p = (const char *)d + 1;
    size_t m = n - 1;
    char why[512];
    acc_buf text;
    acc_buf_init(&text, 0);
    json_t *embedded = json_object(), *extra = NULL;
    switch (d[0] % 8) {
    case 0:
    case 1:
    case 2:
    case 3: {
        static const ix_kind kinds[] = {IX_TXT, IX_MD, IX_HTML, IX_PDF};
        if (ix_extract(kinds[d[0] % 8], p, m, &text, embedded, why, sizeof why) != 0 && !why[0])
            abort(); /* a failure says why */
        break;
    }
    case 4:
    case 5: {
        /* compressed files: read from disk as accord-index does */
        const char *path = put("doc.txt", p, m);
        acc_buf raw;
        acc_buf_init(&raw, 0);
        if (ix_read_file(path, d[0] % 8 == 4 ? IX_GZ : IX_XZ, &raw, why, sizeof why) == 0) {
            if (raw.n > IX_MAX_FILE_BYTES)
                abort();
            acc_buf_append(&text, raw.p ? raw.p : "", raw.n);
        } else if (!why[0]) {
            abort();
        }
        acc_buf_release(&raw);
        break;
    }
    case 6: {
        /* a jsonl record: its fields are its metadata, "text" its text */
        json_error_t jerr;
        extra = json_loadb(p, m, 0, &jerr);
        const char *t = json_string_value(json_object_get(extra, "text"));
        if (t)
            acc_buf_append(&text, t, strlen(t));
        if (extra && !json_is_object(extra)) {
            json_decref(extra);
            extra = NULL;
        }
        break;
    }
    default:
        if (d[0] & 0x80) {
            /* a corpus root's manifest.jsonl: each record's layer for a document */
            put("root/manifest.jsonl", p, m);
            char root[96];
            snprintf(root, sizeof root, "%s/root", dir);
            json_t *man = meta_load_manifest(root);
            if (man && !json_is_object(man))
                abort();
            const char *key;
            json_t *rec;
            json_object_foreach(man, key, rec)
            {
                if (!json_is_object(rec))
                    abort();
                json_t *layers[] = {rec, embedded};
                check_doc("Article 1\nText.", 15, layers, 2);
            }
            json_decref(man);
        } else {
            /* a sidecar doc.txt.json beside a file */
            put("doc.txt.json", p, m);
            char docpath[96];
            snprintf(docpath, sizeof docpath, "%s/doc.txt", dir);
            int rc = meta_load_sidecar(docpath, &extra, why, sizeof why);
            if ((rc == 1) != (extra != NULL) || (rc == 1 && !json_is_object(extra)))
                abort();
        }
        acc_buf_append(&text, "A text.\n", 8);
        break;
    }
    json_t *front = json_object_get(embedded, "front_matter");
    json_t *layers[] = {extra, front, NULL, embedded};
    check_doc(text.p ? text.p : "", text.n, layers, 4);
    json_decref(extra);
    json_decref(embedded);
    acc_buf_release(&text);
    return 0;
}
