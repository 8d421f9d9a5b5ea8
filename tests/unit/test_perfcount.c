/* perf backend: the inherit / enable-on-exec plumbing (checked with a
 * software event, which every Linux has), and the hardware instruction
 * counter: within 1% across runs where this machine has one, a clear error
 * where it does not. Which case applies is decided independently of the
 * code under test, by asking the perf tool (or sysfs when it is absent). */
#include <linux/perf_event.h>
#include <math.h>

#include "testutil.h"
#include "lib/base/error.h"
#include "collector/run/perfcount.h"
#include "collector/run/runner.h"
#include "lib/stats/stats.h"

/* Opens the counters, runs cmd, returns the count. */
static uint64_t count_run(const struct bk_command *cmd, int hw, uint64_t sw_config)
{
	struct perfcount pc;
	int rc = hw ? perfcount_open(&pc) : perfcount_open_event(&pc, PERF_TYPE_SOFTWARE, sw_config);
	if (rc < 0)
		fail_msg("%s", bk_last_error());
	struct runner_opts ro = { cmd, NULL, NULL, 60, NULL, 0 };
	struct runner_result rr;
	assert_int_equal(runner_run(&ro, &rr), 0);
	assert_int_equal(rr.exit_code, 0);
	struct perfcount_values v;
	assert_int_equal(perfcount_read(&pc, &v), 0);
	perfcount_close(&pc);
	return v.instructions;
}

static char *data_file(char *dir)
{
	static char path[4200];
	snprintf(path, sizeof(path), "%s/data.txt", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (int i = 0; i < 20000; i++)
		fprintf(f, "%d\n", (i * 7919) % 20011);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void test_inherit_plumbing(void **state)
{
	(void)state;
	char *dir = make_tempdir();
	char *data = data_file(dir);
	char *t[] = { "true", NULL };
	struct bk_command tru = { t, NULL };
	char script[4400];
	snprintf(script, sizeof(script), "sort --parallel=1 -n '%s' >/dev/null; "
		 "sort --parallel=1 -n '%s' >/dev/null", data, data);
	struct bk_command two = { NULL, script };

	/* benchkeep's own work before the spawn is not counted: touch 64 MB */
	size_t big = 64u << 20;
	char *mem = malloc(big);
	assert_non_null(mem);
	struct perfcount pc;
	assert_int_equal(perfcount_open_event(&pc, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS), 0);
	memset(mem, 1, big); /* ~16000 page faults of ours */
	struct runner_opts ro = { &tru, NULL, NULL, 60, NULL, 0 };
	struct runner_result rr;
	assert_int_equal(runner_run(&ro, &rr), 0);
	struct perfcount_values v;
	assert_int_equal(perfcount_read(&pc, &v), 0);
	perfcount_close(&pc);
	free(mem);
	assert_true(v.instructions > 0);     /* the child, from its exec on */
	assert_true(v.instructions < 4000);  /* not our 16000 faults */
	uint64_t alone = v.instructions;

	/* a shell and its two children: the grandchildren are counted */
	uint64_t nested = count_run(&two, 0, PERF_COUNT_SW_PAGE_FAULTS);
	print_message("page faults: true %llu, sh + 2 sorts %llu\n", (unsigned long long)alone,
		      (unsigned long long)nested);
	assert_true(nested > 2 * alone);
	rm_rf(dir);
	free(dir);
}

/* 1 when the perf tool (independently of perfcount) sees a user-space
 * instructions counter, 0 when it does not. */
static int hardware_counter_present(void)
{
	FILE *p = popen("perf stat -x, -e instructions:u true 2>&1 >/dev/null", "r");
	char line[512];
	int seen = 0, supported = 0;
	while (p && fgets(line, sizeof(line), p)) {
		if (strstr(line, "instructions")) {
			seen = 1;
			supported = line[0] >= '0' && line[0] <= '9';
		}
	}
	if (p)
		pclose(p);
	if (seen)
		return supported;
	/* no perf tool: a CPU PMU in sysfs is the best other witness */
	return access("/sys/bus/event_source/devices/cpu", F_OK) == 0 ||
	       access("/sys/bus/event_source/devices/cpu_core", F_OK) == 0;
}

static void test_hardware_counter(void **state)
{
	(void)state;
	if (!hardware_counter_present()) {
		print_message("no hardware instructions counter here: checking the error\n");
		struct perfcount pc;
		assert_int_equal(perfcount_open(&pc), -1);
		const char *e = bk_last_error();
		print_message("perfcount_open: %s\n", e);
		assert_non_null(strstr(e, "perf: "));
		assert_true(strstr(e, "no hardware instructions counter on this machine") ||
			    strstr(e, "not permitted to count instructions"));
		assert_int_equal(perfcount_available(), 0);
		return;
	}
	print_message("hardware instructions counter present: checking the spread\n");
	assert_int_equal(perfcount_available(), 1);
	char *dir = make_tempdir();
	char *data = data_file(dir);
	char *argv[] = { "sort", "--parallel=1", "-n", data, NULL };
	struct bk_command cmd = { argv, NULL };
	double c[7];
	for (int i = 0; i < 7; i++)
		c[i] = (double)count_run(&cmd, 1, 0);
	double med = stats_median(c, 7), lo = c[0], hi = c[0];
	for (int i = 1; i < 7; i++) {
		lo = c[i] < lo ? c[i] : lo;
		hi = c[i] > hi ? c[i] : hi;
	}
	print_message("instructions: median %.0f, spread %.4f%%\n", med, 100 * (hi - lo) / med);
	assert_true(med > 1e6);
	assert_true((hi - lo) / med < 0.01);
	rm_rf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inherit_plumbing),
		cmocka_unit_test(test_hardware_counter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
