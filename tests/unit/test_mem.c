/*
 * Aborting allocators and the capped buffer (lib/mem.c, include/accord/mem.h):
 * zero sizes, copies, exhaustion (a child process must print the message and
 * abort), and acc_buf: NUL termination, growth, the hard cap and `toobig`,
 * printf on both sides of its stack buffer, reset, release and detach.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "accord/mem.h"

static const char *self; /* argv[0], re-run for the exhaustion cases */

static void test_alloc(void **state)
{
    (void)state;
    char *p = acc_xmalloc(0);
    assert_non_null(p);
    free(p);
    p = acc_xmalloc(100);
    memset(p, 'x', 100);
    p = acc_xrealloc(p, 100000);
    for (int i = 0; i < 100; i++)
        assert_int_equal(p[i], 'x');
    p = acc_xrealloc(p, 0);
    assert_non_null(p);
    free(p);
    p = acc_xrealloc(NULL, 10);
    assert_non_null(p);
    free(p);

    unsigned char *z = acc_xcalloc(1000, 4);
    for (int i = 0; i < 4000; i++)
        assert_int_equal(z[i], 0);
    free(z);
    z = acc_xcalloc(0, 0);
    assert_non_null(z);
    free(z);
    z = acc_xcalloc(0, 8);
    assert_non_null(z);
    free(z);

    char *s = acc_xstrdup("héllo");
    assert_string_equal(s, "héllo");
    free(s);
    s = acc_xstrdup("");
    assert_string_equal(s, "");
    free(s);
    /* strndup copies n bytes, NUL bytes included, and terminates */
    s = acc_xstrndup("a\0b\0c", 5);
    assert_memory_equal(s, "a\0b\0c", 6);
    free(s);
    s = acc_xstrndup("abcdef", 3);
    assert_string_equal(s, "abc");
    free(s);
    s = acc_xstrndup("", 0);
    assert_string_equal(s, "");
    free(s);
    /* n bytes are read, no NUL needed after them */
    char raw[4] = {'w', 'x', 'y', 'z'};
    s = acc_xstrndup(raw, 4);
    assert_string_equal(s, "wxyz");
    free(s);
}

/* In the child: exhaust one allocator (never returns). */
static int exhaust(const char *which)
{
    void *p = NULL;
    if (strcmp(which, "malloc") == 0)
        p = acc_xmalloc(SIZE_MAX - 4096);
    else if (strcmp(which, "calloc") == 0)
        p = acc_xcalloc((size_t)1 << 40, (size_t)1 << 20);
    else if (strcmp(which, "realloc") == 0)
        p = acc_xrealloc(acc_xmalloc(1), SIZE_MAX - 4096);
    else if (strcmp(which, "strndup") == 0)
        p = acc_xstrndup("x", SIZE_MAX - 4096);
    free(p);
    return 0; /* not reached when the allocator aborts */
}

/* Runs `self --oom which`; returns its stderr; *sig is the signal that ended it. */
static char *run_oom(const char *which, int *sig)
{
    int fds[2];
    static char out[4096];
    size_t n = 0;
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        /* under AddressSanitizer a failed allocation must return NULL, as libc's does */
        const char *asan = getenv("ASAN_OPTIONS");
        char opts[1024];
        snprintf(opts, sizeof opts, "%s%sallocator_may_return_null=1", asan ? asan : "",
                 asan && *asan ? ":" : "");
        setenv("ASAN_OPTIONS", opts, 1);
        execl(self, self, "--oom", which, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    for (;;) {
        ssize_t k = read(fds[0], out + n, sizeof out - 1 - n);
        if (k <= 0)
            break;
        n += (size_t)k;
    }
    out[n] = '\0';
    close(fds[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    *sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    return out;
}

static void test_exhaustion(void **state)
{
    char want[128];
    int sig = 0;
    (void)state;
    const char *err = run_oom("malloc", &sig);
    assert_int_equal(sig, SIGABRT);
    snprintf(want, sizeof want, "accord: out of memory allocating %zu bytes\n", SIZE_MAX - 4096);
    assert_non_null(strstr(err, want));

    err = run_oom("calloc", &sig);
    assert_int_equal(sig, SIGABRT);
    snprintf(want, sizeof want, "accord: out of memory allocating %zu bytes\n", (size_t)1 << 60);
    assert_non_null(strstr(err, want));

    err = run_oom("realloc", &sig);
    assert_int_equal(sig, SIGABRT);
    snprintf(want, sizeof want, "accord: out of memory allocating %zu bytes\n", SIZE_MAX - 4096);
    assert_non_null(strstr(err, want));

    err = run_oom("strndup", &sig);
    assert_int_equal(sig, SIGABRT);
    snprintf(want, sizeof want, "accord: out of memory allocating %zu bytes\n", SIZE_MAX - 4095);
    assert_non_null(strstr(err, want));
}

/* the reserve against running out of memory (acc_mem_reserve) */
static void test_reserve(void **state)
{
    (void)state;
    assert_int_equal(acc_mem_give_back(), 0); /* none set aside yet */
    assert_int_equal(acc_mem_low(), 0);
    assert_int_equal(acc_mem_reserve((size_t)8 << 20), 0);
    assert_int_equal(acc_mem_reserve((size_t)8 << 20), 0); /* one reserve at a time */
    assert_int_equal(acc_mem_low(), 0);
    assert_int_equal(acc_mem_give_back(), 1);
    assert_int_equal(acc_mem_low(), 1); /* until set aside again */
    assert_int_equal(acc_mem_give_back(), 0);
    void *p = acc_mem_try_malloc(64);
    assert_non_null(p);
    free(p);
    assert_int_equal(acc_mem_reserve((size_t)8 << 20), 0);
    assert_int_equal(acc_mem_low(), 0);
    assert_int_equal(acc_mem_give_back(), 1);
}

static void test_buf_basics(void **state)
{
    acc_buf b;
    (void)state;
    memset(&b, 0x5A, sizeof b);
    acc_buf_init(&b, 0);
    assert_null(b.p);
    assert_int_equal(b.n, 0);
    assert_int_equal(b.alloc, 0);
    assert_int_equal(b.cap, 0);
    assert_int_equal(b.toobig, 0);

    /* appending nothing still gives a terminated string */
    assert_int_equal(acc_buf_append(&b, "", 0), 0);
    assert_non_null(b.p);
    assert_string_equal(b.p, "");
    assert_int_equal(b.n, 0);

    assert_int_equal(acc_buf_append(&b, "abc", 3), 0);
    assert_int_equal(acc_buf_putc(&b, 'd'), 0);
    assert_int_equal(acc_buf_printf(&b, "-%d-%s", 42, "é"), 0);
    assert_int_equal(b.n, 10);
    assert_string_equal(b.p, "abcd-42-é");
    /* (p, n) input: only n bytes, and NUL bytes are data */
    assert_int_equal(acc_buf_append(&b, "xyz", 1), 0);
    assert_int_equal(acc_buf_putc(&b, '\0'), 0);
    assert_int_equal(b.n, 12);
    assert_memory_equal(b.p, "abcd-42-éx\0", 13);
    assert_true(b.alloc > b.n);

    /* growth keeps everything, and the terminator */
    acc_buf_reset(&b);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(acc_buf_putc(&b, (char)('a' + i % 26)), 0);
    assert_int_equal(b.n, 100000);
    assert_int_equal(b.p[100000], '\0');
    for (int i = 0; i < 100000; i++)
        assert_int_equal(b.p[i], 'a' + i % 26);
    char big[70000];
    memset(big, 'q', sizeof big);
    assert_int_equal(acc_buf_append(&b, big, sizeof big), 0);
    assert_int_equal(b.n, 170000);
    assert_int_equal(b.p[b.n], '\0');
    assert_int_equal(b.p[b.n - 1], 'q');

    /* reset empties and keeps the memory */
    char *mem = b.p;
    size_t alloc = b.alloc;
    acc_buf_reset(&b);
    assert_int_equal(b.n, 0);
    assert_ptr_equal(b.p, mem);
    assert_int_equal(b.alloc, alloc);
    assert_string_equal(b.p, "");

    acc_buf_release(&b);
    assert_null(b.p);
    assert_int_equal(b.n, 0);
    assert_int_equal(b.alloc, 0);
    acc_buf_release(&b); /* twice is fine */
    /* reset of a buffer that holds nothing */
    acc_buf_reset(&b);
    assert_null(b.p);
}

static void test_buf_printf(void **state)
{
    acc_buf b;
    (void)state;
    acc_buf_init(&b, 0);
    /* lengths around the 256-byte stack buffer of acc_buf_printf */
    for (int len = 250; len <= 262; len++) {
        acc_buf_reset(&b);
        assert_int_equal(acc_buf_printf(&b, "<%0*d>", len - 2, 7), 0);
        assert_int_equal(b.n, (size_t)len);
        assert_int_equal(b.p[0], '<');
        assert_int_equal(b.p[len - 2], '7');
        assert_int_equal(b.p[len - 1], '>');
        assert_int_equal(b.p[len], '\0');
    }
    acc_buf_reset(&b);
    assert_int_equal(acc_buf_printf(&b, "%s", ""), 0);
    assert_int_equal(b.n, 0);
    assert_int_equal(acc_buf_printf(&b, "%5000s|", "end"), 0);
    assert_int_equal(b.n, 5001);
    assert_memory_equal(b.p + 4997, "end|", 5);
    acc_buf_release(&b);
}

static void test_buf_cap(void **state)
{
    acc_buf b;
    (void)state;
    acc_buf_init(&b, 8);
    assert_int_equal(b.cap, 8);
    assert_int_equal(acc_buf_append(&b, "12345", 5), 0);
    assert_int_equal(acc_buf_append(&b, "6789", 4), -1);
    assert_int_equal(b.toobig, 1);
    /* contents unchanged by the failed append */
    assert_int_equal(b.n, 5);
    assert_string_equal(b.p, "12345");
    /* exactly up to the cap is allowed */
    assert_int_equal(acc_buf_append(&b, "678", 3), 0);
    assert_int_equal(b.n, 8);
    assert_string_equal(b.p, "12345678");
    assert_int_equal(acc_buf_putc(&b, '9'), -1);
    assert_int_equal(acc_buf_printf(&b, "%d", 9), -1);
    assert_int_equal(acc_buf_append(&b, "", 0), 0);
    assert_string_equal(b.p, "12345678");
    /* a huge length fails without overflow and without reading the source */
    assert_int_equal(acc_buf_append(&b, "x", SIZE_MAX), -1);
    assert_int_equal(acc_buf_append(&b, "x", SIZE_MAX - 4), -1);
    assert_string_equal(b.p, "12345678");

    /* reset clears toobig and keeps the cap */
    acc_buf_reset(&b);
    assert_int_equal(b.toobig, 0);
    assert_int_equal(b.cap, 8);
    assert_int_equal(acc_buf_printf(&b, "%s", "123456789"), -1);
    assert_int_equal(b.toobig, 1);
    assert_int_equal(b.n, 0);
    acc_buf_reset(&b);
    /* printf past the stack buffer, past the cap */
    acc_buf_release(&b);
    assert_int_equal(b.cap, 8);
    acc_buf_init(&b, 300);
    assert_int_equal(acc_buf_printf(&b, "%0299d", 1), 0);
    assert_int_equal(acc_buf_printf(&b, "%0300d", 1), -1);
    assert_int_equal(b.n, 299);
    assert_int_equal(acc_buf_putc(&b, 'x'), 0);
    assert_int_equal(b.n, 300);
    assert_int_equal(acc_buf_putc(&b, 'y'), -1);
    assert_int_equal(b.p[299], 'x');
    assert_int_equal(b.p[300], '\0');
    acc_buf_release(&b);

    /* a cap of 1 */
    acc_buf_init(&b, 1);
    assert_int_equal(acc_buf_putc(&b, 'a'), 0);
    assert_int_equal(acc_buf_putc(&b, 'b'), -1);
    assert_string_equal(b.p, "a");
    acc_buf_release(&b);
}

static void test_buf_detach(void **state)
{
    acc_buf b;
    size_t len = 99;
    (void)state;
    /* nothing appended: "" all the same, never NULL */
    acc_buf_init(&b, 16);
    char *s = acc_buf_detach(&b, &len);
    assert_non_null(s);
    assert_string_equal(s, "");
    assert_int_equal(len, 0);
    free(s);
    s = acc_buf_detach(&b, NULL);
    assert_string_equal(s, "");
    free(s);

    acc_buf_append(&b, "hello\0world", 11);
    acc_buf_append(&b, "this is too long", 16);
    assert_int_equal(b.toobig, 1);
    s = acc_buf_detach(&b, &len);
    assert_int_equal(len, 11);
    assert_memory_equal(s, "hello\0world", 12);
    /* b is reset: empty, owns nothing, same cap, usable again */
    assert_null(b.p);
    assert_int_equal(b.n, 0);
    assert_int_equal(b.alloc, 0);
    assert_int_equal(b.cap, 16);
    assert_int_equal(b.toobig, 0);
    assert_int_equal(acc_buf_append(&b, "again", 5), 0);
    assert_string_equal(b.p, "again");
    assert_ptr_not_equal(b.p, s);
    free(s);
    s = acc_buf_detach(&b, NULL);
    assert_string_equal(s, "again");
    free(s);
    acc_buf_release(&b);
}

static void test_hash_words(void **state)
{
    (void)state;
    /* every length up to 3 words, and one changed byte anywhere, change the hash */
    char b[25];
    memset(b, 'x', sizeof b);
    uint64_t seen[25];
    for (size_t n = 0; n < sizeof b; n++) {
        seen[n] = acc_hash_words(b, n, ACC_FNV_INIT);
        for (size_t k = 0; k < n; k++)
            assert_true(seen[k] != seen[n]);
        for (size_t at = 0; at < n; at++) {
            b[at] = 'y';
            assert_true(acc_hash_words(b, n, ACC_FNV_INIT) != seen[n]);
            b[at] = 'x';
        }
    }
    assert_true(acc_hash_words("a", 1, ACC_FNV_INIT) != acc_hash_words("a\0", 2, ACC_FNV_INIT));
    assert_true(acc_hash_words("ab", 2, 1) != acc_hash_words("ab", 2, 2)); /* continues from h */
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--oom") == 0)
        return exhaust(argv[2]);
    self = argv[0];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc),      cmocka_unit_test(test_exhaustion),
        cmocka_unit_test(test_buf_basics), cmocka_unit_test(test_buf_printf),
        cmocka_unit_test(test_buf_cap),    cmocka_unit_test(test_buf_detach),
        cmocka_unit_test(test_reserve),    cmocka_unit_test(test_hash_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
