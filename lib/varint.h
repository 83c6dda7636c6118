/*
 * lib/varint.h: unsigned LEB128 varints, as the index stores its small
 * numbers (the text map, the article headings, the record). Private to
 * libaccord.
 */
#ifndef ACCORD_LIB_VARINT_H
#define ACCORD_LIB_VARINT_H

#include <stddef.h>

#include "accord/mem.h"

static inline void acc_varint_put(acc_buf *out, unsigned long long v)
{
    while (v >= 0x80) {
        acc_buf_putc(out, (char)((v & 0x7f) | 0x80));
        v >>= 7;
    }
    acc_buf_putc(out, (char)v);
}

/* Reads a varint at s[*i] (s has n bytes) and moves *i past it: 0 when it runs past n. */
static inline int acc_varint_get(const char *s, size_t n, size_t *i, unsigned long long *v)
{
    *v = 0;
    for (int shift = 0; *i < n && shift < 64; shift += 7) {
        unsigned char c = (unsigned char)s[(*i)++];
        *v |= (unsigned long long)(c & 0x7f) << shift;
        if (!(c & 0x80))
            return 1;
    }
    return 0;
}

#endif
