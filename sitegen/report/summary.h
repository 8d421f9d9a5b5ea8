/* summary: a comparison as GitHub-flavoured markdown, for the pull request
 * comment (`benchkeep summary`) and `benchkeep compare --format markdown`.
 *
 * Rendered from the template summary.md.mustache (weekly-check.md.mustache
 * for the weekly check; the embedded default, or the file of that name in
 * opts.templates) with markdown escaping: every
 * string that comes from a result (suite, name, unit, branch, ...) is escaped
 * so that '|', '`', '<', '*', a newline and the like can neither break a
 * table row nor inject markup. Our own numbers are inserted as they are.
 *
 * Size: the output never exceeds opts.max_chars bytes (GitHub's comment
 * limit is 65,536 characters; bytes >= characters, so counting bytes is
 * safe). When every row does not fit, the least important rows are dropped
 * whole (unchanged first, then missing, new, noisy, improvements and, last,
 * the smallest regressions), and the document says how many were left out:
 * markup is never cut in the middle.
 *
 * Chart links: with a site URL, each row also gets `page`, the URL of the
 * benchmark's page on the site (bench/<slug>.html of HEAD's machine, the
 * page `benchkeep site` writes for that series). */
#ifndef BK_SUMMARY_H
#define BK_SUMMARY_H

#include <stddef.h>

#include "lib/verdict/compare.h"
#include "lib/base/strbuf.h"

#define SUMMARY_MARKER "<!-- benchkeep:summary -->"
/* The first line of the weekly check (summary_opts.weekly): the scheduled
 * workflow finds its one open issue by it. */
#define SUMMARY_WEEKLY_MARKER "<!-- benchkeep:weekly-check -->"
#define SUMMARY_MAX_CHARS 65000

struct summary_opts {
	size_t max_chars;          /* 0: SUMMARY_MAX_CHARS */
	int marker;                /* 1: the first line is SUMMARY_MARKER */
	const char *base_label;    /* how BASE is named (file name), may be NULL */
	const char *base_kind;     /* "result" or "baseline" */
	const char *head_label;    /* how HEAD is named, may be NULL */
	const char *artifacts_url; /* http(s) links, may be NULL */
	const char *site_url;
	const char *templates;     /* directory with the template, or NULL */
	/* 1: the weekly check (weekly-check.md.mustache, SUMMARY_WEEKLY_MARKER):
	 * one section per regression, each linking to its chart on the site */
	int weekly;
};

/* Renders c (in any order: rows are ordered here) as markdown appended to
 * out; *omitted (may be NULL) gets the number of rows left out for size.
 * Returns 0, or -1 with bk_error set (a URL that is not http(s), a template
 * error, or max_chars too small for even the rows-free document); out is
 * then unchanged. */
int summary_render(const struct comparison *c, const struct summary_opts *o, struct strbuf *out,
		   size_t *omitted);

#endif
