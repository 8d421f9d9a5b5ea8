/* Format detection over every fixture (each detected as its own format,
 * none as another), the importer table, and the importcore helpers
 * (numbers with position, exact unit scaling, dates, lines). */

#include "importtest.h"
#include "collector/import/importjson.h"

static const struct {
	const char *file, *format;
} fixtures[] = {
	{ "gbench/googlecpp_output.json", "gbench" },
	{ "gbench/gbench_repetitions.json", "gbench" },
	{ "gbench/gbench_aggregates_only.json", "gbench" },
	{ "hyperfine/basic.json", "hyperfine" },
	{ "hyperfine/params.json", "hyperfine" },
	{ "hyperfine/lists.json", "hyperfine" },
	{ "hyperfine/same_name.json", "hyperfine" },
	{ "hyperfine/failing.json", "hyperfine" },
	{ "pytest-benchmark/pytest_output.json", "pytest-benchmark" },
	{ "pytest-benchmark/pytest_several_units.json", "pytest-benchmark" },
	{ "pytest-benchmark/real.json", "pytest-benchmark" },
	{ "pytest-json-report/report.json", "pytest-json-report" },
	{ "catch2/catch2_output_v2.txt", "catch2" },
	{ "catch2/catch2_output_v3.txt", "catch2" },
	{ "catch2/issue16_output.txt", "catch2" },
	{ "catch2/v2_13_console.txt", "catch2" },
	{ "catch2-xml/v2_13.xml", "catch2-xml" },
	{ "cargo/cargo_output.txt", "cargo" },
	{ "cargo/cargo_output2.txt", "cargo" },
	{ "cargo/cargo_output3.txt", "cargo" },
	{ "cargo/cargo_output_units.txt", "cargo" },
	{ "cargo/criterion_output.txt", "cargo" },
	{ "cargo/libtest.txt", "cargo" },
	{ "cargo/criterion_bencher.txt", "cargo" },
	{ "criterion/target/criterion/fib 15/new/estimates.json", "criterion" },
	{ "criterion/target/criterion/fib_group/5/new/estimates.json", "criterion" },
	{ "criterion/estimates_only/criterion/solo/new/estimates.json", "criterion" },
	{ "cargo-criterion/messages.jsonl", "cargo-criterion" },
	{ "go/go_output.txt", "go" },
	{ "go/go_fiber_output.txt", "go" },
	{ "go/go_fiber_duplicate_names_output.txt", "go" },
	{ "go/go_single_package_output.txt", "go" },
	{ "go/benchmem_count.txt", "go" },
	{ "go/gomaxprocs1.txt", "go" },
	{ "go/verbose.txt", "go" },
	{ "go/failing.txt", "go" },
};

static const char *const mine[] = { "gbench", "hyperfine", "pytest-benchmark", "pytest-json-report",
				    "catch2", "catch2-xml", "cargo", "criterion", "cargo-criterion",
				    "go" };

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(mine) / sizeof(mine[0]); i++) {
		const struct importer *imp = importer_find(mine[i]);
		if (!imp)
			fail_msg("format '%s' is not registered", mine[i]);
		assert_non_null(imp->description);
		assert_non_null(imp->detect);
		assert_non_null(imp->parse);
	}
	assert_null(importer_find("nosuch"));
	/* names are unique */
	for (size_t i = 0; i < importer_count(); i++)
		for (size_t j = i + 1; j < importer_count(); j++)
			assert_string_not_equal(importer_at(i)->name, importer_at(j)->name);
}

static void test_every_fixture_detected(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		struct strbuf sb = STRBUF_INIT;
		read_fixture(fixtures[i].file, &sb);
		const struct importer *imp = importer_detect(sb.buf, sb.len);
		if (!imp || strcmp(imp->name, fixtures[i].format))
			fail_msg("%s detected as %s, expected %s", fixtures[i].file,
				 imp ? imp->name : "nothing", fixtures[i].format);
		/* and no other of these formats claims it as strongly */
		int best = imp->detect(sb.buf, sb.len);
		for (size_t k = 0; k < importer_count(); k++) {
			const struct importer *o = importer_at(k);
			if (o != imp && o->detect(sb.buf, sb.len) >= best)
				fail_msg("%s: %s scores as high as %s", fixtures[i].file, o->name,
					 imp->name);
		}
		/* and it imports, auto-detected, with at least one benchmark */
		struct bk_result r;
		must_import(NULL, fixtures[i].file, &r);
		assert_true(r.nbenchmarks > 0);
		for (size_t b = 0; b < r.nbenchmarks; b++)
			assert_string_equal(r.benchmarks[b].source, fixtures[i].format);
		result_release(&r);
		strbuf_release(&sb);
	}
}

static int is_mine(const char *name)
{
	for (size_t i = 0; i < sizeof(mine) / sizeof(mine[0]); i++)
		if (!strcmp(mine[i], name))
			return 1;
	return 0;
}

/* The other formats' upstream fixtures (BenchmarkDotNet, JMH, Julia,
 * benchmark.js, Luau, custom JSON) are never taken for one of these. */
static void test_no_cross_detection(void **state)
{
	(void)state;
	static const char *const others[] = {
		"benchmarkdotnet.json", "jmh_output.json", "jmh_output_2.json", "julia_output.json",
		"benchmarkjs_output.txt", "benchmarkluau_output.txt",
		"customBiggerIsBetter_output.json", "customSmallerIsBetter_output.json",
		"customSmallerIsBetter_output2.json",
	};
	const char *dir = getenv("BK_FIXTURES");
	int checked = 0;
	for (size_t i = 0; dir && i < sizeof(others) / sizeof(others[0]); i++) {
		struct strbuf p = STRBUF_INIT, sb = STRBUF_INIT;
		strbuf_addf(&p, "%s/github-action-benchmark/%s", dir, others[i]);
		if (strbuf_read_file(&sb, p.buf) == 0) {
			const struct importer *imp = importer_detect(sb.buf, sb.len);
			if (imp && is_mine(imp->name))
				fail_msg("%s detected as %s", others[i], imp->name);
			checked++;
		}
		strbuf_release(&p);
		strbuf_release(&sb);
	}
	/* a criterion change/estimates.json is not a benchmark */
	struct strbuf sb = STRBUF_INIT;
	read_fixture("criterion/change_estimates.json", &sb);
	const struct importer *imp = importer_detect(sb.buf, sb.len);
	if (imp && is_mine(imp->name))
		fail_msg("change/estimates.json detected as %s", imp->name);
	strbuf_release(&sb);
	/* nothing, text, a benchkeep result */
	assert_null(importer_detect("", 0));
	assert_null(importer_detect("hello world\n", 12));
	const char *res = "{\"schema\":\"benchkeep/result/v1\",\"run\":{},\"benchmarks\":[]}";
	imp = importer_detect(res, strlen(res));
	assert_true(!imp || !is_mine(imp->name));
	print_message("cross-detection checked on %d other fixtures\n", checked);
}

static void test_unknown_format_and_nul(void **state)
{
	(void)state;
	struct bk_result r;
	result_init(&r);
	assert_int_equal(import_buffer("nosuch", "f.txt", "x", 1, "s", &r), -1);
	assert_error_has("unknown format 'nosuch'");
	assert_int_equal(import_buffer(NULL, "f.txt", "hello\n", 6, "s", &r), -1);
	assert_error_has("f.txt: cannot detect the format");
	const char text[] = "goos: linux\nBenchmarkA-2 10 5 ns/op\n\0\n";
	assert_int_equal(import_buffer("go", "f.txt", text, sizeof(text) - 1, "s", &r), -1);
	assert_error_has("f.txt:3:1: NUL byte");
	assert_int_equal(r.nbenchmarks, 0);
	result_release(&r);
}

static void test_numbers(void **state)
{
	(void)state;
	double v;
	size_t used;
	assert_int_equal(importcore_parse_number("18,149 ns", 9, 1, &v, &used), 0);
	assert_double_eq(v, 18149);
	assert_int_equal(used, 6);
	assert_int_equal(importcore_parse_number("18,149", 6, 0, &v, &used), 0);
	assert_double_eq(v, 18);
	assert_int_equal(used, 2);
	assert_int_equal(importcore_parse_number("-1.5e-3x", 8, 0, &v, &used), 0);
	assert_double_eq(v, -1.5e-3);
	assert_int_equal(used, 7);
	assert_int_equal(importcore_parse_number(".5", 2, 0, &v, &used), 0);
	assert_double_eq(v, 0.5);
	assert_int_equal(importcore_parse_number("1e", 2, 0, &v, &used), 0);
	assert_int_equal(used, 1);
	assert_int_equal(importcore_parse_number("x1", 2, 0, &v, &used), -1);
	assert_int_equal(importcore_parse_number(".", 1, 0, &v, &used), -1);
	assert_int_equal(importcore_parse_number("1e999", 5, 0, &v, &used), -1);
	assert_int_equal(importcore_parse_number(",5", 2, 1, &v, &used), -1);
	/* scaling is exact decimal: 97.0256 us is 97025.6 ns, not 97025.59999999999 */
	assert_int_equal(importcore_parse_scaled("97.0256", 7, 0, 3, &v, &used), 0);
	assert_double_eq(v, 97025.6);
	assert_int_equal(importcore_parse_scaled("1.2e-3", 6, 0, 9, &v, &used), 0);
	assert_double_eq(v, 1.2e6);
	assert_int_equal(importcore_time_shift("\xc2\xb5s", 3), 3);
	assert_int_equal(importcore_time_shift("us", 2), 3);
	assert_int_equal(importcore_time_shift("s", 1), 9);
	assert_int_equal(importcore_time_shift("ks", 2), -1);
	assert_string_equal(importcore_time_unit("\xce\xbcs", 3), "us");
	assert_null(importcore_time_unit("min", 3));
}

static void test_times(void **state)
{
	(void)state;
	time_t t;
	assert_int_equal(importcore_parse_time("2026-11-30T13:08:19+00:00", 0, &t), 0);
	assert_int_equal((long long)t, 1796044099LL);
	assert_int_equal(importcore_parse_time("2026-11-30T14:08:19+01:00", 0, &t), 0);
	assert_int_equal((long long)t, 1796044099LL);
	assert_int_equal(importcore_parse_time("2026-11-30T13:08:19.285808Z", 0, &t), 0);
	assert_int_equal((long long)t, 1796044099LL);
	assert_int_equal(importcore_parse_time("2026-11-30T13:08:19.285808", 1, &t), 0);
	assert_int_equal((long long)t, 1796044099LL);
	assert_int_equal(importcore_parse_time("2026-11-30 13:08:19", 1, &t), 0);
	assert_int_equal((long long)t, 1796044099LL);
	assert_int_equal(importcore_parse_time("2026-13-30 13:08:19", 1, &t), -1);
	assert_int_equal(importcore_parse_time("2026-11-30", 1, &t), -1);
	assert_int_equal(importcore_parse_time("2026-11-30T13:08:19+0", 1, &t), -1);
	assert_int_equal(importcore_parse_time("2026-11-30T13:08:19 junk", 1, &t), -1);
	assert_int_equal(importcore_parse_time("1969-12-31T23:59:59Z", 1, &t), -1);
}

static void test_utf8(void **state)
{
	(void)state;
	assert_int_equal(importcore_utf8_invalid("abc", 3), 3);
	assert_int_equal(importcore_utf8_invalid("\xc3\xa9t\xc3\xa9", 5), 5);
	assert_int_equal(importcore_utf8_invalid("\xf0\x9f\x98\x80", 4), 4);
	assert_int_equal(importcore_utf8_invalid("a\xff", 2), 1);
	assert_int_equal(importcore_utf8_invalid("a\xc3", 2), 1);      /* cut sequence */
	assert_int_equal(importcore_utf8_invalid("\xc0\xaf", 2), 0);  /* overlong '/' */
	assert_int_equal(importcore_utf8_invalid("\xed\xa0\x80", 3), 0); /* surrogate */
	/* an invalid name is refused with its place */
	struct bk_result r;
	const char text[] = "test caf\xe9 ... bench:   10 ns/iter (+/- 1)\n";
	result_init(&r);
	assert_int_equal(import_buffer("cargo", "in.txt", text, sizeof(text) - 1, "s", &r), -1);
	assert_error_has("in.txt: line 1: invalid UTF-8 at byte 4");
	assert_int_equal(r.nbenchmarks, 0);
	result_release(&r);
}

static void test_lines(void **state)
{
	(void)state;
	struct importcore_lines it;
	const char *text = "a\r\n\nbc";
	importcore_lines_init(&it, text, strlen(text));
	assert_int_equal(importcore_lines_next(&it), 1);
	assert_int_equal(it.linelen, 1);
	assert_int_equal(it.lineno, 1);
	assert_int_equal(importcore_lines_next(&it), 1);
	assert_int_equal(it.linelen, 0);
	assert_int_equal(importcore_lines_next(&it), 1);
	assert_int_equal(it.linelen, 2);
	assert_int_equal(it.start, 4);
	assert_int_equal(it.lineno, 3);
	assert_int_equal(importcore_lines_next(&it), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_every_fixture_detected),
		cmocka_unit_test(test_no_cross_detection),
		cmocka_unit_test(test_unknown_format_and_nul),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
