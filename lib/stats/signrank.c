/* signrank: paired signed-rank test and one-sample Hodges–Lehmann (see the
 * header for the definitions followed). */
#include "lib/stats/signrank.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/stats/stats.h"
#include "lib/base/xalloc.h"

/* Counts c[0..M] of the ways the positive rank sum takes each value for n
 * differences without ties (2^n in all). Caller frees. n <= 50 keeps every
 * count below 2^53: exact in doubles. */
static double *sr_counts(size_t n)
{
	size_t m = n * (n + 1) / 2;
	double *c = xcalloc(m + 1, sizeof(*c));
	c[0] = 1;
	size_t top = 0;
	for (size_t r = 1; r <= n; r++) {
		top += r;
		for (size_t s = top; s >= r; s--)
			c[s] += c[s - r];
	}
	return c;
}

static double sr_cdf_counts(const double *c, size_t n, double k)
{
	size_t m = n * (n + 1) / 2;
	if (k < 0)
		return 0;
	if (k >= (double)m)
		return 1;
	double below = 0;
	for (size_t s = 0; s <= (size_t)floor(k); s++)
		below += c[s];
	return below / ldexp(1.0, (int)n);
}

double signrank_cdf(size_t n, double k)
{
	if (!n || n > SIGNRANK_EXACT_MAX)
		return -1;
	double *c = sr_counts(n);
	double r = sr_cdf_counts(c, n, k);
	free(c);
	return r;
}

/* ---- Walsh averages of sorted d, selected without materialising them ---- */

static double walsh(const double *d, size_t i, size_t j)
{
	return (d[i] + d[j]) / 2;
}

/* Number of Walsh averages (i <= j) that are <= v, for ascending d. */
static size_t walsh_count(const double *d, size_t n, double v)
{
	size_t count = 0, j = n; /* j: one past the last partner of i */
	for (size_t i = 0; i < n; i++) {
		while (j > i && walsh(d, i, j - 1) > v)
			j--;
		if (j <= i)
			break;
		count += j - i;
	}
	return count;
}

/* The k-th smallest (1-based) Walsh average of ascending d[0..n). */
static double walsh_kth(const double *d, size_t n, size_t k)
{
	double lo = d[0], hi = d[n - 1];
	if (walsh_count(d, n, lo) >= k)
		return lo; /* the smallest Walsh average is d[0] itself */
	/* invariant: count(lo) < k <= count(hi) */
	for (int it = 0; it < 200; it++) {
		double mid = lo + (hi - lo) / 2;
		if (!(mid > lo && mid < hi))
			break;
		if (walsh_count(d, n, mid) >= k)
			hi = mid;
		else
			lo = mid;
	}
	/* the k-th is the smallest Walsh average above lo (nothing but copies
	 * of one value can lie between lo and hi now) */
	double best = hi;
	for (size_t i = 0; i < n; i++) {
		size_t a = i, b = n; /* first j >= i with walsh(i, j) > lo */
		while (a < b) {
			size_t mid = a + (b - a) / 2;
			if (walsh(d, i, mid) > lo)
				b = mid;
			else
				a = mid + 1;
		}
		if (a < n && walsh(d, i, a) < best)
			best = walsh(d, i, a);
	}
	return best;
}

/* ---- ranks --------------------------------------------------------------- */

struct absd {
	double a;
	int sign;
};

static int cmp_absd(const void *pa, const void *pb)
{
	const struct absd *x = pa, *y = pb;
	return (x->a > y->a) - (x->a < y->a);
}

/* Signed-rank statistics of the nonzero d: R+ into *rplus, the tie term
 * sum(t^3 - t) into *ties3; returns the number of nonzero differences. */
static size_t rank_sums(const double *d, size_t n, double *rplus, double *rminus,
			double *ties3)
{
	struct absd *v = xmalloc((n + 1) * sizeof(*v));
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (d[i] != 0) {
			v[m].a = fabs(d[i]);
			v[m++].sign = d[i] > 0;
		}
	qsort(v, m, sizeof(*v), cmp_absd);
	*rplus = *rminus = *ties3 = 0;
	for (size_t i = 0; i < m;) {
		size_t j = i;
		while (j + 1 < m && v[j + 1].a == v[i].a)
			j++;
		double rank = (double)(i + j) / 2 + 1, t = (double)(j - i + 1);
		*ties3 += t * t * t - t;
		for (size_t k = i; k <= j; k++)
			*(v[k].sign ? rplus : rminus) += rank;
		i = j + 1;
	}
	free(v);
	return m;
}

static void signed_rank_p(const double *d, size_t n, struct signrank *out)
{
	double rplus, rminus, ties3;
	size_t m = rank_sums(d, n, &rplus, &rminus, &ties3);
	out->t = fmin(rplus, rminus);
	out->p = 1;
	out->exact = 0;
	if (!m)
		return;
	if (m == n && m <= SIGNRANK_EXACT_MAX && ties3 == 0) {
		double *c = sr_counts(m);
		size_t total = m * (m + 1) / 2;
		out->exact = 1;
		if ((size_t)rplus != total / 2) {
			double less = sr_cdf_counts(c, m, rplus);
			double greater = 1 - sr_cdf_counts(c, m, rplus - 1);
			out->p = fmin(1, 2 * fmin(less, greater));
		}
		free(c);
		return;
	}
	double mm = (double)m;
	double mn = mm * (mm + 1) / 4;
	double se2 = (mm * (mm + 1) * (2 * mm + 1) - 0.5 * ties3) / 24;
	if (!(se2 > 0))
		return;
	double z = (out->t - mn) / sqrt(se2);
	out->p = fmin(1, erfc(fabs(z) / sqrt(2)));
}

/* Largest k with 2 P(T <= k - 1) <= 0.05 (0 when none). */
static size_t ci_rank(size_t n)
{
	size_t m = n * (n + 1) / 2;
	if (n <= SIGNRANK_EXACT_MAX) {
		double *c = sr_counts(n), cum = 0, all = ldexp(1.0, (int)n);
		size_t k = 0;
		for (size_t j = 0; j <= m / 2; j++) {
			cum += c[j];
			if (2 * cum / all > 0.05)
				break;
			k = j + 1;
		}
		free(c);
		return k;
	}
	double nn = (double)n;
	double sd = sqrt(nn * (nn + 1) * (2 * nn + 1) / 24);
	double j = floor((double)m / 2 - 0.5 - 1.959963984540054 * sd);
	return j < 0 ? 0 : (size_t)j + 1;
}

int signrank_paired(const double *base, const double *head, size_t n, struct signrank *out)
{
	memset(out, 0, sizeof(*out));
	out->p = 1;
	out->estimate = out->lo = out->hi = NAN;
	if (!n)
		return -1;
	double *d = xmalloc(n * sizeof(*d));
	for (size_t i = 0; i < n; i++) {
		if (!(base[i] > 0 && head[i] > 0 && isfinite(base[i]) && isfinite(head[i]))) {
			free(d);
			return -1;
		}
		d[i] = log(head[i]) - log(base[i]);
	}
	out->n = n;
	signed_rank_p(d, n, out);
	stats_sort(d, n);
	size_t m = n * (n + 1) / 2;
	/* the median of the M Walsh averages (mean of the middle two when M
	 * is even) */
	double a = walsh_kth(d, n, (m + 1) / 2), b = m % 2 ? a : walsh_kth(d, n, m / 2 + 1);
	out->estimate = (a + b) / 2;
	size_t k = ci_rank(n);
	if (k >= 1) {
		out->lo = walsh_kth(d, n, k);
		out->hi = walsh_kth(d, n, m + 1 - k);
		out->ci_exact = 1;
	} else {
		out->lo = d[0];
		out->hi = d[n - 1];
	}
	free(d);
	return 0;
}
