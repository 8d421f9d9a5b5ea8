/* Importers of part B of issue 3: BenchmarkDotNet, JMH, Julia
 * BenchmarkTools, benchmark.js, Luau, github-action-benchmark custom JSON
 * and the Rust-style baseline. Real outputs (tests/fixtures/<format>/, from
 * github-action-benchmark's test data) are imported through import_buffer
 * and every value is checked against the file; truncated and malformed
 * input must fail with the file and the position; hostile names stay
 * verbatim; every detector must pick its own fixtures and leave the other
 * harnesses' outputs alone. */
#include <math.h>

#include "testutil.h"
#include "lib/base/error.h"
#include "collector/import/importer.h"
#include "collector/import/importjson.h"
#include "lib/doc/result.h"
#include "lib/base/strbuf.h"

#include <dirent.h>

static const char *root(void)
{
	const char *r = getenv("BK_ROOT");
	return r && *r ? r : ".";
}

static void read_fixture(const char *rel, struct strbuf *sb)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/fixtures/%s", root(), rel);
	strbuf_reset(sb);
	if (strbuf_read_file(sb, path) < 0)
		fail_msg("cannot read fixture '%s'", path);
}

/* Imports fixture `rel` with `format` (NULL: detect) into a fresh *r. */
static void import_fixture(const char *format, const char *rel, struct bk_result *r)
{
	struct strbuf sb = STRBUF_INIT;
	read_fixture(rel, &sb);
	result_init(r);
	if (import_buffer(format, rel, sb.buf, sb.len, "suite", r) != 0)
		fail_msg("import of %s failed: %s", rel, bk_last_error());
	strbuf_release(&sb);
}

/* Imports text that must fail; the error must contain every needle. */
static void expect_error(const char *format, const char *text, size_t len, const char *n1,
			 const char *n2)
{
	struct bk_result r;
	result_init(&r);
	/* a benchmark already there must survive a failed import */
	struct bk_benchmark *b = result_add_benchmark(&r, "keep", "me");
	b->unit = strdup("s");
	bench_add_sample(b, 1);
	if (import_buffer(format, "bad.in", text, len, "suite", &r) == 0)
		fail_msg("import of bad input succeeded (%zu benchmarks)", r.nbenchmarks);
	const char *e = bk_last_error();
	if (!strstr(e, "bad.in") || (n1 && !strstr(e, n1)) || (n2 && !strstr(e, n2)))
		fail_msg("error '%s' lacks 'bad.in' / '%s' / '%s'", e, n1 ? n1 : "", n2 ? n2 : "");
	if (strchr(e, '\n'))
		fail_msg("error is not one line: '%s'", e);
	assert_int_equal(r.nbenchmarks, 1);
	assert_string_equal(r.benchmarks[0].name, "me");
	assert_null(r.run.machine.cpu_model);
	assert_int_equal(r.run.machine.extra.nr, 0);
	result_release(&r);
}

static void expect_error_s(const char *format, const char *text, const char *n1, const char *n2)
{
	expect_error(format, text, strlen(text), n1, n2);
}

static double metric(const struct bk_benchmark *b, const char *key)
{
	double v;
	if (!metrics_get(&b->metrics, key, &v))
		fail_msg("benchmark '%s' has no metric '%s'", b->name, key);
	return v;
}

static void assert_param(const struct bk_benchmark *b, const char *k, const char *v)
{
	const char *got = kvlist_get(&b->params, k);
	if (!got || strcmp(got, v))
		fail_msg("benchmark '%s': param %s = '%s', want '%s'", b->name, k, got ? got : "(none)",
			 v);
}

static void assert_samples(const struct bk_benchmark *b, size_t n, double first, double last)
{
	if (b->nsamples != n)
		fail_msg("benchmark '%s': %zu samples, want %zu", b->name, b->nsamples, n);
	assert_true(b->samples[0] == first);
	assert_true(b->samples[n - 1] == last);
	assert_int_equal(b->stats.n, n); /* finalised by import_buffer */
}

/* ---------------------------------------------------------------- */

static void test_bdn_upstream(void **state)
{
	(void)state;
	struct bk_result r;
	import_fixture(NULL, "benchmarkdotnet/benchmarkdotnet.json", &r);
	assert_int_equal(r.nbenchmarks, 2);
	struct bk_benchmark *b = &r.benchmarks[0];
	assert_string_equal(b->suite, "suite");
	assert_string_equal(b->name, "Sample.Benchmarks.Fib10");
	assert_string_equal(b->unit, "ns");
	assert_string_equal(b->source, "benchmarkdotnet");
	assert_int_equal(b->direction, BK_SMALLER);
	assert_int_equal(b->params.nr, 0);
	assert_samples(b, 14, 24.805462032556534, 24.17329317331314);
	assert_close(b->stats.mean, 24.4202085009643, 1e-12); /* BenchmarkDotNet's own Mean */
	assert_close(b->stats.min, 24.06129601597786, 0);
	b = &r.benchmarks[1];
	assert_string_equal(b->name, "Sample.Benchmarks.Fib20");
	assert_samples(b, 13, 51.17876464128494, 51.93778932094574);
	assert_string_equal(r.run.machine.cpu_model, "Intel Core i7-7820HQ CPU 2.90GHz (Kaby Lake)");
	assert_int_equal(r.run.machine.cpu_cores, 8);
	assert_string_equal(kvlist_get(&r.run.machine.extra, "benchmarkdotnet"), "0.12.1");
	result_release(&r);
}

static void test_bdn_params_memory(void **state)
{
	(void)state;
	struct bk_result r;
	import_fixture(NULL, "benchmarkdotnet/params_memory_full.json", &r);
	assert_int_equal(r.nbenchmarks, 2); /* "Broken" measured nothing: skipped */
	struct bk_benchmark *b = &r.benchmarks[0];
	assert_string_equal(b->name, "Sample.ParamBenchmarks.Concat");
	assert_int_equal(b->params.nr, 3);
	assert_param(b, "N", "10");
	assert_param(b, "Sep", "a&b");
	assert_param(b, "job", "ShortRun(IterationCount=3, LaunchCount=1, WarmupCount=3)");
	assert_samples(b, 3, 112.5, 111.75); /* OriginalValues before measurements */
	assert_close(metric(b, "BytesAllocatedPerOperation"), 144, 0);
	assert_close(metric(b, "Gen0Collections"), 287, 0);
	assert_close(metric(b, "Gen1Collections"), 0, 0);
	assert_close(metric(b, "TotalOperations"), 4194304, 0);
	assert_close(metric(b, "Gen0Collects"), 0.0684, 0);
	assert_close(metric(b, "Allocated Memory"), 144, 0);
	b = &r.benchmarks[1];
	assert_param(b, "N", "100");
	/* no statistics: Workload/Result measurements, Nanoseconds / Operations */
	assert_samples(b, 2, 1153433600.0 / 1048576, 1142947840.0 / 1048576);
	assert_close(b->samples[0], 1100, 0);
	assert_close(b->samples[1], 1090, 0);
	assert_false(b->metrics.nr > 5);
	assert_string_equal(r.run.machine.cpu_model, "AMD EPYC 7B13");
	result_release(&r);

	import_fixture(NULL, "benchmarkdotnet/params_brief_compressed.json", &r);
	assert_int_equal(r.nbenchmarks, 1);
	b = &r.benchmarks[0];
	assert_int_equal(b->params.nr, 2); /* DefaultJob adds no "job" */
	result_release(&r);

	/* with the UTF-8 byte order mark BenchmarkDotNet writes on Windows */
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "\xEF\xBB\xBF");
	struct strbuf body = STRBUF_INIT;
	read_fixture("benchmarkdotnet/params_brief_compressed.json", &body);
	strbuf_add(&sb, body.buf, body.len);
	result_init(&r);
	assert_int_equal(import_buffer(NULL, "bom.json", sb.buf, sb.len, "s", &r), 0);
	strbuf_release(&sb);
	strbuf_release(&body);
	assert_int_equal(r.nbenchmarks, 1);
	b = &r.benchmarks[0];
	assert_int_equal(b->params.nr, 2); /* DefaultJob adds no "job" */
	assert_param(b, "Sep", "a&b");
	assert_samples(b, 3, 112.5, 111.75);
	result_release(&r);
}

static void test_bdn_actual_measurements(void **state)
{
	(void)state;
	/* no OriginalValues and no Result stage: Workload/Actual, per operation */
	const char *text =
		"{\"Benchmarks\":[{\"FullName\":\"A.B.C\",\"Parameters\":\"\",\"Statistics\":{},"
		"\"Measurements\":[{\"IterationMode\":\"Overhead\",\"IterationStage\":\"Actual\","
		"\"Operations\":4,\"Nanoseconds\":4},{\"IterationMode\":\"Workload\",\"IterationStage\":"
		"\"Actual\",\"Operations\":4,\"Nanoseconds\":10},{\"IterationMode\":\"Workload\","
		"\"IterationStage\":\"Actual\",\"Operations\":2,\"Nanoseconds\":7}]}]}";
	struct bk_result r;
	result_init(&r);
	assert_int_equal(import_buffer("benchmarkdotnet", "x.json", text, strlen(text), "s", &r), 0);
	assert_int_equal(r.nbenchmarks, 1);
	assert_samples(&r.benchmarks[0], 2, 2.5, 3.5);
	result_release(&r);
}

static void test_jmh_upstream(void **state)
{
	(void)state;
	struct bk_result r;
	import_fixture(NULL, "jmh/jmh_output.json", &r);
	assert_int_equal(r.nbenchmarks, 1);
	struct bk_benchmark *b = &r.benchmarks[0];
	assert_string_equal(b->name, "org.openjdk.jmh.samples.JMHSample_01_HelloWorld.wellHelloThere");
	assert_string_equal(b->unit, "ops/s");
	assert_int_equal(b->direction, BK_BIGGER);
	assert_string_equal(b->source, "jmh");
	assert_int_equal(b->params.nr, 1);
	assert_param(b, "mode", "thrpt");
	assert_samples(b, 3, 3.376842765688582E9, 3.375353964729294E9);
	assert_int_equal(b->metrics.nr, 0);
	assert_string_equal(kvlist_get(&r.run.machine.extra, "jdk"), "1.8.0_202");
	assert_string_equal(kvlist_get(&r.run.machine.extra, "jvm_name"), "Java HotSpot(TM) 64-Bit Server VM");
	assert_string_equal(kvlist_get(&r.run.machine.extra, "jmh"), "1.29");
	result_release(&r);

	import_fixture(NULL, "jmh/jmh_output_2.json", &r);
	b = &r.benchmarks[0];
	assert_int_equal(b->params.nr, 3);
	assert_param(b, "paramA", "17");
	assert_param(b, "paramB", "33");
	assert_param(b, "mode", "thrpt");
	assert_samples(b, 3, 3.376842765688582E9, 3.375353964729294E9);
	result_release(&r);
}

static void test_jmh_modes_units_gc(void **state)
{
	(void)state;
	struct bk_result r;
	/* a @Param called "mode" is not overwritten by the JMH mode */
	const char *t = "[{\"benchmark\":\"a\",\"mode\":\"avgt\",\"params\":{\"mode\":\"fast\"},"
			"\"primaryMetric\":{\"scoreUnit\":\"ns/op\",\"rawData\":[[1]]}}]";
	result_init(&r);
	assert_int_equal(import_buffer(NULL, "m.json", t, strlen(t), "s", &r), 0);
	assert_param(&r.benchmarks[0], "mode", "fast");
	assert_param(&r.benchmarks[0], "jmh.mode", "avgt");
	result_release(&r);

	import_fixture(NULL, "jmh/jmh_sample_avgt_gc.json", &r);
	assert_int_equal(r.nbenchmarks, 4);
	struct bk_benchmark *b = &r.benchmarks[0];
	assert_string_equal(b->name, "org.example.Codec.decode");
	assert_string_equal(b->unit, "us");
	assert_int_equal(b->direction, BK_SMALLER);
	assert_param(b, "size", "1024");
	assert_param(b, "codec", "<script>|../x");
	assert_param(b, "mode", "avgt");
	assert_samples(b, 4, 410.5, 414.0); /* two forks of two iterations */
	assert_true(b->samples[1] == 411.25 && b->samples[2] == 413.5);
	assert_close(metric(b, "gc.alloc.rate"), 1263.308, 0);
	assert_close(metric(b, "gc.alloc.rate.norm"), 2568.898, 0);
	assert_int_equal(b->metrics.nr, 2); /* gc.count was NaN */

	b = &r.benchmarks[1]; /* sample mode: the histogram expanded */
	assert_string_equal(b->unit, "ms");
	assert_param(b, "mode", "sample");
	assert_samples(b, 6, 0.375, 0.5);
	assert_true(b->samples[1] == 0.375 && b->samples[2] == 0.4 && b->samples[4] == 0.4);
	assert_close(metric(b, "gc.alloc.rate.norm"), 2568.0, 0);
	/* same method and params, another mode: a distinct benchmark */
	assert_ptr_not_equal(result_find(&r, "suite", b->name, &b->params), &r.benchmarks[0]);

	b = &r.benchmarks[2];
	assert_string_equal(b->unit, "ops/ms");
	assert_int_equal(b->direction, BK_BIGGER);
	assert_samples(b, 3, 540.5, 558.65);

	b = &r.benchmarks[3];
	assert_string_equal(b->unit, "s");
	assert_int_equal(b->direction, BK_SMALLER);
	assert_param(b, "mode", "ss");
	assert_samples(b, 3, 1.5, 1.25);
	result_release(&r);
}

static void test_julia(void **state)
{
	(void)state;
	struct bk_result r;
	import_fixture(NULL, "julia/julia_output.json", &r);
	assert_int_equal(r.nbenchmarks, 2);
	struct bk_benchmark *b = &r.benchmarks[0];
	assert_string_equal(b->name, "fib/20"); /* file order */
	assert_string_equal(kvlist_get(&r.run.machine.extra, "julia"), "1.7.0-rc3");
	assert_string_equal(b->unit, "ns");
	assert_int_equal(b->direction, BK_SMALLER);
	assert_string_equal(b->source, "julia");
	assert_samples(b, 1, 31028.0, 31028.0);
	assert_close(metric(b, "allocs"), 0, 0);
	assert_close(metric(b, "memory"), 0, 0);
	assert_close(metric(b, "gctime"), 0, 0);
	b = &r.benchmarks[1];
	assert_string_equal(b->name, "fib/10");
	assert_samples(b, 1, 246.03846153846155, 246.03846153846155);
	result_release(&r);

	/* a trial at the top level is named by its position */
	const char *t = "[{\"Julia\":\"1\",\"BenchmarkTools\":\"1\"},[[\"TrialEstimate\",{\"time\":7}],"
			"[\"Trial\",{\"times\":[1,2],\"gctimes\":[],\"memory\":1,\"allocs\":1}]]]";
	result_init(&r);
	assert_int_equal(import_buffer(NULL, "j.json", t, strlen(t), "s", &r), 0);
	assert_int_equal(r.nbenchmarks, 2);
	assert_string_equal(r.benchmarks[0].name, "1");
	assert_string_equal(r.benchmarks[1].name, "2");
	assert_samples(&r.benchmarks[1], 2, 1, 2);
	result_release(&r);

	import_fixture(NULL, "julia/julia_trials.json", &r);
	assert_int_equal(r.nbenchmarks, 2);
	b = &r.benchmarks[0];
	assert_string_equal(b->name, "sort/n=1000");
	assert_samples(b, 4, 10250.5, 10175.0);
	assert_close(metric(b, "gctime"), 30, 0);
	assert_close(metric(b, "allocs"), 3, 0);
	assert_close(metric(b, "memory"), 8192, 0);
	b = &r.benchmarks[1];
	assert_string_equal(b->name, "sort/<script>|../x");
	assert_samples(b, 1, 42.5, 42.5);
	result_release(&r);
}

static void test_benchmarkjs(void **state)
{
	(void)state;
	struct bk_result r;
	import_fixture(NULL, "benchmarkjs/benchmarkjs_output.txt", &r);
	assert_int_equal(r.nbenchmarks, 3); /* "this x line should be ignored" is */
	struct bk_benchmark *b = &r.benchmarks[0];
	assert_string_equal(b->name, "fib(10)");
	assert_string_equal(b->unit, "ops/s");
	assert_int_equal(b->direction, BK_BIGGER);
	assert_string_equal(b->source, "benchmarkjs");
	assert_samples(b, 1, 1431759, 1431759);
	assert_close(metric(b, "rme_percent"), 0.74, 0);
	assert_close(metric(b, "runs_sampled"), 93, 0);
	b = &r.benchmarks[1];
	assert_string_equal(b->name, "fib(20)");
	assert_samples(b, 1, 12146, 12146);
	assert_close(metric(b, "rme_percent"), 0.32, 0);
	b = &r.benchmarks[2];
	assert_string_equal(b->name, "createObjectBuffer with 200 comments");
	assert_samples(b, 1, 81.61, 81.61);
	assert_close(metric(b, "rme_percent"), 1.70, 0);
	assert_close(metric(b, "runs_sampled"), 69, 0);
	result_release(&r);

	/* the suite run twice: the repeated names add samples */
	const char *twice = "a x 10 ops/sec \xC2\xB1" "1% (5 runs sampled)\nb x 20 ops/sec \xC2\xB1" "2% (6 runs "
			    "sampled)\na x 12 ops/sec \xC2\xB1" "3% (7 runs sampled)\n";
	result_init(&r);
	assert_int_equal(import_buffer(NULL, "t.txt", twice, strlen(twice), "s", &r), 0);
	assert_int_equal(r.nbenchmarks, 2);
	assert_samples(&r.benchmarks[0], 2, 10, 12);
	assert_close(metric(&r.benchmarks[0], "runs_sampled"), 7, 0);
	assert_samples(&r.benchmarks[1], 1, 20, 20);
	result_release(&r);

	/* one run, CRLF endings, ASCII "+-" */
	const char *t = "x x y x 1.5 ops/sec +-12.25% (1 run sampled)\r\n";
	result_init(&r);
	assert_int_equal(import_buffer(NULL, "t.txt", t, strlen(t), "s", &r), 0);
	assert_string_equal(r.benchmarks[0].name, "x x y");
	assert_samples(&r.benchmarks[0], 1, 1.5, 1.5);
	assert_close(metric(&r.benchmarks[0], "rme_percent"), 12.25, 0);
	result_release(&r);
}

static void test_luau(void **state)
{
	(void)state;
	struct bk_result r;
	import_fixture(NULL, "benchmarkluau/benchmarkluau_output.txt", &r);
	assert_int_equal(r.nbenchmarks, 3);
	static const char *const names[] = { "base64", "chess", "life" };
	static const double avg[] = { 15.041, 69.560, 85.089 }, pct[] = { 0.636, 0.212, 0.187 },
			    min[] = { 14.831, 69.106, 84.696 };
	for (int i = 0; i < 3; i++) {
		struct bk_benchmark *b = &r.benchmarks[i];
		assert_string_equal(b->name, names[i]);
		assert_string_equal(b->unit, "ms");
		assert_int_equal(b->direction, BK_SMALLER);
		assert_string_equal(b->source, "benchmarkluau");
		assert_param(b, "driver", "luau");
		assert_samples(b, 1, avg[i], avg[i]);
		assert_close(metric(b, "stddev_percent"), pct[i], 0);
		assert_close(metric(b, "min"), min[i], 0);
	}
	result_release(&r);

	/* two drivers stay apart; a repeated name and driver adds a sample; the
	 * table's Min lands on the right one, converted to its unit */
	const char *t = "SUCCESS: a : 2ms +/- 1% on luau\n"
			"SUCCESS: a : 1500us +/- 2% on luau-codegen\n"
			"SUCCESS: a : 3ms +/- 1% on luau\n"
			"Test | Min | Average | StdDev% | Driver\n"
			"a    | 1.25ms | 2.5ms | 1% | luau-codegen\n"
			"a    | 1.5ms | 2.5ms | 1% | luau\n"
			"Total | 9ms | 9ms | --- | luau\n";
	result_init(&r);
	assert_int_equal(import_buffer(NULL, "l.txt", t, strlen(t), "s", &r), 0);
	assert_int_equal(r.nbenchmarks, 2);
	assert_param(&r.benchmarks[0], "driver", "luau");
	assert_samples(&r.benchmarks[0], 2, 2, 3);
	assert_close(metric(&r.benchmarks[0], "min"), 1.5, 0);
	assert_param(&r.benchmarks[1], "driver", "luau-codegen");
	assert_string_equal(r.benchmarks[1].unit, "us");
	assert_samples(&r.benchmarks[1], 1, 1500, 1500);
	assert_close(metric(&r.benchmarks[1], "min"), 1250, 1e-9);
	result_release(&r);
}

static void test_custom(void **state)
{
	(void)state;
	struct bk_result r;
	/* detected: direction from the unit */
	import_fixture(NULL, "custom/customBiggerIsBetter_output.json", &r);
	assert_int_equal(r.nbenchmarks, 2);
	struct bk_benchmark *b = &r.benchmarks[0];
	assert_string_equal(b->source, "custom");
	assert_string_equal(b->name, "My Custom Bigger Is Better Benchmark - Throughput");
	assert_string_equal(b->unit, "req/s");
	assert_int_equal(b->direction, BK_BIGGER);
	assert_samples(b, 1, 70, 70);
	assert_int_equal(b->metrics.nr, 0);
	b = &r.benchmarks[1];
	assert_string_equal(b->unit, "Megabytes");
	assert_int_equal(b->direction, BK_SMALLER);
	assert_samples(b, 1, 150, 150);
	assert_close(metric(b, "range"), 3, 0);
	result_release(&r);
	/* named: the direction of the format */
	import_fixture("customBiggerIsBetter", "custom/customBiggerIsBetter_output.json", &r);
	assert_int_equal(r.benchmarks[1].direction, BK_BIGGER);
	assert_string_equal(r.benchmarks[1].source, "customBiggerIsBetter");
	result_release(&r);

	import_fixture("customSmallerIsBetter", "custom/customSmallerIsBetter_output.json", &r);
	assert_int_equal(r.nbenchmarks, 2);
	b = &r.benchmarks[0];
	assert_string_equal(b->name, "My Custom Smaller Is Better Benchmark - CPU Load");
	assert_string_equal(b->unit, "Percent");
	assert_int_equal(b->direction, BK_SMALLER);
	assert_samples(b, 1, 50, 50);
	assert_close(metric(b, "range_percent"), 5, 0);
	assert_samples(&r.benchmarks[1], 1, 100, 100);
	result_release(&r);

	import_fixture("customSmallerIsBetter", "custom/customSmallerIsBetter_output2.json", &r);
	assert_int_equal(r.nbenchmarks, 4);
	b = &r.benchmarks[0];
	assert_string_equal(b->name, "No instrumentation");
	assert_string_equal(b->unit, "ns");
	assert_samples(b, 1, 90.9439, 90.9439);
	assert_close(metric(b, "range"), 0.519165, 0);
	b = &r.benchmarks[3];
	assert_string_equal(b->name, "Binary file");
	assert_samples(b, 1, 3886.75, 3886.75);
	assert_close(metric(b, "range"), 87.1657, 0);
	result_release(&r);

	/* the same file read as bigger-is-better */
	import_fixture("customBiggerIsBetter", "custom/customSmallerIsBetter_output.json", &r);
	assert_int_equal(r.benchmarks[0].direction, BK_BIGGER);
	result_release(&r);
}

static void test_rust_baseline(void **state)
{
	(void)state;
	struct bk_result r;
	import_fixture(NULL, "rust-baseline/baseline.json", &r);
	assert_int_equal(r.nbenchmarks, 2);
	struct bk_benchmark *b = &r.benchmarks[0];
	assert_string_equal(b->name, "parse_small");
	assert_string_equal(b->unit, "ns");
	assert_int_equal(b->direction, BK_SMALLER);
	assert_string_equal(b->source, "rust-baseline");
	assert_samples(b, 1, 1000000, 1000000);
	assert_close(metric(b, "median_duration"), 950000, 0);
	assert_close(metric(b, "p95_duration"), 1500000, 0);
	assert_close(metric(b, "p99_duration"), 2100000, 0);
	assert_close(metric(b, "std_deviation"), 120000, 0);
	assert_close(metric(b, "throughput"), 1000, 0);
	assert_close(metric(b, "memory_usage_mb"), 12.5, 0);
	assert_close(metric(b, "peak_memory_mb"), 16, 0);
	assert_close(metric(b, "error_rate"), 0, 0);
	assert_close(metric(b, "successful_ops"), 1000, 0);
	assert_close(metric(b, "failed_ops"), 0, 0);
	assert_close(metric(b, "cache_hits"), 990, 0);
	b = &r.benchmarks[1];
	assert_string_equal(b->name, "ingest_batch");
	assert_samples(b, 1, 2.5e9, 2.5e9);
	assert_close(metric(b, "p95_duration"), 3e9, 0);
	assert_close(metric(b, "failed_ops"), 1, 0);
	result_release(&r);
}

/* ---------------------------------------------------------------- */
/* detection                                                         */

static const struct {
	const char *dir, *format;
} own_dirs[] = {
	{ "benchmarkdotnet", "benchmarkdotnet" }, { "jmh", "jmh" },
	{ "julia", "julia" },			  { "benchmarkjs", "benchmarkjs" },
	{ "benchmarkluau", "benchmarkluau" },	  { "custom", "custom" },
	{ "rust-baseline", "rust-baseline" },
};

static const char *const own_formats[] = { "benchmarkdotnet", "jmh", "julia", "benchmarkjs",
					   "benchmarkluau", "custom", "customSmallerIsBetter",
					   "customBiggerIsBetter", "rust-baseline" };

/* Calls fn(dir, file name) for every regular file of tests/fixtures/dir. */
static int for_each_fixture(const char *dir, void (*fn)(const char *, const char *, void *),
			    void *arg)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/fixtures/%s", root(), dir);
	DIR *d = opendir(path);
	if (!d)
		fail_msg("cannot open '%s'", path);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		fn(dir, e->d_name, arg);
		n++;
	}
	closedir(d);
	return n;
}

static void check_own(const char *dir, const char *name, void *arg)
{
	const char *want = arg;
	char rel[1024];
	struct strbuf sb = STRBUF_INIT;
	snprintf(rel, sizeof(rel), "%s/%s", dir, name);
	read_fixture(rel, &sb);
	const struct importer *imp = importer_detect(sb.buf, sb.len);
	if (!imp || strcmp(imp->name, want))
		fail_msg("%s detected as %s, want %s", rel, imp ? imp->name : "nothing", want);
	assert_true(imp->detect(sb.buf, sb.len) >= 70);
	/* no other format of this module claims it */
	for (size_t i = 0; i < sizeof(own_formats) / sizeof(own_formats[0]); i++) {
		const struct importer *o = importer_find(own_formats[i]);
		assert_non_null(o);
		if (strcmp(o->name, want) && o->detect(sb.buf, sb.len) > 0)
			fail_msg("%s also claimed by %s", rel, o->name);
	}
	strbuf_release(&sb);
}

static void check_foreign(const char *dir, const char *name, void *arg)
{
	(void)arg;
	char rel[1024];
	struct strbuf sb = STRBUF_INIT;
	snprintf(rel, sizeof(rel), "%s/%s", dir, name);
	read_fixture(rel, &sb);
	for (size_t i = 0; i < sizeof(own_formats) / sizeof(own_formats[0]); i++) {
		const struct importer *o = importer_find(own_formats[i]);
		int s = o->detect(sb.buf, sb.len);
		if (s > 0)
			fail_msg("%s (another harness) claimed by %s with %d", rel, o->name, s);
	}
	strbuf_release(&sb);
}

static void test_detect_fixtures(void **state)
{
	(void)state;
	int n = 0;
	for (size_t i = 0; i < sizeof(own_dirs) / sizeof(own_dirs[0]); i++)
		n += for_each_fixture(own_dirs[i].dir, check_own, (void *)own_dirs[i].format);
	assert_true(n >= 12);
	/* outputs of the other harnesses (part A's formats): not ours */
	assert_true(for_each_fixture("import2-others", check_foreign, NULL) >= 16);
	/* inline samples of formats with no fixture file here */
	static const char *const others[] = {
		"{\"report\":{\"created\":1.0},\"created\":1.0,\"duration\":0.1,\"exitcode\":0,"
		"\"summary\":{\"passed\":1,\"total\":1},\"tests\":[{\"nodeid\":\"t.py::x\","
		"\"outcome\":\"passed\",\"call\":{\"duration\":0.001}}]}",
		"{\"mean\":{\"confidence_interval\":{\"confidence_level\":0.95,\"lower_bound\":1,"
		"\"upper_bound\":2},\"point_estimate\":1.5,\"standard_error\":0.1}}",
		"{\"reason\":\"benchmark-complete\",\"id\":\"fib/20\",\"unit\":\"ns\",\"typical\":"
		"{\"estimate\":1.0,\"lower_bound\":0.9,\"upper_bound\":1.1,\"unit\":\"ns\"}}\n",
		"", "[]", "{}", "x\n",
	};
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		for (size_t f = 0; f < sizeof(own_formats) / sizeof(own_formats[0]); f++)
			assert_int_equal(importer_find(own_formats[f])->detect(others[i], strlen(others[i])),
					 0);
	/* formats that never guess: the custom variants with a fixed direction */
	assert_null(importer_find("nope"));
	assert_non_null(importer_find("customSmallerIsBetter"));
}

/* ---------------------------------------------------------------- */
/* truncated and malformed input                                      */

static const struct {
	const char *format, *file;
} json_fixtures[] = {
	{ "benchmarkdotnet", "benchmarkdotnet/benchmarkdotnet.json" },
	{ "benchmarkdotnet", "benchmarkdotnet/params_brief_compressed.json" },
	{ "jmh", "jmh/jmh_output_2.json" },
	{ "jmh", "jmh/jmh_sample_avgt_gc.json" },
	{ "julia", "julia/julia_output.json" },
	{ "julia", "julia/julia_trials.json" },
	{ "customSmallerIsBetter", "custom/customSmallerIsBetter_output2.json" },
	{ "custom", "custom/customBiggerIsBetter_output.json" },
	{ "rust-baseline", "rust-baseline/baseline.json" },
};

static void test_truncated_json(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < sizeof(json_fixtures) / sizeof(json_fixtures[0]); i++) {
		read_fixture(json_fixtures[i].file, &sb);
		strbuf_rtrim(&sb);
		/* cut anywhere before the last byte: always refused, at the end */
		for (int k = 1; k < 8; k++) {
			size_t cut = sb.len * (size_t)k / 8;
			expect_error(json_fixtures[i].format, sb.buf, cut, "truncated", NULL);
		}
		expect_error(json_fixtures[i].format, sb.buf, sb.len - 1, "truncated", NULL);
		expect_error(json_fixtures[i].format, sb.buf, 0, "truncated", NULL);
	}
	/* the position is the end of the input: line and column */
	read_fixture("jmh/jmh_output.json", &sb);
	expect_error("jmh", sb.buf, 100, "bad.in:4:62:", "truncated");
	strbuf_release(&sb);
}

static void test_truncated_text(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	read_fixture("benchmarkjs/benchmarkjs_output.txt", &sb);
	/* cut inside the second result line */
	const char *p = strstr(sb.buf, "12,146 ops/sec");
	expect_error("benchmarkjs", sb.buf, (size_t)(p - sb.buf) + 13, "bad.in:2:", "truncated");
	expect_error("benchmarkjs", sb.buf, (size_t)(p - sb.buf) + 3, "bad.in:2:", "truncated");
	expect_error("benchmarkjs", sb.buf, (size_t)(p - sb.buf) + 20, "bad.in:2:", "truncated");
	expect_error("benchmarkjs", sb.buf, 0, "no benchmark.js result", NULL);
	read_fixture("benchmarkluau/benchmarkluau_output.txt", &sb);
	p = strstr(sb.buf, "69.560ms");
	expect_error("benchmarkluau", sb.buf, (size_t)(p - sb.buf) + 4, "bad.in:2:", "truncated");
	expect_error("benchmarkluau", sb.buf, (size_t)(p - sb.buf) - 5, "bad.in:2:", "truncated");
	p = strstr(sb.buf, "SUCCESS: life");
	expect_error("benchmarkluau", sb.buf, (size_t)(p - sb.buf) + 11, "bad.in:3:", "truncated");
	expect_error("benchmarkluau", sb.buf, 0, "no Luau benchmark line", NULL);
	strbuf_release(&sb);
}

static void test_malformed(void **state)
{
	(void)state;
	/* invalid JSON: line and column */
	expect_error_s("jmh", "[\n  {\"benchmark\": tru}\n]", "bad.in:2:", "invalid JSON");
	expect_error_s(NULL, "{\"Benchmarks\":[], \"HostEnvironmentInfo\":{}} x", "bad.in:1:",
		       "after the value");
	/* fields of the wrong type: key path */
	expect_error_s("benchmarkdotnet",
		       "{\"Benchmarks\":[{\"FullName\":\"a\",\"Statistics\":{\"OriginalValues\":[1,\"2\"]}}]}",
		       "Benchmarks[0].Statistics.OriginalValues[1]", "expected a finite number");
	expect_error_s("benchmarkdotnet", "{\"Benchmarks\":{}}", "Benchmarks", "expected an array");
	expect_error_s(NULL,
		       "{\"HostEnvironmentInfo\":{\"ProcessorName\":\"X\",\"RuntimeVersion\":\"8\"},"
		       "\"Benchmarks\":[{\"FullName\":\"a\",\"Statistics\":{\"OriginalValues\":[true]}}]}",
		       "Benchmarks[0].Statistics.OriginalValues[0]", "expected a finite number");
	expect_error_s("benchmarkdotnet", "[]", "expected a BenchmarkDotNet JSON object", NULL);
	expect_error_s("benchmarkdotnet",
		       "{\"Benchmarks\":[{\"FullName\":\"a\",\"Parameters\":\"oops\",\"Statistics\":"
		       "{\"OriginalValues\":[1]}}]}",
		       "Benchmarks[0].Parameters", "NAME=VALUE");
	expect_error_s("benchmarkdotnet",
		       "{\"Benchmarks\":[{\"FullName\":\"a\",\"Statistics\":{\"OriginalValues\":[1]},"
		       "\"Memory\":{\"BytesAllocatedPerOperation\":\"12\"}}]}",
		       "Benchmarks[0].Memory.BytesAllocatedPerOperation", "expected a finite number");
	expect_error_s("benchmarkdotnet",
		       "{\"Benchmarks\":[{\"FullName\":\"a\",\"Measurements\":[{\"IterationMode\":"
		       "\"Workload\",\"IterationStage\":\"Result\",\"Operations\":0,\"Nanoseconds\":5}]}]}",
		       "Benchmarks[0].Measurements[0]", "Operations");
	expect_error_s("jmh",
		       "[{\"benchmark\":\"a\",\"mode\":\"avgt\",\"primaryMetric\":{\"scoreUnit\":"
		       "\"furlongs/fortnight\",\"rawData\":[[1]]}}]",
		       "[0].primaryMetric.scoreUnit", "cannot read unit 'furlongs/fortnight'");
	expect_error_s("jmh",
		       "[{\"benchmark\":\"a\",\"primaryMetric\":{\"scoreUnit\":\"ns/op\",\"rawData\":"
		       "[[1],[2,\"x\"]]}}]",
		       "[0].primaryMetric.rawData[1][1]", "expected a finite number");
	expect_error_s("jmh",
		       "[{\"benchmark\":\"a\",\"primaryMetric\":{\"scoreUnit\":\"ns/op\","
		       "\"rawDataHistogram\":[[[[1.0,-2]]]]}}]",
		       "[0].primaryMetric.rawDataHistogram[0][0][0]", "whole number");
	expect_error_s("jmh", "[{\"benchmark\":3}]", "[0].benchmark", "expected a string");
	expect_error_s("jmh", "[{\"benchmark\":\"a\"}]", "[0].primaryMetric", "missing");
	expect_error_s("julia", "[{\"Julia\":\"1\"},[[\"TrialRatio\",{\"time\":1}]]]", "[1][0]",
		       "TrialRatio");
	expect_error_s("julia",
		       "[{\"Julia\":\"1\"},[[\"BenchmarkGroup\",{\"data\":{\"a\":[\"Trial\",{\"times\":"
		       "[1,null]}]}}]]]",
		       "[1][0][1].data.a[1].times[1]", "expected a finite number");
	expect_error_s("julia", "{\"Julia\":1}", "expected [{", NULL);
	expect_error_s("custom", "[{\"name\":\"a\",\"unit\":\"ns\",\"value\":\"12\"}]", "[0].value",
		       "expected a finite number");
	expect_error_s("custom", "[{\"name\":\"a\",\"value\":1}]", "[0].unit", "missing");
	expect_error_s("custom", "[{\"name\":\"\",\"unit\":\"ns\",\"value\":1}]", "[0].name",
		       "must not be empty");
	expect_error_s("customBiggerIsBetter",
		       "[{\"name\":\"a\",\"unit\":\"ns\",\"value\":1,\"extra\":5}]", "[0].extra",
		       "expected a string");
	expect_error_s("customSmallerIsBetter",
		       "[{\"name\":\"a\",\"unit\":\"ns\",\"value\":1,\"range\":[1]}]", "[0].range",
		       "string or a number");
	expect_error_s("custom", "{\"name\":\"a\"}", "expected a JSON array", NULL);
	expect_error_s("rust-baseline",
		       "{\"x\":{\"metrics\":{\"avg_duration\":{\"secs\":0,\"nanos\":1000000000}}}}",
		       "x.metrics.avg_duration", "not a valid duration");
	expect_error_s("rust-baseline", "{\"x\":{\"metrics\":{\"avg_duration\":1.5}}}",
		       "x.metrics.avg_duration", "secs");
	expect_error_s("rust-baseline", "{\"x\":{\"metrics\":{}}}", "x.metrics.avg_duration",
		       "missing");
	expect_error_s("rust-baseline",
		       "{\"x\":{\"metrics\":{\"avg_duration\":{\"secs\":0,\"nanos\":1},"
		       "\"custom_metrics\":{\"k\":\"v\"}}}}",
		       "x.metrics.custom_metrics.k", "expected a finite number");
	/* too many metrics for one benchmark: refused, not quadratic */
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "{\"x\":{\"metrics\":{\"avg_duration\":{\"secs\":0,\"nanos\":1},"
			   "\"custom_metrics\":{");
	for (int i = 0; i <= IMPORTCORE_MAX_KEYS; i++)
		strbuf_addf(&sb, "%s\"k%d\":1", i ? "," : "", i);
	strbuf_addstr(&sb, "}}}}");
	expect_error("rust-baseline", sb.buf, sb.len, "x.metrics.custom_metrics", "too many");
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "{\"Benchmarks\":[{\"FullName\":\"a\",\"Parameters\":\"");
	for (int i = 0; i <= IMPORTCORE_MAX_KEYS; i++)
		strbuf_addf(&sb, "%sk%d=1", i ? "&" : "", i);
	strbuf_addstr(&sb, "\"}]}");
	expect_error("benchmarkdotnet", sb.buf, sb.len, "Benchmarks[0].Parameters", "too many");
	strbuf_release(&sb);
	/* text: line and column of the first bad byte */
	expect_error_s("benchmarkjs", "ok\nfib x 12,146 ops/sec ±abc% (96 runs sampled)\n",
		       "bad.in:2:23:", "malformed");
	expect_error_s("benchmarkjs", "fib x 1 ops/sec ±1% (96 runs sampled) trailing\n",
		       "bad.in:1:", "malformed");
	expect_error_s("benchmarkluau", "SUCCESS: x : 15.0parsecs +/- 1% on luau\n", "bad.in:1:14:",
		       "malformed");
	expect_error_s("benchmarkluau", "SUCCESS: x : 15.0ms +/- 1% luau\n", "bad.in:1:28:",
		       "malformed");
	expect_error_s("benchmarkluau", "SUCCESS: no separator\n", "bad.in:1:", "malformed");
	expect_error_s("benchmarkluau", "x\nSUCCESS:   : 1ms +/- 1% on luau\n", "bad.in:2:", "empty benchmark name");
	/* undetectable and unknown */
	expect_error_s(NULL, "hello\n", "cannot detect", NULL);
	expect_error_s("nope", "[]", "unknown format 'nope'", NULL);
}

/* Every fixture cut at many points and with bytes flipped: each import
 * either succeeds or fails with a one-line error naming the file; nothing
 * crashes or leaks (run under ASan by make sanitize). */
static void robust_one(const char *dir, const char *name, void *arg)
{
	const char *format = arg;
	char rel[1024];
	struct strbuf sb = STRBUF_INIT;
	snprintf(rel, sizeof(rel), "%s/%s", dir, name);
	read_fixture(rel, &sb);
	size_t step = sb.len / 200 + 1;
	for (int flip = 0; flip < 2; flip++) {
		for (size_t cut = 0; cut <= sb.len; cut += step) {
			char *copy = malloc(sb.len + 1);
			memcpy(copy, sb.buf, sb.len);
			size_t len = flip ? sb.len : cut;
			if (flip && cut < sb.len)
				copy[cut] = (char)(copy[cut] ^ (cut % 3 == 0 ? '"' : cut % 3 == 1 ? 0x20 : 0x80));
			struct bk_result r;
			result_init(&r);
			if (import_buffer(format, "cut.in", copy, len, "s", &r) != 0) {
				assert_non_null(strstr(bk_last_error(), "cut.in"));
				assert_null(strchr(bk_last_error(), '\n'));
				assert_int_equal(r.nbenchmarks, 0);
			}
			result_release(&r);
			free(copy);
		}
	}
	strbuf_release(&sb);
}

static void test_robust_cuts_and_flips(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(own_dirs) / sizeof(own_dirs[0]); i++)
		for_each_fixture(own_dirs[i].dir, robust_one, (void *)own_dirs[i].format);
}

/* Token soup: inputs assembled at random from the pieces each format is
 * made of. Every import must succeed with sane benchmarks or fail cleanly. */
static unsigned long long soup_state = 0x9E3779B97F4A7C15ULL;
static int soup_ok;

static unsigned soup_rand(unsigned n)
{
	soup_state ^= soup_state << 13;
	soup_state ^= soup_state >> 7;
	soup_state ^= soup_state << 17;
	return (unsigned)(soup_state % n);
}

static void soup_check(const char *format, const char *buf, size_t len)
{
	struct bk_result r;
	result_init(&r);
	if (import_buffer(format, "soup.in", buf, len, "s", &r) == 0) {
		soup_ok++;
		for (size_t i = 0; i < r.nbenchmarks; i++) {
			const struct bk_benchmark *b = &r.benchmarks[i];
			assert_non_null(b->unit);
			assert_true(strlen(b->name) >= 1 && strlen(b->name) <= RESULT_MAX_NAME);
			assert_true(b->nsamples >= 1);
			for (size_t k = 0; k < b->nsamples; k++)
				assert_true(isfinite(b->samples[k]));
			for (size_t k = 0; k < b->metrics.nr; k++)
				assert_true(isfinite(b->metrics.items[k].value));
		}
	} else {
		assert_non_null(strstr(bk_last_error(), "soup.in"));
		assert_int_equal(r.nbenchmarks, 0);
	}
	result_release(&r);
}

/* Collects every node of a tree (pre-order) into nodes[]. */
static void soup_nodes(cJSON *j, cJSON ***nodes, size_t *n, size_t *alloc)
{
	if (*n == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 256;
		*nodes = realloc(*nodes, *alloc * sizeof(**nodes));
	}
	(*nodes)[(*n)++] = j;
	for (cJSON *c = j->child; c; c = c->next)
		soup_nodes(c, nodes, n, alloc);
}

static cJSON *soup_value(void)
{
	switch (soup_rand(9)) {
	case 0: return cJSON_CreateNull();
	case 1: return cJSON_CreateTrue();
	case 2: return cJSON_CreateNumber(-1);
	case 3: return cJSON_CreateNumber(1e300);
	case 4: return cJSON_CreateString("ns/op");
	case 5: return cJSON_CreateString("<x>|../");
	case 6: return cJSON_CreateArray();
	case 7: return cJSON_CreateObject();
	default: {
		cJSON *a = cJSON_CreateArray();
		cJSON_AddItemToArray(a, cJSON_CreateNumber(2));
		cJSON_AddItemToArray(a, cJSON_CreateString("x"));
		return a;
	}
	}
}

static void test_token_soup(void **state)
{
	(void)state;
	/* JSON: real files with one node replaced by a value of another type */
	for (size_t f = 0; f < sizeof(json_fixtures) / sizeof(json_fixtures[0]); f++) {
		struct strbuf sb = STRBUF_INIT;
		read_fixture(json_fixtures[f].file, &sb);
		for (int round = 0; round < 300; round++) {
			cJSON *j = cJSON_ParseWithLength(sb.buf, sb.len);
			assert_non_null(j);
			cJSON **nodes = NULL;
			size_t n = 0, alloc = 0;
			soup_nodes(j, &nodes, &n, &alloc);
			/* one node (not the root) replaced by a value of another type */
			cJSON *victim = nodes[1 + soup_rand((unsigned)n - 1)], *parent = NULL;
			for (size_t i = 0; i < n && !parent; i++)
				for (cJSON *c = nodes[i]->child; c; c = c->next)
					if (c == victim)
						parent = nodes[i];
			cJSON *v = soup_value();
			if (victim->string)
				v->string = strdup(victim->string);
			assert_true(cJSON_ReplaceItemViaPointer(parent, victim, v));
			free(nodes);
			char *text = cJSON_PrintUnformatted(j);
			cJSON_Delete(j);
			soup_check(json_fixtures[f].format, text, strlen(text));
			soup_check(NULL, text, strlen(text));
			cJSON_free(text);
		}
		strbuf_release(&sb);
	}
	/* text: result lines whose every slot is drawn from good and bad values */
	static const char *const names[] = { "fib(10)", "a x b", "", " ", "<s>|../", "x" };
	static const char *const nums[] = { "1,234", "81.61", "1e3", "-2", "", "abc", "1,", "99" };
	static const char *const units[] = { "ops/sec", "ops/s", "ms", "us", "sec", "", "%" };
	static const char *const pm[] = { "\xC2\xB1", "+-", "+/-", "", "~" };
	static const char *const tails[] = { " runs sampled)", " run sampled)", " runs)", "", ")" };
	struct strbuf sb = STRBUF_INIT;
	for (int round = 0; round < 4000; round++) {
		strbuf_reset(&sb);
		for (int line = 0; line < 1 + (int)soup_rand(4); line++) {
#define PICK(a) a[soup_rand(sizeof(a) / sizeof(a[0]))]
			if (soup_rand(2))
				strbuf_addf(&sb, "%s x %s %s %s%s%% (%s%s", PICK(names), PICK(nums), PICK(units),
					    PICK(pm), PICK(nums), PICK(nums), PICK(tails));
			else
				strbuf_addf(&sb, "SUCCESS: %s : %s%s %s %s%% on %s", PICK(names), PICK(nums),
					    PICK(units), PICK(pm), PICK(nums), PICK(names));
#undef PICK
			if (soup_rand(5))
				strbuf_addch(&sb, '\n');
		}
		soup_check(NULL, sb.buf, sb.len);
		soup_check("benchmarkjs", sb.buf, sb.len);
		soup_check("benchmarkluau", sb.buf, sb.len);
	}
	strbuf_release(&sb);
	print_message("token soup: %d imports succeeded\n", soup_ok);
	assert_true(soup_ok > 500); /* the soup does reach the parsers' insides */
}

/* ---------------------------------------------------------------- */
/* hostile names                                                      */

#define HOSTILE_JSON "<script>alert(1)</script>|a|b|../../etc/passwd\\nline2\\r\\u0001\\\""
#define HOSTILE "<script>alert(1)</script>|a|b|../../etc/passwd\nline2\r\x01\""
#define HOSTILE_LINE "<script>alert(1)</script>|a|b|../../etc/passwd \"q\" & 'x'"

static void expect_name(const char *format, const char *text, const char *name)
{
	struct bk_result r;
	result_init(&r);
	if (import_buffer(format, "h.in", text, strlen(text), "s", &r) != 0)
		fail_msg("%s: %s", format ? format : "detect", bk_last_error());
	assert_true(r.nbenchmarks >= 1);
	assert_string_equal(r.benchmarks[0].name, name);
	result_release(&r);
}

static void test_hostile_names(void **state)
{
	(void)state;
	expect_name(NULL,
		    "{\"HostEnvironmentInfo\":{},\"Benchmarks\":[{\"FullName\":\"" HOSTILE_JSON
		    "\",\"Statistics\":{\"OriginalValues\":[1]}}]}",
		    HOSTILE);
	expect_name(NULL,
		    "[{\"benchmark\":\"" HOSTILE_JSON "\",\"mode\":\"avgt\",\"primaryMetric\":"
		    "{\"scoreUnit\":\"ns/op\",\"rawData\":[[1]]}}]",
		    HOSTILE);
	expect_name(NULL,
		    "[{\"Julia\":\"1\",\"BenchmarkTools\":\"1\"},[[\"BenchmarkGroup\",{\"data\":{\""
		    HOSTILE_JSON "\":[\"TrialEstimate\",{\"time\":1}]}}]]]",
		    HOSTILE);
	expect_name(NULL, "[{\"name\":\"" HOSTILE_JSON "\",\"unit\":\"ns\",\"value\":1}]", HOSTILE);
	expect_name(NULL,
		    "{\"" HOSTILE_JSON "\":{\"metrics\":{\"avg_duration\":{\"secs\":0,\"nanos\":5}}}}",
		    HOSTILE);
	expect_name(NULL, HOSTILE_LINE " x 5 ops/sec ±1% (3 runs sampled)\n", HOSTILE_LINE);
	expect_name(NULL, "SUCCESS: " HOSTILE_LINE " : 1ms +/- 1% on luau\n", HOSTILE_LINE);
	/* params and metric names too */
	struct bk_result r;
	result_init(&r);
	const char *t = "{\"HostEnvironmentInfo\":{},\"Benchmarks\":[{\"FullName\":\"a\","
			"\"Parameters\":\"k=<b>|../\",\"Statistics\":{\"OriginalValues\":[1]},"
			"\"Memory\":{\"<i>\\n\":1}}]}";
	assert_int_equal(import_buffer(NULL, "h.in", t, strlen(t), "s", &r), 0);
	assert_param(&r.benchmarks[0], "k", "<b>|../");
	assert_close(metric(&r.benchmarks[0], "<i>\n"), 1, 0);
	result_release(&r);
	/* a name longer than the result model allows is refused, not cut */
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "[{\"name\":\"");
	for (int i = 0; i < RESULT_MAX_NAME + 1; i++)
		strbuf_addch(&sb, 'n');
	strbuf_addstr(&sb, "\",\"unit\":\"ns\",\"value\":1}]");
	expect_error("custom", sb.buf, sb.len, "[0].name", "too long");
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "ok x 1 ops/sec \xC2\xB1" "1% (2 runs sampled)\n");
	for (int i = 0; i < RESULT_MAX_NAME + 1; i++)
		strbuf_addch(&sb, 'n');
	strbuf_addstr(&sb, " x 1 ops/sec \xC2\xB1" "1% (2 runs sampled)\n");
	expect_error("benchmarkjs", sb.buf, sb.len, "bad.in:2:1:", "too long");
	strbuf_release(&sb);
}

/* ---------------------------------------------------------------- */
/* helpers                                                            */

static void test_importutil(void **state)
{
	(void)state;
	double v;
	size_t used;
	assert_int_equal(importcore_parse_number("1,431,759 ops", 13, 1, &v, &used), 0);
	assert_true(v == 1431759 && used == 9);
	assert_int_equal(importcore_parse_number("81.61", 5, 1, &v, &used), 0);
	assert_true(v == 81.61 && used == 5);
	assert_int_equal(importcore_parse_number("3.5e3x", 6, 1, &v, &used), 0);
	assert_true(v == 3500 && used == 5);
	assert_int_equal(importcore_parse_number("1e", 2, 1, &v, &used), 0);
	assert_true(v == 1 && used == 1);
	assert_int_equal(importcore_parse_number("12,", 3, 1, &v, &used), 0);
	assert_true(v == 12 && used == 2);
	assert_int_equal(importcore_parse_number(",5", 2, 1, &v, &used), -1);
	assert_int_equal(importcore_parse_number("inf", 3, 1, &v, &used), -1);
	assert_int_equal(importcore_parse_number("nan", 3, 1, &v, &used), -1);
	assert_int_equal(importcore_parse_number("-", 1, 1, &v, &used), -1);
	assert_int_equal(importcore_parse_number("1e999", 5, 1, &v, &used), -1);
	assert_string_equal(importcore_time_unit_word("\xC2\xB5s", 3), "us");
	assert_string_equal(importcore_time_unit_word("msec", 4), "ms");
	assert_null(importcore_time_unit_word("m", 1));
	assert_int_equal(importcore_first_char("\xEF\xBB\xBF \n[", 6), '[');
	struct importcore_lines it;
	importcore_lines_init(&it, "a\r\nbb\nc", 7);
	assert_true(importcore_lines_next(&it) && it.linelen == 1 && it.complete);
	assert_true(importcore_lines_next(&it) && it.linelen == 2 && it.complete);
	assert_true(importcore_lines_next(&it) && it.linelen == 1 && !it.complete &&
		    *it.line == 'c');
	assert_int_equal(it.lineno, 3);
	assert_false(importcore_lines_next(&it));
}

/* ---------------------------------------------------------------- */
/* real benchmark.js output, generated now by node + node-benchmark     */

static void test_benchmarkjs_real(void **state)
{
	(void)state;
	if (system("NODE_PATH=/usr/share/nodejs node -e \"require('benchmark')\" >/dev/null 2>&1") != 0) {
		if (getenv("CI"))
			fail_msg("node with the 'benchmark' module is missing (make test-deps)");
		skip();
	}
	/* each cycle prints String(bench) and, on stderr-free stdout, a JSON
	 * line with the exact hz, rme and sample count benchmark.js measured */
	const char *script =
		"NODE_PATH=/usr/share/nodejs node -e \"var B=require('benchmark');var s=new B.Suite;"
		"s.add('sum <a>|../', function(){var t=0;for(var i=0;i<100;i++)t+=i;return t;},{maxTime:0.05})"
		".add('concat', function(){return 'a'+Math.random();},{maxTime:0.05})"
		".on('cycle',function(e){console.log(String(e.target));"
		"console.error(JSON.stringify({n:e.target.name,hz:e.target.hz,rme:e.target.stats.rme,"
		"runs:e.target.stats.sample.length}));}).run();\" 2>%s";
	char *dir = make_tempdir();
	char side[4200], cmd[8800];
	snprintf(side, sizeof(side), "%s/exact.jsonl", dir);
	snprintf(cmd, sizeof(cmd), script, side);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	struct strbuf out = STRBUF_INIT;
	char chunk[4096];
	size_t k;
	while ((k = fread(chunk, 1, sizeof(chunk), p)) > 0)
		strbuf_add(&out, chunk, k);
	assert_int_equal(pclose(p), 0);
	struct bk_result r;
	result_init(&r);
	if (import_buffer(NULL, "node.txt", out.buf, out.len, "js", &r) != 0)
		fail_msg("%s\n%s", bk_last_error(), out.buf);
	assert_int_equal(r.nbenchmarks, 2);
	struct strbuf ex = STRBUF_INIT;
	assert_int_equal(strbuf_read_file(&ex, side), 0);
	struct importcore_lines it;
	int i = 0;
	importcore_lines_init(&it, ex.buf, ex.len);
	while (importcore_lines_next(&it)) {
		cJSON *j = cJSON_ParseWithLength(it.line, it.linelen);
		assert_non_null(j);
		struct bk_benchmark *b = &r.benchmarks[i++];
		assert_string_equal(b->name, json_get_string(j, "n"));
		double hz = cJSON_GetObjectItem(j, "hz")->valuedouble;
		double rme = cJSON_GetObjectItem(j, "rme")->valuedouble;
		double runs = cJSON_GetObjectItem(j, "runs")->valuedouble;
		/* the text rounds: hz to 2 decimals under 100, else to integers;
		 * rme to 2 decimals */
		double step = hz < 100 ? 0.01 : 1;
		assert_true(fabs(b->samples[0] - hz) <= step / 2 + 1e-9 * hz);
		assert_true(fabs(metric(b, "rme_percent") - rme) <= 0.005 + 1e-12);
		assert_close(metric(b, "runs_sampled"), runs, 0);
		assert_string_equal(b->unit, "ops/s");
		cJSON_Delete(j);
	}
	assert_int_equal(i, 2);
	strbuf_release(&ex);
	strbuf_release(&out);
	result_release(&r);
	rm_rf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bdn_upstream),
		cmocka_unit_test(test_bdn_params_memory),
		cmocka_unit_test(test_bdn_actual_measurements),
		cmocka_unit_test(test_jmh_upstream),
		cmocka_unit_test(test_jmh_modes_units_gc),
		cmocka_unit_test(test_julia),
		cmocka_unit_test(test_benchmarkjs),
		cmocka_unit_test(test_luau),
		cmocka_unit_test(test_custom),
		cmocka_unit_test(test_rust_baseline),
		cmocka_unit_test(test_detect_fixtures),
		cmocka_unit_test(test_truncated_json),
		cmocka_unit_test(test_truncated_text),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_robust_cuts_and_flips),
		cmocka_unit_test(test_token_soup),
		cmocka_unit_test(test_hostile_names),
		cmocka_unit_test(test_importutil),
		cmocka_unit_test(test_benchmarkjs_real),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
