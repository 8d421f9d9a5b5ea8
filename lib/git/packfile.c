#include "lib/git/packfile.h"
#include "lib/base/error.h"
#include "lib/git/sha1.h"
#include "lib/base/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define HEADER_LEN 12

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

void packfile_init(struct packfile *p, int level)
{
	unsigned char head[HEADER_LEN] = { 'P', 'A', 'C', 'K' };
	strbuf_init(&p->buf, 0);
	put_be32(head + 4, 2);
	strbuf_add(&p->buf, head, sizeof(head)); /* the count is patched at the end */
	p->count = 0;
	p->zs = NULL;
	p->level = level;
}

int packfile_add(struct packfile *p, enum packfile_type type, const void *data, size_t len)
{
	z_stream *zs = p->zs;
	if (!zs) {
		zs = xcalloc(1, sizeof(*zs));
		if (deflateInit(zs, p->level) != Z_OK) {
			free(zs);
			return bk_error("cannot start zlib compression");
		}
		p->zs = zs;
	} else if (deflateReset(zs) != Z_OK) {
		return bk_error("cannot reset zlib compression");
	}
	if (len > (size_t)UINT32_MAX)
		return bk_error("object of %zu bytes too big for a pack", len);
	/* type and size: 3 type bits and the size's low 4 bits, then 7 size
	 * bits per byte, the high bit saying another byte follows */
	unsigned char hdr[16];
	size_t n = 0, sz = len;
	hdr[n++] = (unsigned char)((unsigned)type << 4 | (sz & 0x0f));
	sz >>= 4;
	while (sz) {
		hdr[n - 1] |= 0x80;
		hdr[n++] = (unsigned char)(sz & 0x7f);
		sz >>= 7;
	}
	strbuf_add(&p->buf, hdr, n);
	uLong bound = deflateBound(zs, (uLong)len);
	unsigned char *out = (unsigned char *)strbuf_reserve(&p->buf, bound);
	zs->next_in = (Bytef *)(uintptr_t)data;
	zs->avail_in = (uInt)len;
	zs->next_out = out;
	zs->avail_out = (uInt)bound;
	if (deflate(zs, Z_FINISH) != Z_STREAM_END)
		return bk_error("cannot compress an object of %zu bytes", len);
	strbuf_commit(&p->buf, bound - zs->avail_out);
	p->count++;
	return 0;
}

const char *packfile_finish(struct packfile *p, size_t *len)
{
	unsigned char sum[SHA1_LEN];
	struct sha1 c;
	put_be32((unsigned char *)p->buf.buf + 8, p->count);
	sha1_init(&c);
	sha1_update(&c, p->buf.buf, p->buf.len);
	sha1_final(&c, sum);
	strbuf_add(&p->buf, sum, sizeof(sum));
	*len = p->buf.len;
	return p->buf.buf;
}

void packfile_release(struct packfile *p)
{
	if (p->zs) {
		deflateEnd(p->zs);
		free(p->zs);
		p->zs = NULL;
	}
	strbuf_release(&p->buf);
	p->count = 0;
}
