/* measure: measures one configured benchmark, one run at a time, in the
 * metric it asks for:
 *
 *   wall_time     seconds (or the benchmark's time unit) per run, the default
 *   instructions  user-space instructions of the command and its children
 *                 per run, counted by the "perf" backend (hardware counter,
 *                 perfcount.h) or the "callgrind" backend (valgrind,
 *                 callgrind.h; the default: it works everywhere and is
 *                 deterministic)
 *
 * A benchmark measured in instructions is a different series from the same
 * command timed: its name gets "/metric=instructions/backend=B" and its
 * params metric and backend, its unit is "instructions", and its
 * "threshold" hint (effect floor for compare) defaults to 0.2 (%).
 *
 * Build directory: every "{build}" in cmd, setup, teardown, cwd and env
 * values is replaced by the build directory (the current directory in a
 * normal run, BASE_DIR or HEAD_DIR under `run --ab`), and BENCHKEEP_BUILD is
 * set to it in the environment. Under --ab the command also runs inside the
 * build directory (a relative "cwd" is taken inside it).
 *
 * The one-run-at-a-time interface lets rounds.c interleave benchmarks (and
 * ab.c two builds). Life cycle: measure_begin (setup, warmup), then per
 * round measure_once until measure_round_done (measure_done: all of its
 * runs are taken), measure_finish (stats, teardown), measure_take (the
 * benchmark moved into the result), measure_release always. */
#ifndef BK_MEASURE_H
#define BK_MEASURE_H

#include "collector/run/callgrind.h"
#include "lib/doc/config.h"
#include "collector/run/runopts.h"

#define MEASURE_INSTRUCTIONS_THRESHOLD 0.2 /* default effect floor, % */

enum measure_metric { MEASURE_WALL_TIME, MEASURE_INSTRUCTIONS };
enum measure_backend { MEASURE_NO_BACKEND, MEASURE_PERF, MEASURE_CALLGRIND };

struct measure_vec {
	double *v;
	size_t n, alloc;
};

struct measure {
	struct bk_bench_cfg cfg; /* the benchmark bound to its build dir (owned) */
	const struct run_opts *o;
	const char *tag;         /* progress prefix ("base"/"head") or NULL */
	enum measure_metric metric;
	enum measure_backend backend;
	struct bk_benchmark bench; /* filled here, moved into the result by measure_end */
	int runs;
	/* ok: runs that gave a sample; unpaired: successful runs whose sample
	 * was dropped (measure_drop_last); failed: runs that exited non-zero
	 * or timed out. Attempts are the sum of the three. */
	long max_runs, ok, failed, unpaired, timeouts, max_rss;
	int last_exit, multiplexed, unavailable, last_cycles;
	unsigned round;  /* recorded with each sample when nrounds > 1 */
	int nrounds;     /* the run's round count (progress), 0/1: no rounds */
	int bench_rounds; /* the rounds this benchmark takes samples in */
	double factor, measured;
	struct measure_vec wall, user, sys, cycles;
	struct callgrind cg;
	struct bk_command wrapped; /* the command under valgrind */
};

/* Parses a --metric value: "wall_time" (or "time"), "instructions" or
 * "instructions:perf" / "instructions:callgrind". Sets *metric and
 * *backend (NULL when not given) to static strings. 0, or -1 + bk_error. */
int measure_parse_metric(const char *spec, const char **metric, const char **backend);

/* Prepares benchmark b: binds it to `build_dir` (NULL: a normal run in the
 * current directory), picks the metric and backend (o->metric/o->backend
 * override the config), records the backend's version in r's machine
 * info, runs setup and the warmup runs (uninstrumented). `tag` prefixes
 * progress lines (o->say). Returns 0 when ready to measure; 1 when the
 * benchmark cannot be measured here (the counter is absent: the reason is in
 * bk_last_error, measure_end records the benchmark as failed); -1 on an
 * error that stops the whole run (bk_error set). m must be released with
 * measure_release in every case. */
int measure_begin(struct measure *m, const struct bk_bench_cfg *b, const struct run_opts *o,
		  const char *build_dir, const char *tag, struct bk_result *r);

/* 1 when the benchmark has its runs (runs, min_time, max_runs) or a run
 * failed without keep_going, or it cannot be measured; else 0. */
int measure_done(const struct measure *m);

/* 1 when the benchmark has its share of round j of k (1 <= j <= k): its
 * attempts reached floor(runs * j / k) and its measured time min_time *
 * j / k, or its attempts reached max(floor(max_runs * j / k), that share),
 * or measure_done. The targets are cumulative, so round k ends exactly
 * where measure_done does and a slow round is made up by the next. */
int measure_round_done(const struct measure *m, int j, int k);

/* One measured run; its sample records m->round when m->nrounds > 1.
 * Returns 0 (the run happened, whether the command succeeded or not), or
 * -1 with bk_error set when it could not be started or measured. */
int measure_once(struct measure *m);

/* Takes back the sample of the last run (which must have given one): it
 * counts as unpaired ("unpaired_ops"), e.g. when its A/B peer failed. */
void measure_drop_last(struct measure *m);

/* Finishes: statistics, metrics, the final progress line, teardown. The
 * benchmark stays in m until measure_take. Says (o->say) a warning for
 * failed runs, an error for an absent counter. Returns 1 when a run failed or the benchmark
 * could not be measured, 0 when all runs succeeded, -1 when teardown
 * failed (bk_error set). */
int measure_finish(struct measure *m);

/* Moves the finished benchmark into r (also when it failed); m keeps
 * nothing of it. */
void measure_take(struct measure *m, struct bk_result *r);

/* Frees everything m owns (safe after any of the calls above). */
void measure_release(struct measure *m);

/* Unit conversion factor from seconds to unit ("s", "ms", "us", "ns");
 * 0 for another unit. */
double run_unit_factor(const char *unit);

/* Runs benchmark b's setup or teardown command c once (nothing when c is
 * empty); `what` names it in the error. 0, or -1 with bk_error set when it
 * cannot run, exits non-zero or times out. */
int measure_run_aux(const struct bk_command *c, const struct bk_bench_cfg *b, const char *what);

#endif
