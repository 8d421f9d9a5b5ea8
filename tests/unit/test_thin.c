/* thin_samples: the rank-thinning rule documented in collector/run/thin.h. */
#include "testutil.h"
#include "lib/stats/stats.h"
#include "collector/run/thin.h"

#include <math.h>

static void test_small_untouched(void **state)
{
	(void)state;
	double v[] = { 3, 1, 2 };
	assert_int_equal(thin_samples(v, 3, 3), 3);
	assert_true(v[0] == 3 && v[1] == 1 && v[2] == 2); /* not even sorted */
	assert_int_equal(thin_samples(v, 3, 0), 3);        /* 0: no limit */
}

static void test_keeps_min_max_and_ranks(void **state)
{
	(void)state;
	/* 0..100 shuffled; thinned to 11 keeps 0,10,20,...,100 */
	double v[101];
	for (int i = 0; i < 101; i++)
		v[i] = (double)((i * 37) % 101);
	assert_int_equal(thin_samples(v, 101, 11), 11);
	for (int i = 0; i < 11; i++)
		assert_true(v[i] == 10.0 * i);
}

static void test_rounding(void **state)
{
	(void)state;
	/* n=10, max=4: ranks round(i*9/3) = 0,3,6,9 */
	double v[10] = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 };
	assert_int_equal(thin_samples(v, 10, 4), 4);
	assert_true(v[0] == 0 && v[1] == 3 && v[2] == 6 && v[3] == 9);
	/* n=5, max=3: ranks round(i*4/2) = 0,2,4 */
	double w[5] = { 50, 10, 40, 20, 30 };
	assert_int_equal(thin_samples(w, 5, 3), 3);
	assert_true(w[0] == 10 && w[1] == 30 && w[2] == 50);
}

static void test_max_one_is_median(void **state)
{
	(void)state;
	double v[] = { 5, 1, 4, 2, 3 };
	assert_int_equal(thin_samples(v, 5, 1), 1);
	assert_true(v[0] == 3);
}

static void test_quantiles_preserved(void **state)
{
	(void)state;
	/* a skewed latency-like distribution of 100000 values thinned to 1000:
	 * the median and p99 stay within one kept rank of the full set's */
	size_t n = 100000;
	double *v = malloc(n * sizeof(*v)), *full = malloc(n * sizeof(*v));
	unsigned long long x = 88172645463325252ULL;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		double u = (double)(x >> 11) / 9007199254740992.0;
		v[i] = full[i] = 100.0 - 20.0 * log(1.0 - u); /* exponential tail */
	}
	struct bk_stats a, b;
	stats_compute(full, n, &a);
	assert_int_equal(thin_samples(v, n, 1000), 1000);
	stats_compute(v, 1000, &b);
	assert_true(b.min == a.min && b.max == a.max);
	assert_true(fabs(b.median - a.median) / a.median < 0.005);
	assert_true(fabs(b.p99 - a.p99) / a.p99 < 0.02);
	assert_true(fabs(b.mean - a.mean) / a.mean < 0.01);
	for (size_t i = 1; i < 1000; i++)
		assert_true(v[i - 1] <= v[i]);
	free(v);
	free(full);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_untouched),
		cmocka_unit_test(test_keeps_min_max_and_ranks),
		cmocka_unit_test(test_rounding),
		cmocka_unit_test(test_max_one_is_median),
		cmocka_unit_test(test_quantiles_preserved),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
