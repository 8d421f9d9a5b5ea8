/* site_commits: the commit pages (see site_commits.h). */
#include "sitegen/render/site_commits.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/escape.h"
#include "sitegen/render/fingerprint.h"
#include "lib/verdict/format.h"
#include "lib/doc/json.h"
#include "lib/base/xalloc.h"

#include "sitegen/analysis/changepoint.h"

/* ---- commit pages ----------------------------------------------------------------- */

/* Which main commits get a page: those where a change point starts and the
 * newest COMMIT_PAGES_RECENT commits that have results. */
void site_mark_commit_pages(struct site *st)
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
	double machine; /* the machine factor of the point over the previous one's */
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
	site_series_href(&sb, "../", se);
	cJSON_AddStringToObject(o, "href", sb.buf);
	site_add_fmt_value(o, "head", b->median, se->proto->unit);
	const char *verdict = cr->change == 1 ? "regression" : cr->change == 0 ? "improvement" : "unchanged";
	if (cr->point > 0) {
		const struct series_point *pb = &se->points[cr->point - 1];
		site_add_fmt_value(o, "base", pb->median, se->proto->unit);
		site_add_change_noise(o, "change", cr->delta, se->proto->direction, se->noise,
				      cr->machine);
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
	if (site_commit_href(st, &sb, "../", idx)) {
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
		long long t = site_data_time(r);
		if (t > newest)
			newest = t;
	}
	cJSON *d = site_base_data(st, "../", sb.buf, newest);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%.10s", mc->sha);
	cJSON_AddStringToObject(d, "short", sb.buf);
	cJSON_AddStringToObject(d, "sha", mc->sha);
	cJSON_AddStringToObject(d, "summary", mc->summary ? mc->summary : "");
	cJSON_AddStringToObject(d, "author", mc->author ? mc->author : "");
	site_add_date(d, "date", mc->time, 1);
	site_add_repo_url(st, d, mc->sha);
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
		double f = st->s.factor ? st->s.factor[rows[i].se->points[rows[i].point].result] : 1;
		if (f != 1) {
			strbuf_reset(&sb);
			format_sig(&sb, 100 * fabs(f - 1), 2);
			strbuf_addstr(&sb, f > 1 ? "% slower" : "% faster");
			cJSON_AddStringToObject(m, "machine_factor", sb.buf);
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
	int rc = site_render_to(st, "commit.html.mustache", d, sb.buf, TEMPLATE_ESCAPE_HTML, NULL);
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
		fp_f64(&f, se->noise);
		fp_f64(&f, cr->machine);
		for (size_t k = cr->point ? cr->point - 1 : 0; k <= cr->point; k++) {
			const struct site_result *r = &st->h.results[se->points[k].result];
			fp_bytes(&f, r->blob, 40);
			fp_u64(&f, (uint64_t)r->main_index);
			fp_u64(&f, (uint64_t)r->recorded_time);
			fp_u64(&f, (uint64_t)r->time);
			fp_f64(&f, st->s.factor ? st->s.factor[se->points[k].result] : 1);
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
int site_render_commits(struct site *st)
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
			cr->delta = i ? site_pct_change(se->points[i - 1].median,
						   se->points[i].median) : NAN;
			cr->machine = i ? site_machine_ratio(st, se, i - 1, i) : 1;
			for (size_t j = 0; j < se->nchanges; j++)
				if (se->changes[j].index == i)
					cr->change = site_is_regression(se->changes[j].change, se->proto->direction);
		}
	}
	struct commit_pages cp = { xcalloc(n ? n : 1, sizeof(size_t)), 0, rows, nrows };
	for (size_t ci = 0; ci < n; ci++)
		if (st->commit_page[ci])
			cp.marked[cp.nmarked++] = ci;
	int rc = site_parallel_for(st, cp.nmarked, commit_page_task, &cp);
	for (size_t i = 0; i < n; i++)
		free(rows[i]);
	free(cp.marked);
	free(rows);
	free(nrows);
	free(arows);
	return rc;
}

