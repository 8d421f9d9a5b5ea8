/* site_pages: the pages of `benchkeep site` that list many series: the
 * index, a page per suite, the regressions feed and the weekly summaries;
 * and the list of every change point they share. */
#ifndef BK_SITE_PAGES_H
#define BK_SITE_PAGES_H

#include <stddef.h>

#include "sitegen/render/site_ctx.h"

/* Every change point of every series, newest first; *n gets the count. The
 * caller frees the array (its items point into st->s). */
struct change_ref *site_all_changes(const struct site *st, size_t *n);
/* index.html: every series and the RECENT_CHANGES newest change points;
 * weekly_latest (or NULL) links the newest weekly summary. 0 or -1 + bk_error. */
int site_render_index(struct site *st, const struct change_ref *ch, size_t nch,
		      const char *weekly_latest);
/* suites/<slug>.html for suite si. 0 or -1 + bk_error. */
int site_render_suite(struct site *st, size_t si);
/* feed.xml: the FEED_ENTRIES newest regressions as Atom. 0 or -1 + bk_error. */
int site_render_feed(struct site *st, const struct change_ref *ch, size_t nch);
/* weekly/<week>.html and .md for every week that has results; latest
 * (latest_len bytes) gets the newest week's name ("" for none). 0 or -1 + bk_error. */
int site_render_weekly(struct site *st, const struct change_ref *ch, size_t nch, char *latest,
		       size_t latest_len);

#endif
