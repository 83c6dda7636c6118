/*
 * Fixtures of the engine modules' unit tests (tests/unit/fixture.c): a
 * temporary directory per test program, files written into it, and small
 * indexes built there through the public writer (acc_docbuild +
 * acc_writer_write), so that a test sees documents exactly as accord-index
 * writes them. Failures are cmocka failures of the calling test.
 */
#ifndef ACCORD_TESTS_FIXTURE_H
#define ACCORD_TESTS_FIXTURE_H

#include <stddef.h>

#include "accord/index.h"
#include "accord/topics.h"
#include "accord/writer.h"

/* A document to index: NULL or "" fields are left out; lists end with NULL. */
typedef struct fx_doc {
    const char *id;
    const char *lang;
    const char *title;
    const char *text;
    const char *date;
    const char *type;
    const char *parties[8];
    const char *topics[8];
    const char *work;
} fx_doc;

/* Creates the program's temporary directory (cmocka group setup); 0 on success. */
int fx_setup(const char *name);
/* Removes it and everything in it (group teardown); 0 on success. */
int fx_teardown(void);

/* tmpdir/name into out[0..n). */
void fx_path(char *out, size_t n, const char *name);

/* Writes content to tmpdir/name; its path into out[0..n). */
void fx_write_file(const char *name, const char *content, char *out, size_t n);

/* Builds d (with vocab, may be NULL) and writes it with w. */
void fx_put(acc_writer *w, const fx_doc *d, const acc_topics *vocab);

/* A new index tmpdir/name with docs[0..n), committed; its path into path[0..plen). */
void fx_index(const char *name, const fx_doc *docs, size_t n, char *path, size_t plen);

/* fx_index, then opened for reading (caller closes). */
acc_index *fx_open(const char *name, const fx_doc *docs, size_t n);

/* dictd's base64 number of v into out (at least 12 bytes). */
void fx_b64(unsigned long v, char *out);

/*
 * Writes dir/freedict-<pair>.index and .dict.dz (gzip) with entries[0..n),
 * each named by heads[i] (NULL heads: the entry's first word).
 */
void fx_write_dictd(const char *dir, const char *pair, const char *const *heads,
                    const char *const *entries, size_t n);

#endif
