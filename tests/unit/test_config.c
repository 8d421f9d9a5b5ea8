/* Config reader: the example, matrix expansion, and every kind of
 * bad config refused with the file and a line:column or key path. */
#include "testutil.h"
#include "lib/doc/config.h"
#include "lib/base/error.h"

static int parse(struct bk_config *cfg, const char *text)
{
	memset(cfg, 0, sizeof(*cfg));
	cJSON *j = json_parse_buf("bk.json", text, strlen(text));
	if (!j)
		return -1;
	int rc = config_from_json(cfg, j, "bk.json");
	cJSON_Delete(j);
	return rc;
}

static void test_example(void **state)
{
	(void)state;
	struct bk_config cfg;
	assert_int_equal(parse(&cfg,
			       "{\"suites\": [{\"name\": \"demo\", \"benchmarks\": [\n"
			       " {\"name\": \"sleep-10ms\", \"cmd\": [\"sleep\", \"0.01\"], \"runs\": 10, \"warmup\": 1},\n"
			       " {\"name\": \"sort\", \"cmd\": \"sort -n data.txt > /dev/null\", \"runs\": 20,"
			       "  \"min_time\": 0.5, \"timeout\": 10}]}]}"),
			 0);
	assert_int_equal(cfg.nsuites, 1);
	struct bk_suite_cfg *s = &cfg.suites[0];
	assert_string_equal(s->type, "command");
	assert_int_equal(s->nbenchmarks, 2);
	assert_string_equal(s->benchmarks[0].cmd.argv[0], "sleep");
	assert_string_equal(s->benchmarks[0].cmd.argv[1], "0.01");
	assert_null(s->benchmarks[0].cmd.argv[2]);
	assert_int_equal(s->benchmarks[0].runs, 10);
	assert_int_equal(s->benchmarks[0].warmup, 1);
	assert_string_equal(s->benchmarks[1].cmd.shell, "sort -n data.txt > /dev/null");
	assert_int_equal(s->benchmarks[1].runs, 20);
	assert_true(s->benchmarks[1].min_time == 0.5);
	assert_true(s->benchmarks[1].timeout == 10);
	config_release(&cfg);
}

static void test_matrix_and_defaults(void **state)
{
	(void)state;
	struct bk_config cfg;
	assert_int_equal(parse(&cfg,
			       "{\"suites\": [{\"name\": \"m\", \"runs\": 3, \"env\": {\"A\": \"1\"},"
			       " \"benchmarks\": [{\"name\": \"sort\", \"cmd\": [\"sort\", \"-S{mem}\", \"f{n}\"],"
			       " \"env\": {\"N\": \"{n}\"}, \"params\": {\"n\": [10, 1000], \"mem\": [\"1M\", \"2M\"]},"
			       " \"direction\": \"smaller\", \"unit\": \"ms\"}]}]}"),
			 0);
	struct bk_suite_cfg *s = &cfg.suites[0];
	assert_int_equal(s->nbenchmarks, 4);
	assert_string_equal(s->benchmarks[0].name, "sort/n=10/mem=1M");
	assert_string_equal(s->benchmarks[1].name, "sort/n=1000/mem=1M");
	assert_string_equal(s->benchmarks[3].name, "sort/n=1000/mem=2M");
	assert_string_equal(s->benchmarks[3].cmd.argv[1], "-S2M");
	assert_string_equal(s->benchmarks[3].cmd.argv[2], "f1000");
	assert_string_equal(kvlist_get(&s->benchmarks[3].params, "n"), "1000");
	assert_string_equal(kvlist_get(&s->benchmarks[3].env, "N"), "1000");
	assert_string_equal(kvlist_get(&s->benchmarks[3].env, "A"), "1"); /* suite default */
	assert_int_equal(s->benchmarks[2].runs, 3);
	assert_string_equal(s->benchmarks[2].unit, "ms");
	config_release(&cfg);
}

static void expect_bad(const char *text, const char *needle)
{
	struct bk_config cfg;
	assert_int_equal(parse(&cfg, text), -1);
	if (!strstr(bk_last_error(), needle))
		fail_msg("error '%s' lacks '%s'", bk_last_error(), needle);
	assert_int_equal(cfg.nsuites, 0);
}

static void test_bad_configs(void **state)
{
	(void)state;
	expect_bad("{\"suites\": [{\"name\": \"d\", \"benchmarks\": [\n{\"name\": \"x\",",
		   "bk.json:2:");
	expect_bad("{\"suites\": [{\"name\": \"d\", \"benchmarks\": [{\"name\": \"x\"}]}]}",
		   "bk.json: suites[0].benchmarks[0].cmd: missing");
	expect_bad("{\"suites\": [{\"name\": \"d\", \"benchmarks\": [{\"name\": \"x\", \"cmd\": 5}]}]}",
		   "suites[0].benchmarks[0].cmd: expected a string or an array of strings");
	expect_bad("{\"suites\": [{\"name\": \"d\", \"benchmarks\": [{\"name\": \"x\", \"cmd\": \"true\","
		   " \"rusn\": 5}]}]}",
		   "bk.json: suites[0].benchmarks[0].rusn: unknown key");
	expect_bad("{\"suites\": [{\"name\": \"d\", \"benchmarks\": [{\"name\": \"x\", \"cmd\": \"true\","
		   " \"runs\": 2.5}]}]}",
		   "suites[0].benchmarks[0].runs: expected an integer");
	expect_bad("{\"suites\": [{\"name\": \"d\", \"benchmarks\": [{\"name\": \"x\", \"cmd\": \"true\","
		   " \"runs\": 0}]}]}",
		   "suites[0].benchmarks[0].runs: must be between 1");
	expect_bad("{\"suites\": [{\"name\": \"d\", \"benchmarks\": [{\"name\": \"x\", \"cmd\": [\"a\", 1]}]}]}",
		   "suites[0].benchmarks[0].cmd[1]: expected a string");
	expect_bad("{\"suites\": {}}", "bk.json: suites: expected an array");
	expect_bad("{\"suite\": []}", "bk.json: suite: unknown key");
	expect_bad("{}", "bk.json: suites: missing");
	expect_bad("{\"suites\": [{\"benchmarks\": []}]}", "suites[0].name: missing");
	expect_bad("{\"suites\": [{\"name\": \"d\", \"benchmarks\": [{\"name\": \"x\", \"cmd\": \"a\"},"
		   "{\"name\": \"x\", \"cmd\": \"b\"}]}]}",
		   "duplicate benchmark name 'x'");
	expect_bad("{\"suites\": [{\"name\": \"d\", \"benchmarks\": [{\"name\": \"x\", \"cmd\": \"a\","
		   " \"params\": {\"n\": []}}]}]}",
		   "suites[0].benchmarks[0].params.n: must not be empty");
	expect_bad("{\"suites\": [{\"name\": \"d\", \"benchmarks\": [{\"name\": \"x\", \"cmd\": \"a\","
		   " \"direction\": \"up\"}]}]}",
		   "suites[0].benchmarks[0].direction: expected \"smaller\" or \"bigger\"");
	expect_bad("{\"suites\": [{\"name\": \"d\", \"benchmarks\": [{\"name\": \"x\", \"cmd\": \"a\","
		   " \"env\": {\"A\": 1}}]}]}",
		   "suites[0].benchmarks[0].env.A: expected a string");
	expect_bad("{\"suites\": [{\"name\": \"d\", \"benchmarks\": [{\"name\": \"x\", \"cmd\": \"a\","
		   " \"metric\": \"cycles\"}]}]}",
		   "suites[0].benchmarks[0].metric: expected \"wall_time\" or \"instructions\"");
	expect_bad("{\"suites\": [{\"name\": \"d\", \"backend\": \"pin\", \"benchmarks\": []}]}",
		   "suites[0].backend: expected \"perf\" or \"callgrind\"");
	expect_bad("{\"suites\": [{\"name\": \"d\", \"benchmarks\": [{\"name\": \"x\", \"cmd\": \"a\","
		   " \"cache_sim\": 1}]}]}",
		   "suites[0].benchmarks[0].cache_sim: expected true or false");
	expect_bad("{\"suites\": [{\"name\": \"d\", \"benchmarks\": [{\"name\": \"x\", \"cmd\": \"a\","
		   " \"metric\": \"instructions\", \"format\": \"hyperfine\"}]}]}",
		   "suites[0].benchmarks[0].metric: instruction counts apply to timed commands");
	expect_bad("{\"suites\": [{\"name\": \"d\", \"benchmarks\": [{\"name\": \"x\", \"cmd\": \"a\","
		   " \"metric\": \"instructions\", \"unit\": \"ms\"}]}]}",
		   "suites[0].benchmarks[0].unit: must be \"instructions\"");
}

/* metric, backend and cache_sim: suite defaults, benchmark overrides */
static void test_metric_keys(void **state)
{
	(void)state;
	struct bk_config cfg;
	assert_int_equal(parse(&cfg,
			       "{\"suites\": [{\"name\": \"m\", \"metric\": \"instructions\","
			       " \"backend\": \"perf\", \"benchmarks\": ["
			       " {\"name\": \"a\", \"cmd\": \"true\"},"
			       " {\"name\": \"b\", \"cmd\": \"true\", \"backend\": \"callgrind\","
			       "  \"cache_sim\": true, \"threshold\": 0.5},"
			       " {\"name\": \"c\", \"cmd\": \"true\", \"metric\": \"wall_time\"}]}]}"),
			 0);
	struct bk_bench_cfg *b = cfg.suites[0].benchmarks;
	assert_string_equal(b[0].metric, "instructions");
	assert_string_equal(b[0].backend, "perf");
	assert_int_equal(b[0].cache_sim, 0);
	assert_true(b[0].threshold < 0);
	assert_string_equal(b[1].backend, "callgrind");
	assert_int_equal(b[1].cache_sim, 1);
	assert_true(b[1].threshold == 0.5);
	assert_string_equal(b[2].metric, "wall_time");
	config_release(&cfg);
}

/* rounds: top level and per command suite, validated like the other
 * keys; a typed suite keeps its own "rounds" */
static void test_rounds_keys(void **state)
{
	(void)state;
	struct bk_config cfg;
	assert_int_equal(parse(&cfg,
			       "{\"suites\": [{\"name\": \"a\", \"rounds\": 3, \"benchmarks\": ["
			       " {\"name\": \"x\", \"cmd\": \"true\"}]},"
			       " {\"name\": \"b\", \"benchmarks\": [{\"name\": \"y\", \"cmd\": \"true\"}]},"
			       " {\"name\": \"n\", \"type\": \"nats\", \"rounds\": 900}],"
			       " \"rounds\": 7}"),
			 0);
	assert_int_equal(cfg.rounds, 7);
	assert_int_equal(cfg.suites[0].rounds, 3);
	assert_int_equal(cfg.suites[1].rounds, 0); /* not set: the top level's */
	assert_int_equal(cfg.suites[2].rounds, 0); /* the nats suite's own key */
	assert_non_null(cJSON_GetObjectItemCaseSensitive(cfg.suites[2].raw, "rounds"));
	config_release(&cfg);
	assert_int_equal(parse(&cfg, "{\"suites\": []}"), 0);
	assert_int_equal(cfg.rounds, 0);
	config_release(&cfg);

	expect_bad("{\"rounds\": 0, \"suites\": []}", "bk.json: rounds: must be between 1 and 1000000");
	expect_bad("{\"rounds\": -2, \"suites\": []}", "bk.json: rounds: must be between 1 and 1000000");
	expect_bad("{\"rounds\": \"5\", \"suites\": []}", "bk.json: rounds: expected an integer");
	expect_bad("{\"rounds\": 2.5, \"suites\": []}", "bk.json: rounds: expected an integer");
	expect_bad("{\"rounds\": 2, \"rounds\": 3, \"suites\": []}", "bk.json: rounds: duplicate key");
	expect_bad("{\"suites\": [{\"name\": \"d\", \"rounds\": 0, \"benchmarks\": []}]}",
		   "bk.json: suites[0].rounds: must be between 1 and 1000000");
	expect_bad("{\"suites\": [{\"name\": \"d\", \"rounds\": \"many\", \"benchmarks\": []}]}",
		   "bk.json: suites[0].rounds: expected an integer");
	expect_bad("{\"suites\": [{\"name\": \"d\", \"rounds\": 1000001, \"benchmarks\": []}]}",
		   "bk.json: suites[0].rounds: must be between 1 and 1000000");
	/* a benchmark has no rounds of its own: its suite's or the run's */
	expect_bad("{\"suites\": [{\"name\": \"d\", \"benchmarks\": [{\"name\": \"x\", \"cmd\": \"a\","
		   " \"rounds\": 2}]}]}",
		   "bk.json: suites[0].benchmarks[0].rounds: unknown key");
}

static void test_file_errors(void **state)
{
	(void)state;
	char *dir = make_tempdir();
	char path[512];
	snprintf(path, sizeof(path), "%s/truncated.json", dir);
	write_text(path, "{\"suites\": [{\"name\": \"demo\", \"benchmarks\": [\n  {\"name\": \"s\", \"cmd\": [\"sleep\"");
	struct bk_config cfg;
	assert_int_equal(config_read(&cfg, path), -1);
	assert_non_null(strstr(bk_last_error(), path));
	assert_non_null(strstr(bk_last_error(), ":2:"));
	snprintf(path, sizeof(path), "%s/missing.json", dir);
	assert_int_equal(config_read(&cfg, path), -1);
	assert_non_null(strstr(bk_last_error(), "cannot read"));
	rm_rf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_matrix_and_defaults),
		cmocka_unit_test(test_bad_configs),
		cmocka_unit_test(test_metric_keys),
		cmocka_unit_test(test_rounds_keys),
		cmocka_unit_test(test_file_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
