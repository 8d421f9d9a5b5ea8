/* markdown: cmark-gfm wrapper. The extension registry is filled once
 * (pthread_once); each call has its own parser, so calls may run in
 * parallel. */
#include "sitegen/render/markdown.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include "lib/base/error.h"

static pthread_once_t registered = PTHREAD_ONCE_INIT;

static void register_extensions(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

/* A parser with the GFM extensions attached and md fed and finished; the
 * document in *doc. Returns the parser (caller frees both) or NULL. */
static cmark_parser *parse(const char *md, size_t len, cmark_node **doc)
{
	static const char *const extensions[] = { "table", "autolink", "strikethrough", "tagfilter",
						  "tasklist" };
	pthread_once(&registered, register_extensions);
	cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
	if (!p) {
		bk_error("cannot create a markdown parser");
		return NULL;
	}
	for (size_t i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++) {
		cmark_syntax_extension *ext = cmark_find_syntax_extension(extensions[i]);
		if (!ext || !cmark_parser_attach_syntax_extension(p, ext)) {
			bk_error("markdown extension '%s' is not available", extensions[i]);
			cmark_parser_free(p);
			return NULL;
		}
	}
	cmark_parser_feed(p, md ? md : "", md ? len : 0);
	*doc = cmark_parser_finish(p);
	if (!*doc) {
		bk_error("cannot parse markdown");
		cmark_parser_free(p);
		return NULL;
	}
	return p;
}

char *markdown_to_html(const char *md, size_t len)
{
	cmark_node *doc;
	cmark_parser *p = parse(md, len, &doc);
	if (!p)
		return NULL;
	/* the extension list is owned by the parser */
	char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(p));
	cmark_node_free(doc);
	cmark_parser_free(p);
	if (!html)
		bk_error("cannot render markdown to html");
	return html;
}

int markdown_table_info(const char *md, size_t len, int *ntables, int *first_table_rows,
			int *first_table_cols)
{
	cmark_node *doc;
	cmark_parser *p = parse(md, len, &doc);
	if (!p)
		return -1;
	int tables = 0, rows = 0, cols = 0;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *n = cmark_iter_get_node(it);
		const char *type = cmark_node_get_type_string(n);
		if (!strcmp(type, "table")) {
			if (++tables == 1)
				cols = cmark_gfm_extensions_get_table_columns(n);
		} else if (tables == 1 && !strcmp(type, "table_row") &&
			   !cmark_gfm_extensions_get_table_row_is_header(n)) {
			rows++;
		}
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	cmark_parser_free(p);
	if (ntables)
		*ntables = tables;
	if (first_table_rows)
		*first_table_rows = rows;
	if (first_table_cols)
		*first_table_cols = cols;
	return 0;
}
