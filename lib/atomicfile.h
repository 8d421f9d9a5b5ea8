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

/* Like atomic_write_file but fails (-1, errno EEXIST, bk_error set) if `path`
 * already exists, so two writers can never overwrite each other's file
 * (link(2) then unlink of the temporary). */
int atomic_create_file(const char *path, const void *data, size_t len);

/* Creates directory `path` and its parents (mode 0777 & umask). Returns 0 or
 * -1 with bk_error set. */
int mkdir_p(const char *path);

#endif
