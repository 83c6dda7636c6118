/* lib/stem.c: the tagged folding stemmer of a language (lib/stem.h). */
#include "stem.h"

#include <stdio.h>
#include <string.h>

#include "accord/lang.h"
#include "accord/text.h"

acc_xap_stem *acc_stem_new(const char *lang)
{
    const char *algorithm = acc_lang_stemmer(lang);
    char tag[ACC_LANG_MAX + 2];
    if (!algorithm)
        return NULL;
    snprintf(tag, sizeof tag, "%s:", lang);
    /* the 1.4 Romanian stemmer only knows ş and ţ: organizaţiei and organizației must stem alike */
    return acc_xap_stem_new(tag, algorithm, strcmp(lang, "ro") == 0 ? acc_text_ro_cedilla : NULL);
}
