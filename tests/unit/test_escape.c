/* Escaping for every place a string can land. */
#include "testutil.h"
#include "escape.h"

typedef void (*esc_fn)(struct strbuf *, const char *);

static void check(esc_fn f, const char *in, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	f(&sb, in);
	if (strcmp(sb.buf, want))
		fail_msg("escape of '%s': got '%s', want '%s'", in, sb.buf, want);
	strbuf_release(&sb);
}

static void test_html(void **state)
{
	(void)state;
	check(escape_html, "<script>alert(\"x\")</script>",
	      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
	check(escape_html, "a'b&c", "a&#39;b&amp;c");
	check(escape_html, "bad\x01\xff", "bad\xEF\xBF\xBD\xEF\xBF\xBD");
	check(escape_html, "caf\xc3\xa9", "caf\xc3\xa9");
	check(escape_xml, "a\x0b<b>", "a\xEF\xBF\xBD&lt;b&gt;");
}

static void test_markdown(void **state)
{
	(void)state;
	check(escape_markdown, "a|b", "a\\|b");
	check(escape_markdown, "`x`<img>", "\\`x\\`&lt;img&gt;");
	check(escape_markdown, "line\nbreak", "line break");
	check(escape_markdown, "**bold** [l](u)", "\\*\\*bold\\*\\* \\[l\\]\\(u\\)");
}

static void test_filename(void **state)
{
	(void)state;
	check(escape_filename, "plain-name_1.json", "plain-name_1.json");
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	escape_filename(&a, "../etc/passwd");
	assert_null(strchr(a.buf, '/'));
	assert_true(a.buf[0] != '.');
	escape_filename(&b, "..%2fetc%2fpasswd");
	assert_string_not_equal(a.buf, b.buf);
	strbuf_reset(&a);
	escape_filename(&a, "");
	assert_true(a.len > 0);
	strbuf_reset(&a);
	char longname[400];
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	escape_filename(&a, longname);
	assert_true(a.len < 140);
	strbuf_release(&a);
	strbuf_release(&b);
}

static void test_slug(void **state)
{
	(void)state;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	escape_slug(&a, "core-sort/n=1000-box1", "k1");
	assert_int_equal(strncmp(a.buf, "core-sort-n-1000-box1-", 22), 0);
	escape_slug(&b, "core-sort/n=1000-box1", "k2");
	assert_string_not_equal(a.buf, b.buf); /* same text, other key */
	strbuf_reset(&a);
	escape_slug(&a, "../../<script>", "k");
	assert_null(strchr(a.buf, '/'));
	assert_null(strchr(a.buf, '<'));
	assert_true(a.buf[0] != '.' && a.buf[0] != '-');
	strbuf_reset(&a);
	escape_slug(&a, "", "k");
	assert_true(a.len > 1);
	strbuf_release(&a);
	strbuf_release(&b);
}

static void test_csv_and_url(void **state)
{
	(void)state;
	check(escape_csv, "plain", "plain");
	check(escape_csv, "a,b", "\"a,b\"");
	check(escape_csv, "say \"hi\"", "\"say \"\"hi\"\"\"");
	check(escape_csv, "=cmd()", "\"'=cmd()\"");
	check(escape_csv, "-1.5", "-1.5");
	check(escape_url_component, "a b/c", "a%20b%2Fc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_filename),
		cmocka_unit_test(test_slug),
		cmocka_unit_test(test_csv_and_url),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
