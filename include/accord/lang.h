/*
 * Languages: ISO 639-1 codes, which Snowball stemmer each one uses, and
 * language identification of a document's text.
 *
 * Codes are lower-case ASCII, 2 or 3 letters; "und" means undetermined.
 */
#ifndef ACCORD_LANG_H
#define ACCORD_LANG_H

#include <stddef.h>

#include "accord/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ACC_LANG_MAX 8 /* buffer size for a language code, NUL included */

/*
 * The Xapian stemmer name for a language code ("de" -> "german2",
 * "fr" -> "french"), or NULL when Xapian 1.4 has no stemmer for it
 * (pl, zh, el, cs ...: those languages are indexed unstemmed).
 */
const char *acc_lang_stemmer(const char *code);

/*
 * Returns 1 when code is a well-formed language code (2-3 ASCII letters,
 * case-insensitive) and copies it in lower case to out[ACC_LANG_MAX].
 */
int acc_lang_parse(const char *p, size_t n, char out[ACC_LANG_MAX]);

/*
 * Detects the language of p[0..n) (valid UTF-8) and writes its code to
 * out[ACC_LANG_MAX]: "und" when the text is too short or unrecognised.
 * Uses libexttextcat with a per-thread classifier loaded on first use;
 * thread-safe. Reads at most the first 4 KiB of text after any leading
 * whitespace. Returns ACC_EIO when the language models cannot be loaded.
 */
acc_status acc_lang_detect(const char *p, size_t n, char out[ACC_LANG_MAX], acc_error *err);

/* Frees the calling thread's classifier (optional; for leak checkers). */
void acc_lang_thread_cleanup(void);

#ifdef __cplusplus
}
#endif

#endif
