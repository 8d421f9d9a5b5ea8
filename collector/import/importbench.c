/* importbench: building the result of an import (see importbench.h). */
#include "collector/import/importbench.h"
#include "collector/store.h"
#include "lib/base/error.h"
#include "lib/base/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* benchmarks                                                          */

size_t importcore_utf8_invalid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t len;
		unsigned long min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			len = 2;
			min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3;
			min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			len = 4;
			min = 0x10000;
		} else {
			return i;
		}
		if (i + len > n)
			return i;
		unsigned long cp = c & (0x7F >> len);
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += len;
	}
	return n;
}

int importcore_check_name(const struct import_ctx *ctx, const char *where, const char *s, size_t n,
			  int nonempty)
{
	if (nonempty && n == 0)
		return importcore_error_path(ctx, where, "empty name");
	if (n > RESULT_MAX_NAME)
		return importcore_error_path(ctx, where, "too long (%zu bytes, limit %d)", n,
					     RESULT_MAX_NAME);
	if (memchr(s, '\0', n))
		return importcore_error_path(ctx, where, "NUL byte in a name");
	size_t bad = importcore_utf8_invalid(s, n);
	if (bad < n)
		return importcore_error_path(ctx, where, "invalid UTF-8 at byte %zu", bad + 1);
	return 0;
}

static unsigned long long key_hash(const char *suite, const char *name,
				   const struct bk_kvlist *p)
{
	unsigned long long h = 1469598103934665603ULL;
	const char *parts[2] = { suite, name };
	for (int k = 0; k < 2; k++) {
		for (const unsigned char *s = (const unsigned char *)parts[k]; *s; s++)
			h = (h ^ *s) * 1099511628211ULL;
		h = (h ^ 0x1f) * 1099511628211ULL;
	}
	for (size_t i = 0; p && i < p->nr; i++) {
		for (const unsigned char *s = (const unsigned char *)p->items[i].key; *s; s++)
			h = (h ^ *s) * 1099511628211ULL;
		h = (h ^ '=') * 1099511628211ULL;
		for (const unsigned char *s = (const unsigned char *)p->items[i].value; *s; s++)
			h = (h ^ *s) * 1099511628211ULL;
		h = (h ^ 0x1e) * 1099511628211ULL;
	}
	return h;
}

static int same_bench(const struct bk_benchmark *b, const char *suite, const char *name,
		      const struct bk_kvlist *p)
{
	size_t np = p ? p->nr : 0;
	if (strcmp(b->name, name) || strcmp(b->suite, suite) || b->params.nr != np)
		return 0;
	for (size_t i = 0; i < np; i++) {
		const char *v = kvlist_get(&b->params, p->items[i].key);
		if (!v || strcmp(v, p->items[i].value))
			return 0;
	}
	return 1;
}

static void index_put(struct importcore_index *ix, unsigned long long h, size_t bench)
{
	size_t i = (size_t)h & (ix->cap - 1);
	while (ix->slots[i])
		i = (i + 1) & (ix->cap - 1);
	ix->slots[i] = bench + 1;
	ix->hashes[i] = h;
	ix->nr++;
}

static void index_grow(struct importcore_index *ix)
{
	size_t old_cap = ix->cap;
	size_t *old_slots = ix->slots;
	unsigned long long *old_hashes = ix->hashes;
	ix->cap = old_cap ? old_cap * 2 : 64;
	ix->slots = xcalloc(ix->cap, sizeof(*ix->slots));
	ix->hashes = xcalloc(ix->cap, sizeof(*ix->hashes));
	ix->nr = 0;
	for (size_t i = 0; i < old_cap; i++)
		if (old_slots[i])
			index_put(ix, old_hashes[i], old_slots[i] - 1);
	free(old_slots);
	free(old_hashes);
}

void importcore_index_init(struct importcore_index *ix, struct bk_result *r)
{
	memset(ix, 0, sizeof(*ix));
	ix->r = r;
	index_grow(ix);
	for (size_t i = 0; i < r->nbenchmarks; i++) {
		const struct bk_benchmark *b = &r->benchmarks[i];
		if ((ix->nr + 1) * 2 > ix->cap)
			index_grow(ix);
		index_put(ix, key_hash(b->suite, b->name, &b->params), i);
	}
}

void importcore_index_release(struct importcore_index *ix)
{
	free(ix->slots);
	free(ix->hashes);
	memset(ix, 0, sizeof(*ix));
}

static struct bk_benchmark *index_find(struct importcore_index *ix, unsigned long long h,
				       const char *suite, const char *name,
				       const struct bk_kvlist *params)
{
	for (size_t i = (size_t)h & (ix->cap - 1); ix->slots[i]; i = (i + 1) & (ix->cap - 1)) {
		if (ix->hashes[i] != h)
			continue;
		struct bk_benchmark *b = &ix->r->benchmarks[ix->slots[i] - 1];
		if (same_bench(b, suite, name, params))
			return b;
	}
	return NULL;
}

int importcore_each_line(const struct import_ctx *ctx, const char *buf, size_t len,
			 struct bk_result *r, importcore_line_fn fn)
{
	if (importcore_check_text(ctx, buf, len) < 0)
		return -1;
	struct importcore_index ix;
	importcore_index_init(&ix, r);
	struct importcore_lines it;
	importcore_lines_init(&it, buf, len);
	int rc = 0;
	while (importcore_lines_next(&it)) {
		if (fn(ctx, buf, len, &ix, &it) < 0) {
			rc = -1;
			break;
		}
	}
	importcore_index_release(&ix);
	return rc;
}

struct bk_benchmark *importcore_find(struct importcore_index *ix, const char *suite,
				     const char *name, const struct bk_kvlist *params)
{
	return index_find(ix, key_hash(suite, name, params), suite, name, params);
}

struct bk_benchmark *importcore_bench(struct importcore_index *ix, const char *suite,
				      const char *name, const struct bk_kvlist *params,
				      const char *unit)
{
	struct bk_result *r = ix->r;
	unsigned long long h = key_hash(suite, name, params);
	struct bk_benchmark *found = index_find(ix, h, suite, name, params);
	if (found)
		return found;
	if ((ix->nr + 1) * 2 > ix->cap)
		index_grow(ix);
	struct bk_benchmark *b = result_add_benchmark(r, suite, name);
	if (params)
		kvlist_copy(&b->params, params);
	set_str(&b->unit, unit);
	b->direction = direction_for_unit(unit);
	index_put(ix, h, r->nbenchmarks - 1);
	return b;
}

void importcore_means_init(struct importcore_means *m, struct bk_result *r)
{
	memset(m, 0, sizeof(*m));
	m->r = r;
	m->base = 0;
}

static struct importcore_mean_acc *means_acc(struct importcore_means *m, size_t i)
{
	i -= m->base;
	if (i >= m->nacc) {
		ALLOC_GROW(m->acc, i + 1, m->alloc);
		memset(m->acc + m->nacc, 0, (i + 1 - m->nacc) * sizeof(*m->acc));
		m->nacc = i + 1;
	}
	return &m->acc[i];
}

void importcore_means_add(struct importcore_means *m, const struct bk_benchmark *b,
			  const char *key, double v)
{
	size_t i = (size_t)(b - m->r->benchmarks);
	if (i < m->base || i >= m->r->nbenchmarks || !isfinite(v))
		return;
	struct importcore_mean_acc *a = means_acc(m, i);
	double s = 0, n = 0;
	metrics_get(&a->sum, key, &s);
	metrics_get(&a->cnt, key, &n);
	metrics_set(&a->sum, key, s + v);
	metrics_set(&a->cnt, key, n + 1);
}

void importcore_means_finish(struct importcore_means *m)
{
	for (size_t i = 0; i < m->nacc && m->base + i < m->r->nbenchmarks; i++) {
		struct bk_benchmark *b = &m->r->benchmarks[m->base + i];
		struct importcore_mean_acc *a = &m->acc[i];
		for (size_t k = 0; k < a->sum.nr; k++) {
			double n = 1;
			metrics_get(&a->cnt, a->sum.items[k].key, &n);
			metrics_set(&b->metrics, a->sum.items[k].key, a->sum.items[k].value / n);
		}
	}
}

void importcore_means_release(struct importcore_means *m)
{
	for (size_t i = 0; i < m->nacc; i++) {
		metrics_release(&m->acc[i].sum);
		metrics_release(&m->acc[i].cnt);
	}
	free(m->acc);
	memset(m, 0, sizeof(*m));
}

int importcore_add_sample(const struct import_ctx *ctx, const char *where, struct bk_benchmark *b,
			  double v)
{
	if (!isfinite(v))
		return importcore_error_path(ctx, where, "not a finite number");
	if (b->nsamples >= RESULT_MAX_SAMPLES)
		return importcore_error_path(ctx, where, "too many samples (limit %d)",
					     RESULT_MAX_SAMPLES);
	bench_add_sample(b, v);
	return 0;
}

int importcore_metric(const struct import_ctx *ctx, const char *where, struct bk_benchmark *b,
		      const char *key, double v)
{
	if (importcore_check_name(ctx, where, key, strlen(key), 1) < 0)
		return -1;
	if (isfinite(v))
		metrics_set(&b->metrics, key, v);
	return 0;
}

void importcore_count(struct bk_benchmark *b, const char *key, double add)
{
	double v = 0;
	metrics_get(&b->metrics, key, &v);
	metrics_set(&b->metrics, key, v + add);
}

void importcore_error_rate(struct bk_benchmark *b)
{
	double ok = 0, failed = 0;
	int has = metrics_get(&b->metrics, "successful_ops", &ok);
	has |= metrics_get(&b->metrics, "failed_ops", &failed);
	if (has)
		metrics_set(&b->metrics, "error_rate", ok + failed > 0 ? failed / (ok + failed) : 0);
}

int importcore_summary_only(const struct import_ctx *ctx, const char *where,
			    struct bk_benchmark *b, double value)
{
	if (importcore_add_sample(ctx, where, b, value) < 0)
		return -1;
	metrics_set(&b->metrics, "summary_only", 1);
	return 0;
}

int importcore_check_len(const struct import_ctx *ctx, const char *path, const char *s, int nonempty)
{
	if (nonempty && !*s)
		return importcore_error_path(ctx, path, "must not be empty");
	if (strlen(s) > RESULT_MAX_NAME)
		return importcore_error_path(ctx, path, "too long (%zu bytes, limit %d)", strlen(s),
					     RESULT_MAX_NAME);
	return 0;
}

struct bk_benchmark *importcore_add_bench(const struct import_ctx *ctx, struct bk_result *out,
					  const char *name, const char *unit, enum bk_direction direction)
{
	struct bk_benchmark *b = result_add_benchmark(out, ctx->suite, name);
	set_str(&b->unit, unit);
	b->direction = direction;
	return b;
}

/* ------------------------------------------------------------------ */
/* indexes by key                                                      */

struct importcore_keyindex_entry {
	size_t off, n; /* key bytes in the index's arena */
	size_t pos1;   /* position + 1; 0: empty slot */
	size_t hash;
};

/* FNV-1a of the key, finished so that its low bits spread. */
static size_t keyindex_hash(const char *s, size_t n)
{
	unsigned long long h = 1469598103934665603ULL; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	h ^= h >> 33; /* murmur3 finaliser: FNV's low bits alone cluster */
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (size_t)h;
}

/* Slot of key: the one holding it, or the empty one where it would go. */
static struct importcore_keyindex_entry *keyindex_slot(const struct importcore_keyindex *ix, const char *key, size_t n,
				      size_t hash)
{
	size_t h = hash & (ix->cap - 1);
	for (; ix->slots[h].pos1; h = (h + 1) & (ix->cap - 1))
		if (ix->slots[h].hash == hash && ix->slots[h].n == n &&
		    !memcmp(ix->keys.buf + ix->slots[h].off, key, n))
			break;
	return &ix->slots[h];
}

size_t importcore_keyindex_get(const struct importcore_keyindex *ix, const char *key, size_t n)
{
	if (!ix->cap)
		return (size_t)-1;
	struct importcore_keyindex_entry *e = keyindex_slot(ix, key, n, keyindex_hash(key, n));
	return e->pos1 ? e->pos1 - 1 : (size_t)-1;
}

void importcore_keyindex_put(struct importcore_keyindex *ix, const char *key, size_t n, size_t pos)
{
	size_t hash = keyindex_hash(key, n);
	if (2 * (ix->count + 1) > ix->cap) {
		struct importcore_keyindex_entry *old = ix->slots;
		size_t oldcap = ix->cap;
		ix->cap = oldcap ? oldcap * 2 : 64;
		ix->slots = xcalloc(ix->cap, sizeof(*ix->slots));
		for (size_t i = 0; i < oldcap; i++) {
			if (!old[i].pos1)
				continue;
			size_t h = old[i].hash & (ix->cap - 1);
			while (ix->slots[h].pos1)
				h = (h + 1) & (ix->cap - 1);
			ix->slots[h] = old[i];
		}
		free(old);
	}
	struct importcore_keyindex_entry *e = keyindex_slot(ix, key, n, hash);
	if (!e->pos1) {
		e->off = ix->keys.len;
		e->n = n;
		e->hash = hash;
		strbuf_add(&ix->keys, key, n);
		ix->count++;
	}
	e->pos1 = pos + 1;
}

void importcore_keyindex_release(struct importcore_keyindex *ix)
{
	free(ix->slots);
	strbuf_release(&ix->keys);
	ix->slots = NULL;
	ix->cap = ix->count = 0;
}

/* ------------------------------------------------------------------ */
/* run facts                                                           */

int importcore_run_str(const struct import_ctx *ctx, const char *path, char **field,
		       const char *value)
{
	if (!value || !*value)
		return 0;
	if (importcore_check_name(ctx, path, value, strlen(value), 0) < 0)
		return -1;
	set_str(field, value);
	return 0;
}


int importcore_machine_extra(const struct import_ctx *ctx, const char *path,
			     struct bk_result *out, const char *key, const char *value)
{
	if (!value || !*value)
		return 0;
	if (importcore_check_name(ctx, path, value, strlen(value), 0) < 0)
		return -1;
	kvlist_set(&out->run.machine.extra, key, value);
	return 0;
}


void importcore_set_started(struct bk_result *out, time_t t)
{
	char ts[32];
	store_format_time(ts, sizeof(ts), t);
	set_str(&out->run.started_at, ts);
}

