// Language identification: libexttextcat vs CLD2 on a labelled corpus.
//
//   langid_compare [--reps N] [--tsv FILE] CORPUS_DIR [EXTRA_FILE...]
//
// CORPUS_DIR holds <id>.txt files and manifest.jsonl (one JSON object per line with at
// least "id" and "language"). Each EXTRA_FILE is classified too and its predictions are
// printed (no accuracy: it has no label).
//
// For every document and detector three inputs are classified:
//   a  the first 4096 bytes, cut back to a UTF-8 character boundary
//   b  the first 200 characters (code points)
//   c  three 1500-byte samples starting at 10%, 50% and 80% of the text, majority vote
//      (when all three differ the first sample wins)
// Leading ASCII white space is skipped first, as accord's lib/lang.c does.
//
// Detectors:
//   exttextcat   textcat_Classify; the first candidate whose code (before the first '-')
//                is in kAllowed, else "und" (also for "SHORT" and "UNKNOWN")
//   cld2         CLD2::ExtDetectLanguageSummary, is_plain_text; "un" -> "und",
//                "zh-Hant" -> "zh"; its answer is not filtered
//   cld2-compat  CLD2::DetectLanguageSummary, same mapping; it answers "en" where the
//                Ext call answers "un"
//
// Standalone benchmark: not part of the CMake build. See README.md.
#include <algorithm>
#include <chrono>
#include <cstdio> // before the CLD2 header, which uses FILE without including it
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <cld2/public/compact_lang_det.h>

extern "C" {
#include <libexttextcat/textcat.h>
}

namespace
{

const char *const kTextcatConf = "/usr/share/libexttextcat/fpdb.conf";
const char *const kTextcatDir = "/usr/share/libexttextcat/";

// exttextcat answers are filtered to these codes, in rank order
const std::set<std::string> kAllowed = {"en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "no",
                                        "nb", "fi", "ro", "pl", "cs", "sk", "sl", "hr", "hu", "et",
                                        "lv", "lt", "ru", "uk", "bg", "el", "tr", "ar", "fa", "he",
                                        "zh", "ja", "ko", "ca", "eu", "gl", "ga"};

constexpr size_t kPrefixBytes = 4096;
constexpr size_t kPrefixChars = 200;
constexpr size_t kSampleBytes = 1500;
constexpr double kSampleAt[3] = {0.10, 0.50, 0.80};

enum Mode { MODE_A, MODE_B, MODE_C, NMODES };
const char *const kModeName[NMODES] = {"a", "b", "c"};
const char *const kModeDesc[NMODES] = {"first 4096 bytes", "first 200 chars", "3x1500 B vote"};

// ---------------------------------------------------------------- text helpers

bool is_cont(unsigned char b)
{
    return (b & 0xC0) == 0x80;
}

struct Span {
    const char *p;
    size_t n;
};

// the first max bytes, cut back so that no character is split
Span prefix_bytes(Span s, size_t max)
{
    if (s.n <= max)
        return s;
    size_t k = max;
    while (k > 0 && is_cont(static_cast<unsigned char>(s.p[k])))
        k--;
    return {s.p, k};
}

// the first max characters (code points)
Span prefix_chars(Span s, size_t max)
{
    size_t chars = 0, i = 0;
    while (i < s.n) {
        if (!is_cont(static_cast<unsigned char>(s.p[i]))) {
            if (chars == max)
                break;
            chars++;
        }
        i++;
    }
    return {s.p, i};
}

// len bytes starting at frac of the text; the window is moved back when it would run
// past the end (so short texts still give len bytes), then both ends are moved onto
// character boundaries (start forward, end back)
Span sample(Span s, double frac, size_t len)
{
    size_t start = static_cast<size_t>(static_cast<double>(s.n) * frac);
    if (start + len > s.n)
        start = s.n > len ? s.n - len : 0;
    while (start < s.n && is_cont(static_cast<unsigned char>(s.p[start])))
        start++;
    size_t end = std::min(start + len, s.n);
    while (end > start && end < s.n && is_cont(static_cast<unsigned char>(s.p[end])))
        end--;
    return {s.p + start, end - start};
}

bool valid_utf8(const std::string &s)
{
    size_t i = 0, n = s.size();
    while (i < n) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        size_t k = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : 9;
        if (k == 9 || i + k >= n)
            return false;
        for (size_t j = 1; j <= k; j++)
            if (!is_cont(static_cast<unsigned char>(s[i + j])))
                return false;
        i += k + 1;
    }
    return true;
}

std::string vote(const std::string &v0, const std::string &v1, const std::string &v2)
{
    // v1 and v2 outvote v0 only when they agree; otherwise v0 either has a partner or
    // all three differ and the first sample wins
    return v1 == v2 ? v1 : v0;
}

// ---------------------------------------------------------------- detectors

void *g_textcat;

std::string textcat_detect(Span s, std::string *raw)
{
    const char *r = textcat_Classify(g_textcat, s.p, s.n);
    if (raw)
        *raw = r ? r : "(null)";
    if (!r || r[0] != '[') // "SHORT", "UNKNOWN"
        return "und";
    for (const char *q = r; (q = std::strchr(q, '[')) != nullptr;) {
        q++;
        size_t k = std::strcspn(q, "-]");
        std::string code(q, k);
        if (kAllowed.count(code))
            return code;
    }
    return "und"; // no candidate in the allowed set
}

std::string cld2_code(CLD2::Language lang)
{
    std::string c = CLD2::LanguageCode(lang);
    if (c == "un" || c == "xxx") // UNKNOWN_LANGUAGE, TG_UNKNOWN_LANGUAGE
        return "und";
    size_t dash = c.find('-'); // "zh-Hant" -> "zh"
    return dash == std::string::npos ? c : c.substr(0, dash);
}

// ext: ExtDetectLanguageSummary, which reports UNKNOWN_LANGUAGE when it finds nothing.
// Otherwise DetectLanguageSummary, which (for backward compatibility) turns
// UNKNOWN_LANGUAGE into ENGLISH, so that it never says "und".
std::string cld2_run(Span s, bool ext, std::string *raw)
{
    CLD2::Language lang3[3];
    int percent3[3], text_bytes = 0;
    bool reliable = false;
    const int n = static_cast<int>(s.n);
    CLD2::Language lang =
        ext ? CLD2::ExtDetectLanguageSummary(s.p, n, /*is_plain_text=*/true, lang3, percent3,
                                             &text_bytes, &reliable)
            : CLD2::DetectLanguageSummary(s.p, n, /*is_plain_text=*/true, lang3, percent3,
                                          &text_bytes, &reliable);
    if (raw) {
        std::ostringstream o;
        o << CLD2::LanguageCode(lang) << (reliable ? " reliable" : " unreliable") << " [";
        for (int i = 0; i < 3; i++)
            o << (i ? " " : "") << CLD2::LanguageCode(lang3[i]) << ":" << percent3[i] << "%";
        o << "] text_bytes=" << text_bytes;
        *raw = o.str();
    }
    return cld2_code(lang);
}

std::string cld2_ext_detect(Span s, std::string *raw)
{
    return cld2_run(s, true, raw);
}
std::string cld2_sum_detect(Span s, std::string *raw)
{
    return cld2_run(s, false, raw);
}

struct Detector {
    const char *name;
    std::string (*fn)(Span, std::string *);
};
// "cld2" is the one to judge; "cld2-compat" shows what the plain DetectLanguageSummary
// would give (the same scores, but never "und")
const Detector kDet[] = {
    {"exttextcat", textcat_detect}, {"cld2", cld2_ext_detect}, {"cld2-compat", cld2_sum_detect}};
constexpr int NDET = sizeof kDet / sizeof kDet[0];

std::string predict(const Detector &d, Span text, Mode m, std::string votes[3] = nullptr,
                    std::string raw[3] = nullptr)
{
    switch (m) {
    case MODE_A:
        return d.fn(prefix_bytes(text, kPrefixBytes), raw);
    case MODE_B:
        return d.fn(prefix_chars(text, kPrefixChars), raw);
    default: {
        std::string v[3];
        for (int i = 0; i < 3; i++) {
            v[i] = d.fn(sample(text, kSampleAt[i], kSampleBytes), raw ? &raw[i] : nullptr);
            if (votes)
                votes[i] = v[i];
        }
        return vote(v[0], v[1], v[2]);
    }
    }
}

// ---------------------------------------------------------------- input

bool read_file(const std::string &path, std::string &out)
{
    std::ifstream f(path, std::ios::binary);
    if (!f)
        return false;
    std::ostringstream ss;
    ss << f.rdbuf();
    out = ss.str();
    return true;
}

Span trimmed(const std::string &s)
{
    size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ||
                            s[i] == '\f' || s[i] == '\v'))
        i++;
    return {s.data() + i, s.size() - i};
}

// value of the top-level string member "key" of a one-line JSON object (enough for
// manifest.jsonl: the members we read are plain strings and appear before nested ones)
bool json_string(const std::string &line, const std::string &key, std::string &out)
{
    std::string pat = "\"" + key + "\"";
    size_t p = line.find(pat);
    if (p == std::string::npos)
        return false;
    p += pat.size();
    while (p < line.size() && (line[p] == ' ' || line[p] == ':'))
        p++;
    if (p >= line.size() || line[p] != '"')
        return false;
    out.clear();
    for (p++; p < line.size() && line[p] != '"'; p++) {
        if (line[p] == '\\' && p + 1 < line.size())
            p++; // ids and language codes never need more than this
        out += line[p];
    }
    return p < line.size();
}

struct Doc {
    std::string id, lang, text;
    Span body;
};

// ---------------------------------------------------------------- report helpers

double pct(long k, long n)
{
    return n ? 100.0 * static_cast<double>(k) / static_cast<double>(n) : 0.0;
}

void usage()
{
    std::fprintf(stderr,
                 "usage: langid_compare [--reps N] [--tsv FILE] CORPUS_DIR [EXTRA_FILE...]\n");
    std::exit(2);
}

} // namespace

int main(int argc, char **argv)
{
    int reps = 5;
    std::string tsv_path, dir;
    std::vector<std::string> extra;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (a == "--reps" && i + 1 < argc)
            reps = std::max(1, std::atoi(argv[++i]));
        else if (a == "--tsv" && i + 1 < argc)
            tsv_path = argv[++i];
        else if (a.size() > 1 && a[0] == '-')
            usage();
        else if (dir.empty())
            dir = a;
        else
            extra.push_back(a);
    }
    if (dir.empty())
        usage();

    using clk = std::chrono::steady_clock;
    auto t_init = clk::now();
    g_textcat = special_textcat_Init(kTextcatConf, kTextcatDir);
    double init_us = std::chrono::duration<double, std::micro>(clk::now() - t_init).count();
    if (!g_textcat) {
        std::fprintf(stderr, "cannot load %s\n", kTextcatConf);
        return 1;
    }

    // ---- load the corpus
    std::vector<Doc> docs;
    {
        std::ifstream mf(dir + "/manifest.jsonl");
        if (!mf) {
            std::fprintf(stderr, "cannot read %s/manifest.jsonl\n", dir.c_str());
            return 1;
        }
        std::string line;
        int lineno = 0;
        while (std::getline(mf, line)) {
            lineno++;
            if (line.find_first_not_of(" \t\r") == std::string::npos)
                continue;
            Doc d;
            if (!json_string(line, "id", d.id) || !json_string(line, "language", d.lang)) {
                std::fprintf(stderr, "manifest line %d: no id/language\n", lineno);
                return 1;
            }
            if (!read_file(dir + "/" + d.id + ".txt", d.text)) {
                std::fprintf(stderr, "cannot read %s/%s.txt\n", dir.c_str(), d.id.c_str());
                return 1;
            }
            docs.push_back(std::move(d));
        }
    }
    size_t total_bytes = 0, bytes_a = 0, invalid = 0;
    for (Doc &d : docs) {
        d.body = trimmed(d.text);
        total_bytes += d.text.size();
        bytes_a += prefix_bytes(d.body, kPrefixBytes).n;
        if (!valid_utf8(d.text))
            invalid++;
    }
    if (docs.empty()) {
        std::fprintf(stderr, "no documents\n");
        return 1;
    }

    // ---- predictions
    const size_t N = docs.size();
    std::vector<std::string> pred[NDET][NMODES];
    for (int k = 0; k < NDET; k++)
        for (int m = 0; m < NMODES; m++) {
            pred[k][m].resize(N);
            for (size_t i = 0; i < N; i++)
                pred[k][m][i] = predict(kDet[k], docs[i].body, static_cast<Mode>(m));
        }

    // ---- timing: reps interleaved passes; the detector order alternates per pass;
    // only the detector call (and the mapping of its answer) is inside the clock
    double best_us[NDET][NMODES];
    for (auto &r : best_us)
        for (double &x : r)
            x = 1e300;
    const Mode timed[] = {MODE_A, MODE_C};
    size_t sink = 0;
    for (int r = 0; r < reps; r++)
        for (int j = 0; j < NDET; j++) {
            int k = (r % 2) ? NDET - 1 - j : j;
            for (Mode m : timed) {
                double sum = 0;
                for (size_t i = 0; i < N; i++) {
                    auto t0 = clk::now();
                    std::string p = predict(kDet[k], docs[i].body, m);
                    auto t1 = clk::now();
                    sum += std::chrono::duration<double, std::micro>(t1 - t0).count();
                    sink += p.size();
                }
                best_us[k][m] = std::min(best_us[k][m], sum);
            }
        }

    // ---- accuracy table
    std::map<std::string, std::vector<size_t>> by_lang; // language -> doc indexes
    for (size_t i = 0; i < N; i++)
        by_lang[docs[i].lang].push_back(i);
    std::vector<std::string> langs;
    for (auto &kv : by_lang)
        langs.push_back(kv.first);
    std::sort(langs.begin(), langs.end(), [&](const std::string &x, const std::string &y) {
        size_t nx = by_lang[x].size(), ny = by_lang[y].size();
        return nx != ny ? nx > ny : x < y;
    });

    std::printf("corpus: %s: %zu documents, %.1f MB, %zu not valid UTF-8\n", dir.c_str(), N,
                static_cast<double>(total_bytes) / 1e6, invalid);
    std::printf("modes: a = %s, b = %s, c = %s\n\n", kModeDesc[0], kModeDesc[1], kModeDesc[2]);
    std::printf("Accuracy %% (correct / documents)\n\n");
    std::printf("| language | docs |");
    for (int k = 0; k < NDET; k++)
        for (int m = 0; m < NMODES; m++)
            std::printf(" %s %s |", kDet[k].name, kModeName[m]);
    std::printf("\n|---|---:|");
    for (int k = 0; k < NDET * NMODES; k++)
        std::printf("---:|");
    std::printf("\n");
    auto row = [&](const std::string &label, const std::vector<size_t> &idx) {
        std::printf("| %s | %zu |", label.c_str(), idx.size());
        for (int k = 0; k < NDET; k++)
            for (int m = 0; m < NMODES; m++) {
                long ok = 0;
                for (size_t i : idx)
                    ok += pred[k][m][i] == docs[i].lang;
                std::printf(" %.1f |", pct(ok, static_cast<long>(idx.size())));
            }
        std::printf("\n");
    };
    for (const std::string &l : langs)
        row(l, by_lang[l]);
    std::vector<size_t> all(N);
    for (size_t i = 0; i < N; i++)
        all[i] = i;
    row("**all**", all);
    std::printf("| errors (und) | |");
    for (int k = 0; k < NDET; k++)
        for (int m = 0; m < NMODES; m++) {
            long wrong = 0, und = 0;
            for (size_t i = 0; i < N; i++) {
                wrong += pred[k][m][i] != docs[i].lang;
                und += pred[k][m][i] == "und";
            }
            std::printf(" %ld (%ld) |", wrong, und);
        }
    std::printf("\n");

    // ---- confusions
    std::printf("\nConfusions (true -> predicted: count; document ids)\n");
    for (int k = 0; k < NDET; k++)
        for (Mode m : {MODE_A, MODE_C}) {
            std::map<std::pair<std::string, std::string>, std::vector<std::string>> conf;
            for (size_t i = 0; i < N; i++)
                if (pred[k][m][i] != docs[i].lang)
                    conf[{docs[i].lang, pred[k][m][i]}].push_back(docs[i].id);
            std::printf("\n%s, mode %s (%s):%s\n", kDet[k].name, kModeName[m], kModeDesc[m],
                        conf.empty() ? " none" : "");
            std::vector<std::pair<std::pair<std::string, std::string>, std::vector<std::string>>>
                rows(conf.begin(), conf.end());
            std::stable_sort(rows.begin(), rows.end(), [](const auto &x, const auto &y) {
                return x.second.size() > y.second.size();
            });
            for (const auto &c : rows) {
                std::printf("  %s -> %s: %zu;", c.first.first.c_str(), c.first.second.c_str(),
                            c.second.size());
                size_t show = std::min<size_t>(c.second.size(), 6);
                for (size_t j = 0; j < show; j++)
                    std::printf(" %s", c.second[j].c_str());
                if (show < c.second.size())
                    std::printf(" ... (+%zu)", c.second.size() - show);
                std::printf("\n");
            }
        }

    // ---- timing
    std::printf("\nTime (best of %d passes; detector calls only; %zu documents)\n\n", reps, N);
    std::printf("| detector | mode a total µs | µs/doc | MB/s | mode c total µs | µs/doc |\n");
    std::printf("|---|---:|---:|---:|---:|---:|\n");
    for (int k = 0; k < NDET; k++)
        std::printf("| %s | %.0f | %.1f | %.1f | %.0f | %.1f |\n", kDet[k].name, best_us[k][MODE_A],
                    best_us[k][MODE_A] / static_cast<double>(N),
                    static_cast<double>(bytes_a) / best_us[k][MODE_A], best_us[k][MODE_C],
                    best_us[k][MODE_C] / static_cast<double>(N));
    std::printf("\nexttextcat special_textcat_Init (once per thread): %.0f µs; "
                "mode a input: %.2f MB\n",
                init_us, static_cast<double>(bytes_a) / 1e6);

    // ---- per-document predictions
    if (!tsv_path.empty()) {
        std::FILE *f = std::fopen(tsv_path.c_str(), "w");
        if (!f) {
            std::fprintf(stderr, "cannot write %s\n", tsv_path.c_str());
            return 1;
        }
        std::fprintf(f, "id\ttrue");
        for (int k = 0; k < NDET; k++)
            for (int m = 0; m < NMODES; m++)
                std::fprintf(f, "\t%s_%s", kDet[k].name, kModeName[m]);
        std::fprintf(f, "\n");
        for (size_t i = 0; i < N; i++) {
            std::fprintf(f, "%s\t%s", docs[i].id.c_str(), docs[i].lang.c_str());
            for (int k = 0; k < NDET; k++)
                for (int m = 0; m < NMODES; m++)
                    std::fprintf(f, "\t%s", pred[k][m][i].c_str());
            std::fprintf(f, "\n");
        }
        std::fclose(f);
    }

    // ---- extra, unlabelled files
    for (const std::string &path : extra) {
        std::string text;
        if (!read_file(path, text)) {
            std::fprintf(stderr, "cannot read %s\n", path.c_str());
            return 1;
        }
        Span body = trimmed(text);
        std::printf("\n%s (%zu bytes%s)\n", path.c_str(), text.size(),
                    valid_utf8(text) ? "" : ", not valid UTF-8");
        for (int k = 0; k < NDET; k++)
            for (int m = 0; m < NMODES; m++) {
                std::string votes[3], raw[3];
                std::string p = predict(kDet[k], body, static_cast<Mode>(m), votes, raw);
                std::printf("  %-11s %s: %s", kDet[k].name, kModeName[m], p.c_str());
                if (m == MODE_C)
                    std::printf(" (votes %s %s %s)", votes[0].c_str(), votes[1].c_str(),
                                votes[2].c_str());
                std::printf("\n");
                for (int j = 0; j < (m == MODE_C ? 3 : 1); j++)
                    std::printf("      raw: %s\n", raw[j].c_str());
            }
    }

    textcat_Done(g_textcat);
    return sink == 0 ? 1 : 0;
}
