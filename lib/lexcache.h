/*
 * lib/lexcache.h: the dictionaries prepared, kept in a cache folder between runs (private to
 * libaccord).
 *
 * Reading a FreeDict dictionary for the translation table is mostly work that does not depend
 * on the index: decompressing and parsing the dictionary, normalising, folding and stemming
 * its words (deu-eng and eng-deu: about 25,000 million instructions, two seconds on two cores).
 * What depends on the index is only whether its documents have the stems. So each dictionary
 * is read into records of what acc_lexb_offer makes of each headword and translation, as a
 * source and as a target (lex_source, lex_target), and the records are stored in the cache
 * folder (acc_paths_cache: ~/.cache/accord by default). The next run, for any index, reads
 * the records and only looks the stems up.
 *
 * A cache file holds one dictionary (freedict-SRC-DST-HASH.cache, HASH of its folder's real
 * path). It starts with a text header naming what it was made from and by: the index version
 * (accord's normalisation and term scheme), utf8proc's and Xapian's versions (normalisation,
 * stemmers), both files' sizes and modification times; the records follow as one zstd frame
 * with its checksum. A file whose header differs, whose frame or checksum is wrong, or whose
 * records do not parse is not used (the dictionary is read again and the file replaced). A
 * cache that cannot be written only costs the next run its time.
 *
 * The records, per entry of the dictionary with translations: varint n; the headword; its n
 * translations. Each text: a byte of flags (lib/lexcache.c: TEXT_*); a target's str shown,
 * varint nwords, its stems (each NUL-ended, without "Z<lang>:" where every one has it), the
 * phrase of several words; a source's key and one word's stem term, where they cannot be made
 * from the stems. A str is a varint length, the bytes, and a NUL.
 */
#ifndef ACCORD_LEXCACHE_H
#define ACCORD_LEXCACHE_H

#include <stddef.h>

#include "accord/mem.h"
#include "accord/status.h"
#include "lexbuild.h"

/* A text of a record, prepared (pointing into the records and its own buffers). */
typedef struct lexcache_text {
    lex_target tg;
    lex_source so;
    acc_buf stems, key; /* made from the short stems */
} lexcache_text;

void acc_lexcache_text_init(lexcache_text *t);
void acc_lexcache_text_release(lexcache_text *t);

/*
 * The records of dictionary dir/freedict-s3-t3 (headwords in language ls, translations in lt,
 * w's own) into rec: from cache_dir when it holds them for these very files (*cached = 1),
 * else read from the dictionary and stored there (cache_dir NULL or "": no cache).
 * ACC_ENOTFOUND when the dictionary is not installed; its errors as acc_dictd_read's.
 */
acc_status acc_lexcache_get(builder *w, lang_state *ls, lang_state *lt, const char *dir,
                            const char *cache_dir, const char *s3, const char *t3, acc_buf *rec,
                            int *cached, acc_error *err);

/* Whether rec[0..n) are whole records (headwords in language s, translations in t), every
   string and count as written: lengths inside rec, NULs where they belong, word counts, keys no
   longer than ACC_LEX_MAX_KEY, valid UTF-8. Only such records are replayed. */
int acc_lexcache_valid(const char *rec, size_t n, const char *s, const char *t);

/* The next entry of records rec[*at..n): its headword (in language code) and translation
   count; 0 at the end. The records are acc_lexcache_get's (checked). */
int acc_lexcache_entry(const char *rec, size_t n, size_t *at, const char *code, lexcache_text *head,
                       size_t *ntrans);
/* The entry's next translation (in language code). */
void acc_lexcache_trans(const char *rec, size_t n, size_t *at, const char *code, lexcache_text *t);

#endif
