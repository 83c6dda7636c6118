/*
 * accord-index: builds or updates an accord index from folders and files of
 * agreements (txt, md, html, pdf, jsonl; gzip/xz-compressed txt/md/jsonl).
 * The rooms are listed in indexer/run.h; this file reads the options and
 * runs the steps in order:
 *   1. check that every input exists, load the topic vocabulary;
 *   2. open the index (one writer) and read what it holds (ids, stamps);
 *   3. walk the folders (the file count drives the progress bar), and find
 *      the jsonl files unchanged since the last run;
 *   4. run the pipeline: workers build documents, the writer commits batches;
 *   5. delete what is gone, commit, report.
 * Exit status: 0 done (skipped files are listed), 2 usage error or the index
 * could not be opened or written.
 *
 * Invariants: options come before the inputs (getopt_long with "+"); every
 * usage error exits 2 before anything is written; all the run's state is
 * the one struct run of main(), released on every way out.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accord/lang.h"
#include "accord/log.h"
#include "accord/opt.h"
#include "accord/lexicon.h"
#include "incremental.h"
#include "lexstep.h"
#include "pipeline.h"
#include "report.h"
#include "run.h"
#include "walk.h"

#define MAX_THREADS 64
#define MAX_BATCH 1000000
#define DEFAULT_BATCH 1000
#define DEFAULT_MAX_THREADS 16 /* the CPU count, at most this, by default */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: accord-index --index DIR [options] INPUT...\n"
            "\n"
            "Builds or updates the index DIR from each INPUT: a folder of documents\n"
            "(walked recursively) or a single file. Formats: .txt .md .html/.htm .pdf .jsonl,\n"
            "and .txt/.md/.html/.jsonl compressed with gzip (.gz) or xz (.xz).\n"
            "A document's id is its path under the folder without extensions (jsonl:\n"
            "the record's id). Metadata, highest precedence first: a sidecar <file>.json\n"
            "or Markdown front matter; manifest.jsonl in the folder; what the document\n"
            "says (HTML title/lang, PDF info); derived (first line, detected language).\n"
            "A .accordignore file in a folder lists glob patterns of files to leave out.\n"
            "Unchanged documents are skipped; changed ones replaced; documents whose file\n"
            "is gone are deleted. Documents are committed in batches: a killed run keeps\n"
            "what was committed, and the next run carries on. Then the translation table\n"
            "is rebuilt from the sources named (remembered for the next runs).\n"
            "\n"
            "  -i, --index DIR    the index to create or update (required)\n"
            "  -t, --threads N    documents prepared in parallel (default: CPU count)\n"
            "      --compact      compact the index at the end (each shard), swapping the\n"
            "                     compacted copy in atomically; alone, without INPUT, just that\n"
            "                     (a full build, into an empty index, is compacted anyway)\n"
            "      --no-compact   leave a full build as written\n"
            "      --merge DEST   write one compacted database of the whole index (a sharded\n"
            "                     one merged) at DEST, a new folder; alone or after a run\n"
            "  -b, --batch N      documents per commit (default 1000)\n"
            "      --shards N     a new index of N shards (1-64): DIR becomes a folder of\n"
            "                     shard databases and a stub file (XAPIANDB) that opens them\n"
            "                     as one; each document's shard comes from a hash of its id;\n"
            "                     one writer a shard, in parallel. An existing index keeps\n"
            "                     its count (naming another is an error)\n"
            "      --topics FILE  topic vocabulary (default: topics.tsv of an input folder,\n"
            "                     $ACCORD_TOPICS, or accord's corpus/topics.tsv)\n"
            "      --no-topics    do not tag topics\n"
            "      --no-delete    keep documents whose file is gone\n"
            "      --dict-dir DIR    FreeDict dictionaries for query translation (default\n"
            "                        " ACC_DICT_DIR_DEFAULT ", where Debian's dict-freedict-*\n"
            "                        packages put them)\n"
            "      --no-dict         no dictionaries\n"
            "                        (each dictionary is prepared once and kept in\n"
            "                        $ACCORD_CACHE_DIR, else ~/.cache/accord; empty: not kept)\n"
            "      --thesaurus FILE  a SKOS thesaurus (RDF/XML, e.g. GEMET), for translations\n"
            "                        and synonyms; repeat it for several files\n"
            "      --synonyms FILE   synonyms, one group a line: \"en: car, automobile\"\n"
            "      --lexicon         rebuild the translation table only (INPUT not needed)\n"
            "      --no-lexicon      leave the translation table as it is\n"
            "      --json         print a JSON summary on stdout\n"
            "  -q, --quiet        only errors\n"
            "  -v, --verbose      one line per document\n"
            "  -h, --help         this text\n"
            "      --version      the versions of accord and its libraries\n"
            "\n"
            "Exit status: 0 done (skipped files are listed), 2 usage error or the index\n"
            "could not be opened or written.\n");
}

/* What the options ask besides struct run. */
typedef struct options {
    const char *topics;
    int no_topics;
    acc_log_level level;
} options;

/*
 * The vocabulary to load: --topics, else topics.tsv of the first input
 * folder that has one (written into path[0..size)), else the default
 * ($ACCORD_TOPICS, accord's own); NULL when there is none.
 */
static const char *find_topics(const options *o, char *const *inputs, int ninputs, char *path,
                               size_t size)
{
    if (o->topics)
        return o->topics;
    for (int a = 0; a < ninputs; a++) {
        struct stat sb;
        snprintf(path, size, "%s/topics.tsv", inputs[a]);
        if (stat(inputs[a], &sb) == 0 && S_ISDIR(sb.st_mode) && access(path, R_OK) == 0)
            return path;
    }
    return acc_topics_default_path();
}

/* Reads the options into rn and o; 0 to go on, else the exit status (-1: 0, after --help). */
static int read_options(int argc, char **argv, run *rn, options *o)
{
    enum {
        OPT_TOPICS = 256,
        OPT_NO_TOPICS,
        OPT_NO_DELETE,
        OPT_JSON,
        OPT_VERSION,
        OPT_DICT_DIR,
        OPT_NO_DICT,
        OPT_THESAURUS,
        OPT_SYNONYMS,
        OPT_LEXICON,
        OPT_NO_LEXICON,
        OPT_SHARDS,
        OPT_COMPACT,
        OPT_NO_COMPACT,
        OPT_MERGE,
        OPT_CHANGESETS
    };
    static const struct option opts[] = {{"index", required_argument, NULL, 'i'},
                                         {"threads", required_argument, NULL, 't'},
                                         {"batch", required_argument, NULL, 'b'},
                                         {"shards", required_argument, NULL, OPT_SHARDS},
                                         {"compact", no_argument, NULL, OPT_COMPACT},
                                         {"no-compact", no_argument, NULL, OPT_NO_COMPACT},
                                         {"changesets", required_argument, NULL, OPT_CHANGESETS},
                                         {"merge", required_argument, NULL, OPT_MERGE},
                                         {"topics", required_argument, NULL, OPT_TOPICS},
                                         {"no-topics", no_argument, NULL, OPT_NO_TOPICS},
                                         {"no-delete", no_argument, NULL, OPT_NO_DELETE},
                                         {"json", no_argument, NULL, OPT_JSON},
                                         {"dict-dir", required_argument, NULL, OPT_DICT_DIR},
                                         {"no-dict", no_argument, NULL, OPT_NO_DICT},
                                         {"thesaurus", required_argument, NULL, OPT_THESAURUS},
                                         {"synonyms", required_argument, NULL, OPT_SYNONYMS},
                                         {"lexicon", no_argument, NULL, OPT_LEXICON},
                                         {"no-lexicon", no_argument, NULL, OPT_NO_LEXICON},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"verbose", no_argument, NULL, 'v'},
                                         {"help", no_argument, NULL, 'h'},
                                         {"version", no_argument, NULL, OPT_VERSION},
                                         {NULL, 0, NULL, 0}};
    acc_error err;
    long v;
    opterr = 0;
    for (;;) {
        int at = optind; /* the argument getopt_long reads from */
        /* "+": options come before the inputs, as the usage says */
        int c = getopt_long(argc, argv, "+i:t:b:qvh", opts, NULL);
        if (c == -1)
            break;
        switch (c) {
        case 'i':
            rn->index = optarg;
            break;
        case 't':
            if (acc_opt_long("--threads", optarg, 1, MAX_THREADS, &v, &err) != ACC_OK)
                goto bad_value;
            rn->nthreads = (int)v;
            break;
        case 'b':
            if (acc_opt_long("--batch", optarg, 1, MAX_BATCH, &v, &err) != ACC_OK)
                goto bad_value;
            rn->batch = (unsigned)v;
            break;
        case OPT_SHARDS:
            if (acc_opt_long("--shards", optarg, 1, ACC_SHARDS_MAX, &v, &err) != ACC_OK)
                goto bad_value;
            rn->nshards = (unsigned)v;
            break;
        case OPT_COMPACT:
            rn->compact = 1;
            break;
        case OPT_NO_COMPACT:
            rn->no_compact = 1;
            break;
        case OPT_CHANGESETS:
            if (acc_opt_long("--changesets", optarg, 0, 1000000, &v, &err) != ACC_OK)
                goto bad_value;
            {
                /* Xapian reads it when a writer opens: set before any is */
                char n[24];
                snprintf(n, sizeof n, "%ld", v);
                setenv("XAPIAN_MAX_CHANGESETS", n, 1);
                rn->changesets = 1;
            }
            break;
        case OPT_MERGE:
            rn->merge = optarg;
            break;
        case OPT_TOPICS:
            o->topics = optarg;
            break;
        case OPT_NO_TOPICS:
            o->no_topics = 1;
            break;
        case OPT_NO_DELETE:
            rn->no_delete = 1;
            break;
        case OPT_JSON:
            rn->json = 1;
            break;
        case OPT_DICT_DIR:
            rn->dict_dir = optarg;
            break;
        case OPT_NO_DICT:
            rn->no_dict = 1;
            break;
        case OPT_THESAURUS:
            rn->thesauri = realloc(rn->thesauri, (rn->nthesauri + 1) * sizeof *rn->thesauri);
            if (!rn->thesauri)
                return 2;
            rn->thesauri[rn->nthesauri++] = optarg;
            break;
        case OPT_SYNONYMS:
            rn->synonyms = optarg;
            break;
        case OPT_LEXICON:
            rn->lexicon_only = 1;
            break;
        case OPT_NO_LEXICON:
            rn->no_lexicon = 1;
            break;
        case 'q':
            o->level = ACC_LOG_ERROR;
            rn->quiet = 1;
            break;
        case 'v':
            o->level = ACC_LOG_DEBUG;
            break;
        case 'h':
            usage(stdout);
            return -1;
        case OPT_VERSION:
            acc_opt_print_version(stdout, "accord-index");
            return -1;
        default:
            /* the whole argument, as typed: getopt_long has moved past it
               unless the bad letter was not its last ("-xq") */
            fprintf(stderr, "accord-index: unknown or incomplete option '%s' (see --help)\n",
                    argv[optind > at ? optind - 1 : optind]);
            return 2;
        }
    }
    return 0;
bad_value:
    fprintf(stderr, "accord-index: %s\n", err.msg);
    return 2;
}

/* Loads the vocabulary (unless --no-topics) and its hash; 0, or -1 (logged). */
static int load_vocabulary(run *rn, const options *o, char *const *inputs, int ninputs)
{
    char path[PATH_MAX];
    acc_error err;
    if (!o->no_topics) {
        const char *tp = find_topics(o, inputs, ninputs, path, sizeof path);
        if (tp && acc_topics_load(tp, &rn->vocab, &err) != ACC_OK) {
            acc_log(ACC_LOG_ERROR, "%s", err.msg);
            return -1;
        }
        if (tp)
            incr_vocab_hash(rn, tp);
        else if (o->topics == NULL)
            acc_log(ACC_LOG_WARN, "no topic vocabulary found; documents get no topics");
    }
    if (!rn->vocab_hash[0])
        strcpy(rn->vocab_hash, "-");
    return 0;
}

/* Frees everything rn owns but the index (closed by the caller). */
static void run_release(run *rn)
{
    for (size_t i = 0; i < rn->nsources; i++)
        free(rn->sources[i]);
    free(rn->sources);
    for (size_t i = 0; i < rn->norigins; i++)
        free(rn->origins[i]);
    free(rn->origins);
    for (size_t i = 0; i < 2 * rn->nfile_keys; i++)
        free(rn->file_keys[i]);
    free(rn->file_keys);
    for (size_t i = 0; i < rn->nskip_files; i++)
        free(rn->skip_files[i]);
    free(rn->skip_files);
    for (size_t i = 0; i < rn->nskips; i++) {
        free(rn->skips[i].path);
        free(rn->skips[i].why);
    }
    free(rn->skips);
    ix_map_release(&rn->existing);
    free(rn->results);
    free(rn->thesauri);
    acc_topics_free(rn->vocab);
    json_decref(rn->langs);
    json_decref(rn->topics);
}

int main(int argc, char **argv)
{
    run rn;
    options o = {NULL, 0, ACC_LOG_INFO};
    acc_error err;
    strlist *walked = NULL;
    char **inputs;
    int ninputs, status = 2;

    memset(&rn, 0, sizeof rn);
    pthread_mutex_init(&rn.skip_mu, NULL);
    pthread_mutex_init(&rn.stat_mu, NULL);
    rn.batch = DEFAULT_BATCH;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    rn.nthreads = ncpu > 0 ? (int)(ncpu > DEFAULT_MAX_THREADS ? DEFAULT_MAX_THREADS : ncpu) : 2;
    status = read_options(argc, argv, &rn, &o);
    if (status)
        return status < 0 ? 0 : status;
    status = 2;
    acc_log_setup("accord-index", o.level);
    inputs = argv + optind;
    ninputs = argc - optind;
    if (!rn.index || (ninputs <= 0 && !rn.lexicon_only && !rn.compact && !rn.merge)) {
        usage(stderr);
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &rn.t0);
    rn.langs = json_object();
    rn.topics = json_object();
    ix_map_init(&rn.existing);

    /* every input must exist before anything is written */
    for (int a = 0; a < ninputs; a++) {
        struct stat sb;
        if (stat(inputs[a], &sb) != 0) {
            acc_log(ACC_LOG_ERROR, "cannot read input '%s': %s", inputs[a], strerror(errno));
            goto out;
        }
    }
    if (load_vocabulary(&rn, &o, inputs, ninputs) != 0)
        goto out;
    if ((rn.nshards ? acc_writer_open_sharded(rn.index, rn.nshards, &rn.w, &err)
                    : acc_writer_open(rn.index, &rn.w, &err)) != ACC_OK ||
        incr_load_existing(&rn, &err) != 0) {
        acc_log(ACC_LOG_ERROR, "%s", err.msg);
        goto out;
    }
    rn.nshards = acc_writer_nshards(rn.w);
    rn.fresh = acc_writer_doccount(rn.w) == 0;

    /* sources of the translation table must exist before anything is written */
    for (size_t i = 0; i < rn.nthesauri; i++)
        if (access(rn.thesauri[i], R_OK) != 0) {
            acc_log(ACC_LOG_ERROR, "cannot read thesaurus '%s': %s", rn.thesauri[i],
                    strerror(errno));
            goto out;
        }
    if (rn.synonyms && access(rn.synonyms, R_OK) != 0) {
        acc_log(ACC_LOG_ERROR, "cannot read synonyms '%s': %s", rn.synonyms, strerror(errno));
        goto out;
    }
    if (ninputs <= 0) {
        /* --lexicon, --compact or --merge alone: that, nothing else */
        status = !rn.lexicon_only || lexstep_run(&rn) == 0 ? 0 : 2;
        goto compact;
    }

    /* walk first: the number of files drives the progress bar */
    walked = walk_inputs(&rn, inputs, ninputs);
    /* unchanged jsonl files are not read at all */
    incr_skip_unchanged_files(&rn, inputs, ninputs, walked);
    rn.progress = !rn.quiet && isatty(STDERR_FILENO) && o.level < ACC_LOG_DEBUG;

    if (pipeline_run(&rn, inputs, ninputs, walked) != 0)
        goto out;
    /* the vocabulary's matchers, for searches to read rather than build */
    if (rn.vocab && acc_writer_store_topics(rn.w, rn.vocab, &err) != ACC_OK)
        acc_log(ACC_LOG_WARN, "%s (searches build the topic matchers themselves)", err.msg);
    if (incr_finish(&rn, &err) != 0) {
        acc_log(ACC_LOG_ERROR, "%s", err.msg);
        acc_writer_cancel(rn.w, NULL);
        goto out;
    }
    if (pipeline_commit(&rn, 0) != 0) {
        acc_log(ACC_LOG_ERROR, "%s", rn.write_err.msg);
        goto out;
    }
    report_progress(&rn, 1);
    rn.skipped += rn.walk_skipped; /* the threads are joined: no race */
    rn.unchanged += rn.unchanged_files_docs;
    report_summary(&rn, report_elapsed(&rn.t0));
    /* a table that cannot be built leaves the documents indexed; it fails
       the run only when this run named the sources that failed */
    status = lexstep_run(&rn) != 0 && (rn.nthesauri || rn.synonyms || rn.dict_dir) ? 2 : 0;
    {
        /* the search box's completions: with the translation table when lexstep rebuilt it,
           else on their own when due (--no-lexicon, or a table that failed); a failure leaves
           the documents indexed (/suggest scans) */
        double t = report_elapsed(&rn.t0);
        /* under --no-lexicon only when the index has none: a second commit per run would
           make a reader that follows a busy index see it modified twice in a row */
        if (!rn.completion_words &&
            acc_writer_completions_due(rn.w,
                                       rn.no_lexicon ? 0 : rn.added + rn.updated + rn.deleted)) {
            if (acc_writer_begin(rn.w, &err) != ACC_OK ||
                acc_writer_completions(rn.w, &rn.completion_words, &err) != ACC_OK ||
                acc_writer_commit(rn.w, &err) != ACC_OK) {
                acc_writer_cancel(rn.w, NULL);
                acc_log(ACC_LOG_WARN, "%s", err.msg);
                rn.completion_words = 0;
            }
        }
        if (rn.completion_words && !rn.quiet)
            acc_log(ACC_LOG_INFO, "completion table: %lu words, %.2f s", rn.completion_words,
                    report_elapsed(&rn.t0) - t);
    }
    /* a full build ends compacted (Xapian's batches leave blocks half full: the real corpus
       142 -> 90 MB), unless --no-compact, or the index is replicated (changesets) */
    if (rn.fresh && rn.added && !rn.no_compact && !rn.changesets)
        rn.compact = 1;
compact:
    if ((rn.compact || rn.merge) && status == 0) {
        unsigned long long before = 0, after = 0;
        acc_writer_close(rn.w); /* compaction reads committed databases, and swaps them */
        rn.w = NULL;
        if (rn.merge && acc_index_compact(rn.index, rn.merge, &before, &after, &err) == ACC_OK)
            acc_log(rn.quiet ? ACC_LOG_DEBUG : ACC_LOG_INFO,
                    "merged into '%s': %.1f MB (the index: %.1f MB)", rn.merge, after / 1e6,
                    before / 1e6);
        else if (rn.merge)
            status = 2;
        if (status == 0 && rn.compact &&
            acc_index_compact(rn.index, NULL, &before, &after, &err) == ACC_OK)
            acc_log(rn.quiet ? ACC_LOG_DEBUG : ACC_LOG_INFO, "compacted: %.1f MB -> %.1f MB",
                    before / 1e6, after / 1e6);
        else if (rn.compact)
            status = 2;
        if (status)
            acc_log(ACC_LOG_ERROR, "%s", err.msg);
    }
out:
    acc_writer_close(rn.w);
    walk_inputs_free(walked, ninputs);
    run_release(&rn);
    acc_lang_thread_cleanup();
    return status;
}
