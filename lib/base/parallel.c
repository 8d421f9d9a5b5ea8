/* parallel: a shared counter hands out task indexes to the threads. */
#include "lib/base/parallel.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/base/error.h"
#include "lib/base/xalloc.h"

struct job {
	size_t n;
	parallel_fn fn;
	void *payload;
	size_t next; /* next task (atomic) */
	int failed;  /* set by the first failure (atomic) */
	char *error; /* its message */
	pthread_mutex_t lock;
};

static void *worker(void *arg)
{
	struct job *j = arg;
	for (;;) {
		size_t i = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED);
		if (i >= j->n || __atomic_load_n(&j->failed, __ATOMIC_RELAXED))
			return NULL;
		if (j->fn(i, j->payload) < 0) {
			pthread_mutex_lock(&j->lock);
			if (!j->failed) {
				j->error = xstrdup(bk_last_error());
				__atomic_store_n(&j->failed, 1, __ATOMIC_RELAXED);
			}
			pthread_mutex_unlock(&j->lock);
			return NULL;
		}
	}
}

int parallel_run(size_t n, int threads, parallel_fn fn, void *payload)
{
	struct job j = { n, fn, payload, 0, 0, NULL, PTHREAD_MUTEX_INITIALIZER };
	long nc = sysconf(_SC_NPROCESSORS_ONLN);
	int nt = threads > 0 ? threads : (nc > 0 ? (int)nc : 1);
	if (nt > 8)
		nt = 8;
	if ((size_t)nt > n)
		nt = n ? (int)n : 1;
	pthread_t tids[8];
	int started = 0;
	for (int t = 1; t < nt; t++)
		if (pthread_create(&tids[started], NULL, worker, &j) == 0)
			started++;
	worker(&j);
	for (int t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
	pthread_mutex_destroy(&j.lock);
	if (j.failed) {
		bk_error("%s", j.error);
		free(j.error);
		return -1;
	}
	return 0;
}
