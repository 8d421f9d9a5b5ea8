/* Text importers: Catch2 console, cargo/libtest bench, go test -bench, on
 * real outputs (values checked against the files), truncated and malformed
 * lines with their line:col. */
#include "importtest.h"

static void expect_fail(const char *format, const char *text, const char *needle)
{
	struct bk_result r;
	if (import_text(format, text, &r) != -1)
		fail_msg("accepted: %s", text);
	assert_error_has(needle);
	assert_int_equal(r.nbenchmarks, 0);
	result_release(&r);
}

static void test_catch2_v2_13(void **state)
{
	(void)state;
	struct bk_result r;
	must_import(NULL, "catch2/v2_13_console.txt", &r);
	assert_int_equal(r.nbenchmarks, 4);
	struct bk_benchmark *b = &r.benchmarks[0];
	assert_string_equal(b->name, "Fibonacci 10");
	assert_string_equal(b->source, "catch2");
	assert_string_equal(b->unit, "ns");
	assert_int_equal(b->nsamples, 1);
	assert_double_eq(b->samples[0], 46.8795);
	assert_double_eq(metric(b, "summary_only"), 1);
	assert_double_eq(metric(b, "summary_low_mean"), 46.8231);
	assert_double_eq(metric(b, "summary_high_mean"), 47.1);
	assert_double_eq(metric(b, "summary_stddev"), 0.231245);
	assert_double_eq(metric(b, "summary_high_stddev"), 0.459682);
	assert_double_eq(metric(b, "samples"), 20);
	assert_double_eq(metric(b, "iterations"), 613);
	/* "113.933 us" is exactly 113933 ns */
	b = &r.benchmarks[1];
	assert_string_equal(b->name, "Fibonacci 25");
	assert_double_eq(b->samples[0], 113933);
	assert_double_eq(metric(b, "summary_stddev"), 10775.4);
	/* a name wrapped over three lines is joined */
	b = &r.benchmarks[2];
	assert_string_equal(b->name, "vector push_back of one hundred thousand integers with a "
				     "long benchmark name that wraps");
	assert_double_eq(b->samples[0], 97025.6);
	assert_double_eq(metric(b, "summary_low_stddev"), 1385.9);
	b = &r.benchmarks[3];
	assert_string_equal(b->name, "string <copy> & \"quote\"");
	assert_double_eq(b->samples[0], 22.7778);
	result_release(&r);
}

static void test_catch2_upstream(void **state)
{
	(void)state;
	const char *files[] = { "catch2/catch2_output_v2.txt", "catch2/catch2_output_v3.txt" };
	for (int f = 0; f < 2; f++) {
		struct bk_result r;
		must_import(NULL, files[f], &r);
		assert_int_equal(r.nbenchmarks, 4);
		assert_string_equal(r.benchmarks[0].name, "Fibonacci 10");
		assert_double_eq(r.benchmarks[0].samples[0], 344);
		assert_string_equal(r.benchmarks[1].name, "Fibonacci 20");
		assert_double_eq(r.benchmarks[1].samples[0], 41731);
		assert_double_eq(metric(&r.benchmarks[1], "summary_low_mean"), 41250);
		assert_string_equal(r.benchmarks[2].name, "Fibonacci~ 5!");
		assert_double_eq(r.benchmarks[2].samples[0], 36);
		assert_string_equal(r.benchmarks[3].name, "Fibonacci-15_bench");
		assert_double_eq(r.benchmarks[3].samples[0], 3789);
		assert_double_eq(metric(&r.benchmarks[3], "summary_stddev"), 362);
		assert_double_eq(metric(&r.benchmarks[3], "iterations"), 20);
		result_release(&r);
	}
	/* Windows output (CRLF-free but Catch 2.11.1): zero means */
	struct bk_result r;
	must_import(NULL, "catch2/issue16_output.txt", &r);
	assert_int_equal(r.nbenchmarks, 2);
	assert_double_eq(r.benchmarks[0].samples[0], 0);
	assert_double_eq(r.benchmarks[1].samples[0], 1);
	assert_double_eq(metric(&r.benchmarks[1], "iterations"), 75814);
	result_release(&r);
}

static void test_catch2_crlf_and_units(void **state)
{
	(void)state;
	struct bk_result r;
	const char *text =
		"benchmark name                       samples       iterations    estimated\r\n"
		"                                     mean          low mean      high mean\r\n"
		"                                     std dev       low std dev   high std dev\r\n"
		"-------------------------------------------------------------------------------\r\n"
		"sleepy                                         10             1      1.5 s \r\n"
		"                                         1.25 s        1.2 s     1.3 \xc2\xb5s \r\n"
		"                                          2 ms          1 ms          3 ms \r\n"
		"\r\n"
		"===============================================================================\r\n"
		"test cases: 1 | 1 passed\r\n";
	assert_int_equal(import_text("catch2", text, &r), 0);
	assert_int_equal(r.nbenchmarks, 1);
	assert_string_equal(r.benchmarks[0].name, "sleepy");
	assert_double_eq(r.benchmarks[0].samples[0], 1.25e9);
	assert_double_eq(metric(&r.benchmarks[0], "summary_high_mean"), 1300);
	assert_double_eq(metric(&r.benchmarks[0], "summary_stddev"), 2e6);
	result_release(&r);
}

static void test_catch2_bad(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	read_fixture("catch2/v2_13_console.txt", &sb);
	/* cut after a name line: truncated, at the end of the input */
	const char *cut = strstr(sb.buf, "Fibonacci 25");
	strbuf_setlen(&sb, (size_t)(strchr(cut, '\n') - sb.buf) + 1);
	expect_fail("catch2", sb.buf, "truncated input: the benchmark 'Fibonacci 25' is incomplete");
	expect_fail("catch2", sb.buf, "in.txt:21:1:"); /* the end of the input */
	/* cut inside the mean line */
	strbuf_reset(&sb);
	read_fixture("catch2/v2_13_console.txt", &sb);
	cut = strstr(sb.buf, "113.933");
	strbuf_setlen(&sb, (size_t)(cut - sb.buf) + 3);
	expect_fail("catch2", sb.buf, "truncated");
	strbuf_release(&sb);
	/* a malformed mean line in the middle */
	const char *text =
		"benchmark name  samples  iterations  estimated\n"
		"                mean     low mean    high mean\n"
		"                std dev  low std dev high std dev\n"
		"--------------------------------------------------\n"
		"a                  100        2      8.3712 ms\n"
		"              41.731 us      41.25 parsecs     42.622 us\n"
		"               3.256 us      2.163 us      5.353 us\n"
		"\n";
	expect_fail("catch2", text, "in.txt:6:1: expected the mean / low mean / high mean line of the benchmark 'a'");
	/* complete blocks but no closing summary: the report was cut */
	const char *nosum =
		"benchmark name  samples  iterations  estimated\n"
		"                mean     low mean    high mean\n"
		"                std dev  low std dev high std dev\n"
		"--------------------------------------------------\n"
		"a                  100        2      8.3712 ms\n"
		"              41.731 us      41.25 us     42.622 us\n"
		"               3.256 us      2.163 us      5.353 us\n"
		"\n";
	expect_fail("catch2", nosum, "in.txt:9:1: truncated input: the closing 'test cases:' summary is missing");
}

static void test_cargo(void **state)
{
	(void)state;
	struct bk_result r;
	must_import(NULL, "cargo/cargo_output.txt", &r);
	assert_int_equal(r.nbenchmarks, 2);
	assert_string_equal(r.benchmarks[0].name, "bench_fib_10");
	assert_string_equal(r.benchmarks[0].source, "cargo");
	assert_string_equal(r.benchmarks[0].unit, "ns");
	assert_double_eq(r.benchmarks[0].samples[0], 135);
	assert_double_eq(metric(&r.benchmarks[0], "deviation"), 24);
	assert_double_eq(r.benchmarks[1].samples[0], 18149); /* "18,149" */
	assert_double_eq(metric(&r.benchmarks[1], "deviation"), 755);
	result_release(&r);

	must_import(NULL, "cargo/cargo_output2.txt", &r);
	assert_int_equal(r.nbenchmarks, 4);
	assert_string_equal(r.benchmarks[0].name, "bench_engine_new"); /* padding dropped */
	assert_double_eq(r.benchmarks[0].samples[0], 211834);
	assert_double_eq(metric(&r.benchmarks[0], "deviation"), 70126);
	assert_string_equal(r.benchmarks[3].name, "bench_engine_register_fn");
	result_release(&r);

	must_import(NULL, "cargo/cargo_output3.txt", &r);
	assert_double_eq(r.benchmarks[0].samples[0], 148.70);
	assert_double_eq(r.benchmarks[1].samples[0], 18794.12);
	assert_double_eq(metric(&r.benchmarks[1], "deviation"), 440.25);
	result_release(&r);

	must_import(NULL, "cargo/cargo_output_units.txt", &r);
	assert_int_equal(r.nbenchmarks, 5);
	assert_string_equal(r.benchmarks[0].unit, "cycles");
	assert_int_equal(r.benchmarks[0].direction, BK_SMALLER);
	assert_double_eq(r.benchmarks[0].samples[0], 2835);
	assert_string_equal(r.benchmarks[3].name, "upload");
	assert_string_equal(r.benchmarks[3].unit, "MS/s");
	assert_int_equal(r.benchmarks[3].direction, BK_BIGGER);
	assert_double_eq(r.benchmarks[4].samples[0], 9001); /* last line, no newline */
	result_release(&r);

	/* names with spaces (Criterion's bencher output) */
	must_import(NULL, "cargo/criterion_output.txt", &r);
	assert_int_equal(r.nbenchmarks, 4);
	assert_string_equal(r.benchmarks[1].name, "Symbols (Execution)");
	assert_double_eq(r.benchmarks[3].samples[0], 1672496);
	result_release(&r);

	must_import(NULL, "cargo/libtest.txt", &r);
	assert_int_equal(r.nbenchmarks, 3);
	assert_double_eq(r.benchmarks[1].samples[0], 50667.24);
	assert_double_eq(metric(&r.benchmarks[1], "deviation"), 40716.53);
	result_release(&r);

	must_import(NULL, "cargo/criterion_bencher.txt", &r);
	assert_int_equal(r.nbenchmarks, 3);
	assert_string_equal(r.benchmarks[0].name, "fib 15");
	assert_double_eq(r.benchmarks[0].samples[0], 4527);
	assert_string_equal(r.benchmarks[2].name, "fib_group/10");
	result_release(&r);
}

static void test_cargo_repeat_and_bad(void **state)
{
	(void)state;
	struct bk_result r;
	const char *text = "test a ... bench:   10 ns/iter (+/- 1)\n"
			   "test a ... bench:   12 ns/iter (+/- 2) = 100 MB/s\n";
	assert_int_equal(import_text("cargo", text, &r), 0);
	assert_int_equal(r.nbenchmarks, 1);
	assert_int_equal(r.benchmarks[0].nsamples, 2);
	assert_double_eq(r.benchmarks[0].samples[1], 12);
	assert_double_eq(metric(&r.benchmarks[0], "MB/s"), 100);
	result_release(&r);
	expect_fail("cargo", "test a ... bench:   10 ns/iter (+/- 1)\ntest b ... bench:   1,2", "in.txt:2:");
	expect_fail("cargo", "test a ... bench:   10 ns/iter (+/- 1)\ntest b ... bench:   1,2",
		    "truncated");
	expect_fail("cargo", "test a ... bench:   ten ns/iter (+/- 1)\n",
		    "in.txt:1:21: expected the time per iteration");
	expect_fail("cargo", "test a ... bench:   10 ns/iter (+/- 1\n", "in.txt:1:38: expected ')'");
	expect_fail("cargo", "test a ... bench:   10 ns/iter\ntest a ... bench:   10 cycles/iter\n",
		    "in.txt:2:24: unit 'cycles' differs from the earlier 'ns'");
	expect_fail("cargo", "test  ... bench:   10 ns/iter (+/- 1)\n", "line 1: empty name");
}

static void test_go(void **state)
{
	(void)state;
	struct bk_result r;
	must_import(NULL, "go/benchmem_count.txt", &r);
	assert_int_equal(r.nbenchmarks, 5);
	struct bk_benchmark *b = &r.benchmarks[0];
	assert_string_equal(b->name, "BenchmarkFib10-2");
	assert_string_equal(b->source, "go");
	assert_string_equal(b->unit, "ns");
	assert_string_equal(kvlist_get(&b->params, "pkg"), "example.com/benchkeepfix/fib");
	/* -count 3: three samples */
	assert_int_equal(b->nsamples, 3);
	assert_double_eq(b->samples[0], 280.0);
	assert_double_eq(b->samples[1], 258.3);
	assert_double_eq(b->samples[2], 269.3);
	assert_double_eq(metric(b, "B/op"), 0);
	assert_double_eq(metric(b, "allocs/op"), 0);
	assert_double_eq(metric(b, "iterations"), 20000);
	assert_double_eq(metric(b, "successful_ops"), 3);
	b = bench_named(&r, "BenchmarkFibTable/n=15-2", NULL, NULL);
	assert_double_eq(b->samples[2], 2971);
	/* the same name in another package stays another benchmark */
	b = bench_named(&r, "BenchmarkFib10-2", "pkg", "example.com/benchkeepfix/str");
	assert_ptr_not_equal(b, &r.benchmarks[0]);
	assert_double_eq(b->samples[0], 38.45);
	assert_double_eq(metric(b, "widgets/op"), 42);
	assert_double_eq(metric(b, "B/op"), 16);
	assert_double_eq(metric(b, "allocs/op"), 1);
	b = bench_named(&r, "BenchmarkJoin-2", NULL, NULL);
	assert_double_eq(metric(b, "MB/s"), (259.14 + 408.27 + 429.14) / 3);
	assert_double_eq(metric(b, "B/op"), 24);
	/* header lines fill the machine facts */
	assert_string_equal(r.run.machine.os, "linux");
	assert_string_equal(r.run.machine.arch, "amd64");
	assert_string_equal(r.run.machine.cpu_model, "AMD EPYC");
	result_release(&r);
}

static void test_go_upstream(void **state)
{
	(void)state;
	struct bk_result r;
	must_import(NULL, "go/go_output.txt", &r);
	assert_int_equal(r.nbenchmarks, 8);
	assert_string_equal(r.benchmarks[0].name, "BenchmarkFib10-8");
	assert_double_eq(r.benchmarks[0].samples[0], 325);
	assert_string_equal(r.benchmarks[1].name, "BenchmarkFib20");
	assert_double_eq(r.benchmarks[1].samples[0], 40537.123);
	assert_string_equal(r.benchmarks[5].name, "BenchmarkFib/my/tabled/benchmark_-_20,var1=13,var2=14");
	assert_double_eq(metric(&r.benchmarks[6], "auxMetricUnits"), 3);
	assert_string_equal(r.run.machine.os, "darwin");
	result_release(&r);

	must_import(NULL, "go/go_fiber_duplicate_names_output.txt", &r);
	assert_int_equal(r.nbenchmarks, 4);
	struct bk_benchmark *a = bench_named(&r, "BenchmarkAppendMsgitem-4", "pkg",
					     "github.com/gofiber/fiber/v3/middleware/cache");
	struct bk_benchmark *c = bench_named(&r, "BenchmarkAppendMsgitem-4", "pkg",
					     "github.com/gofiber/fiber/v3/middleware/csrf");
	assert_double_eq(a->samples[0], 55.76);
	assert_double_eq(metric(a, "MB/s"), 2833.37);
	assert_double_eq(c->samples[0], 0.3733);
	assert_double_eq(metric(c, "iterations"), 1000000000);
	assert_string_equal(r.run.machine.cpu_model, "AMD EPYC 7763 64-Core Processor");
	result_release(&r);

	must_import(NULL, "go/go_fiber_output.txt", &r);
	assert_int_equal(r.nbenchmarks, 6);
	assert_string_equal(r.benchmarks[1].name, "Benchmark_Ctx_Accepts/run-[]string{\"json\",_\"xml\"}-4");
	assert_double_eq(metric(&r.benchmarks[3], "B/op"), 48);
	result_release(&r);

	must_import(NULL, "go/go_single_package_output.txt", &r);
	assert_int_equal(r.nbenchmarks, 2); /* -v name echo lines are not results */
	assert_double_eq(r.benchmarks[1].samples[0], 40537);
	result_release(&r);

	must_import(NULL, "go/verbose.txt", &r);
	assert_int_equal(r.nbenchmarks, 2);
	result_release(&r);

	must_import(NULL, "go/gomaxprocs1.txt", &r);
	assert_string_equal(r.benchmarks[0].name, "BenchmarkFib10");
	assert_double_eq(r.benchmarks[0].samples[0], 261.5);
	result_release(&r);
}

static void test_go_failing_and_bad(void **state)
{
	(void)state;
	struct bk_result r;
	must_import(NULL, "go/failing.txt", &r);
	assert_int_equal(r.nbenchmarks, 2);
	assert_int_equal(r.benchmarks[0].nsamples, 2);
	struct bk_benchmark *b = bench_named(&r, "BenchmarkBroken", NULL, NULL);
	assert_int_equal(b->nsamples, 0);
	assert_double_eq(metric(b, "failed_ops"), 1);
	result_release(&r);
	struct strbuf sb = STRBUF_INIT;
	read_fixture("go/benchmem_count.txt", &sb);
	const char *cut = strstr(sb.buf, "BenchmarkFibTable/n=15-2");
	strbuf_setlen(&sb, (size_t)(cut - sb.buf) + 40);
	expect_fail("go", sb.buf, "truncated input: the last benchmark line is incomplete");
	expect_fail("go", sb.buf, "in.txt:11:");
	strbuf_release(&sb);
	expect_fail("go", "BenchmarkA-2  100  12 ns/op  5\nPASS\n",
		    "in.txt:1:30: malformed benchmark line");
	expect_fail("go", "BenchmarkA-2  100  1x2 ns/op\n", "in.txt:1:20: expected a number, found '1x2'");
	expect_fail("go", "BenchmarkA-2  100  12 ns/op\nBenchmarkA-2  100  12 B/op\n",
		    "in.txt:2:23: unit 'B/op' differs from the earlier 'ns'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catch2_v2_13),
		cmocka_unit_test(test_catch2_upstream),
		cmocka_unit_test(test_catch2_crlf_and_units),
		cmocka_unit_test(test_catch2_bad),
		cmocka_unit_test(test_cargo),
		cmocka_unit_test(test_cargo_repeat_and_bad),
		cmocka_unit_test(test_go),
		cmocka_unit_test(test_go_upstream),
		cmocka_unit_test(test_go_failing_and_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
