/* site_ctx: the helpers the page writers of `benchkeep site` share (see
 * site_ctx.h). */
#include "sitegen/render/site_ctx.h"
#include "lib/base/escape.h"
#include "lib/base/parallel.h"
#include "lib/base/xalloc.h"
#include "lib/verdict/format.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Adds has_KEY: true beside every non-empty array KEY of o, recursively
 * (templates test for a list with {{#has_KEY}}). */
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

const char *site_suite_slug(const struct site *st, const char *suite)
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

void site_add_series_identity(const struct site *st, cJSON *o, const struct series *se,
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
	strbuf_addf(&sb, "%ssuites/%s.html", root, site_suite_slug(st, se->suite));
	cJSON_AddStringToObject(o, "suite_href", sb.buf);
	strbuf_release(&sb);
}

/* A change point as template data. */
cJSON *site_change_data(const struct site *st, const struct series *se,
			const struct changepoint *c, const char *root)
{
	cJSON *o = cJSON_CreateObject();
	site_add_series_identity(st, o, se, root);
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


double site_pct_change(double a, double b)
{
	return a != 0 ? b / a - 1 : NAN;
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
