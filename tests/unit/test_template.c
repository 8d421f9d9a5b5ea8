/* The Mustache engine: every case of the Mustache specification files (read
 * at test time), set delimiters, the markdown escape mode, limits and
 * errors. */
#include "testutil.h"

#include <pthread.h>
#include <time.h>

#include "lib/base/error.h"
#include "lib/doc/json.h"
#include "sitegen/render/markdown.h"
#include "sitegen/render/template.h"
#include "lib/base/xalloc.h"

static const char *const spec_files[] = { "comments", "interpolation", "inverted", "partials",
					  "sections" };

static char *fixtures_dir(void)
{
	const char *f = getenv("BK_FIXTURES");
	struct strbuf sb = STRBUF_INIT;
	if (f && *f) {
		strbuf_addstr(&sb, f);
	} else {
		const char *root = getenv("BK_ROOT");
		strbuf_addf(&sb, "%s/tests/fixtures", root && *root ? root : ".");
	}
	return strbuf_detach(&sb, NULL);
}

/* Partials of a spec case: payload is the case's "partials" object. */
static char *spec_partial(void *payload, const char *name)
{
	const char *s = json_get_string(payload, name);
	return s ? xstrdup(s) : NULL;
}

/* Loader for the cache path: "@root" is the case's template. */
struct spec_case {
	const char *template;
	const cJSON *partials;
};

static char *case_loader(void *payload, const char *name)
{
	struct spec_case *c = payload;
	if (!strcmp(name, "@root"))
		return xstrdup(c->template);
	return spec_partial((void *)c->partials, name);
}

static int check_case(const char *file, const cJSON *tc)
{
	const char *name = json_get_string(tc, "name");
	const char *tmpl = json_get_string(tc, "template");
	const char *expected = json_get_string(tc, "expected");
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(tc, "data");
	const cJSON *partials = cJSON_GetObjectItemCaseSensitive(tc, "partials");
	assert_non_null(name);
	assert_non_null(tmpl);
	assert_non_null(expected);
	int ok = 1;

	/* one-shot path */
	struct template_opts o = { TEMPLATE_ESCAPE_HTML, spec_partial, (void *)partials };
	struct strbuf out = STRBUF_INIT;
	if (template_render_string(name, tmpl, data, &o, &out)) {
		printf("FAIL %s / %s: error %s\n", file, name, bk_last_error());
		ok = 0;
	} else if (strcmp(out.buf, expected)) {
		printf("FAIL %s / %s:\n  template %s\n  got      [%s]\n  expected [%s]\n", file,
		       name, tmpl, out.buf, expected);
		ok = 0;
	}

	/* compiled once, rendered twice through a cache */
	struct spec_case sc = { tmpl, partials };
	struct template_cache *cache = template_cache_new(case_loader, &sc);
	for (int round = 0; round < 2 && ok; round++) {
		strbuf_reset(&out);
		strbuf_addstr(&out, "prefix:");
		if (template_cache_render(cache, "@root", data, TEMPLATE_ESCAPE_HTML, &out) ||
		    strncmp(out.buf, "prefix:", 7) || strcmp(out.buf + 7, expected)) {
			printf("FAIL %s / %s (cache, round %d): [%s] %s\n", file, name, round,
			       out.buf, bk_last_error());
			ok = 0;
		}
	}
	template_cache_free(cache);
	strbuf_release(&out);
	return ok;
}

static void test_mustache_spec(void **state)
{
	(void)state;
	char *dir = fixtures_dir();
	int total = 0, passed = 0;
	for (size_t f = 0; f < sizeof(spec_files) / sizeof(spec_files[0]); f++) {
		struct strbuf path = STRBUF_INIT;
		strbuf_addf(&path, "%s/mustache-spec/%s.json", dir, spec_files[f]);
		cJSON *spec = json_parse_file(path.buf);
		if (!spec)
			fail_msg("cannot read the spec: %s", bk_last_error());
		const cJSON *tests = cJSON_GetObjectItemCaseSensitive(spec, "tests");
		assert_true(cJSON_IsArray(tests));
		int file_total = 0, file_passed = 0;
		for (const cJSON *tc = tests->child; tc; tc = tc->next) {
			file_total++;
			file_passed += check_case(spec_files[f], tc);
		}
		printf("mustache spec %-14s %2d/%2d passed\n", spec_files[f], file_passed, file_total);
		total += file_total;
		passed += file_passed;
		cJSON_Delete(spec);
		strbuf_release(&path);
	}
	printf("mustache spec: %d/%d cases passed\n", passed, total);
	free(dir);
	assert_int_equal(total, 122);
	assert_int_equal(passed, total);
}

/* Renders src with the JSON text data (HTML escape, no partials). */
static char *render(const char *src, const char *json, enum template_escape esc)
{
	cJSON *data = json ? cJSON_Parse(json) : NULL;
	if (json)
		assert_non_null(data);
	struct template_opts o = { esc, NULL, NULL };
	struct strbuf out = STRBUF_INIT;
	if (template_render_string("t", src, data, &o, &out))
		fail_msg("render of '%s' failed: %s", src, bk_last_error());
	cJSON_Delete(data);
	return strbuf_detach(&out, NULL);
}

#define assert_render(src, json, want)                                           \
	do {                                                                   \
		char *got_ = render((src), (json), TEMPLATE_ESCAPE_HTML);          \
		if (strcmp(got_, (want)))                                        \
			fail_msg("'%s': got [%s], want [%s]", (src), got_, (want)); \
		free(got_);                                                      \
	} while (0)

static void test_set_delimiters(void **state)
{
	(void)state;
	assert_render("{{=<% %>=}}(<%v%>) {{v}}", "{\"v\":\"x\"}", "(x) {{v}}");
	assert_render("({{=[ ]=}}[v])", "{\"v\":\"ok\"}", "(ok)");
	assert_render("{{= | | =}}|{v}| |&v| |v|", "{\"v\":\"<\"}", "< < &lt;");
	/* standalone set-delimiter lines disappear, \r\n included */
	assert_render("a\n  {{=@ @=}}\nb @v@\n", "{\"v\":1}", "a\nb 1\n");
	assert_render("|\r\n{{= @ @ =}}\r\n|", "{}", "|\r\n|");
	assert_render("| {{=@ @=}} |", "{}", "|  |");
	/* sections keep working with the new delimiters */
	assert_render("{{=<% %>=}}<%#l%>[<%.%>]<%/l%>", "{\"l\":[1,2]}", "[1][2]");
}

/* Partials from a directory: the loader refuses escaping names. */
static void test_partial_dir(void **state)
{
	(void)state;
	char *dir = make_tempdir();
	char path[4200];
	snprintf(path, sizeof(path), "%s/row.mustache", dir);
	write_text(path, "<td>{{name}}</td>\n");
	char *s = template_partial_from_dir(dir, "row");
	assert_non_null(s);
	assert_string_equal(s, "<td>{{name}}</td>\n");
	free(s);
	assert_null(template_partial_from_dir(dir, "missing"));
	assert_null(template_partial_from_dir(dir, "../row"));
	assert_null(template_partial_from_dir(dir, "a/row"));
	assert_null(template_partial_from_dir(dir, ""));

	cJSON *data = cJSON_Parse("{\"rows\":[{\"name\":\"<b>\"},{\"name\":\"c\"}]}");
	struct template_opts o = { TEMPLATE_ESCAPE_HTML, template_partial_from_dir, dir };
	struct strbuf out = STRBUF_INIT;
	assert_int_equal(template_render_string("page", "<tr>\n  {{#rows}}\n  {{> row}}\n  {{/rows}}\n</tr>",
						data, &o, &out), 0);
	assert_string_equal(out.buf, "<tr>\n  <td>&lt;b&gt;</td>\n  <td>c</td>\n</tr>");

	snprintf(path, sizeof(path), "%s/page.mustache", dir);
	write_text(path, "{{#rows}}{{>row}}{{/rows}}{{>../page}}");
	struct template_cache *c = template_cache_new(template_partial_from_dir, dir);
	for (int i = 0; i < 3; i++) {
		strbuf_reset(&out);
		assert_int_equal(template_cache_render(c, "page", data, TEMPLATE_ESCAPE_HTML, &out), 0);
		assert_string_equal(out.buf, "<td>&lt;b&gt;</td>\n<td>c</td>\n");
	}
	assert_int_equal(template_cache_render(c, "nope", data, TEMPLATE_ESCAPE_HTML, &out), -1);
	assert_non_null(strstr(bk_last_error(), "template 'nope' not found"));
	template_cache_free(c);
	strbuf_release(&out);
	cJSON_Delete(data);
	rm_rf(dir);
	free(dir);
}

/* Values in a markdown table cell cannot add cells, rows or HTML. */
static void test_markdown_escape(void **state)
{
	(void)state;
	cJSON *data = cJSON_CreateObject();
	cJSON *rows = cJSON_AddArrayToObject(data, "rows");
	cJSON *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "name", "a|b`c`<script>alert(1)</script>\n| x | y |");
	cJSON_AddItemToObject(r, "value", json_number(1.5));
	cJSON_AddItemToArray(rows, r);
	r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "name", "**plain**");
	cJSON_AddNumberToObject(r, "value", 1700000000123456.0);
	cJSON_AddItemToArray(rows, r);
	const char *tmpl = "| name | value |\n|---|---:|\n{{#rows}}\n| {{name}} | {{value}} |\n{{/rows}}\n";
	struct template_opts o = { TEMPLATE_ESCAPE_MARKDOWN, NULL, NULL };
	struct strbuf md = STRBUF_INIT;
	assert_int_equal(template_render_string("t.md", tmpl, data, &o, &md), 0);
	/* numbers stay readable */
	assert_non_null(strstr(md.buf, "| 1.5 |\n"));
	assert_non_null(strstr(md.buf, "| 1700000000123456 |\n"));

	int ntables, nrows, ncols;
	assert_int_equal(markdown_table_info(md.buf, md.len, &ntables, &nrows, &ncols), 0);
	assert_int_equal(ntables, 1);
	assert_int_equal(nrows, 2);
	assert_int_equal(ncols, 2);
	char *html = markdown_to_html(md.buf, md.len);
	assert_non_null(html);
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<code>"));
	assert_null(strstr(html, "<strong>"));
	/* the cell shows the value as written (GFM unescapes \| and \`) */
	assert_non_null(strstr(html, "<td>a|b`c`&lt;script&gt;alert(1)&lt;/script&gt; | x | y |</td>"));
	assert_non_null(strstr(html, "<td>**plain**</td>"));
	free(html);

	/* unescaped, the same value does break the table: the check is real */
	strbuf_reset(&md);
	o.escape = TEMPLATE_ESCAPE_NONE;
	assert_int_equal(template_render_string("t.md", tmpl, data, &o, &md), 0);
	assert_int_equal(markdown_table_info(md.buf, md.len, &ntables, &nrows, &ncols), 0);
	assert_true(nrows != 2);
	strbuf_release(&md);
	cJSON_Delete(data);
}

static void test_values(void **state)
{
	(void)state;
	assert_render("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}}",
		      "{\"a\":85,\"b\":1.21,\"c\":-0.5,\"d\":true,\"e\":false,\"f\":null}",
		      "85 1.21 -0.5 true false ");
	assert_render("{{{l}}} {{o}}", "{\"l\":[1,\"x\"],\"o\":{\"k\":\"<\"}}",
		      "[1,\"x\"] {&quot;k&quot;:&quot;&lt;&quot;}");
	assert_render("{{q}}", "{\"q\":\"it's \\\"q\\\" & <b>\"}", "it&#39;s &quot;q&quot; &amp; &lt;b&gt;");
	/* empty strings are falsey, zero is not */
	assert_render("{{#s}}S{{/s}}{{^s}}no-s{{/s}} {{#z}}Z{{/z}}", "{\"s\":\"\",\"z\":0}", "no-s Z");

	/* raw nodes from json_number print their exact text */
	cJSON *d = cJSON_CreateObject();
	cJSON_AddItemToObject(d, "x", json_number(0.1 + 0.2));
	cJSON_AddItemToObject(d, "y", json_number(1e21));
	struct strbuf out = STRBUF_INIT;
	struct template_opts o = { TEMPLATE_ESCAPE_HTML, NULL, NULL };
	assert_int_equal(template_render_string("t", "{{x}} {{y}}", d, &o, &out), 0);
	char want[80];
	snprintf(want, sizeof(want), "%.17g %.15g", 0.1 + 0.2, 1e21);
	assert_string_equal(out.buf, want);
	strbuf_release(&out);
	cJSON_Delete(d);
}

/* Renders and expects failure with `want` in the message. */
static void expect_error(const char *src, const char *json, template_partial_fn pf, void *payload,
			 const char *want)
{
	cJSON *data = json ? cJSON_Parse(json) : NULL;
	struct template_opts o = { TEMPLATE_ESCAPE_HTML, pf, payload };
	struct strbuf out = STRBUF_INIT;
	strbuf_addstr(&out, "kept");
	bk_error_clear();
	if (template_render_string("page.html", src, data, &o, &out) != -1)
		fail_msg("'%s' rendered without error: [%s]", src, out.buf);
	if (!strstr(bk_last_error(), want))
		fail_msg("'%s': error '%s' lacks '%s'", src, bk_last_error(), want);
	/* nothing half-written */
	assert_string_equal(out.buf, "kept");
	strbuf_release(&out);
	cJSON_Delete(data);
}

static char *self_partial(void *payload, const char *name)
{
	(void)payload;
	if (!strcmp(name, "loop"))
		return xstrdup("x{{>loop}}");
	if (!strcmp(name, "twice"))
		return xstrdup("{{#a}}{{>twice}}{{>twice}}{{/a}}");
	if (!strcmp(name, "deep")) {
		/* deepest nesting of sections in every level of partials */
		struct strbuf sb = STRBUF_INIT;
		for (int i = 0; i < TEMPLATE_MAX_NESTING; i++)
			strbuf_addstr(&sb, "{{#a}}");
		strbuf_addstr(&sb, "{{>deep}}");
		for (int i = 0; i < TEMPLATE_MAX_NESTING; i++)
			strbuf_addstr(&sb, "{{/a}}");
		return strbuf_detach(&sb, NULL);
	}
	if (!strcmp(name, "broken"))
		return xstrdup("ok\n{{#s}}");
	return NULL;
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("a\n  {{#items}}\n{{x}}", "{}", NULL, NULL,
		     "page.html:2:3: unclosed section 'items'");
	expect_error("{{#a}}\n {{#b}}{{/a}}", "{}", NULL, NULL,
		     "page.html:2:8: mismatched close tag '/a': open section 'b' (2:2)");
	expect_error("x {{/a}}", "{}", NULL, NULL, "page.html:1:3: close tag '/a' without an open section");
	expect_error("ab\ncd {{name", "{}", NULL, NULL, "page.html:2:4: unclosed tag");
	expect_error("{{ }}", "{}", NULL, NULL, "page.html:1:1: empty tag name");
	expect_error("{{a b}}", "{}", NULL, NULL, "invalid tag name 'a b'");
	expect_error("{{a..b}}", "{}", NULL, NULL, "invalid dotted name 'a..b'");
	expect_error("{{=<%%>=}}", "{}", NULL, NULL, "page.html:1:1: invalid set-delimiter tag");
	expect_error("{{>loop}}", "{}", self_partial, NULL,
		     "loop:1:2: partial 'loop' nested deeper than 50");
	expect_error("{{>twice}}", "{\"a\":true}", self_partial, NULL, "nested deeper than 50");
	expect_error("{{>deep}}", "{\"a\":[true]}", self_partial, NULL, "nested deeper than 50");
	expect_error("\n {{>broken}}", "{}", self_partial, NULL,
		     "page.html:2:2: in partial 'broken': broken:2:1: unclosed section 's'");

	/* nesting beyond the limit is refused at compile time */
	struct strbuf deep = STRBUF_INIT;
	for (int i = 0; i <= TEMPLATE_MAX_NESTING; i++)
		strbuf_addstr(&deep, "{{#a}}");
	expect_error(deep.buf, "{}", NULL, NULL, "sections nested deeper than 100");
	strbuf_release(&deep);

	/* exponential work is cut off: 10^9 section bodies */
	clock_t t0 = clock();
	expect_error("{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}.{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}",
		     "{\"l\":[0,1,2,3,4,5,6,7,8,9]}", NULL, NULL, "template does too much work");
	printf("step limit reached after %.2f s cpu\n", (double)(clock() - t0) / CLOCKS_PER_SEC);

	/* output is capped: a 1 MiB value doubled by 7 nested lists of 2 */
	struct strbuf big = STRBUF_INIT;
	strbuf_addstr(&big, "{\"v\":\"");
	for (int i = 0; i < 1024 * 1024; i++)
		strbuf_addch(&big, 'x');
	strbuf_addstr(&big, "\",\"l\":[1,2]}");
	expect_error("{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{v}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}",
		     big.buf, NULL, NULL, "output larger than 64 MiB");
	strbuf_release(&big);
}

struct thread_arg {
	struct template_cache *cache;
	const cJSON *data;
	const char *want;
	int failures;
};

static void *render_thread(void *p)
{
	struct thread_arg *a = p;
	struct strbuf out = STRBUF_INIT;
	for (int i = 0; i < 500; i++) {
		strbuf_reset(&out);
		if (template_cache_render(a->cache, "page", a->data, TEMPLATE_ESCAPE_HTML, &out) ||
		    strcmp(out.buf, a->want))
			a->failures++;
	}
	strbuf_release(&out);
	return NULL;
}

static char *thread_loader(void *payload, const char *name)
{
	(void)payload;
	if (!strcmp(name, "page"))
		return xstrdup("<ul>\n  {{#items}}\n  {{>item}}\n  {{/items}}\n</ul>\n");
	if (!strcmp(name, "item"))
		return xstrdup("<li>{{.}}</li>\n");
	return NULL;
}

/* One cache shared by threads: first use compiles, every render agrees. */
static void test_cache_threads(void **state)
{
	(void)state;
	struct template_cache *c = template_cache_new(thread_loader, NULL);
	cJSON *data = cJSON_Parse("{\"items\":[\"a<\",\"b\",3]}");
	const char *want = "<ul>\n  <li>a&lt;</li>\n  <li>b</li>\n  <li>3</li>\n</ul>\n";
	struct thread_arg args[4];
	pthread_t th[4];
	for (int i = 0; i < 4; i++) {
		args[i] = (struct thread_arg){ c, data, want, 0 };
		assert_int_equal(pthread_create(&th[i], NULL, render_thread, &args[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(args[i].failures, 0);
	}
	const struct template *t = template_cache_get(c, "page");
	assert_non_null(t);
	assert_string_equal(template_name(t), "page");
	assert_ptr_equal(t, template_cache_get(c, "page"));
	template_cache_free(c);
	cJSON_Delete(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mustache_spec),  cmocka_unit_test(test_set_delimiters),
		cmocka_unit_test(test_partial_dir),    cmocka_unit_test(test_markdown_escape),
		cmocka_unit_test(test_values),         cmocka_unit_test(test_errors),
		cmocka_unit_test(test_cache_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
