/* output: writes the site's files under the output directory, only when
 * their content changed (so a rebuild leaves unchanged files untouched and
 * their mtimes intact), atomically, and never outside the directory; and
 * keeps a manifest of what each file was made from, so a rebuild can skip
 * making a file whose inputs are the same. */
#ifndef BK_OUTPUT_H
#define BK_OUTPUT_H

#include <stddef.h>

#include <stdint.h>

#include "lib/base/atomicfile.h"
#include "lib/base/strmap.h"

#include <pthread.h>

/* output_write, output_skip and output_note may be called from several
 * threads at once (the counters are updated atomically). */
struct output {
	const char *dir;
	size_t written, unchanged;
	size_t bytes; /* total size of the files of this build */
	struct strmap produced;  /* relpaths written or confirmed by this build */
	pthread_mutex_t lock;    /* guards produced and the new manifest */
	/* the manifest: what each file was made from (output_skip) */
	struct strmap old_index; /* relpath -> index in old (last build's) */
	struct manifest_entry *old, *cur;
	size_t nold, ncur, acur;
};

struct manifest_entry {
	char *path;
	uint64_t fp;
	long long size, mtime_ns;
};

/* Prepares o for directory dir (not created here). Release with
 * output_release. */
void output_init(struct output *o, const char *dir);
void output_release(struct output *o);

/* Makes every file written so far durable (output_write renames without
 * fsync; one syncfs of the file system is much cheaper than an fsync per
 * file). 0 or -1 + bk_error. */
int output_sync(struct output *o);

/* Reads the manifest a previous build left in the directory (a missing or
 * unreadable one is empty). */
void output_load_manifest(struct output *o);
/* 1 when the manifest says relpath was made from inputs of fingerprint fp
 * and the file is still there as that build left it (same size and mtime):
 * it then counts as produced and unchanged, and the caller need not make
 * it. 0: make it (and output_note it). Thread-safe. */
int output_skip(struct output *o, const char *relpath, uint64_t fp);
/* Records that relpath, just written by output_write or a stream, was made
 * from inputs of fingerprint fp. Thread-safe. */
void output_note(struct output *o, const char *relpath, uint64_t fp);
/* Writes the manifest of this build's fingerprinted files, atomically. 0 or
 * -1 + bk_error. */
int output_save_manifest(struct output *o);

/* Removes the files DIR/subdir/NAME ending in `suffix` that this build did
 * not produce (pages of benchmarks or commits that are gone), adding their
 * number to *removed, and temporaries (NAME.tmp.XXXXXX) over an hour old
 * that a killed build left; a concurrent writer's fresh ones are left
 * alone. 0, or -1 with bk_error set. */
int output_prune(struct output *o, const char *subdir, const char *suffix, size_t *removed);

/* Writes data to DIR/relpath unless the file already holds exactly that
 * (atomically, durable after output_sync).
 * relpath must be relative, without "..", "//" or control characters
 * (checked: -1 + bk_error otherwise). Returns 0 or -1 with bk_error. */
int output_write(struct output *o, const char *relpath, const void *data, size_t len);

#endif
