/*
 * searchd/metrics.c: what /metrics reports, in Prometheus' text format:
 * requests by route and status class, a latency histogram per route, the
 * index revision served and how many new ones were picked up, the queue
 * length, and the answer cache. Counters are atomics: any thread counts.
 */
#include "accord/mem.h"
#include "server.h"

static const char *const route_names[R_COUNT] = {"search", "suggest", "doc",    "similar", "health",
                                                 "stats",  "metrics", "static", "other"};
static const double buckets[NBUCKETS] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                         0.1,   0.25,   0.5,   1,    2.5};

void metrics_note_revision(struct metrics *m, unsigned long rev)
{
    unsigned long old = atomic_load(&m->revision_seen);
    while (rev > old) {
        if (atomic_compare_exchange_weak(&m->revision_seen, &old, rev)) {
            if (old != 0)
                atomic_fetch_add(&m->reloads, 1);
            break;
        }
    }
}

void metrics_count(struct metrics *m, enum route r, unsigned status, double secs)
{
    unsigned cls = status >= 100 && status < 600 ? status / 100 : 4;
    atomic_fetch_add(&m->requests[r][cls], 1);
    size_t b = 0;
    while (b < NBUCKETS && secs > buckets[b])
        b++;
    atomic_fetch_add(&m->latency_bucket[r][b], 1);
    atomic_fetch_add(&m->latency_sum_us[r], (unsigned long)(secs * 1e6));
}

char *metrics_text(struct metrics *m, acc_cache *cache, struct guard *g, size_t *n)
{
    acc_buf b;
    acc_buf_init(&b, 0);
    acc_buf_printf(&b, "# HELP accord_requests_total HTTP requests by route and status class.\n"
                       "# TYPE accord_requests_total counter\n");
    for (int r = 0; r < R_COUNT; r++)
        for (int k = 1; k <= 5; k++)
            acc_buf_printf(&b, "accord_requests_total{route=\"%s\",status=\"%dxx\"} %lu\n",
                           route_names[r], k, atomic_load(&m->requests[r][k]));
    acc_buf_printf(&b, "# HELP accord_request_seconds Time to answer a request.\n"
                       "# TYPE accord_request_seconds histogram\n");
    for (int r = 0; r < R_COUNT; r++) {
        unsigned long cum = 0;
        for (size_t i = 0; i <= NBUCKETS; i++) {
            cum += atomic_load(&m->latency_bucket[r][i]);
            if (i < NBUCKETS)
                acc_buf_printf(&b, "accord_request_seconds_bucket{route=\"%s\",le=\"%g\"} %lu\n",
                               route_names[r], buckets[i], cum);
            else
                acc_buf_printf(&b, "accord_request_seconds_bucket{route=\"%s\",le=\"+Inf\"} %lu\n",
                               route_names[r], cum);
        }
        acc_buf_printf(&b, "accord_request_seconds_sum{route=\"%s\"} %.6f\n", route_names[r],
                       (double)atomic_load(&m->latency_sum_us[r]) / 1e6);
        acc_buf_printf(&b, "accord_request_seconds_count{route=\"%s\"} %lu\n", route_names[r], cum);
    }
    acc_buf_printf(&b,
                   "# HELP accord_index_revision Index revision last served.\n"
                   "# TYPE accord_index_revision gauge\naccord_index_revision %lu\n"
                   "# HELP accord_index_reloads_total New index revisions picked up.\n"
                   "# TYPE accord_index_reloads_total counter\naccord_index_reloads_total %lu\n",
                   atomic_load(&m->revision_seen), atomic_load(&m->reloads));
    acc_buf_printf(&b,
                   "# HELP accord_queued_jobs Requests waiting for a worker.\n"
                   "# TYPE accord_queued_jobs gauge\naccord_queued_jobs %lu\n",
                   atomic_load(&m->queued_now));
    acc_buf_printf(
        &b,
        "# HELP accord_memory_low Whether an allocation failed and the memory reserve "
        "is not back yet (new requests get 503).\n"
        "# TYPE accord_memory_low gauge\naccord_memory_low %d\n"
        "# HELP accord_low_memory_refused_total Requests refused while short of memory.\n"
        "# TYPE accord_low_memory_refused_total counter\n"
        "accord_low_memory_refused_total %lu\n",
        acc_mem_low(), atomic_load(&m->low_memory));
    unsigned long hits, misses;
    size_t bytes, entries;
    acc_cache_stats(cache, &hits, &misses, &bytes, &entries);
    acc_buf_printf(&b,
                   "# HELP accord_cache_hits_total Answers sent from the answer cache.\n"
                   "# TYPE accord_cache_hits_total counter\naccord_cache_hits_total %lu\n"
                   "# HELP accord_cache_misses_total Cacheable requests not in the cache.\n"
                   "# TYPE accord_cache_misses_total counter\naccord_cache_misses_total %lu\n"
                   "# HELP accord_cache_bytes Memory held by the answer cache.\n"
                   "# TYPE accord_cache_bytes gauge\naccord_cache_bytes %zu\n"
                   "# HELP accord_cache_entries Answers in the answer cache.\n"
                   "# TYPE accord_cache_entries gauge\naccord_cache_entries %zu\n",
                   hits, misses, bytes, entries);
    acc_buf_printf(&b,
                   "# HELP accord_connections Open connections.\n"
                   "# TYPE accord_connections gauge\naccord_connections %u\n"
                   "# HELP accord_connections_closed_total Connections the guard closed: no whole "
                   "request within the header deadline, or shed near the connection limit.\n"
                   "# TYPE accord_connections_closed_total counter\n"
                   "accord_connections_closed_total{reason=\"deadline\"} %lu\n"
                   "accord_connections_closed_total{reason=\"shed\"} %lu\n",
                   guard_open(g), atomic_load(&g->closed_deadline), atomic_load(&g->closed_shed));
    return acc_buf_detach(&b, n);
}
