/* Limits on hostile input (issue 8): sizes, nesting, counts and name lengths
 * in the JSON, result and config readers and the template engine are
 * refused with one clear error, and the bugs the fuzzers found stay fixed
 * (tests/fuzz/regressions/ replays their inputs; these pin the messages). */
#include "testutil.h"
#include <math.h>
#include "sitegen/render/chart.h"
#include "lib/doc/config.h"
#include "lib/base/escape.h"
#include "lib/verdict/format.h"
#include "collector/import/importer.h"
#include "sitegen/render/markdown.h"
#include "lib/base/error.h"
#include "lib/doc/json.h"
#include "lib/doc/result.h"
#include "lib/base/strbuf.h"
#include "sitegen/render/template.h"

static void expect_contains(const char *s, const char *needle)
{
	if (!strstr(s, needle))
		fail_msg("'%s' lacks '%s'", s, needle);
}

/* A result document with one benchmark; `bench_extra` and `run_extra` are
 * spliced into the benchmark and run objects. */
static char *result_doc(const char *run_extra, const char *bench_extra)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb,
		    "{\"schema\":\"benchkeep/result/v1\",\"run\":{\"id\":\"x\"%s},"
		    "\"benchmarks\":[{\"suite\":\"s\",\"name\":\"n\",\"unit\":\"s\","
		    "\"samples\":[1,2]%s}]}",
		    run_extra, bench_extra);
	return strbuf_detach(&sb, NULL);
}

static void expect_result_error(const char *run_extra, const char *bench_extra, const char *needle)
{
	char *doc = result_doc(run_extra, bench_extra);
	struct bk_result r;
	assert_int_equal(result_read_buf(&r, doc, strlen(doc), "hostile.json"), -1);
	expect_contains(bk_last_error(), needle);
	assert_int_equal(r.nbenchmarks, 0);
	free(doc);
}

static void test_json_depth(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "{\"a\":\n");
	for (int i = 0; i < JSON_MAX_DEPTH + 10; i++)
		strbuf_addch(&sb, '[');
	assert_null(json_parse_buf("deep.json", sb.buf, sb.len));
	/* the position is the first bracket past the limit: line 2 */
	expect_contains(bk_last_error(), "deep.json:2:512: invalid JSON: nested deeper than 512");
	strbuf_release(&sb);

	/* at the limit it parses */
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		strbuf_addch(&sb, '[');
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		strbuf_addch(&sb, ']');
	cJSON *j = json_parse_buf("ok.json", sb.buf, sb.len);
	assert_non_null(j);
	cJSON_Delete(j);
	strbuf_release(&sb);

	/* brackets inside strings do not count */
	strbuf_addch(&sb, '"');
	for (int i = 0; i < 2000; i++)
		strbuf_addstr(&sb, "[{\\\"");
	strbuf_addch(&sb, '"');
	j = json_parse_buf("str.json", sb.buf, sb.len);
	assert_non_null(j);
	cJSON_Delete(j);
	strbuf_release(&sb);
}

static void test_json_values(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addch(&sb, '[');
	for (size_t i = 0; i < JSON_MAX_VALUES + 1; i++)
		strbuf_addstr(&sb, "0,");
	strbuf_addstr(&sb, "0]");
	assert_null(json_parse_buf("many.json", sb.buf, sb.len));
	expect_contains(bk_last_error(), "many.json:1:");
	expect_contains(bk_last_error(), "invalid JSON: more than 4194304 values");
	strbuf_release(&sb);
}

static void test_result_limits(void **state)
{
	(void)state;
	/* names longer than RESULT_MAX_NAME */
	struct strbuf name = STRBUF_INIT;
	strbuf_addstr(&name, ",\"source\":\"");
	for (int i = 0; i < RESULT_MAX_NAME + 1; i++)
		strbuf_addch(&name, 'a');
	strbuf_addch(&name, '"');
	expect_result_error("", name.buf, "hostile.json: benchmarks[0].source: string too long");
	strbuf_release(&name);

	/* maps with more than RESULT_MAX_KEYS entries */
	struct strbuf m = STRBUF_INIT;
	strbuf_addstr(&m, ",\"params\":{");
	for (int i = 0; i <= RESULT_MAX_KEYS; i++)
		strbuf_addf(&m, "%s\"k%d\":\"v\"", i ? "," : "", i);
	strbuf_addch(&m, '}');
	expect_result_error("", m.buf, "hostile.json: benchmarks[0].params: too many entries");
	strbuf_reset(&m);
	strbuf_addstr(&m, ",\"metrics\":{");
	for (int i = 0; i <= RESULT_MAX_KEYS; i++)
		strbuf_addf(&m, "%s\"k%d\":1", i ? "," : "", i);
	strbuf_addch(&m, '}');
	expect_result_error("", m.buf, "hostile.json: benchmarks[0].metrics: too many entries");
	strbuf_reset(&m);
	strbuf_addstr(&m, ",\"labels\":{");
	for (int i = 0; i <= RESULT_MAX_KEYS; i++)
		strbuf_addf(&m, "%s\"k%d\":true", i ? "," : "", i);
	strbuf_addch(&m, '}');
	expect_result_error(m.buf, "", "hostile.json: run.labels: too many entries");
	strbuf_release(&m);
}

/* Found by fuzz_result: numbers out of an integer's range were cast to it
 * (undefined behaviour) instead of being refused. */
static void test_result_number_ranges(void **state)
{
	(void)state;
	expect_result_error(",\"ci\":{\"pr\":1e300}", "", "hostile.json: run.ci.pr: expected a pull request number");
	expect_result_error(",\"ci\":{\"pr\":-1}", "", "run.ci.pr: expected a pull request number");
	expect_result_error(",\"machine\":{\"cpu_cores\":1e19}", "",
			    "hostile.json: run.machine.cpu_cores: expected a number from 0 to 1000000");
	expect_result_error(",\"machine\":{\"memory_gb\":1e308}", "",
			    "hostile.json: run.machine.memory_gb: expected a number from 0 to 1e9");

	/* huge samples are fine, and print exactly */
	char *doc = result_doc("", "");
	struct bk_result r;
	assert_int_equal(result_read_buf(&r, doc, strlen(doc), "ok.json"), 0);
	r.benchmarks[0].samples[0] = 2.0093263089890198e28;
	r.benchmarks[0].samples[1] = -1e300;
	cJSON *j = result_to_json(&r);
	char *text = json_print(j);
	cJSON_Delete(j);
	expect_contains(text, "2.0093263089890198e+28");
	expect_contains(text, "-1e+300");
	struct bk_result back;
	assert_int_equal(result_read_buf(&back, text, strlen(text), "back.json"), 0);
	assert_true(back.benchmarks[0].samples[0] == 2.0093263089890198e28);
	result_release(&back);
	result_release(&r);
	free(text);
	free(doc);

	struct strbuf sb = STRBUF_INIT;
	strbuf_add_double(&sb, 9.3e18); /* past LLONG_MAX */
	assert_string_equal(sb.buf, "9.3e+18");
	strbuf_release(&sb);
}

static int parse_config(struct bk_config *cfg, const char *text)
{
	memset(cfg, 0, sizeof(*cfg));
	cJSON *j = json_parse_buf("bk.json", text, strlen(text));
	if (!j)
		return -1;
	int rc = config_from_json(cfg, j, "bk.json");
	cJSON_Delete(j);
	return rc;
}

static void expect_config_error(const char *text, const char *needle)
{
	struct bk_config cfg;
	assert_int_equal(parse_config(&cfg, text), -1);
	expect_contains(bk_last_error(), needle);
	assert_int_equal(cfg.nsuites, 0);
}

/* Found by fuzz_config: a key given twice leaked the first value (cJSON
 * keeps duplicate keys); now it is an error. */
static void test_config_duplicate_keys(void **state)
{
	(void)state;
	expect_config_error("{\"suites\":[{\"name\":\"s\",\"benchmarks\":[{\"name\":\"a\","
			    "\"cmd\":\"true\",\"cmd\":[\"false\"]}]}]}",
			    "bk.json: suites[0].benchmarks[0].cmd: duplicate key");
	expect_config_error("{\"suites\":[{\"name\":\"s\",\"benchmarks\":[{\"name\":\"a\","
			    "\"cmd\":\"true\",\"params\":{\"x\":[1]},\"params\":{\"y\":[2]}}]}]}",
			    "bk.json: suites[0].benchmarks[0].params: duplicate key");
	expect_config_error("{\"suites\":[{\"name\":\"s\",\"name\":\"t\",\"benchmarks\":[]}]}",
			    "bk.json: suites[0].name: duplicate key");
	expect_config_error("{\"suites\":[],\"suites\":[]}", "bk.json: suites: duplicate key");
	expect_config_error("{\"suites\":[{\"name\":\"s\",\"env\":{\"A\":\"1\",\"A\":\"2\"},"
			    "\"benchmarks\":[]}]}",
			    "bk.json: suites[0].env.A: duplicate key");
	expect_config_error("{\"suites\":[{\"name\":\"s\",\"benchmarks\":[{\"name\":\"a\","
			    "\"cmd\":\"true\",\"params\":{\"x\":[1],\"x\":[2]}}]}]}",
			    "bk.json: suites[0].benchmarks[0].params.x: duplicate key");
}

static void test_config_limits(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "{\"suites\":[{\"name\":\"s\",\"env\":{");
	for (int i = 0; i <= 1000; i++)
		strbuf_addf(&sb, "%s\"K%d\":\"v\"", i ? "," : "", i);
	strbuf_addstr(&sb, "},\"benchmarks\":[]}]}");
	expect_config_error(sb.buf, "bk.json: suites[0].env: too many entries (limit 1000)");
	strbuf_reset(&sb);

	/* two benchmarks of 10000 combinations each: over the suite's limit */
	strbuf_addstr(&sb, "{\"suites\":[{\"name\":\"s\",\"benchmarks\":[");
	for (int b = 0; b < 2; b++) {
		strbuf_addf(&sb, "%s{\"name\":\"b%d\",\"cmd\":\"true\",\"params\":{", b ? "," : "", b);
		for (int k = 0; k < 2; k++) {
			strbuf_addf(&sb, "%s\"p%d\":[", k ? "," : "", k);
			for (int v = 0; v < 100; v++)
				strbuf_addf(&sb, "%s%d", v ? "," : "", v);
			strbuf_addch(&sb, ']');
		}
		strbuf_addstr(&sb, "}}");
	}
	strbuf_addstr(&sb, "]}]}");
	expect_config_error(sb.buf, "bk.json: suites[0].benchmarks[1]: too many benchmarks in the suite");
	strbuf_reset(&sb);

	strbuf_addstr(&sb, "{\"suites\":[");
	for (int i = 0; i <= 1000; i++)
		strbuf_addf(&sb, "%s{\"name\":\"s%d\",\"benchmarks\":[]}", i ? "," : "", i);
	strbuf_addstr(&sb, "]}");
	expect_config_error(sb.buf, "bk.json: suites: too many suites (limit 1000)");
	strbuf_reset(&sb);

	strbuf_addstr(&sb, "{\"suites\":[{\"name\":\"s\",\"benchmarks\":[{\"name\":\"");
	for (int i = 0; i <= RESULT_MAX_NAME; i++)
		strbuf_addch(&sb, 'n');
	strbuf_addstr(&sb, "\",\"cmd\":\"true\"}]}]}");
	expect_config_error(sb.buf, "bk.json: suites[0].benchmarks[0].name: string too long");
	strbuf_release(&sb);
}

/* Found by fuzz_template's corpus: numbers past 2^63 were cast to an
 * integer before the range check (undefined behaviour). */
static void test_template_numbers(void **state)
{
	(void)state;
	cJSON *d = cJSON_Parse("{\"a\":2e28,\"b\":-1e300,\"c\":12}");
	struct strbuf out = STRBUF_INIT;
	assert_int_equal(template_render_string("t", "{{a}} {{b}} {{c}}", d, NULL, &out), 0);
	assert_string_equal(out.buf, "2e+28 -1e+300 12");
	strbuf_release(&out);
	cJSON_Delete(d);
}

static void test_template_limits(void **state)
{
	(void)state;
	struct strbuf src = STRBUF_INIT, out = STRBUF_INIT;
	for (int i = 0; i <= TEMPLATE_MAX_NESTING; i++)
		strbuf_addstr(&src, "{{#a}}");
	assert_int_equal(template_render_string("deep.mustache", src.buf, NULL, NULL, &out), -1);
	expect_contains(bk_last_error(), "deep.mustache:1:601: sections nested deeper than 100");
	strbuf_release(&src);
	strbuf_release(&out);
}

static char *self_loader(void *payload, const char *name)
{
	(void)name;
	return strdup(payload);
}

/* exponential work through a self-including partial stops at a limit */
static void test_template_recursion(void **state)
{
	(void)state;
	const char *src = "{{#l}}{{>self}}{{/l}}";
	cJSON *d = cJSON_Parse("{\"l\":[1,2,3,4]}");
	struct template_opts o = { TEMPLATE_ESCAPE_HTML, self_loader, (void *)src };
	struct strbuf out = STRBUF_INIT;
	assert_int_equal(template_render_string("r.mustache", src, d, &o, &out), -1);
	expect_contains(bk_last_error(), "partial 'self' nested deeper than 50");
	assert_int_equal(out.len, 0);
	strbuf_release(&out);
	cJSON_Delete(d);
}

/* Found with fuzz_site's seeds: a chart of values near the top of the
 * double range looped forever (a log axis up to 1e309 = inf; a tick step
 * lost in rounding), and a chart coordinate past 2^63/10 overflowed. */
static void test_chart_extremes(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	format_fixed1(&sb, 1e300);
	strbuf_addch(&sb, ' ');
	format_fixed1(&sb, -1e300);
	assert_string_equal(sb.buf, "1000000000000000 -1000000000000000");
	double cases[][2] = { { 1.0, 1.7e308 }, { 1e300, nextafter(1e300, INFINITY) },
			      { -1.7e308, 1.7e308 }, { 5e-324, 1e-323 }, { 0, 1e-300 } };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct chart_point p[3] = { { cases[i][0], cases[i][0], cases[i][0], "a", NULL },
					    { cases[i][1], cases[i][0], cases[i][1], "b", NULL },
					    { cases[i][0], cases[i][0], cases[i][1], NULL, NULL } };
		struct chart_opts o = { 0, 0, "s", "t", NULL, 0 };
		strbuf_reset(&sb);
		chart_svg(&sb, p, 3, &o);
		assert_non_null(strstr(sb.buf, "</svg>"));
		assert_null(strstr(sb.buf, "nan"));
		assert_null(strstr(sb.buf, "inf"));
	}
	strbuf_release(&sb);
}

/* Found by fuzz_markdown: an e-mail address in an escaped value still
 * became a mailto: link (GFM autolink); URLs did not. */
static void test_markdown_escape_inert(void **state)
{
	(void)state;
	const char *v[] = { "a@evil.example", "www.evil.example/x", "http://evil.example",
			    "javascript:alert(1)", "x <script>alert(1)</script> | y" };
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addstr(&sb, "| h |\n| --- |\n| ");
		escape_markdown(&sb, v[i]);
		strbuf_addstr(&sb, " |\n");
		char *html = markdown_to_html(sb.buf, sb.len);
		assert_non_null(html);
		if (strstr(html, "<a") || strstr(html, "<script"))
			fail_msg("'%s' rendered a tag: %s", v[i], html);
		free(html);
		strbuf_release(&sb);
	}
}

/* Found by fuzz_import: a NUL byte cut a benchmark.js name short (to an
 * empty name no reader accepts); any NUL in an import is refused. */
static void test_import_nul(void **state)
{
	(void)state;
	const char in[] = "fib(10) x 1,431,759 ops/sec \xc2\xb1" "0.74% (93 runs sampled)\nf\0ib x 1 ops/sec";
	struct bk_result r;
	result_init(&r);
	assert_int_equal(import_buffer(NULL, "bench.txt", in, sizeof(in) - 1, "s", &r), -1);
	expect_contains(bk_last_error(), "bench.txt:2:2: NUL byte (not a text file)");
	assert_int_equal(r.nbenchmarks, 0);
	result_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_depth),
		cmocka_unit_test(test_json_values),
		cmocka_unit_test(test_result_limits),
		cmocka_unit_test(test_result_number_ranges),
		cmocka_unit_test(test_config_duplicate_keys),
		cmocka_unit_test(test_config_limits),
		cmocka_unit_test(test_template_numbers),
		cmocka_unit_test(test_template_limits),
		cmocka_unit_test(test_template_recursion),
		cmocka_unit_test(test_chart_extremes),
		cmocka_unit_test(test_markdown_escape_inert),
		cmocka_unit_test(test_import_nul),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
