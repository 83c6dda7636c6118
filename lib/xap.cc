/*
 * lib/xap.cc: the Xapian layer (lib/xap.h): error translation, readers,
 * documents and the writer. The layer's other files: xap_query.cc (stemmer,
 * queries, parser), xap_match.cc (spies, matches).
 *
 * Invariants:
 * - every extern "C" function is noexcept and catches everything: an
 *   exception never crosses into C. fail() classifies it, once.
 * - no std::string or c_str() pointer escapes, except borrowed for the
 *   duration of a callback.
 * - no policy: the C modules decide what to index, search and show. The one
 *   call into another lib/ module is the text fold of the stemmer.
 */
#include <xapian.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>

#include "accord/mem.h"
#include "accord/text.h"
#include "xap_internal.h"

using namespace accxap;

namespace accxap
{

/* Out of memory where a function returns no status: abort, as acc_xmalloc does. */
[[noreturn]] void out_of_memory(const char *what)
{
    std::fprintf(stderr, "accord: out of memory (%s)\n", what);
    std::abort();
}

/* The exception being handled, as lib/xaperr.c classifies and words it. */
acc_status fail(acc_error *err)
{
    try {
        throw;
    } catch (const text_error &t) {
        if (err)
            *err = t.e;
        return t.e.code;
    } catch (const Xapian::Error &e) {
        return acc_xap_said_error(err, e.get_type(), e.get_msg().c_str(), e.get_error_string());
    } catch (const std::bad_alloc &) {
        return acc_xap_said(err, ACC_ENOMEM, nullptr, nullptr, nullptr);
    } catch (const std::exception &e) {
        return acc_xap_said(err, ACC_EINTERNAL, "exception", e.what(), nullptr);
    } catch (...) {
        return acc_xap_said(err, ACC_EINTERNAL, nullptr, nullptr, nullptr);
    }
}

void append(acc_buf *out, const std::string &s)
{
    acc_buf_append(out, s.data(), s.size());
}

} // namespace accxap

namespace
{

/* Passes Xapian's expand decisions to a C function. */
struct CDecider : Xapian::ExpandDecider {
    acc_xap_accept_fn fn;
    void *ctx;
    bool operator()(const std::string &t) const override
    {
        return fn == nullptr || fn(ctx, t.data(), t.size()) != 0;
    }
};

} // namespace

extern "C" {

const char *acc_xap_version(void) noexcept
{
    return Xapian::version_string();
}

static void give_back_or_fail()
{
    if (!acc_mem_give_back())
        throw std::bad_alloc();
}

void acc_xap_use_reserve(void) noexcept
{
    std::set_new_handler(give_back_or_fail);
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
        return acc_xap_said_missing(err, path, e.get_msg().c_str());
    } catch (...) {
        return fail(err);
    }
}

acc_status acc_xap_db_new(acc_xap_db **out, acc_error *err) noexcept
{
    return guard(err, [&] { *out = std::make_unique<acc_xap_db>().release(); });
}

acc_status acc_xap_db_add_remote(acc_xap_db *x, const char *host, unsigned port,
                                 unsigned timeout_ms, unsigned connect_ms, acc_error *err) noexcept
{
    return guard(err, [&] {
        x->db.add_database(Xapian::Remote::open(host, port, timeout_ms, connect_ms));
        x->remote = true;
    });
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

acc_status acc_xap_db_reopen_all(acc_xap_db *x, acc_error *err) noexcept
{
    return guard(err, [&] {
        x->db.reopen();
        for (auto &s : x->tracked)
            s.reopen();
    });
}

size_t acc_xap_db_tracked(const acc_xap_db *x) noexcept
{
    return x->tracked.size();
}

acc_status acc_xap_db_revision(const acc_xap_db *x, size_t i, unsigned long *out,
                               acc_error *err) noexcept
{
    return guard(err, [&] {
        try {
            *out = i < x->tracked.size() ? x->tracked[i].get_revision() : x->db.get_revision();
        } catch (const Xapian::UnimplementedError &) {
            *out = 0; /* a remote database */
        }
    });
}

acc_status acc_xap_db_doccount(acc_xap_db *x, unsigned long *out, acc_error *err) noexcept
{
    return guard(err, [&] { *out = x->db.get_doccount(); });
}

acc_status acc_xap_compact(const char *src, const char *dest, int fuller, acc_error *err) noexcept
{
    return guard(err, [&] {
        Xapian::Database(src).compact(dest, fuller ? Xapian::Compactor::FULLER
                                                   : Xapian::Compactor::STANDARD);
    });
}

size_t acc_xap_db_shards(const acc_xap_db *x) noexcept
{
    return x->db.size();
}

acc_status acc_xap_db_part(const acc_xap_db *x, size_t i, acc_xap_db **out, acc_error *err) noexcept
{
    return guard(err, [&] {
        auto p = std::make_unique<acc_xap_db>();
        p->db = x->tracked.at(i);
        *out = p.release();
    });
}

acc_status acc_xap_db_termfreq(acc_xap_db *x, const char *t, size_t n, unsigned long *out,
                               acc_error *err) noexcept
{
    return guard(err, [&] { *out = x->db.get_termfreq(std::string(t, n)); });
}

acc_status acc_xap_db_get_meta(acc_xap_db *x, const char *key, size_t klen, acc_buf *out,
                               acc_error *err) noexcept
{
    return guard(err, [&] { append(out, x->db.get_metadata(std::string(key, klen))); });
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

acc_status acc_xap_db_doc(acc_xap_db *x, unsigned docid, acc_xap_doc **out, acc_error *err) noexcept
{
    return guard(err, [&] {
        auto d = std::make_unique<acc_xap_doc>();
        d->doc = x->db.get_document(docid);
        *out = d.release();
    });
}

acc_status acc_xap_db_avlength(acc_xap_db *x, double *out, acc_error *err) noexcept
{
    return guard(err, [&] { *out = x->db.get_avlength(); });
}

acc_status acc_xap_db_doclength(acc_xap_db *x, unsigned docid, unsigned long *out,
                                acc_error *err) noexcept
{
    return guard(err, [&] { *out = x->db.get_doclength(docid); });
}

extern "C++" {
/* A forward cursor: posting lists and position lists alike. */
template <typename It> struct cursor {
    It p, end;
};
struct acc_xap_postcur : cursor<Xapian::PostingIterator> {
};
struct acc_xap_poscur : cursor<Xapian::PositionIterator> {
};

namespace
{
/* The cursor on [begin, end), or NULL when that is empty. */
template <typename C, typename It> C *cursor_on(It begin, It end)
{
    if (begin == end)
        return nullptr;
    auto c = new C;
    c->p = begin;
    c->end = end;
    return c;
}

/* Moves c to its first item >= x into *at: 0 when there is none (or after an error). */
template <typename C> int cursor_skip(C *c, unsigned x, unsigned *at) noexcept
{
    try {
        if (c->p != c->end && *c->p < x)
            c->p.skip_to(x);
        if (c->p == c->end)
            return 0;
        *at = *c->p;
        return 1;
    } catch (...) {
        c->p = c->end;
        return 0;
    }
}
} // namespace
} // extern "C++"

acc_status acc_xap_postcur_open(acc_xap_db *x, const char *t, size_t n, acc_xap_postcur **out,
                                acc_error *err) noexcept
{
    *out = nullptr;
    return guard(err, [&] {
        const std::string term(t, n);
        *out = cursor_on<acc_xap_postcur>(x->db.postlist_begin(term), x->db.postlist_end(term));
    });
}

int acc_xap_postcur_skip_to(acc_xap_postcur *c, unsigned docid, unsigned *at,
                            unsigned *wdf) noexcept
{
    if (!cursor_skip(c, docid, at))
        return 0;
    *wdf = c->p.get_wdf();
    return 1;
}

void acc_xap_postcur_free(acc_xap_postcur *c) noexcept
{
    delete c;
}

acc_status acc_xap_poscur_open(acc_xap_db *x, unsigned docid, const char *t, size_t n,
                               acc_xap_poscur **out, acc_error *err) noexcept
{
    *out = nullptr;
    return guard(err, [&] {
        const std::string term(t, n);
        *out = cursor_on<acc_xap_poscur>(x->db.positionlist_begin(docid, term),
                                         x->db.positionlist_end(docid, term));
    });
}

int acc_xap_poscur_skip_to(acc_xap_poscur *c, unsigned pos, unsigned *at) noexcept
{
    return cursor_skip(c, pos, at);
}

size_t acc_xap_poscur_read(acc_xap_poscur *c, unsigned *out, size_t max) noexcept
{
    size_t n = 0;
    try {
        for (; n < max && c->p != c->end; ++c->p)
            out[n++] = *c->p;
    } catch (...) {
        c->p = c->end;
    }
    return n;
}

void acc_xap_poscur_free(acc_xap_poscur *c) noexcept
{
    delete c;
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

acc_status acc_xap_wdb_set_meta_n(acc_xap_wdb *w, const char *key, size_t klen, const char *value,
                                  size_t vlen, acc_error *err) noexcept
{
    return guard(err,
                 [&] { w->db.set_metadata(std::string(key, klen), std::string(value, vlen)); });
}

acc_status acc_xap_wdb_meta_each(acc_xap_wdb *w, const char *prefix, size_t plen,
                                 acc_xap_meta_fn fn, void *ctx, acc_error *err) noexcept
{
    return guard(err, [&] {
        const std::string pfx(prefix, plen);
        for (auto k = w->db.metadata_keys_begin(pfx); k != w->db.metadata_keys_end(pfx); ++k) {
            const std::string key = *k, value = w->db.get_metadata(key);
            if (fn(ctx, key.data(), key.size(), value.data(), value.size()) != 0)
                break;
        }
    });
}

} // extern "C"
