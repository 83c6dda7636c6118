/*
 * accord-index: reads a corpus of .txt files (with an optional manifest.jsonl
 * of metadata in each corpus root) and builds or updates a Xapian index.
 *
 * One run is one transaction: readers see either the index before the run or
 * the index after it, never a part of it, and a killed run leaves the last
 * committed index intact. Documents are replaced by id, so a re-run updates
 * in place. A bad file is one warning line and is skipped; it never stops
 * the run.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "accord/doc.h"
#include "accord/lang.h"
#include "accord/log.h"
#include "accord/mem.h"
#include "accord/text.h"
#include "accord/xap.h"

#define MAX_FILE_BYTES (64u << 20) /* larger files are skipped: not agreement texts */
#define MAX_TITLE_BYTES 300

typedef struct stats {
    unsigned long added, replaced, skipped, repaired;
    unsigned long long bytes;
    json_t *langs; /* code -> count */
} stats;

typedef struct pathlist {
    char **v;
    size_t n, alloc;
} pathlist;

static void usage(FILE *f)
{
    fprintf(f, "usage: accord-index --index DIR [--quiet] [--verbose] CORPUS_DIR...\n"
               "\n"
               "Indexes the .txt files under each CORPUS_DIR into the index DIR (created\n"
               "when missing). A document's id is its path relative to the corpus root,\n"
               "without the extension. A manifest.jsonl in a corpus root gives metadata\n"
               "(id, title, language, date, doc_type, parties); otherwise the title is\n"
               "the first line and the language is detected.\n"
               "\n"
               "  -i, --index DIR   the index to create or update (required)\n"
               "  -q, --quiet       only errors\n"
               "  -v, --verbose     one line per document\n"
               "  -h, --help        this text\n"
               "\n"
               "Exit status: 0 indexed (some files may have been skipped, see warnings),\n"
               "2 usage error or the index could not be written.\n");
}

static void list_push(pathlist *l, char *s)
{
    if (l->n == l->alloc) {
        l->alloc = l->alloc ? l->alloc * 2 : 64;
        l->v = acc_xrealloc(l->v, l->alloc * sizeof *l->v);
    }
    l->v[l->n++] = s;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Collects .txt files under dir (relative paths from the root), depth-bounded. */
static void walk(const char *root, const char *rel, int depth, pathlist *out, stats *st)
{
    char path[4096];
    DIR *d;
    struct dirent *e;

    snprintf(path, sizeof path, "%s%s%s", root, *rel ? "/" : "", rel);
    if (depth > 32) {
        acc_log(ACC_LOG_WARN, "'%s': directories nested too deep, skipped", path);
        return;
    }
    d = opendir(path);
    if (!d) {
        acc_log(ACC_LOG_WARN, "cannot read directory '%s': %s", path, strerror(errno));
        st->skipped++;
        return;
    }
    while ((e = readdir(d)) != NULL) {
        char sub[4096], full[4096];
        struct stat sb;
        if (e->d_name[0] == '.')
            continue; /* ., .., and hidden files */
        if (snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name) >=
                (int)sizeof sub ||
            snprintf(full, sizeof full, "%s/%s", root, sub) >= (int)sizeof full) {
            acc_log(ACC_LOG_WARN, "'%s/%s': path too long, skipped", path, e->d_name);
            st->skipped++;
            continue;
        }
        if (stat(full, &sb) != 0) {
            acc_log(ACC_LOG_WARN, "cannot stat '%s': %s", full, strerror(errno));
            st->skipped++;
            continue;
        }
        if (S_ISDIR(sb.st_mode))
            walk(root, sub, depth + 1, out, st);
        else if (S_ISREG(sb.st_mode) && ends_with(e->d_name, ".txt"))
            list_push(out, acc_xstrdup(sub));
    }
    closedir(d);
}

/* Reads a whole file (caller frees). NULL with errno-based message on failure. */
static char *read_file(const char *path, size_t *len, char *why, size_t whylen)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    struct stat sb;

    if (!f || fstat(fileno(f), &sb) != 0) {
        snprintf(why, whylen, "%s", strerror(errno));
        goto out;
    }
    if ((unsigned long long)sb.st_size > MAX_FILE_BYTES) {
        snprintf(why, whylen, "file too large (%lld bytes, the limit is %u)", (long long)sb.st_size,
                 MAX_FILE_BYTES);
        goto out;
    }
    buf = acc_xmalloc((size_t)sb.st_size + 1);
    *len = fread(buf, 1, (size_t)sb.st_size, f);
    if (ferror(f)) {
        snprintf(why, whylen, "read error: %s", strerror(errno));
        free(buf);
        buf = NULL;
        goto out;
    }
    buf[*len] = '\0';
out:
    if (f)
        fclose(f);
    return buf;
}

/* Loads root/manifest.jsonl into an id -> record object; NULL when absent. */
static json_t *load_manifest(const char *root)
{
    char path[4096], line[1 << 16];
    FILE *f;
    json_t *map;
    unsigned long lineno = 0;

    snprintf(path, sizeof path, "%s/manifest.jsonl", root);
    f = fopen(path, "r");
    if (!f)
        return NULL;
    map = json_object();
    while (fgets(line, sizeof line, f)) {
        json_error_t jerr;
        json_t *rec;
        const char *id;
        lineno++;
        if (line[strspn(line, " \t\r\n")] == '\0')
            continue;
        if (!strchr(line, '\n') && !feof(f)) {
            int c;
            while ((c = fgetc(f)) != EOF && c != '\n')
                ;
            acc_log(ACC_LOG_WARN, "%s:%lu: line too long, ignored", path, lineno);
            continue;
        }
        rec = json_loads(line, 0, &jerr);
        if (!rec || !json_is_object(rec)) {
            acc_log(ACC_LOG_WARN, "%s:%lu: invalid JSON (%s), ignored", path, lineno,
                    rec ? "not an object" : jerr.text);
            json_decref(rec);
            continue;
        }
        id = json_string_value(json_object_get(rec, "id"));
        if (!id || !*id) {
            acc_log(ACC_LOG_WARN, "%s:%lu: record without an \"id\", ignored", path, lineno);
            json_decref(rec);
            continue;
        }
        json_object_set_new(map, id, rec);
    }
    fclose(f);
    return map;
}

/* A copy of the first non-blank line, trimmed and cut to MAX_TITLE_BYTES at a char boundary. */
static char *first_line(const char *text, size_t n)
{
    size_t i = 0, j, k;
    while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
        i++;
    j = i;
    while (j < n && text[j] != '\n' && text[j] != '\r')
        j++;
    k = j;
    while (k > i && (text[k - 1] == ' ' || text[k - 1] == '\t'))
        k--;
    if (k - i > MAX_TITLE_BYTES) {
        k = i + MAX_TITLE_BYTES;
        while (k > i && ((unsigned char)text[k] & 0xC0) == 0x80)
            k--;
    }
    return acc_xstrndup(text + i, k - i);
}

static const char *str_or(json_t *o, const char *key, const char *dflt)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : dflt;
}

static int index_file(acc_xwdb *w, const char *root, const char *rel, json_t *manifest, stats *st)
{
    char path[4096], why[256], idbuf[4096];
    size_t raw_len = 0, bad;
    char *raw;
    acc_buf text, title;
    json_t *meta = NULL;
    const char **parties = NULL;
    acc_doc doc;
    acc_error err;
    int replaced = 0, rc = -1;

    memset(&doc, 0, sizeof doc);
    acc_buf_init(&text, 0);
    acc_buf_init(&title, 0);
    snprintf(path, sizeof path, "%s/%s", root, rel);
    snprintf(idbuf, sizeof idbuf, "%.*s", (int)(strlen(rel) - 4), rel);
    if (!acc_utf8_valid(idbuf, strlen(idbuf))) {
        acc_log(ACC_LOG_WARN, "'%s': file name is not valid UTF-8, skipped", path);
        goto out;
    }

    raw = read_file(path, &raw_len, why, sizeof why);
    if (!raw) {
        acc_log(ACC_LOG_WARN, "cannot read '%s': %s, skipped", path, why);
        goto out;
    }
    bad = acc_utf8_sanitize(raw, raw_len, &text);
    free(raw);
    if (bad) {
        acc_log(ACC_LOG_WARN, "'%s': %zu invalid UTF-8 sequence%s replaced by U+FFFD", path, bad,
                bad == 1 ? "" : "s");
        st->repaired++;
    }
    if (!text.p)
        acc_buf_append(&text, "", 0);

    if (manifest)
        meta = json_object_get(manifest, idbuf);
    doc.id = idbuf;
    doc.path = path;
    doc.text = text.p;
    doc.text_len = text.n;

    if (meta && *str_or(meta, "title", "")) {
        const char *t = str_or(meta, "title", "");
        acc_utf8_sanitize(t, strlen(t), &title);
    } else {
        char *t = first_line(text.p, text.n);
        acc_buf_append(&title, t, strlen(t));
        free(t);
    }
    if (!title.p)
        acc_buf_append(&title, "", 0);
    doc.title = title.p;

    const char *lang = meta ? str_or(meta, "language", "") : "";
    if (!*lang || !acc_lang_parse(lang, strlen(lang), doc.lang)) {
        if (*lang)
            acc_log(ACC_LOG_WARN, "'%s': invalid language '%.16s' in the manifest, detecting",
                    idbuf, lang);
        if (acc_lang_detect(text.p, text.n, doc.lang, &err) != ACC_OK) {
            acc_log(ACC_LOG_ERROR, "%s", err.msg);
            strcpy(doc.lang, "und");
        }
    }

    const char *date = meta ? str_or(meta, "date", "") : "";
    if (acc_date_parse(date, doc.date) != 0)
        acc_log(ACC_LOG_WARN, "'%s': invalid date '%.32s' in the manifest, ignored", idbuf, date);
    doc.type = meta ? str_or(meta, "doc_type", "") : "";

    json_t *pa = meta ? json_object_get(meta, "parties") : NULL;
    if (json_is_array(pa) && json_array_size(pa) > 0) {
        parties = acc_xcalloc(json_array_size(pa), sizeof *parties);
        for (size_t i = 0; i < json_array_size(pa); i++) {
            const char *s = json_string_value(json_array_get(pa, i));
            if (s && *s)
                parties[doc.nparties++] = s;
        }
    }
    doc.parties = parties;

    if (acc_xwdb_put(w, &doc, &replaced, &err) != ACC_OK) {
        acc_log(ACC_LOG_WARN, "%s, skipped", err.msg);
        goto out;
    }
    if (replaced)
        st->replaced++;
    else
        st->added++;
    st->bytes += text.n;
    json_object_set_new(st->langs, doc.lang,
                        json_integer(json_integer_value(json_object_get(st->langs, doc.lang)) + 1));
    acc_log(ACC_LOG_DEBUG, "%s %s [%s] %s", replaced ? "replaced" : "added", idbuf, doc.lang,
            doc.title);
    rc = 0;
out:
    if (rc != 0)
        st->skipped++;
    free(parties);
    acc_buf_release(&text);
    acc_buf_release(&title);
    return rc;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"index", required_argument, NULL, 'i'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"verbose", no_argument, NULL, 'v'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *index = NULL;
    acc_log_level level = ACC_LOG_INFO;
    acc_xwdb *w = NULL;
    acc_error err;
    stats st = {0};
    struct timespec t0, t1;
    int c, status = 2;

    while ((c = getopt_long(argc, argv, "i:qvh", opts, NULL)) != -1) {
        switch (c) {
        case 'i':
            index = optarg;
            break;
        case 'q':
            level = ACC_LOG_ERROR;
            break;
        case 'v':
            level = ACC_LOG_DEBUG;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    acc_log_setup("accord-index", level);
    if (!index || optind >= argc) {
        usage(stderr);
        return 2;
    }

    clock_gettime(CLOCK_MONOTONIC, &t0);
    st.langs = json_object();
    if (acc_xwdb_open(index, &w, &err) != ACC_OK) {
        acc_log(ACC_LOG_ERROR, "%s", err.msg);
        goto out;
    }
    if (acc_xwdb_begin(w, &err) != ACC_OK) {
        acc_log(ACC_LOG_ERROR, "%s", err.msg);
        goto out;
    }
    for (int a = optind; a < argc; a++) {
        const char *root = argv[a];
        struct stat sb;
        pathlist files = {0};
        json_t *manifest;

        if (stat(root, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            acc_log(ACC_LOG_ERROR, "cannot read corpus '%s': %s", root,
                    errno ? strerror(errno) : "not a directory");
            acc_xwdb_cancel(w, NULL);
            goto out;
        }
        manifest = load_manifest(root);
        walk(root, "", 0, &files, &st);
        qsort(files.v, files.n, sizeof *files.v, cmp_str);
        for (size_t i = 0; i < files.n; i++) {
            index_file(w, root, files.v[i], manifest, &st);
            free(files.v[i]);
        }
        free(files.v);
        json_decref(manifest);
    }
    if (acc_xwdb_commit(w, &err) != ACC_OK) {
        acc_log(ACC_LOG_ERROR, "%s", err.msg);
        goto out;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    {
        double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        acc_buf langs;
        const char *key;
        json_t *val;
        acc_buf_init(&langs, 0);
        json_object_foreach(st.langs, key, val)
        {
            acc_buf_printf(&langs, "%s%s %lld", langs.n ? ", " : "", key,
                           (long long)json_integer_value(val));
        }
        acc_log(ACC_LOG_INFO,
                "%lu added, %lu replaced, %lu skipped, %lu repaired; %.1f MB in %.2f s; "
                "%lu documents in '%s'; languages: %s",
                st.added, st.replaced, st.skipped, st.repaired, (double)st.bytes / 1e6, secs,
                acc_xwdb_doccount(w), index, langs.p ? langs.p : "none");
        acc_buf_release(&langs);
    }
    status = 0;
out:
    acc_xwdb_close(w);
    json_decref(st.langs);
    acc_lang_thread_cleanup();
    return status;
}
