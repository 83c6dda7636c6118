/*
 * lib/xap_match.cc: the Xapian layer's matches (lib/xap.h): count spies (by value, or each
 * docid handed to the C side), value streams,
 * running a match with its weighting, time limit, sort, collapse and spies,
 * reading hits.
 */
#include <xapian.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "accord/text.h"
#include "xap_internal.h"

using namespace accxap;

namespace
{

/* Hands each document's docid to the C side (acc_xap_spy_on_docids). */
class DocidSpy : public Xapian::MatchSpy
{
  public:
    void operator()(const Xapian::Document &doc, double) override
    {
        fn(ctx, doc.get_docid());
    }
    acc_xap_seen_fn fn = nullptr;
    void *ctx = nullptr;
};

/* Counts a slot's values over a match, or gives the docids to the C side. */
struct CountSpy {
    explicit CountSpy(Xapian::valueno slot) : spy(slot)
    {
    }
    Xapian::ValueCountMatchSpy spy;
    DocidSpy by_docid;
};

/* Sort key: what the C side makes of the slot's value (acc_xap_key_fn). */
class SlotKey : public Xapian::KeyMaker
{
  public:
    SlotKey(Xapian::valueno slot, acc_xap_key_fn fn, void *ctx) : slot_(slot), fn_(fn), ctx_(ctx)
    {
    }
    std::string operator()(const Xapian::Document &doc) const override
    {
        const std::string v = doc.get_value(slot_);
        acc_buf b;
        acc_buf_init(&b, 0);
        fn_(ctx_, v.data(), v.size(), &b);
        std::string key(b.p ? b.p : "", b.n);
        acc_buf_release(&b);
        return key;
    }

  private:
    Xapian::valueno slot_;
    acc_xap_key_fn fn_;
    void *ctx_;
};

} // namespace

extern "C" {

/* ----------------------------------------------------------------- spies */

acc_xap_spy *acc_xap_spy_new(unsigned slot) noexcept
{
    return must("spy", [&] { return reinterpret_cast<acc_xap_spy *>(new CountSpy(slot)); });
}

void acc_xap_spy_free(acc_xap_spy *s) noexcept
{
    delete reinterpret_cast<CountSpy *>(s);
}

void acc_xap_spy_each(const acc_xap_spy *s, acc_xap_count_fn fn, void *ctx) noexcept
{
    must("spy counts", [&] {
        const CountSpy *c = reinterpret_cast<const CountSpy *>(s);
        for (auto v = c->spy.values_begin(); v != c->spy.values_end(); ++v) {
            const std::string val = *v;
            fn(ctx, val.data(), val.size(), v.get_termfreq());
        }
        return 0;
    });
}

void acc_xap_spy_on_docids(acc_xap_spy *s, acc_xap_seen_fn fn, void *ctx) noexcept
{
    reinterpret_cast<CountSpy *>(s)->by_docid.fn = fn;
    reinterpret_cast<CountSpy *>(s)->by_docid.ctx = ctx;
}

void *acc_xap_spy_docids_ctx(const acc_xap_spy *s) noexcept
{
    return reinterpret_cast<const CountSpy *>(s)->by_docid.ctx;
}

acc_status acc_xap_db_values_each(acc_xap_db *db, unsigned slot, unsigned *lastdocid,
                                  acc_xap_value_fn fn, void *ctx, acc_error *err) noexcept
{
    *lastdocid = 0;
    return guard(err, [&] {
        *lastdocid = db->db.get_lastdocid();
        for (auto v = db->db.valuestream_begin(slot); v != db->db.valuestream_end(slot); ++v) {
            const std::string val = *v;
            if (fn(ctx, v.get_docid(), val.data(), val.size()))
                break;
        }
    });
}

int acc_xap_db_one_local(const acc_xap_db *db) noexcept
{
    return !db->remote && db->db.size() == 1;
}

/* ----------------------------------------------------------------- match */

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
        if (o->sort_slot >= 0 && !o->sort_key) {
            enq.set_sort_by_value_then_relevance(static_cast<Xapian::valueno>(o->sort_slot),
                                                 o->sort_descending != 0);
        } else if (o->sort_slot >= 0) {
            m->sorter = std::make_unique<SlotKey>(static_cast<Xapian::valueno>(o->sort_slot),
                                                  o->sort_key, o->sort_key_ctx);
            enq.set_sort_by_key_then_relevance(m->sorter.get(), false);
        }
        if (o->collapse_slot >= 0)
            enq.set_collapse_key(static_cast<Xapian::valueno>(o->collapse_slot));
        enq.set_query(q->q);
        for (size_t i = 0; i < o->nspies; i++) {
            CountSpy *c = reinterpret_cast<CountSpy *>(o->spies[i]);
            if (c->by_docid.fn)
                enq.add_matchspy(&c->by_docid);
            else
                enq.add_matchspy(&c->spy);
        }
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
    return m->weights.empty() ? m->hits[i].get_weight() : m->weights[i];
}

void acc_xap_match_keep(acc_xap_match *m, const size_t *keep, const double *weights,
                        size_t n) noexcept
{
    return must("match", [&] {
        std::vector<Xapian::MSetIterator> kept;
        kept.reserve(n);
        for (size_t i = 0; i < n; i++)
            kept.push_back(m->hits[keep[i]]);
        m->hits.swap(kept);
        m->weights.assign(weights, weights + n);
    });
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

} // extern "C"
