/*
 * lib/lexbuild.c: builds the translation table of an index
 * (include/accord/lexicon.h; the format is in lib/lexicon.h; the builder's parts in
 * lib/lexbuild.h).
 *
 * Every source offers candidates (source language and text, target language
 * and text, kind). A candidate is kept only when its words' stems occur in
 * the index's documents of the target language: a dictionary of 464,000
 * English headwords shrinks to what this collection can match, and senses
 * foreign to it (the geologist's "Gesteinsgang" for "dike") mostly vanish.
 * Per source and target language the candidates are ranked thesaurus first
 * (a controlled vocabulary of the domain), then the dictionaries read
 * forwards, then backwards (an nld-eng headword is an English word's Dutch
 * translation), each by how many documents of the target language have
 * them (the target language's own statistics); the dictionaries' are cut
 * to max_per_word.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "accord/lang.h"
#include "accord/log.h"
#include "accord/schema.h"
#include "accord/text.h"
#include "lexbuild.h"
#include "lextable.h"

#define DEFAULT_PER_WORD 4
/* at most this many translations of one source per target language */
#define MAX_PER_TARGET 8

/* ------------------------------------------------------------ languages */

lang_state *acc_lexb_lang_get(builder *b, const char *code)
{
    /* the dictionaries' offers name their languages by b's own codes: found by address */
    for (size_t i = 0; i < b->nlangs; i++)
        if (b->langs[i].code == code)
            return &b->langs[i];
    for (size_t i = 0; i < b->nlangs; i++)
        if (strcmp(b->langs[i].code, code) == 0)
            return &b->langs[i];
    return NULL;
}

lang_state *acc_lexb_lang_add(builder *b, const char *code, int in_index)
{
    lang_state *l = acc_lexb_lang_get(b, code);
    if (l || b->nlangs >= MAX_LANGS)
        return l;
    l = &b->langs[b->nlangs++];
    memset(l, 0, sizeof *l);
    snprintf(l->code, sizeof l->code, "%s", code);
    l->in_index = in_index;
    l->stem = acc_stem_new(code);
    acc_strmap_init(&l->terms);
    acc_strmap_init(&l->memo);
    acc_strmap_init(&l->memo_stems);
    return l;
}

static int on_lang_term(void *ctx, const char *t, size_t n, unsigned long f)
{
    builder *b = ctx;
    char code[ACC_LANG_MAX];
    size_t pl = strlen(ACC_PFX_LANG);
    (void)f;
    if (n - pl >= sizeof code)
        return 0;
    memcpy(code, t + pl, n - pl);
    code[n - pl] = '\0';
    acc_lexb_lang_add(b, code, 1);
    return 0;
}

static int on_stem_term(void *ctx, const char *t, size_t n, unsigned long f)
{
    lang_state *l = ctx;
    size_t i = acc_strmap_put(&l->terms, t, n, NULL);
    if (i >= l->dfalloc) {
        l->dfalloc = l->dfalloc ? 2 * l->dfalloc : 4096;
        l->df = acc_xrealloc(l->df, l->dfalloc * sizeof *l->df);
    }
    l->df[i] = f;
    return 0;
}

/* The index's stems of language l, read on first use. */
acc_status acc_lexb_lang_load(builder *b, lang_state *l)
{
    if (l->loaded || !l->in_index)
        return ACC_OK;
    l->loaded = 1;
    acc_buf_reset(&b->a);
    acc_buf_append(&b->a, ACC_PFX_STEM, strlen(ACC_PFX_STEM));
    acc_buf_append(&b->a, l->code, strlen(l->code));
    acc_buf_putc(&b->a, ':');
    return acc_xap_db_terms(b->db, b->a.p, b->a.n, 0, NULL, on_stem_term, l, b->err);
}

/* The tagged stem of folded word w[0..n) in l ("nl:waterker"; unstemmed: "zh:w"), *len its length.
 */
static const char *stem_of(lang_state *l, const char *w, size_t n, acc_buf *scratch, size_t *len)
{
    int added = 0;
    size_t i = acc_strmap_put(&l->memo, w, n, &added);
    if (added) {
        acc_buf_reset(scratch);
        if (l->stem) {
            acc_xap_stem_word(l->stem, w, n, scratch);
        } else {
            acc_buf_append(scratch, l->code, strlen(l->code));
            acc_buf_putc(scratch, ':');
            acc_buf_append(scratch, w, n);
        }
        if (i >= l->memo_alloc) {
            l->memo_alloc = l->memo_alloc ? 2 * l->memo_alloc : 4096;
            l->memo_to = acc_xrealloc(l->memo_to, l->memo_alloc * sizeof *l->memo_to);
        }
        l->memo_to[i] =
            acc_strmap_put(&l->memo_stems, scratch->p ? scratch->p : "", scratch->n, NULL);
    }
    return acc_strmap_key(&l->memo_stems, l->memo_to[i], len);
}

/* Appends the key form of folded word w[0..n) in l (acc_lex_word_key, memoised). */
void acc_lexb_word_key(builder *b, lang_state *l, const char *w, size_t n, acc_buf *out)
{
    if (!l->stem) {
        acc_buf_append(out, w, n);
        return;
    }
    size_t len;
    const char *st = stem_of(l, w, n, &b->d, &len);
    const char *colon = memchr(st, ':', len);
    size_t skip = colon ? (size_t)(colon + 1 - st) : 0;
    acc_buf_append(out, st + skip, len - skip);
}

/* -------------------------------------------------------------- words */

static int on_word(void *ctx, const char *w, size_t n, int cjk)
{
    words *ws = ctx;
    if (ws->count > ACC_LEX_MAX_WORDS)
        return 1;
    ws->cjk |= cjk;
    ws->w[ws->count] = w;
    ws->n[ws->count++] = n;
    return 0;
}

/* The words of folded text f (more than ACC_LEX_MAX_WORDS: count says so). */
void acc_lexb_split(const acc_buf *f, words *ws)
{
    memset(ws, 0, sizeof *ws);
    if (f->n)
        acc_text_words(f->p, f->n, on_word, ws);
}

/* --------------------------------------------------------------- adding */

/* The entry of key i of b->keys (a new key: an empty entry). */
entry *acc_lexb_entry_of(builder *b, size_t i)
{
    if (i >= b->alloc) {
        size_t old = b->alloc;
        b->alloc = b->alloc ? 2 * b->alloc : 4096;
        while (b->alloc <= i)
            b->alloc *= 2;
        b->entries = acc_xrealloc(b->entries, b->alloc * sizeof *b->entries);
        memset(b->entries + old, 0, (b->alloc - old) * sizeof *b->entries);
    }
    return &b->entries[i];
}

void acc_lexb_entry_add(entry *e, const cand *c)
{
    for (size_t i = 0; i < e->n; i++) {
        cand *o = &e->v[i];
        if (strcmp(o->lang, c->lang) == 0 && strcmp(o->terms, c->terms) == 0) {
            /* the same translation from two sources: the better kind wins */
            if (c->kind < o->kind)
                o->kind = c->kind;
            free(c->display);
            free(c->terms);
            return;
        }
    }
    e->v = acc_xrealloc(e->v, (e->n + 1) * sizeof *e->v);
    e->v[e->n++] = *c;
}

/* ---------------------------------------------------------------- sides */

static void side_init(lex_side *d)
{
    memset(d, 0, sizeof *d);
    acc_buf_init(&d->text, 0);
    acc_buf_init(&d->shown, 0);
    acc_buf_init(&d->fold, 0);
    acc_buf_init(&d->key, 0);
    acc_buf_init(&d->stems, 0);
    acc_buf_init(&d->phrase, 0);
}

static void side_release(lex_side *d)
{
    acc_buf_release(&d->text);
    acc_buf_release(&d->shown);
    acc_buf_release(&d->fold);
    acc_buf_release(&d->key);
    acc_buf_release(&d->stems);
    acc_buf_release(&d->phrase);
}

void acc_lexb_bufs_init(builder *b)
{
    acc_buf_init(&b->a, 0);
    acc_buf_init(&b->b, 0);
    acc_buf_init(&b->c, 0);
    acc_buf_init(&b->d, 0);
    side_init(&b->tgt);
    side_init(&b->src);
}

void acc_lexb_bufs_release(builder *b)
{
    acc_buf_release(&b->a);
    acc_buf_release(&b->b);
    acc_buf_release(&b->c);
    acc_buf_release(&b->d);
    side_release(&b->tgt);
    side_release(&b->src);
}

/* Whether d holds text p[0..n) in language code (so what it came to is there); if not, d is
   emptied and takes them, not yet prepared. */
static int side_same(lex_side *d, const char *code, const char *p, size_t n)
{
    if (d->done && strcmp(d->lang, code) == 0 && d->text.n == n &&
        memcmp(d->text.p ? d->text.p : "", p, n) == 0)
        return 1;
    acc_lexb_code_copy(d->lang, sizeof d->lang, code);
    acc_buf_reset(&d->text);
    acc_buf_append(&d->text, p, n);
    acc_buf_reset(&d->shown);
    acc_buf_reset(&d->fold);
    acc_buf_reset(&d->key);
    acc_buf_reset(&d->stems);
    acc_buf_reset(&d->phrase);
    memset(&d->w, 0, sizeof d->w);
    d->done = 1;
    d->folded = 0;
    return 0;
}

static const char *buf_str(const acc_buf *a)
{
    return a->p ? a->p : "";
}

/* Appends the stem term of folded word w[0..n) in l ("Z" and its tagged stem) to out. */
static void stem_term(builder *b, lang_state *l, const char *w, size_t n, acc_buf *out)
{
    size_t len;
    const char *st = stem_of(l, w, n, &b->d, &len);
    acc_buf_append(out, ACC_PFX_STEM, strlen(ACC_PFX_STEM));
    acc_buf_append(out, st, len);
}

/* Documents of l having stem term t[0..n) (0 when none). */
static unsigned long term_df(const lang_state *l, const char *t, size_t n)
{
    size_t i = acc_strmap_get(&l->terms, t, n);
    return i == ACC_STRMAP_NONE ? 0 : l->df[i];
}

/*
 * Text dst[0..n) as a target in language l: normalised once, the display, then folded, the
 * words (acc_text_norm_fold in two steps), each word's stem term, and for several words the
 * terms as the documents have them (German: the digraphs' e dropped, as lib/docbuild.c does).
 */
const lex_target *acc_lexb_prep_target(builder *b, lang_state *l, const char *dst, size_t n)
{
    lex_side *d = &b->tgt;
    lex_target *g = &d->tg;
    if (side_same(d, l->code, dst, n))
        return g;
    memset(g, 0, sizeof *g);
    if (acc_text_norm(dst, n, &d->shown, NULL) != ACC_OK ||
        acc_text_fold(buf_str(&d->shown), d->shown.n, &d->fold, NULL) != ACC_OK)
        return g;
    d->folded = 1;
    acc_lexb_split(&d->fold, &d->w);
    if (!d->w.count || d->w.count > ACC_LEX_MAX_WORDS || d->w.cjk)
        return g;
    const int german = strcmp(l->code, "de") == 0;
    for (size_t i = 0; i < d->w.count; i++) {
        stem_term(b, l, d->w.w[i], d->w.n[i], &d->stems);
        acc_buf_putc(&d->stems, '\0');
        if (d->w.count == 1)
            break;
        if (i)
            acc_buf_putc(&d->phrase, ' ');
        if (german)
            acc_text_de_digraphs(d->w.w[i], d->w.n[i], &d->phrase);
        else
            acc_buf_append(&d->phrase, d->w.w[i], d->w.n[i]);
    }
    g->ok = 1;
    g->shown = buf_str(&d->shown);
    g->shown_n = d->shown.n;
    g->stems = buf_str(&d->stems);
    g->stems_n = d->stems.n;
    g->nwords = d->w.count;
    g->phrase = buf_str(&d->phrase);
    g->phrase_n = d->phrase.n;
    return g;
}

/* Text src[0..n) as a source in language l: its words and its table key; for one word, its
   stem term too. */
const lex_source *acc_lexb_prep_source(builder *b, lang_state *l, const char *src, size_t n)
{
    lex_side *d = &b->src;
    lex_source *o = &d->so;
    if (side_same(d, l->code, src, n))
        return o;
    memset(o, 0, sizeof *o);
    /* the same text just prepared as a target (a dictionary's text is prepared both ways):
       its folded form is the same, acc_text_norm_fold being acc_text_norm then acc_text_fold */
    const lex_side *t = &b->tgt;
    if (t->done && t->folded && strcmp(t->lang, l->code) == 0 && t->text.n == n &&
        memcmp(t->text.p ? t->text.p : "", src, n) == 0)
        acc_buf_append(&d->fold, t->fold.p ? t->fold.p : "", t->fold.n);
    else if (acc_text_norm_fold(src, n, &d->fold, NULL) != ACC_OK)
        return o;
    acc_lexb_split(&d->fold, &d->w);
    if (!d->w.count || d->w.count > ACC_LEX_MAX_WORDS || d->w.cjk)
        return o;
    o->words = 1;
    acc_lex_key_prefix(l->code, &d->key);
    for (size_t i = 0; i < d->w.count; i++) {
        if (i)
            acc_buf_putc(&d->key, ' ');
        acc_lexb_word_key(b, l, d->w.w[i], d->w.n[i], &d->key);
    }
    if (d->key.n > ACC_LEX_MAX_KEY)
        return o;
    if (d->w.count == 1)
        stem_term(b, l, d->w.w[0], d->w.n[0], &d->stems);
    o->ok = 1;
    o->key = buf_str(&d->key);
    o->key_n = d->key.n;
    o->stem1 = buf_str(&d->stems);
    o->stem1_n = d->stems.n;
    return o;
}

/* Whether every word of target g occurs in l's documents, *least the fewest documents of
   one; when not, the candidate is counted as dropped. */
static int target_found(builder *b, const lang_state *l, const lex_target *g, unsigned long *least)
{
    const char *p = g->stems;
    for (size_t i = 0; i < g->nwords; i++) {
        size_t len = strlen(p);
        unsigned long df = term_df(l, p, len);
        if (!df) {
            b->dropped++;
            return 0;
        }
        if (!i || df < *least)
            *least = df;
        p += len + 1;
    }
    return 1;
}

/* The candidate "o means g (in lt, documents: least)" into its entry; 1 when kept. */
static int offer_add(builder *b, const char *s, const lex_source *o, lang_state *lt,
                     const lex_target *g, unsigned long least, int kind)
{
    /* a single word's term is its stem term; a phrase's, its words */
    const char *terms = g->nwords == 1 ? g->stems : g->phrase;
    size_t terms_n = g->nwords == 1 ? strlen(g->stems) : g->phrase_n;
    /* a synonym that stems like the word itself adds nothing */
    if (strcmp(s, lt->code) == 0 && g->nwords == 1 && o->stem1_n == terms_n &&
        memcmp(o->stem1, terms, terms_n) == 0)
        return 0;
    cand c = {{0}, kind, least, NULL, NULL};
    acc_lexb_code_copy(c.lang, sizeof c.lang, lt->code);
    c.terms = acc_xstrndup(terms, terms_n);
    c.display = acc_xstrndup(g->shown, g->shown_n);
    acc_lexb_entry_add(acc_lexb_entry_of(b, acc_strmap_put(&b->keys, o->key, o->key_n, NULL)), &c);
    return 1;
}

int acc_lexb_offer_prepared(builder *b, const char *s, const lex_source *o, const char *t,
                            const lex_target *g, int kind)
{
    lang_state *ls = acc_lexb_lang_get(b, s), *lt = acc_lexb_lang_get(b, t);
    unsigned long least = 0;
    if (!ls || !lt || !lt->in_index || !g->ok || !target_found(b, lt, g, &least) || !o->ok)
        return 0;
    return offer_add(b, s, o, lt, g, least, kind);
}

/*
 * Offers "src (in language s) means dst (in language t)". Returns 1 when
 * kept, 0 when dropped.
 */
int acc_lexb_offer(builder *b, const char *s, const char *src, size_t srclen, const char *t,
                   const char *dst, size_t dstlen, int kind)
{
    lang_state *ls = acc_lexb_lang_get(b, s), *lt = acc_lexb_lang_get(b, t);
    unsigned long least = 0;
    if (!ls || !lt || !lt->in_index)
        return 0;
    /* the target first: most candidates have a word no document has, and
       need no more work (a dictionary is read whole for a small index too) */
    const lex_target *g = acc_lexb_prep_target(b, lt, dst, dstlen);
    if (!g->ok || !target_found(b, lt, g, &least))
        return 0;
    const lex_source *o = acc_lexb_prep_source(b, ls, src, srclen);
    if (!o->ok)
        return 0;
    return offer_add(b, s, o, lt, g, least, kind);
}

/* Appends what[0..] to the report's list of sources. */
void acc_lexb_note(char *sources, size_t cap, const char *what)
{
    size_t at = strlen(sources);
    if (at + strlen(what) + 3 < cap)
        snprintf(sources + at, cap - at, "%s%s", at ? ", " : "", what);
}

/* --------------------------------------------------------------- output */

static int cand_cmp(const void *pa, const void *pb)
{
    const cand *a = pa, *b = pb;
    int c = strcmp(a->lang, b->lang);
    if (c)
        return c;
    if (a->kind != b->kind)
        return a->kind - b->kind;
    if (a->df != b->df)
        return a->df > b->df ? -1 : 1;
    return strcmp(a->terms, b->terms);
}

/* x in decimal (printf's "%lu" without its cost: a line per translation) */
static void put_count(acc_buf *v, unsigned long x)
{
    char d[24];
    size_t n = 0;
    do
        d[n++] = (char)('0' + x % 10);
    while (x /= 10);
    while (n)
        acc_buf_putc(v, d[--n]);
}

/* A candidate's terms in their short form when there is one (lib/lexicon.h). */
static void put_terms(acc_buf *v, const cand *c)
{
    char pre[ACC_LANG_MAX + 8];
    size_t tn = strlen(c->terms);
    int pn = snprintf(pre, sizeof pre, "%s%s:", ACC_PFX_STEM, c->lang);
    if (strcmp(c->terms, c->display) == 0) {
        acc_buf_putc(v, '=');
    } else if (pn > 0 && tn > (size_t)pn && tn <= ACC_LEX_SHORT_TERMS &&
               memcmp(c->terms, pre, (size_t)pn) == 0) {
        acc_buf_putc(v, '+');
        acc_buf_append(v, c->terms + pn, tn - (size_t)pn);
    } else {
        acc_buf_append(v, c->terms, tn);
    }
}

/*
 * Writes the table (lib/lextable.h): only the buckets whose entries changed, and deletes those
 * gone, so that rebuilding after every indexing run rewrites (and grows the index by) what
 * changed, not the whole table.
 */
static acc_status write_table(builder *b, acc_xap_wdb *w, unsigned per_word,
                              acc_lexicon_report *rep)
{
    acc_buf v;
    acc_lex_table *t = acc_lex_table_new();
    acc_buf_init(&v, 0);
    for (size_t i = 0; i < b->keys.n; i++) {
        entry *e = &b->entries[i];
        size_t klen;
        const char *key = acc_strmap_key(&b->keys, i, &klen);
        qsort(e->v, e->n, sizeof *e->v, cand_cmp);
        acc_buf_reset(&v);
        unsigned long stored = 0;
        for (size_t j = 0, run = 0, dicts = 0; j < e->n; j++) {
            const cand *c = &e->v[j];
            if (j && strcmp(c->lang, e->v[j - 1].lang) != 0)
                run = dicts = 0;
            int dict = c->kind >= KIND_DICT;
            if (run >= MAX_PER_TARGET || (dict && dicts >= per_word))
                continue;
            run++;
            dicts += dict;
            acc_buf_append(&v, c->lang, strlen(c->lang));
            acc_buf_putc(&v, '\t');
            acc_buf_append(&v, c->display, strlen(c->display));
            acc_buf_putc(&v, '\t');
            put_terms(&v, c);
            acc_buf_putc(&v, '\t');
            put_count(&v, c->df);
            acc_buf_putc(&v, '\n');
            stored++;
        }
        if (!stored)
            continue;
        acc_lex_table_add(t, key, klen, v.p, v.n);
        rep->entries++;
        rep->translations += stored;
    }
    acc_lex_written wr;
    acc_status st = acc_lex_table_write(t, w, &wr, b->err);
    rep->bytes = wr.bytes;
    rep->stored = wr.stored;
    rep->buckets = wr.buckets;
    rep->written = wr.written;
    acc_buf_release(&v);
    acc_lex_table_free(t);
    return st;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

acc_status acc_lexicon_build(acc_writer *wr, const acc_lexicon_opts *o, acc_lexicon_report *rep,
                             acc_error *err)
{
    builder b;
    acc_xap_wdb *w = acc_writer_xap(wr);
    double t0 = now_s();
    acc_status st;
    memset(rep, 0, sizeof *rep);
    memset(&b, 0, sizeof b);
    b.db = acc_writer_reader(wr, err);
    if (!b.db)
        return acc_error_prefix(err, err ? err->code : ACC_EIO, "cannot read the index");
    b.err = err;
    acc_strmap_init(&b.keys);
    acc_lexb_bufs_init(&b);
    st = acc_xap_db_terms(b.db, ACC_PFX_LANG, strlen(ACC_PFX_LANG), 0, NULL, on_lang_term, &b, err);
    /* English queries reach the others even where no document is English */
    if (st == ACC_OK)
        acc_lexb_lang_add(&b, "en", 0);
    /* where the time goes, for --verbose: dictionaries, pivots, thesauri and synonyms,
       phrases, writing */
    double lap[5] = {0}, t = t0;
    if (st == ACC_OK && o->dict_dir && *o->dict_dir)
        st = acc_lexb_read_dicts(&b, o->dict_dir, o->cache_dir, o->threads, rep);
    lap[0] = now_s() - t;
    t += lap[0];
    if (st == ACC_OK && b.npivots) {
        char what[96];
        snprintf(what, sizeof what, "through German or English (%lu kept)",
                 acc_lexb_read_pivots(&b, o->threads));
        acc_lexb_note(rep->sources, sizeof rep->sources, what);
    }
    lap[1] = now_s() - t;
    t += lap[1];
    if (st == ACC_OK && o->nthesauri)
        st = acc_lexb_read_thesauri(&b, o, rep);
    if (st == ACC_OK && o->synonyms)
        st = acc_lexb_read_synonyms(&b, o->synonyms, rep);
    lap[2] = now_s() - t;
    t += lap[2];
    if (st == ACC_OK) {
        /* a phrase no document has matches nothing, but costs every search through it */
        acc_error perr;
        if (acc_lexb_drop_absent_phrases(&b, acc_writer_path(wr), o->threads, &rep->phrases,
                                         &rep->absent, &rep->rare, &perr) != ACC_OK)
            acc_log(ACC_LOG_WARN, "phrase translations kept unchecked: %s", perr.msg);
    }
    lap[3] = now_s() - t;
    t += lap[3];
    if (st == ACC_OK)
        st = write_table(&b, w, o->max_per_word ? o->max_per_word : DEFAULT_PER_WORD, rep);
    lap[4] = now_s() - t;
    rep->dropped = b.dropped;
    rep->seconds = now_s() - t0;
    acc_log(ACC_LOG_DEBUG,
            "translation table: dictionaries %.2f s, pivots %.2f s, thesauri and synonyms %.2f s, "
            "phrases %.2f s, writing %.2f s",
            lap[0], lap[1], lap[2], lap[3], lap[4]);
    if (st == ACC_OK) {
        json_t *m =
            json_pack("{s:s,s:I,s:I,s:I,s:I,s:I}", "sources", rep->sources, "entries",
                      (json_int_t)rep->entries, "translations", (json_int_t)rep->translations,
                      "bytes", (json_int_t)rep->bytes, "stored_bytes", (json_int_t)rep->stored,
                      "buckets", (json_int_t)rep->buckets);
        char *s = m ? json_dumps(m, JSON_COMPACT) : NULL;
        if (s)
            st = acc_xap_wdb_set_meta(w, ACC_LEX_META_KEY, s, err);
        free(s);
        json_decref(m);
    }
    for (size_t i = 0; i < b.keys.n; i++) {
        for (size_t j = 0; j < b.entries[i].n; j++) {
            free(b.entries[i].v[j].display);
            free(b.entries[i].v[j].terms);
        }
        free(b.entries[i].v);
    }
    free(b.entries);
    acc_strmap_release(&b.keys);
    for (size_t i = 0; i < b.nlangs; i++) {
        acc_xap_stem_free(b.langs[i].stem);
        acc_strmap_release(&b.langs[i].terms);
        free(b.langs[i].df);
        acc_strmap_release(&b.langs[i].memo);
        acc_strmap_release(&b.langs[i].memo_stems);
        free(b.langs[i].memo_to);
    }
    acc_lexb_bufs_release(&b);
    for (size_t i = 0; i < b.npivots; i++) {
        free(b.pivots[i].src_key);
        free(b.pivots[i].mid_key);
    }
    free(b.pivots);
    if (st != ACC_OK)
        acc_error_prefix(err, st, "cannot build the translation table");
    return st;
}
