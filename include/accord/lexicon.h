/*
 * The translation table of an index: which words of one language reach
 * which words of another (query translation), and which words of a language
 * mean the same (synonyms). Built from bilingual dictionaries (FreeDict's
 * dictd files, as Debian installs them), SKOS thesauri (GEMET) and a user's
 * synonym file; only translations whose stems occur in the index's
 * documents of their language are kept. Stored in the index itself
 * (lib/lexicon.h says how), written with the index's next commit.
 */
#ifndef ACCORD_LEXICON_H
#define ACCORD_LEXICON_H

#include <stddef.h>

#include "accord/status.h"
#include "accord/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where Debian installs dictd dictionaries (dict-freedict-* packages). */
#define ACC_DICT_DIR_DEFAULT "/usr/share/dictd"

typedef struct acc_lexicon_opts {
    const char *dict_dir;        /* freedict-SRC-DST.{index,dict.dz}; NULL or "": none */
    const char *const *thesauri; /* SKOS RDF/XML files, merged by concept URI */
    size_t nthesauri;
    const char *synonyms;  /* one group of synonyms a line ("lang: a, b, c"); NULL: none */
    unsigned max_per_word; /* dictionary translations kept per word and language; 0: 4 */
    unsigned threads;      /* dictionaries read at once; 0: one per CPU (the table is the same) */
    const char *cache_dir; /* the dictionaries prepared, kept for the next build (any index);
                              NULL or "": none. The table is the same either way */
} acc_lexicon_opts;

typedef struct acc_lexicon_report {
    unsigned long entries;      /* source words and phrases stored */
    unsigned long translations; /* translations and synonyms stored */
    unsigned long dropped;      /* candidates whose stems no document of their language has */
    unsigned long bytes;        /* keys and values stored */
    unsigned long stored;       /* what they take compressed, with the dictionary */
    unsigned long buckets;      /* compressed buckets they are spread over (lib/lextable.h) */
    unsigned long written;      /* keys written or deleted (the others were unchanged) */
    unsigned long pairs;        /* dictionaries read */
    unsigned long cached;       /* of them, those read prepared from the cache */
    unsigned long phrases;      /* distinct phrase translations looked for in the documents */
    unsigned long absent;       /* of them, those no document has (dropped) */
    unsigned long rare;         /* phrase translations dropped as far rarer than the best
                                   translation of their word into their language */
    double seconds;
    char sources[1024]; /* what was read, for the user */
} acc_lexicon_report;

/*
 * Rebuilds the translation table of the index open in w from the sources
 * of o (the documents must be written already: their stems decide what is
 * kept). A source that cannot be read is reported in err and stops the
 * build (the old table stays); a dictionary that is not installed is
 * skipped and named in rep->sources. Written with the next commit.
 */
acc_status acc_lexicon_build(acc_writer *w, const acc_lexicon_opts *o, acc_lexicon_report *rep,
                             acc_error *err);

/* ISO 639-3 code of a language accord knows by its ISO 639-1 code ("en" -> "eng"), or NULL. */
const char *acc_lang_iso3(const char *lang);

#ifdef __cplusplus
}
#endif

#endif
