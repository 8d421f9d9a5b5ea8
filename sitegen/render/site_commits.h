/* site_commits: the commit pages of `benchkeep site` (commits/<sha>.html):
 * which main commits get one, and writing them. */
#ifndef BK_SITE_COMMITS_H
#define BK_SITE_COMMITS_H

#include <stddef.h>

#include "sitegen/render/site_ctx.h"

/* Marks the main commits that get a page: where a change point starts and
 * the newest ones with results. */
void site_mark_commit_pages(struct site *st);
/* A page per marked commit, those whose inputs changed. 0
 * or -1 + bk_error. */
int site_render_commits(struct site *st);

#endif
