/*
 * Allocation that never returns NULL, and a growable byte buffer.
 *
 * acc_xmalloc() and friends print a message and abort on exhaustion: every
 * caller in accord would otherwise need an error path it cannot test. Plain
 * malloc() is called nowhere else in libaccord.
 */
#ifndef ACCORD_MEM_H
#define ACCORD_MEM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

void *acc_xmalloc(size_t n);
void *acc_xcalloc(size_t nmemb, size_t size);
void *acc_xrealloc(void *p, size_t n);
char *acc_xstrdup(const char *s);
/* Copies p[0..n) and NUL-terminates it (caller frees). */
char *acc_xstrndup(const char *p, size_t n);

/*
 * A reserve against running out of memory, for a daemon that must answer
 * rather than abort. acc_mem_reserve(n) sets n bytes of address space aside
 * (mapped without access: no RAM is used). When an allocation fails (a
 * process limit such as RLIMIT_AS reached), the reserve is given back to
 * the system and the allocation tried again, so the work in progress
 * finishes; from then on acc_mem_low() is 1 until acc_mem_reserve()
 * succeeds again (the caller refuses new work meanwhile). Without a
 * reserve, or when the retry fails too, the allocators abort as before.
 * acc_mem_give_back() gives the reserve back now (1 if there was one): the
 * hook for other allocators (jansson's, C++ new). Thread-safe.
 */
int acc_mem_reserve(size_t n);
int acc_mem_low(void);
int acc_mem_give_back(void);
/* malloc that gives the reserve back on failure, but may return NULL (jansson's allocator) */
void *acc_mem_try_malloc(size_t n);

/*
 * The one byte hash of accord (64-bit FNV-1a): hash maps, the answer cache,
 * change stamps. Continues from h: ACC_FNV_INIT to start.
 */
#define ACC_FNV_INIT 1469598103934665603ull
uint64_t acc_fnv1a(const void *p, size_t n, uint64_t h);
/*
 * A hash of long inputs (fingerprints of whole tables) that reads 8 bytes at
 * a time: about 1 instruction a byte against FNV-1a's 5. Not a hash-map hash
 * (acc_fnv1a is, for short keys). Continues from h: ACC_FNV_INIT to start.
 */
uint64_t acc_hash_words(const void *p, size_t n, uint64_t h);

/*
 * A growable byte buffer that is always NUL-terminated once anything was
 * appended. `cap` is a hard limit in bytes (0 = unlimited): an append that
 * would pass it fails and sets `toobig`, leaving the contents unchanged.
 */
typedef struct acc_buf {
    char *p;
    size_t n;
    size_t alloc;
    size_t cap;
    int toobig;
} acc_buf;

void acc_buf_init(acc_buf *b, size_t cap);
void acc_buf_release(acc_buf *b);
void acc_buf_reset(acc_buf *b);
/* Returns 0 on success, -1 when the cap would be exceeded. */
int acc_buf_append(acc_buf *b, const void *p, size_t n);
/* Room for n more bytes (and a NUL) at the end of b: where they go (b->n unchanged; the caller
   writes them and moves b->n), NULL past the cap (toobig set). */
char *acc_buf_room(acc_buf *b, size_t n);
/* Appends the whole of the file at path to b; -1 when it cannot be read or holds more than
   max bytes (b then holds what was read). */
int acc_buf_read_file(acc_buf *b, const char *path, size_t max);
/* One byte (inline: the byte loops of normalising, parsing and escaping call it per byte). */
static inline int acc_buf_putc(acc_buf *b, char c)
{
    if (b->n + 1 < b->alloc && (!b->cap || b->n < b->cap)) {
        b->p[b->n++] = c;
        b->p[b->n] = '\0';
        return 0;
    }
    return acc_buf_append(b, &c, 1);
}
int acc_buf_printf(acc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the contents to the caller (caller frees) and resets b. Never NULL. */
char *acc_buf_detach(acc_buf *b, size_t *len);

#ifdef __cplusplus
}
#endif

#endif
