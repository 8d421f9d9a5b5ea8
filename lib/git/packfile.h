/* packfile: a git pack file (version 2) built in memory from whole objects,
 * without deltas, for writing many objects in one file instead of one loose
 * file each (gitio hands the bytes to libgit2's indexer, which checks them
 * and writes the .pack and its .idx). The only file that includes zlib.h.
 *
 * Layout: "PACK", version 2, object count (big-endian 32-bit); per object a
 * type-and-size header and its zlib-deflated content; then the SHA-1 of all
 * that. Object ids are not computed here. */
#ifndef BK_PACKFILE_H
#define BK_PACKFILE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/base/strbuf.h"

/* git's object type numbers, as a pack stores them */
enum packfile_type {
	PACKFILE_COMMIT = 1,
	PACKFILE_TREE = 2,
	PACKFILE_BLOB = 3,
	PACKFILE_TAG = 4,
};

struct packfile {
	struct strbuf buf;
	uint32_t count;
	void *zs;   /* the deflate stream, reused for every object */
	int level;  /* zlib compression level */
};

/* Starts an empty pack in p; `level` is zlib's (1 fastest .. 9 smallest, -1
 * zlib's default). Release with packfile_release. */
void packfile_init(struct packfile *p, int level);

/* Appends one object. Returns 0, or -1 with bk_error (zlib failed). */
int packfile_add(struct packfile *p, enum packfile_type type, const void *data, size_t len);

/* Completes the pack (object count, trailing checksum) and returns its
 * bytes and length; they stay owned by p, valid until packfile_release.
 * Nothing may be added afterwards. */
const char *packfile_finish(struct packfile *p, size_t *len);

/* Frees p's memory; p may be packfile_init'ed again. */
void packfile_release(struct packfile *p);

#endif
