/* Change-point detection (sitegen/analysis/changepoint.c) on synthetic histories with
 * known shifts (cp_synth.h). The Mann–Whitney p-values are checked against
 * the formula worked by hand: for [1..6] vs [7..12], U = 0, mean 18,
 * variance 6*6*13/12 = 39, z = (18 - 0.5)/sqrt(39) = 2.8023, p = erfc(z/sqrt 2)
 * = 0.005074 (scipy.stats.mannwhitneyu(..., method="asymptotic") agrees). */
#include <math.h>

#include "testutil.h"
#include "sitegen/analysis/changepoint.h"
#include "sitegen/analysis/machinefactor.h"
#include "cp_synth.h"
#include "cp_synth2.h"

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

static void test_noise_estimate(void **state)
{
	(void)state;
	enum { N = 2000 };
	double *x = malloc(N * sizeof(double));
	uint64_t s = 11;
	/* lognormal 3%: the estimate is within 10% */
	for (int i = 0; i < N; i++)
		x[i] = 5e-3 * exp(0.03 * cp_gauss(&s));
	double n0 = changepoint_noise(x, N);
	assert_true(fabs(n0 - 0.03) < 0.003);
	/* steps of 40% and 2% of outliers at +100% barely move it */
	for (int i = 0; i < N; i++) {
		x[i] *= i < 700 ? 1 : i < 1400 ? 1.4 : 0.8;
		if (i % 50 == 7)
			x[i] *= 2;
	}
	assert_true(fabs(changepoint_noise(x, N) - n0) < 0.003);
	/* the scale does not matter; raw values when not all positive */
	for (int i = 0; i < N; i++)
		x[i] *= 1e6;
	assert_true(fabs(changepoint_noise(x, N) - n0) < 0.003);
	for (int i = 0; i < N; i++)
		x[i] = (i % 2 ? 1.0 : -1.0) * 0 + 0.5 * cp_gauss(&s);
	assert_true(fabs(changepoint_noise(x, N) - 0.5) < 0.05);
	/* too short or not finite: NaN; constant: 0 */
	assert_true(isnan(changepoint_noise(x, 2)));
	x[5] = NAN;
	assert_true(isnan(changepoint_noise(x, N)));
	for (int i = 0; i < N; i++)
		x[i] = 7;
	assert_true(changepoint_noise(x, N) == 0);
	free(x);
}

/* Precision and recall of detection on the series x[j * n ..] against
 * truth (per series, stride ts), after dividing out the machine factor. */
static void detect_all(double *x, size_t ns, size_t n, const size_t *truth, size_t ts,
		       const size_t *nt, size_t *tp, size_t *fp, size_t *fn)
{
	uint32_t *run = malloc(n * sizeof(uint32_t));
	double *f = malloc(n * sizeof(double));
	struct mf_series *mf = calloc(ns + 1, sizeof(*mf));
	size_t *found = malloc(n * sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		run[i] = (uint32_t)i;
		f[i] = 1;
	}
	for (size_t j = 0; j < ns; j++)
		mf[j] = (struct mf_series){ x + j * n, run, n, 0 };
	machine_factor_estimate(mf, ns, n, f);
	for (size_t j = 0; j < ns; j++) {
		for (size_t i = 0; i < n; i++)
			x[j * n + i] /= f[i];
		struct changepoint *cp;
		size_t ncp;
		assert_int_equal(changepoint_detect(x + j * n, n, NULL, &cp, &ncp), 0);
		for (size_t k = 0; k < ncp; k++)
			found[k] = cp[k].index;
		free(cp);
		cp_score(truth + j * ts, nt[j], found, ncp, 3, tp, fp, fn);
	}
	free(run);
	free(f);
	free(mf);
	free(found);
}

/* The second generator (cp_synth2.h: lognormal noise of 1-5% per series,
 * steps of 5-60%, a noisy neighbour shared by the series): 4 histories of
 * 50 series x 600 commits, half of the series with steps (so that there are
 * enough of them to count). */
static void test_second_generator(void **state)
{
	(void)state;
	size_t tp = 0, fp = 0, fn = 0;
	for (uint64_t seed = 1; seed <= 4; seed++) {
		struct cp2_opts o = CP2_OPTS_INIT(50, 600, seed);
		o.stepped = 0.5;
		struct cp2_history h;
		cp2_generate(&h, &o);
		detect_all(h.x, h.ns, h.n, h.truth, 2, h.ntruth, &tp, &fp, &fn);
		cp2_release(&h);
	}
	double p = (double)tp / (double)(tp + fp), r = (double)tp / (double)(tp + fn);
	print_message("cp_synth2: precision %.3f, recall %.3f (%zu true points, %zu false)\n", p, r,
		      tp + fn, fp);
	assert_true(tp + fn > 80);
	assert_true(p >= 0.95 && r >= 0.95);
}

/* cp_synth.h with a noisy neighbour (cp_neighbour): 50 series x 600 commits
 * per noise kind at 1%. */
static void test_noisy_neighbour(void **state)
{
	(void)state;
	enum { NS = 50, LEN = 600 };
	double *x = malloc(NS * LEN * sizeof(double)), f[LEN];
	size_t *truth = malloc(NS * LEN * sizeof(size_t)), nt[NS];
	for (int k = 0; k < CP_NOISE_KINDS; k++) {
		size_t tp = 0, fp = 0, fn = 0;
		cp_neighbour(f, LEN, 0.02, (uint64_t)k + 1);
		for (size_t j = 0; j < NS; j++) {
			nt[j] = cp_synth(x + j * LEN, LEN, (enum cp_noise)k, 0.01, 0.05, 0.60, 40,
					 100 * ((uint64_t)k + 1) + j, truth + j * LEN, LEN);
			for (size_t i = 0; i < LEN; i++)
				x[j * LEN + i] *= f[i];
		}
		detect_all(x, NS, LEN, truth, LEN, nt, &tp, &fp, &fn);
		double p = (double)tp / (double)(tp + fp), r = (double)tp / (double)(tp + fn);
		print_message("noise kind %d with a noisy neighbour: precision %.3f, recall %.3f\n", k,
			      p, r);
		assert_true(p >= 0.95 && r >= 0.95);
	}
	free(x);
	free(truth);
}

/* Flat series with a noisy neighbour: the false alarms do not grow with the
 * history (none in 40 series of 600, nor of 3,000 commits). */
static void test_flat_long_histories(void **state)
{
	(void)state;
	static const size_t lens[] = { 600, 3000 };
	for (size_t l = 0; l < 2; l++) {
		struct cp2_opts o = CP2_OPTS_INIT(40, lens[l], 7);
		o.stepped = 0;
		struct cp2_history h;
		cp2_generate(&h, &o);
		size_t tp = 0, fp = 0, fn = 0;
		detect_all(h.x, h.ns, h.n, h.truth, 2, h.ntruth, &tp, &fp, &fn);
		print_message("%zu commits: %zu false alarms in 40 flat series\n", lens[l], fp);
		assert_int_equal(fp, 0);
		cp2_release(&h);
	}
}

/* The machine factor: slow runs shared by every series are found and
 * divided out; a level shift that every series takes at once (a real
 * regression of the whole suite) is not; fewer than 5 series: nothing. */
static void test_machine_factor(void **state)
{
	(void)state;
	enum { NS = 20, LEN = 300 };
	double *x = malloc(NS * LEN * sizeof(double)), f[LEN], est[LEN];
	uint32_t run[LEN];
	struct mf_series mf[NS];
	uint64_t s = 5;
	for (size_t i = 0; i < LEN; i++) {
		run[i] = (uint32_t)i;
		f[i] = 1;
		est[i] = 1;
	}
	f[50] = 1.3;                            /* one slow run */
	f[120] = f[121] = f[122] = f[123] = 1.15; /* a burst */
	for (size_t j = 0; j < NS; j++) {
		double sigma = 0.01 + 0.002 * (double)j;
		for (size_t i = 0; i < LEN; i++)
			x[j * LEN + i] = 1e-3 * (i >= 200 ? 1.25 : 1) * exp(sigma * cp_gauss(&s)) * f[i];
		mf[j] = (struct mf_series){ x + j * LEN, run, LEN, 0 };
	}
	assert_int_equal(machine_factor_estimate(mf, NS, LEN, est), 5);
	for (size_t i = 0; i < LEN; i++) {
		if (f[i] == 1)
			assert_true(est[i] == 1);
		else /* within two standard errors (20 series of 1-5% noise) */
			assert_true(fabs(log(est[i] / f[i])) < 0.015);
	}
	/* a rate (bigger is better) sees a slow run as lower values */
	for (size_t j = 0; j < NS; j += 2) {
		for (size_t i = 0; i < LEN; i++)
			x[j * LEN + i] = 1 / x[j * LEN + i];
		mf[j].inverse = 1;
	}
	for (size_t i = 0; i < LEN; i++)
		est[i] = 1;
	assert_int_equal(machine_factor_estimate(mf, NS, LEN, est), 5);
	assert_true(fabs(log(est[50] / 1.3)) < 0.015);
	/* 4 series are too few */
	for (size_t i = 0; i < LEN; i++)
		est[i] = 1;
	assert_int_equal(machine_factor_estimate(mf, 4, LEN, est), 0);
	free(x);
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
		cmocka_unit_test(test_noise_estimate),
		cmocka_unit_test(test_machine_factor),
		cmocka_unit_test(test_second_generator),
		cmocka_unit_test(test_noisy_neighbour),
		cmocka_unit_test(test_flat_long_histories),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
