/*
 * lib/qtext.h: reading the text of a query before it is parsed (private to
 * libaccord): what the user typed besides words (a language filter, only
 * negations, syntax), and the plain-word reading of a query whose syntax is
 * broken. All functions take the query text as acc_text_query_fold() makes
 * it (normalised and folded, operators kept in upper case), except
 * acc_qtext_lang and acc_qtext_positional which take it as typed.
 */
#ifndef ACCORD_LIB_QTEXT_H
#define ACCORD_LIB_QTEXT_H

#include <stddef.h>

#include "accord/lang.h"
#include "accord/mem.h"
#include "accord/query.h"

/*
 * The text as typed, tidied of what is punctuation rather than syntax, so
 * that a title pasted as a query reads as its words: a token of dashes,
 * colons or other punctuation alone ("Agreement - translation") is dropped,
 * and a colon ending a token ("Argentina: Intended") is dropped (a field is
 * written "field:value", without a space). Appended to out.
 */
void acc_qtext_tidy(const char *t, size_t n, acc_buf *out);

/*
 * One `lang:xx` typed in the query text restricts the search and picks the
 * stemmer like --lang: returns 1 and the code in out when the text (as typed)
 * has exactly one, at the start of a word, naming a language; 0 otherwise.
 */
int acc_qtext_lang(const char *text, size_t n, char out[ACC_LANG_MAX]);

/*
 * A query made only of negated words ("-paris", "-a -b", "NOT paris"):
 * QueryParser would silently drop the minus and return the very documents
 * the user excluded (Xapian 1.4 drops the minus of a lone negation). Returns 1 and appends the
 * words without their minus (each followed by a space) to words when the query has that shape; 0
 * otherwise.
 */
int acc_qtext_negation(const char *q, size_t n, acc_buf *words);

/* What a query's text is made of. */
typedef struct acc_qshape {
    size_t words; /* words, filters typed in the text (lang:fr, year:..) not counted */
    int syntax;   /* quotes, brackets, fields, wildcards, +/-, operators */
} acc_qshape;

/* The shape of folded query text q[0..n). */
void acc_qtext_shape(const char *q, size_t n, acc_qshape *out);

/*
 * The plain-word reading of a query with a syntax error: its words with the
 * operators dropped, or the operators in lower case as words when nothing
 * else is left ("AND" alone). Appended to out.
 */
void acc_qtext_plain(const char *q, size_t n, acc_buf *out);

/*
 * Writes to out the text Xapian 1.4.22's QueryParser is given for q:
 * - each CJK run that starts a word, with the field name before it if any,
 *   in brackets (a 气候 b -> a (气候) b, title:气候 -> (title:气候)). With
 *   CJK n-grams on, the parser fails with "parse error" on a term, a space,
 *   a CJK run and another term (water 气候 climate, 2060 碳中和 目标,
 *   a 한국 b), in a phrase too when phrases are off; in brackets the run is
 *   the same n-grams at the same position, and a phrase ignores them.
 * - two dots or more as a space, except in a year: range. The parser reads
 *   any A..B as a range and fails with "Unknown range operation" on one no
 *   range processor takes (climate... and … folded to ..., a..b).
 */
void acc_qtext_for_parser(const char *q, size_t n, acc_buf *out);

/*
 * 1 when q holds NEAR or ADJ in anything but terms joined by them: what
 * Xapian 1.4.22's QueryParser may leak on. Its lexer decides which shapes
 * leak (-a:b NEAR/3: 96 bytes a parse, the hate dropped; -a NEAR b:c: 672
 * bytes in 7 allocations; -a NEAR [b c; AND NEAR/3 a:b; -a,NEAR/3 b:c ...),
 * so only plain terms (words, maybe joined by . - / : \ @) side by side or
 * joined by NEAR and ADJ are left to it. A search reads any other query with
 * NEAR or ADJ as plain words instead, as it does a syntax error.
 */
int acc_qtext_parser_trap(const char *q, size_t n);

/*
 * The words of the query text (as typed) as the index's positional terms:
 * folded, cut as acc_text_terms cuts them, German digraph spellings too,
 * each once, at most ACC_QTEXT_MAX_POSITIONAL. Query syntax words (AND,
 * title:...) may come along. *n receives how many; free with
 * acc_qtext_words_free.
 */
#define ACC_QTEXT_MAX_POSITIONAL 32
char **acc_qtext_positional(const char *text, size_t len, size_t *n);
void acc_qtext_words_free(char **words, size_t n);

#endif
