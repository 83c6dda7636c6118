/*
 * cli/table.c: accord-search's table for a terminal (cli/table.h): rank,
 * title, id, language, date, type, score, article, topics, other language
 * versions, the snippet with its matches in bold, facet counts and "did you
 * mean". Colour only when asked (a terminal without NO_COLOR).
 */
#include "table.h"

#include "accord/commit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/mem.h"

/* Prints an HTML-escaped snippet for a terminal: entities decoded, <mark> as bold. */
static void print_snippet(const char *s, int colour)
{
    static const struct {
        const char *from, *to;
    } map[] = {{"&lt;", "<"},    {"&gt;", ">"},  {"&amp;", "&"},
               {"&quot;", "\""}, {"&#39;", "'"}, {"&#x27;", "'"}};
    while (*s) {
        size_t i;
        if (strncmp(s, "<mark>", 6) == 0) {
            fputs(colour ? "\033[1;33m" : "[", stdout);
            s += 6;
            continue;
        }
        if (strncmp(s, "</mark>", 7) == 0) {
            fputs(colour ? "\033[0m" : "]", stdout);
            s += 7;
            continue;
        }
        for (i = 0; i < sizeof map / sizeof map[0]; i++) {
            size_t k = strlen(map[i].from);
            if (strncmp(s, map[i].from, k) == 0) {
                fputs(map[i].to, stdout);
                s += k;
                break;
            }
        }
        if (i < sizeof map / sizeof map[0])
            continue;
        putchar(*s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s);
        s++;
    }
}

void cli_print_table(const acc_results *r, unsigned offset, int colour)
{
    printf("%s%lu result%s (%.1f ms, index revision %lu)\n", r->total_exact ? "" : "about ",
           r->total, r->total == 1 ? "" : "s", r->took_ms, r->revision);
    if (r->message[0])
        printf("note: %s\n", r->message);
    if (r->suggestion)
        printf("did you mean: %s\n", r->suggestion);
    if (r->ntranslations) {
        printf("query read as %s; translated:", r->query_lang[0] ? r->query_lang : "?");
        for (size_t i = 0; i < r->ntranslations; i++) {
            printf("%s %s:", i ? ";" : "", r->translations[i].lang);
            for (size_t k = 0; k < r->translations[i].n && k < 12; k++)
                printf("%s %s", k ? "," : "", r->translations[i].words[k]);
            if (r->translations[i].n > 12)
                printf(", ...");
        }
        putchar('\n');
    }
    for (size_t i = 0; i < r->nhits; i++) {
        const acc_hit *h = &r->hits[i];
        printf("\n%s%3zu. %s%s\n", colour ? "\033[1m" : "", offset + i + 1, h->title,
               colour ? "\033[0m" : "");
        printf("     %s  [%s]  %s  %s  score %.2f%s%s\n", h->id, h->lang, *h->date ? h->date : "-",
               *h->type ? h->type : "-", h->score, h->article ? "  in " : "",
               h->article ? h->article : "");
        if (h->ntopics) {
            printf("     topics:");
            for (size_t k = 0; k < h->ntopics; k++)
                printf(" %s", h->topics[k]);
            putchar('\n');
        }
        if (h->commitment) {
            /* the commitment the filters matched: "target: reduction 26-28% by 2030 (base 2005,
               binding)" */
            const acc_commitment *c = h->commitment;
            printf("     target: %s", acc_commit_kind_name(c->kind));
            if (c->value >= 0)
                printf(c->value_max > c->value ? " %g-%g%%" : " %g%%", c->value, c->value_max);
            printf(" by %d (", c->year);
            if (c->base == ACC_BASE_BAU)
                printf("against business as usual, ");
            else if (c->base > 0)
                printf("base %d, ", c->base);
            if (c->conditional >= 0)
                printf("%s, ", c->conditional ? "conditional" : "unconditional");
            printf("%s)\n", acc_commit_strength_name(c->strength));
        }
        if (h->nversions) {
            printf("     also in:");
            for (size_t k = 0; k < h->nversions; k++)
                printf(" %s (%s)", h->versions[k].lang, h->versions[k].id);
            putchar('\n');
        }
        if (h->snippet && *h->snippet) {
            fputs("     ", stdout);
            print_snippet(h->snippet, colour);
            putchar('\n');
        }
        if (h->explain)
            printf("     matched: %s\n", h->explain);
    }
    for (int k = 0; k < ACC_FACET_COUNT; k++) {
        if (!(r->facets_asked & (1u << k)))
            continue;
        printf("\n%s:", acc_facet_name((acc_facet_kind)k));
        for (size_t i = 0; i < r->facets[k].n && i < 30; i++)
            printf("%s %s %lu", i ? "," : "", r->facets[k].values[i].value,
                   r->facets[k].values[i].count);
        if (r->facets[k].n > 30)
            printf(", ... (%zu values)", r->facets[k].n);
        putchar('\n');
    }
}
