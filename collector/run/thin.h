/* thin: bounds the number of per-message samples a benchmark keeps.
 *
 * Rule (rank thinning): when a benchmark measured n > max samples, the
 * samples are sorted and the `max` values at ranks round(i * (n-1) / (max-1)),
 * i = 0 .. max-1, are kept. The minimum and maximum are always kept and every
 * quantile of the kept set lies within 1/(max-1) of the same quantile of the
 * full set, so the median, p95, p99 and spread computed later from the kept
 * samples describe the full run. The order in which the messages were sent
 * is not kept (per-message order carries no meaning in a result). */
#ifndef BK_THIN_H
#define BK_THIN_H

#include <stddef.h>

/* Thins v (n values) in place to at most max values by the rule above and
 * returns the new count. n <= max leaves v as it is (unsorted) and returns
 * n; max == 0 means no limit; max == 1 keeps the median. */
size_t thin_samples(double *v, size_t n, size_t max);

#endif
