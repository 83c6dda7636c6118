/*
 * Commitments: the targets a document states in its text (net zero by a
 * year, a percentage cut of emissions against a base year, a renewable
 * share...), with the strength of the sentence that states them, found at
 * index time by per-language rules (lib/commit.c) and searchable as
 * filters, facets and a sort (schema.h: ACC_PFX_COMMIT, ACC_SLOT_COMMITS).
 *
 * The rules extract nothing when unsure: a percentage must be tied to the
 * kind's words and a year must be read as a target year ("by 2030", "d'ici
 * 2030", "bis 2045", "到2030年") or a base year ("below 1990 levels") by the
 * words around it.
 */
#ifndef ACCORD_COMMIT_H
#define ACCORD_COMMIT_H

#include <stddef.h>

#include "accord/mem.h"
#include "accord/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum acc_commit_kind {
    ACC_CK_NETZERO = 0, /* net zero / climate or carbon neutrality by a year */
    ACC_CK_REDUCTION,   /* a percentage cut of emissions by a year */
    ACC_CK_RENEWABLE,   /* a renewable share by a year */
    ACC_CK_EFFICIENCY,  /* energy efficiency gain / energy consumption cut by a year */
    ACC_CK_COAL,        /* coal phase-out by a year */
    ACC_CK_PROTECTED,   /* a share of land or sea protected by a year */
    ACC_CK_COUNT
} acc_commit_kind;

typedef enum acc_commit_strength {
    ACC_CS_BINDING = 0, /* shall, must, commits, undertakes, will; a law that sets it */
    ACC_CS_INTENDED,    /* aims, intends, plans, should, endeavours; a stated goal */
    ACC_CS_REPORTED,    /* reached or measured: has reduced, fell by */
    ACC_CS_COUNT
} acc_commit_strength;

/* base year values besides a year */
#define ACC_BASE_NONE 0
#define ACC_BASE_BAU (-1)

typedef struct acc_commitment {
    acc_commit_kind kind;
    double value;     /* percent; < 0 when the kind has none (netzero, coal) */
    double value_max; /* upper end of a range ("26 to 28 per cent"); < 0 when none */
    int year;         /* target year (the last year of a period) */
    int base;         /* base year, ACC_BASE_BAU or ACC_BASE_NONE */
    int intensity;    /* reduction of emissions per unit of GDP, per capita... */
    int conditional;  /* 1 conditional, 0 stated unconditional, -1 the text is silent */
    acc_commit_strength strength;
    size_t start, end; /* the sentence: bytes [start, end) of the text */
} acc_commitment;

/* "netzero", "reduction", "renewable", "efficiency", "coal", "protected" */
const char *acc_commit_kind_name(acc_commit_kind k);
/* "binding", "intended", "reported" */
const char *acc_commit_strength_name(acc_commit_strength s);
/* The kind or strength of a name (case-insensitive, "net-zero" and "net_zero" too); -1 if none. */
int acc_commit_kind_parse(const char *s, size_t n);
int acc_commit_strength_parse(const char *s, size_t n);

/*
 * The commitments of text[0..n) (valid UTF-8) written in language lang (ISO
 * 639-1; languages without rules of their own are read with the English
 * ones). doc_year (0 = unknown) is the year of the document: a target year
 * before it is a past target, kept only when the sentence reports it as
 * reached. *out (caller frees; NULL when none) in text order; returns how
 * many.
 */
size_t acc_commit_extract(const char *lang, int doc_year, const char *text, size_t n,
                          acc_commitment **out);

/*
 * A commitment as one line of the stored list (schema.h, ACC_SLOT_COMMITS):
 * kind TAB value TAB value_max TAB year TAB base TAB intensity TAB
 * conditional TAB strength TAB start TAB end TAB sentence, appended to out
 * with a final '\n' (the sentence with tabs and newlines as spaces, cut at
 * ACC_COMMIT_SENTENCE_MAX bytes on a character boundary).
 */
#define ACC_COMMIT_SENTENCE_MAX 600
void acc_commit_encode(const acc_commitment *c, const char *text, acc_buf *out);

/*
 * Decodes one line written by acc_commit_encode (without its '\n'); *sentence
 * and *slen point into line. -1 when the line is not one.
 */
int acc_commit_decode(const char *line, size_t n, acc_commitment *c, const char **sentence,
                      size_t *slen);

#ifdef __cplusplus
}
#endif

#endif
