/*
 * The text pipeline shared by index time and query time.
 *
 * Documents and queries go through the same functions, so that a query is
 * normalised exactly like the text it searches:
 *
 *   raw bytes --acc_utf8_sanitize--> valid UTF-8
 *            --acc_text_norm-------> NFKC + full case folding, apostrophes unified,
 *                                    oe/ae/o/l/d for the letters utf8proc keeps
 *                                    (œ æ ø ł đ), Arabic tatweel removed, elisions
 *                                    split (l'eau -> l eau, dell'ambiente -> dell ambiente)
 *            --acc_text_fold-------> accents removed (développement -> developpement)
 *
 * Queries use acc_text_query_fold(), which applies norm+fold to every token
 * except the upper-case operators (AND OR NOT XOR NEAR ADJ) that QueryParser
 * needs to see as they were typed.
 *
 * All functions take UTF-8 as (p, n), never assume NUL termination, append
 * to a caller-owned acc_buf, and are thread-safe (no shared state).
 */
#ifndef ACCORD_TEXT_H
#define ACCORD_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "accord/mem.h"
#include "accord/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Returns 1 when p[0..n) is valid UTF-8 (no surrogates, no overlongs), else 0. */
int acc_utf8_valid(const char *p, size_t n);

/*
 * Appends p[0..n) to out with each invalid byte sequence replaced by U+FFFD.
 * NUL bytes are replaced too (they are never wanted in indexed text).
 * Returns the number of replacements made.
 */
size_t acc_utf8_sanitize(const char *p, size_t n, acc_buf *out);

/*
 * Appends the normalised form of p[0..n) to out (see the file comment).
 * Input must be valid UTF-8: otherwise ACC_EINVAL with a message.
 */
acc_status acc_text_norm(const char *p, size_t n, acc_buf *out, acc_error *err);

/*
 * Appends p[0..n) with all combining marks removed to out. The input is
 * expected to be normalised by acc_text_norm() already; an ASCII-only input
 * is copied as is (the fast path for most terms).
 */
acc_status acc_text_fold(const char *p, size_t n, acc_buf *out, acc_error *err);

/* acc_text_norm() then acc_text_fold() in one call. */
acc_status acc_text_norm_fold(const char *p, size_t n, acc_buf *out, acc_error *err);

/*
 * Normalises and folds a user query for QueryParser: every whitespace-separated
 * token is norm+folded except the operators AND OR NOT XOR NEAR ADJ (and
 * NEAR/n, ADJ/n) written in upper case. Invalid UTF-8 is ACC_EINVAL.
 */
acc_status acc_text_query_fold(const char *p, size_t n, acc_buf *out, acc_error *err);

/*
 * The word tokenizer: calls fn(ctx, word, len, cjk) for each word of
 * p[0..n) (valid UTF-8), in order, with pointers into p. A word is a run of
 * letters, marks and digits, an apostrophe between two such characters
 * included (aujourd'hui, rock'n'roll); each Han, kana or hangul character is
 * a word of its own with cjk = 1. Stops early when fn returns nonzero.
 */
typedef int (*acc_word_fn)(void *ctx, const char *word, size_t len, int cjk);
void acc_text_words(const char *p, size_t n, acc_word_fn fn, void *ctx);
/* Where word k (from 0) of p[0..n) starts, the words as acc_text_words cuts them; n when
   there are k words or fewer. The same loop, without a call per word. */
size_t acc_text_word_start(const char *p, size_t n, size_t k);

/*
 * The index-term tokenizer: the same terms, in the same order, as Xapian
 * 1.4's TermGenerator with FLAG_CJK_NGRAM on lower-case text, so that what
 * QueryParser makes of a query matches what was indexed: words of word
 * characters (letters, marks, numbers, connector punctuation) joined by
 * ' & U+00B7 U+05F4 U+2027 between word characters and by , . ; between
 * digits, with up to three trailing + or # (c++, c#); CJK runs as each
 * character (positional) followed by the pair it starts (not positional).
 * Calls fn(ctx, term, len, positional) with the term in a buffer borrowed
 * for the call; terms longer than ACC_MAX_WORD_BYTES are dropped, as
 * TermGenerator drops them (schema.h).
 */
typedef void (*acc_term_fn)(void *ctx, const char *term, size_t len, int positional);
void acc_text_terms(const char *p, size_t n, acc_term_fn fn, void *ctx);

/* 1 when code point c is a word character Xapian 1.4 reads as CJK (n-grams) */
int acc_text_cjk_wordchar(int32_t c);

/*
 * Returns 1 when code point c is an apostrophe: ' ’ ‘ ʼ ＇ ′ ` ´ ‛. The one
 * set of the pipeline: acc_text_norm writes each as ', acc_text_words keeps
 * it inside a word, acc_text_fold_head stops at it (highlighting). Only
 * acc_text_terms keeps TermGenerator's own rules, on normalised text where
 * every apostrophe is already '.
 */
int acc_text_is_apostrophe(int32_t c);

/* Returns 1 when w[0..n) is a query operator as acc_text_query_fold() spares it. */
int acc_text_is_operator(const char *w, size_t n);

/*
 * The start of the folded form of word w[0..n), up to an apostrophe, into
 * head[0..cap) (cap >= want + 4): characters are folded one by one until at
 * least `want` bytes are written, as acc_text_norm_fold() would fold them,
 * without normalising the whole word (for rejecting most words of a text
 * cheaply). Returns the bytes written,
 * or ACC_FOLD_HEAD_UNKNOWN when a character needs the whole pipeline to tell
 * (œ æ ø ł đ, tatweel, invalid UTF-8).
 */
#define ACC_FOLD_HEAD_UNKNOWN ((size_t)-1)
size_t acc_text_fold_head(const char *w, size_t n, size_t want, char *head, size_t cap);

/*
 * German written without umlauts spells them ae, oe, ue (Waerme for Wärme).
 * Folding turns Wärme into warme, so German folded text drops the e of
 * those digraphs: waerme, wärme and warme all become warme. Appends
 * p[0..n) (folded text) so rewritten to out. Applied to the unstemmed terms of
 * German documents and to the German reading of a query alike.
 */
void acc_text_de_digraphs(const char *p, size_t n, acc_buf *out);

/*
 * Romanian: rewrites comma-below ș/ț (U+0219/U+021B) to the cedilla forms
 * ş/ţ (U+015F/U+0163) in place (same byte length). Xapian 1.4's Romanian
 * stemmer only knows the cedilla letters in its suffix rules.
 */
void acc_text_ro_cedilla(char *p, size_t n);

#ifdef __cplusplus
}
#endif

#endif
