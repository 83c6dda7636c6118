/* tests/unit/termgen.cc: see termgen.h. */
#include "termgen.h"

#include <xapian.h>

#include <string>

#include "xap_internal.h"

#include <vector>

using namespace accxap;

namespace
{
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

extern "C" acc_status acc_xap_doc_postings(const acc_xap_doc *d, acc_xap_posting_fn fn, void *ctx,
                                           acc_error *err) noexcept
{
    return guard(err, [&] { each_posting(d->doc, fn, ctx); });
}

extern "C" acc_status acc_xap_termgen(const char *text, size_t n, unsigned max_word,
                                      acc_xap_posting_fn fn, void *ctx, acc_error *err) noexcept
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

extern "C" void acc_xap_query_describe(const acc_xap_query *q, acc_buf *out) noexcept
{
    return must("query description", [&] { append(out, q->q.get_description()); });
}

extern "C" void acc_xap_doc_set_data(acc_xap_doc *d, const char *p, size_t n) noexcept
{
    return must("data", [&] { d->doc.set_data(std::string(p, n)); });
}
