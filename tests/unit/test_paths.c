/*
 * Where the installed data is found (lib/paths.c, include/accord/paths.h):
 * $ACCORD_TOPICS first, as it is; else the vocabulary next to the running
 * program (the build tree's <build>/share/accord/topics.tsv for this test);
 * and a copy of this program moved to another folder finds the vocabulary
 * next to itself, or not that one once it is gone.
 *
 * `test_paths --print` prints acc_paths_topics() (or "(none)"): the moved
 * copy is run that way.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "accord/paths.h"

static char tmpdir[] = "/tmp/accord-test-paths-XXXXXX";

/* 1 when a and b name the same existing file */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return a && b && stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static void copy_file(const char *from, const char *to, mode_t mode)
{
    char buf[65536];
    size_t n;
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
    assert_int_equal(chmod(to, mode), 0);
}

/* runs cmd and returns its first output line (static buffer) */
static const char *run(const char *cmd)
{
    static char line[2048];
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    if (!fgets(line, sizeof line, p))
        line[0] = '\0';
    line[strcspn(line, "\n")] = '\0';
    assert_int_equal(pclose(p), 0);
    return line;
}

static void test_env_first(void **state)
{
    (void)state;
    assert_int_equal(setenv("ACCORD_TOPICS", "/no/such/vocabulary.tsv", 1), 0);
    /* returned as it is, readable or not: the loader then names it */
    assert_string_equal(acc_paths_topics(), "/no/such/vocabulary.tsv");
    assert_int_equal(setenv("ACCORD_TOPICS", "", 1), 0);
    assert_non_null(acc_paths_topics());
    assert_string_not_equal(acc_paths_topics(), "");
    assert_int_equal(unsetenv("ACCORD_TOPICS"), 0);
}

static void test_build_tree(void **state)
{
    (void)state;
    assert_int_equal(unsetenv("ACCORD_TOPICS"), 0);
    assert_non_null(acc_paths_topics());
    assert_true(same_file(acc_paths_topics(), ACC_TEST_BUILD_TOPICS));
    /* the same pointer every time: a static string */
    assert_ptr_equal(acc_paths_topics(), acc_paths_topics());
}

static void test_moved(void **state)
{
    char bin[64], exe[128], data[512], vocab[1024], cmd[2048];
    const char *out;
    (void)state;

    assert_non_null(mkdtemp(tmpdir));
    snprintf(bin, sizeof bin, "%s/bin", tmpdir);
    assert_int_equal(mkdir(bin, 0755), 0);
    snprintf(exe, sizeof exe, "%s/test_paths", bin);
    copy_file("/proc/self/exe", exe, 0755);
    snprintf(data, sizeof data, "%s/%s/accord", bin, ACC_TEST_REL_DATADIR);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", data);
    assert_int_equal(system(cmd), 0);
    snprintf(vocab, sizeof vocab, "%s/topics.tsv", data);
    copy_file(ACC_TEST_BUILD_TOPICS, vocab, 0644);

    snprintf(cmd, sizeof cmd, "env -u ACCORD_TOPICS '%s' --print", exe);
    out = run(cmd);
    assert_true(same_file(out, vocab));

    /* without it, not that one: the configured prefix's, if installed, else none */
    assert_int_equal(unlink(vocab), 0);
    out = run(cmd);
    if (access(ACC_TEST_INSTALLED_TOPICS, R_OK) == 0)
        assert_string_equal(out, ACC_TEST_INSTALLED_TOPICS);
    else
        assert_string_equal(out, "(none)");

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    assert_int_equal(system(cmd), 0);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--print") == 0) {
        const char *p = acc_paths_topics();
        printf("%s\n", p ? p : "(none)");
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_env_first),
        cmocka_unit_test(test_build_tree),
        cmocka_unit_test(test_moved),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
