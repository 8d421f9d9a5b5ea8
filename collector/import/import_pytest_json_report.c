/* pytest-json-report (pytest --json-report).
 *
 * One benchmark per test, named by its "nodeid"; the duration of its
 * "call" phase is a sample (seconds; a test reported twice, e.g. by a rerun
 * plugin, gets two). The outcome counts an operation: passed and xpassed
 * are successful, failed and error failed; skipped and xfailed tests that
 * never ran a call are left out. The setup and teardown durations become
 * the setup_s / teardown_s metrics. "created" (Unix time) is the run's
 * start; environment Python and Platform go to the machine facts. */
#include "collector/import/importjson.h"
#include "lib/base/error.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The duration of phase `phase` of test t: 1 with *out, 0 absent, -1 bad
 * (error naming the key path). */
static int phase_duration(const struct import_ctx *ctx, const cJSON *t, const char *path,
			  const char *phase, double *out)
{
	int err;
	const cJSON *ph = importcore_json_object(ctx, t, path, phase, 0, &err);
	if (!ph)
		return err;
	char p[128];
	snprintf(p, sizeof(p), "%s.%s", path, phase);
	return importcore_json_number(ctx, ph, p, "duration", out);
}

static int test_entry(const struct import_ctx *ctx, struct importcore_index *ix, const cJSON *t,
		      int i)
{
	char path[64], p[128];
	snprintf(path, sizeof(path), "tests[%d]", i);
	if (!cJSON_IsObject(t))
		return importcore_error_path(ctx, path, "expected an object");
	const char *nodeid, *outcome;
	snprintf(p, sizeof(p), "%s.nodeid", path);
	if (importcore_json_need_string(ctx, t, path, "nodeid", &nodeid) < 0 ||
	    importcore_check_name(ctx, p, nodeid, strlen(nodeid), 1) < 0 ||
	    importcore_json_need_string(ctx, t, path, "outcome", &outcome) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s.outcome", path);
	int ok = !strcmp(outcome, "passed") || !strcmp(outcome, "xpassed");
	int failed = !strcmp(outcome, "failed") || !strcmp(outcome, "error");
	if (!ok && !failed && strcmp(outcome, "skipped") && strcmp(outcome, "xfailed"))
		return importcore_error_path(ctx, p, "unknown outcome '%.40s'", outcome);
	double call = 0, setup = 0, teardown = 0;
	int has_call, has_setup, has_teardown;
	if ((has_call = phase_duration(ctx, t, path, "call", &call)) < 0 ||
	    (has_setup = phase_duration(ctx, t, path, "setup", &setup)) < 0 ||
	    (has_teardown = phase_duration(ctx, t, path, "teardown", &teardown)) < 0)
		return -1;
	if (!ok && !failed && !has_call)
		return 0; /* skipped: nothing ran */
	struct bk_benchmark *b = importcore_bench(ix, ctx->suite, nodeid, NULL, "s");
	if (has_call) {
		snprintf(p, sizeof(p), "%s.call.duration", path);
		if (importcore_add_sample(ctx, p, b, call) < 0)
			return -1;
	}
	/* several reports of one test: the metrics hold the last one */
	if (has_setup)
		metrics_set(&b->metrics, "setup_s", setup);
	if (has_teardown)
		metrics_set(&b->metrics, "teardown_s", teardown);
	importcore_count(b, "successful_ops", ok ? 1 : 0);
	importcore_count(b, "failed_ops", failed ? 1 : 0);
	importcore_error_rate(b);
	return 0;
}

static int pytest_json_report_detect(const char *buf, size_t len)
{
	static const struct importcore_cue cues[] = {
		{ "\"tests\"", NULL, 30 },
		{ "\"nodeid\"", NULL, 30 },
		{ "\"outcome\"", NULL, 20 },
		{ "\"collectors\"", "\"exitcode\"", 10 },
		{ NULL, NULL, 0 },
	};
	return importcore_json_score(buf, len, 256 * 1024, NULL, 0, 60, cues);
}

static int pytest_json_report_parse(const struct import_ctx *ctx, const char *buf, size_t len,
				    struct bk_result *out)
{
	const cJSON *tests;
	cJSON *root = importcore_json_root(ctx, buf, len, "a pytest-json-report file", "tests", &tests);
	if (!root)
		return -1;
	int rc = -1, err, k;
	double created;
	if ((k = importcore_json_number(ctx, root, "", "created", &created)) < 0)
		goto out;
	if (k > 0 && created > 0 && created < 253402300800.0)
		importcore_set_started(out, (time_t)floor(created));
	const cJSON *env = importcore_json_object(ctx, root, "", "environment", 0, &err);
	if (err)
		goto out;
	if (env && (importcore_json_machine_extra(ctx, env, "environment", "Python", out, "python") < 0 ||
		    importcore_json_machine_extra(ctx, env, "environment", "Platform", out,
						  "platform") < 0))
		goto out;
	rc = importcore_each_entry(ctx, tests, out, test_entry);
out:
	cJSON_Delete(root);
	return rc;
}

const struct importer importer_pytest_json_report = {
	"pytest-json-report",
	"pytest --json-report; call durations are samples (s), outcomes are ops",
	pytest_json_report_detect,
	pytest_json_report_parse,
};
