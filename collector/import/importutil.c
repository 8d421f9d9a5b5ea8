#include "collector/import/importutil.h"
#include "lib/base/error.h"
#include "lib/base/strbuf.h"
#include "lib/base/xalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int iu_error_at(const struct import_ctx *ctx, const char *path, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	if (path && *path)
		bk_error("%s: %s: %s", ctx->file, path, sb.buf);
	else
		bk_error("%s: %s", ctx->file, sb.buf);
	strbuf_release(&sb);
	return -1;
}

int iu_error_pos(const struct import_ctx *ctx, const char *buf, size_t len, size_t off,
		 const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	int line, col;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	json_line_col(buf, len, off, &line, &col);
	bk_error("%s:%d:%d: %s", ctx->file, line, col, sb.buf);
	strbuf_release(&sb);
	return -1;
}

cJSON *iu_json_parse(const struct import_ctx *ctx, const char *buf, size_t len)
{
	/* a UTF-8 BOM (BenchmarkDotNet on Windows writes one) is not JSON */
	size_t skip = (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) ? 3 : 0;
	cJSON *j = json_parse_buf(ctx->file, buf + skip, len - skip);
	return j;
}

int iu_json_num(const struct import_ctx *ctx, const cJSON *obj, const char *path,
		const char *key, int required, double *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	const char *dot = (path && *path) ? "." : "";
	if (!v || cJSON_IsNull(v)) {
		if (!required)
			return 0;
		bk_error("%s: %s%s%s: missing", ctx->file, path ? path : "", dot, key);
		return -1;
	}
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) {
		bk_error("%s: %s%s%s: expected a finite number", ctx->file, path ? path : "", dot, key);
		return -1;
	}
	*out = v->valuedouble;
	return 1;
}

int iu_json_str(const struct import_ctx *ctx, const cJSON *obj, const char *path,
		const char *key, int required, const char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	const char *dot = (path && *path) ? "." : "";
	if (!v || cJSON_IsNull(v)) {
		if (!required)
			return 0;
		bk_error("%s: %s%s%s: missing", ctx->file, path ? path : "", dot, key);
		return -1;
	}
	if (!cJSON_IsString(v)) {
		bk_error("%s: %s%s%s: expected a string", ctx->file, path ? path : "", dot, key);
		return -1;
	}
	*out = v->valuestring;
	return 1;
}

int iu_check_name(const struct import_ctx *ctx, const char *path, const char *s, int nonempty)
{
	if (nonempty && !*s)
		return iu_error_at(ctx, path, "must not be empty");
	if (strlen(s) > RESULT_MAX_NAME)
		return iu_error_at(ctx, path, "too long (%zu bytes, limit %d)", strlen(s),
				   RESULT_MAX_NAME);
	return 0;
}

int iu_check_keys(const struct import_ctx *ctx, const char *path, const cJSON *obj)
{
	int n = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, obj) {
		if (++n > IU_MAX_KEYS)
			return iu_error_at(ctx, path, "too many entries (limit %d)", IU_MAX_KEYS);
	}
	return 0;
}

struct bk_benchmark *iu_add_bench(const struct import_ctx *ctx, struct bk_result *out,
				  const char *name, const char *unit, enum bk_direction direction)
{
	struct bk_benchmark *b = result_add_benchmark(out, ctx->suite, name);
	set_str(&b->unit, unit);
	b->direction = direction;
	return b;
}

struct iu_index_entry {
	size_t off, n; /* key bytes in the index's arena */
	size_t pos1;   /* position + 1; 0: empty slot */
	size_t hash;
};

static size_t iu_hash(const char *s, size_t n)
{
	unsigned long long h = 1469598103934665603ULL; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	h ^= h >> 33; /* murmur3 finaliser: FNV's low bits alone cluster */
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (size_t)h;
}

/* Slot of key: the one holding it, or the empty one where it would go. */
static struct iu_index_entry *iu_slot(const struct iu_index *ix, const char *key, size_t n,
				      size_t hash)
{
	size_t h = hash & (ix->cap - 1);
	for (; ix->slots[h].pos1; h = (h + 1) & (ix->cap - 1))
		if (ix->slots[h].hash == hash && ix->slots[h].n == n &&
		    !memcmp(ix->keys.buf + ix->slots[h].off, key, n))
			break;
	return &ix->slots[h];
}

size_t iu_index_get(const struct iu_index *ix, const char *key, size_t n)
{
	if (!ix->cap)
		return (size_t)-1;
	struct iu_index_entry *e = iu_slot(ix, key, n, iu_hash(key, n));
	return e->pos1 ? e->pos1 - 1 : (size_t)-1;
}

void iu_index_put(struct iu_index *ix, const char *key, size_t n, size_t pos)
{
	size_t hash = iu_hash(key, n);
	if (2 * (ix->count + 1) > ix->cap) {
		struct iu_index_entry *old = ix->slots;
		size_t oldcap = ix->cap;
		ix->cap = oldcap ? oldcap * 2 : 64;
		ix->slots = xcalloc(ix->cap, sizeof(*ix->slots));
		for (size_t i = 0; i < oldcap; i++) {
			if (!old[i].pos1)
				continue;
			size_t h = old[i].hash & (ix->cap - 1);
			while (ix->slots[h].pos1)
				h = (h + 1) & (ix->cap - 1);
			ix->slots[h] = old[i];
		}
		free(old);
	}
	struct iu_index_entry *e = iu_slot(ix, key, n, hash);
	if (!e->pos1) {
		e->off = ix->keys.len;
		e->n = n;
		e->hash = hash;
		strbuf_add(&ix->keys, key, n);
		ix->count++;
	}
	e->pos1 = pos + 1;
}

void iu_index_release(struct iu_index *ix)
{
	free(ix->slots);
	strbuf_release(&ix->keys);
	ix->slots = NULL;
	ix->cap = ix->count = 0;
}

void iu_lines_init(struct iu_lines *it, const char *buf, size_t len)
{
	it->buf = it->p = buf;
	it->end = buf + len;
	it->lineno = 0;
}

int iu_lines_next(struct iu_lines *it, const char **line, size_t *n, int *complete)
{
	if (it->p >= it->end)
		return 0;
	const char *s = it->p;
	const char *nl = memchr(s, '\n', (size_t)(it->end - s));
	const char *e = nl ? nl : it->end;
	it->p = nl ? nl + 1 : it->end;
	if (e > s && e[-1] == '\r')
		e--;
	*line = s;
	*n = (size_t)(e - s);
	if (complete)
		*complete = nl != NULL;
	it->lineno++;
	return 1;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int iu_parse_number(const char *s, size_t n, double *out, size_t *used)
{
	char tmp[128];
	size_t i = 0, t = 0, digits = 0;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		tmp[t++] = s[i++];
	while (i < n && t < sizeof(tmp) - 8) {
		if (is_digit(s[i])) {
			tmp[t++] = s[i++];
			digits++;
		} else if (s[i] == ',' && digits && i + 1 < n && is_digit(s[i + 1])) {
			i++; /* thousands separator */
		} else {
			break;
		}
	}
	if (i < n && s[i] == '.') {
		tmp[t++] = s[i++];
		while (i < n && is_digit(s[i]) && t < sizeof(tmp) - 8) {
			tmp[t++] = s[i++];
			digits++;
		}
	}
	if (!digits)
		return -1;
	if (i + 1 < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t j = i + 1;
		size_t save = t;
		tmp[t++] = 'e';
		if (j < n && (s[j] == '-' || s[j] == '+'))
			tmp[t++] = s[j++];
		size_t ed = 0;
		while (j < n && is_digit(s[j]) && t < sizeof(tmp) - 1) {
			tmp[t++] = s[j++];
			ed++;
		}
		if (ed)
			i = j;
		else
			t = save;
	}
	if (t >= sizeof(tmp) - 8 && i < n && is_digit(s[i]))
		return -1; /* absurdly long */
	tmp[t] = '\0';
	double v = strtod(tmp, NULL);
	if (!isfinite(v))
		return -1;
	*out = v;
	*used = i;
	return 0;
}

const char *iu_time_unit(const char *unit, size_t n)
{
	static const struct {
		const char *text, *canon;
	} units[] = {
		{ "s", "s" },	 { "sec", "s" },     { "secs", "s" },	 { "seconds", "s" },
		{ "ms", "ms" },	 { "msec", "ms" },   { "millis", "ms" }, { "us", "us" },
		{ "usec", "us" }, { "\xC2\xB5s", "us" }, { "\xCE\xBCs", "us" }, { "ns", "ns" },
		{ "nsec", "ns" },
	};
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strlen(units[i].text) == n && !memcmp(units[i].text, unit, n))
			return units[i].canon;
	return NULL;
}

int iu_first_char(const char *buf, size_t len)
{
	size_t i = (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) ? 3 : 0;
	for (; i < len; i++)
		if (buf[i] != ' ' && buf[i] != '\n' && buf[i] != '\r' && buf[i] != '\t')
			return (unsigned char)buf[i];
	return 0;
}

const char *iu_memmem(const char *hay, size_t n, const char *needle, size_t m)
{
	if (m == 0)
		return hay;
	if (m > n)
		return NULL;
	const char *end = hay + n - m;
	for (const char *p = hay; p <= end; p++) {
		p = memchr(p, needle[0], (size_t)(end - p) + 1);
		if (!p)
			return NULL;
		if (!memcmp(p, needle, m))
			return p;
	}
	return NULL;
}

int iu_sniff(const char *buf, size_t len, const char *needle)
{
	return iu_memmem(buf, len < IU_SNIFF_BYTES ? len : IU_SNIFF_BYTES, needle,
			 strlen(needle)) != NULL;
}
