/*
 * Status codes and the error buffer (lib/status.c, include/accord/status.h),
 * and program logging (lib/log.c, include/accord/log.h): every status has its
 * own text; acc_error_set and acc_error_prefix truncate to fit and accept a
 * NULL buffer; log lines read "prog: level: message" and honour the level.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <unistd.h>

#include "accord/log.h"
#include "accord/status.h"

static void test_status_str(void **state)
{
    (void)state;
    assert_string_equal(acc_status_str(ACC_OK), "ok");
    assert_string_equal(acc_status_str(ACC_EINVAL), "invalid input");
    assert_string_equal(acc_status_str(ACC_EIO), "input/output error");
    assert_string_equal(acc_status_str(ACC_ENOTFOUND), "not found");
    assert_non_null(strstr(acc_status_str(ACC_EDB_LOCKED), "index is locked"));
    /* every status has a text of its own */
    for (int s = 0; s < ACC_STATUS_COUNT; s++) {
        const char *t = acc_status_str((acc_status)s);
        assert_non_null(t);
        assert_true(strlen(t) > 0);
        assert_string_not_equal(t, "unknown status");
        for (int o = 0; o < s; o++)
            assert_string_not_equal(t, acc_status_str((acc_status)o));
    }
    assert_string_equal(acc_status_str(ACC_STATUS_COUNT), "unknown status");
    assert_string_equal(acc_status_str((acc_status)(ACC_STATUS_COUNT + 7)), "unknown status");
    assert_string_equal(acc_status_str((acc_status)-1), "unknown status");
}

static void test_error_set(void **state)
{
    acc_error err;
    (void)state;
    memset(&err, 0x7F, sizeof err);
    assert_int_equal(acc_error_set(&err, ACC_EIO, "cannot open '%s': %d", "x.txt", 2), ACC_EIO);
    assert_int_equal(err.code, ACC_EIO);
    assert_string_equal(err.msg, "cannot open 'x.txt': 2");
    /* NULL err: only the status */
    assert_int_equal(acc_error_set(NULL, ACC_EDB_CORRUPT, "ignored %d", 1), ACC_EDB_CORRUPT);
    assert_int_equal(acc_error_set(&err, ACC_OK, "%s", ""), ACC_OK);
    assert_int_equal(err.code, ACC_OK);
    assert_string_equal(err.msg, "");

    /* a long message is cut to fit the buffer, terminated */
    char big[1000];
    memset(big, 'm', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(acc_error_set(&err, ACC_EINVAL, "<%s>", big), ACC_EINVAL);
    assert_int_equal(strlen(err.msg), sizeof err.msg - 1);
    assert_int_equal(err.msg[0], '<');
    assert_int_equal(err.msg[sizeof err.msg - 2], 'm');
}

static void test_error_prefix(void **state)
{
    acc_error err;
    char big[600];
    (void)state;
    acc_error_set(&err, ACC_EDB_NOTFOUND, "no such directory");
    assert_int_equal(acc_error_prefix(&err, ACC_EIO, "cannot open index '%s'", "x.db"), ACC_EIO);
    assert_int_equal(err.code, ACC_EIO);
    assert_string_equal(err.msg, "cannot open index 'x.db': no such directory");
    /* twice: contexts nest, outermost first */
    acc_error_prefix(&err, ACC_EIO, "run %d", 2);
    assert_string_equal(err.msg, "run 2: cannot open index 'x.db': no such directory");
    /* the lower message is text, not a format */
    acc_error_set(&err, ACC_EINVAL, "%s", "100%s %d sure");
    acc_error_prefix(&err, ACC_EINVAL, "ctx");
    assert_string_equal(err.msg, "ctx: 100%s %d sure");
    assert_int_equal(acc_error_prefix(NULL, ACC_EQUERY, "ctx %d", 1), ACC_EQUERY);

    /* cut to the buffer, terminated: a long message... */
    memset(big, 'm', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    acc_error_set(&err, ACC_EIO, "%s", big);
    acc_error_prefix(&err, ACC_EIO, "ctx");
    assert_int_equal(strlen(err.msg), sizeof err.msg - 1);
    assert_memory_equal(err.msg, "ctx: mmm", 8);
    /* ...a long context: the context first */
    acc_error_set(&err, ACC_EIO, "lower");
    acc_error_prefix(&err, ACC_EIO, "%.300s", big);
    assert_int_equal(strlen(err.msg), sizeof err.msg - 1);
    assert_int_equal(err.msg[0], 'm');
    assert_null(strstr(err.msg, "lower"));
    /* a context one byte short of the buffer */
    acc_error_set(&err, ACC_EIO, "lower");
    acc_error_prefix(&err, ACC_EIO, "%.*s", (int)sizeof err.msg - 2, big);
    assert_int_equal(strlen(err.msg), sizeof err.msg - 1);
    assert_int_equal(err.msg[sizeof err.msg - 2], ':');
}

/* ---- logging: stderr captured in a temporary file ---- */

static char captured[4096];

typedef struct capture {
    FILE *tmp;
    int saved;
} capture;

static void capture_start(capture *c)
{
    fflush(stderr);
    c->tmp = tmpfile();
    assert_non_null(c->tmp);
    c->saved = dup(2);
    assert_true(c->saved >= 0);
    assert_true(dup2(fileno(c->tmp), 2) >= 0);
}

static const char *capture_end(capture *c)
{
    fflush(stderr);
    assert_true(dup2(c->saved, 2) >= 0);
    close(c->saved);
    rewind(c->tmp);
    size_t n = fread(captured, 1, sizeof captured - 1, c->tmp);
    captured[n] = '\0';
    fclose(c->tmp);
    return captured;
}

/* runs first: the defaults before any acc_log_setup */
static void test_log_defaults(void **state)
{
    capture c;
    (void)state;
    capture_start(&c);
    acc_log(ACC_LOG_INFO, "indexed %d documents in %.1f s", 12, 0.5);
    acc_log(ACC_LOG_DEBUG, "not shown");
    acc_log(ACC_LOG_ERROR, "disk full");
    assert_string_equal(capture_end(&c),
                        "accord: info: indexed 12 documents in 0.5 s\naccord: error: disk full\n");
}

static void test_log_levels(void **state)
{
    capture c;
    (void)state;
    acc_log_setup("accord-index", ACC_LOG_WARN);
    capture_start(&c);
    acc_log(ACC_LOG_DEBUG, "d");
    acc_log(ACC_LOG_INFO, "i");
    acc_log(ACC_LOG_WARN, "'%s': invalid date '%s', ignored", "a.txt", "2019-13");
    acc_log(ACC_LOG_ERROR, "e");
    assert_string_equal(capture_end(&c),
                        "accord-index: warning: 'a.txt': invalid date '2019-13', ignored\n"
                        "accord-index: error: e\n");

    acc_log_setup("accord-searchd", ACC_LOG_DEBUG);
    capture_start(&c);
    acc_log(ACC_LOG_DEBUG, "d");
    acc_log(ACC_LOG_INFO, "i");
    assert_string_equal(capture_end(&c), "accord-searchd: debug: d\naccord-searchd: info: i\n");

    acc_log_setup("q", ACC_LOG_ERROR);
    capture_start(&c);
    acc_log(ACC_LOG_WARN, "w");
    acc_log(ACC_LOG_INFO, "i");
    acc_log(ACC_LOG_ERROR, "only this");
    assert_string_equal(capture_end(&c), "q: error: only this\n");
}

static void test_log_long_line(void **state)
{
    capture c;
    char big[3000];
    (void)state;
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    acc_log_setup("p", ACC_LOG_INFO);
    capture_start(&c);
    acc_log(ACC_LOG_INFO, "%s", big);
    acc_log(ACC_LOG_INFO, "next");
    const char *out = capture_end(&c);
    /* one line, the message cut (1023 bytes), then the next line whole */
    const char *nl = strchr(out, '\n');
    assert_non_null(nl);
    assert_int_equal((size_t)(nl - out), strlen("p: info: ") + 1023);
    assert_string_equal(nl + 1, "p: info: next\n");
    acc_log_setup("accord", ACC_LOG_INFO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_log_defaults), cmocka_unit_test(test_status_str),
        cmocka_unit_test(test_error_set),    cmocka_unit_test(test_error_prefix),
        cmocka_unit_test(test_log_levels),   cmocka_unit_test(test_log_long_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
