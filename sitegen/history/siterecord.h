/* siterecord: a result as the site keeps it, in one compact byte string.
 *
 * The site needs, per result, a few run facts (id, times, commit, branch,
 * machine, pull request) and, per benchmark, which benchmark it is, its
 * statistics and its samples. A record holds exactly that, with no JSON and
 * no allocation per benchmark; strings are NUL-terminated so they are used
 * in place. The same bytes are kept in memory after a parse and in the cache
 * segments on disk (sitegen/history/cache.h), so a cached result costs no decoding.
 *
 * A benchmark refers to its definition (suite, name, params, unit,
 * direction, source) by a number. Definitions live in a def_table, shared
 * by every record of a build and interned from several threads at once. A
 * record read from a cache segment numbers definitions the way its segment
 * does; the segment's map turns those numbers into the table's
 * (record_def). */
#ifndef BK_SITERECORD_H
#define BK_SITERECORD_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/doc/result.h"
#include "lib/base/strbuf.h"
#include "lib/base/strmap.h"

struct bench_def {
	const char *suite, *name, *unit, *source; /* interned in the table's pool */
	enum bk_direction direction;
	struct bk_kvlist params; /* items owned by the table, strings pooled */
	uint32_t ident;          /* equal for every definition of one suite+name+params */
};

struct def_table {
	struct bench_def *items;
	size_t nr, alloc;
	uint32_t nident;        /* distinct suite+name+params */
	struct strmap by_def;   /* full definition key -> index in items */
	struct strmap by_ident; /* suite+name+params key -> ident */
	struct strmap pool;      /* the definitions' strings */
	pthread_mutex_t lock;
};

/* Prepares an empty table; release with def_table_release. */
void def_table_init(struct def_table *t);
void def_table_release(struct def_table *t);

/* The index of b's definition, added when new. Thread-safe. */
uint32_t def_table_intern(struct def_table *t, const struct bk_benchmark *b);

/* Appends the encoded definition d to sb (the payload of a cache entry). */
void def_encode(struct strbuf *sb, const struct bench_def *d);
/* Interns the encoded definition p[0..len): its index, or UINT32_MAX when
 * the bytes are not a definition. Thread-safe. */
uint32_t def_table_intern_encoded(struct def_table *t, const unsigned char *p, size_t len);

/* The key bench_key() gives for a benchmark of definition d. */
void def_key(const struct bench_def *d, struct strbuf *sb);

/* Appends the record of r to sb, interning its definitions in t. */
void record_encode(struct strbuf *sb, const struct bk_result *r, struct def_table *t);

/* A record opened for reading: every pointer points into the record. */
struct record {
	const char *id, *started_at, *commit_sha, *commit_branch, *machine; /* NULL: absent */
	long long pr;               /* 0 when not a pull request */
	uint32_t nbench;            /* benchmarks, failed ones included */
	const unsigned char *bench; /* the first benchmark (record_next) */
	const unsigned char *end;
};

/* Checks the whole record p[0..len) (every length and bound, and that each
 * definition number is below ndefs) and fills *out. 0, or -1 when the bytes
 * are not a whole record. */
int record_open(const unsigned char *p, size_t len, uint32_t ndefs, struct record *out);

struct record_bench {
	uint32_t def; /* definition number as the record has it (see history_def) */
	uint32_t n;   /* samples */
	double median, min, max, ci_low, ci_high;
	const unsigned char *samples; /* n doubles, unaligned: record_samples */
};

/* Reads the benchmark at p (inside an opened record) into *out; returns
 * where the next one starts. */
const unsigned char *record_next(const unsigned char *p, struct record_bench *out);

/* Copies the n samples at p into out. */
void record_samples(const unsigned char *p, uint32_t n, double *out);

#endif
