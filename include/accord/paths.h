/*
 * Where accord finds its read-only data at run time (today one file: the
 * topic vocabulary, installed as DATADIR/accord/topics.tsv).
 *
 * No source-tree path is compiled in. The data is looked up relative to the
 * running executable first, so an installed tree still works when it is moved
 * or unpacked into a temporary root (dpkg-deb -x), and a build tree works
 * because it mirrors the install layout: the programs in <build>/bin, the
 * vocabulary copied to <build>/share/accord/topics.tsv (CMakeLists.txt).
 *
 * Thread-safety: every function may be called from any thread.
 */
#ifndef ACCORD_PATHS_H
#define ACCORD_PATHS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The topic vocabulary to use when none is named, the first of:
 *   1. $ACCORD_TOPICS when set and not empty, returned as it is (a file that
 *      cannot be read is then reported by the loader, naming it);
 *   2. EXEDIR/REL/accord/topics.tsv when readable, where EXEDIR is the folder
 *      of the running executable (readlink /proc/self/exe) and REL the path
 *      from the install's bindir to its datadir ("../share" by default);
 *   3. the configured install prefix's DATADIR/accord/topics.tsv when readable
 *      (/usr/local/share/accord/topics.tsv by default).
 * NULL when there is none. Borrowed: the environment's string (valid while
 * the environment is unchanged) or a static string (valid for the process).
 */
const char *acc_paths_topics(void);

/*
 * The folder for what accord keeps to save work in later runs (today the
 * dictionaries prepared for the translation table, lib/lexcache.h), the first of:
 *   1. $ACCORD_CACHE_DIR when set ("" for none: NULL);
 *   2. $XDG_CACHE_HOME/accord when that is an absolute path;
 *   3. $HOME/.cache/accord.
 * NULL when there is none. The environment's string, or buf[0..cap) filled.
 * The folder may not exist yet; it is made when first written.
 */
const char *acc_paths_cache(char *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
