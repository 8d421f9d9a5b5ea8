/* mainlist: the first-parent history of the main branch, oldest first, kept
 * in the site cache so that a rebuild reads only the commits added since
 * the last build (walking 10,000 commits costs ~60 ms; reading the list a
 * few). When the cached tip is not on the branch's first-parent history any
 * more (a force-push, a reset), the whole history is walked again. */
#ifndef BK_MAINLIST_H
#define BK_MAINLIST_H

#include <stddef.h>

#include "lib/git/gitio.h"

struct main_commit {
	char sha[41];
	long long time;
	char *summary, *author;
};

/* Fills *out (malloc'd, oldest first, *n entries; free with
 * mainlist_free) with the first-parent history of branch, using and
 * updating the list saved in cache_dir (NULL: no cache; a list that cannot
 * be read or saved only costs time). Returns 0, GITIO_NOTFOUND when the
 * branch does not exist, or -1 with bk_error set. */
int mainlist_load(struct gitio *g, const char *branch, const char *cache_dir,
		  struct main_commit **out, size_t *n);

/* Frees n commits and the array. */
void mainlist_free(struct main_commit *c, size_t n);

#endif
