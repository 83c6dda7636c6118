/* lib/passages.c: passages in another language than their document's (lib/passages.h). */
#include "passages.h"

#include <string.h>

#include "accord/text.h"
#include "stopwords.h"

/* the languages with a stop list, hence that a passage can be told to be in (in the order of
   acc_stopword_mask's bits) */
#define langs (acc_stopword_langs())
#define NLANGS ACC_STOPWORD_NLANGS

typedef struct counts {
    size_t words;
    size_t hits[NLANGS];
    acc_buf fold;
} counts;

static int on_word(void *ctx, const char *w, size_t n, int cjk)
{
    counts *c = ctx;
    if (cjk)
        return 0;
    c->words++;
    /* one letter says nothing (l. and d. of species names, n and e of
       coordinates), and no function word is that long */
    if (n < 2 || n > 32)
        return 0;
    /* as typed: lower case (ASCII by hand, else the whole pipeline) */
    acc_buf_reset(&c->fold);
    int ascii = 1;
    for (size_t i = 0; i < n && ascii; i++)
        ascii = (unsigned char)w[i] < 0x80;
    if (ascii) {
        for (size_t i = 0; i < n; i++)
            acc_buf_putc(&c->fold, w[i] >= 'A' && w[i] <= 'Z' ? (char)(w[i] - 'A' + 'a') : w[i]);
    } else if (acc_text_norm_fold(w, n, &c->fold, NULL) != ACC_OK) {
        return 0;
    }
    const unsigned mask = acc_stopword_mask(c->fold.p ? c->fold.p : "", c->fold.n);
    for (size_t l = 0; mask && l < NLANGS; l++)
        c->hits[l] += (mask >> l) & 1;
    return 0;
}

void acc_passages_foreign(const char *lang, const char *p, size_t n, acc_passage_fn fn, void *ctx)
{
    counts c;
    acc_buf normed;
    memset(&c, 0, sizeof c);
    acc_buf_init(&c.fold, 0);
    acc_buf_init(&normed, 0);
    size_t own = NLANGS;
    for (size_t l = 0; l < NLANGS; l++)
        if (strcmp(langs[l], lang) == 0)
            own = l;
    for (size_t i = 0; i < n;) {
        const char *nl = memchr(p + i, '\n', n - i);
        size_t len = nl ? (size_t)(nl - (p + i)) : n - i;
        /* a cheap bound first: a line of fewer bytes cannot have enough words */
        if (len >= 2 * ACC_PASSAGE_MIN_WORDS) {
            c.words = 0;
            memset(c.hits, 0, sizeof c.hits);
            acc_text_words(p + i, len, on_word, &c);
            size_t best = 0;
            for (size_t l = 1; l < NLANGS; l++)
                if (c.hits[l] > c.hits[best])
                    best = l;
            size_t mine = own < NLANGS ? c.hits[own] : 0;
            /* function words are a fifth to a half of running prose (lists of
               names and tables have few): a line with a fifth of another
               language's, four at least, and three times as many as of its
               document's language, is in that language */
            if (c.words >= ACC_PASSAGE_MIN_WORDS && best != own && 5 * c.hits[best] >= c.words &&
                c.hits[best] >= 4 && c.hits[best] >= 3 * mine + 2) {
                acc_buf_reset(&normed);
                if (acc_text_norm(p + i, len, &normed, NULL) == ACC_OK)
                    fn(ctx, langs[best], normed.p ? normed.p : "", normed.n);
            }
        }
        i += len + 1;
    }
    acc_buf_release(&c.fold);
    acc_buf_release(&normed);
}
