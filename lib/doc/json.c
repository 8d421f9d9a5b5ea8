#include "lib/doc/json.h"

#include <pthread.h>
#include <stddef.h>
#include "lib/base/error.h"
#include "lib/base/xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/atomicfile.h"

void json_line_col(const char *buf, size_t len, size_t offset, int *line, int *col)
{
	int l = 1, c = 1;
	if (offset > len)
		offset = len;
	for (size_t i = 0; i < offset; i++) {
		if (buf[i] == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*col = c;
}

/* How a document ends, from the one pass of check_limits: whether it was
 * cut short (inside a string, or with brackets left open, or nothing in
 * it), in which case the useful error position is its end. */
struct json_shape {
	long depth; /* opened minus closed brackets (not clamped) */
	int in_str, seen;
};

static int looks_truncated(const struct json_shape *sh)
{
	return sh->in_str || sh->depth > 0 || !sh->seen;
}

/* Checks the document against JSON_MAX_VALUES and JSON_MAX_DEPTH before
 * cJSON sees it (one pass; strings skipped) and fills *sh. 0, or -1 with
 * bk_error. */
static int check_limits(const char *name, const char *buf, size_t len, struct json_shape *sh)
{
	size_t values = 1, depth = 0;
	memset(sh, 0, sizeof(*sh));
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];
		if (sh->in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				sh->in_str = 0;
			continue;
		}
		if (c == '"') {
			sh->in_str = 1;
			sh->seen = 1;
		} else if (c == ',') {
			values++;
			sh->seen = 1;
		} else if (c == '[' || c == '{') {
			values++;
			sh->depth++;
			sh->seen = 1;
			if (++depth > JSON_MAX_DEPTH) {
				int l, col;
				json_line_col(buf, len, i, &l, &col);
				return bk_error("%s:%d:%d: invalid JSON: nested deeper than %d", name, l,
						col, JSON_MAX_DEPTH);
			}
		} else if (c == ']' || c == '}') {
			sh->depth--;
			if (depth)
				depth--;
		} else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
			sh->seen = 1;
		}
		if (values > JSON_MAX_VALUES) {
			int l, col;
			json_line_col(buf, len, i, &l, &col);
			return bk_error("%s:%d:%d: invalid JSON: more than %zu values", name, l, col,
					JSON_MAX_VALUES);
		}
	}
	return 0;
}

cJSON *json_parse_buf(const char *name, const char *buf, size_t len)
{
	if (len > JSON_MAX_BYTES) {
		bk_error("%s: file too large (%zu bytes, limit %zu)", name, len, JSON_MAX_BYTES);
		return NULL;
	}
	if (memchr(buf, '\0', len)) {
		size_t off = (size_t)((const char *)memchr(buf, '\0', len) - buf);
		int l, c;
		json_line_col(buf, len, off, &l, &c);
		bk_error("%s:%d:%d: invalid JSON: NUL byte", name, l, c);
		return NULL;
	}
	struct json_shape shape;
	if (check_limits(name, buf, len, &shape) < 0)
		return NULL;
	const char *end = NULL;
	cJSON *j = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	size_t off;
	if (j) {
		/* reject trailing non-whitespace */
		off = (size_t)(end - buf);
		while (off < len && (buf[off] == ' ' || buf[off] == '\n' || buf[off] == '\r' ||
				     buf[off] == '\t'))
			off++;
		if (off == len)
			return j;
		cJSON_Delete(j);
		int l, c;
		json_line_col(buf, len, off, &l, &c);
		bk_error("%s:%d:%d: invalid JSON: unexpected data after the value", name, l, c);
		return NULL;
	}
	off = end ? (size_t)(end - buf) : 0;
	if (looks_truncated(&shape))
		off = len;
	int l, c;
	json_line_col(buf, len, off, &l, &c);
	if (len == 0 || off >= len)
		bk_error("%s:%d:%d: invalid JSON: unexpected end of input (truncated?)", name, l, c);
	else
		bk_error("%s:%d:%d: invalid JSON near '%c'", name, l, c,
			 (buf[off] >= 0x20 && buf[off] < 0x7f) ? buf[off] : '?');
	return NULL;
}

cJSON *json_parse_file(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	int r = strcmp(path, "-") ? strbuf_read_file(&sb, path) : strbuf_read_fd(&sb, 0);
	if (r < 0) {
		bk_error("cannot read '%s': %s", path, strerror(errno));
		strbuf_release(&sb);
		return NULL;
	}
	cJSON *j = json_parse_buf(strcmp(path, "-") ? path : "<stdin>", sb.buf, sb.len);
	strbuf_release(&sb);
	return j;
}

char *json_print(const cJSON *j)
{
	char *s = cJSON_Print(j);
	if (!s)
		xmalloc((size_t)-1);
	size_t n = strlen(s);
	char *r = xmalloc(n + 2);
	memcpy(r, s, n);
	r[n] = '\n';
	r[n + 1] = '\0';
	cJSON_free(s);
	return r;
}

int json_write_file(const char *path, const cJSON *j)
{
	char *s = json_print(j);
	int r = atomic_write_file(path, s, strlen(s));
	free(s);
	return r;
}

void json_add_string(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, '"');
	const unsigned char *p = (const unsigned char *)s, *run = p;
	for (;; p++) {
		/* runs of bytes that need no escape are copied at once */
		if (*p >= 0x20 && *p != '"' && *p != '\\')
			continue;
		strbuf_add(sb, run, (size_t)(p - run));
		if (!*p)
			break;
		run = p + 1;
		switch (*p) {
		case '"': strbuf_add(sb, "\\\"", 2); break;
		case '\\': strbuf_add(sb, "\\\\", 2); break;
		case '\n': strbuf_add(sb, "\\n", 2); break;
		case '\r': strbuf_add(sb, "\\r", 2); break;
		case '\t': strbuf_add(sb, "\\t", 2); break;
		case '\b': strbuf_add(sb, "\\b", 2); break;
		case '\f': strbuf_add(sb, "\\f", 2); break;
		default: {
			static const char hex[] = "0123456789abcdef";
			char u[6] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15] };
			strbuf_add(sb, u, 6);
		}
		}
	}
	strbuf_addch(sb, '"');
}

const char *json_get_string(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int json_get_number(const cJSON *obj, const char *key, double *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!v)
		return 0;
	if (!cJSON_IsNumber(v))
		return -1;
	*out = v->valuedouble;
	return 1;
}

/* Member key of obj, NULL when absent or JSON null. */
static const cJSON *field(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
	return cJSON_IsNull(v) ? NULL : v;
}

const cJSON *json_field_value(const cJSON *obj, const char *key)
{
	return field(obj, key);
}

int json_field_number(const cJSON *obj, const char *key, double *out)
{
	const cJSON *v = field(obj, key);
	if (!v)
		return 0;
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return -1;
	*out = v->valuedouble;
	return 1;
}

int json_field_string(const cJSON *obj, const char *key, const char **out)
{
	const cJSON *v = field(obj, key);
	if (!v)
		return 0;
	if (!cJSON_IsString(v))
		return -1;
	*out = v->valuestring;
	return 1;
}

int json_field_bool(const cJSON *obj, const char *key, int *out)
{
	const cJSON *v = field(obj, key);
	if (!v)
		return 0;
	if (!cJSON_IsBool(v))
		return -1;
	*out = cJSON_IsTrue(v);
	return 1;
}

int json_field_array(const cJSON *obj, const char *key, const cJSON **out)
{
	const cJSON *v = field(obj, key);
	if (!v)
		return 0;
	if (!cJSON_IsArray(v))
		return -1;
	*out = v;
	return 1;
}

int json_field_object(const cJSON *obj, const char *key, const cJSON **out)
{
	const cJSON *v = field(obj, key);
	if (!v)
		return 0;
	if (!cJSON_IsObject(v))
		return -1;
	*out = v;
	return 1;
}

int json_has(const cJSON *obj, const char *key)
{
	return cJSON_IsObject(obj) && cJSON_GetObjectItemCaseSensitive(obj, key) != NULL;
}

int json_is_object(const cJSON *v)
{
	return cJSON_IsObject(v);
}

int json_is_array(const cJSON *v)
{
	return cJSON_IsArray(v);
}

cJSON *json_number(double v)
{
	if (!isfinite(v))
		return cJSON_CreateNull();
	/* cJSON's printer accepts a 15-digit form that is only approximately
	 * equal; emit the shortest text that reads back exactly instead */
	struct strbuf sb = STRBUF_INIT;
	strbuf_add_double(&sb, v);
	cJSON *n = cJSON_CreateRaw(sb.buf);
	strbuf_release(&sb);
	return n;
}

/* ---- per-thread arena for cJSON ---------------------------------------- */

#define ARENA_CHUNK (1u << 20)

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	max_align_t data[]; /* aligned storage */
};

static _Thread_local struct {
	int active;
	struct arena_chunk *chunks; /* current first; kept across scopes */
	struct arena_chunk *big;    /* oversized blocks, freed at the end */
} arena;

static void *arena_malloc(size_t n)
{
	if (!arena.active)
		return malloc(n);
	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (n > ARENA_CHUNK / 4) {
		struct arena_chunk *c = malloc(sizeof(*c) + n);
		if (!c)
			return NULL;
		c->size = c->used = n;
		c->next = arena.big;
		arena.big = c;
		return c->data;
	}
	struct arena_chunk *c = arena.chunks;
	if (!c || c->size - c->used < n) {
		c = malloc(sizeof(*c) + ARENA_CHUNK);
		if (!c)
			return NULL;
		c->size = ARENA_CHUNK;
		c->used = 0;
		c->next = arena.chunks;
		arena.chunks = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

static void arena_free(void *p)
{
	if (!arena.active)
		free(p);
}

static pthread_once_t arena_once = PTHREAD_ONCE_INIT;

static void arena_install(void)
{
	cJSON_Hooks h = { arena_malloc, arena_free };
	cJSON_InitHooks(&h);
}

void json_arena_begin(void)
{
	pthread_once(&arena_once, arena_install);
	arena.active = 1;
}

/* Frees a list of chunks. */
static void free_chunks(struct arena_chunk *c)
{
	while (c) {
		struct arena_chunk *n = c->next;
		free(c);
		c = n;
	}
}

void json_arena_end(void)
{
	arena.active = 0;
	free_chunks(arena.big);
	free_chunks(arena.chunks);
	arena.big = arena.chunks = NULL;
}
