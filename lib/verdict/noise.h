/* noise: how far a benchmark's result moves between separate runs, and the
 * distributions a verdict needs. Pure maths, no I/O.
 *
 * Everything is on the log scale: a run's location is the median of its
 * samples, and the noise of a benchmark is the spread of log(location) from
 * run to run (0.05 is about 5%). Three sources, best first:
 *
 *  - history: the locations of the last N runs of the same benchmark on
 *    the same machine. center = their median; spread = the standard
 *    deviation of their logs, after setting aside the rare wild run (at
 *    most a tenth of the runs, each beyond NOISE_WILD robust standard
 *    deviations, 1.4826 x MAD, from the median). A larger group of slow
 *    runs — the runs beside a noisy neighbour — is how this machine
 *    behaves and stays in: the verdict must not call it a regression. The
 *    spread of `runs` kept values has runs - 1 degrees of freedom (Student
 *    t). Needs NOISE_MIN_RUNS runs.
 *  - rounds of this run: the standard error of log(location) from the
 *    spread of the per-round medians (standard deviation of their logs /
 *    sqrt(rounds)), for a run of NOISE_MIN_ROUNDS rounds or more; else
 *    from the samples (1.2533 x 1.4826 x MAD of the log samples /
 *    sqrt(n), the standard error of a median). Either is within-run only:
 *    it says nothing of the next hour or the next machine.
 *  - none. */
#ifndef BK_NOISE_H
#define BK_NOISE_H

#include <stddef.h>

#include "lib/doc/result.h"

#define NOISE_MIN_RUNS 3   /* history runs needed for a spread */
#define NOISE_MIN_ROUNDS 3 /* rounds needed for a per-round spread */
#define NOISE_WILD 5.0     /* robust SDs from the median: a wild run */

/* Center and spread of n run locations (all > 0) into *out (out->runs =
 * the runs kept). Returns 0, or -1 when n < NOISE_MIN_RUNS or a value is
 * not finite and positive (*out zeroed). */
int noise_from_locations(const double *loc, size_t n, struct bk_noise *out);

/* Within-run standard error of log(median) of benchmark b: from its
 * per-round medians when it has NOISE_MIN_ROUNDS rounds or more (*rounds
 * set to their number), else from its samples (*rounds = 0). NAN when b has
 * fewer than 3 samples or a sample <= 0. */
double noise_within_se(const struct bk_benchmark *b, size_t *rounds);

/* Student's t distribution with df degrees of freedom (df = INFINITY: the
 * standard normal): the two-sided tail P(|T| >= |t|), and the quantile
 * (0 < p < 1). */
double noise_t_two_sided(double t, double df);
double noise_t_quantile(double p, double df);

/* Degrees of freedom of a spread from n history runs: n - 1 (at least 1). */
double noise_history_df(long n);

#endif
