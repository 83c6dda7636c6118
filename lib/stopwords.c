/*
 * lib/stopwords.c: function words per language (lib/stopwords.h): one sorted
 * array per language (lib/stopwords_data.h), found by its code and searched
 * by bisection.
 */
#include "stopwords.h"

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

/* strcmp order of w[0..n) against NUL-terminated s (w may hold NULs: they sort low) */
static int cmp(const char *w, size_t n, const char *s)
{
    size_t m = strlen(s);
    int c = memcmp(w, s, n < m ? n : m);
    return c ? c : (n > m) - (n < m);
}

static int find(const char *const *v, size_t count, const char *w, size_t n)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp(w, n, v[mid]);
        if (c == 0)
            return 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

int acc_stopword(const char *lang, const char *w, size_t n)
{
    size_t count;
    const char *const *v = acc_stopword_list(lang, &count);
    /* no listed word is that long: a bogus n (a negative length cast) is no word */
    if (!v || !w || !n || n >= ACC_STOPWORD_MAX_BYTES)
        return 0;
    return find(v, count, w, n);
}

int acc_stopword_any(const char *w, size_t n)
{
    if (!w || !n || n >= ACC_STOPWORD_MAX_BYTES)
        return 0;
    for (size_t i = 0; i < NLISTS; i++)
        if (find(lists[i].words, lists[i].n, w, n))
            return 1;
    return 0;
}
