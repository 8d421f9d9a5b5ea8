/* runhistory: per-benchmark run locations from a git ref (see
 * runhistory.h). */
#include "lib/verdict/runhistory.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/error.h"
#include "lib/git/gitio.h"
#include "lib/doc/machine.h"
#include "lib/verdict/noise.h"
#include "lib/doc/resultscan.h"
#include "lib/base/xalloc.h"

struct want_bench {
	char *key;        /* bench_key of the benchmark */
	double *loc;      /* its runs' locations, newest first */
	size_t n;
};

struct runhistory {
	char *ref, *machine;
	struct want_bench *w; /* sorted by key */
	size_t nw;
	long max_runs;
	size_t files, read, skipped, used_runs;
	char *first_bad; /* "path: error" of the first file skipped */
	struct bk_machine want_machine; /* borrowed fields of the wanted run's machine */
	size_t used_results, other_print; /* results used; of them, another fingerprint */
	struct strbuf print_note; /* the first fingerprint difference */
	struct strbuf others; /* other machine names seen, quoted, comma-separated */
};

struct blob_ref {
	char *path, *blob;
};

struct listing {
	struct blob_ref *b;
	size_t nr, alloc;
};

static int collect(const char *path, const char *blob, void *payload)
{
	struct listing *l = payload;
	size_t n = strlen(path);
	if (n < 5 || strcmp(path + n - 5, ".json"))
		return 0;
	ALLOC_GROW(l->b, l->nr + 1, l->alloc);
	l->b[l->nr].path = xstrdup(path);
	l->b[l->nr].blob = xstrdup(blob);
	l->nr++;
	return 0;
}

static int cmp_path_desc(const void *pa, const void *pb)
{
	const struct blob_ref *a = pa, *b = pb;
	return strcmp(b->path, a->path);
}

static int cmp_want(const void *pa, const void *pb)
{
	const struct want_bench *a = pa, *b = pb;
	return strcmp(a->key, b->key);
}

static struct want_bench *find(const struct runhistory *h, const char *key)
{
	struct want_bench k = { (char *)key, NULL, 0 };
	return bsearch(&k, h->w, h->nw, sizeof(*h->w), cmp_want);
}

static void note_machine(struct runhistory *h, const char *name)
{
	struct strbuf q = STRBUF_INIT;
	strbuf_addf(&q, "'%.60s'", name ? name : "?");
	if (!strstr(h->others.buf, q.buf) && h->others.len < 300) {
		if (h->others.len)
			strbuf_addstr(&h->others, ", ");
		strbuf_addstr(&h->others, q.buf);
	}
	strbuf_release(&q);
}

/* Adds the runs of result r; returns 1 when every wanted benchmark is full. */
static int add_result(struct runhistory *h, const struct bk_result *r, struct strbuf *key)
{
	const char *m = r->run.machine.name;
	if (!m || strcmp(m, h->machine)) {
		note_machine(h, m);
		return 0;
	}
	h->used_results++;
	struct strbuf why = STRBUF_INIT;
	if (!machine_same(&r->run.machine, &h->want_machine, &why)) {
		h->other_print++;
		if (!h->print_note.len)
			strbuf_addstr(&h->print_note, why.buf);
	}
	strbuf_release(&why);
	for (size_t i = 0; i < r->nbenchmarks; i++) {
		const struct bk_benchmark *b = &r->benchmarks[i];
		if (!b->nsamples || !(b->stats.median > 0))
			continue;
		strbuf_reset(key);
		bench_key(b, key);
		struct want_bench *w = find(h, key->buf);
		if (!w || (long)w->n >= h->max_runs)
			continue;
		w->loc[w->n++] = b->stats.median;
		h->used_runs++;
	}
	for (size_t i = 0; i < h->nw; i++)
		if ((long)h->w[i].n < h->max_runs)
			return 0;
	return 1;
}

static void read_all(struct runhistory *h, struct gitio *g, struct listing *l,
		     const struct bk_result *want, const char *skip_id)
{
	struct strbuf key = STRBUF_INIT;
	for (size_t i = 0; i < l->nr; i++) {
		char *data = NULL;
		size_t len = 0;
		struct bk_result r;
		if (gitio_read_blob(g, l->b[i].blob, &data, &len) < 0) {
			h->skipped++;
			if (!h->first_bad)
				h->first_bad = xstrdup(l->b[i].path);
			continue;
		}
		int rc = result_scan_buf(&r, data, len);
		if (rc == 1 && result_read_buf(&r, data, len, l->b[i].path) < 0) {
			free(data);
			h->skipped++;
			if (!h->first_bad)
				h->first_bad = xstrdup(bk_last_error());
			continue;
		}
		free(data);
		h->read++;
		int skip = r.run.id && ((want->run.id && !strcmp(r.run.id, want->run.id)) ||
					(skip_id && !strcmp(r.run.id, skip_id)));
		int full = !skip && add_result(h, &r, &key);
		result_release(&r);
		if (full)
			break;
	}
	strbuf_release(&key);
}

int runhistory_load(struct runhistory **out, const char *repo, const char *ref,
		    const struct bk_result *want, long max_runs, const char *skip_id)
{
	*out = NULL;
	if (max_runs < 1)
		return bk_error("history: the number of runs must be 1 or more, got %ld", max_runs);
	struct gitio *g;
	if (gitio_open(&g, repo) < 0)
		return bk_error_prefix("history: ");
	char *sha = NULL;
	int rc = gitio_resolve_commit(g, ref, &sha);
	if (rc != 0) {
		if (rc == GITIO_NOTFOUND)
			bk_error("history: ref '%.200s' not found in '%.200s'", ref,
				 gitio_workdir(g) ? gitio_workdir(g) : gitio_gitdir(g));
		gitio_close(g);
		return -1;
	}
	struct listing l = { NULL, 0, 0 };
	if (gitio_list_tree(g, sha, RUNHISTORY_DIR, collect, &l) < 0) {
		free(sha);
		gitio_close(g);
		return -1;
	}
	free(sha);
	qsort(l.b, l.nr, sizeof(*l.b), cmp_path_desc);

	struct runhistory *h = xcalloc(1, sizeof(*h));
	h->ref = xstrdup(ref);
	h->machine = xstrdup(want->run.machine.name ? want->run.machine.name : "");
	h->max_runs = max_runs;
	h->files = l.nr;
	strbuf_init(&h->others, 0);
	strbuf_init(&h->print_note, 0);
	h->want_machine = want->run.machine; /* borrowed for the load only */
	h->w = xcalloc(want->nbenchmarks + 1, sizeof(*h->w));
	struct strbuf key = STRBUF_INIT;
	for (size_t i = 0; i < want->nbenchmarks; i++) {
		strbuf_reset(&key);
		bench_key(&want->benchmarks[i], &key);
		h->w[h->nw].key = xstrdup(key.buf);
		h->w[h->nw].loc = xmalloc((size_t)max_runs * sizeof(double));
		h->nw++;
	}
	strbuf_release(&key);
	qsort(h->w, h->nw, sizeof(*h->w), cmp_want);
	if (h->nw)
		read_all(h, g, &l, want, skip_id);
	for (size_t i = 0; i < l.nr; i++) {
		free(l.b[i].path);
		free(l.b[i].blob);
	}
	free(l.b);
	gitio_close(g);
	memset(&h->want_machine, 0, sizeof(h->want_machine));
	*out = h;
	return 0;
}

int runhistory_noise(void *payload, const struct bk_benchmark *b, struct bk_noise *out)
{
	const struct runhistory *h = payload;
	memset(out, 0, sizeof(*out));
	struct strbuf key = STRBUF_INIT;
	bench_key(b, &key);
	const struct want_bench *w = find(h, key.buf);
	strbuf_release(&key);
	if (!w || !w->n)
		return 0;
	if (noise_from_locations(w->loc, w->n, out) < 0)
		out->runs = (long)w->n; /* too few for a spread: say how many */
	return 1;
}

void runhistory_describe(const struct runhistory *h, struct strbuf *sb)
{
	size_t lo = (size_t)-1, hi = 0;
	for (size_t i = 0; i < h->nw; i++) {
		if (h->w[i].n < lo)
			lo = h->w[i].n;
		if (h->w[i].n > hi)
			hi = h->w[i].n;
	}
	if (!h->nw)
		lo = 0;
	strbuf_addf(sb, "history '%.200s': %zu result file%s, %zu read; runs on machine '%.100s' per benchmark: ",
		    h->ref, h->files, h->files == 1 ? "" : "s", h->read, h->machine);
	if (lo == hi)
		strbuf_addf(sb, "%zu", lo);
	else
		strbuf_addf(sb, "%zu to %zu", lo, hi);
	strbuf_addf(sb, " (up to %ld used", h->max_runs);
	if (lo < NOISE_MIN_RUNS)
		strbuf_addf(sb, "; fewer than %d: that benchmark's noise is not known", NOISE_MIN_RUNS);
	strbuf_addch(sb, ')');
	if (h->skipped)
		strbuf_addf(sb, "; %zu file%s skipped, first: %.300s", h->skipped,
			    h->skipped == 1 ? "" : "s", h->first_bad);
	if (h->other_print)
		strbuf_addf(sb, "; mixed machines: %zu of the %zu results of '%.100s' used differ from "
				"HEAD's machine (first: %.200s): the noise includes the differences "
				"between machines",
			    h->other_print, h->used_results, h->machine, h->print_note.buf);
	if (h->others.len)
		strbuf_addf(sb, "; other machines ignored: %s", h->others.buf);
}

void runhistory_free(struct runhistory *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->nw; i++) {
		free(h->w[i].key);
		free(h->w[i].loc);
	}
	free(h->w);
	free(h->ref);
	free(h->machine);
	free(h->first_bad);
	strbuf_release(&h->others);
	strbuf_release(&h->print_note);
	free(h);
}
