/*
 * indexer/walk.h: the inputs of accord-index (walk.c). A folder is walked
 * recursively into a sorted list of file names; .accordignore patterns,
 * manifest.jsonl and sidecars are left out of the documents. Queueing turns
 * each document of an input into a job on the pipeline's queue.
 *
 * Threads: the main thread only (it walks before the workers start, and
 * queues while they run).
 */
#ifndef ACCORD_INDEXER_WALK_H
#define ACCORD_INDEXER_WALK_H

#include <stddef.h>

typedef struct run run;

/* A list of strings (file names); the list owns them. */
typedef struct strlist {
    char **v;
    size_t n;
} strlist;

/* Frees the strings of l and its array; l is empty after. */
void strlist_free(strlist *l);

/*
 * Appends to out the regular files under root, relative to it, sorted by
 * byte value (the caller owns out: strlist_free). Hidden files and folders
 * are left out, and so are folders nested deeper than 40 levels and
 * unreadable ones (with a warning). .accordignore is applied when queueing.
 */
void walk_folder(const char *root, strlist *out);

/*
 * The corpus root (or file) the documents of path come from, kept once in
 * rn->sources (borrowed: valid until the run is released).
 */
const char *walk_source(run *rn, const char *path);

/*
 * Queues every document of one input (rn->jobs): a folder's files (files:
 * walk_folder's list; manifest.jsonl read for their metadata), a single
 * file, or each record of a jsonl file (unless found unchanged by
 * incremental.c). Files of no known format are counted and reported as
 * skipped. 0, or -1 when a single-file input of no known format was given.
 */
int walk_queue_input(run *rn, const char *input, const char *source, strlist *files);

#endif
