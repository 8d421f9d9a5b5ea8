/* summary: the pull request markdown (see summary.h). */
#include "sitegen/report/summary.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sitegen/render/embedded.h"
#include "lib/base/error.h"
#include "lib/base/escape.h"
#include "lib/verdict/report.h"
#include "sitegen/render/template.h"
#include "lib/base/xalloc.h"

#ifndef BENCHKEEP_VERSION
#define BENCHKEEP_VERSION "unknown"
#endif

#define TEMPLATE_NAME "summary.md.mustache"
#define WEEKLY_TEMPLATE_NAME "weekly-check.md.mustache"

static int cmp_entry_ptr(const void *pa, const void *pb)
{
	const struct compare_entry *const *a = pa, *const *b = pb;
	return compare_entry_order(*a, *b);
}

static void add_cell(cJSON *o, const char *key, struct strbuf *sb)
{
	cJSON_AddStringToObject(o, key, sb->buf);
	strbuf_reset(sb);
}

static const char *verdict_icon(enum compare_verdict v)
{
	switch (v) {
	case VERDICT_REGRESSION: return ":red_circle:";
	case VERDICT_IMPROVEMENT: return ":green_circle:";
	default: return "";
	}
}

/* One table row: cells formatted here (numbers, escaped units) or escaped
 * by the template (suite, name, reason). site: the escaped site URL ending
 * in '/', or "" (no chart link); machine: HEAD's machine name. */
static cJSON *row_json(const struct compare_entry *e, const char *site, const char *machine)
{
	const struct bk_benchmark *b = compare_entry_bench(e);
	struct strbuf sb = STRBUF_INIT;
	cJSON *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "icon", verdict_icon(e->verdict));
	cJSON_AddStringToObject(r, "verdict", compare_verdict_name(e->verdict));
	cJSON_AddStringToObject(r, "suite", b->suite);
	cJSON_AddStringToObject(r, "name", b->name);
	if (e->threshold_only)
		cJSON_AddTrueToObject(r, "few_samples");
	if (e->base && e->base->stats.n)
		report_value(&sb, e->base->stats.median, b->unit, REPORT_MARKDOWN);
	else
		strbuf_addch(&sb, e->base ? '?' : '-');
	add_cell(r, "base", &sb);
	if (e->head && e->head->stats.n)
		report_value(&sb, e->head->stats.median, b->unit, REPORT_MARKDOWN);
	else
		strbuf_addch(&sb, e->head ? '?' : '-');
	add_cell(r, "head", &sb);
	if (e->base && e->head) {
		report_change(&sb, e->change);
		add_cell(r, "change", &sb);
		report_ci(&sb, e->ci_low, e->ci_high);
		add_cell(r, "ci", &sb);
	} else {
		cJSON_AddStringToObject(r, "change", "-");
		cJSON_AddStringToObject(r, "ci", "-");
	}
	report_p(&sb, e->p_value);
	add_cell(r, "p", &sb);
	if (e->base && e->head && !e->threshold_only)
		compare_noise_describe(e, &sb);
	else
		strbuf_addch(&sb, '-');
	cJSON_AddStringToObject(r, "noise", sb.buf);
	strbuf_reset(&sb);
	cJSON_AddStringToObject(r, "reason", e->reason ? e->reason : "");
	if (*site) {
		/* the slug is [A-Za-z0-9._-] and hex: safe in a URL as it is */
		strbuf_addf(&sb, "%sbench/", site);
		bench_slug(b, machine, &sb);
		strbuf_addstr(&sb, ".html");
		add_cell(r, "page", &sb);
	}
	strbuf_release(&sb);
	return r;
}

static int is_hex_sha(const char *s)
{
	size_t n = strlen(s);
	if (n < 7)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* Adds "commit" (7 hex digits, or the text cut at 40 bytes) and
 * "commit_hex" to o. */
static void add_commit(cJSON *o, const char *sha)
{
	if (!sha || !*sha)
		return;
	if (is_hex_sha(sha)) {
		char s[8];
		memcpy(s, sha, 7);
		s[7] = 0;
		cJSON_AddStringToObject(o, "commit", s);
		cJSON_AddTrueToObject(o, "commit_hex");
	} else {
		char *cut = xstrndup(sha, strlen(sha) > 40 ? 40 : strlen(sha));
		cJSON_AddStringToObject(o, "commit", cut);
		free(cut);
	}
}

static cJSON *side_json(const struct bk_result *r, const char *label, const char *kind)
{
	cJSON *o = cJSON_CreateObject();
	if (label)
		cJSON_AddStringToObject(o, "label", label);
	cJSON_AddStringToObject(o, "kind", kind && !strcmp(kind, "baseline") ? "baseline" : "result");
	add_commit(o, r->run.commit_sha);
	if (r->run.commit_branch && *r->run.commit_branch)
		cJSON_AddStringToObject(o, "branch", r->run.commit_branch);
	return o;
}

/* Digits and "/" plus GitHub's repository name characters only. */
static int safe_repo(const char *s)
{
	int slash = 0;
	if (!*s)
		return 0;
	for (const char *p = s; *p; p++) {
		if (*p == '/')
			slash++;
		else if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			   (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
			return 0;
	}
	return slash == 1 && s[0] != '/' && s[strlen(s) - 1] != '/';
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
}

static cJSON *ci_json(const struct bk_ci *ci)
{
	if (!ci->provider && !ci->run_id)
		return NULL;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "run_id", ci->run_id ? ci->run_id : "?");
	if (ci->provider && !strcmp(ci->provider, "github") && ci->repository && ci->run_id &&
	    safe_repo(ci->repository) && all_digits(ci->run_id)) {
		struct strbuf u = STRBUF_INIT;
		strbuf_addf(&u, "https://github.com/%s/actions/runs/%s", ci->repository, ci->run_id);
		cJSON_AddStringToObject(o, "run_url", u.buf);
		strbuf_release(&u);
	}
	add_commit(o, ci->sha);
	if (ci->ref_name && *ci->ref_name)
		cJSON_AddStringToObject(o, "branch", ci->ref_name);
	if (ci->event && *ci->event)
		cJSON_AddStringToObject(o, "event", ci->event);
	if (ci->pr > 0) {
		char n[32];
		snprintf(n, sizeof(n), "%ld", ci->pr);
		cJSON_AddStringToObject(o, "pr", n);
	}
	return o;
}

static void plural(struct strbuf *sb, size_t n, const char *one, const char *many)
{
	strbuf_addf(sb, "%zu %s", n, n == 1 ? one : many);
}

struct section_def {
	enum compare_verdict v;
	const char *title;
};

static const struct section_def sections[] = {
	{ VERDICT_NOISY, "noisy: not enough evidence either way" },
	{ VERDICT_NEW, "new: only in HEAD" },
	{ VERDICT_MISSING, "missing: only in BASE" },
	{ VERDICT_UNCHANGED, "unchanged" },
};

struct ctx {
	const struct comparison *c;
	const struct summary_opts *o;
	const struct compare_entry **order; /* importance order */
	size_t n;
	struct strbuf artifacts, site; /* escaped URLs */
};

/* The template data keeping the first `keep` rows of the importance order. */
static cJSON *build_data(const struct ctx *x, size_t keep)
{
	const struct comparison *c = x->c;
	const size_t *k = c->counts;
	cJSON *d = cJSON_CreateObject();
	struct strbuf sb = STRBUF_INIT;
	const char *machine = c->head->run.machine.name ? c->head->run.machine.name : "";
	if (x->o->marker)
		cJSON_AddTrueToObject(d, "marker");
	cJSON_AddStringToObject(d, "version", BENCHKEEP_VERSION);
	cJSON_AddStringToObject(d, "icon", c->informational ? ":warning:"
					   : k[VERDICT_REGRESSION] ? ":x:"
					   : k[VERDICT_NOISY] ? ":warning:"
							      : ":white_check_mark:");
	plural(&sb, k[VERDICT_REGRESSION], "regression", "regressions");
	strbuf_addstr(&sb, ", ");
	plural(&sb, k[VERDICT_IMPROVEMENT], "improvement", "improvements");
	strbuf_addf(&sb, ", %zu unchanged", k[VERDICT_UNCHANGED]);
	if (k[VERDICT_NOISY])
		strbuf_addf(&sb, ", %zu noisy", k[VERDICT_NOISY]);
	if (k[VERDICT_NEW])
		strbuf_addf(&sb, ", %zu new", k[VERDICT_NEW]);
	if (k[VERDICT_MISSING])
		strbuf_addf(&sb, ", %zu missing", k[VERDICT_MISSING]);
	if (c->informational)
		strbuf_addstr(&sb, " (informational: not the same machine)");
	add_cell(d, "headline", &sb);
	if (c->informational) {
		cJSON_AddTrueToObject(d, "informational");
		cJSON_AddStringToObject(d, "machine_note", c->machine_note.buf);
	}
	if (c->paired)
		cJSON_AddTrueToObject(d, "paired");
	if (k[VERDICT_REGRESSION]) {
		strbuf_addstr(&sb, "**");
		plural(&sb, k[VERDICT_REGRESSION], "benchmark got", "benchmarks got");
		strbuf_addstr(&sb, " significantly worse.**");
	} else {
		strbuf_addstr(&sb, "No significant regression.");
	}
	if (k[VERDICT_IMPROVEMENT]) {
		strbuf_addch(&sb, ' ');
		plural(&sb, k[VERDICT_IMPROVEMENT], "benchmark", "benchmarks");
		strbuf_addstr(&sb, " improved.");
	}
	if (k[VERDICT_NOISY]) {
		strbuf_addch(&sb, ' ');
		plural(&sb, k[VERDICT_NOISY], "benchmark is", "benchmarks are");
		strbuf_addstr(&sb, " too noisy to tell.");
	}
	add_cell(d, "verdict", &sb);
	cJSON_AddItemToObject(d, "head", side_json(c->head, x->o->head_label, "result"));
	cJSON_AddItemToObject(d, "base", side_json(c->base, x->o->base_label, x->o->base_kind));
	strbuf_addf(&sb, "%g", c->alpha);
	add_cell(d, "alpha", &sb);
	strbuf_addf(&sb, "%g%%", c->threshold * 100);
	add_cell(d, "threshold", &sb);
	strbuf_addf(&sb, "%g%%", c->assumed_noise * 100);
	add_cell(d, "assumed_noise", &sb);
	int assumed = 0;
	for (size_t i = 0; i < c->nr; i++) {
		const struct compare_entry *e = &c->entries[i];
		if (e->base && e->head && !e->threshold_only && !e->paired &&
		    e->noise != NOISE_SRC_HISTORY && e->noise != NOISE_SRC_BASELINE)
			assumed = 1;
	}
	if (assumed)
		cJSON_AddTrueToObject(d, "assumed");

	/* rows: the importance order is verdict order, so each group is a run */
	cJSON *changes = cJSON_CreateArray();
	cJSON *regressions = cJSON_CreateArray(), *improvements = cJSON_CreateArray();
	size_t changes_total = k[VERDICT_REGRESSION] + k[VERDICT_IMPROVEMENT], changes_kept = 0;
	cJSON *secs = cJSON_CreateArray();
	cJSON *sec_rows[4] = { NULL, NULL, NULL, NULL };
	size_t sec_kept[4] = { 0, 0, 0, 0 };
	size_t few = 0;
	for (size_t i = 0; i < x->n; i++) {
		const struct compare_entry *e = x->order[i];
		few += e->threshold_only;
		if (i >= keep)
			continue;
		if (e->verdict == VERDICT_REGRESSION || e->verdict == VERDICT_IMPROVEMENT) {
			cJSON_AddItemToArray(changes, row_json(e, x->site.buf, machine));
			cJSON_AddItemToArray(e->verdict == VERDICT_REGRESSION ? regressions
									 : improvements,
					     row_json(e, x->site.buf, machine));
			changes_kept++;
			continue;
		}
		for (int s = 0; s < 4; s++) {
			if (sections[s].v != e->verdict)
				continue;
			if (!sec_rows[s])
				sec_rows[s] = cJSON_CreateArray();
			cJSON_AddItemToArray(sec_rows[s], row_json(e, x->site.buf, machine));
			sec_kept[s]++;
		}
	}
	if (changes_kept)
		cJSON_AddTrueToObject(d, "has_changes");
	cJSON_AddItemToObject(d, "changes", changes);
	if (cJSON_GetArraySize(regressions))
		cJSON_AddTrueToObject(d, "has_regressions");
	cJSON_AddItemToObject(d, "regressions", regressions);
	if (cJSON_GetArraySize(improvements))
		cJSON_AddTrueToObject(d, "has_improvements");
	cJSON_AddItemToObject(d, "improvements", improvements);
	if (changes_total > changes_kept) {
		strbuf_addf(&sb, "%zu", changes_total - changes_kept);
		add_cell(d, "changes_omitted", &sb);
	}
	for (int s = 0; s < 4; s++) {
		size_t total = k[sections[s].v];
		if (!total)
			continue;
		cJSON *so = cJSON_CreateObject();
		strbuf_addf(&sb, "%zu", total);
		add_cell(so, "count", &sb);
		cJSON_AddStringToObject(so, "title", sections[s].title);
		if (sec_rows[s]) {
			cJSON_AddTrueToObject(so, "has_rows");
			cJSON_AddItemToObject(so, "rows", sec_rows[s]);
		}
		if (total > sec_kept[s]) {
			strbuf_addf(&sb, "%zu", total - sec_kept[s]);
			add_cell(so, "omitted", &sb);
		}
		cJSON_AddItemToArray(secs, so);
	}
	cJSON_AddItemToObject(d, "sections", secs);
	if (few)
		cJSON_AddTrueToObject(d, "any_few_samples");
	cJSON *ci = ci_json(&c->head->run.ci);
	if (ci)
		cJSON_AddItemToObject(d, "ci", ci);
	if (x->artifacts.len || x->site.len) {
		cJSON *l = cJSON_CreateObject();
		if (x->artifacts.len)
			cJSON_AddStringToObject(l, "artifacts_url", x->artifacts.buf);
		if (x->site.len)
			cJSON_AddStringToObject(l, "site_url", x->site.buf);
		if (x->artifacts.len && x->site.len)
			cJSON_AddTrueToObject(l, "both");
		cJSON_AddItemToObject(d, "links", l);
	}
	strbuf_release(&sb);
	return d;
}

static char *template_source(const char *dir, const char *name)
{
	if (dir) {
		struct strbuf p = STRBUF_INIT, sb = STRBUF_INIT;
		strbuf_addf(&p, "%s/%s", dir, name);
		int r = strbuf_read_file(&sb, p.buf);
		strbuf_release(&p);
		if (r == 0)
			return strbuf_detach(&sb, NULL);
		strbuf_release(&sb);
	}
	const struct embedded_file *f = embedded_find(name);
	return f ? xstrndup(f->data, f->len) : NULL;
}

/* Renders with `keep` rows into out (reset first). */
static int render_keep(const struct ctx *x, const struct template *t, size_t keep,
		       struct strbuf *out)
{
	static const struct template_opts topts = { TEMPLATE_ESCAPE_MARKDOWN, NULL, NULL };
	cJSON *d = build_data(x, keep);
	strbuf_reset(out);
	int rc = template_render(t, d, &topts, out);
	cJSON_Delete(d);
	return rc;
}

int summary_render(const struct comparison *c, const struct summary_opts *o, struct strbuf *out,
		   size_t *omitted)
{
	struct ctx x;
	struct template *t = NULL;
	struct strbuf buf = STRBUF_INIT;
	int rc = -1;
	size_t max = o->max_chars ? o->max_chars : SUMMARY_MAX_CHARS;
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.o = o;
	strbuf_init(&x.artifacts, 0);
	strbuf_init(&x.site, 0);
	if (omitted)
		*omitted = 0;
	if (o->artifacts_url && escape_url(&x.artifacts, o->artifacts_url) < 0) {
		bk_error("--artifacts-url: not an http(s) URL: '%.200s'", o->artifacts_url);
		goto out;
	}
	if (o->site_url && escape_url(&x.site, o->site_url) < 0) {
		bk_error("--site-url: not an http(s) URL: '%.200s'", o->site_url);
		goto out;
	}
	/* chart links are relative to the site's root: its URL ends in '/' */
	if (x.site.len && x.site.buf[x.site.len - 1] != '/')
		strbuf_addch(&x.site, '/');
	const char *tname = o->weekly ? WEEKLY_TEMPLATE_NAME : TEMPLATE_NAME;
	char *src = template_source(o->templates, tname);
	if (!src) {
		bk_error("template '%s' not found", tname);
		goto out;
	}
	int crc = template_compile(&t, tname, src);
	free(src);
	if (crc < 0)
		goto out;
	x.n = c->nr;
	x.order = xmalloc((c->nr + 1) * sizeof(*x.order));
	for (size_t i = 0; i < c->nr; i++)
		x.order[i] = &c->entries[i];
	qsort(x.order, x.n, sizeof(*x.order), cmp_entry_ptr);

	if (render_keep(&x, t, x.n, &buf) < 0)
		goto out;
	size_t keep = x.n;
	if (buf.len > max) {
		/* largest number of rows that fits: lo fits (checked), hi does not */
		if (render_keep(&x, t, 0, &buf) < 0)
			goto out;
		if (buf.len > max) {
			bk_error("the summary does not fit in %zu characters even without rows "
				 "(it needs %zu)",
				 max, buf.len);
			goto out;
		}
		size_t lo = 0, hi = x.n;
		while (hi - lo > 1) {
			size_t mid = lo + (hi - lo) / 2;
			if (render_keep(&x, t, mid, &buf) < 0)
				goto out;
			if (buf.len <= max)
				lo = mid;
			else
				hi = mid;
		}
		keep = lo;
		if (render_keep(&x, t, keep, &buf) < 0)
			goto out;
	}
	if (omitted)
		*omitted = x.n - keep;
	strbuf_add(out, buf.buf, buf.len);
	rc = 0;
out:
	template_free(t);
	free(x.order);
	strbuf_release(&x.artifacts);
	strbuf_release(&x.site);
	strbuf_release(&buf);
	return rc;
}
