/*
 * Command-line helpers shared by accord-index, accord-search and
 * accord-searchd: the one parser of numeric option values and the one way
 * every program answers --version.
 *
 * Thread-safety: all functions are reentrant (no shared state).
 */
#ifndef ACCORD_OPT_H
#define ACCORD_OPT_H

#include <stddef.h>
#include <stdio.h>

#include "accord/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The one parser of whole numbers in accord (options, HTTP parameters):
 * p[0..n) must be 1 to 18 decimal digits (no sign, no space) with a value in
 * [min, max]. 0 and *out set, or -1.
 */
int acc_parse_uint(const char *p, size_t n, unsigned long min, unsigned long max,
                   unsigned long *out);

/*
 * Parses an option's value (acc_parse_uint) in [min, max] into *out
 * (0 <= min <= max: options take no negative numbers). `name` is the option
 * as the user typed it ("--port"), for the message. On bad input (NULL,
 * empty, not digits, out of range) *out is unchanged and ACC_EINVAL is
 * returned with the message "invalid --port 'x': expected 0-65535".
 */
acc_status acc_opt_long(const char *name, const char *value, long min, long max, long *out,
                        acc_error *err);

/* acc_opt_long() for an unsigned destination (min >= 0, max <= UINT_MAX). */
acc_status acc_opt_uint(const char *name, const char *value, unsigned min, unsigned max,
                        unsigned *out, acc_error *err);

/* accord's version ("0.2.0"); a static string. */
const char *acc_version_string(void);

/*
 * Prints what `PROGRAM --version` prints, the same for all three programs:
 * "accord-search (accord) 0.2.0" then the versions of the libraries it runs
 * on (Xapian, utf8proc). Never fails.
 */
void acc_opt_print_version(FILE *f, const char *program);

#ifdef __cplusplus
}
#endif

#endif
