/* report: the aligned text table, and the escapes it relies on. */
#include <math.h>

#include "testutil.h"
#include "lib/verdict/compare.h"
#include "lib/base/escape.h"
#include "lib/verdict/report.h"

static void add(struct bk_result *r, const char *name, const char *unit, double mu, size_t n)
{
	struct bk_benchmark *b = result_add_benchmark(r, "suite", name);
	set_str(&b->unit, unit);
	b->direction = direction_for_unit(unit);
	for (size_t i = 0; i < n; i++)
		bench_add_sample(b, mu * (1 + 0.001 * (double)i));
	bench_finalize(b);
}

/* Display columns up to byte offset `off` of line (UTF-8). */
static size_t col_of(const char *line, size_t off)
{
	size_t w = 0;
	for (size_t i = 0; i < off; i++)
		if (((unsigned char)line[i] & 0xC0) != 0x80)
			w++;
	return w;
}

static void test_text_table(void **state)
{
	(void)state;
	struct bk_result base, head;
	result_init(&base);
	result_init(&head);
	add(&base, "short", "ms", 1.0, 10);
	add(&head, "short", "ms", 2.0, 10);
	add(&base, "a-much-longer-benchmark-name", "us", 5.0, 10);
	add(&head, "a-much-longer-benchmark-name", "us", 5.0, 10);
	add(&base, "tput", "ops/s", 1e6, 3);
	add(&head, "tput", "ops/s", 1e6, 3);
	add(&head, "esc\033[31mred", "ms", 1, 10);
	struct comparison c;
	assert_int_equal(compare_results(&c, &base, &head, NULL), 0);
	comparison_sort(&c);
	struct strbuf sb = STRBUF_INIT;
	report_text(&sb, &c, "base.json", "head.json", 0);
	assert_null(strchr(sb.buf, '\033'));
	assert_non_null(strstr(sb.buf, "esc?[31mred"));
	/* the right edge of the CHANGE column is the same on every row */
	char *hdr = strstr(sb.buf, "VERDICT");
	assert_non_null(hdr);
	char *p = strstr(hdr, "CHANGE");
	size_t edge = col_of(hdr, (size_t)(p - hdr) + 6);
	int rows = 0;
	for (char *line = strchr(hdr, '\n') + 1; *line && *line != '\n'; line = strchr(line, '\n') + 1) {
		/* the cell that ends at the edge is followed by two spaces */
		char *nl = strchr(line, '\n');
		size_t len = (size_t)(nl - line), w = 0, i;
		for (i = 0; i < len && w < edge; i++)
			if (((unsigned char)line[i] & 0xC0) != 0x80)
				w++;
		assert_true(line[i - 1] != ' ');
		assert_int_equal(line[i], ' ');
		assert_int_equal(line[i + 1], ' ');
		rows++;
	}
	assert_int_equal(rows, 4);
	assert_true(strstr(sb.buf, "regression ") < strstr(sb.buf, "unchanged"));
	assert_null(strstr(sb.buf, "regression*"));
	/* where each noise figure came from, and what was assumed */
	assert_non_null(strstr(sb.buf, "NOISE FROM"));
	assert_non_null(strstr(sb.buf, "samples of this run"));
	assert_non_null(strstr(sb.buf, "3 benchmarks without a history on this machine: a run-to-run "
				       "noise of 15% is assumed"));
	/* results without a CPU model: the machines cannot be told apart */
	assert_non_null(strstr(sb.buf, "NOT THE SAME MACHINE (no CPU model recorded for either side"));
	assert_non_null(strstr(sb.buf, "1 regression, 0 improvements, 2 unchanged, 0 noisy, 1 new"));
	strbuf_release(&sb);
	comparison_release(&c);
	result_release(&base);
	result_release(&head);
}

static void test_cells(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	report_value(&sb, 0.0123, "s", REPORT_MARKDOWN);
	assert_string_equal(sb.buf, "12.3 ms");
	strbuf_reset(&sb);
	report_value(&sb, 12, "op|s", REPORT_MARKDOWN);
	assert_string_equal(sb.buf, "12.0 op\\|s");
	strbuf_reset(&sb);
	report_value(&sb, NAN, "s", REPORT_TERMINAL);
	assert_string_equal(sb.buf, "n/a");
	strbuf_reset(&sb);
	report_p(&sb, 0.0000123);
	assert_string_equal(sb.buf, "1.2e-05");
	strbuf_reset(&sb);
	report_p(&sb, 0.5);
	assert_string_equal(sb.buf, "0.500");
	strbuf_reset(&sb);
	report_ci(&sb, -0.012, 0.034);
	assert_string_equal(sb.buf, "-1.20% .. +3.40%");
	strbuf_reset(&sb);
	report_commit(&sb, "0123456789abcdef0123456789abcdef01234567", REPORT_TERMINAL);
	assert_string_equal(sb.buf, "0123456");
	strbuf_reset(&sb);
	report_commit(&sb, "not\na sha", REPORT_TERMINAL);
	assert_string_equal(sb.buf, "not?a sha");
	strbuf_release(&sb);
}

static void test_escapes(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	escape_terminal(&sb, "a\033[1mb\r\x7f\xc2\x9b" "c\xff\xc3\xa9");
	assert_string_equal(sb.buf, "a?[1mb???c?\xc3\xa9");
	strbuf_reset(&sb);
	assert_int_equal(escape_url(&sb, "https://x.invalid/a b/(c)<d>|`\"'?q=1&r=2#f"), 0);
	assert_string_equal(sb.buf, "https://x.invalid/a%20b/%28c%29%3Cd%3E%7C%60%22%27?q=1&r=2#f");
	strbuf_reset(&sb);
	assert_int_equal(escape_url(&sb, "javascript:alert(1)"), -1);
	assert_int_equal(escape_url(&sb, "ftp://x"), -1);
	assert_int_equal(sb.len, 0);
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_table),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_escapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
