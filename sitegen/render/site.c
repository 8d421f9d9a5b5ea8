#include "sitegen/render/site_internal.h"
#include "sitegen/render/chart.h"
#include "sitegen/render/embedded.h"
#include "lib/base/error.h"
#include "lib/base/escape.h"
#include "sitegen/render/fingerprint.h"
#include "lib/verdict/format.h"
#include "sitegen/history/history.h"
#include "lib/doc/json.h"
#include "lib/base/atomicfile.h"
#include "sitegen/render/markdown.h"
#include "sitegen/render/output.h"
#include "lib/base/parallel.h"
#include "sitegen/analysis/series.h"
#include "lib/stats/stats.h"
#include "sitegen/render/template.h"
#include "sitegen/render/timing.h"
#include "lib/base/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

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
int site_render_to(struct site *st, const char *name, const cJSON *data, const char *relpath,
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

void site_add_fmt_value(cJSON *o, const char *key, double v, const char *unit)
{
	struct strbuf sb = STRBUF_INIT;
	format_value(&sb, v, unit);
	cJSON_AddStringToObject(o, key, sb.buf);
	strbuf_release(&sb);
}

/* Whether a relative change is good or bad for this direction, as a class:
 * "bk-neutral" within `band` (a log-scale half-width) or below 2%, "" when
 * there is no number. */
static const char *change_class(double change, enum bk_direction d, double band)
{
	if (!isfinite(change) || change <= -1)
		return "";
	if (fabs(change) < 0.02 || !(fabs(log1p(change)) > band))
		return "bk-neutral";
	int worse = d == BK_BIGGER ? change < 0 : change > 0;
	return worse ? "bk-worse" : "bk-better";
}

double site_noise_band(double noise)
{
	return isfinite(noise) ? SITE_NOISE_MULTIPLE * noise : 0;
}

int site_is_regression(double change, enum bk_direction d)
{
	return d == BK_BIGGER ? change < 0 : change > 0;
}

void site_add_change(cJSON *o, const char *key, double change, enum bk_direction d)
{
	struct strbuf sb = STRBUF_INIT, k = STRBUF_INIT;
	format_change(&sb, change);
	cJSON_AddStringToObject(o, key, sb.buf);
	strbuf_addf(&k, "%s_class", key);
	cJSON_AddStringToObject(o, k.buf, change_class(change, d, 0));
	strbuf_release(&sb);
	strbuf_release(&k);
}

void site_add_change_noise(cJSON *o, const char *key, double change, enum bk_direction d,
			   double noise, double machine)
{
	struct strbuf sb = STRBUF_INIT, k = STRBUF_INIT;
	format_change(&sb, change);
	cJSON_AddStringToObject(o, key, sb.buf);
	double own = isfinite(machine) && machine > 0 ? (1 + change) / machine - 1 : change;
	strbuf_addf(&k, "%s_class", key);
	cJSON_AddStringToObject(o, k.buf, change_class(own, d, site_noise_band(noise)));
	strbuf_reset(&k);
	strbuf_addf(&k, "%s_note", key);
	strbuf_reset(&sb);
	if (isfinite(noise) && isfinite(change)) {
		strbuf_addstr(&sb, "noise band \xc2\xb1");
		format_sig(&sb, 100 * expm1(site_noise_band(noise)), 2);
		strbuf_addch(&sb, '%');
		if (machine != 1 && isfinite(machine)) {
			strbuf_addstr(&sb, "; the whole machine ");
			format_change(&sb, machine - 1);
			strbuf_addstr(&sb, " in this run, this benchmark ");
			format_change(&sb, own);
			strbuf_addstr(&sb, " beyond it");
		}
	}
	cJSON_AddStringToObject(o, k.buf, sb.buf);
	strbuf_release(&sb);
	strbuf_release(&k);
}

double site_machine_ratio(const struct site *st, const struct series *se, size_t a, size_t b)
{
	const double *f = st->s.factor;
	if (!f)
		return 1;
	double r = f[se->points[b].result] / f[se->points[a].result];
	return se->proto->direction == BK_BIGGER ? 1 / r : r;
}

void site_add_date(cJSON *o, const char *key, long long t, int with_time)
{
	struct strbuf sb = STRBUF_INIT;
	if (t)
		format_date(&sb, t, with_time);
	cJSON_AddStringToObject(o, key, sb.buf);
	strbuf_release(&sb);
}

/* The time of a result's data: when it was recorded, else when it ran. */
long long site_data_time(const struct site_result *r)
{
	return r->recorded_time ? r->recorded_time : r->time;
}

const char *site_result_sha(const struct site *st, const struct site_result *r)
{
	if (r->main_index >= 0)
		return st->h.commits[r->main_index].sha;
	return r->rec.commit_sha;
}

/* Link to the page of main commit `idx` (index in h.commits); 0 and nothing
 * added when that commit has no page (only recent commits and commits where
 * a change point starts get one, so 10,000 commits do not make 10,000 pages). */
int site_commit_href(const struct site *st, struct strbuf *sb, const char *root, long idx)
{
	if (idx < 0 || !st->commit_page || !st->commit_page[idx])
		return 0;
	strbuf_addf(sb, "%scommits/%.40s.html", root, st->h.commits[idx].sha);
	return 1;
}

void site_add_repo_url(const struct site *st, cJSON *o, const char *sha)
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
cJSON *site_base_data(const struct site *st, const char *root, const char *page_title,
			long long as_of)
{
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "site_title", st->o->title ? st->o->title : "Benchmarks");
	cJSON_AddStringToObject(d, "title", page_title);
	cJSON_AddStringToObject(d, "root", root);
	site_add_date(d, "generated_at", as_of ? as_of : st->now, 1);
	cJSON_AddStringToObject(d, "branch", st->h.branch ? st->h.branch : "");
	if (st->o->repo_url)
		cJSON_AddStringToObject(d, "repo_url", st->o->repo_url);
	return d;
}

void site_series_href(struct strbuf *sb, const char *root, const struct series *se)
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
	site_series_href(&sb, root, se);
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
	const char *sha = site_result_sha(st, r);
	struct strbuf sb = STRBUF_INIT;
	cJSON_AddStringToObject(o, "commit", sha ? sha : "");
	strbuf_addf(&sb, "%.10s", sha ? sha : "");
	cJSON_AddStringToObject(o, "commit_short", sb.buf);
	if (sha && r->main_index >= 0) {
		strbuf_reset(&sb);
		if (site_commit_href(st, &sb, root, r->main_index))
			cJSON_AddStringToObject(o, "commit_href", sb.buf);
		cJSON_AddStringToObject(o, "summary", st->h.commits[r->main_index].summary);
	}
	site_add_repo_url(st, o, sha);
	site_add_date(o, "date", r->time, 0);
	site_add_fmt_value(o, "before", c->before, se->proto->unit);
	site_add_fmt_value(o, "after", c->after, se->proto->unit);
	site_add_change(o, "change", c->change, se->proto->direction);
	int reg = site_is_regression(c->change, se->proto->direction);
	cJSON_AddStringToObject(o, "kind", reg ? "regression" : "improvement");
	cJSON_AddBoolToObject(o, "regression", reg);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%.2g", c->p_value);
	cJSON_AddStringToObject(o, "p", sb.buf);
	strbuf_release(&sb);
	return o;
}

/* ---- pages ----------------------------------------------------------------- */

double site_pct_change(double a, double b)
{
	return a != 0 ? b / a - 1 : NAN;
}

static cJSON *series_row(const struct site *st, const struct series *se, const char *root)
{
	cJSON *o = cJSON_CreateObject();
	add_series_identity(st, o, se, root);
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

static int render_suite(struct site *st, size_t si)
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
	int r = site_render_to(st, "suite.html.mustache", d, path.buf, TEMPLATE_ESCAPE_HTML, NULL);
	cJSON_Delete(d);
	strbuf_release(&title);
	strbuf_release(&path);
	return r;
}

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
		long long t = site_data_time(&st->h.results[se->points[i].result]);
		if (t > newest)
			newest = t;
	}
	/* the page's data lives in this thread's arena: freed at once */
	json_arena_begin();
	cJSON *d = site_base_data(st, "../", title.buf, newest);
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
		if (site_commit_href(st, &sb, "../", r->main_index))
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
		marks[j].regression = site_is_regression(c->change, se->proto->direction);
	}
	/* the noise band: +-SITE_BAND_MULTIPLE noise around the median of each
	 * segment between change points */
	struct chart_level *levels = xcalloc(se->nchanges + 1, sizeof(*levels));
	size_t nlevels = 0;
	struct strbuf band = STRBUF_INIT;
	if (isfinite(se->noise) && se->npoints > 0) {
		double *tmp = xmalloc(se->npoints * sizeof(double));
		double half = SITE_BAND_MULTIPLE * se->noise;
		strbuf_addstr(&band, "noise band: the level of the segment \xc2\xb1");
		format_sig(&band, SITE_BAND_MULTIPLE, 2);
		strbuf_addstr(&band, " \xc3\x97 the noise (");
		format_sig(&band, 100 * se->noise, 2);
		strbuf_addstr(&band, "% per point)");
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
			levels[nlevels++] = (struct chart_level){ a, b, lv, lv * exp(-half),
								  lv * exp(half), band.buf };
		}
		free(tmp);
	}
	struct chart_opts co = { 0, 0, se->proto->unit, title.buf, marks, se->nchanges };
	strbuf_reset(&sb);
	chart_svg_levels(&sb, pts, se->npoints, &co, levels, nlevels);
	free(levels);
	strbuf_release(&band);
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
		const char *sha = site_result_sha(st, r);
		cJSON *o = cJSON_CreateObject();
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%.10s", sha ? sha : "");
		cJSON_AddStringToObject(o, "commit_short", sb.buf);
		if (r->main_index >= 0) {
			strbuf_reset(&sb);
			if (site_commit_href(st, &sb, "../", r->main_index))
				cJSON_AddStringToObject(o, "commit_href", sb.buf);
			cJSON_AddStringToObject(o, "summary", st->h.commits[r->main_index].summary);
		}
		site_add_repo_url(st, o, sha);
		site_add_date(o, "date", r->time, 1);
		cJSON_AddNumberToObject(o, "n", (double)(size_t)p->n);
		site_add_fmt_value(o, "median", p->median, se->proto->unit);
		site_add_fmt_value(o, "ci_low", p->ci_low, se->proto->unit);
		site_add_fmt_value(o, "ci_high", p->ci_high, se->proto->unit);
		if (i > 0)
			site_add_change_noise(o, "change",
					      site_pct_change(se->points[i - 1].median, p->median),
					      se->proto->direction, se->noise,
					      site_machine_ratio(st, se, i - 1, i));
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
	int r = site_render_to(st, "benchmark.html.mustache", d, sb.buf, TEMPLATE_ESCAPE_HTML, NULL);
	cJSON_Delete(d);
	json_arena_end();
	strbuf_release(&sb);
	strbuf_release(&title);
	return r;
}

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

/* fn(st, i, payload) for i in [0, n) on --threads threads (lib/base/parallel.h).
 * Tasks share only read-only data, output_write and the template cache. */
int site_parallel_for(struct site *st, size_t n, site_task fn, void *payload)
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
		cJSON *e = change_data(st, se, ch[i].c, b.buf);
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
static int render_weekly(struct site *st, const struct change_ref *ch, size_t nch, char *latest,
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
				cJSON_AddItemToArray(arr, change_data(st, wc[i].se, wc[i].c, "../"));
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
	 * come from the memo of the last build (sitegen/analysis/cpmemo.h) */
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
			long long t = site_data_time(&st.h.results[i]);
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
	site_mark_commit_pages(&st);
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
	r = r || site_render_data(&st, ch, nch);
	timing_tick("data files");
	r = r || render_feed(&st, ch, nch);
	for (size_t i = 0; i < st.s.nsuites && !r; i++)
		r = render_suite(&st, i) < 0;
	r = r || site_parallel_for(&st, st.s.nr, bench_task, NULL) < 0;
	free(ch);
	if (r)
		goto out;
	timing_tick("suite and benchmark pages");
	if (site_render_commits(&st) < 0)
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
