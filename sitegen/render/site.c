/* site: the driver of `benchkeep site` (see site.h): loads the history,
 * builds the series, prepares the output directory and the shared context
 * (site_ctx.h), has the page writers render, then prunes what is stale. */
#include "sitegen/render/site.h"
#include "sitegen/render/site_bench.h"
#include "sitegen/render/site_commits.h"
#include "sitegen/render/site_ctx.h"
#include "sitegen/render/site_data.h"
#include "sitegen/render/site_pages.h"
#include "sitegen/analysis/cpmemo.h"
#include "sitegen/render/embedded.h"
#include "sitegen/render/fingerprint.h"
#include "lib/base/timing.h"
#include "lib/base/atomicfile.h"
#include "lib/base/error.h"
#include "lib/base/escape.h"
#include "lib/base/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

/* The series and change points of st->h; those of the windows that did not
 * change come from the memo of the last build in cache_dir
 * (sitegen/analysis/cpmemo.h), NULL: no cache. 0 or -1 + bk_error. */
static int build_series(struct site *st, const char *cache_dir)
{
	struct cp_memo *memo = NULL;
	if (cache_dir) {
		struct strbuf mp = STRBUF_INIT;
		strbuf_addf(&mp, "%s/changepoints.memo", cache_dir);
		memo = cp_memo_open(mp.buf);
		strbuf_release(&mp);
	}
	int sr = series_build(&st->s, &st->h, NULL, memo);
	if (memo && sr == 0 && cp_memo_save(memo) < 0 && st->o->log)
		fprintf(st->o->log, "benchkeep: warning: %s\n", bk_last_error());
	cp_memo_close(memo);
	return sr;
}

/* Pages carry the time of the newest data, not of the build, so that a
 * rebuild with nothing new rewrites nothing: st->now becomes that time
 * unless --now set it. */
static void settle_now(struct site *st)
{
	if (st->o->now)
		return;
	long long newest = 0;
	for (size_t i = 0; i < st->h.nresults; i++) {
		long long t = site_data_time(&st->h.results[i]);
		if (t > newest)
			newest = t;
	}
	if (newest)
		st->now = newest;
}

/* st->suite_slugs: the file name of each suite. */
static void make_suite_slugs(struct site *st)
{
	st->suite_slugs = xcalloc(st->s.nsuites ? st->s.nsuites : 1, sizeof(char *));
	for (size_t i = 0; i < st->s.nsuites; i++) {
		struct strbuf sb = STRBUF_INIT;
		escape_filename(&sb, st->s.suites[i]);
		if (!strcmp(sb.buf, "changes")) /* data/changes.json is the change list */
			strbuf_addf(&sb, "-suite");
		st->suite_slugs[i] = strbuf_detach(&sb, NULL);
	}
}

/* st->result_fp: each result's blob and place. */
static void fingerprint_results(struct site *st)
{
	st->result_fp = xcalloc(st->h.nresults + 1, sizeof(uint64_t));
	for (size_t i = 0; i < st->h.nresults; i++) {
		const struct site_result *r = &st->h.results[i];
		struct fp f = FP_INIT;
		fp_bytes(&f, r->blob, 40);
		fp_f64(&f, r->order);
		fp_u64(&f, (uint64_t)r->main_index);
		fp_u64(&f, (uint64_t)r->time);
		fp_u64(&f, (uint64_t)r->recorded_time);
		st->result_fp[i] = f.h;
	}
}

/* Makes the output directory; *owned = 1 when benchkeep made it (a new or
 * empty one, or one carrying its marker from an earlier build): only then
 * are stale pages pruned and the manifest of what each file was made from
 * trusted. 0 or -1 + bk_error. */
static int prepare_output(struct site *st, int *owned)
{
	*owned = dir_is_ours(st->out.dir);
	if (mkdir_p(st->out.dir) < 0)
		return -1;
	if (*owned &&
	    output_write(&st->out, SITE_MARKER, SITE_MARKER_TEXT, strlen(SITE_MARKER_TEXT)) < 0)
		return -1;
	st->config_fp = config_fingerprint(st);
	if (*owned)
		output_load_manifest(&st->out);
	return 0;
}

/* Every page and data file; *nch gets the number of change points. 0 or -1
 * + bk_error. */
static int render_all(struct site *st, size_t *nch)
{
	struct change_ref *ch = site_all_changes(st, nch);
	char latest[16];
	int r = write_assets(st) || site_render_weekly(st, ch, *nch, latest, sizeof(latest)) ||
		site_render_index(st, ch, *nch, *latest ? latest : NULL);
	timing_tick("index, weekly, assets");
	r = r || site_render_data(st, ch, *nch);
	timing_tick("data files");
	r = r || site_render_feed(st, ch, *nch);
	for (size_t i = 0; i < st->s.nsuites && !r; i++)
		r = site_render_suite(st, i) < 0;
	r = r || site_render_benches(st) < 0;
	free(ch);
	if (r)
		return -1;
	timing_tick("suite and benchmark pages");
	if (site_render_commits(st) < 0)
		return -1;
	timing_tick("commit pages");
	return 0;
}

/* Removes what this build no longer produces and saves the manifest; *removed
 * counts the files removed. 0 or -1 + bk_error. */
static int prune_stale(struct site *st, size_t *removed)
{
	static const char *const owned_files[][2] = {
		{ "bench", ".html" }, { "commits", ".html" }, { "suites", ".html" },
		{ "weekly", ".html" }, { "weekly", ".md" }, { "data", ".json" },
		{ "data", ".csv" },
	};
	for (size_t i = 0; i < sizeof(owned_files) / sizeof(owned_files[0]); i++)
		if (output_prune(&st->out, owned_files[i][0], owned_files[i][1], removed) < 0)
			return -1;
	if (prune_data(st, removed) < 0 || output_save_manifest(&st->out) < 0)
		return -1;
	return 0;
}

/* The counts of the build into stats (changes and removed are set on the
 * way). */
static void fill_stats(const struct site *st, struct site_stats *stats, double t0)
{
	stats->results = st->h.nresults;
	stats->skipped = st->h.nskipped;
	stats->off_main = st->h.nresults - st->h.nmain;
	stats->series = st->s.nr;
	stats->pages = st->pages;
	stats->parsed = st->h.nparsed;
	stats->cached = st->h.ncached;
	stats->written = st->out.written;
	stats->unchanged = st->out.unchanged;
	stats->seconds = mono() - t0;
}

/* Frees what st holds. */
static void site_release(struct site *st)
{
	template_cache_free(st->tc);
	output_release(&st->out);
	for (size_t i = 0; st->suite_slugs && i < st->s.nsuites; i++)
		free(st->suite_slugs[i]);
	free(st->suite_slugs);
	for (size_t i = 0; st->chunks && i < st->s.nsuites; i++)
		free(st->chunks[i].items);
	free(st->chunks);
	free(st->result_fp);
	free(st->commit_page);
	series_release(&st->s);
	history_release(&st->h);
}

/* The site of st->h: everything after loading the history. 0 or -1 +
 * bk_error. */
static int build_site(struct site *st, const char *cache_dir, struct site_stats *stats)
{
	timing_tick("place results");
	if (build_series(st, cache_dir) < 0)
		return -1;
	timing_tick("series + change points");
	settle_now(st);
	make_suite_slugs(st);
	site_mark_commit_pages(st);
	fingerprint_results(st);
	st->chunks = xcalloc(st->s.nsuites + 1, sizeof(*st->chunks));
	st->tc = template_cache_new(template_loader, st);
	int owned;
	size_t nch;
	if (prepare_output(st, &owned) < 0 || render_all(st, &nch) < 0)
		return -1;
	/* durable before the manifest says what they were made from */
	if (output_sync(&st->out) < 0)
		return -1;
	if (owned && prune_stale(st, &stats->removed) < 0)
		return -1;
	stats->changes = nch;
	return 0;
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
	if (history_load(&st.h, g, &ho) == 0)
		rc = build_site(&st, o->no_cache ? NULL : cache_dir.buf, stats);
	fill_stats(&st, stats, t0);
	site_release(&st);
	strbuf_release(&cache_dir);
	gitio_close(g);
	return rc;
}
