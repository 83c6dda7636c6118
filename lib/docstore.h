/*
 * lib/docstore.h: how a document's text and article headings are stored in
 * the index, and read back (private to libaccord). The one place that knows
 * the layout of the stored text (schema.h, ACC_SLOT_TEXT...), including the
 * layout of indexes written by accord < 0.6 (index version 5: the text after
 * the record's '\n' in the document data, the articles in the record).
 *
 * Layout (index version 6):
 * - the text in chunks of about ACC_TEXT_CHUNK bytes cut after a space or a
 *   newline, each zstd-compressed in slot ACC_SLOT_TEXT + i;
 * - slot ACC_SLOT_TEXT_MAP: per chunk, varints of (first term position -
 *   the previous chunk's, byte length);
 * - slot ACC_SLOT_ARTICLES: per heading, varints of (offset - previous
 *   offset, label length), then the label;
 * - slot ACC_SLOT_LEAD (when the index has it): the text's first ACC_TEXT_LEAD
 *   bytes, cut at a character, not compressed.
 *
 * Each chunk is a zstd frame, made with the index's text dictionary when it has one (the
 * frame names the dictionary's id; a frame naming none was made without): a zstd dictionary
 * trained on the collection's own text, stored in the first shard's metadata under
 * ACC_TEXTDICT_KEY (lib/writer.c trains and stores it; a reader finds it by id, in any shard).
 * On the real corpus, 4 KiB chunks come out 16% smaller with one and decompress in 30% fewer
 * instructions (55,000 instead of 79,000 a chunk; measured with a 64 KiB dictionary, level 3).
 *
 * Thread-safe: the compression contexts are per thread; the dictionary and sampler that
 * acc_docstore_put_text uses are the process's (set before the threads that build documents
 * start, or swapped atomically while they run).
 */
#ifndef ACCORD_LIB_DOCSTORE_H
#define ACCORD_LIB_DOCSTORE_H

#include <stddef.h>

#include "accord/doc.h"
#include "accord/index.h"
#include "accord/mem.h"
#include "accord/status.h"
#include "xap.h"

/* The metadata key of the text dictionary (its bytes, as ZDICT makes them). */
#define ACC_TEXTDICT_KEY "accord.textdict"
/* Bytes of text a dictionary is trained on, and its size (at most: a sixteenth of the text).
   On the real corpus, the text stored with the dictionary takes 0.317 of its size with these
   (4 MiB, 256 KiB, level 7), 0.335 with 2 MiB and 256 KiB (a dictionary of an eighth of its
   sample), 0.370 with 2 MiB and 64 KiB at level 3 (until this change). The text stored before there
   is a dictionary (the first 4 MiB) takes 0.40 without one. */
#define ACC_TEXTDICT_SAMPLE (4u << 20)
#define ACC_TEXTDICT_SIZE (256u << 10)

typedef struct acc_textdict acc_textdict;

/* A dictionary trained on the samples sizes[0..n), back to back in text; ACC_EINVAL when zstd
   cannot make one of them (too little text, too few samples). */
acc_status acc_textdict_train(const char *text, const size_t *sizes, size_t n, acc_textdict **out,
                              acc_error *err);
/* The dictionary stored as p[0..n); ACC_EDB_CORRUPT when it is none. */
acc_status acc_textdict_load(const char *p, size_t n, acc_textdict **out, acc_error *err);
/* The same from b, whose bytes it takes (b is left empty, even on error): a reader loads a
   256 KiB dictionary without one more copy. */
acc_status acc_textdict_load_buf(acc_buf *b, acc_textdict **out, acc_error *err);
unsigned acc_textdict_id(const acc_textdict *t);
/* Its bytes, to store (borrowed). */
const char *acc_textdict_bytes(const acc_textdict *t, size_t *n);
void acc_textdict_free(acc_textdict *t);

/* The dictionary acc_docstore_put_text compresses with from now on, in every thread (NULL:
   none; borrowed: kept alive by the caller until replaced). */
void acc_docstore_use_dict(const acc_textdict *t);

/* While no dictionary is in use, acc_docstore_put_text gives each chunk it stores to
   fn(ctx, chunk, len), from the thread that stores it (NULL: nobody). A thread may still call
   the function it had just before it was taken away: ctx must outlive the threads that store
   text, and fn must ignore calls that come late. */
typedef void (*acc_text_sample_fn)(void *ctx, const char *p, size_t n);
void acc_docstore_sample(acc_text_sample_fn fn, void *ctx);

/* Where the chunks of text[0..n) end: chunk i is [cuts[i-1], cuts[i]). *cuts: caller frees. */
size_t acc_docstore_cuts(const char *text, size_t n, size_t **cuts);

/* Stores text[0..cuts[ncuts-1]) in d, chunk by chunk. */
acc_status acc_docstore_put_text(acc_xap_doc *d, const char *text, const size_t *cuts, size_t ncuts,
                                 acc_error *err);

/* 1 when d's text is stored without a dictionary (its first chunk names none). */
int acc_docstore_plain(const acc_xap_doc *d);

/* Compresses again with t every chunk of d's text stored without a dictionary; *changed: how
   many. */
acc_status acc_docstore_redo(acc_xap_doc *d, acc_textdict *t, size_t *changed, acc_error *err);

/* Stores the chunk map: chunk i starts at term position pos[i]. */
void acc_docstore_put_map(acc_xap_doc *d, const unsigned *pos, const size_t *cuts, size_t ncuts);

/* Stores the article headings a[0..n) (offsets in text order). */
void acc_docstore_put_articles(acc_xap_doc *d, const acc_article *a, size_t n);

/* The chunk map of a stored document: chunk i starts at term position pos[i], byte off[i]. */
typedef struct acc_chunk_map {
    unsigned *pos;
    size_t *off;
    size_t n;
} acc_chunk_map;

/* The first bytes of d's text (ACC_SLOT_LEAD: at most ACC_TEXT_LEAD, cut at a character) into
   out (after resetting it); *found = 0 when d has no such slot (an index made before it). */
acc_status acc_docstore_lead(const acc_xap_doc *d, acc_buf *out, int *found, acc_error *err);

/* Reads d's chunk map into m (empty for a version-5 document); release with _release. */
acc_status acc_docstore_map(const acc_xap_doc *d, acc_chunk_map *m, acc_error *err);
void acc_chunk_map_release(acc_chunk_map *m);

/*
 * Appends chunk i of d's text to out (after resetting it); *found = 0 when d
 * has no chunk i. ACC_EDB_CORRUPT when the chunk does not decompress, or needs a text
 * dictionary x has not (x, the index d is of, may be NULL when no chunk needs one).
 */
acc_status acc_docstore_chunk(const acc_xap_doc *d, unsigned i, acc_index *x, acc_buf *out,
                              int *found, acc_error *err);

/*
 * d's record into out (after resetting it), from any layout: slot ACC_SLOT_RECORD
 * (version 10), else the document data (before). *rec_len is the record's length:
 * all of out but in version 5, whose data has the text after the record and a '\n'.
 */
acc_status acc_docstore_record(const acc_xap_doc *d, acc_buf *out, size_t *rec_len, acc_error *err);

/*
 * d's record into rec and, when text is not NULL, its whole text into text,
 * from any layout (x as for acc_docstore_chunk).
 */
acc_status acc_docstore_read(const acc_xap_doc *d, acc_index *x, acc_buf *rec, acc_buf *text,
                             acc_error *err);

/* Length of the record in a document data value (version 5 has text after '\n'). */
size_t acc_docstore_record_len(const char *data, size_t n);

/*
 * Calls fn(ctx, offset, label, len) for d's article headings in text order
 * until fn returns nonzero; *any (optional) = 0 when d stores none in the
 * version-6 slot (a version-5 record may still hold them).
 */
typedef int (*acc_article_fn)(void *ctx, size_t offset, const char *label, size_t len);
acc_status acc_docstore_articles(const acc_xap_doc *d, acc_article_fn fn, void *ctx, int *any,
                                 acc_error *err);

#endif
