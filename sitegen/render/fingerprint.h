/* fingerprint: a 64-bit digest of what an output file is made from, so a
 * rebuild can tell that a file would come out the same without making it
 * (sitegen/render/output.h keeps them in the output directory's manifest).
 *
 * Not cryptographic: inputs are our own results and options, and a file is
 * also remade whenever its recorded size does not match. */
#ifndef BK_FINGERPRINT_H
#define BK_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct fp {
	uint64_t h;
};
#define FP_INIT { 0x9e3779b97f4a7c15ULL }

static inline void fp_u64(struct fp *f, uint64_t v)
{
	uint64_t h = f->h ^ v;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 32;
	h *= 0xc4ceb9fe1a85ec53ULL;
	f->h = h ^ (h >> 29);
}

static inline void fp_bytes(struct fp *f, const void *p, size_t n)
{
	const unsigned char *s = p;
	while (n >= 8) {
		uint64_t v;
		memcpy(&v, s, 8);
		fp_u64(f, v);
		s += 8;
		n -= 8;
	}
	uint64_t v = 0;
	memcpy(&v, s, n);
	fp_u64(f, v ^ (uint64_t)n << 56);
}

/* A string, NULL kept apart from "". */
static inline void fp_str(struct fp *f, const char *s)
{
	if (!s)
		fp_u64(f, 0x5a5a5a5a5a5a5a5aULL);
	else
		fp_bytes(f, s, strlen(s));
}

static inline void fp_f64(struct fp *f, double d)
{
	uint64_t v;
	memcpy(&v, &d, 8);
	fp_u64(f, v);
}

#endif
