#include "collector/run/run.h"
#include "collector/nats/nats_suite.h"
#include "collector/run/console.h"
#include "collector/run/rounds.h"

static const struct run_suite_type nats_type = { "nats", nats_suite_run };

const struct run_suite_type *const run_builtin_suite_types[] = { &nats_type, NULL };

int run_builds(const struct bk_config *cfg, const struct run_opts *o, const char *const dirs[2],
	       struct bk_result *const res[2])
{
	struct run_opts with = *o;
	if (!with.say)
		with.say = run_console_say;
	if (!with.suite_types)
		with.suite_types = run_builtin_suite_types;
	return rounds_run(cfg, &with, dirs, res);
}

int run_config(const struct bk_config *cfg, const struct run_opts *o, struct bk_result *r)
{
	struct bk_result *res[2] = { r, NULL };
	return run_builds(cfg, o, NULL, res);
}
