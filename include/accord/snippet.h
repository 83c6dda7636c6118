/*
 * Snippets: the passage of a document that best shows why it matched, as
 * HTML-escaped text with <mark>...</mark> around the matching words.
 *
 * The caller decides what matches through a callback, so that highlighting
 * uses exactly the query's terms, folding and stemming (see lib/xap.cc).
 */
#ifndef ACCORD_SNIPPET_H
#define ACCORD_SNIPPET_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Only this many bytes from the start of a document are scanned for matches. */
#define ACC_SNIPPET_SCAN_MAX (1u << 20)

/*
 * Called for each word of the text (tok[0..n), UTF-8, as written). Returns a
 * small non-negative id of the query term it matches (equal ids count once
 * towards a window's variety), or -1 when it does not match. CJK text is
 * offered as a two-character pair first, then as one character.
 */
typedef int (*acc_snippet_match_fn)(void *ctx, const char *tok, size_t n);

/*
 * Returns the window of about `width` bytes of text[0..n) (valid UTF-8) with
 * the most distinct matching terms, then the most matches; whitespace runs
 * collapsed, HTML-escaped, "…" where text was cut (caller frees). Without any
 * match (or match NULL), the start of the text. *at receives the byte offset
 * in text where the window starts.
 */
char *acc_snippet_at(const char *text, size_t n, size_t width, acc_snippet_match_fn match,
                     void *ctx, size_t *at);

/*
 * acc_snippet_at() when text[0..n) has a match; NULL when it has none (a
 * caller holding the text in pieces tries the next one). fn NULL: no match.
 */
char *acc_snippet_find(const char *text, size_t n, size_t width, acc_snippet_match_fn fn, void *ctx,
                       size_t *at);

/*
 * acc_snippet_find() when the first match is expected at about word `word` of text[0..n)
 * (counted as acc_text_words() cuts them; a document's word positions tell it): the words
 * before it but ACC_SNIPPET_NEAR_LEAD are only counted, and matches are looked for in the
 * ACC_SNIPPET_NEAR_SCAN bytes from there; the whole text when none is there. The window is
 * the best near the first match, not of the whole text: the cost of a snippet is that of
 * the words it looks at.
 */
#define ACC_SNIPPET_NEAR_LEAD 32
#define ACC_SNIPPET_NEAR_SCAN 1280
char *acc_snippet_near(const char *text, size_t n, size_t width, acc_snippet_match_fn fn, void *ctx,
                       size_t word, size_t *at);

/* Appends s[0..n) HTML-escaped (& < > " ') to a malloc'ed string; helper for callers. */
char *acc_html_escape(const char *s, size_t n);

#ifdef __cplusplus
}
#endif

#endif
