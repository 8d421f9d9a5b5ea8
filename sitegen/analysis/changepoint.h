/* changepoint: level shifts in a performance history.
 *
 * Method (documented in docs/changepoints.md): windowed E-divisive means on
 * the log of the per-commit values, with a Mann–Whitney rank test in place
 * of permutations for significance, in two passes.
 *
 *  1. Candidates. The series is cut into windows of `window` points that
 *     overlap by half. In each window the split maximising the energy
 *     statistic (alpha = 1) is found; it is kept when the two sides differ
 *     under a two-sided Mann–Whitney test at p < p_loose, and the search
 *     recurses into both sides (binary segmentation inside the window).
 *     Candidates found by several windows within `min_segment` points of each
 *     other are one candidate.
 *  2. Merge. Each candidate is tested on its own neighbourhood: the points
 *     since the previous candidate and until the next one (at most `window`
 *     each side). It passes when the two sides differ at p < p_strict, the
 *     relative change of the medians is at least `min_effect`, and the shift
 *     is beyond the noise: with sigma the neighbourhood's noise (the robust
 *     estimate of changepoint_noise, on its points), the shift of the medians
 *     d (log scale) is at least min_noise * sigma and its z-score
 *     d / (sigma * sqrt(pi/2) * sqrt(1/m + 1/k)) (m, k points each side) is
 *     at least min_z. The weakest failing candidate (lowest z) is removed
 *     and its neighbours are tested again, until every remaining one passes.
 *     The thresholds are per test and per point, not per series, so the
 *     false alarms per commit do not grow with the history's length.
 *
 * Values must be positive for the log; when any is not, the raw values are
 * used. Non-finite values make the series unusable: no change point. */
#ifndef BK_CHANGEPOINT_H
#define BK_CHANGEPOINT_H

#include <stddef.h>

struct changepoint_opts {
	double p_loose;     /* first-pass significance (default 0.01) */
	double p_strict;    /* every reported point passes this (0.001) */
	size_t window;      /* points per analysis window (50) */
	double min_effect;  /* smallest |after/before - 1| reported (0.02) */
	size_t min_segment; /* fewest points on either side of a point (5) */
	double min_z;       /* smallest z-score of the shift of the medians (5.5) */
	double min_noise;   /* smallest shift in units of the noise sigma (1) */
};
#define CHANGEPOINT_OPTS_INIT { 0.01, 0.001, 50, 0.02, 5, 5.5, 1.0 }

struct changepoint {
	size_t index;   /* first point at the new level */
	double before;  /* median of the segment before (raw units) */
	double after;   /* median of the segment after */
	double change;  /* after / before - 1 */
	double p_value; /* two-sided Mann–Whitney p of before vs after */
};

/* Finds the level shifts of x[0..n) with opts (NULL: defaults). On success
 * returns 0 and sets *out to a malloc'd array of *nout points in increasing
 * index order (NULL when none); the caller frees *out. Returns -1 with
 * bk_error set on invalid options. */
int changepoint_detect(const double *x, size_t n, const struct changepoint_opts *opts,
		       struct changepoint **out, size_t *nout);

struct cp_memo;

/* changepoint_detect with a memo (sitegen/analysis/cpmemo.h; NULL: none): the same
 * contract and bit-identical results, but every window of the first pass,
 * every strict test and every refinement is looked up by the exact content
 * it reads before being computed, and added to m when computed. After one
 * point is appended to a series, nearly everything is found in m. Safe to
 * call from several threads sharing one m; m is not freed. */
int changepoint_detect_memo(const double *x, size_t n, const struct changepoint_opts *opts,
			    struct cp_memo *m, struct changepoint **out, size_t *nout);

/* The noise of x[0..n) as the detector sees it: the standard deviation of
 * one point about its level, estimated robustly as 1.4826 * the median of
 * the absolute successive differences / sqrt(2) — a level shift or an
 * outlier moves one or two differences, not the median, and slow drifts
 * cancel out. On the log scale (so 0.03 is about 3%) when every value is
 * positive, else on the raw scale. NaN when n < 3 or a value is not finite;
 * 0 when most successive values are equal. Pure function; nothing to free. */
double changepoint_noise(const double *x, size_t n);

/* Two-sided Mann–Whitney p-value of a[0..na) against b[0..nb) with the
 * normal approximation, tie correction and continuity correction; 1 when
 * either side is empty or every value ties. */
double changepoint_mw_p(const double *a, size_t na, const double *b, size_t nb);

#endif
