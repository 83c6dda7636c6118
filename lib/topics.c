/*
 * Loading the topic vocabulary (include/accord/topics.h). Storage: one array
 * of entries in file order; lookups by (topic, lang) scan it, which is fine
 * for a few thousand lines read once per language and thread. A vocabulary
 * read with acc_topics_read is parsed on its first use (under its lock): a
 * search whose index stores the topic matchers of these very bytes never
 * uses it (6 M instructions of a 31 M accord-search process).
 */
#include "accord/topics.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/lang.h"
#include "accord/log.h"
#include "accord/mem.h"
#include "accord/paths.h"
#include "accord/text.h"
#include "topicmatch.h"

typedef struct entry {
    size_t topic;
    char lang[ACC_LANG_MAX];
    int is_label;
    char *text;
} entry;

struct acc_topics {
    char *path;
    char *file; /* the whole file: entries' text point into it */
    size_t file_len;
    atomic_int parsed; /* 0: not yet (acc_topics_read), 1: entries made, -1: the parse failed */
    char **ids;
    size_t nids;
    entry *e;
    size_t ne, alloc;
    /* matchers per language, built on first use by lib/topicmatch.c */
    pthread_mutex_t lock;
    void *matchers;
    unsigned long long match_fp;  /* lib/topicmatch.c's fingerprint, 0 until computed */
    unsigned long long file_hash; /* of the file's bytes (acc_hash_words) */
};

void acc_topics_lock(const acc_topics *t)
{
    pthread_mutex_lock(&((acc_topics *)t)->lock);
}

void acc_topics_unlock(const acc_topics *t)
{
    pthread_mutex_unlock(&((acc_topics *)t)->lock);
}

void **acc_topics_matchers(const acc_topics *t)
{
    return &((acc_topics *)t)->matchers;
}

unsigned long long *acc_topics_match_fp(const acc_topics *t)
{
    return &((acc_topics *)t)->match_fp;
}

int acc_topics_unparsed(const acc_topics *t)
{
    return atomic_load(&t->parsed) == 0;
}

unsigned long long acc_topics_file_hash(const acc_topics *t)
{
    return t->file_hash;
}

const char *acc_topics_default_path(void)
{
    return acc_paths_topics();
}

static size_t topic_index(acc_topics *t, const char *id)
{
    /* a topic's lines follow each other: its id is most often the last one */
    if (t->nids && strcmp(t->ids[t->nids - 1], id) == 0)
        return t->nids - 1;
    for (size_t i = 0; i < t->nids; i++)
        if (strcmp(t->ids[i], id) == 0)
            return i;
    t->ids = acc_xrealloc(t->ids, (t->nids + 1) * sizeof *t->ids);
    t->ids[t->nids] = acc_xstrdup(id);
    return t->nids++;
}

int acc_topic_id_valid(const char *s, size_t n)
{
    if (!n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return 0;
    return 1;
}

/* The file's bytes, hashed: t->file (NUL-terminated), t->file_len, t->file_hash; parsed on
   first use (ready) or by acc_topics_parse. */
acc_status acc_topics_read(const char *path, acc_topics **out, acc_error *err)
{
    acc_buf file;
    acc_buf_init(&file, 0);
    if (acc_buf_read_file(&file, path, SIZE_MAX) != 0) {
        acc_buf_release(&file);
        return acc_error_set(err, ACC_EIO, "cannot read topic vocabulary '%s'", path);
    }
    acc_topics *t = acc_xcalloc(1, sizeof *t);
    pthread_mutex_init(&t->lock, NULL);
    t->path = acc_xstrdup(path);
    t->file_len = file.n;
    t->file_hash = acc_hash_words(file.p ? file.p : "", file.n, ACC_FNV_INIT);
    acc_buf_putc(&file, '\0');
    t->file = file.p; /* lines are cut in place when parsed: entries point into it */
    atomic_init(&t->parsed, 0);
    *out = t;
    return ACC_OK;
}

/* The entries of t's file; on error, t has none (entries made before the bad line are
   dropped). Under t's lock, or before t is shared. */
static acc_status parse(acc_topics *t, acc_error *err)
{
    /* valid UTF-8 as a whole, each field is (they are cut at ASCII bytes): else each
       field is checked, to say which line is not */
    const int all_valid = acc_utf8_valid(t->file, t->file_len);
    const char *path = t->path;
    unsigned long lineno = 0;
    acc_status st = ACC_OK;
    /* one pass over each line, with lengths: a CLI process reads the whole file */
    char *end = memchr(t->file, '\0', t->file_len + 1); /* a NUL byte ends the vocabulary */
    for (char *line = t->file, *next; line < end; line = next) {
        char *eol = memchr(line, '\n', (size_t)(end - line));
        next = eol ? eol + 1 : end;
        if (!eol)
            eol = end;
        char *cr = memchr(line, '\r', (size_t)(eol - line));
        if (cr)
            eol = cr;
        *eol = '\0';
        lineno++;
        if (line == eol || line[0] == '#')
            continue;
        /* fields separated by runs of tabs; what follows a fourth is ignored */
        char *fields[4];
        size_t len[4], nf = 0;
        for (char *p = line; nf < 4;) {
            while (p < eol && *p == '\t')
                p++;
            if (p >= eol)
                break;
            char *tab = memchr(p, '\t', (size_t)(eol - p));
            fields[nf] = p;
            len[nf++] = (size_t)((tab ? tab : eol) - p);
            if (!tab)
                break;
            *tab = '\0';
            p = tab + 1;
        }
        if (nf != 4 || !acc_topic_id_valid(fields[0], len[0]) || len[1] > 3 ||
            !((len[2] == 5 && memcmp(fields[2], "label", 5) == 0) ||
              (len[2] == 4 && memcmp(fields[2], "term", 4) == 0)) ||
            (!all_valid && !acc_utf8_valid(fields[3], len[3]))) {
            st = acc_error_set(err, ACC_EINVAL,
                               "%s:%lu: expected topic_id<TAB>lang<TAB>label|term<TAB>text", path,
                               lineno);
            break;
        }
        if (t->ne == t->alloc) {
            t->alloc = t->alloc ? t->alloc * 2 : 1024;
            t->e = acc_xrealloc(t->e, t->alloc * sizeof *t->e);
        }
        entry *e = &t->e[t->ne++];
        e->topic = topic_index(t, fields[0]);
        if (!acc_lang_parse(fields[1], len[1], e->lang)) {
            t->ne--;
            st = acc_error_set(err, ACC_EINVAL, "%s:%lu: invalid language '%s'", path, lineno,
                               fields[1]);
            break;
        }
        e->is_label = fields[2][0] == 'l';
        e->text = fields[3];
    }
    if (st != ACC_OK) {
        for (size_t i = 0; i < t->nids; i++)
            free(t->ids[i]);
        free(t->ids);
        free(t->e);
        t->ids = NULL;
        t->e = NULL;
        t->nids = t->ne = t->alloc = 0;
    }
    atomic_store(&t->parsed, st == ACC_OK ? 1 : -1);
    return st;
}

acc_status acc_topics_parse(acc_topics *t, acc_error *err)
{
    acc_status st = ACC_OK;
    acc_topics_lock(t);
    int done = atomic_load(&t->parsed);
    if (done == 0)
        st = parse(t, err);
    else if (done < 0)
        st = acc_error_set(err, ACC_EINVAL, "topic vocabulary '%s' does not parse", t->path);
    acc_topics_unlock(t);
    return st;
}

acc_status acc_topics_load(const char *path, acc_topics **out, acc_error *err)
{
    acc_topics *t = NULL;
    acc_status st = acc_topics_read(path, &t, err);
    if (st == ACC_OK)
        st = parse(t, err);
    if (st != ACC_OK) {
        acc_topics_free(t);
        return st;
    }
    *out = t;
    return ACC_OK;
}

/* The entries of a vocabulary read with acc_topics_read, made on first use. Its bytes were
   those an index was built from (acc_index_topics_stored), so they parse; if they do not, the
   vocabulary is empty from then on, and the log says why. */
static const acc_topics *ready(const acc_topics *t)
{
    if (atomic_load(&t->parsed) == 0) {
        acc_error err = {0};
        if (acc_topics_parse((acc_topics *)t, &err) != ACC_OK)
            acc_log(ACC_LOG_ERROR, "%s: the topic vocabulary is left empty", err.msg);
    }
    return t;
}

void acc_topics_free(acc_topics *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nids; i++)
        free(t->ids[i]);
    free(t->file);
    free(t->path);
    free(t->ids);
    free(t->e);
    acc_topic_matchers_free(t->matchers);
    pthread_mutex_destroy(&t->lock);
    free(t);
}

size_t acc_topics_nentries(const acc_topics *t)
{
    t = ready(t);
    return t->ne;
}

int acc_topics_entry(const acc_topics *t, size_t k, size_t *topic, const char **lang,
                     const char **text)
{
    t = ready(t);
    const entry *e = &t->e[k];
    *topic = e->topic;
    *lang = e->lang;
    *text = e->text;
    return !e->is_label;
}

size_t acc_topics_count(const acc_topics *t)
{
    t = ready(t);
    return t->nids;
}

const char *acc_topics_id(const acc_topics *t, size_t i)
{
    t = ready(t);
    return t->ids[i];
}

int acc_topics_find(const acc_topics *t, const char *id)
{
    t = ready(t);
    for (size_t i = 0; i < t->nids; i++)
        if (strcmp(t->ids[i], id) == 0)
            return (int)i;
    return -1;
}

int acc_topics_has_lang(const acc_topics *t, const char *lang)
{
    t = ready(t);
    for (size_t k = 0; k < t->ne; k++)
        if (!t->e[k].is_label && strcmp(t->e[k].lang, lang) == 0)
            return 1;
    return 0;
}
