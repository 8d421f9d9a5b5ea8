/* parallel: runs independent tasks on a few threads (the site's pages, data
 * files and change points). */
#ifndef BK_PARALLEL_H
#define BK_PARALLEL_H

#include <stddef.h>

/* A task: 0, or -1 with bk_error set (on its own thread). */
typedef int (*parallel_fn)(size_t i, void *payload);

/* Runs fn(i, payload) for every i in [0, n) on `threads` threads (0: one per
 * core; at most 8; the calling thread is one of them). Tasks are taken in
 * order; after a failure no new task starts. Returns 0, or -1 with the first
 * failure's message in bk_error on the calling thread. */
int parallel_run(size_t n, int threads, parallel_fn fn, void *payload);

#endif
