/* Escaping for every place a string can land. */
#include "testutil.h"
#include "lib/base/escape.h"

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

/* ---- the run-copying escapes against their byte-at-a-time originals ---- */

static size_t ref_utf8_len(const unsigned char *p)
{
	if (p[0] < 0x80)
		return 1;
	size_t n;
	uint32_t cp;
	if ((p[0] & 0xE0) == 0xC0) {
		n = 2;
		cp = p[0] & 0x1F;
	} else if ((p[0] & 0xF0) == 0xE0) {
		n = 3;
		cp = p[0] & 0x0F;
	} else if ((p[0] & 0xF8) == 0xF0) {
		n = 4;
		cp = p[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

static void ref_markup(struct strbuf *sb, const char *s, int xml)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		switch (*p) {
		case '&': strbuf_addstr(sb, "&amp;"); p++; continue;
		case '<': strbuf_addstr(sb, "&lt;"); p++; continue;
		case '>': strbuf_addstr(sb, "&gt;"); p++; continue;
		case '"': strbuf_addstr(sb, "&quot;"); p++; continue;
		case '\'': strbuf_addstr(sb, "&#39;"); p++; continue;
		}
		if (*p < 0x20 || *p == 0x7f) {
			if (*p == '\n' || *p == '\t' || (xml && *p == '\r'))
				strbuf_addch(sb, *p);
			else
				strbuf_addstr(sb, "\xEF\xBF\xBD");
			p++;
			continue;
		}
		size_t n = ref_utf8_len(p);
		if (!n) {
			strbuf_addstr(sb, "\xEF\xBF\xBD");
			p++;
			continue;
		}
		strbuf_add(sb, p, n);
		p += n;
	}
}

static void ref_csv(struct strbuf *sb, const char *s)
{
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	int formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
		      s[0] == '\r';
	if (s[0] == '-' && s[1] >= '0' && s[1] <= '9')
		formula = 0;
	if (quote || formula)
		strbuf_addch(sb, '"');
	if (formula)
		strbuf_addch(sb, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, *p);
	}
	if (quote || formula)
		strbuf_addch(sb, '"');
}

/* Random strings over every byte value (weighted towards the special ones
 * and valid and broken UTF-8) give the same bytes as the originals. */
static void test_runs_match_reference(void **state)
{
	(void)state;
	static const char *const pieces[] = { "&", "<", ">", "\"", "'", "\n", "\t", "\r", "\x7f",
					      "\x01", "\xc2\xb5", "\xe2\x80\x94", "\xf0\x9f\x98\x80",
					      "\xc0\x80", "\xed\xa0\x80", "\xe2\x80", "\xff", "=",
					      "-", "-1", "+", "@", ",", "abc", "x y", "0.5 ms", "\x80" };
	unsigned x = 2463534242u;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, in = STRBUF_INIT;
	for (int round = 0; round < 100000; round++) {
		strbuf_reset(&in);
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		int n = (int)(x % 12);
		for (int k = 0; k < n; k++) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			if (x % 4 == 0) {
				int c = (int)((x >> 8) % 255) + 1;
				strbuf_addch(&in, c);
			} else {
				strbuf_addstr(&in, pieces[(x >> 8) % (sizeof(pieces) / sizeof(pieces[0]))]);
			}
		}
		for (int xml = 0; xml < 2; xml++) {
			strbuf_reset(&a);
			strbuf_reset(&b);
			(xml ? escape_xml : escape_html)(&a, in.buf);
			ref_markup(&b, in.buf, xml);
			assert_int_equal(a.len, b.len);
			assert_memory_equal(a.buf, b.buf, a.len);
		}
		strbuf_reset(&a);
		strbuf_reset(&b);
		escape_csv(&a, in.buf);
		ref_csv(&b, in.buf);
		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.buf, b.buf, a.len);
	}
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_filename),
		cmocka_unit_test(test_slug),
		cmocka_unit_test(test_csv_and_url),
		cmocka_unit_test(test_runs_match_reference),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
