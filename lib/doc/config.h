/* config: reads and validates benchkeep.json, the suite configuration.
 *
 *   {"suites": [{"name": "demo", "benchmarks": [
 *     {"name": "sleep-10ms", "cmd": ["sleep", "0.01"], "runs": 10, "warmup": 1},
 *     {"name": "sort", "cmd": "sort -n data.txt > /dev/null", "runs": 20,
 *      "min_time": 0.5, "timeout": 10}]}]}
 *
 * Suite keys: name, type ("command", the default), benchmarks, and defaults
 * for its benchmarks: runs, warmup, min_time, max_runs, timeout, env, cwd,
 * threshold, unit, direction, metric, backend, cache_sim.
 * Benchmark keys: name, cmd (array: exec'd directly; string: /bin/sh -c),
 * runs, warmup, min_time, max_runs, timeout, env, cwd, setup, teardown,
 * params (matrix: one benchmark per combination, "{key}" placeholders in cmd,
 * setup, teardown, cwd and env values), unit, direction, threshold, metric
 * ("wall_time" or "instructions"), backend (for instructions: "callgrind",
 * the default, or "perf"), cache_sim (callgrind: also estimate cycles),
 * format and output (harness entries whose output is imported).
 * Top-level keys: suites, rounds, $schema, description.
 * "rounds" (an integer from 1 to RESULT_MAX_ROUNDS), at the top level or on
 * a suite of type "command" (which wins for its benchmarks), is the number
 * of rounds `run` spreads each benchmark's runs over (see rounds.h); a
 * suite of another type keeps "rounds" among its own keys (raw).
 * Unknown keys and wrong types are errors naming the file and key path. */
#ifndef BK_CONFIG_H
#define BK_CONFIG_H

#include "lib/doc/benchcfg.h"
#include "lib/doc/result.h"

struct bk_suite_cfg {
	char *name;
	char *type;   /* "command" or another suite type */
	cJSON *raw;   /* the suite's JSON object (owned) for typed suites */
	int rounds;   /* "rounds" of a command suite; 0: not set (the config's) */
	struct bk_bench_cfg *benchmarks;
	size_t nbenchmarks, alloc;
};

struct bk_config {
	char *path;
	int rounds; /* top-level "rounds"; 0: not set */
	struct bk_suite_cfg *suites;
	size_t nsuites, alloc;
};

/* Reads and validates the config at `path`. Returns 0, or -1 with bk_error
 * set to one line naming the file and line:column (JSON errors) or key path.
 * cfg is released on failure. */
int config_read(struct bk_config *cfg, const char *path);
/* Same from a parsed document; `name` is used in errors. */
int config_from_json(struct bk_config *cfg, const cJSON *j, const char *name);
/* Frees everything cfg owns. */
void config_release(struct bk_config *cfg);

#endif
