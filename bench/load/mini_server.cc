/*
 * mini_server: the least HTTP search server one can write with libmicrohttpd
 * and libxapian over an accord index. bench/load/run.sh measures it next to
 * accord-searchd: it does the same Xapian work as a search of accord and
 * nothing else, so the ratio of the two prices accord's own layer.
 *
 *   mini_server --index DIR [--port N] [--bind ADDR] [--mode pool|tpc|single] [--threads N]
 *
 * Prints "mini_server: listening on http://ADDR:PORT/" on stdout (--port 0
 * picks a free port); SIGTERM or SIGINT stops it, exit status 0.
 *
 * Routes (GET only):
 *   /search?q=   QueryParser over the unprefixed (folded, unstemmed) terms:
 *                no stemmer, default operator AND, FLAG_DEFAULT (+ CJK n-grams,
 *                as the index has them), BM25 with Xapian's defaults;
 *                get_mset(0, 10, check_at_least = doccount) with
 *                ValueCountMatchSpy on slots 2 (lang) and 3 (type);
 *                MSet::snippet() of each hit's stored text, chunk by chunk
 *                until one has a match (240 bytes,
 *                <mark> highlights, SNIPPET_BACKGROUND_MODEL without
 *                SNIPPET_EXHAUSTIVE: see bench/load/README.md).
 *                {"total":N,"hits":[{"id","title","snippet"}],
 *                 "facets":{"lang":[{"value","count"}],"type":[...]}}
 *   /suggest?q=  the 8 most frequent index terms starting with the last word
 *                of q (allterms_begin(prefix) + termfreq):
 *                {"suggestions":[{"text","count"}]}
 *   /health      {"status":"ok","documents":N}
 *
 * Query text is folded like the index (case folding, accents removed) with
 * utf8proc, for words with a non-ASCII byte only; ASCII is left to
 * QueryParser, which lower-cases words and keeps AND/OR/NOT operators.
 *
 * Threads (--mode): "pool" (default) is MHD's thread pool of --threads epoll
 * loops (default 2 = the cores of the benchmark machine); "tpc" is one thread
 * per connection (what accord-searchd uses); "single" is one epoll thread.
 * pool is the default because it was the cheapest per request: the work is
 * CPU-bound, so two loops keep both cores busy without the context switches
 * and per-connection Xapian handles of tpc (measured server CPU per request,
 * c=64: search 6.4 ms pool vs 8.3 ms tpc, suggest 0.10 vs 0.25 ms; RSS 13 vs
 * 30 MiB). Its cost is head-of-line blocking: a cheap request waits behind an
 * expensive one on the same loop, which shows in p99 when costs are mixed.
 * Each thread has its own Xapian::Database and QueryParser (thread_local),
 * opened on first use; the index is read-only, so nothing is ever reopened.
 */
#include <microhttpd.h>
#include <utf8proc.h>
#include <xapian.h>
#include <zstd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace
{

const char *g_index;

struct Handle {
    Xapian::Database db;
    Xapian::QueryParser qp;
    Xapian::doccount docs = 0;
    explicit Handle(const char *path) : db(path)
    {
        qp.set_database(db);
        qp.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
        qp.set_default_op(Xapian::Query::OP_AND);
        docs = db.get_doccount();
    }
};

Handle &handle()
{
    thread_local std::unique_ptr<Handle> h;
    if (!h)
        h.reset(new Handle(g_index));
    return *h;
}

void json_str(std::string &out, const char *p, size_t n)
{
    out += '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = static_cast<unsigned char>(p[i]);
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

void json_str(std::string &out, const std::string &s)
{
    json_str(out, s.data(), s.size());
}

/*
 * The raw JSON string value of "key" in the compact one-line record, escapes
 * kept as they are (valid inside a JSON string). Top-level keys come before
 * any nested "key" in accord's records, so the first match is the one.
 */
/* Field k (0 id, 1 title) of a binary record (accord's index version 9, lib/record.h: 0x01,
   then varint-length fields), JSON-escaped without its quotes; "" when damaged. */
std::string binary_field(const std::string &data, int k)
{
    size_t i = 1;
    for (int f = 0;; f++) {
        unsigned long long len = 0;
        for (int shift = 0; i < data.size() && shift < 64; shift += 7) {
            unsigned char c = (unsigned char)data[i++];
            len |= (unsigned long long)(c & 0x7f) << shift;
            if (!(c & 0x80))
                break;
        }
        if (len > data.size() - i)
            return std::string();
        if (f == k) {
            std::string quoted;
            json_str(quoted, data.substr(i, len));
            return quoted.substr(1, quoted.size() - 2);
        }
        i += len;
    }
}

std::string record_field(const std::string &data, size_t rec_len, const char *key)
{
    if (!data.empty() && data[0] == '\x01')
        return binary_field(data, std::strcmp(key, "id") == 0 ? 0 : 1);
    std::string pat = std::string("\"") + key + "\":\"";
    size_t at = data.find(pat);
    if (at == std::string::npos || at >= rec_len)
        return std::string();
    size_t b = at + pat.size(), e = b;
    while (e < rec_len && data[e] != '"')
        e += data[e] == '\\' ? 2 : 1;
    return data.substr(b, std::min(e, rec_len) - b);
}

/* Words with a non-ASCII byte: NFKC + case fold + accents removed, as the index. */
std::string fold_query(const char *q)
{
    std::string out;
    const char *p = q;
    while (*p) {
        size_t sp = std::strspn(p, " \t\r\n");
        out.append(p, sp);
        p += sp;
        size_t n = std::strcspn(p, " \t\r\n");
        if (!n)
            break;
        bool ascii = true;
        for (size_t i = 0; i < n; i++)
            if (static_cast<unsigned char>(p[i]) >= 0x80)
                ascii = false;
        utf8proc_uint8_t *m = nullptr;
        utf8proc_ssize_t k = -1;
        if (!ascii)
            k = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t *>(p),
                             static_cast<utf8proc_ssize_t>(n), &m,
                             static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPAT |
                                                            UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
                                                            UTF8PROC_STRIPMARK));
        if (k >= 0)
            out.append(reinterpret_cast<char *>(m), static_cast<size_t>(k));
        else
            out.append(p, n);
        std::free(m);
        p += n;
    }
    return out;
}

void facet_json(std::string &out, const char *name, const Xapian::ValueCountMatchSpy &spy)
{
    out += '"';
    out += name;
    out += "\":[";
    bool first = true;
    for (auto it = spy.top_values_begin(200); it != spy.top_values_end(200); ++it) {
        out += first ? "{\"value\":" : ",{\"value\":";
        first = false;
        json_str(out, *it);
        out += ",\"count\":" + std::to_string(it.get_termfreq()) + "}";
    }
    out += ']';
}

std::string make_snippet(const Xapian::MSet &mset, const std::string &text)
{
    return mset.snippet(text, 240, Xapian::Stem(), Xapian::MSet::SNIPPET_BACKGROUND_MODEL, "<mark>",
                        "</mark>", "\xe2\x80\xa6");
}

/*
 * The snippet of a hit from accord's stored text: zstd chunks of about 4 KiB in
 * value slots 100, 101, ... (include/accord/schema.h). Chunks are read in order
 * until one has a match (within the first 1 MiB of text, as accord); without
 * one, the first.
 */
std::string snippet(const Xapian::MSet &mset, const Xapian::Document &doc)
{
    thread_local ZSTD_DCtx *dctx = ZSTD_createDCtx();
    std::string first, text;
    size_t seen = 0;
    for (Xapian::valueno slot = 100; seen < (1u << 20); slot++) {
        const std::string v = doc.get_value(slot);
        if (v.empty())
            break;
        unsigned long long size = ZSTD_getFrameContentSize(v.data(), v.size());
        if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (1u << 20))
            break;
        text.resize(size);
        if (ZSTD_isError(ZSTD_decompressDCtx(dctx, &text[0], text.size(), v.data(), v.size())))
            break;
        seen += text.size();
        std::string s = make_snippet(mset, text);
        if (s.find("<mark>") != std::string::npos)
            return s;
        if (slot == 100)
            first = std::move(s);
    }
    return first;
}

std::string do_search(const char *q)
{
    Handle &h = handle();
    const std::string text = fold_query(q);
    const unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_CJK_NGRAM;
    Xapian::Query query;
    try {
        query = h.qp.parse_query(text, flags);
    } catch (const Xapian::QueryParserError &) {
        query = h.qp.parse_query(text, Xapian::QueryParser::FLAG_CJK_NGRAM);
    }
    Xapian::Enquire enq(h.db);
    enq.set_query(query);
    Xapian::ValueCountMatchSpy lang(2), type(3);
    enq.add_matchspy(&lang);
    enq.add_matchspy(&type);
    Xapian::MSet mset = enq.get_mset(0, 10, h.docs);

    std::string out = "{\"total\":" + std::to_string(mset.get_matches_estimated()) + ",\"hits\":[";
    bool first = true;
    for (auto m = mset.begin(); m != mset.end(); ++m) {
        const std::string data = m.get_document().get_data();
        /* the text after the record's newline: accord < 0.6; never after a binary record */
        size_t nl = !data.empty() && data[0] == '\x01' ? std::string::npos : data.find('\n');
        size_t rec_len = nl == std::string::npos ? data.size() : nl;
        out += first ? "{\"id\":\"" : ",{\"id\":\"";
        first = false;
        out += record_field(data, rec_len, "id");
        out += "\",\"title\":\"";
        out += record_field(data, rec_len, "title");
        out += "\",\"snippet\":";
        json_str(out, nl == std::string::npos ? snippet(mset, m.get_document())
                                              : make_snippet(mset, data.substr(nl + 1)));
        out += '}';
    }
    out += "],\"facets\":{";
    facet_json(out, "lang", lang);
    out += ',';
    facet_json(out, "type", type);
    out += "}}";
    return out;
}

std::string do_suggest(const char *q)
{
    Handle &h = handle();
    const char *last = q, *p = q;
    for (; *p; p++)
        if (*p == ' ' || *p == '\t')
            last = p + 1;
    std::string prefix = fold_query(last);
    for (char &c : prefix)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    /* an empty prefix would walk every term; upper case starts Xapian prefixes */
    std::vector<std::pair<Xapian::doccount, std::string>> top;
    if (!prefix.empty()) {
        const size_t keep = 8;
        for (auto t = h.db.allterms_begin(prefix); t != h.db.allterms_end(prefix); ++t) {
            Xapian::doccount f = t.get_termfreq();
            if (top.size() == keep && f <= top.back().first)
                continue;
            std::pair<Xapian::doccount, std::string> e(f, *t);
            auto at = std::upper_bound(top.begin(), top.end(), e, [](const auto &a, const auto &b) {
                return a.first > b.first;
            });
            top.insert(at, std::move(e));
            if (top.size() > keep)
                top.pop_back();
        }
    }
    std::string out = "{\"suggestions\":[";
    bool first = true;
    for (const auto &e : top) {
        out += first ? "{\"text\":" : ",{\"text\":";
        first = false;
        json_str(out, e.second);
        out += ",\"count\":" + std::to_string(e.first) + "}";
    }
    out += "]}";
    return out;
}

MHD_Result reply(MHD_Connection *c, unsigned code, const std::string &body)
{
    MHD_Response *r = MHD_create_response_from_buffer(body.size(), const_cast<char *>(body.data()),
                                                      MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
    MHD_Result ret = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return ret;
}

MHD_Result serve(void *, MHD_Connection *c, const char *url, const char *method, const char *,
                 const char *, size_t *upload_size, void **)
{
    /* GET has no body: answer on the first call */
    if (*upload_size) {
        *upload_size = 0;
        return MHD_YES;
    }
    if (std::strcmp(method, "GET") != 0)
        return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "{\"error\":\"use GET\"}");
    const char *q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "q");
    try {
        if (std::strcmp(url, "/search") == 0) {
            if (!q || !*q)
                return reply(c, MHD_HTTP_BAD_REQUEST, "{\"error\":\"q is required\"}");
            return reply(c, MHD_HTTP_OK, do_search(q));
        }
        if (std::strcmp(url, "/suggest") == 0)
            return reply(c, MHD_HTTP_OK, do_suggest(q ? q : ""));
        if (std::strcmp(url, "/health") == 0)
            return reply(c, MHD_HTTP_OK,
                         "{\"status\":\"ok\",\"documents\":" + std::to_string(handle().docs) + "}");
    } catch (const Xapian::Error &e) {
        std::string body = "{\"error\":";
        json_str(body, e.get_description());
        body += '}';
        std::fprintf(stderr, "mini_server: %s\n", e.get_description().c_str());
        return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, body);
    }
    return reply(c, MHD_HTTP_NOT_FOUND, "{\"error\":\"no such endpoint\"}");
}

[[noreturn]] void usage()
{
    std::fprintf(stderr, "usage: mini_server --index DIR [--port N] [--bind ADDR] "
                         "[--mode pool|tpc|single] [--threads N]\n");
    std::exit(2);
}

long number(const char *s, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = std::strtol(s, &end, 10);
    if (errno || *end || end == s || v < lo || v > hi)
        usage();
    return v;
}

} // namespace

int main(int argc, char **argv)
{
    const char *bind_addr = "127.0.0.1";
    std::string mode = "pool";
    long port = 0, threads = 2;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (i + 1 >= argc)
            usage();
        if (a == "--index")
            g_index = argv[++i];
        else if (a == "--port")
            port = number(argv[++i], 0, 65535);
        else if (a == "--bind")
            bind_addr = argv[++i];
        else if (a == "--mode")
            mode = argv[++i];
        else if (a == "--threads")
            threads = number(argv[++i], 1, 64);
        else
            usage();
    }
    if (!g_index || (mode != "pool" && mode != "tpc" && mode != "single"))
        usage();
    try {
        Handle probe(g_index); /* fail early when the index cannot be opened */
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "mini_server: %s\n", e.get_description().c_str());
        return 2;
    }

    sockaddr_in sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET, bind_addr, &sa.sin_addr) != 1)
        usage();

    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
    signal(SIGPIPE, SIG_IGN);

    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    unsigned pool = 0;
    if (mode == "tpc") {
        flags |= MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL;
    } else {
        flags |= MHD_USE_EPOLL;
        pool = mode == "pool" && threads > 1 ? static_cast<unsigned>(threads) : 0;
    }
    MHD_Daemon *d;
    if (pool)
        d = MHD_start_daemon(flags, 0, nullptr, nullptr, serve, nullptr, MHD_OPTION_SOCK_ADDR,
                             reinterpret_cast<sockaddr *>(&sa), MHD_OPTION_THREAD_POOL_SIZE, pool,
                             MHD_OPTION_CONNECTION_LIMIT, 512u, MHD_OPTION_CONNECTION_TIMEOUT, 30u,
                             MHD_OPTION_END);
    else
        d = MHD_start_daemon(flags, 0, nullptr, nullptr, serve, nullptr, MHD_OPTION_SOCK_ADDR,
                             reinterpret_cast<sockaddr *>(&sa), MHD_OPTION_CONNECTION_LIMIT, 512u,
                             MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_END);
    if (!d) {
        std::fprintf(stderr, "mini_server: cannot listen on %s:%ld: %s\n", bind_addr, port,
                     std::strerror(errno));
        return 2;
    }
    const MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    std::printf("mini_server: listening on http://%s:%u/ (mode %s)\n", bind_addr,
                info ? static_cast<unsigned>(info->port) : static_cast<unsigned>(port),
                mode.c_str());
    std::fflush(stdout);

    int sig = 0;
    sigwait(&sigs, &sig);
    MHD_stop_daemon(d);
    return 0;
}
