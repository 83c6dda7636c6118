/*
 * lib/docbuild.c: an acc_doc becomes a Xapian document (acc_docbuild).
 * The term scheme is the one of include/accord/schema.h:
 *
 * - pass A: the folded words with positions, title (S prefix, then
 *   unprefixed with ACC_TITLE_WDF) and body chunk by chunk, as acc_text_terms
 *   cuts them (the terms TermGenerator would make; German digraphs spelt
 *   out, see acc_text_de_digraphs);
 * - pass B: language-tagged stems fold(stem(w)) and stem(fold(w)), once per
 *   distinct word of the normalised (accented) text, the word itself with its
 *   accents (A prefix) when folding changes it, and ZS stems of the title
 *   for title:word; lines in another language than the document's also
 *   with that language's stems, and the document marked XQ<lang>;
 * - topics: from the metadata, then those the vocabulary's rule gives;
 * - boolean filter terms, values for facets and sorting, the record, the
 *   stored text (docstore.c).
 *
 * Thread-safe: building needs no index, so several threads build while one
 * writes.
 */
#include "docbuild.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/schema.h"
#include "accord/text.h"
#include "accord/writer.h"
#include "commitq.h"
#include "docstore.h"
#include "passages.h"
#include "record.h"
#include "stopwords.h"
#include "stem.h"
#include "topicmatch.h"

/* Adds the terms of acc_text_terms() to a document, as TermGenerator would. */
typedef struct sink {
    acc_xap_doc *doc;
    const char *prefix;
    size_t plen;
    unsigned pos;
    unsigned wdf;
    acc_buf term;
} sink;

static void on_term(void *ctx, const char *t, size_t n, int positional)
{
    sink *s = ctx;
    acc_buf_reset(&s->term);
    acc_buf_append(&s->term, s->prefix, s->plen);
    acc_buf_append(&s->term, t, n);
    if (positional)
        acc_xap_doc_add_posting(s->doc, s->term.p, s->term.n, ++s->pos, s->wdf);
    else
        acc_xap_doc_add_term(s->doc, s->term.p, s->term.n, s->wdf);
}

static void lower_ascii(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

/* out = fold(p[0..n)), German digraphs spelt out when german (reset first). */
static acc_status fold(const char *p, size_t n, int german, acc_buf *out, acc_error *err)
{
    acc_buf f;
    acc_status st;
    acc_buf_reset(out);
    if (!german)
        return acc_text_fold(p, n, out, err);
    acc_buf_init(&f, 0);
    st = acc_text_fold(p, n, &f, err);
    if (st == ACC_OK)
        acc_text_de_digraphs(f.p ? f.p : "", f.n, out);
    acc_buf_release(&f);
    return st;
}

acc_status acc_docbuild_fold_text(const char *p, size_t n, int german, acc_buf *norm,
                                  acc_buf *folded, acc_error *err)
{
    acc_buf_reset(norm);
    acc_status st = acc_text_norm(p, n, norm, err);
    return st == ACC_OK ? fold(norm->p ? norm->p : "", norm->n, german, folded, err) : st;
}

int acc_docbuild_german(const char *lang, size_t n)
{
    return n == 2 && (lang[0] | 0x20) == 'd' && (lang[1] | 0x20) == 'e';
}

/* A filter value as indexed: normalised and folded (`type:Treaty` finds "treaty"). */
static char *filter_value(const char *s)
{
    acc_buf b;
    acc_buf_init(&b, 0);
    if (s && acc_text_norm_fold(s, strlen(s), &b, NULL) != ACC_OK)
        acc_buf_reset(&b);
    return acc_buf_detach(&b, NULL);
}

static void add_prefixed(acc_xap_doc *d, const char *prefix, const char *v, size_t n, unsigned wdf)
{
    acc_buf t;
    acc_buf_init(&t, 0);
    acc_buf_append(&t, prefix, strlen(prefix));
    acc_buf_append(&t, v, n);
    acc_xap_doc_add_term(d, t.p, t.n, wdf);
    acc_buf_release(&t);
}

static int is_ascii(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)p[i] >= 0x80)
            return 0;
    return 1;
}

/* Pass B: the stems of every distinct word, and each word's topic key. */
static void add_stems(acc_xap_doc *doc, acc_wordseq *ws, acc_xap_stem *stem)
{
    acc_buf sf, fs, t;
    acc_buf_init(&sf, 0);
    acc_buf_init(&fs, 0);
    acc_buf_init(&t, 0);
    for (size_t i = 0; i < acc_wordseq_count(ws); i++) {
        size_t n;
        const char *w = acc_wordseq_word(ws, i, &n);
        if (ws->cjk[i]) {
            acc_wordseq_set_key(ws, i, w, n);
            continue;
        }
        acc_buf_reset(&fs);
        if (!stem) {
            acc_text_fold(w, n, &fs, NULL);
            acc_wordseq_set_key(ws, i, fs.p ? fs.p : "", fs.n);
            continue;
        }
        acc_buf_reset(&sf);
        acc_xap_stem_word(stem, w, n, &sf);
        /* for a plain ASCII word folding changes nothing: one stem suffices */
        if (is_ascii(w, n))
            acc_buf_append(&fs, sf.p, sf.n);
        else
            acc_stem_folded(stem, w, n, &fs);
        add_prefixed(doc, ACC_PFX_STEM, sf.p, sf.n, ws->wdf[i]);
        if (fs.n != sf.n || memcmp(fs.p, sf.p, fs.n) != 0)
            add_prefixed(doc, ACC_PFX_STEM, fs.p, fs.n, ws->wdf[i]);
        if (!is_ascii(w, n)) {
            /* the spelling with its accents, so that Größe ranks above Grosse
               for a query typed with them */
            acc_buf_reset(&t);
            acc_text_fold(w, n, &t, NULL);
            if (t.n != n || memcmp(t.p, w, n) != 0) {
                /* Romanian ș and ş are one letter (the cedilla form, as the stemmer's) */
                acc_buf_reset(&t);
                acc_buf_append(&t, w, n);
                acc_text_ro_cedilla(t.p, t.n);
                add_prefixed(doc, ACC_PFX_ACCENT, t.p, t.n, ws->wdf[i]);
            }
        }
        acc_wordseq_set_key(ws, i, fs.p, fs.n);
    }
    acc_buf_release(&sf);
    acc_buf_release(&fs);
    acc_buf_release(&t);
}

/* The title's stems as QueryParser makes "ZS<stem>" of title:word. */
static void add_title_stems(acc_xap_doc *doc, const char *title, size_t n, acc_xap_stem *stem)
{
    acc_wordseq tw;
    acc_buf sf, fs;
    acc_wordseq_init(&tw);
    acc_buf_init(&sf, 0);
    acc_buf_init(&fs, 0);
    acc_wordseq_add(&tw, title, n, 1);
    for (size_t i = 0; i < acc_wordseq_count(&tw); i++) {
        size_t wn;
        const char *w = acc_wordseq_word(&tw, i, &wn);
        if (tw.cjk[i])
            continue;
        acc_buf_reset(&sf);
        acc_buf_reset(&fs);
        acc_xap_stem_word(stem, w, wn, &sf);
        acc_stem_folded(stem, w, wn, &fs);
        add_prefixed(doc, ACC_PFX_STEM ACC_PFX_TITLE, sf.p, sf.n, tw.wdf[i]);
        if (fs.n != sf.n || memcmp(fs.p, sf.p, fs.n) != 0)
            add_prefixed(doc, ACC_PFX_STEM ACC_PFX_TITLE, fs.p, fs.n, tw.wdf[i]);
    }
    acc_wordseq_release(&tw);
    acc_buf_release(&sf);
    acc_buf_release(&fs);
}

static void add_topic(struct acc_built_doc *x, const char *id)
{
    for (size_t i = 0; i < x->ntopics; i++)
        if (strcmp(x->topics[i], id) == 0)
            return;
    x->topics = acc_xrealloc(x->topics, (x->ntopics + 1) * sizeof *x->topics);
    x->topics[x->ntopics++] = acc_xstrdup(id);
}

/*
 * The topics of the document: its metadata's, then those the vocabulary's
 * rule gives (hits[k]: occurrences of topic k's terms). Documents in a
 * language the vocabulary lacks are matched with the English terms and
 * stemmer on both sides.
 */
static void tag_topics(struct acc_built_doc *x, const acc_doc *d, const char *lang,
                       const acc_topics *vocab, acc_wordseq *ws, acc_xap_stem *stem, unsigned *hits,
                       unsigned char *tagged)
{
    for (size_t i = 0; i < d->ntopics; i++)
        if (d->topics[i] && *d->topics[i]) {
            char *t = acc_xstrdup(d->topics[i]);
            lower_ascii(t);
            add_topic(x, t);
            free(t);
        }
    if (!vocab)
        return;
    const char *vlang = acc_topics_has_lang(vocab, lang) ? lang : "en";
    acc_xap_stem *en = NULL, *ks = stem;
    if (strcmp(vlang, lang) != 0) {
        ks = en = acc_stem_new("en");
        acc_wordseq_keys(ws, ks);
    }
    const acc_topic_matcher *tm = acc_topic_matcher_get(vocab, vlang, ks);
    size_t found[ACC_TOPIC_MAX];
    size_t n = acc_topic_tag(tm, ws, acc_topics_count(vocab), hits, found);
    for (size_t i = 0; i < n; i++) {
        tagged[found[i]] = 1;
        add_topic(x, acc_topics_id(vocab, found[i]));
    }
    acc_xap_stem_free(en);
}

/* Boolean filters, values and the record. */
static char *work_from_id(const char *id, const char *lang);

static void add_fields(struct acc_built_doc *x, const acc_doc *d, const char *lang,
                       const acc_topics *vocab, const unsigned *hits, const unsigned char *tagged)
{
    acc_xap_doc *doc = x->doc;
    char *type = filter_value(d->type), **parties = NULL;
    size_t nparties = 0;
    acc_xap_doc_add_term(doc, x->idterm, strlen(x->idterm), 0);
    add_prefixed(doc, ACC_PFX_LANG, lang, strlen(lang), 0);
    if (*type) {
        add_prefixed(doc, ACC_PFX_TYPE, type, strlen(type), 0);
        acc_xap_doc_set_value(doc, ACC_SLOT_TYPE, type, strlen(type));
    }
    free(type);
    parties = acc_xcalloc(d->nparties ? d->nparties : 1, sizeof *parties);
    for (size_t i = 0; i < d->nparties; i++) {
        char *party = filter_value(d->parties[i]);
        size_t n = strlen(party);
        if (n && n < 200) {
            add_prefixed(doc, ACC_PFX_PARTY, party, n, 0);
            parties[nparties++] = party;
        } else {
            free(party);
        }
    }
    /* topic terms carry how often the topic's terms occur when the rule gave
       the topic (1 otherwise), so that cross-lingual expansion can rank by them */
    for (size_t i = 0; i < x->ntopics; i++) {
        int k = vocab ? acc_topics_find(vocab, x->topics[i]) : -1;
        unsigned wdf = k >= 0 && tagged[k] ? hits[k] : 1;
        add_prefixed(doc, ACC_PFX_TOPIC, x->topics[i], strlen(x->topics[i]), wdf);
    }
    /* multi-valued facets read these lists, not the term lists */
    acc_docbuild_set_list(doc, ACC_SLOT_TOPICS, x->topics, x->ntopics);
    acc_docbuild_set_list(doc, ACC_SLOT_PARTIES, parties, nparties);
    for (size_t i = 0; i < nparties; i++)
        free(parties[i]);
    free(parties);
    char *derived = d->work && *d->work ? NULL : work_from_id(d->id, lang);
    const char *work = d->work && *d->work ? d->work : derived;
    if (work) {
        char *w = filter_value(work);
        if (strlen(w) > 120)
            w[120] = '\0';
        acc_xap_doc_set_value(doc, ACC_SLOT_WORK, w, strlen(w));
        add_prefixed(doc, ACC_PFX_WORK, w, strlen(w), 0);
        free(w);
    }
    free(derived);
    int year = acc_date_year(d->date);
    if (year > 0) {
        char key[9], y[16], s[18];
        acc_date_sortkey(d->date, key);
        snprintf(y, sizeof y, "%d", year);
        add_prefixed(doc, ACC_PFX_YEAR, y, strlen(y), 0);
        acc_xap_doc_set_value(doc, ACC_SLOT_YEAR, s, acc_xap_sortable(year, s));
        acc_xap_doc_set_value(doc, ACC_SLOT_DATE, key, strlen(key));
    }
    acc_xap_doc_set_value(doc, ACC_SLOT_LANG, lang, strlen(lang));
    if (d->stamp && *d->stamp)
        acc_xap_doc_set_value(doc, ACC_SLOT_STAMP, d->stamp, strlen(d->stamp));
    if (d->source && *d->source)
        acc_xap_doc_set_value(doc, ACC_SLOT_SOURCE, d->source, strlen(d->source));

    acc_doc rd = *d;
    rd.topics = (const char **)x->topics;
    rd.ntopics = x->ntopics;
    rd.articles = NULL; /* in ACC_SLOT_ARTICLES */
    rd.narticles = 0;
    size_t rec_len;
    char *rec = acc_record_encode(&rd, &rec_len);
    acc_xap_doc_set_value(doc, ACC_SLOT_RECORD, rec, rec_len);
    free(rec);
    const char *title = d->title ? d->title : "";
    acc_buf label;
    acc_buf_init(&label, 0);
    acc_buf_printf(&label, "%s\x1f%s", d->id, title);
    acc_xap_doc_set_value(doc, ACC_SLOT_LABEL, label.p, label.n);
    acc_buf_release(&label);
    if (d->narticles)
        acc_docstore_put_articles(doc, d->articles, d->narticles);
}

/*
 * The work of a document the metadata names none for, from its id: ids that
 * differ only by a final language code, the document's own ("report-en",
 * "report_fr", "report.de"), are versions of one agreement; an unofficial
 * translation ("ndc-x-translation-en") too. NULL when the id does not end so.
 */
static char *work_from_id(const char *id, const char *lang)
{
    size_t n = id ? strlen(id) : 0, ln = strlen(lang);
    if (ln != 2 || n < ln + 2 || strcmp(id + n - ln, lang) != 0 || !strchr("-_.", id[n - ln - 1]))
        return NULL;
    n -= ln + 1;
    static const char tr[] = "-translation";
    if (n > sizeof tr - 1 && memcmp(id + n - (sizeof tr - 1), tr, sizeof tr - 1) == 0)
        n -= sizeof tr - 1;
    acc_buf w;
    acc_buf_init(&w, 0);
    acc_buf_printf(&w, "id:%.*s", (int)n, id);
    return acc_buf_detach(&w, NULL);
}

typedef struct initials {
    const char *lang;
    char v[16];
    size_t n;
    int bad;
} initials;

static int on_title_word(void *ctx, const char *w, size_t n, int cjk)
{
    initials *a = ctx;
    if (cjk || (unsigned char)w[0] >= 0x80) {
        a->bad = 1;
        return 1;
    }
    if (acc_stopword(a->lang, w, n) || acc_stopword("en", w, n))
        return 0;
    if (a->n + 1 >= sizeof a->v) {
        a->bad = 1;
        return 1;
    }
    a->v[a->n++] = w[0];
    return 0;
}

/*
 * The acronym of a title, as people cite agreements (UNFCCC for the United
 * Nations Framework Convention on Climate Change, UNCCD): the initials of
 * its words before any bracket, colon or comma, function words left out,
 * when they are 3 to 8 letters; indexed as a title word (S prefix) and a
 * word of the text; appended to out for its stem.
 */
static void add_acronym(acc_xap_doc *doc, const char *title, size_t n, const char *lang,
                        acc_buf *out)
{
    size_t cut = 0;
    while (cut < n && !strchr("(:,;[", title[cut]))
        cut++;
    initials a = {lang, {0}, 0, 0};
    acc_text_words(title, cut, on_title_word, &a);
    if (a.bad || a.n < 3 || a.n > 8)
        return;
    for (size_t i = 0; i < a.n; i++)
        if (!((a.v[i] >= 'a' && a.v[i] <= 'z')))
            return;
    /* a title word, and a word of the text (its stem comes with pass B) */
    add_prefixed(doc, ACC_PFX_TITLE, a.v, a.n, 1);
    add_prefixed(doc, "", a.v, a.n, 1);
    acc_buf_append(out, a.v, a.n);
}

/* The passages of a document in other languages, one word sequence per language. */
typedef struct foreign {
    char lang[4][ACC_LANG_MAX];
    acc_wordseq ws[4];
    size_t n;
} foreign;

static void on_foreign(void *ctx, const char *lang, const char *p, size_t n)
{
    foreign *f = ctx;
    size_t k = 0;
    while (k < f->n && strcmp(f->lang[k], lang) != 0)
        k++;
    if (k == f->n) {
        if (f->n == sizeof f->ws / sizeof f->ws[0])
            return;
        snprintf(f->lang[k], sizeof f->lang[k], "%s", lang);
        acc_wordseq_init(&f->ws[k]);
        f->n++;
    }
    acc_wordseq_add(&f->ws[k], p, n, 1);
}

/*
 * Passages in another language than the document's (lib/passages.h) are
 * indexed with their own language's stems as well, and the document is
 * marked (ACC_PFX_PASSAGE_LANG) so that that language's reading of a query
 * looks at it.
 */
static void add_passages(acc_xap_doc *doc, const char *lang, const char *body, size_t n)
{
    foreign f;
    f.n = 0;
    acc_passages_foreign(lang, body, n, on_foreign, &f);
    for (size_t k = 0; k < f.n; k++) {
        acc_xap_stem *stem = acc_stem_new(f.lang[k]);
        if (stem) {
            add_stems(doc, &f.ws[k], stem);
            add_prefixed(doc, ACC_PFX_PASSAGE_LANG, f.lang[k], strlen(f.lang[k]), 0);
        }
        acc_xap_stem_free(stem);
        acc_wordseq_release(&f.ws[k]);
    }
}

acc_status acc_docbuild(const acc_doc *d, const acc_topics *vocab, acc_built_doc **out,
                        acc_error *err)
{
    struct acc_built_doc *x = acc_xcalloc(1, sizeof *x);
    char lang[ACC_LANG_MAX];
    const char *title = d->title ? d->title : "";
    acc_buf title_norm, title_terms, cn, cf, body_norm, idterm, acronym;
    sink s = {0};
    size_t *cuts = NULL, ncuts;
    unsigned *chunk_pos = NULL, *hits = NULL;
    unsigned char *tagged = NULL;
    acc_xap_stem *stem = NULL;
    acc_wordseq ws;
    acc_status st;
    int german;

    acc_buf_init(&title_norm, 0);
    acc_buf_init(&title_terms, 0);
    acc_buf_init(&cn, 0);
    acc_buf_init(&cf, 0);
    acc_buf_init(&body_norm, 0);
    acc_buf_init(&idterm, 0);
    acc_buf_init(&acronym, 0);
    acc_buf_init(&s.term, 0);
    acc_wordseq_init(&ws);
    snprintf(lang, sizeof lang, "%s", d->lang[0] ? d->lang : "und");
    lower_ascii(lang);
    german = acc_docbuild_german(lang, strlen(lang));
    x->doc = acc_xap_doc_new();
    acc_buf_printf(&idterm, "%s%s", ACC_PFX_ID, d->id);
    x->idterm = acc_buf_detach(&idterm, NULL);

    /* pass A: title, then the body chunk by chunk as stored (chunks end
       between words, so the terms are those of the whole text): where each
       chunk's positions start lets a snippet go straight to the chunk of a
       word's first occurrence */
    st = acc_docbuild_fold_text(title, strlen(title), german, &title_norm, &title_terms, err);
    if (st != ACC_OK)
        goto out;
    s.doc = x->doc;
    s.prefix = ACC_PFX_TITLE;
    s.plen = strlen(ACC_PFX_TITLE);
    s.wdf = 1;
    acc_text_terms(title_terms.p ? title_terms.p : "", title_terms.n, on_term, &s);
    add_acronym(x->doc, title_terms.p ? title_terms.p : "", title_terms.n, lang, &acronym);
    s.pos += ACC_FIELD_GAP;
    s.prefix = "";
    s.plen = 0;
    s.wdf = ACC_TITLE_WDF;
    acc_text_terms(title_terms.p ? title_terms.p : "", title_terms.n, on_term, &s);
    s.pos += ACC_FIELD_GAP;
    s.wdf = 1;
    ncuts = acc_docstore_cuts(d->text, d->text_len, &cuts);
    chunk_pos = acc_xmalloc((ncuts ? ncuts : 1) * sizeof *chunk_pos);
    for (size_t i = 0, done = 0; i < ncuts; done = cuts[i++]) {
        st = acc_docbuild_fold_text(d->text + done, cuts[i] - done, german, &cn, &cf, err);
        if (st != ACC_OK)
            goto out;
        chunk_pos[i] = s.pos + 1;
        acc_text_terms(cf.p ? cf.p : "", cf.n, on_term, &s);
        acc_buf_append(&body_norm, cn.p ? cn.p : "", cn.n);
        acc_buf_putc(&body_norm, '\n');
    }

    /* pass B: language-tagged stems */
    stem = acc_stem_new(lang);
    acc_wordseq_add(&ws, title_norm.p ? title_norm.p : "", title_norm.n, ACC_TITLE_WDF);
    if (acronym.n)
        acc_wordseq_add(&ws, acronym.p, acronym.n, ACC_TITLE_WDF);
    acc_wordseq_add(&ws, body_norm.p ? body_norm.p : "", body_norm.n, 1);
    add_stems(x->doc, &ws, stem);
    if (stem)
        add_title_stems(x->doc, title_norm.p ? title_norm.p : "", title_norm.n, stem);

    add_passages(x->doc, lang, d->text ? d->text : "", d->text ? d->text_len : 0);

    hits = acc_xcalloc(vocab ? acc_topics_count(vocab) + 1 : 1, sizeof *hits);
    tagged = acc_xcalloc(vocab ? acc_topics_count(vocab) + 1 : 1, 1);
    tag_topics(x, d, lang, vocab, &ws, stem, hits, tagged);
    add_fields(x, d, lang, vocab, hits, tagged);
    acc_commit_index(x->doc, lang, d->date, d->text ? d->text : "", d->text ? d->text_len : 0);
    st = acc_docstore_put_text(x->doc, d->text, cuts, ncuts, err);
    if (st != ACC_OK) {
        acc_error_prefix(err, st, "cannot index document '%s'", d->id ? d->id : "?");
        goto out;
    }
    if (ncuts)
        acc_docstore_put_map(x->doc, chunk_pos, cuts, ncuts);
out:
    acc_buf_release(&title_norm);
    acc_buf_release(&title_terms);
    acc_buf_release(&cn);
    acc_buf_release(&cf);
    acc_buf_release(&body_norm);
    acc_buf_release(&acronym);
    acc_buf_release(&s.term);
    acc_wordseq_release(&ws);
    acc_xap_stem_free(stem);
    free(cuts);
    free(chunk_pos);
    free(hits);
    free(tagged);
    if (st != ACC_OK) {
        acc_built_doc_free(x);
        x = NULL;
    }
    *out = x;
    return st;
}

void acc_built_doc_free(acc_built_doc *x)
{
    if (!x)
        return;
    acc_xap_doc_free(x->doc);
    free(x->idterm);
    for (size_t i = 0; i < x->ntopics; i++)
        free(x->topics[i]);
    free(x->topics);
    free(x);
}

const char *const *acc_built_doc_topics(acc_built_doc *x, size_t *n)
{
    *n = x->ntopics;
    return (const char *const *)x->topics;
}

void acc_docbuild_set_list(acc_xap_doc *doc, unsigned slot, char *const *v, size_t n)
{
    acc_buf b;
    if (!n)
        return;
    acc_buf_init(&b, 0);
    for (size_t i = 0; i < n; i++) {
        if (i)
            acc_buf_putc(&b, '\x1f');
        acc_buf_append(&b, v[i], strlen(v[i]));
    }
    acc_xap_doc_set_value(doc, slot, b.p, b.n);
    acc_buf_release(&b);
}
