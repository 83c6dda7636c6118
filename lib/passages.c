/* lib/passages.c: passages in another language than their document's (lib/passages.h). */
#include "passages.h"

#include <stdlib.h>
#include <string.h>

#include "accord/text.h"
#include "stopwords.h"
#include "strmap.h"

/* the languages with a stop list, hence that a passage can be told to be in (in the order of
   acc_stopword_mask's bits) */
#define langs (acc_stopword_langs())
#define NLANGS ACC_STOPWORD_NLANGS

/* non-ASCII words whose masks are remembered per document, at most */
#define MEMO_MAX 4096

typedef struct counts {
    size_t words;
    size_t hits[NLANGS];
    acc_buf fold;
    /* a non-ASCII word's mask, as written: normalising one costs thousands of instructions,
       and a document repeats its words ("für", "été") */
    acc_strmap memo;
    unsigned *masks;
    size_t masks_alloc;
} counts;

/* The stop-list mask of non-ASCII word w[0..n) (lower-cased and folded first). */
static unsigned foreign_mask(counts *c, const char *w, size_t n)
{
    size_t i = acc_strmap_get(&c->memo, w, n);
    if (i != ACC_STRMAP_NONE)
        return c->masks[i];
    acc_buf_reset(&c->fold);
    unsigned mask = acc_text_norm_fold(w, n, &c->fold, NULL) == ACC_OK
                        ? acc_stopword_mask(c->fold.p ? c->fold.p : "", c->fold.n)
                        : 0;
    if (c->memo.n < MEMO_MAX) {
        i = acc_strmap_put(&c->memo, w, n, NULL);
        if (i >= c->masks_alloc) {
            c->masks_alloc = c->masks_alloc ? 2 * c->masks_alloc : 64;
            c->masks = acc_xrealloc(c->masks, c->masks_alloc * sizeof *c->masks);
        }
        c->masks[i] = mask;
    }
    return mask;
}

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
    char low[32];
    int ascii = 1;
    for (size_t i = 0; i < n && ascii; i++) {
        unsigned char ch = (unsigned char)w[i];
        ascii = ch < 0x80;
        low[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    }
    const unsigned mask = ascii ? acc_stopword_mask(low, n) : foreign_mask(c, w, n);
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
    acc_strmap_init(&c.memo);
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
    acc_strmap_release(&c.memo);
    free(c.masks);
    acc_buf_release(&normed);
}
