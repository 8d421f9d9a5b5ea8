/* xalloc: the only direct callers of malloc/realloc. Out of memory aborts
 * the process with a message (the one exception to "lib/ never exits"). */
#ifndef BK_XALLOC_H
#define BK_XALLOC_H

#include <stddef.h>

/* Allocates n bytes; never returns NULL. Caller frees with free(). */
void *xmalloc(size_t n);
/* Allocates n zeroed elements of size sz; never returns NULL. Caller frees. */
void *xcalloc(size_t n, size_t sz);
/* Resizes p to n bytes; never returns NULL. Caller frees the result. */
void *xrealloc(void *p, size_t n);
/* Copies s (NULL gives NULL). Caller frees. */
char *xstrdup(const char *s);
/* Copies the first n bytes of s and NUL-terminates. Caller frees. */
char *xstrndup(const char *s, size_t n);

/* Grows array `items` (with `alloc` slots) so that it holds at least `nr`
 * elements; amortised doubling. Usage: ALLOC_GROW(a, n + 1, alloc); a[n++]=x; */
#define ALLOC_GROW(items, nr, alloc)                                         \
	do {                                                                   \
		if ((size_t)(nr) > (alloc)) {                                      \
			size_t bk_ag_new = (alloc) ? (alloc) * 2 : 8;                    \
			if (bk_ag_new < (size_t)(nr))                                    \
				bk_ag_new = (size_t)(nr);                                      \
			(items) = xrealloc((items), bk_ag_new * sizeof(*(items)));       \
			(alloc) = bk_ag_new;                                             \
		}                                                                  \
	} while (0)

#endif
