/*
 * indexer/report.h: what accord-index tells (report.c): the progress bar on
 * stderr (only when rn->progress), the skipped files, and the summary (text
 * on stderr unless --quiet, JSON on stdout with --json).
 */
#ifndef ACCORD_INDEXER_REPORT_H
#define ACCORD_INDEXER_REPORT_H

#include <time.h>

typedef struct run run;

/* Seconds since t0 (CLOCK_MONOTONIC). */
double report_elapsed(const struct timespec *t0);

/*
 * Draws the progress bar on stderr when rn->progress: at most every 0.2 s,
 * always when final (then ends the line). Writer thread, or the main thread
 * once the writer has ended.
 */
void report_progress(run *rn, int final);

/* Records a skipped file (copies of where and why) for the summary; any thread. */
void report_skip(run *rn, const char *where, const char *why);

/*
 * Prints the summary of the run that took secs seconds: JSON on stdout with
 * --json, text on stderr unless --quiet (the first 50 skipped files listed).
 * Main thread, after the last commit.
 */
void report_summary(run *rn, double secs);

#endif
