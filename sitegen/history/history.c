#include "sitegen/history/history.h"
#include "sitegen/history/cache.h"
#include "lib/base/error.h"
#include "lib/base/xalloc.h"

#include "lib/base/timing.h"
#include "lib/doc/json.h"
#include "lib/base/parallel.h"
#include "lib/doc/resultscan.h"
#include "lib/base/strmap.h"
#include <stdlib.h>
#include <string.h>

/* m[key] = v (the last one put wins). */
static void map_put(struct strmap *m, const char *key, size_t v)
{
	int fresh;
	*strmap_slot(m, key, &fresh) = (uint32_t)v;
}

/* ---- walking ---------------------------------------------------------- */

struct file_list {
	struct site_result *items;
	size_t nr, alloc;
};

static int on_blob(const char *path, const char *blob, void *payload)
{
	struct file_list *l = payload;
	size_t n = strlen(path);
	if (n < 5 || strcmp(path + n - 5, ".json"))
		return 0;
	ALLOC_GROW(l->items, l->nr + 1, l->alloc);
	struct site_result *s = &l->items[l->nr++];
	memset(s, 0, sizeof(*s));
	memcpy(s->blob, blob, 41);
	s->path = xstrdup(path);
	s->order = -1;
	s->main_index = -1;
	return 0;
}

struct added_ctx {
	struct strmap by_blob; /* blob -> index in files */
	struct site_result *files;
	size_t missing;        /* files whose recording commit is still unknown */
};

#define WALK_DONE 2 /* on_added: every file placed, stop walking */

static int on_added(const char *path, const char *blob, const struct gitio_commit *c, void *payload)
{
	struct added_ctx *a = payload;
	(void)path;
	uint32_t i = strmap_get(&a->by_blob, blob);
	if (i == UINT32_MAX)
		return 0;
	/* newest first: a file is added once (its name is a unique run id), so
	 * the walk ends as soon as every file not known from the cache is seen:
	 * a rebuild after one new result reads one commit, not the history */
	struct site_result *s = &a->files[i];
	if (s->recorded_sha[0])
		return 0;
	memcpy(s->recorded_sha, c->sha, 41);
	s->recorded_time = c->time;
	if (a->missing && --a->missing == 0)
		return WALK_DONE;
	return 0;
}

/* ---- parallel parsing ------------------------------------------------- */

struct parse_job {
	struct gitio *g;
	struct cache *cache;
	struct def_table *defs;
	int *need; /* 1: read the blob and parse it; 2: take its record from the
		    * cache (set to 3 when that worked) */
	struct site_result *files;
	char **owned;  /* records parsed here */
	size_t *owned_len;
	int *ok;
	char **err;
};

/* The cached record of file f, checked; 0 when there is none usable. */
static int from_cache(struct cache *c, struct site_result *f)
{
	const unsigned char *rec;
	size_t len;
	const uint32_t *defmap;
	uint32_t ndefmap;
	if (!cache_get_record(c, f->blob, &rec, &len, &defmap, &ndefmap) ||
	    record_open(rec, len, defmap ? ndefmap : 0, &f->rec) < 0)
		return 0;
	const unsigned char *p = f->rec.bench;
	for (uint32_t k = 0; k < f->rec.nbench; k++) {
		struct record_bench b;
		p = record_next(p, &b);
		if (defmap[b.def] == UINT32_MAX)
			return 0;
	}
	f->defmap = defmap;
	return 1;
}

/* File i: from the cache, or read and parsed into a record (a parallel_run
 * task; a file that cannot be read keeps its error for the warning, the
 * task succeeds). */
static int parse_task(size_t i, void *payload)
{
	struct parse_job *j = payload;
	struct site_result *f = &j->files[i];
	if (j->need[i] == 2) {
		/* the cache is only read while the tasks run */
		if (from_cache(j->cache, f)) {
			j->need[i] = 3;
			j->ok[i] = 1;
			return 0;
		}
		j->need[i] = 1; /* unusable entry: parse the blob again */
	}
	/* libgit2 reads distinct objects of one repository from several
	 * threads safely; inflating the blobs is half the work */
	char *data;
	size_t len;
	if (gitio_read_blob(j->g, f->blob, &data, &len) < 0) {
		j->err[i] = xstrdup(bk_last_error());
		return 0;
	}
	/* the fast reader for files as benchkeep writes them; anything it is
	 * unsure of goes through the full reader, which says what is wrong */
	struct bk_result r;
	int pr = 0;
	if (result_scan_buf(&r, data, len) != 0) {
		json_arena_begin();
		pr = result_read_buf(&r, data, len, f->path);
		json_arena_end();
	}
	free(data);
	if (pr != 0) {
		j->err[i] = xstrdup(bk_last_error());
		return 0;
	}
	struct strbuf sb = STRBUF_INIT;
	record_encode(&sb, &r, j->defs);
	result_release(&r);
	/* exactly its size: 10,000 records must not keep the doubling slack */
	char *rec = strbuf_detach(&sb, &j->owned_len[i]);
	j->owned[i] = xrealloc(rec, j->owned_len[i] ? j->owned_len[i] : 1);
	if (record_open((const unsigned char *)j->owned[i], j->owned_len[i], UINT32_MAX, &f->rec) < 0) {
		j->err[i] = xstrdup("internal error: unreadable record");
		return 0;
	}
	j->ok[i] = 1;
	return 0;
}

static int cmp_result(const void *pa, const void *pb)
{
	const struct site_result *a = pa, *b = pb;
	int ma = a->order >= 0, mb = b->order >= 0;
	if (ma != mb)
		return mb - ma; /* on main first */
	if (ma && a->order != b->order)
		return a->order < b->order ? -1 : 1;
	if (a->time != b->time)
		return a->time < b->time ? -1 : 1;
	const char *ia = a->rec.id ? a->rec.id : "", *ib = b->rec.id ? b->rec.id : "";
	return strcmp(ia, ib);
}

/* Seconds since the epoch of an RFC 3339 UTC time, or 0. */
static long long parse_time(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	if (!s || !strptime(s, "%Y-%m-%dT%H:%M:%S", &tm))
		return 0;
	return (long long)timegm(&tm);
}

long history_find_commit(const struct history *h, const char *sha)
{
	size_t n = sha ? strlen(sha) : 0;
	if (n < 7 || n > 40)
		return -1;
	long found = -1;
	for (size_t i = 0; i < h->ncommits; i++) {
		if (!strncmp(h->commits[i].sha, sha, n)) {
			if (found >= 0)
				return -1; /* ambiguous prefix */
			found = (long)i;
			if (n == 40)
				break;
		}
	}
	return found;
}

void history_release(struct history *h)
{
	mainlist_free(h->commits, h->ncommits);
	for (size_t i = 0; i < h->nresults; i++)
		free(h->results[i].path);
	free(h->results);
	for (size_t i = 0; i < h->nowned; i++)
		free(h->owned[i]);
	free(h->owned);
	cache_close(h->cache);
	def_table_release(&h->defs);
	free(h->branch);
	memset(h, 0, sizeof(*h));
}

/* Step 1: the main branch h->branch, oldest first (none without a
 * branch). 0 or -1 + bk_error. */
static int load_main(struct history *h, struct gitio *g, const char *cache_dir)
{
	if (!h->branch)
		return 0;
	int r = mainlist_load(g, h->branch, cache_dir, &h->commits, &h->ncommits);
	if (r == GITIO_NOTFOUND)
		return bk_error("branch '%s' not found (use --branch)", h->branch);
	return r < 0 ? -1 : 0;
}

/* Step 2: the result files under dir in the tree of ref, into h->results.
 * 0 or -1 + bk_error. */
static int list_results(struct history *h, struct gitio *g, const char *ref, const char *dir)
{
	struct file_list fl = { 0 };
	int r = gitio_list_tree(g, ref, dir, on_blob, &fl);
	h->results = fl.items;
	h->nresults = fl.nr;
	if (r == GITIO_NOTFOUND)
		return bk_error("revision '%s' not found (use --ref)", ref);
	return r < 0 ? -1 : 0;
}

/* Step 3: when each file was recorded: from the cache, else by walking the
 * history of ref until every file is seen. 0 or -1 + bk_error. */
static int find_recorded(struct history *h, struct gitio *g, const char *ref, const char *dir)
{
	struct site_result *files = h->results;
	size_t n = h->nresults, known = 0;
	struct added_ctx ac;
	ac.by_blob = (struct strmap)STRMAP_INIT;
	ac.files = files;
	for (size_t i = 0; i < n; i++)
		map_put(&ac.by_blob, files[i].blob, i);
	for (size_t i = 0; h->cache && i < n; i++) {
		if (cache_get_recorded(h->cache, files[i].blob, files[i].recorded_sha,
				       &files[i].recorded_time))
			known++;
	}
	int r = 0;
	if (known < n) {
		ac.missing = n - known;
		r = gitio_walk_added(g, ref, dir, NULL, on_added, &ac);
		if (r == WALK_DONE)
			r = 0;
	}
	strmap_release(&ac.by_blob);
	return r ? -1 : 0;
}

/* Step 5 for result i: warns about a file that did not parse (and drops it,
 * returning 0), else records it in the cache (1: keep it). */
static int keep_result(struct history *h, const struct parse_job *job, size_t i, FILE *warnings)
{
	struct site_result *s = &h->results[i];
	if (!job->ok[i]) {
		if (warnings)
			fprintf(warnings, "benchkeep: warning: skipping %s (recorded in %.12s): %s\n",
				s->path, *s->recorded_sha ? s->recorded_sha : "an unknown commit",
				job->err[i] ? job->err[i] : "unreadable");
		h->nskipped++;
		free(job->err[i]);
		free(s->path);
		return 0;
	}
	if (h->cache) {
		if (job->owned[i]) {
			cache_put_record(h->cache, s->blob, (const unsigned char *)job->owned[i],
					 job->owned_len[i]);
			h->nparsed++;
		}
		cache_put_recorded(h->cache, s->blob, s->recorded_sha, s->recorded_time);
	} else {
		h->nparsed++;
	}
	return 1;
}

/* Steps 4 and 5: decodes cached results and parses new blobs, in parallel,
 * then keeps the good ones and warns about the others; saves the cache. */
static void parse_results(struct history *h, struct gitio *g, const struct history_opts *o)
{
	size_t n = h->nresults;
	struct cache *cache = h->cache;
	int *ok = xcalloc(n ? n : 1, sizeof(int));
	char **errs = xcalloc(n ? n : 1, sizeof(char *));
	int *need = xcalloc(n ? n : 1, sizeof(int));
	char **owned = xcalloc(n ? n : 1, sizeof(char *));
	size_t *owned_len = xcalloc(n ? n : 1, sizeof(size_t));
	for (size_t i = 0; i < n; i++)
		need[i] = cache && cache_has_result(cache, h->results[i].blob) ? 2 : 1;
	struct parse_job job = { g, cache, &h->defs, need, h->results, owned, owned_len, ok, errs };
	parallel_run(n, o->threads, parse_task, &job); /* tasks do not fail */
	for (size_t i = 0; i < n; i++)
		h->ncached += need[i] == 3;

	timing_tick("read cache + parse new blobs");
	size_t w = 0;
	h->owned = owned;
	for (size_t i = 0; i < n; i++) {
		if (owned[i])
			owned[h->nowned++] = owned[i];
		if (keep_result(h, &job, i, o->warnings))
			h->results[w++] = h->results[i];
	}
	h->nresults = w;
	free(owned_len);
	free(need);
	free(ok);
	free(errs);
	if (cache) {
		if (cache_save(cache) < 0 && o->warnings)
			fprintf(o->warnings, "benchkeep: warning: %s\n", bk_last_error());
	}
}

/* The main commit s measured (its sha, full or abbreviated), or -1. */
static long main_index_of(const struct history *h, const struct strmap *by_sha, const char *sha)
{
	if (strlen(sha) == 40) {
		uint32_t v = strmap_get(by_sha, sha);
		return v == UINT32_MAX ? -1 : (long)v;
	}
	return history_find_commit(h, sha);
}

/* Step 6: places each result on the main branch (a result without a sha
 * after the newest main commit at or before its run), then sorts them:
 * main ones first, in order. */
static void place_results(struct history *h)
{
	struct strmap by_sha = STRMAP_INIT;
	for (size_t i = 0; i < h->ncommits; i++)
		map_put(&by_sha, h->commits[i].sha, i);
	for (size_t i = 0; i < h->nresults; i++) {
		struct site_result *s = &h->results[i];
		const char *sha = s->rec.commit_sha;
		long long run_time = parse_time(s->rec.started_at);
		s->time = run_time ? run_time : s->recorded_time;
		if (sha && *sha) {
			long k = main_index_of(h, &by_sha, sha);
			if (k >= 0) {
				s->main_index = k;
				s->order = (double)k;
				s->time = h->commits[k].time;
			}
			continue; /* a sha not on main stays off the trend */
		}
		if (!s->time || !h->ncommits)
			continue;
		size_t lo = 0, hi = h->ncommits; /* first commit with time > run */
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (h->commits[mid].time <= s->time)
				lo = mid + 1;
			else
				hi = mid;
		}
		s->order = lo == 0 ? 0.0 : (double)(lo - 1) + 0.5;
	}
	strmap_release(&by_sha);
	if (h->nresults) /* qsort(NULL, 0) is undefined */
		qsort(h->results, h->nresults, sizeof(*h->results), cmp_result);
	h->nmain = 0;
	while (h->nmain < h->nresults && h->results[h->nmain].order >= 0)
		h->nmain++;
}

int history_load(struct history *h, struct gitio *g, const struct history_opts *o)
{
	const char *ref = o->ref ? o->ref : "HEAD";
	const char *dir = o->results_dir ? o->results_dir : "results";
	memset(h, 0, sizeof(*h));
	def_table_init(&h->defs);
	h->branch = o->branch ? xstrdup(o->branch) : gitio_default_branch(g);
	timing_tick(NULL);
	if (load_main(h, g, o->cache_dir) < 0)
		goto err;
	timing_tick("walk main branch");
	if (list_results(h, g, ref, dir) < 0)
		goto err;
	timing_tick("list result files");
	if (o->cache_dir)
		h->cache = cache_open(o->cache_dir, &h->defs);
	if (find_recorded(h, g, ref, dir) < 0)
		goto err;
	timing_tick("when each file was recorded");
	parse_results(h, g, o);
	timing_tick("cache save");
	place_results(h);
	return 0;
err:
	history_release(h);
	return -1;
}
