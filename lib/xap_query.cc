/*
 * lib/xap_query.cc: the Xapian layer's stemmer (Snowball, with the C side's term scheme
 * for the query parser), query objects and the query parser (lib/xap.h).
 */
#include <xapian.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "xap_internal.h"

using namespace accxap;

struct acc_xap_snowball {
    Xapian::Stem raw;
};

namespace
{

/* Xapian's Snowball stemmer with the C side's term scheme on top (acc_xap_word_fn): what the
   query parser calls a stemmer. */
class CStem : public Xapian::StemImplementation
{
  public:
    CStem(const char *algorithm, acc_xap_word_fn fn, const void *ctx, size_t ctx_size)
        : sb{Xapian::Stem(algorithm)}, fn_(fn),
          ctx_(static_cast<const char *>(ctx), static_cast<const char *>(ctx) + ctx_size)
    {
    }
    std::string operator()(const std::string &word) override
    {
        acc_buf b;
        acc_error e;
        acc_buf_init(&b, 0);
        const acc_status st = fn_(ctx_.data(), &sb, word.data(), word.size(), &b, &e);
        std::string r(b.p ? b.p : "", b.n);
        acc_buf_release(&b);
        if (st != ACC_OK)
            throw text_error{e};
        return r;
    }
    std::string get_description() const override
    {
        return "accord(" + sb.raw.get_description() + ")";
    }
    const void *ctx() const
    {
        return ctx_.data();
    }
    acc_xap_snowball sb; /* lives as long as this (Xapian refcounts it: a parser keeps it) */

  private:
    acc_xap_word_fn fn_;
    std::vector<char> ctx_; /* the C side's, copied */
};

/* acc_xap_op and ACC_XAP_PARSE_* carry Xapian's values: passed on as they are */
#define SAME(ours, theirs) static_cast<unsigned>(ours) == static_cast<unsigned>(theirs)
static_assert(SAME(ACC_XAP_AND, Xapian::Query::OP_AND) && SAME(ACC_XAP_OR, Xapian::Query::OP_OR) &&
                  SAME(ACC_XAP_AND_NOT, Xapian::Query::OP_AND_NOT) &&
                  SAME(ACC_XAP_AND_MAYBE, Xapian::Query::OP_AND_MAYBE) &&
                  SAME(ACC_XAP_FILTER, Xapian::Query::OP_FILTER) &&
                  SAME(ACC_XAP_NEAR, Xapian::Query::OP_NEAR) &&
                  SAME(ACC_XAP_PHRASE, Xapian::Query::OP_PHRASE) &&
                  SAME(ACC_XAP_SYNONYM, Xapian::Query::OP_SYNONYM) &&
                  SAME(ACC_XAP_MAX, Xapian::Query::OP_MAX),
              "acc_xap_op is Xapian::Query::op");
static_assert(SAME(ACC_XAP_PARSE_BOOLEAN, Xapian::QueryParser::FLAG_BOOLEAN) &&
                  SAME(ACC_XAP_PARSE_PHRASE, Xapian::QueryParser::FLAG_PHRASE) &&
                  SAME(ACC_XAP_PARSE_LOVEHATE, Xapian::QueryParser::FLAG_LOVEHATE) &&
                  SAME(ACC_XAP_PARSE_WILDCARD, Xapian::QueryParser::FLAG_WILDCARD) &&
                  SAME(ACC_XAP_PARSE_PURE_NOT, Xapian::QueryParser::FLAG_PURE_NOT) &&
                  SAME(ACC_XAP_PARSE_PARTIAL, Xapian::QueryParser::FLAG_PARTIAL) &&
                  SAME(ACC_XAP_PARSE_CJK, Xapian::QueryParser::FLAG_CJK_NGRAM),
              "ACC_XAP_PARSE_* are Xapian::QueryParser's flags");
#undef SAME

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

} // namespace

struct acc_xap_stem {
    Xapian::Stem stem; /* owns impl (Xapian refcounts it) */
    CStem *impl;
};

extern "C" {

/* --------------------------------------------------------------- stemmer */

acc_xap_stem *acc_xap_stem_new(const char *algorithm, acc_xap_word_fn fn, const void *ctx,
                               size_t ctx_size) noexcept
{
    try {
        auto s = std::make_unique<acc_xap_stem>();
        s->impl = new CStem(algorithm, fn, ctx, ctx_size);
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
    /* the term of valid UTF-8 cannot fail: only memory can */
    return must("stem", [&] { append(out, s->stem(std::string(w, n))); });
}

const void *acc_xap_stem_ctx(const acc_xap_stem *s) noexcept
{
    return s->impl->ctx();
}

const acc_xap_snowball *acc_xap_stem_snowball(const acc_xap_stem *s) noexcept
{
    return &s->impl->sb;
}

void acc_xap_snowball_stem(const acc_xap_snowball *sb, const char *w, size_t n,
                           acc_buf *out) noexcept
{
    return must("stem", [&] { append(out, sb->raw(std::string(w, n))); });
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

acc_xap_query *acc_xap_query_window(acc_xap_op op, acc_xap_query *const *subs, size_t n,
                                    unsigned window) noexcept
{
    return must("query", [&] {
        std::vector<Xapian::Query> v = unwrap(subs, n);
        return wrap(Xapian::Query(static_cast<Xapian::Query::op>(op), v.begin(), v.end(), window));
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

void acc_xap_query_terms(const acc_xap_query *q, int ordered, acc_xap_str_fn fn, void *ctx) noexcept
{
    return must("query terms", [&] {
        auto t = ordered ? q->q.get_terms_begin() : q->q.get_unique_terms_begin();
        const auto end = ordered ? q->q.get_terms_end() : q->q.get_unique_terms_end();
        for (; t != end; ++t) {
            const std::string term = *t;
            fn(ctx, term.data(), term.size());
        }
    });
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
    p->qp.set_max_expansion(max, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT,
                            which & (ACC_XAP_PARSE_WILDCARD | ACC_XAP_PARSE_PARTIAL));
}

acc_status acc_xap_parse(acc_xap_parser *p, acc_xap_db *db, const char *text, size_t n,
                         unsigned flags, acc_xap_op default_op, const char *default_prefix,
                         acc_xap_query **out, acc_error *err) noexcept
{
    return guard(err, [&] {
        if (db)
            p->qp.set_database(db->db);
        p->qp.set_default_op(static_cast<Xapian::Query::op>(default_op));
        Xapian::Query q =
            p->qp.parse_query(std::string(text, n), flags, default_prefix ? default_prefix : "");
        *out = wrap(std::move(q));
    });
}

} // extern "C"
