/* hyperfine --export-json.
 *
 * One benchmark per result: the name is "command" (the --command-name when
 * one was given), "parameters" (-P / -L) become params, so the same command
 * name with other parameter values stays a distinct benchmark. "times" are
 * the samples, in seconds, all of them, as hyperfine's own mean and median
 * use them; a non-zero entry of "exit_codes" (hyperfine -i) counts a failed
 * operation. user/system become cpu_user_s/cpu_sys_s, and the largest of
 * "memory_usage_byte" (newer hyperfine) peak_rss_kb. */
#include "collector/import/importcore.h"
#include "lib/base/error.h"

#include <stdio.h>
#include <string.h>

static int result_entry(const struct import_ctx *ctx, struct importcore_index *ix, const cJSON *e,
			int i)
{
	char path[64], p[128];
	snprintf(path, sizeof(path), "results[%d]", i);
	if (!cJSON_IsObject(e))
		return importcore_error_path(ctx, path, "expected an object");
	const char *name;
	int k = importcore_json_string(ctx, e, path, "command", &name);
	snprintf(p, sizeof(p), "%s.command", path);
	if (k == 0)
		return importcore_error_path(ctx, p, "missing");
	if (k < 0 || importcore_check_name(ctx, p, name, strlen(name), 1) < 0)
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
	struct strbuf sb = STRBUF_INIT;
	const cJSON *x;
	int rc = -1;
	cJSON_ArrayForEach(x, params) {
		snprintf(p, sizeof(p), "%s.parameters.%.40s", path, x->string);
		strbuf_reset(&sb);
		if (importcore_json_scalar_text(x, &sb) < 0) {
			importcore_error_path(ctx, p, "expected a string or number");
			goto out;
		}
		if (importcore_check_name(ctx, p, x->string, strlen(x->string), 1) < 0 ||
		    importcore_check_name(ctx, p, sb.buf, sb.len, 0) < 0)
			goto out;
		kvlist_set(&kv, x->string, sb.buf);
	}
	struct bk_benchmark *b = importcore_bench(ix, ctx->suite, name, &kv, "s");
	int n = 0;
	cJSON_ArrayForEach(x, times) {
		snprintf(p, sizeof(p), "%s.times[%d]", path, n++);
		if (!cJSON_IsNumber(x)) {
			importcore_error_path(ctx, p, "expected a number");
			goto out;
		}
		if (importcore_add_sample(ctx, p, b, x->valuedouble) < 0)
			goto out;
	}
	double ok = 0, failed = 0;
	n = 0;
	cJSON_ArrayForEach(x, codes) {
		snprintf(p, sizeof(p), "%s.exit_codes[%d]", path, n++);
		if (cJSON_IsNull(x)) { /* killed by a signal */
			failed++;
			continue;
		}
		if (!cJSON_IsNumber(x)) {
			importcore_error_path(ctx, p, "expected a number");
			goto out;
		}
		if (x->valuedouble != 0)
			failed++;
		else
			ok++;
	}
	if (!codes)
		ok = (double)b->nsamples;
	double v;
	if ((k = importcore_json_number(ctx, e, path, "user", &v)) < 0)
		goto out;
	if (k > 0)
		metrics_set(&b->metrics, "cpu_user_s", v);
	if ((k = importcore_json_number(ctx, e, path, "system", &v)) < 0)
		goto out;
	if (k > 0)
		metrics_set(&b->metrics, "cpu_sys_s", v);
	const cJSON *mem = importcore_json_array(ctx, e, path, "memory_usage_byte", 0, &err);
	if (err)
		goto out;
	if (mem) {
		double peak = 0;
		n = 0;
		cJSON_ArrayForEach(x, mem) {
			snprintf(p, sizeof(p), "%s.memory_usage_byte[%d]", path, n++);
			if (!cJSON_IsNumber(x)) {
				importcore_error_path(ctx, p, "expected a number");
				goto out;
			}
			if (x->valuedouble > peak)
				peak = x->valuedouble;
		}
		if (n)
			metrics_set(&b->metrics, "peak_rss_kb", peak / 1024);
	}
	importcore_count(b, "successful_ops", ok);
	importcore_count(b, "failed_ops", failed);
	importcore_error_rate(b);
	rc = 0;
out:
	kvlist_release(&kv);
	strbuf_release(&sb);
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
	cJSON *root = importcore_json_parse(ctx, buf, len);
	if (!root)
		return -1;
	int rc = -1, err;
	if (!cJSON_IsObject(root)) {
		bk_error("%s: not hyperfine JSON (expected an object with \"results\")", ctx->file);
		goto out;
	}
	const cJSON *rs = importcore_json_array(ctx, root, "", "results", 1, &err);
	if (!rs)
		goto out;
	rc = importcore_each_entry(ctx, rs, out, result_entry);
out:
	cJSON_Delete(root);
	return rc;
}

const struct importer importer_hyperfine = {
	"hyperfine",
	"hyperfine --export-json; times are samples (s), parameters kept as params",
	hyperfine_detect,
	hyperfine_parse,
};
