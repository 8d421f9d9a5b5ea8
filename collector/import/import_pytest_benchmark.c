/* pytest-benchmark --benchmark-json.
 *
 * One benchmark per entry of "benchmarks", named by "fullname" (else
 * "name"); "params" (else "param") become params. The samples are
 * stats.data (seconds per iteration, written with --benchmark-json) when it
 * is a complete list of numbers (as many as stats.rounds); otherwise the
 * summary statistics are used: the median (else the mean) is the one
 * sample, mean/median/min/max/stddev are kept as summary_* metrics and the
 * benchmark is marked summary_only. stats.ops, rounds and iterations and
 * the numbers of extra_info ("extra.<key>") are metrics. machine_info and
 * commit_info fill the run (host, os, arch, CPU, Python; commit id, branch,
 * dirty), "datetime" (UTC) its start. */
#include "collector/import/importjson.h"
#include "lib/base/error.h"
#include "lib/base/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int machine_info(const struct import_ctx *ctx, const cJSON *root, struct bk_result *out)
{
	int err, k;
	const cJSON *m = importcore_json_object(ctx, root, "", "machine_info", 0, &err);
	if (!m)
		return err;
	struct bk_machine *mc = &out->run.machine;
	const char *s;
	if (importcore_json_machine_extra(ctx, m, "machine_info", "node", out, "host_name") < 0 ||
	    importcore_json_run_str(ctx, m, "machine_info", "machine", &mc->arch) < 0)
		return -1;
	if ((k = importcore_json_string(ctx, m, "machine_info", "system", &s)) < 0)
		return -1;
	if (k > 0 && *s) {
		if (importcore_check_name(ctx, "machine_info.system", s, strlen(s), 0) < 0)
			return -1;
		char *lower = xstrdup(s);
		for (char *c = lower; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		set_str(&mc->os, lower);
		free(lower);
	}
	if (importcore_json_machine_extra(ctx, m, "machine_info", "release", out, "os_release") < 0 ||
	    importcore_json_machine_extra(ctx, m, "machine_info", "python_version", out, "python") < 0 ||
	    importcore_json_machine_extra(ctx, m, "machine_info", "python_implementation", out,
					  "python_implementation") < 0)
		return -1;
	const cJSON *cpu = importcore_json_object(ctx, m, "machine_info", "cpu", 0, &err);
	if (err)
		return -1;
	if (cpu) {
		if ((k = importcore_json_string(ctx, cpu, "machine_info.cpu", "brand_raw", &s)) < 0)
			return -1;
		if (k == 0 && (k = importcore_json_string(ctx, cpu, "machine_info.cpu", "brand", &s)) < 0)
			return -1;
		if (k > 0 && importcore_run_str(ctx, "machine_info.cpu.brand", &mc->cpu_model, s) < 0)
			return -1;
		double v;
		if ((k = importcore_json_number(ctx, cpu, "machine_info.cpu", "count", &v)) < 0)
			return -1;
		if (k > 0 && v >= 1 && v < 1e7)
			mc->cpu_cores = (long)v;
	}
	return 0;
}

static int commit_info(const struct import_ctx *ctx, const cJSON *root, struct bk_result *out)
{
	int err;
	const cJSON *c = importcore_json_object(ctx, root, "", "commit_info", 0, &err);
	if (!c)
		return err;
	int dirty = 0;
	if (importcore_json_run_str(ctx, c, "commit_info", "id", &out->run.commit_sha) < 0 ||
	    importcore_json_run_str(ctx, c, "commit_info", "branch", &out->run.commit_branch) < 0)
		return -1;
	if (json_field_bool(c, "dirty", &dirty) > 0 && dirty)
		kvlist_set(&out->run.labels, "commit_dirty", "true");
	return 0;
}

/* params (an object) or param (a scalar) into kv. */
static int params_of(const struct import_ctx *ctx, const cJSON *e, const char *path,
		     struct bk_kvlist *kv)
{
	char p[160];
	struct strbuf sb = STRBUF_INIT;
	int err, rc = -1;
	const cJSON *ps = importcore_json_object(ctx, e, path, "params", 0, &err);
	if (err)
		return -1;
	if (ps) {
		snprintf(p, sizeof(p), "%s.params", path);
		if (importcore_json_params(ctx, ps, p, 60, 1, kv) < 0)
			goto out;
	} else {
		const cJSON *x = json_field_value(e, "param");
		if (x) {
			snprintf(p, sizeof(p), "%s.param", path);
			if (importcore_json_scalar_text(x, &sb) < 0) {
				importcore_error_path(ctx, p, "expected a string or number");
				goto out;
			}
			if (importcore_check_name(ctx, p, sb.buf, sb.len, 0) < 0)
				goto out;
			kvlist_set(kv, "param", sb.buf);
		}
	}
	rc = 0;
out:
	strbuf_release(&sb);
	return rc;
}

/* 1 when data is a list of numbers only, as long as `rounds` (when known). */
static int complete_data(const cJSON *data, int has_rounds, double rounds)
{
	if (!cJSON_IsArray(data))
		return 0;
	int n = 0;
	const cJSON *x;
	cJSON_ArrayForEach(x, data) {
		if (!cJSON_IsNumber(x))
			return 0;
		n++;
	}
	return n > 0 && (!has_rounds || (double)n == rounds);
}

/* The benchmark name of entry e: "fullname", else "name". */
static int entry_name(const struct import_ctx *ctx, const cJSON *e, const char *path,
		      const char **name)
{
	char p[160];
	const char *key = "fullname";
	int k = importcore_json_string(ctx, e, path, "fullname", name);
	if (k < 0)
		return -1;
	if (k == 0 || !**name) {
		key = "name";
		if ((k = importcore_json_string(ctx, e, path, "name", name)) < 0)
			return -1;
	}
	snprintf(p, sizeof(p), "%s.%s", path, key);
	if (k == 0)
		return importcore_error_path(ctx, p, "missing");
	return importcore_check_name(ctx, p, *name, strlen(*name), 1);
}

/* stats.data (complete_data) as the samples of b. */
static int data_samples(const struct import_ctx *ctx, const char *path, const cJSON *data,
			struct bk_benchmark *b)
{
	char p[160];
	const cJSON *x;
	int n = 0;
	cJSON_ArrayForEach(x, data) {
		snprintf(p, sizeof(p), "%s.stats.data[%d]", path, n++);
		if (importcore_add_sample(ctx, p, b, x->valuedouble) < 0)
			return -1;
	}
	return 0;
}

/* Without usable data: the summary statistics of st (at path sp) as
 * summary_* metrics, the median (else the mean) as the one sample. */
static int summary_stats(const struct import_ctx *ctx, const cJSON *st, const char *sp,
			 struct bk_benchmark *b)
{
	static const char *const sums[] = { "mean", "median", "min", "max", "stddev" };
	double mean = 0, median = 0, v;
	int has_mean = 0, has_median = 0, k;
	for (size_t s = 0; s < sizeof(sums) / sizeof(sums[0]); s++) {
		if ((k = importcore_json_number(ctx, st, sp, sums[s], &v)) < 0)
			return -1;
		if (k == 0)
			continue;
		char mk[32];
		snprintf(mk, sizeof(mk), "summary_%s", sums[s]);
		metrics_set(&b->metrics, mk, v);
		if (s == 0) {
			mean = v;
			has_mean = 1;
		} else if (s == 1) {
			median = v;
			has_median = 1;
		}
	}
	if (!has_mean && !has_median)
		return importcore_error_path(ctx, sp, "neither data nor mean/median");
	return importcore_summary_only(ctx, sp, b, has_median ? median : mean);
}

/* stats.ops, rounds and iterations (st at path sp) as metrics of b. */
static int stats_metrics(const struct import_ctx *ctx, const cJSON *st, const char *sp,
			 int has_rounds, double rounds, struct bk_benchmark *b)
{
	double v;
	int k;
	if ((k = importcore_json_number(ctx, st, sp, "ops", &v)) < 0)
		return -1;
	if (k > 0)
		metrics_set(&b->metrics, "ops", v);
	if (has_rounds)
		metrics_set(&b->metrics, "rounds", rounds);
	if ((k = importcore_json_number(ctx, st, sp, "iterations", &v)) < 0)
		return -1;
	if (k > 0)
		metrics_set(&b->metrics, "iterations", v);
	return 0;
}

/* The numbers of extra_info as "extra.<key>" metrics of b. */
static int extra_metrics(const struct import_ctx *ctx, const cJSON *e, const char *path,
			 struct bk_benchmark *b)
{
	char p[160];
	int err;
	const cJSON *extra = importcore_json_object(ctx, e, path, "extra_info", 0, &err);
	if (err)
		return -1;
	const cJSON *x;
	cJSON_ArrayForEach(x, extra) {
		if (!cJSON_IsNumber(x))
			continue;
		char mk[RESULT_MAX_NAME + 8];
		snprintf(p, sizeof(p), "%s.extra_info.%.60s", path, x->string);
		if (strlen(x->string) > RESULT_MAX_NAME - 6)
			return importcore_error_path(ctx, p, "key too long");
		snprintf(mk, sizeof(mk), "extra.%s", x->string);
		if (importcore_metric(ctx, p, b, mk, x->valuedouble) < 0)
			return -1;
	}
	return 0;
}

/* One entry of "benchmarks": a benchmark with its samples (or summary) and metrics. */
static int bench_entry(const struct import_ctx *ctx, struct importcore_index *ix, const cJSON *e,
		       int i)
{
	char path[64], sp[160];
	snprintf(path, sizeof(path), "benchmarks[%d]", i);
	if (!cJSON_IsObject(e))
		return importcore_error_path(ctx, path, "expected an object");
	const char *name = NULL;
	if (entry_name(ctx, e, path, &name) < 0)
		return -1;
	int err, rc = -1;
	const cJSON *st = importcore_json_object(ctx, e, path, "stats", 1, &err);
	if (!st)
		return -1;
	snprintf(sp, sizeof(sp), "%s.stats", path);
	double rounds = 0;
	int has_rounds;
	if ((has_rounds = importcore_json_number(ctx, st, sp, "rounds", &rounds)) < 0)
		return -1;
	struct bk_kvlist kv = { 0 };
	if (params_of(ctx, e, path, &kv) < 0)
		goto out;
	struct bk_benchmark *b = importcore_bench(ix, ctx->suite, name, &kv, "s");
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(st, "data");
	if (complete_data(data, has_rounds > 0, rounds) ? data_samples(ctx, path, data, b) < 0
							 : summary_stats(ctx, st, sp, b) < 0)
		goto out;
	if (stats_metrics(ctx, st, sp, has_rounds, rounds, b) < 0 ||
	    extra_metrics(ctx, e, path, b) < 0)
		goto out;
	rc = 0;
out:
	kvlist_release(&kv);
	return rc;
}

static int pytest_benchmark_detect(const char *buf, size_t len)
{
	static const struct importcore_cue cues[] = {
		{ "\"machine_info\"", NULL, 50 },
		{ "\"stats\"", NULL, 20 },
		{ "\"fullname\"", NULL, 25 },
		{ NULL, NULL, 0 },
	};
	return importcore_json_score(buf, len, 256 * 1024, "\"benchmarks\"", 0, 0, cues);
}

static int pytest_benchmark_parse(const struct import_ctx *ctx, const char *buf, size_t len,
				  struct bk_result *out)
{
	const cJSON *bs;
	cJSON *root = importcore_json_root(ctx, buf, len, "pytest-benchmark JSON", "benchmarks", &bs);
	if (!root)
		return -1;
	int rc = -1;
	if (machine_info(ctx, root, out) == 0 && commit_info(ctx, root, out) == 0 &&
	    importcore_json_started(ctx, root, "", "datetime", 1, out) == 0)
		rc = importcore_each_entry(ctx, bs, out, bench_entry);
	cJSON_Delete(root);
	return rc;
}

const struct importer importer_pytest_benchmark = {
	"pytest-benchmark",
	"pytest-benchmark --benchmark-json; stats.data are samples (s)",
	pytest_benchmark_detect,
	pytest_benchmark_parse,
};
