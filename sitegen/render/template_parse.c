/* template_parse: the Mustache compiler (see template_parse.h). */
#include "sitegen/render/template_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/error.h"
#include "lib/base/strbuf.h"
#include "lib/base/xalloc.h"

#define DELIM_MAX 16

struct compiler {
	struct template *t;
	const char *src;
	size_t len;
	char open[DELIM_MAX + 1], close[DELIM_MAX + 1];
	size_t olen, clen;
	/* incremental line/column tracking: offsets asked for only grow */
	size_t lc_off, lc_line_start;
	int lc_line;
	/* columns reported are shifted left by this much (partials compiled
	 * with their standalone indentation report original columns) */
	int col_shift;
	/* sections nest at most this deep */
	size_t max_nesting;
	/* open sections (node indices) */
	size_t *stack;
	size_t depth, stack_alloc;
};

static void line_col(struct compiler *c, size_t off, int *line, int *col)
{
	if (off < c->lc_off) {
		c->lc_off = 0;
		c->lc_line = 1;
		c->lc_line_start = 0;
	}
	for (; c->lc_off < off; c->lc_off++) {
		if (c->src[c->lc_off] == '\n') {
			c->lc_line++;
			c->lc_line_start = c->lc_off + 1;
		}
	}
	*line = c->lc_line;
	*col = (int)(off - c->lc_line_start) + 1 - c->col_shift;
	if (*col < 1)
		*col = 1;
}

static int cerror_at(struct compiler *c, size_t off, const char *fmt, const char *arg)
{
	int line, col;
	line_col(c, off, &line, &col);
	char msg[600];
	snprintf(msg, sizeof(msg), fmt, arg);
	return bk_error("%s:%d:%d: %s", c->t->name, line, col, msg);
}

static int is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static int is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

static struct node *add_node(struct compiler *c, enum node_kind kind, size_t off)
{
	struct template *t = c->t;
	ALLOC_GROW(t->nodes, t->nr + 1, t->alloc);
	struct node *n = &t->nodes[t->nr++];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	line_col(c, off, &n->line, &n->col);
	return n;
}

static void add_text(struct compiler *c, size_t from, size_t to)
{
	if (to <= from)
		return;
	struct node *n = add_node(c, NODE_TEXT, from);
	n->text = c->t->src + from;
	n->len = to - from;
}

/* Trims [*b, *e) of whitespace. */
static void trim(const char *s, size_t *b, size_t *e)
{
	while (*b < *e && is_space(s[*b]))
		(*b)++;
	while (*e > *b && is_space(s[*e - 1]))
		(*e)--;
}

/* Checks and stores the tag name s[b..e) on n; splits dotted names. */
static int set_name(struct compiler *c, struct node *n, size_t tag_off, size_t b, size_t e,
		    int dotted)
{
	if (b == e)
		return cerror_at(c, tag_off, "empty tag name%s", "");
	n->name = xstrndup(c->src + b, e - b);
	for (size_t i = b; i < e; i++)
		if (is_space(c->src[i]))
			return cerror_at(c, tag_off, "invalid tag name '%s'", n->name);
	if (!dotted || strcmp(n->name, ".") == 0)
		return 0;
	n->segbuf = xstrdup(n->name);
	unsigned count = 1;
	for (char *p = n->segbuf; *p; p++)
		count += *p == '.';
	n->seg = xmalloc(count * sizeof(*n->seg));
	char *p = n->segbuf;
	for (;;) {
		char *dot = strchr(p, '.');
		if (dot)
			*dot = '\0';
		if (!*p)
			return cerror_at(c, tag_off, "invalid dotted name '%s'", n->name);
		n->seg[n->nseg++] = p;
		if (!dot)
			break;
		p = dot + 1;
	}
	return 0;
}

/* Parses the body of a set-delimiter tag ("<% %>") and installs it. */
static int set_delims(struct compiler *c, size_t tag_off, size_t b, size_t e)
{
	trim(c->src, &b, &e);
	size_t m = b;
	while (m < e && !is_space(c->src[m]))
		m++;
	size_t o_end = m;
	while (m < e && is_space(c->src[m]))
		m++;
	size_t cl_b = m;
	while (m < e && !is_space(c->src[m]))
		m++;
	if (o_end == b || cl_b == e || m != e)
		return cerror_at(c, tag_off, "invalid set-delimiter tag%s", "");
	size_t olen = o_end - b, clen = e - cl_b;
	if (olen > DELIM_MAX || clen > DELIM_MAX)
		return cerror_at(c, tag_off, "delimiter longer than %s bytes", "16");
	if (memchr(c->src + b, '=', olen) || memchr(c->src + cl_b, '=', clen))
		return cerror_at(c, tag_off, "delimiter may not contain '%s'", "=");
	memcpy(c->open, c->src + b, olen);
	c->open[olen] = '\0';
	c->olen = olen;
	memcpy(c->close, c->src + cl_b, clen);
	c->close[clen] = '\0';
	c->clen = clen;
	return 0;
}

enum tag_kind { TAG_VAR, TAG_RAW, TAG_SECTION, TAG_INVERTED, TAG_CLOSE, TAG_COMMENT,
		TAG_PARTIAL, TAG_DELIM };

/* Finds `prefix` followed by the close delimiter at or after `from`;
 * returns its offset or (size_t)-1. */
static size_t find_close(struct compiler *c, size_t from, const char *prefix)
{
	char needle[DELIM_MAX + 2];
	size_t pl = strlen(prefix);
	memcpy(needle, prefix, pl);
	memcpy(needle + pl, c->close, c->clen);
	if (from > c->len)
		return (size_t)-1;
	const char *hit = memmem(c->src + from, c->len - from, needle, pl + c->clen);
	return hit ? (size_t)(hit - c->src) : (size_t)-1;
}

static int close_section(struct compiler *c, size_t tag_off, const char *name)
{
	if (!c->depth)
		return cerror_at(c, tag_off, "close tag '/%s' without an open section", name);
	struct node *open = &c->t->nodes[c->stack[c->depth - 1]];
	if (strcmp(open->name, name)) {
		char msg[300];
		snprintf(msg, sizeof(msg), "mismatched close tag '/%.100s': open section '%.100s' (%d:%d)",
			 name, open->name, open->line, open->col);
		return cerror_at(c, tag_off, "%s", msg);
	}
	open->end = c->t->nr;
	c->depth--;
	return 0;
}

/* A tag as scanned: its kind, where it starts (ts) and ends (te, past the
 * close delimiter) and its trimmed body [body_b, body_e). */
struct tag {
	enum tag_kind kind;
	size_t ts, te, body_b, body_e;
};

/* Scans the tag whose open delimiter starts at ts. 0, or -1 with bk_error
 * when it is not closed. */
static int scan_tag(struct compiler *c, size_t ts, struct tag *g)
{
	size_t p = ts + c->olen;
	g->ts = ts;
	if (p < c->len && c->src[p] == '{') {
		g->kind = TAG_RAW;
		g->body_b = p + 1;
		g->body_e = find_close(c, g->body_b, "}");
		g->te = g->body_e + 1 + c->clen;
	} else if (p < c->len && c->src[p] == '=') {
		g->kind = TAG_DELIM;
		g->body_b = p + 1;
		g->body_e = find_close(c, g->body_b, "=");
		g->te = g->body_e + 1 + c->clen;
	} else {
		while (p < c->len && is_space(c->src[p]))
			p++;
		g->kind = TAG_VAR;
		if (p < c->len) {
			switch (c->src[p]) {
			case '&': g->kind = TAG_RAW; p++; break;
			case '#': g->kind = TAG_SECTION; p++; break;
			case '^': g->kind = TAG_INVERTED; p++; break;
			case '/': g->kind = TAG_CLOSE; p++; break;
			case '!': g->kind = TAG_COMMENT; p++; break;
			case '>': g->kind = TAG_PARTIAL; p++; break;
			}
		}
		g->body_b = p;
		g->body_e = find_close(c, g->body_b, "");
		g->te = g->body_e + c->clen;
	}
	if (g->body_e == (size_t)-1)
		return cerror_at(c, ts, "unclosed tag (no '%s' follows)", c->close);
	trim(c->src, &g->body_b, &g->body_e);
	return 0;
}

/* 1 when tag g is standalone: the only thing on its line but whitespace
 * (text before it starts at text_start); then *line_start and *after get
 * the bounds of that line, which the tag swallows. Interpolations are never
 * standalone. */
static int standalone_line(const struct compiler *c, const struct tag *g, size_t text_start,
			   size_t *line_start, size_t *after)
{
	if (g->kind == TAG_VAR || g->kind == TAG_RAW)
		return 0;
	size_t i = g->ts;
	while (i > text_start && is_blank(c->src[i - 1]))
		i--;
	/* src[i-1] is text, or the last byte of the previous tag (a delimiter,
	 * never '\n') unless that tag was standalone */
	if (i != 0 && c->src[i - 1] != '\n')
		return 0;
	size_t j = g->te;
	while (j < c->len && is_blank(c->src[j]))
		j++;
	if (j == c->len) {
		/* standalone at the end of the source */
	} else if (c->src[j] == '\n') {
		j++;
	} else if (c->src[j] == '\r' && j + 1 < c->len && c->src[j + 1] == '\n') {
		j += 2;
	} else {
		return 0;
	}
	*line_start = i;
	*after = j;
	return 1;
}

/* Adds the node(s) of tag g (line_start: where its line starts when
 * standalone, for a partial's indentation). 0 or -1 with bk_error. */
static int add_tag(struct compiler *c, const struct tag *g, int standalone, size_t line_start)
{
	struct node *n;
	size_t ts = g->ts;
	switch (g->kind) {
	case TAG_VAR:
	case TAG_RAW:
		n = add_node(c, g->kind == TAG_VAR ? NODE_VAR : NODE_RAW, ts);
		return set_name(c, n, ts, g->body_b, g->body_e, 1) ? -1 : 0;
	case TAG_SECTION:
	case TAG_INVERTED: {
		if (c->depth >= c->max_nesting) {
			char lim[32];
			snprintf(lim, sizeof(lim), "%zu", c->max_nesting);
			return cerror_at(c, ts, "sections nested deeper than %s", lim);
		}
		n = add_node(c, g->kind == TAG_SECTION ? NODE_SECTION : NODE_INVERTED, ts);
		if (set_name(c, n, ts, g->body_b, g->body_e, 1))
			return -1;
		ALLOC_GROW(c->stack, c->depth + 1, c->stack_alloc);
		c->stack[c->depth++] = c->t->nr - 1;
		return 0;
	}
	case TAG_CLOSE: {
		char *name = xstrndup(c->src + g->body_b, g->body_e - g->body_b);
		int rc = close_section(c, ts, name);
		free(name);
		return rc ? -1 : 0;
	}
	case TAG_COMMENT:
		return 0;
	case TAG_PARTIAL:
		n = add_node(c, NODE_PARTIAL, ts);
		if (set_name(c, n, ts, g->body_b, g->body_e, 0))
			return -1;
		n->indent = xstrndup(c->src + line_start, standalone ? ts - line_start : 0);
		return 0;
	case TAG_DELIM:
		return set_delims(c, ts, g->body_b, g->body_e) ? -1 : 0;
	}
	return 0;
}

/* Compiles c->src into c->t: text between tags, then each tag. 0 or -1 with
 * bk_error. */
static int compile(struct compiler *c)
{
	size_t pos = 0, text_start = 0;
	while (pos < c->len) {
		const char *hit = memmem(c->src + pos, c->len - pos, c->open, c->olen);
		if (!hit)
			break;
		struct tag g;
		if (scan_tag(c, (size_t)(hit - c->src), &g))
			return -1;
		size_t line_start = g.ts, after = g.te;
		int standalone = standalone_line(c, &g, text_start, &line_start, &after);
		add_text(c, text_start, standalone ? line_start : g.ts);
		if (add_tag(c, &g, standalone, line_start))
			return -1;
		pos = text_start = after;
	}
	add_text(c, text_start, c->len);
	if (c->depth) {
		struct node *open = &c->t->nodes[c->stack[c->depth - 1]];
		return bk_error("%s:%d:%d: unclosed section '%s'", c->t->name, open->line, open->col,
				open->name);
	}
	return 0;
}


int template_parse(struct template **out, const char *name, const char *src, int col_shift,
		   size_t max_nesting)
{
	struct template *t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(name ? name : "template");
	t->src = xstrdup(src ? src : "");
	struct compiler c = { .t = t, .src = t->src, .len = strlen(t->src), .open = "{{",
			      .close = "}}", .olen = 2, .clen = 2, .lc_line = 1,
			      .col_shift = col_shift, .max_nesting = max_nesting };
	int rc = compile(&c);
	free(c.stack);
	if (rc) {
		template_parse_free(t);
		*out = NULL;
		return -1;
	}
	*out = t;
	return 0;
}

void template_parse_free(struct template *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nr; i++) {
		free(t->nodes[i].name);
		free(t->nodes[i].segbuf);
		free(t->nodes[i].seg);
		free(t->nodes[i].indent);
	}
	free(t->nodes);
	free(t->src);
	free(t->name);
	free(t);
}
