/* Program logging to stderr (include/accord/log.h). Thread-safe: one fprintf per line. */
#include "accord/log.h"

#include <stdarg.h>
#include <stdio.h>

static const char *prog_name = "accord";
static acc_log_level max_level = ACC_LOG_INFO;

void acc_log_setup(const char *prog, acc_log_level level)
{
    prog_name = prog;
    max_level = level;
}

void acc_log(acc_log_level level, const char *fmt, ...)
{
    static const char *const names[] = {"error", "warning", "info", "debug"};
    char line[1024];
    va_list ap;

    if (level > max_level)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s: %s: %s\n", prog_name, names[level], line);
}
