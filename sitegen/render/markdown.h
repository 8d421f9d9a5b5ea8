/* markdown: GitHub-flavoured markdown to HTML through cmark-gfm (the only
 * file that includes cmark-gfm's headers). Safe mode: raw HTML in the input
 * is omitted, never passed through. Thread-safe. */
#ifndef BK_MARKDOWN_H
#define BK_MARKDOWN_H

#include <stddef.h>

/* Renders `len` bytes of GitHub-flavoured markdown (table, autolink,
 * strikethrough, tagfilter, tasklist extensions; raw HTML omitted) to HTML.
 * Returns a heap string (caller frees) or NULL with bk_error set. */
char *markdown_to_html(const char *md, size_t len);

/* Parses md and stores the number of GFM tables in *ntables and, for the
 * first one, its number of body rows (header excluded) in *first_table_rows
 * and of columns in *first_table_cols (both 0 when there is no table). Any
 * output pointer may be NULL. Returns 0, or -1 with bk_error set. */
int markdown_table_info(const char *md, size_t len, int *ntables, int *first_table_rows,
			int *first_table_cols);

#endif
