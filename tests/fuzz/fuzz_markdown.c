/* fuzz_markdown: cmark-gfm through sitegen/markdown on hostile markdown, and
 * the markdown escaping every summary relies on.
 *
 * The input is rendered as markdown (markdown_to_html, markdown_table_info).
 * Then it is used as a hostile value (up to the first NUL): escaped with
 * escape_markdown and placed as a table cell and as paragraph text.
 * Invariants: the table stays one table of one row and one column (no '|'
 * or newline breaks out of the cell), and the HTML has no tag the value
 * brought in: only the table's / the paragraph's own (this found that an
 * e-mail address still became a mailto: link after escaping). */
#include "fuzz.h"

#include <string.h>

#include "lib/base/escape.h"
#include "sitegen/render/markdown.h"
#include "lib/base/xalloc.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* Counts "<" in html that do not start one of the allowed tags. */
static int foreign_tags(const char *html, const char *const *allowed)
{
	int bad = 0;
	for (const char *p = strchr(html, '<'); p; p = strchr(p + 1, '<')) {
		int ok = 0;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = !strncmp(p, *a, strlen(*a));
		bad += !ok;
	}
	return bad;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *html = markdown_to_html((const char *)data, size);
	free(html);
	int nt, rows, cols;
	markdown_table_info((const char *)data, size, &nt, &rows, &cols);

	char *value = xstrndup((const char *)data, size);
	struct strbuf md = STRBUF_INIT;
	strbuf_addstr(&md, "| h |\n| --- |\n| ");
	escape_markdown(&md, value);
	strbuf_addstr(&md, " |\n");
	if (markdown_table_info(md.buf, md.len, &nt, &rows, &cols) < 0)
		fuzz_fail("markdown_table_info failed", NULL);
	if (nt != 1 || rows != 1 || cols != 1)
		fuzz_fail("an escaped value broke out of its table cell", md.buf);
	html = markdown_to_html(md.buf, md.len);
	static const char *const table_tags[] = { "<table>", "</table>", "<thead>", "</thead>",
						  "<tbody>", "</tbody>", "<tr>", "</tr>", "<th>",
						  "</th>", "<td>", "</td>", NULL };
	if (!html || foreign_tags(html, table_tags))
		fuzz_fail("an escaped table cell rendered a tag", html);
	free(html);

	strbuf_reset(&md);
	strbuf_addstr(&md, "x ");
	escape_markdown(&md, value);
	strbuf_addstr(&md, " y\n");
	html = markdown_to_html(md.buf, md.len);
	static const char *const p_tags[] = { "<p>", "</p>", NULL };
	if (!html || foreign_tags(html, p_tags))
		fuzz_fail("escaped text rendered a tag", html);
	free(html);
	strbuf_release(&md);
	free(value);
	return 0;
}
