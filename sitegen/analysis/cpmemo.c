/* cpmemo: the memo tables, the file format and the key hash (see cpmemo.h).
 *
 * File (native byte order; another order or version reads as empty):
 *   "BKCPMEMO" | u32 version | u32 0 | u64 entries | u64 body bytes |
 *   u64 libm.a | u64 libm.b   (the maths library's fingerprint, below)
 *   body: per entry  u64 key.a | u64 key.b | u32 len | u32 0 | value,
 *         the value padded with zeros to a multiple of 8 bytes
 *   u64 check.a | u64 check.b   (cp_hash128 of everything before)
 * Any mismatch (magic, version, lengths, check) discards the whole file. */
#include "sitegen/analysis/cpmemo.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/atomicfile.h"
#include "lib/base/error.h"
#include "lib/base/strbuf.h"
#include "lib/base/xalloc.h"

#define MEMO_MAGIC "BKCPMEMO"
#define MEMO_VERSION 1u
#define HEADER_BYTES 48
#define ENTRY_HEAD 24

/* ---- hash ---------------------------------------------------------------- */
/* The multiply-fold construction of wyhash (Wang Yi), widened to 128 bits. */

static const uint64_t P0 = 0xa0761d6478bd642full, P1 = 0xe7037ed1a0b428dbull,
		      P2 = 0x8ebc6af09c88c6e3ull, P3 = 0x589965cc75374cc3ull,
		      P4 = 0x1d8e4e27c47d124full, P5 = 0x9e3779b97f4a7c15ull;

/* 64x64 -> 128-bit product folded to 64 bits. */
static inline uint64_t mum(uint64_t a, uint64_t b)
{
	unsigned __int128 r = (unsigned __int128)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/* Four multiply-fold chains: a0 and a1 make the key's first word, b0 and b1
 * the second. Each 32-byte block feeds words 0-1 to a0 and b0 and words 2-3
 * to a1 and b1 (the b chains take them in the other order, with other
 * constants, so a block that degenerates one chain — a word equal to its
 * constant — cannot degenerate its twin). Four independent chains keep the
 * multiplier busy: about 0.15 cycles per byte. */
struct lanes {
	uint64_t a0, a1, b0, b1;
};

static inline void block(struct lanes *l, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3)
{
	l->a0 = mum(w0 ^ P0, w1 ^ l->a0);
	l->a1 = mum(w2 ^ P0, w3 ^ l->a1);
	l->b0 = mum(w1 ^ P2, w0 ^ l->b0 ^ P3);
	l->b1 = mum(w3 ^ P2, w2 ^ l->b1 ^ P3);
}

static inline uint64_t load64(const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

void cp_hash128(struct cp_key *k, const uint64_t *head, size_t nhead, const void *data,
		size_t len)
{
	struct lanes l = { P1, P4, P5, P3 ^ P1 };
	uint64_t hw[4];
	for (size_t i = 0; i < nhead; i += 4) {
		memset(hw, 0, sizeof(hw));
		memcpy(hw, head + i, (nhead - i < 4 ? nhead - i : 4) * sizeof(*hw));
		block(&l, hw[0], hw[1], hw[2], hw[3]);
	}
	const unsigned char *p = data;
	size_t left = len;
	for (; left >= 32; p += 32, left -= 32)
		block(&l, load64(p), load64(p + 8), load64(p + 16), load64(p + 24));
	if (left) {
		unsigned char tail[32] = { 0 };
		memcpy(tail, p, left);
		block(&l, load64(tail), load64(tail + 8), load64(tail + 16), load64(tail + 24));
	}
	uint64_t n = (uint64_t)len ^ ((uint64_t)nhead << 56);
	k->a = mum(mum(l.a0 ^ n, P5) ^ l.a1, P1);
	k->b = mum(mum(l.b0 ^ n ^ P0, P3) ^ l.b1, P2 ^ P5);
}

/* The memoised values were computed with this process's log, erfc and sqrt;
 * another libm (or the same one taking another code path on another CPU,
 * e.g. with or without FMA) could round some results differently. The file
 * records the bits of those functions on 256 fixed arguments and is
 * discarded where they differ. */
static void libm_fingerprint(struct cp_key *k)
{
	uint64_t v[3 * 256], s = 0x243f6a8885a308d3ull;
	for (size_t i = 0; i < 256; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		double u = (double)(s >> 11) / 9007199254740992.0; /* [0, 1) */
		double x = i % 2 ? 0.5 + u : ldexp(0.5 + u, (int)(s % 600) - 300);
		double r[3] = { log(x), erfc(8 * u), sqrt(x) };
		memcpy(v + 3 * i, r, sizeof(r));
	}
	cp_hash128(k, NULL, 0, v, sizeof(v));
}

/* ---- tables -------------------------------------------------------------- */

/* An open-addressing index of entry numbers (+1; 0 is empty) by key. */
struct index {
	uint32_t *slot;
	size_t cap; /* power of two */
};

static size_t slot_of(const struct cp_key *k, size_t cap)
{
	return (size_t)(k->a ^ (k->b >> 7)) & (cap - 1);
}

struct entry {
	struct cp_key k;
	size_t off; /* of the value in the table's bytes */
	uint32_t len;
};

struct table {
	struct entry *e;
	size_t nr, alloc;
	struct index ix;
};

/* The entry number of k in t, or (size_t)-1. */
static size_t table_find(const struct table *t, const struct cp_key *k)
{
	if (!t->ix.cap)
		return (size_t)-1;
	for (size_t s = slot_of(k, t->ix.cap);; s = (s + 1) & (t->ix.cap - 1)) {
		uint32_t v = t->ix.slot[s];
		if (!v)
			return (size_t)-1;
		const struct entry *e = &t->e[v - 1];
		if (e->k.a == k->a && e->k.b == k->b)
			return v - 1;
	}
}

static void index_insert(struct index *ix, const struct cp_key *k, size_t entry)
{
	size_t s = slot_of(k, ix->cap);
	while (ix->slot[s])
		s = (s + 1) & (ix->cap - 1);
	ix->slot[s] = (uint32_t)(entry + 1);
}

/* Makes room for one more entry (load factor at most 1/2). */
static void table_reserve(struct table *t)
{
	ALLOC_GROW(t->e, t->nr + 1, t->alloc);
	if (2 * (t->nr + 1) <= t->ix.cap)
		return;
	size_t cap = t->ix.cap ? 2 * t->ix.cap : 1024;
	while (2 * (t->nr + 1) > cap)
		cap *= 2;
	free(t->ix.slot);
	t->ix.slot = xcalloc(cap, sizeof(*t->ix.slot));
	t->ix.cap = cap;
	for (size_t i = 0; i < t->nr; i++)
		index_insert(&t->ix, &t->e[i].k, i);
}

static void table_release(struct table *t)
{
	free(t->e);
	free(t->ix.slot);
	memset(t, 0, sizeof(*t));
}

struct cp_memo {
	char *path;
	/* loaded from the file: read-only after open */
	unsigned char *file;
	size_t file_len;
	struct table old;
	unsigned char *used; /* per old entry, set atomically on a hit */
	struct cp_key libm;  /* libm_fingerprint */
	/* added in this run */
	pthread_mutex_t lock;
	struct table add;
	struct strbuf bytes; /* the added values */
	size_t hits_new, misses;
};

/* Reads the file into m->old; on any inconsistency leaves m->old empty. */
static void memo_load(struct cp_memo *m)
{
	struct strbuf sb = STRBUF_INIT;
	if (strbuf_read_file(&sb, m->path) < 0 || sb.len < HEADER_BYTES + 16)
		goto discard;
	const unsigned char *f = (const unsigned char *)sb.buf;
	uint32_t version;
	uint64_t count, body;
	memcpy(&version, f + 8, 4);
	memcpy(&count, f + 16, 8);
	memcpy(&body, f + 24, 8);
	if (memcmp(f, MEMO_MAGIC, 8) || version != MEMO_VERSION || load64(f + 32) != m->libm.a ||
	    load64(f + 40) != m->libm.b ||
	    body != sb.len - HEADER_BYTES - 16 || count > body / ENTRY_HEAD || count >= UINT32_MAX)
		goto discard;
	struct cp_key check;
	cp_hash128(&check, NULL, 0, f, sb.len - 16);
	if (load64(f + sb.len - 16) != check.a || load64(f + sb.len - 8) != check.b)
		goto discard;
	struct table *t = &m->old;
	size_t off = HEADER_BYTES, end = HEADER_BYTES + (size_t)body;
	for (uint64_t i = 0; i < count; i++) {
		if (end - off < ENTRY_HEAD)
			goto discard;
		struct cp_key k = { load64(f + off), load64(f + off + 8) };
		uint32_t len;
		memcpy(&len, f + off + 16, 4);
		size_t padded = ((size_t)len + 7) & ~(size_t)7;
		if (end - off - ENTRY_HEAD < padded)
			goto discard;
		if (table_find(t, &k) == (size_t)-1) {
			table_reserve(t);
			t->e[t->nr] = (struct entry){ k, off + ENTRY_HEAD, len };
			index_insert(&t->ix, &k, t->nr);
			t->nr++;
		}
		off += ENTRY_HEAD + padded;
	}
	if (off != end)
		goto discard;
	m->file_len = sb.len;
	m->file = (unsigned char *)strbuf_detach(&sb, NULL);
	m->used = xcalloc(t->nr ? t->nr : 1, 1);
	return;
discard:
	table_release(&m->old);
	strbuf_release(&sb);
}

struct cp_memo *cp_memo_open(const char *path)
{
	struct cp_memo *m = xcalloc(1, sizeof(*m));
	pthread_mutex_init(&m->lock, NULL);
	strbuf_init(&m->bytes, 0);
	libm_fingerprint(&m->libm);
	if (path) {
		m->path = xstrdup(path);
		memo_load(m);
	}
	if (!m->used)
		m->used = xcalloc(1, 1);
	return m;
}

void cp_memo_close(struct cp_memo *m)
{
	if (!m)
		return;
	table_release(&m->old);
	table_release(&m->add);
	strbuf_release(&m->bytes);
	pthread_mutex_destroy(&m->lock);
	free(m->used);
	free(m->file);
	free(m->path);
	free(m);
}

int cp_memo_get(struct cp_memo *m, const struct cp_key *k, void *val, size_t cap, size_t *len)
{
	size_t i = table_find(&m->old, k);
	if (i != (size_t)-1) {
		const struct entry *e = &m->old.e[i];
		if (e->len > cap)
			return 0;
		if (!__atomic_load_n(&m->used[i], __ATOMIC_RELAXED))
			__atomic_store_n(&m->used[i], 1, __ATOMIC_RELAXED);
		memcpy(val, m->file + e->off, e->len);
		*len = e->len;
		return 1;
	}
	int hit = 0;
	pthread_mutex_lock(&m->lock);
	i = table_find(&m->add, k);
	if (i != (size_t)-1 && m->add.e[i].len <= cap) {
		const struct entry *e = &m->add.e[i];
		memcpy(val, m->bytes.buf + e->off, e->len);
		*len = e->len;
		hit = 1;
		m->hits_new++;
	} else {
		m->misses++;
	}
	pthread_mutex_unlock(&m->lock);
	return hit;
}

void cp_memo_put(struct cp_memo *m, const struct cp_key *k, const void *val, size_t len)
{
	if (len > UINT32_MAX || table_find(&m->old, k) != (size_t)-1)
		return;
	pthread_mutex_lock(&m->lock);
	if (table_find(&m->add, k) == (size_t)-1 && m->add.nr + 1 < UINT32_MAX) {
		table_reserve(&m->add);
		m->add.e[m->add.nr] = (struct entry){ *k, m->bytes.len, (uint32_t)len };
		index_insert(&m->add.ix, k, m->add.nr);
		m->add.nr++;
		strbuf_add(&m->bytes, val, len);
	}
	pthread_mutex_unlock(&m->lock);
}

void cp_memo_get_stats(const struct cp_memo *m, struct cp_memo_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->loaded = m->old.nr;
	for (size_t i = 0; i < m->old.nr; i++)
		st->used += m->used[i];
	st->hits_new = m->hits_new;
	st->misses = m->misses;
	st->added = m->add.nr;
}

static void put_entry(struct strbuf *out, const struct entry *e, const void *val)
{
	static const unsigned char zero[8];
	uint32_t pad = 0;
	strbuf_add(out, &e->k.a, 8);
	strbuf_add(out, &e->k.b, 8);
	strbuf_add(out, &e->len, 4);
	strbuf_add(out, &pad, 4);
	strbuf_add(out, val, e->len);
	strbuf_add(out, zero, (8 - e->len % 8) % 8);
}

int cp_memo_save(struct cp_memo *m)
{
	if (!m->path)
		return 0;
	struct cp_memo_stats st;
	cp_memo_get_stats(m, &st);
	if (!m->add.nr && st.used == m->old.nr && m->file)
		return 0; /* the file already holds exactly these entries */
	struct strbuf out = STRBUF_INIT;
	uint32_t version = MEMO_VERSION, zero = 0;
	uint64_t count = st.used + m->add.nr, body = 0;
	strbuf_add(&out, MEMO_MAGIC, 8);
	strbuf_add(&out, &version, 4);
	strbuf_add(&out, &zero, 4);
	strbuf_add(&out, &count, 8);
	strbuf_add(&out, &body, 8);
	strbuf_add(&out, &m->libm.a, 8);
	strbuf_add(&out, &m->libm.b, 8);
	for (size_t i = 0; i < m->old.nr; i++)
		if (m->used[i])
			put_entry(&out, &m->old.e[i], m->file + m->old.e[i].off);
	for (size_t i = 0; i < m->add.nr; i++)
		put_entry(&out, &m->add.e[i], m->bytes.buf + m->add.e[i].off);
	body = out.len - HEADER_BYTES;
	memcpy(out.buf + 24, &body, 8);
	struct cp_key check;
	cp_hash128(&check, NULL, 0, out.buf, out.len);
	strbuf_add(&out, &check.a, 8);
	strbuf_add(&out, &check.b, 8);
	int r = atomic_write_file(m->path, out.buf, out.len);
	strbuf_release(&out);
	return r < 0 ? bk_error_prefix("change-point memo") : 0;
}
