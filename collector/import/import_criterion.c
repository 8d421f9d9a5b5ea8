/* Criterion.rs estimates.json (target/criterion/<id>/new/estimates.json).
 *
 * estimates.json carries no name and no samples, so the files Criterion
 * writes beside it are read too: benchmark.json gives the name (full_id)
 * and the throughput, sample.json the raw measurements (times[i] ns over
 * iters[i] iterations: each times[i] / iters[i] is a sample, in ns). Without
 * benchmark.json the name is the path between "criterion/" and
 * "/new/estimates.json"; without sample.json the median estimate is the one
 * sample and the benchmark is marked summary_only. The point estimates
 * (mean, median, std_dev, median_abs_dev, slope) are kept as summary_*
 * metrics either way. */
#include "collector/import/importjson.h"
#include "lib/base/error.h"
#include "lib/base/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const ESTIMATES[] = { "mean", "median", "std_dev", "median_abs_dev", "slope" };

/* The directory part of path ("." when none). Heap string. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? xstrndup(path, (size_t)(slash - path) + (slash == path)) : xstrdup(".");
}

/* The benchmark id from the path: ".../criterion/<id>/<new|base>/estimates.json". */
static char *id_from_path(const char *path)
{
	char *dir = dir_of(path); /* .../criterion/<id>/new */
	char *slash = strrchr(dir, '/');
	char *id = NULL;
	if (slash && (!strcmp(slash + 1, "new") || !strcmp(slash + 1, "base"))) {
		*slash = '\0';
		const char *c = NULL;
		for (const char *p = dir; (p = strstr(p, "criterion/")); p++)
			if (p == dir || p[-1] == '/')
				c = p;
		if (c) {
			id = xstrdup(c + strlen("criterion/"));
		} else {
			const char *last = strrchr(dir, '/');
			id = xstrdup(last ? last + 1 : dir);
		}
	}
	free(dir);
	return id;
}

static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Reads benchmark.json beside estimates.json: name (heap, or NULL when the
 * file is absent) and throughput metrics. */
static int read_benchmark_json(const char *dir, char **name, struct bk_metrics *tp)
{
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/benchmark.json", dir);
	int rc = 0;
	if (!exists(p.buf))
		goto out;
	cJSON *j = importcore_json_read(p.buf);
	if (!j) {
		rc = -1;
		goto out;
	}
	const char *id = json_get_string(j, "full_id");
	if (!id)
		id = json_get_string(j, "title");
	if (id)
		*name = xstrdup(id);
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "throughput");
	if (!cJSON_IsObject(t))
		t = NULL;
	const cJSON *x;
	cJSON_ArrayForEach(x, t) {
		if (cJSON_IsNumber(x) && x->string && strlen(x->string) < 60 &&
		    importcore_utf8_invalid(x->string, strlen(x->string)) == strlen(x->string)) {
			char key[80];
			snprintf(key, sizeof(key), "throughput_%.60s", x->string);
			metrics_set(tp, key, x->valuedouble);
		}
	}
	cJSON_Delete(j);
out:
	strbuf_release(&p);
	return rc;
}

/* Adds the samples of sample.json beside estimates.json: 1 added, 0 no such
 * file, -1 error. */
static int read_samples(const char *dir, struct bk_benchmark *b)
{
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/sample.json", dir);
	int rc = 0;
	cJSON *j = NULL;
	if (!exists(p.buf))
		goto out;
	rc = -1;
	if (!(j = importcore_json_read(p.buf)))
		goto out;
	struct import_ctx sctx = { p.buf, b->suite };
	int err;
	const cJSON *iters = importcore_json_array(&sctx, j, "", "iters", 1, &err);
	const cJSON *times = iters ? importcore_json_array(&sctx, j, "", "times", 1, &err) : NULL;
	if (!times)
		goto out;
	if (cJSON_GetArraySize(iters) != cJSON_GetArraySize(times)) {
		importcore_error_path(&sctx, "times", "%d values for %d iteration counts",
				      cJSON_GetArraySize(times), cJSON_GetArraySize(iters));
		goto out;
	}
	const cJSON *it = iters->child, *tm = times->child;
	for (int i = 0; it && tm; i++, it = it->next, tm = tm->next) {
		char where[64];
		snprintf(where, sizeof(where), "iters[%d]", i);
		if (!cJSON_IsNumber(it) || it->valuedouble <= 0) {
			importcore_error_path(&sctx, where, "expected a positive number");
			goto out;
		}
		snprintf(where, sizeof(where), "times[%d]", i);
		if (!cJSON_IsNumber(tm)) {
			importcore_error_path(&sctx, where, "expected a number");
			goto out;
		}
		if (importcore_add_sample(&sctx, where, b, tm->valuedouble / it->valuedouble) < 0)
			goto out;
	}
	rc = 1;
out:
	cJSON_Delete(j);
	strbuf_release(&p);
	return rc;
}

static int criterion_detect(const char *buf, size_t len)
{
	if (importcore_first_char(buf, len) != '{')
		return 0;
	if (!importcore_has(buf, len, 8192, "\"point_estimate\"") ||
	    !importcore_has(buf, len, 8192, "\"confidence_interval\""))
		return 0;
	/* change/estimates.json (relative changes) has only mean and median */
	if (!importcore_has(buf, len, 8192, "\"std_dev\"") &&
	    !importcore_has(buf, len, 8192, "\"median_abs_dev\""))
		return 0;
	return 90;
}

static int criterion_parse(const struct import_ctx *ctx, const char *buf, size_t len,
			   struct bk_result *out)
{
	cJSON *root = importcore_json_parse(ctx, buf, len);
	if (!root)
		return -1;
	int rc = -1, err;
	char *name = NULL, *dir = NULL;
	struct bk_metrics tp = { 0 };
	struct importcore_index ix = { 0 };
	double est[5];
	int has[5];
	if (!cJSON_IsObject(root)) {
		bk_error("%s: not a Criterion estimates.json (expected an object)", ctx->file);
		goto out;
	}
	for (int k = 0; k < 5; k++) {
		const cJSON *e = importcore_json_object(ctx, root, "", ESTIMATES[k], k < 2, &err);
		has[k] = 0;
		if (err)
			goto out;
		if (!e)
			continue;
		if ((has[k] = importcore_json_need_number(ctx, e, ESTIMATES[k], "point_estimate",
							 &est[k])) < 0)
			goto out;
	}
	if (!strcmp(ctx->file, "<stdin>")) {
		bk_error("%s: a Criterion estimates.json is named by its path: give the file, not "
			 "standard input",
			 ctx->file);
		goto out;
	}
	dir = dir_of(ctx->file);
	if (read_benchmark_json(dir, &name, &tp) < 0)
		goto out;
	if (!name && !(name = id_from_path(ctx->file))) {
		bk_error("%s: cannot name the benchmark: expected target/criterion/<id>/new/estimates.json "
			 "or a benchmark.json beside it",
			 ctx->file);
		goto out;
	}
	if (importcore_check_name(ctx, "benchmark name", name, strlen(name), 1) < 0)
		goto out;
	importcore_index_init(&ix, out);
	struct bk_benchmark *b = importcore_bench(&ix, ctx->suite, name, NULL, "ns");
	int got = read_samples(dir, b);
	if (got < 0)
		goto out;
	for (int k = 0; k < 5; k++) {
		if (has[k] > 0) {
			char key[40];
			snprintf(key, sizeof(key), "summary_%s", ESTIMATES[k]);
			metrics_set(&b->metrics, key, est[k]);
		}
	}
	for (size_t i = 0; i < tp.nr; i++)
		metrics_set(&b->metrics, tp.items[i].key, tp.items[i].value);
	if (!got && importcore_summary_only(ctx, "median.point_estimate", b, est[1]) < 0)
		goto out;
	rc = 0;
out:
	importcore_index_release(&ix);
	metrics_release(&tp);
	free(name);
	free(dir);
	cJSON_Delete(root);
	return rc;
}

const struct importer importer_criterion = {
	"criterion",
	"Criterion.rs estimates.json (+ benchmark.json, sample.json beside it)",
	criterion_detect,
	criterion_parse,
};
