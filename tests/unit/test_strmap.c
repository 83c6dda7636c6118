/*
 * lib/strmap.c (lib/strmap.h): indices 0, 1, 2... in insertion order, get and
 * put, the "added" flag, keys read back, growth through many rehashes (100k
 * keys), the empty key, binary keys with NUL bytes, long keys, and a map
 * released and used again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "strmap.h"

/* Key i of m equals p[0..n). */
static void key_is(const acc_strmap *m, size_t i, const char *p, size_t n)
{
    size_t kn;
    const char *k = acc_strmap_key(m, i, &kn);
    assert_int_equal(kn, n);
    if (n)
        assert_memory_equal(k, p, n);
}

static void test_empty_map(void **state)
{
    acc_strmap m;
    (void)state;
    acc_strmap_init(&m);
    assert_int_equal(acc_strmap_get(&m, "a", 1), ACC_STRMAP_NONE);
    assert_int_equal(acc_strmap_get(&m, "", 0), ACC_STRMAP_NONE);
    acc_strmap_release(&m);
    acc_strmap_release(&m); /* released twice: it is back to the state of init */
}

static void test_insertion_order(void **state)
{
    acc_strmap m;
    int added = -1;
    (void)state;
    acc_strmap_init(&m);
    assert_int_equal(acc_strmap_put(&m, "water", 5, &added), 0);
    assert_int_equal(added, 1);
    assert_int_equal(acc_strmap_put(&m, "forest", 6, &added), 1);
    assert_int_equal(added, 1);
    assert_int_equal(acc_strmap_put(&m, "air", 3, NULL), 2);
    /* again: the same index, not added */
    assert_int_equal(acc_strmap_put(&m, "water", 5, &added), 0);
    assert_int_equal(added, 0);
    assert_int_equal(acc_strmap_put(&m, "air", 3, &added), 2);
    assert_int_equal(added, 0);
    assert_int_equal(m.n, 3);
    /* a prefix, an extension and a different case are other keys */
    assert_int_equal(acc_strmap_get(&m, "wate", 4), ACC_STRMAP_NONE);
    assert_int_equal(acc_strmap_get(&m, "waters", 6), ACC_STRMAP_NONE);
    assert_int_equal(acc_strmap_get(&m, "Water", 5), ACC_STRMAP_NONE);
    /* the length counts, not a NUL: "forest" read as 3 bytes is "for" */
    assert_int_equal(acc_strmap_get(&m, "forest", 3), ACC_STRMAP_NONE);
    assert_int_equal(acc_strmap_get(&m, "forest", 6), 1);
    assert_int_equal(acc_strmap_put(&m, "forest", 3, &added), 3);
    assert_int_equal(added, 1);
    key_is(&m, 0, "water", 5);
    key_is(&m, 1, "forest", 6);
    key_is(&m, 2, "air", 3);
    key_is(&m, 3, "for", 3);
    acc_strmap_release(&m);
    assert_int_equal(m.n, 0);
    assert_null(m.keys);
}

static void test_empty_key(void **state)
{
    acc_strmap m;
    int added = -1;
    (void)state;
    /* the empty key as the very first key (once memcmp(NULL, k, 0): UBSan's report) */
    acc_strmap_init(&m);
    assert_int_equal(acc_strmap_put(&m, "", 0, &added), 0);
    assert_int_equal(added, 1);
    assert_int_equal(acc_strmap_get(&m, "", 0), 0);
    assert_int_equal(acc_strmap_get(&m, "x", 1), ACC_STRMAP_NONE);
    acc_strmap_release(&m);

    acc_strmap_init(&m);
    acc_strmap_put(&m, "x", 1, NULL);
    assert_int_equal(acc_strmap_get(&m, "", 0), ACC_STRMAP_NONE);
    assert_int_equal(acc_strmap_put(&m, "", 0, &added), 1);
    assert_int_equal(added, 1);
    assert_int_equal(acc_strmap_get(&m, "", 0), 1);
    assert_int_equal(acc_strmap_put(&m, "", 0, &added), 1);
    assert_int_equal(added, 0);
    assert_int_equal(acc_strmap_put(&m, "a", 1, &added), 2);
    assert_int_equal(added, 1);
    key_is(&m, 0, "x", 1);
    key_is(&m, 1, "", 0);
    key_is(&m, 2, "a", 1);
    acc_strmap_release(&m);
}

static void test_binary_keys(void **state)
{
    acc_strmap m;
    static const char k1[] = {'a', '\0', 'b'}, k2[] = {'a', '\0', 'c'}, k3[] = {'\0'},
                      k4[] = {'\0', '\0'}, k5[] = {'\xff', '\0', '\x80'};
    (void)state;
    acc_strmap_init(&m);
    assert_int_equal(acc_strmap_put(&m, k1, 3, NULL), 0);
    assert_int_equal(acc_strmap_put(&m, k2, 3, NULL), 1);
    assert_int_equal(acc_strmap_put(&m, "a", 1, NULL), 2); /* k1 up to its NUL */
    assert_int_equal(acc_strmap_put(&m, k3, 1, NULL), 3);
    assert_int_equal(acc_strmap_put(&m, k4, 2, NULL), 4);
    assert_int_equal(acc_strmap_put(&m, "", 0, NULL), 5);
    assert_int_equal(acc_strmap_put(&m, k5, 3, NULL), 6);
    assert_int_equal(acc_strmap_get(&m, k1, 3), 0);
    assert_int_equal(acc_strmap_get(&m, k2, 3), 1);
    assert_int_equal(acc_strmap_get(&m, k1, 2), ACC_STRMAP_NONE); /* "a\0" */
    assert_int_equal(acc_strmap_get(&m, k3, 1), 3);
    assert_int_equal(acc_strmap_get(&m, k4, 2), 4);
    assert_int_equal(acc_strmap_get(&m, k5, 3), 6);
    key_is(&m, 0, k1, 3);
    key_is(&m, 1, k2, 3);
    key_is(&m, 3, k3, 1);
    key_is(&m, 4, k4, 2);
    key_is(&m, 5, "", 0);
    key_is(&m, 6, k5, 3);
    acc_strmap_release(&m);
}

static void test_long_keys(void **state)
{
    acc_strmap m;
    size_t n = 5000; /* longer than the first allocation of key bytes */
    char *a = malloc(n), *b = malloc(3 * n);
    (void)state;
    memset(a, 'a', n);
    memset(b, 'b', 3 * n);
    acc_strmap_init(&m);
    assert_int_equal(acc_strmap_put(&m, "x", 1, NULL), 0);
    assert_int_equal(acc_strmap_put(&m, a, n, NULL), 1);
    assert_int_equal(acc_strmap_put(&m, b, 3 * n, NULL), 2);
    assert_int_equal(acc_strmap_put(&m, "y", 1, NULL), 3);
    assert_int_equal(acc_strmap_get(&m, a, n), 1);
    assert_int_equal(acc_strmap_get(&m, a, n - 1), ACC_STRMAP_NONE);
    assert_int_equal(acc_strmap_get(&m, b, 3 * n), 2);
    key_is(&m, 0, "x", 1);
    key_is(&m, 1, a, n);
    key_is(&m, 2, b, 3 * n);
    key_is(&m, 3, "y", 1);
    acc_strmap_release(&m);
    free(a);
    free(b);
}

#define MANY 100000

static void test_many_keys(void **state)
{
    acc_strmap m;
    char k[32];
    int added;
    (void)state;
    acc_strmap_init(&m);
    /* from 64 slots to 256k: a dozen rehashes, each checked below */
    for (size_t i = 0; i < MANY; i++) {
        int n = snprintf(k, sizeof k, "key-%zu", i * 7919);
        if (acc_strmap_put(&m, k, (size_t)n, &added) != i || !added)
            fail_msg("put %zu", i);
        /* the load factor stays at most 1/2, in a power of two of slots */
        if (m.nslots < 2 * m.n || (m.nslots & (m.nslots - 1)) != 0)
            fail_msg("%zu slots for %zu keys", m.nslots, m.n);
    }
    assert_int_equal(m.n, MANY);
    for (size_t i = 0; i < MANY; i++) {
        int n = snprintf(k, sizeof k, "key-%zu", i * 7919);
        if (acc_strmap_get(&m, k, (size_t)n) != i)
            fail_msg("get %zu", i);
        if (acc_strmap_put(&m, k, (size_t)n, &added) != i || added)
            fail_msg("put again %zu", i);
        size_t kn;
        const char *kp = acc_strmap_key(&m, i, &kn);
        if (kn != (size_t)n || memcmp(kp, k, kn) != 0)
            fail_msg("key %zu", i);
        /* absent keys: between the present ones */
        n = snprintf(k, sizeof k, "key-%zu", i * 7919 + 1);
        if (acc_strmap_get(&m, k, (size_t)n) != ACC_STRMAP_NONE)
            fail_msg("absent %zu found", i);
    }
    assert_int_equal(m.n, MANY);
    acc_strmap_release(&m);

    /* a released map is as new */
    assert_int_equal(acc_strmap_put(&m, "key-0", 5, &added), 0);
    assert_int_equal(added, 1);
    assert_int_equal(acc_strmap_get(&m, "key-7919", 8), ACC_STRMAP_NONE);
    acc_strmap_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_map), cmocka_unit_test(test_insertion_order),
        cmocka_unit_test(test_empty_key), cmocka_unit_test(test_binary_keys),
        cmocka_unit_test(test_long_keys), cmocka_unit_test(test_many_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
