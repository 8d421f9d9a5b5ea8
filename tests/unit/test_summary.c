/* summary: the pull request markdown, checked with cmark-gfm (GitHub's
 * renderer): real tables, hostile names inert, the size limit kept. */
#include <math.h>

#include "testutil.h"
#include "lib/verdict/compare.h"
#include "lib/base/error.h"
#include "sitegen/render/markdown.h"
#include "lib/doc/result.h"
#include "sitegen/report/summary.h"

static double noise(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return ((double)((*s >> 8) & 0xFFFF) / 32768.0) - 1.0;
}

static void add(struct bk_result *r, const char *suite, const char *name, double mu, size_t n,
		unsigned seed)
{
	struct bk_benchmark *b = result_add_benchmark(r, suite, name);
	set_str(&b->unit, "ms");
	unsigned s = seed;
	for (size_t i = 0; i < n; i++)
		bench_add_sample(b, mu * (1 + 0.02 * noise(&s)));
	bench_finalize(b);
}

/* Both results measured on one machine (with no CPU model recorded, a
 * comparison is informational). */
static void one_machine(struct bk_result *a, struct bk_result *b)
{
	set_str(&a->run.machine.cpu_model, "Test CPU");
	set_str(&b->run.machine.cpu_model, "Test CPU");
}

/* Counts the cells of every body row of the HTML tables; fails when a row
 * has another number than `cols`. Returns the number of body rows. */
static int check_rows(const char *html, int cols)
{
	int rows = 0;
	const char *p = html;
	while ((p = strstr(p, "<tr>"))) {
		const char *end = strstr(p, "</tr>");
		assert_non_null(end);
		int cells = 0, head = 0;
		for (const char *q = p; q < end; q++) {
			if (!strncmp(q, "<td", 3))
				cells++;
			if (!strncmp(q, "<th", 3))
				head++;
		}
		if (!head) {
			if (cells != cols) {
				print_error("row with %d cells, want %d: %.*s\n", cells, cols,
					    (int)(end - p), p);
				fail();
			}
			rows++;
		}
		p = end;
	}
	return rows;
}

static const char *const hostile[] = {
	"pipe|in|name",
	"back`tick` and ``double``",
	"<script>alert(1)</script>",
	"new\nline | and\r\ncr",
	"*bold* _em_ [link](javascript:alert(1)) ![img](x)",
	"<!-- benchkeep:summary -->",
	"trailing backslash \\",
	"&amp; entity &lt;",
	"  | --- | --- |",
	"<details><summary>x</summary>",
};

static void test_hostile_names(void **state)
{
	(void)state;
	struct bk_result base, head;
	result_init(&base);
	result_init(&head);
	size_t n = sizeof(hostile) / sizeof(hostile[0]);
	for (size_t i = 0; i < n; i++) {
		add(&base, hostile[i], hostile[i], 10, 12, (unsigned)i * 2 + 1);
		add(&head, hostile[i], hostile[i], i % 2 ? 20 : 10, 12, (unsigned)i * 2 + 2);
	}
	set_str(&head.run.commit_branch, "feat/<b>x</b>|y");
	set_str(&head.run.ci.provider, "github");
	set_str(&head.run.ci.run_id, "12345");
	set_str(&head.run.ci.repository, "owner/repo");
	set_str(&head.run.ci.event, "pull_request");
	set_str(&head.run.ci.ref_name, "17/merge");
	set_str(&head.run.ci.sha, "0123456789abcdef0123456789abcdef01234567");
	head.run.ci.pr = 17;
	struct comparison c;
	one_machine(&base, &head);
	assert_int_equal(compare_results(&c, &base, &head, NULL), 0);
	assert_int_equal(c.counts[VERDICT_REGRESSION], 5);
	struct summary_opts o = { 0 };
	o.marker = 1;
	o.base_label = "baselines/main-baseline.json";
	o.base_kind = "baseline";
	o.artifacts_url = "https://github.com/owner/repo/actions/runs/12345#artifacts";
	o.site_url = "https://owner.github.io/repo/";
	struct strbuf md = STRBUF_INIT;
	size_t omitted = 99;
	assert_int_equal(summary_render(&c, &o, &md, &omitted), 0);
	assert_int_equal(omitted, 0);
	/* the marker is the first line, once */
	assert_int_equal(strncmp(md.buf, SUMMARY_MARKER "\n", strlen(SUMMARY_MARKER) + 1), 0);
	assert_null(strstr(md.buf + 1, SUMMARY_MARKER));
	assert_non_null(strstr(md.buf, "[12345](https://github.com/owner/repo/actions/runs/12345)"));
	assert_non_null(strstr(md.buf, "pull request #17"));
	assert_non_null(strstr(md.buf, "[Benchmark site](https://owner.github.io/repo/)"));

	int ntables, rows, cols;
	assert_int_equal(markdown_table_info(md.buf, md.len, &ntables, &rows, &cols), 0);
	assert_int_equal(ntables, 2); /* changes, unchanged */
	assert_int_equal(rows, 5);
	assert_int_equal(cols, 8);
	char *html = markdown_to_html(md.buf, md.len);
	assert_non_null(html);
	/* every body row has exactly 8 cells: no '|' split a cell, no newline
	 * ended a row early */
	assert_int_equal(check_rows(html, 8), 10);
	/* nothing from a name became markup */
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<strong>bold"));
	assert_null(strstr(html, "<em>"));
	assert_null(strstr(html, "href=\"javascript"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "<b>"));
	assert_null(strstr(html, "<code>tick"));
	/* ...and the names read as they are */
	assert_non_null(strstr(html, "pipe|in|name"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(html, "back`tick` and ``double``"));
	assert_non_null(strstr(html, "*bold* _em_ [link]"));
	free(html);
	strbuf_release(&md);

	/* a URL that is not http(s) is refused */
	o.site_url = "javascript:alert(1)";
	assert_int_equal(summary_render(&c, &o, &md, NULL), -1);
	assert_non_null(strstr(bk_last_error(), "--site-url"));
	assert_int_equal(md.len, 0);
	comparison_release(&c);
	result_release(&base);
	result_release(&head);
}

static void test_size_limit(void **state)
{
	(void)state;
	/* 5,000 benchmarks with long names: 40 regressions, 10 improvements,
	 * the rest unchanged */
	struct bk_result base, head;
	result_init(&base);
	result_init(&head);
	char name[300];
	for (unsigned i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "benchmark_%04u/with|a/long-ish_name/%0200u", i, i);
		double f = i < 40 ? 1.5 + i * 0.01 : i < 50 ? 0.7 : 1.0;
		add(&base, "suite", name, 10, 20, 2 * i + 1);
		add(&head, "suite", name, 10 * f, 20, 2 * i + 2);
	}
	struct comparison c;
	struct compare_opts co = COMPARE_OPTS_INIT;
	co.assumed_noise = 0.05; /* a quiet machine: the +50%..+89% changes are certain */
	one_machine(&base, &head);
	assert_int_equal(compare_results(&c, &base, &head, &co), 0);
	assert_int_equal(c.counts[VERDICT_REGRESSION], 40);
	assert_int_equal(c.counts[VERDICT_IMPROVEMENT], 10);
	struct summary_opts o = { 0 };
	o.marker = 1;
	struct strbuf md = STRBUF_INIT;
	size_t omitted = 0;
	assert_int_equal(summary_render(&c, &o, &md, &omitted), 0);
	assert_true(md.len <= SUMMARY_MAX_CHARS);
	assert_true(md.len > SUMMARY_MAX_CHARS - 1000); /* filled, not emptied */
	assert_true(omitted > 4000 && omitted < 4950);
	/* every regression and improvement kept; unchanged ones were dropped
	 * and the document says how many */
	int ntables, rows, cols;
	assert_int_equal(markdown_table_info(md.buf, md.len, &ntables, &rows, &cols), 0);
	assert_int_equal(rows, 50);
	char note[100];
	snprintf(note, sizeof(note), "_%zu more not shown", omitted);
	assert_non_null(strstr(md.buf, note));
	/* whole rows only: every line of a table starts and ends with '|' */
	char *html = markdown_to_html(md.buf, md.len);
	size_t rows_all = (size_t)check_rows(html, 8);
	(void)rows_all;
	free(html);
	for (char *line = md.buf; *line;) {
		char *nl = strchr(line, '\n');
		assert_non_null(nl); /* ends with a newline */
		if (*line == '|')
			assert_int_equal(nl[-1], '|');
		line = nl + 1;
	}
	/* a smaller limit drops more, regressions last */
	strbuf_reset(&md);
	o.max_chars = 3000;
	assert_int_equal(summary_render(&c, &o, &md, &omitted), 0);
	assert_true(md.len <= 3000);
	assert_true(omitted > 4950);
	assert_non_null(strstr(md.buf, "more regressions and improvements not shown"));
	assert_null(strstr(md.buf, "<details><summary>4950 unchanged</summary>\n\n|"));
	/* far too small: an error, nothing appended */
	strbuf_reset(&md);
	o.max_chars = 100;
	assert_int_equal(summary_render(&c, &o, &md, &omitted), -1);
	assert_non_null(strstr(bk_last_error(), "does not fit in 100 characters"));
	assert_int_equal(md.len, 0);
	strbuf_release(&md);
	comparison_release(&c);
	result_release(&base);
	result_release(&head);
}

static void test_no_marker_and_all_unchanged(void **state)
{
	(void)state;
	struct bk_result r;
	result_init(&r);
	add(&r, "s", "a", 10, 10, 1);
	set_str(&r.run.machine.cpu_model, "Test CPU");
	struct comparison c;
	assert_int_equal(compare_results(&c, &r, &r, NULL), 0);
	struct summary_opts o = { 0 };
	struct strbuf md = STRBUF_INIT;
	assert_int_equal(summary_render(&c, &o, &md, NULL), 0);
	assert_null(strstr(md.buf, SUMMARY_MARKER));
	assert_non_null(strstr(md.buf, ":white_check_mark: benchkeep: 0 regressions, 0 improvements, 1 unchanged"));
	assert_non_null(strstr(md.buf, "No significant regression."));
	strbuf_release(&md);
	comparison_release(&c);
	result_release(&r);
}

/* The weekly check: its marker first, one section (heading) per regression
 * with a link to the benchmark's page on the site (the slug the site gives
 * that series: bench_slug, also used by sitegen/analysis/series.c), improvements in a
 * table; hostile names stay text in headings and link texts too. */
static void test_weekly(void **state)
{
	(void)state;
	struct bk_result base, head;
	result_init(&base);
	result_init(&head);
	size_t n = sizeof(hostile) / sizeof(hostile[0]);
	for (size_t i = 0; i < n; i++) {
		/* odd: 2x slower (regression); i == 4: 2x faster (improvement) */
		add(&base, hostile[i], hostile[i], 10, 12, (unsigned)i * 2 + 1);
		add(&head, hostile[i], hostile[i], i % 2 ? 20 : i == 4 ? 5 : 10, 12,
		    (unsigned)i * 2 + 2);
	}
	one_machine(&base, &head);
	set_str(&base.run.machine.name, "github-linux-x64");
	set_str(&head.run.machine.name, "github-linux-x64");
	struct comparison c;
	assert_int_equal(compare_results(&c, &base, &head, NULL), 0);
	assert_int_equal(c.counts[VERDICT_REGRESSION], 5);
	assert_int_equal(c.counts[VERDICT_IMPROVEMENT], 1);
	struct summary_opts o = { 0 };
	o.marker = 1;
	o.weekly = 1;
	o.base_kind = "baseline";
	o.site_url = "https://owner.github.io/repo"; /* no trailing slash: one is added */
	struct strbuf md = STRBUF_INIT;
	assert_int_equal(summary_render(&c, &o, &md, NULL), 0);
	assert_int_equal(strncmp(md.buf, SUMMARY_WEEKLY_MARKER "\n",
				 strlen(SUMMARY_WEEKLY_MARKER) + 1), 0);
	assert_null(strstr(md.buf, SUMMARY_MARKER));
	assert_non_null(strstr(md.buf, "## :x: Weekly benchmark check: 5 regressions, 1 improvement"));
	/* one section per regression, each with its chart link */
	size_t sections = 0;
	for (const char *p = md.buf; (p = strstr(p, "\n### :red_circle: Regression: ")); p++)
		sections++;
	assert_int_equal(sections, 5);
	for (size_t i = 1; i < n; i += 2) {
		struct strbuf url = STRBUF_INIT;
		strbuf_addstr(&url, "](https://owner.github.io/repo/bench/");
		bench_slug(&head.benchmarks[i], "github-linux-x64", &url);
		strbuf_addstr(&url, ".html)");
		assert_non_null(strstr(md.buf, url.buf));
		strbuf_release(&url);
	}
	assert_non_null(strstr(md.buf, "### :green_circle: Improvements"));
	assert_non_null(strstr(md.buf, "[Benchmark site](https://owner.github.io/repo/)"));

	char *html = markdown_to_html(md.buf, md.len);
	assert_non_null(html);
	size_t h3 = 0;
	for (const char *p = html; (p = strstr(p, "<h3>")); p++)
		h3++;
	assert_int_equal(h3, 6); /* 5 regressions + the improvements */
	int ntables, rows, cols;
	assert_int_equal(markdown_table_info(md.buf, md.len, &ntables, &rows, &cols), 0);
	assert_int_equal(ntables, 2); /* improvements, unchanged */
	assert_int_equal(rows, 1);
	assert_int_equal(cols, 7);
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<strong>bold"));
	assert_null(strstr(html, "<em>"));
	assert_null(strstr(html, "href=\"javascript"));
	assert_null(strstr(html, "<img"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	free(html);

	/* no site URL: no link, and it says so */
	strbuf_reset(&md);
	o.site_url = NULL;
	assert_int_equal(summary_render(&c, &o, &md, NULL), 0);
	assert_null(strstr(md.buf, "/bench/"));
	assert_non_null(strstr(md.buf, "No site URL was given: no chart link."));
	strbuf_release(&md);
	comparison_release(&c);
	result_release(&base);
	result_release(&head);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostile_names),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_no_marker_and_all_unchanged),
		cmocka_unit_test(test_weekly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
