/* Statistics against values computed independently with numpy/scipy:
 *   x = [3.1, 2.7, 9.4, 1.2, 5.5, 5.5, 0.3]
 *   np.mean(x) = 3.9571428571428577, np.median(x) = 3.1,
 *   statistics.stdev(x) = 3.100460795245949,
 *   np.percentile(x, 95) = 8.23, np.percentile(x, 99) = 9.166
 * and the order-statistic median CI ranks from scipy.stats.binom:
 *   n=6 -> (1,6), 10 -> (2,9), 20 -> (6,15), 100 -> (40,61). */
#include <math.h>

#include "testutil.h"
#include "lib/stats/stats.h"

static void test_descriptive(void **state)
{
	(void)state;
	const double x[] = { 3.1, 2.7, 9.4, 1.2, 5.5, 5.5, 0.3 };
	struct bk_stats s;
	stats_compute(x, 7, &s);
	assert_int_equal(s.n, 7);
	assert_close(s.mean, 3.9571428571428577, 1e-12);
	assert_close(s.median, 3.1, 1e-12);
	assert_close(s.stddev, 3.100460795245949, 1e-12);
	assert_close(s.min, 0.3, 0);
	assert_close(s.max, 9.4, 0);
	assert_close(s.p95, 8.23, 1e-12);
	assert_close(s.p99, 9.166, 1e-12);
	/* the input is left untouched */
	assert_close(x[0], 3.1, 0);
}

static void test_even_median_and_quantiles(void **state)
{
	(void)state;
	double x[10];
	for (int i = 0; i < 10; i++)
		x[i] = 10 - i; /* 10..1 */
	struct bk_stats s;
	stats_compute(x, 10, &s);
	assert_close(s.median, 5.5, 1e-12);
	assert_close(s.p95, 9.55, 1e-12);
	assert_close(s.p99, 9.91, 1e-12);
	assert_close(s.stddev, 3.0276503540974917, 1e-12);
	/* CI ranks (2, 9) of the sorted sample 1..10 */
	assert_true(s.ci_exact);
	assert_close(s.ci_low, 2, 0);
	assert_close(s.ci_high, 9, 0);
}

static void test_ci_ranks(void **state)
{
	(void)state;
	size_t lo, hi;
	assert_false(stats_median_ci_ranks(5, &lo, &hi));
	assert_int_equal(lo, 1);
	assert_int_equal(hi, 5);
	assert_true(stats_median_ci_ranks(6, &lo, &hi));
	assert_int_equal(lo, 1);
	assert_int_equal(hi, 6);
	assert_true(stats_median_ci_ranks(20, &lo, &hi));
	assert_int_equal(lo, 6);
	assert_int_equal(hi, 15);
	assert_true(stats_median_ci_ranks(100, &lo, &hi));
	assert_int_equal(lo, 40);
	assert_int_equal(hi, 61);
}

static void test_small_and_empty(void **state)
{
	(void)state;
	struct bk_stats s;
	stats_compute(NULL, 0, &s);
	assert_int_equal(s.n, 0);
	assert_close(s.median, 0, 0);
	const double one[] = { 42 };
	stats_compute(one, 1, &s);
	assert_close(s.mean, 42, 0);
	assert_close(s.median, 42, 0);
	assert_close(s.p99, 42, 0);
	assert_close(s.stddev, 0, 0);
	assert_false(s.ci_exact);
	assert_close(s.ci_low, 42, 0);
}

static void test_numerically_stable_variance(void **state)
{
	(void)state;
	/* large offset: a naive sum-of-squares would lose all precision */
	const double x[] = { 1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16 };
	struct bk_stats s;
	stats_compute(x, 4, &s);
	assert_close(s.stddev, sqrt(30.0), 1e-6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_descriptive),
		cmocka_unit_test(test_even_median_and_quantiles),
		cmocka_unit_test(test_ci_ranks),
		cmocka_unit_test(test_small_and_empty),
		cmocka_unit_test(test_numerically_stable_variance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
