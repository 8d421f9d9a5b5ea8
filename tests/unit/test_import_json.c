/* JSON importers: hyperfine, pytest-benchmark, pytest-json-report, on real
 * outputs (values checked against the files), with their error paths. */
#include "importtest.h"

static void test_hyperfine_basic(void **state)
{
	(void)state;
	struct bk_result r;
	must_import(NULL, "hyperfine/basic.json", &r);
	assert_int_equal(r.nbenchmarks, 2);
	struct bk_benchmark *b = &r.benchmarks[0];
	assert_string_equal(b->name, "sleep 0.01");
	assert_string_equal(b->source, "hyperfine");
	assert_string_equal(b->unit, "s");
	assert_int_equal(b->nsamples, 5);
	assert_double_eq(b->samples[0], 0.011492388000000001);
	assert_double_eq(b->samples[4], 0.011339237);
	/* statistics recomputed from the samples agree with hyperfine's */
	assert_double_eq(b->stats.median, 0.011677729000000001);
	assert_true(fabs(b->stats.mean - 0.011897484800000002) < 1e-15);
	assert_double_eq(metric(b, "cpu_user_s"), 0.0006858);
	assert_double_eq(metric(b, "successful_ops"), 5);
	assert_double_eq(metric(b, "failed_ops"), 0);
	assert_int_equal(b->params.nr, 0);
	assert_string_equal(r.benchmarks[1].name, "true");
	assert_double_eq(r.benchmarks[1].samples[4], 0.0008226910000000001);
	result_release(&r);
}

static void test_hyperfine_params(void **state)
{
	(void)state;
	struct bk_result r;
	/* same command name, other parameter values: distinct benchmarks */
	must_import(NULL, "hyperfine/same_name.json", &r);
	assert_int_equal(r.nbenchmarks, 2);
	struct bk_benchmark *a = bench_named(&r, "noop", "n", "1");
	struct bk_benchmark *b = bench_named(&r, "noop", "n", "2");
	assert_ptr_not_equal(a, b);
	assert_int_equal(a->nsamples, 3);
	assert_int_equal(b->nsamples, 3);
	assert_double_eq(a->samples[0], 0.002781547);
	assert_double_eq(b->samples[2], 0.000967746);
	result_release(&r);

	must_import("hyperfine", "hyperfine/lists.json", &r);
	assert_int_equal(r.nbenchmarks, 4);
	b = &r.benchmarks[1];
	assert_string_equal(b->name, "echo hi | bzip2 -1 >/dev/null");
	assert_string_equal(kvlist_get(&b->params, "algo"), "bzip2");
	assert_string_equal(kvlist_get(&b->params, "level"), "1");
	assert_double_eq(b->samples[0], 0.00214940458);
	assert_double_eq(b->samples[2], 0.00195368858);
	result_release(&r);

	must_import("hyperfine", "hyperfine/params.json", &r);
	assert_int_equal(r.nbenchmarks, 2);
	assert_string_equal(kvlist_get(&r.benchmarks[1].params, "n"), "3");
	assert_double_eq(r.benchmarks[1].samples[2], 0.030706700700000002);
	result_release(&r);
}

static void test_hyperfine_failing(void **state)
{
	(void)state;
	struct bk_result r;
	must_import(NULL, "hyperfine/failing.json", &r);
	struct bk_benchmark *b = &r.benchmarks[0];
	assert_string_equal(b->name, "sh -c \"exit 3\"");
	/* times are kept as hyperfine timed them; non-zero exits are failed ops */
	assert_int_equal(b->nsamples, 4);
	assert_double_eq(b->samples[0], 0.0007664341000000001);
	assert_double_eq(metric(b, "failed_ops"), 4);
	assert_double_eq(metric(b, "successful_ops"), 0);
	assert_double_eq(metric(b, "error_rate"), 1);
	result_release(&r);
}

static void expect_fail(const char *format, const char *text, const char *needle)
{
	struct bk_result r;
	if (import_text(format, text, &r) != -1)
		fail_msg("accepted: %s", text);
	assert_error_has(needle);
	assert_int_equal(r.nbenchmarks, 0);
	result_release(&r);
}

static void test_hyperfine_bad(void **state)
{
	(void)state;
	expect_fail("hyperfine", "{\"results\":[{\"command\":\"x\"}]}", "in.txt: results[0].times: missing");
	expect_fail("hyperfine", "{\"results\":[{\"command\":\"x\",\"times\":[0.1,\"0.2\"]}]}",
		    "in.txt: results[0].times[1]: expected a number");
	expect_fail("hyperfine", "{\"results\":[{\"times\":[0.1]}]}", "results[0].command: missing");
	expect_fail("hyperfine", "{\"results\":[{\"command\":\"x\",\"times\":[1],\"parameters\":{\"n\":[1]}}]}",
		    "results[0].parameters.n: expected a string or number");
	expect_fail("hyperfine", "{\"results\":[{\"command\":\"x\",\"times\":[1],\"exit_codes\":[\"0\"]}]}",
		    "results[0].exit_codes[0]: expected a number");
	struct strbuf sb = STRBUF_INIT;
	read_fixture("hyperfine/lists.json", &sb);
	strbuf_setlen(&sb, sb.len - 40);
	expect_fail("hyperfine", sb.buf, "truncated");
	strbuf_release(&sb);
}

static void test_pytest_benchmark_real(void **state)
{
	(void)state;
	struct bk_result r;
	must_import(NULL, "pytest-benchmark/real.json", &r);
	assert_int_equal(r.nbenchmarks, 4);
	struct bk_benchmark *b = &r.benchmarks[0];
	assert_string_equal(b->name, "test_bench.py::test_fib_10");
	assert_string_equal(b->source, "pytest-benchmark");
	assert_string_equal(b->unit, "s");
	/* stats.data are the samples */
	assert_int_equal(b->nsamples, 135);
	assert_double_eq(b->samples[0], 7.300999982362555e-06);
	assert_double_eq(b->samples[134], 6.34899998885885e-06);
	assert_double_eq(b->stats.median, 6.450000000768341e-06);
	assert_double_eq(metric(b, "ops"), 32247.022707767897);
	assert_double_eq(metric(b, "rounds"), 135);
	assert_double_eq(metric(b, "extra.answer"), 55);
	assert_false(has_metric(b, "summary_only"));
	/* params kept: the two parametrized cases are distinct */
	b = bench_named(&r, "test_bench.py::test_fib_param[5]", "n", "5");
	assert_int_equal(b->nsamples, 7);
	assert_double_eq(b->samples[6], 6.276666795201891e-07);
	assert_double_eq(metric(b, "iterations"), 3);
	b = bench_named(&r, "test_bench.py::test_fib_param[12]", "n", "12");
	assert_double_eq(b->samples[0], 1.703533333360004e-05);
	assert_true(fabs(b->stats.median - 1.6200666664190067e-05) < 1e-18);
	b = &r.benchmarks[3];
	assert_string_equal(b->name, "test_bench.py::test_sorted");
	assert_int_equal(b->nsamples, 253);
	/* machine_info / commit_info / datetime */
	assert_string_equal(r.run.commit_sha, "1b7b5de7b328a566d83c16ffe4e1ba10e07a3e26");
	assert_string_equal(r.run.commit_branch, "master");
	assert_string_equal(r.run.started_at, "2026-11-30T13:08:51Z");
	assert_string_equal(r.run.machine.os, "linux");
	assert_string_equal(r.run.machine.arch, "x86_64");
	assert_string_equal(r.run.machine.cpu_model, "AMD EPYC");
	assert_string_equal(kvlist_get(&r.run.machine.extra, "python"), "3.11.2");
	assert_string_equal(kvlist_get(&r.run.machine.extra, "host_name"), "vm");
	result_release(&r);
}

static void test_pytest_benchmark_upstream(void **state)
{
	(void)state;
	struct bk_result r;
	/* upstream shortened stats.data ("... omitted"): the summary is used */
	must_import(NULL, "pytest-benchmark/pytest_output.json", &r);
	assert_int_equal(r.nbenchmarks, 2);
	struct bk_benchmark *b = &r.benchmarks[0];
	assert_string_equal(b->name, "bench.py::test_fib_10");
	assert_int_equal(b->nsamples, 1);
	assert_double_eq(b->samples[0], 2.2300000000363696e-05); /* median */
	assert_double_eq(metric(b, "summary_only"), 1);
	assert_double_eq(metric(b, "summary_mean"), 2.408868133322941e-05);
	assert_double_eq(metric(b, "summary_max"), 0.0003125999999999962);
	assert_double_eq(metric(b, "rounds"), 38523);
	assert_string_equal(r.run.commit_branch, "pytest");
	assert_string_equal(r.run.machine.os, "darwin");
	assert_string_equal(r.run.machine.cpu_model, "Intel(R) Core(TM) i7-4771 CPU @ 3.50GHz");
	assert_string_equal(kvlist_get(&r.run.labels, "commit_dirty"), "true");
	result_release(&r);
	must_import(NULL, "pytest-benchmark/pytest_several_units.json", &r);
	assert_int_equal(r.nbenchmarks, 4);
	b = bench_named(&r, "bench.py::test_sleep_2", NULL, NULL);
	/* this one has its complete data: 5 real samples */
	assert_int_equal(b->nsamples, 5);
	assert_double_eq(b->samples[0], 2.005173128);
	assert_false(has_metric(b, "summary_only"));
	result_release(&r);
}

static void test_pytest_benchmark_bad(void **state)
{
	(void)state;
	expect_fail("pytest-benchmark", "{\"benchmarks\":[{\"name\":\"t\"}]}", "benchmarks[0].stats: missing");
	expect_fail("pytest-benchmark", "{\"benchmarks\":[{\"stats\":{\"mean\":1}}]}",
		    "benchmarks[0].name: missing");
	expect_fail("pytest-benchmark", "{\"benchmarks\":[{\"name\":\"t\",\"stats\":{\"mean\":\"1\"}}]}",
		    "benchmarks[0].stats.mean: expected a number");
	expect_fail("pytest-benchmark", "{\"benchmarks\":[{\"name\":\"t\",\"stats\":{\"rounds\":2}}]}",
		    "benchmarks[0].stats: neither data nor mean/median");
	expect_fail("pytest-benchmark", "{\"machine_info\":{\"cpu\":{\"count\":\"8\"}},\"benchmarks\":[]}",
		    "machine_info.cpu.count: expected a number");
	expect_fail("pytest-benchmark", "{\"commit_info\":{\"id\":7},\"benchmarks\":[]}",
		    "commit_info.id: expected a string");
	expect_fail("pytest-benchmark", "{\"datetime\":\"soon\",\"benchmarks\":[]}",
		    "datetime: cannot read the date");
	struct strbuf sb = STRBUF_INIT;
	read_fixture("pytest-benchmark/real.json", &sb);
	strbuf_setlen(&sb, 5000);
	expect_fail(NULL, sb.buf, "truncated");
	strbuf_release(&sb);
}

static void test_pytest_json_report(void **state)
{
	(void)state;
	struct bk_result r;
	must_import(NULL, "pytest-json-report/report.json", &r);
	/* the skipped test never ran: left out */
	assert_int_equal(r.nbenchmarks, 6);
	struct bk_benchmark *b = &r.benchmarks[0];
	assert_string_equal(b->name, "test_sample.py::test_sleep_5ms");
	assert_string_equal(b->source, "pytest-json-report");
	assert_string_equal(b->unit, "s");
	assert_int_equal(b->nsamples, 1);
	assert_double_eq(b->samples[0], 0.00730356799999754); /* the call phase */
	assert_double_eq(metric(b, "setup_s"), 0.005765094999901521);
	assert_double_eq(metric(b, "teardown_s"), 0.0016926609999927678);
	assert_double_eq(metric(b, "successful_ops"), 1);
	assert_double_eq(metric(b, "failed_ops"), 0);
	b = bench_named(&r, "test_sample.py::test_sleep_param[3]", NULL, NULL);
	assert_double_eq(b->samples[0], 0.006591261000039594);
	b = bench_named(&r, "test_sample.py::test_fails", NULL, NULL);
	assert_double_eq(b->samples[0], 0.0033545180000373875);
	assert_double_eq(metric(b, "failed_ops"), 1);
	assert_double_eq(metric(b, "error_rate"), 1);
	/* an error in setup: no call, one failed operation */
	b = bench_named(&r, "test_sample.py::test_error_in_setup", NULL, NULL);
	assert_int_equal(b->nsamples, 0);
	assert_double_eq(metric(b, "failed_ops"), 1);
	b = bench_named(&r, "test_sample.py::test_xfail", NULL, NULL);
	assert_double_eq(metric(b, "failed_ops"), 0);
	assert_double_eq(metric(b, "successful_ops"), 0);
	for (size_t i = 0; i < r.nbenchmarks; i++)
		assert_string_not_equal(r.benchmarks[i].name, "test_sample.py::test_skipped");
	assert_string_equal(r.run.started_at, "2026-11-30T13:20:23Z");
	assert_non_null(kvlist_get(&r.run.machine.extra, "platform"));
	result_release(&r);
}

static void test_pytest_json_report_bad(void **state)
{
	(void)state;
	expect_fail("pytest-json-report", "{\"tests\":[{\"outcome\":\"passed\"}]}", "tests[0].nodeid: missing");
	expect_fail("pytest-json-report", "{\"tests\":[{\"nodeid\":\"a\",\"outcome\":\"weird\"}]}",
		    "tests[0].outcome: unknown outcome 'weird'");
	expect_fail("pytest-json-report",
		    "{\"tests\":[{\"nodeid\":\"a\",\"outcome\":\"passed\",\"call\":{\"duration\":\"1\"}}]}",
		    "tests[0].call.duration: expected a number");
	expect_fail("pytest-json-report", "{\"tests\":{}}", "in.txt: tests: expected an array");
	struct strbuf sb = STRBUF_INIT;
	read_fixture("pytest-json-report/report.json", &sb);
	strbuf_setlen(&sb, sb.len - 3);
	expect_fail(NULL, sb.buf, "truncated");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hyperfine_basic),
		cmocka_unit_test(test_hyperfine_params),
		cmocka_unit_test(test_hyperfine_failing),
		cmocka_unit_test(test_hyperfine_bad),
		cmocka_unit_test(test_pytest_benchmark_real),
		cmocka_unit_test(test_pytest_benchmark_upstream),
		cmocka_unit_test(test_pytest_benchmark_bad),
		cmocka_unit_test(test_pytest_json_report),
		cmocka_unit_test(test_pytest_json_report_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
