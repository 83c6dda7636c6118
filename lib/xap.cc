/*
 * lib/xap.cc: the Xapian layer (lib/xap.h), the only C++ in accord.
 *
 * Invariants:
 * - every extern "C" function is noexcept and catches everything: an
 *   exception never crosses into C. fail() classifies it, once.
 * - no std::string or c_str() pointer escapes, except borrowed for the
 *   duration of a callback.
 * - no policy: the C modules decide what to index, search and show. The one
 *   call into another lib/ module is the text fold of the stemmer.
 */
#include <sys/stat.h>
#include <xapian.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "accord/text.h"
#include "xap.h"

struct acc_xap_db {
    Xapian::Database db;
    /* shards followed one by one for their revisions (acc_xap_db_track) */
    std::vector<Xapian::Database> tracked;
};

struct acc_xap_wdb {
    Xapian::WritableDatabase db;
    acc_xap_db reader; /* a view of db, for the read primitives */
    bool in_txn = false;
};

struct acc_xap_doc {
    Xapian::Document doc;
};

struct acc_xap_query {
    Xapian::Query q;
};

struct acc_xap_parser {
    Xapian::QueryParser qp;
    std::string default_prefix;
};

struct acc_xap_match {
    Xapian::Enquire enq;
    Xapian::MSet mset;
    std::vector<Xapian::MSetIterator> hits;
    std::unique_ptr<Xapian::KeyMaker> sorter;
    explicit acc_xap_match(const Xapian::Database &db) : enq(db)
    {
    }
};

namespace
{

/* Thrown by our own code for a failed C text call (already described). */
struct text_error {
    acc_error e;
};

/* Out of memory where a function returns no status: abort, as acc_xmalloc does. */
[[noreturn]] void out_of_memory(const char *what)
{
    std::fprintf(stderr, "accord: out of memory (%s)\n", what);
    std::abort();
}

/* Classifies the exception being handled into a status and a message. */
acc_status fail(acc_error *err)
{
    try {
        throw;
    } catch (const text_error &t) {
        if (err)
            *err = t.e;
        return t.e.code;
    } catch (const Xapian::DatabaseLockError &e) {
        return acc_error_set(err, ACC_EDB_LOCKED, "index is locked by another accord-index (%s)",
                             e.get_msg().c_str());
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return acc_error_set(err, ACC_EDB_NOTFOUND, "no index there (%s)", e.get_msg().c_str());
    } catch (const Xapian::DatabaseVersionError &e) {
        return acc_error_set(err, ACC_EDB_VERSION, "unsupported index format (%s)",
                             e.get_msg().c_str());
    } catch (const Xapian::DatabaseCorruptError &e) {
        return acc_error_set(err, ACC_EDB_CORRUPT, "index is corrupt (%s)", e.get_msg().c_str());
    } catch (const Xapian::DatabaseModifiedError &e) {
        return acc_error_set(err, ACC_EDB_MODIFIED, "index changed while reading (%s)",
                             e.get_msg().c_str());
    } catch (const Xapian::DatabaseOpeningError &e) {
        return acc_error_set(err, ACC_EDB_NOTINDEX, "not an accord index (%s)",
                             e.get_msg().c_str());
    } catch (const Xapian::QueryParserError &e) {
        return acc_error_set(err, ACC_EINVAL, "%s", e.get_msg().c_str());
    } catch (const Xapian::WildcardError &e) {
        return acc_error_set(err, ACC_EQUERY, "%s", e.get_msg().c_str());
    } catch (const Xapian::DocNotFoundError &e) {
        return acc_error_set(err, ACC_ENOTFOUND, "%s", e.get_msg().c_str());
    } catch (const Xapian::Error &e) {
        return acc_error_set(err, ACC_EXAPIAN, "%s: %s", e.get_type(), e.get_msg().c_str());
    } catch (const std::bad_alloc &) {
        return acc_error_set(err, ACC_ENOMEM, "out of memory");
    } catch (const std::exception &e) {
        return acc_error_set(err, ACC_EINTERNAL, "unexpected error: %s", e.what());
    } catch (...) {
        return acc_error_set(err, ACC_EINTERNAL, "unexpected unknown exception");
    }
}

/* Runs f, turning any exception into a status and a message. */
template <typename F> acc_status guard(acc_error *err, F f) noexcept
{
    try {
        f();
        return ACC_OK;
    } catch (...) {
        return fail(err);
    }
}

/* Runs f, which can only fail for want of memory: then aborts, as acc_xmalloc does. */
template <typename F> auto must(const char *what, F f) noexcept -> decltype(f())
{
    try {
        return f();
    } catch (...) {
        out_of_memory(what);
    }
}

void append(acc_buf *out, const std::string &s)
{
    acc_buf_append(out, s.data(), s.size());
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
 * tag + fold(stem(prepare(w))): stems of different languages never collide
 * (the English "climat" of climate is not the French "climat"); `prepare` rewrites letters the
 * stemmer does not know.
 */
class TaggedFoldStem : public Xapian::StemImplementation
{
  public:
    TaggedFoldStem(const char *tag, const char *algorithm, acc_xap_prepare_fn prep)
        : tag_(tag), stem_(algorithm), prepare_(prep)
    {
    }
    std::string operator()(const std::string &word) override
    {
        return tag_ + fold(stem_(prepare(word)));
    }
    std::string fold_first(const std::string &word)
    {
        return tag_ + stem_(fold(prepare(word)));
    }
    std::string get_description() const override
    {
        return "accord-tagged-fold(" + tag_ + ")";
    }

  private:
    std::string prepare(const std::string &word)
    {
        if (!prepare_)
            return word;
        std::string w = word;
        prepare_(&w[0], w.size());
        return w;
    }
    std::string tag_;
    Xapian::Stem stem_;
    acc_xap_prepare_fn prepare_;
};

Xapian::Query::op xop(acc_xap_op op)
{
    switch (op) {
    case ACC_XAP_AND:
        return Xapian::Query::OP_AND;
    case ACC_XAP_OR:
        return Xapian::Query::OP_OR;
    case ACC_XAP_AND_NOT:
        return Xapian::Query::OP_AND_NOT;
    case ACC_XAP_FILTER:
        return Xapian::Query::OP_FILTER;
    case ACC_XAP_SYNONYM:
        return Xapian::Query::OP_SYNONYM;
    case ACC_XAP_MAX:
        return Xapian::Query::OP_MAX;
    case ACC_XAP_PHRASE:
        return Xapian::Query::OP_PHRASE;
    case ACC_XAP_NEAR:
        return Xapian::Query::OP_NEAR;
    }
    return Xapian::Query::OP_OR;
}

acc_xap_query *wrap(Xapian::Query q)
{
    return new acc_xap_query{std::move(q)};
}

std::vector<Xapian::Query> unwrap(acc_xap_query *const *subs, size_t n)
{
    std::vector<Xapian::Query> v;
    v.reserve(n);
    for (size_t i = 0; i < n; i++)
        v.push_back(subs[i]->q);
    return v;
}

/* Counts the values of a slot; with a separator, each item of a list value. */
class CountSpy : public Xapian::MatchSpy
{
  public:
    CountSpy(Xapian::valueno slot, char sep) : slot_(slot), sep_(sep)
    {
    }
    void operator()(const Xapian::Document &doc, double) override
    {
        const std::string v = doc.get_value(slot_);
        if (v.empty())
            return;
        if (!sep_) {
            counts_[v]++;
            return;
        }
        size_t i = 0;
        while (i <= v.size()) {
            size_t j = v.find(sep_, i);
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
    char sep_;
};

/* Sort key: the slot's value; documents without one come last either way. */
class SlotKey : public Xapian::KeyMaker
{
  public:
    SlotKey(Xapian::valueno slot, bool descending) : slot_(slot), descending_(descending)
    {
    }
    std::string operator()(const Xapian::Document &doc) const override
    {
        std::string d = doc.get_value(slot_);
        if (d.empty())
            return descending_ ? std::string() : std::string("\xff");
        return d;
    }

  private:
    Xapian::valueno slot_;
    bool descending_;
};

/* Passes Xapian's expand decisions to a C function. */
struct CDecider : Xapian::ExpandDecider {
    acc_xap_accept_fn fn;
    void *ctx;
    bool operator()(const std::string &t) const override
    {
        return fn == nullptr || fn(ctx, t.data(), t.size()) != 0;
    }
};

void each_posting(const Xapian::Document &d, acc_xap_posting_fn fn, void *ctx)
{
    std::vector<unsigned> pos;
    for (auto it = d.termlist_begin(); it != d.termlist_end(); ++it) {
        const std::string t = *it;
        pos.assign(it.positionlist_begin(), it.positionlist_end());
        fn(ctx, t.data(), t.size(), it.get_wdf(), pos.data(), pos.size());
    }
}

} // namespace

struct acc_xap_stem {
    Xapian::Stem stem;    /* owns impl (Xapian refcounts it) */
    TaggedFoldStem *impl; /* for the fold-first variant */
};

extern "C" {

const char *acc_xap_version(void) noexcept
{
    return Xapian::version_string();
}

/* ------------------------------------------------------------- readers */

acc_status acc_xap_db_open(const char *path, acc_xap_db **out, acc_error *err) noexcept
{
    try {
        auto x = std::make_unique<acc_xap_db>();
        x->db = Xapian::Database(path);
        *out = x.release();
        return ACC_OK;
    } catch (const Xapian::DatabaseNotFoundError &e) {
        /* Xapian says "not found" for an existing directory without an index too */
        struct stat sb;
        if (stat(path, &sb) == 0)
            return acc_error_set(err, ACC_EDB_NOTINDEX, "not an accord index (%s)",
                                 e.get_msg().c_str());
        return acc_error_set(err, ACC_EDB_NOTFOUND, "no such index (%s)", e.get_msg().c_str());
    } catch (...) {
        return fail(err);
    }
}

acc_status acc_xap_db_add(acc_xap_db *x, const char *path, acc_error *err) noexcept
{
    return guard(err, [&] { x->db.add_database(Xapian::Database(path)); });
}

acc_status acc_xap_db_track(acc_xap_db *x, const char *dir, acc_error *err) noexcept
{
    return guard(err, [&] { x->tracked.emplace_back(dir); });
}

void acc_xap_db_close(acc_xap_db *x) noexcept
{
    delete x;
}

acc_status acc_xap_db_reopen(acc_xap_db *x, unsigned long *revision, acc_error *err) noexcept
{
    return guard(err, [&] {
        x->db.reopen();
        if (!revision)
            return;
        if (x->tracked.empty()) {
            *revision = x->db.get_revision();
            return;
        }
        unsigned long sum = 0;
        for (auto &s : x->tracked) {
            s.reopen();
            sum += s.get_revision();
        }
        *revision = sum;
    });
}

acc_status acc_xap_db_doccount(acc_xap_db *x, unsigned long *out, acc_error *err) noexcept
{
    return guard(err, [&] { *out = x->db.get_doccount(); });
}

acc_status acc_xap_db_termfreq(acc_xap_db *x, const char *t, size_t n, unsigned long *out,
                               acc_error *err) noexcept
{
    return guard(err, [&] { *out = x->db.get_termfreq(std::string(t, n)); });
}

acc_status acc_xap_db_terms(acc_xap_db *x, const char *prefix, size_t plen, size_t max_scan,
                            unsigned long *min_freq, acc_xap_term_fn fn, void *ctx,
                            acc_error *err) noexcept
{
    return guard(err, [&] {
        const std::string pfx(prefix, plen);
        size_t scanned = 0;
        for (auto t = x->db.allterms_begin(pfx); t != x->db.allterms_end(pfx); ++t) {
            if (max_scan && scanned++ >= max_scan)
                break;
            const unsigned long f = t.get_termfreq();
            if (min_freq && f < *min_freq)
                continue; /* not copied: the term cannot be wanted */
            const std::string term = *t;
            if (fn(ctx, term.data(), term.size(), f) != 0)
                break;
        }
    });
}

acc_status acc_xap_db_find(acc_xap_db *x, const char *t, size_t n, unsigned *docid,
                           acc_error *err) noexcept
{
    return guard(err, [&] {
        const std::string term(t, n);
        auto p = x->db.postlist_begin(term);
        *docid = p == x->db.postlist_end(term) ? 0 : *p;
    });
}

acc_status acc_xap_db_postings(acc_xap_db *x, const char *t, size_t n, acc_xap_docid_fn fn,
                               void *ctx, acc_error *err) noexcept
{
    return guard(err, [&] {
        const std::string term(t, n);
        for (auto p = x->db.postlist_begin(term); p != x->db.postlist_end(term); ++p)
            if (fn(ctx, *p) != 0)
                break;
    });
}

acc_status acc_xap_db_doc(acc_xap_db *x, unsigned docid, acc_xap_doc **out, acc_error *err) noexcept
{
    return guard(err, [&] {
        auto d = std::make_unique<acc_xap_doc>();
        d->doc = x->db.get_document(docid);
        *out = d.release();
    });
}

acc_status acc_xap_db_position(acc_xap_db *x, unsigned docid, const char *t, size_t n,
                               unsigned from, unsigned *pos, acc_error *err) noexcept
{
    return guard(err, [&] {
        const std::string term(t, n);
        *pos = 0;
        Xapian::PositionIterator p = x->db.positionlist_begin(docid, term);
        if (p == x->db.positionlist_end(docid, term))
            return;
        p.skip_to(from);
        if (p != x->db.positionlist_end(docid, term))
            *pos = *p;
    });
}

acc_status acc_xap_db_expand(acc_xap_db *x, const acc_xap_query *q, unsigned docid, unsigned max,
                             acc_xap_accept_fn accept, void *actx, acc_xap_weighted_fn fn,
                             void *ctx, acc_error *err) noexcept
{
    return guard(err, [&] {
        Xapian::RSet rset;
        rset.add_document(docid);
        CDecider decider;
        decider.fn = accept;
        decider.ctx = actx;
        Xapian::Enquire enq(x->db);
        enq.set_query(q->q);
        Xapian::ESet eset = enq.get_eset(max, rset, &decider);
        for (auto e = eset.begin(); e != eset.end(); ++e) {
            const std::string t = *e;
            fn(ctx, t.data(), t.size(), e.get_weight());
        }
    });
}

/* ----------------------------------------------------------- documents */

acc_xap_doc *acc_xap_doc_new(void) noexcept
{
    return must("document", [&] { return new acc_xap_doc; });
}

void acc_xap_doc_free(acc_xap_doc *d) noexcept
{
    delete d;
}

void acc_xap_doc_add_posting(acc_xap_doc *d, const char *t, size_t n, unsigned pos,
                             unsigned wdf) noexcept
{
    return must("posting", [&] { d->doc.add_posting(std::string(t, n), pos, wdf); });
}

void acc_xap_doc_add_term(acc_xap_doc *d, const char *t, size_t n, unsigned wdf) noexcept
{
    return must("term", [&] { d->doc.add_term(std::string(t, n), wdf); });
}

void acc_xap_doc_set_value(acc_xap_doc *d, unsigned slot, const char *p, size_t n) noexcept
{
    return must("value", [&] { d->doc.add_value(slot, std::string(p, n)); });
}

void acc_xap_doc_set_data(acc_xap_doc *d, const char *p, size_t n) noexcept
{
    return must("data", [&] { d->doc.set_data(std::string(p, n)); });
}

acc_status acc_xap_doc_value(const acc_xap_doc *d, unsigned slot, acc_buf *out,
                             acc_error *err) noexcept
{
    return guard(err, [&] { append(out, d->doc.get_value(slot)); });
}

acc_status acc_xap_doc_data(const acc_xap_doc *d, acc_buf *out, acc_error *err) noexcept
{
    return guard(err, [&] { append(out, d->doc.get_data()); });
}

acc_status acc_xap_doc_terms(const acc_xap_doc *d, const char *prefix, size_t plen,
                             acc_xap_wdf_fn fn, void *ctx, acc_error *err) noexcept
{
    return guard(err, [&] {
        const std::string pfx(prefix, plen);
        auto t = d->doc.termlist_begin();
        t.skip_to(pfx);
        for (; t != d->doc.termlist_end(); ++t) {
            const std::string term = *t;
            if (term.compare(0, pfx.size(), pfx) != 0)
                break;
            if (fn(ctx, term.data(), term.size(), t.get_wdf()) != 0)
                break;
        }
    });
}

acc_status acc_xap_doc_postings(const acc_xap_doc *d, acc_xap_posting_fn fn, void *ctx,
                                acc_error *err) noexcept
{
    return guard(err, [&] { each_posting(d->doc, fn, ctx); });
}

/* ------------------------------------------------------------- writer */

acc_status acc_xap_wdb_open(const char *path, acc_xap_wdb **out, acc_error *err) noexcept
{
    return guard(err, [&] {
        auto w = std::make_unique<acc_xap_wdb>();
        w->db = Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
        w->reader.db = w->db;
        *out = w.release();
    });
}

void acc_xap_wdb_close(acc_xap_wdb *w) noexcept
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

acc_xap_db *acc_xap_wdb_reader(acc_xap_wdb *w) noexcept
{
    return &w->reader;
}

acc_status acc_xap_wdb_begin(acc_xap_wdb *w, acc_error *err) noexcept
{
    return guard(err, [&] {
        w->db.begin_transaction(true);
        w->in_txn = true;
    });
}

acc_status acc_xap_wdb_commit(acc_xap_wdb *w, acc_error *err) noexcept
{
    return guard(err, [&] {
        if (w->in_txn) {
            w->in_txn = false;
            w->db.commit_transaction();
        } else {
            w->db.commit();
        }
    });
}

acc_status acc_xap_wdb_cancel(acc_xap_wdb *w, acc_error *err) noexcept
{
    return guard(err, [&] {
        if (w->in_txn) {
            w->in_txn = false;
            w->db.cancel_transaction();
        }
    });
}

acc_status acc_xap_wdb_replace(acc_xap_wdb *w, const char *t, size_t n, const acc_xap_doc *d,
                               int *existed, acc_error *err) noexcept
{
    return guard(err, [&] {
        const std::string term(t, n);
        if (existed)
            *existed = w->db.term_exists(term);
        w->db.replace_document(term, d->doc);
    });
}

acc_status acc_xap_wdb_delete(acc_xap_wdb *w, const char *t, size_t n, acc_error *err) noexcept
{
    return guard(err, [&] { w->db.delete_document(std::string(t, n)); });
}

acc_status acc_xap_wdb_get_meta(acc_xap_wdb *w, const char *key, acc_buf *out,
                                acc_error *err) noexcept
{
    return guard(err, [&] { append(out, w->db.get_metadata(key)); });
}

acc_status acc_xap_wdb_set_meta(acc_xap_wdb *w, const char *key, const char *value,
                                acc_error *err) noexcept
{
    return guard(err, [&] { w->db.set_metadata(key, value); });
}

/* --------------------------------------------------------------- stemmer */

acc_xap_stem *acc_xap_stem_new(const char *tag, const char *algorithm,
                               acc_xap_prepare_fn prepare) noexcept
{
    try {
        auto s = std::make_unique<acc_xap_stem>();
        s->impl = new TaggedFoldStem(tag, algorithm, prepare);
        s->stem = Xapian::Stem(s->impl);
        return s.release();
    } catch (const Xapian::InvalidArgumentError &) {
        return nullptr; /* no such algorithm */
    } catch (...) {
        out_of_memory("stemmer");
    }
}

void acc_xap_stem_free(acc_xap_stem *s) noexcept
{
    delete s;
}

void acc_xap_stem_word(acc_xap_stem *s, const char *w, size_t n, acc_buf *out) noexcept
{
    try {
        append(out, s->stem(std::string(w, n)));
    } catch (...) {
        /* the fold of a stem of valid UTF-8 cannot fail: only memory can */
        out_of_memory("stem");
    }
}

void acc_xap_stem_folded(acc_xap_stem *s, const char *w, size_t n, acc_buf *out) noexcept
{
    return must("stem", [&] { append(out, s->impl->fold_first(std::string(w, n))); });
}

/* --------------------------------------------------------------- queries */

acc_xap_query *acc_xap_query_term(const char *t, size_t n) noexcept
{
    return must("query", [&] { return wrap(Xapian::Query(std::string(t, n))); });
}

acc_xap_query *acc_xap_query_copy(const acc_xap_query *q) noexcept
{
    return must("query", [&] { return wrap(q->q); });
}

acc_xap_query *acc_xap_query_all(void) noexcept
{
    return must("query", [&] {
        /* not Xapian::Query::MatchAll: one static object whose reference count
           is not atomic, corrupted when threads copy it: a worker crashed on "-paris") */
        return wrap(Xapian::Query(std::string()));
    });
}

acc_xap_query *acc_xap_query_none(void) noexcept
{
    return must("query", [&] { return wrap(Xapian::Query()); });
}

acc_xap_query *acc_xap_query_join(acc_xap_op op, acc_xap_query *const *subs, size_t n) noexcept
{
    return must("query", [&] {
        std::vector<Xapian::Query> v = unwrap(subs, n);
        return wrap(Xapian::Query(xop(op), v.begin(), v.end()));
    });
}

acc_xap_query *acc_xap_query_pair(acc_xap_op op, const acc_xap_query *a,
                                  const acc_xap_query *b) noexcept
{
    return must("query", [&] { return wrap(Xapian::Query(xop(op), a->q, b->q)); });
}

acc_xap_query *acc_xap_query_window(acc_xap_op op, acc_xap_query *const *subs, size_t n,
                                    unsigned window) noexcept
{
    return must("query", [&] {
        std::vector<Xapian::Query> v = unwrap(subs, n);
        return wrap(Xapian::Query(xop(op), v.begin(), v.end(), window));
    });
}

acc_xap_query *acc_xap_query_scale(const acc_xap_query *q, double factor) noexcept
{
    return must("query",
                [&] { return wrap(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor)); });
}

acc_xap_query *acc_xap_query_range(unsigned slot, const char *lo, size_t lolen, const char *hi,
                                   size_t hilen) noexcept
{
    return must("query", [&] {
        return wrap(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, std::string(lo, lolen),
                                  std::string(hi, hilen)));
    });
}

int acc_xap_query_empty(const acc_xap_query *q) noexcept
{
    return q->q.empty();
}

void acc_xap_query_terms(const acc_xap_query *q, acc_xap_str_fn fn, void *ctx) noexcept
{
    return must("query terms", [&] {
        for (auto t = q->q.get_unique_terms_begin(); t != q->q.get_unique_terms_end(); ++t) {
            const std::string term = *t;
            fn(ctx, term.data(), term.size());
        }
    });
}

void acc_xap_query_describe(const acc_xap_query *q, acc_buf *out) noexcept
{
    return must("query description", [&] { append(out, q->q.get_description()); });
}

void acc_xap_query_free(acc_xap_query *q) noexcept
{
    delete q;
}

size_t acc_xap_sortable(double v, char out[18]) noexcept
{
    return must("sortable", [&] {
        const std::string s = Xapian::sortable_serialise(v);
        std::memcpy(out, s.data(), s.size());
        return s.size();
    });
}

double acc_xap_unsortable(const char *p, size_t n) noexcept
{
    return must("sortable", [&] { return Xapian::sortable_unserialise(std::string(p, n)); });
}

/* ---------------------------------------------------------------- parser */

acc_xap_parser *acc_xap_parser_new(const acc_xap_stem *s) noexcept
{
    return must("parser", [&] {
        auto p = std::make_unique<acc_xap_parser>();
        if (s) {
            p->qp.set_stemmer(s->stem);
            p->qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
        } else {
            p->qp.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
        }
        return p.release();
    });
}

void acc_xap_parser_free(acc_xap_parser *p) noexcept
{
    delete p;
}

void acc_xap_parser_prefix(acc_xap_parser *p, const char *field, const char *prefix,
                           int boolean) noexcept
{
    return must("parser", [&] {
        if (boolean)
            p->qp.add_boolean_prefix(field, prefix);
        else
            p->qp.add_prefix(field, prefix);
    });
}

void acc_xap_parser_number_range(acc_xap_parser *p, unsigned slot, const char *field) noexcept
{
    return must("parser", [&] {
        p->qp.add_rangeprocessor((new Xapian::NumberRangeProcessor(slot, field))->release());
    });
}

void acc_xap_parser_max_expansion(acc_xap_parser *p, unsigned max, unsigned which) noexcept
{
    unsigned flags = 0;
    if (which & ACC_XAP_PARSE_WILDCARD)
        flags |= Xapian::QueryParser::FLAG_WILDCARD;
    if (which & ACC_XAP_PARSE_PARTIAL)
        flags |= Xapian::QueryParser::FLAG_PARTIAL;
    p->qp.set_max_expansion(max, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT, flags);
}

acc_status acc_xap_parse(acc_xap_parser *p, acc_xap_db *db, const char *text, size_t n,
                         unsigned flags, acc_xap_op default_op, const char *default_prefix,
                         acc_xap_query **out, acc_error *err) noexcept
{
    static const struct {
        unsigned ours, xapian;
    } map[] = {
        {ACC_XAP_PARSE_PHRASE, Xapian::QueryParser::FLAG_PHRASE},
        {ACC_XAP_PARSE_BOOLEAN, Xapian::QueryParser::FLAG_BOOLEAN},
        {ACC_XAP_PARSE_LOVEHATE, Xapian::QueryParser::FLAG_LOVEHATE},
        {ACC_XAP_PARSE_WILDCARD, Xapian::QueryParser::FLAG_WILDCARD},
        {ACC_XAP_PARSE_CJK, Xapian::QueryParser::FLAG_CJK_NGRAM},
        {ACC_XAP_PARSE_PURE_NOT, Xapian::QueryParser::FLAG_PURE_NOT},
        {ACC_XAP_PARSE_PARTIAL, Xapian::QueryParser::FLAG_PARTIAL},
    };
    return guard(err, [&] {
        unsigned xflags = 0;
        for (const auto &m : map)
            if (flags & m.ours)
                xflags |= m.xapian;
        if (db)
            p->qp.set_database(db->db);
        p->qp.set_default_op(xop(default_op));
        Xapian::Query q =
            p->qp.parse_query(std::string(text, n), xflags, default_prefix ? default_prefix : "");
        *out = wrap(std::move(q));
    });
}

/* ----------------------------------------------------------------- spies */

acc_xap_spy *acc_xap_spy_new(unsigned slot, char sep) noexcept
{
    return must("spy", [&] { return reinterpret_cast<acc_xap_spy *>(new CountSpy(slot, sep)); });
}

void acc_xap_spy_free(acc_xap_spy *s) noexcept
{
    delete reinterpret_cast<CountSpy *>(s);
}

void acc_xap_spy_each(const acc_xap_spy *s, acc_xap_count_fn fn, void *ctx) noexcept
{
    for (const auto &e : reinterpret_cast<const CountSpy *>(s)->counts_)
        fn(ctx, e.first.data(), e.first.size(), e.second);
}

/* ----------------------------------------------------------------- match */

void acc_xap_match_opts_init(acc_xap_match_opts *o) noexcept
{
    *o = acc_xap_match_opts{};
    o->bm25[0] = 1;
    o->bm25[1] = 0;
    o->bm25[2] = 1;
    o->bm25[3] = 0.5;
    o->bm25[4] = 0.5;
    o->sort_slot = -1;
    o->collapse_slot = -1;
    o->limit = 10;
}

acc_status acc_xap_match_run(acc_xap_db *db, const acc_xap_query *q, const acc_xap_match_opts *o,
                             acc_xap_match **out, acc_error *err) noexcept
{
    return guard(err, [&] {
        auto m = std::make_unique<acc_xap_match>(db->db);
        Xapian::Enquire &enq = m->enq;
        if (o->bool_weight)
            enq.set_weighting_scheme(Xapian::BoolWeight());
        else
            enq.set_weighting_scheme(
                Xapian::BM25Weight(o->bm25[0], o->bm25[1], o->bm25[2], o->bm25[3], o->bm25[4]));
        if (o->time_limit > 0)
            enq.set_time_limit(o->time_limit);
        if (o->sort_slot >= 0) {
            m->sorter = std::make_unique<SlotKey>(static_cast<Xapian::valueno>(o->sort_slot),
                                                  o->sort_descending != 0);
            enq.set_sort_by_key_then_relevance(m->sorter.get(), o->sort_descending != 0);
        }
        if (o->collapse_slot >= 0)
            enq.set_collapse_key(static_cast<Xapian::valueno>(o->collapse_slot));
        enq.set_query(q->q);
        for (size_t i = 0; i < o->nspies; i++)
            enq.add_matchspy(reinterpret_cast<CountSpy *>(o->spies[i]));
        m->mset = enq.get_mset(o->offset, o->limit, o->check_at_least);
        for (auto it = m->mset.begin(); it != m->mset.end(); ++it)
            m->hits.push_back(it);
        *out = m.release();
    });
}

void acc_xap_match_free(acc_xap_match *m) noexcept
{
    delete m;
}

void acc_xap_match_totals(const acc_xap_match *m, unsigned long *estimated, unsigned long *lower,
                          unsigned long *upper) noexcept
{
    if (estimated)
        *estimated = m->mset.get_matches_estimated();
    if (lower)
        *lower = m->mset.get_matches_lower_bound();
    if (upper)
        *upper = m->mset.get_matches_upper_bound();
}

size_t acc_xap_match_size(const acc_xap_match *m) noexcept
{
    return m->hits.size();
}

unsigned acc_xap_match_docid(const acc_xap_match *m, size_t i) noexcept
{
    return *m->hits[i];
}

double acc_xap_match_weight(const acc_xap_match *m, size_t i) noexcept
{
    return m->hits[i].get_weight();
}

acc_status acc_xap_match_doc(acc_xap_match *m, size_t i, acc_xap_doc **out, acc_error *err) noexcept
{
    return guard(err, [&] {
        auto d = std::make_unique<acc_xap_doc>();
        d->doc = m->hits[i].get_document();
        *out = d.release();
    });
}

acc_status acc_xap_match_terms(acc_xap_match *m, size_t i, acc_xap_str_fn fn, void *ctx,
                               acc_error *err) noexcept
{
    return guard(err, [&] {
        for (auto t = m->enq.get_matching_terms_begin(m->hits[i]);
             t != m->enq.get_matching_terms_end(m->hits[i]); ++t) {
            const std::string term = *t;
            fn(ctx, term.data(), term.size());
        }
    });
}

/* ----------------------------------------------------------------- tests */

acc_status acc_xap_termgen(const char *text, size_t n, unsigned max_word, acc_xap_posting_fn fn,
                           void *ctx, acc_error *err) noexcept
{
    return guard(err, [&] {
        Xapian::Document d;
        Xapian::TermGenerator tg;
        tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
        tg.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
        tg.set_max_word_length(max_word);
        tg.set_document(d);
        tg.index_text(std::string(text, n));
        each_posting(d, fn, ctx);
    });
}

} // extern "C"
