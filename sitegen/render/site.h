/* site: renders the static benchmark site from git history.
 *
 * Pages (relative links only, complete without JavaScript):
 *   index.html                 suites and benchmarks, latest values, changes, sparklines
 *   suites/SLUG.html           one per suite
 *   bench/SLUG.html            one per series (benchmark x machine): SVG trend
 *                              chart, change points, recent history table
 *   commits/SHA.html           one per recorded commit, compared with the previous one
 *   weekly/YYYY-Www.md, .html  weekly summaries (markdown rendered with cmark-gfm)
 *   feed.xml                   Atom feed of detected regressions
 *   data/SUITE.json, .csv      the series for download; data/changes.json
 *   assets/                    style.css, site.js
 * Templates come from --templates DIR when it has the file, else the
 * defaults compiled into the binary. */
#ifndef BK_SITE_H
#define BK_SITE_H

#include <stddef.h>

#include "sitegen/render/site_opts.h"

struct site_stats {
	size_t results, skipped, off_main, series, changes, pages;
	size_t parsed, cached;   /* blobs parsed this build / taken from the cache */
	size_t written, unchanged;
	size_t removed;          /* stale pages and data files removed */
	double seconds;
};

/* Builds the site. 0, or -1 with bk_error set (the output may then be
 * partly updated, but every file in it is whole). */
int site_build(const struct site_opts *o, struct site_stats *st);

#endif
