/*
 * accord-search: the staff command-line search. Opens the index read-only,
 * runs one query through the shared query engine and prints a readable table
 * on a terminal (cli/table.c), or the results JSON with --json or when stdout
 * is not a terminal; or asks a running accord-searchd (--server,
 * cli/remote.c) and prints the same.
 * Exit status: 0 hits found, 1 no hits, 2 usage, query, index or server error.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accord/index.h"
#include "accord/lang.h"
#include "accord/log.h"
#include "accord/mem.h"
#include "accord/opt.h"
#include "accord/query.h"
#include "accord/schema.h"
#include "accord/topics.h"
#include "remote.h"
#include "table.h"

#define MAX_INDEXES 16

static void usage(FILE *f)
{
    fprintf(f,
            "usage: accord-search (--index DIR | --server URL) [options] [QUERY...]\n"
            "\n"
            "Searches agreements in every language (or one) and prints ranked hits: a\n"
            "table on a terminal, JSON otherwise. The words of QUERY are joined with\n"
            "spaces. Syntax: words (all must match; when few documents have them all,\n"
            "documents with some follow), \"a phrase\", OR, AND, NOT, -word, (brackets),\n"
            "prefix*, title:word, lang:fr, type:treaty, topic:biodiversity, party:france,\n"
            "year:2015, year:2015..2020, and the commitment filters below as target:netzero,\n"
            "target_year:2030..2040, cut:>=50, strength:binding. A query naming a topic\n"
            "also finds that topic's documents in other languages, ranked after direct\n"
            "matches.\n"
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
            "      --target LIST   only documents stating a commitment of these kinds: netzero,\n"
            "                      reduction, renewable, efficiency, coal, protected\n"
            "      --target-year Y only commitments for year Y or years Y1..Y2 (..Y2, Y1..)\n"
            "      --cut RANGE     only emission cuts of this percentage: 50, >=50, <=30, 40..60\n"
            "      --strength LIST only commitments stated as binding, intended or reported\n"
            "                      (the commitment filters hold for one commitment together;\n"
            "                      each hit's snippet is then the sentence stating it)\n"
            "      --sort ORDER    relevance (default), newest, oldest or target_year\n"
            "                      (the earliest target year first)\n"
            "      --facets LIST   counts by lang,type,topic,year,party,target,target_year,\n"
            "                      strength over all matches\n"
            "      --similar ID    documents like document ID (QUERY is then not needed)\n"
            "      --collapse      one hit per agreement, its other language versions listed\n"
            "      --query-lang L  the language the query is written in (default: guessed\n"
            "                      from its script and words)\n"
            "      --no-expand     no translation of the query into the other languages,\n"
            "                      no synonyms, no cross-lingual topic expansion\n"
            "      --explain       show the index terms each hit matched\n"
            "      --topics FILE   topic vocabulary (default: accord's corpus/topics.tsv)\n"
            "  -n, --limit N       hits to show (default 10, at most 100)\n"
            "  -o, --offset N      skip the first N hits (at most 10000)\n"
            "  -j, --json          print JSON (the default when stdout is not a terminal)\n"
            "  -h, --help          this text\n"
            "      --version       the versions of accord and its libraries\n"
            "\n"
            "Exit status: 0 hits found, 1 no hits, 2 usage, query, index or server error.\n"
            "Colour only on a terminal, and never with NO_COLOR set.\n");
}

/* Long options; the short ones are in SHORT_OPTS. */
enum {
    OPT_TYPE = 256,
    OPT_TOPIC,
    OPT_PARTY,
    OPT_FROM,
    OPT_TO,
    OPT_SORT,
    OPT_FACETS,
    OPT_SIMILAR,
    OPT_COLLAPSE,
    OPT_NO_EXPAND,
    OPT_QUERY_LANG,
    OPT_EXPLAIN,
    OPT_TOPICS,
    OPT_TARGET,
    OPT_TARGET_YEAR,
    OPT_CUT,
    OPT_STRENGTH,
    OPT_VERSION
};
#define SHORT_OPTS "+i:S:l:n:o:jh"
static const struct option long_opts[] = {{"index", required_argument, NULL, 'i'},
                                          {"server", required_argument, NULL, 'S'},
                                          {"lang", required_argument, NULL, 'l'},
                                          {"limit", required_argument, NULL, 'n'},
                                          {"offset", required_argument, NULL, 'o'},
                                          {"json", no_argument, NULL, 'j'},
                                          {"help", no_argument, NULL, 'h'},
                                          {"type", required_argument, NULL, OPT_TYPE},
                                          {"topic", required_argument, NULL, OPT_TOPIC},
                                          {"party", required_argument, NULL, OPT_PARTY},
                                          {"from", required_argument, NULL, OPT_FROM},
                                          {"to", required_argument, NULL, OPT_TO},
                                          {"sort", required_argument, NULL, OPT_SORT},
                                          {"facets", required_argument, NULL, OPT_FACETS},
                                          {"similar", required_argument, NULL, OPT_SIMILAR},
                                          {"collapse", no_argument, NULL, OPT_COLLAPSE},
                                          {"no-expand", no_argument, NULL, OPT_NO_EXPAND},
                                          {"query-lang", required_argument, NULL, OPT_QUERY_LANG},
                                          {"explain", no_argument, NULL, OPT_EXPLAIN},
                                          {"topics", required_argument, NULL, OPT_TOPICS},
                                          {"target", required_argument, NULL, OPT_TARGET},
                                          {"target-year", required_argument, NULL, OPT_TARGET_YEAR},
                                          {"cut", required_argument, NULL, OPT_CUT},
                                          {"strength", required_argument, NULL, OPT_STRENGTH},
                                          {"version", no_argument, NULL, OPT_VERSION},
                                          {NULL, 0, NULL, 0}};

/*
 * 1 when arg is one of our options as written (-i, --index, --index=DIR);
 * *takes_next: its value is the next argument.
 */
static int is_option(const char *arg, int *takes_next)
{
    *takes_next = 0;
    if (arg[0] != '-' || arg[1] == '\0')
        return 0;
    if (arg[1] != '-') {
        const char *at = arg[2] == '\0' ? strchr(SHORT_OPTS + 1, arg[1]) : NULL;
        if (!at || arg[1] == ':')
            return 0;
        *takes_next = at[1] == ':';
        return 1;
    }
    for (const struct option *o = long_opts; o->name; o++) {
        size_t n = strlen(o->name);
        if (strncmp(arg + 2, o->name, n) != 0)
            continue;
        if (arg[2 + n] == '\0') {
            *takes_next = o->has_arg == required_argument;
            return 1;
        }
        if (arg[2 + n] == '=' && o->has_arg == required_argument)
            return 1;
    }
    return 0;
}

/* The command line in two: our options (for getopt_long), and the words of the query. */
typedef struct split_args {
    char **opts; /* opts[0] is the program name */
    int nopts;
    acc_buf words;
    const char *unknown; /* an unknown --option, or NULL */
} split_args;

/*
 * Options are read with getopt_long, but a query word such as "-paris"
 * (exclude Paris) must not be taken for options: every argument that is not
 * one of our options as written is a query word, "--" ends options, and an
 * unknown "--word" is an error.
 */
static void split(int argc, char **argv, split_args *s)
{
    memset(s, 0, sizeof *s);
    s->opts = acc_xcalloc((size_t)argc + 1, sizeof *s->opts);
    s->opts[s->nopts++] = argv[0];
    acc_buf_init(&s->words, 0);
    for (int a = 1; a < argc; a++) {
        const char *arg = argv[a];
        int next;
        if (strcmp(arg, "--") == 0) {
            for (a++; a < argc; a++) {
                if (s->words.n)
                    acc_buf_putc(&s->words, ' ');
                acc_buf_append(&s->words, argv[a], strlen(argv[a]));
            }
            break;
        }
        if (is_option(arg, &next)) {
            s->opts[s->nopts++] = argv[a];
            if (next && a + 1 < argc)
                s->opts[s->nopts++] = argv[++a];
            continue;
        }
        if (strncmp(arg, "--", 2) == 0 && !s->unknown)
            s->unknown = arg;
        if (s->words.n)
            acc_buf_putc(&s->words, ' ');
        acc_buf_append(&s->words, arg, strlen(arg));
    }
}

/* What the command line asks for. */
typedef struct cli {
    const char *indexes[MAX_INDEXES];
    size_t nindexes;
    const char *lang, *server, *topics_path;
    int json;
    acc_query q;
} cli;

/* Reads the options into c; 0 to go on, else the exit status (after --help: 0). */
static int read_options(int argc, char **argv, cli *c)
{
    acc_error err;
    unsigned year;
    int opt;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, SHORT_OPTS, long_opts, NULL)) != -1) {
        acc_status st = ACC_OK;
        switch (opt) {
        case 'i':
            if (c->nindexes == MAX_INDEXES) {
                acc_log(ACC_LOG_ERROR, "at most %d --index", MAX_INDEXES);
                return 2;
            }
            c->indexes[c->nindexes++] = optarg;
            break;
        case 'S':
            c->server = optarg;
            break;
        case 'l':
            c->lang = optarg;
            break;
        case 'n':
            st = acc_opt_uint("--limit", optarg, 0, ACC_LIMIT_MAX, &c->q.limit, &err);
            break;
        case 'o':
            st = acc_opt_uint("--offset", optarg, 0, ACC_OFFSET_MAX, &c->q.offset, &err);
            break;
        case 'j':
            c->json = 1;
            break;
        case OPT_TYPE:
            c->q.type = optarg;
            break;
        case OPT_TOPIC:
            c->q.topic = optarg;
            break;
        case OPT_PARTY:
            c->q.party = optarg;
            break;
        case OPT_TARGET:
            c->q.target = optarg;
            break;
        case OPT_TARGET_YEAR:
            c->q.target_year = optarg;
            break;
        case OPT_CUT:
            c->q.cut = optarg;
            break;
        case OPT_STRENGTH:
            c->q.strength = optarg;
            break;
        case OPT_FROM:
        case OPT_TO:
            st = acc_opt_uint(opt == OPT_FROM ? "--from" : "--to", optarg, 0, 9999, &year, &err);
            if (opt == OPT_FROM)
                c->q.year_from = (int)year;
            else
                c->q.year_to = (int)year;
            break;
        case OPT_SORT:
            st = acc_sort_parse(optarg, &c->q.sort, &err);
            break;
        case OPT_FACETS:
            st = acc_facets_parse(optarg, &c->q.facets, &err);
            break;
        case OPT_SIMILAR:
            c->q.similar = optarg;
            break;
        case OPT_COLLAPSE:
            c->q.collapse = 1;
            break;
        case OPT_NO_EXPAND:
            c->q.expand = 0;
            break;
        case OPT_QUERY_LANG:
            if (!acc_lang_parse(optarg, strlen(optarg), c->q.qlang))
                st =
                    acc_error_set(&err, ACC_EINVAL,
                                  "--query-lang: '%s' is not a language code such as 'fr'", optarg);
            break;
        case OPT_EXPLAIN:
            c->q.explain = 1;
            break;
        case OPT_TOPICS:
            c->topics_path = optarg;
            break;
        case 'h':
            usage(stdout);
            return -1;
        case OPT_VERSION:
            acc_opt_print_version(stdout, "accord-search");
            return -1;
        default: /* only an option whose value is missing gets here */
            acc_log(ACC_LOG_ERROR, "option '%s' needs a value", argv[optind - 1]);
            return 2;
        }
        if (st != ACC_OK) {
            acc_log(ACC_LOG_ERROR, "%s", err.msg);
            return 2;
        }
    }
    return 0;
}

/* The results of the request: from the index, or from the server. */
static acc_results *run(cli *c, acc_error *err)
{
    acc_index *db = NULL;
    acc_topics *vocab = NULL;
    acc_results *r = NULL;
    if (c->server)
        return cli_ask_server(c->server, &c->q, err);
    if (acc_index_open_many(c->indexes, c->nindexes, &db, err) != ACC_OK)
        goto out;
    const char *tp = c->topics_path ? c->topics_path : acc_topics_default_path();
    /* the vocabulary is parsed (and its errors told) only when the index does not store the
       topic matchers of these very bytes: else the search reads none of its entries */
    if (tp && (acc_topics_read(tp, &vocab, err) != ACC_OK ||
               (!acc_index_topics_stored(db, vocab) && acc_topics_parse(vocab, err) != ACC_OK)))
        goto out;
    acc_index_set_topics(db, vocab);
    acc_index_search(db, &c->q, &r, err);
out:
    acc_index_close(db);
    acc_topics_free(vocab);
    return r;
}

int main(int argc, char **argv)
{
    cli c;
    split_args s;
    acc_results *r = NULL;
    acc_error err;
    int status;

#ifdef M_MMAP_THRESHOLD
    /* one search, then exit: large blocks from the heap and never trimmed, so that a block freed
       is used again rather than unmapped and its pages faulted in afresh (the index's text and
       translation dictionaries, 256 KiB each, pass through several copies: 986 -> 799 page
       faults for a search on the real corpus) */
    mallopt(M_MMAP_THRESHOLD, 16 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
    acc_log_setup("accord-search", ACC_LOG_WARN);
    memset(&c, 0, sizeof c);
    acc_query_init(&c.q);
    c.json = !isatty(STDOUT_FILENO);
    split(argc, argv, &s);
    status = read_options(s.nopts, s.opts, &c);
    if (status) {
        status = status < 0 ? 0 : status;
        goto out;
    }
    status = 2;
    if (s.unknown) {
        acc_log(ACC_LOG_ERROR, "unknown option '%s' (see --help)", s.unknown);
        goto out;
    }
    if (!c.nindexes == !c.server) {
        if (c.nindexes && c.server)
            acc_log(ACC_LOG_ERROR, "give --index or --server, not both");
        usage(stderr);
        goto out;
    }
    acc_query *q = &c.q;
    int browsing = q->similar || q->type || q->topic || q->party || q->year_from || q->year_to ||
                   q->target || q->target_year || q->cut || q->strength;
    if (!browsing && (s.words.n == 0 || strspn(s.words.p, " \t\r\n") == s.words.n)) {
        acc_log(ACC_LOG_ERROR, "empty query: give the words to search for (see --help)");
        goto out;
    }
    q->text = s.words.p;
    q->text_len = s.words.n;
    if (acc_query_set_lang(q, c.lang, &err) != ACC_OK || acc_query_check(q, &err) != ACC_OK) {
        acc_log(ACC_LOG_ERROR, "%s", err.msg);
        goto out;
    }
    r = run(&c, &err);
    if (!r) {
        acc_log(ACC_LOG_ERROR, "%s", err.msg);
        goto out;
    }
    if (c.json) {
        char *json = acc_results_json(r, 0);
        puts(json);
        free(json);
    } else {
        cli_print_table(r, q->offset, isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
    }
    status = r->nhits > 0 || r->total > 0 ? 0 : 1;
out:
    if (fflush(stdout) != 0 && status != 2) {
        acc_log(ACC_LOG_ERROR, "cannot write results: %s", strerror(errno));
        status = 2;
    }
    acc_results_free(r);
    acc_buf_release(&s.words);
    free(s.opts);
    return status;
}
