#include "collector/import/importcore.h"
#include "lib/base/error.h"
#include "collector/store.h"
#include "lib/base/xalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* errors                                                              */

int importcore_error_at(const struct import_ctx *ctx, const char *buf, size_t len, size_t offset,
			const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	int line, col;
	json_line_col(buf, len, offset, &line, &col);
	return bk_error("%s:%d:%d: %s", ctx->file, line, col, msg);
}

int importcore_error_path(const struct import_ctx *ctx, const char *path, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return bk_error("%s: %s: %s", ctx->file, path, msg);
}

/* ------------------------------------------------------------------ */
/* lines                                                               */

void importcore_lines_init(struct importcore_lines *it, const char *buf, size_t len)
{
	memset(it, 0, sizeof(*it));
	it->buf = buf;
	it->len = len;
}

int importcore_lines_next(struct importcore_lines *it)
{
	if (it->pos >= it->len)
		return 0;
	const char *s = it->buf + it->pos;
	const char *nl = memchr(s, '\n', it->len - it->pos);
	size_t n = nl ? (size_t)(nl - s) : it->len - it->pos;
	it->line = s;
	it->start = it->pos;
	it->pos += n + (nl ? 1 : 0);
	if (n && s[n - 1] == '\r')
		n--;
	it->linelen = n;
	it->lineno++;
	return 1;
}

int importcore_check_text(const struct import_ctx *ctx, const char *buf, size_t len)
{
	const char *z = memchr(buf, '\0', len);
	if (z)
		return importcore_error_at(ctx, buf, len, (size_t)(z - buf),
					   "NUL byte in text input (not a text file?)");
	return 0;
}

int importcore_starts(const char *s, size_t n, const char *prefix)
{
	size_t p = strlen(prefix);
	return n >= p && !memcmp(s, prefix, p);
}

size_t importcore_skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* ------------------------------------------------------------------ */
/* numbers and units                                                   */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int importcore_parse_scaled(const char *s, size_t n, int commas, int shift, double *out,
			    size_t *used)
{
	char tmp[160];
	size_t i = 0, k = 0, digits = 0;
	long exp = shift;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		tmp[k++] = s[i++];
	while (i < n && k < 100) {
		if (is_digit(s[i])) {
			tmp[k++] = s[i++];
			digits++;
		} else if (commas && s[i] == ',' && digits && i + 1 < n && is_digit(s[i + 1])) {
			i++;
		} else {
			break;
		}
	}
	if (i < n && s[i] == '.' && k < 100) {
		size_t save_i = i, save_k = k;
		tmp[k++] = s[i++];
		size_t frac = 0;
		while (i < n && is_digit(s[i]) && k < 100) {
			tmp[k++] = s[i++];
			frac++;
		}
		if (!frac && !digits) {
			i = save_i;
			k = save_k;
		}
		digits += frac;
	}
	if (!digits || k >= 100)
		return -1; /* no digits, or an absurdly long number */
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t j = i + 1;
		int neg = 0;
		if (j < n && (s[j] == '-' || s[j] == '+'))
			neg = s[j++] == '-';
		if (j < n && is_digit(s[j])) {
			long e = 0;
			while (j < n && is_digit(s[j])) {
				if (e < 100000)
					e = e * 10 + (s[j] - '0');
				j++;
			}
			exp += neg ? -e : e;
			i = j;
		}
	}
	/* the decimal text with the shifted exponent: strtod rounds it once */
	snprintf(tmp + k, sizeof(tmp) - k, "e%ld", exp);
	char *end;
	double v = strtod(tmp, &end);
	if (*end || !isfinite(v))
		return -1;
	*out = v;
	*used = i;
	return 0;
}

int importcore_parse_number(const char *s, size_t n, int commas, double *out, size_t *used)
{
	return importcore_parse_scaled(s, n, commas, 0, out, used);
}

static int unit_is(const char *unit, size_t n, const char *name)
{
	return strlen(name) == n && !memcmp(unit, name, n);
}

double importcore_time_ns(const char *unit, size_t n)
{
	if (unit_is(unit, n, "ns"))
		return 1;
	if (unit_is(unit, n, "us") || unit_is(unit, n, "\xc2\xb5s") || unit_is(unit, n, "\xce\xbcs"))
		return 1e3;
	if (unit_is(unit, n, "ms"))
		return 1e6;
	if (unit_is(unit, n, "s"))
		return 1e9;
	return 0;
}

int importcore_time_shift(const char *unit, size_t n)
{
	double f = importcore_time_ns(unit, n);
	return f == 1 ? 0 : f == 1e3 ? 3 : f == 1e6 ? 6 : f == 1e9 ? 9 : -1;
}

const char *importcore_time_unit(const char *unit, size_t n)
{
	double f = importcore_time_ns(unit, n);
	if (f == 1)
		return "ns";
	if (f == 1e3)
		return "us";
	if (f == 1e6)
		return "ms";
	if (f == 1e9)
		return "s";
	return NULL;
}

/* ------------------------------------------------------------------ */
/* benchmarks                                                          */

size_t importcore_utf8_invalid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t len;
		unsigned long min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			len = 2;
			min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3;
			min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			len = 4;
			min = 0x10000;
		} else {
			return i;
		}
		if (i + len > n)
			return i;
		unsigned long cp = c & (0x7F >> len);
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += len;
	}
	return n;
}

int importcore_check_name(const struct import_ctx *ctx, const char *where, const char *s, size_t n,
			  int nonempty)
{
	if (nonempty && n == 0)
		return importcore_error_path(ctx, where, "empty name");
	if (n > RESULT_MAX_NAME)
		return importcore_error_path(ctx, where, "too long (%zu bytes, limit %d)", n,
					     RESULT_MAX_NAME);
	if (memchr(s, '\0', n))
		return importcore_error_path(ctx, where, "NUL byte in a name");
	size_t bad = importcore_utf8_invalid(s, n);
	if (bad < n)
		return importcore_error_path(ctx, where, "invalid UTF-8 at byte %zu", bad + 1);
	return 0;
}

static unsigned long long key_hash(const char *suite, const char *name,
				   const struct bk_kvlist *p)
{
	unsigned long long h = 1469598103934665603ULL;
	const char *parts[2] = { suite, name };
	for (int k = 0; k < 2; k++) {
		for (const unsigned char *s = (const unsigned char *)parts[k]; *s; s++)
			h = (h ^ *s) * 1099511628211ULL;
		h = (h ^ 0x1f) * 1099511628211ULL;
	}
	for (size_t i = 0; p && i < p->nr; i++) {
		for (const unsigned char *s = (const unsigned char *)p->items[i].key; *s; s++)
			h = (h ^ *s) * 1099511628211ULL;
		h = (h ^ '=') * 1099511628211ULL;
		for (const unsigned char *s = (const unsigned char *)p->items[i].value; *s; s++)
			h = (h ^ *s) * 1099511628211ULL;
		h = (h ^ 0x1e) * 1099511628211ULL;
	}
	return h;
}

static int same_bench(const struct bk_benchmark *b, const char *suite, const char *name,
		      const struct bk_kvlist *p)
{
	size_t np = p ? p->nr : 0;
	if (strcmp(b->name, name) || strcmp(b->suite, suite) || b->params.nr != np)
		return 0;
	for (size_t i = 0; i < np; i++) {
		const char *v = kvlist_get(&b->params, p->items[i].key);
		if (!v || strcmp(v, p->items[i].value))
			return 0;
	}
	return 1;
}

static void index_put(struct importcore_index *ix, unsigned long long h, size_t bench)
{
	size_t i = (size_t)h & (ix->cap - 1);
	while (ix->slots[i])
		i = (i + 1) & (ix->cap - 1);
	ix->slots[i] = bench + 1;
	ix->hashes[i] = h;
	ix->nr++;
}

static void index_grow(struct importcore_index *ix)
{
	size_t old_cap = ix->cap;
	size_t *old_slots = ix->slots;
	unsigned long long *old_hashes = ix->hashes;
	ix->cap = old_cap ? old_cap * 2 : 64;
	ix->slots = xcalloc(ix->cap, sizeof(*ix->slots));
	ix->hashes = xcalloc(ix->cap, sizeof(*ix->hashes));
	ix->nr = 0;
	for (size_t i = 0; i < old_cap; i++)
		if (old_slots[i])
			index_put(ix, old_hashes[i], old_slots[i] - 1);
	free(old_slots);
	free(old_hashes);
}

int importcore_each_entry(const struct import_ctx *ctx, const cJSON *a, struct bk_result *r,
			  importcore_entry_fn fn)
{
	struct importcore_index ix;
	importcore_index_init(&ix, r);
	const cJSON *e;
	int i = 0, rc = 0;
	cJSON_ArrayForEach(e, a) {
		if ((rc = fn(ctx, &ix, e, i++)) < 0)
			break;
	}
	importcore_index_release(&ix);
	return rc;
}

void importcore_index_init(struct importcore_index *ix, struct bk_result *r)
{
	memset(ix, 0, sizeof(*ix));
	ix->r = r;
	index_grow(ix);
	for (size_t i = 0; i < r->nbenchmarks; i++) {
		const struct bk_benchmark *b = &r->benchmarks[i];
		if ((ix->nr + 1) * 2 > ix->cap)
			index_grow(ix);
		index_put(ix, key_hash(b->suite, b->name, &b->params), i);
	}
}

void importcore_index_release(struct importcore_index *ix)
{
	free(ix->slots);
	free(ix->hashes);
	memset(ix, 0, sizeof(*ix));
}

static struct bk_benchmark *index_find(struct importcore_index *ix, unsigned long long h,
				       const char *suite, const char *name,
				       const struct bk_kvlist *params)
{
	for (size_t i = (size_t)h & (ix->cap - 1); ix->slots[i]; i = (i + 1) & (ix->cap - 1)) {
		if (ix->hashes[i] != h)
			continue;
		struct bk_benchmark *b = &ix->r->benchmarks[ix->slots[i] - 1];
		if (same_bench(b, suite, name, params))
			return b;
	}
	return NULL;
}

struct bk_benchmark *importcore_find(struct importcore_index *ix, const char *suite,
				     const char *name, const struct bk_kvlist *params)
{
	return index_find(ix, key_hash(suite, name, params), suite, name, params);
}

struct bk_benchmark *importcore_bench(struct importcore_index *ix, const char *suite,
				      const char *name, const struct bk_kvlist *params,
				      const char *unit)
{
	struct bk_result *r = ix->r;
	unsigned long long h = key_hash(suite, name, params);
	struct bk_benchmark *found = index_find(ix, h, suite, name, params);
	if (found)
		return found;
	if ((ix->nr + 1) * 2 > ix->cap)
		index_grow(ix);
	struct bk_benchmark *b = result_add_benchmark(r, suite, name);
	if (params)
		kvlist_copy(&b->params, params);
	set_str(&b->unit, unit);
	b->direction = direction_for_unit(unit);
	index_put(ix, h, r->nbenchmarks - 1);
	return b;
}

void importcore_means_init(struct importcore_means *m, struct bk_result *r)
{
	memset(m, 0, sizeof(*m));
	m->r = r;
	m->base = 0;
}

static struct importcore_mean_acc *means_acc(struct importcore_means *m, size_t i)
{
	i -= m->base;
	if (i >= m->nacc) {
		ALLOC_GROW(m->acc, i + 1, m->alloc);
		memset(m->acc + m->nacc, 0, (i + 1 - m->nacc) * sizeof(*m->acc));
		m->nacc = i + 1;
	}
	return &m->acc[i];
}

void importcore_means_add(struct importcore_means *m, const struct bk_benchmark *b,
			  const char *key, double v)
{
	size_t i = (size_t)(b - m->r->benchmarks);
	if (i < m->base || i >= m->r->nbenchmarks || !isfinite(v))
		return;
	struct importcore_mean_acc *a = means_acc(m, i);
	double s = 0, n = 0;
	metrics_get(&a->sum, key, &s);
	metrics_get(&a->cnt, key, &n);
	metrics_set(&a->sum, key, s + v);
	metrics_set(&a->cnt, key, n + 1);
}

void importcore_means_finish(struct importcore_means *m)
{
	for (size_t i = 0; i < m->nacc && m->base + i < m->r->nbenchmarks; i++) {
		struct bk_benchmark *b = &m->r->benchmarks[m->base + i];
		struct importcore_mean_acc *a = &m->acc[i];
		for (size_t k = 0; k < a->sum.nr; k++) {
			double n = 1;
			metrics_get(&a->cnt, a->sum.items[k].key, &n);
			metrics_set(&b->metrics, a->sum.items[k].key, a->sum.items[k].value / n);
		}
	}
}

void importcore_means_release(struct importcore_means *m)
{
	for (size_t i = 0; i < m->nacc; i++) {
		metrics_release(&m->acc[i].sum);
		metrics_release(&m->acc[i].cnt);
	}
	free(m->acc);
	memset(m, 0, sizeof(*m));
}

int importcore_add_sample(const struct import_ctx *ctx, const char *where, struct bk_benchmark *b,
			  double v)
{
	if (!isfinite(v))
		return importcore_error_path(ctx, where, "not a finite number");
	if (b->nsamples >= RESULT_MAX_SAMPLES)
		return importcore_error_path(ctx, where, "too many samples (limit %d)",
					     RESULT_MAX_SAMPLES);
	bench_add_sample(b, v);
	return 0;
}

int importcore_metric(const struct import_ctx *ctx, const char *where, struct bk_benchmark *b,
		      const char *key, double v)
{
	if (importcore_check_name(ctx, where, key, strlen(key), 1) < 0)
		return -1;
	if (isfinite(v))
		metrics_set(&b->metrics, key, v);
	return 0;
}

void importcore_count(struct bk_benchmark *b, const char *key, double add)
{
	double v = 0;
	metrics_get(&b->metrics, key, &v);
	metrics_set(&b->metrics, key, v + add);
}

void importcore_error_rate(struct bk_benchmark *b)
{
	double ok = 0, failed = 0;
	int has = metrics_get(&b->metrics, "successful_ops", &ok);
	has |= metrics_get(&b->metrics, "failed_ops", &failed);
	if (has)
		metrics_set(&b->metrics, "error_rate", ok + failed > 0 ? failed / (ok + failed) : 0);
}

int importcore_summary_only(const struct import_ctx *ctx, const char *where,
			    struct bk_benchmark *b, double value)
{
	if (importcore_add_sample(ctx, where, b, value) < 0)
		return -1;
	metrics_set(&b->metrics, "summary_only", 1);
	return 0;
}

/* ------------------------------------------------------------------ */
/* typed JSON fields                                                   */

static void member_path(char *p, size_t n, const char *path, const char *key)
{
	snprintf(p, n, "%s%s%.200s", path, *path ? "." : "", key);
}

int importcore_json_number(const struct import_ctx *ctx, const cJSON *obj, const char *path,
			   const char *key, double *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!v || cJSON_IsNull(v))
		return 0;
	char p[512];
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) {
		member_path(p, sizeof(p), path, key);
		return importcore_error_path(ctx, p, "expected a number");
	}
	*out = v->valuedouble;
	return 1;
}

int importcore_json_need_number(const struct import_ctx *ctx, const cJSON *obj, const char *path,
				const char *key, double *out)
{
	int r = importcore_json_number(ctx, obj, path, key, out);
	if (r == 0) {
		char p[512];
		member_path(p, sizeof(p), path, key);
		return importcore_error_path(ctx, p, "missing");
	}
	return r;
}

int importcore_json_string(const struct import_ctx *ctx, const cJSON *obj, const char *path,
			   const char *key, const char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v)) {
		char p[512];
		member_path(p, sizeof(p), path, key);
		return importcore_error_path(ctx, p, "expected a string");
	}
	*out = v->valuestring;
	return 1;
}

static const cJSON *typed_member(const struct import_ctx *ctx, const cJSON *obj, const char *path,
				 const char *key, int need, int *err, int want_array)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char p[512];
	*err = 0;
	if (!v || cJSON_IsNull(v)) {
		if (need) {
			member_path(p, sizeof(p), path, key);
			*err = importcore_error_path(ctx, p, "missing");
		}
		return NULL;
	}
	if (want_array ? !cJSON_IsArray(v) : !cJSON_IsObject(v)) {
		member_path(p, sizeof(p), path, key);
		*err = importcore_error_path(ctx, p, want_array ? "expected an array"
								  : "expected an object");
		return NULL;
	}
	return v;
}

const cJSON *importcore_json_array(const struct import_ctx *ctx, const cJSON *obj, const char *path,
				   const char *key, int need, int *err)
{
	return typed_member(ctx, obj, path, key, need, err, 1);
}

const cJSON *importcore_json_object(const struct import_ctx *ctx, const cJSON *obj,
				    const char *path, const char *key, int need, int *err)
{
	return typed_member(ctx, obj, path, key, need, err, 0);
}

int importcore_json_scalar_text(const cJSON *v, struct strbuf *sb)
{
	if (cJSON_IsString(v))
		strbuf_addstr(sb, v->valuestring);
	else if (cJSON_IsNumber(v) && isfinite(v->valuedouble))
		strbuf_add_double(sb, v->valuedouble);
	else if (cJSON_IsBool(v))
		strbuf_addstr(sb, cJSON_IsTrue(v) ? "true" : "false");
	else
		return -1;
	return 0;
}

cJSON *importcore_json_parse(const struct import_ctx *ctx, const char *buf, size_t len)
{
	return json_parse_buf(ctx->file, buf, len);
}

cJSON *importcore_json_parse_slice(const struct import_ctx *ctx, const char *buf, size_t len,
				   size_t start, size_t n)
{
	const char *end = NULL;
	cJSON *j = cJSON_ParseWithLengthOpts(buf + start, n, &end, 0);
	size_t off = end ? (size_t)(end - buf) : start;
	if (j) {
		while (off < start + n && (buf[off] == ' ' || buf[off] == '\t' || buf[off] == '\r'))
			off++;
		if (off == start + n)
			return j;
		cJSON_Delete(j);
		return importcore_error_at(ctx, buf, len, off, "invalid JSON: unexpected data after the value"),
		       NULL;
	}
	int last = start + n >= len || (start + n + 1 >= len && buf[len - 1] == '\r');
	if (last && (len == 0 || buf[len - 1] != '\n'))
		return importcore_error_at(ctx, buf, len, len,
					   "invalid JSON: unexpected end of input (truncated)"),
		       NULL;
	if (off > start + n)
		off = start + n;
	return importcore_error_at(ctx, buf, len, off, "invalid JSON near '%c'",
				   off < len && buf[off] >= 0x20 && buf[off] < 0x7f ? buf[off] : '?'),
	       NULL;
}

cJSON *importcore_json_read(const char *path)
{
	return json_parse_file(path);
}

/* ------------------------------------------------------------------ */
/* detection                                                           */

int importcore_first_char(const char *buf, size_t len)
{
	size_t i = 0;
	/* a UTF-8 byte order mark is allowed */
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		i = 3;
	for (; i < len; i++)
		if (buf[i] != ' ' && buf[i] != '\n' && buf[i] != '\r' && buf[i] != '\t')
			return (unsigned char)buf[i];
	return 0;
}

int importcore_has(const char *buf, size_t len, size_t limit, const char *needle)
{
	if (limit && len > limit)
		len = limit;
	return memmem(buf, len, needle, strlen(needle)) != NULL;
}

int importcore_json_score(const char *buf, size_t len, size_t limit, const char *required,
			  int base, int min, const struct importcore_cue *cues)
{
	if (importcore_first_char(buf, len) != '{')
		return 0;
	if (required && !importcore_has(buf, len, limit, required))
		return 0;
	int score = base;
	for (const struct importcore_cue *c = cues; c->key; c++)
		if (importcore_has(buf, len, limit, c->key) ||
		    (c->alt && importcore_has(buf, len, limit, c->alt)))
			score += c->score;
	return score >= min ? score : 0;
}

/* ------------------------------------------------------------------ */
/* run facts                                                           */

int importcore_run_str(const struct import_ctx *ctx, const char *path, char **field,
		       const char *value)
{
	if (!value || !*value)
		return 0;
	if (importcore_check_name(ctx, path, value, strlen(value), 0) < 0)
		return -1;
	set_str(field, value);
	return 0;
}

int importcore_machine_extra(const struct import_ctx *ctx, const char *path,
			     struct bk_result *out, const char *key, const char *value)
{
	if (!value || !*value)
		return 0;
	if (importcore_check_name(ctx, path, value, strlen(value), 0) < 0)
		return -1;
	kvlist_set(&out->run.machine.extra, key, value);
	return 0;
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int importcore_parse_time(const char *s, int naive_utc, time_t *out)
{
	int Y, M, D, h, m, sec;
	size_t n = strlen(s);
	if (n < 19 || digits(s, 4, &Y) || s[4] != '-' || digits(s + 5, 2, &M) || s[7] != '-' ||
	    digits(s + 8, 2, &D) || (s[10] != 'T' && s[10] != ' ') || digits(s + 11, 2, &h) ||
	    s[13] != ':' || digits(s + 14, 2, &m) || s[16] != ':' || digits(s + 17, 2, &sec))
		return -1;
	if (Y < 1970 || Y > 9999 || M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 ||
	    sec > 60)
		return -1;
	const char *p = s + 19;
	if (*p == '.' || *p == ',') {
		p++;
		while (is_digit(*p))
			p++;
	}
	long offset = 0;
	int has_tz = 0;
	if (*p == 'Z' || *p == 'z') {
		has_tz = 1;
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;
		if (digits(p + 1, 2, &oh))
			return -1;
		const char *q = p + 3;
		if (*q == ':')
			q++;
		if (digits(q, 2, &om) || oh > 23 || om > 59)
			return -1;
		offset = (oh * 3600L + om * 60L) * (*p == '-' ? -1 : 1);
		has_tz = 1;
		p = q + 2;
	}
	if (*p)
		return -1;
	struct tm tm = { 0 };
	tm.tm_year = Y - 1900;
	tm.tm_mon = M - 1;
	tm.tm_mday = D;
	tm.tm_hour = h;
	tm.tm_min = m;
	tm.tm_sec = sec;
	time_t t;
	if (has_tz || naive_utc) {
		t = timegm(&tm);
		t -= offset;
	} else {
		tm.tm_isdst = -1;
		t = mktime(&tm);
	}
	if (t == (time_t)-1)
		return -1;
	*out = t;
	return 0;
}

void importcore_set_started(struct bk_result *out, time_t t)
{
	char ts[32];
	store_format_time(ts, sizeof(ts), t);
	set_str(&out->run.started_at, ts);
}
