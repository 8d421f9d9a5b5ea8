/* cpmemo: a content-addressed memo of change-point computations, kept in a
 * file between site builds (see docs/changepoints.md, "Incremental
 * detection").
 *
 * The memo maps a 128-bit key — a hash of the exact bytes a computation
 * reads plus every parameter it depends on — to the bytes of its result.
 * sitegen/analysis/changepoint.c decides what is memoised and builds the keys
 * (changepoint_detect_memo); this module only stores, finds and persists.
 *
 * Threads: cp_memo_get and cp_memo_put may be called concurrently on one
 * memo. The table loaded from the file is read-only (lookups take no lock;
 * a hit only sets the entry's "used" flag atomically); entries added in this
 * run live in a second table behind a mutex. cp_memo_open, cp_memo_save and
 * cp_memo_close must not overlap with any other call on the same memo.
 *
 * A save writes only the entries looked up or added since the memo was
 * opened, so entries for data that is gone are dropped and the file does not
 * grow without bound. */
#ifndef BK_CPMEMO_H
#define BK_CPMEMO_H

#include <stddef.h>
#include <stdint.h>

struct cp_memo;

/* A 128-bit content key. */
struct cp_key {
	uint64_t a, b;
};

/* Opens the memo stored at `path` (NULL: a memo in memory only, which
 * cp_memo_save does not write). Never fails: a missing, unreadable,
 * truncated, corrupt or other-version file gives an empty memo. The caller
 * releases it with cp_memo_close. */
struct cp_memo *cp_memo_open(const char *path);

/* Writes the entries looked up or added since cp_memo_open to the memo's
 * path, atomically (lib/atomicfile), in the current format. Nothing is
 * written when the file would not change (every loaded entry used, none
 * added) or when the memo has no path. Returns 0, or -1 with bk_error set
 * (the old file is then untouched). */
int cp_memo_save(struct cp_memo *m);

/* Frees the memo and everything it holds (NULL is fine). Does not save. */
void cp_memo_close(struct cp_memo *m);

/* Looks key k up. On a hit whose value is at most `cap` bytes, copies the
 * value into val, sets *len and returns 1; otherwise returns 0 (a value
 * larger than cap counts as a miss). Thread-safe. */
int cp_memo_get(struct cp_memo *m, const struct cp_key *k, void *val, size_t cap, size_t *len);

/* Adds the value of key k (len bytes, copied). A key already present keeps
 * its value. Thread-safe. */
void cp_memo_put(struct cp_memo *m, const struct cp_key *k, const void *val, size_t len);

/* Counters since cp_memo_open, for tests and timing. */
struct cp_memo_stats {
	size_t loaded;   /* entries read from the file */
	size_t used;     /* of those, entries looked up at least once */
	size_t hits_new; /* lookups answered by entries added in this run */
	size_t misses;   /* lookups answered by neither table */
	size_t added;    /* entries added in this run */
};
/* Copies the counters into *st. Call when no other thread uses m. */
void cp_memo_get_stats(const struct cp_memo *m, struct cp_memo_stats *st);

/* Hashes `nhead` 64-bit words followed by `len` bytes of `data` into *k
 * (two independent 64-bit multiply-fold lanes; the length is part of the
 * hash). Pure function, no state. */
void cp_hash128(struct cp_key *k, const uint64_t *head, size_t nhead, const void *data,
		size_t len);

#endif
