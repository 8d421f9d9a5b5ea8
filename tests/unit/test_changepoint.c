/* Change-point detection (sitegen/changepoint.c) on synthetic histories with
 * known shifts (cp_synth.h). The Mann–Whitney p-values are checked against
 * the formula worked by hand: for [1..6] vs [7..12], U = 0, mean 18,
 * variance 6*6*13/12 = 39, z = (18 - 0.5)/sqrt(39) = 2.8023, p = erfc(z/sqrt 2)
 * = 0.005074 (scipy.stats.mannwhitneyu(..., method="asymptotic") agrees). */
#include <math.h>

#include "testutil.h"
#include "changepoint.h"
#include "cp_synth.h"

static void test_mw_p(void **state)
{
	(void)state;
	const double a[] = { 1, 2, 3, 4, 5, 6 }, b[] = { 7, 8, 9, 10, 11, 12 };
	assert_true(fabs(changepoint_mw_p(a, 6, b, 6) - 0.005074) < 2e-6);
	assert_true(fabs(changepoint_mw_p(b, 6, a, 6) - 0.005074) < 2e-6);
	/* identical samples: no evidence at all */
	assert_true(changepoint_mw_p(a, 6, a, 6) > 0.99);
	const double t[] = { 5, 5, 5 };
	assert_true(changepoint_mw_p(t, 3, t, 3) == 1.0);
	assert_true(changepoint_mw_p(a, 0, b, 6) == 1.0);
}

static void test_single_step(void **state)
{
	(void)state;
	double x[200];
	uint64_t s = 42;
	for (int i = 0; i < 200; i++)
		x[i] = (i < 120 ? 100 : 130) * (1 + 0.01 * cp_gauss(&s));
	struct changepoint *cp;
	size_t n;
	assert_int_equal(changepoint_detect(x, 200, NULL, &cp, &n), 0);
	assert_int_equal(n, 1);
	assert_true(cp[0].index >= 117 && cp[0].index <= 123);
	assert_true(fabs(cp[0].change - 0.30) < 0.02);
	assert_true(fabs(cp[0].before - 100) < 2 && fabs(cp[0].after - 130) < 2);
	assert_true(cp[0].p_value < 0.001);
	free(cp);
}

static void test_flat_noise_has_no_points(void **state)
{
	(void)state;
	double x[2000];
	size_t truth[1], total = 0;
	for (uint64_t seed = 1; seed <= 10; seed++) {
		for (int k = 0; k < CP_NOISE_KINDS; k++) {
			/* gap larger than the series: no true change */
			assert_int_equal(cp_synth(x, 2000, (enum cp_noise)k, 0.02, 0.1, 0.2, 5000, seed,
						  truth, 1), 0);
			struct changepoint *cp;
			size_t n;
			assert_int_equal(changepoint_detect(x, 2000, NULL, &cp, &n), 0);
			total += n;
			free(cp);
		}
	}
	/* 30 series of 2,000 noisy points (60,000 commits): at most one false
	 * alarm per 5,000 commits (measured: 7, all from bursts of the slow mode
	 * in the bimodal and heavy-tailed noise) */
	print_message("%zu false alarms in 60,000 points\n", total);
	assert_true(total <= 12);
}

static void test_f1_on_synthetic_histories(void **state)
{
	(void)state;
	enum { LEN = 800 };
	double x[LEN];
	size_t truth[LEN], found[LEN];
	size_t tp = 0, fp = 0, fn = 0;
	for (int k = 0; k < CP_NOISE_KINDS; k++)
		for (uint64_t seed = 1; seed <= 8; seed++) {
			size_t nt = cp_synth(x, LEN, (enum cp_noise)k, 0.01, 0.05, 0.60, 40, seed, truth, LEN);
			struct changepoint *cp;
			size_t n;
			assert_int_equal(changepoint_detect(x, LEN, NULL, &cp, &n), 0);
			for (size_t j = 0; j < n; j++) {
				found[j] = cp[j].index;
				if (j)
					assert_true(cp[j].index > cp[j - 1].index);
			}
			free(cp);
			cp_score(truth, nt, found, n, 3, &tp, &fp, &fn);
		}
	double p = (double)tp / (double)(tp + fp), r = (double)tp / (double)(tp + fn);
	double f1 = 2 * p * r / (p + r);
	print_message("F1 %.3f (precision %.3f, recall %.3f, %zu true points)\n", f1, p, r, tp + fn);
	assert_true(tp + fn > 100);
	assert_true(f1 >= 0.9);
}

static void test_edge_cases(void **state)
{
	(void)state;
	struct changepoint *cp = (void *)1;
	size_t n = 99;
	const double few[] = { 1, 1, 1, 9, 9, 9 };
	assert_int_equal(changepoint_detect(few, 6, NULL, &cp, &n), 0);
	assert_null(cp);
	assert_int_equal(n, 0);
	/* non-finite values: the series is not analysed */
	double x[40];
	for (int i = 0; i < 40; i++)
		x[i] = i < 20 ? 1 : 2;
	x[3] = NAN;
	assert_int_equal(changepoint_detect(x, 40, NULL, &cp, &n), 0);
	assert_int_equal(n, 0);
	/* zero and negative values: analysed on the raw scale */
	for (int i = 0; i < 40; i++)
		x[i] = i < 20 ? -1.0 - 0.01 * (i % 3) : 0.0 + 0.01 * (i % 3);
	assert_int_equal(changepoint_detect(x, 40, NULL, &cp, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(cp[0].index, 20);
	free(cp);
	/* invalid options */
	struct changepoint_opts o = CHANGEPOINT_OPTS_INIT;
	o.min_segment = 1;
	assert_int_equal(changepoint_detect(x, 40, &o, &cp, &n), -1);
	o = (struct changepoint_opts)CHANGEPOINT_OPTS_INIT;
	o.p_strict = 0.5;
	assert_int_equal(changepoint_detect(x, 40, &o, &cp, &n), -1);
}

static void test_min_effect(void **state)
{
	(void)state;
	/* a 1% shift with almost no noise is significant but below the 2% floor */
	double x[200];
	uint64_t s = 7;
	for (int i = 0; i < 200; i++)
		x[i] = (i < 100 ? 100 : 101) * (1 + 0.0005 * cp_gauss(&s));
	struct changepoint *cp;
	size_t n;
	assert_int_equal(changepoint_detect(x, 200, NULL, &cp, &n), 0);
	assert_int_equal(n, 0);
	struct changepoint_opts o = CHANGEPOINT_OPTS_INIT;
	o.min_effect = 0.002; /* e.g. instruction counts */
	assert_int_equal(changepoint_detect(x, 200, &o, &cp, &n), 0);
	assert_int_equal(n, 1);
	assert_true(cp[0].index >= 97 && cp[0].index <= 103);
	free(cp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mw_p),
		cmocka_unit_test(test_single_step),
		cmocka_unit_test(test_flat_noise_has_no_points),
		cmocka_unit_test(test_f1_on_synthetic_histories),
		cmocka_unit_test(test_edge_cases),
		cmocka_unit_test(test_min_effect),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
