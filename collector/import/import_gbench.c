/* Google Benchmark JSON (--benchmark_format=json / --benchmark_out).
 *
 * One benchmark per run_name (name for files older than 1.5). Each
 * "iteration" entry is one repetition: its real_time (in its time_unit,
 * kept as the unit) is a sample, and its cpu_time, iterations,
 * items_per_second, bytes_per_second and user counters become metrics (the
 * mean over the repetitions, which is what Google Benchmark's own "_mean"
 * aggregate reports). Aggregates (mean/median/stddev/cv) are not separate
 * benchmarks: they are ignored when the repetitions are present; when only
 * aggregates were written (--benchmark_report_aggregates_only) the median
 * (else the mean) becomes the one sample, the aggregates are kept as
 * summary_* metrics and the benchmark is marked summary_only. BigO/RMS
 * aggregates are ignored. error_occurred counts a failed operation. The
 * context fills the run: date, num_cpus, host_name, mhz_per_cpu, library
 * version and build type, CPU scaling. */
#include "collector/import/importjson.h"
#include "lib/base/error.h"
#include "lib/base/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Per-benchmark counts of repetitions without / with error_occurred in
 * this file; `touched` when this file has an entry for the benchmark. */
struct acc {
	double ok, failed;
	int touched;
};

struct gb {
	const struct import_ctx *ctx;
	struct bk_result *out;
	struct importcore_index ix;
	struct acc *acc;
	size_t nacc, acc_alloc;
	struct importcore_means means; /* per-repetition metrics */
};

/* The counters of b (any benchmark of the result), marked touched. */
static struct acc *acc_for(struct gb *g, const struct bk_benchmark *b)
{
	size_t i = (size_t)(b - g->out->benchmarks);
	if (i >= g->nacc) {
		ALLOC_GROW(g->acc, i + 1, g->acc_alloc);
		memset(g->acc + g->nacc, 0, (i + 1 - g->nacc) * sizeof(*g->acc));
		g->nacc = i + 1;
	}
	g->acc[i].touched = 1;
	return &g->acc[i];
}

static void acc_add(struct gb *g, const struct bk_benchmark *b, const char *key, double v)
{
	importcore_means_add(&g->means, b, key, v);
}

/* Keys of an entry that are not user counters. */
static int known_key(const char *k)
{
	static const char *const keys[] = {
		"name", "run_name", "run_type", "repetitions", "repetition_index", "threads",
		"iterations", "real_time", "cpu_time", "time_unit", "bytes_per_second",
		"items_per_second", "label", "error_occurred", "error_message", "aggregate_name",
		"aggregate_unit", "family_index", "per_family_instance_index", "big_o",
		"cpu_coefficient", "real_coefficient", "rms", "complexity",
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(k, keys[i]))
			return 1;
	return 0;
}

/* Metric names benchkeep itself gives a meaning to: a user counter with one
 * of these names is stored as "counter.<name>". */
static int reserved_metric(const char *k)
{
	return !strcmp(k, "successful_ops") || !strcmp(k, "failed_ops") ||
	       !strcmp(k, "error_rate") || !strcmp(k, "summary_only") ||
	       !strncmp(k, "summary_", 8) || !strncmp(k, "counter.", 8);
}

static int context(struct gb *g, const cJSON *root)
{
	const struct import_ctx *ctx = g->ctx;
	int err;
	const cJSON *c = importcore_json_object(ctx, root, "", "context", 0, &err);
	if (!c)
		return err;
	const char *s;
	double v;
	int k;
	if (importcore_json_started(ctx, c, "context", "date", 0, g->out) < 0 ||
	    importcore_json_machine_extra(ctx, c, "context", "host_name", g->out, "host_name") < 0)
		return -1;
	if ((k = importcore_json_number(ctx, c, "context", "num_cpus", &v)) < 0)
		return -1;
	if (k > 0 && v >= 1 && v < 1e7)
		g->out->run.machine.cpu_cores = (long)v;
	if ((k = importcore_json_number(ctx, c, "context", "mhz_per_cpu", &v)) < 0)
		return -1;
	if (k > 0) {
		char num[64];
		snprintf(num, sizeof(num), "%.0f", v);
		kvlist_set(&g->out->run.machine.extra, "mhz_per_cpu", num);
	}
	if ((k = importcore_json_string(ctx, c, "context", "library_version", &s)) < 0 ||
	    (k > 0 && importcore_machine_extra(ctx, "context.library_version", g->out,
					       "gbench_version", s) < 0))
		return -1;
	if ((k = importcore_json_string(ctx, c, "context", "library_build_type", &s)) < 0 ||
	    (k > 0 && importcore_machine_extra(ctx, "context.library_build_type", g->out,
					       "gbench_build_type", s) < 0))
		return -1;
	const cJSON *sc = cJSON_GetObjectItemCaseSensitive(c, "cpu_scaling_enabled");
	if (cJSON_IsBool(sc))
		kvlist_set(&g->out->run.machine.extra, "cpu_scaling_enabled",
			   cJSON_IsTrue(sc) ? "true" : "false");
	return 0;
}

/* The benchmark's key: run_name, or for files without it the name with an
 * aggregate's "_<aggregate_name>" suffix removed. Heap string. */
static char *run_name_of(const cJSON *e, const char *name, const char *agg)
{
	const char *rn = json_get_string(e, "run_name");
	if (rn)
		return xstrdup(rn);
	size_t n = strlen(name), a = agg ? strlen(agg) : 0;
	if (agg && n > a + 1 && name[n - a - 1] == '_' && !strcmp(name + n - a, agg))
		return xstrndup(name, n - a - 1);
	return xstrdup(name);
}

/* Adds the per-repetition metrics of entry e to the accumulators of b. */
static int entry_metrics(struct gb *g, const cJSON *e, const char *path, struct bk_benchmark *b,
			 double to_unit, int aggregate)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, e) {
		const char *k = m->string;
		if (!cJSON_IsNumber(m) || !k)
			continue;
		char p[600];
		snprintf(p, sizeof(p), "%s.%.300s", path, k);
		if (!isfinite(m->valuedouble))
			return importcore_error_path(g->ctx, p, "expected a finite number");
		if (aggregate && !strcmp(k, "iterations"))
			continue; /* an aggregate's "iterations" counts repetitions */
		if (!strcmp(k, "cpu_time")) {
			acc_add(g, b, "cpu_time", m->valuedouble * to_unit);
		} else if (!strcmp(k, "iterations") || !strcmp(k, "items_per_second") ||
			   !strcmp(k, "bytes_per_second")) {
			acc_add(g, b, k, m->valuedouble);
		} else if (!strcmp(k, "threads")) {
			if (m->valuedouble > 1)
				acc_add(g, b, k, m->valuedouble);
		} else if (!known_key(k)) {
			if (importcore_check_name(g->ctx, p, k, strlen(k), 1) < 0)
				return -1;
			if (reserved_metric(k)) {
				char key[RESULT_MAX_NAME + 16];
				snprintf(key, sizeof(key), "counter.%s", k);
				acc_add(g, b, key, m->valuedouble);
			} else {
				acc_add(g, b, k, m->valuedouble);
			}
		}
	}
	return 0;
}

/* The fields of one benchmarks[] entry that decide what it is. */
struct entry_head {
	char path[64];
	const char *name, *tu, *unit, *agg;
	int is_agg, failed;
};

/* Reads and type-checks the fields of entry e that benchkeep uses into h. */
static int entry_head(const struct import_ctx *ctx, const cJSON *e, int i, struct entry_head *h)
{
	const char *path = h->path, *run_type = "iteration";
	snprintf(h->path, sizeof(h->path), "benchmarks[%d]", i);
	if (!cJSON_IsObject(e))
		return importcore_error_path(ctx, path, "expected an object");
	h->tu = "ns";
	h->agg = NULL;
	if (importcore_json_need_string(ctx, e, path, "name", &h->name) < 0 ||
	    importcore_json_string(ctx, e, path, "run_type", &run_type) < 0 ||
	    importcore_json_string(ctx, e, path, "aggregate_name", &h->agg) < 0 ||
	    importcore_json_string(ctx, e, path, "time_unit", &h->tu) < 0 ||
	    importcore_json_string(ctx, e, path, "run_name", &(const char *){ NULL }) < 0)
		return -1;
	char p[96];
	h->unit = importcore_time_unit(h->tu, strlen(h->tu));
	if (!h->unit) {
		snprintf(p, sizeof(p), "%s.time_unit", path);
		return importcore_error_path(ctx, p, "unknown time unit '%.40s' (ns, us, ms, s)",
					     h->tu);
	}
	h->is_agg = !strcmp(run_type, "aggregate");
	if (!h->is_agg && strcmp(run_type, "iteration")) {
		snprintf(p, sizeof(p), "%s.run_type", path);
		return importcore_error_path(ctx, p, "unknown run_type '%.40s'", run_type);
	}
	if (h->is_agg && !h->agg) {
		snprintf(p, sizeof(p), "%s.aggregate_name", path);
		return importcore_error_path(ctx, p, "missing");
	}
	double v;
	/* typed checks of the fields benchkeep reads */
	static const char *const numbers[] = { "family_index", "per_family_instance_index",
					       "repetitions", "repetition_index", "threads",
					       "iterations" };
	for (size_t n = 0; n < sizeof(numbers) / sizeof(numbers[0]); n++)
		if (importcore_json_number(ctx, e, path, numbers[n], &v) < 0)
			return -1;
	h->failed = 0;
	if (json_has(e, "error_occurred") && json_field_bool(e, "error_occurred", &h->failed) <= 0) {
		snprintf(p, sizeof(p), "%s.error_occurred", path);
		return importcore_error_path(ctx, p, "expected true or false");
	}
	return 0;
}

/* Factor from the entry's time unit to benchmark b's. */
static double to_unit_of(const struct entry_head *h, const struct bk_benchmark *b)
{
	return importcore_time_ns(h->tu, strlen(h->tu)) /
	       importcore_time_ns(b->unit, strlen(b->unit));
}

/* A repetition (run_type iteration) of benchmark rn: one sample, or one failed run. */
static int iteration_entry(struct gb *g, const cJSON *e, const struct entry_head *h,
			   const char *rn)
{
	const struct import_ctx *ctx = g->ctx;
	double rt;
	if (!h->failed && importcore_json_need_number(ctx, e, h->path, "real_time", &rt) < 0)
		return -1;
	struct bk_benchmark *b = importcore_bench(&g->ix, ctx->suite, rn, NULL, h->unit);
	double to_unit = to_unit_of(h, b);
	if (h->failed) {
		acc_for(g, b)->failed++;
		return 0;
	}
	char p[96];
	snprintf(p, sizeof(p), "%s.real_time", h->path);
	if (importcore_add_sample(ctx, p, b, rt * to_unit) < 0 ||
	    entry_metrics(g, e, h->path, b, to_unit, 0) < 0)
		return -1;
	acc_for(g, b)->ok++;
	return 0;
}

/* An aggregate of benchmark rn: used only when no repetition of it is in the file. */
static int aggregate_entry(struct gb *g, const cJSON *e, const struct entry_head *h,
			   const char *rn)
{
	const struct import_ctx *ctx = g->ctx;
	const char *agg = h->agg;
	int timed = !strcmp(agg, "mean") || !strcmp(agg, "median") || !strcmp(agg, "stddev");
	if (!timed && strcmp(agg, "cv"))
		return 0; /* BigO, RMS, user-defined statistics */
	double rt, v;
	if (importcore_json_need_number(ctx, e, h->path, "real_time", &rt) < 0)
		return -1;
	struct bk_benchmark *b;
	if (!strcmp(agg, "mean") || !strcmp(agg, "median")) {
		b = importcore_bench(&g->ix, ctx->suite, rn, NULL, h->unit);
	} else {
		b = importcore_find(&g->ix, ctx->suite, rn, NULL);
		if (!b)
			return 0;
	}
	struct acc *a = acc_for(g, b);
	if (a->ok || a->failed)
		return 0; /* the repetitions are there */
	double to_unit = timed ? to_unit_of(h, b) : 1;
	char key[64];
	snprintf(key, sizeof(key), "summary_%s", agg);
	metrics_set(&b->metrics, key, rt * to_unit);
	if (!strcmp(agg, "mean")) {
		if (importcore_json_number(ctx, e, h->path, "repetitions", &v) > 0)
			metrics_set(&b->metrics, "repetitions", v);
		if (entry_metrics(g, e, h->path, b, to_unit, 1) < 0)
			return -1;
	}
	return 0;
}

/* Reads benchmarks[i]: checks it, then files it as a repetition or an aggregate. */
static int entry(struct gb *g, const cJSON *e, int i)
{
	struct entry_head h;
	if (entry_head(g->ctx, e, i, &h) < 0)
		return -1;
	char *rn = run_name_of(e, h.name, h.is_agg ? h.agg : NULL);
	char p[96];
	snprintf(p, sizeof(p), "%s.%s", h.path,
		 json_get_string(e, "run_name") ? "run_name" : "name");
	int rc = importcore_check_name(g->ctx, p, rn, strlen(rn), 1);
	if (rc == 0)
		rc = h.is_agg ? aggregate_entry(g, e, &h, rn) : iteration_entry(g, e, &h, rn);
	free(rn);
	return rc;
}

static int finish(struct gb *g)
{
	importcore_means_finish(&g->means);
	for (size_t i = 0; i < g->out->nbenchmarks && i < g->nacc; i++) {
		struct bk_benchmark *b = &g->out->benchmarks[i];
		struct acc *a = &g->acc[i];
		if (!a->touched)
			continue; /* from another file */
		double v;
		if (!a->ok && !a->failed) {
			if (b->nsamples)
				continue; /* repetitions came from an earlier file */
			if (!metrics_get(&b->metrics, "summary_median", &v) &&
			    !metrics_get(&b->metrics, "summary_mean", &v))
				return importcore_error_path(g->ctx, b->name, "no time in the aggregates");
			if (importcore_summary_only(g->ctx, b->name, b, v) < 0)
				return -1;
		} else {
			/* added: a benchmark met again in a later file accumulates */
			importcore_count(b, "successful_ops", a->ok);
			importcore_count(b, "failed_ops", a->failed);
			importcore_error_rate(b);
		}
	}
	return 0;
}

static int gbench_detect(const char *buf, size_t len)
{
	static const struct importcore_cue cues[] = {
		{ "\"real_time\"", NULL, 60 },
		{ "\"time_unit\"", NULL, 20 },
		{ "\"run_name\"", "\"run_type\"", 15 },
		{ NULL, NULL, 0 },
	};
	return importcore_json_score(buf, len, 256 * 1024, "\"benchmarks\"", 0, 0, cues);
}

static int gbench_parse(const struct import_ctx *ctx, const char *buf, size_t len,
			struct bk_result *out)
{
	const cJSON *bs;
	cJSON *root = importcore_json_root(ctx, buf, len, "Google Benchmark JSON", "benchmarks", &bs);
	if (!root)
		return -1;
	struct gb g = { .ctx = ctx, .out = out };
	int rc = -1;
	if (context(&g, root) < 0)
		goto out;
	importcore_index_init(&g.ix, out);
	importcore_means_init(&g.means, out);
	const cJSON *e;
	int i = 0;
	cJSON_ArrayForEach(e, bs) {
		if (entry(&g, e, i++) < 0)
			goto out;
	}
	rc = finish(&g);
out:
	free(g.acc);
	importcore_means_release(&g.means);
	importcore_index_release(&g.ix);
	cJSON_Delete(root);
	return rc;
}

const struct importer importer_gbench = {
	"gbench",
	"Google Benchmark JSON (--benchmark_format=json); repetitions are samples",
	gbench_detect,
	gbench_parse,
};
