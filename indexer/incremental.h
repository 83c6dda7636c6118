/*
 * indexer/incremental.h: what changed since the last run (incremental.c).
 * Every document is indexed with a change stamp (slot ACC_SLOT_STAMP) that
 * starts with "v" ACC_INDEX_VERSION and the vocabulary's hash, so a new
 * index version or vocabulary rebuilds everything. From the stamps, a
 * document is new (no stamp), unchanged (the same stamp: not rebuilt),
 * changed (another stamp: replaced) or deleted (indexed from one of this
 * run's inputs and not seen by this run).
 *
 * Threads: incr_load_existing, incr_vocab_hash, incr_skip_unchanged_files
 * and incr_finish run on the main thread while no other thread runs;
 * incr_note_file on the main thread (the walker); the stamp functions,
 * incr_unchanged and incr_skipped_file in the workers, which only read
 * what the main thread set before they started.
 */
#ifndef ACCORD_INDEXER_INCREMENTAL_H
#define ACCORD_INDEXER_INCREMENTAL_H

#include <jansson.h>
#include <limits.h>
#include <stddef.h>
#include <sys/stat.h>

#include "accord/status.h"
#include "pipeline.h"
#include "walk.h"

typedef struct run run;

/* Bytes enough for any stamp (a record's holds the real path of its file). */
#define INCR_STAMP_MAX (PATH_MAX + 160)
/* Bytes enough for a file stamp's prefix (incr_file_prefix). */
#define INCR_PREFIX_MAX 96

/* Loads the ids, sources and stamps the index holds into rn->existing; 0, or -1 (err). */
int incr_load_existing(run *rn, acc_error *err);

/* Hashes the vocabulary file path into rn->vocab_hash (16 hex digits; of nothing when unreadable).
 */
void incr_vocab_hash(run *rn, const char *path);

/*
 * Finds the jsonl files of the inputs (single files, or listed in walked)
 * unchanged since they were last read to their end: they are not read
 * again, their records are marked seen and counted in
 * rn->unchanged_files_docs. Call after incr_load_existing, before the
 * pipeline starts.
 */
void incr_skip_unchanged_files(run *rn, char *const *inputs, int ninputs, const strlist *walked);

/* 1 when path is one of the jsonl files incr_skip_unchanged_files() found unchanged. */
int incr_skipped_file(const run *rn, const char *path);

/* The stamp of a jsonl record (its line and the file it came from) into out[0..n). */
void incr_record_stamp(const run *rn, const job *j, char *out, size_t n);

/*
 * The start of a file's stamp into out[0..n): index version, vocabulary, the
 * hash of its metadata (manifest entry, sidecar), size and mtime. A file
 * whose indexed stamp starts with it is unchanged without being read.
 */
void incr_file_prefix(const run *rn, const job *j, json_t *sidecar, char *out, size_t n);

/* A file's whole stamp into out[0..n): prefix followed by the hash of its content. */
void incr_file_stamp(const char *prefix, const char *content, size_t len, char *out, size_t n);

/*
 * 1 when the document id is indexed with this stamp (prefix_only: with a
 * stamp that starts with it), else 0.
 */
int incr_unchanged(const run *rn, const char *id, const char *stamp, int prefix_only);

/*
 * Notes that the jsonl file real (stat sb) was read to its end: its stamp is
 * written with the last commit, so that the next run skips it when
 * unchanged.
 */
void incr_note_file(run *rn, const char *real, const struct stat *sb);

/*
 * At the end of the run, in the open transaction: deletes the documents of
 * this run's sources that were not seen (unless rn->no_delete), counting
 * them in rn->deleted, and writes the stamps of the jsonl files read. 0, or
 * -1 when a delete failed (err).
 */
int incr_finish(run *rn, acc_error *err);

#endif
