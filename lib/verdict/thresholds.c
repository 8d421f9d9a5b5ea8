/* thresholds: thresholds, verdict options and the two sides of a verdict (see thresholds.h). */
#include "lib/verdict/thresholds.h"

#include "lib/doc/baseline.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/base/error.h"
#include "lib/verdict/noise.h"

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

int verdict_opt(int c, const char *arg, struct compare_opts *co, struct history_opts *ho)
{
	char *end;
	switch (c) {
	case 0x101:
		if (!*arg)
			return bk_error("--history: expected a ref (a branch, tag or commit)");
		ho->ref = arg;
		return 1;
	case 0x102: {
		long v = strtol(arg, &end, 10);
		if (end == arg || *end || v < NOISE_MIN_RUNS || v > 100000)
			return bk_error("--history-runs: expected a whole number from %d to 100000, got '%.50s'",
					NOISE_MIN_RUNS, arg);
		ho->runs = v;
		return 1;
	}
	case 0x103:
		ho->repo = arg;
		return 1;
	case 0x104:
		if (parse_percent("--assumed-noise", arg, &co->assumed_noise) < 0)
			return -1;
		if (co->assumed_noise > 10)
			return bk_error("--assumed-noise: at most 1000%%, got '%.50s'", arg);
		return 1;
	}
	return 0;
}

void history_opts_release(struct history_opts *ho)
{
	runhistory_free(ho->h);
	ho->h = NULL;
}

void verdict_sides_init(struct verdict_sides *s)
{
	memset(s, 0, sizeof(*s));
	result_init(&s->base);
	result_init(&s->head);
	s->base_kind = "result";
	s->head_kind = "result";
}

/* Loads the history of HEAD's machine from ho->ref and points co at it,
 * noting what it holds. 0, or -1 with bk_error set. */
static int load_history(struct history_opts *ho, const struct bk_result *head,
			struct compare_opts *co)
{
	if (runhistory_load(&ho->h, ho->repo, ho->ref, head, ho->runs, NULL) < 0)
		return -1;
	struct strbuf note = STRBUF_INIT;
	runhistory_describe(ho->h, &note);
	bk_note("%s", note.buf);
	strbuf_release(&note);
	co->history_for = runhistory_noise;
	co->history_payload = ho->h;
	return 0;
}

int verdict_sides_load(struct verdict_sides *s, const char *config, const char *base_path,
		       const char *head_path, struct compare_opts *co, struct history_opts *ho)
{
	if (thresholds_load(&s->th, config ? config : "benchkeep.json", config != NULL) < 0 ||
	    input_read_file(&s->base, base_path, &s->base_kind) < 0 ||
	    input_read_file(&s->head, head_path, &s->head_kind) < 0)
		return -1;
	co->threshold_for = thresholds_lookup;
	co->payload = &s->th;
	if (ho && ho->ref && load_history(ho, &s->head, co) < 0)
		return -1;
	if (compare_results(&s->cmp, &s->base, &s->head, co) < 0)
		return -1;
	if (s->cmp.informational)
		bk_note("not the same machine (%s): verdicts are informational",
			s->cmp.machine_note.buf);
	if (!s->cmp.matched)
		return bk_error("no benchmark in common between '%s' (%zu) and '%s' (%zu)", base_path,
				s->base.nbenchmarks, head_path, s->head.nbenchmarks);
	return 0;
}

void verdict_sides_release(struct verdict_sides *s)
{
	comparison_release(&s->cmp);
	thresholds_release(&s->th);
	result_release(&s->base);
	result_release(&s->head);
	verdict_sides_init(s);
}

int verdict_exit(const struct comparison *cmp, int fail_on_regression)
{
	size_t n = cmp->counts[VERDICT_REGRESSION];
	if (!fail_on_regression || !n)
		return 0;
	if (cmp->informational) {
		bk_note("%zu regression%s on another machine: informational, not failing "
			"(measure both sides with `benchkeep run --ab`)",
			n, n == 1 ? "" : "s");
		return 0;
	}
	return 1;
}
