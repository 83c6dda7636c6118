/*
 * accord status codes and the caller-owned error buffer.
 *
 * Every fallible libaccord function returns an acc_status (ACC_OK == 0) and
 * takes an optional acc_error *err as its last argument. The error buffer is
 * owned by the caller; filling it never allocates, so error paths work even
 * when memory is exhausted.
 */
#ifndef ACCORD_STATUS_H
#define ACCORD_STATUS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum acc_status {
    ACC_OK = 0,
    ACC_EINVAL,       /* bad argument or bad user input (query syntax, UTF-8, range) */
    ACC_ENOMEM,       /* out of memory reported by a library (std::bad_alloc) */
    ACC_EIO,          /* reading or writing a file failed */
    ACC_ENOTFOUND,    /* a named thing (document id, file) does not exist */
    ACC_EDB_NOTFOUND, /* no index at that path */
    ACC_EDB_NOTINDEX, /* the path exists but is not a Xapian index */
    ACC_EDB_LOCKED,   /* another writer holds the index lock */
    ACC_EDB_CORRUPT,  /* the index is damaged */
    ACC_EDB_MODIFIED, /* the index changed under a reader twice in a row */
    ACC_EDB_VERSION,  /* the index format is not supported by this Xapian */
    ACC_EQUERY,       /* a query could not be run (wildcard explosion, time limit) */
    ACC_EXAPIAN,      /* any other Xapian error */
    ACC_EINTERNAL,    /* an unexpected exception or a broken invariant in a library */
    ACC_EDB_NETWORK,  /* a remote shard cannot be reached or did not answer in time */
    ACC_STATUS_COUNT
} acc_status;

typedef struct acc_error {
    acc_status code;
    char msg[256];
} acc_error;

/* A short static description of a status ("index is locked"). Never NULL. */
const char *acc_status_str(acc_status s);

/*
 * Sets err->code and formats err->msg (truncated to fit) when err is not NULL.
 * Returns s so that callers can write `return acc_error_set(err, ...)`.
 */
acc_status acc_error_set(acc_error *err, acc_status s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Puts a context in front of err's message ("cannot open index 'x': " + the
 * message a lower layer gave) and sets err->code to s; accepts NULL. Returns s.
 */
acc_status acc_error_prefix(acc_error *err, acc_status s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif

#endif
