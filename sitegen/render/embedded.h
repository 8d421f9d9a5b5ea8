/* embedded: the default templates and assets (templates/ at build time),
 * compiled into the binary by tools/embed.sh. */
#ifndef BK_EMBEDDED_H
#define BK_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *name; /* path under templates/, e.g. "index.html.mustache" */
	const char *data; /* NUL-terminated */
	size_t len;
};

/* NULL-name-terminated table. */
extern const struct embedded_file embedded_files[];

/* The embedded file called name, or NULL. */
const struct embedded_file *embedded_find(const char *name);

#endif
