/*
 * Data-driven golden tests: run_golden INDEX CORPUS_DIR CASES_FILE
 *
 * Each non-comment line of CASES_FILE is
 *     query <TAB> lang ("-" for all) <TAB> clause clause ... [same=QUERY]
 * and every query runs with limit 100. Clauses:
 *     first=ID         the top hit is ID
 *     top=A,B,...      the hits start with A, B, ... in that order
 *     has=A,B,...      all of them are among the hits
 *     not=A,B,...      none of them is among the hits
 *     some / none      at least one hit / no hit
 *     error            the query is refused with ACC_EINVAL
 *     simplified       the query was simplified (syntax error fallback)
 *     lack=WORD        no hit's text contains WORD (folded, whole word)
 *     have=PHRASE      every hit's text contains PHRASE (folded, _ for space)
 *     count-have=PHRASE  the number of hits equals the number of corpus
 *                      documents whose text contains PHRASE (brute force)
 *     count-lack=WORD  the number of hits equals the number of corpus
 *                      documents whose text does not contain WORD
 *     snippet=TEXT     the first hit's snippet contains TEXT (_ for space)
 *     same=QUERY       (last) the same ids in the same order as QUERY
 * Prints TAP; exits 1 when any case fails.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/mem.h"
#include "accord/text.h"
#include "accord/index.h"

static const char *corpus_dir;
static int failures;

static char *slurp_folded(const char *path)
{
    FILE *f = fopen(path, "rb");
    acc_buf raw, clean, out;
    char chunk[65536];
    size_t n;
    acc_error err;

    if (!f)
        return NULL;
    acc_buf_init(&raw, 0);
    acc_buf_init(&clean, 0);
    acc_buf_init(&out, 0);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        acc_buf_append(&raw, chunk, n);
    fclose(f);
    acc_utf8_sanitize(raw.p ? raw.p : "", raw.n, &clean);
    acc_text_norm_fold(clean.p ? clean.p : "", clean.n, &out, &err);
    acc_buf_release(&raw);
    acc_buf_release(&clean);
    return acc_buf_detach(&out, NULL);
}

static int is_word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* whole-word (or whole-phrase) search in folded text */
static int contains_word(const char *hay, const char *needle)
{
    size_t k = strlen(needle);
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++) {
        int before = p == hay || !is_word_byte((unsigned char)p[-1]);
        int after = !is_word_byte((unsigned char)p[k]);
        if (before && after)
            return 1;
    }
    return 0;
}

static char *fold_arg(const char *s)
{
    acc_buf b;
    acc_error err;
    char *u = acc_xstrdup(s);
    for (char *p = u; *p; p++)
        if (*p == '_')
            *p = ' ';
    acc_buf_init(&b, 0);
    acc_text_norm_fold(u, strlen(u), &b, &err);
    free(u);
    return acc_buf_detach(&b, NULL);
}

static int count_corpus(const char *phrase)
{
    DIR *d = opendir(corpus_dir);
    struct dirent *e;
    int n = 0;
    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        size_t k = strlen(e->d_name);
        if (k < 5 || strcmp(e->d_name + k - 4, ".txt") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", corpus_dir, e->d_name);
        char *t = slurp_folded(path);
        if (t && (!phrase || contains_word(t, phrase)))
            n++;
        free(t);
    }
    closedir(d);
    return n;
}

static acc_status run(acc_index *db, const char *text, const char *lang, acc_results **r,
                      acc_error *err)
{
    acc_query q;
    acc_query_init(&q);
    q.text = text;
    q.text_len = strlen(text);
    q.limit = 100;
    if (strcmp(lang, "-") != 0 && acc_query_set_lang(&q, lang, err) != ACC_OK)
        return ACC_EINVAL;
    return acc_index_search(db, &q, r, err);
}

static int in_hits(const acc_results *r, const char *id)
{
    for (size_t i = 0; i < r->nhits; i++)
        if (strcmp(r->hits[i].id, id) == 0)
            return 1;
    return 0;
}

static void fail(int *ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(int *ok, const char *fmt, ...)
{
    va_list ap;
    printf("#   ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    *ok = 0;
}

/* Checks one clause; clears *ok when it fails, with a diagnostic. */
static void check(acc_index *db, const char *lang, acc_results *r, acc_status st, char *clause,
                  int *ok)
{
    char *eq = strchr(clause, '=');
    char *val = eq ? eq + 1 : NULL;
    if (eq)
        *eq = '\0';

    if (strcmp(clause, "error") == 0) {
        if (st != ACC_EINVAL)
            fail(ok, "expected an ACC_EINVAL error%s%s", "", "");
        return;
    }
    if (st != ACC_OK || !r) {
        fail(ok, "search failed (%s%s)", "", "");
        return;
    }
    if (strcmp(clause, "some") == 0) {
        if (r->nhits == 0)
            fail(ok, "expected hits, got none%s%s", "", "");
    } else if (strcmp(clause, "none") == 0) {
        if (r->nhits)
            fail(ok, "expected no hit, got %s first%s", r->hits[0].id, "");
    } else if (strcmp(clause, "simplified") == 0) {
        if (!r->simplified)
            fail(ok, "expected the query to be simplified%s%s", "", "");
    } else if (strcmp(clause, "first") == 0) {
        if (!r->nhits || strcmp(r->hits[0].id, val) != 0)
            fail(ok, "expected first %s, got %s", val, r->nhits ? r->hits[0].id : "(none)");
    } else if (strcmp(clause, "top") == 0 || strcmp(clause, "has") == 0 ||
               strcmp(clause, "not") == 0) {
        size_t i = 0;
        for (char *id = strtok(val, ","); id; id = strtok(NULL, ","), i++) {
            if (clause[0] == 't' && (i >= r->nhits || strcmp(r->hits[i].id, id) != 0))
                fail(ok, "expected %s at this rank, got %s", id,
                     i < r->nhits ? r->hits[i].id : "(none)");
            if (clause[0] == 'h' && !in_hits(r, id))
                fail(ok, "expected %s among the hits%s", id, "");
            if (clause[0] == 'n' && in_hits(r, id))
                fail(ok, "did not expect %s among the hits%s", id, "");
        }
    } else if (strcmp(clause, "lack") == 0 || strcmp(clause, "have") == 0) {
        char *want = fold_arg(val);
        for (size_t i = 0; i < r->nhits; i++) {
            char *t = slurp_folded(r->hits[i].path);
            int has = t && contains_word(t, want);
            if (clause[0] == 'l' && has)
                fail(ok, "hit %s contains '%s'", r->hits[i].id, want);
            if (clause[0] == 'h' && !has)
                fail(ok, "hit %s lacks '%s'", r->hits[i].id, want);
            free(t);
        }
        free(want);
    } else if (strcmp(clause, "count-have") == 0 || strcmp(clause, "count-lack") == 0) {
        char *want = fold_arg(val);
        int n = count_corpus(want);
        if (n >= 0 && clause[6] == 'l')
            n = count_corpus(NULL) - n;
        if (n < 0 || (unsigned long)n != r->total) {
            char a[32], b[32];
            snprintf(a, sizeof a, "%d", n);
            snprintf(b, sizeof b, "%lu", r->total);
            fail(ok, "corpus has %s documents with it, the query found %s", a, b);
        }
        free(want);
    } else if (strcmp(clause, "snippet") == 0) {
        for (char *p = val; *p; p++)
            if (*p == '_')
                *p = ' ';
        if (!r->nhits || !strstr(r->hits[0].snippet, val))
            fail(ok, "first snippet lacks '%s': %s", val, r->nhits ? r->hits[0].snippet : "");
    } else if (strcmp(clause, "same") == 0) {
        acc_results *o = NULL;
        acc_error err;
        if (run(db, val, lang, &o, &err) != ACC_OK) {
            fail(ok, "same=%s failed: %s", val, err.msg);
            return;
        }
        if (o->nhits != r->nhits)
            fail(ok, "same=%s: different number of hits%s", val, "");
        for (size_t i = 0; i < o->nhits && i < r->nhits; i++)
            if (strcmp(o->hits[i].id, r->hits[i].id) != 0)
                fail(ok, "same: rank differs at %s vs %s", o->hits[i].id, r->hits[i].id);
        acc_results_free(o);
    } else {
        fail(ok, "unknown clause '%s'%s", clause, "");
    }
}

int main(int argc, char **argv)
{
    acc_index *db = NULL;
    acc_error err;
    FILE *f;
    char line[16384];
    int n = 0, lineno = 0;

    if (argc != 4) {
        fprintf(stderr, "usage: run_golden INDEX CORPUS_DIR CASES\n");
        return 2;
    }
    corpus_dir = argv[2];
    if (acc_index_open(argv[1], &db, &err) != ACC_OK) {
        fprintf(stderr, "run_golden: %s\n", err.msg);
        return 2;
    }
    f = fopen(argv[3], "r");
    if (!f) {
        perror(argv[3]);
        return 2;
    }
    while (fgets(line, sizeof line, f)) {
        char *query, *lang, *clauses, *same, *tab;
        acc_results *r = NULL;
        acc_status st;
        int ok = 1;

        lineno++;
        line[strcspn(line, "\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        query = line;
        tab = strchr(query, '\t');
        if (!tab) {
            printf("not ok %d - line %d: malformed\n", ++n, lineno);
            failures++;
            continue;
        }
        *tab = '\0';
        lang = tab + 1;
        tab = strchr(lang, '\t');
        clauses = tab ? tab + 1 : (char *)"";
        if (tab)
            *tab = '\0';
        /* unescape \xHH in queries (invalid UTF-8 cases) */
        for (char *p = query, *q = query;; p++, q++) {
            if (p[0] == '\\' && p[1] == 'x' && p[2] && p[3]) {
                char hex[3] = {p[2], p[3], 0};
                *q = (char)strtol(hex, NULL, 16);
                p += 3;
            } else {
                *q = *p;
            }
            if (!*p)
                break;
        }
        same = strstr(clauses, "same=");
        if (same == clauses)
            clauses = (char *)"";
        else if (same)
            same[-1] = '\0'; /* cut the clause list before " same=" */

        st = run(db, query, lang, &r, &err);
        for (char *save = NULL, *c = strtok_r(clauses, " ", &save); c;
             c = strtok_r(NULL, " ", &save))
            check(db, lang, r, st, c, &ok);
        if (same)
            check(db, lang, r, st, same, &ok);
        printf("%s %d - line %d: %s [%s] (%zu hits)\n", ok ? "ok" : "not ok", ++n, lineno, query,
               lang, r ? r->nhits : 0);
        if (!ok) {
            failures++;
            if (r)
                for (size_t i = 0; i < r->nhits && i < 10; i++)
                    printf("#     %zu. %s %.3f\n", i + 1, r->hits[i].id, r->hits[i].score);
        }
        acc_results_free(r);
    }
    fclose(f);
    acc_index_close(db);
    printf("1..%d\n", n);
    return failures ? 1 : 0;
}
