/*
 * tests/fuzz/fuzz_http.c: accord-searchd's request handling (the files of searchd/ but
 * main.c: routing, parameters, the answer cache, the worker pool, the
 * connection guard) behind libmicrohttpd, as a client sees it. The daemon
 * runs in the fuzzer's process over the small index of fuzz_util.c, on a
 * loopback port; each input is sent as the raw bytes of one connection (a
 * request line, headers, maybe a body, maybe several pipelined requests),
 * followed by a last "GET /health HTTP/1.0" after which the server closes
 * (2,700 inputs a second instead of 38 when each waited for silence), then
 * the answers are read. A 500, 502 or 504 is a crash: a user's bytes
 * must never make the server fail.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "accord/log.h"
#include "fuzz_util.h"
#include "server.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static struct server server;
static unsigned short port;

static void close_db(void *p)
{
    acc_index_close(p);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    struct server *s = &server;
    struct sockaddr_in sa;
    (void)argc;
    (void)argv;
    acc_log_setup("fuzz_http", ACC_LOG_ERROR);
    pthread_mutex_init(&s->log.lock, NULL);
    pthread_mutex_init(&s->pool.lock, NULL);
    pthread_cond_init(&s->pool.cond, NULL);
    s->index_paths[0] = fz_index_path();
    s->nindexes = 1;
    s->log.path = "/dev/null";
    s->cache = acc_cache_new((size_t)1 << 20);
    if (accesslog_open(&s->log) != 0 || pthread_key_create(&s->db_key, close_db) != 0 ||
        pool_start(s, 2) != 0 || guard_start(&s->guard, 64, 5) != 0)
        abort();
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_Daemon *d = http_start(s, (const struct sockaddr *)&sa, 64, 64);
    if (!d)
        abort();
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    port = info ? info->port : 0;
    if (!port)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    struct sockaddr_in sa;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return 0;
    }
    /* the input, then a last request that asks the server to close once it has answered (when
       the input left the parser in step), so that the answers end without waiting for silence */
    static const char last[] = "\r\n\r\nGET /health HTTP/1.0\r\n\r\n";
    for (int part = 0; part < 2; part++) {
        const uint8_t *b = part ? (const uint8_t *)last : d;
        size_t bn = part ? sizeof last - 1 : n, off = 0;
        while (off < bn) {
            ssize_t k = send(fd, b + off, bn - off, MSG_NOSIGNAL);
            if (k <= 0)
                break;
            off += (size_t)k;
        }
    }
    shutdown(fd, SHUT_WR);
    /* the answers, until the server closes (the header deadline bounds a half request) */
    char buf[65536];
    size_t got = 0;
    for (;;) {
        /* up to 500 ms for the first bytes (a search takes a few), then until the server closes
           or 100 ms of silence (when the input's own body swallowed the last request) */
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, got ? 100 : 500) <= 0)
            break;
        ssize_t k = recv(fd, buf + (got < sizeof buf - 4096 ? got : 0), 4096, 0);
        if (k <= 0)
            break;
        if (got < sizeof buf - 4096)
            got += (size_t)k;
    }
    close(fd);
    /* the requests of this input finished (a worker may still be searching when the answers
       stopped coming): whatever they leak is reported against this input, not a later one */
    for (int i = 0; i < 400 && atomic_load(&server.inflight) > 0; i++)
        nanosleep(&(struct timespec){0, 5000000}, NULL);
    /* every status line in what came back: no 5xx but 503 (the index busy or gone) and
       libmicrohttpd's own 501 and 505 (a method or HTTP version it does not speak) */
    for (size_t i = 0; i + 12 < got; i++)
        if (memcmp(buf + i, "HTTP/1.", 7) == 0 && buf[i + 8] == ' ' && buf[i + 9] == '5' &&
            !(buf[i + 10] == '0' && strchr("135", buf[i + 11]))) {
            fprintf(stderr, "fuzz_http: a %.3s answer\n", buf + i + 9);
            abort();
        }
    return 0;
}
