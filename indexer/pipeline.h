/*
 * indexer/pipeline.h: the pipeline of accord-index (pipeline.c). The main
 * thread queues jobs (walk.c); N worker threads turn each job into a result
 * (unchanged, skipped, or a built document); one writer thread a shard adds
 * the built documents of its shard and commits them in batches, each batch a
 * transaction.
 *
 * Invariants: both queues are bounded (QUEUE_JOBS, QUEUE_RESULTS in
 * pipeline.c), so memory does not grow with the corpus; a batch holds at
 * most rn->batch documents and about 24 MB of text (over all shards); only
 * shard s's writer thread touches shard s while the pipeline runs, and only
 * the main thread the whole index before and after.
 */
#ifndef ACCORD_INDEXER_PIPELINE_H
#define ACCORD_INDEXER_PIPELINE_H

#include <jansson.h>
#include <pthread.h>
#include <stddef.h>

#include "formats.h"
#include "walk.h"

typedef struct run run;

/* A node of a queue: a job or a result starts with one. */
typedef struct qnode {
    struct qnode *next;
} qnode;

/* A bounded blocking FIFO, safe for any number of producers and consumers. */
typedef struct queue {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    qnode *head, *tail;
    size_t n, cap;
    int closed;
} queue;

/* Initialises an empty queue of at most cap (> 0) items. */
void queue_init(queue *q, size_t cap);
/* Appends item (owned by the queue until popped), waiting while the queue is full. */
void queue_push(queue *q, qnode *item);
/* The first item (caller owns it), waiting while the queue is empty; NULL once closed and empty. */
qnode *queue_pop(queue *q);
/* No more pushes: wakes every waiting consumer. */
void queue_close(queue *q);

/*
 * A document to read: a file, or one record (line) of a jsonl file. Made by
 * the walker, freed by the worker that takes it.
 */
typedef struct job {
    qnode node; /* first: a job is a qnode */
    char *path; /* file, or the jsonl file of a record (owned) */
    unsigned long lineno;
    char *id; /* files: from the path; records: NULL until parsed (owned) */
    ix_kind kind;
    ix_comp comp;
    const char *source; /* the input it came from (borrowed from rn->sources) */
    json_t *manifest;   /* the manifest entry (a reference), or NULL */
    const char *origin; /* records: the real path of their jsonl file (borrowed from rn) */
    char *line;         /* records: the JSON line (owned) */
    size_t line_len;
    unsigned long long size; /* files: size and mtime when walked (the stamp) */
    long long mtime_ns;
} job;

/*
 * Runs the pipeline over the inputs (walked[i]: the files of inputs[i] when
 * it is a folder): starts rn->nthreads workers and the writer, queues every
 * document (walk_queue_input), waits until all are written. The last batch
 * is left open for the caller (incr_finish, then pipeline_commit). 0, or -1
 * when no thread could start or a write failed: the open transaction is then
 * cancelled and the error logged (rn->write_err). Main thread only.
 */
int pipeline_run(run *rn, char *const *inputs, int ninputs, const strlist *walked);

/*
 * Commits the open batch; with reopen, begins the next one. 0, or -1 with
 * rn->write_failed set and rn->write_err filled. Every shard: the main thread,
 * after the pipeline.
 */
int pipeline_commit(run *rn, int reopen);

#endif
