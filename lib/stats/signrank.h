/* signrank: the paired comparison of interleaved A/B samples. Pure maths,
 * no I/O.
 *
 * Input: n pairs (base[i], head[i]) measured side by side (run --ab), so
 * drift of the machine hits both members of a pair alike. The unit is the
 * pair's log ratio d_i = log(head[i] / base[i]); every value must be > 0.
 *
 * Estimate and interval come from one estimator, the one-sample
 * Hodges–Lehmann estimator of the d_i: the median of the n(n+1)/2 Walsh
 * averages (d_i + d_j) / 2, i <= j, and its distribution-free 95%
 * interval [W_(k), W_(M+1-k)] of the sorted Walsh averages (M = n(n+1)/2),
 * k the largest rank with 2 P(T <= k - 1) <= 0.05 under the null
 * distribution of the signed-rank statistic T (as R's wilcox.test(paired =
 * TRUE, conf.int = TRUE)). The estimate always lies inside its interval.
 * exp(estimate) - 1 is the change of head against base; exp(lo) - 1 and
 * exp(hi) - 1 its interval. When even k = 1 cannot reach 95% (n < 6) the
 * interval is the full range of the Walsh averages and ci_exact is 0.
 *
 * The p-value is the two-sided Wilcoxon signed-rank test, as
 * scipy.stats.wilcoxon(d) with its defaults (zero_method "wilcox",
 * correction False): zero differences are dropped; exact null
 * distribution when at most 50 differences remain and none is zero or
 * tied; otherwise the normal approximation with the tie correction. (With
 * ties scipy 1.10 still uses its exact table on truncated rank sums; the
 * normal approximation is used here instead.) */
#ifndef BK_SIGNRANK_H
#define BK_SIGNRANK_H

#include <stddef.h>

#define SIGNRANK_EXACT_MAX 50 /* most differences for the exact p-value */

struct signrank {
	size_t n;        /* pairs used */
	double estimate; /* HL estimate of the median log ratio */
	double lo, hi;   /* its 95% interval (log ratios) */
	int ci_exact;    /* 1 when the interval reaches 95% coverage */
	double p;        /* two-sided signed-rank p-value (1 when no nonzero d) */
	int exact;       /* 1: p from the exact distribution */
	double t;        /* min(R+, R-), scipy's statistic */
};

/* Compares n pairs. Returns 0, or -1 when n is 0 or a value is not finite
 * and positive (out->p = 1 then). Inputs are not modified. */
int signrank_paired(const double *base, const double *head, size_t n, struct signrank *out);

/* The signed-rank statistic's null CDF P(T <= k) for n differences without
 * ties; -1 when n is 0 or above SIGNRANK_EXACT_MAX. */
double signrank_cdf(size_t n, double k);

#endif
