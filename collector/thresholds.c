/* thresholds: per-benchmark thresholds from the config (see thresholds.h). */
#include "thresholds.h"

#include <stdio.h>

#include "baseline.h"
#include "commands.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"

int thresholds_load(struct thresholds *t, const char *path, int required)
{
	struct stat st;
	memset(t, 0, sizeof(*t));
	if (!required && stat(path, &st) < 0 && errno == ENOENT)
		return 0;
	if (config_read(&t->cfg, path) < 0)
		return -1;
	t->loaded = 1;
	return 0;
}

double thresholds_lookup(void *payload, const struct bk_benchmark *b)
{
	const struct thresholds *t = payload;
	if (!t || !t->loaded)
		return -1;
	for (size_t i = 0; i < t->cfg.nsuites; i++) {
		const struct bk_suite_cfg *s = &t->cfg.suites[i];
		if (strcmp(s->name, b->suite))
			continue;
		for (size_t k = 0; k < s->nbenchmarks; k++) {
			const struct bk_bench_cfg *c = &s->benchmarks[k];
			if (!strcmp(c->name, b->name))
				return c->threshold >= 0 ? c->threshold / 100.0 : -1;
		}
		/* imported or typed suites: the suite's own setting */
		double v;
		if (s->raw && json_get_number(s->raw, "threshold", &v) > 0 && isfinite(v) && v >= 0)
			return v / 100.0;
		return -1;
	}
	return -1;
}

void thresholds_release(struct thresholds *t)
{
	if (t->loaded)
		config_release(&t->cfg);
	memset(t, 0, sizeof(*t));
}

int parse_percent(const char *opt, const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (end != s && *end == '%')
		end++;
	if (end == s || *end || !(v >= 0) || v > 1e6)
		return bk_error("%s: invalid percentage '%.100s'", opt, s);
	*out = v / 100.0;
	return 0;
}

int parse_alpha(const char *opt, const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end || !(v > 0 && v < 1))
		return bk_error("%s: expected a number between 0 and 1, got '%.100s'", opt, s);
	*out = v;
	return 0;
}

int compare_files(const char *config, const char *base_path, const char *head_path,
		  struct thresholds *th, struct bk_result *base, const char **base_kind,
		  struct bk_result *head, const char **head_kind, struct compare_opts *co,
		  struct comparison *cmp)
{
	if (thresholds_load(th, config ? config : "benchkeep.json", config != NULL) < 0 ||
	    input_read_file(base, base_path, base_kind) < 0 ||
	    input_read_file(head, head_path, head_kind) < 0)
		return cmd_fail();
	co->threshold_for = thresholds_lookup;
	co->payload = th;
	if (compare_results(cmp, base, head, co) < 0)
		return cmd_fail();
	if (!cmp->matched) {
		fprintf(stderr, "benchkeep: error: no benchmark in common between '%s' (%zu) and "
				"'%s' (%zu)\n",
			base_path, base->nbenchmarks, head_path, head->nbenchmarks);
		return 2;
	}
	return 0;
}
