/* Page rendering cost of the site generator, per page: the inline SVG chart
 * of a 10,000-point series (chart_svg), the template data of a benchmark
 * page built as sitegen/render/site.c render_bench builds it (cJSON), the render of
 * benchmark.html.mustache, and likewise a 200-row commit page
 * (commit.html.mustache). The data is synthetic but shaped like the 10,000
 * commit x 200 benchmark history of tests/perf/site.sh (same units, labels,
 * ~5% of the commits with a page, a few change points).
 * Prints the best-of-ROUNDS time per page of each part and an FNV-1a hash of
 * each output, so that two builds can be checked to write the same bytes.
 * Built and run by tests/perf/pages.sh.
 * Usage: pages [POINTS [PAGES [ROUNDS]]]   (BK_PAGES_ARENA=1: build and
 * render each page inside json_arena_begin/end, to measure that) */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sitegen/render/chart.h"
#include "sitegen/render/embedded.h"
#include "lib/base/error.h"
#include "lib/verdict/format.h"
#include "lib/doc/json.h"
#include "sitegen/render/template.h"
#include "lib/base/xalloc.h"

#define HISTORY_ROWS 200
#define COLS 716
#define COMMIT_ROWS 200

struct point {
	char sha[41];
	char summary[24];
	long long time;
	double median, min, max, ci_low, ci_high;
	size_t n;
	int page; /* the commit has a page */
};

static struct point *pts;
static size_t npts;
static int use_arena;

static unsigned long long rng = 88172645463325252ULL;
static double unif(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

static void gen(size_t n)
{
	npts = n;
	pts = xcalloc(n, sizeof(*pts));
	for (size_t i = 0; i < n; i++) {
		struct point *p = &pts[i];
		for (int k = 0; k < 40; k++)
			p->sha[k] = "0123456789abcdef"[(int)(unif() * 16)];
		snprintf(p->summary, sizeof(p->summary), "change %zu", i);
		p->time = 1790000000LL + (long long)i * 600;
		double level = i < n / 3 ? 1030 : i < 2 * n / 3 ? 1090 : 1045;
		p->median = level * (1 + (unif() - 0.5) * 0.04);
		p->min = p->median * (1 - unif() * 0.02);
		p->max = p->median * (1 + unif() * 0.03);
		p->ci_low = p->median * (1 - unif() * 0.01);
		p->ci_high = p->median * (1 + unif() * 0.012);
		p->n = 5;
		p->page = i >= n - 100 || unif() < 0.045;
	}
}

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

/* ---- as sitegen/render/site.c builds its page data --------------------------------- */

static const char *unit = "ns";
static const size_t change_idx[] = { 3333, 6666, 9000 };

static void add_fmt_value(cJSON *o, const char *key, double v)
{
	struct strbuf sb = STRBUF_INIT;
	format_value(&sb, v, unit);
	cJSON_AddStringToObject(o, key, sb.buf);
	strbuf_release(&sb);
}

static void add_change(cJSON *o, const char *key, double change)
{
	struct strbuf sb = STRBUF_INIT, k = STRBUF_INIT;
	format_change(&sb, change);
	cJSON_AddStringToObject(o, key, sb.buf);
	strbuf_addf(&k, "%s_class", key);
	cJSON_AddStringToObject(o, k.buf,
				!isfinite(change) || fabs(change) < 0.02 ? "" : change > 0 ? "bk-worse" : "bk-better");
	strbuf_release(&sb);
	strbuf_release(&k);
}

static void add_date(cJSON *o, const char *key, long long t, int with_time)
{
	struct strbuf sb = STRBUF_INIT;
	format_date(&sb, t, with_time);
	cJSON_AddStringToObject(o, key, sb.buf);
	strbuf_release(&sb);
}

static int commit_href(struct strbuf *sb, size_t i)
{
	if (!pts[i].page)
		return 0;
	strbuf_addf(sb, "../commits/%.40s.html", pts[i].sha);
	return 1;
}

static void add_has_flags(cJSON *o)
{
	if (!cJSON_IsObject(o) && !cJSON_IsArray(o))
		return;
	cJSON *e;
	if (cJSON_IsArray(o)) {
		cJSON_ArrayForEach(e, o)
			add_has_flags(e);
		return;
	}
	cJSON *add = NULL;
	cJSON_ArrayForEach(e, o) {
		add_has_flags(e);
		if (cJSON_IsArray(e) && cJSON_GetArraySize(e) > 0) {
			if (!add)
				add = cJSON_CreateArray();
			cJSON_AddItemToArray(add, cJSON_CreateString(e->string));
		}
	}
	if (add) {
		cJSON_ArrayForEach(e, add) {
			struct strbuf k = STRBUF_INIT;
			strbuf_addf(&k, "has_%s", e->valuestring);
			cJSON_AddTrueToObject(o, k.buf);
			strbuf_release(&k);
		}
		cJSON_Delete(add);
	}
}

static cJSON *base_data(const char *title)
{
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "site_title", "Benchmarks");
	cJSON_AddStringToObject(d, "title", title);
	cJSON_AddStringToObject(d, "root", "../");
	add_date(d, "generated_at", 1700000000, 1);
	cJSON_AddStringToObject(d, "branch", "main");
	return d;
}

static void add_identity(cJSON *o)
{
	cJSON_AddStringToObject(o, "suite", "compute");
	cJSON_AddStringToObject(o, "name", "bench_001/size=2000");
	cJSON_AddStringToObject(o, "machine", "perf-box");
	cJSON_AddStringToObject(o, "unit", unit);
	cJSON_AddStringToObject(o, "direction", "smaller");
	cJSON_AddStringToObject(o, "href", "../bench/compute-bench_001-size-2000-perf-box-5d84f037.html");
	cJSON_AddStringToObject(o, "suite_href", "../suites/compute.html");
}

static void point_label(size_t i, struct strbuf *sb)
{
	strbuf_addf(sb, "%.10s ", pts[i].sha);
	format_date(sb, pts[i].time, 0);
	strbuf_addstr(sb, ": ");
	format_value(sb, pts[i].median, unit);
	strbuf_addf(sb, " (n=%zu)", pts[i].n);
	strbuf_addstr(sb, " \xe2\x80\x94 ");
	strbuf_addstr(sb, pts[i].summary);
}

/* The chart part of render_bench: labels, hrefs, marks, chart_svg. */
static void chart(struct strbuf *out)
{
	size_t n = npts;
	struct strbuf sb = STRBUF_INIT;
	struct chart_point *cp = xcalloc(n, sizeof(*cp));
	char **labels = xcalloc(n, sizeof(char *)), **hrefs = xcalloc(n, sizeof(char *));
	size_t cols = n < COLS ? n : COLS;
	for (size_t c = 0; c < cols; c++) {
		size_t i = (c + 1) * n / cols - 1;
		strbuf_reset(&sb);
		point_label(i, &sb);
		labels[i] = strbuf_detach(&sb, NULL);
		if (commit_href(&sb, i))
			hrefs[i] = strbuf_detach(&sb, NULL);
	}
	for (size_t i = 0; i < n; i++) {
		cp[i] = (struct chart_point){ pts[i].median, pts[i].min, pts[i].max, labels[i], hrefs[i] };
	}
	struct chart_mark marks[3];
	char *ml[3];
	for (size_t j = 0; j < 3; j++) {
		size_t i = change_idx[j] < n ? change_idx[j] : n - 1;
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "change: ");
		format_value(&sb, pts[i - 1].median, unit);
		strbuf_addstr(&sb, " \xe2\x86\x92 ");
		format_value(&sb, pts[i].median, unit);
		strbuf_addstr(&sb, " (");
		format_change(&sb, pts[i].median / pts[i - 1].median - 1);
		strbuf_addch(&sb, ')');
		ml[j] = strbuf_detach(&sb, NULL);
		marks[j] = (struct chart_mark){ i, ml[j], j == 1 };
	}
	struct chart_opts co = { 0, 0, unit, "compute / bench_001/size=2000 on perf-box", marks, 3 };
	chart_svg(out, cp, n, &co);
	for (size_t i = 0; i < n; i++) {
		free(labels[i]);
		free(hrefs[i]);
	}
	for (size_t j = 0; j < 3; j++)
		free(ml[j]);
	free(labels);
	free(hrefs);
	free(cp);
	strbuf_release(&sb);
}

static cJSON *change_data(size_t j)
{
	size_t i = change_idx[j] < npts ? change_idx[j] : npts - 1;
	cJSON *o = cJSON_CreateObject();
	add_identity(o);
	struct strbuf sb = STRBUF_INIT;
	cJSON_AddStringToObject(o, "commit", pts[i].sha);
	strbuf_addf(&sb, "%.10s", pts[i].sha);
	cJSON_AddStringToObject(o, "commit_short", sb.buf);
	strbuf_reset(&sb);
	if (commit_href(&sb, i))
		cJSON_AddStringToObject(o, "commit_href", sb.buf);
	cJSON_AddStringToObject(o, "summary", pts[i].summary);
	add_date(o, "date", pts[i].time, 0);
	add_fmt_value(o, "before", pts[i - 1].median);
	add_fmt_value(o, "after", pts[i].median);
	add_change(o, "change", pts[i].median / pts[i - 1].median - 1);
	cJSON_AddStringToObject(o, "kind", j == 1 ? "regression" : "improvement");
	cJSON_AddBoolToObject(o, "regression", j == 1);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%.2g", 0.0079);
	cJSON_AddStringToObject(o, "p", sb.buf);
	strbuf_release(&sb);
	return o;
}

/* render_bench's data, chart included. */
static cJSON *bench_data(void)
{
	struct strbuf sb = STRBUF_INIT;
	cJSON *d = base_data("compute / bench_001/size=2000 on perf-box");
	add_identity(d);
	cJSON *params = cJSON_AddArrayToObject(d, "params");
	cJSON *p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "key", "size");
	cJSON_AddStringToObject(p, "value", "2000");
	cJSON_AddItemToArray(params, p);
	chart(&sb);
	cJSON_AddStringToObject(d, "chart", sb.buf);
	cJSON *chs = cJSON_AddArrayToObject(d, "changes");
	for (size_t j = 3; j-- > 0;)
		cJSON_AddItemToArray(chs, change_data(j));
	cJSON *hist = cJSON_AddArrayToObject(d, "history");
	size_t shown = 0;
	for (size_t i = npts; i-- > 0 && shown < HISTORY_ROWS; shown++) {
		const struct point *pt = &pts[i];
		cJSON *o = cJSON_CreateObject();
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%.10s", pt->sha);
		cJSON_AddStringToObject(o, "commit_short", sb.buf);
		strbuf_reset(&sb);
		if (commit_href(&sb, i))
			cJSON_AddStringToObject(o, "commit_href", sb.buf);
		cJSON_AddStringToObject(o, "summary", pt->summary);
		add_date(o, "date", pt->time, 1);
		cJSON_AddNumberToObject(o, "n", (double)pt->n);
		add_fmt_value(o, "median", pt->median);
		add_fmt_value(o, "ci_low", pt->ci_low);
		add_fmt_value(o, "ci_high", pt->ci_high);
		if (i > 0)
			add_change(o, "change", pt->median / pts[i - 1].median - 1);
		cJSON_AddItemToArray(hist, o);
	}
	cJSON_AddNumberToObject(d, "npoints", (double)npts);
	if (npts > shown)
		cJSON_AddNumberToObject(d, "history_more", (double)(npts - shown));
	cJSON_AddArrayToObject(d, "other_machines");
	cJSON_AddStringToObject(d, "data_csv", "../data/compute.csv");
	strbuf_release(&sb);
	add_has_flags(d);
	return d;
}

/* render_commit_page's data for 200 benchmarks (the p column fixed: the
 * Mann-Whitney test is not page rendering). */
static cJSON *commit_data(void)
{
	size_t i = npts - 1;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%.10s %s", pts[i].sha, pts[i].summary);
	cJSON *d = base_data(sb.buf);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%.10s", pts[i].sha);
	cJSON_AddStringToObject(d, "short", sb.buf);
	cJSON_AddStringToObject(d, "sha", pts[i].sha);
	cJSON_AddStringToObject(d, "summary", pts[i].summary);
	cJSON_AddStringToObject(d, "author", "A U Thor");
	add_date(d, "date", pts[i].time, 1);
	cJSON_AddStringToObject(d, "prev_href", "../commits/0123456789012345678901234567890123456789.html");
	cJSON_AddStringToObject(d, "prev_short", "0123456789");
	cJSON *machines = cJSON_AddArrayToObject(d, "machines");
	cJSON *m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "machine", "perf-box");
	cJSON *rs = cJSON_AddArrayToObject(m, "rows");
	for (size_t r = 0; r < COMMIT_ROWS; r++) {
		const struct point *b = &pts[npts - 1 - r], *pb = &pts[npts - 2 - r];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "suite", "compute");
		strbuf_reset(&sb);
		strbuf_addf(&sb, "bench_%03zu/size=%zu", r, 1000 + r * 1000);
		cJSON_AddStringToObject(o, "name", sb.buf);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "../bench/compute-bench_%03zu-size-%zu-perf-box-5d84f037.html", r, 1000 + r * 1000);
		cJSON_AddStringToObject(o, "href", sb.buf);
		add_fmt_value(o, "head", b->median);
		add_fmt_value(o, "base", pb->median);
		add_change(o, "change", b->median / pb->median - 1);
		cJSON_AddStringToObject(o, "p", "0.69");
		strbuf_reset(&sb);
		format_value(&sb, b->ci_low, unit);
		strbuf_addstr(&sb, " \xe2\x80\x93 ");
		format_value(&sb, b->ci_high, unit);
		cJSON_AddStringToObject(o, "ci", sb.buf);
		cJSON_AddStringToObject(o, "verdict", "unchanged");
		cJSON_AddItemToArray(rs, o);
	}
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%.10s", pts[i - 1].sha);
	cJSON_AddStringToObject(m, "base_short", sb.buf);
	cJSON_AddNumberToObject(m, "regressions", 0);
	cJSON_AddNumberToObject(m, "improvements", 0);
	cJSON_AddNumberToObject(m, "new", 0);
	cJSON_AddNumberToObject(m, "benchmarks", COMMIT_ROWS);
	cJSON_AddItemToArray(machines, m);
	strbuf_release(&sb);
	add_has_flags(d);
	return d;
}

static char *loader(void *payload, const char *name)
{
	(void)payload;
	size_t n = strlen(name);
	struct strbuf p = STRBUF_INIT;
	if (n > 9 && !strcmp(name + n - 9, ".mustache"))
		strbuf_addstr(&p, name);
	else
		strbuf_addf(&p, "partials/%s.mustache", name);
	const struct embedded_file *f = embedded_find(p.buf);
	strbuf_release(&p);
	return f ? xstrndup(f->data, f->len) : NULL;
}

struct times {
	double chart, bdata, brender, cdata, crender;
};

static void one_round(struct template_cache *tc, int pages, struct times *t, uint64_t *h)
{
	struct strbuf out = STRBUF_INIT;
	double t0 = cpu_now();
	for (int i = 0; i < pages; i++) {
		strbuf_reset(&out);
		chart(&out);
	}
	t->chart = (cpu_now() - t0) / pages;
	h[0] = fnv(out.buf, out.len);
	t->bdata = t->brender = t->cdata = t->crender = 0;
	for (int i = 0; i < pages; i++) {
		struct strbuf page = STRBUF_INIT; /* as render_to: a fresh buffer per page */
		if (use_arena)
			json_arena_begin();
		double a = cpu_now();
		cJSON *d = bench_data();
		double b = cpu_now();
		if (template_cache_render(tc, "benchmark.html.mustache", d, TEMPLATE_ESCAPE_HTML, &page)) {
			fprintf(stderr, "pages: %s\n", bk_last_error());
			exit(2);
		}
		cJSON_Delete(d);
		if (use_arena)
			json_arena_end();
		double c = cpu_now();
		t->bdata += b - a;
		t->brender += c - b;
		h[1] = fnv(page.buf, page.len);
		strbuf_release(&page);
		if (use_arena)
			json_arena_begin();
		a = cpu_now();
		d = commit_data();
		b = cpu_now();
		if (template_cache_render(tc, "commit.html.mustache", d, TEMPLATE_ESCAPE_HTML, &page)) {
			fprintf(stderr, "pages: %s\n", bk_last_error());
			exit(2);
		}
		cJSON_Delete(d);
		if (use_arena)
			json_arena_end();
		c = cpu_now();
		t->cdata += b - a;
		t->crender += c - b;
		h[2] = fnv(page.buf, page.len);
		strbuf_release(&page);
	}
	t->bdata /= pages;
	t->brender /= pages;
	t->cdata /= pages;
	t->crender /= pages;
	strbuf_release(&out);
}

static double minv(double a, double b)
{
	return a < b ? a : b;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? (size_t)atol(argv[1]) : 10000;
	int pages = argc > 2 ? atoi(argv[2]) : 50;
	int rounds = argc > 3 ? atoi(argv[3]) : 3;
	const char *ar = getenv("BK_PAGES_ARENA");
	use_arena = ar && *ar == '1';
	if (n < 3 * COMMIT_ROWS || pages < 1 || rounds < 1) {
		fprintf(stderr, "usage: pages [POINTS>=600 [PAGES [ROUNDS]]]\n");
		return 2;
	}
	gen(n);
	struct template_cache *tc = template_cache_new(loader, NULL);
	struct times best = { 1e9, 1e9, 1e9, 1e9, 1e9 }, t;
	uint64_t h[3];
	for (int r = 0; r < rounds; r++) {
		one_round(tc, pages, &t, h);
		best.chart = minv(best.chart, t.chart);
		best.bdata = minv(best.bdata, t.bdata);
		best.brender = minv(best.brender, t.brender);
		best.cdata = minv(best.cdata, t.cdata);
		best.crender = minv(best.crender, t.crender);
	}
	printf("points %zu, %d pages x %d rounds (best round, CPU ms per page)%s\n", n, pages, rounds,
	       use_arena ? ", cJSON arena" : "");
	printf("  chart_svg (labels + svg)      %7.3f ms\n", best.chart * 1e3);
	printf("  benchmark page: data+chart    %7.3f ms, render %7.3f ms, total %7.3f ms\n",
	       best.bdata * 1e3, best.brender * 1e3, (best.bdata + best.brender) * 1e3);
	printf("  commit page:    data          %7.3f ms, render %7.3f ms, total %7.3f ms\n",
	       best.cdata * 1e3, best.crender * 1e3, (best.cdata + best.crender) * 1e3);
	printf("  output hashes: chart %016llx benchmark %016llx commit %016llx\n",
	       (unsigned long long)h[0], (unsigned long long)h[1], (unsigned long long)h[2]);
	template_cache_free(tc);
	free(pts);
	return 0;
}
