/* template_parse: compiles Mustache source into the form the renderer
 * (template.c) walks: a flat array of nodes where a section node records
 * the index one past its last child. Not a public interface: see
 * template.h. */
#ifndef BK_TEMPLATE_PARSE_H
#define BK_TEMPLATE_PARSE_H

#include <stddef.h>

enum node_kind { NODE_TEXT, NODE_VAR, NODE_RAW, NODE_SECTION, NODE_INVERTED, NODE_PARTIAL };

struct node {
	enum node_kind kind;
	int line, col;
	/* NODE_TEXT: a slice of the template's source */
	const char *text;
	size_t len;
	/* tags: the name as written (owned) and, for lookups, its dotted
	 * segments (pointers into segbuf; nseg 0 = the implicit iterator) */
	char *name;
	char *segbuf;
	char **seg;
	unsigned nseg;
	/* NODE_SECTION / NODE_INVERTED: index one past the last child */
	size_t end;
	/* NODE_PARTIAL: indentation of a standalone tag ("" when inline) */
	char *indent;
};

struct template {
	char *name;
	char *src;
	struct node *nodes;
	size_t nr, alloc;
	/* size of the last output rendered through a template_cache (read and
	 * written atomically): the next output buffer is sized to it at once
	 * instead of growing by doubling from 64 bytes */
	size_t size_hint;
};

/* Compiles src into *out (free with template_parse_free); `name` (NULL:
 * "template") is used in errors, whose columns are shifted left by
 * col_shift (a partial compiled with its standalone indentation reports
 * the original columns); sections nest at most max_nesting deep. 0, or -1
 * with bk_error set and *out NULL. */
int template_parse(struct template **out, const char *name, const char *src, int col_shift,
		   size_t max_nesting);
/* Frees t and its nodes; NULL is fine. */
void template_parse_free(struct template *t);

#endif
