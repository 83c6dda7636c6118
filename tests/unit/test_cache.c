/*
 * The answer cache of accord-searchd (searchd/cache.c): hits and misses, an
 * entry of another revision is never served, least recently used entries go
 * first, the byte bound holds, oversized bodies are not kept.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cache.h"

static char *get(acc_cache *c, const char *key, unsigned long rev)
{
    size_t len = 0;
    return acc_cache_get(c, key, strlen(key), rev, &len);
}

static void put(acc_cache *c, const char *key, unsigned long rev, const char *body)
{
    acc_cache_put(c, key, strlen(key), rev, body, strlen(body));
}

static void test_hit_miss_revision(void **state)
{
    (void)state;
    acc_cache *c = acc_cache_new(1 << 20);
    unsigned long hits, misses;
    size_t bytes, entries;
    assert_non_null(c);
    assert_null(get(c, "/search?q=a", 1));
    put(c, "/search?q=a", 1, "{\"a\":1}");
    char *b = get(c, "/search?q=a", 1);
    assert_non_null(b);
    assert_string_equal(b, "{\"a\":1}");
    free(b);
    /* the same key at a later revision: gone for good */
    assert_null(get(c, "/search?q=a", 2));
    assert_null(get(c, "/search?q=a", 1));
    /* a new answer replaces the old one */
    put(c, "/search?q=a", 2, "{\"a\":2}");
    put(c, "/search?q=a", 2, "{\"a\":3}");
    b = get(c, "/search?q=a", 2);
    assert_string_equal(b, "{\"a\":3}");
    free(b);
    acc_cache_stats(c, &hits, &misses, &bytes, &entries);
    assert_int_equal(hits, 2);
    assert_int_equal(misses, 3);
    assert_int_equal(entries, 1);
    acc_cache_free(c);
    /* no cache at all */
    assert_null(acc_cache_new(0));
    assert_null(get(NULL, "/x", 1));
    put(NULL, "/x", 1, "{}");
}

static void test_lru_and_bound(void **state)
{
    (void)state;
    const size_t max = 64 * 1024;
    acc_cache *c = acc_cache_new(max);
    char key[32], body[2000];
    unsigned long hits, misses;
    size_t bytes, entries;
    memset(body, 'x', sizeof body - 1);
    body[sizeof body - 1] = '\0';
    for (int i = 0; i < 200; i++) {
        snprintf(key, sizeof key, "/q%d", i);
        put(c, key, 7, body);
        /* keep /q0 in use: the least recently used others go first */
        char *b = get(c, "/q0", 7);
        assert_non_null(b);
        free(b);
        acc_cache_stats(c, &hits, &misses, &bytes, &entries);
        assert_true(bytes <= max);
    }
    assert_true(entries < 200);
    assert_null(get(c, "/q1", 7));
    char *b = get(c, "/q199", 7);
    assert_non_null(b);
    free(b);
    /* a body over an eighth of the cache is not kept */
    char *big = malloc(max / 4);
    memset(big, 'y', max / 4 - 1);
    big[max / 4 - 1] = '\0';
    put(c, "/big", 7, big);
    assert_null(get(c, "/big", 7));
    free(big);
    acc_cache_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hit_miss_revision),
        cmocka_unit_test(test_lru_and_bound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
