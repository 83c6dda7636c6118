/*
 * lib/stem.h: the stemmer of a language in accord's term scheme (private to
 * libaccord): Xapian's Snowball stemmer for the language (lang.h), its
 * output folded and tagged "<lang>:" (schema.h, Z terms), Romanian words
 * given the cedilla letters the 1.4 stemmer knows first.
 */
#ifndef ACCORD_LIB_STEM_H
#define ACCORD_LIB_STEM_H

#include "xap.h"

/*
 * A new stemmer for language code lang, or NULL when accord indexes the
 * language unstemmed. Caller frees with acc_xap_stem_free; one thread at a
 * time.
 */
acc_xap_stem *acc_stem_new(const char *lang);
/* The same, remembering the terms of the words it stemmed last in each thread (lib/stem.c): for
   searches, which stem the same words again. */
acc_xap_stem *acc_stem_new_query(const char *lang);

/* Appends tag + stem(fold(w)), the "fold first" variant, for w[0..n) to out (s: of acc_stem_new).
 */
void acc_stem_folded(acc_xap_stem *s, const char *w, size_t n, acc_buf *out);

/* The bytes at the start of stem[0..n) (lang[0..lang_len)'s) that every word it is the stem of
   begins with, as far as lib/highlight.c's scan for a stem's words needs (lib/stem.c says which
   stemmers change letters inside words). */
size_t acc_stem_stable_prefix(const char *stem, size_t n, const char *lang, size_t lang_len);

#endif
