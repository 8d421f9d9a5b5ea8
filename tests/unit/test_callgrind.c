/* callgrind backend: the totals parser on real-shaped output, and the real
 * valgrind: identical counts across repeated runs, children counted. */
#include <math.h>

#include "testutil.h"
#include "collector/run/callgrind.h"
#include "lib/base/error.h"
#include "collector/run/runner.h"

static void expect_parse_error(const char *text, const char *needle)
{
	struct callgrind_totals t = { 0 };
	assert_int_equal(callgrind_parse(text, strlen(text), "cg.out", &t), -1);
	if (!strstr(bk_last_error(), needle))
		fail_msg("error '%s' lacks '%s'", bk_last_error(), needle);
}

static void test_parse(void **state)
{
	(void)state;
	struct callgrind_totals t = { 0 };
	/* summary wins over totals (as KCachegrind shows it) */
	const char *a = "# callgrind format\nversion: 1\ncreator: callgrind-3.19.0\n"
			"positions: line\nevents: Ir\nsummary: 231701\n\nfn=(1) main\n5 10\n"
			"totals: 231719\n";
	assert_int_equal(callgrind_parse(a, strlen(a), "a", &t), 0);
	assert_true(t.ir == 231701);
	assert_int_equal(t.have_cache, 0);
	/* a second file adds up; totals used when there is no summary */
	const char *b = "events: Ir\nfn=x\n1 2\ntotals: 1000\n";
	assert_int_equal(callgrind_parse(b, strlen(b), "b", &t), 0);
	assert_true(t.ir == 232701);
	assert_int_equal(t.files, 2);
	assert_close(callgrind_estimated_cycles(&t), 232701, 0);

	/* cache simulation columns, in the order valgrind 3.19 writes them */
	struct callgrind_totals c = { 0 };
	const char *cs = "events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw\n"
			 "summary: 127602 28096 11769 1083 989 578 1065 779 547\n";
	assert_int_equal(callgrind_parse(cs, strlen(cs), "c", &c), 0);
	assert_true(c.ir == 127602);
	assert_int_equal(c.have_cache, 1);
	assert_true(c.d1mw == 578 && c.dlmw == 547);
	/* Ir + 10 * L1 misses + 100 * LL misses */
	assert_close(callgrind_estimated_cycles(&c),
		     127602 + 10.0 * (1083 + 989 + 578) + 100.0 * (1065 + 779 + 547), 0);

	expect_parse_error("summary: 5\n", "cg.out: no 'events:' line");
	expect_parse_error("events: Ir\nfn=x\n", "cg.out: no 'summary:' or 'totals:' line");
	expect_parse_error("events: Ir\nsummary: 12x\n", "cg.out:2: bad number in the totals");
	expect_parse_error("events: Dr\nsummary: 12\n", "cg.out:2: no Ir (instructions) column");
}

/* Runs cmd under callgrind once and returns Ir (and the number of files). */
static uint64_t count(struct callgrind *cg, const struct bk_command *cmd, int *files)
{
	struct bk_command w;
	callgrind_wrap(cg, cmd, &w);
	struct runner_opts ro = { &w, NULL, NULL, 120, NULL, 0 };
	struct runner_result rr;
	assert_int_equal(runner_run(&ro, &rr), 0);
	assert_int_equal(rr.exit_code, 0);
	struct callgrind_totals t;
	if (callgrind_collect(cg, &t) < 0)
		fail_msg("%s", bk_last_error());
	command_release(&w);
	if (files)
		*files = t.files;
	return t.ir;
}

static void test_real_valgrind(void **state)
{
	(void)state;
	char *v = callgrind_valgrind_version();
	if (!v)
		fail_msg("valgrind is a test dependency: %s", bk_last_error());
	assert_true(v[0] >= '3' && strchr(v, '.'));
	free(v);

	char *dir = make_tempdir();
	char data[4200], script[4200];
	snprintf(data, sizeof(data), "%s/data.txt", dir);
	FILE *f = fopen(data, "w");
	assert_non_null(f);
	for (int i = 0; i < 3000; i++)
		fprintf(f, "%d\n", (i * 7919) % 3001);
	assert_int_equal(fclose(f), 0);

	struct callgrind cg;
	assert_int_equal(callgrind_init(&cg, 0), 0);
	/* single-threaded: a program's own nondeterminism (threads, pipe read
	 * sizes) shows in its count, valgrind adds none */
	char *argv[] = { "sort", "--parallel=1", "-n", data, NULL };
	struct bk_command one = { argv, NULL };
	int files = 0;
	uint64_t first = count(&cg, &one, &files);
	assert_int_equal(files, 1);
	assert_true(first > 100000);
	for (int i = 0; i < 4; i++)
		assert_true(count(&cg, &one, NULL) == first); /* deterministic */

	/* a shell running sort twice: three processes, all counted */
	snprintf(script, sizeof(script), "sort --parallel=1 -n '%s' >/dev/null; sort --parallel=1 -n '%s' >/dev/null", data,
		 data);
	struct bk_command twice = { NULL, script };
	uint64_t two = count(&cg, &twice, &files);
	assert_int_equal(files, 3);
	assert_true(two > 2 * first);
	assert_true(two < 2 * first + first / 2); /* the shell itself is small */
	uint64_t two2 = count(&cg, &twice, NULL);
	if (two2 != two)
		fail_msg("shell count %llu then %llu", (unsigned long long)two, (unsigned long long)two2);
	callgrind_release(&cg);

	/* cache simulation: estimated cycles above the instruction count, and
	 * the same again on a second run (Ir itself may differ from the run
	 * without simulation by a few instructions: valgrind reports other
	 * cache facts to the program) */
	assert_int_equal(callgrind_init(&cg, 1), 0);
	struct callgrind_totals t[2];
	for (int i = 0; i < 2; i++) {
		struct bk_command w;
		callgrind_wrap(&cg, &one, &w);
		struct runner_opts ro = { &w, NULL, NULL, 120, NULL, 0 };
		struct runner_result rr;
		assert_int_equal(runner_run(&ro, &rr), 0);
		assert_int_equal(callgrind_collect(&cg, &t[i]), 0);
		command_release(&w);
	}
	assert_int_equal(t[0].have_cache, 1);
	assert_true(llabs((long long)t[0].ir - (long long)first) < (long long)first / 1000);
	assert_true(callgrind_estimated_cycles(&t[0]) > (double)t[0].ir);
	assert_true(t[1].ir == t[0].ir);
	assert_true(callgrind_estimated_cycles(&t[1]) == callgrind_estimated_cycles(&t[0]));
	/* the output directory is removed */
	char *cgdir = strdup(cg.dir);
	callgrind_release(&cg);
	assert_int_equal(access(cgdir, F_OK), -1);
	free(cgdir);
	rm_rf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_real_valgrind),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
