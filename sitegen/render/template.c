/* template: Mustache subset. A template compiles (template_parse.c) to a
 * flat array of nodes; a section node records the index one past its last
 * child, so rendering is a loop over the array that recurses only into
 * section bodies and partials. */
#include "sitegen/render/template.h"
#include "sitegen/render/template_parse.h"

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

#define PARTIAL_FILE_MAX ((size_t)16 * 1024 * 1024)

int template_compile(struct template **out, const char *name, const char *src)
{
	return template_parse(out, name, src, 0, TEMPLATE_MAX_NESTING);
}

void template_free(struct template *t)
{
	template_parse_free(t);
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
	int rc = template_parse(out, name, src, (int)strlen(indent), TEMPLATE_MAX_NESTING);
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
