/* site_pages: the index, suite pages, feed and weekly summaries of
 * `benchkeep site` (see site_pages.h). */
#include "sitegen/render/site_pages.h"
#include "sitegen/render/chart.h"
#include "sitegen/render/markdown.h"
#include "lib/base/escape.h"
#include "lib/base/xalloc.h"
#include "lib/doc/json.h"
#include "lib/verdict/format.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A series as a row of the index and suite tables. */
static cJSON *series_row(const struct site *st, const struct series *se, const char *root)
{
	cJSON *o = cJSON_CreateObject();
	site_add_series_identity(st, o, se, root);
	const struct series_point *last = &se->points[se->npoints - 1];
	site_add_fmt_value(o, "latest", last->median, se->proto->unit);
	if (se->npoints > 1) {
		size_t n = se->npoints;
		site_add_change_noise(o, "change_prev",
				      site_pct_change(se->points[n - 2].median, last->median),
				      se->proto->direction, se->noise, site_machine_ratio(st, se, n - 2, n - 1));
		site_add_change_noise(o, "change_start",
				      site_pct_change(se->points[0].median, last->median),
				      se->proto->direction, se->noise, site_machine_ratio(st, se, 0, n - 1));
	}
	cJSON_AddNumberToObject(o, "points", (double)se->npoints);
	cJSON_AddNumberToObject(o, "nchanges", (double)se->nchanges);
	double *v = xmalloc(se->npoints * sizeof(double));
	for (size_t i = 0; i < se->npoints; i++)
		v[i] = se->points[i].median;
	struct strbuf sb = STRBUF_INIT;
	chart_sparkline(&sb, v, se->npoints, 120, 24);
	cJSON_AddStringToObject(o, "spark", sb.buf);
	strbuf_release(&sb);
	free(v);
	/* search text for the filter box */
	struct strbuf f = STRBUF_INIT;
	strbuf_addf(&f, "%s %s %s", se->suite, se->name, se->machine);
	cJSON_AddStringToObject(o, "filter", f.buf);
	strbuf_release(&f);
	return o;
}


static int cmp_change_ref(const void *pa, const void *pb)
{
	const struct change_ref *a = pa, *b = pb;
	if (a->order != b->order)
		return a->order > b->order ? -1 : 1;
	return strcmp(a->se->slug, b->se->slug);
}

struct change_ref *site_all_changes(const struct site *st, size_t *n)
{
	size_t total = 0;
	for (size_t i = 0; i < st->s.nr; i++)
		total += st->s.items[i].nchanges;
	struct change_ref *c = xcalloc(total ? total : 1, sizeof(*c));
	size_t k = 0;
	for (size_t i = 0; i < st->s.nr; i++) {
		const struct series *se = &st->s.items[i];
		for (size_t j = 0; j < se->nchanges; j++) {
			const struct site_result *r = &st->h.results[se->points[se->changes[j].index].result];
			c[k].se = se;
			c[k].c = &se->changes[j];
			c[k].order = r->order;
			c[k].time = r->time;
			k++;
		}
	}
	qsort(c, k, sizeof(*c), cmp_change_ref);
	*n = k;
	return c;
}

int site_render_index(struct site *st, const struct change_ref *ch, size_t nch,
			const char *weekly_latest)
{
	cJSON *d = site_base_data(st, "", st->o->title ? st->o->title : "Benchmarks", 0);
	cJSON *suites = cJSON_AddArrayToObject(d, "suites");
	for (size_t i = 0; i < st->s.nsuites; i++) {
		cJSON *so = cJSON_CreateObject();
		cJSON_AddStringToObject(so, "name", st->s.suites[i]);
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "suites/%s.html", st->suite_slugs[i]);
		cJSON_AddStringToObject(so, "href", sb.buf);
		strbuf_release(&sb);
		cJSON *bs = cJSON_AddArrayToObject(so, "benchmarks");
		for (size_t k = 0; k < st->s.nr; k++)
			if (!strcmp(st->s.items[k].suite, st->s.suites[i]))
				cJSON_AddItemToArray(bs, series_row(st, &st->s.items[k], ""));
		cJSON_AddItemToArray(suites, so);
	}
	cJSON *rc = cJSON_AddArrayToObject(d, "changes");
	for (size_t i = 0; i < nch && i < RECENT_CHANGES; i++)
		cJSON_AddItemToArray(rc, site_change_data(st, ch[i].se, ch[i].c, ""));
	if (weekly_latest) {
		cJSON *w = cJSON_AddObjectToObject(d, "weekly_latest");
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "weekly/%s.html", weekly_latest);
		cJSON_AddStringToObject(w, "href", sb.buf);
		cJSON_AddStringToObject(w, "week", weekly_latest);
		strbuf_release(&sb);
	}
	/* results kept out of the trend */
	cJSON *off = cJSON_AddArrayToObject(d, "off_main");
	for (size_t i = st->h.nmain; i < st->h.nresults; i++) {
		const struct site_result *r = &st->h.results[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "run_id", r->rec.id ? r->rec.id : "");
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "%.10s", r->rec.commit_sha ? r->rec.commit_sha : "unknown");
		cJSON_AddStringToObject(o, "commit_short", sb.buf);
		strbuf_release(&sb);
		cJSON_AddStringToObject(o, "branch", r->rec.commit_branch ? r->rec.commit_branch : "");
		cJSON_AddStringToObject(o, "machine", r->rec.machine ? r->rec.machine : "");
		if (r->rec.pr)
			cJSON_AddNumberToObject(o, "pr", (double)r->rec.pr);
		site_add_date(o, "date", r->time, 1);
		cJSON_AddNumberToObject(o, "benchmarks", (double)r->rec.nbench);
		cJSON_AddItemToArray(off, o);
	}
	cJSON_AddNumberToObject(d, "nresults", (double)st->h.nresults);
	cJSON_AddNumberToObject(d, "nseries", (double)st->s.nr);
	cJSON_AddNumberToObject(d, "ncommits", (double)st->h.ncommits);
	int r = site_render_to(st, "index.html.mustache", d, "index.html", TEMPLATE_ESCAPE_HTML, NULL);
	cJSON_Delete(d);
	return r;
}

int site_render_suite(struct site *st, size_t si)
{
	const char *suite = st->s.suites[si];
	struct strbuf title = STRBUF_INIT, path = STRBUF_INIT;
	strbuf_addf(&title, "Suite %s", suite);
	cJSON *d = site_base_data(st, "../", title.buf, 0);
	cJSON_AddStringToObject(d, "suite", suite);
	cJSON *bs = cJSON_AddArrayToObject(d, "benchmarks");
	for (size_t k = 0; k < st->s.nr; k++) {
		const struct series *se = &st->s.items[k];
		if (strcmp(se->suite, suite))
			continue;
		cJSON *row = series_row(st, se, "../");
		cJSON *chs = cJSON_AddArrayToObject(row, "changes");
		for (size_t j = se->nchanges; j-- > 0;)
			cJSON_AddItemToArray(chs, site_change_data(st, se, &se->changes[j], "../"));
		cJSON_AddItemToArray(bs, row);
	}
	strbuf_reset(&path);
	strbuf_addf(&path, "%s.json", st->suite_slugs[si]);
	cJSON_AddStringToObject(d, "data_json_name", path.buf);
	strbuf_reset(&path);
	strbuf_addf(&path, "../data/%s.json", st->suite_slugs[si]);
	cJSON_AddStringToObject(d, "data_json", path.buf);
	cJSON_AddNumberToObject(d, "chunk_commits", DATA_CHUNK);
	cJSON *chunks = cJSON_AddArrayToObject(d, "data_chunks");
	const struct suite_chunks *sc = &st->chunks[si];
	for (size_t k = sc->nr; k-- > 0;) { /* newest first */
		const struct data_chunk_info *c = &sc->items[k];
		cJSON *o = cJSON_CreateObject();
		strbuf_reset(&path);
		strbuf_addf(&path, "../data/%s/c%05zu.csv", st->suite_slugs[si], c->index);
		cJSON_AddStringToObject(o, "csv", path.buf);
		strbuf_setlen(&path, path.len - 3);
		strbuf_addstr(&path, "json");
		cJSON_AddStringToObject(o, "json", path.buf);
		cJSON_AddNumberToObject(o, "points", (double)c->npoints);
		strbuf_reset(&path);
		if (c->first >= 0)
			strbuf_addf(&path, "%.10s", st->h.commits[c->first].sha);
		cJSON_AddStringToObject(o, "first_short", path.buf);
		strbuf_reset(&path);
		if (c->last >= 0)
			strbuf_addf(&path, "%.10s", st->h.commits[c->last].sha);
		cJSON_AddStringToObject(o, "last_short", path.buf);
		cJSON_AddItemToArray(chunks, o);
	}
	strbuf_reset(&path);
	strbuf_addf(&path, "suites/%s.html", st->suite_slugs[si]);
	int r = site_render_to(st, "suite.html.mustache", d, path.buf, TEMPLATE_ESCAPE_HTML, NULL);
	cJSON_Delete(d);
	strbuf_release(&title);
	strbuf_release(&path);
	return r;
}



static void rfc3339(struct strbuf *sb, long long t)
{
	char buf[32];
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	strbuf_addstr(sb, buf);
}

int site_render_feed(struct site *st, const struct change_ref *ch, size_t nch)
{
	const char *base = st->o->base_url ? st->o->base_url : "";
	struct strbuf b = STRBUF_INIT;
	strbuf_addstr(&b, base);
	if (b.len && b.buf[b.len - 1] != '/')
		strbuf_addch(&b, '/');
	cJSON *d = site_base_data(st, b.buf, "Regressions", 0);
	struct strbuf sb = STRBUF_INIT;
	rfc3339(&sb, st->now);
	cJSON_AddStringToObject(d, "updated", sb.buf);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%sfeed.xml", b.buf);
	cJSON_AddStringToObject(d, "feed_url", sb.buf);
	cJSON *es = cJSON_AddArrayToObject(d, "entries");
	size_t shown = 0;
	for (size_t i = 0; i < nch && shown < FEED_ENTRIES; i++) {
		const struct series *se = ch[i].se;
		if (!site_is_regression(ch[i].c->change, se->proto->direction))
			continue;
		cJSON *e = site_change_data(st, se, ch[i].c, b.buf);
		strbuf_reset(&sb);
		rfc3339(&sb, ch[i].time ? ch[i].time : st->now);
		cJSON_AddStringToObject(e, "updated", sb.buf);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "urn:benchkeep:%s:", se->slug);
		const struct site_result *r = &st->h.results[se->points[ch[i].c->index].result];
		const char *sha = site_result_sha(st, r);
		escape_url_component(&sb, sha ? sha : "none");
		cJSON_AddStringToObject(e, "id", sb.buf);
		cJSON_AddItemToArray(es, e);
		shown++;
	}
	int r = site_render_to(st, "feed.xml.mustache", d, "feed.xml", TEMPLATE_ESCAPE_HTML, NULL);
	cJSON_Delete(d);
	strbuf_release(&sb);
	strbuf_release(&b);
	return r;
}

/* ---- weekly summaries ---------------------------------------------------------- */

static void iso_week(long long t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, n, "%G-W%V", &tm);
}

static int cmp_abs_change(const void *pa, const void *pb)
{
	const struct change_ref *a = pa, *b = pb;
	double x = fabs(a->c->change), y = fabs(b->c->change);
	return (x < y) - (x > y);
}

/* Renders every week that has results; *latest gets the newest week name. */
int site_render_weekly(struct site *st, const struct change_ref *ch, size_t nch, char *latest,
			 size_t latest_len)
{
	/* distinct weeks by the time each result was recorded */
	char (*weeks)[16] = xcalloc(st->h.nresults ? st->h.nresults : 1, sizeof(*weeks));
	size_t nweeks = 0;
	*latest = '\0';
	for (size_t i = 0; i < st->h.nresults; i++) {
		const struct site_result *r = &st->h.results[i];
		long long t = site_data_time(r);
		if (!t)
			continue;
		char w[16];
		iso_week(t, w, sizeof(w));
		size_t k = 0;
		while (k < nweeks && strcmp(weeks[k], w))
			k++;
		if (k == nweeks)
			memcpy(weeks[nweeks++], w, sizeof(w));
	}
	int rc = 0;
	struct change_ref *wc = xcalloc(nch ? nch : 1, sizeof(*wc));
	for (size_t k = 0; k < nweeks && !rc; k++) {
		if (strcmp(weeks[k], latest) > 0)
			snprintf(latest, latest_len, "%s", weeks[k]);
		cJSON *d = site_base_data(st, "../", weeks[k], 0);
		cJSON_AddStringToObject(d, "week", weeks[k]);
		size_t nres = 0, nbench = 0;
		for (size_t i = 0; i < st->h.nresults; i++) {
			const struct site_result *r = &st->h.results[i];
			long long t = site_data_time(r);
			char w[16];
			iso_week(t, w, sizeof(w));
			if (t && !strcmp(w, weeks[k])) {
				nres++;
				nbench += r->rec.nbench;
			}
		}
		cJSON_AddNumberToObject(d, "results", (double)nres);
		cJSON_AddNumberToObject(d, "benchmarks", (double)nbench);
		size_t n = 0;
		for (size_t i = 0; i < nch; i++) {
			char w[16];
			iso_week(ch[i].time, w, sizeof(w));
			if (ch[i].time && !strcmp(w, weeks[k]))
				wc[n++] = ch[i];
		}
		qsort(wc, n, sizeof(*wc), cmp_abs_change);
		cJSON_AddNumberToObject(d, "nchanges", (double)n);
		cJSON *regs = cJSON_AddArrayToObject(d, "regressions");
		cJSON *imps = cJSON_AddArrayToObject(d, "improvements");
		for (size_t i = 0; i < n; i++) {
			int reg = site_is_regression(wc[i].c->change, wc[i].se->proto->direction);
			cJSON *arr = reg ? regs : imps;
			if (cJSON_GetArraySize(arr) < 20)
				cJSON_AddItemToArray(arr, site_change_data(st, wc[i].se, wc[i].c, "../"));
		}
		struct strbuf md = STRBUF_INIT, path = STRBUF_INIT;
		strbuf_addf(&path, "weekly/%s.md", weeks[k]);
		rc = site_render_to(st, "weekly.md.mustache", d, path.buf, TEMPLATE_ESCAPE_MARKDOWN, &md);
		if (!rc) {
			char *html = markdown_to_html(md.buf, md.len);
			if (!html) {
				rc = -1;
			} else {
				cJSON_AddStringToObject(d, "content", html);
				free(html);
				strbuf_reset(&path);
				strbuf_addf(&path, "weekly/%s.html", weeks[k]);
				rc = site_render_to(st, "weekly.html.mustache", d, path.buf, TEMPLATE_ESCAPE_HTML,
					       NULL);
			}
		}
		strbuf_release(&md);
		strbuf_release(&path);
		cJSON_Delete(d);
	}
	free(wc);
	free(weeks);
	return rc;
}
