/*
 * accord-search: the staff command-line search. Opens the index read-only,
 * runs one query through the shared query engine and prints a readable table
 * on a terminal, or the results JSON with --json or when stdout is not a
 * terminal; or asks a running accord-searchd (--server) and prints the same.
 * Exit status: 0 hits found, 1 no hits, 2 usage, query, index or server error.
 */
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accord/lang.h"
#include "accord/log.h"
#include "accord/mem.h"
#include "accord/query.h"
#include "accord/topics.h"
#include "accord/index.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: accord-search (--index DIR | --server URL) [options] [QUERY...]\n"
               "\n"
               "Searches agreements in every language (or one) and prints ranked hits: a\n"
               "table on a terminal, JSON otherwise. The words of QUERY are joined with\n"
               "spaces. Syntax: words (all must match; when few documents have them all,\n"
               "documents with some follow), \"a phrase\", OR, AND, NOT, -word, (brackets),\n"
               "prefix*, title:word, lang:fr, type:treaty, topic:biodiversity, party:france,\n"
               "year:2015, year:2015..2020. A query naming a topic also finds that topic's\n"
               "documents in other languages, ranked after direct matches.\n"
               "\n"
               "  -i, --index DIR     the index to search (repeat it, or give a Xapian stub\n"
               "                      file, to search several indexes as one)\n"
               "  -S, --server URL    ask a running accord-searchd instead (http://host:port)\n"
               "  -l, --lang L        only documents in language L (ISO 639-1, e.g. fr)\n"
               "      --type LIST     only these document types (comma-separated)\n"
               "      --topic LIST    only these topics (ids of corpus/topics.tsv)\n"
               "      --party LIST    only documents with these parties\n"
               "      --from YEAR     only documents dated YEAR or later\n"
               "      --to YEAR       only documents dated YEAR or earlier\n"
               "      --sort ORDER    relevance (default), newest or oldest\n"
               "      --facets LIST   counts by lang,type,topic,year,party over all matches\n"
               "      --similar ID    documents like document ID (QUERY is then not needed)\n"
               "      --collapse      one hit per agreement, its other language versions listed\n"
               "      --no-expand     no cross-lingual topic expansion\n"
               "      --explain       show the index terms each hit matched\n"
               "      --topics FILE   topic vocabulary (default: accord's corpus/topics.tsv)\n"
               "  -n, --limit N       hits to show (default 10, at most 100)\n"
               "  -o, --offset N      skip the first N hits (at most 10000)\n"
               "  -j, --json          print JSON (the default when stdout is not a terminal)\n"
               "  -h, --help          this text\n"
               "\n"
               "Exit status: 0 hits found, 1 no hits, 2 usage, query, index or server error.\n"
               "Colour only on a terminal, and never with NO_COLOR set.\n");
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
    printf("%s%lu result%s (%.1f ms, index revision %lu)\n", r->total_exact ? "" : "about ",
           r->total, r->total == 1 ? "" : "s", r->took_ms, r->revision);
    if (r->message[0])
        printf("note: %s\n", r->message);
    if (r->suggestion)
        printf("did you mean: %s\n", r->suggestion);
    for (size_t i = 0; i < r->nhits; i++) {
        const acc_hit *h = &r->hits[i];
        printf("\n%s%3zu. %s%s\n", colour ? "\033[1m" : "", offset + i + 1, h->title,
               colour ? "\033[0m" : "");
        printf("     %s  [%s]  %s  %s  score %.2f%s%s\n", h->id, h->lang, *h->date ? h->date : "-",
               *h->type ? h->type : "-", h->score, h->article ? "  in " : "",
               h->article ? h->article : "");
        if (h->ntopics) {
            printf("     topics:");
            for (size_t k = 0; k < h->ntopics; k++)
                printf(" %s", h->topics[k]);
            putchar('\n');
        }
        if (h->nversions) {
            printf("     also in:");
            for (size_t k = 0; k < h->nversions; k++)
                printf(" %s (%s)", h->versions[k].lang, h->versions[k].id);
            putchar('\n');
        }
        if (h->snippet && *h->snippet) {
            fputs("     ", stdout);
            print_snippet(h->snippet, colour);
            putchar('\n');
        }
        if (h->explain)
            printf("     matched: %s\n", h->explain);
    }
    for (int k = 0; k < ACC_FACET_COUNT; k++) {
        if (!(r->facets_asked & (1u << k)))
            continue;
        printf("\n%s:", acc_facet_name((acc_facet_kind)k));
        for (size_t i = 0; i < r->facets[k].n && i < 30; i++)
            printf("%s %s %lu", i ? "," : "", r->facets[k].values[i].value,
                   r->facets[k].values[i].count);
        if (r->facets[k].n > 30)
            printf(", ... (%zu values)", r->facets[k].n);
        putchar('\n');
    }
}

typedef struct body {
    acc_buf b;
} body;

static size_t on_body(char *p, size_t size, size_t nmemb, void *ctx)
{
    body *bd = ctx;
    if (acc_buf_append(&bd->b, p, size * nmemb) != 0)
        return 0; /* over the cap: curl stops */
    return size * nmemb;
}

/* Asks accord-searchd; returns its results or NULL with err set. */
static acc_results *ask_server(const char *server, const acc_query *q, acc_error *err)
{
    acc_buf url;
    body bd;
    acc_results *r = NULL;
    long code = 0;
    CURL *curl = curl_easy_init();

    acc_buf_init(&url, 0);
    acc_buf_init(&bd.b, 64u << 20);
    acc_buf_append(&url, server, strlen(server));
    while (url.n && url.p[url.n - 1] == '/')
        url.p[--url.n] = '\0';
    acc_buf_append(&url, "/search?", 8);
    acc_buf params;
    acc_buf_init(&params, 0);
    acc_query_to_params(q, &params);
    acc_buf_append(&url, params.p ? params.p : "", params.n);
    acc_buf_release(&params);
    if (!curl) {
        acc_error_set(err, ACC_EIO, "cannot start the HTTP client");
        goto out;
    }
    curl_easy_setopt(curl, CURLOPT_URL, url.p);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &bd);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    CURLcode rc = curl_easy_perform(curl);
    if (rc != CURLE_OK) {
        acc_error_set(err, ACC_EIO, "cannot reach '%s': %s", server, curl_easy_strerror(rc));
        goto out;
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    if (code != 200) {
        json_t *o = json_loadb(bd.b.p ? bd.b.p : "", bd.b.n, 0, NULL);
        const char *msg =
            json_string_value(json_object_get(json_object_get(o, "error"), "message"));
        acc_error_set(err, code < 500 ? ACC_EINVAL : ACC_EIO, "server answered %ld: %s", code,
                      msg ? msg : "no message");
        json_decref(o);
        goto out;
    }
    acc_results_from_json(bd.b.p ? bd.b.p : "", bd.b.n, &r, err);
out:
    if (curl)
        curl_easy_cleanup(curl);
    acc_buf_release(&url);
    acc_buf_release(&bd.b);
    return r;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int has_arg;
        char letter;
    } opts[] = {
        {"index", 1, 'i'},     {"lang", 1, 'l'},    {"limit", 1, 'n'},   {"offset", 1, 'o'},
        {"json", 0, 'j'},      {"help", 0, 'h'},    {"server", 1, 'S'},  {"type", 1, 't'},
        {"topic", 1, 'T'},     {"party", 1, 'p'},   {"from", 1, 'f'},    {"to", 1, 'u'},
        {"sort", 1, 's'},      {"facets", 1, 'F'},  {"similar", 1, 'm'}, {"collapse", 0, 'c'},
        {"no-expand", 0, 'x'}, {"explain", 0, 'e'}, {"topics", 1, 'V'}};
    const char *index = NULL, *lang = NULL, *server = NULL, *topics_path = NULL;
    const char *indexes[16];
    size_t nindexes = 0;
    acc_topics *vocab = NULL;
    unsigned year;
    int json = !isatty(STDOUT_FILENO), status = 2;
    acc_query q;
    acc_index *db = NULL;
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
            /* short forms only for the documented ones: "-t" may be a query word */
            if (s[0] == '-' && s[1] == opts[k].letter && s[2] == '\0' &&
                strchr("iSlnojh", opts[k].letter)) {
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
            if (nindexes == sizeof indexes / sizeof indexes[0]) {
                acc_log(ACC_LOG_ERROR, "at most %zu --index", nindexes);
                goto out;
            }
            index = indexes[nindexes++] = val;
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
        case 'S':
            server = val;
            break;
        case 't':
            q.type = val;
            break;
        case 'T':
            q.topic = val;
            break;
        case 'p':
            q.party = val;
            break;
        case 'f':
        case 'u':
            if (parse_uint(val, &year) != 0 || year > 9999) {
                acc_log(ACC_LOG_ERROR, "invalid year '%s': expected 0-9999", val);
                goto out;
            }
            if (opt == 'f')
                q.year_from = (int)year;
            else
                q.year_to = (int)year;
            break;
        case 's':
            if (acc_sort_parse(val, &q.sort, &err) != ACC_OK) {
                acc_log(ACC_LOG_ERROR, "%s", err.msg);
                goto out;
            }
            break;
        case 'F':
            if (acc_facets_parse(val, &q.facets, &err) != ACC_OK) {
                acc_log(ACC_LOG_ERROR, "%s", err.msg);
                goto out;
            }
            break;
        case 'm':
            q.similar = val;
            break;
        case 'c':
            q.collapse = 1;
            break;
        case 'x':
            q.expand = 0;
            break;
        case 'e':
            q.explain = 1;
            break;
        case 'V':
            topics_path = val;
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
    if (!index == !server) {
        if (index && server)
            acc_log(ACC_LOG_ERROR, "give --index or --server, not both");
        usage(stderr);
        goto out;
    }
    int browsing = q.similar || q.type || q.topic || q.party || q.year_from || q.year_to;
    if (!browsing && (text.n == 0 || strspn(text.p, " \t\r\n") == text.n)) {
        acc_log(ACC_LOG_ERROR, "empty query: give the words to search for (see --help)");
        goto out;
    }
    q.text = text.p;
    q.text_len = text.n;
    if (acc_query_set_lang(&q, lang, &err) != ACC_OK || acc_query_check(&q, &err) != ACC_OK) {
        acc_log(ACC_LOG_ERROR, "%s", err.msg);
        goto out;
    }
    if (server) {
        r = ask_server(server, &q, &err);
        if (!r) {
            acc_log(ACC_LOG_ERROR, "%s", err.msg);
            goto out;
        }
    } else {
        if (acc_index_open_many(indexes, nindexes, &db, &err) != ACC_OK) {
            acc_log(ACC_LOG_ERROR, "%s", err.msg);
            goto out;
        }
        const char *tp = topics_path ? topics_path : acc_topics_default_path();
        if (tp && acc_topics_load(tp, &vocab, &err) != ACC_OK) {
            acc_log(ACC_LOG_ERROR, "%s", err.msg);
            goto out;
        }
        acc_index_set_topics(db, vocab);
        if (acc_index_search(db, &q, &r, &err) != ACC_OK) {
            acc_log(ACC_LOG_ERROR, "%s", err.msg);
            goto out;
        }
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
    acc_index_close(db);
    acc_topics_free(vocab);
    acc_buf_release(&text);
    return status;
}
