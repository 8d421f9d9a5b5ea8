#include "collector/run/run.h"
#include "collector/nats/nats_suite.h"
#include "collector/run/rounds.h"

static const struct run_suite_type nats_type = { "nats", nats_suite_run };

const struct run_suite_type *const run_builtin_suite_types[] = { &nats_type, NULL };

int run_config(const struct bk_config *cfg, const struct run_opts *o, struct bk_result *r)
{
	struct bk_result *res[2] = { r, NULL };
	return rounds_run(cfg, o, NULL, res);
}
