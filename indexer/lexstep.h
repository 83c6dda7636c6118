/*
 * indexer/lexstep.h: the last step of a run, the index's translation table
 * (lexstep.c): rebuilt when a fiftieth of the documents changed, when the
 * run names its sources, when the index has none yet, or with --lexicon. The sources a
 * run names (--dict-dir, --thesaurus, --synonyms) are remembered in the
 * index, so that a later run without them rebuilds from the same ones.
 */
#ifndef ACCORD_INDEXER_LEXSTEP_H
#define ACCORD_INDEXER_LEXSTEP_H

typedef struct run run;

/* 0 done (or nothing to do), -1 failed (logged; the documents stay committed). */
int lexstep_run(run *rn);

#endif
