/*
 * tests/fault/memlimit.c: an LD_PRELOAD shim that gives a running process a
 * memory budget, for tests of running out of memory (test_low_memory.py).
 * glibc's own limit (RLIMIT_AS) rarely bites a daemon whose malloc arenas
 * already hold their address space; this one counts what the heap hands
 * out. SIGUSR2 toggles the budget: on, it is the bytes in use then plus
 * ACC_MEMLIMIT_HEADROOM (bytes, default 1 MiB); malloc, calloc, realloc
 * and new mappings past it fail (ENOMEM), and unmapping gives the budget
 * back what it frees, as a real limit would (the daemon's reserve).
 * The heap is the next one in the process (dlsym RTLD_NEXT): glibc's, or the
 * allocator a program links ahead of it (accord-searchd's mimalloc), so that
 * the shim counts and refuses what that allocator hands out.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

extern void *__mmap(void *, size_t, int, int, int, off_t);
extern int __munmap(void *, size_t);

static atomic_long in_use;   /* bytes handed out by the heap */
static atomic_long budget;   /* 0: no budget */
static atomic_long failures; /* allocations refused */
static long headroom = 1 << 20;

/* the next allocator's functions, found in init() */
static void *(*next_malloc)(size_t);
static void *(*next_calloc)(size_t, size_t);
static void *(*next_realloc)(void *, size_t);
static void (*next_free)(void *);
static size_t (*next_usable)(void *);

/* allocations made before init() has found them (dlsym may allocate): from here, never freed */
static _Alignas(max_align_t) char early[64 << 10];
static atomic_size_t early_used;

static int is_early(const void *p)
{
    return (const char *)p >= early && (const char *)p < early + sizeof early;
}

static void *early_alloc(size_t n)
{
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    size_t at = atomic_fetch_add(&early_used, n);
    if (at + n > sizeof early) {
        errno = ENOMEM;
        return NULL;
    }
    return early + at; /* static storage: already zero */
}

static void find_next(void)
{
    static atomic_int finding;
    if (next_usable || atomic_exchange(&finding, 1))
        return;
    /* POSIX: a data pointer from dlsym converts to a function pointer of the right type */
    size_t (*usable)(void *);
    *(void **)&next_malloc = dlsym(RTLD_NEXT, "malloc");
    *(void **)&next_calloc = dlsym(RTLD_NEXT, "calloc");
    *(void **)&next_realloc = dlsym(RTLD_NEXT, "realloc");
    *(void **)&next_free = dlsym(RTLD_NEXT, "free");
    *(void **)&usable = dlsym(RTLD_NEXT, "malloc_usable_size");
    if (!next_malloc || !next_calloc || !next_realloc || !next_free || !usable)
        abort();
    next_usable = usable;
}

static size_t usable_size(void *p)
{
    return is_early(p) ? 0 : next_usable(p);
}

static void toggle(int sig)
{
    (void)sig;
    long b = atomic_load(&budget);
    atomic_store(&budget, b ? 0 : atomic_load(&in_use) + headroom);
}

__attribute__((constructor)) static void init(void)
{
    find_next();
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
        atomic_fetch_add(&in_use, (long)usable_size(p));
    return p;
}

void *malloc(size_t n)
{
    find_next();
    if (!next_usable)
        return early_alloc(n);
    return refuse((long)n) ? NULL : counted(next_malloc(n));
}

void *calloc(size_t a, size_t b)
{
    find_next();
    if (!next_usable)
        return b && a > SIZE_MAX / b ? NULL : early_alloc(a * b);
    return refuse((long)(a * b)) ? NULL : counted(next_calloc(a, b));
}

void free(void *p)
{
    if (!p || is_early(p))
        return;
    atomic_fetch_sub(&in_use, (long)next_usable(p));
    next_free(p);
}

void *realloc(void *p, size_t n)
{
    find_next();
    if (!next_usable || is_early(p)) {
        /* rare: a block of the early arena grows (its old size is not kept: copy what fits) */
        void *q = next_usable ? malloc(n) : early_alloc(n);
        if (q && p) {
            size_t room = (size_t)(early + sizeof early - (char *)p);
            memcpy(q, p, n < room ? n : room);
        }
        return q;
    }
    long old = p ? (long)next_usable(p) : 0;
    if ((long)n > old && refuse((long)n - old))
        return NULL;
    void *q = next_realloc(p, n);
    if (q || !n) {
        atomic_fetch_sub(&in_use, old);
        if (q)
            atomic_fetch_add(&in_use, (long)next_usable(q));
    }
    return q;
}

/*
 * The daemon's reserve is a mapping without access (64 MiB, lib/mem.c): counted against the
 * budget like the heap, and given back when that mapping is unmapped. The mappings counted are
 * remembered, so that an allocator's own (mimalloc reserves and returns segments of 32 MiB)
 * move nothing when unmapped.
 */
#define RESERVE_MIN (16u << 20)
#define MAX_COUNTED 16
static _Atomic(void *) counted_at[MAX_COUNTED];
static atomic_size_t counted_len[MAX_COUNTED];

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    if (prot == PROT_NONE && (flags & MAP_ANONYMOUS) && !addr && len >= RESERVE_MIN) {
        if (refuse((long)len))
            return MAP_FAILED;
        void *p = __mmap(addr, len, prot, flags, fd, off);
        if (p == MAP_FAILED)
            return p;
        for (int i = 0; i < MAX_COUNTED; i++) {
            void *none = NULL;
            if (atomic_compare_exchange_strong(&counted_at[i], &none, p)) {
                atomic_store(&counted_len[i], len);
                atomic_fetch_add(&in_use, (long)len);
                break;
            }
        }
        return p;
    }
    return __mmap(addr, len, prot, flags, fd, off);
}

int munmap(void *addr, size_t len)
{
    int rc = __munmap(addr, len);
    if (rc != 0 || !addr)
        return rc;
    for (int i = 0; i < MAX_COUNTED; i++) {
        void *at = addr;
        if (atomic_load(&counted_at[i]) == addr) {
            size_t n = atomic_load(&counted_len[i]);
            if (atomic_compare_exchange_strong(&counted_at[i], &at, NULL))
                atomic_fetch_sub(&in_use, (long)n); /* a reserve given back */
            break;
        }
    }
    return rc;
}
