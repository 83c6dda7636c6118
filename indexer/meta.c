/*
 * indexer/meta.c: a document's metadata. Layers, highest precedence first:
 * a sidecar <file>.json and Markdown front matter; manifest.jsonl of the
 * corpus root (or the jsonl record itself); what the document says of itself
 * (HTML <title>/lang/meta, PDF info); derived from the text (the first line
 * as title, the language detected on three samples and voted).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "meta.h"

#include "accord/lang.h"
#include "accord/log.h"
#include "accord/text.h"
#include "formats.h"

#define MAX_TITLE_BYTES 300 /* longer titles are cut (at a character boundary) */

/* The first non-empty string for key across layers (highest precedence first). */
static const char *meta_str(json_t *const *layers, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++) {
        json_t *v = layers[i] ? json_object_get(layers[i], key) : NULL;
        if (json_is_string(v) && *json_string_value(v))
            return json_string_value(v);
    }
    return NULL;
}

/* A list field (array of strings, or one comma-separated string) as strings. */
static size_t meta_list(json_t *const *layers, size_t n, const char *key, const char ***out)
{
    for (size_t i = 0; i < n; i++) {
        json_t *v = layers[i] ? json_object_get(layers[i], key) : NULL;
        if (json_is_array(v) && json_array_size(v)) {
            const char **list = acc_xcalloc(json_array_size(v), sizeof *list);
            size_t k = 0;
            for (size_t j = 0; j < json_array_size(v); j++) {
                const char *s = json_string_value(json_array_get(v, j));
                if (s && *s)
                    list[k++] = s;
            }
            *out = list;
            return k;
        }
    }
    *out = NULL;
    return 0;
}

static void cut_title(acc_buf *title)
{
    size_t n = title->n;
    while (n && (title->p[n - 1] == ' ' || title->p[n - 1] == '\t' || title->p[n - 1] == '\r'))
        n--;
    if (n > MAX_TITLE_BYTES) {
        n = MAX_TITLE_BYTES;
        while (n && ((unsigned char)title->p[n] & 0xC0) == 0x80)
            n--;
    }
    title->n = n;
    title->p[n] = '\0';
    /* one line: newlines inside a title become spaces */
    for (size_t i = 0; i < n; i++)
        if (title->p[i] == '\n' || title->p[i] == '\t')
            title->p[i] = ' ';
}

/* First non-blank line of text (a title when nothing better is known). */
static void first_line(const char *text, size_t n, acc_buf *out)
{
    size_t i = 0, j;
    while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
        i++;
    j = i;
    while (j < n && text[j] != '\n' && j - i < 4 * MAX_TITLE_BYTES)
        j++;
    acc_buf_append(out, text + i, j - i);
}

/*
 * The main language of a text: detected on three samples (10%, 50% and 80%
 * of the way in) and voted, so that page furniture at the top of a page
 * (menus in another language) does not decide.
 */
static void detect_language(const char *text, size_t n, char out[ACC_LANG_MAX])
{
    char votes[3][ACC_LANG_MAX];
    static const double at[3] = {0.1, 0.5, 0.8};
    const size_t sample = 1500;

    if (n <= 3 * sample) {
        acc_lang_detect(text, n, out, NULL);
        return;
    }
    for (int i = 0; i < 3; i++) {
        size_t s = (size_t)((double)n * at[i]);
        while (s > 0 && ((unsigned char)text[s] & 0xC0) == 0x80)
            s--;
        size_t len = s + sample < n ? sample : n - s;
        acc_lang_detect(text + s, len, votes[i], NULL);
    }
    for (int i = 0; i < 3; i++) {
        int count = 0;
        for (int j = 0; j < 3; j++)
            count += strcmp(votes[i], votes[j]) == 0;
        if (count >= 2 && strcmp(votes[i], "und") != 0) {
            strcpy(out, votes[i]);
            return;
        }
    }
    /* no majority: the whole text's start decides */
    acc_lang_detect(text, n, out, NULL);
}

int meta_blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t' || p[i] == '\f'))
            return 0;
    return 1;
}

int meta_load_sidecar(const char *path, json_t **out, char *why, size_t whylen)
{
    char side[PATH_MAX + 8];
    json_error_t jerr;
    struct stat sb;

    *out = NULL;
    if (snprintf(side, sizeof side, "%s.json", path) >= (int)sizeof side || stat(side, &sb) != 0)
        return 0;
    *out = json_load_file(side, 0, &jerr);
    if (!*out || !json_is_object(*out)) {
        snprintf(why, whylen, "invalid metadata in '%.200s': %.200s", side,
                 *out ? "not a JSON object" : jerr.text);
        json_decref(*out);
        *out = NULL;
        return -1;
    }
    return 1;
}

json_t *meta_load_manifest(const char *root)
{
    char path[PATH_MAX];
    ix_lines *l;
    const char *line;
    size_t len;
    char why[160];
    unsigned long lineno = 0;
    json_t *map;

    snprintf(path, sizeof path, "%s/manifest.jsonl", root);
    if (access(path, F_OK) != 0)
        return NULL;
    l = ix_lines_open(path, IX_PLAIN, why, sizeof why);
    if (!l) {
        acc_log(ACC_LOG_WARN, "cannot read '%s': %s", path, why);
        return NULL;
    }
    map = json_object();
    while ((line = ix_lines_next(l, &len)) != NULL) {
        json_error_t jerr;
        json_t *rec;
        lineno++;
        if (meta_blank(line, len))
            continue;
        rec = json_loadb(line, len, 0, &jerr);
        const char *id = json_string_value(json_object_get(rec, "id"));
        if (!rec || !json_is_object(rec) || !id || !*id) {
            acc_log(ACC_LOG_WARN, "%s:%lu: %s, ignored", path, lineno,
                    !rec ? jerr.text : "not a record with an \"id\"");
            json_decref(rec);
            continue;
        }
        json_object_set_new(map, id, rec);
    }
    if (ix_lines_error(l, why, sizeof why))
        acc_log(ACC_LOG_WARN, "'%s': %s", path, why);
    ix_lines_close(l);
    return map;
}

void meta_apply(acc_doc *d, json_t *const *layers, size_t nl, const char *text, size_t n,
                const char *where, acc_buf *title, const char ***parties, const char ***topics)
{
    const char *t = meta_str(layers, nl, "title");
    if (t)
        acc_utf8_sanitize(t, strlen(t), title);
    else
        first_line(text, n, title);
    if (!title->p)
        acc_buf_append(title, "", 0);
    cut_title(title);
    d->title = title->p;

    const char *lang = meta_str(layers, nl, "language");
    if (!lang)
        lang = meta_str(layers, nl, "lang");
    if (!lang || !acc_lang_parse(lang, strlen(lang), d->lang)) {
        if (lang)
            acc_log(ACC_LOG_WARN, "'%s': invalid language '%.16s', detecting it", where, lang);
        detect_language(text, n, d->lang);
    }
    const char *date = meta_str(layers, nl, "date");
    if (date && acc_date_parse(date, d->date) != 0)
        acc_log(ACC_LOG_WARN, "'%s': invalid date '%.32s', ignored", where, date);

    d->type = meta_str(layers, nl, "doc_type");
    if (!d->type)
        d->type = meta_str(layers, nl, "type");
    d->url = meta_str(layers, nl, "url");
    d->nparties = meta_list(layers, nl, "parties", parties);
    d->parties = *parties;
    d->ntopics = meta_list(layers, nl, "topics", topics);
    d->topics = *topics;
    d->work = meta_str(layers, nl, "work");
    if (!d->work)
        d->work = meta_str(layers, nl, "english_title");
}
