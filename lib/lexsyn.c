/*
 * lib/lexsyn.c: the translation table's controlled sources (lib/lexbuild.h): SKOS thesauri,
 * whose labels of one concept translate each other across languages and are synonyms within
 * one, and the user's synonym file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "accord/lang.h"
#include "accord/text.h"
#include "lexbuild.h"
#include "skos.h"

/* ------------------------------------------------------------ thesauri */

typedef struct skos_ctx {
    builder *b;
    unsigned long concepts, kept;
} skos_ctx;

static int on_concept(void *ctx, const char *uri, const acc_skos_label *l, size_t n)
{
    skos_ctx *k = ctx;
    (void)uri;
    k->concepts++;
    for (size_t i = 0; i < n; i++) {
        char s[ACC_LANG_MAX];
        if (!acc_lang_parse(l[i].lang, strlen(l[i].lang), s))
            continue;
        for (size_t j = 0; j < n; j++) {
            char t[ACC_LANG_MAX];
            if (i == j || !acc_lang_parse(l[j].lang, strlen(l[j].lang), t))
                continue;
            int same = strcmp(s, t) == 0;
            /* across languages: every label reaches the other language's labels;
               within one: the labels of a concept are synonyms */
            k->kept += (unsigned long)acc_lexb_offer(k->b, s, l[i].text, strlen(l[i].text), t,
                                                     l[j].text, strlen(l[j].text),
                                                     same ? KIND_SYNONYM : KIND_THESAURUS);
        }
    }
    return 0;
}

acc_status acc_lexb_read_thesauri(builder *b, const acc_lexicon_opts *o, acc_lexicon_report *rep)
{
    for (size_t i = 0; i < b->nlangs; i++) {
        acc_status st = acc_lexb_lang_load(b, &b->langs[i]);
        if (st != ACC_OK)
            return st;
    }
    skos_ctx k = {b, 0, 0};
    acc_status st = acc_skos_read(o->thesauri, o->nthesauri, on_concept, &k, b->err);
    if (st != ACC_OK)
        return st;
    char what[128];
    snprintf(what, sizeof what, "%zu thesaurus file%s, %lu concepts (%lu kept)", o->nthesauri,
             o->nthesauri == 1 ? "" : "s", k.concepts, k.kept);
    acc_lexb_note(rep->sources, sizeof rep->sources, what);
    return ACC_OK;
}

/* ------------------------------------------------------------ synonyms */

/*
 * The user's synonym file: "lang: word, other word, ..." a line (lang
 * optional: English); '#' starts a comment. Every member reaches every other.
 */
acc_status acc_lexb_read_synonyms(builder *b, const char *path, acc_lexicon_report *rep)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned long lineno = 0, kept = 0;
    acc_status st = ACC_OK;
    if (!f)
        return acc_error_set(b->err, ACC_EIO, "cannot read synonyms file '%s'", path);
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (!acc_utf8_valid(line, (size_t)len)) {
            st = acc_error_set(b->err, ACC_EINVAL, "%s:%lu: not UTF-8", path, lineno);
            break;
        }
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char lang[ACC_LANG_MAX] = "en";
        char *p = line, *colon = strchr(line, ':');
        if (colon) {
            char *a = line;
            while (*a == ' ' || *a == '\t')
                a++;
            size_t n = (size_t)(colon - a);
            while (n && (a[n - 1] == ' ' || a[n - 1] == '\t'))
                n--;
            if (!acc_lang_parse(a, n, lang)) {
                st = acc_error_set(b->err, ACC_EINVAL, "%s:%lu: '%.*s' is not a language code",
                                   path, lineno, (int)n, a);
                break;
            }
            p = colon + 1;
        }
        char *members[64];
        size_t nm = 0;
        for (char *tok = strtok(p, ",;\n\r"); tok && nm < 64; tok = strtok(NULL, ",;\n\r")) {
            while (*tok == ' ' || *tok == '\t')
                tok++;
            size_t n = strlen(tok);
            while (n && (tok[n - 1] == ' ' || tok[n - 1] == '\t'))
                tok[--n] = '\0';
            if (n)
                members[nm++] = tok;
        }
        if (nm == 1) {
            st = acc_error_set(b->err, ACC_EINVAL, "%s:%lu: a group needs two words or more", path,
                               lineno);
            break;
        }
        lang_state *l = acc_lexb_lang_add(b, lang, 0);
        if (l && (st = acc_lexb_lang_load(b, l)) != ACC_OK)
            break;
        for (size_t i = 0; i < nm; i++)
            for (size_t j = 0; j < nm; j++)
                if (i != j)
                    kept +=
                        (unsigned long)acc_lexb_offer(b, lang, members[i], strlen(members[i]), lang,
                                                      members[j], strlen(members[j]), KIND_SYNONYM);
    }
    free(line);
    fclose(f);
    if (st == ACC_OK) {
        char what[128];
        snprintf(what, sizeof what, "synonyms (%lu kept)", kept);
        acc_lexb_note(rep->sources, sizeof rep->sources, what);
    }
    return st;
}
