/* Julia BenchmarkTools JSON (BenchmarkTools.save): [{"Julia": v,
 * "BenchmarkTools": v}, [VALUE, ...]] where VALUE is ["BenchmarkGroup",
 * {"data": {KEY: VALUE...}, "tags": [...]}], ["Trial", {"times": [ns...],
 * "gctimes", "memory", "allocs", "params"}] or ["TrialEstimate", {"time",
 * "gctime", "memory", "allocs", "params"}] (what github-action-benchmark
 * reads).
 *
 * A benchmark's name is its group path joined with "/" ("fib/20"); a trial
 * at the top level is named by its 1-based position. Samples in ns: a
 * Trial's "times", a TrialEstimate's "time" (one sample). Metrics: allocs,
 * memory (bytes), gctime (ns; the mean of "gctimes" for a Trial). The Julia
 * version goes to run.machine.extra "julia". */
#include "collector/import/importjson.h"
#include "collector/import/importer.h"
#include "lib/base/strbuf.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int julia_detect(const char *buf, size_t len)
{
	if (importcore_first_char(buf, len) != '[')
		return 0;
	if (importcore_has(buf, len, IMPORTCORE_SNIFF_BYTES, "\"BenchmarkTools\""))
		return 95;
	if (importcore_has(buf, len, IMPORTCORE_SNIFF_BYTES, "\"BenchmarkGroup\""))
		return 90;
	return 0;
}

static int add_trial(const struct import_ctx *ctx, const char *kind, const cJSON *t,
		     const char *path, const char *name, struct bk_result *out)
{
	char p[600];
	double v;
	int r;
	snprintf(p, sizeof(p), "%s[1]", path);
	if (!cJSON_IsObject(t))
		return importcore_error_path(ctx, p, "expected an object");
	if (importcore_check_len(ctx, path, name, 1) < 0)
		return -1;
	struct bk_benchmark *b = importcore_add_bench(ctx, out, name, "ns", BK_SMALLER);
	if (!strcmp(kind, "Trial")) {
		const cJSON *times = cJSON_GetObjectItemCaseSensitive(t, "times"), *e;
		snprintf(p, sizeof(p), "%s[1].times", path);
		if (!cJSON_IsArray(times))
			return importcore_error_path(ctx, p, "%s", times ? "expected an array of numbers" : "missing");
		int i = 0;
		cJSON_ArrayForEach(e, times) {
			if (!cJSON_IsNumber(e) || !isfinite(e->valuedouble)) {
				snprintf(p, sizeof(p), "%s[1].times[%d]", path, i);
				return importcore_error_path(ctx, p, "expected a finite number");
			}
			bench_add_sample(b, e->valuedouble);
			i++;
		}
		const cJSON *gc = cJSON_GetObjectItemCaseSensitive(t, "gctimes");
		if (cJSON_IsArray(gc) && cJSON_GetArraySize(gc) > 0) {
			double sum = 0;
			int n = 0;
			cJSON_ArrayForEach(e, gc) {
				if (!cJSON_IsNumber(e) || !isfinite(e->valuedouble)) {
					snprintf(p, sizeof(p), "%s[1].gctimes[%d]", path, n);
					return importcore_error_path(ctx, p, "expected a finite number");
				}
				sum += e->valuedouble;
				n++;
			}
			if (!isfinite(sum / n)) {
				snprintf(p, sizeof(p), "%s[1].gctimes", path);
				return importcore_error_path(ctx, p, "mean is not finite");
			}
			metrics_set(&b->metrics, "gctime", sum / n);
		}
	} else {
		snprintf(p, sizeof(p), "%s[1]", path);
		if (importcore_json_num(ctx, t, p, "time", 1, &v) < 0)
			return -1;
		bench_add_sample(b, v);
		if ((r = importcore_json_num(ctx, t, p, "gctime", 0, &v)) < 0)
			return -1;
		if (r)
			metrics_set(&b->metrics, "gctime", v);
	}
	snprintf(p, sizeof(p), "%s[1]", path);
	static const char *const keys[] = { "allocs", "memory" };
	for (size_t k = 0; k < 2; k++) {
		if ((r = importcore_json_num(ctx, t, p, keys[k], 0, &v)) < 0)
			return -1;
		if (r)
			metrics_set(&b->metrics, keys[k], v);
	}
	return 0;
}

/* Imports VALUE ([kind, body]) found at key path `path` under group name
 * `name` (a strbuf the function restores before returning). */
static int julia_value(const struct import_ctx *ctx, const cJSON *val, const char *path,
		       struct strbuf *name, struct bk_result *out)
{
	const cJSON *k = cJSON_GetArrayItem(val, 0), *body = cJSON_GetArrayItem(val, 1);
	if (!cJSON_IsArray(val) || cJSON_GetArraySize(val) != 2 || !cJSON_IsString(k))
		return importcore_error_path(ctx, path, "expected [\"BenchmarkGroup\" | \"Trial\" | "
				   "\"TrialEstimate\", {...}]");
	const char *kind = k->valuestring;
	if (!strcmp(kind, "Trial") || !strcmp(kind, "TrialEstimate"))
		return add_trial(ctx, kind, body, path, name->buf, out);
	if (strcmp(kind, "BenchmarkGroup"))
		return importcore_error_path(ctx, path, "cannot import a '%.50s' (expected BenchmarkGroup, "
				   "Trial or TrialEstimate)", kind);
	char p[600];
	snprintf(p, sizeof(p), "%s[1]", path);
	const cJSON *data = cJSON_IsObject(body) ? cJSON_GetObjectItemCaseSensitive(body, "data")
						 : NULL;
	if (!cJSON_IsObject(data))
		return importcore_error_path(ctx, p, "expected {\"data\": {...}}");
	const cJSON *e;
	size_t keep = name->len;
	cJSON_ArrayForEach(e, data) {
		char q[800];
		snprintf(q, sizeof(q), "%s.data.%.200s", p, e->string);
		if (keep)
			strbuf_addch(name, '/');
		strbuf_addstr(name, e->string);
		int rc = julia_value(ctx, e, q, name, out);
		strbuf_setlen(name, keep);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int julia_parse(const struct import_ctx *ctx, const char *buf, size_t len,
		       struct bk_result *out)
{
	cJSON *root = importcore_json_parse_bom(ctx, buf, len);
	if (!root)
		return -1;
	int rc = 0;
	const cJSON *items = cJSON_GetArrayItem(root, 1), *e;
	if (!cJSON_IsArray(root) || cJSON_GetArraySize(root) != 2 ||
	    !cJSON_IsObject(cJSON_GetArrayItem(root, 0)) || !cJSON_IsArray(items)) {
		rc = importcore_error_path(ctx, "", "expected [{\"Julia\": ..., \"BenchmarkTools\": ...}, [...]]");
		goto out;
	}
	struct strbuf name = STRBUF_INIT;
	int i = 0;
	cJSON_ArrayForEach(e, items) {
		char p[64];
		snprintf(p, sizeof(p), "[1][%d]", i++);
		const cJSON *k = cJSON_GetArrayItem(e, 0);
		strbuf_reset(&name);
		if (!cJSON_IsString(k) || strcmp(k->valuestring, "BenchmarkGroup"))
			strbuf_addf(&name, "%d", i);
		if (julia_value(ctx, e, p, &name, out) < 0) {
			rc = -1;
			break;
		}
	}
	strbuf_release(&name);
	const char *jv = json_get_string(cJSON_GetArrayItem(root, 0), "Julia");
	if (!rc && jv && strlen(jv) <= RESULT_MAX_NAME && !kvlist_get(&out->run.machine.extra, "julia"))
		kvlist_set(&out->run.machine.extra, "julia", jv);
out:
	cJSON_Delete(root);
	return rc;
}

const struct importer importer_julia = {
	"julia",
	"Julia BenchmarkTools JSON (BenchmarkTools.save; group paths as names, ns)",
	julia_detect,
	julia_parse,
};
