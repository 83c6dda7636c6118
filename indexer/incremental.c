/*
 * indexer/incremental.c: what changed since the last run. Every document is
 * indexed with a stamp (slot ACC_SLOT_STAMP), fields separated by ';':
 *   a file:   v<ACC_INDEX_VERSION>;<vocabulary hash>;f;<metadata hash>;
 *             <size>;<mtime ns>;<content hash>
 *   a record: v<ACC_INDEX_VERSION>;<vocabulary hash>;r;<line hash>;
 *             <real path of its jsonl file>
 * (hashes: 64-bit FNV-1a, 16 hex digits). A file whose stamp starts the same
 * (same version, vocabulary, metadata, size and mtime) is not read again; a
 * record whose line hashes the same is not rebuilt; a jsonl file unchanged
 * since it was last read to its end is not read at all: its stamp is kept in
 * the index metadata,
 *   accord.file:<real path> = v<ACC_INDEX_VERSION>;<vocabulary hash>;<size>;<mtime ns>
 * Documents of this run's inputs that were not seen are deleted.
 *
 * Invariants: the stamp formats above are parsed only here (and by
 * tests/snapshot, which masks the mtimes); changing one, or what goes into
 * a document, needs ACC_INDEX_VERSION bumped so that old stamps never match.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/log.h"
#include "accord/schema.h"
#include "incremental.h"
#include "run.h"

/* The stamp of a whole jsonl file, and the metadata key it is kept under. */
static void file_stamp(const run *rn, const char *real, const struct stat *sb, char *key,
                       size_t keylen, char *val, size_t vallen)
{
    snprintf(key, keylen, "accord.file:%s", real);
    snprintf(val, vallen, "v%s;%s;%lld;%lld", ACC_INDEX_VERSION, rn->vocab_hash,
             (long long)sb->st_size,
             (long long)sb->st_mtim.tv_sec * 1000000000ll + sb->st_mtim.tv_nsec);
}

/* The origin recorded in a record's stamp ("v;vocab;r;hash;origin"), or NULL. */
static const char *stamp_origin(const char *stamp)
{
    int semis = 0;
    if (!stamp)
        return NULL;
    for (const char *p = stamp; *p; p++)
        if (*p == ';' && ++semis == 4)
            return p + 1;
    return NULL;
}

void incr_record_stamp(const run *rn, const job *j, char *out, size_t n)
{
    uint64_t h = acc_fnv1a(j->line, j->line_len, ACC_FNV_INIT);
    snprintf(out, n, "v%s;%s;r;%016llx;%s", ACC_INDEX_VERSION, rn->vocab_hash,
             (unsigned long long)h, j->origin ? j->origin : "");
}

void incr_file_stamp(const char *prefix, const char *content, size_t len, char *out, size_t n)
{
    snprintf(out, n, "%s%016llx", prefix,
             (unsigned long long)acc_fnv1a(content, len, ACC_FNV_INIT));
}

void incr_file_prefix(const run *rn, const job *j, json_t *sidecar, char *out, size_t n)
{
    /* the metadata's own hash: a changed manifest entry or sidecar rebuilds */
    uint64_t mh = ACC_FNV_INIT;
    char *ms = j->manifest ? json_dumps(j->manifest, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
    char *ss = sidecar ? json_dumps(sidecar, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
    if (ms)
        mh = acc_fnv1a(ms, strlen(ms), mh);
    mh = acc_fnv1a("|", 1, mh);
    if (ss)
        mh = acc_fnv1a(ss, strlen(ss), mh);
    free(ms);
    free(ss);
    snprintf(out, n, "v%s;%s;f;%016llx;%llu;%lld;", ACC_INDEX_VERSION, rn->vocab_hash,
             (unsigned long long)mh, j->size, j->mtime_ns);
}

int incr_unchanged(const run *rn, const char *id, const char *stamp, int prefix_only)
{
    ix_entry *old = ix_map_get(&rn->existing, id);
    if (!old || !old->stamp)
        return 0;
    return prefix_only ? strncmp(old->stamp, stamp, strlen(stamp)) == 0
                       : strcmp(old->stamp, stamp) == 0;
}

void incr_note_file(run *rn, const char *real, const struct stat *sb)
{
    char key[PATH_MAX + 32], val[160];
    file_stamp(rn, real, sb, key, sizeof key, val, sizeof val);
    rn->file_keys = acc_xrealloc(rn->file_keys, (rn->nfile_keys + 1) * sizeof(char *) * 2);
    rn->file_keys[2 * rn->nfile_keys] = acc_xstrdup(key);
    rn->file_keys[2 * rn->nfile_keys + 1] = acc_xstrdup(val);
    rn->nfile_keys++;
}

/*
 * An unchanged jsonl file (same size, mtime, vocabulary and accord version as
 * when its records were last all written) is not read again: its records are
 * marked seen and counted unchanged. Called before the threads start.
 * Returns 1 when the file can be skipped.
 */
static int jsonl_unchanged(run *rn, const char *path)
{
    char real[PATH_MAX], key[PATH_MAX + 32], val[160];
    char *old = NULL;
    struct stat sb;
    int same;
    if (!realpath(path, real) || stat(real, &sb) != 0)
        return 0;
    file_stamp(rn, real, &sb, key, sizeof key, val, sizeof val);
    if (acc_writer_get_meta(rn->w, key, &old, NULL) != ACC_OK)
        return 0;
    same = strcmp(old, val) == 0;
    free(old);
    if (!same)
        return 0;
    for (size_t i = 0; i < rn->existing.cap; i++) {
        ix_entry *e = &rn->existing.slots[i];
        const char *o = e->id ? stamp_origin(e->stamp) : NULL;
        if (o && strcmp(o, real) == 0 && !e->seen) {
            e->seen = 1;
            rn->unchanged_files_docs++;
        }
    }
    return 1;
}

int incr_skipped_file(const run *rn, const char *path)
{
    for (size_t i = 0; i < rn->nskip_files; i++)
        if (strcmp(rn->skip_files[i], path) == 0)
            return 1;
    return 0;
}

static void skip_file(run *rn, const char *path)
{
    rn->skip_files = acc_xrealloc(rn->skip_files, (rn->nskip_files + 1) * sizeof(char *));
    rn->skip_files[rn->nskip_files++] = acc_xstrdup(path);
}

void incr_skip_unchanged_files(run *rn, char *const *inputs, int ninputs, const strlist *walked)
{
    for (int a = 0; a < ninputs; a++) {
        const strlist *wl = &walked[a];
        ix_comp comp;
        size_t stem;
        if (wl->n == 0 && ix_classify(inputs[a], &comp, &stem) == IX_JSONL &&
            jsonl_unchanged(rn, inputs[a]))
            skip_file(rn, inputs[a]);
        for (size_t i = 0; i < wl->n; i++) {
            char path[PATH_MAX];
            if (ix_classify(wl->v[i], &comp, &stem) != IX_JSONL)
                continue;
            snprintf(path, sizeof path, "%s/%s", inputs[a], wl->v[i]);
            if (jsonl_unchanged(rn, path))
                skip_file(rn, path);
        }
    }
}

static int collect_existing(void *ctx, const char *id, const char *source, const char *stamp)
{
    ix_map_put(ctx, id, stamp, source);
    return 0;
}

int incr_load_existing(run *rn, acc_error *err)
{
    return acc_writer_each(rn->w, collect_existing, &rn->existing, err) == ACC_OK ? 0 : -1;
}

void incr_vocab_hash(run *rn, const char *path)
{
    /* the vocabulary is part of every stamp: a changed vocabulary re-tags */
    acc_buf b;
    char why[160];
    uint64_t h = ACC_FNV_INIT;
    if (ix_read_file(path, IX_PLAIN, &b, why, sizeof why) == 0) {
        h = acc_fnv1a(b.p, b.n, h);
        acc_buf_release(&b);
    }
    snprintf(rn->vocab_hash, sizeof rn->vocab_hash, "%016llx", (unsigned long long)h);
}

int incr_finish(run *rn, acc_error *err)
{
    /* deletions: documents from these inputs whose file or record is gone */
    if (!rn->no_delete) {
        for (size_t i = 0; i < rn->existing.cap; i++) {
            ix_entry *e = &rn->existing.slots[i];
            int ours = 0;
            if (!e->id || e->seen || !e->source)
                continue;
            for (size_t s = 0; s < rn->nsources && !ours; s++)
                ours = strcmp(rn->sources[s], e->source) == 0;
            if (!ours)
                continue;
            if (acc_writer_delete(rn->w, e->id, err) != ACC_OK)
                return -1;
            acc_log(ACC_LOG_DEBUG, "deleted %s", e->id);
            rn->deleted++;
        }
    }
    for (size_t i = 0; i < rn->nfile_keys; i++)
        acc_writer_set_meta(rn->w, rn->file_keys[2 * i], rn->file_keys[2 * i + 1], NULL);
    return 0;
}
