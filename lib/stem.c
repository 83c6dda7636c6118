/*
 * lib/stem.c: the stemmer of a language in accord's term scheme (lib/stem.h): Xapian's Snowball
 * stem (lib/xap.h) of the word, folded and tagged "<lang>:", Romanian words given the cedilla
 * letters the 1.4 stemmer knows first; and the "fold first" variant.
 */
#include "stem.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "accord/lang.h"
#include "accord/mem.h"
#include "accord/text.h"

typedef struct scheme {
    char tag[ACC_LANG_MAX + 2]; /* "fr:" */
    int romanian;               /* ş and ţ for ș and ț before stemming */
    int memo;                   /* terms remembered (below) */
} scheme;

/*
 * Snowball's stems of the words stemmed last, per thread: a search stems a word of its query
 * in the same language several times (the language guess, the parse, the translation groups,
 * the topics' keys, both as the scheme does and folded first, which for a word without
 * accents is the same Snowball call), about 50 stems a query at 4-5 k instructions each, and
 * the next search stems many of the same words. Direct-mapped by a hash of the language's tag
 * and the word given to Snowball; short words and stems only; fixed size, no memory of its own
 * to free. Only the searches' stemmers use it (acc_stem_new_query): the indexer stems distinct
 * words (a document's, a dictionary's), 6% of them again, and a miss costs about 150
 * instructions. Over bench/load/queries.txt a third of the stems were asked again in the same
 * search, 577 of those once as the scheme's and once folded first (the memo then held the
 * terms, not the stems); /search 5.612 M -> 5.586 M instructions.
 */
#define MEMO_SLOTS 256
#define MEMO_WORD 40
#define MEMO_TERM 56

typedef struct memo {
    unsigned char used, wn, tn;
    char tag[ACC_LANG_MAX + 2];
    char w[MEMO_WORD];
    char term[MEMO_TERM];
} memo;

static __thread memo memos[MEMO_SLOTS];

static memo *memo_slot(const scheme *k, const char *w, size_t n)
{
    uint64_t h = acc_fnv1a(k->tag, strlen(k->tag), ACC_FNV_INIT);
    h = acc_fnv1a(w, n, h);
    return &memos[h % MEMO_SLOTS];
}

/* Appends the remembered stem of w[0..n) in k's language to out: 1, else 0. */
static int memo_get(const scheme *k, const char *w, size_t n, acc_buf *out)
{
    if (n > MEMO_WORD)
        return 0;
    const memo *m = memo_slot(k, w, n);
    if (!m->used || m->wn != n || strcmp(m->tag, k->tag) != 0 || memcmp(m->w, w, n) != 0)
        return 0;
    acc_buf_append(out, m->term, m->tn);
    return 1;
}

static void memo_put(const scheme *k, const char *w, size_t n, const char *t, size_t tn)
{
    if (n > MEMO_WORD || tn > MEMO_TERM)
        return;
    memo *m = memo_slot(k, w, n);
    m->used = 1;
    m->wn = (unsigned char)n;
    m->tn = (unsigned char)tn;
    memcpy(m->tag, k->tag, sizeof m->tag);
    memcpy(m->w, w, n);
    memcpy(m->term, t, tn);
}

/* w[0..n) as the stemmer needs it (the language's rewriting), in tmp when rewritten. */
static const char *prepared(const scheme *k, const char *w, size_t n, acc_buf *tmp)
{
    if (!k->romanian || !n)
        return w;
    acc_buf_reset(tmp);
    acc_buf_append(tmp, w, n);
    acc_text_ro_cedilla(tmp->p, tmp->n);
    return tmp->p;
}

/* Snowball's stem of p[0..n) appended to out (remembered by a search's stemmer). */
static void snowball(const scheme *k, const acc_xap_snowball *sb, const char *p, size_t n,
                     acc_buf *out)
{
    if (k->memo && memo_get(k, p, n, out))
        return;
    const size_t from = out->n;
    acc_xap_snowball_stem(sb, p, n, out);
    if (k->memo && !out->toobig)
        memo_put(k, p, n, out->p + from, out->n - from);
}

/* tag + fold(stem(w)): what the query parser and the indexer make of a word */
static acc_status scheme_term(const void *ctx, const acc_xap_snowball *sb, const char *w, size_t n,
                              acc_buf *out, acc_error *err)
{
    const scheme *k = ctx;
    acc_buf tmp, st;
    acc_buf_init(&tmp, 0);
    acc_buf_init(&st, 0);
    snowball(k, sb, prepared(k, w, n, &tmp), n, &st);
    acc_buf_append(out, k->tag, strlen(k->tag));
    acc_status r = acc_text_fold(st.p ? st.p : "", st.n, out, err);
    acc_buf_release(&tmp);
    acc_buf_release(&st);
    return r;
}

static acc_xap_stem *stem_new(const char *lang, int remember)
{
    const char *algorithm = acc_lang_stemmer(lang);
    scheme k;
    if (!algorithm)
        return NULL;
    memset(&k, 0, sizeof k);
    snprintf(k.tag, sizeof k.tag, "%s:", lang);
    /* the 1.4 Romanian stemmer only knows ş and ţ: organizaţiei and organizației must stem alike */
    k.romanian = strcmp(lang, "ro") == 0;
    k.memo = remember;
    return acc_xap_stem_new(algorithm, scheme_term, &k, sizeof k);
}

acc_xap_stem *acc_stem_new(const char *lang)
{
    return stem_new(lang, 0);
}

acc_xap_stem *acc_stem_new_query(const char *lang)
{
    return stem_new(lang, 1);
}

void acc_stem_folded(acc_xap_stem *s, const char *w, size_t n, acc_buf *out)
{
    const scheme *k = acc_xap_stem_ctx(s);
    acc_buf tmp, f, st;
    acc_buf_init(&tmp, 0);
    acc_buf_init(&f, 0);
    acc_buf_init(&st, 0);
    const char *p = prepared(k, w, n, &tmp);
    /* normalised text folds; were it not to, the word is stemmed as it is */
    if (acc_text_fold(p, n, &f, NULL) != ACC_OK) {
        acc_buf_reset(&f);
        acc_buf_append(&f, p, n);
    }
    snowball(k, acc_xap_stem_snowball(s), f.p ? f.p : "", f.n, &st);
    acc_buf_append(out, k->tag, strlen(k->tag));
    acc_buf_append(out, st.p ? st.p : "", st.n);
    acc_buf_release(&tmp);
    acc_buf_release(&f);
    acc_buf_release(&st);
}

/* characters at the end of a stem a word stemmed to it may differ in (English -y and -i,
   French -qu and -c, Dutch -z and -s, consonants undoubled) */
#define STEM_SLACK 2

/*
 * The bytes at the start of stem[0..n) (lang's) that every word stemmed to it begins with, as
 * far as a scan needs: the stem but its last STEM_SLACK characters, at least its first
 * 4 bytes (or all of it). The index's words scanned for variants are those beginning so, each
 * stemmed (about 5,000 instructions a word): Zen:ballast scanned the words in "ball", now those
 * in "balla" (the search "ballast water": 14.05 M -> 13.66 M instructions).
 *
 * Where a stemmer changes letters inside a word, the first 4 bytes as before:
 * - German (german2) reads ae, oe, ue as ä, ö, ü: the stem's a, o or u may be the word's "ae",
 *   "oe", "ue", so the part kept ends at the first of them past the first 4 bytes (and is the
 *   first 4 bytes when those hold an "ae", "oe" or "ue" that may have been "aee" ...);
 * - Catalan writes the middle dot of l·l as '.': the part kept ends before the first '.';
 * - Arabic normalises letters and drops marks inside words; Finnish undoubles consonants.
 * Checked on the index words of the real corpus (143,991) and of the large one (270,022), each
 * stemmed in the 24 languages with a stemmer: every word the 4-byte scan found as a variant,
 * this one finds (with a slack of one character instead of two, the real corpus' 10 are lost:
 * French application -> appliqu...).
 */
size_t acc_stem_stable_prefix(const char *stem, size_t n, const char *lang, size_t lang_len)
{
    size_t h = n < 4 ? n : 4;
    while (h > 1 && h < n && ((unsigned char)stem[h] & 0xC0) == 0x80)
        h--; /* not inside a UTF-8 character */
    if (lang_len == 2 && (memcmp(lang, "ar", 2) == 0 || memcmp(lang, "fi", 2) == 0))
        return h;
    size_t chars = 0;
    for (size_t i = 0; i < n; i++)
        chars += ((unsigned char)stem[i] & 0xC0) != 0x80;
    size_t k = 0; /* bytes of the stem's first chars - STEM_SLACK characters */
    for (size_t c = 0; c + STEM_SLACK < chars; c++) {
        k++;
        while (k < n && ((unsigned char)stem[k] & 0xC0) == 0x80)
            k++;
    }
    if (lang_len == 2 && memcmp(lang, "de", 2) == 0) {
        for (size_t i = 0; i + 1 < h; i++)
            if ((stem[i] == 'a' || stem[i] == 'o' || stem[i] == 'u') && stem[i + 1] == 'e')
                return h;
        for (size_t i = h - 1; i < k; i++)
            if (stem[i] == 'a' || stem[i] == 'o' || stem[i] == 'u') {
                k = i + 1;
                break;
            }
    } else if (lang_len == 2 && memcmp(lang, "ca", 2) == 0) {
        const char *dot = memchr(stem, '.', k);
        if (dot)
            k = (size_t)(dot - stem);
    }
    return k > h ? k : h;
}
