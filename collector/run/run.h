/* run: executes the configured suites and fills a result.
 *
 * For each selected benchmark: setup once, `warmup` unmeasured runs, then at
 * least `runs` measured runs and, when `min_time` is set, more until that
 * much measured time has passed (capped by max_runs, default 100 x runs),
 * then teardown. A run that exits non-zero or times out is a failed
 * operation: without keep_going the benchmark stops at the first one.
 * The measured runs of the timed benchmarks are taken in rounds
 * interleaved across the run (rounds.h). */
#ifndef BK_RUN_H
#define BK_RUN_H

#include <regex.h>
#include <stdio.h>

#include "lib/doc/config.h"

struct run_opts {
	const char **suites; /* names to run (NULL-terminated), NULL: all */
	regex_t *filter;     /* on "suite/name", NULL: all */
	int runs, warmup;    /* > 0 / >= 0 override the config; -1 keep */
	int keep_going;
	FILE *progress;      /* progress lines here (a terminal), or NULL */
	const char *metric;  /* --metric: "wall_time"/"instructions" over the config, or NULL */
	const char *backend; /* --metric instructions:B: "perf"/"callgrind", or NULL */
	int rounds;          /* --rounds: > 0 overrides the config; -1 keep */
	int have_seed;       /* --seed given: round_seed is the shuffle's seed */
	unsigned long long round_seed; /* < 2^53 */
};

/* Selection by -s/--filter, shared by run_config and the A/B runner:
 * run_check_suites fails (-1, bk_error naming the config) when a -s names
 * no suite of cfg; run_suite_selected / run_bench_selected say whether a
 * suite or a benchmark ("SUITE/NAME" against --filter) is to run. */
int run_check_suites(const struct bk_config *cfg, const struct run_opts *o);
int run_suite_selected(const struct run_opts *o, const char *name);
int run_bench_selected(const struct run_opts *o, const struct bk_bench_cfg *b);

/* Runs the selected benchmarks of cfg into r (benchmarks appended, stats
 * finalised). Returns the number of benchmarks that had a failed run, or -1
 * with bk_error set when nothing could be run (e.g. no benchmark matched or
 * a typed suite failed). */
int run_config(const struct bk_config *cfg, const struct run_opts *o, struct bk_result *r);

/* Runs harness entry b (one with a "format"): setup, its command once,
 * its output (stdout or b->output) imported into r, teardown. Returns 0,
 * or -1 with bk_error set (the run stops). */
int run_harness(const struct bk_bench_cfg *b, const struct run_opts *o, struct bk_result *r);

/* Unit conversion factor from seconds to unit ("s", "ms", "us", "ns");
 * 0 for another unit. */
double run_unit_factor(const char *unit);

#endif
