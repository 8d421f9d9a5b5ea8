/* importjson: reading JSON documents in the importers (see importjson.h). */
#include "collector/import/importjson.h"
#include "lib/base/error.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* typed JSON fields                                                   */

/* Records "FILE: PATH.KEY: MSG" (the key cut to keymax bytes); returns -1. */
static int member_error(const struct import_ctx *ctx, const char *path, const char *key,
			int keymax, const char *msg)
{
	struct strbuf p = STRBUF_INIT;
	path = path ? path : "";
	strbuf_addf(&p, "%s%s%.*s", path, *path ? "." : "", keymax, key);
	importcore_error_path(ctx, p.buf, "%s", msg);
	strbuf_release(&p);
	return -1;
}

/* Key paths in the errors of the importcore_json_* readers are cut here. */
#define KEYMAX 200

int importcore_json_number(const struct import_ctx *ctx, const cJSON *obj, const char *path,
			   const char *key, double *out)
{
	int r = json_field_number(obj, key, out);
	return r < 0 ? member_error(ctx, path, key, KEYMAX, "expected a number") : r;
}

int importcore_json_need_number(const struct import_ctx *ctx, const cJSON *obj, const char *path,
				const char *key, double *out)
{
	int r = importcore_json_number(ctx, obj, path, key, out);
	return r == 0 ? member_error(ctx, path, key, KEYMAX, "missing") : r;
}

int importcore_json_string(const struct import_ctx *ctx, const cJSON *obj, const char *path,
			   const char *key, const char **out)
{
	int r = json_field_string(obj, key, out);
	return r < 0 ? member_error(ctx, path, key, KEYMAX, "expected a string") : r;
}

/* Member key of obj as an array or object (want_array), see importcore_json_array. */
static const cJSON *typed_member(const struct import_ctx *ctx, const cJSON *obj, const char *path,
				 const char *key, int need, int *err, int want_array)
{
	const cJSON *v = NULL;
	int r = want_array ? json_field_array(obj, key, &v) : json_field_object(obj, key, &v);
	*err = 0;
	if (r == 0 && need)
		*err = member_error(ctx, path, key, KEYMAX, "missing");
	else if (r < 0)
		*err = member_error(ctx, path, key, KEYMAX,
				    want_array ? "expected an array" : "expected an object");
	return r > 0 ? v : NULL;
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

int importcore_json_num(const struct import_ctx *ctx, const cJSON *obj, const char *path,
			const char *key, int required, double *out)
{
	int r = json_field_number(obj, key, out);
	if (r == 0 && required)
		return member_error(ctx, path, key, INT_MAX, "missing");
	return r < 0 ? member_error(ctx, path, key, INT_MAX, "expected a finite number") : r;
}

int importcore_json_str(const struct import_ctx *ctx, const cJSON *obj, const char *path,
			const char *key, int required, const char **out)
{
	int r = json_field_string(obj, key, out);
	if (r == 0 && required)
		return member_error(ctx, path, key, INT_MAX, "missing");
	return r < 0 ? member_error(ctx, path, key, INT_MAX, "expected a string") : r;
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

cJSON *importcore_json_parse_bom(const struct import_ctx *ctx, const char *buf, size_t len)
{
	/* a UTF-8 BOM (BenchmarkDotNet on Windows writes one) is not JSON */
	size_t skip = (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) ? 3 : 0;
	cJSON *j = json_parse_buf(ctx->file, buf + skip, len - skip);
	return j;
}

int importcore_check_keys(const struct import_ctx *ctx, const char *path, const cJSON *obj)
{
	int n = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, obj) {
		if (++n > IMPORTCORE_MAX_KEYS)
			return importcore_error_path(ctx, path, "too many entries (limit %d)", IMPORTCORE_MAX_KEYS);
	}
	return 0;
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

