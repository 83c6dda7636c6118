/*
 * accord-search: the staff command-line search. Opens the index read-only,
 * runs one query through the shared query engine and prints a readable table
 * on a terminal, or the results JSON with --json or when stdout is not a
 * terminal. Exit status: 0 hits found, 1 no hits, 2 usage or index error.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accord/lang.h"
#include "accord/log.h"
#include "accord/mem.h"
#include "accord/query.h"
#include "accord/xap.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: accord-search --index DIR [--lang L] [--limit N] [--offset N] [--json] "
               "QUERY...\n"
               "\n"
               "Searches the index DIR in every language (or only L) and prints ranked hits.\n"
               "The words of QUERY are joined with spaces. Syntax: words (all must match),\n"
               "\"a phrase\", OR, AND, NOT, -word, (brackets), prefix*, title:word,\n"
               "lang:fr, type:treaty, party:name, year:2015.\n"
               "\n"
               "  -i, --index DIR   the index to search (required)\n"
               "  -l, --lang L      only documents in language L (ISO 639-1, e.g. fr)\n"
               "  -n, --limit N     hits to show (default 10, at most 100)\n"
               "  -o, --offset N    skip the first N hits (at most 10000)\n"
               "  -j, --json        print JSON (the default when stdout is not a terminal)\n"
               "  -h, --help        this text\n"
               "\n"
               "Exit status: 0 hits found, 1 no hits, 2 usage or index error.\n");
}

static int parse_uint(const char *s, unsigned *out)
{
    char *end;
    unsigned long v;
    errno = 0;
    if (!s || !*s || *s == '-')
        return -1;
    v = strtoul(s, &end, 10);
    if (errno || *end || v > UINT_MAX)
        return -1;
    *out = (unsigned)v;
    return 0;
}

/* Prints an HTML-escaped snippet for a terminal: entities decoded, <mark> as bold. */
/* Appends one argument to the query text, space-separated. */
static void add_word(acc_buf *text, const char *w)
{
    if (text->n)
        acc_buf_putc(text, ' ');
    acc_buf_append(text, w, strlen(w));
}

static void print_snippet(const char *s, int colour)
{
    static const struct {
        const char *from, *to;
    } map[] = {{"&lt;", "<"},    {"&gt;", ">"},  {"&amp;", "&"},
               {"&quot;", "\""}, {"&#39;", "'"}, {"&#x27;", "'"}};
    while (*s) {
        size_t i;
        if (strncmp(s, "<mark>", 6) == 0) {
            fputs(colour ? "\033[1;33m" : "[", stdout);
            s += 6;
            continue;
        }
        if (strncmp(s, "</mark>", 7) == 0) {
            fputs(colour ? "\033[0m" : "]", stdout);
            s += 7;
            continue;
        }
        for (i = 0; i < sizeof map / sizeof map[0]; i++) {
            size_t k = strlen(map[i].from);
            if (strncmp(s, map[i].from, k) == 0) {
                fputs(map[i].to, stdout);
                s += k;
                break;
            }
        }
        if (i < sizeof map / sizeof map[0])
            continue;
        putchar(*s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s);
        s++;
    }
}

static void print_table(const acc_results *r, unsigned offset, int colour)
{
    printf("%s%lu result%s%s (%.1f ms, index revision %lu)\n", r->total_exact ? "" : "about ",
           r->total, r->total == 1 ? "" : "s", "", r->took_ms, r->revision);
    if (r->message[0])
        printf("note: %s\n", r->message);
    for (size_t i = 0; i < r->nhits; i++) {
        const acc_hit *h = &r->hits[i];
        printf("\n%s%3zu. %s%s\n", colour ? "\033[1m" : "", offset + i + 1, h->title,
               colour ? "\033[0m" : "");
        printf("     %s  [%s]  %s  %s  score %.2f\n", h->id, h->lang, *h->date ? h->date : "-",
               *h->type ? h->type : "-", h->score);
        if (h->snippet && *h->snippet) {
            fputs("     ", stdout);
            print_snippet(h->snippet, colour);
            putchar('\n');
        }
    }
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int has_arg;
        char letter;
    } opts[] = {{"index", 1, 'i'},  {"lang", 1, 'l'}, {"limit", 1, 'n'},
                {"offset", 1, 'o'}, {"json", 0, 'j'}, {"help", 0, 'h'}};
    const char *index = NULL, *lang = NULL;
    int json = !isatty(STDOUT_FILENO), status = 2;
    acc_query q;
    acc_xdb *db = NULL;
    acc_results *r = NULL;
    acc_buf text;
    acc_error err;

    acc_log_setup("accord-search", ACC_LOG_WARN);
    acc_query_init(&q);
    acc_buf_init(&text, 0);
    /*
     * Options are parsed by hand rather than with getopt: a query word such
     * as "-paris" (exclude Paris) must not be taken for an unknown option.
     * Anything that is not one of our options is a query word; "--" ends options.
     */
    for (int a = 1; a < argc; a++) {
        const char *s = argv[a], *val = NULL;
        int opt = 0;
        if (strcmp(s, "--") == 0) {
            for (a++; a < argc; a++)
                add_word(&text, argv[a]);
            break;
        }
        for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++) {
            size_t ln = strlen(opts[k].name);
            if (s[0] == '-' && s[1] == opts[k].letter && s[2] == '\0') {
                opt = opts[k].letter;
            } else if (strncmp(s, "--", 2) == 0 && strncmp(s + 2, opts[k].name, ln) == 0 &&
                       (s[2 + ln] == '\0' || (s[2 + ln] == '=' && opts[k].has_arg))) {
                opt = opts[k].letter;
                if (s[2 + ln] == '=')
                    val = s + 3 + ln;
            }
            if (!opt)
                continue;
            if (opts[k].has_arg && !val) {
                if (a + 1 >= argc) {
                    acc_log(ACC_LOG_ERROR, "option '%s' needs a value", s);
                    goto out;
                }
                val = argv[++a];
            }
            break;
        }
        switch (opt) {
        case 'i':
            index = val;
            break;
        case 'l':
            lang = val;
            break;
        case 'n':
            if (parse_uint(val, &q.limit) != 0) {
                acc_log(ACC_LOG_ERROR, "invalid --limit '%s': expected a number", val);
                goto out;
            }
            break;
        case 'o':
            if (parse_uint(val, &q.offset) != 0) {
                acc_log(ACC_LOG_ERROR, "invalid --offset '%s': expected a number", val);
                goto out;
            }
            break;
        case 'j':
            json = 1;
            break;
        case 'h':
            usage(stdout);
            status = 0;
            goto out;
        default:
            if (strncmp(s, "--", 2) == 0 && s[2]) {
                acc_log(ACC_LOG_ERROR, "unknown option '%s' (see --help)", s);
                goto out;
            }
            add_word(&text, s);
            break;
        }
    }
    if (!index) {
        usage(stderr);
        goto out;
    }
    if (text.n == 0 || strspn(text.p, " \t\r\n") == text.n) {
        acc_log(ACC_LOG_ERROR, "empty query: give the words to search for (see --help)");
        goto out;
    }
    q.text = text.p;
    q.text_len = text.n;
    if (acc_query_set_lang(&q, lang, &err) != ACC_OK || acc_query_check(&q, &err) != ACC_OK) {
        acc_log(ACC_LOG_ERROR, "%s", err.msg);
        goto out;
    }
    if (acc_xdb_open(index, &db, &err) != ACC_OK) {
        acc_log(ACC_LOG_ERROR, "%s", err.msg);
        goto out;
    }
    if (acc_xdb_search(db, &q, &r, &err) != ACC_OK) {
        acc_log(ACC_LOG_ERROR, "%s", err.msg);
        goto out;
    }
    if (json) {
        char *s = acc_results_json(r, 0);
        puts(s);
        free(s);
    } else {
        print_table(r, q.offset, isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
    }
    status = r->nhits > 0 || r->total > 0 ? 0 : 1;
out:
    if (fflush(stdout) != 0 && status != 2) {
        acc_log(ACC_LOG_ERROR, "cannot write results: %s", strerror(errno));
        status = 2;
    }
    acc_results_free(r);
    acc_xdb_close(db);
    acc_buf_release(&text);
    return status;
}
