/*
 * lib/paths.c: accord's data files found at run time (include/accord/paths.h).
 * The folder of the running executable is read once (/proc/self/exe, Linux);
 * readability is checked on every call, so a file installed later is found.
 */
#include "accord/paths.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if !defined(ACC_REL_DATADIR) || !defined(ACC_INSTALL_DATADIR)
#error "ACC_REL_DATADIR and ACC_INSTALL_DATADIR are set by lib/CMakeLists.txt (GNUInstallDirs)"
#endif

#define TOPICS_FILE "accord/topics.tsv"

static pthread_once_t exe_once = PTHREAD_ONCE_INIT;
/* EXEDIR/REL/accord/topics.tsv, or "" when the executable's folder is unknown */
static char exe_topics[PATH_MAX];

static void find_exe_topics(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe);
    char *slash;
    int len;

    /* n == sizeof exe: the path may have been cut, so it is not used */
    if (n <= 0 || (size_t)n >= sizeof exe)
        return;
    exe[n] = '\0';
    slash = strrchr(exe, '/');
    if (!slash)
        return;
    *slash = '\0';
    len = snprintf(exe_topics, sizeof exe_topics, "%s/%s/%s", exe, ACC_REL_DATADIR, TOPICS_FILE);
    if (len < 0 || (size_t)len >= sizeof exe_topics)
        exe_topics[0] = '\0';
}

const char *acc_paths_topics(void)
{
    static const char installed[] = ACC_INSTALL_DATADIR "/" TOPICS_FILE;
    const char *env = getenv("ACCORD_TOPICS");

    if (env && *env)
        return env;
    pthread_once(&exe_once, find_exe_topics);
    if (exe_topics[0] && access(exe_topics, R_OK) == 0)
        return exe_topics;
    if (access(installed, R_OK) == 0)
        return installed;
    return NULL;
}

const char *acc_paths_cache(char *buf, size_t cap)
{
    const char *env = getenv("ACCORD_CACHE_DIR");
    if (env)
        return *env ? env : NULL;
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    int n;
    /* XDG: a relative path is invalid and to be ignored */
    if (xdg && xdg[0] == '/')
        n = snprintf(buf, cap, "%s/accord", xdg);
    else if (home && home[0] == '/')
        n = snprintf(buf, cap, "%s/.cache/accord", home);
    else
        return NULL;
    return n > 0 && (size_t)n < cap ? buf : NULL;
}
