/*
 * indexer/incremental.h: what changed since the last run (incremental.c).
 * Every document is indexed with a change stamp (slot ACC_SLOT_STAMP) that
 * starts with ACC_INDEX_VERSION and the vocabulary's hash, so a new index
 * version or vocabulary rebuilds everything. A file is new (no stamp),
 * unchanged (same stamp: not rebuilt, often not even read), changed (another
 * stamp: replaced) or deleted (indexed from one of this run's inputs, not
 * seen in it).
 *
 * Threads: incr_load_existing, incr_vocab_hash, incr_skip_unchanged_files
 * run on the main thread before the workers start; incr_record_stamp,
 * incr_file_prefix, incr_unchanged and incr_skipped_file only read the run
 * (workers and the main thread); incr_note_file is the main thread's
 * (queueing); incr_finish runs once every thread has ended.
 */
#ifndef ACCORD_INDEXER_INCREMENTAL_H
#define ACCORD_INDEXER_INCREMENTAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "accord/status.h"
#include "pipeline.h"
#include "walk.h"

typedef struct run run;

/* The FNV-1a 64-bit hash of p[0..n), continuing from h (start: INCR_FNV_INIT). */
#define INCR_FNV_INIT 1469598103934665603ull
uint64_t incr_fnv1a(const void *p, size_t n, uint64_t h);

/* Writes to out[0..n) the stamp of a jsonl record (its line's hash and the file it came from). */
void incr_record_stamp(const run *rn, const job *j, char *out, size_t n);

/*
 * Writes to out[0..n) the start of a file's stamp: version, vocabulary,
 * metadata hash (manifest entry and sidecar, which may be NULL), size and
 * mtime; the content's hash is appended once the file is read.
 */
void incr_file_prefix(const run *rn, const job *j, json_t *sidecar, char *out, size_t n);

/*
 * 1 when the document id is in the index with this stamp (prefix_only: with
 * a stamp that starts with it), else 0.
 */
int incr_unchanged(const run *rn, const char *id, const char *stamp, int prefix_only);

/*
 * Records the stamp of a jsonl file read to its end (real: its real path;
 * sb: its stat); incr_finish writes it to the index metadata.
 */
void incr_note_file(run *rn, const char *real, const struct stat *sb);

/*
 * Finds the jsonl files of the inputs (walked[i]: the files of inputs[i]
 * when it is a folder) unchanged since they were last read to the end: they
 * are not read again, their records are marked seen and counted in
 * rn->unchanged_files_docs.
 */
void incr_skip_unchanged_files(run *rn, char **inputs, int ninputs, const strlist *walked);

/* 1 when path is one of the files incr_skip_unchanged_files found unchanged, else 0. */
int incr_skipped_file(const run *rn, const char *path);

/* Loads the ids, sources and stamps of the index into rn->existing; 0, or -1 (err). */
int incr_load_existing(run *rn, acc_error *err);

/* Hashes the vocabulary file at path into rn->vocab_hash (an unreadable file hashes as empty). */
void incr_vocab_hash(run *rn, const char *path);

/*
 * Deletes the documents of this run's inputs that were not seen (unless
 * --no-delete), and records the stamps of the jsonl files read to the end;
 * inside the open transaction. 0, or -1 when a deletion failed (err).
 */
int incr_finish(run *rn, acc_error *err);

#endif
