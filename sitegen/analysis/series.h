/* series: one trend line per benchmark per machine, built from the history.
 *
 * A series is identified by suite + name + params + machine name. Its points
 * are the results on the main branch in history order (results off the main
 * branch never enter a trend). Change points are detected on the per-point
 * medians (sitegen/analysis/changepoint.h), after dividing out the factor that every
 * series of a machine shares in a run (sitegen/analysis/machinefactor.h). */
#ifndef BK_SERIES_H
#define BK_SERIES_H

#include "sitegen/analysis/changepoint.h"
#include "sitegen/analysis/cpmemo.h"
#include "sitegen/history/history.h"

struct series_point {
	uint32_t result;                /* index in history.results */
	uint32_t n;                     /* samples */
	double median, min, max, ci_low, ci_high;
	const unsigned char *samples;   /* in the history's record: record_samples */
};

struct series {
	char *suite, *name, *machine;  /* machine "" when unknown */
	const struct bench_def *proto; /* latest point's definition: unit, params, direction */
	char *slug;                    /* unique file-name-safe id for its page */
	struct series_point *points;
	size_t npoints, alloc;
	struct changepoint *changes;
	size_t nchanges;
	double noise; /* changepoint_noise of the medians the detector saw: relative
			 (log scale); NaN when fewer than 3 or not all positive */
};

struct series_set {
	struct series *items;
	size_t nr, alloc;
	char **suites;  /* distinct suite names, sorted */
	size_t nsuites;
	double *factor; /* per main result: its machine factor (> 1: a slow run),
			   divided out of its points before detection (multiplied
			   into a bigger-is-better series'); 1: none */
	size_t nfactor; /* runs whose factor is not 1 */
};

/* Builds every series from h (points only from the results on main),
 * estimates the machine factor of every run from the series of its machine
 * (sitegen/analysis/machinefactor.h) and detects change points on the medians
 * divided by it, with opts (NULL: CHANGEPOINT_OPTS_INIT), through memo
 * (NULL: none; sitegen/analysis/cpmemo.h) so that unchanged parts cost nothing. Series
 * are sorted by suite, name, machine. series_release frees everything.
 * 0 or -1 + bk_error. */
int series_build(struct series_set *s, const struct history *h, const struct changepoint_opts *opts,
		 struct cp_memo *memo);
void series_release(struct series_set *s);

#endif
