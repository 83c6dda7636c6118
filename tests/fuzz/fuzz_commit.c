/*
 * tests/fuzz/fuzz_commit.c: the commitment extractor (lib/commit.c,
 * lib/committext.c) on any text. Input: byte 0 picks the language, byte 1
 * the document's year (0 = unknown), the rest is the text, made valid UTF-8
 * as accord-index makes it. Each commitment must lie in the text, name a
 * kind and strength, and survive its stored form (encode, decode).
 */
#include <stdlib.h>
#include <string.h>

#include "accord/commit.h"
#include "accord/text.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    if (n < 2)
        return 0;
    const char *lang = fz_lang(d[0]);
    int year = d[1] ? 1980 + d[1] % 80 : 0;
    acc_buf text, line;
    acc_buf_init(&text, 0);
    acc_buf_init(&line, 0);
    acc_utf8_sanitize((const char *)d + 2, n - 2, &text);
    const char *t = text.p ? text.p : "";
    acc_commitment *c = NULL;
    size_t k = acc_commit_extract(lang, year, t, text.n, &c);
    for (size_t i = 0; i < k; i++) {
        if (c[i].start > c[i].end || c[i].end > text.n || (unsigned)c[i].kind >= ACC_CK_COUNT ||
            (unsigned)c[i].strength >= ACC_CS_COUNT || c[i].year < 1990 || c[i].year > 2100)
            abort();
        acc_buf_reset(&line);
        acc_commit_encode(&c[i], t, &line);
        acc_commitment back;
        const char *sent;
        size_t slen;
        if (line.n < 1 || line.p[line.n - 1] != '\n' ||
            acc_commit_decode(line.p, line.n - 1, &back, &sent, &slen) != 0 ||
            back.kind != c[i].kind || back.year != c[i].year || back.start != c[i].start ||
            back.end != c[i].end || back.strength != c[i].strength ||
            slen > ACC_COMMIT_SENTENCE_MAX || !acc_utf8_valid(sent, slen))
            abort();
    }
    free(c);
    acc_buf_release(&text);
    acc_buf_release(&line);
    return 0;
}
