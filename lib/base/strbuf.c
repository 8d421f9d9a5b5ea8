#include "lib/base/strbuf.h"
#include "lib/base/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char strbuf_slopbuf[1];

void strbuf_init(struct strbuf *sb, size_t hint)
{
	sb->alloc = sb->len = 0;
	sb->buf = strbuf_slopbuf;
	if (hint)
		strbuf_grow(sb, hint);
}

void strbuf_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	strbuf_init(sb, 0);
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *r;
	if (len)
		*len = sb->len;
	if (!sb->alloc)
		r = xstrdup("");
	else
		r = sb->buf;
	strbuf_init(sb, 0);
	return r;
}

void strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;
	if (need < sb->len)
		xmalloc((size_t)-1); /* overflow: report out of memory */
	if (need <= sb->alloc)
		return;
	int fresh = sb->alloc == 0;
	size_t n = sb->alloc ? sb->alloc : 64;
	while (n < need)
		n = n * 2 < n ? need : n * 2;
	sb->buf = xrealloc(fresh ? NULL : sb->buf, n);
	if (fresh)
		sb->buf[0] = '\0';
	sb->alloc = n;
}

void strbuf_setlen(struct strbuf *sb, size_t len)
{
	if (!sb->alloc)
		return;
	sb->len = len;
	sb->buf[len] = '\0';
}

void strbuf_add_slow(struct strbuf *sb, const void *data, size_t len)
{
	if (!len)
		return;
	strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void strbuf_addch_slow(struct strbuf *sb, int c)
{
	strbuf_grow(sb, 1);
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
}

void strbuf_addu(struct strbuf *sb, unsigned long long u)
{
	char tmp[24], *end = tmp + sizeof(tmp), *p = end;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	strbuf_add(sb, p, (size_t)(end - p));
}

void strbuf_addi(struct strbuf *sb, long long v)
{
	if (v < 0) {
		strbuf_addch(sb, '-');
		strbuf_addu(sb, -(unsigned long long)v); /* LLONG_MIN too */
	} else {
		strbuf_addu(sb, (unsigned long long)v);
	}
}

void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	/* one pass when the text fits in the room there is (the common case),
	 * a second into a grown buffer when it does not */
	va_list cp;
	va_copy(cp, ap);
	if (sb->alloc - sb->len < 64)
		strbuf_grow(sb, 64);
	int n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, cp);
	va_end(cp);
	if (n <= 0) {
		sb->buf[sb->len] = '\0';
		return;
	}
	if ((size_t)n >= sb->alloc - sb->len) {
		strbuf_grow(sb, (size_t)n);
		vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	}
	sb->len += (size_t)n;
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

void strbuf_add_double(struct strbuf *sb, double v)
{
	char tmp[40];
	if (v != v || v - v != 0) {
		strbuf_addch(sb, '0');
		return;
	}
	if (v > -1e15 && v < 1e15 && v == (double)(long long)v) { /* range first: the cast is UB outside it */
		snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
	} else {
		snprintf(tmp, sizeof(tmp), "%.15g", v);
		if (strtod(tmp, NULL) != v)
			snprintf(tmp, sizeof(tmp), "%.17g", v);
	}
	strbuf_addstr(sb, tmp);
}

void strbuf_rtrim(struct strbuf *sb)
{
	while (sb->len > 0 && (sb->buf[sb->len - 1] == ' ' || sb->buf[sb->len - 1] == '\n' ||
			       sb->buf[sb->len - 1] == '\r' || sb->buf[sb->len - 1] == '\t'))
		sb->len--;
	if (sb->alloc)
		sb->buf[sb->len] = '\0';
}

int strbuf_read_fd(struct strbuf *sb, int fd)
{
	for (;;) {
		strbuf_grow(sb, 65536);
		ssize_t n = read(fd, sb->buf + sb->len, sb->alloc - sb->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			sb->buf[sb->len] = '\0';
			return -1;
		}
		if (n == 0)
			break;
		sb->len += (size_t)n;
	}
	sb->buf[sb->len] = '\0';
	return 0;
}

int strbuf_read_file(struct strbuf *sb, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int r = strbuf_read_fd(sb, fd);
	int e = errno;
	close(fd);
	errno = e;
	return r;
}
