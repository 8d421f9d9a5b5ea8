/* stats: descriptive statistics on raw samples. Pure maths, no I/O.
 *
 * Percentiles use linear interpolation between order statistics (Hyndman &
 * Fan type 7, the default of numpy.percentile and R's quantile): for sorted
 * x[0..n-1] and p in [0,1], h = (n-1)p, q = x[floor h] + (h - floor h) *
 * (x[floor h + 1] - x[floor h]). The median is the 0.5 quantile.
 *
 * The 95% confidence interval of the median is distribution-free, from order
 * statistics: the narrowest symmetric pair of ranks (j, n+1-j) (1-based) with
 * P(j <= B < n+1-j) >= 0.95 where B ~ Binomial(n, 1/2). With n < 6 no such
 * pair reaches 95%: the interval is then [min, max] and `ci_exact` is 0. */
#ifndef BK_STATS_H
#define BK_STATS_H

#include <stddef.h>

struct bk_stats {
	size_t n;
	double mean, median, min, max;
	double stddev; /* sample standard deviation (n-1); 0 when n < 2 */
	double p95, p99;
	double ci_low, ci_high; /* 95% CI of the median */
	int ci_exact;           /* 1 when the CI reaches 95% coverage */
};

/* Computes every field of *out from n samples (n may be 0: all zero). The
 * input is not modified. */
void stats_compute(const double *samples, size_t n, struct bk_stats *out);

/* The p-quantile (0 <= p <= 1, type 7) of n sorted values; 0 when n == 0. */
double stats_quantile_sorted(const double *sorted, size_t n, double p);

/* Median of n values (copied and sorted internally); 0 when n == 0. */
double stats_median(const double *x, size_t n);

/* Sorts n doubles ascending in place. */
void stats_sort(double *x, size_t n);

/* Ranks (1-based) lo, hi of the distribution-free 95% CI of the median for
 * a sample of n; returns 1 when coverage >= 95% was reached, 0 otherwise
 * (then lo = 1, hi = n). */
int stats_median_ci_ranks(size_t n, size_t *lo, size_t *hi);

#endif
