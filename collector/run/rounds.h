/* rounds: takes the samples of a run's timed benchmarks in rounds
 * interleaved across all the benchmarks of the run, so that a disturbance
 * of the machine (another job, a frequency change) lands on every
 * benchmark instead of on one benchmark's block of runs.
 *
 * The run has N rounds (ROUNDS_DEFAULT unless --rounds or the config's
 * "rounds" says otherwise: the command line wins, then the suite's, then
 * the config's top level). A benchmark takes its samples in
 * k = min(N, runs) rounds (k = N when it has a min_time), rounds 1..k; the
 * run's count is the largest k, so no round is empty. Round j: every
 * benchmark that still takes samples, in an order shuffled per round
 * (Fisher-Yates driven by splitmix64 from the run's seed, the same for
 * every round count and result: reproducible with the same seed and
 * selection), takes its share (measure_round_done): floor(runs * j / k)
 * runs in all by the end of round j, and, with min_time, until min_time *
 * j / k was measured (capped at max_runs * j / k), so the totals are those
 * of a run without rounds and round k ends on the same rule.
 *
 * A benchmark's setup and warmup run at its first turn in round 1, right
 * before its first measured run; its teardown right after its last run
 * (its round k, or the round where a failure without keep_going stopped
 * it). Setups of different benchmarks are therefore alive at the same
 * time and must not conflict. Later rounds take no warm-up run.
 *
 * Harness entries ("format") and typed suites (e.g. "nats") are not split:
 * with N > 1 they run once before round 1, in config order, their results
 * without rounds; with N = 1 everything runs in config order, one
 * benchmark after the other, as without rounds. The result lists the
 * benchmarks in config order whatever order they ran in.
 *
 * With N > 1 each sample records its round (bench_add_sample_round) and
 * the result's run.rounds = {count: N, seed}; with N = 1 neither is
 * recorded. */
#ifndef BK_ROUNDS_H
#define BK_ROUNDS_H

#include <stddef.h>
#include <stdint.h>

#include "lib/doc/config.h"
#include "collector/run/runopts.h"

#define ROUNDS_DEFAULT 5                 /* rounds when nothing says otherwise */
#define ROUNDS_SEED_LIMIT (1ULL << 53)   /* seeds are below this (exact in JSON) */

/* splitmix64: a 64-bit state, one addition and a mix per number. */
struct rounds_rng {
	uint64_t state;
};

/* Seeds g with seed. */
void rounds_rng_init(struct rounds_rng *g, uint64_t seed);
/* The next 64-bit number of g. */
uint64_t rounds_rng_next(struct rounds_rng *g);
/* Shuffles v[0..n) in place (Fisher-Yates, unbiased). */
void rounds_shuffle(struct rounds_rng *g, size_t *v, size_t n);
/* A fresh seed below 10^15 (so JSON writes it as a plain integer) from
 * getrandom, else from the clock and the process id. */
unsigned long long rounds_random_seed(void);

/* Parses a --seed value: a whole number from 0 to 2^53 - 1, in decimal
 * or as JSON writes a large one ("8.62924286870806e+15"). 0, or -1 with
 * bk_error set. */
int rounds_parse_seed(const char *s, unsigned long long *out);

/* The round count asked for suite s of cfg: o->rounds when > 0, else the
 * suite's "rounds", else the config's, else ROUNDS_DEFAULT. */
int rounds_for_suite(const struct bk_config *cfg, const struct bk_suite_cfg *s,
		     const struct run_opts *o);

/* The rounds a benchmark with `runs` runs and min_time takes samples in
 * when its suite asks for n: min(n, runs), or n with a min_time. */
int rounds_for_bench(int n, int runs, double min_time);

/* Runs the selected benchmarks of cfg in rounds into res[0] (a normal run:
 * dirs and res[1] NULL), or, for `run --ab`, against the two build
 * directories dirs[0] (base) and dirs[1] (head) into res[0] and res[1]:
 * then each turn of a benchmark alternates base and head runs, a pair at a
 * time, so base sample i and head sample i were taken side by side; a pair
 * of which one side failed keeps neither sample (the other's counts as
 * metrics.unpaired_ops), and a failure without keep_going stops both sides.
 * Harness entries are not run with --ab (a warning through o->say for each),
 * typed suites refused. The typed suites are those of o->suite_types;
 * messages go to o->say (NULL: none). Sets run.rounds and run.round_seed
 * of every result (seed o->round_seed with o->have_seed, else a random
 * one) when N > 1. Returns
 * the number of benchmarks that had a failed run, or -1 with bk_error set
 * when nothing could be run or a setup, teardown, harness or typed suite
 * failed (the benchmarks already set up are then torn down). */
int rounds_run(const struct bk_config *cfg, const struct run_opts *o, const char *const dirs[2],
	       struct bk_result *const res[2]);

#endif
