/*
 * indexer/walk.c: the inputs. A folder is walked recursively (hidden files
 * and folders left out, at most 40 levels), in sorted order; a .accordignore
 * in the folder lists glob patterns to leave out; manifest.jsonl and
 * sidecars are metadata, not documents. Each document becomes a job on the
 * pipeline's queue: a file, or each line of a jsonl file (a record).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "walk.h"

#include "accord/log.h"
#include "accord/mem.h"
#include "accord/text.h"
#include "formats.h"
#include "incremental.h"
#include "meta.h"
#include "pipeline.h"
#include "report.h"
#include "run.h"

/* folders nested deeper are not read */
#define MAX_DEPTH 40

static void list_add(strlist *l, char *s)
{
    l->v = acc_xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = s;
}

void strlist_free(strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void load_ignores(const char *root, strlist *pats)
{
    char path[PATH_MAX], line[1024];
    FILE *f;
    snprintf(path, sizeof path, "%s/.accordignore", root);
    f = fopen(path, "r");
    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] && line[0] != '#')
            list_add(pats, acc_xstrdup(line));
    }
    fclose(f);
}

static int ignored(const strlist *pats, const char *rel)
{
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    for (size_t i = 0; i < pats->n; i++) {
        const char *p = pats->v[i];
        if (fnmatch(p, rel, FNM_PATHNAME) == 0 || (!strchr(p, '/') && fnmatch(p, base, 0) == 0))
            return 1;
    }
    return 0;
}

static void walk(const char *root, const char *rel, int depth, strlist *out)
{
    char path[PATH_MAX];
    DIR *d;
    struct dirent *e;

    if (snprintf(path, sizeof path, "%s%s%s", root, *rel ? "/" : "", rel) >= (int)sizeof path)
        return;
    if (depth > MAX_DEPTH) {
        acc_log(ACC_LOG_WARN, "'%s': directories nested too deep, not read", path);
        return;
    }
    d = opendir(path);
    if (!d) {
        acc_log(ACC_LOG_WARN, "cannot read directory '%s': %s", path, strerror(errno));
        return;
    }
    while ((e = readdir(d)) != NULL) {
        char sub[PATH_MAX], full[PATH_MAX];
        struct stat sb;
        if (e->d_name[0] == '.')
            continue;
        if (snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name) >=
                (int)sizeof sub ||
            snprintf(full, sizeof full, "%s/%s", root, sub) >= (int)sizeof full) {
            acc_log(ACC_LOG_WARN, "'%s/%s': path too long, skipped", path, e->d_name);
            continue;
        }
        if (stat(full, &sb) != 0) {
            acc_log(ACC_LOG_WARN, "cannot read '%s': %s", full, strerror(errno));
            continue;
        }
        if (S_ISDIR(sb.st_mode))
            walk(root, sub, depth + 1, out);
        else if (S_ISREG(sb.st_mode))
            list_add(out, acc_xstrdup(sub));
    }
    closedir(d);
}

void walk_folder(const char *root, strlist *out)
{
    walk(root, "", 0, out);
    qsort(out->v, out->n, sizeof(char *), cmp_str);
}

/* The real path of a jsonl file, kept once for all its records' jobs (borrowed). */
static const char *add_origin(run *rn, const char *real)
{
    for (size_t i = 0; i < rn->norigins; i++)
        if (strcmp(rn->origins[i], real) == 0)
            return rn->origins[i];
    rn->origins = acc_xrealloc(rn->origins, (rn->norigins + 1) * sizeof *rn->origins);
    rn->origins[rn->norigins] = acc_xstrdup(real);
    return rn->origins[rn->norigins++];
}

const char *walk_source(run *rn, const char *path)
{
    char real[PATH_MAX];
    const char *p = realpath(path, real) ? real : path;
    for (size_t i = 0; i < rn->nsources; i++)
        if (strcmp(rn->sources[i], p) == 0)
            return rn->sources[i];
    rn->sources = acc_xrealloc(rn->sources, (rn->nsources + 1) * sizeof *rn->sources);
    rn->sources[rn->nsources] = acc_xstrdup(p);
    return rn->sources[rn->nsources++];
}

static void queue_records(run *rn, const char *path, ix_comp comp, const char *source)
{
    char real[PATH_MAX];
    struct stat sb;
    const char *origin = realpath(path, real) ? add_origin(rn, real) : NULL;
    char why[160];
    const char *line;
    size_t len;
    unsigned long lineno = 0;
    ix_lines *l = ix_lines_open(path, comp, why, sizeof why);

    if (!l) {
        acc_log(ACC_LOG_WARN, "cannot read '%s': %s, skipped", path, why);
        rn->walk_skipped++;
        report_skip(rn, path, why);
        return;
    }
    while ((line = ix_lines_next(l, &len)) != NULL) {
        lineno++;
        if (meta_blank(line, len))
            continue;
        job *j = acc_xcalloc(1, sizeof *j);
        j->path = acc_xstrdup(path);
        j->lineno = lineno;
        j->line = acc_xstrndup(line, len);
        j->line_len = len;
        j->kind = IX_JSONL;
        j->source = source;
        j->origin = origin;
        queue_push(&rn->jobs, &j->node);
    }
    if (ix_lines_error(l, why, sizeof why)) {
        acc_log(ACC_LOG_WARN, "'%s': %s after line %lu; the lines before were read", path, why,
                lineno);
    } else if (origin && stat(real, &sb) == 0) {
        /* read to the end: once the run commits, the file counts as indexed */
        incr_note_file(rn, real, &sb);
    }
    ix_lines_close(l);
}

static void queue_file(run *rn, const char *path, const char *id, ix_kind kind, ix_comp comp,
                       const char *source, json_t *manifest_entry, const struct stat *sb)
{
    job *j = acc_xcalloc(1, sizeof *j);
    j->path = acc_xstrdup(path);
    j->id = acc_xstrdup(id);
    j->kind = kind;
    j->comp = comp;
    j->source = source;
    j->manifest = json_incref(manifest_entry);
    j->size = (unsigned long long)sb->st_size;
    j->mtime_ns = (long long)sb->st_mtim.tv_sec * 1000000000ll + sb->st_mtim.tv_nsec;
    queue_push(&rn->jobs, &j->node);
}

int walk_queue_input(run *rn, const char *input, const char *source, strlist *files)
{
    struct stat sb;
    if (stat(input, &sb) != 0) {
        acc_log(ACC_LOG_ERROR, "cannot read '%s': %s", input, strerror(errno));
        return -1;
    }
    if (S_ISREG(sb.st_mode)) {
        ix_comp comp;
        size_t stem;
        const char *base = strrchr(input, '/');
        base = base ? base + 1 : input;
        ix_kind kind = ix_classify(base, &comp, &stem);
        if (kind == IX_NONE) {
            acc_log(ACC_LOG_ERROR, "'%s': not a document format accord reads", input);
            return -1;
        }
        if (kind == IX_JSONL) {
            if (!incr_skipped_file(rn, input))
                queue_records(rn, input, comp, source);
        } else {
            char *id = acc_xstrndup(base, stem);
            queue_file(rn, input, id, kind, comp, source, NULL, &sb);
            free(id);
        }
        return 0;
    }
    if (!S_ISDIR(sb.st_mode)) {
        acc_log(ACC_LOG_ERROR, "'%s': not a file or a directory", input);
        return -1;
    }
    json_t *manifest = meta_load_manifest(input);
    strlist pats = {0};
    load_ignores(input, &pats);
    for (size_t i = 0; i < files->n; i++) {
        const char *rel = files->v[i];
        char path[PATH_MAX];
        ix_comp comp;
        size_t stem;
        struct stat fsb;
        ix_kind kind = ix_classify(rel, &comp, &stem);
        if (strcmp(rel, "manifest.jsonl") == 0 || ignored(&pats, rel))
            continue;
        if (kind == IX_NONE) {
            size_t n = strlen(rel);
            /* sidecars are metadata, not documents */
            if (!(n > 5 && strcmp(rel + n - 5, ".json") == 0)) {
                char where[PATH_MAX];
                snprintf(where, sizeof where, "%s/%s", input, rel);
                rn->unknown++;
                rn->walk_skipped++;
                report_skip(rn, where, "not a format accord reads");
                acc_log(ACC_LOG_DEBUG, "'%s': unknown format, skipped", where);
            }
            continue;
        }
        snprintf(path, sizeof path, "%s/%s", input, rel);
        if (stat(path, &fsb) != 0)
            continue;
        if (kind == IX_JSONL) {
            if (!incr_skipped_file(rn, path))
                queue_records(rn, path, comp, source);
            continue;
        }
        char *id = acc_xstrndup(rel, stem);
        if (!acc_utf8_valid(id, strlen(id))) {
            acc_log(ACC_LOG_WARN, "'%s': file name is not valid UTF-8, skipped", path);
            rn->walk_skipped++;
            report_skip(rn, path, "file name is not valid UTF-8");
        } else {
            queue_file(rn, path, id, kind, comp, source,
                       manifest ? json_object_get(manifest, id) : NULL, &fsb);
        }
        free(id);
    }
    strlist_free(&pats);
    json_decref(manifest);
    return 0;
}
