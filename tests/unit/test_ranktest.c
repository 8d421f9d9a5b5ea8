/* ranktest against values computed independently with scipy 1.10.1
 * (scipy.stats.mannwhitneyu(x, y, alternative="two-sided"): statistic and
 * p-value) and numpy (the Hodges–Lehmann estimate as the median of
 * np.subtract.outer(y, x); the CI as R's wilcox.test picks it:
 * [d_(k), d_(mn+1-k)] with k the smallest q where the exact CDF from
 * scipy's _mwu_state reaches 0.025, or the normal approximation with
 * continuity correction when both samples have more than 8 values).
 * The generator is in the comment at the end of this file. The live check
 * against scipy on random samples is tests/integration/compare.sh. */
#include <math.h>

#include "testutil.h"
#include "lib/stats/ranktest.h"

struct mwu_case {
	double x[16];
	size_t nx;
	double y[16];
	size_t ny;
	double u, p, est, lo, hi;
};

static const struct mwu_case cases[] = {
	/* exact_3v4 */ { {1.1, 2.3, 0.7}, 3, {3.2, 4.5, 2.9, 5.0}, 4, 0.0, 0.05714285714285714, 2.35, 0.6000000000000001, 4.3 },
	/* exact_5v5 */ { {10.2, 11.5, 9.8, 10.9, 10.4}, 5, {12.1, 10.6, 11.9, 12.8, 11.2}, 5, 3.0, 0.05555555555555555, 1.1999999999999993, -0.3000000000000007, 2.4000000000000004 },
	/* exact_8v12 */ { {0.81, 0.79, 0.8, 0.83, 0.78, 0.82, 0.85, 0.77}, 8, {0.86, 0.88, 0.84, 0.9, 0.87, 0.91, 0.89, 0.76, 0.93, 0.92, 0.95, 0.94}, 12, 9.0, 0.0015241724220052392, 0.08999999999999997, 0.050000000000000044, 0.12 },
	/* exact_4v4_extreme */ { {1.0, 2.0, 3.0, 4.0}, 4, {5.0, 6.0, 7.0, 8.0}, 4, 0.0, 0.02857142857142857, 4.0, 1.0, 7.0 },
	/* ties_small */ { {1.0, 2.0, 2.0, 3.0, 3.0}, 5, {2.0, 3.0, 3.0, 4.0, 5.0}, 5, 5.0, 0.1263793876085155, 1.0, 0.0, 3.0 },
	/* ties_9v9 */ { {5.0, 5.0, 6.0, 6.0, 7.0, 7.0, 8.0, 8.0, 9.0}, 9, {6.0, 7.0, 7.0, 8.0, 8.0, 9.0, 9.0, 10.0, 10.0}, 9, 19.0, 0.059600892372305675, 1.0, 0.0, 3.0 },
	/* normal_12v15 */ { {100.006, 101.494, 98.629, 95.547, 97.727, 95.042, 100.301, 106.701, 97.539, 96.898, 102.449, 101.784}, 12, {95.309, 97.317, 97.194, 102.242, 92.437, 103.056, 99.214, 108.468, 108.784, 110.961, 107.837, 103.735, 108.299, 111.527, 100.732}, 15, 55.0, 0.09229233903407319, 3.6980000000000004, -0.5330000000000013, 8.462000000000003 },
	/* all_tied */ { {3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0}, 10, {3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0}, 10, 50.0, 1.0, 0.0, 0.0, 0.0 },
};

/* p-values agree with scipy to rounding: relative 1e-12 */
static void assert_rel(double got, double want)
{
	if (!(fabs(got - want) <= 1e-12 * fabs(want) + 1e-300)) {
		print_error("got %.17g, want %.17g\n", got, want);
		fail();
	}
}

static void test_mwu_against_scipy(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct mwu_case *c = &cases[i];
		struct ranktest r;
		assert_int_equal(ranktest_mwu(c->x, c->nx, c->y, c->ny, &r), 0);
		assert_close(r.u, c->u, 0);
		assert_rel(r.p, c->p);
	}
}

static void test_mwu_method_choice(void **state)
{
	(void)state;
	struct ranktest r;
	/* no ties, a side <= 8: exact, like scipy's method="auto" */
	ranktest_mwu(cases[2].x, 8, cases[2].y, 12, &r);
	assert_true(r.exact);
	assert_false(r.ties);
	/* ties: normal approximation even for tiny samples */
	ranktest_mwu(cases[4].x, 5, cases[4].y, 5, &r);
	assert_false(r.exact);
	assert_true(r.ties);
	/* both > 8: normal approximation */
	ranktest_mwu(cases[6].x, 12, cases[6].y, 15, &r);
	assert_false(r.exact);
	/* 4 a side, completely separated: the smallest p a 4 v 4 test can give */
	ranktest_mwu(cases[3].x, 4, cases[3].y, 4, &r);
	assert_rel(r.p, 2.0 / 70.0);
	/* swapping the samples keeps p and mirrors U */
	struct ranktest s;
	ranktest_mwu(cases[1].y, 5, cases[1].x, 5, &s);
	assert_rel(s.p, cases[1].p);
	assert_close(s.u, 25 - cases[1].u, 0);
}

static void test_mwu_bad_input(void **state)
{
	(void)state;
	struct ranktest r;
	double x[] = { 1, 2 }, bad[] = { 1, NAN };
	assert_int_equal(ranktest_mwu(x, 0, x, 2, &r), -1);
	assert_close(r.p, 1, 0);
	assert_int_equal(ranktest_mwu(x, 2, bad, 2, &r), -1);
	/* one value each, different: exact, p = 1 */
	assert_int_equal(ranktest_mwu(x, 1, x + 1, 1, &r), 0);
	assert_close(r.p, 1, 0);
}

static void test_u_distribution(void **state)
{
	(void)state;
	/* P(U <= 0) = 1 / C(m+n, m); the CDF is symmetric */
	assert_rel(ranktest_u_cdf(4, 4, 0), 1.0 / 70);
	assert_rel(ranktest_u_cdf(3, 5, 1), 2.0 / 56);
	assert_rel(ranktest_u_cdf(6, 7, 20) + ranktest_u_cdf(6, 7, 21), 1.0); /* P(U<=k) = 1 - P(U<=mn-k-1) */
	assert_close(ranktest_u_cdf(5, 5, 25), 1, 0);
	/* 8 against 100,000 values is still counted exactly in 128-bit */
	double p = ranktest_u_cdf(8, 100000, 0);
	assert_true(p > 0 && p < 1e-30);
	assert_close(ranktest_u_cdf(8, 200000, 0), -1, 0); /* over the counting limit */
}

static void test_hodges_lehmann(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct mwu_case *c = &cases[i];
		struct ranktest_shift s;
		assert_int_equal(ranktest_hl_shift(c->x, c->nx, c->y, c->ny, &s), 0);
		assert_close(s.estimate, c->est, 1e-12);
		assert_close(s.lo, c->lo, 0);
		assert_close(s.hi, c->hi, 0);
		assert_true(s.lo <= s.estimate && s.estimate <= s.hi);
	}
	/* 3 v 4 cannot reach 95% coverage: flagged */
	struct ranktest_shift s;
	ranktest_hl_shift(cases[0].x, 3, cases[0].y, 4, &s);
	assert_false(s.ci_exact);
	assert_true(s.coverage < 0.95);
	ranktest_hl_shift(cases[2].x, 8, cases[2].y, 12, &s);
	assert_true(s.ci_exact);
	assert_true(s.exact);
	assert_true(s.coverage >= 0.95);
}

static void test_hl_ratio(void **state)
{
	(void)state;
	/* y is exactly x doubled: the ratio is 2, change +100%, the CI tight */
	double x[12], y[12];
	for (int i = 0; i < 12; i++) {
		x[i] = 1.0 + 0.01 * ((i * 7) % 12);
		y[i] = 2 * x[i];
	}
	struct ranktest_shift s;
	assert_int_equal(ranktest_hl_ratio(x, 12, y, 12, &s), 0);
	assert_close(s.estimate, 1.0, 1e-12);
	assert_true(s.lo > 0.9 && s.hi < 1.1 && s.lo <= 1.0 && s.hi >= 1.0);
	/* a sample <= 0: the raw shift over |median(x)| */
	double a[] = { -1, 0, 1, 2, 3 }, b[] = { 0, 1, 2, 3, 4 };
	assert_int_equal(ranktest_hl_ratio(a, 5, b, 5, &s), 0);
	assert_close(s.estimate, 1.0, 1e-12); /* shift 1 over median 1 */
	double z[] = { -1, 0, 1 };
	assert_int_equal(ranktest_hl_ratio(z, 3, b, 5, &s), -1); /* median 0 */
}

static void test_hl_large_and_tied(void **state)
{
	(void)state;
	/* 2000 v 2000 (4 million differences, never materialised) */
	size_t n = 2000;
	double *x = malloc(n * sizeof(double)), *y = malloc(n * sizeof(double));
	for (size_t i = 0; i < n; i++) {
		x[i] = (double)(i % 100);
		y[i] = (double)(i % 100) + 5; /* heavy ties in the differences */
	}
	struct ranktest_shift s;
	assert_int_equal(ranktest_hl_shift(x, n, y, n, &s), 0);
	assert_close(s.estimate, 5, 0);
	assert_true(s.lo <= 5 && s.hi >= 5 && s.ci_exact);
	free(x);
	free(y);
}

static void test_bh(void **state)
{
	(void)state;
	/* R: p.adjust(c(.01,.04,.03,.005,.2,.9,.04,.5), "BH") */
	const double p[] = { 0.01, 0.04, 0.03, 0.005, 0.2, 0.9, 0.04, 0.5 };
	const double want[] = { 0.04, 0.064, 0.064, 0.04, 0.26666666666666666, 0.9, 0.064,
				0.5714285714285714 };
	double q[8];
	ranktest_bh(p, 8, q);
	for (int i = 0; i < 8; i++)
		assert_close(q[i], want[i], 1e-15);
	/* in place, and capped at 1 */
	double r[] = { 0.9, 0.95, 1.0 };
	ranktest_bh(r, 3, r);
	assert_close(r[0], 1.0, 0);
	assert_close(r[2], 1.0, 0);
	ranktest_bh(NULL, 0, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mwu_against_scipy), cmocka_unit_test(test_mwu_method_choice),
		cmocka_unit_test(test_mwu_bad_input),	 cmocka_unit_test(test_u_distribution),
		cmocka_unit_test(test_hodges_lehmann),	 cmocka_unit_test(test_hl_ratio),
		cmocka_unit_test(test_hl_large_and_tied), cmocka_unit_test(test_bh),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Generator (python3 with scipy 1.10.1):
 *   import numpy as np, scipy.stats as st, math
 *   from scipy.stats._mannwhitneyu import _mwu_state
 *   r = st.mannwhitneyu(x, y, alternative="two-sided")      # u, p
 *   d = np.sort(np.subtract.outer(y, x).ravel()); mn = len(d)
 *   if min(len(x), len(y)) <= 8:
 *       k = max(1, int(np.argmax(_mwu_state.cdf(np.arange(mn+1), len(x), len(y)) >= 0.025)))
 *   else:
 *       k = max(1, math.ceil(mn/2 - 0.5 - 1.959963984540054*math.sqrt(mn*(len(x)+len(y)+1)/12)))
 *   est, lo, hi = np.median(d), d[k-1], d[mn-k]
 */
