#include "cache.h"
#include "atomicfile.h"
#include "error.h"
#include "xalloc.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAGIC "BKSC\x02\0\0\0"
#define MAGIC_LEN 8
#define MAX_SEGMENTS 16

struct entry {
	char blob[41];
	const unsigned char *res; /* encoded result, or NULL */
	size_t res_len;
	char rec_sha[41];
	long long rec_time;
	int has_rec;
	int pending; /* result put in this run: in the new segment, not in memory */
};

struct cache {
	char *dir;
	struct entry *entries; /* open addressing on blob */
	size_t cap, used;
	char **bufs; /* loaded segments and encoded puts, kept alive */
	size_t nbufs, bufs_alloc;
	char **seg_paths;
	size_t nsegs, segs_alloc;
	struct strbuf out; /* the new segment being built (flushed to `seg` in chunks) */
	size_t nout;
	struct atomic_stream seg; /* the new segment file, once out grew big */
	int seg_open;
};

/* ---- encoding ------------------------------------------------------------ */

static void put_u32(struct strbuf *sb, uint32_t v)
{
	strbuf_add(sb, &v, 4);
}

static void put_i64(struct strbuf *sb, int64_t v)
{
	strbuf_add(sb, &v, 8);
}

static void put_f64(struct strbuf *sb, double v)
{
	strbuf_add(sb, &v, 8);
}

static void put_str(struct strbuf *sb, const char *s)
{
	if (!s) {
		put_u32(sb, UINT32_MAX);
		return;
	}
	uint32_t n = (uint32_t)strlen(s);
	put_u32(sb, n);
	strbuf_add(sb, s, n);
}

static void put_kv(struct strbuf *sb, const struct bk_kvlist *l)
{
	put_u32(sb, (uint32_t)l->nr);
	for (size_t i = 0; i < l->nr; i++) {
		put_str(sb, l->items[i].key);
		put_str(sb, l->items[i].value);
	}
}

void cache_encode_result(struct strbuf *sb, const struct bk_result *r)
{
	const struct bk_run *u = &r->run;
	const char *strs[] = { u->id, u->started_at, u->finished_at, u->commit_sha, u->commit_branch,
			       u->ci.provider, u->ci.run_id, u->ci.event, u->ci.ref_name,
			       u->ci.repository, u->ci.sha, u->machine.name, u->machine.os,
			       u->machine.arch, u->machine.cpu_model, u->machine.compiler };
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		put_str(sb, strs[i]);
	put_i64(sb, u->ci.pr);
	put_i64(sb, u->machine.cpu_cores);
	put_f64(sb, u->machine.memory_gb);
	put_kv(sb, &u->machine.extra);
	put_kv(sb, &u->labels);
	put_u32(sb, (uint32_t)r->nbenchmarks);
	for (size_t i = 0; i < r->nbenchmarks; i++) {
		const struct bk_benchmark *b = &r->benchmarks[i];
		put_str(sb, b->suite);
		put_str(sb, b->name);
		put_kv(sb, &b->params);
		put_str(sb, b->unit);
		put_str(sb, b->source);
		put_u32(sb, (uint32_t)b->direction);
		put_u32(sb, (uint32_t)b->nsamples);
		strbuf_add(sb, b->samples, b->nsamples * sizeof(double));
		put_u32(sb, (uint32_t)b->metrics.nr);
		for (size_t k = 0; k < b->metrics.nr; k++) {
			put_str(sb, b->metrics.items[k].key);
			put_f64(sb, b->metrics.items[k].value);
		}
	}
}

struct rd {
	const unsigned char *p, *end;
	int bad;
};

/* Copies the next n bytes into out (zeroed and r->bad set when short). */
static void get_raw(struct rd *r, void *out, size_t n)
{
	if ((size_t)(r->end - r->p) < n) {
		r->bad = 1;
		memset(out, 0, n);
		return;
	}
	memcpy(out, r->p, n);
	r->p += n;
}

static uint32_t get_u32(struct rd *r)
{
	uint32_t v;
	get_raw(r, &v, sizeof(v));
	return v;
}

static int64_t get_i64(struct rd *r)
{
	int64_t v;
	get_raw(r, &v, sizeof(v));
	return v;
}

static double get_f64(struct rd *r)
{
	double v;
	get_raw(r, &v, sizeof(v));
	return v;
}

static char *get_str(struct rd *r)
{
	uint32_t n = get_u32(r);
	if (r->bad || n == UINT32_MAX)
		return NULL;
	if ((size_t)(r->end - r->p) < n) {
		r->bad = 1;
		return NULL;
	}
	char *s = xstrndup((const char *)r->p, n);
	r->p += n;
	return s;
}

static void get_kv(struct rd *r, struct bk_kvlist *l)
{
	uint32_t n = get_u32(r);
	for (uint32_t i = 0; i < n && !r->bad; i++) {
		char *k = get_str(r), *v = get_str(r);
		if (k && v)
			kvlist_set(l, k, v);
		else
			r->bad = 1;
		free(k);
		free(v);
	}
}

int cache_decode_result(const unsigned char *p, size_t len, struct bk_result *out)
{
	struct rd r = { p, p + len, 0 };
	result_init(out);
	struct bk_run *u = &out->run;
	char **strs[] = { &u->id, &u->started_at, &u->finished_at, &u->commit_sha, &u->commit_branch,
			  &u->ci.provider, &u->ci.run_id, &u->ci.event, &u->ci.ref_name,
			  &u->ci.repository, &u->ci.sha, &u->machine.name, &u->machine.os,
			  &u->machine.arch, &u->machine.cpu_model, &u->machine.compiler };
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		*strs[i] = get_str(&r);
	u->ci.pr = (long)get_i64(&r);
	u->machine.cpu_cores = (long)get_i64(&r);
	u->machine.memory_gb = get_f64(&r);
	get_kv(&r, &u->machine.extra);
	get_kv(&r, &u->labels);
	uint32_t nb = get_u32(&r);
	if (!r.bad && nb > RESULT_MAX_BENCHMARKS)
		r.bad = 1;
	for (uint32_t i = 0; i < nb && !r.bad; i++) {
		struct bk_benchmark b;
		memset(&b, 0, sizeof(b));
		b.suite = get_str(&r);
		b.name = get_str(&r);
		get_kv(&r, &b.params);
		b.unit = get_str(&r);
		b.source = get_str(&r);
		b.direction = get_u32(&r) ? BK_BIGGER : BK_SMALLER;
		uint32_t ns = get_u32(&r);
		if (r.bad || (size_t)(r.end - r.p) / sizeof(double) < ns || !b.suite || !b.name) {
			r.bad = 1;
			bench_release(&b);
			break;
		}
		if (ns) {
			b.samples = xmalloc(ns * sizeof(double));
			memcpy(b.samples, r.p, ns * sizeof(double));
			r.p += ns * sizeof(double);
		}
		b.nsamples = b.samples_alloc = ns;
		uint32_t nm = get_u32(&r);
		for (uint32_t k = 0; k < nm && !r.bad; k++) {
			char *key = get_str(&r);
			double v = get_f64(&r);
			if (key)
				metrics_set(&b.metrics, key, v);
			else
				r.bad = 1;
			free(key);
		}
		bench_finalize(&b);
		result_take_benchmark(out, &b);
	}
	if (r.bad || r.p != r.end) {
		result_release(out);
		return -1;
	}
	return 0;
}

/* ---- index ----------------------------------------------------------------- */

static size_t blob_hash(const char *s)
{
	size_t h = 1469598103934665603ULL;
	for (int i = 0; i < 16 && s[i]; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static struct entry *slot(struct cache *c, const char *blob, int create)
{
	if (create && (c->used + 1) * 2 > c->cap) {
		struct entry *old = c->entries;
		size_t oldcap = c->cap;
		c->cap = c->cap ? c->cap * 2 : 1024;
		c->entries = xcalloc(c->cap, sizeof(struct entry));
		c->used = 0;
		for (size_t i = 0; i < oldcap; i++) {
			if (!old[i].blob[0])
				continue;
			struct entry *e = slot(c, old[i].blob, 1);
			*e = old[i];
		}
		free(old);
	}
	if (!c->cap)
		return NULL;
	size_t i = blob_hash(blob) & (c->cap - 1);
	while (c->entries[i].blob[0]) {
		if (!strcmp(c->entries[i].blob, blob))
			return &c->entries[i];
		i = (i + 1) & (c->cap - 1);
	}
	if (!create)
		return NULL;
	memcpy(c->entries[i].blob, blob, 40);
	c->entries[i].blob[40] = '\0';
	c->used++;
	return &c->entries[i];
}

static void keep_buf(struct cache *c, char *buf)
{
	ALLOC_GROW(c->bufs, c->nbufs + 1, c->bufs_alloc);
	c->bufs[c->nbufs++] = buf;
}

/* Walks the entries of a segment body; with `index` set, records them.
 * Returns the number of entries, or -1 when the body is malformed. */
static long walk_segment(struct cache *c, const unsigned char *p, const unsigned char *end, int index)
{
	struct rd r = { p, end, 0 };
	long n = 0;
	while (r.p < r.end && !r.bad) {
		if (r.end - r.p < 41) {
			r.bad = 1;
			break;
		}
		unsigned char kind = *r.p++;
		char blob[41];
		memcpy(blob, r.p, 40);
		blob[40] = '\0';
		r.p += 40;
		if (kind == 1) {
			uint32_t len = get_u32(&r);
			if (r.bad || (size_t)(r.end - r.p) < len) {
				r.bad = 1;
				break;
			}
			if (index) {
				struct entry *e = slot(c, blob, 1);
				e->res = r.p;
				e->res_len = len;
			}
			r.p += len;
		} else if (kind == 2) {
			if (r.end - r.p < 48) {
				r.bad = 1;
				break;
			}
			if (index) {
				struct entry *e = slot(c, blob, 1);
				memcpy(e->rec_sha, r.p, 40);
				e->rec_sha[40] = '\0';
				memcpy(&e->rec_time, r.p + 40, 8);
				e->has_rec = 1;
			}
			r.p += 48;
		} else {
			r.bad = 1;
		}
		n++;
	}
	return r.bad ? -1 : n;
}

/* Loads one segment into the index; 0 when it read back whole. */
static int load_segment(struct cache *c, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	if (strbuf_read_file(&sb, path) < 0 || sb.len < MAGIC_LEN + 12 ||
	    memcmp(sb.buf, MAGIC, MAGIC_LEN) || memcmp(sb.buf + sb.len - 12, "END!", 4)) {
		strbuf_release(&sb);
		return -1;
	}
	uint64_t count;
	memcpy(&count, sb.buf + sb.len - 8, 8);
	size_t len;
	char *buf = strbuf_detach(&sb, &len);
	const unsigned char *body = (const unsigned char *)buf + MAGIC_LEN;
	const unsigned char *end = (const unsigned char *)buf + len - 12;
	long n = walk_segment(c, body, end, 0);
	if (n < 0 || (uint64_t)n != count) {
		free(buf);
		return -1;
	}
	walk_segment(c, body, end, 1);
	keep_buf(c, buf);
	return 0;
}

struct cache *cache_open(const char *dir)
{
	struct cache *c = xcalloc(1, sizeof(*c));
	c->dir = xstrdup(dir);
	strbuf_init(&c->out, 0);
	DIR *d = opendir(dir);
	if (!d)
		return c;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, alloc = 0;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (strncmp(e->d_name, "seg-", 4) || l < 8 || strcmp(e->d_name + l - 4, ".bkc"))
			continue;
		ALLOC_GROW(names, n + 1, alloc);
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	/* oldest first so that newer segments win */
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && strcmp(names[k - 1], names[k]) > 0; k--) {
			char *t = names[k];
			names[k] = names[k - 1];
			names[k - 1] = t;
		}
	for (size_t i = 0; i < n; i++) {
		struct strbuf p = STRBUF_INIT;
		strbuf_addf(&p, "%s/%s", dir, names[i]);
		if (load_segment(c, p.buf) < 0)
			unlink(p.buf); /* unusable: rebuilt from git */
		ALLOC_GROW(c->seg_paths, c->nsegs + 1, c->segs_alloc);
		c->seg_paths[c->nsegs++] = strbuf_detach(&p, NULL);
		free(names[i]);
	}
	free(names);
	return c;
}

void cache_close(struct cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nbufs; i++)
		free(c->bufs[i]);
	free(c->bufs);
	for (size_t i = 0; i < c->nsegs; i++)
		free(c->seg_paths[i]);
	free(c->seg_paths);
	free(c->entries);
	free(c->dir);
	strbuf_release(&c->out);
	if (c->seg_open)
		atomic_stream_abort(&c->seg);
	free(c);
}

int cache_has_result(struct cache *c, const char *blob)
{
	struct entry *e = slot(c, blob, 0);
	return e && (e->res || e->pending);
}

int cache_get_result(struct cache *c, const char *blob, struct bk_result *out)
{
	struct entry *e = slot(c, blob, 0);
	if (!e || !e->res)
		return 0;
	return cache_decode_result(e->res, e->res_len, out) == 0;
}

/* Moves what the new segment holds so far to its file once it is big, so a
 * cold build of 10,000 results never holds all their encodings at once. */
/* Starts a new segment file (a fresh name, the magic written). 0 or -1 with
 * bk_error set. */
static int segment_open(const struct cache *c, struct atomic_stream *seg)
{
	struct strbuf path = STRBUF_INIT;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	strbuf_addf(&path, "%s/seg-%012lld-%09ld-%d.bkc", c->dir, (long long)ts.tv_sec, ts.tv_nsec,
		    (int)getpid());
	int r = atomic_stream_open(seg, path.buf);
	strbuf_release(&path);
	if (r == 0)
		atomic_stream_write(seg, MAGIC, MAGIC_LEN);
	return r;
}

/* Ends a segment of `count` entries (the trailer) and puts it in place. */
static int segment_commit(struct atomic_stream *seg, uint64_t count)
{
	atomic_stream_write(seg, "END!", 4);
	atomic_stream_write(seg, &count, 8);
	return atomic_stream_commit(seg);
}

static void flush_out(struct cache *c, int force)
{
	if (!force && c->out.len < (8u << 20))
		return;
	if (!c->seg_open) {
		if (segment_open(c, &c->seg) < 0)
			return; /* kept in memory; cache_save reports the error */
		c->seg_open = 1;
	}
	atomic_stream_write(&c->seg, c->out.buf, c->out.len);
	strbuf_reset(&c->out);
}

void cache_put_result(struct cache *c, const char *blob, const struct bk_result *r)
{
	strbuf_addch(&c->out, 1);
	strbuf_add(&c->out, blob, 40);
	size_t at = c->out.len;
	put_u32(&c->out, 0);
	cache_encode_result(&c->out, r);
	uint32_t len = (uint32_t)(c->out.len - at - 4);
	struct strbuf tmp = STRBUF_INIT;
	put_u32(&tmp, len);
	memcpy(c->out.buf + at, tmp.buf, 4);
	strbuf_release(&tmp);
	c->nout++;
	struct entry *e = slot(c, blob, 1);
	e->pending = 1;
	flush_out(c, 0);
}

int cache_get_recorded(struct cache *c, const char *blob, char *sha, long long *time)
{
	struct entry *e = slot(c, blob, 0);
	if (!e || !e->has_rec)
		return 0;
	memcpy(sha, e->rec_sha, 41);
	*time = e->rec_time;
	return 1;
}

void cache_put_recorded(struct cache *c, const char *blob, const char *sha, long long time)
{
	struct entry *e = slot(c, blob, 1);
	if (e->has_rec && !strcmp(e->rec_sha, sha) && e->rec_time == time)
		return;
	memset(e->rec_sha, 0, sizeof(e->rec_sha));
	snprintf(e->rec_sha, sizeof(e->rec_sha), "%s", sha);
	e->rec_time = time;
	e->has_rec = 1;
	strbuf_addch(&c->out, 2);
	strbuf_add(&c->out, blob, 40);
	char shabuf[40];
	memset(shabuf, 0, sizeof(shabuf));
	memcpy(shabuf, sha, strnlen(sha, 40));
	strbuf_add(&c->out, shabuf, 40);
	put_i64(&c->out, time);
	c->nout++;
}

static int write_segment(struct cache *c, const struct strbuf *body, uint64_t count)
{
	struct atomic_stream seg;
	if (segment_open(c, &seg) < 0)
		return -1;
	atomic_stream_write(&seg, body->buf, body->len);
	return segment_commit(&seg, count);
}

int cache_save(struct cache *c)
{
	if (!c->nout)
		return 0;
	flush_out(c, 1);
	if (!c->seg_open)
		return bk_error_prefix("cannot save the site cache");
	uint64_t count = c->nout;
	c->seg_open = 0;
	c->nout = 0;
	if (segment_commit(&c->seg, count) < 0)
		return bk_error_prefix("cannot save the site cache");
	if (c->nsegs + 1 <= MAX_SEGMENTS)
		return 0;
	/* compact the segments loaded at open into one (the new one stays) */
	struct strbuf all = STRBUF_INIT;
	count = 0;
	for (size_t i = 0; i < c->cap; i++) {
		struct entry *e = &c->entries[i];
		if (!e->blob[0])
			continue;
		if (e->res && !e->pending) {
			strbuf_addch(&all, 1);
			strbuf_add(&all, e->blob, 40);
			put_u32(&all, (uint32_t)e->res_len);
			strbuf_add(&all, e->res, e->res_len);
			count++;
		}
		if (e->has_rec) {
			char shabuf[40];
			memset(shabuf, 0, sizeof(shabuf));
			memcpy(shabuf, e->rec_sha, strnlen(e->rec_sha, 40));
			strbuf_addch(&all, 2);
			strbuf_add(&all, e->blob, 40);
			strbuf_add(&all, shabuf, 40);
			put_i64(&all, e->rec_time);
			count++;
		}
	}
	int rc = write_segment(c, &all, count);
	strbuf_release(&all);
	if (rc < 0)
		return bk_error_prefix("cannot save the site cache");
	for (size_t i = 0; i < c->nsegs; i++)
		unlink(c->seg_paths[i]);
	return 0;
}
