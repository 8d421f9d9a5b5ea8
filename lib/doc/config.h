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

#include "lib/doc/result.h"

/* A command: either argv (NULL-terminated) or a shell string. */
struct bk_command {
	char **argv;  /* exec'd directly when non-NULL */
	char *shell;  /* run under /bin/sh -c when non-NULL */
};

struct bk_bench_cfg {
	char *suite;
	char *name; /* expanded: "base/k1=v1/k2=v2" for params */
	struct bk_kvlist params;
	struct bk_command cmd, setup, teardown; /* setup/teardown may be empty */
	struct bk_kvlist env;
	char *cwd;
	int runs, warmup, max_runs;
	double min_time; /* seconds; keep running until reached (up to max_runs) */
	double timeout;  /* seconds per run; 0 = none */
	double threshold; /* regression effect floor in %, <0 = default */
	char *unit;       /* NULL: "s" */
	int direction;    /* -1 unset, else enum bk_direction */
	char *metric;     /* NULL: wall time */
	char *backend;    /* instruction counter: "perf", "callgrind"; NULL: default */
	int cache_sim;    /* callgrind: simulate caches, record estimated cycles */
	char *format;     /* harness format to import, NULL for timed commands */
	char *output;     /* file the harness writes (NULL: its stdout) */
};

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
/* Frees everything one benchmark's configuration owns; b is left zeroed. */
void bench_cfg_release(struct bk_bench_cfg *b);

/* s with every "{KEY}" whose KEY is in vars replaced by its value (a new
 * string; NULL for NULL); other braces stay as they are. */
char *config_expand(const char *s, const struct bk_kvlist *vars);
/* dst = src with config_expand applied to the shell line or every argv
 * word (dst's strings are new; free with command_release). */
void command_expand(struct bk_command *dst, const struct bk_command *src,
		    const struct bk_kvlist *vars);

/* Frees a command's contents. */
void command_release(struct bk_command *c);
/* Appends a printable form of c to sb (argv joined with spaces). */
void command_describe(const struct bk_command *c, struct strbuf *sb);

#endif
