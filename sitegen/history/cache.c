/* cache: segments of records, recorded commits and definitions (see
 * cache.h).
 *
 * Segment: MAGIC, entries, "END!", u64 number of entries. Entries:
 *   1 blob[40] u32 len record     a result (siterecord.h), numbered as the
 *                                 segment's definitions
 *   2 blob[40] sha[40] i64 time   the commit that recorded blob
 *   3 u32 number u32 len def      a definition (def_encode), before the
 *                                 records that use its number */
#include "sitegen/history/cache.h"
#include "lib/base/atomicfile.h"
#include "lib/base/error.h"
#include "lib/base/xalloc.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAGIC "BKSC\x03\0\0\0"
#define MAGIC_LEN 8
#define TRAILER_LEN 12
#define MAX_SEGMENTS 16
#define MAX_DEF_NUMBER (1u << 24)

struct segment {
	unsigned char *map;
	size_t len;
	uint32_t *defmap; /* the segment's definition numbers -> the table's */
	uint32_t ndefmap;
};

struct entry {
	char blob[41];
	const unsigned char *res; /* record, or NULL */
	size_t res_len;
	const struct segment *seg; /* where res lives */
	char rec_sha[41];
	long long rec_time;
	int has_rec;
	int pending; /* record put in this run: in the new segment */
	int used;    /* looked up by this build: kept by a compaction */
};

struct cache {
	char *dir;
	struct def_table *defs;
	struct entry *entries; /* open addressing on blob */
	size_t cap, used;
	struct segment *segs;
	size_t nsegs;
	char **seg_paths; /* every segment file found, read back or not */
	size_t npaths;
	struct strbuf out; /* the new segment being built (flushed to `seg` in chunks) */
	size_t nout;
	unsigned char *emitted; /* definitions already written to the new segment */
	size_t nemitted;
	struct atomic_stream seg; /* the new segment file, once out grew big */
	int seg_open;
};

static void put_u32(struct strbuf *sb, uint32_t v)
{
	strbuf_add(sb, &v, 4);
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

static int is_hex40(const unsigned char *p)
{
	for (int i = 0; i < 40; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
			return 0;
	return 1;
}

/* Walks the entries of segment s; with `index` set, records them (the
 * definitions are interned on the first walk). Returns the number of
 * entries, or -1 when the segment is malformed. */
static long walk_segment(struct cache *c, struct segment *s, int index)
{
	const unsigned char *p = s->map + MAGIC_LEN, *end = s->map + s->len - TRAILER_LEN;
	long n = 0;
	while (p < end) {
		unsigned char kind = *p++;
		uint32_t len;
		if (kind == 3) {
			uint32_t num;
			if (end - p < 8)
				return -1;
			memcpy(&num, p, 4);
			memcpy(&len, p + 4, 4);
			p += 8;
			if ((size_t)(end - p) < len || num >= MAX_DEF_NUMBER)
				return -1;
			if (!index) {
				uint32_t id = def_table_intern_encoded(c->defs, p, len);
				if (id == UINT32_MAX)
					return -1;
				if (num >= s->ndefmap) {
					uint32_t nn = num + 1;
					s->defmap = xrealloc(s->defmap, nn * sizeof(uint32_t));
					for (uint32_t k = s->ndefmap; k < nn; k++)
						s->defmap[k] = UINT32_MAX;
					s->ndefmap = nn;
				}
				s->defmap[num] = id;
			}
			p += len;
			n++;
			continue;
		}
		if (end - p < 40 || !is_hex40(p))
			return -1;
		char blob[41];
		memcpy(blob, p, 40);
		blob[40] = '\0';
		p += 40;
		if (kind == 1) {
			if (end - p < 4)
				return -1;
			memcpy(&len, p, 4);
			p += 4;
			if ((size_t)(end - p) < len)
				return -1;
			if (index) {
				struct entry *e = slot(c, blob, 1);
				e->res = p;
				e->res_len = len;
				e->seg = s;
			}
			p += len;
		} else if (kind == 2) {
			if (end - p < 48)
				return -1;
			if (index) {
				struct entry *e = slot(c, blob, 1);
				memcpy(e->rec_sha, p, 40);
				e->rec_sha[40] = '\0';
				memcpy(&e->rec_time, p + 40, 8);
				e->has_rec = 1;
			}
			p += 48;
		} else {
			return -1;
		}
		n++;
	}
	return n;
}

/* Maps one segment and indexes it; 0 when it read back whole. */
static int load_segment(struct cache *c, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) < 0 || st.st_size < MAGIC_LEN + TRAILER_LEN) {
		close(fd);
		return -1;
	}
	struct segment s = { 0 };
	s.len = (size_t)st.st_size;
	void *m = mmap(NULL, s.len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return -1;
	s.map = m;
	uint64_t count;
	memcpy(&count, s.map + s.len - 8, 8);
	if (memcmp(s.map, MAGIC, MAGIC_LEN) || memcmp(s.map + s.len - TRAILER_LEN, "END!", 4)) {
		munmap(s.map, s.len);
		return -1;
	}
	long n = walk_segment(c, &s, 0);
	if (n < 0 || (uint64_t)n != count) {
		munmap(s.map, s.len);
		free(s.defmap);
		return -1;
	}
	c->segs[c->nsegs] = s; /* reserved by cache_open: entries point at it */
	walk_segment(c, &c->segs[c->nsegs], 1);
	c->nsegs++;
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct cache *cache_open(const char *dir, struct def_table *defs)
{
	struct cache *c = xcalloc(1, sizeof(*c));
	c->dir = xstrdup(dir);
	c->defs = defs;
	strbuf_init(&c->out, 0);
	DIR *d = opendir(dir);
	if (!d)
		return c;
	struct dirent *e;
	size_t alloc = 0;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (strncmp(e->d_name, "seg-", 4) || l < 8 || strcmp(e->d_name + l - 4, ".bkc"))
			continue;
		ALLOC_GROW(c->seg_paths, c->npaths + 1, alloc);
		c->seg_paths[c->npaths++] = xstrdup(e->d_name);
	}
	closedir(d);
	/* oldest first so that newer segments win */
	if (c->npaths)
		qsort(c->seg_paths, c->npaths, sizeof(char *), cmp_name);
	/* entries point into the segments: the array must not move while
	 * loading, so reserve it */
	c->segs = xcalloc(c->npaths ? c->npaths : 1, sizeof(*c->segs));
	for (size_t i = 0; i < c->npaths; i++) {
		struct strbuf p = STRBUF_INIT;
		strbuf_addf(&p, "%s/%s", dir, c->seg_paths[i]);
		if (load_segment(c, p.buf) < 0)
			unlink(p.buf); /* unusable: rebuilt from git */
		free(c->seg_paths[i]);
		c->seg_paths[i] = strbuf_detach(&p, NULL);
	}
	return c;
}

void cache_close(struct cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nsegs; i++) {
		munmap(c->segs[i].map, c->segs[i].len);
		free(c->segs[i].defmap);
	}
	free(c->segs);
	for (size_t i = 0; i < c->npaths; i++)
		free(c->seg_paths[i]);
	free(c->seg_paths);
	free(c->entries);
	free(c->dir);
	free(c->emitted);
	strbuf_release(&c->out);
	if (c->seg_open)
		atomic_stream_abort(&c->seg);
	free(c);
}

int cache_has_result(struct cache *c, const char *blob)
{
	struct entry *e = slot(c, blob, 0);
	if (e)
		e->used = 1;
	return e && (e->res || e->pending);
}

int cache_get_record(struct cache *c, const char *blob, const unsigned char **rec, size_t *len,
		     const uint32_t **defmap, uint32_t *ndefmap)
{
	struct entry *e = slot(c, blob, 0);
	if (!e || !e->res)
		return 0;
	*rec = e->res;
	*len = e->res_len;
	*defmap = e->seg->defmap;
	*ndefmap = e->seg->ndefmap;
	return 1;
}

/* ---- writing ------------------------------------------------------------------ */

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

/* Moves what the new segment holds so far to its file once it is big, so a
 * cold build of 10,000 results never holds all their encodings twice. */
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

/* Writes definition `id` of the table into sb once per segment. */
static void emit_def(struct cache *c, struct strbuf *sb, uint32_t id, size_t *count)
{
	if (id >= c->nemitted) {
		size_t n = c->defs->nr > id ? c->defs->nr : id + 1;
		c->emitted = xrealloc(c->emitted, n);
		memset(c->emitted + c->nemitted, 0, n - c->nemitted);
		c->nemitted = n;
	}
	if (c->emitted[id])
		return;
	c->emitted[id] = 1;
	strbuf_addch(sb, 3);
	put_u32(sb, id);
	size_t at = sb->len;
	put_u32(sb, 0);
	def_encode(sb, &c->defs->items[id]);
	uint32_t len = (uint32_t)(sb->len - at - 4);
	memcpy(sb->buf + at, &len, 4);
	(*count)++;
}

/* Appends blob's record to sb, renumbered to the table through defmap
 * (NULL: already), after the definitions it uses. */
static void put_record(struct cache *c, struct strbuf *sb, const char *blob, const unsigned char *rec,
		       size_t len, const uint32_t *defmap, uint32_t ndefmap, size_t *count)
{
	struct record r;
	if (record_open(rec, len, defmap ? ndefmap : (uint32_t)c->defs->nr, &r) < 0)
		return;
	const unsigned char *p = r.bench;
	for (uint32_t i = 0; i < r.nbench; i++) {
		struct record_bench b;
		p = record_next(p, &b);
		emit_def(c, sb, defmap ? defmap[b.def] : b.def, count);
	}
	strbuf_addch(sb, 1);
	strbuf_add(sb, blob, 40);
	put_u32(sb, (uint32_t)len);
	size_t at = sb->len;
	strbuf_add(sb, rec, len);
	if (defmap) {
		/* renumber in the copy: each benchmark starts with its number */
		unsigned char *q = (unsigned char *)sb->buf + at + (r.bench - rec);
		for (uint32_t i = 0; i < r.nbench; i++) {
			struct record_bench b;
			unsigned char *next = (unsigned char *)record_next(q, &b);
			uint32_t id = defmap[b.def];
			memcpy(q, &id, 4);
			q = next;
		}
	}
	(*count)++;
}

void cache_put_record(struct cache *c, const char *blob, const unsigned char *rec, size_t len)
{
	put_record(c, &c->out, blob, rec, len, NULL, 0, &c->nout);
	struct entry *e = slot(c, blob, 1);
	e->pending = 1;
	flush_out(c, 0);
}

int cache_get_recorded(struct cache *c, const char *blob, char *sha, long long *time)
{
	struct entry *e = slot(c, blob, 0);
	if (e)
		e->used = 1;
	if (!e || !e->has_rec)
		return 0;
	memcpy(sha, e->rec_sha, 41);
	*time = e->rec_time;
	return 1;
}

static void put_recorded(struct strbuf *sb, const char *blob, const char *sha, long long time)
{
	char shabuf[40];
	memset(shabuf, '0', sizeof(shabuf));
	memcpy(shabuf, sha, strnlen(sha, 40));
	strbuf_addch(sb, 2);
	strbuf_add(sb, blob, 40);
	strbuf_add(sb, shabuf, 40);
	int64_t t = time;
	strbuf_add(sb, &t, 8);
}

void cache_put_recorded(struct cache *c, const char *blob, const char *sha, long long time)
{
	struct entry *e = slot(c, blob, 1);
	if (e->has_rec && !strcmp(e->rec_sha, sha) && e->rec_time == time)
		return;
	if (strlen(sha) != 40 || !is_hex40((const unsigned char *)sha))
		return; /* unknown: looked up again next time */
	snprintf(e->rec_sha, sizeof(e->rec_sha), "%s", sha);
	e->rec_time = time;
	e->has_rec = 1;
	put_recorded(&c->out, blob, sha, time);
	c->nout++;
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
	if (c->npaths + 1 <= MAX_SEGMENTS)
		return 0;
	/* compact the segments loaded at open into one (the new one stays) */
	struct atomic_stream seg;
	if (segment_open(c, &seg) < 0)
		return bk_error_prefix("cannot save the site cache");
	struct strbuf all = STRBUF_INIT;
	size_t n = 0;
	memset(c->emitted, 0, c->nemitted);
	for (size_t i = 0; i < c->cap; i++) {
		struct entry *e = &c->entries[i];
		if (!e->blob[0] || !e->used)
			continue; /* a result no longer in the tree goes */
		if (e->res && !e->pending)
			put_record(c, &all, e->blob, e->res, e->res_len, e->seg->defmap, e->seg->ndefmap,
				   &n);
		if (e->has_rec) {
			put_recorded(&all, e->blob, e->rec_sha, e->rec_time);
			n++;
		}
		if (all.len >= (8u << 20)) {
			atomic_stream_write(&seg, all.buf, all.len);
			strbuf_reset(&all);
		}
	}
	atomic_stream_write(&seg, all.buf, all.len);
	strbuf_release(&all);
	if (segment_commit(&seg, n) < 0)
		return bk_error_prefix("cannot save the site cache");
	for (size_t i = 0; i < c->npaths; i++)
		unlink(c->seg_paths[i]);
	return 0;
}
