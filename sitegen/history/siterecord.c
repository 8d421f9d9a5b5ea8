/* siterecord: the compact form of a result for the site (see siterecord.h).
 *
 * Layout (host byte order: the cache is a local file, never shared):
 *   record:     str id, started_at, commit_sha, commit_branch, machine;
 *               i64 pr; u32 nbench; nbench x bench
 *   bench:      u32 def; u32 n; f64 median, min, max, ci_low, ci_high;
 *               f64 samples[n]
 *   definition: str suite, name, unit, source; u32 direction; u32 nparams;
 *               nparams x (str key, str value)
 *   str:        u32 length (UINT32_MAX: absent), bytes, NUL (when present) */
#include "sitegen/history/siterecord.h"

#include <stdlib.h>
#include <string.h>

#include "lib/base/xalloc.h"

#define BENCH_FIXED (4 + 4 + 5 * 8)

/* ---- writing ------------------------------------------------------------- */

static void put_u32(struct strbuf *sb, uint32_t v)
{
	strbuf_add(sb, &v, 4);
}

static void put_str(struct strbuf *sb, const char *s)
{
	if (!s) {
		put_u32(sb, UINT32_MAX);
		return;
	}
	size_t n = strlen(s);
	put_u32(sb, (uint32_t)n);
	strbuf_add(sb, s, n + 1);
}

/* The full definition key of b (suite, name, params, unit, source,
 * direction) into sb, after its ident key (bench_key) of *ident_len bytes. */
static void full_key(const struct bk_benchmark *b, struct strbuf *sb, size_t *ident_len)
{
	strbuf_reset(sb);
	bench_key(b, sb);
	*ident_len = sb->len;
	strbuf_addf(sb, "\x1e%s\x1e%s\x1e%d", b->unit ? b->unit : "\x01", b->source ? b->source : "\x01",
		    (int)b->direction);
}

void def_table_init(struct def_table *t)
{
	memset(t, 0, sizeof(*t));
	pthread_mutex_init(&t->lock, NULL);
}

void def_table_release(struct def_table *t)
{
	for (size_t i = 0; i < t->nr; i++)
		free(t->items[i].params.items);
	free(t->items);
	strmap_release(&t->by_def);
	strmap_release(&t->by_ident);
	strmap_release(&t->pool);
	pthread_mutex_destroy(&t->lock);
	memset(t, 0, sizeof(*t));
}

/* def_table_intern with the key already built (lock held by the caller). */
static uint32_t intern_locked(struct def_table *t, const struct bk_benchmark *b, struct strbuf *key,
			      size_t ident_len)
{
	int fresh;
	uint32_t *slot = strmap_slot(&t->by_def, key->buf, &fresh);
	if (!fresh)
		return *slot;
	*slot = (uint32_t)t->nr;
	ALLOC_GROW(t->items, t->nr + 1, t->alloc);
	struct bench_def *d = &t->items[t->nr++];
	memset(d, 0, sizeof(*d));
	d->suite = strmap_intern(&t->pool, b->suite);
	d->name = strmap_intern(&t->pool, b->name);
	d->unit = strmap_intern(&t->pool, b->unit);
	d->source = strmap_intern(&t->pool, b->source);
	d->direction = b->direction;
	if (b->params.nr) {
		d->params.items = xcalloc(b->params.nr, sizeof(*d->params.items));
		d->params.nr = d->params.alloc = b->params.nr;
		for (size_t i = 0; i < b->params.nr; i++) {
			/* pooled strings: the table owns them, the list only points */
			d->params.items[i].key = (char *)strmap_intern(&t->pool, b->params.items[i].key);
			d->params.items[i].value = (char *)strmap_intern(&t->pool, b->params.items[i].value);
		}
	}
	strbuf_setlen(key, ident_len);
	uint32_t *id = strmap_slot(&t->by_ident, key->buf, &fresh);
	if (fresh)
		*id = t->nident++;
	d->ident = *id;
	return (uint32_t)(t->nr - 1);
}

static uint32_t intern_with(struct def_table *t, const struct bk_benchmark *b, struct strbuf *key)
{
	size_t ident_len;
	full_key(b, key, &ident_len);
	pthread_mutex_lock(&t->lock);
	uint32_t id = intern_locked(t, b, key, ident_len);
	pthread_mutex_unlock(&t->lock);
	return id;
}

uint32_t def_table_intern(struct def_table *t, const struct bk_benchmark *b)
{
	struct strbuf key = STRBUF_INIT;
	uint32_t id = intern_with(t, b, &key);
	strbuf_release(&key);
	return id;
}

void def_encode(struct strbuf *sb, const struct bench_def *d)
{
	put_str(sb, d->suite);
	put_str(sb, d->name);
	put_str(sb, d->unit);
	put_str(sb, d->source);
	put_u32(sb, (uint32_t)d->direction);
	put_u32(sb, (uint32_t)d->params.nr);
	for (size_t i = 0; i < d->params.nr; i++) {
		put_str(sb, d->params.items[i].key);
		put_str(sb, d->params.items[i].value);
	}
}

void def_key(const struct bench_def *d, struct strbuf *sb)
{
	struct bk_benchmark b;
	memset(&b, 0, sizeof(b));
	b.suite = (char *)d->suite;
	b.name = (char *)d->name;
	b.params = d->params;
	bench_key(&b, sb);
}

void record_encode(struct strbuf *sb, const struct bk_result *r, struct def_table *t)
{
	const struct bk_run *u = &r->run;
	put_str(sb, u->id);
	put_str(sb, u->started_at);
	put_str(sb, u->commit_sha);
	put_str(sb, u->commit_branch);
	put_str(sb, u->machine.name);
	int64_t pr = u->ci.pr;
	strbuf_add(sb, &pr, 8);
	put_u32(sb, (uint32_t)r->nbenchmarks);
	struct strbuf key = STRBUF_INIT;
	for (size_t i = 0; i < r->nbenchmarks; i++) {
		const struct bk_benchmark *b = &r->benchmarks[i];
		put_u32(sb, intern_with(t, b, &key));
		put_u32(sb, (uint32_t)b->nsamples);
		double v[5] = { b->stats.median, b->stats.min, b->stats.max, b->stats.ci_low,
				b->stats.ci_high };
		strbuf_add(sb, v, sizeof(v));
		strbuf_add(sb, b->samples, b->nsamples * sizeof(double));
	}
	strbuf_release(&key);
}

/* ---- reading ------------------------------------------------------------- */

struct rd {
	const unsigned char *p, *end;
	int bad;
};

static uint32_t get_u32(struct rd *r)
{
	uint32_t v = 0;
	if (r->end - r->p < 4) {
		r->bad = 1;
		return 0;
	}
	memcpy(&v, r->p, 4);
	r->p += 4;
	return v;
}

/* A string in place (NULL when absent or bad). */
static const char *get_str(struct rd *r)
{
	uint32_t n = get_u32(r);
	if (r->bad || n == UINT32_MAX)
		return NULL;
	if ((size_t)(r->end - r->p) <= n || r->p[n] != '\0' || memchr(r->p, 0, n)) {
		r->bad = 1;
		return NULL;
	}
	const char *s = (const char *)r->p;
	r->p += n + 1;
	return s;
}

uint32_t def_table_intern_encoded(struct def_table *t, const unsigned char *p, size_t len)
{
	struct rd r = { p, p + len, 0 };
	struct bk_benchmark b;
	memset(&b, 0, sizeof(b));
	b.suite = (char *)get_str(&r);
	b.name = (char *)get_str(&r);
	b.unit = (char *)get_str(&r);
	b.source = (char *)get_str(&r);
	uint32_t dir = get_u32(&r);
	uint32_t np = get_u32(&r);
	if (r.bad || !b.suite || !b.name || dir > 1 || np > RESULT_MAX_KEYS)
		return UINT32_MAX;
	b.direction = dir ? BK_BIGGER : BK_SMALLER;
	struct bk_kv *kv = np ? xcalloc(np, sizeof(*kv)) : NULL;
	for (uint32_t i = 0; i < np && !r.bad; i++) {
		kv[i].key = (char *)get_str(&r);
		kv[i].value = (char *)get_str(&r);
		if (!kv[i].key || !kv[i].value)
			r.bad = 1;
	}
	uint32_t id = UINT32_MAX;
	if (!r.bad && r.p == r.end) {
		b.params.items = kv;
		b.params.nr = b.params.alloc = np;
		id = def_table_intern(t, &b);
	}
	free(kv);
	return id;
}

int record_open(const unsigned char *p, size_t len, uint32_t ndefs, struct record *out)
{
	struct rd r = { p, p + len, 0 };
	memset(out, 0, sizeof(*out));
	out->id = get_str(&r);
	out->started_at = get_str(&r);
	out->commit_sha = get_str(&r);
	out->commit_branch = get_str(&r);
	out->machine = get_str(&r);
	if (r.bad || r.end - r.p < 12)
		return -1;
	int64_t pr;
	memcpy(&pr, r.p, 8);
	r.p += 8;
	out->pr = pr;
	out->nbench = get_u32(&r);
	out->bench = r.p;
	out->end = r.end;
	for (uint32_t i = 0; i < out->nbench; i++) {
		if (r.end - r.p < BENCH_FIXED)
			return -1;
		uint32_t def, n;
		memcpy(&def, r.p, 4);
		memcpy(&n, r.p + 4, 4);
		if (def >= ndefs || (size_t)(r.end - r.p - BENCH_FIXED) / 8 < n)
			return -1;
		r.p += BENCH_FIXED + (size_t)n * 8;
	}
	return r.p == r.end ? 0 : -1;
}

const unsigned char *record_next(const unsigned char *p, struct record_bench *out)
{
	memcpy(&out->def, p, 4);
	memcpy(&out->n, p + 4, 4);
	double v[5];
	memcpy(v, p + 8, sizeof(v));
	out->median = v[0];
	out->min = v[1];
	out->max = v[2];
	out->ci_low = v[3];
	out->ci_high = v[4];
	out->samples = p + BENCH_FIXED;
	return p + BENCH_FIXED + (size_t)out->n * 8;
}

void record_samples(const unsigned char *p, uint32_t n, double *out)
{
	memcpy(out, p, (size_t)n * 8);
}
