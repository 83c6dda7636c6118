/*
 * tests/fault/enospc.c: an LD_PRELOAD shim that makes the disk "fill up".
 * Writes to files whose path starts with $ACC_FAULT_PATH succeed until
 * $ACC_FAULT_BYTES bytes have been written to them, then write, pwrite,
 * writev, fsync and fdatasync on such files fail with ENOSPC, as they do on
 * a full file system. Other files (stdout, stderr, sockets) are untouched.
 * Used by tests/fault/test_disk_full.sh.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static atomic_llong written;

static int watched(int fd)
{
    const char *prefix = getenv("ACC_FAULT_PATH");
    char link[64], path[PATH_MAX];
    if (!prefix || !*prefix || fd < 0)
        return 0;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n <= 0)
        return 0;
    path[n] = '\0';
    return strncmp(path, prefix, strlen(prefix)) == 0;
}

/* 1 when a write of n bytes to fd must fail */
static int full(int fd, size_t n)
{
    if (!watched(fd))
        return 0;
    const char *b = getenv("ACC_FAULT_BYTES");
    long long budget = b ? atoll(b) : 0;
    if (atomic_fetch_add(&written, (long long)n) + (long long)n > budget) {
        errno = ENOSPC;
        return 1;
    }
    return 0;
}

/* the C library's own function of that name */
#define REAL(name)                                                                                 \
    static __typeof__(&name) real_##name;                                                          \
    if (!real_##name)                                                                              \
    *(void **)&real_##name = dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void *p, size_t n)
{
    REAL(write);
    if (full(fd, n))
        return -1;
    return real_write(fd, p, n);
}

ssize_t pwrite(int fd, const void *p, size_t n, off_t off)
{
    REAL(pwrite);
    if (full(fd, n))
        return -1;
    return real_pwrite(fd, p, n, off);
}

ssize_t pwrite64(int fd, const void *p, size_t n, off_t off)
{
    REAL(pwrite64);
    if (full(fd, n))
        return -1;
    return real_pwrite64(fd, p, n, off);
}

ssize_t writev(int fd, const struct iovec *v, int cnt)
{
    REAL(writev);
    size_t n = 0;
    for (int i = 0; i < cnt; i++)
        n += v[i].iov_len;
    if (full(fd, n))
        return -1;
    return real_writev(fd, v, cnt);
}

int fsync(int fd)
{
    REAL(fsync);
    if (full(fd, 0))
        return -1;
    return real_fsync(fd);
}

int fdatasync(int fd)
{
    REAL(fdatasync);
    if (full(fd, 0))
        return -1;
    return real_fdatasync(fd);
}
