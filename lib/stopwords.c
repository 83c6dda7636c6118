/*
 * lib/stopwords.c: function words per language (lib/stopwords.h): one sorted
 * array per language (lib/stopwords_data.h), and a hash table of every listed
 * word with the languages that list it, built once: a lookup is one hash and
 * one comparison, whatever the number of languages asked about (the indexer
 * asks about every language for every word of every document).
 */
#include "stopwords.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "stopwords_data.h"

#define LIST(code)                                                                                 \
    {                                                                                              \
#code, sw_##code, sizeof sw_##code / sizeof sw_##code[0]                                   \
    }

static const struct {
    const char *lang;
    const char *const *words;
    size_t n;
} lists[] = {LIST(ar), LIST(de), LIST(en), LIST(es), LIST(fr),
             LIST(it), LIST(nl), LIST(pt), LIST(ro), LIST(ru)};

#define NLISTS (sizeof lists / sizeof lists[0])
_Static_assert(NLISTS == ACC_STOPWORD_NLANGS, "ACC_STOPWORD_NLANGS is the number of lists");
_Static_assert(ACC_STOPWORD_NLANGS <= 16, "a slot's mask has 16 bits");

static const char *const langs[NLISTS + 1] = {"ar", "de", "en", "es", "fr", "it",
                                              "nl", "pt", "ro", "ru", NULL};

const char *const *acc_stopword_langs(void)
{
    return langs;
}

const char *const *acc_stopword_list(const char *lang, size_t *n)
{
    for (size_t i = 0; lang && i < NLISTS; i++)
        if (strcmp(lists[i].lang, lang) == 0) {
            *n = lists[i].n;
            return lists[i].words;
        }
    *n = 0;
    return NULL;
}

/* the hash table: every word of every list, with the languages listing it (bit i:
   langs[i]); open addressing, a power of two at least twice the words */
#define TABLE_SIZE 8192

typedef struct slot {
    const char *word; /* NULL: empty */
    uint8_t len;
    uint16_t mask;
} slot;

static slot table[TABLE_SIZE];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static uint32_t hash(const char *w, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)w[i]) * 16777619u;
    return h;
}

static slot *lookup(const char *w, size_t n)
{
    for (uint32_t i = hash(w, n) & (TABLE_SIZE - 1);; i = (i + 1) & (TABLE_SIZE - 1))
        if (!table[i].word || (table[i].len == n && memcmp(table[i].word, w, n) == 0))
            return &table[i];
}

static void build_table(void)
{
    for (size_t l = 0; l < NLISTS; l++)
        for (size_t k = 0; k < lists[l].n; k++) {
            const char *w = lists[l].words[k];
            const size_t n = strlen(w);
            slot *s = lookup(w, n);
            s->word = w;
            s->len = (uint8_t)n;
            s->mask |= (uint16_t)(1u << l);
        }
}

unsigned acc_stopword_mask(const char *w, size_t n)
{
    /* no listed word is that long: a bogus n (a negative length cast) is no word */
    if (!w || !n || n >= ACC_STOPWORD_MAX_BYTES)
        return 0;
    pthread_once(&table_once, build_table);
    return lookup(w, n)->mask;
}

int acc_stopword(const char *lang, const char *w, size_t n)
{
    for (size_t i = 0; lang && i < NLISTS; i++)
        if (strcmp(lists[i].lang, lang) == 0)
            return (acc_stopword_mask(w, n) >> i) & 1;
    return 0;
}

int acc_stopword_any(const char *w, size_t n)
{
    return acc_stopword_mask(w, n) != 0;
}
