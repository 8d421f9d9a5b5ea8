/* Google Benchmark JSON importer: real outputs of Google Benchmark 1.7.1
 * (repetitions, aggregates only, errors, threads, units, counters) and the
 * github-action-benchmark fixture; values checked against the files. */
#include "importtest.h"

static void test_repetitions(void **state)
{
	(void)state;
	struct bk_result r;
	must_import("gbench", "gbench/gbench_repetitions.json", &r);
	/* one benchmark per run_name; aggregates are not benchmarks */
	assert_int_equal(r.nbenchmarks, 6);
	const char *names[] = { "BM_StringCopy/8/repeats:3", "BM_StringCopy/4096/repeats:3",
				"BM_Vector/64", "BM_Vector/100000/repeats:2", "BM_Fails",
				"BM_Threads/threads:2" };
	for (int i = 0; i < 6; i++) {
		assert_string_equal(r.benchmarks[i].name, names[i]);
		assert_string_equal(r.benchmarks[i].suite, "s");
		assert_string_equal(r.benchmarks[i].source, "gbench");
	}
	struct bk_benchmark *b = &r.benchmarks[0];
	assert_string_equal(b->unit, "ns");
	assert_int_equal(b->direction, BK_SMALLER);
	assert_int_equal(b->nsamples, 3);
	assert_double_eq(b->samples[0], 4.136753150255133);
	assert_double_eq(b->samples[1], 3.936694061496133);
	assert_double_eq(b->samples[2], 3.898933818306526);
	assert_int_equal(b->stats.n, 3);
	assert_double_eq(b->stats.median, 3.936694061496133);
	/* per-repetition metrics: their mean, as gbench's own _mean aggregate */
	assert_double_eq(metric(b, "cpu_time"),
			 (3.58072420192851 + 3.9268783793716504 + 3.8880342680344167) / 3);
	assert_double_eq(metric(b, "items_per_second"),
			 (279273114.4893592 + 254655200.2356672 + 257199379.18796864) / 3);
	assert_true(fabs(metric(b, "cpu_time") - 3.798545616444859) < 1e-12);
	assert_double_eq(metric(b, "iterations"), 3482896);
	assert_double_eq(metric(b, "len"), 8);
	assert_double_eq(metric(b, "rate"),
			 (641.4733359580284 + 584.9274861739591 + 590.7713102842431) / 3);
	assert_true(has_metric(b, "bytes_per_second"));
	assert_double_eq(metric(b, "successful_ops"), 3);
	assert_double_eq(metric(b, "failed_ops"), 0);
	assert_false(has_metric(b, "summary_only"));
	assert_false(has_metric(b, "family_index"));
	assert_false(has_metric(b, "per_family_instance_index"));
	assert_false(has_metric(b, "repetition_index"));

	b = bench_named(&r, "BM_StringCopy/4096/repeats:3", NULL, NULL);
	assert_double_eq(b->samples[0], 118.94474662398461);
	assert_double_eq(b->samples[2], 121.0995941888009);
	/* time_unit honoured: kept as the unit */
	b = bench_named(&r, "BM_Vector/64", NULL, NULL);
	assert_string_equal(b->unit, "us");
	assert_int_equal(b->nsamples, 1);
	assert_double_eq(b->samples[0], 0.014551331780167041);
	b = bench_named(&r, "BM_Vector/100000/repeats:2", NULL, NULL);
	assert_string_equal(b->unit, "ms");
	assert_int_equal(b->nsamples, 2);
	assert_double_eq(b->samples[1], 0.0035636283835066692);
	/* error_occurred: a failed operation, no sample */
	b = bench_named(&r, "BM_Fails", NULL, NULL);
	assert_int_equal(b->nsamples, 0);
	assert_double_eq(metric(b, "failed_ops"), 1);
	assert_double_eq(metric(b, "successful_ops"), 0);
	assert_double_eq(metric(b, "error_rate"), 1);
	b = bench_named(&r, "BM_Threads/threads:2", NULL, NULL);
	assert_double_eq(metric(b, "threads"), 2);
	assert_double_eq(b->samples[0], 0.177066945104639);
	/* the context fills the run */
	assert_string_equal(r.run.started_at, "2026-11-30T13:08:19Z");
	assert_int_equal(r.run.machine.cpu_cores, 2);
	assert_string_equal(kvlist_get(&r.run.machine.extra, "host_name"), "vm");
	assert_string_equal(kvlist_get(&r.run.machine.extra, "mhz_per_cpu"), "2596");
	assert_string_equal(kvlist_get(&r.run.machine.extra, "gbench_build_type"), "debug");
	result_release(&r);
}

static void test_aggregates_only(void **state)
{
	(void)state;
	struct bk_result r;
	must_import("gbench", "gbench/gbench_aggregates_only.json", &r);
	assert_int_equal(r.nbenchmarks, 4);
	struct bk_benchmark *b = &r.benchmarks[0];
	assert_string_equal(b->name, "BM_StringCopy/8/repeats:3");
	/* only aggregates: the median is the one sample, marked summary_only */
	assert_int_equal(b->nsamples, 1);
	assert_double_eq(b->samples[0], 4.379633132714897);
	assert_double_eq(metric(b, "summary_only"), 1);
	assert_double_eq(metric(b, "summary_mean"), 4.420879261285229);
	assert_double_eq(metric(b, "summary_median"), 4.379633132714897);
	assert_double_eq(metric(b, "summary_stddev"), 0.07435132282270845);
	assert_double_eq(metric(b, "summary_cv"), 0.016818220636293332);
	assert_double_eq(metric(b, "repetitions"), 3);
	assert_double_eq(metric(b, "cpu_time"), 4.4172086577832745); /* from the mean aggregate */
	assert_false(has_metric(b, "iterations")); /* an aggregate's iterations are repetitions */
	b = &r.benchmarks[1];
	assert_string_equal(b->name, "BM_StringCopy/4096/repeats:3");
	assert_double_eq(b->samples[0], 117.81377804782356);
	/* a benchmark without repetitions still has its iteration entry */
	b = &r.benchmarks[2];
	assert_string_equal(b->name, "BM_Vector/64");
	assert_double_eq(b->samples[0], 0.014735202425174683);
	assert_false(has_metric(b, "summary_only"));
	b = &r.benchmarks[3];
	assert_string_equal(b->name, "BM_Vector/100000/repeats:2");
	assert_string_equal(b->unit, "ms");
	assert_double_eq(b->samples[0], 0.0034875492828784094);
	result_release(&r);
}

static void test_upstream_fixture(void **state)
{
	(void)state;
	struct bk_result r;
	setenv("TZ", "UTC", 1);
	tzset();
	must_import(NULL, "gbench/googlecpp_output.json", &r);
	assert_int_equal(r.nbenchmarks, 2);
	assert_string_equal(r.benchmarks[0].name, "fib_10");
	assert_string_equal(r.benchmarks[0].source, "gbench");
	assert_double_eq(r.benchmarks[0].samples[0], 2.1498980114547953e+02);
	assert_double_eq(metric(&r.benchmarks[0], "cpu_time"), 2.1365507206163295e+02);
	assert_double_eq(metric(&r.benchmarks[0], "iterations"), 3070566);
	assert_string_equal(r.benchmarks[1].name, "fib_20");
	assert_double_eq(r.benchmarks[1].samples[0], 2.7455600415007055e+04);
	/* "2019-11-29 21:26:59" has no offset: local time (TZ=UTC here) */
	assert_string_equal(r.run.started_at, "2019-11-29T21:26:59Z");
	assert_int_equal(r.run.machine.cpu_cores, 4);
	assert_string_equal(kvlist_get(&r.run.machine.extra, "host_name"), "Corgi.local");
	result_release(&r);
}

/* Files older than 1.5 have no run_name: aggregates end in _<aggregate>. */
static void test_old_names_and_counters(void **state)
{
	(void)state;
	struct bk_result r;
	const char *text =
		"{\"benchmarks\":[\n"
		"{\"name\":\"BM_a\",\"iterations\":10,\"real_time\":5,\"cpu_time\":4,\"time_unit\":\"ns\","
		"\"failed_ops\":7,\"widgets\":3},\n"
		"{\"name\":\"BM_a\",\"iterations\":10,\"real_time\":7,\"cpu_time\":6,\"time_unit\":\"ns\","
		"\"failed_ops\":9,\"widgets\":5},\n"
		"{\"name\":\"BM_a_mean\",\"run_type\":\"aggregate\",\"aggregate_name\":\"mean\","
		"\"iterations\":2,\"real_time\":6,\"cpu_time\":5,\"time_unit\":\"ns\"},\n"
		"{\"name\":\"BM_b_mean\",\"run_type\":\"aggregate\",\"aggregate_name\":\"mean\","
		"\"iterations\":2,\"real_time\":2,\"cpu_time\":2,\"time_unit\":\"s\"},\n"
		"{\"name\":\"BM_b_BigO\",\"run_type\":\"aggregate\",\"aggregate_name\":\"BigO\","
		"\"cpu_coefficient\":1,\"real_coefficient\":1,\"big_o\":\"N\",\"time_unit\":\"ns\"}\n"
		"]}";
	assert_int_equal(import_text("gbench", text, &r), 0);
	assert_int_equal(r.nbenchmarks, 2);
	struct bk_benchmark *b = bench_named(&r, "BM_a", NULL, NULL);
	assert_int_equal(b->nsamples, 2);
	assert_double_eq(metric(b, "cpu_time"), 5);
	assert_double_eq(metric(b, "widgets"), 4);
	/* a user counter named like a benchkeep metric does not replace it */
	assert_double_eq(metric(b, "counter.failed_ops"), 8);
	assert_double_eq(metric(b, "failed_ops"), 0);
	assert_false(has_metric(b, "summary_mean"));
	b = bench_named(&r, "BM_b", NULL, NULL);
	assert_string_equal(b->unit, "s");
	assert_double_eq(b->samples[0], 2);
	assert_double_eq(metric(b, "summary_only"), 1);
	result_release(&r);
}

static void expect_fail(const char *text, const char *needle)
{
	struct bk_result r;
	if (import_text("gbench", text, &r) != -1)
		fail_msg("accepted: %s", text);
	assert_error_has(needle);
	assert_int_equal(r.nbenchmarks, 0);
	result_release(&r);
}

static void test_bad_input(void **state)
{
	(void)state;
	expect_fail("{\"context\":{}}", "in.txt: benchmarks: missing");
	expect_fail("{\"benchmarks\":{}}", "in.txt: benchmarks: expected an array");
	expect_fail("{\"benchmarks\":[{\"name\":\"a\",\"real_time\":\"5\",\"time_unit\":\"ns\"}]}",
		    "in.txt: benchmarks[0].real_time: expected a number");
	expect_fail("{\"benchmarks\":[{\"name\":\"a\",\"real_time\":5,\"time_unit\":\"fortnights\"}]}",
		    "in.txt: benchmarks[0].time_unit: unknown time unit 'fortnights'");
	expect_fail("{\"benchmarks\":[{\"real_time\":5}]}", "in.txt: benchmarks[0].name: missing");
	expect_fail("{\"benchmarks\":[{\"name\":\"a\",\"time_unit\":\"ns\"}]}",
		    "in.txt: benchmarks[0].real_time: missing");
	expect_fail("{\"benchmarks\":[{\"name\":\"a\",\"real_time\":1,\"error_occurred\":\"yes\"}]}",
		    "benchmarks[0].error_occurred: expected true or false");
	expect_fail("{\"context\":{\"date\":\"yesterday\"},\"benchmarks\":[]}",
		    "in.txt: context.date: cannot read the date 'yesterday'");
	expect_fail("{\"context\":{\"num_cpus\":\"four\"},\"benchmarks\":[]}",
		    "in.txt: context.num_cpus: expected a number");
	expect_fail("{\"benchmarks\":[{\"name\":\"\",\"real_time\":1}]}",
		    "benchmarks[0].name: empty name");
	/* truncated in the middle */
	struct strbuf sb = STRBUF_INIT;
	read_fixture("gbench/gbench_repetitions.json", &sb);
	strbuf_setlen(&sb, sb.len / 2);
	expect_fail(sb.buf, "truncated");
	strbuf_release(&sb);
}

static void test_hostile_names(void **state)
{
	(void)state;
	struct bk_result r;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "{\"benchmarks\":[{\"name\":\"");
	for (int i = 0; i < 2000; i++)
		strbuf_addch(&sb, 'x');
	strbuf_addstr(&sb, "\",\"real_time\":1}]}");
	expect_fail(sb.buf, "benchmarks[0].name: too long");
	strbuf_release(&sb);
	const char *text = "{\"benchmarks\":[{\"name\":\"<script>alert(1)</script>\\n\\\"q\\\" & ../../etc\","
			   "\"real_time\":1,\"time_unit\":\"ns\"}]}";
	assert_int_equal(import_text("gbench", text, &r), 0);
	assert_string_equal(r.benchmarks[0].name, "<script>alert(1)</script>\n\"q\" & ../../etc");
	result_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_repetitions),
		cmocka_unit_test(test_aggregates_only),
		cmocka_unit_test(test_upstream_fixture),
		cmocka_unit_test(test_old_names_and_counters),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_hostile_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
