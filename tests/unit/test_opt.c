/*
 * Whole numbers, option values and --version (lib/opt.c, include/accord/opt.h):
 * the one number parser (1-9 digits, no sign or blank, (p, n) input), the
 * option messages, *out unchanged on error, the unsigned variant, and the
 * version text of the three programs.
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

/* acc_error emptied (accepts NULL) */
static void err_clear(acc_error *err)
{
    if (err) {
        err->code = ACC_OK;
        err->msg[0] = '\0';
    }
}

/* acc_parse_uint on an exact-size copy of s (nothing readable after n) */
static int parse(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
    size_t n = strlen(s);
    char *copy = malloc(n ? n : 1);
    memcpy(copy, s, n);
    int rc = acc_parse_uint(copy, n, min, max, out);
    free(copy);
    return rc;
}

static void test_parse_uint(void **state)
{
    unsigned long v = 5;
    (void)state;
    assert_int_equal(parse("0", 0, 10, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(parse("10", 0, 10, &v), 0);
    assert_int_equal(v, 10);
    assert_int_equal(parse("007", 0, 10, &v), 0);
    assert_int_equal(v, 7);
    /* 9 digits at most, leading zeros included */
    assert_int_equal(parse("999999999", 0, ULONG_MAX, &v), 0);
    assert_int_equal(v, 999999999);
    assert_int_equal(parse("000000001", 0, 10, &v), 0);
    assert_int_equal(v, 1);
    v = 5;
    assert_int_equal(parse("1000000000", 0, ULONG_MAX, &v), -1);
    assert_int_equal(parse("0000000001", 0, 10, &v), -1);
    assert_int_equal(parse("99999999999999999999", 0, ULONG_MAX, &v), -1);
    assert_int_equal(parse("18446744073709551617", 0, ULONG_MAX, &v), -1); /* 2^64 + 1 */
    assert_int_equal(v, 5);
    /* bounds are inclusive */
    assert_int_equal(parse("1", 1, 1, &v), 0);
    assert_int_equal(v, 1);
    v = 5;
    assert_int_equal(parse("0", 1, 100, &v), -1);
    assert_int_equal(parse("101", 1, 100, &v), -1);
    assert_int_equal(v, 5);
    /* digits only: no sign, space, dot, exponent, other scripts' digits */
    static const char *const bad[] = {"",    "-1",  "+1", " 1", "1 ", "\t1", "1.5", "1e2",
                                      "0x1", "1,0", "١",  "１", "--", "a",   "1a"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(parse(bad[i], 0, 1000, &v), -1);
    assert_int_equal(v, 5);
    /* (p, n): only n bytes are read */
    assert_int_equal(acc_parse_uint("12x", 2, 0, 100, &v), 0);
    assert_int_equal(v, 12);
    assert_int_equal(acc_parse_uint("1\0", 2, 0, 100, &v), -1);
    assert_int_equal(acc_parse_uint("5", 0, 0, 100, &v), -1);
}

static void expect_long(const char *v, long min, long max, long want)
{
    long out = 12345;
    acc_error err;
    err_clear(&err);
    assert_int_equal(acc_opt_long("--n", v, min, max, &out, &err), ACC_OK);
    assert_int_equal(out, want);
}

static void expect_long_bad(const char *name, const char *v, long min, long max, const char *msg)
{
    long out = 12345;
    acc_error err;
    err_clear(&err);
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
    expect_long("999999999", 0, LONG_MAX, 999999999);

    expect_long_bad("--port", "x", 0, 65535, "invalid --port 'x': expected 0-65535");
    expect_long_bad("--port", NULL, 0, 65535, "invalid --port '': expected 0-65535");
    expect_long_bad("--port", "", 0, 65535, "invalid --port '': expected 0-65535");
    expect_long_bad("--port", "65536", 0, 65535, "invalid --port '65536': expected 0-65535");
    expect_long_bad("--threads", "0", 1, 64, "invalid --threads '0': expected 1-64");
    expect_long_bad("--port", "-1", 0, 65535, "invalid --port '-1': expected 0-65535");
    /* no sign, no blanks, even when the number would fit */
    expect_long_bad("--port", "+80", 0, 65535, "invalid --port '+80': expected 0-65535");
    expect_long_bad("--port", "-0", 0, 65535, "invalid --port '-0': expected 0-65535");
    expect_long_bad("--port", " 80", 0, 65535, "invalid --port ' 80': expected 0-65535");
    expect_long_bad("--port", "\t+80", 0, 65535, "invalid --port '\t+80': expected 0-65535");
    expect_long_bad("-n", "5 ", 0, 100, "invalid -n '5 ': expected 0-100");
    expect_long_bad("-n", "12abc", 0, 100, "invalid -n '12abc': expected 0-100");
    expect_long_bad("-n", "1.5", 0, 100, "invalid -n '1.5': expected 0-100");
    expect_long_bad("-n", "1e2", 0, 100, "invalid -n '1e2': expected 0-100");
    expect_long_bad("-n", "0x10", 0, 100, "invalid -n '0x10': expected 0-100");
    expect_long_bad("-n", "--", 0, 100, "invalid -n '--': expected 0-100");
    expect_long_bad("-n", "٣", 0, 100, "invalid -n '٣': expected 0-100");
    /* more than 9 digits */
    expect_long_bad("-n", "1000000000", 0, LONG_MAX,
                    "invalid -n '1000000000': expected 0-9223372036854775807");
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
    assert_int_equal(acc_opt_uint("-n", "999999999", 0, UINT_MAX, &out, &err), ACC_OK);
    assert_int_equal(out, 999999999);
    assert_int_equal(acc_opt_uint("--limit", "100", 1, 100, &out, &err), ACC_OK);
    assert_int_equal(out, 100);

    out = 77;
    assert_int_equal(acc_opt_uint("-n", "4294967296", 0, UINT_MAX, &out, &err), ACC_EINVAL);
    assert_string_equal(err.msg, "invalid -n '4294967296': expected 0-4294967295");
    assert_int_equal(out, 77);
    assert_int_equal(acc_opt_uint("--limit", "0", 1, 100, &out, &err), ACC_EINVAL);
    assert_string_equal(err.msg, "invalid --limit '0': expected 1-100");
    assert_int_equal(acc_opt_uint("--limit", "101", 1, 100, &out, &err), ACC_EINVAL);
    assert_string_equal(err.msg, "invalid --limit '101': expected 1-100");
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
        cmocka_unit_test(test_parse_uint),
        cmocka_unit_test(test_opt_long),
        cmocka_unit_test(test_opt_uint),
        cmocka_unit_test(test_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
