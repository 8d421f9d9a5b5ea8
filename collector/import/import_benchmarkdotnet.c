/* BenchmarkDotNet JSON exporter output (JsonExporter.Full / .Brief and
 * their -compressed forms): {"Title", "HostEnvironmentInfo", "Benchmarks":
 * [{"FullName", "Parameters": "A=1&B=x", "Statistics": {"OriginalValues":
 * [...]}, "Memory": {...}, "Measurements": [...], "Metrics": [...]}]}.
 *
 * Samples, in ns per operation (BenchmarkDotNet's statistics are always
 * nanoseconds; measurements carry "Nanoseconds" and "Operations"):
 * Statistics.OriginalValues; when absent, the "Workload"/"Result"
 * measurements; when absent too, the "Workload"/"Actual" ones (overhead not
 * subtracted). A benchmark without any of them (it failed) is skipped.
 * Parameters -> params (plus "job" when not DefaultJob); Memory members and
 * Metrics[].Descriptor.Id -> metrics, names verbatim. */
#include "collector/import/importjson.h"
#include "collector/import/importer.h"
#include "lib/base/strbuf.h"
#include "lib/base/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int bdn_detect(const char *buf, size_t len)
{
	if (importcore_first_char(buf, len) != '{' || !importcore_has(buf, len, IMPORTCORE_SNIFF_BYTES, "\"Benchmarks\""))
		return 0;
	if (importcore_has(buf, len, IMPORTCORE_SNIFF_BYTES, "\"HostEnvironmentInfo\"") ||
	    importcore_has(buf, len, IMPORTCORE_SNIFF_BYTES, "\"BenchmarkDotNetVersion\""))
		return 95;
	if (importcore_has(buf, len, IMPORTCORE_SNIFF_BYTES, "\"FullName\"") && importcore_has(buf, len, IMPORTCORE_SNIFF_BYTES, "\"Statistics\""))
		return 80;
	return 0;
}

/* "A=1&B=x&y" -> A: "1", B: "x&y" (a piece without '=' belongs to the
 * value before it: string parameters may contain '&'). */
static int parse_params(const struct import_ctx *ctx, const char *path, const char *s,
			struct bk_kvlist *params)
{
	struct strbuf key = STRBUF_INIT, val = STRBUF_INIT;
	int have = 0, rc = 0;
	while (*s) {
		const char *amp = strchr(s, '&');
		size_t n = amp ? (size_t)(amp - s) : strlen(s);
		const char *eq = memchr(s, '=', n);
		if (eq && eq > s) {
			if (have)
				kvlist_set(params, key.buf, val.buf);
			strbuf_reset(&key);
			strbuf_reset(&val);
			strbuf_add(&key, s, (size_t)(eq - s));
			strbuf_add(&val, eq + 1, n - (size_t)(eq + 1 - s));
			have = 1;
		} else if (have) {
			strbuf_addch(&val, '&');
			strbuf_add(&val, s, n);
		} else {
			rc = importcore_error_path(ctx, path, "cannot read parameter '%.*s' (expected NAME=VALUE)",
					 (int)(n > 200 ? 200 : n), s);
			goto out;
		}
		if (params->nr >= IMPORTCORE_MAX_KEYS) {
			rc = importcore_error_path(ctx, path, "too many parameters (limit %d)", IMPORTCORE_MAX_KEYS);
			goto out;
		}
		if (key.len > RESULT_MAX_NAME || val.len > RESULT_MAX_NAME) {
			rc = importcore_error_path(ctx, path, "parameter too long");
			goto out;
		}
		s += n + (amp ? 1 : 0);
	}
	if (have)
		kvlist_set(params, key.buf, val.buf);
out:
	strbuf_release(&key);
	strbuf_release(&val);
	return rc;
}

/* Job name from DisplayInfo "Type.Method: JOB [params]". */
static void add_job(const char *display, struct bk_kvlist *params)
{
	const char *c = display ? strstr(display, ": ") : NULL;
	if (!c)
		return;
	c += 2;
	size_t n = strlen(c);
	const char *br = strstr(c, " [");
	if (br && c[n - 1] == ']')
		n = (size_t)(br - c);
	if (n == 0 || n > RESULT_MAX_NAME || (n == 10 && !memcmp(c, "DefaultJob", 10)))
		return;
	char *job = xstrndup(c, n);
	/* a parameter called "job" keeps its name; the job is then "bdn.job" */
	kvlist_set(params, kvlist_get(params, "job") ? "bdn.job" : "job", job);
	free(job);
}

/* Appends Nanoseconds/Operations of the measurements with mode and stage;
 * returns the number added or -1 + error. */
static int add_measurements(const struct import_ctx *ctx, const cJSON *ms, const char *path,
			    const char *mode, const char *stage, struct bk_benchmark *b)
{
	const cJSON *m;
	int i = 0, added = 0;
	cJSON_ArrayForEach(m, ms) {
		char p[600];
		snprintf(p, sizeof(p), "%s[%d]", path, i++);
		if (!cJSON_IsObject(m))
			return importcore_error_path(ctx, p, "expected an object");
		const char *im = NULL, *is = NULL;
		if (importcore_json_str(ctx, m, p, "IterationMode", 0, &im) < 0 ||
		    importcore_json_str(ctx, m, p, "IterationStage", 0, &is) < 0)
			return -1;
		if (!im || !is || strcmp(im, mode) || strcmp(is, stage))
			continue;
		double ns, ops;
		if (importcore_json_num(ctx, m, p, "Nanoseconds", 1, &ns) < 0 ||
		    importcore_json_num(ctx, m, p, "Operations", 1, &ops) < 0)
			return -1;
		if (ops < 1)
			return importcore_error_path(ctx, p, "Operations: must be 1 or more");
		bench_add_sample(b, ns / ops);
		added++;
	}
	return added;
}

static int add_metrics(const struct import_ctx *ctx, const cJSON *bj, const char *path,
		       struct bk_benchmark *b)
{
	char p[600];
	const cJSON *mem = cJSON_GetObjectItemCaseSensitive(bj, "Memory");
	const cJSON *e;
	if (mem && !cJSON_IsNull(mem)) {
		snprintf(p, sizeof(p), "%s.Memory", path);
		if (!cJSON_IsObject(mem))
			return importcore_error_path(ctx, p, "expected an object");
		if (importcore_check_keys(ctx, p, mem) < 0)
			return -1;
		cJSON_ArrayForEach(e, mem) {
			double v;
			if (importcore_json_num(ctx, mem, p, e->string, 0, &v) < 0 ||
			    importcore_check_len(ctx, p, e->string, 1) < 0)
				return -1;
			metrics_set(&b->metrics, e->string, v);
		}
	}
	const cJSON *ms = cJSON_GetObjectItemCaseSensitive(bj, "Metrics");
	if (ms && !cJSON_IsNull(ms)) {
		snprintf(p, sizeof(p), "%s.Metrics", path);
		if (!cJSON_IsArray(ms))
			return importcore_error_path(ctx, p, "expected an array");
		if (importcore_check_keys(ctx, p, ms) < 0)
			return -1;
		int i = 0;
		cJSON_ArrayForEach(e, ms) {
			snprintf(p, sizeof(p), "%s.Metrics[%d]", path, i++);
			const cJSON *d = cJSON_GetObjectItemCaseSensitive(e, "Descriptor");
			const char *id = NULL;
			double v;
			if (!cJSON_IsObject(e) || !cJSON_IsObject(d))
				return importcore_error_path(ctx, p, "expected {\"Value\", \"Descriptor\"}");
			if (importcore_json_num(ctx, e, p, "Value", 1, &v) < 0)
				return -1;
			char dp[640];
			snprintf(dp, sizeof(dp), "%s.Descriptor", p);
			if (importcore_json_str(ctx, d, dp, "Id", 1, &id) < 0 ||
			    importcore_check_len(ctx, dp, id, 1) < 0)
				return -1;
			metrics_set(&b->metrics, id, v);
		}
	}
	return 0;
}

/* Benchmark name: FullName without its "(args)" tail, else Type.Method. */
static char *bench_name(const cJSON *bj)
{
	const char *full = json_get_string(bj, "FullName");
	if (full && *full) {
		size_t n = strlen(full);
		const char *paren = strchr(full, '(');
		if (paren && paren > full && full[n - 1] == ')')
			n = (size_t)(paren - full);
		return xstrndup(full, n);
	}
	const char *type = json_get_string(bj, "Type"), *method = json_get_string(bj, "Method");
	if (type && method) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "%s.%s", type, method);
		return strbuf_detach(&sb, NULL);
	}
	const char *d = json_get_string(bj, "DisplayInfo");
	return d ? xstrdup(d) : NULL;
}

static void fill_machine(const cJSON *root, struct bk_result *out)
{
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(root, "HostEnvironmentInfo");
	if (!cJSON_IsObject(h))
		return;
	const char *cpu = json_get_string(h, "ProcessorName");
	double cores;
	if (cpu && !out->run.machine.cpu_model && strlen(cpu) <= RESULT_MAX_NAME)
		set_str(&out->run.machine.cpu_model, cpu);
	if (json_get_number(h, "LogicalCoreCount", &cores) == 1 && cores > 0 && cores < 1e6 &&
	    !out->run.machine.cpu_cores)
		out->run.machine.cpu_cores = (long)cores;
	static const char *const extra[][2] = { { "RuntimeVersion", "runtime" },
						{ "BenchmarkDotNetVersion", "benchmarkdotnet" },
						{ "OsVersion", "os_version" } };
	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
		const char *v = json_get_string(h, extra[i][0]);
		if (v && strlen(v) <= RESULT_MAX_NAME && !kvlist_get(&out->run.machine.extra, extra[i][1]))
			kvlist_set(&out->run.machine.extra, extra[i][1], v);
	}
}

static int bdn_one(const struct import_ctx *ctx, const cJSON *bj, const char *path,
		   struct bk_result *out)
{
	char p[600];
	if (!cJSON_IsObject(bj))
		return importcore_error_path(ctx, path, "expected an object");
	char *name = bench_name(bj);
	if (!name)
		return importcore_error_path(ctx, path, "FullName: missing");
	snprintf(p, sizeof(p), "%s.FullName", path);
	if (importcore_check_len(ctx, p, name, 1) < 0) {
		free(name);
		return -1;
	}
	struct bk_benchmark *b = importcore_add_bench(ctx, out, name, "ns", BK_SMALLER);
	free(name);
	const char *params = NULL;
	if (importcore_json_str(ctx, bj, path, "Parameters", 0, &params) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s.Parameters", path);
	if (params && parse_params(ctx, p, params, &b->params) < 0)
		return -1;
	add_job(json_get_string(bj, "DisplayInfo"), &b->params);

	const cJSON *st = cJSON_GetObjectItemCaseSensitive(bj, "Statistics");
	snprintf(p, sizeof(p), "%s.Statistics", path);
	if (st && !cJSON_IsNull(st) && !cJSON_IsObject(st))
		return importcore_error_path(ctx, p, "expected an object");
	const cJSON *ov = st ? cJSON_GetObjectItemCaseSensitive(st, "OriginalValues") : NULL;
	if (ov && !cJSON_IsNull(ov)) {
		snprintf(p, sizeof(p), "%s.Statistics.OriginalValues", path);
		if (!cJSON_IsArray(ov))
			return importcore_error_path(ctx, p, "expected an array of numbers");
		const cJSON *v;
		int i = 0;
		cJSON_ArrayForEach(v, ov) {
			if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) {
				snprintf(p, sizeof(p), "%s.Statistics.OriginalValues[%d]", path, i);
				return importcore_error_path(ctx, p, "expected a finite number");
			}
			bench_add_sample(b, v->valuedouble);
			i++;
		}
	}
	const cJSON *ms = cJSON_GetObjectItemCaseSensitive(bj, "Measurements");
	if (ms && !cJSON_IsNull(ms)) {
		snprintf(p, sizeof(p), "%s.Measurements", path);
		if (!cJSON_IsArray(ms))
			return importcore_error_path(ctx, p, "expected an array");
		int n = 0;
		if (!b->nsamples)
			n = add_measurements(ctx, ms, p, "Workload", "Result", b);
		if (n == 0 && !b->nsamples)
			n = add_measurements(ctx, ms, p, "Workload", "Actual", b);
		if (n < 0)
			return -1;
	}
	if (!b->nsamples) {
		/* a failed benchmark: nothing measured */
		bench_release(b);
		out->nbenchmarks--;
		return 0;
	}
	return add_metrics(ctx, bj, path, out->benchmarks + out->nbenchmarks - 1);
}

static int bdn_parse(const struct import_ctx *ctx, const char *buf, size_t len,
		     struct bk_result *out)
{
	cJSON *root = importcore_json_parse_bom(ctx, buf, len);
	if (!root)
		return -1;
	int rc = 0;
	const cJSON *bs = cJSON_GetObjectItemCaseSensitive(root, "Benchmarks");
	if (!cJSON_IsObject(root)) {
		rc = importcore_error_path(ctx, "", "expected a BenchmarkDotNet JSON object");
		goto out;
	}
	if (!cJSON_IsArray(bs)) {
		rc = importcore_error_path(ctx, "Benchmarks", "%s", bs ? "expected an array" : "missing");
		goto out;
	}
	const cJSON *bj;
	int i = 0;
	cJSON_ArrayForEach(bj, bs) {
		char p[64];
		snprintf(p, sizeof(p), "Benchmarks[%d]", i++);
		if (bdn_one(ctx, bj, p, out) < 0) {
			rc = -1;
			goto out;
		}
	}
	fill_machine(root, out); /* only on success: a failed import changes nothing */
out:
	cJSON_Delete(root);
	return rc;
}

const struct importer importer_benchmarkdotnet = {
	"benchmarkdotnet",
	"BenchmarkDotNet JSON export (full or brief; samples in ns per operation)",
	bdn_detect,
	bdn_parse,
};
