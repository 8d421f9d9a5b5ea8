#include "series.h"

#include "error.h"
#include "escape.h"
#include "parallel.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* ---- key map ------------------------------------------------------------ */

struct keymap {
	char **keys;
	long *vals;
	size_t cap, used;
};

static size_t str_hash(const char *s)
{
	size_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static long *keymap_slot(struct keymap *m, const char *k, int *fresh)
{
	if ((m->used + 1) * 2 > m->cap) {
		char **ok = m->keys;
		long *ov = m->vals;
		size_t oc = m->cap;
		m->cap = m->cap ? m->cap * 2 : 256;
		m->keys = xcalloc(m->cap, sizeof(char *));
		m->vals = xcalloc(m->cap, sizeof(long));
		m->used = 0;
		for (size_t i = 0; i < oc; i++) {
			if (!ok[i])
				continue;
			int f;
			long *v = keymap_slot(m, ok[i], &f);
			*v = ov[i];
			free(ok[i]);
		}
		free(ok);
		free(ov);
	}
	size_t i = str_hash(k) & (m->cap - 1);
	while (m->keys[i]) {
		if (!strcmp(m->keys[i], k)) {
			*fresh = 0;
			return &m->vals[i];
		}
		i = (i + 1) & (m->cap - 1);
	}
	m->keys[i] = xstrdup(k);
	m->used++;
	*fresh = 1;
	return &m->vals[i];
}

static void keymap_free(struct keymap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
}

static void series_key(struct strbuf *sb, const struct bk_benchmark *b, const char *machine)
{
	bench_key(b, sb);
	strbuf_addch(sb, 0x1e);
	strbuf_addstr(sb, machine);
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

/* Change points of series i (a parallel_run task). */
static int cp_task(size_t i, void *payload)
{
	struct series_set *s = ((void **)payload)[0];
	const struct changepoint_opts *opts = ((void **)payload)[1];
	struct series *se = &s->items[i];
	double *x = xmalloc((se->npoints ? se->npoints : 1) * sizeof(double));
	for (size_t k = 0; k < se->npoints; k++)
		x[k] = se->points[k].b->stats.median;
	int r = changepoint_detect(x, se->npoints, opts, &se->changes, &se->nchanges);
	free(x);
	if (r < 0)
		return bk_error_prefix("change points of %s/%s", se->suite, se->name);
	return 0;
}

int series_build(struct series_set *s, const struct history *h, const struct changepoint_opts *opts)
{
	struct changepoint_opts def = CHANGEPOINT_OPTS_INIT;
	struct keymap km = { 0 };
	struct strbuf key = STRBUF_INIT;
	memset(s, 0, sizeof(*s));
	if (!opts)
		opts = &def;
	for (size_t i = 0; i < h->nmain; i++) {
		const struct site_result *r = &h->results[i];
		const char *machine = r->r.run.machine.name ? r->r.run.machine.name : "";
		for (size_t k = 0; k < r->r.nbenchmarks; k++) {
			const struct bk_benchmark *b = &r->r.benchmarks[k];
			if (!b->nsamples)
				continue; /* a benchmark that failed every run has no point */
			strbuf_reset(&key);
			series_key(&key, b, machine);
			int fresh;
			long *slot = keymap_slot(&km, key.buf, &fresh);
			if (fresh) {
				ALLOC_GROW(s->items, s->nr + 1, s->alloc);
				struct series *n = &s->items[s->nr];
				memset(n, 0, sizeof(*n));
				n->suite = xstrdup(b->suite);
				n->name = xstrdup(b->name);
				n->machine = xstrdup(machine);
				*slot = (long)s->nr++;
			}
			struct series *se = &s->items[*slot];
			ALLOC_GROW(se->points, se->npoints + 1, se->alloc);
			se->points[se->npoints].result = i;
			se->points[se->npoints].b = b;
			se->npoints++;
			se->proto = b;
		}
	}
	strbuf_release(&key);
	keymap_free(&km);

	/* slugs: readable and unique even when names differ only in escaped bytes */
	for (size_t i = 0; i < s->nr; i++) {
		struct series *se = &s->items[i];
		struct strbuf sl = STRBUF_INIT, full = STRBUF_INIT, readable = STRBUF_INIT;
		bench_key(se->proto, &full);
		strbuf_addf(&full, "\x1e%s", se->machine);
		strbuf_addf(&readable, "%s-%s%s%s", se->suite, se->name, *se->machine ? "-" : "",
			    se->machine);
		escape_slug(&sl, readable.buf, full.buf);
		strbuf_release(&readable);
		se->slug = strbuf_detach(&sl, NULL);
		strbuf_release(&full);
	}
	if (s->nr) /* qsort(NULL, 0) is undefined */
		qsort(s->items, s->nr, sizeof(*s->items), cmp_series);

	/* change points on the medians, on all cores */
	void *cp_args[2] = { s, (void *)opts };
	if (parallel_run(s->nr, 0, cp_task, cp_args) < 0)
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
	memset(s, 0, sizeof(*s));
}

long series_find(const struct series_set *s, const struct bk_benchmark *b, const char *machine)
{
	for (size_t i = 0; i < s->nr; i++) {
		const struct series *se = &s->items[i];
		if (!strcmp(se->machine, machine ? machine : "") && !strcmp(se->suite, b->suite) &&
		    !strcmp(se->name, b->name) && se->proto->params.nr == b->params.nr) {
			int same = 1;
			for (size_t k = 0; k < b->params.nr && same; k++) {
				const char *v = kvlist_get(&se->proto->params, b->params.items[k].key);
				same = v && !strcmp(v, b->params.items[k].value);
			}
			if (same)
				return (long)i;
		}
	}
	return -1;
}
