/*
 * lib/lexkey.c: the keys of the translation table (lib/lexicon.h), shared by
 * its builder (lexbuild.c, at index time) and its reader (translate.c, at
 * search time). Apart from the builder so that a program that only searches
 * does not link the dictionary and thesaurus readers (and libxml2 with them).
 */
#include <string.h>

#include "accord/lexicon.h"
#include "lexicon.h"
#include "stem.h"

const char *acc_lang_iso3(const char *lang)
{
    static const char *const map[][2] = {
        {"ar", "ara"}, {"de", "deu"}, {"en", "eng"}, {"es", "spa"}, {"fr", "fra"},
        {"it", "ita"}, {"nl", "nld"}, {"pt", "por"}, {"ru", "rus"}, {"zh", "zho"},
        {"ro", "ron"}, {"pl", "pol"}, {"sv", "swe"}, {"da", "dan"}, {"fi", "fin"},
        {"el", "ell"}, {"cs", "ces"}, {"hu", "hun"}, {"tr", "tur"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i][0], lang) == 0)
            return map[i][1];
    return NULL;
}

void acc_lex_key_prefix(const char *lang, acc_buf *out)
{
    acc_buf_append(out, ACC_LEX_PREFIX, strlen(ACC_LEX_PREFIX));
    acc_buf_append(out, lang, strlen(lang));
    acc_buf_putc(out, ':');
}

void acc_lex_word_key(acc_xap_stem *s, const char *w, size_t n, acc_buf *out)
{
    if (!s) {
        acc_buf_append(out, w, n);
        return;
    }
    size_t at = out->n;
    acc_xap_stem_word(s, w, n, out);
    /* drop the "xx:" tag the stemmer puts first */
    char *colon = memchr(out->p + at, ':', out->n - at);
    if (colon) {
        size_t skip = (size_t)(colon + 1 - (out->p + at));
        memmove(out->p + at, colon + 1, out->n - at - skip);
        out->n -= skip;
    }
}
