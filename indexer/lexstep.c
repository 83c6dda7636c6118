/* indexer/lexstep.c: the translation table step of a run (lexstep.h). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "lexstep.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "accord/lexicon.h"
#include "accord/log.h"
#include "accord/paths.h"
#include "run.h"

/* where the sources of the table are remembered */
#define OPTS_KEY "accord.lexicon.opts"

/* The sources this run uses: its own options, else those remembered. */
static json_t *sources_of(run *rn, int *named)
{
    *named = rn->dict_dir || rn->no_dict || rn->nthesauri || rn->synonyms;
    if (!*named) {
        char *old = NULL;
        json_t *o = NULL;
        if (acc_writer_get_meta(rn->w, OPTS_KEY, &old, NULL) == ACC_OK && old && *old)
            o = json_loads(old, 0, NULL);
        free(old);
        if (json_is_object(o))
            return o;
        json_decref(o);
        /* never named: $ACCORD_DICT_DIR ("" for none), else the dictionaries
           Debian installs, when there */
        const char *env = getenv("ACCORD_DICT_DIR");
        const char *dir = env ? env : ACC_DICT_DIR_DEFAULT;
        return json_pack("{s:s,s:[],s:n}", "dict_dir", *dir && access(dir, R_OK) == 0 ? dir : "",
                         "thesauri", "synonyms");
    }
    json_t *th = json_array();
    for (size_t i = 0; i < rn->nthesauri; i++) {
        char *real = realpath(rn->thesauri[i], NULL);
        json_array_append_new(th, json_string(real ? real : rn->thesauri[i]));
        free(real);
    }
    char *syn = rn->synonyms ? realpath(rn->synonyms, NULL) : NULL;
    const char *env = getenv("ACCORD_DICT_DIR");
    const char *dir = rn->no_dict    ? ""
                      : rn->dict_dir ? rn->dict_dir
                      : env          ? env
                                     : ACC_DICT_DIR_DEFAULT;
    json_t *o = json_pack("{s:s,s:o,s:s?}", "dict_dir", dir, "thesauri", th, "synonyms",
                          syn ? syn : rn->synonyms);
    free(syn);
    return o;
}

int lexstep_run(run *rn)
{
    int named = 0;
    char *meta = NULL;
    acc_error err;
    if (rn->no_lexicon)
        return 0;
    json_t *src = sources_of(rn, &named);
    int have = acc_writer_get_meta(rn->w, "Lmeta", &meta, NULL) == ACC_OK && meta && *meta;
    free(meta);
    /* a few documents more hardly change which translations the index can
       match: the table (seconds of work with the large dictionaries) is
       rebuilt when a fiftieth of the index changed; --lexicon forces it */
    unsigned long moved = rn->added + rn->updated + rn->deleted;
    unsigned long docs = acc_writer_doccount(rn->w);
    int changed = moved > 0 && moved * 50 >= docs;
    if (!rn->lexicon_only && !named && !changed && have) {
        json_decref(src);
        return 0;
    }
    json_t *th = json_object_get(src, "thesauri");
    size_t nth = json_array_size(th);
    const char **paths = calloc(nth ? nth : 1, sizeof *paths);
    for (size_t i = 0; i < nth; i++)
        paths[i] = json_string_value(json_array_get(th, i));
    char cache[PATH_MAX];
    acc_lexicon_opts o = {json_string_value(json_object_get(src, "dict_dir")),
                          paths,
                          nth,
                          json_string_value(json_object_get(src, "synonyms")),
                          0,
                          rn->nthreads > 0 ? (unsigned)rn->nthreads : 0,
                          acc_paths_cache(cache, sizeof cache)};
    acc_lexicon_report rep;
    int rc = -1;
    unsigned long words = 0;
    if (acc_writer_begin(rn->w, &err) == ACC_OK &&
        acc_lexicon_build(rn->w, &o, &rep, &err) == ACC_OK &&
        acc_writer_completions(rn->w, &words, &err) == ACC_OK) {
        /* the completion table rides in the same commit (the same rule: a fiftieth changed) */
        char *s = json_dumps(src, JSON_COMPACT);
        if ((!s || acc_writer_set_meta(rn->w, OPTS_KEY, s, &err) == ACC_OK) &&
            acc_writer_commit(rn->w, &err) == ACC_OK) {
            rc = 0;
            rn->completion_words = words;
            /* a table rewritten for the most part (its first run in buckets, or new buckets
               after it grew or shrank 4x) leaves as many freed blocks in the index: the run
               ends compacted (an older index of the real corpus: 129 MB -> 68 MB) */
            if (rep.written > 1000 && rep.written * 4 >= rep.entries && !rn->fresh &&
                !rn->no_compact && !rn->changesets)
                rn->compact = 1;
            if (!rn->quiet)
                acc_log(ACC_LOG_INFO,
                        "translation table: %lu words and phrases, %lu translations, "
                        "%.1f MB, %.1f MB compressed (%lu keys written), %.2f s; "
                        "phrases: %lu of %lu no document has, %lu translations far rarer than "
                        "another dropped; %lu of %lu dictionaries prepared in the cache; %s",
                        rep.entries, rep.translations, (double)rep.bytes / 1e6,
                        (double)rep.stored / 1e6, rep.written, rep.seconds, rep.absent, rep.phrases,
                        rep.rare, rep.cached, rep.pairs,
                        rep.sources[0] ? rep.sources : "no sources");
        }
        free(s);
    }
    if (rc != 0) {
        acc_writer_cancel(rn->w, NULL);
        acc_log(ACC_LOG_ERROR, "%s (the documents are indexed; searches are not translated)",
                err.msg);
    }
    free(paths);
    json_decref(src);
    return rc;
}
