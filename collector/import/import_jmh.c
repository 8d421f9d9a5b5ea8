/* JMH JSON results (-rf json): an array of {"benchmark", "mode", "params",
 * "primaryMetric": {"scoreUnit", "rawData" | "rawDataHistogram"},
 * "secondaryMetrics": {NAME: {"score", "scoreUnit"}}}.
 *
 * Samples: rawData flattened (forks, then iterations, in file order); in
 * sample mode the histogram [[[value, count]...]...] expanded (each value
 * repeated count times). Units: "ops/<t>" kept verbatim, direction bigger;
 * "<t>/op" becomes "<t>" (s, ms, us, ns; min/hr/day verbatim), direction
 * smaller; anything else is refused. params kept, plus "mode" (thrpt, avgt,
 * sample, ss) so one method in two modes stays two benchmarks. Secondary
 * metrics -> metrics (score, leading "·" of old JMH dropped; NaN skipped). */
#include "collector/import/importjson.h"
#include "collector/import/importer.h"
#include "lib/base/strbuf.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int jmh_detect(const char *buf, size_t len)
{
	if (importcore_first_char(buf, len) != '[')
		return 0;
	if (importcore_has(buf, len, IMPORTCORE_SNIFF_BYTES, "\"primaryMetric\"") && importcore_has(buf, len, IMPORTCORE_SNIFF_BYTES, "\"benchmark\""))
		return 95;
	return 0;
}

static int is_jmh_time(const char *s, size_t n, const char **canon)
{
	static const char *const longer[] = { "min", "hr", "day" };
	const char *c = importcore_time_unit_word(s, n);
	if (c && n <= 2) { /* JMH writes exactly s, ms, us, ns */
		*canon = c;
		return 1;
	}
	for (size_t i = 0; i < 3; i++)
		if (strlen(longer[i]) == n && !memcmp(longer[i], s, n)) {
			*canon = longer[i];
			return 1;
		}
	return 0;
}

/* Unit and direction of a JMH scoreUnit; -1 when it cannot be read. */
static int jmh_unit(const char *u, struct strbuf *unit, enum bk_direction *dir)
{
	const char *slash = strchr(u, '/'), *t;
	if (!slash || strchr(slash + 1, '/'))
		return -1;
	size_t a = (size_t)(slash - u), b = strlen(slash + 1);
	if (a == 3 && !memcmp(u, "ops", 3) && is_jmh_time(slash + 1, b, &t)) {
		strbuf_addstr(unit, u);
		*dir = BK_BIGGER;
		return 0;
	}
	if (b == 2 && !strcmp(slash + 1, "op") && is_jmh_time(u, a, &t)) {
		strbuf_addstr(unit, t);
		*dir = BK_SMALLER;
		return 0;
	}
	return -1;
}

static int add_raw(const struct import_ctx *ctx, const cJSON *raw, const char *path,
		   struct bk_benchmark *b)
{
	if (!cJSON_IsArray(raw))
		return importcore_error_path(ctx, path, "expected an array of arrays of numbers");
	const cJSON *fork, *v;
	int i = 0;
	cJSON_ArrayForEach(fork, raw) {
		char p[600];
		snprintf(p, sizeof(p), "%s[%d]", path, i);
		if (!cJSON_IsArray(fork))
			return importcore_error_path(ctx, p, "expected an array of numbers");
		int j = 0;
		cJSON_ArrayForEach(v, fork) {
			if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) {
				snprintf(p, sizeof(p), "%s[%d][%d]", path, i, j);
				return importcore_error_path(ctx, p, "expected a finite number");
			}
			bench_add_sample(b, v->valuedouble);
			j++;
		}
		i++;
	}
	return 0;
}

static int add_histogram(const struct import_ctx *ctx, const cJSON *h, const char *path,
			 struct bk_benchmark *b)
{
	char p[600];
	if (!cJSON_IsArray(h))
		return importcore_error_path(ctx, path, "expected an array");
	const cJSON *fork, *iter, *pair;
	int i = 0;
	cJSON_ArrayForEach(fork, h) {
		int j = 0;
		snprintf(p, sizeof(p), "%s[%d]", path, i);
		if (!cJSON_IsArray(fork))
			return importcore_error_path(ctx, p, "expected an array");
		cJSON_ArrayForEach(iter, fork) {
			int k = 0;
			snprintf(p, sizeof(p), "%s[%d][%d]", path, i, j);
			if (!cJSON_IsArray(iter))
				return importcore_error_path(ctx, p, "expected an array of [value, count]");
			cJSON_ArrayForEach(pair, iter) {
				snprintf(p, sizeof(p), "%s[%d][%d][%d]", path, i, j, k++);
				const cJSON *v = cJSON_GetArrayItem(pair, 0), *c = cJSON_GetArrayItem(pair, 1);
				if (!cJSON_IsArray(pair) || cJSON_GetArraySize(pair) != 2 ||
				    !cJSON_IsNumber(v) || !cJSON_IsNumber(c) || !isfinite(v->valuedouble))
					return importcore_error_path(ctx, p, "expected [value, count]");
				double cnt = c->valuedouble;
				if (cnt < 0 || cnt != floor(cnt))
					return importcore_error_path(ctx, p, "count must be a whole number >= 0");
				if (cnt > (double)(RESULT_MAX_SAMPLES - b->nsamples))
					return importcore_error_path(ctx, p, "too many samples (limit %d)",
							   RESULT_MAX_SAMPLES);
				for (long n = (long)cnt; n > 0; n--)
					bench_add_sample(b, v->valuedouble);
			}
			j++;
		}
		i++;
	}
	return 0;
}

static int add_params(const struct import_ctx *ctx, const cJSON *bj, const char *path,
		      struct bk_benchmark *b)
{
	char p[600];
	const cJSON *ps = cJSON_GetObjectItemCaseSensitive(bj, "params"), *e;
	snprintf(p, sizeof(p), "%s.params", path);
	if (!ps || cJSON_IsNull(ps))
		return 0;
	if (!cJSON_IsObject(ps))
		return importcore_error_path(ctx, p, "expected an object");
	if (importcore_check_keys(ctx, p, ps) < 0)
		return -1;
	cJSON_ArrayForEach(e, ps) {
		char q[800];
		snprintf(q, sizeof(q), "%s.%.200s", p, e->string);
		struct strbuf num = STRBUF_INIT;
		const char *val;
		if (cJSON_IsString(e)) {
			val = e->valuestring;
		} else if (cJSON_IsNumber(e)) {
			strbuf_add_double(&num, e->valuedouble);
			val = num.buf;
		} else {
			return importcore_error_path(ctx, q, "expected a string");
		}
		if (importcore_check_len(ctx, q, e->string, 1) < 0 || importcore_check_len(ctx, q, val, 0) < 0) {
			strbuf_release(&num);
			return -1;
		}
		kvlist_set(&b->params, e->string, val);
		strbuf_release(&num);
	}
	return 0;
}

static int add_secondary(const struct import_ctx *ctx, const cJSON *bj, const char *path,
			 struct bk_benchmark *b)
{
	char p[600];
	const cJSON *sm = cJSON_GetObjectItemCaseSensitive(bj, "secondaryMetrics"), *e;
	snprintf(p, sizeof(p), "%s.secondaryMetrics", path);
	if (!sm || cJSON_IsNull(sm))
		return 0;
	if (!cJSON_IsObject(sm))
		return importcore_error_path(ctx, p, "expected an object");
	if (importcore_check_keys(ctx, p, sm) < 0)
		return -1;
	cJSON_ArrayForEach(e, sm) {
		char q[800];
		const char *key = e->string;
		if (!strncmp(key, "\xC2\xB7", 2)) /* "·gc.alloc.rate" (JMH < 1.33) */
			key += 2;
		snprintf(q, sizeof(q), "%s.%.200s", p, e->string);
		if (!cJSON_IsObject(e))
			return importcore_error_path(ctx, q, "expected an object");
		const cJSON *s = cJSON_GetObjectItemCaseSensitive(e, "score");
		if (cJSON_IsString(s)) /* JMH writes "NaN" */
			continue;
		double v;
		if (importcore_json_num(ctx, e, q, "score", 1, &v) < 0 || importcore_check_len(ctx, q, key, 1) < 0)
			return -1;
		metrics_set(&b->metrics, key, v);
	}
	return 0;
}

static int jmh_one(const struct import_ctx *ctx, const cJSON *bj, const char *path,
		   struct bk_result *out)
{
	char p[600];
	const char *name, *mode = NULL, *su;
	if (!cJSON_IsObject(bj))
		return importcore_error_path(ctx, path, "expected an object");
	snprintf(p, sizeof(p), "%s.benchmark", path);
	if (importcore_json_str(ctx, bj, path, "benchmark", 1, &name) < 0 ||
	    importcore_check_len(ctx, p, name, 1) < 0 || importcore_json_str(ctx, bj, path, "mode", 0, &mode) < 0)
		return -1;
	const cJSON *pm = cJSON_GetObjectItemCaseSensitive(bj, "primaryMetric");
	snprintf(p, sizeof(p), "%s.primaryMetric", path);
	if (!cJSON_IsObject(pm))
		return importcore_error_path(ctx, p, "%s", pm ? "expected an object" : "missing");
	if (importcore_json_str(ctx, pm, p, "scoreUnit", 1, &su) < 0)
		return -1;
	struct strbuf unit = STRBUF_INIT;
	enum bk_direction dir;
	if (jmh_unit(su, &unit, &dir) < 0) {
		strbuf_release(&unit);
		snprintf(p, sizeof(p), "%s.primaryMetric.scoreUnit", path);
		return importcore_error_path(ctx, p, "cannot read unit '%.100s'", su);
	}
	struct bk_benchmark *b = importcore_add_bench(ctx, out, name, unit.buf, dir);
	strbuf_release(&unit);
	if (add_params(ctx, bj, path, b) < 0)
		return -1;
	if (mode) {
		snprintf(p, sizeof(p), "%s.mode", path);
		if (importcore_check_len(ctx, p, mode, 1) < 0)
			return -1;
		/* a @Param called "mode" keeps its name; the JMH mode then
		 * becomes "jmh.mode" */
		kvlist_set(&b->params, kvlist_get(&b->params, "mode") ? "jmh.mode" : "mode", mode);
	}
	const cJSON *raw = cJSON_GetObjectItemCaseSensitive(pm, "rawData");
	const cJSON *hist = cJSON_GetObjectItemCaseSensitive(pm, "rawDataHistogram");
	if (raw && !cJSON_IsNull(raw)) {
		snprintf(p, sizeof(p), "%s.primaryMetric.rawData", path);
		if (add_raw(ctx, raw, p, b) < 0)
			return -1;
	}
	if (!b->nsamples && hist && !cJSON_IsNull(hist)) {
		snprintf(p, sizeof(p), "%s.primaryMetric.rawDataHistogram", path);
		if (add_histogram(ctx, hist, p, b) < 0)
			return -1;
	}
	if (!b->nsamples) {
		double score;
		snprintf(p, sizeof(p), "%s.primaryMetric", path);
		if (importcore_json_num(ctx, pm, p, "score", 1, &score) < 0)
			return -1;
		bench_add_sample(b, score);
	}
	return add_secondary(ctx, bj, path, b);
}

/* JVM facts of the first result into run.machine.extra (when not set). */
static void fill_machine(const cJSON *root, struct bk_result *out)
{
	const cJSON *first = cJSON_GetArrayItem(root, 0);
	static const char *const keys[][2] = { { "jdkVersion", "jdk" },
					       { "vmName", "jvm_name" },
					       { "vmVersion", "jvm_version" },
					       { "jmhVersion", "jmh" } };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = json_get_string(first, keys[i][0]);
		if (v && strlen(v) <= RESULT_MAX_NAME && !kvlist_get(&out->run.machine.extra, keys[i][1]))
			kvlist_set(&out->run.machine.extra, keys[i][1], v);
	}
}

static int jmh_parse(const struct import_ctx *ctx, const char *buf, size_t len,
		     struct bk_result *out)
{
	cJSON *root = importcore_json_parse_bom(ctx, buf, len);
	if (!root)
		return -1;
	int rc = 0, i = 0;
	if (!cJSON_IsArray(root)) {
		rc = importcore_error_path(ctx, "", "expected a JSON array of JMH results");
		goto out;
	}
	const cJSON *bj;
	cJSON_ArrayForEach(bj, root) {
		char p[32];
		snprintf(p, sizeof(p), "[%d]", i++);
		if (jmh_one(ctx, bj, p, out) < 0) {
			rc = -1;
			goto out;
		}
	}
	fill_machine(root, out);
out:
	cJSON_Delete(root);
	return rc;
}

const struct importer importer_jmh = {
	"jmh",
	"JMH JSON results (-rf json); ops/<t> bigger, <t>/op smaller",
	jmh_detect,
	jmh_parse,
};
