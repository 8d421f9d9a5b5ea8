/* ranktest: distribution-free two-sample statistics. Pure maths, no I/O.
 * This is the reference implementation used by `compare`, `summary` and the
 * site's commit pages.
 *
 * Mann–Whitney U (two-sided), matching scipy.stats.mannwhitneyu(x, y,
 * alternative="two-sided") with its defaults (use_continuity=True,
 * method="auto"):
 *   - ranks of the pooled sample, ties given their average rank;
 *     U1 = R1 - n1(n1+1)/2 (the statistic scipy reports), U = max(U1, U2);
 *   - exact null distribution when the pooled sample has no ties and the
 *     smaller sample has at most 8 values (scipy's rule: asymptotic only when
 *     both n1 > 8 and n2 > 8, or on ties): p = 2 P(U' >= U), clipped to 1.
 *     The distribution is counted exactly in 128-bit integers (Gaussian
 *     binomial coefficients); beyond n1 * n2 > RANKTEST_EXACT_MAX_MN the
 *     normal approximation is used instead (scipy would still count);
 *   - otherwise the normal approximation with tie correction and continuity
 *     correction: z = (U - n1 n2 / 2 - 0.5) / s,
 *     s^2 = n1 n2 / 12 ((n + 1) - sum(t^3 - t) / (n (n - 1))), p = 2 sf(z);
 *     all values tied gives p = 1.
 *
 * Hodges–Lehmann shift and its 95% confidence interval (Bauer 1972; as R's
 * wilcox.test(conf.int = TRUE)): the estimate is the median of the n1 n2
 * pairwise differences y_j - x_i; the interval is [D_(k), D_(n1 n2 + 1 - k)]
 * of the sorted differences, k the smallest integer with P(U <= k) >= 0.025
 * under the null distribution of U (exact as above when the smaller sample
 * has at most 8 values, else the normal approximation with continuity
 * correction, without tie correction). When even k = 1 cannot reach 95%
 * coverage (tiny samples) the interval is the full range and `ci_exact` is 0.
 * The order statistics are selected in O((n1 + n2) log) time and O(1) extra
 * memory by bisection over the difference values, never by materialising
 * the n1 n2 differences.
 *
 * For the ratio of medians the same is done on log(samples): the shift of
 * the logs is the log of the ratio under a scale-shift model, so
 * exp(estimate) - 1 estimates HEAD/BASE - 1 and exp(CI) - 1 is its 95% CI.
 * When a sample is <= 0 logs are impossible: the raw shift's estimate and
 * CI are divided by |median(x)| instead (undefined when that median is 0).
 *
 * Benjamini–Hochberg q-values: q_(i) = min over j >= i of p_(j) m / j for
 * the ascending p-values, capped at 1 (as statsmodels' fdr_bh and
 * scipy.stats.false_discovery_control). */
#ifndef BK_RANKTEST_H
#define BK_RANKTEST_H

#include <stddef.h>

/* Largest n1 * n2 for which the exact distribution is counted. */
#define RANKTEST_EXACT_MAX_MN ((size_t)1 << 20)

struct ranktest {
	double u;  /* U1, the statistic of x (scipy's `statistic`) */
	double p;  /* two-sided p-value */
	int exact; /* 1: exact null distribution; 0: normal approximation */
	int ties;  /* 1 when the pooled sample has tied values */
};

/* Two-sided Mann–Whitney U test of x (n1 values) against y (n2 values).
 * Inputs are not modified. Returns 0, or -1 (out->p = 1) when a sample is
 * empty or a value is not finite. */
int ranktest_mwu(const double *x, size_t n1, const double *y, size_t n2, struct ranktest *out);

struct ranktest_shift {
	double estimate;  /* Hodges–Lehmann estimate */
	double lo, hi;    /* 95% confidence interval */
	double coverage;  /* the interval's actual coverage (>= 0.95 when ci_exact) */
	int ci_exact;     /* 1 when 95% coverage was reached */
	int exact;        /* 1 when k came from the exact distribution */
};

/* Hodges–Lehmann shift of y relative to x (median of y_j - x_i) and its 95%
 * CI, as described above. Returns 0, or -1 when a sample is empty or a value
 * is not finite. */
int ranktest_hl_shift(const double *x, size_t n1, const double *y, size_t n2,
		      struct ranktest_shift *out);

/* The relative change of y against x (y/x - 1) by Hodges–Lehmann on the logs
 * (all values > 0) or the raw shift over |median(x)| (see above). `out` holds
 * relative changes (0.05 = +5%). Returns 0, or -1 when a sample is empty, a
 * value is not finite, or the change is undefined (median(x) == 0). */
int ranktest_hl_ratio(const double *x, size_t n1, const double *y, size_t n2,
		      struct ranktest_shift *out);

/* Both of the above on one pair, sorting each sample once: the U test into
 * *test and the ratio into *ratio (*ratio_ok 0 when it is undefined).
 * Returns 0, or -1 when a sample is empty or a value is not finite. */
int ranktest_pair(const double *x, size_t n1, const double *y, size_t n2, struct ranktest *test,
		  struct ranktest_shift *ratio, int *ratio_ok);

/* Benjamini–Hochberg: writes the q-value of each of the n p-values to q
 * (same order; q may alias p). */
void ranktest_bh(const double *p, size_t n, double *q);

/* The exact null CDF of U, P(U <= k), for samples of m and n values without
 * ties; -1 when m * n > RANKTEST_EXACT_MAX_MN or m or n is 0. */
double ranktest_u_cdf(size_t m, size_t n, double k);

#endif
