/*
 * searchd/accesslog.c: the access log, one line per request (time, client,
 * method, URI, status, milliseconds) to stderr or a file; SIGHUP makes the
 * next line reopen the file (log rotation). One lock: a line is one write.
 */
#include <stdio.h>
#include <time.h>

#include "server.h"

int accesslog_open(struct access_log *log)
{
    if (!log->path)
        return 0;
    log->f = fopen(log->path, "a");
    return log->f ? 0 : -1;
}

void accesslog_write(struct access_log *log, const char *ip, const char *method, const char *url,
                     unsigned status, double ms)
{
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    pthread_mutex_lock(&log->lock);
    if (log->reopen && log->path) {
        log->reopen = 0;
        FILE *f = fopen(log->path, "a");
        if (f) {
            if (log->f)
                fclose(log->f);
            log->f = f;
        }
    }
    fprintf(log->f ? log->f : stderr, "%s %s %s %.300s %u %.2fms\n", when, ip, method, url, status,
            ms);
    fflush(log->f ? log->f : stderr);
    pthread_mutex_unlock(&log->lock);
}

void accesslog_close(struct access_log *log)
{
    if (log->f)
        fclose(log->f);
    log->f = NULL;
}
