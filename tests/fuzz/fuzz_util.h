/*
 * tests/fuzz/fuzz_util.h: what the libFuzzer targets share: the languages an
 * input byte picks from, an input cut into fields, and a small index of a
 * few documents in several languages built once per process in a temporary
 * directory (removed at exit).
 */
#ifndef ACCORD_TESTS_FUZZ_UTIL_H
#define ACCORD_TESTS_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "accord/index.h"

/* A language code for byte b: the languages accord has rules for, and some it has not. */
const char *fz_lang(uint8_t b);

/* Cuts d[0..n) at '\n' into at most max fields (the last takes the rest); returns how many.
   The fields point into d and are not NUL-terminated: see fz_dup. */
size_t fz_split(const uint8_t *d, size_t n, const char **f, size_t *len, size_t max);

/* A NUL-terminated copy of p[0..n) (caller frees). */
char *fz_dup(const char *p, size_t n);

/* The small index, opened for reading (built on first call; aborts when it cannot be). */
acc_index *fz_index(void);

/* Its directory (built on first call). */
const char *fz_index_path(void);

#endif
