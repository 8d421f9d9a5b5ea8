/* site_bench: the benchmark pages of `benchkeep site` (see site_bench.h). */
#include "sitegen/render/site_bench.h"
#include "sitegen/render/chart.h"
#include "sitegen/render/fingerprint.h"
#include "lib/base/xalloc.h"
#include "lib/doc/json.h"
#include "lib/stats/stats.h"
#include "lib/verdict/format.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The tooltip of point i of se: commit, date, median, n and summary. */
static void point_label(const struct site *st, const struct series *se, size_t i, struct strbuf *sb)
{
	const struct series_point *p = &se->points[i];
	const struct site_result *r = &st->h.results[p->result];
	const char *sha = site_result_sha(st, r);
	sha = sha ? sha : "no-sha";
	strbuf_add(sb, sha, strnlen(sha, 10));
	strbuf_addch(sb, ' ');
	if (r->time)
		format_date(sb, r->time, 0);
	strbuf_addstr(sb, ": ");
	format_value(sb, p->median, se->proto->unit);
	strbuf_addstr(sb, " (n=");
	strbuf_addu(sb, p->n);
	strbuf_addch(sb, ')');
	if (r->main_index >= 0) {
		strbuf_addstr(sb, " \xe2\x80\x94 ");
		strbuf_addstr(sb, st->h.commits[r->main_index].summary);
	}
}

/* When the newest point of se is from: its page's "data as of", so that a
 * result for another benchmark or machine leaves this page as it is. */
static long long bench_newest(const struct site *st, const struct series *se)
{
	long long newest = 0;
	for (size_t i = 0; i < se->npoints; i++) {
		long long t = site_data_time(&st->h.results[se->points[i].result]);
		if (t > newest)
			newest = t;
	}
	return newest;
}

/* d.params: the benchmark's parameters as key/value pairs. */
static void bench_add_params(cJSON *d, const struct series *se)
{
	cJSON *params = cJSON_AddArrayToObject(d, "params");
	for (size_t i = 0; i < se->proto->params.nr; i++) {
		cJSON *p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "key", se->proto->params.items[i].key);
		cJSON_AddStringToObject(p, "value", se->proto->params.items[i].value);
		cJSON_AddItemToArray(params, p);
	}
}

/* What the chart of a series draws; bench_chart_free frees it. */
struct bench_chart {
	struct chart_point *pts; /* se->npoints */
	char **labels, **hrefs;  /* per point, mostly NULL */
	struct chart_mark *marks; /* se->nchanges */
	char **mlabels;
	struct chart_level *levels; /* the noise band, per segment */
	size_t nlevels;
	struct strbuf band; /* the levels' label */
};

/* The chart's points; labels only where a column's tooltip can show them:
 * the last point of each of at most ~800 columns. */
static void bench_chart_points(const struct site *st, const struct series *se,
			       struct bench_chart *c)
{
	struct strbuf sb = STRBUF_INIT;
	c->pts = xcalloc(se->npoints, sizeof(*c->pts));
	c->labels = xcalloc(se->npoints, sizeof(char *));
	c->hrefs = xcalloc(se->npoints, sizeof(char *));
	size_t cols = se->npoints < 716 ? se->npoints : 716;
	for (size_t k = 0; k < cols; k++) {
		size_t i = (k + 1) * se->npoints / cols - 1;
		strbuf_reset(&sb);
		point_label(st, se, i, &sb);
		c->labels[i] = strbuf_detach(&sb, NULL);
		const struct site_result *r = &st->h.results[se->points[i].result];
		if (site_commit_href(st, &sb, "../", r->main_index))
			c->hrefs[i] = strbuf_detach(&sb, NULL);
	}
	strbuf_release(&sb);
	for (size_t i = 0; i < se->npoints; i++) {
		const struct series_point *s = &se->points[i];
		c->pts[i].median = s->median;
		c->pts[i].lo = s->min;
		c->pts[i].hi = s->max;
		c->pts[i].label = c->labels[i];
		c->pts[i].href = c->hrefs[i];
	}
}

/* The chart's marks: one per change point, labelled before -> after. */
static void bench_chart_marks(const struct series *se, struct bench_chart *c)
{
	struct strbuf sb = STRBUF_INIT;
	c->marks = xcalloc(se->nchanges ? se->nchanges : 1, sizeof(*c->marks));
	c->mlabels = xcalloc(se->nchanges ? se->nchanges : 1, sizeof(char *));
	for (size_t j = 0; j < se->nchanges; j++) {
		const struct changepoint *cp = &se->changes[j];
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "change: ");
		format_value(&sb, cp->before, se->proto->unit);
		strbuf_addstr(&sb, " \xe2\x86\x92 ");
		format_value(&sb, cp->after, se->proto->unit);
		strbuf_addstr(&sb, " (");
		format_change(&sb, cp->change);
		strbuf_addch(&sb, ')');
		c->mlabels[j] = strbuf_detach(&sb, NULL);
		c->marks[j].index = cp->index;
		c->marks[j].label = c->mlabels[j];
		c->marks[j].regression = site_is_regression(cp->change, se->proto->direction);
	}
	strbuf_release(&sb);
}

/* The noise band: +-SITE_BAND_MULTIPLE noise around the median of each
 * segment between change points (none without a noise). */
static void bench_chart_levels(const struct series *se, struct bench_chart *c)
{
	c->levels = xcalloc(se->nchanges + 1, sizeof(*c->levels));
	c->nlevels = 0;
	strbuf_init(&c->band, 0);
	if (!isfinite(se->noise) || se->npoints == 0)
		return;
	double *tmp = xmalloc(se->npoints * sizeof(double));
	double half = SITE_BAND_MULTIPLE * se->noise;
	strbuf_addstr(&c->band, "noise band: the level of the segment \xc2\xb1");
	format_sig(&c->band, SITE_BAND_MULTIPLE, 2);
	strbuf_addstr(&c->band, " \xc3\x97 the noise (");
	format_sig(&c->band, 100 * se->noise, 2);
	strbuf_addstr(&c->band, "% per point)");
	for (size_t j = 0; j <= se->nchanges; j++) {
		size_t a = j ? se->changes[j - 1].index : 0;
		size_t b = j < se->nchanges ? se->changes[j].index : se->npoints;
		if (a >= b)
			continue;
		for (size_t i = a; i < b; i++)
			tmp[i - a] = se->points[i].median;
		stats_sort(tmp, b - a);
		double lv = stats_quantile_sorted(tmp, b - a, 0.5);
		/* the noise is relative (log scale): the series is positive */
		c->levels[c->nlevels++] = (struct chart_level){ a, b, lv, lv * exp(-half),
								lv * exp(half), c->band.buf };
	}
	free(tmp);
}

/* Frees what bench_chart_* made for se. */
static void bench_chart_free(const struct series *se, struct bench_chart *c)
{
	for (size_t i = 0; i < se->npoints; i++) {
		free(c->labels[i]);
		free(c->hrefs[i]);
	}
	for (size_t j = 0; j < se->nchanges; j++)
		free(c->mlabels[j]);
	free(c->labels);
	free(c->hrefs);
	free(c->mlabels);
	free(c->marks);
	free(c->pts);
	free(c->levels);
	strbuf_release(&c->band);
}

/* d.chart (the <svg>), and d.noise and d.noise_band when se has a noise. */
static void bench_add_chart(const struct site *st, cJSON *d, const struct series *se,
			    const char *title)
{
	struct bench_chart c;
	struct strbuf sb = STRBUF_INIT;
	bench_chart_points(st, se, &c);
	bench_chart_marks(se, &c);
	bench_chart_levels(se, &c);
	struct chart_opts co = { 0, 0, se->proto->unit, title, c.marks, se->nchanges };
	chart_svg_levels(&sb, c.pts, se->npoints, &co, c.levels, c.nlevels);
	cJSON_AddStringToObject(d, "chart", sb.buf);
	if (isfinite(se->noise)) {
		strbuf_reset(&sb);
		format_sig(&sb, 100 * se->noise, 2);
		strbuf_addch(&sb, '%');
		cJSON_AddStringToObject(d, "noise", sb.buf);
		strbuf_reset(&sb);
		format_sig(&sb, 100 * expm1(site_noise_band(se->noise)), 2);
		strbuf_addch(&sb, '%');
		cJSON_AddStringToObject(d, "noise_band", sb.buf);
	}
	strbuf_release(&sb);
	bench_chart_free(se, &c);
}

/* Row of the history table for point i of se. */
static cJSON *history_row(const struct site *st, const struct series *se, size_t i)
{
	struct strbuf sb = STRBUF_INIT;
	const struct series_point *p = &se->points[i];
	const struct site_result *r = &st->h.results[p->result];
	const char *sha = site_result_sha(st, r);
	cJSON *o = cJSON_CreateObject();
	strbuf_addf(&sb, "%.10s", sha ? sha : "");
	cJSON_AddStringToObject(o, "commit_short", sb.buf);
	if (r->main_index >= 0) {
		strbuf_reset(&sb);
		if (site_commit_href(st, &sb, "../", r->main_index))
			cJSON_AddStringToObject(o, "commit_href", sb.buf);
		cJSON_AddStringToObject(o, "summary", st->h.commits[r->main_index].summary);
	}
	strbuf_release(&sb);
	site_add_repo_url(st, o, sha);
	site_add_date(o, "date", r->time, 1);
	cJSON_AddNumberToObject(o, "n", (double)(size_t)p->n);
	site_add_fmt_value(o, "median", p->median, se->proto->unit);
	site_add_fmt_value(o, "ci_low", p->ci_low, se->proto->unit);
	site_add_fmt_value(o, "ci_high", p->ci_high, se->proto->unit);
	if (i > 0)
		site_add_change_noise(o, "change", site_pct_change(se->points[i - 1].median, p->median),
				      se->proto->direction, se->noise,
				      site_machine_ratio(st, se, i - 1, i));
	for (size_t j = 0; j < se->nchanges; j++)
		if (se->changes[j].index == i)
			cJSON_AddBoolToObject(o, "is_change", 1);
	return o;
}

/* d.changes (newest first), d.history (the HISTORY_ROWS newest points),
 * d.npoints and d.history_more. */
static void bench_add_history(const struct site *st, cJSON *d, const struct series *se)
{
	cJSON *chs = cJSON_AddArrayToObject(d, "changes");
	for (size_t j = se->nchanges; j-- > 0;)
		cJSON_AddItemToArray(chs, site_change_data(st, se, &se->changes[j], "../"));
	cJSON *hist = cJSON_AddArrayToObject(d, "history");
	size_t shown = 0;
	for (size_t i = se->npoints; i-- > 0 && shown < HISTORY_ROWS; shown++)
		cJSON_AddItemToArray(hist, history_row(st, se, i));
	cJSON_AddNumberToObject(d, "npoints", (double)se->npoints);
	if (se->npoints > shown)
		cJSON_AddNumberToObject(d, "history_more", (double)(se->npoints - shown));
}

/* d.other_machines: the same benchmark on other machines; d.data_href. */
static void bench_add_links(const struct site *st, cJSON *d, const struct series *se)
{
	struct strbuf sb = STRBUF_INIT;
	cJSON *others = cJSON_AddArrayToObject(d, "other_machines");
	for (size_t k = 0; k < st->s.nr; k++) {
		const struct series *o2 = &st->s.items[k];
		if (o2 == se || strcmp(o2->suite, se->suite) || strcmp(o2->name, se->name))
			continue;
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "machine", o2->machine);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s.html", o2->slug);
		cJSON_AddStringToObject(o, "href", sb.buf);
		cJSON_AddItemToArray(others, o);
	}
	strbuf_reset(&sb);
	strbuf_addf(&sb, "../suites/%s.html#data", site_suite_slug(st, se->suite));
	cJSON_AddStringToObject(d, "data_href", sb.buf);
	strbuf_release(&sb);
}

/* bench/<slug>.html for se. 0 or -1 + bk_error. */
static int render_bench(struct site *st, const struct series *se)
{
	struct strbuf title = STRBUF_INIT, sb = STRBUF_INIT;
	strbuf_addf(&title, "%s / %s", se->suite, se->name);
	if (*se->machine)
		strbuf_addf(&title, " on %s", se->machine);
	/* the page's data lives in this thread's arena: freed at once */
	json_arena_begin();
	cJSON *d = site_base_data(st, "../", title.buf, bench_newest(st, se));
	site_add_series_identity(st, d, se, "../");
	bench_add_params(d, se);
	bench_add_chart(st, d, se, title.buf);
	bench_add_history(st, d, se);
	bench_add_links(st, d, se);
	strbuf_addf(&sb, "bench/%s.html", se->slug);
	int r = site_render_to(st, "benchmark.html.mustache", d, sb.buf, TEMPLATE_ESCAPE_HTML, NULL);
	cJSON_Delete(d);
	json_arena_end();
	strbuf_release(&sb);
	strbuf_release(&title);
	return r;
}

/* Everything a benchmark page shows comes from these: the series (its
 * identity, and its points through their results' blobs and places), which
 * commits have pages (links), its change points and the same benchmark on
 * other machines. */
static uint64_t bench_page_fp(const struct site *st, const struct series *se)
{
	struct fp f = { st->config_fp };
	fp_str(&f, se->slug);
	fp_str(&f, se->proto->unit);
	fp_u64(&f, se->proto->direction);
	for (size_t i = 0; i < se->proto->params.nr; i++) {
		fp_str(&f, se->proto->params.items[i].key);
		fp_str(&f, se->proto->params.items[i].value);
	}
	fp_u64(&f, se->npoints);
	for (size_t i = 0; i < se->npoints; i++) {
		const struct site_result *r = &st->h.results[se->points[i].result];
		fp_u64(&f, st->result_fp[se->points[i].result]);
		fp_u64(&f, r->main_index >= 0 ? st->commit_page[r->main_index] : 2);
		fp_f64(&f, st->s.factor ? st->s.factor[se->points[i].result] : 1);
	}
	fp_f64(&f, se->noise);
	for (size_t j = 0; j < se->nchanges; j++) {
		fp_u64(&f, se->changes[j].index);
		fp_f64(&f, se->changes[j].change);
		fp_f64(&f, se->changes[j].p_value);
	}
	for (size_t k = 0; k < st->s.nr; k++) {
		const struct series *o2 = &st->s.items[k];
		if (o2 != se && !strcmp(o2->suite, se->suite) && !strcmp(o2->name, se->name))
			fp_str(&f, o2->slug);
	}
	return f.h;
}

static int bench_task(struct site *st, size_t i, void *payload)
{
	(void)payload;
	const struct series *se = &st->s.items[i];
	uint64_t fp = bench_page_fp(st, se);
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "bench/%s.html", se->slug);
	int r = 0;
	if (!output_skip(&st->out, path.buf, fp)) {
		r = render_bench(st, se);
		if (!r)
			output_note(&st->out, path.buf, fp);
	}
	strbuf_release(&path);
	return r;
}

/* ---- feed -------------------------------------------------------------------- */

int site_render_benches(struct site *st)
{
	return site_parallel_for(st, st->s.nr, bench_task, NULL);
}
