/*
 * lib/dictd.h: a reader of dictd dictionaries as FreeDict publishes them and
 * Debian installs them (dict-freedict-SRC-DST: /usr/share/dictd/
 * freedict-SRC-DST.index and .dict.dz), private to libaccord.
 *
 * The .index has one line per entry, "headword TAB offset TAB length", the
 * numbers in dictd's base64 digits; the .dict.dz is dictzip, a gzip file,
 * read whole with zlib. An entry's text is the headword line (pronunciation,
 * part of speech), then senses of comma-separated translations with grammar
 * tags (<fem>), domains ([geogr.]) and notes, examples ("flood of record" -
 * höchstes Hochwasser), and Note:/Synonyms:/see: lines; the dictionaries
 * made from Wiktionary (deu-fra, deu-spa, fra-deu) follow each numbered
 * sense with its definition in the source language, which is left out (a
 * translation line is a numbered one, or the first line of an entry without
 * numbers). The reader hands on
 * the clean translations of each entry, and each short example as an entry
 * of its own (a phrase and its translation).
 *
 * Clean means a plain word or phrase: letters, marks, single spaces,
 * apostrophes and dashes between letters, at most 120 bytes, valid UTF-8.
 * Tags, domains, notes and sense numbers are taken out; what is then still
 * not plain (digits, abbreviations with a dot, alternatives with a slash,
 * "…" fragments, affixes such as "‐lich", quotes, symbols, sentences with
 * ! or ?) is left out, translation by translation. At most 64 translations
 * an entry. The headword is the entry's own spelling ("Danube", "that's
 * all") when its first line is what the index key stands for, else the
 * variant the key stands for ("CT" for "computed tomography ... (CT)"),
 * else the key; an entry whose headword is not plain is left out, and so
 * are the dictionary's own 00-database-* entries. A headword may come in
 * several entries (one per part of speech). Entries are passed on while
 * the index is read, so an error on a later line comes after them.
 */
#ifndef ACCORD_LIB_DICTD_H
#define ACCORD_LIB_DICTD_H

#include <stddef.h>

#include "accord/status.h"

typedef struct acc_dict_entry {
    const char *head;           /* the headword (or an example's phrase) */
    const char *const *trans;   /* its translations: words or phrases, valid UTF-8 */
    const char *const *domains; /* per translation: its domain tags as written ("[geogr.]",
                                   "[selten] [statist.]": the line's, then its own), or "" */
    size_t n;
} acc_dict_entry;

/* Called for each entry (strings valid during the call); nonzero stops the reading. */
typedef int (*acc_dictd_fn)(void *ctx, const acc_dict_entry *e);

/*
 * Reads a dictionary. ACC_ENOTFOUND when a file is missing, ACC_EINVAL for
 * a malformed index line or an entry outside the text (naming the file and
 * line), ACC_EIO when the text is not gzip, is truncated or cannot be read.
 * The text is decompressed whole into memory (eng-deu: 80 MB) first.
 */
acc_status acc_dictd_read(const char *index_path, const char *dict_path, acc_dictd_fn fn, void *ctx,
                          acc_error *err);

/* Reads dir/freedict-SRC-DST.{index,dict.dz} (ISO 639-3 codes); ACC_ENOTFOUND when absent. */
acc_status acc_dictd_read_pair(const char *dir, const char *src3, const char *dst3, acc_dictd_fn fn,
                               void *ctx, acc_error *err);

#endif
