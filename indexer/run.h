/*
 * indexer/run.h: the state of one accord-index run, the one place where
 * accord-index keeps mutable state (no module has mutable file-scope
 * variables; formats.c's lock around poppler, a process-wide library, is
 * the one exception). The rooms of accord-index, each with its header:
 *   main.c         options and orchestration (the steps in order)
 *   pipeline.c     the queues, the worker threads (read, extract, describe,
 *                  build) and the writers, one a shard (batches, each a
 *                  transaction)
 *   walk.c         walking inputs, .accordignore, queueing files and records
 *   meta.c         a document's metadata from its layers (sidecar, front
 *                  matter, manifest or record, what it says, derived)
 *   incremental.c  change stamps: what is new, changed, unchanged or gone
 *   report.c       the progress bar, skipped files and the summary
 *   formats.c      reading files and their formats; idmap.c the ids indexed
 *   lexstep.c      the translation table, rebuilt after the documents
 *
 * Threads: the main thread walks the inputs and queues jobs; N workers turn
 * jobs into built documents; one writer a shard adds them to the index. Fields are
 * set by main.c before the threads start; after that each is written only by
 * the thread its comment names (the workers write nothing here), until the
 * threads are joined.
 */
#ifndef ACCORD_INDEXER_RUN_H
#define ACCORD_INDEXER_RUN_H

#include <jansson.h>
#include <pthread.h>
#include <time.h>

#include "accord/status.h"
#include "accord/topics.h"
#include "accord/writer.h"
#include "idmap.h"
#include "pipeline.h"

/* A skipped file or record and why, for the summary (both owned). */
typedef struct skip_item {
    char *path, *why;
} skip_item;

struct run {
    /* options (main.c) */
    const char *index;
    int quiet, json, no_delete, nthreads;
    unsigned batch;
    int compact;       /* --compact, or a full build (fresh) without --no-compact */
    int no_compact;    /* --no-compact */
    int changesets;    /* --changesets given: a replicated index is not rewritten */
    int fresh;         /* the index had no documents when the run began */
    const char *merge; /* --merge DEST */
    /* the translation table (lexstep.c) */
    const char *dict_dir; /* NULL: remembered, else Debian's */
    int no_dict, lexicon_only, no_lexicon;
    unsigned long completion_words; /* the completion table was rebuilt (lexstep.c): its words */
    const char **thesauri;          /* argv strings */
    size_t nthesauri;
    const char *synonyms;
    /* read-only once the workers start */
    acc_topics *vocab;
    char vocab_hash[17]; /* 16 hex digits, or "-" without a vocabulary */
    ix_map existing;     /* what the index held; `seen` flags: main, then the writer */
    char **skip_files;   /* jsonl files found unchanged before the threads start */
    size_t nskip_files;
    /* main thread (the walker) */
    char **sources; /* real paths of this run's inputs (walk_source) */
    size_t nsources;
    char **origins; /* real paths of jsonl files, shared by their jobs */
    size_t norigins;
    char **file_keys; /* metadata key/value pairs of jsonl files read to the end */
    size_t nfile_keys;
    unsigned long unchanged_files_docs; /* records of unchanged jsonl files */
    unsigned long walk_skipped, unknown;
    unsigned long long total_files;
    /* the pipeline (pipeline.c) */
    queue jobs;
    queue *results; /* one a shard */
    acc_writer *w;
    unsigned nshards; /* acc_writer_nshards(w) */
    /* writer threads, under stat_mu: statistics and the first write error */
    pthread_mutex_t stat_mu;
    unsigned long added, updated, deleted, unchanged, skipped, repaired;
    unsigned long long bytes, done_docs;
    json_t *langs, *topics; /* {code or topic id: documents} */
    int write_failed;
    acc_error write_err;
    /* any thread, under skip_mu */
    skip_item *skips;
    size_t nskips;
    pthread_mutex_t skip_mu;
    /* the progress bar (writer thread, then main) */
    struct timespec t0;
    int progress;
    double progress_last; /* when the bar was last drawn */
};

#endif
