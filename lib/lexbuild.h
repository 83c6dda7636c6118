/*
 * lib/lexbuild.h: the translation table's builder, shared by its files (not installed):
 * lib/lexbuild.c (the languages, offering a candidate, the output, acc_lexicon_build),
 * lib/lexdicts.c (the FreeDict dictionaries read in parallel, translations through a pivot
 * language) and lib/lexsyn.c (SKOS thesauri, the user's synonym file).
 *
 * Every source offers candidates (source language and text, target language and text, kind)
 * with acc_lexb_offer, which keeps those whose words' stems occur in the index's documents of
 * the target language.
 */
#ifndef ACCORD_LEXBUILD_H
#define ACCORD_LEXBUILD_H

#include <stddef.h>
#include <string.h>

#include "accord/lexicon.h"
#include "lexicon.h"
#include "stem.h"
#include "strmap.h"
#include "xap.h"

/* candidate kinds, best first */
enum { KIND_THESAURUS = 0, KIND_SYNONYM = 1, KIND_DICT = 2, KIND_DICT_BACK = 3, KIND_PIVOT = 4 };

#define MAX_LANGS 16

typedef struct cand {
    char lang[ACC_LANG_MAX];
    int kind;
    unsigned long df;
    char *display;
    char *terms;
} cand;

typedef struct entry {
    cand *v;
    size_t n;
} entry;

typedef struct lang_state {
    char code[ACC_LANG_MAX];
    int in_index;
    acc_xap_stem *stem;
    int loaded;
    acc_strmap terms; /* "Z<lang>:<stem>" of the index */
    unsigned long *df;
    size_t dfalloc;
    /* stems already made: folded word -> its tagged stem ("nl:waterker"), as
       dictionaries repeat their words hundreds of thousands of times */
    acc_strmap memo, memo_stems;
    size_t *memo_to;
    size_t memo_alloc;
} lang_state;

typedef struct words {
    const char *w[ACC_LEX_MAX_WORDS + 1];
    size_t n[ACC_LEX_MAX_WORDS + 1];
    size_t count;
    int cjk;
} words;

/* A text prepared as a translation's target: what offering it needs, whatever the index
   (lib/lexcache.c stores it). The strings are NUL-terminated. */
typedef struct lex_target {
    int ok;            /* 0: not a usable target (not UTF-8; no words, too many, or CJK) */
    const char *shown; /* normalised: the display */
    size_t shown_n;
    const char *stems; /* each word's stem term ("Z<lang>:<stem>"), each NUL-terminated */
    size_t stems_n, nwords;
    const char *phrase; /* several words: the terms as the documents have them, else "" */
    size_t phrase_n;
} lex_target;

/* A text prepared as a translation's source. */
typedef struct lex_source {
    int ok;          /* 0: no table key (as above, or the key too long) */
    int words;       /* whether it has usable words (0: not UTF-8; none, too many, or CJK) */
    const char *key; /* the table key */
    size_t key_n;
    const char *stem1; /* one word: its stem term, else "" */
    size_t stem1_n;
} lex_source;

/* One side of an offer, as acc_lexb_offer prepared it last. Consecutive offers share a side:
   a headword is offered once per translation, forwards as the source and backwards as the
   target. */
typedef struct lex_side {
    char lang[ACC_LANG_MAX];
    acc_buf text;   /* the side as given */
    int done;       /* whether tg or so holds what text came to */
    int folded;     /* a target: whether fold holds the text normalised and folded */
    acc_buf shown;  /* normalised: a target's display */
    acc_buf fold;   /* folded: the words */
    acc_buf key;    /* a source's table key */
    acc_buf stems;  /* the words' stem terms */
    acc_buf phrase; /* a target phrase's terms */
    words w;        /* the words of fold */
    lex_target tg;  /* the target side's result (pointing into the buffers) */
    lex_source so;  /* the source side's */
} lex_side;

typedef struct builder {
    acc_xap_db *db;
    lang_state langs[MAX_LANGS];
    size_t nlangs;
    acc_strmap keys;
    entry *entries;
    size_t alloc;
    unsigned long dropped;
    acc_buf a, b, c, d;
    lex_side tgt, src; /* the last offer's sides */
    acc_error *err;
    /* a word (in s) means a word (in pivot language p), for translating through p: their
       table keys (src_key NULL when too long) */
    struct pivot {
        char s[ACC_LANG_MAX], p[ACC_LANG_MAX];
        char *src_key, *mid_key;
    } * pivots;
    size_t npivots, pivots_alloc;
} builder;

/* A language code into dst[0..cap) (cut to fit): snprintf's "%s" without its cost, for the
   copies made per offer. */
static inline void acc_lexb_code_copy(char *dst, size_t cap, const char *code)
{
    size_t n = strnlen(code, cap - 1);
    memcpy(dst, code, n);
    dst[n] = '\0';
}

/* The buffers of b (a, b, c, d, the sides): empty, or given back. */
void acc_lexb_bufs_init(builder *b);
void acc_lexb_bufs_release(builder *b);
/* The language of code in b, NULL when b has none. */
lang_state *acc_lexb_lang_get(builder *b, const char *code);
/* The language of code, added (with its stemmer) when b has none; NULL when b is full. */
lang_state *acc_lexb_lang_add(builder *b, const char *code, int in_index);
/* The index's stems of language l, read on first use. */
acc_status acc_lexb_lang_load(builder *b, lang_state *l);
/* Appends the key form of folded word w[0..n) in l (acc_lex_word_key, memoised). */
void acc_lexb_word_key(builder *b, lang_state *l, const char *w, size_t n, acc_buf *out);
/* The words of folded text f (more than ACC_LEX_MAX_WORDS: count says so). */
void acc_lexb_split(const acc_buf *f, words *ws);
/* The entry of key i of b->keys (a new key: an empty entry). */
entry *acc_lexb_entry_of(builder *b, size_t i);
/* Adds candidate c (taken over) to e; the same translation twice keeps the better kind. */
void acc_lexb_entry_add(entry *e, const cand *c);
/* Offers "src (in language s) means dst (in language t)": 1 when kept, 0 when dropped. */
int acc_lexb_offer(builder *b, const char *s, const char *src, size_t srclen, const char *t,
                   const char *dst, size_t dstlen, int kind);
/* Text as a target, or as a source, in language l (valid until the next call of the same
   kind on b): what acc_lexb_offer makes of it before it looks at the index. */
const lex_target *acc_lexb_prep_target(builder *b, lang_state *l, const char *dst, size_t n);
const lex_source *acc_lexb_prep_source(builder *b, lang_state *l, const char *src, size_t n);
/* acc_lexb_offer of a source and a target prepared before (o in language s, g in t). */
int acc_lexb_offer_prepared(builder *b, const char *s, const lex_source *o, const char *t,
                            const lex_target *g, int kind);
/* a phrase translation found in fewer documents than the best translation of its word into
   its language by this factor is dropped (lib/lexphrase.c) */
#define ACC_LEX_PHRASE_RARER 20

/*
 * Counts the documents of the index at path having each phrase translation (terms of several
 * words), read from the stored text as the indexer cuts it into terms, and keeps the phrases
 * that documents have, not ACC_LEX_PHRASE_RARER times rarer than the best translation of their
 * word and language (lib/lexphrase.c). *phrases: the distinct
 * phrases looked for; *absent: those no document has; *rare: candidates dropped as rarer.
 * Documents read by `threads` threads (0: one per CPU).
 */
acc_status acc_lexb_drop_absent_phrases(builder *b, const char *path, unsigned threads,
                                        unsigned long *phrases, unsigned long *absent,
                                        unsigned long *rare, acc_error *err);
/* Appends what to the report's list of sources. */
void acc_lexb_note(char *sources, size_t cap, const char *what);

/* lib/lexdicts.c: every installed dictionary between two languages of the index (and
   English), on `threads` threads (0: one per CPU); the same table as one thread makes. Each
   prepared once and kept in cache_dir (lib/lexcache.h; NULL: none). */
acc_status acc_lexb_read_dicts(builder *b, const char *dir, const char *cache_dir, unsigned threads,
                               acc_lexicon_report *rep);
/* lib/lexdicts.c: translations through a pivot language, for the pivots the dictionaries
   gave; the number kept. */
unsigned long acc_lexb_read_pivots(builder *b, unsigned threads);

/* lib/lexsyn.c: the thesauri of o (SKOS); the user's synonym file at path. */
acc_status acc_lexb_read_thesauri(builder *b, const acc_lexicon_opts *o, acc_lexicon_report *rep);
acc_status acc_lexb_read_synonyms(builder *b, const char *path, acc_lexicon_report *rep);

#endif
