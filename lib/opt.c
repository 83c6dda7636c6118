/*
 * lib/opt.c: numeric option values and --version for the three programs
 * (include/accord/opt.h). One parser, so every program accepts and refuses
 * the same spellings with the same message.
 */
#include "accord/opt.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <utf8proc.h>

#include "xap.h"

#ifndef ACC_VERSION
#error "ACC_VERSION is set by lib/CMakeLists.txt from the project version"
#endif

acc_status acc_opt_long(const char *name, const char *value, long min, long max, long *out,
                        acc_error *err)
{
    char *end;
    long v;

    if (!value || !*value || (min >= 0 && (*value == '-' || *value == '+')))
        goto bad;
    errno = 0;
    v = strtol(value, &end, 10);
    if (errno || *end || v < min || v > max)
        goto bad;
    *out = v;
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
