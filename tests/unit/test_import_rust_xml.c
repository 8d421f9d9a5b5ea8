/* Criterion estimates.json (with benchmark.json and sample.json beside it),
 * cargo-criterion JSON lines and the Catch2 XML reporter, on real outputs. */
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

static void test_criterion_with_samples(void **state)
{
	(void)state;
	struct bk_result r;
	must_import(NULL, "criterion/target/criterion/fib 15/new/estimates.json", &r);
	assert_int_equal(r.nbenchmarks, 1);
	struct bk_benchmark *b = &r.benchmarks[0];
	assert_string_equal(b->name, "fib 15"); /* benchmark.json full_id */
	assert_string_equal(b->source, "criterion");
	assert_string_equal(b->unit, "ns");
	/* sample.json: times[i] / iters[i] */
	assert_int_equal(b->nsamples, 10);
	assert_double_eq(b->samples[0], 7117101.0 / 847.0);
	assert_double_eq(b->samples[9], 37106292.0 / 8470.0);
	assert_false(has_metric(b, "summary_only"));
	assert_double_eq(metric(b, "summary_median"), 4527.925546044864);
	assert_double_eq(metric(b, "summary_mean"), 5003.531623704579);
	assert_double_eq(metric(b, "summary_std_dev"), 1269.3487674935618);
	assert_double_eq(metric(b, "summary_slope"), 4474.555850289026);
	result_release(&r);

	must_import("criterion", "criterion/target/criterion/fib_group/5/new/estimates.json", &r);
	assert_string_equal(r.benchmarks[0].name, "fib_group/5");
	assert_double_eq(r.benchmarks[0].samples[0], 1679172.0 / 155089.0);
	assert_double_eq(r.benchmarks[0].samples[9], 40977247.0 / 1550890.0);
	result_release(&r);
}

static void test_criterion_estimates_only(void **state)
{
	(void)state;
	struct bk_result r;
	/* no benchmark.json: named from the path; no sample.json: the median */
	must_import(NULL, "criterion/estimates_only/criterion/solo/new/estimates.json", &r);
	assert_int_equal(r.nbenchmarks, 1);
	struct bk_benchmark *b = &r.benchmarks[0];
	assert_string_equal(b->name, "solo");
	assert_int_equal(b->nsamples, 1);
	assert_double_eq(b->samples[0], 665.6641153030068);
	assert_double_eq(metric(b, "summary_only"), 1);
	assert_double_eq(metric(b, "summary_mean"), 859.4143467758629);
	result_release(&r);
	/* from standard input there is no path to name it by */
	struct strbuf sb = STRBUF_INIT;
	read_fixture("criterion/estimates_only/criterion/solo/new/estimates.json", &sb);
	result_init(&r);
	assert_int_equal(import_buffer("criterion", "<stdin>", sb.buf, sb.len, "s", &r), -1);
	assert_error_has("give the file, not standard input");
	result_release(&r);
	strbuf_setlen(&sb, sb.len / 2);
	expect_fail("criterion", sb.buf, "truncated");
	strbuf_release(&sb);
	expect_fail("criterion", "{\"mean\":{\"point_estimate\":\"x\"},\"median\":{}}",
		    "in.txt: mean.point_estimate: expected a number");
	expect_fail("criterion", "{\"mean\":{\"point_estimate\":1}}", "in.txt: median: missing");
}

static void test_cargo_criterion(void **state)
{
	(void)state;
	struct bk_result r;
	must_import(NULL, "cargo-criterion/messages.jsonl", &r);
	/* the compiler-artifact and group-complete lines are skipped */
	assert_int_equal(r.nbenchmarks, 3);
	struct bk_benchmark *b = &r.benchmarks[0];
	assert_string_equal(b->name, "fib 15");
	assert_string_equal(b->source, "cargo-criterion");
	assert_string_equal(b->unit, "ns");
	assert_int_equal(b->nsamples, 10);
	assert_double_eq(b->samples[0], 7117101.0 / 847.0);
	assert_double_eq(b->samples[9], 37106292.0 / 8470.0);
	assert_double_eq(metric(b, "summary_median"), 4527.925546044864);
	assert_double_eq(metric(b, "summary_typical"), 4474.555850289026);
	assert_string_equal(r.benchmarks[1].name, "fib_group/5");
	assert_double_eq(r.benchmarks[1].samples[0], 1679172.0 / 155089.0);
	assert_string_equal(r.benchmarks[2].name, "fib_group/10");
	result_release(&r);
}

static void test_cargo_criterion_bad(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	read_fixture("cargo-criterion/messages.jsonl", &sb);
	/* cut inside the third line */
	const char *l3 = strchr(strchr(sb.buf, '\n') + 1, '\n') + 1;
	strbuf_setlen(&sb, (size_t)(l3 - sb.buf) + 100);
	expect_fail("cargo-criterion", sb.buf, "truncated");
	expect_fail("cargo-criterion", sb.buf, "in.txt:3:101:");
	strbuf_release(&sb);
	expect_fail("cargo-criterion",
		    "{\"reason\":\"benchmark-complete\",\"id\":\"a\",\"unit\":\"ns\",\"measured_values\":[1,2],"
		    "\"iteration_count\":[1]}\n",
		    "line 1: measured_values: 2 values for 1 iteration counts");
	expect_fail("cargo-criterion",
		    "{\"reason\":\"benchmark-complete\",\"id\":\"a\",\"unit\":\"ns\",\"measured_values\":[1],"
		    "\"iteration_count\":[0]}\n",
		    "line 1.iteration_count[0]: expected a positive number");
	expect_fail("cargo-criterion", "{\"reason\":\"benchmark-complete\",\"id\":\"a\"} junk\n",
		    "in.txt:1:42: invalid JSON: unexpected data after the value");
	expect_fail("cargo-criterion", "{\"reason\":\"benchmark-complete\",\"id\":\"a\",}\n{}\n",
		    "in.txt:1:");
}

static void test_catch2_xml(void **state)
{
	(void)state;
	struct bk_result r;
	must_import(NULL, "catch2-xml/v2_13.xml", &r);
	assert_int_equal(r.nbenchmarks, 4);
	struct bk_benchmark *b = &r.benchmarks[0];
	assert_string_equal(b->name, "Fibonacci 10");
	assert_string_equal(b->source, "catch2-xml");
	assert_string_equal(b->unit, "ns");
	assert_double_eq(b->samples[0], 50.1957);
	assert_double_eq(metric(b, "summary_only"), 1);
	assert_double_eq(metric(b, "summary_low_mean"), 47.1522);
	assert_double_eq(metric(b, "summary_high_mean"), 62.1794);
	assert_double_eq(metric(b, "summary_stddev"), 12.9187);
	assert_double_eq(metric(b, "samples"), 20);
	assert_double_eq(metric(b, "iterations"), 578);
	assert_string_equal(r.benchmarks[2].name, "vector push_back of one hundred thousand integers "
						  "with a long benchmark name that wraps");
	assert_double_eq(r.benchmarks[2].samples[0], 137845);
	/* entities decoded */
	assert_string_equal(r.benchmarks[3].name, "string <copy> & \"quote\"");
	assert_double_eq(r.benchmarks[3].samples[0], 15.7479);
	result_release(&r);
}

static void test_catch2_xml_bad(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	read_fixture("catch2-xml/v2_13.xml", &sb);
	struct strbuf cut = STRBUF_INIT;
	strbuf_add(&cut, sb.buf, sb.len - 30); /* inside the closing tags */
	expect_fail("catch2-xml", cut.buf, "truncated input: the report's root element is not closed");
	strbuf_reset(&cut);
	const char *mid = strstr(sb.buf, "Fibonacci 25");
	strbuf_add(&cut, sb.buf, (size_t)(mid - sb.buf) + 200);
	expect_fail("catch2-xml", cut.buf, "truncated input: the document ends inside <BenchmarkResults>");
	strbuf_release(&cut);
	strbuf_release(&sb);
	expect_fail("catch2-xml",
		    "<Catch name=\"x\">\n<BenchmarkResults name=\"a\" samples=\"1\">\n"
		    "<mean value=\"abc\"/><standardDeviation value=\"1\"/>\n</BenchmarkResults>\n</Catch>\n",
		    "in.txt:3:1: attribute value: expected a number, found 'abc'");
	expect_fail("catch2-xml",
		    "<Catch name=\"x\">\n<BenchmarkResults name=\"a&bogus;\">\n"
		    "<mean value=\"1\"/><standardDeviation value=\"1\"/>\n</BenchmarkResults>\n</Catch>\n",
		    "in.txt:2:1: attribute name: bad entity");
	expect_fail("catch2-xml",
		    "<Catch name=\"x\">\n<BenchmarkResults name=\"a\">\n"
		    "<standardDeviation value=\"1\"/>\n</BenchmarkResults>\n</Catch>\n",
		    "<mean /> missing in the benchmark 'a'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_criterion_with_samples),
		cmocka_unit_test(test_criterion_estimates_only),
		cmocka_unit_test(test_cargo_criterion),
		cmocka_unit_test(test_cargo_criterion_bad),
		cmocka_unit_test(test_catch2_xml),
		cmocka_unit_test(test_catch2_xml_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
