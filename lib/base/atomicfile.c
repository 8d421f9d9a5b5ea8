#include "lib/base/atomicfile.h"
#include "lib/base/error.h"
#include "lib/base/strbuf.h"
#include "lib/base/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int mkdir_p(const char *path)
{
	char *p = xstrdup(path);
	size_t n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	for (char *s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0777) < 0 && errno != EEXIST) {
				int e = errno;
				bk_error("cannot create directory '%s': %s", p, strerror(e));
				free(p);
				return -1;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	struct stat st;
	int ok = stat(p, &st) == 0 && S_ISDIR(st.st_mode);
	if (!ok)
		bk_error("cannot create directory '%s': not a directory", p);
	free(p);
	return ok ? 0 : -1;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

static void fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int atomic_stream_open(struct atomic_stream *s, const char *path)
{
	memset(s, 0, sizeof(*s));
	char *dir = dir_of(path);
	int r = mkdir_p(dir);
	free(dir);
	if (r < 0)
		return -1;
	struct strbuf tmp = STRBUF_INIT;
	strbuf_addf(&tmp, "%s.tmp.XXXXXX", path);
	s->fd = mkostemp(tmp.buf, O_CLOEXEC);
	if (s->fd < 0) {
		bk_error("cannot create temporary file for '%s': %s", path, strerror(errno));
		strbuf_release(&tmp);
		return -1;
	}
	fchmod(s->fd, 0644);
	s->tmp = strbuf_detach(&tmp, NULL);
	s->path = xstrdup(path);
	return 0;
}

void atomic_stream_write(struct atomic_stream *s, const void *data, size_t len)
{
	const char *p = data;
	while (len && !s->failed) {
		ssize_t w = write(s->fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			s->failed = 1;
			s->err = errno;
			return;
		}
		p += w;
		len -= (size_t)w;
	}
}

static void stream_free(struct atomic_stream *s)
{
	free(s->path);
	free(s->tmp);
	s->path = s->tmp = NULL;
	s->fd = -1;
}

void atomic_stream_abort(struct atomic_stream *s)
{
	if (s->fd >= 0)
		close(s->fd);
	if (s->tmp)
		unlink(s->tmp);
	stream_free(s);
}

/* Makes the temporary durable (fsync, unless sync is 0) and closes it. 0,
 * or -1 with bk_error set and the stream aborted (temporary removed). */
static int stream_close(struct atomic_stream *s, int sync)
{
	if (sync && !s->failed && fsync(s->fd) < 0) {
		s->failed = 1;
		s->err = errno;
	}
	if (close(s->fd) < 0 && !s->failed) {
		s->failed = 1;
		s->err = errno;
	}
	s->fd = -1;
	if (s->failed) {
		bk_error("cannot write '%s': %s", s->path, strerror(s->err));
		atomic_stream_abort(s);
		return -1;
	}
	return 0;
}

int atomic_stream_commit(struct atomic_stream *s)
{
	if (stream_close(s, 1) < 0)
		return -1;
	if (rename(s->tmp, s->path) < 0) {
		int e = errno;
		bk_error("cannot rename into '%s': %s", s->path, strerror(e));
		atomic_stream_abort(s);
		return -1;
	}
	char *dir = dir_of(s->path);
	fsync_dir(dir);
	free(dir);
	stream_free(s);
	return 0;
}

/* Writes data to a fresh temporary file beside `path` (durably when sync);
 * returns its name (caller frees) or NULL with bk_error set (nothing left
 * behind). */
static char *write_temp(const char *path, const void *data, size_t len, int sync)
{
	struct atomic_stream st;
	if (atomic_stream_open(&st, path) < 0)
		return NULL;
	atomic_stream_write(&st, data, len);
	if (stream_close(&st, sync) < 0)
		return NULL;
	char *tmp = st.tmp;
	free(st.path);
	return tmp;
}

static int write_file(const char *path, const void *data, size_t len, int sync)
{
	char *tmp = write_temp(path, data, len, sync);
	if (!tmp)
		return -1;
	if (rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		free(tmp);
		return bk_error("cannot rename into '%s': %s", path, strerror(e));
	}
	free(tmp);
	if (sync) {
		char *dir = dir_of(path);
		fsync_dir(dir);
		free(dir);
	}
	return 0;
}

int atomic_write_file(const char *path, const void *data, size_t len)
{
	return write_file(path, data, len, 1);
}

int atomic_replace_file(const char *path, const void *data, size_t len)
{
	return write_file(path, data, len, 0);
}

int atomic_create_file(const char *path, const void *data, size_t len)
{
	char *tmp = write_temp(path, data, len, 1);
	if (!tmp)
		return -1;
	int r = link(tmp, path);
	int e = errno;
	unlink(tmp);
	free(tmp);
	if (r < 0) {
		errno = e;
		return bk_error("cannot create '%s': %s", path, strerror(e));
	}
	char *dir = dir_of(path);
	fsync_dir(dir);
	free(dir);
	return 0;
}

