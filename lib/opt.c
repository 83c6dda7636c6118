/*
 * lib/opt.c: numeric option values and --version for the three programs
 * (include/accord/opt.h). One parser, so every program accepts and refuses
 * the same spellings with the same message.
 */
#include "accord/opt.h"

#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "xap.h"

#ifndef ACC_VERSION
#error "ACC_VERSION is set by lib/CMakeLists.txt from the project version"
#endif

/* longest number accepted: 18 digits cannot overflow a 64-bit unsigned long */
#define MAX_DIGITS 18

int acc_parse_uint(const char *p, size_t n, unsigned long min, unsigned long max,
                   unsigned long *out)
{
    unsigned long v = 0;
    if (n == 0 || n > MAX_DIGITS)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (unsigned long)(p[i] - '0');
    }
    if (v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

acc_status acc_opt_long(const char *name, const char *value, long min, long max, long *out,
                        acc_error *err)
{
    unsigned long u;
    assert(min >= 0 && min <= max); /* options take no negative numbers */
    if (!value ||
        acc_parse_uint(value, strlen(value), (unsigned long)min, (unsigned long)max, &u) != 0)
        goto bad;
    *out = (long)u;
    return ACC_OK;
bad:
    return acc_error_set(err, ACC_EINVAL, "invalid %s '%.64s': expected %ld-%ld", name,
                         value ? value : "", min, max);
}

acc_status acc_opt_uint(const char *name, const char *value, unsigned min, unsigned max,
                        unsigned *out, acc_error *err)
{
    long v = 0;
    acc_status st = acc_opt_long(name, value, (long)min, (long)max, &v, err);
    if (st == ACC_OK)
        *out = (unsigned)v;
    return st;
}

const char *acc_version_string(void)
{
    return ACC_VERSION;
}

void acc_opt_print_version(FILE *f, const char *program)
{
    fprintf(f, "%s (accord) %s\n", program, ACC_VERSION);
    fprintf(f, "Xapian %s, utf8proc %s\n", acc_xap_version(), utf8proc_version());
}
