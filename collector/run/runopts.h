/* runopts: what a run is asked to do and how it talks back: the options
 * of `benchkeep run` that the runner (run, rounds, measure, harness, ab)
 * and the typed suites (e.g. nats_suite) share, the selection by -s and
 * --filter, the messages the runner gives its front-end to print, and
 * the interface a typed suite ("type" other than "command") plugs in by.
 * Nothing here prints: the front-end's `say` callback does. */
#ifndef BK_RUNOPTS_H
#define BK_RUNOPTS_H

#include <regex.h>
#include <stddef.h>
#include <stdio.h>

#include "lib/doc/config.h"

/* What a message of the runner is. */
enum run_say_kind {
	RUN_SAY_STATUS,  /* progress line the next message replaces (no newline) */
	RUN_SAY_LINE,    /* progress line that stays (ends the status line) */
	RUN_SAY_RESULT,  /* a result line of a typed suite, printed as it is */
	RUN_SAY_WARNING, /* a warning; the run goes on */
	RUN_SAY_ERROR,   /* an error of one benchmark; the run goes on */
};

struct run_opts;

/* A suite type other than "command": run(cfg, index, o, r) runs suite
 * cfg->suites[index] into r and returns the number of benchmarks added,
 * or -1 with bk_error set. */
struct run_suite_type {
	const char *type;
	int (*run)(const struct bk_config *cfg, size_t index, const struct run_opts *o,
		   struct bk_result *r);
};

struct run_opts {
	const char **suites; /* names to run (NULL-terminated), NULL: all */
	regex_t *filter;     /* on "suite/name", NULL: all */
	int runs, warmup;    /* > 0 / >= 0 override the config; -1 keep */
	int keep_going;
	FILE *progress;      /* progress lines wanted, here (a terminal), or NULL */
	const char *metric;  /* --metric: "wall_time"/"instructions" over the config, or NULL */
	const char *backend; /* --metric instructions:B: "perf"/"callgrind", or NULL */
	int rounds;          /* --rounds: > 0 overrides the config; -1 keep */
	int have_seed;       /* --seed given: round_seed is the shuffle's seed */
	unsigned long long round_seed; /* < 2^53 */
	/* say(o, kind, text) prints a message of the runner (text without a
	 * trailing newline); the front-end sets run_console_say (console.h);
	 * NULL drops them. Progress (STATUS, LINE, RESULT) is only said when
	 * o->progress is set. */
	void (*say)(const struct run_opts *o, enum run_say_kind kind, const char *text);
	/* the typed suites (NULL-terminated); the front-end sets the built-in
	 * ones (run.h: run_builtin_suite_types); NULL knows none */
	const struct run_suite_type *const *suite_types;
};

/* Formats a message and hands it to o->say (nothing when o->say is NULL,
 * or for progress when o->progress is NULL). */
void run_say(const struct run_opts *o, enum run_say_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The entry of o->suite_types for `type`, or NULL. */
const struct run_suite_type *run_suite_type(const struct run_opts *o, const char *type);

/* Selection by -s/--filter: run_check_suites fails (-1, bk_error naming
 * the config) when a -s names no suite of cfg; run_suite_selected /
 * run_name_selected / run_bench_selected say whether a suite or a
 * benchmark ("SUITE/NAME" against --filter) is to run. */
int run_check_suites(const struct bk_config *cfg, const struct run_opts *o);
int run_suite_selected(const struct run_opts *o, const char *name);
int run_name_selected(const struct run_opts *o, const char *suite, const char *name);
int run_bench_selected(const struct run_opts *o, const struct bk_bench_cfg *b);

#endif
