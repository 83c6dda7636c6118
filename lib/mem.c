/*
 * Aborting allocators and the capped growable buffer (include/accord/mem.h).
 * Invariant of acc_buf: when alloc > 0, p[n] == '\0'.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE */
#include "accord/mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

static void oom(size_t n)
{
    fprintf(stderr, "accord: out of memory allocating %zu bytes\n", n);
    abort();
}

/* the reserve (acc_mem_reserve): an inaccessible mapping, given back on the first failure */
static _Atomic(void *) reserve;
static atomic_size_t reserve_len;
static atomic_int low;

int acc_mem_reserve(size_t n)
{
    if (atomic_load(&reserve))
        return 0;
    void *p = mmap(NULL, n, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return -1;
    void *none = NULL;
    if (!atomic_compare_exchange_strong(&reserve, &none, p)) {
        munmap(p, n); /* another thread set one aside first */
        return 0;
    }
    atomic_store(&reserve_len, n);
    atomic_store(&low, 0);
    return 0;
}

int acc_mem_low(void)
{
    return atomic_load(&low);
}

int acc_mem_give_back(void)
{
    void *p = atomic_exchange(&reserve, NULL);
    if (!p)
        return 0;
    atomic_store(&low, 1);
    munmap(p, atomic_load(&reserve_len));
    return 1;
}

void *acc_mem_try_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    while (!p && acc_mem_give_back())
        p = malloc(n ? n : 1);
    return p;
}

/*
 * Out of memory with the reserve given back already: other threads' work gives memory back as
 * it ends (a daemon's requests end within their time limit, and new ones wait while memory is
 * low), so an allocation that cannot fail waits for it, OOM_WAIT_STEPS times OOM_WAIT_NS,
 * before the process gives up. 1 while it may try again.
 */
#define OOM_WAIT_STEPS 60
#define OOM_WAIT_NS 50000000L /* 60 x 50 ms: 3 s, past a search's 2 s limit */
static int oom_wait(int *step, size_t n)
{
    /* what no memory given back could make room for (1 TiB, or a size gone wrong): at once */
    if (n >= (size_t)1 << 40 || (*step)++ >= OOM_WAIT_STEPS)
        return 0;
    nanosleep(&(struct timespec){0, OOM_WAIT_NS}, NULL);
    return 1;
}

void *acc_xmalloc(size_t n)
{
    void *p = acc_mem_try_malloc(n);
    for (int step = 0; !p && oom_wait(&step, n);)
        p = acc_mem_try_malloc(n);
    if (!p)
        oom(n);
    return p;
}

void *acc_xcalloc(size_t nmemb, size_t size)
{
    void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
    const size_t n = size && nmemb > SIZE_MAX / size ? SIZE_MAX : nmemb * size;
    for (int step = 0; !p && (acc_mem_give_back() || oom_wait(&step, n));)
        p = calloc(nmemb ? nmemb : 1, size ? size : 1);
    if (!p)
        oom(nmemb * size);
    return p;
}

void *acc_xrealloc(void *p, size_t n)
{
    /* a failed realloc leaves p as it was: tried again with it (through an integer, which
       GCC's -Wuse-after-free cannot tell from a use after a successful one) */
    const uintptr_t old = (uintptr_t)p;
    void *q = realloc(p, n ? n : 1);
    for (int step = 0; !q && (acc_mem_give_back() || oom_wait(&step, n));)
        q = realloc((void *)old, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *acc_xstrdup(const char *s)
{
    return acc_xstrndup(s, strlen(s));
}

char *acc_xstrndup(const char *p, size_t n)
{
    char *s = acc_xmalloc(n + 1);
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

void acc_buf_init(acc_buf *b, size_t cap)
{
    memset(b, 0, sizeof *b);
    b->cap = cap;
}

void acc_buf_release(acc_buf *b)
{
    free(b->p);
    acc_buf_init(b, b->cap);
}

void acc_buf_reset(acc_buf *b)
{
    b->n = 0;
    b->toobig = 0;
    if (b->p)
        b->p[0] = '\0';
}

char *acc_buf_room(acc_buf *b, size_t n)
{
    if (b->cap && (n > b->cap || b->n > b->cap - n)) {
        b->toobig = 1;
        return NULL;
    }
    if (b->n + n + 1 > b->alloc) {
        size_t want = b->alloc ? b->alloc : 64;
        while (want < b->n + n + 1)
            want *= 2;
        b->p = acc_xrealloc(b->p, want);
        b->alloc = want;
    }
    return b->p + b->n;
}

int acc_buf_append(acc_buf *b, const void *p, size_t n)
{
    if (!acc_buf_room(b, n))
        return -1;
    if (n)
        memcpy(b->p + b->n, p, n);
    b->n += n;
    b->p[b->n] = '\0';
    return 0;
}

int acc_buf_printf(acc_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    int len;

    va_start(ap, fmt);
    len = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (len < 0)
        return -1;
    if ((size_t)len < sizeof small)
        return acc_buf_append(b, small, (size_t)len);

    char *big = acc_xmalloc((size_t)len + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)len + 1, fmt, ap);
    va_end(ap);
    int rc = acc_buf_append(b, big, (size_t)len);
    free(big);
    return rc;
}

char *acc_buf_detach(acc_buf *b, size_t *len)
{
    char *p = b->p ? b->p : acc_xstrdup("");
    if (len)
        *len = b->p ? b->n : 0;
    acc_buf_init(b, b->cap);
    return p;
}

uint64_t acc_fnv1a(const void *p, size_t n, uint64_t h)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ull;
    }
    return h;
}

uint64_t acc_hash_words(const void *p, size_t n, uint64_t h)
{
    const unsigned char *s = p;
    const uint64_t k = 0x9E3779B97F4A7C15ull; /* 2^64 / golden ratio, odd */
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * k;
        h ^= h >> 29;
    }
    /* the tail, and the length, so that "a" and "a\0" differ: byte j of the tail at bits
       8j + 8 (little-endian: one memcpy) */
    uint64_t t = 0;
    memcpy(&t, s + i, n - i);
    uint64_t w = (uint64_t)n ^ (t << 8);
    h = (h ^ w) * k;
    return h ^ (h >> 32);
}

int acc_buf_read_file(acc_buf *b, const char *path, size_t max)
{
    FILE *f = fopen(path, "rbe");
    struct stat sb;
    if (!f)
        return -1;
    int ok = 1;
    /* a regular file: sized once for what it holds now (it may still change while read) */
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode)) {
        ok = (unsigned long long)sb.st_size <= max;
        if (ok)
            acc_buf_room(b, (size_t)sb.st_size);
    }
    size_t k, total = 0;
    char *at;
    while (ok && (at = acc_buf_room(b, 65536)) != NULL && (k = fread(at, 1, 65536, f)) > 0) {
        b->n += k;
        total += k;
        ok = total <= max;
    }
    ok = ok && !ferror(f) && !b->toobig;
    fclose(f);
    if (b->p)
        b->p[b->n] = '\0';
    return ok ? 0 : -1;
}
