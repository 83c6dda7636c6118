/*
 * tests/fuzz/parser_leaks.cc: which query texts make Xapian 1.4.22's QueryParser leak, and
 * whether accord's acc_qtext_parser_trap (lib/qtext.c) catches each of them. Reads one query
 * a line; parses each as accord hands it over (acc_qtext_for_parser) in a forked child with
 * the flags of a search (lib/compose.c, full_flags), which asks LeakSanitizer for leaks and
 * exits 1 on one. Prints a "HOLE" line for
 * every leaking query the trap lets through, and the counts. Built and run by parser_leaks.sh
 * (AddressSanitizer with its leak checker); exits 1 when there is a hole.
 */
#include <sanitizer/lsan_interface.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <cstdio>
#include <iostream>
#include <string>

#include "accord/mem.h"

extern "C" int acc_qtext_parser_trap(const char *q, size_t n);
extern "C" void acc_qtext_for_parser(const char *q, size_t n, acc_buf *out);

/* the text accord hands to the parser: CJK runs that start a word bracketed */
static std::string handed(const std::string &q)
{
    acc_buf b;
    acc_buf_init(&b, 0);
    acc_qtext_for_parser(q.data(), q.size(), &b);
    std::string s(b.p ? b.p : "", b.n);
    acc_buf_release(&b);
    return s;
}

static bool leaks(const std::string &q)
{
    const unsigned flags = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
                           Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
                           Xapian::QueryParser::FLAG_CJK_NGRAM | Xapian::QueryParser::FLAG_PURE_NOT;
    pid_t p = fork();
    if (p < 0)
        return false;
    if (p == 0) {
        {
            Xapian::QueryParser qp;
            qp.set_default_op(Xapian::Query::OP_AND);
            qp.set_stemmer(Xapian::Stem("en"));
            qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
            try {
                Xapian::Query parsed = qp.parse_query(q, flags);
            } catch (...) {
            }
        }
        _exit(__lsan_do_recoverable_leak_check() ? 1 : 0);
    }
    int st = 0;
    waitpid(p, &st, 0);
    return WIFEXITED(st) && WEXITSTATUS(st) == 1;
}

int main()
{
    std::string line;
    unsigned long n = 0, leaking = 0, trapped = 0, holes = 0;
    while (std::getline(std::cin, line)) {
        n++;
        const bool trap = acc_qtext_parser_trap(line.data(), line.size()) != 0;
        const bool leak = leaks(handed(line));
        leaking += leak;
        trapped += trap;
        if (leak && !trap) {
            holes++;
            std::printf("HOLE\t%s\n", line.c_str());
        }
    }
    std::printf("# %lu queries: %lu leak in Xapian's parser, %lu trapped by accord, %lu holes\n", n,
                leaking, trapped, holes);
    return holes ? 1 : 0;
}
