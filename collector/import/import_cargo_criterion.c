/* cargo-criterion --message-format=json: one JSON object per line.
 *
 * Each "benchmark-complete" message is one benchmark named by its "id":
 * measured_values[i] / iteration_count[i] are the samples, in "unit" (a
 * time unit is kept as ns/us/ms/s; another measurement's unit as given).
 * The typical/mean/median/median_abs_dev/slope estimates become summary_*
 * metrics, each "throughput" entry a throughput_<unit> metric. Other
 * messages (group-complete, cargo's own) and non-JSON lines are skipped. */
#include "collector/import/importjson.h"
#include "lib/base/error.h"

#include <stdio.h>
#include <string.h>

static const char *const ESTIMATES[] = { "typical", "mean", "median", "median_abs_dev", "slope" };

static int message(const struct import_ctx *ctx, struct importcore_index *ix, const cJSON *m,
		   long lineno)
{
	const char *reason = json_get_string(m, "reason");
	if (!reason || strcmp(reason, "benchmark-complete"))
		return 0;
	char path[64], p[128];
	snprintf(path, sizeof(path), "line %ld", lineno);
	const char *id, *unit_in = "ns";
	int k = importcore_json_string(ctx, m, path, "id", &id);
	if (k == 0)
		return importcore_error_path(ctx, path, "id: missing");
	if (k < 0 || importcore_json_string(ctx, m, path, "unit", &unit_in) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s.id", path);
	if (importcore_check_name(ctx, p, id, strlen(id), 1) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s.unit", path);
	if (importcore_check_name(ctx, p, unit_in, strlen(unit_in), 1) < 0)
		return -1;
	const char *unit = importcore_time_unit(unit_in, strlen(unit_in));
	int err;
	const cJSON *vals = importcore_json_array(ctx, m, path, "measured_values", 1, &err);
	const cJSON *iters = vals ? importcore_json_array(ctx, m, path, "iteration_count", 1, &err)
				  : NULL;
	if (!iters)
		return -1;
	if (cJSON_GetArraySize(vals) != cJSON_GetArraySize(iters))
		return importcore_error_path(ctx, path,
					     "measured_values: %d values for %d iteration counts",
					     cJSON_GetArraySize(vals), cJSON_GetArraySize(iters));
	struct bk_benchmark *b = importcore_bench(ix, ctx->suite, id, NULL, unit ? unit : unit_in);
	const cJSON *v = vals->child, *n = iters->child;
	for (int i = 0; v && n; i++, v = v->next, n = n->next) {
		snprintf(p, sizeof(p), "%s.iteration_count[%d]", path, i);
		if (!cJSON_IsNumber(n) || n->valuedouble <= 0)
			return importcore_error_path(ctx, p, "expected a positive number");
		snprintf(p, sizeof(p), "%s.measured_values[%d]", path, i);
		if (!cJSON_IsNumber(v))
			return importcore_error_path(ctx, p, "expected a number");
		if (importcore_add_sample(ctx, p, b, v->valuedouble / n->valuedouble) < 0)
			return -1;
	}
	for (size_t e = 0; e < sizeof(ESTIMATES) / sizeof(ESTIMATES[0]); e++) {
		const cJSON *est = importcore_json_object(ctx, m, path, ESTIMATES[e], 0, &err);
		if (err)
			return -1;
		if (!est)
			continue;
		double x;
		snprintf(p, sizeof(p), "%s.%s", path, ESTIMATES[e]);
		if ((k = importcore_json_need_number(ctx, est, p, "estimate", &x)) < 0)
			return -1;
		char key[48];
		snprintf(key, sizeof(key), "summary_%s", ESTIMATES[e]);
		metrics_set(&b->metrics, key, x);
	}
	const cJSON *tp = importcore_json_array(ctx, m, path, "throughput", 0, &err);
	if (err)
		return -1;
	const cJSON *t;
	cJSON_ArrayForEach(t, tp) {
		const char *tu = json_get_string(t, "unit");
		double per;
		if (tu && json_get_number(t, "per_iteration", &per) > 0 && strlen(tu) < 60 &&
		    importcore_utf8_invalid(tu, strlen(tu)) == strlen(tu)) {
			char key[80];
			snprintf(key, sizeof(key), "throughput_%s", tu);
			metrics_set(&b->metrics, key, per);
		}
	}
	return 0;
}

static int cargo_criterion_detect(const char *buf, size_t len)
{
	if (importcore_first_char(buf, len) != '{')
		return 0;
	if (importcore_has(buf, len, 65536, "\"reason\":\"benchmark-complete\"") ||
	    importcore_has(buf, len, 65536, "\"reason\": \"benchmark-complete\""))
		return 95;
	if (importcore_has(buf, len, 65536, "\"reason\":\"group-complete\""))
		return 60;
	return 0;
}

/* One line: a JSON message (a line starting with '{') is read, other lines skipped. */
static int message_line(const struct import_ctx *ctx, const char *buf, size_t len,
			struct importcore_index *ix, const struct importcore_lines *it)
{
	size_t i = importcore_skip_ws(it->line, it->linelen, 0);
	if (i >= it->linelen || it->line[i] != '{')
		return 0; /* not a message */
	cJSON *m = importcore_json_parse_slice(ctx, buf, len, it->start + i, it->linelen - i);
	int rc = !m || (cJSON_IsObject(m) && message(ctx, ix, m, it->lineno) < 0) ? -1 : 0;
	cJSON_Delete(m);
	return rc;
}

static int cargo_criterion_parse(const struct import_ctx *ctx, const char *buf, size_t len,
				 struct bk_result *out)
{
	return importcore_each_line(ctx, buf, len, out, message_line);
}

const struct importer importer_cargo_criterion = {
	"cargo-criterion",
	"cargo-criterion --message-format=json lines (measured_values / iteration_count)",
	cargo_criterion_detect,
	cargo_criterion_parse,
};
