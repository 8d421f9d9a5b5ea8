/* cache: parsed results kept between site builds, keyed by git blob id, so
 * a rebuild parses only new blobs.
 *
 * On disk: a directory of append-only segment files ("seg-*.bkc"), each a
 * binary list of entries (blob id, recorded commit and time, and the result
 * in a compact form: strings, doubles, no JSON). A build that learns
 * something new writes one new segment atomically; when there are more than
 * 16 segments they are compacted into one. A segment that does not read
 * back (truncated, other version) is ignored and rebuilt: the cache can only
 * cost time, never change the site. */
#ifndef BK_CACHE_H
#define BK_CACHE_H

#include "result.h"

struct cache;

/* Opens (creating when needed) the cache in dir and loads its index. Never
 * fails: a cache that cannot be used is empty. Free with cache_close. */
struct cache *cache_open(const char *dir);
/* Frees the cache (does not save). NULL is fine. */
void cache_close(struct cache *c);

/* Fills *out (initialised by the call) with the cached result of blob and
 * returns 1, or returns 0 when it is not cached. */
int cache_get_result(struct cache *c, const char *blob, struct bk_result *out);
int cache_has_result(struct cache *c, const char *blob);
/* Remembers r for blob (copied into the next segment). */
void cache_put_result(struct cache *c, const char *blob, const struct bk_result *r);

/* The commit that recorded blob, when known: returns 1 and fills sha (41
 * bytes) and *time. */
int cache_get_recorded(struct cache *c, const char *blob, char *sha, long long *time);
void cache_put_recorded(struct cache *c, const char *blob, const char *sha, long long time);

/* Writes what was put since opening as a new segment. 0 or -1 + bk_error. */
int cache_save(struct cache *c);

/* Serialises r compactly into sb / reads it back (0, or -1 on a short or
 * corrupt buffer). Exposed for tests. */
void cache_encode_result(struct strbuf *sb, const struct bk_result *r);
int cache_decode_result(const unsigned char *p, size_t len, struct bk_result *out);

#endif
