/* benchcfg: one benchmark's configuration as config.c reads it (its
 * commands, environment, run counts, metric, harness format), its
 * lifetime, and the "{KEY}" placeholders in its commands, cwd and env
 * values (params, and {build} under `run`). */
#ifndef BK_BENCHCFG_H
#define BK_BENCHCFG_H

#include "lib/base/strbuf.h"
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
