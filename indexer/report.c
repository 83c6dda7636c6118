/*
 * indexer/report.c: what accord-index tells: a progress bar on a terminal
 * (documents, MB, MB/s, ETA), one warning line per skipped file (kept for the
 * summary), and the summary: added, updated, deleted, unchanged, skipped,
 * repaired, unknown formats, bytes, time, languages, topics; as JSON on
 * stdout with --json.
 */
#include <stdio.h>
#include <stdlib.h>

#include "report.h"

#include "accord/mem.h"
#include "run.h"

double report_elapsed(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

void report_progress(run *rn, int final)
{
    double t = report_elapsed(&rn->t0);
    if (!rn->progress || (!final && t - rn->progress_last < 0.2))
        return;
    rn->progress_last = t;
    unsigned long long done = rn->done_docs, total = rn->total_files;
    double mb = (double)rn->bytes / 1e6;
    char eta[32] = "";
    if (total >= done && done > 0 && !final) {
        double rest = t / (double)done * (double)(total - done);
        snprintf(eta, sizeof eta, "  ETA %d:%02d", (int)rest / 60, (int)rest % 60);
    }
    int width = 24, fill = total ? (int)((double)width * (double)done / (double)total) : 0;
    if (fill > width)
        fill = width;
    char count[64];
    if (total)
        snprintf(count, sizeof count, "%llu/%llu", done, total);
    else
        snprintf(count, sizeof count, "%llu", done);
    fprintf(stderr, "\r[%.*s%*s] %s docs  %.1f MB  %.2f MB/s%s   ", fill,
            "########################", width - fill, "", count, mb, t > 0 ? mb / t : 0.0, eta);
    if (final)
        fputc('\n', stderr);
    fflush(stderr);
}

void report_skip(run *rn, const char *where, const char *why)
{
    pthread_mutex_lock(&rn->skip_mu);
    rn->skips = acc_xrealloc(rn->skips, (rn->nskips + 1) * sizeof *rn->skips);
    rn->skips[rn->nskips].path = acc_xstrdup(where);
    rn->skips[rn->nskips].why = acc_xstrdup(why);
    rn->nskips++;
    pthread_mutex_unlock(&rn->skip_mu);
}

void report_summary(run *rn, double secs)
{
    unsigned long docs = acc_writer_doccount(rn->w);
    if (rn->json) {
        json_t *o = json_object(), *sk = json_array();
        for (size_t i = 0; i < rn->nskips; i++)
            json_array_append_new(sk, json_pack("{s:s?,s:s?}", "path", rn->skips[i].path, "reason",
                                                rn->skips[i].why));
        json_object_set_new(o, "added", json_integer((json_int_t)rn->added));
        json_object_set_new(o, "updated", json_integer((json_int_t)rn->updated));
        json_object_set_new(o, "deleted", json_integer((json_int_t)rn->deleted));
        json_object_set_new(o, "unchanged", json_integer((json_int_t)rn->unchanged));
        json_object_set_new(o, "skipped", json_integer((json_int_t)rn->skipped));
        json_object_set_new(o, "unknown_format", json_integer((json_int_t)rn->unknown));
        json_object_set_new(o, "repaired", json_integer((json_int_t)rn->repaired));
        json_object_set_new(o, "bytes", json_integer((json_int_t)rn->bytes));
        json_object_set_new(o, "seconds", json_real(secs));
        json_object_set_new(o, "documents", json_integer((json_int_t)docs));
        json_object_set_new(o, "languages", json_incref(rn->langs));
        json_object_set_new(o, "topics", json_incref(rn->topics));
        json_object_set_new(o, "skipped_files", sk);
        json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
        json_decref(o);
    }
    if (rn->quiet)
        return;
    acc_buf langs, topics;
    const char *key;
    json_t *val;
    acc_buf_init(&langs, 0);
    acc_buf_init(&topics, 0);
    json_object_foreach(rn->langs, key, val)
    {
        acc_buf_printf(&langs, "%s%s %lld", langs.n ? ", " : "", key,
                       (long long)json_integer_value(val));
    }
    json_object_foreach(rn->topics, key, val)
    {
        acc_buf_printf(&topics, "%s%s %lld", topics.n ? ", " : "", key,
                       (long long)json_integer_value(val));
    }
    fprintf(stderr,
            "accord-index: %lu added, %lu updated, %lu deleted, %lu unchanged, %lu skipped, "
            "%lu repaired, %lu of unknown format\n"
            "  %.1f MB of text in %.2f s (%.2f MB/s); %lu documents in '%s'\n"
            "  languages: %s\n  topics: %s\n",
            rn->added, rn->updated, rn->deleted, rn->unchanged, rn->skipped, rn->repaired,
            rn->unknown, (double)rn->bytes / 1e6, secs,
            secs > 0 ? (double)rn->bytes / 1e6 / secs : 0.0, docs, rn->index,
            langs.p ? langs.p : "-", topics.p ? topics.p : "-");
    for (size_t i = 0; i < rn->nskips && i < 50; i++)
        fprintf(stderr, "  skipped %s: %s\n", rn->skips[i].path, rn->skips[i].why);
    if (rn->nskips > 50)
        fprintf(stderr, "  ... and %zu more skipped (see the warnings above)\n", rn->nskips - 50);
    acc_buf_release(&langs);
    acc_buf_release(&topics);
}
