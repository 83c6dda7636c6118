/*
 * indexer/run.h: the state of one accord-index run. The rooms of
 * accord-index, each with its header:
 *   main.c         options and orchestration
 *   pipeline.c     the queues, the worker threads (read, extract, describe,
 *                  build) and the single writer (batches, each a transaction)
 *   walk.c         walking inputs, .accordignore, queueing files and records
 *   meta.c         a document's metadata from its layers (sidecar, front
 *                  matter, manifest or record, what it says, derived)
 *   incremental.c  change stamps: what is new, changed, unchanged or gone
 *   report.c       the progress bar, skipped files and the summary
 *   formats.c      reading files; idmap.c the ids already indexed
 *
 * Threads: the main thread walks the inputs and queues jobs; N workers turn
 * jobs into built documents; one writer adds them to the index. All mutable
 * state of a run is in struct run (the rooms keep none of their own): fields
 * are set by main.c before the threads start, then written only by the
 * thread the comment next to them names.
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

/* A skipped file and why, for the summary (both owned). */
typedef struct skip_item {
    char *path, *why;
} skip_item;

typedef struct run run;
struct run {
    /* options */
    const char *index;
    int quiet, json, no_delete, nthreads;
    unsigned batch;
    /* shared, read-only once workers start */
    acc_topics *vocab;
    char vocab_hash[17];
    ix_map existing; /* the index's ids and stamps; `seen` flags: the writer's */
    char **sources;  /* corpus roots and files of this run (walk_source) */
    size_t nsources;
    char **origins; /* real paths of jsonl files, shared by their jobs */
    size_t norigins;
    char **file_keys; /* metadata key/value pairs of jsonl files read to the end */
    size_t nfile_keys;
    unsigned long unchanged_files_docs; /* records of unchanged jsonl files */
    char **skip_files;                  /* jsonl files found unchanged before the threads start */
    size_t nskip_files;
    /* pipeline */
    queue jobs, results;
    acc_writer *w;
    /* writer-side statistics */
    unsigned long added, updated, deleted, unchanged, skipped, repaired;
    unsigned long walk_skipped, unknown; /* counted by the walking (main) thread */
    unsigned long long bytes, done_docs, total_files;
    json_t *langs, *topics;
    skip_item *skips;
    size_t nskips;
    pthread_mutex_t skip_mu; /* skips are added by the writer and the walker */
    int write_failed;
    acc_error write_err;
    struct timespec t0;
    int progress;
    double progress_last; /* when the bar was last drawn (writer thread) */
};

#endif
