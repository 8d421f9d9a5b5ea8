#include "lib/stats/stats.h"
#include "lib/base/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

void stats_sort(double *x, size_t n)
{
	qsort(x, n, sizeof(*x), cmp_double);
}

double stats_quantile_sorted(const double *s, size_t n, double p)
{
	if (n == 0)
		return 0;
	if (p <= 0)
		return s[0];
	if (p >= 1)
		return s[n - 1];
	double h = (double)(n - 1) * p;
	size_t i = (size_t)floor(h);
	double f = h - (double)i;
	if (i + 1 >= n)
		return s[n - 1];
	return s[i] + f * (s[i + 1] - s[i]);
}

double stats_median(const double *x, size_t n)
{
	if (n == 0)
		return 0;
	double *c = xmalloc(n * sizeof(*c));
	memcpy(c, x, n * sizeof(*c));
	stats_sort(c, n);
	double m = stats_quantile_sorted(c, n, 0.5);
	free(c);
	return m;
}

/* log of the binomial pmf C(n,k)/2^n */
static double log_binom_half(size_t n, size_t k)
{
	return lgamma((double)n + 1) - lgamma((double)k + 1) - lgamma((double)(n - k) + 1) -
	       (double)n * log(2.0);
}

int stats_median_ci_ranks(size_t n, size_t *lo, size_t *hi)
{
	*lo = 1;
	*hi = n;
	if (n < 6)
		return 0;
	/* Coverage of [x_(j), x_(n+1-j)] is P(j <= B <= n-j) = 1 - 2 P(B <= j-1).
	 * Find the largest j whose coverage is still >= 0.95. */
	double tail = 0; /* P(B <= j-1) */
	size_t best = 0;
	for (size_t j = 1; j <= n / 2; j++) {
		tail += exp(log_binom_half(n, j - 1));
		if (1.0 - 2.0 * tail >= 0.95 - 1e-12)
			best = j;
		else
			break;
	}
	if (!best)
		return 0;
	*lo = best;
	*hi = n + 1 - best;
	return 1;
}

void stats_compute(const double *x, size_t n, struct bk_stats *o)
{
	memset(o, 0, sizeof(*o));
	o->n = n;
	if (n == 0)
		return;
	double *s = xmalloc(n * sizeof(*s));
	memcpy(s, x, n * sizeof(*s));
	stats_sort(s, n);
	/* Welford for a numerically stable mean and variance */
	double mean = 0, m2 = 0;
	for (size_t i = 0; i < n; i++) {
		double d = x[i] - mean;
		mean += d / (double)(i + 1);
		m2 += d * (x[i] - mean);
	}
	o->mean = mean;
	o->stddev = n > 1 ? sqrt(m2 / (double)(n - 1)) : 0;
	o->min = s[0];
	o->max = s[n - 1];
	o->median = stats_quantile_sorted(s, n, 0.5);
	o->p95 = stats_quantile_sorted(s, n, 0.95);
	o->p99 = stats_quantile_sorted(s, n, 0.99);
	size_t lo, hi;
	o->ci_exact = stats_median_ci_ranks(n, &lo, &hi);
	o->ci_low = s[lo - 1];
	o->ci_high = s[hi - 1];
	free(s);
}
