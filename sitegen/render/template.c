/* template: Mustache subset. A template compiles to a flat array of nodes; a
 * section node records the index one past its last child, so rendering is a
 * loop over the array that recurses only into section bodies and partials. */
#include "sitegen/render/template.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/base/error.h"
#include "lib/base/escape.h"
#include "lib/base/xalloc.h"

#define DELIM_MAX 16
#define PARTIAL_FILE_MAX ((size_t)16 * 1024 * 1024)

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

/* ---------------------------------------------------------------- compile */

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

static int compile(struct compiler *c)
{
	size_t pos = 0, text_start = 0;
	while (pos < c->len) {
		const char *hit = memmem(c->src + pos, c->len - pos, c->open, c->olen);
		if (!hit)
			break;
		size_t ts = (size_t)(hit - c->src);
		size_t p = ts + c->olen, body_b, body_e, te;
		enum tag_kind kind;
		if (p < c->len && c->src[p] == '{') {
			kind = TAG_RAW;
			body_b = p + 1;
			body_e = find_close(c, body_b, "}");
			te = body_e + 1 + c->clen;
		} else if (p < c->len && c->src[p] == '=') {
			kind = TAG_DELIM;
			body_b = p + 1;
			body_e = find_close(c, body_b, "=");
			te = body_e + 1 + c->clen;
		} else {
			while (p < c->len && is_space(c->src[p]))
				p++;
			kind = TAG_VAR;
			if (p < c->len) {
				switch (c->src[p]) {
				case '&': kind = TAG_RAW; p++; break;
				case '#': kind = TAG_SECTION; p++; break;
				case '^': kind = TAG_INVERTED; p++; break;
				case '/': kind = TAG_CLOSE; p++; break;
				case '!': kind = TAG_COMMENT; p++; break;
				case '>': kind = TAG_PARTIAL; p++; break;
				}
			}
			body_b = p;
			body_e = find_close(c, body_b, "");
			te = body_e + c->clen;
		}
		if (body_e == (size_t)-1)
			return cerror_at(c, ts, "unclosed tag (no '%s' follows)", c->close);
		trim(c->src, &body_b, &body_e);

		/* standalone: the only thing on its line but whitespace */
		int standalone = 0;
		size_t line_start = ts, after = te;
		if (kind != TAG_VAR && kind != TAG_RAW) {
			size_t i = ts;
			while (i > text_start && is_blank(c->src[i - 1]))
				i--;
			/* src[i-1] is text, or the last byte of the previous tag (a
			 * delimiter, never '\n') unless that tag was standalone */
			if (i == 0 || c->src[i - 1] == '\n') {
				size_t j = te;
				while (j < c->len && is_blank(c->src[j]))
					j++;
				if (j == c->len) {
					standalone = 1;
				} else if (c->src[j] == '\n') {
					standalone = 1;
					j++;
				} else if (c->src[j] == '\r' && j + 1 < c->len && c->src[j + 1] == '\n') {
					standalone = 1;
					j += 2;
				}
				if (standalone) {
					line_start = i;
					after = j;
				}
			}
		}
		add_text(c, text_start, standalone ? line_start : ts);

		struct node *n;
		switch (kind) {
		case TAG_VAR:
		case TAG_RAW:
			n = add_node(c, kind == TAG_VAR ? NODE_VAR : NODE_RAW, ts);
			if (set_name(c, n, ts, body_b, body_e, 1))
				return -1;
			break;
		case TAG_SECTION:
		case TAG_INVERTED:
			if (c->depth >= TEMPLATE_MAX_NESTING)
				return cerror_at(c, ts, "sections nested deeper than %s", "100");
			n = add_node(c, kind == TAG_SECTION ? NODE_SECTION : NODE_INVERTED, ts);
			if (set_name(c, n, ts, body_b, body_e, 1))
				return -1;
			ALLOC_GROW(c->stack, c->depth + 1, c->stack_alloc);
			c->stack[c->depth++] = c->t->nr - 1;
			break;
		case TAG_CLOSE: {
			char *name = xstrndup(c->src + body_b, body_e - body_b);
			int rc = close_section(c, ts, name);
			free(name);
			if (rc)
				return -1;
			break;
		}
		case TAG_COMMENT:
			break;
		case TAG_PARTIAL:
			n = add_node(c, NODE_PARTIAL, ts);
			if (set_name(c, n, ts, body_b, body_e, 0))
				return -1;
			n->indent = xstrndup(c->src + line_start, standalone ? ts - line_start : 0);
			break;
		case TAG_DELIM:
			if (set_delims(c, ts, body_b, body_e))
				return -1;
			break;
		}
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

static int compile_shifted(struct template **out, const char *name, const char *src,
			   int col_shift)
{
	struct template *t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(name ? name : "template");
	t->src = xstrdup(src ? src : "");
	struct compiler c = { .t = t, .src = t->src, .len = strlen(t->src), .open = "{{",
			      .close = "}}", .olen = 2, .clen = 2, .lc_line = 1,
			      .col_shift = col_shift };
	int rc = compile(&c);
	free(c.stack);
	if (rc) {
		template_free(t);
		*out = NULL;
		return -1;
	}
	*out = t;
	return 0;
}

int template_compile(struct template **out, const char *name, const char *src)
{
	return compile_shifted(out, name, src, 0);
}

void template_free(struct template *t)
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

const char *template_name(const struct template *t)
{
	return t->name;
}

/* Returns src with `indent` put before every line (a final newline starts no
 * new line). Caller frees. */
static char *indent_source(const char *src, const char *indent)
{
	struct strbuf sb = STRBUF_INIT;
	size_t il = strlen(indent);
	strbuf_add(&sb, indent, il);
	for (const char *p = src; *p; p++) {
		strbuf_addch(&sb, *p);
		if (*p == '\n' && p[1])
			strbuf_add(&sb, indent, il);
	}
	return strbuf_detach(&sb, NULL);
}

/* Loads and compiles the partial `name` with `indent`; *out NULL when the
 * loader has no such partial. 0 or -1 with bk_error. */
static int load_partial(template_partial_fn load, void *payload, const char *name,
			const char *indent, struct template **out)
{
	*out = NULL;
	char *src = load ? load(payload, name) : NULL;
	if (!src)
		return 0;
	if (*indent) {
		char *ind = indent_source(src, indent);
		free(src);
		src = ind;
	}
	int rc = compile_shifted(out, name, src, (int)strlen(indent));
	free(src);
	return rc;
}

/* ------------------------------------------------------------------ cache */

struct partial_entry {
	char *name;
	char *indent;
	struct template *t; /* NULL: absent */
};

struct template_cache {
	template_partial_fn load;
	void *payload;
	pthread_mutex_t lock;
	struct partial_entry *entries;
	size_t nr, alloc;
};

static struct partial_entry *entry_find(struct partial_entry *e, size_t nr, const char *name,
					const char *indent)
{
	for (size_t i = 0; i < nr; i++)
		if (!strcmp(e[i].name, name) && !strcmp(e[i].indent, indent))
			return &e[i];
	return NULL;
}

static void entries_free(struct partial_entry *e, size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		free(e[i].name);
		free(e[i].indent);
		template_free(e[i].t);
	}
	free(e);
}

struct template_cache *template_cache_new(template_partial_fn load, void *payload)
{
	struct template_cache *c = xcalloc(1, sizeof(*c));
	c->load = load;
	c->payload = payload;
	pthread_mutex_init(&c->lock, NULL);
	return c;
}

void template_cache_free(struct template_cache *c)
{
	if (!c)
		return;
	entries_free(c->entries, c->nr);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* The cached template (name, indent), loading it on first use; *out NULL
 * when absent. 0 or -1 with bk_error. */
static int cache_lookup(struct template_cache *c, const char *name, const char *indent,
			const struct template **out)
{
	pthread_mutex_lock(&c->lock);
	struct partial_entry *e = entry_find(c->entries, c->nr, name, indent);
	int rc = 0;
	if (e) {
		*out = e->t;
	} else {
		struct template *t;
		rc = load_partial(c->load, c->payload, name, indent, &t);
		if (!rc) {
			ALLOC_GROW(c->entries, c->nr + 1, c->alloc);
			c->entries[c->nr++] = (struct partial_entry){ xstrdup(name), xstrdup(indent), t };
			*out = t;
		}
	}
	pthread_mutex_unlock(&c->lock);
	return rc;
}

const struct template *template_cache_get(struct template_cache *c, const char *name)
{
	const struct template *t;
	if (cache_lookup(c, name, "", &t))
		return NULL;
	if (!t)
		bk_error("template '%s' not found", name);
	return t;
}

/* ----------------------------------------------------------------- render */

struct render {
	enum template_escape escape;
	template_partial_fn load;
	void *payload;
	struct template_cache *cache;
	/* partials compiled during this render (when no cache) */
	struct partial_entry *local;
	size_t nlocal, alloc_local;
	/* context stack, innermost last */
	const cJSON **ctx;
	size_t nctx, alloc_ctx;
	struct strbuf *out;
	size_t out_start;
	unsigned long steps;
	int partial_depth;
};

static int rerror(const struct template *t, const struct node *n, const char *msg)
{
	return bk_error("%s:%d:%d: %s", t->name, n->line, n->col, msg);
}

/* The member `name` of object o (first match, case-sensitive), as
 * cJSON_GetObjectItemCaseSensitive finds it; the first byte is compared
 * before calling strcmp. */
static const cJSON *member(const cJSON *o, const char *name)
{
	for (const cJSON *e = o->child; e; e = e->next)
		if (e->string && e->string[0] == name[0] && !strcmp(e->string, name))
			return e;
	return NULL;
}

static const cJSON *lookup(const struct render *r, const struct node *n)
{
	if (!n->nseg)
		return r->ctx[r->nctx - 1];
	const cJSON *v = NULL;
	for (size_t i = r->nctx; i-- > 0;) {
		if (cJSON_IsObject(r->ctx[i])) {
			v = member(r->ctx[i], n->seg[0]);
			if (v)
				break;
		}
	}
	for (unsigned k = 1; v && k < n->nseg; k++)
		v = cJSON_IsObject(v) ? member(v, n->seg[k]) : NULL;
	return v;
}

static int falsey(const cJSON *v)
{
	if (!v || cJSON_IsFalse(v) || cJSON_IsNull(v))
		return 1;
	if (cJSON_IsArray(v))
		return v->child == NULL;
	if (cJSON_IsString(v))
		return !v->valuestring || !*v->valuestring;
	return 0;
}

static void emit(struct render *r, const char *s, int escape)
{
	if (!escape || r->escape == TEMPLATE_ESCAPE_NONE)
		strbuf_addstr(r->out, s);
	else if (r->escape == TEMPLATE_ESCAPE_HTML)
		escape_html(r->out, s);
	else
		escape_markdown(r->out, s);
}

/* True when s is number text (needs no escaping in any mode). */
static int numeric_text(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!strchr("0123456789.eE+-", *s))
			return 0;
	return 1;
}

static void append_value(struct render *r, const cJSON *v, int escape)
{
	if (!v || cJSON_IsNull(v))
		return;
	if (cJSON_IsString(v)) {
		if (v->valuestring)
			emit(r, v->valuestring, escape);
	} else if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		if (d > -9007199254740992.0 && d < 9007199254740992.0 && d == (double)(int64_t)d)
			strbuf_addi(r->out, (long long)d);
		else
			strbuf_add_double(r->out, d);
	} else if (cJSON_IsRaw(v)) {
		if (v->valuestring)
			emit(r, v->valuestring, escape && !numeric_text(v->valuestring));
	} else if (cJSON_IsTrue(v)) {
		strbuf_addstr(r->out, "true");
	} else if (cJSON_IsFalse(v)) {
		strbuf_addstr(r->out, "false");
	} else {
		char *s = cJSON_PrintUnformatted(v);
		if (s)
			emit(r, s, escape);
		cJSON_free(s);
	}
}

static void push(struct render *r, const cJSON *v)
{
	ALLOC_GROW(r->ctx, r->nctx + 1, r->alloc_ctx);
	r->ctx[r->nctx++] = v;
}

static int get_partial(struct render *r, const struct node *n, const struct template **out)
{
	if (r->cache)
		return cache_lookup(r->cache, n->name, n->indent, out);
	struct partial_entry *e = entry_find(r->local, r->nlocal, n->name, n->indent);
	if (e) {
		*out = e->t;
		return 0;
	}
	struct template *t;
	if (load_partial(r->load, r->payload, n->name, n->indent, &t))
		return -1;
	ALLOC_GROW(r->local, r->nlocal + 1, r->alloc_local);
	r->local[r->nlocal++] = (struct partial_entry){ xstrdup(n->name), xstrdup(n->indent), t };
	*out = t;
	return 0;
}

static int render_nodes(struct render *r, const struct template *t, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		const struct node *n = &t->nodes[i];
		if (++r->steps > TEMPLATE_MAX_STEPS)
			return rerror(t, n, "template does too much work (more than 50000000 steps)");
		switch (n->kind) {
		case NODE_TEXT:
			strbuf_add(r->out, n->text, n->len);
			break;
		case NODE_VAR:
		case NODE_RAW:
			append_value(r, lookup(r, n), n->kind == NODE_VAR);
			break;
		case NODE_SECTION: {
			const cJSON *v = lookup(r, n);
			if (!falsey(v)) {
				if (cJSON_IsArray(v)) {
					for (const cJSON *it = v->child; it; it = it->next) {
						push(r, it);
						int rc = render_nodes(r, t, i + 1, n->end);
						r->nctx--;
						if (rc)
							return -1;
					}
				} else {
					push(r, v);
					int rc = render_nodes(r, t, i + 1, n->end);
					r->nctx--;
					if (rc)
						return -1;
				}
			}
			i = n->end - 1;
			break;
		}
		case NODE_INVERTED:
			if (falsey(lookup(r, n)) && render_nodes(r, t, i + 1, n->end))
				return -1;
			i = n->end - 1;
			break;
		case NODE_PARTIAL: {
			const struct template *p;
			if (get_partial(r, n, &p)) {
				char where[200];
				snprintf(where, sizeof(where), "%s:%d:%d: in partial '%.100s'", t->name,
					 n->line, n->col, n->name);
				return bk_error_prefix("%s", where);
			}
			if (!p)
				break;
			if (r->partial_depth >= TEMPLATE_MAX_PARTIAL_DEPTH) {
				char msg[200];
				snprintf(msg, sizeof(msg),
					 "partial '%.100s' nested deeper than %d (recursive partial?)",
					 n->name, TEMPLATE_MAX_PARTIAL_DEPTH);
				return rerror(t, n, msg);
			}
			r->partial_depth++;
			int rc = render_nodes(r, p, 0, p->nr);
			r->partial_depth--;
			if (rc)
				return -1;
			break;
		}
		}
		if (r->out->len - r->out_start > TEMPLATE_MAX_OUTPUT)
			return rerror(t, n, "output larger than 64 MiB");
	}
	return 0;
}

static int render_root(struct render *r, const struct template *t, const cJSON *data)
{
	r->out_start = r->out->len;
	push(r, data);
	int rc = render_nodes(r, t, 0, t->nr);
	if (rc)
		strbuf_setlen(r->out, r->out_start);
	free(r->ctx);
	entries_free(r->local, r->nlocal);
	return rc;
}

int template_render(const struct template *t, const cJSON *data, const struct template_opts *o,
		    struct strbuf *out)
{
	struct render r = { .escape = o ? o->escape : TEMPLATE_ESCAPE_HTML,
			    .load = o ? o->partial : NULL,
			    .payload = o ? o->payload : NULL,
			    .out = out };
	return render_root(&r, t, data);
}

int template_render_string(const char *name, const char *src, const cJSON *data,
			   const struct template_opts *o, struct strbuf *out)
{
	struct template *t;
	if (template_compile(&t, name, src))
		return -1;
	int rc = template_render(t, data, o, out);
	template_free(t);
	return rc;
}

int template_cache_render(struct template_cache *c, const char *name, const cJSON *data,
			  enum template_escape escape, struct strbuf *out)
{
	const struct template *t = template_cache_get(c, name);
	if (!t)
		return -1;
	struct render r = { .escape = escape, .cache = c, .out = out };
	struct template *mt = (struct template *)t; /* owned by the cache: only the hint changes */
	size_t hint = __atomic_load_n(&mt->size_hint, __ATOMIC_RELAXED);
	if (hint && out->alloc - out->len <= hint)
		strbuf_grow(out, hint + hint / 8);
	size_t start = out->len;
	int rc = render_root(&r, t, data);
	if (!rc)
		__atomic_store_n(&mt->size_hint, out->len - start, __ATOMIC_RELAXED);
	return rc;
}

/* ------------------------------------------------------------ dir loader */

char *template_partial_from_dir(void *dir, const char *name)
{
	if (!dir || !name || !*name || strchr(name, '/') || strstr(name, ".."))
		return NULL;
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/%s.mustache", (const char *)dir, name);
	int fd = open(path.buf, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	strbuf_release(&path);
	if (fd < 0)
		return NULL;
	struct stat st;
	struct strbuf sb = STRBUF_INIT;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || (size_t)st.st_size > PARTIAL_FILE_MAX ||
	    strbuf_read_fd(&sb, fd) || sb.len > PARTIAL_FILE_MAX || memchr(sb.buf, '\0', sb.len)) {
		close(fd);
		strbuf_release(&sb);
		return NULL;
	}
	close(fd);
	return strbuf_detach(&sb, NULL);
}
