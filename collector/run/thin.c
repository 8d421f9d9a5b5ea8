#include "collector/run/thin.h"

#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

size_t thin_samples(double *v, size_t n, size_t max)
{
	if (max == 0 || n <= max)
		return n;
	qsort(v, n, sizeof(*v), cmp_double);
	if (max == 1) {
		v[0] = v[(n - 1) / 2];
		return 1;
	}
	/* ranks grow strictly (n > max), so each read is at or after its
	 * write position: copying forward in place is safe */
	for (size_t i = 0; i < max; i++) {
		size_t rank = (size_t)(((double)i * (double)(n - 1)) / (double)(max - 1) + 0.5);
		if (rank > n - 1)
			rank = n - 1;
		v[i] = v[rank];
	}
	return max;
}
