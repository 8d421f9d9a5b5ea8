/* The baseline JSON of the Rust style seen in other projects:
 *   {"NAME": {"metrics": {"avg_duration": {"secs": 0, "nanos": 1000000},
 *     "median_duration": D, "p95_duration": D, "p99_duration": D,
 *     "std_deviation": D, "throughput": N, "memory_usage_mb": N,
 *     "peak_memory_mb": N, "error_rate": N, "successful_ops": N,
 *     "failed_ops": N, "custom_metrics": {KEY: N}},
 *   "metadata": {...}, "version": 1}, ...}
 * (D: a serde std::time::Duration). It carries no raw samples: the one
 * sample is avg_duration, in ns (secs * 1e9 + nanos), direction smaller.
 * The other durations become metrics in ns, the numbers metrics verbatim,
 * custom_metrics their keys verbatim. metadata is not kept. */
#include "collector/import/importjson.h"
#include "collector/import/importer.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int rb_detect(const char *buf, size_t len)
{
	if (importcore_first_char(buf, len) != '{')
		return 0;
	if (importcore_has(buf, len, IMPORTCORE_SNIFF_BYTES, "\"avg_duration\"") && importcore_has(buf, len, IMPORTCORE_SNIFF_BYTES, "\"nanos\"") &&
	    importcore_has(buf, len, IMPORTCORE_SNIFF_BYTES, "\"metrics\""))
		return 90;
	return 0;
}

/* Duration member `key` of obj in ns. 1 present, 0 absent, -1 + error. */
static int duration(const struct import_ctx *ctx, const cJSON *obj, const char *path,
		    const char *key, int required, double *ns)
{
	char p[700];
	double secs, nanos;
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(obj, key);
	snprintf(p, sizeof(p), "%s.%s", path, key);
	if (!d || cJSON_IsNull(d)) {
		if (required)
			return importcore_error_path(ctx, p, "missing");
		return 0;
	}
	if (!cJSON_IsObject(d))
		return importcore_error_path(ctx, p, "expected {\"secs\": N, \"nanos\": N}");
	if (importcore_json_num(ctx, d, p, "secs", 1, &secs) < 0 ||
	    importcore_json_num(ctx, d, p, "nanos", 1, &nanos) < 0)
		return -1;
	if (secs < 0 || nanos < 0 || nanos >= 1e9 || secs > 1e15)
		return importcore_error_path(ctx, p, "not a valid duration");
	*ns = secs * 1e9 + nanos;
	return 1;
}

static int rb_one(const struct import_ctx *ctx, const cJSON *e, struct bk_result *out)
{
	char path[300], p[400];
	snprintf(path, sizeof(path), "%.200s", e->string);
	if (importcore_check_len(ctx, path, e->string, 1) < 0)
		return -1;
	if (!cJSON_IsObject(e))
		return importcore_error_path(ctx, path, "expected an object");
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(e, "metrics");
	snprintf(p, sizeof(p), "%s.metrics", path);
	if (!cJSON_IsObject(m))
		return importcore_error_path(ctx, p, "%s", m ? "expected an object" : "missing");
	double avg, v;
	if (duration(ctx, m, p, "avg_duration", 1, &avg) < 0)
		return -1;
	struct bk_benchmark *b = importcore_add_bench(ctx, out, e->string, "ns", BK_SMALLER);
	bench_add_sample(b, avg);
	static const char *const durs[] = { "median_duration", "p95_duration", "p99_duration",
					    "std_deviation" };
	for (size_t i = 0; i < sizeof(durs) / sizeof(durs[0]); i++) {
		int r = duration(ctx, m, p, durs[i], 0, &v);
		if (r < 0)
			return -1;
		if (r)
			metrics_set(&b->metrics, durs[i], v);
	}
	static const char *const nums[] = { "throughput",   "memory_usage_mb", "peak_memory_mb",
					    "error_rate",   "successful_ops",  "failed_ops" };
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		int r = importcore_json_num(ctx, m, p, nums[i], 0, &v);
		if (r < 0)
			return -1;
		if (r)
			metrics_set(&b->metrics, nums[i], v);
	}
	const cJSON *cm = cJSON_GetObjectItemCaseSensitive(m, "custom_metrics"), *c;
	if (cm && !cJSON_IsNull(cm)) {
		char q[500];
		snprintf(q, sizeof(q), "%s.custom_metrics", p);
		if (!cJSON_IsObject(cm))
			return importcore_error_path(ctx, q, "expected an object");
		if (importcore_check_keys(ctx, q, cm) < 0)
			return -1;
		cJSON_ArrayForEach(c, cm) {
			if (importcore_json_num(ctx, cm, q, c->string, 1, &v) < 0 ||
			    importcore_check_len(ctx, q, c->string, 1) < 0)
				return -1;
			metrics_set(&b->metrics, c->string, v);
		}
	}
	return 0;
}

static int rb_parse(const struct import_ctx *ctx, const char *buf, size_t len,
		    struct bk_result *out)
{
	cJSON *root = importcore_json_parse_bom(ctx, buf, len);
	if (!root)
		return -1;
	int rc = 0;
	const cJSON *e;
	if (!cJSON_IsObject(root)) {
		rc = importcore_error_path(ctx, "", "expected an object {NAME: {\"metrics\": ...}}");
		goto out;
	}
	cJSON_ArrayForEach(e, root) {
		if (rb_one(ctx, e, out) < 0) {
			rc = -1;
			break;
		}
	}
out:
	cJSON_Delete(root);
	return rc;
}

const struct importer importer_rustbaseline = {
	"rust-baseline",
	"Rust-style baseline JSON {NAME: {metrics: {avg_duration: {secs, nanos}, ...}}} (ns)",
	rb_detect,
	rb_parse,
};
