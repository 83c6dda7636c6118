/*
 * lib/xap_internal.h: what the files of the Xapian layer share (lib/xap.cc,
 * xap_query.cc, xap_match.cc): the handles behind the C types of lib/xap.h and
 * the error translation. C++ only; private to the layer.
 */
#ifndef ACCORD_LIB_XAP_INTERNAL_H
#define ACCORD_LIB_XAP_INTERNAL_H

#include <xapian.h>

#include <memory>
#include <string>
#include <vector>

#include "xap.h"

struct acc_xap_db {
    Xapian::Database db;
    bool remote = false; /* a shard is remote: only spies Xapian can send run */
    /* shards followed one by one for their revisions (acc_xap_db_track) */
    std::vector<Xapian::Database> tracked;
};

struct acc_xap_wdb {
    Xapian::WritableDatabase db;
    acc_xap_db reader; /* a view of db, for the read primitives */
    bool in_txn = false;
};

struct acc_xap_doc {
    Xapian::Document doc;
};

struct acc_xap_query {
    Xapian::Query q;
};

struct acc_xap_parser {
    Xapian::QueryParser qp;
    std::string default_prefix;
};

struct acc_xap_match {
    Xapian::Enquire enq;
    Xapian::MSet mset;
    std::vector<Xapian::MSetIterator> hits;
    std::vector<double> weights; /* the C side's, when it ranked the hits (else Xapian's) */
    std::unique_ptr<Xapian::KeyMaker> sorter;
    explicit acc_xap_match(const Xapian::Database &db) : enq(db)
    {
    }
};

namespace accxap
{

/* Thrown by our own code for a failed C text call (already described). */
struct text_error {
    acc_error e;
};

/* Out of memory where a function returns no status: aborts, as acc_xmalloc does. */
[[noreturn]] void out_of_memory(const char *what);

/* Classifies the exception being handled into a status and a message. */
acc_status fail(acc_error *err);

/* Runs f, turning any exception into a status and a message. */
template <typename F> acc_status guard(acc_error *err, F f) noexcept
{
    try {
        f();
        return ACC_OK;
    } catch (...) {
        return fail(err);
    }
}

/* Runs f, which can only fail for want of memory: then aborts, as acc_xmalloc does. */
template <typename F> auto must(const char *what, F f) noexcept -> decltype(f())
{
    try {
        return f();
    } catch (...) {
        out_of_memory(what);
    }
}

/* Appends s to out. */
void append(acc_buf *out, const std::string &s);

} // namespace accxap

#endif
