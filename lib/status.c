/* acc_status text and the caller-owned error buffer (see include/accord/status.h). */
#include "accord/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const status_text[ACC_STATUS_COUNT] = {
    [ACC_OK] = "ok",
    [ACC_EINVAL] = "invalid input",
    [ACC_ENOMEM] = "out of memory",
    [ACC_EIO] = "input/output error",
    [ACC_ENOTFOUND] = "not found",
    [ACC_EDB_NOTFOUND] = "no index at that path",
    [ACC_EDB_NOTINDEX] = "not an index",
    [ACC_EDB_LOCKED] = "index is locked by another writer",
    [ACC_EDB_CORRUPT] = "index is corrupt",
    [ACC_EDB_MODIFIED] = "index changed while reading",
    [ACC_EDB_VERSION] = "unsupported index version",
    [ACC_EQUERY] = "query failed",
    [ACC_EXAPIAN] = "search library error",
    [ACC_EINTERNAL] = "internal error",
    [ACC_EDB_NETWORK] = "a remote shard cannot be reached",
};

const char *acc_status_str(acc_status s)
{
    if ((unsigned)s >= ACC_STATUS_COUNT || !status_text[s])
        return "unknown status";
    return status_text[s];
}

acc_status acc_error_set(acc_error *err, acc_status s, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = s;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return s;
}

acc_status acc_error_prefix(acc_error *err, acc_status s, const char *fmt, ...)
{
    if (err) {
        char msg[sizeof err->msg];
        va_list ap;
        int k;
        memcpy(msg, err->msg, sizeof msg);
        msg[sizeof msg - 1] = '\0';
        va_start(ap, fmt);
        k = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        /* "<context>: <message>", cut to the buffer */
        if (k >= 0 && (size_t)k < sizeof err->msg - 1) {
            size_t at = (size_t)k, room = sizeof err->msg - at;
            const char *parts[2] = {": ", msg};
            for (int i = 0; i < 2; i++) {
                size_t len = strlen(parts[i]);
                if (len >= room)
                    len = room - 1;
                memcpy(err->msg + at, parts[i], len);
                at += len;
                room -= len;
            }
            err->msg[at] = '\0';
        }
        err->code = s;
    }
    return s;
}
