/* Rounds: the seeded shuffle (splitmix64 reference values, a permutation,
 * reproducible, unbiased enough to reach every order), the round counts,
 * the --seed parser, and how a benchmark's runs, min_time and max_runs are
 * split over its rounds (measure_round_done). */
#include "testutil.h"
#include "lib/base/error.h"
#include "collector/run/measure.h"
#include "collector/run/rounds.h"

static void test_splitmix64(void **state)
{
	(void)state;
	/* reference outputs of splitmix64 seeded with 0 and 1234567 */
	struct rounds_rng g;
	rounds_rng_init(&g, 0);
	assert_true(rounds_rng_next(&g) == 0xe220a8397b1dcdafULL);
	assert_true(rounds_rng_next(&g) == 0x6e789e6aa1b965f4ULL);
	rounds_rng_init(&g, 1234567);
	assert_true(rounds_rng_next(&g) == 6457827717110365317ULL);
	assert_true(rounds_rng_next(&g) == 3203168211198807973ULL);
}

static void test_shuffle(void **state)
{
	(void)state;
	enum { N = 6 };
	size_t a[N], b[N];
	struct rounds_rng g, h;
	rounds_rng_init(&g, 42);
	rounds_rng_init(&h, 42);
	int seen[720] = { 0 }, distinct = 0, moved = 0;
	for (int round = 0; round < 5000; round++) {
		for (size_t i = 0; i < N; i++)
			a[i] = b[i] = i;
		rounds_shuffle(&g, a, N);
		rounds_shuffle(&h, b, N);
		assert_memory_equal(a, b, sizeof(a)); /* same seed, same orders */
		int used[N] = { 0 }, code = 0;
		for (size_t i = 0; i < N; i++) {
			assert_true(a[i] < N);
			assert_int_equal(used[a[i]]++, 0); /* a permutation */
			moved |= a[i] != i;
		}
		/* Lehmer code: which of the 720 orders this is */
		for (size_t i = 0; i < N; i++) {
			int smaller = 0;
			for (size_t k = i + 1; k < N; k++)
				smaller += a[k] < a[i];
			code = code * (int)(N - i) + smaller;
		}
		distinct += !seen[code]++;
	}
	assert_true(moved);
	assert_int_equal(distinct, 720); /* every order reached in 5000 draws */
	int lo = 5000, hi = 0;
	for (int i = 0; i < 720; i++) {
		lo = seen[i] < lo ? seen[i] : lo;
		hi = seen[i] > hi ? seen[i] : hi;
	}
	assert_true(hi < 25); /* expected 6.9 each; 25 is far out in the tail */
	(void)lo;
	size_t one = 0;
	rounds_shuffle(&g, &one, 1);
	rounds_shuffle(&g, NULL, 0);
	assert_int_equal(one, 0);
}

static void test_seeds(void **state)
{
	(void)state;
	unsigned long long v;
	assert_int_equal(rounds_parse_seed("0", &v), 0);
	assert_true(v == 0);
	assert_int_equal(rounds_parse_seed("9007199254740991", &v), 0);
	assert_true(v == 9007199254740991ULL);
	assert_int_equal(rounds_parse_seed("8.62924286870806e+15", &v), 0);
	assert_true(v == 8629242868708060ULL);
	assert_int_equal(rounds_parse_seed("9007199254740992", &v), -1);
	assert_non_null(strstr(bk_last_error(), "--seed: expected a whole number"));
	assert_int_equal(rounds_parse_seed("-1", &v), -1);
	assert_int_equal(rounds_parse_seed("1.5", &v), -1);
	assert_int_equal(rounds_parse_seed("", &v), -1);
	assert_int_equal(rounds_parse_seed("12x", &v), -1);
	assert_int_equal(rounds_parse_seed(" 1", &v), -1);
	for (int i = 0; i < 100; i++)
		assert_true(rounds_random_seed() < 1000000000000000ULL);
	assert_true(rounds_random_seed() != rounds_random_seed());
}

static void test_round_counts(void **state)
{
	(void)state;
	struct bk_config cfg = { 0 };
	struct bk_suite_cfg s = { 0 };
	struct run_opts o = { .rounds = -1 };
	assert_int_equal(rounds_for_suite(&cfg, &s, &o), ROUNDS_DEFAULT);
	cfg.rounds = 7;
	assert_int_equal(rounds_for_suite(&cfg, &s, &o), 7);
	s.rounds = 3;
	assert_int_equal(rounds_for_suite(&cfg, &s, &o), 3);
	o.rounds = 1; /* the command line wins */
	assert_int_equal(rounds_for_suite(&cfg, &s, &o), 1);

	assert_int_equal(rounds_for_bench(5, 10, 0), 5);
	assert_int_equal(rounds_for_bench(5, 5, 0), 5);
	assert_int_equal(rounds_for_bench(5, 3, 0), 3); /* one sample in rounds 1..3 */
	assert_int_equal(rounds_for_bench(5, 1, 0), 1);
	assert_int_equal(rounds_for_bench(5, 1, 0.5), 5); /* min_time spread over all */
	assert_int_equal(rounds_for_bench(1, 10, 0.5), 1);
}

/* Runs a fake benchmark through k rounds: each run takes `secs`; counts
 * the runs per round into per[] (k entries) and returns the total. */
static long split(int runs, long max_runs, double min_time, double secs, int k, long *per)
{
	struct run_opts o = { .rounds = -1 };
	struct measure m;
	memset(&m, 0, sizeof(m));
	m.o = &o;
	m.runs = runs;
	m.max_runs = max_runs;
	m.cfg.min_time = min_time;
	for (int j = 1; j <= k; j++) {
		long before = m.ok;
		while (!measure_round_done(&m, j, k)) {
			m.ok++;
			m.measured += secs;
		}
		per[j - 1] = m.ok - before;
	}
	assert_int_equal(measure_done(&m), 1);
	return m.ok;
}

static void test_split(void **state)
{
	(void)state;
	long per[8];
	/* runs split as evenly as possible, the total unchanged */
	assert_int_equal(split(10, 1000, 0, 0.001, 5, per), 10);
	for (int j = 0; j < 5; j++)
		assert_int_equal(per[j], 2);
	assert_int_equal(split(7, 700, 0, 0.001, 5, per), 7);
	long want7[] = { 1, 1, 2, 1, 2 };
	for (int j = 0; j < 5; j++)
		assert_int_equal(per[j], want7[j]);
	assert_int_equal(split(3, 300, 0, 0.001, 3, per), 3);
	for (int j = 0; j < 3; j++)
		assert_int_equal(per[j], 1);
	/* min_time (run times exact in binary): 1.25 s of 1/16 s runs = 20
	 * runs, 0.25 s = 4 runs by the end of each round */
	assert_int_equal(split(10, 1000, 1.25, 0.0625, 5, per), 20);
	for (int j = 0; j < 5; j++)
		assert_int_equal(per[j], 4);
	/* min_time with fewer runs than rounds: every round takes some */
	assert_int_equal(split(1, 100, 0.625, 0.0625, 5, per), 10);
	for (int j = 0; j < 5; j++)
		assert_int_equal(per[j], 2);
	/* max_runs caps the total (and each round at its share of it) */
	assert_int_equal(split(10, 40, 10.0, 0.0625, 4, per), 40);
	for (int j = 0; j < 4; j++)
		assert_int_equal(per[j], 10);
	/* one round: today's rule */
	assert_int_equal(split(10, 1000, 1.25, 0.0625, 1, per), 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_splitmix64),
		cmocka_unit_test(test_shuffle),
		cmocka_unit_test(test_seeds),
		cmocka_unit_test(test_round_counts),
		cmocka_unit_test(test_split),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
