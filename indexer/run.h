/*
 * indexer/run.h: the state of one accord-index run, and the interfaces
 * between the rooms of accord-index:
 *   main.c         options and orchestration
 *   pipeline.c     the queues, the worker threads (read, extract, describe,
 *                  build) and the single writer (batches, each a transaction)
 *   walk.c         walking inputs, .accordignore, queueing files and records
 *   meta.c         a document's metadata from its layers (sidecar, front
 *                  matter, manifest or record, what it says, derived)
 *   incremental.c  change stamps: what is new, changed, unchanged or gone
 *   report.c       the progress bar, skipped files and the summary
 *   formats.c      reading files (formats.h); idmap.c the ids already indexed
 *
 * Threads: the main thread walks the inputs and queues jobs; N workers turn
 * jobs into built documents; one writer adds them to the index. Queues are
 * bounded, so memory does not grow with the corpus. All mutable state is in
 * struct run: fields are set by main.c before the threads start, then written
 * only by the thread the comment next to them names.
 */
#ifndef ACCORD_INDEXER_RUN_H
#define ACCORD_INDEXER_RUN_H

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#include "accord/doc.h"
#include "accord/lang.h"
#include "accord/mem.h"
#include "accord/topics.h"
#include "accord/writer.h"
#include "formats.h"
#include "idmap.h"

#define MAX_TITLE_BYTES 300
#define QUEUE_JOBS 64
#define QUEUE_RESULTS 48
#define BATCH_BYTES (24ull << 20) /* bounds the writer's memory: ~4-5 bytes per byte of text */

/* A list of strings (file names), owned. */
typedef struct strlist {
    char **v;
    size_t n;
} strlist;

/* ------------------------------------------------------------ pipeline.c */

/* A bounded blocking queue of nodes (a job or result starts with its node). */
typedef struct qnode {
    struct qnode *next;
} qnode;

typedef struct queue {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    qnode *head, *tail;
    size_t n, cap;
    int closed;
} queue;

void q_init(queue *q, size_t cap);
/* Appends item, waiting while the queue is full. */
void q_push(queue *q, qnode *item);
/* The first item, waiting while the queue is empty; NULL once closed and empty. */
qnode *q_pop(queue *q);
void q_close(queue *q);

/* A document to read: a file, or one record of a jsonl file. */
typedef struct job {
    qnode node; /* first: a job is a qnode */
    char *path; /* file, or the jsonl file of a record */
    unsigned long lineno;
    char *id; /* files: from the path; records: NULL until parsed */
    ix_kind kind;
    ix_comp comp;
    const char *source;
    json_t *manifest;   /* the manifest entry (a reference), or NULL */
    const char *origin; /* records: the real path of their jsonl file */
    char *line;         /* records: the JSON line */
    size_t line_len;
    unsigned long long size;
    long long mtime_ns;
} job;

typedef struct skip_item {
    char *path, *why;
} skip_item;

typedef struct run {
    /* options */
    const char *index;
    int quiet, json, no_delete, nthreads;
    unsigned batch;
    /* shared, read-only once workers start */
    acc_topics *vocab;
    char vocab_hash[17];
    ix_map existing;
    char **sources;
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
} run;

/*
 * Runs the pipeline over the inputs (walked[i]: the files of inputs[i] when
 * it is a folder): starts the workers and the writer, queues every document,
 * waits for the end. 0, or -1 when a thread could not start or a write
 * failed (the open transaction is then cancelled; rn->write_err says why).
 */
int pipeline_run(run *rn, char **inputs, int ninputs, strlist *walked);
/* Commits the open batch; with reopen, starts the next. 0, or -1 (rn->write_err). */
int pipeline_commit(run *rn, int reopen);

/* ---------------------------------------------------------------- walk.c */

void list_free(strlist *l);
/* The files under root, relative to it, sorted; hidden files and folders left out. */
void walk_folder(const char *root, strlist *out);
/* The corpus root (or file) the documents of path come from: kept once in rn (borrowed). */
const char *walk_source(run *rn, const char *path);
/* Queues every document of one input (a corpus root or a file); 0, or -1 when unreadable. */
int walk_queue_input(run *rn, const char *input, const char *source, strlist *files);

/* ---------------------------------------------------------------- meta.c */

/* 1 when p[0..n) is only whitespace. */
int meta_blank(const char *p, size_t n);
/* Loads "<path>.json" when it exists: 1 loaded, 0 absent, -1 invalid (why set). */
int meta_load_sidecar(const char *path, json_t **out, char *why, size_t whylen);
/* manifest.jsonl of a corpus root as {id: record}, or NULL when absent (warnings logged). */
json_t *meta_load_manifest(const char *root);
/*
 * Fills d's title, language, date, type, url, parties, topics and work from
 * the metadata layers (highest precedence first; NULL layers skipped), what
 * is missing derived from the text (first line, detected language). title
 * receives the title's text; *parties and *topics arrays the caller frees
 * (their strings borrowed from the layers). where names the document in
 * warnings.
 */
void meta_apply(acc_doc *d, json_t *const *layers, size_t nlayers, const char *text, size_t n,
                const char *where, acc_buf *title, const char ***parties, const char ***topics);

/* --------------------------------------------------------- incremental.c */

#define FNV_INIT 1469598103934665603ull
uint64_t fnv1a(const void *p, size_t n, uint64_t h);
/* The stamp of a jsonl record (its line and the file it came from). */
void incr_record_stamp(const run *rn, const job *j, char *out, size_t n);
/* The start of a file's stamp: version, vocabulary, metadata, size, mtime (no content yet). */
void incr_file_prefix(const run *rn, const job *j, json_t *sidecar, char *out, size_t n);
/*
 * 1 when the document id was indexed with this stamp (prefix_only: with a
 * stamp that starts with it).
 */
int incr_unchanged(run *rn, const char *id, const char *stamp, int prefix_only);
/* Records the stamp of a jsonl file read to its end (written with the last commit). */
void incr_note_file(run *rn, const char *real, const struct stat *sb);
/* Finds the jsonl files of the inputs unchanged since the last run: they are not read. */
void incr_skip_unchanged_files(run *rn, char **inputs, int ninputs, const strlist *walked);
/* 1 when path is one of those files. */
int incr_skipped_file(const run *rn, const char *path);
/* Loads the ids and stamps of the index; 0, or -1 (err). */
int incr_load_existing(run *rn, acc_error *err);
/* Hashes the vocabulary file into rn->vocab_hash ("-" without one). */
void incr_vocab_hash(run *rn, const char *path);
/*
 * Deletes the documents of this run's inputs whose file or record is gone,
 * and records the stamps of the jsonl files read; 0, or -1 (err).
 */
int incr_finish(run *rn, acc_error *err);

/* -------------------------------------------------------------- report.c */

double elapsed(const struct timespec *t0);
/* Draws the progress bar on stderr (at most every 0.2 s; final: the last time). */
void report_progress(run *rn, int final);
/* Records a skipped file for the summary (writer thread or, before it starts, main). */
void report_skip(run *rn, const char *where, const char *why);
/* The summary: JSON on stdout with --json, text on stderr unless --quiet. */
void report_summary(run *rn, double secs);

#endif
