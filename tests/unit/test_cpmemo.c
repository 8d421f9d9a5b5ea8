/* Incremental change points (sitegen/analysis/cpmemo.h, changepoint_detect_memo):
 * whatever the memo holds — nothing, this series, an older version of it, a
 * file written by a previous run, a damaged file — the result is bit for bit
 * that of changepoint_detect, also from several threads sharing one memo. */
#include <math.h>
#include <pthread.h>
#include <sys/stat.h>

#include "testutil.h"
#include "sitegen/analysis/changepoint.h"
#include "sitegen/analysis/cpmemo.h"
#include "cp_synth.h"

/* Asserts that the memo gives exactly changepoint_detect's answer. */
static void check_same(const double *x, size_t n, const struct changepoint_opts *o,
		       struct cp_memo *m)
{
	struct changepoint *a, *b;
	size_t na, nb;
	assert_int_equal(changepoint_detect(x, n, o, &a, &na), 0);
	assert_int_equal(changepoint_detect_memo(x, n, o, m, &b, &nb), 0);
	assert_int_equal(na, nb);
	if (na)
		assert_memory_equal(a, b, na * sizeof(*a));
	free(a);
	free(b);
}

/* A noisy history with steps: kind 0..2 as cp_synth, 3 with values around
 * zero (some negative: the raw values are analysed), 4 with a NaN. */
static double *series(size_t n, int kind, uint64_t seed)
{
	double *x = malloc((n + 1) * sizeof(double));
	size_t *truth = malloc((n + 1) * sizeof(size_t));
	cp_synth(x, n, (enum cp_noise)(kind % CP_NOISE_KINDS), 0.01 + 0.01 * (double)(seed % 2),
		 0.05, 0.6, 40 + 30 * (size_t)(seed % 3), seed, truth, n + 1);
	if (kind == 3)
		for (size_t i = 0; i < n; i++)
			x[i] -= 100;
	if (kind == 4 && n)
		x[n / 2] = NAN;
	free(truth);
	return x;
}

static struct cp_memo_stats stats(struct cp_memo *m)
{
	struct cp_memo_stats st;
	cp_memo_get_stats(m, &st);
	return st;
}

static void test_hash(void **state)
{
	(void)state;
	struct cp_key a, b;
	const double v[3] = { 1, 2, 3 }, w[3] = { 1, 2, 3.0000000000000004 };
	const uint64_t h1[2] = { 1, 2 }, h2[2] = { 1, 3 };
	cp_hash128(&a, h1, 2, v, sizeof(v));
	cp_hash128(&b, h1, 2, v, sizeof(v));
	assert_true(a.a == b.a && a.b == b.b);
	cp_hash128(&b, h1, 2, w, sizeof(w));
	assert_true(a.a != b.a && a.b != b.b);
	cp_hash128(&b, h2, 2, v, sizeof(v));
	assert_true(a.a != b.a && a.b != b.b);
	cp_hash128(&b, h1, 2, v, 2 * sizeof(double));
	assert_true(a.a != b.a && a.b != b.b);
	cp_hash128(&b, h1, 1, v, sizeof(v));
	assert_true(a.a != b.a && a.b != b.b);
	/* zeros of different lengths differ */
	const double z[4] = { 0 };
	cp_hash128(&a, NULL, 0, z, 3 * sizeof(double));
	cp_hash128(&b, NULL, 0, z, 4 * sizeof(double));
	assert_true(a.a != b.a && a.b != b.b);
}

/* Cold, warm, appended 1 and 10 points, a point inserted in the middle, on
 * every kind of series and many lengths (0 to 20,000). */
static void test_same_as_detect(void **state)
{
	(void)state;
	static const size_t lens[] = { 0,  1,   9,   10,  11,  24,   25,   26,   49,   50,
				       51, 74,  75,  76,  99,  100,  101,  137,  500,  1013,
				       2000, 4999, 20000 };
	for (size_t li = 0; li < sizeof(lens) / sizeof(lens[0]); li++)
		for (int kind = 0; kind < 5; kind++) {
			uint64_t seed = 7 * li + (uint64_t)kind + 1;
			size_t n = lens[li];
			if (n >= 20000 && kind > 1)
				continue; /* keeps the test short */
			double *x = series(n + 10, kind, seed);
			struct cp_memo *m = cp_memo_open(NULL);
			check_same(x, n, NULL, m); /* cold */
			check_same(x, n, NULL, m); /* warm */
			check_same(x, n + 1, NULL, m);
			check_same(x, n + 10, NULL, m);
			/* a point inserted in the middle */
			double *y = malloc((n + 11) * sizeof(double));
			memcpy(y, x, n / 2 * sizeof(double));
			y[n / 2] = n ? x[n / 2] * 1.3 : 1;
			memcpy(y + n / 2 + 1, x + n / 2, (n + 10 - n / 2) * sizeof(double));
			check_same(y, n + 1, NULL, m);
			check_same(y, n + 11, NULL, m);
			free(y);
			cp_memo_close(m);
			free(x);
		}
}

/* One memo while a series grows point by point (as the site across builds,
 * with a round trip through the file now and then): every window group of
 * the first pass becomes complete on the way. */
static void test_growing(void **state)
{
	(void)state;
	char *dir = make_tempdir();
	char path[4200];
	snprintf(path, sizeof(path), "%s/changepoints.memo", dir);
	for (int kind = 0; kind < 4; kind += 3) {
		double *x = series(1300, kind, 51 + (uint64_t)kind);
		struct cp_memo *m = cp_memo_open(path);
		for (size_t n = 0; n <= 1300; n++) {
			check_same(x, n, NULL, m);
			if (n % 97 == 0) {
				assert_int_equal(cp_memo_save(m), 0);
				cp_memo_close(m);
				m = cp_memo_open(path);
			}
		}
		cp_memo_close(m);
		free(x);
	}
	rm_rf(dir);
	free(dir);
}

/* A warm memo answers everything after one point is appended except the
 * tail: the memo really is used. */
static void test_warm_misses_little(void **state)
{
	(void)state;
	double *x = series(10001, 1, 5);
	struct cp_memo *m = cp_memo_open(NULL);
	check_same(x, 10000, NULL, m);
	struct cp_memo_stats a = stats(m);
	assert_true(a.misses > 400);
	check_same(x, 10001, NULL, m);
	struct cp_memo_stats b = stats(m);
	print_message("cold: %zu misses; +1 point: %zu misses\n", a.misses, b.misses - a.misses);
	assert_true(b.misses - a.misses <= 20);
	cp_memo_close(m);
	free(x);
}

/* Different options share one memo without mixing their entries. */
static void test_options(void **state)
{
	(void)state;
	struct changepoint_opts o[4] = { CHANGEPOINT_OPTS_INIT, CHANGEPOINT_OPTS_INIT,
					 CHANGEPOINT_OPTS_INIT, CHANGEPOINT_OPTS_INIT };
	o[1].window = 30;
	o[1].min_segment = 3;
	o[2].p_loose = 0.05;
	o[2].p_strict = 0.01;
	o[3].min_effect = 0.002;
	double *x = series(3000, 0, 11);
	struct cp_memo *m = cp_memo_open(NULL);
	for (int r = 0; r < 2; r++)
		for (int i = 0; i < 4; i++)
			check_same(x, 3000 - 100 * (size_t)r, &o[i], m);
	/* invalid options: the same error */
	o[0].min_segment = 1;
	struct changepoint *cp;
	size_t n;
	assert_int_equal(changepoint_detect_memo(x, 3000, &o[0], m, &cp, &n), -1);
	cp_memo_close(m);
	free(x);
}

/* A file written by one run serves the next; a save keeps only what was used. */
static void test_file_round_trip(void **state)
{
	(void)state;
	char *dir = make_tempdir();
	char path[4200];
	snprintf(path, sizeof(path), "%s/cache/changepoints.memo", dir);
	double *a = series(3001, 2, 21), *b = series(2000, 0, 22);

	struct cp_memo *m = cp_memo_open(path); /* missing: empty */
	assert_int_equal(stats(m).loaded, 0);
	check_same(a, 3000, NULL, m);
	check_same(b, 2000, NULL, m);
	size_t added = stats(m).added;
	assert_int_equal(cp_memo_save(m), 0);
	cp_memo_close(m);

	m = cp_memo_open(path);
	assert_int_equal(stats(m).loaded, added);
	check_same(a, 3000, NULL, m);
	check_same(b, 2000, NULL, m);
	assert_int_equal(stats(m).misses, 0);
	/* (a refinement's inner strict test is not looked up on a warm run) */
	assert_true(stats(m).used <= added && stats(m).used > added / 2);
	check_same(a, 3001, NULL, m); /* appended */
	cp_memo_close(m);

	/* only series a this time: b's entries are dropped by the save */
	m = cp_memo_open(path);
	check_same(a, 3000, NULL, m);
	size_t used = stats(m).used;
	assert_true(used < added);
	assert_int_equal(cp_memo_save(m), 0);
	cp_memo_close(m);
	m = cp_memo_open(path);
	assert_int_equal(stats(m).loaded, used);
	check_same(a, 3000, NULL, m);
	check_same(b, 2000, NULL, m);
	assert_int_equal(stats(m).used, used);
	/* nothing new and everything used: the file is not rewritten */
	struct stat st1, st2;
	assert_int_equal(stat(path, &st1), 0);
	cp_memo_close(m);
	m = cp_memo_open(path);
	check_same(a, 3000, NULL, m);
	assert_int_equal(cp_memo_save(m), 0);
	assert_int_equal(stat(path, &st2), 0);
	assert_true(st1.st_ino == st2.st_ino);
	cp_memo_close(m);

	/* in-memory memo: save is a no-op */
	m = cp_memo_open(NULL);
	check_same(a, 100, NULL, m);
	assert_int_equal(cp_memo_save(m), 0);
	cp_memo_close(m);
	cp_memo_close(NULL);
	free(a);
	free(b);
	rm_rf(dir);
	free(dir);
}

static unsigned char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	rewind(f);
	unsigned char *d = malloc(*len + 1);
	assert_int_equal(fread(d, 1, *len, f), *len);
	fclose(f);
	return d;
}

static void write_all(const char *path, const unsigned char *d, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(d, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* A damaged file is ignored as a whole: the results stay exact. */
static void test_damaged_file(void **state)
{
	(void)state;
	char *dir = make_tempdir();
	char path[4200];
	snprintf(path, sizeof(path), "%s/changepoints.memo", dir);
	double *x = series(2000, 1, 31);
	struct cp_memo *m = cp_memo_open(path);
	check_same(x, 2000, NULL, m);
	assert_int_equal(cp_memo_save(m), 0);
	cp_memo_close(m);
	size_t len;
	unsigned char *good = read_all(path, &len);
	unsigned char *bad = malloc(len);
	assert_true(len > 1000);

	/* truncated anywhere, a flipped bit anywhere, other version, garbage */
	const size_t cuts[] = { 0, 5, 31, 32, 40, len / 2, len - 17, len - 16, len - 1 };
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		write_all(path, good, cuts[i]);
		m = cp_memo_open(path);
		assert_int_equal(stats(m).loaded, 0);
		check_same(x, 2000, NULL, m);
		cp_memo_close(m);
	}
	const size_t flips[] = { 0, 8, 16, 24, 33, 50, len / 3, len / 2, len - 20, len - 3 };
	for (size_t i = 0; i < sizeof(flips) / sizeof(flips[0]); i++) {
		memcpy(bad, good, len);
		bad[flips[i]] ^= 0x10;
		write_all(path, bad, len);
		m = cp_memo_open(path);
		assert_int_equal(stats(m).loaded, 0);
		check_same(x, 2000, NULL, m);
		cp_memo_close(m);
	}
	for (size_t i = 0; i < len; i++)
		bad[i] = (unsigned char)(i * 7919u >> 3);
	write_all(path, bad, len);
	m = cp_memo_open(path);
	assert_int_equal(stats(m).loaded, 0);
	check_same(x, 2000, NULL, m);
	/* a save over a damaged file replaces it with a good one */
	assert_int_equal(cp_memo_save(m), 0);
	cp_memo_close(m);
	m = cp_memo_open(path);
	assert_true(stats(m).loaded > 0);
	check_same(x, 2000, NULL, m);
	assert_int_equal(stats(m).misses, 0);
	cp_memo_close(m);

	/* a directory where the file should be: empty memo, and save fails */
	char sub[4300];
	snprintf(sub, sizeof(sub), "%s/d", dir);
	assert_int_equal(mkdir(sub, 0777), 0);
	m = cp_memo_open(sub);
	assert_int_equal(stats(m).loaded, 0);
	check_same(x, 500, NULL, m);
	assert_int_equal(cp_memo_save(m), -1);
	cp_memo_close(m);

	free(good);
	free(bad);
	free(x);
	rm_rf(dir);
	free(dir);
}

struct job {
	struct cp_memo *m;
	double **xs;
	size_t nx, len;
	int id;
	int failures;
};

static void *thread_main(void *arg)
{
	struct job *j = arg;
	for (int r = 0; r < 3; r++)
		for (size_t k = 0; k < j->nx; k++) {
			/* every thread takes every series, in its own order and length */
			size_t s = (k + (size_t)j->id) % j->nx;
			size_t n = j->len - (size_t)((j->id + r) % 3);
			struct changepoint *a, *b;
			size_t na, nb;
			if (changepoint_detect(j->xs[s], n, NULL, &a, &na) ||
			    changepoint_detect_memo(j->xs[s], n, NULL, j->m, &b, &nb) || na != nb ||
			    (na && memcmp(a, b, na * sizeof(*a))))
				j->failures++;
			free(a);
			free(b);
		}
	return NULL;
}

/* Several threads share one memo (as on the site's task pool). */
static void test_threads(void **state)
{
	(void)state;
	enum { THREADS = 4, SERIES = 6, LEN = 1500 };
	double *xs[SERIES];
	for (int i = 0; i < SERIES; i++)
		xs[i] = series(LEN, i % 5, 41 + (uint64_t)i);
	char *dir = make_tempdir();
	char path[4200];
	snprintf(path, sizeof(path), "%s/changepoints.memo", dir);
	for (int round = 0; round < 2; round++) { /* cold, then from the file */
		struct cp_memo *m = cp_memo_open(path);
		pthread_t t[THREADS];
		struct job j[THREADS];
		for (int i = 0; i < THREADS; i++) {
			j[i] = (struct job){ m, xs, SERIES, LEN, i, 0 };
			assert_int_equal(pthread_create(&t[i], NULL, thread_main, &j[i]), 0);
		}
		for (int i = 0; i < THREADS; i++) {
			assert_int_equal(pthread_join(t[i], NULL), 0);
			assert_int_equal(j[i].failures, 0);
		}
		if (round)
			assert_int_equal(stats(m).misses, 0);
		assert_int_equal(cp_memo_save(m), 0);
		cp_memo_close(m);
	}
	for (int i = 0; i < SERIES; i++)
		free(xs[i]);
	rm_rf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_same_as_detect),
		cmocka_unit_test(test_growing),
		cmocka_unit_test(test_warm_misses_little),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_file_round_trip),
		cmocka_unit_test(test_damaged_file),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
