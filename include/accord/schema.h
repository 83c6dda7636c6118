/*
 * The index schema: term prefixes, value slots and the stored record.
 * The one place that says what an accord index contains; indexer, CLI and
 * daemon all read it from here. Prefixes follow Omega's conventions, so that
 * xapian-delve and quest can read the index.
 *
 * Terms of a document in language L (the "Dual-Z" scheme: folded words for
 * phrases and accent-free matching, and two stems per word, because stemming
 * before or after removing accents conflates different word pairs):
 *   <word>            folded, unstemmed words of title + body, with positions
 *                     (phrases, wildcards, languages without a stemmer, CJK n-grams)
 *   S<word>           folded title words (title:)
 *   Z<L>:<stem>       language-tagged stems: fold(stem_L(w)) and stem_L(fold(w))
 *                     (no positions; absent for languages without a stemmer)
 *   ZS<L>:<stem>      the same for title words (title:word)
 *   Q<id>             unique document id
 *   XL<lang> XT<type> XP<party> XY<year>   boolean filter terms, values folded
 *   XO<topic>         topic ids, wdf = occurrences of the topic's terms (filters, expansion)
 *   XW<work>          the agreement of a language version (folded english_title or work)
 *   XC<letters>:<v>   the commitments stated in the text (lib/commitq.h)
 *
 * The record (lib/record.h: the byte 0x01, then varint-length fields) is in
 * value slot ACC_SLOT_RECORD since version 10, and the document data is
 * empty; version 9 kept it as the document data, and version 8 and before
 * the compact one-line JSON of acc_doc_record_json there: both are still read. The
 * text is stored apart, in zstd chunks (value slots from ACC_SLOT_TEXT, see
 * lib/docstore.h), the article headings in ACC_SLOT_ARTICLES. Indexes of version 5 kept the text in
 * the data after the record and a '\n', and the articles in the record: both are still read.
 */
#ifndef ACCORD_SCHEMA_H
#define ACCORD_SCHEMA_H

#define ACC_PFX_ID "Q"
#define ACC_PFX_TITLE "S"
#define ACC_PFX_STEM "Z"
#define ACC_PFX_LANG "XL"
#define ACC_PFX_TYPE "XT"
#define ACC_PFX_PARTY "XP"
#define ACC_PFX_YEAR "XY"
#define ACC_PFX_TOPIC "XO"
#define ACC_PFX_WORK "XW"
/* a document with passages in language xx (XQxx): that language's query reading looks at it */
#define ACC_PFX_PASSAGE_LANG "XQ"
/* a word as written, accents kept (normalised, not folded), when folding changes it */
#define ACC_PFX_ACCENT "A"
/* commitments: XC<attribute letters>:<values> (lib/commitq.h) */
#define ACC_PFX_COMMIT "XC"

/*
 * The version of the index's layout and term scheme. It is part of every
 * document's change stamp (slot ACC_SLOT_STAMP): bumping it makes the next
 * accord-index run rebuild every document. 6: the text in zstd chunks.
 * 7: accented words (ACC_PFX_ACCENT), so that exact spellings rank first;
 *    passages in another language with that language's stems (ACC_PFX_PASSAGE_LANG).
 * 8: commitments (ACC_PFX_COMMIT, ACC_SLOT_COMMITS...).
 * 9: the record binary (lib/record.h), read without a JSON parser.
 * 10: the record in a value slot (ACC_SLOT_RECORD), not the document data, which Xapian's
 *     glass backend zlib-compresses: inflating a record of 300 bytes cost about 20,000
 *     instructions a hit, reading the value about 5,000 (the record is not compressed).
 *     Later, without a new version: the text's lead (ACC_SLOT_LEAD), which a reader uses
 *     when present and does without otherwise.
 */
#define ACC_INDEX_VERSION "10"

/* Value slots */
enum acc_slot {
    ACC_SLOT_DATE = 0,      /* "YYYYMMDD" string, missing parts as 0: sorts by string */
    ACC_SLOT_YEAR = 1,      /* Xapian::sortable_serialise(year): ranges, facets */
    ACC_SLOT_LANG = 2,      /* language code: facets */
    ACC_SLOT_TYPE = 3,      /* document type: facets */
    ACC_SLOT_STAMP = 4,     /* change stamp of the source (incremental indexing) */
    ACC_SLOT_SOURCE = 5,    /* corpus root or record file the document came from */
    ACC_SLOT_WORK = 6,      /* the agreement a language version belongs to (collapse key) */
    ACC_SLOT_TOPICS = 7,    /* topic ids joined by 0x1f (facets) */
    ACC_SLOT_PARTIES = 8,   /* folded parties joined by 0x1f (facets) */
    ACC_SLOT_TEXT_MAP = 9,  /* per text chunk: first term position, byte length (varints) */
    ACC_SLOT_LABEL = 10,    /* id 0x1f title: /suggest shows titles without parsing the record */
    ACC_SLOT_ARTICLES = 11, /* per article heading: varints of offset delta, label length; label */
    ACC_SLOT_COMMITS = 12,  /* the commitments, one acc_commit_encode() line each (commit.h) */
    ACC_SLOT_CKINDS = 13,   /* their kinds joined by 0x1f (facets) */
    ACC_SLOT_CYEARS =
        14, /* their target years and kind:year, joined by 0x1f, reported ones left out (facets) */
    ACC_SLOT_CSTRENGTHS = 15, /* their strengths joined by 0x1f (facets) */
    ACC_SLOT_CSORT = 16,      /* the earliest target year, "YYYY" (sort=target_year) */
    ACC_SLOT_RECORD = 17,     /* the record (lib/record.h), version 10 on */
    ACC_SLOT_LEAD = 18,       /* the text's first ACC_TEXT_LEAD bytes, uncompressed (below) */
    /*
     * The document's text: chunk i (about ACC_TEXT_CHUNK bytes, cut between
     * words) zstd-compressed in slot ACC_SLOT_TEXT + i. A search reads and
     * decompresses only the chunks its snippet needs (a page of hits inflated
     * each hit's whole text when the text was in the document data).
     */
    ACC_SLOT_TEXT = 100,
};
#define ACC_TEXT_CHUNK 4096
/*
 * The first bytes of a text kept as they are in ACC_SLOT_LEAD (cut at a character): what a
 * language version shown after its hit displays, its start, without decompressing a chunk
 * (70,000 instructions for 4 KiB). Longer than a snippet (ACC_SNIPPET_WIDTH, lib/hits.h) by
 * more than a character, so that the snippet made of it is the one made of the whole chunk.
 * An index without the slot (made before it) decompresses chunk 0 as before.
 */
#define ACC_TEXT_LEAD 256

/* Gap inserted between title and body positions so phrases never span them. */
#define ACC_FIELD_GAP 100
/* wdf given to each title word in the body text, as a title boost */
#define ACC_TITLE_WDF 3
/* Xapian drops longer words; counted in bytes of UTF-8 */
#define ACC_MAX_WORD_BYTES 64
/* Hard limits on requests */
#define ACC_QUERY_MAX_BYTES 2048
#define ACC_LIMIT_MAX 100
#define ACC_OFFSET_MAX 10000
/* the shape of a query's text: each wildcard expands to up to 100 terms in every language
   parsed, each word is parsed once per language, each bracket nests a subquery */
#define ACC_QUERY_MAX_WORDS 64
#define ACC_QUERY_MAX_WILDCARDS 6
#define ACC_QUERY_MAX_DEPTH 8
#define ACC_QUERY_MAX_NEAR 8
/* seconds a query may run before Xapian returns the best matches found so far */
#define ACC_QUERY_TIME_LIMIT 2.0

#endif
