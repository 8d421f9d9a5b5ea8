#include "output.h"
#include "atomicfile.h"
#include "error.h"
#include "strbuf.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
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

int output_write(struct output *o, const char *relpath, const void *data, size_t len)
{
	if (!safe_relpath(relpath))
		return bk_error("refusing to write outside the output directory: '%s'", relpath);
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/%s", o->dir, relpath);
	o->bytes += len;
	int rc = 0;
	if (same_content(path.buf, data, len))
		o->unchanged++;
	else if ((rc = atomic_write_file(path.buf, data, len)) == 0)
		o->written++;
	strbuf_release(&path);
	return rc;
}
