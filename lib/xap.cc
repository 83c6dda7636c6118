/*
 * lib/xap.cc: the C wrapper over libxapian (include/accord/xap.h). The only
 * C++ in accord.
 *
 * Invariants:
 * - every extern "C" function is noexcept and catches everything: an
 *   exception never crosses into C. xap_fail() classifies it once.
 * - no std::string or c_str() pointer escapes: results are copied into
 *   malloc'ed C strings that the caller frees.
 * - the term scheme is the one of include/accord/schema.h; TaggedFoldStem is
 *   the single place where a word becomes a language-tagged stem, used by the
 *   indexer, the query parser and the snippet highlighter alike.
 */
#include <sys/stat.h>
#include <utf8proc.h>
#include <xapian.h>
#include <jansson.h>
#include <zstd.h>
#include <cctype>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "accord/mem.h"
#include "accord/schema.h"
#include "accord/snippet.h"
#include "accord/text.h"
#include "accord/topics.h"
#include "accord/xap.h"

namespace
{

/*
 * German written without umlauts spells them ae, oe, ue (Waerme for Wärme).
 * Folding turns Wärme into warme, so the unstemmed terms of German documents
 * and the German parse of a query both drop the e of those digraphs:
 * waerme, wärme and warme all become warme -> warme. Applied only to German
 * documents and to the German parse, so the spellings stay consistent.
 */
std::string de_digraphs(const std::string &s)
{
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); i++) {
        char c = s[i];
        out += c;
        if ((c == 'a' || c == 'o' || c == 'u') && i + 1 < s.size() && s[i + 1] == 'e')
            i++;
    }
    return out;
}

/* Adds the terms of acc_text_terms() to a document, as TermGenerator would. */
struct PostingSink {
    Xapian::Document *doc;
    std::string prefix;
    Xapian::termpos pos;
    Xapian::termcount wdf;
    static void add(void *ctx, const char *term, size_t len, int positional)
    {
        auto *self = static_cast<PostingSink *>(ctx);
        std::string t = self->prefix;
        t.append(term, len);
        if (positional)
            self->doc->add_posting(t, ++self->pos, self->wdf);
        else
            self->doc->add_term(t, self->wdf);
    }
};

/* Thrown by our own code for a failed C text call (already described). */
struct text_error {
    acc_error e;
};

std::string norm(const char *p, size_t n)
{
    acc_buf b;
    acc_error e;
    acc_buf_init(&b, 0);
    if (acc_text_norm(p, n, &b, &e) != ACC_OK) {
        acc_buf_release(&b);
        throw text_error{e};
    }
    std::string s(b.p ? b.p : "", b.n);
    acc_buf_release(&b);
    return s;
}

std::string fold(const std::string &s)
{
    acc_buf b;
    acc_error e;
    acc_buf_init(&b, 0);
    if (acc_text_fold(s.data(), s.size(), &b, &e) != ACC_OK) {
        acc_buf_release(&b);
        throw text_error{e};
    }
    std::string r(b.p ? b.p : "", b.n);
    acc_buf_release(&b);
    return r;
}

/*
 * fold(stem_L(w)), tagged "L:" so that stems of different languages never
 * collide (XAPIAN-NOTES 5, D4). Romanian words get cedilla letters first,
 * because the 1.4 Romanian stemmer only knows those.
 */
class TaggedFoldStem : public Xapian::StemImplementation
{
  public:
    TaggedFoldStem(const std::string &lang, const char *stemmer)
        : lang_(lang), tag_(lang + ":"), stem_(stemmer)
    {
    }
    std::string operator()(const std::string &word) override
    {
        return tag_ + fold(stem_(prepare(word)));
    }
    /* the "fold then stem" variant indexed beside fold(stem(w)) */
    std::string fold_first(const std::string &word)
    {
        return tag_ + stem_(fold(prepare(word)));
    }
    std::string get_description() const override
    {
        return "accord-tagged-fold(" + lang_ + ")";
    }

  private:
    std::string prepare(const std::string &word)
    {
        if (lang_ != "ro")
            return word;
        std::string w = word;
        acc_text_ro_cedilla(&w[0], w.size());
        return w;
    }
    std::string lang_;
    std::string tag_;
    Xapian::Stem stem_;
};

/* A Stem for language L: tagged-fold, or none when Xapian has no stemmer. */
Xapian::Stem stem_for(const std::string &lang)
{
    const char *name = acc_lang_stemmer(lang.c_str());
    if (!name)
        return Xapian::Stem();
    return Xapian::Stem(new TaggedFoldStem(lang, name));
}

/*
 * The words of a text in order, each distinct word once with its count
 * (acc_text_words callback). Counts feed the stems; the sequence feeds topic
 * matching. CJK characters are in the sequence but get no stem.
 */
struct WordInfo {
    Xapian::termcount wdf = 0;
    bool cjk = false;
    std::string key; /* topic-matching key, filled in later */
};
using WordMap = std::unordered_map<std::string, WordInfo>;

struct WordSeq {
    WordMap words;
    std::vector<WordMap::value_type *> seq;
    Xapian::termcount weight = 1;
    static int add(void *ctx, const char *w, size_t n, int cjk)
    {
        auto *self = static_cast<WordSeq *>(ctx);
        if (n > ACC_MAX_WORD_BYTES)
            return 0;
        auto &entry = *self->words.try_emplace(std::string(w, n)).first;
        entry.second.wdf += self->weight;
        entry.second.cjk = cjk != 0;
        self->seq.push_back(&entry);
        return 0;
    }
};

/*
 * Topic terms of one language, as sequences of matching keys (the stem of the
 * folded word, or the folded word for languages without a stemmer, one CJK
 * character per key). Built once per thread and language from the shared,
 * read-only vocabulary.
 */
struct TopicMatcher {
    struct Term {
        std::vector<std::string> keys;
        size_t topic;
    };
    std::vector<Term> terms;
    std::unordered_map<std::string, std::vector<size_t>> by_first;
};

std::string word_key(TaggedFoldStem *stem, const std::string &normed)
{
    return stem ? stem->fold_first(normed) : fold(normed);
}

struct KeyCollector {
    TaggedFoldStem *stem;
    std::vector<std::string> keys;
    static int add(void *ctx, const char *w, size_t n, int cjk)
    {
        auto *self = static_cast<KeyCollector *>(ctx);
        std::string word(w, n);
        self->keys.push_back(cjk ? word : word_key(self->stem, word));
        return 0;
    }
};

const TopicMatcher &topic_matcher(const acc_topics *vocab, const std::string &lang,
                                  TaggedFoldStem *stem)
{
    /* built once per vocabulary and language, then only read: shared by all
       threads (a daemon thread per connection must not rebuild it) */
    static std::mutex lock;
    static std::map<std::pair<const acc_topics *, std::string>, std::unique_ptr<TopicMatcher>>
        cache;
    std::lock_guard<std::mutex> guard(lock);
    auto &slot = cache[{vocab, lang}];
    if (!slot) {
        slot = std::make_unique<TopicMatcher>();
        /* one pass over the vocabulary (a lookup per term would be quadratic) */
        for (size_t k = 0; k < acc_topics_nentries(vocab); k++) {
            size_t t;
            const char *elang, *term;
            if (!acc_topics_entry(vocab, k, &t, &elang, &term) || lang != elang)
                continue;
            std::string normed = norm(term, std::strlen(term));
            KeyCollector kc{stem, {}};
            acc_text_words(normed.data(), normed.size(), KeyCollector::add, &kc);
            if (kc.keys.empty())
                continue;
            slot->by_first[kc.keys[0]].push_back(slot->terms.size());
            slot->terms.push_back({std::move(kc.keys), t});
        }
    }
    return *slot;
}

/* Calls fn(term index) for every occurrence of a vocabulary term in the word sequence. */
template <typename Fn> void for_each_term(const TopicMatcher &m, const WordSeq &ws, Fn fn)
{
    const auto &seq = ws.seq;
    for (size_t i = 0; i < seq.size(); i++) {
        auto cands = m.by_first.find(seq[i]->second.key);
        if (cands == m.by_first.end())
            continue;
        for (size_t ti : cands->second) {
            const auto &keys = m.terms[ti].keys;
            if (i + keys.size() > seq.size())
                continue;
            size_t k = 1;
            while (k < keys.size() && seq[i + k]->second.key == keys[k])
                k++;
            if (k == keys.size())
                fn(ti);
        }
    }
}

/* The topics of a document by the rule of topics.h, most frequent first. */
std::vector<size_t> tag_topics(const TopicMatcher &m, const WordSeq &ws, size_t ntopics,
                               std::vector<unsigned> *hits_out)
{
    std::vector<unsigned> hits(ntopics, 0);
    std::vector<std::vector<size_t>> distinct(ntopics);
    const auto &seq = ws.seq;
    for_each_term(m, ws, [&](size_t ti) {
        const size_t topic = m.terms[ti].topic;
        hits[topic]++;
        auto &d = distinct[topic];
        if (std::find(d.begin(), d.end(), ti) == d.end())
            d.push_back(ti);
    });
    const unsigned need =
        std::max<unsigned>(2, static_cast<unsigned>(seq.size() / ACC_TOPIC_WORDS_PER_HIT));
    std::vector<size_t> out;
    for (size_t t = 0; t < ntopics; t++)
        if (distinct[t].size() >= ACC_TOPIC_MIN_TERMS && hits[t] >= need)
            out.push_back(t);
    std::stable_sort(out.begin(), out.end(), [&](size_t a, size_t b) { return hits[a] > hits[b]; });
    if (out.size() > ACC_TOPIC_MAX)
        out.resize(ACC_TOPIC_MAX);
    *hits_out = hits;
    return out;
}

/* ------------------------------------------------------------ stored text */

/* zstd level of the stored chunks: 3 (zstd's default) compresses the real
   corpus' text about as well as zlib -6 and decompresses 3-4x faster */
constexpr int TEXT_ZSTD_LEVEL = 3;
/* a snippet looks at most this many chunks (1 MiB of text) for a match */
constexpr unsigned SNIPPET_MAX_CHUNKS = ACC_SNIPPET_SCAN_MAX / ACC_TEXT_CHUNK;
/* ... or only this many (16 KiB) when no query word nor a variant of its stem
   occurs in the text: the match came through the title, a topic or a stem of
   another shape, and a long text would be scanned to its end in vain */
constexpr unsigned SNIPPET_BLIND_CHUNKS = 4;

struct ZstdCtx {
    ZSTD_CCtx *c = nullptr;
    ZSTD_DCtx *d = nullptr;
    ~ZstdCtx()
    {
        ZSTD_freeCCtx(c);
        ZSTD_freeDCtx(d);
    }
};

ZstdCtx &zstd_ctx()
{
    thread_local ZstdCtx z;
    return z;
}

/* Where the chunk starting at `from` ends: after a space or newline near
   from + ACC_TEXT_CHUNK, else at a character boundary. */
size_t chunk_end(const char *t, size_t n, size_t from)
{
    if (n - from <= ACC_TEXT_CHUNK)
        return n;
    size_t stop = from + ACC_TEXT_CHUNK;
    for (size_t e = stop; e < n && e < stop + 256; e++)
        if (t[e] == ' ' || t[e] == '\n')
            return e + 1;
    while (stop > from && (static_cast<unsigned char>(t[stop]) & 0xC0) == 0x80)
        stop--;
    return stop > from ? stop : n;
}

/* The chunk ends of text[0..n): chunk i is [cuts[i-1], cuts[i]). */
std::vector<size_t> text_cuts(const char *t, size_t n)
{
    std::vector<size_t> cuts;
    for (size_t done = 0; done < n; done = cuts.back())
        cuts.push_back(chunk_end(t, n, done));
    return cuts;
}

/* Stores the chunks of text[0..n) zstd-compressed, slots ACC_SLOT_TEXT + i. */
void add_text(Xapian::Document &doc, const char *t, const std::vector<size_t> &cuts)
{
    ZstdCtx &z = zstd_ctx();
    if (!z.c && !(z.c = ZSTD_createCCtx()))
        throw std::bad_alloc();
    std::string out;
    size_t done = 0;
    for (size_t i = 0; i < cuts.size(); i++) {
        size_t stop = cuts[i];
        out.resize(ZSTD_compressBound(stop - done));
        size_t k =
            ZSTD_compressCCtx(z.c, &out[0], out.size(), t + done, stop - done, TEXT_ZSTD_LEVEL);
        if (ZSTD_isError(k))
            throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(k));
        out.resize(k);
        doc.add_value(static_cast<Xapian::valueno>(ACC_SLOT_TEXT + i), out);
        done = stop;
    }
}

void put_varint(std::string &out, unsigned long long v)
{
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7f) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
}

bool get_varint(const std::string &s, size_t &i, unsigned long long &v)
{
    v = 0;
    for (int shift = 0; i < s.size() && shift < 64; shift += 7) {
        unsigned char c = static_cast<unsigned char>(s[i++]);
        v |= static_cast<unsigned long long>(c & 0x7f) << shift;
        if (!(c & 0x80))
            return true;
    }
    return false;
}

/* Where each chunk starts: its first term position and its byte offset. */
struct ChunkMap {
    std::vector<Xapian::termpos> pos;
    std::vector<size_t> offset;
};

/* The slot ACC_SLOT_TEXT_MAP value: per chunk, varints of (first position -
   previous chunk's first position, byte length). */
std::string encode_chunk_map(const ChunkMap &m, const std::vector<size_t> &cuts)
{
    std::string v;
    Xapian::termpos prev = 0;
    size_t done = 0;
    for (size_t i = 0; i < cuts.size() && i < m.pos.size(); i++) {
        put_varint(v, m.pos[i] - prev);
        put_varint(v, cuts[i] - done);
        prev = m.pos[i];
        done = cuts[i];
    }
    return v;
}

ChunkMap decode_chunk_map(const std::string &v)
{
    ChunkMap m;
    unsigned long long dp, len;
    Xapian::termpos pos = 0;
    size_t off = 0, i = 0;
    while (i < v.size() && get_varint(v, i, dp) && get_varint(v, i, len)) {
        pos += static_cast<Xapian::termpos>(dp);
        m.pos.push_back(pos);
        m.offset.push_back(off);
        off += len;
    }
    return m;
}

/*
 * The ACC_SLOT_ARTICLES value: per article heading, varints of (offset -
 * previous offset, label length), then the label. The record keeps no
 * articles: a hit needs only the label at one offset, and parsing a JSON list
 * of hundreds of headings per hit cost more than the rest of the record.
 */
std::string encode_articles(const acc_article *a, size_t n)
{
    std::string v;
    size_t prev = 0;
    for (size_t i = 0; i < n; i++) {
        const size_t off = std::max(a[i].offset, prev);
        const size_t len = std::strlen(a[i].label);
        put_varint(v, off - prev);
        put_varint(v, len);
        v.append(a[i].label, len);
        prev = off;
    }
    return v;
}

/* Calls fn(offset, label, length) for the headings of an ACC_SLOT_ARTICLES
   value in text order, until fn returns false. */
template <typename Fn> void each_article(const std::string &v, Fn fn)
{
    size_t i = 0, off = 0;
    unsigned long long d, len;
    while (i < v.size() && get_varint(v, i, d) && get_varint(v, i, len) && len <= v.size() - i) {
        off += d;
        if (!fn(off, v.data() + i, static_cast<size_t>(len)))
            return;
        i += len;
    }
}

/* Chunk i of the stored text into out; false when the document has no chunk i. */
bool text_chunk(const Xapian::Document &doc, unsigned i, std::string &out)
{
    const std::string v = doc.get_value(ACC_SLOT_TEXT + i);
    if (v.empty())
        return false;
    unsigned long long size = ZSTD_getFrameContentSize(v.data(), v.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
        size > 64 * ACC_TEXT_CHUNK)
        throw Xapian::DatabaseCorruptError("stored text chunk is not a zstd frame");
    ZstdCtx &z = zstd_ctx();
    if (!z.d && !(z.d = ZSTD_createDCtx()))
        throw std::bad_alloc();
    out.resize(size);
    size_t k = ZSTD_decompressDCtx(z.d, &out[0], out.size(), v.data(), v.size());
    if (ZSTD_isError(k) || k != size)
        throw Xapian::DatabaseCorruptError("stored text chunk does not decompress");
    return true;
}

/*
 * The record JSON of a document's data, and its whole text. Indexes written
 * before the chunks (accord < 0.6, index version 5) kept the text after the
 * record's '\n' in the data; both layouts are read.
 */
size_t record_len(const std::string &data)
{
    size_t nl = data.find('\n');
    return nl == std::string::npos ? data.size() : nl;
}

std::string full_text(const Xapian::Document &doc, const std::string &data)
{
    size_t nl = data.find('\n');
    if (nl != std::string::npos)
        return data.substr(nl + 1);
    std::string text, chunk;
    for (unsigned i = 0; text_chunk(doc, i, chunk); i++)
        text += chunk;
    return text;
}

acc_status xap_fail(acc_error *err, const char *what)
{
    try {
        throw;
    } catch (const text_error &t) {
        if (err)
            *err = t.e;
        return t.e.code;
    } catch (const Xapian::DatabaseLockError &e) {
        return acc_error_set(err, ACC_EDB_LOCKED,
                             "%s: index is locked by another accord-index (%s)", what,
                             e.get_msg().c_str());
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return acc_error_set(err, ACC_EDB_NOTFOUND, "%s: no index there (%s)", what,
                             e.get_msg().c_str());
    } catch (const Xapian::DatabaseVersionError &e) {
        return acc_error_set(err, ACC_EDB_VERSION, "%s: unsupported index format (%s)", what,
                             e.get_msg().c_str());
    } catch (const Xapian::DatabaseCorruptError &e) {
        return acc_error_set(err, ACC_EDB_CORRUPT, "%s: index is corrupt (%s)", what,
                             e.get_msg().c_str());
    } catch (const Xapian::DatabaseModifiedError &e) {
        return acc_error_set(err, ACC_EDB_MODIFIED, "%s: index changed while reading (%s)", what,
                             e.get_msg().c_str());
    } catch (const Xapian::DatabaseOpeningError &e) {
        return acc_error_set(err, ACC_EDB_NOTINDEX, "%s: not an accord index (%s)", what,
                             e.get_msg().c_str());
    } catch (const Xapian::QueryParserError &e) {
        return acc_error_set(err, ACC_EINVAL, "%s: %s", what, e.get_msg().c_str());
    } catch (const Xapian::WildcardError &e) {
        return acc_error_set(err, ACC_EQUERY, "%s: %s", what, e.get_msg().c_str());
    } catch (const Xapian::DocNotFoundError &e) {
        return acc_error_set(err, ACC_ENOTFOUND, "%s: %s", what, e.get_msg().c_str());
    } catch (const Xapian::Error &e) {
        return acc_error_set(err, ACC_EXAPIAN, "%s: %s: %s", what, e.get_type(),
                             e.get_msg().c_str());
    } catch (const std::bad_alloc &) {
        return acc_error_set(err, ACC_ENOMEM, "%s: out of memory", what);
    } catch (const std::exception &e) {
        return acc_error_set(err, ACC_EINTERNAL, "%s: unexpected error: %s", what, e.what());
    } catch (...) {
        return acc_error_set(err, ACC_EINTERNAL, "%s: unexpected unknown exception", what);
    }
}

std::string lower_ascii(std::string s)
{
    for (auto &c : s)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return s;
}

/* Filter term values: normalised and folded, so `type:Treaty` finds "treaty". */
std::string filter_value(const char *s)
{
    if (!s)
        return std::string();
    return fold(norm(s, std::strlen(s)));
}

} // namespace

struct acc_xdb {
    Xapian::Database db;
    /* with several indexes (several --index, or a stub file), each one alone:
       Xapian gives no revision for a combined database, so accord's revision
       is the sum of theirs (it grows whenever one of them commits) */
    std::vector<Xapian::Database> shards;
    Xapian::rev rev = 0;               /* revision_of() at the last refresh() */
    const acc_topics *vocab = nullptr; /* for cross-lingual expansion; borrowed */
    std::string path;
    /* one parser per language, rebuilt when the language list changes */
    std::map<std::string, std::unique_ptr<Xapian::QueryParser>> parsers;
    std::vector<std::string> langs;
    Xapian::rev langs_rev = 0;
    bool langs_valid = false;
};

struct acc_xdoc {
    Xapian::Document doc;
    std::string idterm;
    std::vector<std::string> topics;
    std::vector<const char *> topic_ptrs; /* into topics, for acc_xdoc_topics */
};

struct acc_xwdb {
    Xapian::WritableDatabase db;
    std::string path;
    bool in_txn = false;
};

namespace
{

/* The revision of what x reads (see acc_xdb::shards). */
Xapian::rev revision_of(acc_xdb *x)
{
    if (x->shards.empty())
        return x->db.get_revision();
    Xapian::rev sum = 0;
    for (auto &s : x->shards) {
        s.reopen();
        sum += s.get_revision();
    }
    return sum;
}

/* Reopens x to the latest commit and notes its revision once for the request. */
void refresh(acc_xdb *x)
{
    x->db.reopen();
    x->rev = revision_of(x);
}

/*
 * The index directories a path names: itself, or the lines of a Xapian stub
 * file ("auto PATH", "glass PATH", "chert PATH"; relative to the stub's
 * folder). Remote and in-memory lines have no revision to follow.
 */
std::vector<std::string> index_dirs(const std::string &path)
{
    struct stat sb;
    if (stat(path.c_str(), &sb) != 0 || !S_ISREG(sb.st_mode))
        return {path};
    std::vector<std::string> out;
    FILE *f = std::fopen(path.c_str(), "r");
    if (!f)
        return out;
    const size_t slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
    char line[4096];
    while (std::fgets(line, sizeof line, f)) {
        std::string l(line);
        while (!l.empty() && (l.back() == '\n' || l.back() == '\r' || l.back() == ' '))
            l.pop_back();
        const size_t sp = l.find(' ');
        if (l.empty() || l[0] == '#' || sp == std::string::npos)
            continue;
        const std::string type = l.substr(0, sp), p = l.substr(sp + 1);
        if (type == "auto" || type == "glass" || type == "chert")
            out.push_back(!p.empty() && p[0] == '/' ? p : dir + "/" + p);
    }
    std::fclose(f);
    return out;
}

const std::vector<std::string> &index_langs(acc_xdb *x)
{
    Xapian::rev rev = x->rev;
    if (!x->langs_valid || rev != x->langs_rev) {
        x->langs.clear();
        const std::string pfx = ACC_PFX_LANG;
        for (auto t = x->db.allterms_begin(pfx); t != x->db.allterms_end(pfx); ++t)
            x->langs.push_back((*t).substr(pfx.size()));
        x->langs_rev = rev;
        x->langs_valid = true;
    }
    return x->langs;
}

Xapian::QueryParser &parser_for(acc_xdb *x, const std::string &lang)
{
    auto it = x->parsers.find(lang);
    if (it == x->parsers.end()) {
        auto qp = std::make_unique<Xapian::QueryParser>();
        Xapian::Stem st = stem_for(lang);
        qp->set_stemmer(st);
        qp->set_stemming_strategy(st.is_none() ? Xapian::QueryParser::STEM_NONE
                                               : Xapian::QueryParser::STEM_SOME);
        qp->set_default_op(Xapian::Query::OP_AND);
        qp->add_prefix("title", ACC_PFX_TITLE);
        qp->add_boolean_prefix("lang", ACC_PFX_LANG);
        qp->add_boolean_prefix("type", ACC_PFX_TYPE);
        qp->add_boolean_prefix("party", ACC_PFX_PARTY);
        qp->add_boolean_prefix("year", ACC_PFX_YEAR);
        qp->add_boolean_prefix("topic", ACC_PFX_TOPIC);
        /* year:2015..2020, year:2019.., year:..2016 */
        qp->add_rangeprocessor(
            (new Xapian::NumberRangeProcessor(ACC_SLOT_YEAR, "year:"))->release());
        qp->set_max_expansion(100, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
        it = x->parsers.emplace(lang, std::move(qp)).first;
    }
    it->second->set_database(x->db);
    return *it->second;
}

/*
 * A query matching every document. Not Xapian::Query::MatchAll: that is one
 * static object whose reference count is not atomic, so copying it from
 * several threads at once corrupts it (a daemon worker crashed on "-paris").
 */
Xapian::Query match_all()
{
    return Xapian::Query(std::string());
}

bool is_blank(const std::string &s)
{
    return s.find_first_not_of(" \t\r\n\f\v") == std::string::npos;
}

/*
 * A query made only of negated words ("-paris", "-a -b", "NOT paris"):
 * QueryParser would silently drop the minus and return the very documents
 * the user excluded (XAPIAN-NOTES 4). Returns the words without their minus
 * when the query is of that shape, "" otherwise.
 */
std::string pure_negation(const std::string &q)
{
    std::string words;
    size_t i = 0;
    bool any = false;
    while (i < q.size()) {
        while (i < q.size() && q[i] == ' ')
            i++;
        if (i >= q.size())
            break;
        size_t j = q.find(' ', i);
        if (j == std::string::npos)
            j = q.size();
        std::string tok = q.substr(i, j - i);
        if (tok == "NOT") {
            i = j;
            continue;
        }
        if (tok.size() < 2 || tok[0] != '-')
            return std::string();
        words += tok.substr(1) + " ";
        any = true;
        i = j;
    }
    if (!any)
        return std::string();
    /* "NOT" must precede each word when used: a bare "a NOT" is not negation */
    if (q.find("NOT") != std::string::npos && q.rfind("NOT") + 3 >= q.size())
        return std::string();
    return words;
}

/*
 * The multi-language query: one parse per language of the index (or the
 * requested one), each filtered to documents of that language, OR-ed. Each
 * document is scored only by its own language's parse, so negation and
 * weights never leak across languages.
 */
Xapian::Query build_query(acc_xdb *x, const acc_query *q, bool *simplified,
                          Xapian::Query::op default_op = Xapian::Query::OP_AND,
                          bool *plain_words = nullptr, size_t *nwords = nullptr,
                          Xapian::Query *unboosted = nullptr)
{
    std::string folded;
    {
        acc_buf b;
        acc_error e;
        acc_buf_init(&b, 0);
        if (acc_text_query_fold(q->text ? q->text : "", q->text ? q->text_len : 0, &b, &e) !=
            ACC_OK) {
            acc_buf_release(&b);
            throw text_error{e};
        }
        folded.assign(b.p ? b.p : "", b.n);
        acc_buf_release(&b);
    }

    std::vector<std::string> langs;
    if (q->lang[0])
        langs.push_back(q->lang);
    else
        langs = index_langs(x);

    if (is_blank(folded)) {
        if (!q->lang[0])
            return match_all();
        return Xapian::Query(Xapian::Query::OP_FILTER, match_all(),
                             Xapian::Query(ACC_PFX_LANG + std::string(q->lang)));
    }

    const unsigned full = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
                          Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
                          Xapian::QueryParser::FLAG_CJK_NGRAM | Xapian::QueryParser::FLAG_PURE_NOT;
    const unsigned plain = Xapian::QueryParser::FLAG_CJK_NGRAM;
    const unsigned plain_flags =
        Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_CJK_NGRAM;
    std::string negated = pure_negation(folded);
    /* boosts for words together (public eval set: nDCG@10 0.627 -> 0.665; flat
       between 0.5 and 2 for either weight, so not tuned to single queries) */
    const double phrase_w = 1.0, near_w = 0.5;
    bool proximity = false;
    if (plain_words) {
        /* several words and no syntax: a candidate for the OR fill */
        size_t words = 0;
        bool syntax = false;
        /* filters typed in the query (lang:fr, year:2015..2020) are not syntax */
        std::string scan;
        for (size_t i = 0; i < folded.size();) {
            size_t j = folded.find(' ', i);
            if (j == std::string::npos)
                j = folded.size();
            std::string tok = folded.substr(i, j - i);
            static const char *const filters[] = {"lang:", "type:", "topic:", "party:", "year:"};
            bool is_filter = false;
            for (const char *f : filters)
                if (tok.compare(0, std::strlen(f), f) == 0 && tok.size() > std::strlen(f))
                    is_filter = true;
            if (!is_filter)
                scan += (scan.empty() ? "" : " ") + tok;
            i = j + 1;
        }
        const std::string &folded_words = scan;
        for (size_t i = 0; i < folded_words.size(); i++) {
            char c = folded_words[i];
            bool token_start = i == 0 || folded_words[i - 1] == ' ';
            if (c == '"' || c == '(' || c == ')' || c == ':' || c == '*' ||
                ((c == '-' || c == '+') && token_start))
                syntax = true;
            if (c != ' ' && token_start)
                words++;
        }
        for (size_t i = 0; i + 1 < folded_words.size(); i++)
            if (folded_words[i] >= 'A' && folded_words[i] <= 'Z')
                syntax = true; /* an operator */
        *plain_words = words >= 1 && !syntax && negated.empty();
        if (nwords)
            *nwords = words;
        proximity = words >= 2 && !syntax && negated.empty();
    }

    /* unboosted: the same query without the phrase and proximity boosts
       (the same matches, fewer postlists: for counting) */
    auto parse_all = [&](unsigned flags) {
        std::vector<Xapian::Query> subs, plain_subs;
        for (const auto &lang : langs) {
            Xapian::QueryParser &qp = parser_for(x, lang);
            Xapian::Query sub;
            if (!negated.empty()) {
                qp.set_default_op(Xapian::Query::OP_OR);
                Xapian::Query bad =
                    qp.parse_query(lang == "de" ? de_digraphs(negated) : negated, plain);
                qp.set_default_op(Xapian::Query::OP_AND);
                sub = Xapian::Query(Xapian::Query::OP_AND_NOT, match_all(), bad);
            } else {
                const std::string text = lang == "de" ? de_digraphs(folded) : folded;
                qp.set_default_op(default_op);
                sub = qp.parse_query(text, flags);
                qp.set_default_op(Xapian::Query::OP_AND);
                if (unboosted && !sub.empty())
                    plain_subs.push_back(Xapian::Query(Xapian::Query::OP_FILTER, sub,
                                                       Xapian::Query(ACC_PFX_LANG + lang)));
                if (proximity && !sub.empty()) {
                    /* words together as typed weigh more: the phrase, then the
                       words within a few positions of each other */
                    Xapian::Query phrase = qp.parse_query("\"" + text + "\"", plain_flags);
                    std::vector<Xapian::Query> words;
                    for (auto t = phrase.get_unique_terms_begin();
                         t != phrase.get_unique_terms_end(); ++t)
                        words.emplace_back(*t);
                    std::vector<Xapian::Query> boosts;
                    if (!phrase.empty())
                        boosts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, phrase, phrase_w);
                    if (words.size() >= 2 && near_w > 0)
                        boosts.emplace_back(
                            Xapian::Query::OP_SCALE_WEIGHT,
                            Xapian::Query(Xapian::Query::OP_NEAR, words.begin(), words.end(),
                                          static_cast<Xapian::termcount>(words.size() + 6)),
                            near_w);
                    for (auto &b : boosts)
                        sub = Xapian::Query(Xapian::Query::OP_OR, sub, b);
                }
            }
            if (sub.empty())
                continue;
            subs.push_back(
                Xapian::Query(Xapian::Query::OP_FILTER, sub, Xapian::Query(ACC_PFX_LANG + lang)));
            if (unboosted && !negated.empty())
                plain_subs.push_back(subs.back());
        }
        if (unboosted)
            *unboosted = Xapian::Query(Xapian::Query::OP_OR, plain_subs.begin(), plain_subs.end());
        return Xapian::Query(Xapian::Query::OP_OR, subs.begin(), subs.end());
    };

    try {
        return parse_all(full);
    } catch (const Xapian::QueryParserError &) {
        *simplified = true;
    }
    /* plain words: operators and syntax dropped, unless nothing else is left */
    std::string words, ops;
    for (size_t i = 0; i < folded.size();) {
        size_t j = folded.find(' ', i);
        if (j == std::string::npos)
            j = folded.size();
        std::string tok = folded.substr(i, j - i);
        i = j + 1;
        if (tok.empty())
            continue;
        if (acc_text_is_operator(tok.data(), tok.size()))
            ops += lower_ascii(tok) + " ";
        else
            words += tok + " ";
    }
    folded = words.find_first_not_of(" ()\"+-") == std::string::npos ? ops : words;
    negated.clear();
    return parse_all(plain);
}

/*
 * Decides which words of a document's text match the query, for snippets:
 * a word matches when its folded form is one of the query's unprefixed terms
 * (phrases, CJK n-grams, unstemmed languages) or when its tagged stem, either
 * fold(stem(w)) or stem(fold(w)), is one of the query's Z terms for the
 * document's language. Stemming is tried only for words that share their
 * first bytes with a query stem, which keeps long documents cheap.
 */
class SnippetMatcher
{
  public:
    SnippetMatcher(const Xapian::Query &query, const std::string &lang) : german_(lang == "de")
    {
        const std::string ztag = ACC_PFX_STEM + lang + ":";
        int id = 0;
        for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
            const std::string &term = *t;
            if (term.empty())
                continue;
            if (term.compare(0, ztag.size(), ztag) == 0) {
                stems_.emplace(term, id++);
                std::string st = term.substr(ztag.size());
                prefixes_.push_back(st.substr(0, std::min<size_t>(3, st.size())));
                heads_.push_back(prefixes_.back());
            } else if (!(term[0] >= 'A' && term[0] <= 'Z')) {
                words_.emplace(term, id++);
                heads_.push_back(term.substr(0, std::min<size_t>(3, term.size())));
            }
        }
        const char *name = acc_lang_stemmer(lang.c_str());
        if (name && !stems_.empty())
            stem_ = std::make_unique<TaggedFoldStem>(lang, name);
        std::sort(heads_.begin(), heads_.end());
        heads_.erase(std::unique(heads_.begin(), heads_.end()), heads_.end());
        for (const auto &hd : heads_) {
            if (hd.empty())
                any_head_ = true;
            else
                first_bytes_[static_cast<unsigned char>(hd[0])] = true;
        }
    }

    static int match(void *ctx, const char *tok, size_t n)
    {
        try {
            return static_cast<SnippetMatcher *>(ctx)->match(tok, n);
        } catch (...) {
            return -1; /* a word that cannot be folded simply is not highlighted */
        }
    }

  private:
    int match(const char *tok, size_t n)
    {
        /* fast rejection: most words cannot match any query term, which their
           first folded bytes show without normalising the whole word */
        if (!may_match(tok, n)) {
            const char *apo = static_cast<const char *>(std::memchr(tok, '\'', n));
            const char *curly = nullptr;
            for (const char *e = tok; !apo && !curly && e + 2 < tok + n; e++) {
                e = static_cast<const char *>(
                    std::memchr(e, '\xE2', static_cast<size_t>(tok + n - 2 - e)));
                if (!e)
                    break;
                if (e[1] == '\x80' && e[2] == '\x99')
                    curly = e + 3;
            }
            const char *rest = apo ? apo + 1 : curly;
            if (!rest || !may_match(rest, n - static_cast<size_t>(rest - tok)))
                return -1;
        }
        bool ascii = true;
        for (size_t i = 0; i < n; i++)
            if (static_cast<unsigned char>(tok[i]) >= 0x80 || tok[i] == '\'')
                ascii = false;
        std::string normed = ascii ? lower_ascii(std::string(tok, n)) : norm(tok, n);
        std::string folded = ascii ? normed : fold(normed);
        /* pieces: normalising may split a word in two (rare: a dropped elision
           leaves one piece, a compatibility mapping may add a space) */
        size_t a = 0, b = 0;
        while (a <= folded.size()) {
            size_t e = folded.find(' ', a);
            if (e == std::string::npos)
                e = folded.size();
            size_t f = normed.find(' ', b);
            if (f == std::string::npos)
                f = normed.size();
            int id = match_piece(folded.substr(a, e - a), normed.substr(b, f - b));
            if (id >= 0)
                return id;
            a = e + 1;
            b = f + 1;
        }
        return -1;
    }

    /*
     * False when the word tok[0..n) certainly matches no term: its first
     * characters, folded one by one, start none of the terms. True when it
     * may match, or when a character needs the full pipeline (œ æ ø ł đ) to
     * tell. The head stops at an apostrophe.
     */
    bool may_match(const char *tok, size_t n) const
    {
        if (any_head_)
            return true;
        char head[32];
        size_t h = 0, i = 0;
        while (i < n && h < 3) {
            utf8proc_int32_t c, out[8];
            if (static_cast<unsigned char>(tok[i]) < 0x80) {
                c = static_cast<unsigned char>(tok[i++]);
            } else {
                utf8proc_ssize_t k =
                    utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t *>(tok + i),
                                     static_cast<utf8proc_ssize_t>(n - i), &c);
                if (k <= 0)
                    return true;
                i += static_cast<size_t>(k);
            }
            if (c == '\'' || c == 0x2019)
                break; /* an elision: the caller also tries the rest of the word */
            if (c < 0x80) {
                head[h++] = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
                if (h == 1 && !first_bytes_[static_cast<unsigned char>(head[0])])
                    return false; /* no term starts with this letter */
                continue;
            }
            if (c == 0x0153 || c == 0x00E6 || c == 0x00F8 || c == 0x0142 || c == 0x0111 ||
                c == 0x0152 || c == 0x00C6 || c == 0x00D8 || c == 0x0141 || c == 0x0110 ||
                c == 0x0640)
                return true;
            int bound = 0;
            utf8proc_ssize_t m = utf8proc_decompose_char(
                c, out, 8,
                static_cast<utf8proc_option_t>(UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                               UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
                                               UTF8PROC_IGNORE),
                &bound);
            if (m < 0 || m > 8)
                return true;
            for (utf8proc_ssize_t j = 0; j < m && h + 4 <= sizeof head; j++)
                h += static_cast<size_t>(
                    utf8proc_encode_char(out[j], reinterpret_cast<utf8proc_uint8_t *>(head + h)));
        }
        /* a term can match only a word that starts with the term's first bytes */
        for (const auto &p : heads_)
            if (p.size() <= h && std::memcmp(p.data(), head, p.size()) == 0)
                return true;
        return false;
    }

    int match_piece(const std::string &folded, const std::string &normed)
    {
        if (folded.empty())
            return -1;
        auto w = words_.find(german_ ? de_digraphs(folded) : folded);
        if (w != words_.end())
            return w->second;
        if (!stem_)
            return -1;
        bool candidate = false;
        for (const auto &p : prefixes_)
            if (folded.compare(0, p.size(), p) == 0) {
                candidate = true;
                break;
            }
        if (!candidate)
            return -1;
        auto s = stems_.find(ACC_PFX_STEM + (*stem_)(normed));
        if (s == stems_.end())
            s = stems_.find(ACC_PFX_STEM + stem_->fold_first(normed));
        return s == stems_.end() ? -1 : s->second;
    }

    std::unordered_map<std::string, int> words_, stems_;
    bool first_bytes_[256] = {};
    bool any_head_ = false;
    std::vector<std::string> prefixes_; /* first bytes of the stems */
    std::vector<std::string> heads_;    /* first bytes of every term, for fast rejection */
    std::unique_ptr<TaggedFoldStem> stem_;
    bool german_;
};

/* OR of prefix+value for each comma-separated value (values folded unless raw). */
Xapian::Query filter_query(const char *csv, const char *prefix, bool raw)
{
    std::vector<Xapian::Query> terms;
    std::string all = csv ? csv : "";
    size_t i = 0;
    while (i <= all.size()) {
        size_t j = all.find(',', i);
        if (j == std::string::npos)
            j = all.size();
        std::string v = all.substr(i, j - i);
        size_t a = v.find_first_not_of(' '), b = v.find_last_not_of(' ');
        if (a != std::string::npos) {
            v = v.substr(a, b - a + 1);
            terms.emplace_back(prefix + (raw ? lower_ascii(v) : filter_value(v.c_str())));
        }
        i = j + 1;
    }
    return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

/* The filters of q (type, topic, party, years), leaving out one facet's own filter. */
Xapian::Query filters_of(const acc_query *q, int without = -1)
{
    std::vector<Xapian::Query> f;
    if (q->type && *q->type && without != ACC_FACET_TYPE)
        f.push_back(filter_query(q->type, ACC_PFX_TYPE, false));
    if (q->topic && *q->topic && without != ACC_FACET_TOPIC)
        f.push_back(filter_query(q->topic, ACC_PFX_TOPIC, true));
    if (q->party && *q->party && without != ACC_FACET_PARTY)
        f.push_back(filter_query(q->party, ACC_PFX_PARTY, false));
    if ((q->year_from || q->year_to) && without != ACC_FACET_YEAR)
        f.push_back(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, ACC_SLOT_YEAR,
                                  Xapian::sortable_serialise(q->year_from ? q->year_from : 0),
                                  Xapian::sortable_serialise(q->year_to ? q->year_to : 9999)));
    return Xapian::Query(Xapian::Query::OP_AND, f.begin(), f.end());
}

/*
 * Topics whose terms occur in the query, in any language of the vocabulary
 * (compared stem by stem, as documents are tagged).
 */
std::vector<std::string> query_topics(acc_xdb *x, const acc_query *q)
{
    std::vector<std::string> out;
    if (!x->vocab || !q->text || !q->text_len)
        return out;
    const std::string normed = norm(q->text, q->text_len);
    /* the languages of the index only: a topic named in another language
       still reaches every document of that topic, whatever its language */
    std::vector<std::string> langs;
    for (const auto &l : index_langs(x))
        if (acc_topics_has_lang(x->vocab, l.c_str()))
            langs.push_back(l);
    if (std::find(langs.begin(), langs.end(), "en") == langs.end())
        langs.push_back("en");
    for (const std::string &lang_s : langs) {
        const char *lang = lang_s.c_str();
        const char *name = acc_lang_stemmer(lang);
        std::unique_ptr<TaggedFoldStem> stem;
        if (name)
            stem = std::make_unique<TaggedFoldStem>(lang, name);
        WordSeq ws;
        acc_text_words(normed.data(), normed.size(), WordSeq::add, &ws);
        for (auto &wc : ws.words)
            wc.second.key = wc.second.cjk ? wc.first : word_key(stem.get(), wc.first);
        const TopicMatcher &tm = topic_matcher(x->vocab, lang, stem.get());
        /* any occurrence of a term counts: a query is short */
        for_each_term(tm, ws, [&](size_t ti) {
            std::string id = acc_topics_id(x->vocab, tm.terms[ti].topic);
            if (std::find(out.begin(), out.end(), id) == out.end())
                out.push_back(id);
        });
    }
    return out;
}

/* Levenshtein distance, stopping early above `max` (returns max + 1). */
size_t edit_distance(const std::string &a, const std::string &b, size_t max)
{
    if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > max)
        return max + 1;
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); j++)
        prev[j] = j;
    for (size_t i = 1; i <= a.size(); i++) {
        cur[0] = i;
        size_t best = cur[0];
        for (size_t j = 1; j <= b.size(); j++) {
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
            best = std::min(best, cur[j]);
        }
        if (best > max)
            return max + 1;
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

/*
 * "Did you mean": each plain word of the query that is not in the index is
 * replaced by the most frequent indexed word within 1 edit (2 for words of 6
 * letters or more) that shares its first letter. Empty when nothing changes.
 */
std::string spelling_suggestion(acc_xdb *x, const std::string &folded)
{
    std::string out;
    bool changed = false;
    size_t i = 0;
    while (i < folded.size()) {
        size_t j = folded.find(' ', i);
        if (j == std::string::npos)
            j = folded.size();
        std::string w = folded.substr(i, j - i);
        i = j + 1;
        if (w.empty())
            continue;
        std::string best = w;
        bool plain = std::all_of(w.begin(), w.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80;
        });
        /* a word the index knows through a stem (foret -> forêts) is spelt right */
        bool known = x->db.get_termfreq(w) > 0;
        for (const auto &lang : index_langs(x)) {
            if (known || !plain)
                break;
            Xapian::Stem st = stem_for(lang);
            if (!st.is_none())
                known = x->db.get_termfreq(ACC_PFX_STEM + st(w)) > 0;
        }
        if (plain && w.size() >= 3 && !known) {
            size_t max = w.size() >= 6 ? 2 : 1;
            Xapian::doccount best_freq = 0;
            size_t best_dist = max + 1;
            const std::string first = w.substr(0, 1);
            for (auto t = x->db.allterms_begin(first); t != x->db.allterms_end(first); ++t) {
                const std::string cand = *t;
                size_t d = edit_distance(w, cand, max);
                if (d > max)
                    continue;
                Xapian::doccount f = t.get_termfreq();
                if (d < best_dist || (d == best_dist && f > best_freq)) {
                    best = cand;
                    best_dist = d;
                    best_freq = f;
                }
            }
            changed = changed || best != w;
        }
        if (!out.empty())
            out += ' ';
        out += best;
    }
    return changed ? out : std::string();
}

/* Documents like the one with that id: its most telling stems and its topics. */
Xapian::Query similar_query(acc_xdb *x, const char *id, std::string *lang)
{
    const std::string idterm = ACC_PFX_ID + std::string(id);
    auto p = x->db.postlist_begin(idterm);
    if (p == x->db.postlist_end(idterm))
        throw Xapian::DocNotFoundError(std::string("no document with id '") + id + "'");
    Xapian::docid did = *p;
    Xapian::Document doc = x->db.get_document(did);
    *lang = doc.get_value(ACC_SLOT_LANG);
    Xapian::RSet rset;
    rset.add_document(did);
    struct Decider : Xapian::ExpandDecider {
        bool words; /* the language has no stemmer: unstemmed words instead */
        bool operator()(const std::string &t) const override
        {
            /* language-tagged stems (or words): not ids or filters; no short words */
            if (words)
                return t.size() > 3 && !(t[0] >= 'A' && t[0] <= 'Z');
            return t.size() > 6 && t[0] == 'Z' && t.find(':') != std::string::npos;
        }
    } decider;
    decider.words = acc_lang_stemmer(lang->c_str()) == nullptr;
    Xapian::Enquire enq(x->db);
    enq.set_query(Xapian::Query(idterm));
    Xapian::ESet eset = enq.get_eset(25, rset, &decider);
    std::vector<Xapian::Query> parts;
    for (auto e = eset.begin(); e != eset.end(); ++e)
        parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*e), e.get_weight());
    /* topics reach versions and kin in other languages */
    const std::string tp = ACC_PFX_TOPIC;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        t.skip_to(tp);
        if (t == doc.termlist_end() || (*t).compare(0, tp.size(), tp) != 0)
            break;
        parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*t), 2.0);
    }
    Xapian::Query q(Xapian::Query::OP_OR, parts.begin(), parts.end());
    return Xapian::Query(Xapian::Query::OP_AND_NOT, q, Xapian::Query(idterm));
}

/* Counts of the values of a multi-valued slot (topics, parties) over the matches. */
class ListSpy : public Xapian::MatchSpy
{
  public:
    explicit ListSpy(Xapian::valueno slot) : slot_(slot)
    {
    }
    void operator()(const Xapian::Document &doc, double) override
    {
        const std::string v = doc.get_value(slot_);
        if (v.empty())
            return;
        size_t i = 0;
        while (i <= v.size()) {
            size_t j = v.find('\x1f', i);
            if (j == std::string::npos)
                j = v.size();
            if (j > i)
                counts_[v.substr(i, j - i)]++;
            i = j + 1;
        }
    }
    std::map<std::string, unsigned long> counts_;

  private:
    Xapian::valueno slot_;
};

void fill_facet(acc_facet *f, acc_facet_kind kind,
                std::vector<std::pair<std::string, unsigned long>> v)
{
    if (kind == ACC_FACET_YEAR)
        std::sort(v.begin(), v.end(),
                  [](const auto &a, const auto &b) { return a.first > b.first; });
    else
        std::stable_sort(v.begin(), v.end(),
                         [](const auto &a, const auto &b) { return a.second > b.second; });
    if (v.size() > 200)
        v.resize(200);
    f->kind = kind;
    f->values = static_cast<acc_facet_value *>(
        acc_xcalloc(v.size() ? v.size() : 1, sizeof(acc_facet_value)));
    for (const auto &e : v) {
        f->values[f->n].value = acc_xstrndup(e.first.data(), e.first.size());
        f->values[f->n].count = e.second;
        f->n++;
    }
}

/* The match spy that counts one facet, and the facet it counted. */
std::unique_ptr<Xapian::MatchSpy> facet_spy(acc_facet_kind kind)
{
    if (kind == ACC_FACET_TOPIC || kind == ACC_FACET_PARTY)
        return std::make_unique<ListSpy>(kind == ACC_FACET_TOPIC ? ACC_SLOT_TOPICS
                                                                 : ACC_SLOT_PARTIES);
    return std::make_unique<Xapian::ValueCountMatchSpy>(kind == ACC_FACET_LANG   ? ACC_SLOT_LANG
                                                        : kind == ACC_FACET_TYPE ? ACC_SLOT_TYPE
                                                                                 : ACC_SLOT_YEAR);
}

void read_facet_spy(const Xapian::MatchSpy &spy, acc_facet_kind kind, acc_facet *out)
{
    std::vector<std::pair<std::string, unsigned long>> v;
    if (kind == ACC_FACET_TOPIC || kind == ACC_FACET_PARTY) {
        for (const auto &e : static_cast<const ListSpy &>(spy).counts_)
            v.emplace_back(e.first, e.second);
    } else {
        const auto &vc = static_cast<const Xapian::ValueCountMatchSpy &>(spy);
        for (auto it = vc.values_begin(); it != vc.values_end(); ++it) {
            std::string val = *it;
            if (kind == ACC_FACET_YEAR)
                val = std::to_string(static_cast<int>(Xapian::sortable_unserialise(val)));
            v.emplace_back(val, it.get_termfreq());
        }
    }
    fill_facet(out, kind, std::move(v));
}

/* Exact counts of one facet over the matches of query (the whole match set). */
void count_facet(acc_xdb *x, const Xapian::Query &query, acc_facet_kind kind, acc_facet *out)
{
    Xapian::Enquire enq(x->db);
    enq.set_query(query);
    enq.set_weighting_scheme(Xapian::BoolWeight());
    std::unique_ptr<Xapian::MatchSpy> spy = facet_spy(kind);
    enq.add_matchspy(spy.get());
    enq.get_mset(0, 0, x->db.get_doccount());
    read_facet_spy(*spy, kind, out);
}

/* True when the request filters on facet k's own dimension: that facet then
   counts in a pass of its own, without its filter. */
bool facet_filtered(const acc_query *q, int k)
{
    switch (k) {
    case ACC_FACET_LANG:
        return q->lang[0] != '\0';
    case ACC_FACET_TYPE:
        return q->type && *q->type;
    case ACC_FACET_TOPIC:
        return q->topic && *q->topic;
    case ACC_FACET_PARTY:
        return q->party && *q->party;
    default:
        return q->year_from || q->year_to;
    }
}

/* Below this many documents with every word, documents with some follow (fixed,
   so that every page of a result agrees on the total). */
const Xapian::doccount FILL_BELOW = 10;

struct Strictness {
    bool simplified = false;
    bool filled = false;
    Xapian::doccount strict_total = 0; /* documents with every word (up to FILL_BELOW) */
    bool counted = false;              /* strict_total was counted by compose() */
    size_t words = 0;                  /* words of the query, filters not counted */
};

/*
 * The whole text query of a request: the parsed words (or documents like
 * q->similar), then documents with only some of the words when too few have
 * them all, then documents of a topic the query names in any language.
 */
Xapian::Query compose(acc_xdb *x, const acc_query *q, const Xapian::Query &filters, Strictness *st)
{
    bool plain = false;
    if (q->similar && *q->similar) {
        std::string sim_lang;
        Xapian::Query sq = similar_query(x, q->similar, &sim_lang);
        if (q->lang[0])
            sq = Xapian::Query(Xapian::Query::OP_FILTER, sq,
                               Xapian::Query(ACC_PFX_LANG + std::string(q->lang)));
        return sq;
    }
    Xapian::Query strict;
    Xapian::Query query =
        build_query(x, q, &st->simplified, Xapian::Query::OP_AND, &plain, &st->words, &strict);
    bool several_words = st->words >= 2;
    if (plain && several_words && !st->simplified) {
        /* the fill needs to know how many documents have every word; other
           queries take it from their own match (run_search). The boosts do
           not change which documents match: counted without them. */
        if (strict.empty())
            strict = query;
        Xapian::Enquire count(x->db);
        count.set_query(filters.empty() ? strict
                                        : Xapian::Query(Xapian::Query::OP_FILTER, strict, filters));
        count.set_weighting_scheme(Xapian::BoolWeight());
        Xapian::MSet m = count.get_mset(0, 0, FILL_BELOW);
        st->strict_total = m.get_matches_lower_bound();
        st->counted = true;
    }
    if (st->counted && st->strict_total < FILL_BELOW) {
        /* too few documents have every word: documents with some of the words
           follow, always below those with all of them */
        Xapian::Query any = build_query(x, q, &st->simplified, Xapian::Query::OP_OR);
        query = Xapian::Query(Xapian::Query::OP_OR,
                              Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, query, 1000.0), any);
        st->filled = true;
    }
    if (plain && q->expand && !st->simplified) {
        /* cross-lingual topics: documents of a topic the query names, in any
           language, come after the direct matches */
        std::vector<Xapian::Query> topics;
        for (const auto &t : query_topics(x, q))
            topics.emplace_back(ACC_PFX_TOPIC + t);
        if (!topics.empty()) {
            Xapian::Query tq(Xapian::Query::OP_OR, topics.begin(), topics.end());
            if (q->lang[0])
                tq = Xapian::Query(Xapian::Query::OP_FILTER, tq,
                                   Xapian::Query(ACC_PFX_LANG + std::string(q->lang)));
            query = Xapian::Query(Xapian::Query::OP_OR, query,
                                  Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, tq, 0.01));
        }
    }
    return query;
}

/* Sort key for newest/oldest: documents without a date come last either way. */
class DateKey : public Xapian::KeyMaker
{
  public:
    explicit DateKey(bool newest) : newest_(newest)
    {
    }
    std::string operator()(const Xapian::Document &doc) const override
    {
        std::string d = doc.get_value(ACC_SLOT_DATE);
        if (d.empty())
            return newest_ ? std::string() : std::string("\xff");
        return d;
    }

  private:
    bool newest_;
};

/*
 * A hit's fields from its record, and the label of the article heading at or
 * before byte `at` of the text (from ACC_SLOT_ARTICLES). Indexes of accord <
 * 0.6 have the articles in the record instead.
 */
void hit_fields(acc_hit *h, const Xapian::Document &doc, const std::string &data, size_t rec_len,
                size_t at)
{
    const std::string arts = doc.get_value(ACC_SLOT_ARTICLES);
    if (arts.empty()) {
        acc_hit_from_record_at(h, data.data(), rec_len, at);
        return;
    }
    acc_hit_from_record(h, data.data(), rec_len);
    const char *label = nullptr;
    size_t label_len = 0;
    each_article(arts, [&](size_t off, const char *l, size_t n) {
        if (off > at)
            return false;
        label = l;
        label_len = n;
        return true;
    });
    h->article = label ? acc_xstrndup(label, label_len) : nullptr;
}

/*
 * The words of the query text as the index's positional terms (folded, as
 * acc_text_terms cuts them; German digraph spellings too), to find where in
 * a document they first occur. Query syntax words (AND, title:...) may come
 * along: they only make the snippet scan start earlier.
 */
std::vector<std::string> positional_words(const acc_query *q)
{
    std::vector<std::string> out;
    if (!q->text || !q->text_len)
        return out;
    struct Sink {
        std::vector<std::string> *out;
        static void add(void *ctx, const char *t, size_t n, int positional)
        {
            auto *v = static_cast<Sink *>(ctx)->out;
            std::string w(t, n);
            if (positional && std::find(v->begin(), v->end(), w) == v->end())
                v->push_back(std::move(w));
        }
    } sink{&out};
    try {
        const std::string f = fold(norm(q->text, q->text_len));
        acc_text_terms(f.data(), f.size(), Sink::add, &sink);
        const std::string g = de_digraphs(f);
        if (g != f)
            acc_text_terms(g.data(), g.size(), Sink::add, &sink);
    } catch (...) {
        out.clear(); /* no shortcut: the snippet scans from the start */
    }
    if (out.size() > 32)
        out.resize(32);
    return out;
}

/*
 * The chunk holding the earliest body occurrence of any of `words` in
 * document did (positions of the unprefixed terms); 0 when none occurs as
 * written (a match through a stem only: the snippet scans from the start).
 */
unsigned first_match_chunk(const Xapian::Database &db, Xapian::docid did, const ChunkMap &cm,
                           const std::vector<std::string> &words, int *found)
{
    *found = cm.pos.size() < 2; /* one chunk: nothing to look for */
    if (cm.pos.size() < 2)
        return 0;
    Xapian::termpos best = 0;
    for (const auto &w : words) {
        Xapian::PositionIterator p = db.positionlist_begin(did, w);
        if (p == db.positionlist_end(did, w))
            continue;
        p.skip_to(cm.pos[0]); /* past the title's positions */
        if (p != db.positionlist_end(did, w) && (best == 0 || *p < best))
            best = *p;
    }
    if (best == 0)
        return 0;
    *found = 1;
    auto at = std::upper_bound(cm.pos.begin(), cm.pos.end(), best);
    return static_cast<unsigned>(at - cm.pos.begin()) - 1;
}

/*
 * The `keep` most frequent index terms that begin with prefix and pass
 * accept(term), most frequent first, among equals the first in alphabetical
 * order; at most max_scan terms are looked at. A term is copied only when it
 * is frequent enough to enter the top.
 */
template <typename Accept>
std::vector<std::pair<Xapian::doccount, std::string>>
top_terms(const Xapian::Database &db, const std::string &prefix, size_t keep, size_t max_scan,
          Accept accept)
{
    std::vector<std::pair<Xapian::doccount, std::string>> top;
    size_t scanned = 0;
    for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix) && scanned < max_scan;
         ++t, ++scanned) {
        const Xapian::doccount f = t.get_termfreq();
        if (top.size() == keep && f <= top.back().first)
            continue;
        std::string term = *t;
        if (!accept(term))
            continue;
        auto at = std::upper_bound(top.begin(), top.end(), f,
                                   [](Xapian::doccount v, const auto &e) { return v > e.first; });
        top.emplace(at, f, std::move(term));
        if (top.size() > keep)
            top.pop_back();
    }
    return top;
}

/*
 * Index words (unprefixed terms) of which the query's stems for language
 * `lang` are the stem, and that are not query words themselves: the forms a
 * stem matched in a document (Znl:methan matches "methaan"; Zen:wetland,
 * "wetlands"). Candidates share the stem's first four bytes and are checked
 * with the language's stemmer; the most frequent few per stem, 24 in all.
 */
std::vector<std::string> stem_variants(const Xapian::Database &db, const Xapian::Query &query,
                                       const std::vector<std::string> &qwords,
                                       const std::string &lang)
{
    std::vector<std::string> out;
    const char *name = acc_lang_stemmer(lang.c_str());
    if (!name)
        return out;
    TaggedFoldStem stem(lang, name);
    const std::string ztag = ACC_PFX_STEM + lang + ":";
    for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
        const std::string &term = *t;
        if (term.compare(0, ztag.size(), ztag) != 0 || term.size() - ztag.size() < 3)
            continue; /* another language's, or a stem of one or two letters */
        size_t h = std::min<size_t>(4, term.size() - ztag.size());
        while (h > 1 && (static_cast<unsigned char>(term[ztag.size() + h]) & 0xC0) == 0x80)
            h--; /* not inside a UTF-8 character */
        const std::string head = term.substr(ztag.size(), h);
        auto top = top_terms(db, head, 6, 1000, [&](const std::string &word) {
            return ACC_PFX_STEM + stem.fold_first(word) == term;
        });
        for (auto &e : top)
            if (out.size() < 24 &&
                std::find(qwords.begin(), qwords.end(), e.second) == qwords.end() &&
                std::find(out.begin(), out.end(), e.second) == out.end())
                out.push_back(std::move(e.second));
    }
    return out;
}

acc_results *run_search(acc_xdb *x, const acc_query *q)
{
    auto t0 = std::chrono::steady_clock::now();
    std::unique_ptr<acc_results, void (*)(acc_results *)> r(
        static_cast<acc_results *>(acc_xcalloc(1, sizeof(acc_results))), acc_results_free);
    bool simplified = false, plain = false, filled = false, expanded = false;
    std::string sim_lang;

    /* the text part: the query, or documents like q->similar */
    Xapian::Query filters = filters_of(q);
    auto with_filters = [&](const Xapian::Query &main, const Xapian::Query &f) {
        return f.empty() ? main : Xapian::Query(Xapian::Query::OP_FILTER, main, f);
    };
    Strictness st;
    Xapian::Query query = compose(x, q, filters, &st);
    simplified = st.simplified;
    filled = st.filled;
    (void)plain;
    (void)expanded;
    (void)sim_lang;

    std::unique_ptr<Xapian::MatchSpy> riders[ACC_FACET_COUNT]; /* outlive enq's use */
    Xapian::Enquire enq(x->db);
    enq.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.5));
    /* a bounded answer time: past it, the best matches found so far */
    enq.set_time_limit(ACC_QUERY_TIME_LIMIT);
    DateKey newest(true), oldest(false);
    if (q->sort == ACC_SORT_NEWEST)
        enq.set_sort_by_key_then_relevance(&newest, true);
    else if (q->sort == ACC_SORT_OLDEST)
        enq.set_sort_by_key_then_relevance(&oldest, false);
    if (q->collapse)
        enq.set_collapse_key(ACC_SLOT_WORK);
    const Xapian::doccount all = x->db.get_doccount();
    /* exact totals when facets are asked for; otherwise exact up to 1000 */
    const Xapian::doccount check =
        q->facets ? all : std::max<Xapian::doccount>(q->offset + q->limit, 1000);
    enq.set_query(with_filters(query, filters));
    /* a facet not filtered on its own dimension counts the main match set:
       its spy rides on the main match (every match is seen: check = all) */
    for (int k = 0; k < ACC_FACET_COUNT; k++)
        if ((q->facets & (1u << k)) && !facet_filtered(q, k) && !q->collapse) {
            riders[k] = facet_spy(static_cast<acc_facet_kind>(k));
            enq.add_matchspy(riders[k].get());
        }
    Xapian::MSet mset = enq.get_mset(q->offset, q->limit, check);
    /* without the fill's count, the strict query is the query itself (topic
       expansion aside, which a mistyped query does not trigger) */
    const Xapian::doccount strict_total =
        st.counted ? st.strict_total
                   : std::min<Xapian::doccount>(mset.get_matches_lower_bound(), FILL_BELOW);

    r->total = mset.get_matches_estimated();
    r->total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
    r->revision = x->rev;
    r->simplified = simplified;
    if (simplified)
        std::snprintf(r->message, sizeof r->message, "%s",
                      "the query had a syntax error and was searched as plain words");
    else if (filled)
        std::snprintf(r->message, sizeof r->message, "%s",
                      "few documents have all the words: documents with some of them follow");

    /* facets: exact counts over the whole match set; a facet that is itself
       filtered counts without its own filter (what each value would give) */
    r->facets_asked = q->facets;
    for (int k = 0; k < ACC_FACET_COUNT; k++) {
        if (!(q->facets & (1u << k)))
            continue;
        if (riders[k]) {
            read_facet_spy(*riders[k], static_cast<acc_facet_kind>(k), &r->facets[k]);
            continue;
        }
        Xapian::Query fq = with_filters(query, filters_of(q, k));
        if (k == ACC_FACET_LANG && q->lang[0]) {
            acc_query all_langs = *q;
            all_langs.lang[0] = '\0';
            Strictness s2;
            fq = with_filters(compose(x, &all_langs, filters, &s2), filters);
        }
        count_facet(x, fq, static_cast<acc_facet_kind>(k), &r->facets[k]);
    }

    /* did you mean: only when the query finds nothing or very little */
    if (!(q->similar && *q->similar) && strict_total < 3 && q->text && q->text_len && !simplified) {
        acc_buf b;
        acc_buf_init(&b, 0);
        if (acc_text_query_fold(q->text, q->text_len, &b, nullptr) == ACC_OK && b.p) {
            std::string s = spelling_suggestion(x, std::string(b.p, b.n));
            if (!s.empty())
                r->suggestion = acc_xstrndup(s.data(), s.size());
        }
        acc_buf_release(&b);
    }

    r->hits = static_cast<acc_hit *>(acc_xcalloc(mset.size() ? mset.size() : 1, sizeof(acc_hit)));
    std::map<std::string, SnippetMatcher> matchers; /* one per language of the hits */
    std::string chunk, first;                       /* stored text, decompressed */
    const std::vector<std::string> qwords = positional_words(q);
    /* stem_variants() by language, made on first need */
    std::map<std::string, std::vector<std::string>> variants;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        acc_hit *h = &r->hits[r->nhits++];
        Xapian::Document doc = it.get_document();
        const std::string data = doc.get_data();
        size_t nl = data.find('\n');
        size_t rec_len = record_len(data);
        /* with the fill, documents with every word were weighted x1000 to
           stay first; scale back so scores read like BM25 weights */
        h->score = filled ? it.get_weight() / 1000.0 : it.get_weight();
        std::string hit_lang = doc.get_value(ACC_SLOT_LANG);
        if (hit_lang == "und")
            hit_lang.clear();
        SnippetMatcher &m = matchers.try_emplace(hit_lang, query, hit_lang).first->second;
        size_t at = 0;
        if (nl != std::string::npos) { /* an index of accord < 0.6: the text is in the data */
            h->snippet = acc_snippet_at(data.c_str() + nl + 1, data.size() - nl - 1, 240,
                                        SnippetMatcher::match, &m, &at);
        } else {
            /* the first chunk with a match, found through the positions of the
               query's words when the document has one of them as written;
               without a match, the start of the text */
            const ChunkMap cm = decode_chunk_map(doc.get_value(ACC_SLOT_TEXT_MAP));
            int found = -1;
            unsigned from = first_match_chunk(x->db, *it, cm, qwords, &found);
            if (!found) {
                /* no query word as written: words of the index that begin
                   with one of the query's stems (wetland for wetlands) */
                auto v = variants.find(hit_lang);
                if (v == variants.end())
                    v = variants.emplace(hit_lang, stem_variants(x->db, query, qwords, hit_lang))
                            .first;
                from = first_match_chunk(x->db, *it, cm, v->second, &found);
            }
            /* with no occurrence of either, a match can only come through a
               stem of another shape (or the title, or a topic): look a little */
            const unsigned budget = found ? SNIPPET_MAX_CHUNKS : SNIPPET_BLIND_CHUNKS;
            size_t base = from < cm.offset.size() ? cm.offset[from] : 0;
            for (unsigned i = from; i < from + budget && text_chunk(doc, i, chunk); i++) {
                h->snippet = acc_snippet_find(chunk.data(), chunk.size(), 240,
                                              SnippetMatcher::match, &m, &at);
                if (h->snippet) {
                    at += base;
                    break;
                }
                if (i == 0)
                    first.swap(chunk);
                base += i == 0 ? first.size() : chunk.size();
            }
            if (!h->snippet) {
                if (first.empty() && text_chunk(doc, 0, chunk))
                    first.swap(chunk);
                h->snippet = acc_snippet_at(first.data(), first.size(), 240, nullptr, nullptr, &at);
            }
            first.clear();
        }
        hit_fields(h, doc, data, rec_len, at);
        if (q->explain) {
            std::string terms;
            for (auto t = enq.get_matching_terms_begin(it); t != enq.get_matching_terms_end(it);
                 ++t)
                terms += (terms.empty() ? "" : " ") + *t;
            h->explain = acc_xstrndup(terms.data(), terms.size());
        }
        const std::string work = doc.get_value(ACC_SLOT_WORK);
        if (q->collapse && !work.empty()) {
            /* the other language versions of this agreement */
            const std::string wt = ACC_PFX_WORK + work;
            std::vector<std::pair<std::string, std::string>> versions;
            for (auto p = x->db.postlist_begin(wt); p != x->db.postlist_end(wt); ++p) {
                if (*p == *it)
                    continue;
                Xapian::Document v = x->db.get_document(*p);
                std::string vid;
                auto qt = v.termlist_begin();
                qt.skip_to(ACC_PFX_ID);
                if (qt != v.termlist_end() && (*qt).compare(0, 1, ACC_PFX_ID) == 0)
                    vid = (*qt).substr(1);
                versions.emplace_back(vid, v.get_value(ACC_SLOT_LANG));
            }
            if (!versions.empty()) {
                h->versions =
                    static_cast<acc_version *>(acc_xcalloc(versions.size(), sizeof(acc_version)));
                for (const auto &v : versions) {
                    h->versions[h->nversions].id = acc_xstrndup(v.first.data(), v.first.size());
                    h->versions[h->nversions].lang = acc_xstrndup(v.second.data(), v.second.size());
                    h->nversions++;
                }
            }
        }
    }
    r->took_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return r.release();
}

} // namespace

extern "C" {

acc_status acc_xdb_open_many(const char *const *paths, size_t n, acc_xdb **out,
                             acc_error *err) noexcept
{
    for (size_t i = 1; i < n; i++) {
        acc_xdb *one = nullptr;
        acc_status st = acc_xdb_open(paths[i], &one, err);
        acc_xdb_close(one);
        if (st != ACC_OK)
            return st;
    }
    acc_status st = acc_xdb_open(paths[0], out, err);
    if (st != ACC_OK)
        return st;
    try {
        /* Xapian merges the statistics: results equal those of one big index */
        for (size_t i = 1; i < n; i++)
            (*out)->db.add_database(Xapian::Database(paths[i]));
        std::vector<std::string> dirs;
        for (size_t i = 0; i < n; i++)
            for (auto &d : index_dirs(paths[i]))
                dirs.push_back(d);
        (*out)->shards.clear();
        if (dirs.size() > 1 || n > 1)
            for (const auto &d : dirs)
                (*out)->shards.emplace_back(d);
        return ACC_OK;
    } catch (...) {
        acc_xdb_close(*out);
        *out = nullptr;
        return xap_fail(err, "cannot open the indexes together");
    }
}

acc_status acc_xdb_open(const char *path, acc_xdb **out, acc_error *err) noexcept
{
    try {
        auto x = std::make_unique<acc_xdb>();
        x->path = path;
        x->db = Xapian::Database(path);
        const std::vector<std::string> dirs = index_dirs(path);
        if (dirs.size() > 1) /* a stub file of several indexes */
            for (const auto &d : dirs)
                x->shards.emplace_back(d);
        *out = x.release();
        return ACC_OK;
    } catch (const Xapian::DatabaseNotFoundError &e) {
        /* Xapian says "not found" for an existing directory without an index too */
        struct stat sb;
        if (stat(path, &sb) == 0)
            return acc_error_set(err, ACC_EDB_NOTINDEX,
                                 "cannot open index '%s': not an accord index (%s)", path,
                                 e.get_msg().c_str());
        return acc_error_set(err, ACC_EDB_NOTFOUND, "cannot open index '%s': no such index (%s)",
                             path, e.get_msg().c_str());
    } catch (...) {
        std::string what = std::string("cannot open index '") + path + "'";
        return xap_fail(err, what.c_str());
    }
}

void acc_xdb_close(acc_xdb *db) noexcept
{
    try {
        delete db;
    } catch (...) {
        /* Xapian destructors do not throw; nothing to report to */
    }
}

void acc_xdb_set_topics(acc_xdb *x, const acc_topics *vocab) noexcept
{
    x->vocab = vocab;
}

acc_status acc_xdb_stats(acc_xdb *x, unsigned long *doccount, unsigned long *revision,
                         acc_error *err) noexcept
{
    try {
        refresh(x);
        if (doccount)
            *doccount = x->db.get_doccount();
        if (revision)
            *revision = x->rev;
        return ACC_OK;
    } catch (...) {
        return xap_fail(err, "cannot read index statistics");
    }
}

acc_status acc_xdb_search(acc_xdb *x, const acc_query *q, acc_results **out,
                          acc_error *err) noexcept
{
    acc_status st = acc_query_check(q, err);
    if (st != ACC_OK)
        return st;
    /* one lang:xx typed in the query restricts and picks the stemmer like --lang */
    acc_query local = *q;
    if (!q->lang[0] && q->text) {
        std::string t(q->text, q->text_len);
        size_t at = t.find("lang:");
        if (at != std::string::npos && t.find("lang:", at + 5) == std::string::npos &&
            (at == 0 || t[at - 1] == ' ')) {
            size_t end = t.find(' ', at);
            std::string v =
                t.substr(at + 5, end == std::string::npos ? std::string::npos : end - at - 5);
            char code[ACC_LANG_MAX];
            if (acc_lang_parse(v.data(), v.size(), code))
                std::strcpy(local.lang, code);
        }
    }
    q = &local;
    for (int attempt = 0;; attempt++) {
        try {
            refresh(x);
            *out = run_search(x, q);
            return ACC_OK;
        } catch (const Xapian::DatabaseModifiedError &) {
            if (attempt >= 1)
                return xap_fail(err, "search failed");
        } catch (...) {
            return xap_fail(err, "search failed");
        }
    }
}

char *acc_xdb_doc_json(acc_xdb *x, const char *id, acc_error *err) noexcept
{
    try {
        refresh(x);
        const std::string idterm = ACC_PFX_ID + std::string(id);
        auto p = x->db.postlist_begin(idterm);
        if (p == x->db.postlist_end(idterm)) {
            acc_error_set(err, ACC_ENOTFOUND, "no document with id '%.200s'", id);
            return nullptr;
        }
        const Xapian::Document doc = x->db.get_document(*p);
        const std::string data = doc.get_data();
        std::string rec = data.substr(0, record_len(data));
        std::string text = full_text(doc, data);
        json_t *o = json_loadb(rec.data(), rec.size(), 0, nullptr);
        if (!o)
            o = json_object();
        json_object_del(o, "path"); /* where the indexer read it: not for the web */
        const std::string arts = doc.get_value(ACC_SLOT_ARTICLES);
        if (!arts.empty()) {
            json_t *list = json_array();
            each_article(arts, [&](size_t off, const char *l, size_t n) {
                json_array_append_new(list, json_pack("{s:s%,s:I}", "label", l, n, "offset",
                                                      static_cast<json_int_t>(off)));
                return true;
            });
            json_object_set_new(o, "articles", list);
        }
        json_object_set_new(o, "text", json_stringn(text.data(), text.size()));
        char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        if (!s)
            acc_error_set(err, ACC_EINTERNAL, "cannot encode document '%.200s'", id);
        return s;
    } catch (...) {
        xap_fail(err, "cannot read the document");
        return nullptr;
    }
}

char *acc_xdb_suggest_json(acc_xdb *x, const char *text, size_t len, unsigned limit,
                           acc_error *err) noexcept
{
    try {
        refresh(x);
        if (!acc_utf8_valid(text, len)) {
            acc_error_set(err, ACC_EINVAL, "query is not valid UTF-8");
            return nullptr;
        }
        std::string folded = fold(norm(text, len));
        json_t *arr = json_array();
        /* the last word completed from the index's words, most frequent first */
        size_t sp = folded.find_last_of(' ');
        std::string head = sp == std::string::npos ? "" : folded.substr(0, sp + 1);
        std::string last = sp == std::string::npos ? folded : folded.substr(sp + 1);
        if (!last.empty() && (last[0] & 0x80) == 0
                ? std::isalnum(static_cast<unsigned char>(last[0]))
                : !last.empty()) {
            const auto top = top_terms(x->db, last, limit / 2 + 1, 20000,
                                       [](const std::string &) { return true; });
            for (const auto &w : top) {
                std::string s = head + w.second;
                json_t *o = json_object();
                json_object_set_new(o, "text", json_stringn(s.data(), s.size()));
                json_object_set_new(o, "kind", json_string("word"));
                json_array_append_new(arr, o);
            }
        }
        /* titles that have the words, the last one as a prefix (from 2
           characters on: a one-letter prefix would expand to most words) */
        if (last.size() >= 2 && json_array_size(arr) < limit) {
            Xapian::QueryParser qp;
            qp.set_database(x->db);
            qp.set_max_expansion(20, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT,
                                 Xapian::QueryParser::FLAG_PARTIAL);
            qp.set_default_op(Xapian::Query::OP_AND);
            Xapian::Query q = qp.parse_query(
                folded, Xapian::QueryParser::FLAG_PARTIAL | Xapian::QueryParser::FLAG_CJK_NGRAM,
                ACC_PFX_TITLE);
            Xapian::Enquire enq(x->db);
            enq.set_query(q);
            Xapian::MSet m = enq.get_mset(0, limit - json_array_size(arr));
            for (auto it = m.begin(); it != m.end(); ++it) {
                const Xapian::Document doc = it.get_document();
                const std::string label = doc.get_value(ACC_SLOT_LABEL);
                const size_t sep = label.find('\x1f');
                if (sep != std::string::npos) {
                    if (sep + 1 == label.size())
                        continue; /* no title to show */
                    json_array_append_new(arr,
                                          json_pack("{s:s%,s:s,s:s%}", "text",
                                                    label.data() + sep + 1, label.size() - sep - 1,
                                                    "kind", "title", "id", label.data(), sep));
                    continue;
                }
                /* an index of accord < 0.6: the record has them */
                const std::string data = doc.get_data();
                json_t *rec = json_loadb(data.data(), record_len(data), 0, nullptr);
                const char *title = json_string_value(json_object_get(rec, "title"));
                const char *id = json_string_value(json_object_get(rec, "id"));
                if (title && *title && id)
                    json_array_append_new(
                        arr, json_pack("{s:s,s:s,s:s}", "text", title, "kind", "title", "id", id));
                json_decref(rec);
            }
        }
        json_t *o = json_pack("{s:o}", "suggestions", arr);
        char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        return s;
    } catch (...) {
        xap_fail(err, "suggestions failed");
        return nullptr;
    }
}

char *acc_xdb_stats_json(acc_xdb *x, acc_error *err) noexcept
{
    try {
        refresh(x);
        json_t *o = json_object();
        json_object_set_new(o, "documents", json_integer(x->db.get_doccount()));
        json_object_set_new(o, "revision", json_integer(x->rev));
        const char *groups[][2] = {
            {"languages", ACC_PFX_LANG}, {"types", ACC_PFX_TYPE}, {"topics", ACC_PFX_TOPIC}};
        for (auto &g : groups) {
            json_t *arr = json_array();
            const std::string pfx = g[1];
            for (auto t = x->db.allterms_begin(pfx); t != x->db.allterms_end(pfx); ++t)
                json_array_append_new(arr, json_pack("{s:s,s:I}", "value",
                                                     (*t).substr(pfx.size()).c_str(), "count",
                                                     (json_int_t)t.get_termfreq()));
            json_object_set_new(o, g[0], arr);
        }
        char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        return s;
    } catch (...) {
        xap_fail(err, "cannot read index statistics");
        return nullptr;
    }
}

acc_status acc_xwdb_open(const char *path, acc_xwdb **out, acc_error *err) noexcept
{
    try {
        auto w = std::make_unique<acc_xwdb>();
        w->path = path;
        w->db = Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
        *out = w.release();
        return ACC_OK;
    } catch (...) {
        std::string what = std::string("cannot open index '") + path + "' for writing";
        return xap_fail(err, what.c_str());
    }
}

void acc_xwdb_close(acc_xwdb *w) noexcept
{
    if (!w)
        return;
    try {
        if (w->in_txn)
            w->db.cancel_transaction();
        w->db.close();
    } catch (...) {
        /* closing a writer can only fail on I/O; the last commit is intact */
    }
    delete w;
}

acc_status acc_xwdb_begin(acc_xwdb *w, acc_error *err) noexcept
{
    try {
        w->db.begin_transaction(true);
        w->in_txn = true;
        return ACC_OK;
    } catch (...) {
        return xap_fail(err, "cannot start a transaction");
    }
}

acc_status acc_xwdb_commit(acc_xwdb *w, acc_error *err) noexcept
{
    try {
        if (w->in_txn) {
            w->in_txn = false;
            w->db.commit_transaction();
        } else {
            w->db.commit();
        }
        return ACC_OK;
    } catch (...) {
        return xap_fail(err, "cannot commit the index");
    }
}

acc_status acc_xwdb_cancel(acc_xwdb *w, acc_error *err) noexcept
{
    try {
        if (w->in_txn) {
            w->in_txn = false;
            w->db.cancel_transaction();
        }
        return ACC_OK;
    } catch (...) {
        return xap_fail(err, "cannot cancel the transaction");
    }
}

const char *acc_xap_version(void) noexcept
{
    return Xapian::version_string();
}

unsigned long acc_xwdb_doccount(acc_xwdb *w) noexcept
{
    try {
        return w->db.get_doccount();
    } catch (...) {
        return 0;
    }
}

acc_status acc_xdoc_build(const acc_doc *d, const acc_topics *vocab, acc_xdoc **out,
                          acc_error *err) noexcept
{
    try {
        auto x = std::make_unique<acc_xdoc>();
        Xapian::Document &doc = x->doc;
        const std::string lang = d->lang[0] ? lower_ascii(d->lang) : std::string("und");
        x->idterm = ACC_PFX_ID + std::string(d->id);
        const char *title = d->title ? d->title : "";
        const std::string title_norm = norm(title, std::strlen(title));
        const std::string title_fold = fold(title_norm);
        const std::vector<size_t> cuts = text_cuts(d->text, d->text_len);
        std::string body_norm;
        ChunkMap chunk_map;

        /* pass A: folded words with positions (phrases, wildcards, CJK), the
           terms TermGenerator would make (acc_text_terms), added directly */
        const bool german = lang == "de";
        const std::string title_terms = german ? de_digraphs(title_fold) : title_fold;
        PostingSink sink{&doc, ACC_PFX_TITLE, 0, 1};
        acc_text_terms(title_terms.data(), title_terms.size(), PostingSink::add, &sink);
        sink.pos += ACC_FIELD_GAP;
        sink.prefix.clear();
        sink.wdf = ACC_TITLE_WDF;
        acc_text_terms(title_terms.data(), title_terms.size(), PostingSink::add, &sink);
        sink.pos += ACC_FIELD_GAP;
        sink.wdf = 1;
        /* the body chunk by chunk, as stored (chunks end between words, so the
           terms are those of the whole text): where each chunk's positions
           start lets a snippet go straight to the chunk of a word's first
           occurrence */
        for (size_t i = 0, done = 0; i < cuts.size(); done = cuts[i++]) {
            const std::string cn = norm(d->text + done, cuts[i] - done);
            const std::string cf = german ? de_digraphs(fold(cn)) : fold(cn);
            chunk_map.pos.push_back(sink.pos + 1);
            acc_text_terms(cf.data(), cf.size(), PostingSink::add, &sink);
            body_norm += cn;
            body_norm += '\n';
        }

        /* pass B: language-tagged stems, fold(stem(w)) and stem(fold(w)), once
           per distinct word of the normalised (accented) text */
        const char *stemmer = acc_lang_stemmer(lang.c_str());
        std::unique_ptr<TaggedFoldStem> stem;
        if (stemmer)
            stem = std::make_unique<TaggedFoldStem>(lang, stemmer);
        WordSeq ws;
        ws.weight = ACC_TITLE_WDF;
        acc_text_words(title_norm.data(), title_norm.size(), WordSeq::add, &ws);
        ws.weight = 1;
        acc_text_words(body_norm.data(), body_norm.size(), WordSeq::add, &ws);
        for (auto &wc : ws.words) {
            if (wc.second.cjk) {
                wc.second.key = wc.first;
                continue;
            }
            if (!stem) {
                wc.second.key = fold(wc.first);
                continue;
            }
            std::string sf = (*stem)(wc.first);
            /* for a plain ASCII word folding changes nothing: one stem suffices */
            bool ascii = std::all_of(wc.first.begin(), wc.first.end(),
                                     [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
            std::string fs = ascii ? sf : stem->fold_first(wc.first);
            doc.add_term(ACC_PFX_STEM + sf, wc.second.wdf);
            if (fs != sf)
                doc.add_term(ACC_PFX_STEM + fs, wc.second.wdf);
            wc.second.key = std::move(fs);
        }

        /* title: stems too, as QueryParser makes "ZS<stem>" of title:word */
        if (stem) {
            WordSeq tw;
            acc_text_words(title_norm.data(), title_norm.size(), WordSeq::add, &tw);
            for (const auto &wc : tw.words) {
                if (wc.second.cjk)
                    continue;
                std::string sf = (*stem)(wc.first), fs = stem->fold_first(wc.first);
                doc.add_term(ACC_PFX_STEM + std::string(ACC_PFX_TITLE) + sf, wc.second.wdf);
                if (fs != sf)
                    doc.add_term(ACC_PFX_STEM + std::string(ACC_PFX_TITLE) + fs, wc.second.wdf);
            }
        }

        /* topics: metadata first, then the vocabulary's rule */
        std::vector<std::string> topics;
        std::map<std::string, unsigned> topic_hits;
        for (size_t i = 0; i < d->ntopics; i++)
            if (d->topics[i] && *d->topics[i])
                topics.push_back(lower_ascii(d->topics[i]));
        if (vocab) {
            std::string vlang = acc_topics_has_lang(vocab, lang.c_str()) ? lang : "en";
            std::unique_ptr<TaggedFoldStem> vstem;
            TaggedFoldStem *ks = stem.get();
            if (vlang != lang) {
                /* English terms against a document in a language the vocabulary lacks:
                   compare with the English stemmer on both sides */
                vstem = std::make_unique<TaggedFoldStem>("en", "english");
                ks = vstem.get();
                for (auto &wc : ws.words)
                    if (!wc.second.cjk)
                        wc.second.key = word_key(ks, wc.first);
            }
            const TopicMatcher &tm = topic_matcher(vocab, vlang, ks);
            std::vector<unsigned> hits;
            for (size_t t : tag_topics(tm, ws, acc_topics_count(vocab), &hits)) {
                std::string id = acc_topics_id(vocab, t);
                topic_hits[id] = hits[t];
                if (std::find(topics.begin(), topics.end(), id) == topics.end())
                    topics.push_back(id);
            }
        }
        std::vector<const char *> topic_ptrs;
        for (const auto &t : topics)
            topic_ptrs.push_back(t.c_str());
        x->topics = topics;

        /* boolean filters and values */
        doc.add_boolean_term(x->idterm);
        doc.add_boolean_term(ACC_PFX_LANG + lang);
        std::string type = filter_value(d->type);
        if (!type.empty()) {
            doc.add_boolean_term(ACC_PFX_TYPE + type);
            doc.add_value(ACC_SLOT_TYPE, type);
        }
        for (size_t i = 0; i < d->nparties; i++) {
            std::string party = filter_value(d->parties[i]);
            if (!party.empty() && party.size() < 200)
                doc.add_boolean_term(ACC_PFX_PARTY + party);
        }
        /* topic terms carry how often the topic's terms occur (at least 1),
           so that cross-lingual expansion can rank by them */
        for (const auto &t : topics) {
            auto hit = topic_hits.find(t);
            doc.add_term(ACC_PFX_TOPIC + t, hit == topic_hits.end() ? 1 : hit->second);
        }
        {
            /* multi-valued facets read these lists, not the term lists */
            std::vector<std::string> tl(topics.begin(), topics.end()), pl;
            for (size_t i = 0; i < d->nparties; i++) {
                std::string party = filter_value(d->parties[i]);
                if (!party.empty() && party.size() < 200)
                    pl.push_back(party);
            }
            auto join = [](const std::vector<std::string> &v) {
                std::string joined;
                for (const auto &e : v)
                    joined += (joined.empty() ? "" : "\x1f") + e;
                return joined;
            };
            if (!tl.empty())
                doc.add_value(ACC_SLOT_TOPICS, join(tl));
            if (!pl.empty())
                doc.add_value(ACC_SLOT_PARTIES, join(pl));
        }
        if (d->work && *d->work) {
            std::string w = filter_value(d->work);
            if (w.size() > 120)
                w.resize(120);
            doc.add_value(ACC_SLOT_WORK, w);
            doc.add_boolean_term(ACC_PFX_WORK + w);
        }
        int year = acc_date_year(d->date);
        if (year > 0) {
            char key[9];
            acc_date_sortkey(d->date, key);
            doc.add_boolean_term(ACC_PFX_YEAR + std::to_string(year));
            doc.add_value(ACC_SLOT_YEAR, Xapian::sortable_serialise(year));
            doc.add_value(ACC_SLOT_DATE, key);
        }
        doc.add_value(ACC_SLOT_LANG, lang);
        if (d->stamp && *d->stamp)
            doc.add_value(ACC_SLOT_STAMP, d->stamp);
        if (d->source && *d->source)
            doc.add_value(ACC_SLOT_SOURCE, d->source);

        acc_doc rd = *d;
        rd.topics = topic_ptrs.data();
        rd.ntopics = topic_ptrs.size();
        rd.articles = nullptr; /* in ACC_SLOT_ARTICLES */
        rd.narticles = 0;
        char *rec = acc_doc_record_json(&rd);
        std::string data(rec);
        std::free(rec);
        doc.set_data(data);
        doc.add_value(ACC_SLOT_LABEL, std::string(d->id) + '\x1f' + title);
        if (d->narticles)
            doc.add_value(ACC_SLOT_ARTICLES, encode_articles(d->articles, d->narticles));
        add_text(doc, d->text, cuts);
        if (!cuts.empty())
            doc.add_value(ACC_SLOT_TEXT_MAP, encode_chunk_map(chunk_map, cuts));
        *out = x.release();
        return ACC_OK;
    } catch (...) {
        std::string what = std::string("cannot index document '") + (d->id ? d->id : "?") + "'";
        return xap_fail(err, what.c_str());
    }
}

void acc_xdoc_free(acc_xdoc *x) noexcept
{
    delete x;
}

const char *const *acc_xdoc_topics(acc_xdoc *x, size_t *n) noexcept
{
    try {
        x->topic_ptrs.clear();
        for (const auto &t : x->topics)
            x->topic_ptrs.push_back(t.c_str());
        *n = x->topic_ptrs.size();
        return x->topic_ptrs.data();
    } catch (...) {
        *n = 0;
        return nullptr;
    }
}

acc_status acc_xwdb_write(acc_xwdb *w, const acc_xdoc *x, int *replaced, acc_error *err) noexcept
{
    try {
        if (replaced)
            *replaced = w->db.term_exists(x->idterm);
        w->db.replace_document(x->idterm, x->doc);
        return ACC_OK;
    } catch (...) {
        std::string what = "cannot write document '" + x->idterm.substr(1) + "'";
        return xap_fail(err, what.c_str());
    }
}

acc_status acc_xwdb_put(acc_xwdb *w, const acc_doc *d, int *replaced, acc_error *err) noexcept
{
    acc_xdoc *x = nullptr;
    acc_status st = acc_xdoc_build(d, nullptr, &x, err);
    if (st == ACC_OK)
        st = acc_xwdb_write(w, x, replaced, err);
    acc_xdoc_free(x);
    return st;
}

acc_status acc_xwdb_delete(acc_xwdb *w, const char *id, acc_error *err) noexcept
{
    try {
        w->db.delete_document(ACC_PFX_ID + std::string(id));
        return ACC_OK;
    } catch (...) {
        std::string what = std::string("cannot delete document '") + id + "'";
        return xap_fail(err, what.c_str());
    }
}

acc_status acc_xwdb_get_meta(acc_xwdb *w, const char *key, char **value, acc_error *err) noexcept
{
    try {
        const std::string v = w->db.get_metadata(key);
        *value = acc_xstrndup(v.data(), v.size());
        return ACC_OK;
    } catch (...) {
        return xap_fail(err, "cannot read index metadata");
    }
}

acc_status acc_xwdb_set_meta(acc_xwdb *w, const char *key, const char *value,
                             acc_error *err) noexcept
{
    try {
        w->db.set_metadata(key, value);
        return ACC_OK;
    } catch (...) {
        return xap_fail(err, "cannot write index metadata");
    }
}

acc_status acc_xwdb_each(acc_xwdb *w, acc_xwdb_each_fn fn, void *ctx, acc_error *err) noexcept
{
    try {
        const std::string pfx = ACC_PFX_ID;
        for (auto t = w->db.allterms_begin(pfx); t != w->db.allterms_end(pfx); ++t) {
            const std::string term = *t;
            auto p = w->db.postlist_begin(term);
            if (p == w->db.postlist_end(term))
                continue;
            Xapian::Document doc = w->db.get_document(*p);
            const std::string id = term.substr(pfx.size());
            const std::string source = doc.get_value(ACC_SLOT_SOURCE);
            const std::string stamp = doc.get_value(ACC_SLOT_STAMP);
            if (fn(ctx, id.c_str(), source.c_str(), stamp.c_str()) != 0)
                break;
        }
        return ACC_OK;
    } catch (...) {
        return xap_fail(err, "cannot list the documents of the index");
    }
}

acc_status acc_xap_check_terms(const char *text, size_t n, char *diff, size_t difflen,
                               size_t *ndiff) noexcept
{
    try {
        std::string t(text, n);
        Xapian::Document a, b;
        Xapian::TermGenerator tg;
        tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
        tg.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
        tg.set_max_word_length(ACC_MAX_WORD_BYTES);
        tg.set_document(a);
        tg.index_text(t);
        PostingSink sink{&b, "", 0, 1};
        acc_text_terms(t.data(), t.size(), PostingSink::add, &sink);

        auto describe = [](const Xapian::Document &d, const std::string &term) {
            std::string out = "'" + term + "'";
            for (auto it = d.termlist_begin(); it != d.termlist_end(); ++it) {
                if (*it != term)
                    continue;
                out += " wdf " + std::to_string(it.get_wdf()) + " at";
                int k = 0;
                for (auto p = it.positionlist_begin(); p != it.positionlist_end() && k < 6;
                     ++p, ++k)
                    out += " " + std::to_string(*p);
                return out;
            }
            return out + " absent";
        };
        size_t diffs = 0;
        std::string first;
        std::map<std::string, std::pair<Xapian::termcount, std::vector<Xapian::termpos>>> ta, tb;
        for (auto it = a.termlist_begin(); it != a.termlist_end(); ++it)
            ta[*it] = {it.get_wdf(), std::vector<Xapian::termpos>(it.positionlist_begin(),
                                                                  it.positionlist_end())};
        for (auto it = b.termlist_begin(); it != b.termlist_end(); ++it)
            tb[*it] = {it.get_wdf(), std::vector<Xapian::termpos>(it.positionlist_begin(),
                                                                  it.positionlist_end())};
        for (const auto &e : ta) {
            auto o = tb.find(e.first);
            if (o == tb.end() || o->second != e.second) {
                if (!diffs++)
                    first = "TermGenerator " + describe(a, e.first) + "; accord " +
                            describe(b, e.first);
            }
        }
        for (const auto &e : tb)
            if (!ta.count(e.first) && !diffs++)
                first = "accord has " + describe(b, e.first) + " that TermGenerator has not";
        *ndiff = diffs;
        std::snprintf(diff, difflen, "%s", first.c_str());
        return ACC_OK;
    } catch (...) {
        return xap_fail(nullptr, "term check failed");
    }
}

} // extern "C"
