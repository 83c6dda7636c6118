/*
 * Fixtures of the engine modules' unit tests (tests/unit/fixture.h).
 */
#include "fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

static char tmpdir[256];

int fx_setup(const char *name)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/accord-test-%s-XXXXXX", name);
    return mkdtemp(tmpdir) ? 0 : -1;
}

int fx_teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

void fx_path(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", tmpdir, name);
}

void fx_write_file(const char *name, const char *content, char *out, size_t n)
{
    fx_path(out, n, name);
    FILE *f = fopen(out, "w");
    assert_non_null(f);
    assert_true(fputs(content, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

static size_t count(const char *const *v, size_t max)
{
    size_t n = 0;
    while (n < max && v[n])
        n++;
    return n;
}

void fx_put(acc_writer *w, const fx_doc *d, const acc_topics *vocab)
{
    acc_doc doc;
    acc_built_doc *b = NULL;
    acc_error err;
    memset(&doc, 0, sizeof doc);
    doc.id = d->id;
    doc.title = d->title ? d->title : "";
    snprintf(doc.lang, sizeof doc.lang, "%s", d->lang ? d->lang : "");
    snprintf(doc.date, sizeof doc.date, "%s", d->date ? d->date : "");
    doc.type = d->type ? d->type : "";
    doc.parties = (const char **)d->parties;
    doc.nparties = count(d->parties, 8);
    doc.topics = (const char **)d->topics;
    doc.ntopics = count(d->topics, 8);
    doc.path = "";
    doc.work = d->work;
    doc.text = d->text ? d->text : "";
    doc.text_len = strlen(doc.text);
    if (acc_docbuild(&doc, vocab, &b, &err) != ACC_OK)
        fail_msg("cannot build '%s': %s", d->id, err.msg);
    if (acc_writer_write(w, b, NULL, &err) != ACC_OK)
        fail_msg("cannot write '%s': %s", d->id, err.msg);
    acc_built_doc_free(b);
}

void fx_index(const char *name, const fx_doc *docs, size_t n, char *path, size_t plen)
{
    acc_writer *w = NULL;
    acc_error err;
    fx_path(path, plen, name);
    if (acc_writer_open(path, &w, &err) != ACC_OK)
        fail_msg("%s", err.msg);
    for (size_t i = 0; i < n; i++)
        fx_put(w, &docs[i], NULL);
    if (acc_writer_commit(w, &err) != ACC_OK)
        fail_msg("%s", err.msg);
    acc_writer_close(w);
}

acc_index *fx_open(const char *name, const fx_doc *docs, size_t n)
{
    char path[512];
    acc_index *x = NULL;
    acc_error err;
    fx_index(name, docs, n, path, sizeof path);
    if (acc_index_open(path, &x, &err) != ACC_OK)
        fail_msg("%s", err.msg);
    return x;
}

void fx_b64(unsigned long v, char *out)
{
    static const char d[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char tmp[16];
    size_t n = 0;
    do {
        tmp[n++] = d[v % 64];
        v /= 64;
    } while (v);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

void fx_write_dictd(const char *dir, const char *pair, const char *const *heads,
                    const char *const *entries, size_t n)
{
    char path[2048], off[16], len[16];
    snprintf(path, sizeof path, "%s/freedict-%s.index", dir, pair);
    FILE *ix = fopen(path, "w");
    assert_non_null(ix);
    snprintf(path, sizeof path, "%s/freedict-%s.dict.dz", dir, pair);
    gzFile dz = gzopen(path, "wb");
    assert_non_null(dz);
    unsigned long at = 0;
    for (size_t i = 0; i < n; i++) {
        size_t bn = strlen(entries[i]);
        gzwrite(dz, entries[i], (unsigned)bn);
        fx_b64(at, off);
        fx_b64(bn, len);
        /* the index names the headword alone, without the pronunciation */
        if (heads)
            fprintf(ix, "%s\t%s\t%s\n", heads[i], off, len);
        else
            fprintf(ix, "%.*s\t%s\t%s\n", (int)strcspn(entries[i], " \n"), entries[i], off, len);
        at += bn;
    }
    gzclose(dz);
    fclose(ix);
}
