/* Result model: JSON round trip, validation with key paths, parse errors
 * with line and column. */
#include <math.h>

#include "testutil.h"
#include "lib/base/error.h"
#include "lib/doc/json.h"
#include "lib/doc/result.h"

static void fill(struct bk_result *r)
{
	result_init(r);
	r->run.id = strdup("20261122T101500Z-3f2a9c1-runner1-a1b2");
	r->run.started_at = strdup("2026-11-22T10:15:00Z");
	r->run.commit_sha = strdup("3f2a9c1000000000000000000000000000000000");
	r->run.commit_branch = strdup("main");
	r->run.machine.name = strdup("runner1");
	r->run.machine.cpu_cores = 2;
	r->run.machine.memory_gb = 24;
	r->run.ci.provider = strdup("github");
	r->run.ci.pr = 12;
	kvlist_set(&r->run.labels, "k", "v");
	struct bk_benchmark *b = result_add_benchmark(r, "sitegen", "build/commits=1000");
	kvlist_set(&b->params, "commits", "1000");
	b->unit = strdup("s");
	bench_add_sample(b, 0.81);
	bench_add_sample(b, 0.79);
	bench_add_sample(b, 0.1 + 0.2); /* needs 17 digits to round-trip */
	metrics_set(&b->metrics, "peak_rss_kb", 51200);
	b = result_add_benchmark(r, "x", "tput");
	b->unit = strdup("ops/s");
	b->direction = BK_BIGGER;
	bench_add_sample(b, 1e9);
	b = result_add_benchmark(r, "x", "sort/metric=instructions/backend=callgrind");
	b->unit = strdup("instructions");
	b->threshold = 0.2;
	b->has_threshold = 1;
	bench_add_sample(b, 1234567);
	result_finalize(r);
}

static void test_round_trip(void **state)
{
	(void)state;
	struct bk_result r, back;
	fill(&r);
	cJSON *j = result_to_json(&r);
	char *text = json_print(j);
	cJSON_Delete(j);
	assert_int_equal(result_read_buf(&back, text, strlen(text), "mem.json"), 0);
	assert_string_equal(back.run.id, r.run.id);
	assert_string_equal(back.run.commit_sha, r.run.commit_sha);
	assert_string_equal(back.run.commit_branch, "main");
	assert_int_equal(back.run.ci.pr, 12);
	assert_int_equal(back.run.machine.cpu_cores, 2);
	assert_string_equal(kvlist_get(&back.run.labels, "k"), "v");
	assert_int_equal(back.nbenchmarks, 3);
	assert_false(back.benchmarks[0].has_threshold);
	assert_true(back.benchmarks[2].has_threshold);
	assert_true(back.benchmarks[2].threshold == 0.2);
	assert_string_equal(back.benchmarks[2].unit, "instructions");
	struct bk_benchmark *b = &back.benchmarks[0];
	assert_string_equal(b->name, "build/commits=1000");
	assert_string_equal(kvlist_get(&b->params, "commits"), "1000");
	assert_int_equal(b->nsamples, 3);
	assert_true(b->samples[2] == 0.1 + 0.2); /* exact */
	assert_int_equal(b->stats.n, 3);
	assert_close(b->stats.median, 0.79, 0);
	double rss;
	assert_true(metrics_get(&b->metrics, "peak_rss_kb", &rss));
	assert_close(rss, 51200, 0);
	assert_int_equal(back.benchmarks[1].direction, BK_BIGGER);
	assert_non_null(result_find(&back, "sitegen", "build/commits=1000", &b->params));
	assert_null(result_find(&back, "sitegen", "build/commits=1000", NULL));
	free(text);
	result_release(&r);
	result_release(&back);
}

static void expect_error(const char *text, const char *needle)
{
	struct bk_result r;
	assert_int_equal(result_read_buf(&r, text, strlen(text), "bad.json"), -1);
	if (!strstr(bk_last_error(), needle))
		fail_msg("error '%s' lacks '%s'", bk_last_error(), needle);
	assert_int_equal(r.nbenchmarks, 0);
}

static void test_kvlist_pair(void **state)
{
	(void)state;
	struct bk_kvlist l = { 0 };
	assert_int_equal(kvlist_set_pair(&l, "team=perf"), 0);
	assert_int_equal(kvlist_set_pair(&l, "url=a=b"), 0); /* the first '=' splits */
	assert_int_equal(kvlist_set_pair(&l, "empty="), 0);
	assert_int_equal(kvlist_set_pair(&l, "=x"), -1);
	assert_int_equal(kvlist_set_pair(&l, "noequals"), -1);
	assert_int_equal(l.nr, 3);
	assert_string_equal(kvlist_get(&l, "team"), "perf");
	assert_string_equal(kvlist_get(&l, "url"), "a=b");
	assert_string_equal(kvlist_get(&l, "empty"), "");
	kvlist_release(&l);
}

static void test_validation_paths(void **state)
{
	(void)state;
	expect_error("[]", "bad.json: not a benchkeep result");
	expect_error("{\"schema\":\"other\"}", "bad.json: schema: expected");
	expect_error("{\"schema\":\"benchkeep/result/v1\",\"benchmarks\":[]}", "bad.json: run: missing");
	expect_error("{\"schema\":\"benchkeep/result/v1\",\"run\":{\"id\":\"x\"},"
		     "\"benchmarks\":[{\"suite\":\"s\",\"name\":\"n\",\"unit\":\"s\","
		     "\"samples\":[1,\"2\"]}]}",
		     "bad.json: benchmarks[0].samples[1]: expected a finite number");
	expect_error("{\"schema\":\"benchkeep/result/v1\",\"run\":{\"id\":\"x\"},"
		     "\"benchmarks\":[{\"suite\":\"s\",\"name\":\"n\",\"unit\":\"s\","
		     "\"direction\":\"up\",\"samples\":[1]}]}",
		     "benchmarks[0].direction: expected \"smaller\" or \"bigger\"");
	expect_error("{\"schema\":\"benchkeep/result/v1\",\"run\":{\"id\":\"x\"},"
		     "\"benchmarks\":[{\"suite\":\"s\",\"unit\":\"s\",\"samples\":[1]}]}",
		     "benchmarks[0].name: missing");
	expect_error("{\"schema\":\"benchkeep/result/v1\",\"run\":{\"id\":\"x\"},"
		     "\"benchmarks\":[{\"suite\":\"s\",\"name\":\"n\",\"unit\":\"s\","
		     "\"threshold\":-1,\"samples\":[1]}]}",
		     "benchmarks[0].threshold: expected a number of percent");
	expect_error("{\"schema\":\"benchkeep/result/v1\",\"run\":{\"id\":3},\"benchmarks\":[]}",
		     "run.id: expected a string");
}

static void test_parse_errors_line_col(void **state)
{
	(void)state;
	/* truncated: error at the end of input, line 3 */
	expect_error("{\n  \"schema\": \"benchkeep/result/v1\",\n  \"run\": {\"id\"",
		     "bad.json:3:");
	expect_error("{\n  \"schema\": \"benchkeep/result/v1\",\n  \"run\": {\"id\"", "truncated");
	/* bad token on line 2, column 9 */
	expect_error("{\n  \"a\": tru}", "bad.json:2:");
	expect_error("{\"a\":1} x", "bad.json:1:9: invalid JSON: unexpected data after the value");
	expect_error("", "bad.json:1:1");
}

static void test_line_col(void **state)
{
	(void)state;
	int l, c;
	const char *t = "ab\ncd\n\xc3\xa9x";
	json_line_col(t, strlen(t), 4, &l, &c);
	assert_int_equal(l, 2);
	assert_int_equal(c, 2);
	json_line_col(t, strlen(t), 8, &l, &c); /* after the 2-byte é: column 2 */
	assert_int_equal(l, 3);
	assert_int_equal(c, 2);
}

static void test_direction_for_unit(void **state)
{
	(void)state;
	assert_int_equal(direction_for_unit("ops/s"), BK_BIGGER);
	assert_int_equal(direction_for_unit("bytes/s"), BK_BIGGER);
	assert_int_equal(direction_for_unit("ns"), BK_SMALLER);
	assert_int_equal(direction_for_unit("instructions"), BK_SMALLER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_validation_paths),
		cmocka_unit_test(test_kvlist_pair),
		cmocka_unit_test(test_parse_errors_line_col),
		cmocka_unit_test(test_line_col),
		cmocka_unit_test(test_direction_for_unit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
