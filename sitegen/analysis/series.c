#include "sitegen/analysis/series.h"

#include "lib/base/error.h"
#include "lib/base/escape.h"
#include "sitegen/analysis/machinefactor.h"
#include "lib/base/parallel.h"
#include "lib/base/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- series map: (benchmark ident, machine) -> series ---------------- */

struct idmap {
	uint64_t *keys; /* ident << 32 | machine, +1 so that 0 is empty */
	uint32_t *vals;
	size_t cap, used;
};

static size_t id_hash(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (size_t)k;
}

static uint32_t *idmap_slot(struct idmap *m, uint64_t key)
{
	key++;
	if ((m->used + 1) * 2 > m->cap) {
		struct idmap old = *m;
		m->cap = m->cap ? m->cap * 2 : 256;
		m->keys = xcalloc(m->cap, sizeof(uint64_t));
		m->vals = xcalloc(m->cap, sizeof(uint32_t));
		m->used = 0;
		for (size_t i = 0; i < old.cap; i++) {
			if (!old.keys[i])
				continue;
			uint32_t *v = idmap_slot(m, old.keys[i] - 1);
			*v = old.vals[i];
		}
		free(old.keys);
		free(old.vals);
	}
	size_t i = id_hash(key) & (m->cap - 1);
	while (m->keys[i] && m->keys[i] != key)
		i = (i + 1) & (m->cap - 1);
	if (!m->keys[i]) {
		m->keys[i] = key;
		m->vals[i] = UINT32_MAX;
		m->used++;
	}
	return &m->vals[i];
}

/* ---- build -------------------------------------------------------------- */

static int cmp_series(const void *pa, const void *pb)
{
	const struct series *a = pa, *b = pb;
	int c = strcmp(a->suite, b->suite);
	if (!c)
		c = strcmp(a->name, b->name);
	if (!c)
		c = strcmp(a->machine, b->machine);
	if (!c)
		c = strcmp(a->slug, b->slug);
	return c;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct cp_job {
	struct series_set *s;
	const struct changepoint_opts *opts;
	struct cp_memo *memo;
	double **x; /* per series: its medians divided by the machine factor */
};

/* Change points and noise of series i (a parallel_run task). */
static int cp_task(size_t i, void *payload)
{
	struct cp_job *j = payload;
	struct series *se = &j->s->items[i];
	int positive = 1;
	for (size_t k = 0; k < se->npoints; k++)
		positive &= j->x[i][k] > 0;
	se->noise = positive ? changepoint_noise(j->x[i], se->npoints) : NAN;
	if (changepoint_detect_memo(j->x[i], se->npoints, j->opts, j->memo, &se->changes,
				    &se->nchanges) < 0)
		return bk_error_prefix("change points of %s/%s", se->suite, se->name);
	return 0;
}

static int cmp_machine(const void *pa, const void *pb, void *payload)
{
	const struct series *items = payload;
	const uint32_t *a = pa, *b = pb;
	int c = strcmp(items[*a].machine, items[*b].machine);
	return c ? c : (*a > *b) - (*a < *b);
}

/* The values the detector sees: x[i] = series i's medians divided by the
 * factor of each run, estimated per machine; s->factor is filled. Every
 * x[i] is one block (x[0]) the caller frees with x. */
static double **corrected_values(struct series_set *s, size_t nruns)
{
	size_t total = 0;
	for (size_t i = 0; i < s->nr; i++)
		total += s->items[i].npoints;
	double **x = xmalloc((s->nr + 1) * sizeof(*x));
	double *vals = xmalloc((total ? total : 1) * sizeof(double));
	uint32_t *runs = xmalloc((total ? total : 1) * sizeof(uint32_t));
	struct mf_series *mf = xmalloc((s->nr + 1) * sizeof(*mf));
	uint32_t *order = xmalloc((s->nr + 1) * sizeof(uint32_t));
	s->factor = xmalloc((nruns ? nruns : 1) * sizeof(double));
	for (size_t r = 0; r < nruns; r++)
		s->factor[r] = 1;
	x[0] = vals;
	for (size_t i = 0, at = 0; i < s->nr; i++) {
		const struct series *se = &s->items[i];
		x[i] = vals + at;
		for (size_t k = 0; k < se->npoints; k++) {
			vals[at + k] = se->points[k].median;
			runs[at + k] = se->points[k].result;
		}
		mf[i] = (struct mf_series){ x[i], runs + at, se->npoints,
					    se->proto->direction == BK_BIGGER };
		order[i] = (uint32_t)i;
		at += se->npoints;
	}
	/* the series of each machine together */
	if (s->nr)
		qsort_r(order, s->nr, sizeof(*order), cmp_machine, s->items);
	struct mf_series *group = xmalloc((s->nr + 1) * sizeof(*group));
	for (size_t a = 0; a < s->nr;) {
		size_t b = a, ng = 0;
		while (b < s->nr && !strcmp(s->items[order[b]].machine, s->items[order[a]].machine))
			group[ng++] = mf[order[b++]];
		s->nfactor += machine_factor_estimate(group, ng, nruns, s->factor);
		a = b;
	}
	/* only series whose values are all positive and finite voted; only
	 * they are corrected */
	for (size_t i = 0; s->nfactor && i < s->nr; i++) {
		int usable = 1;
		for (size_t k = 0; k < mf[i].n; k++)
			usable &= x[i][k] > 0 && isfinite(x[i][k]);
		for (size_t k = 0; usable && k < mf[i].n; k++)
			x[i][k] = mf[i].inverse ? x[i][k] * s->factor[mf[i].run[k]]
						: x[i][k] / s->factor[mf[i].run[k]];
	}
	free(group);
	free(order);
	free(mf);
	free(runs);
	return x;
}

int series_build(struct series_set *s, const struct history *h, const struct changepoint_opts *opts,
		 struct cp_memo *memo)
{
	struct changepoint_opts def = CHANGEPOINT_OPTS_INIT;
	struct idmap im = { 0 };
	struct strmap machines = STRMAP_INIT;
	memset(s, 0, sizeof(*s));
	if (!opts)
		opts = &def;
	/* pass 1: the series of every point (new series as they appear), so
	 * that pass 2 allocates each series' points exactly once */
	size_t total = 0;
	for (size_t i = 0; i < h->nmain; i++)
		total += h->results[i].rec.nbench;
	uint32_t *which = xmalloc((total ? total : 1) * sizeof(uint32_t));
	size_t at = 0;
	for (size_t i = 0; i < h->nmain; i++) {
		const struct site_result *r = &h->results[i];
		const char *machine = r->rec.machine ? r->rec.machine : "";
		int fresh;
		uint32_t *mslot = strmap_slot(&machines, machine, &fresh);
		if (fresh)
			*mslot = (uint32_t)machines.used - 1;
		uint64_t mid = *mslot;
		const unsigned char *p = r->rec.bench;
		for (uint32_t k = 0; k < r->rec.nbench; k++, at++) {
			struct record_bench b;
			p = record_next(p, &b);
			which[at] = UINT32_MAX;
			if (!b.n)
				continue; /* a benchmark that failed every run has no point */
			const struct bench_def *d = history_def(h, r, b.def);
			uint32_t *slot = idmap_slot(&im, (uint64_t)d->ident << 32 | mid);
			if (*slot == UINT32_MAX) {
				ALLOC_GROW(s->items, s->nr + 1, s->alloc);
				struct series *n = &s->items[s->nr];
				memset(n, 0, sizeof(*n));
				n->suite = xstrdup(d->suite);
				n->name = xstrdup(d->name);
				n->machine = xstrdup(machine);
				*slot = (uint32_t)s->nr++;
			}
			which[at] = *slot;
			s->items[*slot].alloc++;
		}
	}
	for (size_t k = 0; k < s->nr; k++)
		s->items[k].points = xmalloc(s->items[k].alloc * sizeof(struct series_point));
	/* pass 2: the points, in history order */
	at = 0;
	for (size_t i = 0; i < h->nmain; i++) {
		const struct site_result *r = &h->results[i];
		const unsigned char *p = r->rec.bench;
		for (uint32_t k = 0; k < r->rec.nbench; k++, at++) {
			struct record_bench b;
			p = record_next(p, &b);
			if (which[at] == UINT32_MAX)
				continue;
			struct series *se = &s->items[which[at]];
			struct series_point *pt = &se->points[se->npoints++];
			pt->result = (uint32_t)i;
			pt->n = b.n;
			pt->median = b.median;
			pt->min = b.min;
			pt->max = b.max;
			pt->ci_low = b.ci_low;
			pt->ci_high = b.ci_high;
			pt->samples = b.samples;
			se->proto = history_def(h, r, b.def);
		}
	}
	free(which);
	free(im.keys);
	free(im.vals);
	strmap_release(&machines);

	/* slugs: readable and unique even when names differ only in escaped bytes */
	for (size_t i = 0; i < s->nr; i++) {
		struct series *se = &s->items[i];
		struct strbuf sl = STRBUF_INIT;
		struct bk_benchmark b;
		memset(&b, 0, sizeof(b));
		b.suite = (char *)se->proto->suite;
		b.name = (char *)se->proto->name;
		b.params = se->proto->params;
		bench_slug(&b, se->machine, &sl);
		se->slug = strbuf_detach(&sl, NULL);
	}
	if (s->nr) /* qsort(NULL, 0) is undefined */
		qsort(s->items, s->nr, sizeof(*s->items), cmp_series);

	/* change points on the medians, the machine factor divided out, on all
	 * cores */
	struct cp_job job = { s, opts, memo, corrected_values(s, h->nmain) };
	int r = parallel_run(s->nr, 0, cp_task, &job);
	free(job.x[0]);
	free(job.x);
	if (r < 0)
		return -1;

	/* distinct suites */
	for (size_t i = 0; i < s->nr; i++) {
		if (s->nsuites && !strcmp(s->suites[s->nsuites - 1], s->items[i].suite))
			continue;
		s->suites = xrealloc(s->suites, (s->nsuites + 1) * sizeof(char *));
		s->suites[s->nsuites++] = xstrdup(s->items[i].suite);
	}
	if (s->nsuites) /* qsort(NULL, 0) is undefined */
		qsort(s->suites, s->nsuites, sizeof(char *), cmp_str);
	return 0;
}

void series_release(struct series_set *s)
{
	for (size_t i = 0; i < s->nr; i++) {
		struct series *se = &s->items[i];
		free(se->suite);
		free(se->name);
		free(se->machine);
		free(se->slug);
		free(se->points);
		free(se->changes);
	}
	free(s->items);
	for (size_t i = 0; i < s->nsuites; i++)
		free(s->suites[i]);
	free(s->suites);
	free(s->factor);
	memset(s, 0, sizeof(*s));
}
