/*
 * lib/threads.h: running one function on several threads (private to libaccord): the
 * translation table's builders (lib/lexdicts.c, lib/lexphrase.c, lib/lextable.c).
 */
#ifndef ACCORD_LIB_THREADS_H
#define ACCORD_LIB_THREADS_H

#define ACC_THREADS_MAX 16

/* The threads to use: want, or one per processor online when 0; at most max (<=
   ACC_THREADS_MAX) and at most jobs; at least 1. */
unsigned acc_threads_for(unsigned want, unsigned max, unsigned long jobs);

/* Runs fn(arg) on n threads (n from acc_threads_for), this one among them, and returns when all
   are done; fewer when a thread cannot be started (fn shares the work out itself). */
void acc_threads_run(void *(*fn)(void *), void *arg, unsigned n);

#endif
