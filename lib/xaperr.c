/*
 * lib/xaperr.c: what the Xapian layer's errors say (lib/xap.h). The layer names what went wrong,
 * a status and Xapian's own words; the wording for the user is decided here.
 */
#include <sys/stat.h>

#include "xap.h"

acc_status acc_xap_said(acc_error *err, acc_status code, const char *type, const char *msg,
                        const char *why)
{
    msg = msg ? msg : "";
    switch (code) {
    case ACC_EDB_LOCKED:
        return acc_error_set(err, code, "index is locked by another accord-index (%s)", msg);
    case ACC_EDB_NOTFOUND:
        return acc_error_set(err, code, "no index there (%s)", msg);
    case ACC_EDB_VERSION:
        return acc_error_set(err, code, "unsupported index format (%s)", msg);
    case ACC_EDB_CORRUPT:
        return acc_error_set(err, code, "index is corrupt (%s)", msg);
    case ACC_EDB_MODIFIED:
        return acc_error_set(err, code, "index changed while reading (%s)", msg);
    case ACC_EDB_NOTINDEX:
        return acc_error_set(err, code, "not an accord index (%s)", msg);
    case ACC_EDB_NETWORK:
        return acc_error_set(err, code, "a remote shard cannot be reached (%s)", msg);
    case ACC_EINVAL:
        return acc_error_set(err, code, "query parser: %s", msg);
    case ACC_ENOMEM:
        return acc_error_set(err, code, "out of memory");
    case ACC_EINTERNAL:
        return type ? acc_error_set(err, code, "unexpected error: %s", msg)
                    : acc_error_set(err, code, "unexpected unknown exception");
    case ACC_EXAPIAN:
        /* why: the system's words ("No space left on device") */
        return acc_error_set(err, code, "%s: %s%s%s", type ? type : "Xapian", msg,
                             why && *why ? ": " : "", why && *why ? why : "");
    default: /* ACC_EQUERY, ACC_ENOTFOUND: Xapian's words are the user's */
        return acc_error_set(err, code, "%s", msg);
    }
}

acc_status acc_xap_said_missing(acc_error *err, const char *path, const char *msg)
{
    /* Xapian says "not found" for an existing directory without an index too */
    struct stat sb;
    if (stat(path, &sb) == 0)
        return acc_error_set(err, ACC_EDB_NOTINDEX, "not an accord index (%s)", msg);
    return acc_error_set(err, ACC_EDB_NOTFOUND, "no such index (%s)", msg);
}
