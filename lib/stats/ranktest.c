/* ranktest: Mann–Whitney U, Hodges–Lehmann, Benjamini–Hochberg (see the
 * header for the definitions followed). */
#include "lib/stats/ranktest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/stats/stats.h"
#include "lib/base/xalloc.h"

typedef __int128 i128;

/* ---- exact null distribution of U ------------------------------------------ */

/* Counts c[0..m*n] of the ways U takes each value for samples of m and n
 * without ties: the coefficients of the Gaussian binomial [m+n choose m]_q,
 * built as prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i) in exact integers.
 * Returns a heap array (caller frees) or NULL when too large to count. */
static i128 *u_counts(size_t m, size_t n)
{
	if (!m || !n)
		return NULL;
	if (m > n) {
		size_t t = m;
		m = n;
		n = t;
	}
	if (m * n > RANKTEST_EXACT_MAX_MN || m * n / m != n)
		return NULL;
	/* the largest count is below C(m+n, m): keep it well inside 2^126 */
	if (lgamma((double)(m + n) + 1) - lgamma((double)m + 1) - lgamma((double)n + 1) >
	    85.0 /* ln(8e36) */)
		return NULL;
	size_t len = m * n + 1;
	i128 *c = xcalloc(len, sizeof(*c));
	c[0] = 1;
	size_t deg = 0;
	for (size_t i = 1; i <= m; i++) {
		size_t sh = n + i;
		size_t top = deg + sh; /* degree after the multiplication */
		if (top >= len)
			top = len - 1;
		for (size_t k = top; k >= sh; k--)
			c[k] -= c[k - sh];
		/* division by (1 - q^i): running sums with stride i */
		deg = i * n;
		for (size_t k = i; k <= deg; k++)
			c[k] += c[k - i];
		for (size_t k = deg + 1; k <= top; k++)
			c[k] = 0; /* exact division leaves nothing above deg */
	}
	return c;
}

static double counts_cdf(const i128 *c, size_t mn, double k)
{
	if (k < 0)
		return 0;
	if (k >= (double)mn)
		return 1;
	size_t kk = (size_t)floor(k);
	i128 below = 0, total = 0;
	for (size_t i = 0; i <= mn; i++) {
		total += c[i];
		if (i <= kk)
			below += c[i];
	}
	return (double)((long double)below / (long double)total);
}

double ranktest_u_cdf(size_t m, size_t n, double k)
{
	i128 *c = u_counts(m, n);
	if (!c)
		return -1;
	double r = counts_cdf(c, m * n, k);
	free(c);
	return r;
}

/* ---- the U test --------------------------------------------------------------- */

static int all_finite(const double *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return 0;
	return 1;
}

/* Finite and small enough that no difference of two overflows. */
static int all_bounded(const double *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(fabs(x[i]) <= 1e300))
			return 0;
	return 1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* A sorted copy of x (caller frees). */
static double *sorted_copy(const double *x, size_t n)
{
	double *c = xmalloc((n ? n : 1) * sizeof(*c));
	memcpy(c, x, n * sizeof(*c));
	qsort(c, n, sizeof(*c), cmp_double);
	return c;
}

/* The U test on sorted samples: the pooled ranks come from merging. */
static void mwu_sorted(const double *xs, size_t n1, const double *ys, size_t n2,
		       struct ranktest *out)
{
	memset(out, 0, sizeof(*out));
	double r1 = 0, tie_term = 0;
	size_t i = 0, j = 0, pos = 0; /* pos: values ranked so far */
	while (i < n1 || j < n2) {
		double v = j >= n2 || (i < n1 && xs[i] <= ys[j]) ? xs[i] : ys[j];
		size_t ti = 0, tj = 0;
		while (i < n1 && xs[i] == v) {
			i++;
			ti++;
		}
		while (j < n2 && ys[j] == v) {
			j++;
			tj++;
		}
		double t = (double)(ti + tj);
		double rank = (double)pos + (t + 1) / 2.0; /* average, 1-based */
		r1 += rank * (double)ti;
		if (ti + tj > 1) {
			out->ties = 1;
			tie_term += t * t * t - t;
		}
		pos += ti + tj;
	}
	double d1 = (double)n1, d2 = (double)n2, dn = (double)(n1 + n2);
	double u1 = r1 - d1 * (d1 + 1) / 2.0, u2 = d1 * d2 - u1;
	double u = u1 > u2 ? u1 : u2;
	out->u = u1;
	out->p = 1;
	if (!out->ties && (n1 <= 8 || n2 <= 8)) {
		i128 *c = u_counts(n1, n2);
		if (c) {
			/* P(U' >= u) = P(U' <= mn - u) by symmetry */
			double p = 2.0 * counts_cdf(c, n1 * n2, d1 * d2 - u);
			free(c);
			out->p = p > 1 ? 1 : p;
			out->exact = 1;
			return;
		}
	}
	double mu = d1 * d2 / 2.0;
	double sd = sqrt(d1 * d2 / 12.0 * ((dn + 1) - tie_term / (dn * (dn - 1))));
	double num = u - mu - 0.5;
	double p;
	if (!(sd > 0))
		p = num < 0 ? 1 : (num > 0 ? 0 : 1);
	else
		p = erfc(num / sd / sqrt(2.0)); /* 2 * sf(z) */
	out->p = p > 1 ? 1 : p;
}

int ranktest_mwu(const double *x, size_t n1, const double *y, size_t n2, struct ranktest *out)
{
	memset(out, 0, sizeof(*out));
	out->p = 1;
	if (!n1 || !n2 || !all_finite(x, n1) || !all_finite(y, n2))
		return -1;
	double *xs = sorted_copy(x, n1), *ys = sorted_copy(y, n2);
	mwu_sorted(xs, n1, ys, n2, out);
	free(xs);
	free(ys);
	return 0;
}

/* ---- Hodges–Lehmann --------------------------------------------------------- */

/* Walks the pairwise differences fl(y_j - x_i) of sorted xs, ys against d:
 * returns how many are <= d, and stores the largest one <= d in *below and
 * the smallest one > d in *above (left untouched when there is none). The
 * count for a fixed i is a prefix of ys whose length grows with i. */
static size_t diff_walk(const double *xs, size_t m, const double *ys, size_t n, double d,
			double *below, int *have_below, double *above, int *have_above)
{
	size_t j = 0, count = 0;
	*have_below = *have_above = 0;
	for (size_t i = 0; i < m; i++) {
		while (j < n && ys[j] - xs[i] <= d)
			j++;
		count += j;
		if (j > 0) {
			double v = ys[j - 1] - xs[i];
			if (!*have_below || v > *below)
				*below = v;
			*have_below = 1;
		}
		if (j < n) {
			double v = ys[j] - xs[i];
			if (!*have_above || v < *above)
				*above = v;
			*have_above = 1;
		}
	}
	return count;
}

/* The k-th smallest (1-based, 1 <= k <= m n) of the differences. The answer
 * lies in [lo, hi], both actual differences, with cl differences below lo
 * and ch at or below hi. Each step walks at a value inside and moves an end
 * to the nearest actual difference: the value is interpolated from the
 * counts (the empirical CDF of the differences is nearly linear locally, so
 * this converges in a few walks), falling back to bisection whenever the
 * candidate count did not at least halve, so the worst case stays within
 * twice the bisection's O(log of the value range) walks. */
static double kth_diff(const double *xs, size_t m, const double *ys, size_t n, size_t k)
{
	double lo = ys[0] - xs[m - 1], hi = ys[n - 1] - xs[0];
	size_t cl = 0, ch = m * n;
	double below = 0, above = 0;
	int hb, ha, bisect = 0;
	for (;;) {
		if (lo >= hi)
			return lo;
		double mid;
		if (bisect) {
			mid = lo * 0.5 + hi * 0.5;
		} else {
			double f = ((double)k - 0.5 - (double)cl) / (double)(ch - cl);
			mid = lo + (hi - lo) * f;
			if (!(mid > lo) || !(mid < hi))
				mid = lo * 0.5 + hi * 0.5;
		}
		if (!(mid < hi))
			mid = lo;
		size_t before = ch - cl;
		size_t c = diff_walk(xs, m, ys, n, mid, &below, &hb, &above, &ha);
		if (c >= k) {
			if (mid == lo)
				return lo; /* count(<= lo) >= k and the answer >= lo */
			hi = below;
			ch = c;
		} else {
			lo = above;
			cl = c;
		}
		bisect = !bisect && (ch - cl) * 2 > before;
	}
}

/* k for the CI: the smallest integer with P(U <= k) >= 0.025. */
static size_t ci_rank(size_t m, size_t n, int *exact, double *coverage)
{
	double mn = (double)m * (double)n;
	size_t k;
	*exact = 0;
	i128 *c = (m <= 8 || n <= 8) ? u_counts(m, n) : NULL;
	if (c) {
		i128 total = 0, run = 0;
		size_t len = m * n + 1;
		for (size_t i = 0; i < len; i++)
			total += c[i];
		for (k = 0; k < len; k++) {
			run += c[k];
			if ((long double)run / (long double)total >= 0.025L)
				break;
		}
		if (k == 0)
			k = 1; /* tiny samples: the full range, below 95% coverage */
		/* coverage of [D_(k), D_(mn+1-k)] is 1 - 2 P(U <= k - 1) */
		i128 below = 0;
		for (size_t i = 0; i < k; i++)
			below += c[i];
		*coverage = 1.0 - 2.0 * (double)((long double)below / (long double)total);
		*exact = 1;
		free(c);
		return k;
	}
	double mu = mn / 2.0;
	double sd = sqrt(mn * ((double)(m + n) + 1) / 12.0);
	/* P(U <= q) ~ Phi((q + 0.5 - mu) / sd) >= 0.025 */
	double q = ceil(mu - 0.5 - 1.959963984540054 * sd);
	if (q < 1)
		q = 1;
	k = (size_t)q;
	double z = ((double)k - 1 + 0.5 - mu) / sd; /* P(U <= k - 1) */
	*coverage = 1.0 - erfc(-z / sqrt(2.0));
	return k;
}

/* HL on sorted copies; xs and ys sorted ascending. */
static void hl_sorted(const double *xs, size_t m, const double *ys, size_t n,
		      struct ranktest_shift *o)
{
	size_t mn = m * n;
	if (mn % 2)
		o->estimate = kth_diff(xs, m, ys, n, (mn + 1) / 2);
	else
		o->estimate = kth_diff(xs, m, ys, n, mn / 2) * 0.5 +
			      kth_diff(xs, m, ys, n, mn / 2 + 1) * 0.5;
	int exact;
	double coverage;
	size_t k = ci_rank(m, n, &exact, &coverage);
	if (k > (mn + 1) / 2)
		k = (mn + 1) / 2;
	o->lo = kth_diff(xs, m, ys, n, k);
	o->hi = kth_diff(xs, m, ys, n, mn + 1 - k);
	o->exact = exact;
	o->coverage = coverage;
	o->ci_exact = coverage >= 0.95 - 1e-12;
}

int ranktest_hl_shift(const double *x, size_t n1, const double *y, size_t n2,
		      struct ranktest_shift *out)
{
	memset(out, 0, sizeof(*out));
	if (!n1 || !n2 || !all_bounded(x, n1) || !all_bounded(y, n2))
		return -1;
	double *xs = sorted_copy(x, n1), *ys = sorted_copy(y, n2);
	hl_sorted(xs, n1, ys, n2, out);
	free(xs);
	free(ys);
	return 0;
}

/* Logs of sorted positive values, in place, kept sorted (log is monotone,
 * but an insertion pass makes sure whatever the libm). */
static void log_sorted(double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		v[i] = log(v[i]);
	for (size_t i = 1; i < n; i++) {
		double t = v[i];
		size_t j = i;
		while (j > 0 && v[j - 1] > t) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = t;
	}
}

/* The ratio on sorted copies (xs, ys are modified when the logs are taken). */
static int ratio_sorted(double *xs, size_t n1, double *ys, size_t n2, struct ranktest_shift *out)
{
	memset(out, 0, sizeof(*out));
	if (xs[0] > 0 && ys[0] > 0) {
		log_sorted(xs, n1);
		log_sorted(ys, n2);
		hl_sorted(xs, n1, ys, n2, out);
		out->estimate = expm1(out->estimate);
		out->lo = expm1(out->lo);
		out->hi = expm1(out->hi);
		return 0;
	}
	double mx = stats_quantile_sorted(xs, n1, 0.5);
	if (mx == 0 || !all_bounded(xs, n1) || !all_bounded(ys, n2))
		return -1;
	hl_sorted(xs, n1, ys, n2, out);
	double a = fabs(mx);
	out->estimate /= a;
	out->lo /= a;
	out->hi /= a;
	return 0;
}

int ranktest_hl_ratio(const double *x, size_t n1, const double *y, size_t n2,
		      struct ranktest_shift *out)
{
	memset(out, 0, sizeof(*out));
	if (!n1 || !n2 || !all_finite(x, n1) || !all_finite(y, n2))
		return -1;
	double *xs = sorted_copy(x, n1), *ys = sorted_copy(y, n2);
	int rc = ratio_sorted(xs, n1, ys, n2, out);
	free(xs);
	free(ys);
	return rc;
}

int ranktest_pair(const double *x, size_t n1, const double *y, size_t n2, struct ranktest *test,
		  struct ranktest_shift *ratio, int *ratio_ok)
{
	memset(test, 0, sizeof(*test));
	memset(ratio, 0, sizeof(*ratio));
	test->p = 1;
	*ratio_ok = 0;
	if (!n1 || !n2 || !all_finite(x, n1) || !all_finite(y, n2))
		return -1;
	double *xs = sorted_copy(x, n1), *ys = sorted_copy(y, n2);
	mwu_sorted(xs, n1, ys, n2, test);
	*ratio_ok = ratio_sorted(xs, n1, ys, n2, ratio) == 0;
	free(xs);
	free(ys);
	return 0;
}

/* ---- Benjamini–Hochberg ------------------------------------------------------ */

struct pidx {
	double p;
	size_t i;
};

static int cmp_pidx(const void *pa, const void *pb)
{
	const struct pidx *a = pa, *b = pb;
	if (a->p != b->p)
		return (a->p > b->p) - (a->p < b->p);
	return (a->i > b->i) - (a->i < b->i);
}

void ranktest_bh(const double *p, size_t n, double *q)
{
	if (!n)
		return;
	struct pidx *s = xmalloc(n * sizeof(*s));
	for (size_t i = 0; i < n; i++)
		s[i] = (struct pidx){ p[i], i };
	qsort(s, n, sizeof(*s), cmp_pidx);
	double run = 1.0;
	for (size_t r = n; r-- > 0;) {
		double v = s[r].p * (double)n / (double)(r + 1);
		if (v < run)
			run = v;
		s[r].p = run;
	}
	for (size_t r = 0; r < n; r++)
		q[s[r].i] = s[r].p;
	free(s);
}
