/* tests/unit/termgen.cc: see termgen.h. */
#include "termgen.h"

#include <xapian.h>

#include <string>

#include "xap_internal.h"

using namespace accxap;

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
