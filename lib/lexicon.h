/*
 * lib/lexicon.h: the translation table of an index (private to libaccord).
 *
 * The table lives in the index's key/value store, so that a query costs
 * lookups, not file parsing, and a commit changes it atomically with the
 * documents. One entry per source word or phrase of a language, stored in
 * compressed buckets (lib/lextable.h; indexes written before stop 25 have
 * one key of the store per entry):
 *
 *   key   "L" <src> ":" <k1> " " <k2> ...   (k = the word's stem in src,
 *                                             untagged; unstemmed languages:
 *                                             the folded word), at most
 *                                             ACC_LEX_MAX_WORDS words
 *   value lines "<dst> TAB <display> TAB <terms> TAB <df> LF", best first
 *         per dst, where <terms> is one tagged stem term ("Znl:waterker")
 *         for a one-word translation, or the folded words of a phrase,
 *         spaces between, as the documents of dst are indexed (German: the
 *         e of ae/oe/ue dropped), kept only when documents have the phrase
 *         (lib/lexphrase.c); <df> the number of documents of dst having it (a
 *         phrase: its rarest word) when the table was built; dst == src for
 *         a synonym. Short forms of <terms> (tables written since stop 24;
 *         older ones are read as they are, a folded word never starting with
 *         "=" or "+"): "=" when the terms are the display itself (a phrase
 *         already folded), "+<stem>" for the stem term "Z<dst>:<stem>" when
 *         that is at most ACC_LEX_SHORT_TERMS bytes. The real corpus's table:
 *         the index 86.1 -> 80.4 MB.
 *
 * "Lmeta" (no colon) describes the table: its sources and sizes (JSON);
 * "Lbuckets", "Ldict" and "L#..." hold it (lib/lextable.h).
 *
 * Built by lib/lexbuild.c from dictionaries, thesauri and synonym files;
 * read by lib/translate.c.
 */
#ifndef ACCORD_LIB_LEXICON_H
#define ACCORD_LIB_LEXICON_H

#include <stddef.h>

#include "accord/mem.h"
#include "accord/writer.h"
#include "xap.h"

#define ACC_LEX_PREFIX "L"
#define ACC_LEX_META_KEY "Lmeta"
/* a source phrase has at most this many words */
#define ACC_LEX_MAX_WORDS 4
/* "+<stem>" stands for stem terms of at most this many bytes (the reader's buffer) */
#define ACC_LEX_SHORT_TERMS 200
/* keys longer than this are not stored (Xapian's limit is about 245 bytes) */
#define ACC_LEX_MAX_KEY 200

/*
 * Appends the key form of folded word w[0..n) in the language of stemmer s
 * (NULL: unstemmed) to out: the stem without its language tag.
 */
void acc_lex_word_key(acc_xap_stem *s, const char *w, size_t n, acc_buf *out);

/* The Xapian handle of a writer (lib/writer.c), for the builder: the first shard's, which holds
   the index's key/value store. */
acc_xap_wdb *acc_writer_xap(acc_writer *w);

/* The path the writer w opened (a sharded index: the folder that holds its shards). */
const char *acc_writer_path(const acc_writer *w);

/* The whole index as the builder reads it: every shard, as committed (a sharded index), or the
   writer's own view; borrowed until the next call or acc_writer_close. NULL with err set. */
acc_xap_db *acc_writer_reader(acc_writer *w, acc_error *err);

/* Appends "L<lang>:" to out. */
void acc_lex_key_prefix(const char *lang, acc_buf *out);

#endif
