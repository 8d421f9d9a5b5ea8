/* strpool: a set of interned strings, so the millions of benchmark entries
 * of a long history share one copy of each suite, name, unit and param.
 * Not thread-safe: intern from one thread. */
#ifndef BK_STRPOOL_H
#define BK_STRPOOL_H

#include <stddef.h>

struct strpool {
	char **slots;
	size_t nr, cap;
};
#define STRPOOL_INIT { NULL, 0, 0 }

/* The pooled copy of s (NULL for NULL): owned by the pool, valid until
 * strpool_release. */
const char *strpool_get(struct strpool *p, const char *s);

/* Takes a heap string the caller owns: returns the pooled equal string and
 * frees s (or keeps s itself as the pooled copy). NULL stays NULL. */
char *strpool_take(struct strpool *p, char *s);

/* Frees every pooled string. */
void strpool_release(struct strpool *p);

#endif
