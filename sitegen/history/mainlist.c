/* mainlist: the main branch's first-parent history with a cache (see
 * mainlist.h).
 *
 * File <cache_dir>/main-<hash of the branch name>.bkm: MAGIC, u64 count,
 * then per commit, oldest first: sha[40], i64 time, u32 length + summary,
 * u32 length + author; then "END!". */
#include "sitegen/history/mainlist.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/atomicfile.h"
#include "lib/base/strbuf.h"
#include "lib/base/xalloc.h"

#define MAGIC "BKMC\x01\0\0\0"
#define MAGIC_LEN 8

struct list {
	struct main_commit *items;
	size_t nr, alloc;
	const char *stop; /* sha of the cached tip: the walk ends there */
	int reached;
};

#define WALK_REACHED 3

static int on_commit(const struct gitio_commit *c, void *payload)
{
	struct list *l = payload;
	if (l->stop && !strcmp(c->sha, l->stop)) {
		l->reached = 1;
		return WALK_REACHED;
	}
	ALLOC_GROW(l->items, l->nr + 1, l->alloc);
	struct main_commit *m = &l->items[l->nr++];
	memcpy(m->sha, c->sha, sizeof(m->sha));
	m->time = c->time;
	m->summary = xstrdup(c->summary ? c->summary : "");
	m->author = xstrdup(c->author ? c->author : "");
	return 0;
}

static void cache_path(struct strbuf *sb, const char *dir, const char *branch)
{
	uint64_t h = 1469598103934665603ULL;
	for (const char *s = branch; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	strbuf_addf(sb, "%s/main-%016llx.bkm", dir, (unsigned long long)h);
}

/* A length-prefixed string at *p (advanced), or NULL when it overruns. */
static char *get_str(const unsigned char **p, const unsigned char *end)
{
	uint32_t n;
	if (end - *p < 4)
		return NULL;
	memcpy(&n, *p, 4);
	*p += 4;
	if ((size_t)(end - *p) < n)
		return NULL;
	char *s = xstrndup((const char *)*p, n);
	*p += n;
	return s;
}

/* The saved list, or 0 commits when there is none usable. */
static void read_list(const char *path, struct list *l)
{
	struct strbuf sb = STRBUF_INIT;
	if (strbuf_read_file(&sb, path) < 0 || sb.len < MAGIC_LEN + 12 ||
	    memcmp(sb.buf, MAGIC, MAGIC_LEN) || memcmp(sb.buf + sb.len - 4, "END!", 4)) {
		strbuf_release(&sb);
		return;
	}
	const unsigned char *p = (const unsigned char *)sb.buf + MAGIC_LEN;
	const unsigned char *end = (const unsigned char *)sb.buf + sb.len - 4;
	uint64_t count;
	memcpy(&count, p, 8);
	p += 8;
	int bad = count > (uint64_t)(end - p) / 56;
	for (uint64_t i = 0; i < count && !bad; i++) {
		if (end - p < 48) {
			bad = 1;
			break;
		}
		struct main_commit m;
		memcpy(m.sha, p, 40);
		m.sha[40] = '\0';
		int64_t t;
		memcpy(&t, p + 40, 8);
		m.time = t;
		p += 48;
		m.summary = get_str(&p, end);
		m.author = m.summary ? get_str(&p, end) : NULL;
		if (!m.author || strspn(m.sha, "0123456789abcdef") != 40) {
			free(m.summary);
			free(m.author);
			bad = 1;
			break;
		}
		ALLOC_GROW(l->items, l->nr + 1, l->alloc);
		l->items[l->nr++] = m;
	}
	if (bad || p != end) {
		mainlist_free(l->items, l->nr);
		memset(l, 0, sizeof(*l));
	}
	strbuf_release(&sb);
}

static void put_str(struct strbuf *sb, const char *s)
{
	uint32_t n = (uint32_t)strlen(s);
	strbuf_add(sb, &n, 4);
	strbuf_add(sb, s, n);
}

static void write_list(const char *path, const struct main_commit *c, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_add(&sb, MAGIC, MAGIC_LEN);
	uint64_t count = n;
	strbuf_add(&sb, &count, 8);
	for (size_t i = 0; i < n; i++) {
		strbuf_add(&sb, c[i].sha, 40);
		int64_t t = c[i].time;
		strbuf_add(&sb, &t, 8);
		put_str(&sb, c[i].summary);
		put_str(&sb, c[i].author);
	}
	strbuf_add(&sb, "END!", 4);
	atomic_write_file(path, sb.buf, sb.len); /* a cache: failing costs time only */
	strbuf_release(&sb);
}

int mainlist_load(struct gitio *g, const char *branch, const char *cache_dir,
		  struct main_commit **out, size_t *n)
{
	struct strbuf path = STRBUF_INIT;
	struct list old = { 0 }, fresh = { 0 };
	if (cache_dir) {
		cache_path(&path, cache_dir, branch);
		read_list(path.buf, &old);
		if (old.nr)
			fresh.stop = old.items[old.nr - 1].sha;
	}
	int r = gitio_walk_first_parent(g, branch, on_commit, &fresh);
	if (r != 0 && r != WALK_REACHED) {
		mainlist_free(old.items, old.nr);
		mainlist_free(fresh.items, fresh.nr);
		strbuf_release(&path);
		return r;
	}
	/* fresh is newest first: what came after the cached tip, or all */
	struct list all = fresh.reached ? old : (struct list){ 0 };
	if (!fresh.reached)
		mainlist_free(old.items, old.nr);
	for (size_t i = fresh.nr; i-- > 0;) {
		ALLOC_GROW(all.items, all.nr + 1, all.alloc);
		all.items[all.nr++] = fresh.items[i];
	}
	free(fresh.items);
	if (cache_dir && (fresh.nr || !fresh.reached))
		write_list(path.buf, all.items, all.nr);
	strbuf_release(&path);
	*out = all.items;
	*n = all.nr;
	return 0;
}

void mainlist_free(struct main_commit *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].summary);
		free(c[i].author);
	}
	free(c);
}
