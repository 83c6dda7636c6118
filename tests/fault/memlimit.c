/*
 * tests/fault/memlimit.c: an LD_PRELOAD shim that gives a running process a
 * memory budget, for tests of running out of memory (test_low_memory.py).
 * glibc's own limit (RLIMIT_AS) rarely bites a daemon whose malloc arenas
 * already hold their address space; this one counts what the heap hands
 * out. SIGUSR2 toggles the budget: on, it is the bytes in use then plus
 * ACC_MEMLIMIT_HEADROOM (bytes, default 1 MiB); malloc, calloc, realloc
 * and new mappings past it fail (ENOMEM), and unmapping gives the budget
 * back what it frees, as a real limit would (the daemon's reserve).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__mmap(void *, size_t, int, int, int, off_t);
extern int __munmap(void *, size_t);

static atomic_long in_use;   /* bytes handed out by the heap */
static atomic_long budget;   /* 0: no budget */
static atomic_long failures; /* allocations refused */
static long headroom = 1 << 20;

static void toggle(int sig)
{
    (void)sig;
    long b = atomic_load(&budget);
    atomic_store(&budget, b ? 0 : atomic_load(&in_use) + headroom);
}

__attribute__((constructor)) static void init(void)
{
    const char *h = getenv("ACC_MEMLIMIT_HEADROOM");
    if (h)
        headroom = atol(h);
    struct sigaction sa = {0};
    sa.sa_handler = toggle;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR2, &sa, NULL);
}

static int refuse(long more)
{
    long b = atomic_load(&budget);
    if (b && atomic_load(&in_use) + more > b) {
        atomic_fetch_add(&failures, 1);
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

static void *counted(void *p)
{
    if (p)
        atomic_fetch_add(&in_use, (long)malloc_usable_size(p));
    return p;
}

void *malloc(size_t n)
{
    return refuse((long)n) ? NULL : counted(__libc_malloc(n));
}

void *calloc(size_t a, size_t b)
{
    return refuse((long)(a * b)) ? NULL : counted(__libc_calloc(a, b));
}

void free(void *p)
{
    if (p)
        atomic_fetch_sub(&in_use, (long)malloc_usable_size(p));
    __libc_free(p);
}

void *realloc(void *p, size_t n)
{
    long old = p ? (long)malloc_usable_size(p) : 0;
    if ((long)n > old && refuse((long)n - old))
        return NULL;
    void *q = __libc_realloc(p, n);
    if (q || !n) {
        atomic_fetch_sub(&in_use, old);
        if (q)
            atomic_fetch_add(&in_use, (long)malloc_usable_size(q));
    }
    return q;
}

/* the daemon's reserve is a mapping without access: counted against the budget like the heap */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    if (prot == PROT_NONE && (flags & MAP_ANONYMOUS) && !addr) {
        if (refuse((long)len))
            return MAP_FAILED;
        void *p = __mmap(addr, len, prot, flags, fd, off);
        if (p != MAP_FAILED)
            atomic_fetch_add(&in_use, (long)len);
        return p;
    }
    return __mmap(addr, len, prot, flags, fd, off);
}

int munmap(void *addr, size_t len)
{
    int rc = __munmap(addr, len);
    if (rc == 0 && len >= (16u << 20))
        atomic_fetch_sub(&in_use, (long)len); /* a reserve given back */
    return rc;
}
