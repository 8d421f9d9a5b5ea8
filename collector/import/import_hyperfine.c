/* hyperfine --export-json.
 *
 * One benchmark per result: the name is "command" (the --command-name when
 * one was given), "parameters" (-P / -L) become params, so the same command
 * name with other parameter values stays a distinct benchmark. "times" are
 * the samples, in seconds, all of them, as hyperfine's own mean and median
 * use them; a non-zero entry of "exit_codes" (hyperfine -i) counts a failed
 * operation. user/system become cpu_user_s/cpu_sys_s, and the largest of
 * "memory_usage_byte" (newer hyperfine) peak_rss_kb. */
#include "collector/import/importjson.h"
#include "lib/base/error.h"

#include <stdio.h>
#include <string.h>

/* Checks that element n of array `field` (x) is a number; p gets its path. */
static int element_number(const struct import_ctx *ctx, const char *path, const char *field,
			  int n, const cJSON *x, char *p, size_t np)
{
	snprintf(p, np, "%s.%s[%d]", path, field, n);
	if (!cJSON_IsNumber(x))
		return importcore_error_path(ctx, p, "expected a number");
	return 0;
}

/* results[i].times as the samples of b. */
static int add_times(const struct import_ctx *ctx, const char *path, const cJSON *times,
		     struct bk_benchmark *b)
{
	const cJSON *x;
	char p[128];
	int n = 0;
	cJSON_ArrayForEach(x, times) {
		if (element_number(ctx, path, "times", n++, x, p, sizeof(p)) < 0 ||
		    importcore_add_sample(ctx, p, b, x->valuedouble) < 0)
			return -1;
	}
	return 0;
}

/* Counts results[i].exit_codes (NULL: none) into *ok and *failed; without
 * exit codes every sample is a success. */
static int count_exits(const struct import_ctx *ctx, const char *path, const cJSON *codes,
		       const struct bk_benchmark *b, double *ok, double *failed)
{
	const cJSON *x;
	char p[128];
	int n = 0;
	*ok = *failed = 0;
	cJSON_ArrayForEach(x, codes) {
		if (cJSON_IsNull(x)) { /* killed by a signal */
			(*failed)++;
			n++;
			continue;
		}
		if (element_number(ctx, path, "exit_codes", n++, x, p, sizeof(p)) < 0)
			return -1;
		if (x->valuedouble != 0)
			(*failed)++;
		else
			(*ok)++;
	}
	if (!codes)
		*ok = (double)b->nsamples;
	return 0;
}

/* user, system and memory_usage_byte of results[i] as metrics of b. */
static int resource_metrics(const struct import_ctx *ctx, const cJSON *e, const char *path,
			    struct bk_benchmark *b)
{
	double v;
	int k, err;
	if ((k = importcore_json_number(ctx, e, path, "user", &v)) < 0)
		return -1;
	if (k > 0)
		metrics_set(&b->metrics, "cpu_user_s", v);
	if ((k = importcore_json_number(ctx, e, path, "system", &v)) < 0)
		return -1;
	if (k > 0)
		metrics_set(&b->metrics, "cpu_sys_s", v);
	const cJSON *mem = importcore_json_array(ctx, e, path, "memory_usage_byte", 0, &err);
	if (err)
		return -1;
	if (!mem)
		return 0;
	double peak = 0;
	const cJSON *x;
	char p[128];
	int n = 0;
	cJSON_ArrayForEach(x, mem) {
		if (element_number(ctx, path, "memory_usage_byte", n++, x, p, sizeof(p)) < 0)
			return -1;
		if (x->valuedouble > peak)
			peak = x->valuedouble;
	}
	if (n)
		metrics_set(&b->metrics, "peak_rss_kb", peak / 1024);
	return 0;
}

/* One element of "results": a benchmark with its samples, ops and metrics. */
static int result_entry(const struct import_ctx *ctx, struct importcore_index *ix, const cJSON *e,
			int i)
{
	char path[64], p[128];
	snprintf(path, sizeof(path), "results[%d]", i);
	if (!cJSON_IsObject(e))
		return importcore_error_path(ctx, path, "expected an object");
	const char *name;
	snprintf(p, sizeof(p), "%s.command", path);
	if (importcore_json_need_string(ctx, e, path, "command", &name) < 0 ||
	    importcore_check_name(ctx, p, name, strlen(name), 1) < 0)
		return -1;
	int err;
	const cJSON *times = importcore_json_array(ctx, e, path, "times", 1, &err);
	if (!times)
		return -1;
	const cJSON *codes = importcore_json_array(ctx, e, path, "exit_codes", 0, &err);
	if (err)
		return -1;
	const cJSON *params = importcore_json_object(ctx, e, path, "parameters", 0, &err);
	if (err)
		return -1;
	struct bk_kvlist kv = { 0 };
	double ok, failed;
	int rc = -1;
	snprintf(p, sizeof(p), "%s.parameters", path);
	if (importcore_json_params(ctx, params, p, 40, 0, &kv) < 0)
		goto out;
	struct bk_benchmark *b = importcore_bench(ix, ctx->suite, name, &kv, "s");
	if (add_times(ctx, path, times, b) < 0 || count_exits(ctx, path, codes, b, &ok, &failed) < 0 ||
	    resource_metrics(ctx, e, path, b) < 0)
		goto out;
	importcore_count(b, "successful_ops", ok);
	importcore_count(b, "failed_ops", failed);
	importcore_error_rate(b);
	rc = 0;
out:
	kvlist_release(&kv);
	return rc;
}

static int hyperfine_detect(const char *buf, size_t len)
{
	static const struct importcore_cue cues[] = {
		{ "\"times\"", NULL, 40 },
		{ "\"command\"", NULL, 20 },
		{ "\"exit_codes\"", NULL, 5 },
		{ NULL, NULL, 0 },
	};
	return importcore_json_score(buf, len, 64 * 1024, "\"results\"", 30, 0, cues);
}

static int hyperfine_parse(const struct import_ctx *ctx, const char *buf, size_t len,
			   struct bk_result *out)
{
	const cJSON *rs;
	cJSON *root = importcore_json_root(ctx, buf, len, "hyperfine JSON", "results", &rs);
	if (!root)
		return -1;
	int rc = importcore_each_entry(ctx, rs, out, result_entry);
	cJSON_Delete(root);
	return rc;
}

const struct importer importer_hyperfine = {
	"hyperfine",
	"hyperfine --export-json; times are samples (s), parameters kept as params",
	hyperfine_detect,
	hyperfine_parse,
};
