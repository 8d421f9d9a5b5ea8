/* machinefactor: the slowdown that every benchmark of one run shares — a
 * noisy neighbour on a shared CI machine, a throttled CPU — estimated across
 * the series of one machine, so that it can be divided out before change
 * points are looked for (docs/changepoints.md, "Machine factor").
 *
 * One run (one result file) measures every benchmark of a machine at once;
 * when the machine was 30% slower during that run, every series of the
 * machine has a point 30% high there. Per series that is one outlier (or,
 * for a few consecutive slow runs, a short plateau that looks like two level
 * shifts); across the series it is a per-run factor.
 *
 * Method, on the log of the values:
 *  1. Screen. For each run, the median over the series of the step from the
 *     series' previous point. A run is flagged when that median is beyond
 *     MF_SCREEN_Z standard errors (from the spread of the steps) and 1%.
 *     Flagged runs at most MF_BURST runs apart, and the runs between them,
 *     are candidates (a burst of slow runs starts with a step up and ends
 *     with a step down).
 *  2. Estimate. For each candidate run and each series with a point there,
 *     the residual of the point against the series' level: the medians a
 *     and b of up to MF_HALF points before it and of up to MF_HALF after it
 *     (at least 3 each; candidate runs are skipped); when the point is
 *     nearer one of them than half the gap between them it is on that level
 *     (a genuine level shift: no residual), else the level is (a + b) / 2 (a
 *     slow run, far from both, is a residual). The run's factor is the
 *     median residual over the series, kept when it is beyond MF_Z standard
 *     errors and 1%, and when at least MF_MIN_SERIES series have a point.
 * A run no series flags costs one subtraction per point; only candidates are
 * looked at closely. */
#ifndef BK_MACHINEFACTOR_H
#define BK_MACHINEFACTOR_H

#include <stddef.h>
#include <stdint.h>

#define MF_MIN_SERIES 5 /* fewest series with a point in a run to estimate it */
#define MF_HALF 10      /* points each side that make a series' level */
#define MF_BURST 8      /* longest run of slow runs treated as one event */
#define MF_SCREEN_Z 4.0
#define MF_Z 5.0

/* One series of the machine. */
struct mf_series {
	const double *x;     /* its values (per-run medians), n of them */
	const uint32_t *run; /* the run of each value, < nruns, increasing */
	size_t n;
	int inverse;         /* a rate (bigger is better): a slow run divides it */
};

/* Estimates the machine factor of the runs of series s[0..ns) (the series
 * of one machine) and stores it in factor[r] for each run r whose factor is
 * not 1; other entries of factor[0..nruns) are not touched (the caller sets
 * them to 1 first). A factor above 1 is a slow run: the values of run r are
 * divided by factor[r] to remove it (multiplied, for an `inverse` series). A series with a value that is not positive and finite
 * neither votes nor is expected to be corrected. Returns the number of runs
 * given a factor. Allocates only scratch, freed before it returns. */
size_t machine_factor_estimate(const struct mf_series *s, size_t ns, size_t nruns, double *factor);

#endif
