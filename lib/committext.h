/*
 * lib/committext.h: the text side of the commitment extractor (private to
 * libaccord; lib/commit.c reads the commitments): the cue categories and the
 * compiled per-language lexicon (lib/commit_lex.h), sentences of a text,
 * and a sentence folded, cut into tokens and marked with the cues that start
 * at each token.
 */
#ifndef ACCORD_LIB_COMMITTEXT_H
#define ACCORD_LIB_COMMITTEXT_H

#include <stddef.h>
#include <stdint.h>

#include "accord/mem.h"

enum acc_commit_cat {
    ACC_CC_NZ,       /* net zero, climate neutrality */
    ACC_CC_EMIS,     /* emissions, greenhouse gases, CO2 */
    ACC_CC_CUT,      /* reduce, cut, below */
    ACC_CC_INC,      /* increase, grow: a percentage that is not a cut */
    ACC_CC_REN,      /* renewable */
    ACC_CC_EFF,      /* energy efficiency, energy consumption */
    ACC_CC_COAL,     /* coal */
    ACC_CC_OUT,      /* phase out, exit, close */
    ACC_CC_PROT,     /* protect, conserve */
    ACC_CC_AREA,     /* area, land, sea */
    ACC_CC_INTENS,   /* intensity, per unit of GDP */
    ACC_CC_BY,       /* before a target year: by, d'ici, bis, 到 */
    ACC_CC_BYPOST,   /* after a target year: 年前 */
    ACC_CC_BASEPRE,  /* before a base year: compared to, par rapport à, gegenüber */
    ACC_CC_BASEPOST, /* after a base year: levels */
    ACC_CC_BAU,      /* business as usual, scénario de référence */
    ACC_CC_COND,     /* conditional, subject to support */
    ACC_CC_UNCOND,   /* unconditional */
    ACC_CC_BIND,     /* shall, must, commits, undertakes */
    ACC_CC_WILL,     /* will, wird: binding unless an intention word says otherwise */
    ACC_CC_INTEND,   /* aims, intends, should */
    ACC_CC_REPORT,   /* has reduced, fell, already */
    ACC_CC_NEG,      /* not, ne, nicht */
    ACC_CC_NEGX,     /* a negation that is not one: no later than, not less than */
    ACC_CC_SHARE,    /* after a percentage: of global emissions, of GDP */
    ACC_CC_PERCENT,  /* per cent, Prozent */
    ACC_CC_RANGE,    /* between two numbers: to, à, bis */
    ACC_CC_TARGET,   /* after a year: target, goal */
    ACC_CC_ADOPT,    /* before a date: signed in, adopted on: not a target year */
    ACC_CC_LEVELTO,  /* before a percentage: "to the level of" (the cut is 100 minus it) */
    ACC_CC_BETWEEN,  /* before the first number of a range: between, entre */
    ACC_CC_AND,      /* between the numbers of such a range: and, y, et */
    ACC_CC_PAST,     /* a former target recalled: previous target, target was */
    ACC_CC_REPORTW,  /* were, decreased: a report when no modal nor intention is near */
    ACC_CC_LEVELOF,  /* after a percentage: "of" (1990 levels): a level, not a cut */
    ACC_CC_CONTEXT,  /* IPCC, global emissions: figures of science and context */
    ACC_CC_CUTBY,    /* before a percentage: "by" (cut by 40% of 2010 levels: a cut, not a level) */
    ACC_CC_RESTATE,  /* before a percentage: "i.e.", "soit": an amount restated as a share */
    ACC_CC_CLAUSE,   /* a contrast that starts a clause: while, alors que, mientras que */
    ACC_CC_BEYOND,   /* after a percentage: beyond, on top of (an increment, not a target) */
    ACC_CC_FROM,     /* before a percentage: from (X% to Y%: the old value) */
    ACC_CC_LOCAL,    /* a city's words: city, municipality, Gemeinde */
    ACC_CC_HIGHER,   /* a country's or the EU's words: national, federal, EU */
    ACC_CC_ANAPHOR,  /* starting a sentence: this, cela, dies (the sentence before says who) */
    ACC_CC_HALF,     /* by half, de moitié, halbieren: a cut of 50 % */
    ACC_CC_APPROX,   /* before "half": nearly, more than (then no figure is read) */
    ACC_CC_SHAREOF,  /* before a kind's word: share of, part des, Anteil (its figure further on) */
    ACC_CC_COUNT
};

#define MAX_PAT 6

typedef struct pat {
    char *s; /* folded */
    size_t n;
    unsigned char prefix, suffix; /* "x*": a word starting with x; "*x": ending; both: containing */
} pat;

typedef struct cue {
    int cat;
    pat p[MAX_PAT];
    int np;
} cue;

typedef struct lexicon {
    char lang[4];
    cue *cues;
    size_t n;
    /* the cues a word can start, by its first byte: byfirst[off[b]..off[b+1]) are the
       indexes of the cues whose first word starts with byte b; anyfirst[0..nany) those
       whose first word may start with any byte ("*x") */
    size_t *byfirst, off[257], *anyfirst, nany;
} lexicon;

enum tok_type { T_WORD, T_NUM, T_PCT, T_DASH, T_PUNCT };

typedef struct tok {
    unsigned char type;
    char punct;    /* T_PUNCT: the character */
    const char *s; /* into the folded sentence */
    size_t n;
    double num;    /* T_NUM */
    int year;      /* T_NUM read as a year 1900..2100 (a footnote digit after it allowed) */
    uint64_t cats; /* bit set of the cue categories starting here */
    unsigned char end[ACC_CC_COUNT]; /* per category starting here: tokens it spans */
} tok;

typedef struct sent {
    tok *t;
    size_t n, alloc;
    int comma_decimal;
    long scale;        /* 2 for Han text (a token per character): distances count double */
    const lexicon *lx; /* the cues read */
    acc_buf folded;    /* the folded sentence the tokens point into */
} sent;

/* Prepares s for sentences of language lang (its lexicon; the English one for a language
   without its own). Release with acc_csent_release. */
void acc_csent_init(sent *s, const char *lang);
void acc_csent_release(sent *s);

/* Folds, tokenizes and marks p[0..n), one sentence, into s. */
void acc_csent_read(sent *s, const char *p, size_t n);

/*
 * The next sentence of text[0..n) from *pos that may state a commitment (it
 * has a year and is no table row): 1 and [*start, *end) (trailing spaces left
 * out), *pos moved past it; 0 at the end of the text. [skipped[0], skipped[1])
 * is the sentence passed over just before it, or empty when there was none
 * (the one before is then the sentence returned last).
 */
int acc_ctext_next(const char *text, size_t n, size_t *pos, size_t *start, size_t *end,
                   size_t *skipped);

#endif
