/*
 * raw_xapian_index: the baseline for bench/index_bench.sh. The least one can
 * do with libxapian to index the corpus: one thread, one TermGenerator with
 * the English stemmer (STEM_SOME) and positions, the title indexed with
 * prefix "S" and as body text, a unique "Q<id>" term, the title as document
 * data, replace_document by id and a single commit() at the end. No language
 * detection, no normalisation, no CJK segmentation: accord does more work per
 * byte than this, so this is a lower bound on the cost of indexing.
 *
 *   raw_xapian_index --index DIR CORPUS_DIR     *.txt in CORPUS_DIR (not recursive);
 *                                               titles from CORPUS_DIR/manifest.jsonl
 *                                               when present, else the first line
 *   raw_xapian_index --index DIR --jsonl FILE   one JSON object per line with "id",
 *                                               "title" and "text" ("-" is stdin)
 *   raw_xapian_index --doccount DIR             prints the document count of an index
 *
 * XAPIAN_FLUSH_THRESHOLD is left to Xapian (default 10000 documents).
 * Exit status: 0 on success, 2 on any error (a message on stderr).
 */
#include <xapian.h>

#include <jansson.h>

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

namespace
{

struct Indexer {
    Xapian::WritableDatabase db;
    Xapian::TermGenerator tg;
    unsigned long docs = 0;

    explicit Indexer(const std::string &path) : db(path, Xapian::DB_CREATE_OR_OPEN)
    {
        tg.set_stemmer(Xapian::Stem("english"));
        tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    }

    void add(const std::string &id, const std::string &title, const char *text, size_t len)
    {
        Xapian::Document doc;
        tg.set_document(doc);
        tg.index_text(title, 1, "S");
        tg.index_text(title);
        tg.increase_termpos();
        tg.index_text(Xapian::Utf8Iterator(text, len));
        doc.set_data(title);
        std::string idterm = "Q" + id;
        doc.add_boolean_term(idterm);
        db.replace_document(idterm, doc);
        docs++;
    }
};

[[noreturn]] void die(const std::string &msg)
{
    std::fprintf(stderr, "raw_xapian_index: %s\n", msg.c_str());
    std::exit(2);
}

bool read_file(const std::string &path, std::string &out)
{
    FILE *f = std::fopen(path.c_str(), "rb");
    if (!f)
        return false;
    out.clear();
    char buf[1 << 16];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
        out.append(buf, n);
    bool ok = !std::ferror(f);
    std::fclose(f);
    return ok;
}

std::string json_str(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? std::string(json_string_value(v), json_string_length(v))
                             : std::string();
}

/* Calls fn(object, line number) for each non-blank line of f. */
template <typename Fn> void each_json_line(FILE *f, const std::string &name, Fn fn)
{
    char *line = nullptr;
    size_t cap = 0;
    ssize_t len;
    unsigned long lineno = 0;
    while ((len = getline(&line, &cap, f)) != -1) {
        lineno++;
        if (std::strspn(line, " \t\r\n") == static_cast<size_t>(len))
            continue;
        json_error_t jerr;
        json_t *obj = json_loadb(line, static_cast<size_t>(len), JSON_ALLOW_NUL, &jerr);
        if (!json_is_object(obj))
            die(name + ":" + std::to_string(lineno) + ": not a JSON object: " + jerr.text);
        fn(obj, lineno);
        json_decref(obj);
    }
    bool err = std::ferror(f);
    std::free(line);
    if (err)
        die("cannot read " + name + ": " + std::strerror(errno));
}

void index_dir(Indexer &ix, const std::string &dir)
{
    std::unordered_map<std::string, std::string> titles;
    std::string manifest = dir + "/manifest.jsonl";
    if (FILE *mf = std::fopen(manifest.c_str(), "r")) {
        each_json_line(mf, manifest, [&](json_t *obj, unsigned long) {
            titles[json_str(obj, "id")] = json_str(obj, "title");
        });
        std::fclose(mf);
    }

    DIR *d = opendir(dir.c_str());
    if (!d)
        die("cannot open " + dir + ": " + std::strerror(errno));
    std::vector<std::string> ids;
    while (struct dirent *e = readdir(d)) {
        std::string name = e->d_name;
        if (name[0] != '.' && name.size() > 4 && name.compare(name.size() - 4, 4, ".txt") == 0)
            ids.push_back(name.substr(0, name.size() - 4));
    }
    closedir(d);
    std::sort(ids.begin(), ids.end());

    std::string text;
    for (const std::string &id : ids) {
        std::string path = dir + "/" + id + ".txt";
        if (!read_file(path, text))
            die("cannot read " + path + ": " + std::strerror(errno));
        auto t = titles.find(id);
        std::string title;
        if (t != titles.end() && !t->second.empty())
            title = t->second;
        else
            title = text.substr(0, text.find('\n'));
        ix.add(id, title, text.data(), text.size());
    }
}

void index_jsonl(Indexer &ix, const std::string &path)
{
    FILE *f = path == "-" ? stdin : std::fopen(path.c_str(), "r");
    if (!f)
        die("cannot open " + path + ": " + std::strerror(errno));
    std::string name = path == "-" ? "<stdin>" : path;
    each_json_line(f, name, [&](json_t *obj, unsigned long lineno) {
        std::string id = json_str(obj, "id");
        if (id.empty())
            die(name + ":" + std::to_string(lineno) + ": no \"id\"");
        json_t *text = json_object_get(obj, "text");
        const char *s = json_is_string(text) ? json_string_value(text) : "";
        size_t n = json_is_string(text) ? json_string_length(text) : 0;
        ix.add(id, json_str(obj, "title"), s, n);
    });
    if (f != stdin)
        std::fclose(f);
}

[[noreturn]] void usage()
{
    std::fprintf(stderr, "usage: raw_xapian_index --index DIR CORPUS_DIR\n"
                         "       raw_xapian_index --index DIR --jsonl FILE|-\n"
                         "       raw_xapian_index --doccount DIR\n");
    std::exit(2);
}

} // namespace

int main(int argc, char **argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        if (args.size() == 2 && args[0] == "--doccount") {
            std::printf("%u\n", Xapian::Database(args[1]).get_doccount());
            return 0;
        }
        if (args.size() < 3 || args[0] != "--index")
            usage();
        Indexer ix(args[1]);
        if (args.size() == 4 && args[2] == "--jsonl")
            index_jsonl(ix, args[3]);
        else if (args.size() == 3 && args[2].rfind("--", 0) != 0)
            index_dir(ix, args[2]);
        else
            usage();
        ix.db.commit();
    } catch (const Xapian::Error &e) {
        die(e.get_description());
    } catch (const std::exception &e) {
        die(e.what());
    }
    return 0;
}
