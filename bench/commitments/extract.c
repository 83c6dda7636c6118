/*
 * bench/commitments/extract.c: the commitments accord-index extracts, for
 * scoring (score.py). Reads lines "path TAB id TAB lang TAB year" on stdin
 * (year 0 = unknown), prints one JSON object per commitment:
 * {"id","kind","value","value_max","year","base","intensity","conditional",
 *  "strength","start","end","sentence"}. The text is read as the indexer
 * reads a .txt file (invalid UTF-8 replaced).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/commit.h"
#include "accord/text.h"

static int read_all(const char *path, acc_buf *out)
{
    FILE *f = fopen(path, "rb");
    char b[65536];
    size_t n;
    if (!f)
        return -1;
    while ((n = fread(b, 1, sizeof b, f)) > 0)
        acc_buf_append(out, b, n);
    fclose(f);
    return 0;
}

int main(void)
{
    char line[4096];
    while (fgets(line, sizeof line, stdin)) {
        char *f[4] = {line, NULL, NULL, NULL};
        int k = 1;
        for (char *p = line; *p && k < 4; p++)
            if (*p == '\t') {
                *p = '\0';
                f[k++] = p + 1;
            }
        if (k < 4)
            continue;
        f[3][strcspn(f[3], "\r\n")] = '\0';
        acc_buf raw, text;
        acc_buf_init(&raw, 0);
        acc_buf_init(&text, 0);
        if (read_all(f[0], &raw) != 0) {
            fprintf(stderr, "cannot read %s\n", f[0]);
            return 1;
        }
        acc_utf8_sanitize(raw.p ? raw.p : "", raw.n, &text);
        acc_commitment *c = NULL;
        size_t n = acc_commit_extract(f[2], atoi(f[3]), text.p, text.n, &c);
        for (size_t i = 0; i < n; i++) {
            json_t *o = json_object();
            json_object_set_new(o, "id", json_string(f[1]));
            json_object_set_new(o, "kind", json_string(acc_commit_kind_name(c[i].kind)));
            json_object_set_new(o, "value", c[i].value < 0 ? json_null() : json_real(c[i].value));
            json_object_set_new(o, "value_max",
                                c[i].value_max < 0 ? json_null() : json_real(c[i].value_max));
            json_object_set_new(o, "year", json_integer(c[i].year));
            json_object_set_new(o, "base",
                                c[i].base == ACC_BASE_BAU ? json_string("bau")
                                : c[i].base               ? json_integer(c[i].base)
                                                          : json_null());
            json_object_set_new(o, "intensity", json_boolean(c[i].intensity));
            json_object_set_new(o, "conditional",
                                c[i].conditional < 0 ? json_null()
                                                     : json_boolean(c[i].conditional));
            json_object_set_new(o, "strength",
                                json_string(acc_commit_strength_name(c[i].strength)));
            json_object_set_new(o, "start", json_integer((json_int_t)c[i].start));
            json_object_set_new(o, "end", json_integer((json_int_t)c[i].end));
            json_object_set_new(o, "sentence",
                                json_stringn(text.p + c[i].start, c[i].end - c[i].start));
            char *s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII * 0);
            puts(s);
            free(s);
            json_decref(o);
        }
        free(c);
        acc_buf_release(&raw);
        acc_buf_release(&text);
    }
    return 0;
}
