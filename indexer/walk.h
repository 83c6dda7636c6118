/*
 * indexer/walk.h: the inputs of accord-index (walk.c). An input is a corpus
 * root (a folder, walked recursively) or a single file. The walk runs twice
 * over the same lists: first walk_inputs() lists every folder's files (their
 * count drives the progress bar, and incremental.c looks for unchanged jsonl
 * files in them), then walk_queue_input() turns each listed file into jobs on
 * the pipeline's queue.
 *
 * Invariants: a file list is sorted (strcmp), its names relative to their
 * root, without hidden files or folders; a folder's .accordignore patterns,
 * manifest.jsonl and sidecar .json files are applied when queueing, not when
 * listing. Every function here runs on the main thread only.
 */
#ifndef ACCORD_INDEXER_WALK_H
#define ACCORD_INDEXER_WALK_H

#include <stddef.h>

typedef struct run run;

/* A list of strings (file names), owned by the list. */
typedef struct strlist {
    char **v;
    size_t n;
} strlist;

/* Frees the strings and the array; *l is left empty (reusable). */
void walk_list_free(strlist *l);

/*
 * Lists the files of every input: out[i] holds those of inputs[i] when it is
 * a folder (relative paths, sorted), and is empty otherwise. Adds the number
 * of files (a single file counts one) to rn->total_files. Unreadable folders
 * are warnings, not errors. Returns the ninputs lists (caller frees with
 * walk_inputs_free).
 */
strlist *walk_inputs(run *rn, char *const *inputs, int ninputs);
/* Frees what walk_inputs() returned; NULL is accepted. */
void walk_inputs_free(strlist *walked, int ninputs);

/*
 * The corpus root (or file) the documents of path come from, as its real
 * path when it has one: recorded once in rn->sources (borrowed from rn:
 * valid until the run is released). Only this run's sources are considered
 * for deletions.
 */
const char *walk_source(run *rn, const char *path);

/*
 * Queues every document of one input on rn->jobs (blocking while the queue
 * is full, so the workers must be running): a single file, or every listed
 * file of a folder (files: its walk_inputs() list) that is not ignored, not
 * manifest.jsonl, not a sidecar and not a jsonl file found unchanged
 * (incr_skipped_file). jsonl files become one job per non-blank line. Files
 * of unknown format and names that are not UTF-8 are counted as skipped.
 * 0, or -1 when input is unreadable or a single file of no known format
 * (logged).
 */
int walk_queue_input(run *rn, const char *input, const char *source, const strlist *files);

#endif
