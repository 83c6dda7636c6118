/*
 * Option values and --version (lib/opt.c, include/accord/opt.h): the numbers
 * accepted and refused, the message, *out unchanged on error, the unsigned
 * variant at its bounds, and the version text of the three programs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <limits.h>
#include <utf8proc.h>

#include "accord/opt.h"

#if !defined(ACC_TEST_VERSION) || !defined(ACC_TEST_XAPIAN_VERSION)
#error "ACC_TEST_VERSION and ACC_TEST_XAPIAN_VERSION are set by tests/CMakeLists.txt"
#endif

static void expect_long(const char *v, long min, long max, long want)
{
    long out = 12345;
    acc_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(acc_opt_long("--n", v, min, max, &out, &err), ACC_OK);
    assert_int_equal(out, want);
}

static void expect_long_bad(const char *name, const char *v, long min, long max, const char *msg)
{
    long out = 12345;
    acc_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(acc_opt_long(name, v, min, max, &out, &err), ACC_EINVAL);
    assert_int_equal(err.code, ACC_EINVAL);
    assert_int_equal(out, 12345); /* unchanged */
    assert_string_equal(err.msg, msg);
}

static void test_opt_long(void **state)
{
    (void)state;
    expect_long("0", 0, 65535, 0);
    expect_long("8080", 0, 65535, 8080);
    expect_long("65535", 0, 65535, 65535);
    expect_long("007", 0, 10, 7);
    expect_long("1", 1, 1, 1);
    /* up to 18 digits: no overflow */
    expect_long("999999999999999999", 0, LONG_MAX, 999999999999999999L);

    const char *m = "invalid --port 'x': expected 0-65535";
    expect_long_bad("--port", "x", 0, 65535, m);
    expect_long_bad("--port", NULL, 0, 65535, "invalid --port '': expected 0-65535");
    expect_long_bad("--port", "", 0, 65535, "invalid --port '': expected 0-65535");
    expect_long_bad("--port", "65536", 0, 65535, "invalid --port '65536': expected 0-65535");
    expect_long_bad("--port", "-1", 0, 65535, "invalid --port '-1': expected 0-65535");
    /* a sign is refused where min >= 0, even when the number would fit */
    expect_long_bad("--port", "+80", 0, 65535, "invalid --port '+80': expected 0-65535");
    expect_long_bad("--port", "-0", 0, 65535, "invalid --port '-0': expected 0-65535");
    expect_long_bad("-n", "12abc", 0, 100, "invalid -n '12abc': expected 0-100");
    expect_long_bad("-n", "1.5", 0, 100, "invalid -n '1.5': expected 0-100");
    expect_long_bad("-n", "1e2", 0, 100, "invalid -n '1e2': expected 0-100");
    expect_long_bad("-n", "0x10", 0, 100, "invalid -n '0x10': expected 0-100");
    expect_long_bad("-n", "5 ", 0, 100, "invalid -n '5 ': expected 0-100");
    /* digits only: no blanks before (strtol would skip them) */
    expect_long_bad("-n", " 80", 0, 100, "invalid -n ' 80': expected 0-100");
    expect_long_bad("-n", "\t+80", 0, 100, "invalid -n '\t+80': expected 0-100");
    expect_long_bad("-n", "--", 0, 100, "invalid -n '--': expected 0-100");
    expect_long_bad("-n", "٣", 0, 100, "invalid -n '٣': expected 0-100");
    /* past the range of long */
    expect_long_bad("-n", "99999999999999999999", 0, LONG_MAX,
                    "invalid -n '99999999999999999999': expected 0-9223372036854775807");
    /* the value in the message is cut at 64 bytes */
    char longv[100], msg[200];
    memset(longv, '7', sizeof longv - 1);
    longv[sizeof longv - 1] = '\0';
    snprintf(msg, sizeof msg, "invalid -n '%.64s': expected 0-100", longv);
    expect_long_bad("-n", longv, 0, 100, msg);
    /* err may be NULL */
    long out = 3;
    assert_int_equal(acc_opt_long("-n", "x", 0, 1, &out, NULL), ACC_EINVAL);
    assert_int_equal(out, 3);
}

static void test_opt_uint(void **state)
{
    unsigned out = 77;
    acc_error err;
    (void)state;
    assert_int_equal(acc_opt_uint("-n", "0", 0, UINT_MAX, &out, &err), ACC_OK);
    assert_int_equal(out, 0);
    assert_int_equal(acc_opt_uint("-n", "4294967295", 0, UINT_MAX, &out, &err), ACC_OK);
    assert_int_equal(out, UINT_MAX);
    assert_int_equal(acc_opt_uint("--limit", "100", 1, 100, &out, &err), ACC_OK);
    assert_int_equal(out, 100);

    out = 77;
    assert_int_equal(acc_opt_uint("-n", "4294967296", 0, UINT_MAX, &out, &err), ACC_EINVAL);
    assert_string_equal(err.msg, "invalid -n '4294967296': expected 0-4294967295");
    assert_int_equal(out, 77);
    assert_int_equal(acc_opt_uint("--limit", "0", 1, 100, &out, &err), ACC_EINVAL);
    assert_string_equal(err.msg, "invalid --limit '0': expected 1-100");
    assert_int_equal(acc_opt_uint("--limit", "101", 1, 100, &out, &err), ACC_EINVAL);
    assert_int_equal(acc_opt_uint("--limit", "-1", 1, 100, &out, &err), ACC_EINVAL);
    assert_string_equal(err.msg, "invalid --limit '-1': expected 1-100");
    assert_int_equal(acc_opt_uint("--limit", "+1", 0, 100, &out, &err), ACC_EINVAL);
    assert_int_equal(acc_opt_uint("--limit", NULL, 0, 100, &out, NULL), ACC_EINVAL);
    assert_int_equal(out, 77);
}

static void test_version(void **state)
{
    char buf[512], want[512];
    (void)state;
    assert_string_equal(acc_version_string(), ACC_TEST_VERSION);
    /* three dot-separated numbers */
    unsigned a, b, c;
    char tail;
    assert_int_equal(sscanf(acc_version_string(), "%u.%u.%u%c", &a, &b, &c, &tail), 3);
    assert_ptr_equal(acc_version_string(), acc_version_string());

    FILE *f = tmpfile();
    assert_non_null(f);
    acc_opt_print_version(f, "accord-search");
    acc_opt_print_version(f, "accord-index");
    rewind(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    snprintf(want, sizeof want,
             "accord-search (accord) %s\nXapian %s, utf8proc %s\n"
             "accord-index (accord) %s\nXapian %s, utf8proc %s\n",
             ACC_TEST_VERSION, ACC_TEST_XAPIAN_VERSION, utf8proc_version(), ACC_TEST_VERSION,
             ACC_TEST_XAPIAN_VERSION, utf8proc_version());
    assert_string_equal(buf, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_opt_long),
        cmocka_unit_test(test_opt_uint),
        cmocka_unit_test(test_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
