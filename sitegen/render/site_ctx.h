/* site_ctx: the context the page writers of `benchkeep site` share (struct
 * site, built by the driver site.c) and the helpers that turn its series,
 * results and change points into template data. The page writers
 * (site_pages, site_bench, site_data, site_commits) use it; it calls none of
 * them. Not a public interface. */
#ifndef BK_SITE_CTX_H
#define BK_SITE_CTX_H

#include <stdint.h>

#include "cJSON.h"
#include "sitegen/history/history.h"
#include "sitegen/render/output.h"
#include "sitegen/analysis/series.h"
#include "sitegen/render/site_opts.h"
#include "sitegen/render/template.h"

#define HISTORY_ROWS 200  /* rows of a benchmark page's history table */
#define RECENT_CHANGES 25 /* change points listed on the index */
#define FEED_ENTRIES 50
#define COMMIT_PAGES_RECENT 100 /* newest commits that get a page */
/* "vs previous" and the other point-to-point changes are coloured only when
 * |log(1 + change)| exceeds SITE_NOISE_MULTIPLE times the series' noise
 * (changepoint_noise; the machine factor of the two runs divided out) and
 * 2%; the benchmark chart shades +-SITE_BAND_MULTIPLE noise around the level
 * of each segment between change points. */
#define SITE_NOISE_MULTIPLE 3.0
#define SITE_BAND_MULTIPLE 2.0
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

/* Every change point of every series, newest first. */
struct change_ref {
	const struct series *se;
	const struct changepoint *c;
	double order;
	long long time;
};

/* A task of site_parallel_for: item i of the work. 0 or -1 + bk_error. */
typedef int (*site_task)(struct site *st, size_t i, void *payload);

/* ---- shared helpers ---- */

/* Renders template `name` with data into relpath under the output (keep:
 * also the rendered text, when not NULL). 0 or -1 + bk_error. */
int site_render_to(struct site *st, const char *name, const cJSON *data, const char *relpath,
		   enum template_escape esc, struct strbuf *keep);
/* o[key] = v formatted in unit. */
void site_add_fmt_value(cJSON *o, const char *key, double v, const char *unit);
/* 1 when change is a regression for direction d. */
int site_is_regression(double change, enum bk_direction d);
/* o[key] = change as a percentage, o[key_class] its colour class. */
void site_add_change(cJSON *o, const char *key, double change, enum bk_direction d);
/* o[key] = change as a percentage; o[key_class] its colour class, coloured
 * only beyond the series' noise band: "bk-neutral" when |log(1 + own)| <=
 * site_noise_band(noise) or |own| < 2%, where own = (1 + change) / machine -
 * 1 is the change with the machine's own change between the two runs
 * (site_machine_ratio) divided out; o[key_note] says the band (and the
 * machine's share) in words, for a title attribute ("" without a noise). */
void site_add_change_noise(cJSON *o, const char *key, double change, enum bk_direction d,
			   double noise, double machine);
/* The half-width of the noise band on the log scale: SITE_NOISE_MULTIPLE *
 * noise (0 when noise is not finite). */
double site_noise_band(double noise);
/* The machine factor of point b of se over that of point a (1: the machine
 * was as fast in both runs). */
double site_machine_ratio(const struct site *st, const struct series *se, size_t a, size_t b);
/* o[key] = the date of t (and the time when with_time). */
void site_add_date(cJSON *o, const char *key, long long t, int with_time);
/* When a result's data is from: its recording commit, else its run. */
long long site_data_time(const struct site_result *r);
/* The sha a result measured (the main commit's when placed), or NULL. */
const char *site_result_sha(const struct site *st, const struct site_result *r);
/* Appends the link to main commit idx's page from root; 0 when it has none. */
int site_commit_href(const struct site *st, struct strbuf *sb, const char *root, long idx);
/* o.repo_commit_url = the commit on --repo-url, when set. */
void site_add_repo_url(const struct site *st, cJSON *o, const char *sha);
/* The data every page starts from (title, root, data as of, branch...);
 * as_of 0: the site's time. The caller deletes it. */
cJSON *site_base_data(const struct site *st, const char *root, const char *page_title,
		      long long as_of);
/* Appends the link to series se's page from root. */
void site_series_href(struct strbuf *sb, const char *root, const struct series *se);
/* b / a - 1, NaN when a is 0. */
double site_pct_change(double a, double b);
/* fn(st, i, payload) for i in [0, n) on --threads threads (lib/base/parallel.h).
 * Tasks share only read-only data, output_write and the template cache. */
int site_parallel_for(struct site *st, size_t n, site_task fn, void *payload);
/* The file-name slug of suite (st->suite_slugs), "unknown" for none. */
const char *site_suite_slug(const struct site *st, const char *suite);
/* o.suite, name, machine, unit, direction, href and suite_href of se, links
 * relative to root. */
void site_add_series_identity(const struct site *st, cJSON *o, const struct series *se,
			      const char *root);
/* Change point c of se as template data, links relative to root. The caller
 * deletes it. */
cJSON *site_change_data(const struct site *st, const struct series *se,
			const struct changepoint *c, const char *root);

#endif
