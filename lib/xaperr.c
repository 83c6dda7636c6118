/*
 * lib/xaperr.c: what the Xapian layer's errors are and say (lib/xap.h). The layer hands over
 * Xapian's own words: the class of the error, its message, the system's reason; which status
 * that is, and the wording for the user, are decided here.
 */
#include <string.h>
#include <sys/stat.h>

#include "xap.h"

/* Xapian's error classes (Error::get_type(): the most derived class) that are a status of
   their own; any other is ACC_EXAPIAN */
static const struct {
    const char *type;
    acc_status code;
} kinds[] = {
    {"DatabaseLockError", ACC_EDB_LOCKED},
    {"DatabaseNotFoundError", ACC_EDB_NOTFOUND},
    {"DatabaseVersionError", ACC_EDB_VERSION},
    {"DatabaseCorruptError", ACC_EDB_CORRUPT},
    {"DatabaseModifiedError", ACC_EDB_MODIFIED},
    {"DatabaseOpeningError", ACC_EDB_NOTINDEX}, /* its other subclasses are above */
    {"NetworkError", ACC_EDB_NETWORK},
    {"NetworkTimeoutError", ACC_EDB_NETWORK}, /* a NetworkError */
    {"QueryParserError", ACC_EINVAL},
    {"WildcardError", ACC_EQUERY},
    {"DocNotFoundError", ACC_ENOTFOUND},
};

/* The statuses said as "<what> (<Xapian's message>)" */
static const struct {
    acc_status code;
    const char *what;
} words[] = {
    {ACC_EDB_LOCKED, "index is locked by another accord-index"},
    {ACC_EDB_NOTFOUND, "no index there"},
    {ACC_EDB_VERSION, "unsupported index format"},
    {ACC_EDB_CORRUPT, "index is corrupt"},
    {ACC_EDB_MODIFIED, "index changed while reading"},
    {ACC_EDB_NOTINDEX, "not an accord index"},
    {ACC_EDB_NETWORK, "a remote shard cannot be reached"},
};

acc_status acc_xap_said(acc_error *err, acc_status code, const char *type, const char *msg,
                        const char *why)
{
    msg = msg ? msg : "";
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (words[i].code == code)
            return acc_error_set(err, code, "%s (%s)", words[i].what, msg);
    switch (code) {
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

acc_status acc_xap_said_error(acc_error *err, const char *type, const char *msg, const char *why)
{
    acc_status code = ACC_EXAPIAN;
    for (size_t i = 0; type && i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i].type, type) == 0)
            code = kinds[i].code;
    return acc_xap_said(err, code, type, msg, why);
}

acc_status acc_xap_said_missing(acc_error *err, const char *path, const char *msg)
{
    /* Xapian says "not found" for an existing directory without an index too */
    struct stat sb;
    if (stat(path, &sb) == 0)
        return acc_xap_said(err, ACC_EDB_NOTINDEX, NULL, msg, NULL);
    return acc_error_set(err, ACC_EDB_NOTFOUND, "no such index (%s)", msg);
}
