/* github-action-benchmark's custom JSON: [{"name", "unit", "value",
 * "range"?, "extra"?}, ...].
 *
 * Three formats share this module: customSmallerIsBetter and
 * customBiggerIsBetter (the tool names of github-action-benchmark) set the
 * direction of every entry; "custom" (the one auto-detected, since the two
 * files look the same) takes it from the unit ("req/s", "ops/s" -> bigger,
 * else smaller). One sample per entry (the value), unit verbatim. "range"
 * ("5%", "3", 0.52, "±2.1") becomes the metric "range_percent" when it ends
 * with "%", else "range"; free text there is ignored. "extra" must be a
 * string and is not kept (the result model has no note field). */
#include "collector/import/importjson.h"
#include "collector/import/importer.h"
#include "lib/base/strbuf.h"

#include <stdio.h>
#include <string.h>

enum custom_dir { DIR_FROM_UNIT, DIR_SMALLER, DIR_BIGGER };

static int custom_detect(const char *buf, size_t len)
{
	if (importcore_first_char(buf, len) != '[')
		return 0;
	size_t i = (size_t)((const char *)memchr(buf, '[', len) - buf) + 1;
	if (importcore_first_char(buf + i, len - i) != '{')
		return 0;
	if (!importcore_has(buf, len, IMPORTCORE_SNIFF_BYTES, "\"name\"") || !importcore_has(buf, len, IMPORTCORE_SNIFF_BYTES, "\"unit\"") ||
	    !importcore_has(buf, len, IMPORTCORE_SNIFF_BYTES, "\"value\""))
		return 0;
	if (importcore_has(buf, len, IMPORTCORE_SNIFF_BYTES, "\"primaryMetric\"") || importcore_has(buf, len, IMPORTCORE_SNIFF_BYTES, "\"BenchmarkGroup\""))
		return 0;
	return 70;
}

static int never_detect(const char *buf, size_t len)
{
	(void)buf;
	(void)len;
	return 0; /* same content as "custom": chosen with -f only */
}

static void add_range(const cJSON *range, struct bk_benchmark *b)
{
	if (cJSON_IsNumber(range)) {
		metrics_set(&b->metrics, "range", range->valuedouble);
		return;
	}
	if (!cJSON_IsString(range))
		return;
	const char *s = range->valuestring;
	size_t n = strlen(s), i = 0, used;
	while (i < n && s[i] == ' ')
		i++;
	if (!strncmp(s + i, "\xC2\xB1", 2))
		i += 2;
	else if (!strncmp(s + i, "+/-", 3))
		i += 3;
	else if (!strncmp(s + i, "+-", 2))
		i += 2;
	while (i < n && s[i] == ' ')
		i++;
	double v;
	if (importcore_parse_number(s + i, n - i, 1, &v, &used) < 0)
		return;
	i += used;
	while (i < n && s[i] == ' ')
		i++;
	if (i == n)
		metrics_set(&b->metrics, "range", v);
	else if (s[i] == '%' && i + 1 == n)
		metrics_set(&b->metrics, "range_percent", v);
}

static int custom_one(const struct import_ctx *ctx, const cJSON *e, const char *path,
		      enum custom_dir how, struct bk_result *out)
{
	char p[600];
	const char *name, *unit, *extra;
	double value;
	if (!cJSON_IsObject(e))
		return importcore_error_path(ctx, path, "expected an object {\"name\", \"unit\", \"value\"}");
	if (importcore_json_str(ctx, e, path, "name", 1, &name) < 0 ||
	    importcore_json_str(ctx, e, path, "unit", 1, &unit) < 0 ||
	    importcore_json_num(ctx, e, path, "value", 1, &value) < 0 ||
	    importcore_json_str(ctx, e, path, "extra", 0, &extra) < 0)
		return -1;
	const cJSON *range = cJSON_GetObjectItemCaseSensitive(e, "range");
	if (range && !cJSON_IsNull(range) && !cJSON_IsString(range) && !cJSON_IsNumber(range)) {
		snprintf(p, sizeof(p), "%s.range", path);
		return importcore_error_path(ctx, p, "expected a string or a number");
	}
	snprintf(p, sizeof(p), "%s.name", path);
	if (importcore_check_len(ctx, p, name, 1) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s.unit", path);
	if (importcore_check_len(ctx, p, unit, 0) < 0)
		return -1;
	enum bk_direction d = how == DIR_BIGGER    ? BK_BIGGER
			      : how == DIR_SMALLER ? BK_SMALLER
						   : direction_for_unit(unit);
	struct bk_benchmark *b = importcore_add_bench(ctx, out, name, unit, d);
	bench_add_sample(b, value);
	add_range(range, b);
	return 0;
}

static int custom_parse_dir(const struct import_ctx *ctx, const char *buf, size_t len,
			    struct bk_result *out, enum custom_dir how)
{
	cJSON *root = importcore_json_parse_bom(ctx, buf, len);
	if (!root)
		return -1;
	int rc = 0, i = 0;
	const cJSON *e;
	if (!cJSON_IsArray(root)) {
		rc = importcore_error_path(ctx, "", "expected a JSON array of {\"name\", \"unit\", \"value\"}");
		goto out;
	}
	cJSON_ArrayForEach(e, root) {
		char p[32];
		snprintf(p, sizeof(p), "[%d]", i++);
		if (custom_one(ctx, e, p, how, out) < 0) {
			rc = -1;
			goto out;
		}
	}
out:
	cJSON_Delete(root);
	return rc;
}

static int custom_parse(const struct import_ctx *ctx, const char *buf, size_t len,
			struct bk_result *out)
{
	return custom_parse_dir(ctx, buf, len, out, DIR_FROM_UNIT);
}

static int smaller_parse(const struct import_ctx *ctx, const char *buf, size_t len,
			 struct bk_result *out)
{
	return custom_parse_dir(ctx, buf, len, out, DIR_SMALLER);
}

static int bigger_parse(const struct import_ctx *ctx, const char *buf, size_t len,
			struct bk_result *out)
{
	return custom_parse_dir(ctx, buf, len, out, DIR_BIGGER);
}

const struct importer importer_custom = {
	"custom",
	"github-action-benchmark custom JSON [{name, unit, value, range, extra}]; direction from the unit",
	custom_detect,
	custom_parse,
};

const struct importer importer_customSmallerIsBetter = {
	"customSmallerIsBetter",
	"custom JSON, every entry smaller-is-better (use with -f)",
	never_detect,
	smaller_parse,
};

const struct importer importer_customBiggerIsBetter = {
	"customBiggerIsBetter",
	"custom JSON, every entry bigger-is-better (use with -f)",
	never_detect,
	bigger_parse,
};
