/* select: the k-th smallest of an array and the median by selection
 * (Wirth's algorithm, average O(n)) instead of a full sort, for the
 * change-point and machine-factor code. Header-only; nothing allocated. */
#ifndef BK_SELECT_H
#define BK_SELECT_H

#include <stddef.h>

/* The k-th smallest (0-based, k < n) of a[0..n). Reorders a so that
 * a[0..k) <= a[k] <= a[k+1..n). NaN-free input only. */
static inline double select_kth(double *a, size_t n, size_t k)
{
	ptrdiff_t l = 0, m = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;
	while (l < m) {
		double x = a[kk];
		ptrdiff_t i = l, j = m;
		do {
			while (a[i] < x)
				i++;
			while (x < a[j])
				j--;
			if (i <= j) {
				double t = a[i];
				a[i] = a[j];
				a[j] = t;
				i++;
				j--;
			}
		} while (i <= j);
		if (j < kk)
			l = i;
		if (kk < i)
			m = j;
	}
	return a[kk];
}

/* The median of a[0..n), n > 0, exactly as stats_quantile_sorted(sorted a,
 * n, 0.5) computes it (lower + 0.5 * (upper - lower) for even n). Reorders a. */
static inline double select_median(double *a, size_t n)
{
	double hi = select_kth(a, n, n / 2);
	if (n % 2)
		return hi;
	double lo = a[0];
	for (size_t i = 1; i < n / 2; i++)
		lo = a[i] > lo ? a[i] : lo;
	return lo + 0.5 * (hi - lo);
}

#endif
