/* tests/fuzz/fuzz_util.c: see fuzz_util.h. */
#include "fuzz_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accord/doc.h"
#include "accord/mem.h"
#include "accord/writer.h"

const char *fz_lang(uint8_t b)
{
    static const char *const langs[] = {"en", "fr", "es", "de", "nl", "ru",  "zh", "it",
                                        "pt", "ar", "ro", "pl", "el", "und", "",   "xx"};
    return langs[b % (sizeof langs / sizeof langs[0])];
}

size_t fz_split(const uint8_t *d, size_t n, const char **f, size_t *len, size_t max)
{
    size_t k = 0, a = 0;
    if (!max)
        return 0;
    for (size_t i = 0; i < n && k + 1 < max; i++)
        if (d[i] == '\n') {
            f[k] = (const char *)d + a;
            len[k++] = i - a;
            a = i + 1;
        }
    f[k] = (const char *)d + a;
    len[k++] = n - a;
    return k;
}

char *fz_dup(const char *p, size_t n)
{
    char *s = acc_xmalloc(n + 1);
    if (n)
        memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

static char dir[64];
static char index_path[128];
static acc_index *shared;

static void cleanup(void)
{
    acc_index_close(shared);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "fuzz: cannot remove %s\n", dir);
}

static void put(acc_writer *w, const char *id, const char *lang, const char *title,
                const char *date, const char *type, const char *text)
{
    acc_doc doc;
    acc_built_doc *b = NULL;
    acc_error err;
    static const char *const parties[] = {"France", "Germany"};
    memset(&doc, 0, sizeof doc);
    doc.id = id;
    doc.title = title;
    snprintf(doc.lang, sizeof doc.lang, "%s", lang);
    snprintf(doc.date, sizeof doc.date, "%s", date);
    doc.type = type;
    doc.parties = (const char **)parties;
    doc.nparties = 2;
    doc.path = "";
    doc.text = text;
    doc.text_len = strlen(text);
    if (acc_docbuild(&doc, NULL, &b, &err) != ACC_OK ||
        acc_writer_write(w, b, NULL, &err) != ACC_OK) {
        fprintf(stderr, "fuzz: cannot index %s: %s\n", id, err.msg);
        abort();
    }
    acc_built_doc_free(b);
}

/* the documents of the index: id, language, title, date, type, text */
static const char *const docs[][6] = {
    {"paris-en", "en", "Paris Agreement", "2015-12-12", "treaty",
     "Article 2\n\nThis Agreement aims to strengthen the global response to the threat of "
     "climate change. Parties aim to reach global peaking of greenhouse gas emissions as soon "
     "as possible. The European Union commits to reduce its emissions by at least 55% by 2030 "
     "compared to 1990 and to reach climate neutrality by 2050."},
    {"paris-fr", "fr", "Accord de Paris", "2015-12-12", "treaty",
     "Article 2\n\nLe présent Accord vise à renforcer la riposte mondiale à la menace des "
     "changements climatiques. La France s'engage à réduire de 40 % ses émissions de gaz à "
     "effet de serre d'ici 2030 par rapport à 1990 et à atteindre la neutralité carbone en "
     "2050."},
    {"plan-es", "es", "Plan de acción climática", "2021-03-01", "action-plan",
     "La ciudad se compromete a reducir sus emisiones un 65% para 2030 y a proteger el 30% de "
     "su territorio. Energías renovables: 74% de la electricidad en 2030."},
    {"gesetz-de", "de", "Klimaschutzgesetz", "2021-08-31", "policy",
     "§ 3 Nationale Klimaschutzziele. (1) Die Treibhausgasemissionen werden im Vergleich zum "
     "Jahr 1990 schrittweise wie folgt gemindert: bis zum Jahr 2030 um mindestens 65 Prozent. "
     "(2) Bis zum Jahr 2045 werden die Treibhausgasemissionen so weit gemindert, dass "
     "Netto-Treibhausgasneutralität erreicht wird."},
    {"verdrag-nl", "nl", "Verdrag inzake biologische diversiteit", "1992-06-05", "treaty",
     "Artikel 8. Elke Verdragsluitende Partij zal, voor zover mogelijk, een stelsel van "
     "beschermde gebieden instellen. Wetlands en biodiversiteit worden beschermd."},
    {"ndc-ru", "ru", "Определяемый на национальном уровне вклад", "2020-11-25", "ndc",
     "Ограничение выбросов парниковых газов к 2030 году до 70 процентов относительно уровня "
     "1990 года с учетом максимально возможной поглощающей способности лесов."},
    {"policy-zh", "zh", "应对气候变化政策", "2021-10-27", "policy",
     "中国将力争2030年前实现碳达峰、2060年前实现碳中和。到2030年，非化石能源占一次能源消费比重将"
     "达到"
     "25%左右。"},
    {"press-en", "en", "Press release: ocean protection", "2022-06-30", "other",
     "Leaders pledged to protect 30% of the ocean by 2030. The coal phase-out by 2035 was "
     "discussed; renewable energy shall reach 45% of final consumption by 2030."},
};

acc_index *fz_index(void)
{
    if (shared)
        return shared;
    acc_writer *w = NULL;
    acc_error err;
    char *path = index_path;
    snprintf(dir, sizeof dir, "/tmp/accord-fuzz-XXXXXX");
    if (!mkdtemp(dir))
        abort();
    snprintf(index_path, sizeof index_path, "%s/index", dir);
    if (acc_writer_open(path, &w, &err) != ACC_OK) {
        fprintf(stderr, "fuzz: %s\n", err.msg);
        abort();
    }
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++)
        put(w, docs[i][0], docs[i][1], docs[i][2], docs[i][3], docs[i][4], docs[i][5]);
    if (acc_writer_commit(w, &err) != ACC_OK) {
        fprintf(stderr, "fuzz: %s\n", err.msg);
        abort();
    }
    acc_writer_close(w);
    if (acc_index_open(path, &shared, &err) != ACC_OK) {
        fprintf(stderr, "fuzz: %s\n", err.msg);
        abort();
    }
    atexit(cleanup);
    return shared;
}

const char *fz_index_path(void)
{
    fz_index();
    return index_path;
}
