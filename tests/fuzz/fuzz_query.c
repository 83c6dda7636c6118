/*
 * tests/fuzz/fuzz_query.c: a search request from its parameters to its
 * results, as accord-searchd runs it: the input's lines are "name=value"
 * parameters (the first line is the query text q), read by
 * acc_query_from_params, checked by acc_query_check, then searched over a
 * small index of eight documents in seven languages (tests/fuzz/fuzz_util.c)
 * with snippets, facets, commitments and all; the same text is also asked
 * for suggestions and as a document id. A request the checks refuse must say
 * why; one they accept must run without a library error other than a query
 * the user can fix.
 */
#include <stdlib.h>
#include <string.h>

#include "accord/index.h"
#include "accord/query.h"
#include "accord/text.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

#define MAXP 16

typedef struct params {
    char *name[MAXP], *value[MAXP];
    size_t vlen[MAXP], n;
} params;

static const char *get(void *vp, const char *name, size_t *len)
{
    params *p = vp;
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->name[i], name) == 0) {
            *len = p->vlen[i];
            return p->value[i];
        }
    *len = 0;
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    const char *f[MAXP];
    size_t len[MAXP];
    size_t k = fz_split(d, n, f, len, MAXP);
    params p = {.n = 0};
    p.name[p.n] = fz_dup("q", 1);
    p.value[p.n] = fz_dup(f[0], len[0]);
    p.vlen[p.n++] = len[0];
    for (size_t i = 1; i < k; i++) {
        const char *eq = memchr(f[i], '=', len[i]);
        if (!eq)
            continue;
        size_t nl = (size_t)(eq - f[i]);
        p.name[p.n] = fz_dup(f[i], nl);
        p.value[p.n] = fz_dup(eq + 1, len[i] - nl - 1);
        p.vlen[p.n++] = len[i] - nl - 1;
    }

    acc_index *x = fz_index();
    acc_query q;
    acc_error err;
    acc_query_init(&q);
    err.msg[0] = '\0';
    if (acc_query_from_params(&q, get, &p, &err) == ACC_OK) {
        if (acc_query_check(&q, &err) == ACC_OK) {
            acc_results *r = NULL;
            acc_status st = acc_index_search(x, &q, &r, &err);
            if (st == ACC_OK) {
                for (size_t i = 0; i < r->nhits; i++)
                    if (!r->hits[i].id ||
                        (r->hits[i].snippet &&
                         !acc_utf8_valid(r->hits[i].snippet, strlen(r->hits[i].snippet))))
                        abort();
                acc_buf b;
                acc_buf_init(&b, 0);
                acc_query_to_params(&q, &b);
                acc_buf_release(&b);
                acc_results_free(r);
            } else if (st != ACC_EINVAL && st != ACC_EQUERY && st != ACC_ENOTFOUND) {
                abort(); /* a request that passed the checks fails in the engine */
            } else if (strncmp(err.msg, "query parser:", 13) == 0) {
                /* a text Xapian's parser cannot read is searched as plain words: its error
                   reaching the caller is a text accord hands it wrongly (water 气候 climate,
                   climate...) */
                abort();
            }
        } else if (!err.msg[0]) {
            abort();
        }
    } else if (!err.msg[0]) {
        abort();
    }
    /* the text as a /suggest query and as a /doc id, as accord-searchd lets them through */
    if (len[0] && len[0] <= 256 && !memchr(f[0], '\0', len[0]) && acc_utf8_valid(f[0], len[0])) {
        err.msg[0] = '\0';
        char *js = acc_index_suggest_json(x, f[0], len[0], 10, &err);
        if (!js && strncmp(err.msg, "query parser:", 13) == 0)
            abort();
        free(js);
        char *id = fz_dup(f[0], len[0]);
        js = acc_index_doc_json(x, id, &err);
        free(js);
        free(id);
    }
    for (size_t i = 0; i < p.n; i++) {
        free(p.name[i]);
        free(p.value[i]);
    }
    return 0;
}
