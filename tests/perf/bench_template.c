/* Render throughput of the Mustache engine on a benchmark-page-like
 * template (layout partials, a history table with a row per commit), against
 * the same page written by hand with strbuf + escape_html (the output must be
 * byte-identical, checked). Built and run by tests/perf/template.sh.
 * Usage: bench_template ROWS PAGES */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/base/error.h"
#include "lib/base/escape.h"
#include "lib/doc/json.h"
#include "sitegen/render/template.h"
#include "lib/base/xalloc.h"

static const char page_src[] =
	"{{> head}}\n"
	"<h1>{{title}}</h1>\n"
	"<table>\n"
	"<thead><tr><th>commit</th><th>date</th><th>n</th><th>median</th><th>change</th></tr></thead>\n"
	"<tbody>\n"
	"{{#rows}}\n"
	"<tr{{#regression}} class=\"regression\"{{/regression}}><td><a href=\"{{repo_url}}/commit/{{sha}}\" "
	"title=\"{{message}}\">{{short}}</a></td><td>{{date}}</td><td>{{n}}</td><td>{{median}}</td>"
	"<td>{{change}}</td></tr>\n"
	"{{/rows}}\n"
	"</tbody>\n"
	"</table>\n"
	"{{> foot}}\n";
static const char head_src[] = "<!doctype html>\n<html><head><meta charset=\"utf-8\">"
			       "<title>{{title}} - {{site.name}}</title></head><body>\n";
static const char foot_src[] = "<footer>{{site.name}}</footer></body></html>\n";

static char *partials(void *payload, const char *name)
{
	(void)payload;
	if (!strcmp(name, "head"))
		return xstrdup(head_src);
	if (!strcmp(name, "foot"))
		return xstrdup(foot_src);
	return NULL;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static cJSON *make_data(int rows)
{
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "title", "parse/large <json> & \"quotes\"");
	cJSON_AddStringToObject(d, "repo_url", "https://github.com/example/project");
	cJSON *site = cJSON_AddObjectToObject(d, "site");
	cJSON_AddStringToObject(site, "name", "example benchmarks");
	cJSON *arr = cJSON_AddArrayToObject(d, "rows");
	unsigned x = 12345;
	for (int i = 0; i < rows; i++) {
		cJSON *r = cJSON_CreateObject();
		char sha[41], date[32], change[32], msg[80];
		for (int k = 0; k < 40; k++) {
			x = x * 1103515245u + 12345u;
			sha[k] = "0123456789abcdef"[(x >> 16) & 15];
		}
		sha[40] = '\0';
		snprintf(date, sizeof(date), "2024-%02d-%02d", 1 + i % 12, 1 + i % 28);
		snprintf(change, sizeof(change), "%+.1f%%", ((int)(x % 400) - 200) / 10.0);
		snprintf(msg, sizeof(msg), "Fix <thing> #%d & make \"it\" faster", i);
		cJSON_AddStringToObject(r, "sha", sha);
		sha[7] = '\0';
		cJSON_AddStringToObject(r, "short", sha);
		cJSON_AddStringToObject(r, "date", date);
		cJSON_AddStringToObject(r, "message", msg);
		cJSON_AddNumberToObject(r, "n", 5 + i % 20);
		cJSON_AddItemToObject(r, "median", json_number(1234.5 + (x % 1000) / 7.0));
		cJSON_AddStringToObject(r, "change", change);
		if (x % 13 == 0)
			cJSON_AddTrueToObject(r, "regression");
		cJSON_AddItemToArray(arr, r);
	}
	return d;
}

/* The same page, by hand. */
static void by_hand(const cJSON *d, struct strbuf *out)
{
	const char *title = json_get_string(d, "title");
	const char *repo = json_get_string(d, "repo_url");
	const char *site = json_get_string(cJSON_GetObjectItemCaseSensitive(d, "site"), "name");
	strbuf_addstr(out, "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>");
	escape_html(out, title);
	strbuf_addstr(out, " - ");
	escape_html(out, site);
	strbuf_addstr(out, "</title></head><body>\n<h1>");
	escape_html(out, title);
	strbuf_addstr(out, "</h1>\n<table>\n<thead><tr><th>commit</th><th>date</th><th>n</th>"
			   "<th>median</th><th>change</th></tr></thead>\n<tbody>\n");
	const cJSON *r;
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(d, "rows"))
	{
		strbuf_addstr(out, "<tr");
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "regression")))
			strbuf_addstr(out, " class=\"regression\"");
		strbuf_addstr(out, "><td><a href=\"");
		escape_html(out, repo);
		strbuf_addstr(out, "/commit/");
		escape_html(out, json_get_string(r, "sha"));
		strbuf_addstr(out, "\" title=\"");
		escape_html(out, json_get_string(r, "message"));
		strbuf_addstr(out, "\">");
		escape_html(out, json_get_string(r, "short"));
		strbuf_addstr(out, "</a></td><td>");
		escape_html(out, json_get_string(r, "date"));
		strbuf_addstr(out, "</td><td>");
		strbuf_addf(out, "%d", cJSON_GetObjectItemCaseSensitive(r, "n")->valueint);
		strbuf_addstr(out, "</td><td>");
		strbuf_addstr(out, cJSON_GetObjectItemCaseSensitive(r, "median")->valuestring);
		strbuf_addstr(out, "</td><td>");
		escape_html(out, json_get_string(r, "change"));
		strbuf_addstr(out, "</td></tr>\n");
	}
	strbuf_addstr(out, "</tbody>\n</table>\n<footer>");
	escape_html(out, site);
	strbuf_addstr(out, "</footer></body></html>\n");
}

int main(int argc, char **argv)
{
	int rows = argc > 1 ? atoi(argv[1]) : 10000;
	int pages = argc > 2 ? atoi(argv[2]) : 50;
	cJSON *d = make_data(rows);
	struct template_opts o = { TEMPLATE_ESCAPE_HTML, partials, NULL };

	double t0 = now();
	struct template *t;
	int compiles = 10000;
	for (int i = 0; i < compiles; i++) {
		if (template_compile(&t, "page", page_src)) {
			fprintf(stderr, "%s\n", bk_last_error());
			return 2;
		}
		if (i + 1 < compiles)
			template_free(t);
	}
	double t_compile = (now() - t0) / compiles;

	struct strbuf out = STRBUF_INIT, ref = STRBUF_INIT;
	by_hand(d, &ref);
	if (template_render(t, d, &o, &out) || out.len != ref.len || memcmp(out.buf, ref.buf, ref.len)) {
		fprintf(stderr, "template output differs from the hand-written page: %s\n",
			bk_last_error());
		return 1;
	}

	/* best of 5 rounds of `pages` renders each */
	double best_t = 1e9, best_h = 1e9;
	for (int round = 0; round < 5; round++) {
		t0 = now();
		for (int i = 0; i < pages; i++) {
			strbuf_reset(&out);
			if (template_render(t, d, &o, &out))
				return 2;
		}
		double dt = (now() - t0) / pages;
		best_t = dt < best_t ? dt : best_t;
		t0 = now();
		for (int i = 0; i < pages; i++) {
			strbuf_reset(&ref);
			by_hand(d, &ref);
		}
		dt = (now() - t0) / pages;
		best_h = dt < best_h ? dt : best_h;
	}
	printf("page of %d rows (%zu KB): compile %.1f us, render %.3f ms (%.0f MB/s, %.0f rows/ms), "
	       "by hand %.3f ms; template/hand = %.2f\n",
	       rows, out.len / 1024, t_compile * 1e6, best_t * 1e3, out.len / best_t / 1e6,
	       rows / (best_t * 1e3), best_h * 1e3, best_t / best_h);
	template_free(t);
	strbuf_release(&out);
	strbuf_release(&ref);
	cJSON_Delete(d);
	return 0;
}
