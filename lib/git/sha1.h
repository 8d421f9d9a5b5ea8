/* sha1: SHA-1 (FIPS 180-4) for the checksum git puts at the end of a pack
 * file (packfile.c). Not for security; plain SHA-1, no collision detection
 * (the objects' own ids are computed by libgit2). */
#ifndef BK_SHA1_H
#define BK_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_LEN 20

struct sha1 {
	uint32_t h[5];
	uint64_t total;          /* bytes hashed so far */
	unsigned char block[64]; /* pending input */
	size_t n;                /* bytes in block */
};

/* Starts a new digest in c (no allocation). */
void sha1_init(struct sha1 *c);
/* Adds len bytes of data. */
void sha1_update(struct sha1 *c, const void *data, size_t len);
/* Writes the 20-byte digest to out; c must be re-initialised to be reused. */
void sha1_final(struct sha1 *c, unsigned char out[SHA1_LEN]);

#endif
