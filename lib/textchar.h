/*
 * lib/textchar.h: the character classes the text pipeline shares (lib/text.c, normalising;
 * lib/words.c, cutting into words and terms). Private to libaccord.
 */
#ifndef ACCORD_LIB_TEXTCHAR_H
#define ACCORD_LIB_TEXTCHAR_H

#include <stdint.h>
#include <utf8proc.h>

/* The apostrophe set (text.h, acc_text_is_apostrophe); inline: the tokenizer asks per character. */
static inline int is_apostrophe(int32_t c)
{
    if (c < 0x80)
        return c == '\'' || c == '`';
    switch (c) {
    case 0x0027: /* apostrophe */
    case 0x2019: /* right single quotation mark: typographic apostrophe */
    case 0x2018: /* left single quotation mark */
    case 0x02BC: /* modifier letter apostrophe */
    case 0xFF07: /* fullwidth apostrophe (NFKC makes it ' too) */
    case 0x2032: /* prime */
    case 0x0060: /* grave accent, typed for an apostrophe */
    case 0x00B4: /* acute accent, typed for an apostrophe */
    case 0x201B: /* single high-reversed-9 quotation mark */
        return 1;
    default:
        return 0;
    }
}

static inline int is_letter(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    utf8proc_category_t c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

static inline int is_word_char(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO);
}

#endif
