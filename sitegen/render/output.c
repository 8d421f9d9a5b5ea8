#include "sitegen/render/output.h"
#include "lib/base/atomicfile.h"
#include "lib/base/error.h"
#include "lib/base/strbuf.h"
#include "lib/base/xalloc.h"

#include <stdio.h>
#include <stdlib.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int safe_relpath(const char *p)
{
	if (!*p || *p == '/')
		return 0;
	for (const char *s = p; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == '\\' || (s[0] == '/' && s[1] == '/'))
			return 0;
	/* no ".." (or ".") path segment */
	for (const char *seg = p; seg;) {
		const char *end = strchr(seg, '/');
		size_t n = end ? (size_t)(end - seg) : strlen(seg);
		if ((n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return 0;
		seg = end ? end + 1 : NULL;
	}
	return 1;
}

static int same_content(const char *path, const void *data, size_t len)
{
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size != len)
		return 0;
	struct strbuf sb = STRBUF_INIT;
	int same = strbuf_read_file(&sb, path) == 0 && sb.len == len && !memcmp(sb.buf, data, len);
	strbuf_release(&sb);
	return same;
}

void output_init(struct output *o, const char *dir)
{
	memset(o, 0, sizeof(*o));
	o->dir = dir;
	pthread_mutex_init(&o->lock, NULL);
}

void output_release(struct output *o)
{
	for (size_t i = 0; i < o->nold; i++)
		free(o->old[i].path);
	for (size_t i = 0; i < o->ncur; i++)
		free(o->cur[i].path);
	free(o->old);
	free(o->cur);
	strmap_release(&o->old_index);
	strmap_release(&o->produced);
	pthread_mutex_destroy(&o->lock);
}

static void produced(struct output *o, const char *relpath)
{
	pthread_mutex_lock(&o->lock);
	strmap_intern(&o->produced, relpath);
	pthread_mutex_unlock(&o->lock);
}

int output_prune(struct output *o, const char *subdir, const char *suffix, size_t *removed)
{
	struct strbuf dir = STRBUF_INIT, rel = STRBUF_INIT, path = STRBUF_INIT;
	strbuf_addf(&dir, "%s/%s", o->dir, subdir);
	DIR *d = opendir(dir.buf);
	if (!d) {
		strbuf_release(&dir);
		return 0;
	}
	size_t sl = strlen(suffix);
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		int tmp = strstr(e->d_name, ".tmp.") != NULL;
		if (!tmp && (n <= sl || strcmp(e->d_name + n - sl, suffix)))
			continue;
		strbuf_reset(&rel);
		strbuf_addf(&rel, "%s/%s", subdir, e->d_name);
		pthread_mutex_lock(&o->lock);
		int keep = strmap_has(&o->produced, rel.buf);
		pthread_mutex_unlock(&o->lock);
		if (keep)
			continue;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", o->dir, rel.buf);
		struct stat st;
		if (lstat(path.buf, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		/* a temporary left by a build that was killed: removed once it is
		 * an hour old (a concurrent writer's would be fresh) */
		if (tmp && st.st_mtime > time(NULL) - 3600)
			continue;
		if (unlink(path.buf) < 0) {
			rc = bk_error("cannot remove stale '%s': %s", path.buf, strerror(errno));
			break;
		}
		(*removed)++;
	}
	closedir(d);
	strbuf_release(&dir);
	strbuf_release(&rel);
	strbuf_release(&path);
	return rc;
}

int output_write(struct output *o, const char *relpath, const void *data, size_t len)
{
	if (!safe_relpath(relpath))
		return bk_error("refusing to write outside the output directory: '%s'", relpath);
	produced(o, relpath);
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/%s", o->dir, relpath);
	__atomic_fetch_add(&o->bytes, len, __ATOMIC_RELAXED);
	int rc = 0;
	if (same_content(path.buf, data, len))
		__atomic_fetch_add(&o->unchanged, 1, __ATOMIC_RELAXED);
	else if ((rc = atomic_replace_file(path.buf, data, len)) == 0) /* synced by output_sync */
		__atomic_fetch_add(&o->written, 1, __ATOMIC_RELAXED);
	strbuf_release(&path);
	return rc;
}

int output_sync(struct output *o)
{
	int fd = open(o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return bk_error("cannot open '%s': %s", o->dir, strerror(errno));
	int r = syncfs(fd);
	int e = errno;
	close(fd);
	return r < 0 ? bk_error("cannot sync '%s': %s", o->dir, strerror(e)) : 0;
}

/* ---- manifest ------------------------------------------------------------- */

#define MANIFEST ".benchkeep-manifest"
#define MANIFEST_HEAD "benchkeep-manifest 1\n"

void output_load_manifest(struct output *o)
{
	struct strbuf sb = STRBUF_INIT, path = STRBUF_INIT;
	strbuf_addf(&path, "%s/" MANIFEST, o->dir);
	size_t hl = strlen(MANIFEST_HEAD);
	if (strbuf_read_file(&sb, path.buf) < 0 || sb.len < hl || memcmp(sb.buf, MANIFEST_HEAD, hl)) {
		strbuf_release(&sb);
		strbuf_release(&path);
		return;
	}
	size_t alloc = 0;
	for (char *line = sb.buf + hl, *end; *line; line = end + 1) {
		end = strchr(line, '\n');
		if (!end)
			break;
		*end = '\0';
		unsigned long long fp;
		long long size, mt;
		int off = 0;
		if (sscanf(line, "%16llx %lld %lld %n", &fp, &size, &mt, &off) != 3 || !off ||
		    !safe_relpath(line + off))
			continue;
		int fresh;
		uint32_t *slot = strmap_slot(&o->old_index, line + off, &fresh);
		if (!fresh)
			continue;
		*slot = (uint32_t)o->nold;
		ALLOC_GROW(o->old, o->nold + 1, alloc);
		o->old[o->nold++] = (struct manifest_entry){ xstrdup(line + off), fp, size, mt };
	}
	strbuf_release(&sb);
	strbuf_release(&path);
}

static long long mtime_ns(const struct stat *st)
{
	return (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

static void add_entry(struct output *o, const char *relpath, uint64_t fp, const struct stat *st)
{
	pthread_mutex_lock(&o->lock);
	ALLOC_GROW(o->cur, o->ncur + 1, o->acur);
	o->cur[o->ncur++] = (struct manifest_entry){ xstrdup(relpath), fp, (long long)st->st_size,
						     mtime_ns(st) };
	pthread_mutex_unlock(&o->lock);
}

int output_skip(struct output *o, const char *relpath, uint64_t fp)
{
	uint32_t i = strmap_get(&o->old_index, relpath);
	if (i == UINT32_MAX || o->old[i].fp != fp)
		return 0;
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/%s", o->dir, relpath);
	struct stat st;
	int same = stat(path.buf, &st) == 0 && S_ISREG(st.st_mode) &&
		   (long long)st.st_size == o->old[i].size && mtime_ns(&st) == o->old[i].mtime_ns;
	strbuf_release(&path);
	if (!same)
		return 0;
	produced(o, relpath);
	__atomic_fetch_add(&o->unchanged, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&o->bytes, (size_t)st.st_size, __ATOMIC_RELAXED);
	add_entry(o, relpath, fp, &st);
	return 1;
}

void output_note(struct output *o, const char *relpath, uint64_t fp)
{
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/%s", o->dir, relpath);
	struct stat st;
	if (stat(path.buf, &st) == 0)
		add_entry(o, relpath, fp, &st);
	strbuf_release(&path);
}

int output_save_manifest(struct output *o)
{
	struct strbuf sb = STRBUF_INIT, path = STRBUF_INIT;
	strbuf_addstr(&sb, MANIFEST_HEAD);
	for (size_t i = 0; i < o->ncur; i++)
		strbuf_addf(&sb, "%016llx %lld %lld %s\n", (unsigned long long)o->cur[i].fp,
			    o->cur[i].size, o->cur[i].mtime_ns, o->cur[i].path);
	strbuf_addf(&path, "%s/" MANIFEST, o->dir);
	int rc = atomic_write_file(path.buf, sb.buf, sb.len);
	strbuf_release(&sb);
	strbuf_release(&path);
	return rc;
}
