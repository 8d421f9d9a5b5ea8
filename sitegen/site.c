#include "site.h"
#include "chart.h"
#include "embedded.h"
#include "error.h"
#include "escape.h"
#include "fingerprint.h"
#include "format.h"
#include "history.h"
#include "json.h"
#include "atomicfile.h"
#include "markdown.h"
#include "output.h"
#include "parallel.h"
#include "series.h"
#include "template.h"
#include "timing.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define HISTORY_ROWS 200  /* rows of a benchmark page's history table */
#define RECENT_CHANGES 25 /* change points listed on the index */
#define FEED_ENTRIES 50
#define COMMIT_PAGES_RECENT 100 /* newest commits that get a page */
/* A suite's data comes in chunks of DATA_CHUNK main-branch commits, so a
 * new result rewrites the newest chunk, not the whole history. */
#define DATA_CHUNK 256

struct site {
	const struct site_opts *o;
	struct history h;
	struct series_set s;
	struct output out;
	struct template_cache *tc; /* compiled templates and partials, shared by threads */
	long long now;
	size_t pages; /* updated atomically: pages render in parallel */
	char **suite_slugs; /* parallel to s.suites */
	unsigned char *commit_page; /* per main commit: 1 when it gets a page */
	uint64_t config_fp; /* what every page depends on: binary, options, templates */
	struct suite_chunks *chunks; /* parallel to s.suites: its data chunks */
	uint64_t *result_fp; /* per result: its blob and place (fingerprints) */
};

struct data_chunk_info {
	size_t index, npoints;
	long first, last; /* main commits of its first and last results (-1: none) */
};

struct suite_chunks {
	struct data_chunk_info *items;
	size_t nr, alloc;
};

/* ---- templates ------------------------------------------------------------ */

/* Source of template file `name`: the user's directory first, then the
 * embedded default. Heap string or NULL. */
static char *template_source(const struct site *st, const char *name)
{
	if (st->o->templates) {
		struct strbuf p = STRBUF_INIT, sb = STRBUF_INIT;
		strbuf_addf(&p, "%s/%s", st->o->templates, name);
		int r = strbuf_read_file(&sb, p.buf);
		strbuf_release(&p);
		if (r == 0)
			return strbuf_detach(&sb, NULL);
		strbuf_release(&sb);
	}
	const struct embedded_file *f = embedded_find(name);
	return f ? xstrndup(f->data, f->len) : NULL;
}

/* Source of a template ("index.html.mustache") or of a partial ("header"
 * -> partials/header.mustache) for the template cache. Heap string or NULL. */
static char *template_loader(void *payload, const char *name)
{
	const struct site *st = payload;
	if (!*name || strchr(name, '/') || strstr(name, ".."))
		return NULL;
	size_t n = strlen(name);
	if (n > 9 && !strcmp(name + n - 9, ".mustache"))
		return template_source(st, name);
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "partials/%s.mustache", name);
	char *src = template_source(st, p.buf);
	strbuf_release(&p);
	return src;
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

/* Renders template `name` with data into relpath under the output. */
static int render_to(struct site *st, const char *name, const cJSON *data, const char *relpath,
		     enum template_escape esc, struct strbuf *keep)
{
	struct strbuf sb = STRBUF_INIT;
	add_has_flags((cJSON *)data);
	if (template_cache_render(st->tc, name, data, esc, &sb) < 0) {
		strbuf_release(&sb);
		return -1;
	}
	int r = output_write(&st->out, relpath, sb.buf, sb.len);
	__atomic_fetch_add(&st->pages, 1, __ATOMIC_RELAXED);
	if (keep)
		strbuf_add(keep, sb.buf, sb.len);
	strbuf_release(&sb);
	return r;
}

/* ---- data helpers ------------------------------------------------------------ */

static void add_fmt_value(cJSON *o, const char *key, double v, const char *unit)
{
	struct strbuf sb = STRBUF_INIT;
	format_value(&sb, v, unit);
	cJSON_AddStringToObject(o, key, sb.buf);
	strbuf_release(&sb);
}

/* Whether a relative change is good or bad for this direction, as a class. */
static const char *change_class(double change, enum bk_direction d)
{
	if (!isfinite(change) || fabs(change) < 0.02)
		return "";
	int worse = d == BK_BIGGER ? change < 0 : change > 0;
	return worse ? "bk-worse" : "bk-better";
}

static int is_regression(double change, enum bk_direction d)
{
	return d == BK_BIGGER ? change < 0 : change > 0;
}

static void add_change(cJSON *o, const char *key, double change, enum bk_direction d)
{
	struct strbuf sb = STRBUF_INIT, k = STRBUF_INIT;
	format_change(&sb, change);
	cJSON_AddStringToObject(o, key, sb.buf);
	strbuf_addf(&k, "%s_class", key);
	cJSON_AddStringToObject(o, k.buf, change_class(change, d));
	strbuf_release(&sb);
	strbuf_release(&k);
}

static void add_date(cJSON *o, const char *key, long long t, int with_time)
{
	struct strbuf sb = STRBUF_INIT;
	if (t)
		format_date(&sb, t, with_time);
	cJSON_AddStringToObject(o, key, sb.buf);
	strbuf_release(&sb);
}

/* The time of a result's data: when it was recorded, else when it ran. */
static long long data_time(const struct site_result *r)
{
	return r->recorded_time ? r->recorded_time : r->time;
}

static const char *result_sha(const struct site *st, const struct site_result *r)
{
	if (r->main_index >= 0)
		return st->h.commits[r->main_index].sha;
	return r->rec.commit_sha;
}

/* Link to the page of main commit `idx` (index in h.commits); 0 and nothing
 * added when that commit has no page (only recent commits and commits where
 * a change point starts get one, so 10,000 commits do not make 10,000 pages). */
static int commit_href(const struct site *st, struct strbuf *sb, const char *root, long idx)
{
	if (idx < 0 || !st->commit_page || !st->commit_page[idx])
		return 0;
	strbuf_addf(sb, "%scommits/%.40s.html", root, st->h.commits[idx].sha);
	return 1;
}

static void add_repo_url(const struct site *st, cJSON *o, const char *sha)
{
	if (!st->o->repo_url || !sha)
		return;
	struct strbuf u = STRBUF_INIT;
	strbuf_addf(&u, "%s/commit/", st->o->repo_url);
	escape_url_component(&u, sha);
	cJSON_AddStringToObject(o, "repo_commit_url", u.buf);
	strbuf_release(&u);
}

static const char *suite_slug(const struct site *st, const char *suite)
{
	for (size_t i = 0; i < st->s.nsuites; i++)
		if (!strcmp(st->s.suites[i], suite))
			return st->suite_slugs[i];
	return "unknown";
}

/* The data every page has; its "data as of" is as_of, or (0) the time of
 * the newest data of the build. */
static cJSON *base_data(const struct site *st, const char *root, const char *page_title,
			long long as_of)
{
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "site_title", st->o->title ? st->o->title : "Benchmarks");
	cJSON_AddStringToObject(d, "title", page_title);
	cJSON_AddStringToObject(d, "root", root);
	add_date(d, "generated_at", as_of ? as_of : st->now, 1);
	cJSON_AddStringToObject(d, "branch", st->h.branch ? st->h.branch : "");
	if (st->o->repo_url)
		cJSON_AddStringToObject(d, "repo_url", st->o->repo_url);
	return d;
}

static void series_href(struct strbuf *sb, const char *root, const struct series *se)
{
	strbuf_addf(sb, "%sbench/%s.html", root, se->slug);
}

static void add_series_identity(const struct site *st, cJSON *o, const struct series *se,
				const char *root)
{
	struct strbuf sb = STRBUF_INIT;
	cJSON_AddStringToObject(o, "suite", se->suite);
	cJSON_AddStringToObject(o, "name", se->name);
	cJSON_AddStringToObject(o, "machine", se->machine);
	cJSON_AddStringToObject(o, "unit", se->proto->unit ? se->proto->unit : "");
	cJSON_AddStringToObject(o, "direction", direction_name(se->proto->direction));
	series_href(&sb, root, se);
	cJSON_AddStringToObject(o, "href", sb.buf);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%ssuites/%s.html", root, suite_slug(st, se->suite));
	cJSON_AddStringToObject(o, "suite_href", sb.buf);
	strbuf_release(&sb);
}

/* A change point as template data. */
static cJSON *change_data(const struct site *st, const struct series *se,
			  const struct changepoint *c, const char *root)
{
	cJSON *o = cJSON_CreateObject();
	add_series_identity(st, o, se, root);
	const struct site_result *r = &st->h.results[se->points[c->index].result];
	const char *sha = result_sha(st, r);
	struct strbuf sb = STRBUF_INIT;
	cJSON_AddStringToObject(o, "commit", sha ? sha : "");
	strbuf_addf(&sb, "%.10s", sha ? sha : "");
	cJSON_AddStringToObject(o, "commit_short", sb.buf);
	if (sha && r->main_index >= 0) {
		strbuf_reset(&sb);
		if (commit_href(st, &sb, root, r->main_index))
			cJSON_AddStringToObject(o, "commit_href", sb.buf);
		cJSON_AddStringToObject(o, "summary", st->h.commits[r->main_index].summary);
	}
	add_repo_url(st, o, sha);
	add_date(o, "date", r->time, 0);
	add_fmt_value(o, "before", c->before, se->proto->unit);
	add_fmt_value(o, "after", c->after, se->proto->unit);
	add_change(o, "change", c->change, se->proto->direction);
	int reg = is_regression(c->change, se->proto->direction);
	cJSON_AddStringToObject(o, "kind", reg ? "regression" : "improvement");
	cJSON_AddBoolToObject(o, "regression", reg);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%.2g", c->p_value);
	cJSON_AddStringToObject(o, "p", sb.buf);
	strbuf_release(&sb);
	return o;
}

/* ---- pages ----------------------------------------------------------------- */

static double pct_change(double a, double b)
{
	return a != 0 ? b / a - 1 : NAN;
}

static cJSON *series_row(const struct site *st, const struct series *se, const char *root)
{
	cJSON *o = cJSON_CreateObject();
	add_series_identity(st, o, se, root);
	const struct series_point *last = &se->points[se->npoints - 1];
	add_fmt_value(o, "latest", last->median, se->proto->unit);
	if (se->npoints > 1) {
		add_change(o, "change_prev", pct_change(se->points[se->npoints - 2].median,
						      last->median), se->proto->direction);
		add_change(o, "change_start", pct_change(se->points[0].median, last->median),
			   se->proto->direction);
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

/* Every change point of every series, newest first. */
struct change_ref {
	const struct series *se;
	const struct changepoint *c;
	double order;
	long long time;
};

static int cmp_change_ref(const void *pa, const void *pb)
{
	const struct change_ref *a = pa, *b = pb;
	if (a->order != b->order)
		return a->order > b->order ? -1 : 1;
	return strcmp(a->se->slug, b->se->slug);
}

static struct change_ref *all_changes(const struct site *st, size_t *n)
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

static int render_index(struct site *st, const struct change_ref *ch, size_t nch,
			const char *weekly_latest)
{
	cJSON *d = base_data(st, "", st->o->title ? st->o->title : "Benchmarks", 0);
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
		cJSON_AddItemToArray(rc, change_data(st, ch[i].se, ch[i].c, ""));
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
		add_date(o, "date", r->time, 1);
		cJSON_AddNumberToObject(o, "benchmarks", (double)r->rec.nbench);
		cJSON_AddItemToArray(off, o);
	}
	cJSON_AddNumberToObject(d, "nresults", (double)st->h.nresults);
	cJSON_AddNumberToObject(d, "nseries", (double)st->s.nr);
	cJSON_AddNumberToObject(d, "ncommits", (double)st->h.ncommits);
	int r = render_to(st, "index.html.mustache", d, "index.html", TEMPLATE_ESCAPE_HTML, NULL);
	cJSON_Delete(d);
	return r;
}

static int render_suite(struct site *st, size_t si)
{
	const char *suite = st->s.suites[si];
	struct strbuf title = STRBUF_INIT, path = STRBUF_INIT;
	strbuf_addf(&title, "Suite %s", suite);
	cJSON *d = base_data(st, "../", title.buf, 0);
	cJSON_AddStringToObject(d, "suite", suite);
	cJSON *bs = cJSON_AddArrayToObject(d, "benchmarks");
	for (size_t k = 0; k < st->s.nr; k++) {
		const struct series *se = &st->s.items[k];
		if (strcmp(se->suite, suite))
			continue;
		cJSON *row = series_row(st, se, "../");
		cJSON *chs = cJSON_AddArrayToObject(row, "changes");
		for (size_t j = se->nchanges; j-- > 0;)
			cJSON_AddItemToArray(chs, change_data(st, se, &se->changes[j], "../"));
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
	int r = render_to(st, "suite.html.mustache", d, path.buf, TEMPLATE_ESCAPE_HTML, NULL);
	cJSON_Delete(d);
	strbuf_release(&title);
	strbuf_release(&path);
	return r;
}

static void point_label(const struct site *st, const struct series *se, size_t i, struct strbuf *sb)
{
	const struct series_point *p = &se->points[i];
	const struct site_result *r = &st->h.results[p->result];
	const char *sha = result_sha(st, r);
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

static int render_bench(struct site *st, const struct series *se)
{
	struct strbuf title = STRBUF_INIT, sb = STRBUF_INIT;
	strbuf_addf(&title, "%s / %s", se->suite, se->name);
	if (*se->machine)
		strbuf_addf(&title, " on %s", se->machine);
	/* "data as of" the newest point of this series, so that a result for
	 * another benchmark or machine leaves this page as it is */
	long long newest = 0;
	for (size_t i = 0; i < se->npoints; i++) {
		long long t = data_time(&st->h.results[se->points[i].result]);
		if (t > newest)
			newest = t;
	}
	/* the page's data lives in this thread's arena: freed at once */
	json_arena_begin();
	cJSON *d = base_data(st, "../", title.buf, newest);
	add_series_identity(st, d, se, "../");
	cJSON *params = cJSON_AddArrayToObject(d, "params");
	for (size_t i = 0; i < se->proto->params.nr; i++) {
		cJSON *p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "key", se->proto->params.items[i].key);
		cJSON_AddStringToObject(p, "value", se->proto->params.items[i].value);
		cJSON_AddItemToArray(params, p);
	}
	/* chart */
	struct chart_point *pts = xcalloc(se->npoints, sizeof(*pts));
	char **labels = xcalloc(se->npoints, sizeof(char *));
	char **hrefs = xcalloc(se->npoints, sizeof(char *));
	/* labels only where a column's tooltip can show them: the last point of
	 * each of at most ~800 columns */
	size_t cols = se->npoints < 716 ? se->npoints : 716;
	for (size_t c = 0; c < cols; c++) {
		size_t i = (c + 1) * se->npoints / cols - 1;
		strbuf_reset(&sb);
		point_label(st, se, i, &sb);
		labels[i] = strbuf_detach(&sb, NULL);
		const struct site_result *r = &st->h.results[se->points[i].result];
		if (commit_href(st, &sb, "../", r->main_index))
			hrefs[i] = strbuf_detach(&sb, NULL);
	}
	for (size_t i = 0; i < se->npoints; i++) {
		const struct series_point *s = &se->points[i];
		pts[i].median = s->median;
		pts[i].lo = s->min;
		pts[i].hi = s->max;
		pts[i].label = labels[i];
		pts[i].href = hrefs[i];
	}
	struct chart_mark *marks = xcalloc(se->nchanges ? se->nchanges : 1, sizeof(*marks));
	char **mlabels = xcalloc(se->nchanges ? se->nchanges : 1, sizeof(char *));
	for (size_t j = 0; j < se->nchanges; j++) {
		const struct changepoint *c = &se->changes[j];
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "change: ");
		format_value(&sb, c->before, se->proto->unit);
		strbuf_addstr(&sb, " \xe2\x86\x92 ");
		format_value(&sb, c->after, se->proto->unit);
		strbuf_addstr(&sb, " (");
		format_change(&sb, c->change);
		strbuf_addch(&sb, ')');
		mlabels[j] = strbuf_detach(&sb, NULL);
		marks[j].index = c->index;
		marks[j].label = mlabels[j];
		marks[j].regression = is_regression(c->change, se->proto->direction);
	}
	struct chart_opts co = { 0, 0, se->proto->unit, title.buf, marks, se->nchanges };
	strbuf_reset(&sb);
	chart_svg(&sb, pts, se->npoints, &co);
	cJSON_AddStringToObject(d, "chart", sb.buf);
	for (size_t i = 0; i < se->npoints; i++) {
		free(labels[i]);
		free(hrefs[i]);
	}
	for (size_t j = 0; j < se->nchanges; j++)
		free(mlabels[j]);
	free(labels);
	free(hrefs);
	free(mlabels);
	free(marks);
	free(pts);

	cJSON *chs = cJSON_AddArrayToObject(d, "changes");
	for (size_t j = se->nchanges; j-- > 0;)
		cJSON_AddItemToArray(chs, change_data(st, se, &se->changes[j], "../"));
	/* history table: newest first, bounded */
	cJSON *hist = cJSON_AddArrayToObject(d, "history");
	size_t shown = 0;
	for (size_t i = se->npoints; i-- > 0 && shown < HISTORY_ROWS; shown++) {
		const struct series_point *p = &se->points[i];
		const struct site_result *r = &st->h.results[p->result];
		const char *sha = result_sha(st, r);
		cJSON *o = cJSON_CreateObject();
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%.10s", sha ? sha : "");
		cJSON_AddStringToObject(o, "commit_short", sb.buf);
		if (r->main_index >= 0) {
			strbuf_reset(&sb);
			if (commit_href(st, &sb, "../", r->main_index))
				cJSON_AddStringToObject(o, "commit_href", sb.buf);
			cJSON_AddStringToObject(o, "summary", st->h.commits[r->main_index].summary);
		}
		add_repo_url(st, o, sha);
		add_date(o, "date", r->time, 1);
		cJSON_AddNumberToObject(o, "n", (double)(size_t)p->n);
		add_fmt_value(o, "median", p->median, se->proto->unit);
		add_fmt_value(o, "ci_low", p->ci_low, se->proto->unit);
		add_fmt_value(o, "ci_high", p->ci_high, se->proto->unit);
		if (i > 0)
			add_change(o, "change", pct_change(se->points[i - 1].median,
							  p->median), se->proto->direction);
		for (size_t j = 0; j < se->nchanges; j++)
			if (se->changes[j].index == i)
				cJSON_AddBoolToObject(o, "is_change", 1);
		cJSON_AddItemToArray(hist, o);
	}
	cJSON_AddNumberToObject(d, "npoints", (double)se->npoints);
	if (se->npoints > shown)
		cJSON_AddNumberToObject(d, "history_more", (double)(se->npoints - shown));
	/* the same benchmark on other machines */
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
	strbuf_addf(&sb, "../suites/%s.html#data", suite_slug(st, se->suite));
	cJSON_AddStringToObject(d, "data_href", sb.buf);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "bench/%s.html", se->slug);
	int r = render_to(st, "benchmark.html.mustache", d, sb.buf, TEMPLATE_ESCAPE_HTML, NULL);
	cJSON_Delete(d);
	json_arena_end();
	strbuf_release(&sb);
	strbuf_release(&title);
	return r;
}

typedef int (*site_task)(struct site *st, size_t i, void *payload);

struct site_job {
	struct site *st;
	site_task fn;
	void *payload;
};

static int site_job_run(size_t i, void *payload)
{
	struct site_job *j = payload;
	return j->fn(j->st, i, j->payload);
}

/* fn(st, i, payload) for i in [0, n) on --threads threads (sitegen/parallel.h).
 * Tasks share only read-only data, output_write and the template cache. */
static int parallel_for(struct site *st, size_t n, site_task fn, void *payload)
{
	struct site_job j = { st, fn, payload };
	return parallel_run(n, st->o->threads, site_job_run, &j);
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
	}
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

/* ---- data files ------------------------------------------------------------ */

/* A params list as a JSON object. */
static void add_params_json(struct strbuf *js, const struct bk_kvlist *params)
{
	strbuf_addch(js, '{');
	for (size_t i = 0; i < params->nr; i++) {
		if (i)
			strbuf_addch(js, ',');
		json_add_string(js, params->items[i].key);
		strbuf_addch(js, ':');
		json_add_string(js, params->items[i].value);
	}
	strbuf_addch(js, '}');
}

/* Per result of a chunk, what every point of it repeats: `"sha",time` for
 * the JSON and `sha,date` for the CSV, made once instead of once per point. */
struct result_cols {
	size_t lo;           /* index in h.results of the first result */
	struct strbuf text;  /* the columns, one after the other */
	size_t *js, *csv;    /* per result: where its columns start in text */
	size_t *js_len, *csv_len; /* and their lengths */
};

static void result_cols_init(struct result_cols *rc, const struct site *st, size_t lo, size_t hi)
{
	size_t n = hi - lo;
	rc->lo = lo;
	strbuf_init(&rc->text, n * 96);
	rc->js = xcalloc(n + 1, sizeof(size_t));
	rc->csv = xcalloc(n + 1, sizeof(size_t));
	rc->js_len = xcalloc(n + 1, sizeof(size_t));
	rc->csv_len = xcalloc(n + 1, sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		const struct site_result *r = &st->h.results[lo + i];
		const char *sha = result_sha(st, r);
		rc->js[i] = rc->text.len;
		json_add_string(&rc->text, sha ? sha : "");
		strbuf_addf(&rc->text, ",%lld,", r->time);
		rc->js_len[i] = rc->text.len - rc->js[i];
		rc->csv[i] = rc->text.len;
		escape_csv(&rc->text, sha ? sha : "");
		strbuf_addch(&rc->text, ',');
		if (r->time)
			format_date(&rc->text, r->time, 1);
		strbuf_addch(&rc->text, ',');
		rc->csv_len[i] = rc->text.len - rc->csv[i];
	}
}

static void result_cols_release(struct result_cols *rc)
{
	strbuf_release(&rc->text);
	free(rc->js);
	free(rc->csv);
	free(rc->js_len);
	free(rc->csv_len);
}

/* The series' points [from, to) into a chunk's JSON (preceded by a comma
 * unless first) and CSV rows; rc holds the columns of their results. */
static void series_data(const struct series *se, size_t from, size_t to, int first,
			const struct result_cols *rc, struct strbuf *js, struct strbuf *csv)
{
	if (!first)
		strbuf_addch(js, ',');
	strbuf_addstr(js, "\n{\"name\":");
	json_add_string(js, se->name);
	strbuf_addstr(js, ",\"machine\":");
	json_add_string(js, se->machine);
	strbuf_addstr(js, ",\"unit\":");
	json_add_string(js, se->proto->unit ? se->proto->unit : "");
	strbuf_addf(js, ",\"direction\":\"%s\",\"params\":", direction_name(se->proto->direction));
	add_params_json(js, &se->proto->params);
	strbuf_addstr(js, ",\"points\":[");
	/* the CSV columns that are the same on every row of the series */
	struct strbuf lead = STRBUF_INIT;
	escape_csv(&lead, se->suite);
	strbuf_addch(&lead, ',');
	escape_csv(&lead, se->name);
	strbuf_addch(&lead, ',');
	escape_csv(&lead, se->machine);
	strbuf_addch(&lead, ',');
	escape_csv(&lead, se->proto->unit ? se->proto->unit : "");
	strbuf_addf(&lead, ",%s,", direction_name(se->proto->direction));
	for (size_t i = from; i < to; i++) {
		const struct series_point *p = &se->points[i];
		size_t k = p->result - rc->lo;
		double vals[] = { p->median, p->min, p->max, p->ci_low, p->ci_high };
		strbuf_add(js, i > from ? ",\n[" : "\n[", i > from ? 3 : 2);
		strbuf_add(js, rc->text.buf + rc->js[k], rc->js_len[k]);
		strbuf_addu(js, p->n);
		/* the five values, formatted once for both files */
		size_t vstart = js->len;
		for (size_t v = 0; v < 5; v++) {
			strbuf_addch(js, ',');
			format_sig(js, vals[v], 7);
		}
		size_t vend = js->len;
		strbuf_addch(js, ']');
		strbuf_add(csv, lead.buf, lead.len);
		strbuf_add(csv, rc->text.buf + rc->csv[k], rc->csv_len[k]);
		strbuf_addu(csv, p->n);
		strbuf_add(csv, js->buf + vstart, vend - vstart);
		strbuf_addch(csv, '\n');
	}
	strbuf_addstr(js, "]}");
	strbuf_release(&lead);
}

#define POINT_FIELDS "[\"commit\",\"time\",\"n\",\"median\",\"min\",\"max\",\"ci_low\",\"ci_high\"]"
#define CSV_HEAD "suite,name,machine,unit,direction,commit,date,n,median,min,max,ci_low,ci_high\n"

struct data_chunk {
	size_t suite, index;
	size_t res_lo, res_hi; /* its results: h.results[res_lo..res_hi) */
	size_t *range; /* per series of the suite: first and end point in the chunk */
	uint64_t fp;
};

struct data_job {
	struct data_chunk *chunks; /* those to (re)write */
	size_t n;
	size_t **members; /* per suite: its series (indexes in s.items) */
	size_t *nmembers;
};

static void chunk_path(const struct site *st, struct strbuf *sb, size_t suite, size_t index,
		       const char *ext)
{
	strbuf_addf(sb, "data/%s/c%05zu.%s", st->suite_slugs[suite], index, ext);
}

static int chunk_task(struct site *st, size_t i, void *payload)
{
	struct data_job *j = payload;
	const struct data_chunk *c = &j->chunks[i];
	struct strbuf js = STRBUF_INIT, csv = STRBUF_INIT, path = STRBUF_INIT;
	strbuf_addstr(&js, "{\"suite\":");
	json_add_string(&js, st->s.suites[c->suite]);
	strbuf_addf(&js, ",\"chunk\":%zu,\"series\":[", c->index);
	strbuf_addstr(&csv, CSV_HEAD);
	struct result_cols rc;
	result_cols_init(&rc, st, c->res_lo, c->res_hi);
	int first = 1;
	for (size_t k = 0; k < j->nmembers[c->suite]; k++) {
		size_t from = c->range[2 * k], to = c->range[2 * k + 1];
		if (from == to)
			continue;
		series_data(&st->s.items[j->members[c->suite][k]], from, to, first, &rc, &js, &csv);
		first = 0;
	}
	result_cols_release(&rc);
	strbuf_addstr(&js, "],\n\"point_fields\":" POINT_FIELDS "}\n");
	chunk_path(st, &path, c->suite, c->index, "json");
	int r = output_write(&st->out, path.buf, js.buf, js.len);
	if (!r)
		output_note(&st->out, path.buf, c->fp);
	strbuf_reset(&path);
	chunk_path(st, &path, c->suite, c->index, "csv");
	if (!r && !(r = output_write(&st->out, path.buf, csv.buf, csv.len)))
		output_note(&st->out, path.buf, c->fp);
	strbuf_release(&js);
	strbuf_release(&csv);
	strbuf_release(&path);
	return r;
}

/* One suite's chunks: which exist (listed in the catalogue cat) and which
 * must be written (added to job). */
static void plan_suite(struct site *st, size_t si, struct data_job *j, size_t *ajob,
		       struct strbuf *cat)
{
	const size_t *mem = j->members[si];
	size_t nm = j->nmembers[si];
	size_t *cur = xcalloc(nm ? nm : 1, sizeof(size_t));
	size_t nchunks = (st->h.ncommits + DATA_CHUNK - 1) / DATA_CHUNK, rc = 0, listed = 0;
	for (size_t k = 0; k < nchunks; k++) {
		double hi = (double)((k + 1) * DATA_CHUNK);
		struct fp f = { st->config_fp };
		fp_str(&f, st->s.suites[si]);
		fp_u64(&f, k);
		/* the results of these commits (contiguous: sorted by order) */
		long first = -1, last = -1;
		size_t res_lo = rc;
		for (; rc < st->h.nmain && st->h.results[rc].order < hi; rc++) {
			const struct site_result *r = &st->h.results[rc];
			fp_bytes(&f, r->blob, 40);
			fp_f64(&f, r->order);
			fp_u64(&f, (uint64_t)r->time);
			if (r->main_index >= 0) {
				if (first < 0)
					first = r->main_index;
				last = r->main_index;
			}
		}
		size_t *range = xcalloc(nm ? 2 * nm : 1, sizeof(size_t)), npoints = 0;
		for (size_t m = 0; m < nm; m++) {
			const struct series *se = &st->s.items[mem[m]];
			size_t e = cur[m];
			while (e < se->npoints && st->h.results[se->points[e].result].order < hi)
				e++;
			range[2 * m] = cur[m];
			range[2 * m + 1] = e;
			if (e > cur[m]) {
				fp_str(&f, se->slug);
				fp_str(&f, se->proto->unit);
				fp_u64(&f, se->proto->direction);
				fp_u64(&f, e - cur[m]);
				npoints += e - cur[m];
			}
			cur[m] = e;
		}
		if (!npoints) {
			free(range);
			continue;
		}
		struct suite_chunks *sc = &st->chunks[si];
		ALLOC_GROW(sc->items, sc->nr + 1, sc->alloc);
		sc->items[sc->nr++] = (struct data_chunk_info){ k, npoints, first, last };
		strbuf_addstr(cat, listed++ ? ",\n{" : "\n{");
		strbuf_addf(cat, "\"index\":%zu,\"points\":%zu,\"json\":\"%s/c%05zu.json\","
				 "\"csv\":\"%s/c%05zu.csv\"",
			    k, npoints, st->suite_slugs[si], k, st->suite_slugs[si], k);
		if (first >= 0)
			strbuf_addf(cat, ",\"first_commit\":\"%s\",\"last_commit\":\"%s\"",
				    st->h.commits[first].sha, st->h.commits[last].sha);
		strbuf_addch(cat, '}');
		struct strbuf pj = STRBUF_INIT, pc = STRBUF_INIT;
		chunk_path(st, &pj, si, k, "json");
		chunk_path(st, &pc, si, k, "csv");
		/* both checked: a skipped file must count as produced */
		int skip_j = output_skip(&st->out, pj.buf, f.h);
		int skip_c = output_skip(&st->out, pc.buf, f.h);
		strbuf_release(&pj);
		strbuf_release(&pc);
		if (skip_j && skip_c) {
			free(range);
			continue;
		}
		ALLOC_GROW(j->chunks, j->n + 1, *ajob);
		j->chunks[j->n++] = (struct data_chunk){ si, k, res_lo, rc, range, f.h };
	}
	free(cur);
}

/* data/<suite>.json (the catalogue: series and chunks), the changed chunks
 * data/<suite>/cNNNNN.json|.csv (on all cores) and data/changes.json. */
static int render_data(struct site *st, const struct change_ref *ch, size_t nch)
{
	struct data_job j = { NULL, 0, xcalloc(st->s.nsuites + 1, sizeof(size_t *)),
			      xcalloc(st->s.nsuites + 1, sizeof(size_t)) };
	size_t ajob = 0;
	for (size_t si = 0; si < st->s.nsuites; si++)
		j.members[si] = xcalloc(st->s.nr + 1, sizeof(size_t));
	for (size_t k = 0, si = 0; k < st->s.nr; k++) {
		while (strcmp(st->s.items[k].suite, st->s.suites[si]))
			si++; /* series are sorted by suite, like the suite names */
		j.members[si][j.nmembers[si]++] = k;
	}
	int r = 0;
	for (size_t si = 0; si < st->s.nsuites && !r; si++) {
		struct strbuf cat = STRBUF_INIT, path = STRBUF_INIT;
		strbuf_addstr(&cat, "{\"suite\":");
		json_add_string(&cat, st->s.suites[si]);
		strbuf_addf(&cat, ",\"chunk_commits\":%d,\"point_fields\":" POINT_FIELDS
				  ",\n\"series\":[", DATA_CHUNK);
		for (size_t m = 0; m < j.nmembers[si]; m++) {
			const struct series *se = &st->s.items[j.members[si][m]];
			strbuf_addstr(&cat, m ? ",\n{\"name\":" : "\n{\"name\":");
			json_add_string(&cat, se->name);
			strbuf_addstr(&cat, ",\"machine\":");
			json_add_string(&cat, se->machine);
			strbuf_addstr(&cat, ",\"unit\":");
			json_add_string(&cat, se->proto->unit ? se->proto->unit : "");
			strbuf_addf(&cat, ",\"direction\":\"%s\",\"params\":",
				    direction_name(se->proto->direction));
			add_params_json(&cat, &se->proto->params);
			strbuf_addf(&cat, ",\"points\":%zu,\"page\":", se->npoints);
			strbuf_reset(&path);
			strbuf_addf(&path, "../bench/%s.html", se->slug);
			json_add_string(&cat, path.buf);
			strbuf_addch(&cat, '}');
		}
		strbuf_addstr(&cat, "],\n\"chunks\":[");
		plan_suite(st, si, &j, &ajob, &cat);
		strbuf_addstr(&cat, "]}\n");
		strbuf_reset(&path);
		strbuf_addf(&path, "data/%s.json", st->suite_slugs[si]);
		r = output_write(&st->out, path.buf, cat.buf, cat.len);
		strbuf_release(&cat);
		strbuf_release(&path);
	}
	if (!r)
		r = parallel_for(st, j.n, chunk_task, &j);
	for (size_t i = 0; i < j.n; i++)
		free(j.chunks[i].range);
	free(j.chunks);
	for (size_t si = 0; si < st->s.nsuites; si++)
		free(j.members[si]);
	free(j.members);
	free(j.nmembers);
	if (r)
		return -1;
	/* every change point, oldest first */
	struct strbuf js = STRBUF_INIT;
	strbuf_addch(&js, '[');
	for (size_t i = nch; i-- > 0;) {
		const struct series *se = ch[i].se;
		const struct changepoint *c = ch[i].c;
		const struct site_result *r = &st->h.results[se->points[c->index].result];
		const char *sha = result_sha(st, r);
		strbuf_addstr(&js, i == nch - 1 ? "\n{\"suite\":" : ",\n{\"suite\":");
		json_add_string(&js, se->suite);
		strbuf_addstr(&js, ",\"name\":");
		json_add_string(&js, se->name);
		strbuf_addstr(&js, ",\"machine\":");
		json_add_string(&js, se->machine);
		strbuf_addstr(&js, ",\"commit\":");
		json_add_string(&js, sha ? sha : "");
		strbuf_addstr(&js, ",\"change\":");
		strbuf_add_double(&js, c->change);
		strbuf_addf(&js, ",\"kind\":\"%s\",\"before\":",
			    is_regression(c->change, se->proto->direction) ? "regression" : "improvement");
		strbuf_add_double(&js, c->before);
		strbuf_addstr(&js, ",\"after\":");
		strbuf_add_double(&js, c->after);
		strbuf_addstr(&js, ",\"p_value\":");
		strbuf_add_double(&js, c->p_value);
		strbuf_addch(&js, '}');
	}
	strbuf_addstr(&js, "\n]\n");
	int rw = output_write(&st->out, "data/changes.json", js.buf, js.len);
	strbuf_release(&js);
	return rw;
}

/* ---- feed -------------------------------------------------------------------- */

static void rfc3339(struct strbuf *sb, long long t)
{
	char buf[32];
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	strbuf_addstr(sb, buf);
}

static int render_feed(struct site *st, const struct change_ref *ch, size_t nch)
{
	const char *base = st->o->base_url ? st->o->base_url : "";
	struct strbuf b = STRBUF_INIT;
	strbuf_addstr(&b, base);
	if (b.len && b.buf[b.len - 1] != '/')
		strbuf_addch(&b, '/');
	cJSON *d = base_data(st, b.buf, "Regressions", 0);
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
		if (!is_regression(ch[i].c->change, se->proto->direction))
			continue;
		cJSON *e = change_data(st, se, ch[i].c, b.buf);
		strbuf_reset(&sb);
		rfc3339(&sb, ch[i].time ? ch[i].time : st->now);
		cJSON_AddStringToObject(e, "updated", sb.buf);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "urn:benchkeep:%s:", se->slug);
		const struct site_result *r = &st->h.results[se->points[ch[i].c->index].result];
		const char *sha = result_sha(st, r);
		escape_url_component(&sb, sha ? sha : "none");
		cJSON_AddStringToObject(e, "id", sb.buf);
		cJSON_AddItemToArray(es, e);
		shown++;
	}
	int r = render_to(st, "feed.xml.mustache", d, "feed.xml", TEMPLATE_ESCAPE_HTML, NULL);
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
static int render_weekly(struct site *st, const struct change_ref *ch, size_t nch, char *latest,
			 size_t latest_len)
{
	/* distinct weeks by the time each result was recorded */
	char (*weeks)[16] = xcalloc(st->h.nresults ? st->h.nresults : 1, sizeof(*weeks));
	size_t nweeks = 0;
	*latest = '\0';
	for (size_t i = 0; i < st->h.nresults; i++) {
		const struct site_result *r = &st->h.results[i];
		long long t = data_time(r);
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
		cJSON *d = base_data(st, "../", weeks[k], 0);
		cJSON_AddStringToObject(d, "week", weeks[k]);
		size_t nres = 0, nbench = 0;
		for (size_t i = 0; i < st->h.nresults; i++) {
			const struct site_result *r = &st->h.results[i];
			long long t = data_time(r);
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
			int reg = is_regression(wc[i].c->change, wc[i].se->proto->direction);
			cJSON *arr = reg ? regs : imps;
			if (cJSON_GetArraySize(arr) < 20)
				cJSON_AddItemToArray(arr, change_data(st, wc[i].se, wc[i].c, "../"));
		}
		struct strbuf md = STRBUF_INIT, path = STRBUF_INIT;
		strbuf_addf(&path, "weekly/%s.md", weeks[k]);
		rc = render_to(st, "weekly.md.mustache", d, path.buf, TEMPLATE_ESCAPE_MARKDOWN, &md);
		if (!rc) {
			char *html = markdown_to_html(md.buf, md.len);
			if (!html) {
				rc = -1;
			} else {
				cJSON_AddStringToObject(d, "content", html);
				free(html);
				strbuf_reset(&path);
				strbuf_addf(&path, "weekly/%s.html", weeks[k]);
				rc = render_to(st, "weekly.html.mustache", d, path.buf, TEMPLATE_ESCAPE_HTML,
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

/* ---- assets --------------------------------------------------------------------- */

static int write_assets(struct site *st)
{
	for (const struct embedded_file *f = embedded_files; f->name; f++) {
		if (strncmp(f->name, "assets/", 7))
			continue;
		char *src = template_source(st, f->name);
		int r = output_write(&st->out, f->name, src, strlen(src));
		free(src);
		if (r)
			return -1;
	}
	return 0;
}

/* ---- commit pages ----------------------------------------------------------------- */

/* Which main commits get a page: those where a change point starts and the
 * newest COMMIT_PAGES_RECENT commits that have results. */
static void mark_commit_pages(struct site *st)
{
	st->commit_page = xcalloc(st->h.ncommits ? st->h.ncommits : 1, 1);
	size_t recent = 0;
	for (size_t i = st->h.nmain; i-- > 0 && recent < COMMIT_PAGES_RECENT;) {
		long mi = st->h.results[i].main_index;
		if (mi >= 0 && !st->commit_page[mi]) {
			st->commit_page[mi] = 1;
			recent++;
		}
	}
	for (size_t k = 0; k < st->s.nr; k++) {
		const struct series *se = &st->s.items[k];
		for (size_t j = 0; j < se->nchanges; j++) {
			long mi = st->h.results[se->points[se->changes[j].index].result].main_index;
			if (mi >= 0)
				st->commit_page[mi] = 1;
		}
	}
}

struct commit_row {
	const struct series *se;
	size_t point;
	int change; /* -1 none, else 0 improvement / 1 regression starts here */
	double delta;
};

static int cmp_commit_row(const void *pa, const void *pb)
{
	const struct commit_row *a = pa, *b = pb;
	int m = strcmp(a->se->machine, b->se->machine);
	if (m)
		return m;
	if ((a->change >= 0) != (b->change >= 0))
		return a->change >= 0 ? -1 : 1;
	double da = isnan(a->delta) ? -1 : fabs(a->delta), db = isnan(b->delta) ? -1 : fabs(b->delta);
	if (da != db)
		return da > db ? -1 : 1;
	int c = strcmp(a->se->suite, b->se->suite);
	return c ? c : strcmp(a->se->name, b->se->name);
}

static cJSON *commit_row_data(const struct commit_row *cr)
{
	const struct series *se = cr->se;
	const struct series_point *b = &se->points[cr->point];
	cJSON *o = cJSON_CreateObject();
	struct strbuf sb = STRBUF_INIT;
	cJSON_AddStringToObject(o, "suite", se->suite);
	cJSON_AddStringToObject(o, "name", se->name);
	series_href(&sb, "../", se);
	cJSON_AddStringToObject(o, "href", sb.buf);
	add_fmt_value(o, "head", b->median, se->proto->unit);
	const char *verdict = cr->change == 1 ? "regression" : cr->change == 0 ? "improvement" : "unchanged";
	if (cr->point > 0) {
		const struct series_point *pb = &se->points[cr->point - 1];
		add_fmt_value(o, "base", pb->median, se->proto->unit);
		add_change(o, "change", cr->delta, se->proto->direction);
		strbuf_reset(&sb);
		if (pb->n && b->n) {
			/* the samples stay in the records, unaligned: copied out */
			double *x = xmalloc(((size_t)pb->n + b->n) * sizeof(double));
			record_samples(pb->samples, pb->n, x);
			record_samples(b->samples, b->n, x + pb->n);
			strbuf_addf(&sb, "%.2g", changepoint_mw_p(x, pb->n, x + pb->n, b->n));
			free(x);
		}
		cJSON_AddStringToObject(o, "p", sb.buf);
	} else {
		cJSON_AddStringToObject(o, "base", "");
		cJSON_AddStringToObject(o, "change", "");
		cJSON_AddStringToObject(o, "p", "");
		verdict = "new";
	}
	strbuf_reset(&sb);
	format_value(&sb, b->ci_low, se->proto->unit);
	strbuf_addstr(&sb, " \xe2\x80\x93 ");
	format_value(&sb, b->ci_high, se->proto->unit);
	cJSON_AddStringToObject(o, "ci", sb.buf);
	cJSON_AddStringToObject(o, "verdict", verdict);
	strbuf_release(&sb);
	return o;
}

static void add_commit_link(const struct site *st, cJSON *o, const char *prefix, long idx)
{
	struct strbuf k = STRBUF_INIT, sb = STRBUF_INIT;
	strbuf_addf(&k, "%s_href", prefix);
	if (commit_href(st, &sb, "../", idx)) {
		cJSON_AddStringToObject(o, k.buf, sb.buf);
		strbuf_reset(&k);
		strbuf_addf(&k, "%s_short", prefix);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%.10s", st->h.commits[idx].sha);
		cJSON_AddStringToObject(o, k.buf, sb.buf);
	}
	strbuf_release(&k);
	strbuf_release(&sb);
}

/* One commit page: rows[0..nrows) are its benchmarks; prev/next are the
 * neighbouring commits with pages (-1: none). */
static int render_commit_page(struct site *st, size_t ci, long prev, long next,
			      struct commit_row *rows, size_t nrows)
{
	const struct main_commit *mc = &st->h.commits[ci];
	json_arena_begin(); /* the page's data: freed at once */
	qsort(rows, nrows, sizeof(*rows), cmp_commit_row);
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%.10s %s", mc->sha, mc->summary ? mc->summary : "");
	/* a commit page changes only with its own data: its "data as of" is the
	 * newest result on the page, so a new result elsewhere does not rewrite
	 * hundreds of old commit pages */
	long long newest = 0;
	for (size_t i = 0; i < nrows; i++) {
		const struct site_result *r = &st->h.results[rows[i].se->points[rows[i].point].result];
		long long t = data_time(r);
		if (t > newest)
			newest = t;
	}
	cJSON *d = base_data(st, "../", sb.buf, newest);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%.10s", mc->sha);
	cJSON_AddStringToObject(d, "short", sb.buf);
	cJSON_AddStringToObject(d, "sha", mc->sha);
	cJSON_AddStringToObject(d, "summary", mc->summary ? mc->summary : "");
	cJSON_AddStringToObject(d, "author", mc->author ? mc->author : "");
	add_date(d, "date", mc->time, 1);
	add_repo_url(st, d, mc->sha);
	if (prev >= 0)
		add_commit_link(st, d, "prev", prev);
	if (next >= 0)
		add_commit_link(st, d, "next", next);
	cJSON *machines = cJSON_AddArrayToObject(d, "machines");
	for (size_t i = 0; i < nrows;) {
		size_t j = i;
		cJSON *m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "machine", rows[i].se->machine);
		cJSON *rs = cJSON_AddArrayToObject(m, "rows");
		int reg = 0, imp = 0, fresh = 0, base = -1;
		for (; j < nrows && !strcmp(rows[j].se->machine, rows[i].se->machine); j++) {
			const struct commit_row *cr = &rows[j];
			reg += cr->change == 1;
			imp += cr->change == 0;
			fresh += cr->point == 0;
			if (cr->point > 0 && base < 0)
				base = (int)st->h.results[cr->se->points[cr->point - 1].result].main_index;
			cJSON_AddItemToArray(rs, commit_row_data(cr));
		}
		if (base >= 0) {
			strbuf_reset(&sb);
			strbuf_addf(&sb, "%.10s", st->h.commits[base].sha);
			cJSON_AddStringToObject(m, "base_short", sb.buf);
		}
		cJSON_AddNumberToObject(m, "regressions", reg);
		cJSON_AddNumberToObject(m, "improvements", imp);
		cJSON_AddNumberToObject(m, "new", fresh);
		cJSON_AddNumberToObject(m, "benchmarks", (double)(j - i));
		cJSON_AddItemToArray(machines, m);
		i = j;
	}
	strbuf_reset(&sb);
	strbuf_addf(&sb, "commits/%.40s.html", mc->sha);
	int rc = render_to(st, "commit.html.mustache", d, sb.buf, TEMPLATE_ESCAPE_HTML, NULL);
	cJSON_Delete(d);
	json_arena_end();
	strbuf_release(&sb);
	return rc;
}

struct commit_pages {
	size_t *marked; /* indexes of the commits with pages, oldest first */
	size_t nmarked;
	struct commit_row **rows;
	size_t *nrows;
};

/* Everything commit page ci shows comes from these: its commit and
 * neighbours, and per row the series and the results of the point and of
 * the one before (their content is their blob). */
static uint64_t commit_page_fp(const struct site *st, size_t ci, long prev, long next,
			       const struct commit_row *rows, size_t nrows)
{
	struct fp f = { st->config_fp };
	fp_str(&f, st->h.commits[ci].sha);
	fp_str(&f, prev >= 0 ? st->h.commits[prev].sha : "");
	fp_str(&f, next >= 0 ? st->h.commits[next].sha : "");
	for (size_t i = 0; i < nrows; i++) {
		const struct commit_row *cr = &rows[i];
		const struct series *se = cr->se;
		fp_str(&f, se->slug);
		fp_str(&f, se->proto->unit);
		fp_u64(&f, (uint64_t)se->proto->direction << 8 | (uint64_t)(cr->change + 1));
		for (size_t k = cr->point ? cr->point - 1 : 0; k <= cr->point; k++) {
			const struct site_result *r = &st->h.results[se->points[k].result];
			fp_bytes(&f, r->blob, 40);
			fp_u64(&f, (uint64_t)r->main_index);
			fp_u64(&f, (uint64_t)r->recorded_time);
			fp_u64(&f, (uint64_t)r->time);
		}
	}
	return f.h;
}

static int commit_page_task(struct site *st, size_t k, void *payload)
{
	struct commit_pages *cp = payload;
	size_t ci = cp->marked[k];
	long prev = k > 0 ? (long)cp->marked[k - 1] : -1;
	long next = k + 1 < cp->nmarked ? (long)cp->marked[k + 1] : -1;
	uint64_t fp = commit_page_fp(st, ci, prev, next, cp->rows[ci], cp->nrows[ci]);
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "commits/%.40s.html", st->h.commits[ci].sha);
	int r = 0;
	if (!output_skip(&st->out, path.buf, fp)) {
		r = render_commit_page(st, ci, prev, next, cp->rows[ci], cp->nrows[ci]);
		if (!r)
			output_note(&st->out, path.buf, fp);
	}
	strbuf_release(&path);
	return r;
}

/* A page per marked main commit: every benchmark measured there, against the
 * previous point of its series, change points first. Rendered on all cores. */
static int render_commits(struct site *st)
{
	size_t n = st->h.ncommits;
	struct commit_row **rows = xcalloc(n ? n : 1, sizeof(*rows));
	size_t *nrows = xcalloc(n ? n : 1, sizeof(size_t)), *arows = xcalloc(n ? n : 1, sizeof(size_t));
	for (size_t k = 0; k < st->s.nr; k++) {
		const struct series *se = &st->s.items[k];
		for (size_t i = 0; i < se->npoints; i++) {
			long mi = st->h.results[se->points[i].result].main_index;
			if (mi < 0 || !st->commit_page[mi])
				continue;
			ALLOC_GROW(rows[mi], nrows[mi] + 1, arows[mi]);
			struct commit_row *cr = &rows[mi][nrows[mi]++];
			cr->se = se;
			cr->point = i;
			cr->change = -1;
			cr->delta = i ? pct_change(se->points[i - 1].median,
						   se->points[i].median) : NAN;
			for (size_t j = 0; j < se->nchanges; j++)
				if (se->changes[j].index == i)
					cr->change = is_regression(se->changes[j].change, se->proto->direction);
		}
	}
	struct commit_pages cp = { xcalloc(n ? n : 1, sizeof(size_t)), 0, rows, nrows };
	for (size_t ci = 0; ci < n; ci++)
		if (st->commit_page[ci])
			cp.marked[cp.nmarked++] = ci;
	int rc = parallel_for(st, cp.nmarked, commit_page_task, &cp);
	for (size_t i = 0; i < n; i++)
		free(rows[i]);
	free(cp.marked);
	free(rows);
	free(nrows);
	free(arows);
	return rc;
}

/* Folds the files of dir (not recursive) into f, in name order. */
static void fp_dir(struct fp *f, const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		struct strbuf p = STRBUF_INIT, sb = STRBUF_INIT;
		strbuf_addf(&p, "%s/%s", dir, names[i]->d_name);
		fp_str(f, names[i]->d_name);
		if (strbuf_read_file(&sb, p.buf) == 0)
			fp_bytes(f, sb.buf, sb.len);
		strbuf_release(&p);
		strbuf_release(&sb);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

/* What every output depends on besides its data: this very binary (a new
 * version renders differently), the options that show on pages and the
 * templates. */
static uint64_t config_fingerprint(const struct site *st)
{
	struct fp f = FP_INIT;
	struct strbuf sb = STRBUF_INIT;
	if (strbuf_read_file(&sb, "/proc/self/exe") == 0)
		fp_bytes(&f, sb.buf, sb.len);
	else
		fp_str(&f, BENCHKEEP_VERSION);
	strbuf_release(&sb);
	fp_str(&f, st->o->title);
	fp_str(&f, st->o->base_url);
	fp_str(&f, st->o->repo_url);
	fp_str(&f, st->h.branch);
	fp_u64(&f, (uint64_t)(st->o->now ? st->now : 0));
	if (st->o->templates) {
		struct strbuf d = STRBUF_INIT;
		fp_dir(&f, st->o->templates);
		strbuf_addf(&d, "%s/partials", st->o->templates);
		fp_dir(&f, d.buf);
		strbuf_release(&d);
	}
	return f.h;
}

/* Removes the chunk files of suites that are gone or shrank, and the
 * directories left empty (data/<suite>/ of a suite that is gone). */
static int prune_data(struct site *st, size_t *removed)
{
	struct strbuf dir = STRBUF_INIT;
	strbuf_addf(&dir, "%s/data", st->out.dir);
	DIR *d = opendir(dir.buf);
	int rc = 0;
	struct dirent *e;
	while (d && !rc && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		struct strbuf sub = STRBUF_INIT, full = STRBUF_INIT;
		strbuf_addf(&sub, "data/%s", e->d_name);
		strbuf_addf(&full, "%s/%s", st->out.dir, sub.buf);
		struct stat sst;
		if (lstat(full.buf, &sst) == 0 && S_ISDIR(sst.st_mode)) {
			rc = output_prune(&st->out, sub.buf, ".json", removed) ||
			     output_prune(&st->out, sub.buf, ".csv", removed);
			rmdir(full.buf); /* fails, as it should, while it holds files */
		}
		strbuf_release(&sub);
		strbuf_release(&full);
	}
	if (d)
		closedir(d);
	strbuf_release(&dir);
	return rc ? -1 : 0;
}

/* ---- driver -------------------------------------------------------------------- */

#define SITE_MARKER ".benchkeep-site"
#define SITE_MARKER_TEXT                                                                   \
	"This directory is written by `benchkeep site`: pages and data files that a\n"      \
	"build no longer produces are removed from it.\n"

/* 1 when dir does not exist, is empty, or holds the marker of an earlier
 * build. */
static int dir_is_ours(const char *dir)
{
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/%s", dir, SITE_MARKER);
	struct stat st;
	int ours = stat(p.buf, &st) == 0;
	strbuf_release(&p);
	if (ours)
		return 1;
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT;
	struct dirent *e;
	int empty = 1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = 0;
	closedir(d);
	return empty;
}

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int site_build(const struct site_opts *o, struct site_stats *stats)
{
	struct site st;
	struct gitio *g = NULL;
	int rc = -1;
	double t0 = mono();
	memset(&st, 0, sizeof(st));
	memset(stats, 0, sizeof(*stats));
	st.o = o;
	st.now = o->now ? o->now : (long long)time(NULL);
	output_init(&st.out, o->out ? o->out : "site");
	if (gitio_open(&g, o->repo ? o->repo : ".") < 0)
		return -1;
	struct strbuf cache_dir = STRBUF_INIT;
	strbuf_addf(&cache_dir, "%sbenchkeep-cache", gitio_gitdir(g));
	struct history_opts ho = { o->ref, o->results_dir, o->branch,
				   o->no_cache ? NULL : cache_dir.buf, o->threads, o->log };
	if (history_load(&st.h, g, &ho) < 0)
		goto out;
	timing_tick("place results");
	/* change points of the windows and neighbourhoods that did not change
	 * come from the memo of the last build (sitegen/cpmemo.h) */
	struct cp_memo *memo = NULL;
	if (!o->no_cache) {
		struct strbuf mp = STRBUF_INIT;
		strbuf_addf(&mp, "%s/changepoints.memo", cache_dir.buf);
		memo = cp_memo_open(mp.buf);
		strbuf_release(&mp);
	}
	int sr = series_build(&st.s, &st.h, NULL, memo);
	if (memo && sr == 0 && cp_memo_save(memo) < 0 && o->log)
		fprintf(o->log, "benchkeep: warning: %s\n", bk_last_error());
	cp_memo_close(memo);
	if (sr < 0)
		goto out;
	timing_tick("series + change points");
	/* pages carry the time of the newest data, not of the build, so that a
	 * rebuild with nothing new rewrites nothing */
	if (!o->now) {
		long long newest = 0;
		for (size_t i = 0; i < st.h.nresults; i++) {
			long long t = data_time(&st.h.results[i]);
			if (t > newest)
				newest = t;
		}
		if (newest)
			st.now = newest;
	}
	st.suite_slugs = xcalloc(st.s.nsuites ? st.s.nsuites : 1, sizeof(char *));
	for (size_t i = 0; i < st.s.nsuites; i++) {
		struct strbuf sb = STRBUF_INIT;
		escape_filename(&sb, st.s.suites[i]);
		if (!strcmp(sb.buf, "changes")) /* data/changes.json is the change list */
			strbuf_addf(&sb, "-suite");
		st.suite_slugs[i] = strbuf_detach(&sb, NULL);
	}
	mark_commit_pages(&st);
	st.result_fp = xcalloc(st.h.nresults + 1, sizeof(uint64_t));
	for (size_t i = 0; i < st.h.nresults; i++) {
		const struct site_result *r = &st.h.results[i];
		struct fp f = FP_INIT;
		fp_bytes(&f, r->blob, 40);
		fp_f64(&f, r->order);
		fp_u64(&f, (uint64_t)r->main_index);
		fp_u64(&f, (uint64_t)r->time);
		fp_u64(&f, (uint64_t)r->recorded_time);
		st.result_fp[i] = f.h;
	}
	st.chunks = xcalloc(st.s.nsuites + 1, sizeof(*st.chunks));
	st.tc = template_cache_new(template_loader, &st);
	/* stale pages are pruned only in a directory benchkeep made: a new or
	 * empty one, or one carrying its marker from an earlier build */
	int owned = dir_is_ours(st.out.dir);
	if (mkdir_p(st.out.dir) < 0)
		goto out;
	if (owned && output_write(&st.out, SITE_MARKER, SITE_MARKER_TEXT, strlen(SITE_MARKER_TEXT)) < 0)
		goto out;
	/* what each file was made from last time: only trusted in our own
	 * directory */
	st.config_fp = config_fingerprint(&st);
	if (owned)
		output_load_manifest(&st.out);
	size_t nch;
	struct change_ref *ch = all_changes(&st, &nch);
	char latest[16];
	int r = write_assets(&st) || render_weekly(&st, ch, nch, latest, sizeof(latest)) ||
		render_index(&st, ch, nch, *latest ? latest : NULL);
	timing_tick("index, weekly, assets");
	r = r || render_data(&st, ch, nch);
	timing_tick("data files");
	r = r || render_feed(&st, ch, nch);
	for (size_t i = 0; i < st.s.nsuites && !r; i++)
		r = render_suite(&st, i) < 0;
	r = r || parallel_for(&st, st.s.nr, bench_task, NULL) < 0;
	free(ch);
	if (r)
		goto out;
	timing_tick("suite and benchmark pages");
	if (render_commits(&st) < 0)
		goto out;
	timing_tick("commit pages");
	/* durable before the manifest says what they were made from */
	if (output_sync(&st.out) < 0)
		goto out;
	if (owned) {
		static const char *const owned_files[][2] = {
			{ "bench", ".html" }, { "commits", ".html" }, { "suites", ".html" },
			{ "weekly", ".html" }, { "weekly", ".md" }, { "data", ".json" },
			{ "data", ".csv" },
		};
		for (size_t i = 0; i < sizeof(owned_files) / sizeof(owned_files[0]); i++)
			if (output_prune(&st.out, owned_files[i][0], owned_files[i][1],
					 &stats->removed) < 0)
				goto out;
		if (prune_data(&st, &stats->removed) < 0 || output_save_manifest(&st.out) < 0)
			goto out;
	}
	stats->changes = nch;
	rc = 0;
out:
	stats->results = st.h.nresults;
	stats->skipped = st.h.nskipped;
	stats->off_main = st.h.nresults - st.h.nmain;
	stats->series = st.s.nr;
	stats->pages = st.pages;
	stats->parsed = st.h.nparsed;
	stats->cached = st.h.ncached;
	stats->written = st.out.written;
	stats->unchanged = st.out.unchanged;
	stats->seconds = mono() - t0;
	template_cache_free(st.tc);
	output_release(&st.out);
	for (size_t i = 0; st.suite_slugs && i < st.s.nsuites; i++)
		free(st.suite_slugs[i]);
	free(st.suite_slugs);
	for (size_t i = 0; st.chunks && i < st.s.nsuites; i++)
		free(st.chunks[i].items);
	free(st.chunks);
	free(st.result_fp);
	free(st.commit_page);
	series_release(&st.s);
	history_release(&st.h);
	strbuf_release(&cache_dir);
	gitio_close(g);
	return rc;
}
