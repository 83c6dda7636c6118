/*
 * indexer/pipeline.h: the pipeline of accord-index (pipeline.c). The main
 * thread queues jobs (walk.c); N workers turn each job into a result
 * (unchanged, skipped, or a built document); one writer adds the built
 * documents to the index in batches, each a transaction.
 *
 * Invariants: both queues are bounded (QUEUE_JOBS, QUEUE_RESULTS), so memory
 * does not grow with the corpus; a batch holds at most rn->batch documents
 * and BATCH_BYTES of text; only the writer thread touches the index between
 * pipeline_run's start and its return.
 */
#ifndef ACCORD_INDEXER_PIPELINE_H
#define ACCORD_INDEXER_PIPELINE_H

#include <jansson.h>
#include <pthread.h>
#include <stddef.h>

#include "formats.h"
#include "walk.h"

#define QUEUE_JOBS 64
#define QUEUE_RESULTS 48
#define BATCH_BYTES (24ull << 20) /* bounds the writer's memory: ~4-5 bytes per byte of text */

typedef struct run run;

/* A node of a queue: a job or a result starts with its node. */
typedef struct qnode {
    struct qnode *next;
} qnode;

/* A bounded blocking FIFO of nodes, safe for any number of threads. */
typedef struct queue {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    qnode *head, *tail;
    size_t n, cap;
    int closed;
} queue;

/* Makes q an empty open queue of at most cap (> 0) nodes. */
void queue_init(queue *q, size_t cap);
/* Appends item (the queue owns it until popped), waiting while q is full. */
void queue_push(queue *q, qnode *item);
/*
 * Removes the first node (the caller owns it), waiting while q is empty;
 * NULL once q is closed and empty.
 */
qnode *queue_pop(queue *q);
/* Closes q: no more pushes; waiting and later pops return what is left, then NULL. */
void queue_close(queue *q);

/* A document to read: a file, or one record of a jsonl file. Owned by the queue, then a worker. */
typedef struct job {
    qnode node; /* first: a job is a qnode */
    char *path; /* file, or the jsonl file of a record */
    unsigned long lineno;
    char *id; /* files: from the path; records: NULL until parsed */
    ix_kind kind;
    ix_comp comp;
    const char *source; /* borrowed from rn->sources */
    json_t *manifest;   /* the manifest entry (a reference), or NULL */
    const char *origin; /* records: the real path of their jsonl file (borrowed from rn->origins) */
    char *line;         /* records: the JSON line */
    size_t line_len;
    unsigned long long size;
    long long mtime_ns;
} job;

/*
 * Runs the pipeline over the inputs (walked[i]: the files of inputs[i] when
 * it is a folder): starts rn->nthreads workers and the writer, queues every
 * document from the calling thread, waits for the end. Statistics go to rn.
 * 0, or -1 when no thread could start or a write failed (logged; the open
 * transaction is then cancelled and rn->write_err says why).
 */
int pipeline_run(run *rn, char **inputs, int ninputs, strlist *walked);

/*
 * Commits the open batch; with reopen, begins the next. 0, or -1 with
 * rn->write_failed set and rn->write_err filled. Writer thread, or the main
 * thread once the writer has ended.
 */
int pipeline_commit(run *rn, int reopen);

#endif
