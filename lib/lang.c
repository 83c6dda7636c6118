/*
 * Language codes, stemmer choice and language identification
 * (include/accord/lang.h).
 *
 * Detection uses libexttextcat's n-gram models (Debian's libexttextcat-data).
 * Its guesses are filtered to the languages accord knows, in rank order, so
 * that a close minor language (Scots for English) never wins. Scripts that
 * identify a language by themselves (Han, Cyrillic, Arabic...) are handled by
 * the n-gram models as well.
 */
#include "accord/lang.h"

#include <ctype.h>
#include <libexttextcat/textcat.h>
#include <stdlib.h>
#include <string.h>

#ifndef ACC_TEXTCAT_CONF
#define ACC_TEXTCAT_CONF "/usr/share/libexttextcat/fpdb.conf"
#endif
#ifndef ACC_TEXTCAT_DIR
#define ACC_TEXTCAT_DIR "/usr/share/libexttextcat/"
#endif

/* code -> Xapian 1.4.22 stemmer; languages absent here are indexed unstemmed */
static const struct {
    const char *code;
    const char *stemmer;
} stemmers[] = {
    {"ar", "arabic"},    {"hy", "armenian"},  {"eu", "basque"},     {"ca", "catalan"},
    {"da", "danish"},    {"nl", "dutch"},     {"en", "english"},    {"fi", "finnish"},
    {"fr", "french"},    {"de", "german2"},   {"hu", "hungarian"},  {"id", "indonesian"},
    {"ga", "irish"},     {"it", "italian"},   {"lt", "lithuanian"}, {"ne", "nepali"},
    {"no", "norwegian"}, {"nb", "norwegian"}, {"nn", "norwegian"},  {"pt", "portuguese"},
    {"ro", "romanian"},  {"ru", "russian"},   {"es", "spanish"},    {"sv", "swedish"},
    {"ta", "tamil"},     {"tr", "turkish"},
};

/* languages detection may answer (others map to "und") */
static const char *const known[] = {
    "en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "no", "nb", "fi", "is", "ro",
    "pl", "cs", "sk", "sl", "hr", "sr", "bs", "hu", "et", "lv", "lt", "ru", "uk", "be",
    "bg", "mk", "el", "tr", "ar", "fa", "he", "zh", "ja", "ko", "ca", "eu", "gl", "ga",
    "cy", "mt", "sq", "hy", "ka", "id", "ms", "vi", "th", "hi", "ta", "ne", "sw", NULL};

const char *acc_lang_stemmer(const char *code)
{
    for (size_t i = 0; i < sizeof stemmers / sizeof stemmers[0]; i++)
        if (strcmp(stemmers[i].code, code) == 0)
            return stemmers[i].stemmer;
    return NULL;
}

int acc_lang_parse(const char *p, size_t n, char out[ACC_LANG_MAX])
{
    if (n < 2 || n > 3)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (!isalpha((unsigned char)p[i]))
            return 0;
        out[i] = (char)tolower((unsigned char)p[i]);
    }
    out[n] = '\0';
    return 1;
}

static int is_known(const char *code)
{
    for (size_t i = 0; known[i]; i++)
        if (strcmp(known[i], code) == 0)
            return 1;
    return 0;
}

static __thread void *classifier;

void acc_lang_thread_cleanup(void)
{
    if (classifier) {
        textcat_Done(classifier);
        classifier = NULL;
    }
}

/* "[en--utf8][sco--utf8]" -> first known code; "SHORT"/"UNKNOWN" -> "und" */
static void pick(const char *guess, char out[ACC_LANG_MAX])
{
    strcpy(out, "und");
    if (!guess || guess[0] != '[')
        return;
    for (const char *s = guess; (s = strchr(s, '[')) != NULL;) {
        char code[ACC_LANG_MAX];
        size_t k = 0;
        s++;
        while (s[k] && s[k] != '-' && s[k] != ']' && k < ACC_LANG_MAX - 1) {
            code[k] = s[k];
            k++;
        }
        code[k] = '\0';
        if (is_known(code)) {
            strcpy(out, strcmp(code, "nb") == 0 ? "no" : code);
            return;
        }
    }
}

acc_status acc_lang_detect(const char *p, size_t n, char out[ACC_LANG_MAX], acc_error *err)
{
    size_t i = 0;

    strcpy(out, "und");
    if (!classifier) {
        classifier = special_textcat_Init(ACC_TEXTCAT_CONF, ACC_TEXTCAT_DIR);
        if (!classifier)
            return acc_error_set(err, ACC_EIO, "cannot load language models '%s'",
                                 ACC_TEXTCAT_CONF);
    }
    while (i < n && isspace((unsigned char)p[i]))
        i++;
    p += i;
    n -= i;
    if (n > 4096) {
        /* cut at a character boundary */
        n = 4096;
        while (n > 0 && ((unsigned char)p[n] & 0xC0) == 0x80)
            n--;
    }
    pick(textcat_Classify(classifier, p, n), out);
    return ACC_OK;
}
