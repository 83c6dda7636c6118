/*
 * Document structure: where each article (or section) of a treaty or law
 * starts, so that a hit can say which article it is in.
 *
 * A heading is a line that starts with an article word and a number:
 * Article 4, Article premier, ARTICLE IV, Art. 2, Artikel 2, § 3, Artículo 3,
 * Articolo 5, Artigo 6, Articolul 7, Artykuł 8, Статья 5, المادة 2, Section 1,
 * and 第三条 (Chinese numerals or digits). A line of running text that merely
 * starts with "Article 4 of the Convention shall ..." is not a heading: after
 * the number comes the end of the line, punctuation, or a short title.
 */
#ifndef ACCORD_STRUCTURE_H
#define ACCORD_STRUCTURE_H

#include <stddef.h>

#include "accord/doc.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ACC_ARTICLES_MAX 5000
#define ACC_ARTICLE_LABEL_MAX 48

/*
 * Finds the article headings of text[0..n) (valid UTF-8). Returns their
 * number and sets *out to an array (caller frees with acc_articles_free);
 * labels are copies of the heading as written ("Article 4", "第三条").
 */
size_t acc_articles_find(const char *text, size_t n, acc_article **out);
void acc_articles_free(acc_article *a, size_t n);

#ifdef __cplusplus
}
#endif

#endif
