/* result.c: the result model in memory — key/value lists, metrics,
 * benchmarks and their samples, names and directions. Reading a result
 * from JSON is in result_read.c, writing one in result_write.c (all behind
 * lib/doc/result.h). */
#include "lib/doc/result.h"
#include "lib/base/error.h"
#include "lib/base/escape.h"
#include "lib/base/xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void set_str(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

void kvlist_set(struct bk_kvlist *l, const char *key, const char *value)
{
	for (size_t i = 0; i < l->nr; i++) {
		if (!strcmp(l->items[i].key, key)) {
			set_str(&l->items[i].value, value);
			return;
		}
	}
	ALLOC_GROW(l->items, l->nr + 1, l->alloc);
	l->items[l->nr].key = xstrdup(key);
	l->items[l->nr].value = xstrdup(value);
	l->nr++;
}

int kvlist_set_pair(struct bk_kvlist *l, const char *pair)
{
	const char *eq = strchr(pair, '=');
	if (!eq || eq == pair)
		return -1;
	char *key = xstrndup(pair, (size_t)(eq - pair));
	kvlist_set(l, key, eq + 1);
	free(key);
	return 0;
}

const char *kvlist_get(const struct bk_kvlist *l, const char *key)
{
	for (size_t i = 0; i < l->nr; i++)
		if (!strcmp(l->items[i].key, key))
			return l->items[i].value;
	return NULL;
}

void kvlist_release(struct bk_kvlist *l)
{
	for (size_t i = 0; i < l->nr; i++) {
		free(l->items[i].key);
		free(l->items[i].value);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

void kvlist_copy(struct bk_kvlist *dst, const struct bk_kvlist *src)
{
	memset(dst, 0, sizeof(*dst));
	for (size_t i = 0; i < src->nr; i++)
		kvlist_set(dst, src->items[i].key, src->items[i].value);
}

void metrics_set(struct bk_metrics *m, const char *key, double value)
{
	for (size_t i = 0; i < m->nr; i++) {
		if (!strcmp(m->items[i].key, key)) {
			m->items[i].value = value;
			return;
		}
	}
	ALLOC_GROW(m->items, m->nr + 1, m->alloc);
	m->items[m->nr].key = xstrdup(key);
	m->items[m->nr].value = value;
	m->nr++;
}

int metrics_get(const struct bk_metrics *m, const char *key, double *out)
{
	for (size_t i = 0; i < m->nr; i++) {
		if (!strcmp(m->items[i].key, key)) {
			*out = m->items[i].value;
			return 1;
		}
	}
	return 0;
}

void metrics_release(struct bk_metrics *m)
{
	for (size_t i = 0; i < m->nr; i++)
		free(m->items[i].key);
	free(m->items);
	memset(m, 0, sizeof(*m));
}

void result_init(struct bk_result *r)
{
	memset(r, 0, sizeof(*r));
}

void bench_release(struct bk_benchmark *b)
{
	free(b->suite);
	free(b->name);
	free(b->unit);
	free(b->source);
	free(b->samples);
	free(b->rounds);
	kvlist_release(&b->params);
	metrics_release(&b->metrics);
	memset(b, 0, sizeof(*b));
}

void bench_copy(struct bk_benchmark *dst, const struct bk_benchmark *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->suite = xstrdup(src->suite);
	dst->name = xstrdup(src->name);
	dst->unit = xstrdup(src->unit);
	dst->source = xstrdup(src->source);
	dst->direction = src->direction;
	dst->threshold = src->threshold;
	dst->has_threshold = src->has_threshold;
	kvlist_copy(&dst->params, &src->params);
	for (size_t i = 0; i < src->metrics.nr; i++)
		metrics_set(&dst->metrics, src->metrics.items[i].key, src->metrics.items[i].value);
	if (src->nsamples) {
		dst->samples = xmalloc(src->nsamples * sizeof(double));
		memcpy(dst->samples, src->samples, src->nsamples * sizeof(double));
	}
	dst->nsamples = dst->samples_alloc = src->nsamples;
	if (src->rounds && src->nsamples) {
		dst->rounds = xmalloc(src->nsamples * sizeof(unsigned));
		memcpy(dst->rounds, src->rounds, src->nsamples * sizeof(unsigned));
	}
	dst->noise = src->noise;
	dst->stats = src->stats;
}

static void machine_release(struct bk_machine *m)
{
	free(m->name);
	free(m->os);
	free(m->arch);
	free(m->cpu_model);
	free(m->compiler);
	kvlist_release(&m->extra);
}

static void ci_release(struct bk_ci *c)
{
	free(c->provider);
	free(c->run_id);
	free(c->event);
	free(c->ref_name);
	free(c->repository);
	free(c->sha);
}

void result_release(struct bk_result *r)
{
	struct bk_run *run = &r->run;
	free(run->id);
	free(run->started_at);
	free(run->finished_at);
	free(run->commit_sha);
	free(run->commit_branch);
	ci_release(&run->ci);
	machine_release(&run->machine);
	kvlist_release(&run->labels);
	for (size_t i = 0; i < r->nbenchmarks; i++)
		bench_release(&r->benchmarks[i]);
	free(r->benchmarks);
	result_init(r);
}

struct bk_benchmark *result_add_benchmark(struct bk_result *r, const char *suite, const char *name)
{
	ALLOC_GROW(r->benchmarks, r->nbenchmarks + 1, r->benchmarks_alloc);
	struct bk_benchmark *b = &r->benchmarks[r->nbenchmarks++];
	memset(b, 0, sizeof(*b));
	b->suite = xstrdup(suite);
	b->name = xstrdup(name);
	return b;
}

void result_take_benchmark(struct bk_result *r, struct bk_benchmark *b)
{
	ALLOC_GROW(r->benchmarks, r->nbenchmarks + 1, r->benchmarks_alloc);
	r->benchmarks[r->nbenchmarks++] = *b;
	memset(b, 0, sizeof(*b));
}

static int kvlist_equal(const struct bk_kvlist *a, const struct bk_kvlist *b)
{
	if (a->nr != b->nr)
		return 0;
	for (size_t i = 0; i < a->nr; i++) {
		const char *v = kvlist_get(b, a->items[i].key);
		if (!v || strcmp(v, a->items[i].value))
			return 0;
	}
	return 1;
}

struct bk_benchmark *result_find(const struct bk_result *r, const char *suite, const char *name,
				 const struct bk_kvlist *params)
{
	static const struct bk_kvlist empty;
	if (!params)
		params = &empty;
	for (size_t i = 0; i < r->nbenchmarks; i++) {
		struct bk_benchmark *b = &r->benchmarks[i];
		if (!strcmp(b->suite, suite) && !strcmp(b->name, name) && kvlist_equal(&b->params, params))
			return b;
	}
	return NULL;
}

void bench_add_sample(struct bk_benchmark *b, double v)
{
	size_t old = b->samples_alloc;
	ALLOC_GROW(b->samples, b->nsamples + 1, b->samples_alloc);
	if (b->rounds && b->samples_alloc != old)
		b->rounds = xrealloc(b->rounds, b->samples_alloc * sizeof(unsigned));
	if (b->rounds)
		b->rounds[b->nsamples] = 0;
	b->samples[b->nsamples++] = v;
}

void bench_add_sample_round(struct bk_benchmark *b, double v, unsigned round)
{
	if (!b->rounds)
		b->rounds = xcalloc(b->samples_alloc ? b->samples_alloc : 1, sizeof(unsigned));
	bench_add_sample(b, v);
	b->rounds[b->nsamples - 1] = round;
}

void bench_finalize(struct bk_benchmark *b)
{
	stats_compute(b->samples, b->nsamples, &b->stats);
}

void result_finalize(struct bk_result *r)
{
	for (size_t i = 0; i < r->nbenchmarks; i++)
		bench_finalize(&r->benchmarks[i]);
}

void bench_key(const struct bk_benchmark *b, struct strbuf *sb)
{
	strbuf_addstr(sb, b->suite);
	strbuf_addch(sb, 0x1f);
	strbuf_addstr(sb, b->name);
	for (size_t i = 0; i < b->params.nr; i++)
		strbuf_addf(sb, "\x1f%s=%s", b->params.items[i].key, b->params.items[i].value);
}

void bench_slug(const struct bk_benchmark *b, const char *machine, struct strbuf *sb)
{
	struct strbuf full = STRBUF_INIT, readable = STRBUF_INIT;
	bench_key(b, &full);
	strbuf_addf(&full, "\x1e%s", machine);
	strbuf_addf(&readable, "%s-%s%s%s", b->suite, b->name, *machine ? "-" : "", machine);
	escape_slug(sb, readable.buf, full.buf);
	strbuf_release(&readable);
	strbuf_release(&full);
}

const char *direction_name(enum bk_direction d)
{
	return d == BK_BIGGER ? "bigger" : "smaller";
}

int direction_parse(const char *s, enum bk_direction *out)
{
	if (!strcmp(s, "smaller")) {
		*out = BK_SMALLER;
		return 0;
	}
	if (!strcmp(s, "bigger")) {
		*out = BK_BIGGER;
		return 0;
	}
	return -1;
}

enum bk_direction direction_for_unit(const char *unit)
{
	size_t n = unit ? strlen(unit) : 0;
	if (n >= 2 && !strcmp(unit + n - 2, "/s"))
		return BK_BIGGER;
	if (n >= 4 && !strcmp(unit + n - 4, "/sec"))
		return BK_BIGGER;
	if (unit && (!strcmp(unit, "Hz") || !strcmp(unit, "ops") || !strcmp(unit, "items") ||
		     !strcmp(unit, "throughput")))
		return BK_BIGGER;
	return BK_SMALLER;
}
