/* output: writes the site's files under the output directory, only when
 * their content changed (so a rebuild leaves unchanged files untouched and
 * their mtimes intact), atomically, and never outside the directory. */
#ifndef BK_OUTPUT_H
#define BK_OUTPUT_H

#include <stddef.h>

struct output {
	const char *dir;
	size_t written, unchanged;
	size_t bytes; /* total size of the files of this build */
};

/* Writes data to DIR/relpath unless the file already holds exactly that.
 * relpath must be relative, without "..", "//" or control characters
 * (checked: -1 + bk_error otherwise). Returns 0 or -1 with bk_error. */
int output_write(struct output *o, const char *relpath, const void *data, size_t len);

#endif
