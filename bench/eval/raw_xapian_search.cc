/*
 * raw_xapian_search: the raw Xapian peer for bench/eval/run_eval.sh. Searches an
 * index written by bench/raw_xapian_index with the least one can do with
 * libxapian: one QueryParser with Stem("english"), STEM_SOME and FLAG_DEFAULT,
 * default operator OR (or AND with --and), BM25 (Xapian's default weighting).
 * No stopper, no prefixes, no CJK n-grams: the same choices as the indexer.
 *
 *   raw_xapian_search --index DIR [--limit N] [--and] QUERY...
 *
 * The words of QUERY are joined with spaces. Prints one line of JSON:
 *   {"total":N,"hits":[{"id":"...","score":1.23,"title":"..."},...],"took_ms":0.5}
 * where id comes from the document's unique "Q<id>" term (or, when a document
 * has none, from its data). If FLAG_DEFAULT cannot parse the query, it is
 * parsed again with no flags (plain words), as a search box would.
 * Exit status: 0 (also when nothing matches), 2 on usage or index error.
 */
#include <xapian.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace
{

void json_string(std::string &out, const std::string &s)
{
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    out += '"';
}

std::string doc_id(const Xapian::Document &doc)
{
    Xapian::TermIterator t = doc.termlist_begin();
    t.skip_to("Q");
    if (t != doc.termlist_end()) {
        std::string term = *t;
        if (term.size() > 1 && term[0] == 'Q')
            return term.substr(1);
    }
    return doc.get_data();
}

[[noreturn]] void usage()
{
    std::fprintf(stderr, "usage: raw_xapian_search --index DIR [--limit N] [--and] QUERY...\n");
    std::exit(2);
}

} // namespace

int main(int argc, char **argv)
{
    std::string index, query;
    unsigned limit = 10;
    bool and_op = false;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (a == "--index" && i + 1 < argc) {
            index = argv[++i];
        } else if (a == "--limit" && i + 1 < argc) {
            char *end;
            long n = std::strtol(argv[++i], &end, 10);
            if (*end || n < 1 || n > 100000)
                usage();
            limit = static_cast<unsigned>(n);
        } else if (a == "--and") {
            and_op = true;
        } else if (a == "--") {
            for (i++; i < argc; i++)
                query += (query.empty() ? "" : " ") + std::string(argv[i]);
        } else if (a.rfind("--", 0) == 0) {
            usage();
        } else {
            query += (query.empty() ? "" : " ") + a;
        }
    }
    if (index.empty())
        usage();

    try {
        auto t0 = std::chrono::steady_clock::now();
        Xapian::Database db(index);
        Xapian::QueryParser qp;
        qp.set_database(db);
        qp.set_stemmer(Xapian::Stem("english"));
        qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
        qp.set_default_op(and_op ? Xapian::Query::OP_AND : Xapian::Query::OP_OR);
        Xapian::Query q;
        try {
            q = qp.parse_query(query, Xapian::QueryParser::FLAG_DEFAULT);
        } catch (const Xapian::QueryParserError &) {
            q = qp.parse_query(query, 0);
        }
        Xapian::Enquire enquire(db);
        enquire.set_query(q);
        Xapian::MSet mset = enquire.get_mset(0, limit);

        std::string out = "{\"total\":" + std::to_string(mset.get_matches_estimated());
        out += ",\"hits\":[";
        bool first = true;
        for (Xapian::MSetIterator m = mset.begin(); m != mset.end(); ++m) {
            Xapian::Document doc = m.get_document();
            out += first ? "{\"id\":" : ",{\"id\":";
            first = false;
            json_string(out, doc_id(doc));
            char buf[64];
            std::snprintf(buf, sizeof buf, ",\"score\":%.6g,\"title\":", m.get_weight());
            out += buf;
            json_string(out, doc.get_data());
            out += '}';
        }
        double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                        .count();
        char buf[64];
        std::snprintf(buf, sizeof buf, "],\"took_ms\":%.3f}\n", ms);
        out += buf;
        std::fwrite(out.data(), 1, out.size(), stdout);
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "raw_xapian_search: %s\n", e.get_description().c_str());
        return 2;
    }
    return std::fflush(stdout) == 0 ? 0 : 2;
}
