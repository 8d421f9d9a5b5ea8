/* cache: what the site learnt from git, kept between builds, keyed by git
 * blob id, so a rebuild parses only new blobs and decodes nothing.
 *
 * On disk: a directory of append-only segment files ("seg-*.bkc"), each a
 * list of entries — a result's record (sitegen/history/siterecord.h), the commit that
 * recorded a blob and when, and the benchmark definitions the records of the
 * segment number. Segments are mapped into memory and their records used in
 * place. A build that learns something new writes one new segment
 * atomically; when there are more than 16 they are compacted into one,
 * keeping only what this build looked up (cache_has_result,
 * cache_get_recorded), so results gone from the tree do not pile up. A
 * segment that does not read back whole (truncated, other version, corrupt)
 * is ignored and removed: the cache can only cost time, never change the
 * site. */
#ifndef BK_CACHE_H
#define BK_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "sitegen/history/siterecord.h"

struct cache;

/* Opens (creating when needed) the cache in dir, maps its segments and
 * interns their benchmark definitions into defs (which must outlive the
 * cache). Never fails: a cache that cannot be used is empty. Free with
 * cache_close. */
struct cache *cache_open(const char *dir, struct def_table *defs);
/* Unmaps and frees the cache (does not save): records obtained from it are
 * invalid afterwards. NULL is fine. */
void cache_close(struct cache *c);

/* The cached record of blob: returns 1 and sets *rec and *len (in the cache's
 * memory) and *defmap and *ndefmap, which turn the record's definition numbers
 * into defs' (*defmap NULL: they are defs' already); 0 when not cached. */
int cache_get_record(struct cache *c, const char *blob, const unsigned char **rec, size_t *len,
		     const uint32_t **defmap, uint32_t *ndefmap);
/* 1 when blob's record is cached (or put in this run); marks it used. */
int cache_has_result(struct cache *c, const char *blob);
/* Remembers blob's record rec[0..len), numbered as defs (copied into the
 * next segment with the definitions it uses). */
void cache_put_record(struct cache *c, const char *blob, const unsigned char *rec, size_t len);

/* The commit that recorded blob, when known: returns 1 and fills sha (41
 * bytes) and *time. */
int cache_get_recorded(struct cache *c, const char *blob, char *sha, long long *time);
void cache_put_recorded(struct cache *c, const char *blob, const char *sha, long long time);

/* Writes what was put since opening as a new segment. 0 or -1 + bk_error. */
int cache_save(struct cache *c);

#endif
