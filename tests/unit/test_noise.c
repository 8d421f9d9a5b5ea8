/* lib/stats/signrank.c and lib/verdict/noise.c against reference values computed with
 * scipy 1.10.1 and numpy by tests/fixtures/stats/make_reference.py (saved in
 * tests/fixtures/stats/reference.json): the signed-rank p-value
 * (scipy.stats.wilcoxon), the one-sample Hodges–Lehmann estimate and its
 * interval (all Walsh averages, scipy's exact signed-rank distribution),
 * Student's t tail and quantile (scipy.stats.t), the run-to-run spread of a
 * history and the within-run standard error. */
#include <math.h>

#include "testutil.h"
#include "lib/doc/json.h"
#include "lib/verdict/noise.h"
#include "lib/doc/result.h"
#include "lib/stats/signrank.h"
#include "lib/base/xalloc.h"

static cJSON *reference(void)
{
	const char *root = getenv("BK_ROOT") ? getenv("BK_ROOT") : ".";
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/fixtures/stats/reference.json", root);
	cJSON *j = json_parse_file(path);
	if (!j)
		fail_msg("cannot read %s (run from the repository root or set BK_ROOT)", path);
	return j;
}

/* A JSON array of numbers as a heap array (caller frees); *n its length. */
static double *numbers(const cJSON *a, size_t *n)
{
	*n = (size_t)cJSON_GetArraySize(a);
	double *v = xmalloc((*n + 1) * sizeof(*v));
	size_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, a)
		v[i++] = e->valuedouble;
	return v;
}

static double num(const cJSON *o, const char *k)
{
	double v;
	if (json_get_number(o, k, &v) <= 0)
		fail_msg("reference: no number '%s'", k);
	return v;
}

static void rel_close(double got, double want, double tol, const char *what, int i)
{
	double err = fabs(got - want) / fmax(fabs(want), 1e-300);
	if (!(err <= tol) && !(fabs(got - want) <= 1e-15))
		fail_msg("%s case %d: got %.17g, want %.17g (relative error %.2g)", what, i, got, want,
			 err);
}

static void test_signrank_against_scipy(void **state)
{
	(void)state;
	cJSON *ref = reference();
	const cJSON *c;
	int i = 0, exact = 0, approx = 0;
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(ref, "signrank")) {
		size_t n, n2;
		double *b = numbers(cJSON_GetObjectItem(c, "base"), &n);
		double *h = numbers(cJSON_GetObjectItem(c, "head"), &n2);
		assert_int_equal(n, n2);
		struct signrank sr;
		assert_int_equal(signrank_paired(b, h, n, &sr), 0);
		assert_int_equal(sr.n, n);
		rel_close(sr.p, num(c, "p"), 1e-9, "signed-rank p", i);
		rel_close(sr.estimate, num(c, "estimate"), 1e-12, "HL estimate", i);
		rel_close(sr.lo, num(c, "lo"), 1e-12, "HL low", i);
		rel_close(sr.hi, num(c, "hi"), 1e-12, "HL high", i);
		assert_int_equal(sr.ci_exact, cJSON_IsTrue(cJSON_GetObjectItem(c, "ci_exact")));
		assert_true(sr.lo <= sr.estimate && sr.estimate <= sr.hi);
		exact += sr.exact;
		approx += !sr.exact;
		free(b);
		free(h);
		i++;
	}
	assert_true(i >= 50 && exact >= 10 && approx >= 10);
	/* bad input */
	double one = 1, zero = 0;
	struct signrank sr;
	assert_int_equal(signrank_paired(&one, &zero, 1, &sr), -1);
	assert_int_equal(signrank_paired(&one, &one, 0, &sr), -1);
	/* the exact CDF: P(T <= 0) = 2^-n, symmetric, 1 at the top */
	assert_close(signrank_cdf(10, 0), 1.0 / 1024, 1e-15);
	assert_close(signrank_cdf(10, 54), 1 - signrank_cdf(10, 0), 1e-15);
	assert_close(signrank_cdf(10, 55), 1, 0);
	assert_true(signrank_cdf(51, 3) < 0);
	cJSON_Delete(ref);
}

static void test_t_against_scipy(void **state)
{
	(void)state;
	cJSON *ref = reference();
	const cJSON *c;
	int i = 0;
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(ref, "t")) {
		const cJSON *dj = cJSON_GetObjectItem(c, "df");
		double df = cJSON_IsString(dj) ? INFINITY : dj->valuedouble;
		if (cJSON_GetObjectItem(c, "two_sided"))
			rel_close(noise_t_two_sided(num(c, "t"), df), num(c, "two_sided"), 1e-9,
				  "t two-sided tail", i);
		else
			rel_close(noise_t_quantile(num(c, "p"), df), num(c, "quantile"), 1e-8,
				  "t quantile", i);
		i++;
	}
	assert_true(i > 100);
	assert_close(noise_t_quantile(0.5, 3), 0, 0);
	assert_close(noise_t_quantile(0.025, 7), -noise_t_quantile(0.975, 7), 1e-12);
	assert_true(isnan(noise_t_quantile(1, 3)));
	cJSON_Delete(ref);
}

static void test_history_spread_against_numpy(void **state)
{
	(void)state;
	cJSON *ref = reference();
	const cJSON *c;
	int i = 0, set_aside = 0;
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(ref, "locations")) {
		size_t n;
		double *loc = numbers(cJSON_GetObjectItem(c, "loc"), &n);
		struct bk_noise nz;
		assert_int_equal(noise_from_locations(loc, n, &nz), 0);
		assert_int_equal(nz.runs, (long)num(c, "runs"));
		set_aside += nz.runs < (long)n;
		rel_close(nz.center, num(c, "center"), 1e-12, "history center", i);
		rel_close(nz.spread, num(c, "spread"), 1e-10, "history spread", i);
		free(loc);
		i++;
	}
	assert_true(i >= 30 && set_aside > 0);
	/* too few runs, or a value that has no log */
	double two[2] = { 1, 2 }, bad[3] = { 1, 0, 2 };
	struct bk_noise nz;
	assert_int_equal(noise_from_locations(two, 2, &nz), -1);
	assert_int_equal(noise_from_locations(bad, 3, &nz), -1);
	assert_int_equal(nz.runs, 0);
	cJSON_Delete(ref);
}

static void test_within_against_numpy(void **state)
{
	(void)state;
	cJSON *ref = reference();
	const cJSON *c;
	int i = 0, with_rounds = 0;
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(ref, "within")) {
		size_t n;
		double *s = numbers(cJSON_GetObjectItem(c, "samples"), &n);
		struct bk_benchmark b;
		memset(&b, 0, sizeof(b));
		const cJSON *rj = cJSON_GetObjectItem(c, "rounds");
		size_t k = 0;
		const cJSON *e;
		cJSON_ArrayForEach(e, rj)
			bench_add_sample_round(&b, s[k], (unsigned)e->valuedouble), k++;
		if (!cJSON_IsArray(rj))
			for (k = 0; k < n; k++)
				bench_add_sample(&b, s[k]);
		size_t rounds;
		rel_close(noise_within_se(&b, &rounds), num(c, "se"), 1e-10, "within-run SE", i);
		assert_int_equal(rounds, (size_t)num(c, "rounds_used"));
		with_rounds += rounds > 0;
		bench_release(&b);
		free(s);
		i++;
	}
	assert_true(i >= 30 && with_rounds >= 5);
	/* fewer than 3 samples: unknown */
	struct bk_benchmark b;
	memset(&b, 0, sizeof(b));
	bench_add_sample(&b, 1);
	bench_add_sample(&b, 2);
	size_t r;
	assert_true(isnan(noise_within_se(&b, &r)));
	bench_release(&b);
	cJSON_Delete(ref);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signrank_against_scipy),
		cmocka_unit_test(test_t_against_scipy),
		cmocka_unit_test(test_history_spread_against_numpy),
		cmocka_unit_test(test_within_against_numpy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
