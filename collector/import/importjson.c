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

int importcore_json_need_string(const struct import_ctx *ctx, const cJSON *obj, const char *path,
				const char *key, const char **out)
{
	int r = importcore_json_string(ctx, obj, path, key, out);
	return r == 0 ? member_error(ctx, path, key, KEYMAX, "missing") : r;
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

cJSON *importcore_json_root(const struct import_ctx *ctx, const char *buf, size_t len,
			    const char *what, const char *key, const cJSON **arr)
{
	cJSON *root = importcore_json_parse(ctx, buf, len);
	if (!root)
		return NULL;
	int err;
	if (!cJSON_IsObject(root))
		bk_error("%s: not %s (expected an object with \"%s\")", ctx->file, what, key);
	else if ((*arr = importcore_json_array(ctx, root, "", key, 1, &err)))
		return root;
	cJSON_Delete(root);
	return NULL;
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

/* ------------------------------------------------------------------ */
/* members into the result                                             */

int importcore_json_params(const struct import_ctx *ctx, const cJSON *obj, const char *path,
			   int keymax, int print_other, struct bk_kvlist *kv)
{
	struct strbuf p = STRBUF_INIT, sb = STRBUF_INIT;
	const cJSON *x;
	int rc = 0;
	cJSON_ArrayForEach(x, obj) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s.%.*s", path, keymax, x->string);
		strbuf_reset(&sb);
		if (importcore_json_scalar_text(x, &sb) < 0) {
			if (!print_other) {
				rc = importcore_error_path(ctx, p.buf, "expected a string or number");
				break;
			}
			char *t = cJSON_PrintUnformatted(x); /* lists, objects, null */
			strbuf_addstr(&sb, t ? t : "null");
			cJSON_free(t);
		}
		if (importcore_check_name(ctx, p.buf, x->string, strlen(x->string), 1) < 0 ||
		    importcore_check_name(ctx, p.buf, sb.buf, sb.len, 0) < 0) {
			rc = -1;
			break;
		}
		kvlist_set(kv, x->string, sb.buf);
	}
	strbuf_release(&p);
	strbuf_release(&sb);
	return rc;
}

/* String member key of obj into *s: 1, 0 absent, -1 bad; *mp gets PATH.KEY. */
static int member_string(const struct import_ctx *ctx, const cJSON *obj, const char *path,
			 const char *key, const char **s, struct strbuf *mp)
{
	int k = importcore_json_string(ctx, obj, path, key, s);
	strbuf_addf(mp, "%s%s%s", path, *path ? "." : "", key);
	return k;
}

int importcore_json_machine_extra(const struct import_ctx *ctx, const cJSON *obj, const char *path,
				  const char *key, struct bk_result *out, const char *extra)
{
	struct strbuf mp = STRBUF_INIT;
	const char *s;
	int k = member_string(ctx, obj, path, key, &s, &mp);
	if (k > 0)
		k = importcore_machine_extra(ctx, mp.buf, out, extra, s);
	strbuf_release(&mp);
	return k < 0 ? -1 : 0;
}

int importcore_json_run_str(const struct import_ctx *ctx, const cJSON *obj, const char *path,
			    const char *key, char **field)
{
	struct strbuf mp = STRBUF_INIT;
	const char *s;
	int k = member_string(ctx, obj, path, key, &s, &mp);
	if (k > 0)
		k = importcore_run_str(ctx, mp.buf, field, s);
	strbuf_release(&mp);
	return k < 0 ? -1 : 0;
}

int importcore_json_started(const struct import_ctx *ctx, const cJSON *obj, const char *path,
			    const char *key, int naive_utc, struct bk_result *out)
{
	struct strbuf mp = STRBUF_INIT;
	const char *s;
	time_t t;
	int k = member_string(ctx, obj, path, key, &s, &mp);
	if (k > 0) {
		if (importcore_parse_time(s, naive_utc, &t) < 0)
			k = importcore_error_path(ctx, mp.buf, "cannot read the date '%.60s'", s);
		else
			importcore_set_started(out, t);
	}
	strbuf_release(&mp);
	return k < 0 ? -1 : 0;
}
