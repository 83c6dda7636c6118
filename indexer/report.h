/*
 * indexer/report.h: what accord-index tells (report.c): the progress bar on
 * a terminal, the list of skipped files, and the summary of the run (text on
 * stderr, JSON on stdout with --json).
 *
 * Threads: report_progress runs on the writer thread while the pipeline
 * runs and on the main thread after it; report_skip on any thread (it locks
 * rn->skip_mu); report_summary on the main thread once no other thread runs.
 */
#ifndef ACCORD_INDEXER_REPORT_H
#define ACCORD_INDEXER_REPORT_H

#include <time.h>

typedef struct run run;

/* Seconds since t0 (CLOCK_MONOTONIC). */
double report_elapsed(const struct timespec *t0);

/*
 * Draws the progress bar on stderr when rn->progress is set: at most every
 * 0.2 s, and always when final (then with a newline).
 */
void report_progress(run *rn, int final);

/* Records a skipped file or record (where) and the reason (why), both copied, for the summary. */
void report_skip(run *rn, const char *where, const char *why);

/*
 * Prints the summary of a run that took secs seconds: JSON on stdout with
 * --json (counts, bytes, languages, topics, every skipped file), and text on
 * stderr unless --quiet (the first 50 skipped files).
 */
void report_summary(const run *rn, double secs);

#endif
