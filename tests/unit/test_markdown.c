/* GitHub-flavoured markdown through cmark-gfm: tables, extensions, safety. */
#include "testutil.h"

#include <pthread.h>

#include "lib/base/error.h"
#include "sitegen/render/markdown.h"

static char *md(const char *s)
{
	char *html = markdown_to_html(s, strlen(s));
	if (!html)
		fail_msg("markdown_to_html failed: %s", bk_last_error());
	return html;
}

/* Number of non-overlapping occurrences of needle in s. */
static int count(const char *s, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(s, needle); p; p = strstr(p + strlen(needle), needle))
		n++;
	return n;
}

static const char table_md[] = "# Week\n\n"
			       "| benchmark | before | after | change |\n"
			       "|:---|---:|---:|---:|\n"
			       "| parse | 10 | 12 | +20% |\n"
			       "| render | 5 | 4 | -20% |\n"
			       "| write | 1 | 1 | 0% |\n"
			       "\ntext after\n";

static void test_table(void **state)
{
	(void)state;
	char *html = md(table_md);
	assert_int_equal(count(html, "<table>"), 1);
	assert_int_equal(count(html, "<thead>"), 1);
	/* header row + 3 body rows; 4 header cells, 12 body cells */
	assert_int_equal(count(html, "<tr>"), 4);
	assert_int_equal(count(html, "</th>"), 4);
	assert_int_equal(count(html, "</td>"), 12);
	assert_non_null(strstr(html, "<th align=\"left\">benchmark</th>"));
	assert_non_null(strstr(html, "<td align=\"right\">+20%</td>"));
	assert_non_null(strstr(html, "<h1>Week</h1>"));
	assert_non_null(strstr(html, "<p>text after</p>"));
	free(html);

	int nt = -1, rows = -1, cols = -1;
	assert_int_equal(markdown_table_info(table_md, strlen(table_md), &nt, &rows, &cols), 0);
	assert_int_equal(nt, 1);
	assert_int_equal(rows, 3);
	assert_int_equal(cols, 4);

	const char two[] = "| a |\n|---|\n| 1 |\n\n| x | y | z |\n|---|---|---|\n";
	assert_int_equal(markdown_table_info(two, strlen(two), &nt, &rows, &cols), 0);
	assert_int_equal(nt, 2);
	assert_int_equal(rows, 1);
	assert_int_equal(cols, 1);

	const char none[] = "no | table here\n";
	assert_int_equal(markdown_table_info(none, strlen(none), &nt, &rows, &cols), 0);
	assert_int_equal(nt, 0);
	assert_int_equal(rows, 0);
	assert_int_equal(cols, 0);
}

static void test_no_raw_html(void **state)
{
	(void)state;
	char *html = md("hello <script>alert(1)</script> world\n\n<script>\nalert(2)\n</script>\n\n"
			"<img src=x onerror=alert(3)>\n\n[x](javascript:alert(4))\n");
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "javascript:"));
	assert_non_null(strstr(html, "raw HTML omitted"));
	assert_non_null(strstr(html, "hello "));
	free(html);
}

static void test_extensions(void **state)
{
	(void)state;
	char *html = md("~~old~~ new www.example.org\n\n- [x] done\n- [ ] todo\n");
	assert_non_null(strstr(html, "<del>old</del>"));
	assert_non_null(strstr(html, "<a href=\"http://www.example.org\">www.example.org</a>"));
	assert_int_equal(count(html, "type=\"checkbox\""), 2);
	assert_int_equal(count(html, "checked=\"\""), 1);
	free(html);
	/* not NUL-terminated input: only len bytes are read */
	const char buf[] = "*a*IGNORED";
	html = markdown_to_html(buf, 3);
	assert_non_null(html);
	assert_string_equal(html, "<p><em>a</em></p>\n");
	free(html);
}

static void *render_many(void *arg)
{
	(void)arg;
	for (int i = 0; i < 200; i++) {
		char *html = markdown_to_html(table_md, strlen(table_md));
		if (!html || count(html, "</td>") != 12) {
			free(html);
			return (void *)1;
		}
		free(html);
	}
	return NULL;
}

/* Several threads may render at once (the registry is set up once). */
static void test_threads(void **state)
{
	(void)state;
	pthread_t th[4];
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, render_many, NULL), 0);
	for (int i = 0; i < 4; i++) {
		void *rc;
		assert_int_equal(pthread_join(th[i], &rc), 0);
		assert_null(rc);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_no_raw_html),
		cmocka_unit_test(test_extensions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
