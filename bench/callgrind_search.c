/*
 * callgrind_search: the searches of bench/callgrind.sh, all in one process.
 *
 *   callgrind_search --index DIR [--topics FILE] [--limit N] [--facets LIST] [--suggest]
 *                    [--no-expand] QUERIES
 *
 * With --suggest each line is a /suggest prefix, counted in bench_suggest()
 * (8 completions and their JSON), and the output is "HASH PREFIX". With --no-expand the
 * searches are not translated (accord-search --no-expand): what cross-language retrieval
 * costs a search is the difference.
 *
 * Opens the index and loads the topic vocabulary once (as accord-search does
 * for its one query), then runs every query of the QUERIES file (one a line;
 * blank lines and lines starting with '#' skipped) through bench_search(). That
 * function is what bench/callgrind.sh has callgrind count
 * (--toggle-collect=bench_search): building the request, acc_index_search
 * (compose, match, facets, snippets) and the JSON answer of accord-search
 * --json. Start-up (opening the index, the topic matchers) is not counted:
 * one search ("water management") runs before the counted ones, as a running
 * accord-searchd has done before most requests. The name stays the same
 * whatever libaccord's functions are called.
 *
 * Output, one line per query: "TOTAL NHITS HASH QUERY" (TOTAL followed by '~'
 * when it is an estimate), where HASH is an FNV-1a hash of the ranked hit ids
 * and of the facet values and counts, so that two runs (two builds, or a run
 * under valgrind and one without) can be checked to have done the same
 * searches: a search that reaches Xapian's time limit under valgrind stops
 * counting early, and would show here.
 * Exit status 0, or 2 on a usage, index or search error (message on stderr).
 *
 * Not part of the CMake build: bench/callgrind.sh compiles it against the
 * build it measures, with that build's flags and libraries. When libaccord's
 * API is renamed, rename the calls here in the same commit.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "accord/query.h"
#include "accord/status.h"
#include "accord/topics.h"
#include "accord/index.h"

/* Keeps the function whole and under its own name (no inlining, no clones),
   so that callgrind's --toggle-collect=bench_search finds it. */
#if defined(__GNUC__) && !defined(__clang__)
#define BENCH_COUNTED __attribute__((noipa))
#else
#define BENCH_COUNTED __attribute__((noinline))
#endif

static void usage(FILE *f)
{
    fputs("usage: callgrind_search --index DIR [--topics FILE] [--limit N] [--facets LIST] "
          "[--suggest] [--no-expand] QUERIES\n",
          f);
}

/* One search as accord-search --json does it, its JSON answer built and
   dropped; *out keeps the results for the caller (caller frees). */
static BENCH_COUNTED acc_status bench_search(acc_index *db, const char *text, unsigned limit,
                                             unsigned facets, int expand, acc_results **out,
                                             acc_error *err)
{
    acc_query q;
    acc_query_init(&q);
    q.text = text;
    q.text_len = strlen(text);
    q.limit = limit;
    q.facets = facets;
    q.expand = expand;
    acc_status st = acc_query_check(&q, err);
    if (st != ACC_OK)
        return st;
    st = acc_index_search(db, &q, out, err);
    if (st != ACC_OK)
        return st;
    free(acc_results_json(*out, 0));
    return ACC_OK;
}

/* One /suggest as accord-searchd answers it (8 completions), its JSON built and hashed. */
static BENCH_COUNTED char *bench_suggest(acc_index *db, const char *text, acc_error *err)
{
    return acc_index_suggest_json(db, text, strlen(text), 8, err);
}

static uint64_t fnv1a(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211u;
    }
    return h;
}

int main(int argc, char **argv)
{
    const char *index = NULL, *topics_path = NULL, *queries = NULL, *facet_list = NULL;
    unsigned limit = 10, facets = 0;
    int suggest = 0; /* the lines are /suggest prefixes */
    int expand = 1;  /* --no-expand: as accord-search --no-expand */
    int status = 2;
    acc_error err = {0};
    acc_index *db = NULL;
    acc_topics *vocab = NULL;
    FILE *in = NULL;
    char *line = NULL;
    size_t cap = 0;

    /* jansson seeds its hash tables from /dev/urandom, and the collisions, hence the
       instructions, would change from run to run (by about 0.05%): a fixed seed. */
    json_object_seed(1);
    for (int a = 1; a < argc; a++) {
        const char *s = argv[a];
        if (strcmp(s, "--index") == 0 && a + 1 < argc) {
            index = argv[++a];
        } else if (strcmp(s, "--topics") == 0 && a + 1 < argc) {
            topics_path = argv[++a];
        } else if (strcmp(s, "--limit") == 0 && a + 1 < argc) {
            char *end;
            unsigned long v = strtoul(argv[++a], &end, 10);
            if (*end || v == 0 || v > 100) {
                fprintf(stderr, "callgrind_search: invalid --limit '%s'\n", argv[a]);
                goto out;
            }
            limit = (unsigned)v;
        } else if (strcmp(s, "--facets") == 0 && a + 1 < argc) {
            facet_list = argv[++a];
        } else if (strcmp(s, "--suggest") == 0) {
            suggest = 1;
        } else if (strcmp(s, "--no-expand") == 0) {
            expand = 0;
        } else if (strcmp(s, "--help") == 0) {
            usage(stdout);
            status = 0;
            goto out;
        } else if (s[0] != '-' && !queries) {
            queries = s;
        } else {
            usage(stderr);
            goto out;
        }
    }
    if (!index || !queries) {
        usage(stderr);
        goto out;
    }
    if (facet_list && *facet_list && acc_facets_parse(facet_list, &facets, &err) != ACC_OK) {
        fprintf(stderr, "callgrind_search: %s\n", err.msg);
        goto out;
    }
    in = fopen(queries, "r");
    if (!in) {
        fprintf(stderr, "callgrind_search: cannot open '%s'\n", queries);
        goto out;
    }
    if (acc_index_open(index, &db, &err) != ACC_OK) {
        fprintf(stderr, "callgrind_search: %s\n", err.msg);
        goto out;
    }
    if (topics_path && acc_topics_load(topics_path, &vocab, &err) != ACC_OK) {
        fprintf(stderr, "callgrind_search: %s\n", err.msg);
        goto out;
    }
    acc_index_set_topics(db, vocab);
    /* warm, as a running accord-searchd is after its first request: what a process builds
       once (the topic matchers of every language, the translation tables read; on a large
       index the facets' columns, again after each commit) is not counted as part of each
       search */
    {
        acc_query wq;
        acc_results *wr = NULL;
        acc_query_init(&wq);
        wq.text = "water management";
        wq.text_len = strlen(wq.text);
        wq.limit = limit;
        wq.facets = facets;
        if (acc_index_search(db, &wq, &wr, &err) != ACC_OK) {
            fprintf(stderr, "callgrind_search: warm-up search: %s\n", err.msg);
            goto out;
        }
        acc_results_free(wr);
    }

    ssize_t n;
    while ((n = getline(&line, &cap, in)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0 || line[0] == '#')
            continue;
        if (suggest) {
            char *json = bench_suggest(db, line, &err);
            if (!json) {
                fprintf(stderr, "callgrind_search: suggest '%s': %s\n", line, err.msg);
                goto out;
            }
            printf("%016llx %s\n", (unsigned long long)fnv1a(14695981039346656037u, json), line);
            free(json);
            continue;
        }
        acc_results *r = NULL;
        if (bench_search(db, line, limit, facets, expand, &r, &err) != ACC_OK) {
            fprintf(stderr, "callgrind_search: '%s': %s\n", line, err.msg);
            goto out;
        }
        uint64_t h = 14695981039346656037u;
        for (size_t i = 0; i < r->nhits; i++)
            h = fnv1a(fnv1a(h, r->hits[i].id), "\n");
        for (int k = 0; k < ACC_FACET_COUNT; k++) {
            char count[32];
            for (size_t i = 0; i < r->facets[k].n; i++) {
                snprintf(count, sizeof count, "=%lu\n", r->facets[k].values[i].count);
                h = fnv1a(fnv1a(h, r->facets[k].values[i].value), count);
            }
        }
        printf("%lu%s %zu %016llx %s\n", r->total, r->total_exact ? "" : "~", r->nhits,
               (unsigned long long)h, line);
        acc_results_free(r);
    }
    status = 0;
out:
    if (in)
        fclose(in);
    free(line);
    acc_index_close(db);
    acc_topics_free(vocab);
    if (fflush(stdout) != 0)
        status = 2;
    return status;
}
