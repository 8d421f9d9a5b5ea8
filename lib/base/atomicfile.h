/* atomicfile: write a file so that readers see either the old content or the
 * whole new content, never a part: temporary file in the same directory,
 * write, fsync, rename, fsync of the directory. */
#ifndef BK_ATOMICFILE_H
#define BK_ATOMICFILE_H

#include <stddef.h>

/* Replaces (or creates) `path` with `len` bytes of `data`, atomically.
 * Parent directories are created as needed. Returns 0, or -1 with bk_error
 * set; on failure no partial file is left behind. */
int atomic_write_file(const char *path, const void *data, size_t len);

/* Like atomic_write_file (readers see the old or the whole new content)
 * but without the fsyncs, for many files that can be made again (a site's
 * pages): the caller makes them durable together, e.g. with one syncfs. */
int atomic_replace_file(const char *path, const void *data, size_t len);

/* Like atomic_write_file but fails (-1, errno EEXIST, bk_error set) if `path`
 * already exists, so two writers can never overwrite each other's file
 * (link(2) then unlink of the temporary). */
int atomic_create_file(const char *path, const void *data, size_t len);

/* A file written in pieces and then put in place atomically, for outputs too
 * big to build in memory. */
struct atomic_stream {
	char *path, *tmp; /* owned */
	int fd;
	int failed;       /* a write failed: commit will fail */
	int err;          /* errno of the failure */
};

/* Opens a temporary file beside `path` (parent directories created). 0, or
 * -1 with bk_error set (nothing to clean up then). */
int atomic_stream_open(struct atomic_stream *s, const char *path);
/* Appends len bytes; an error is remembered and reported by commit. */
void atomic_stream_write(struct atomic_stream *s, const void *data, size_t len);
/* Makes the content durable (fsync) and renames it over `path`. 0, or -1 with
 * bk_error set (the temporary is removed). Frees what open allocated. */
int atomic_stream_commit(struct atomic_stream *s);
/* Closes and removes the temporary; `path` is untouched. Frees what open
 * allocated. */
void atomic_stream_abort(struct atomic_stream *s);

/* Creates directory `path` and its parents (mode 0777 & umask). Returns 0 or
 * -1 with bk_error set. */
int mkdir_p(const char *path);

#endif
