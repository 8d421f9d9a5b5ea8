/* history: what the site is made of, read straight from git objects.
 *
 * Reads every result file under results_dir in the tree of `ref` (often a
 * data branch that is never checked out), learns from the ref's history
 * which commit recorded each file and when, and places each result on the
 * first-parent history of `branch` by the commit it measured
 * (run.commit.sha). Results whose sha is not on that branch are kept apart
 * (off_main); results without a sha are placed by their run time. A file
 * that does not parse is skipped with one warning naming commit and path. */
#ifndef BK_HISTORY_H
#define BK_HISTORY_H

#include <stdio.h>

#include "sitegen/history/cache.h"
#include "lib/git/gitio.h"
#include "sitegen/history/mainlist.h"
#include "sitegen/history/siterecord.h"

struct site_result {
	char blob[41];
	char *path;              /* in the data ref */
	struct record rec;       /* the result's record: run facts, benchmarks */
	const uint32_t *defmap;  /* rec's definition numbers -> history.defs
				  * (NULL: the same) */
	char recorded_sha[41];   /* data-ref commit that added the file ("" unknown) */
	long long recorded_time; /* its commit time (0 unknown) */
	double order;            /* position on the main branch (0 = oldest); -1 off it */
	long main_index;         /* index in history.commits of the measured commit, or -1 */
	long long time;          /* measured commit's time, else the run's start */
};

struct history_opts {
	const char *ref;         /* default "HEAD" */
	const char *results_dir; /* default "results" */
	const char *branch;      /* default: the repository's main branch */
	const char *cache_dir;   /* parsed-result cache; NULL: none */
	int threads;             /* parser threads; 0: number of cores (max 8) */
	FILE *warnings;          /* warnings go here (NULL: silent) */
};

struct history {
	char *branch;                 /* resolved main branch */
	struct main_commit *commits;  /* main branch, oldest first */
	size_t ncommits;
	struct site_result *results;  /* sorted: on main by order, then off main by time */
	size_t nresults, nmain;       /* the first nmain are on (or placed on) main */
	size_t nskipped;              /* files that did not parse */
	size_t nparsed, ncached;      /* blobs parsed now / taken from the cache */
	struct def_table defs;        /* every benchmark definition */
	char **owned;                 /* records parsed by this build */
	size_t nowned;
	struct cache *cache;          /* holds the cached records (NULL: none) */
};

/* Loads the history. 0, or -1 with bk_error set (unknown ref, unreadable
 * repository). h is released on failure. */
int history_load(struct history *h, struct gitio *g, const struct history_opts *o);
/* Frees everything h owns. */
void history_release(struct history *h);
/* Definition of a benchmark of r read with record_next. */
static inline const struct bench_def *history_def(const struct history *h,
						  const struct site_result *r, uint32_t def)
{
	return &h->defs.items[r->defmap ? r->defmap[def] : def];
}

/* Index in h->commits of sha (full or unique prefix of >= 7), or -1. */
long history_find_commit(const struct history *h, const char *sha);

#endif
