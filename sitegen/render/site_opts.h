/* site_opts: the options of a `benchkeep site` build (site_build in site.h),
 * on their own so that the page writers (site_ctx.h) read them without
 * depending on the driver. */
#ifndef BK_SITE_OPTS_H
#define BK_SITE_OPTS_H

#include <stdio.h>

struct site_opts {
	const char *repo;        /* default "." */
	const char *ref;         /* default "HEAD" */
	const char *results_dir; /* default "results" */
	const char *branch;      /* default: the repository's main branch */
	const char *out;         /* default "site" */
	const char *templates;   /* user template directory, or NULL */
	const char *base_url;    /* absolute URL of the site, for the feed */
	const char *title;       /* default "Benchmarks" */
	const char *repo_url;    /* e.g. https://github.com/o/r: links to commits */
	int no_cache;            /* 1: do not use the parsed-result cache */
	int threads;             /* 0: all cores */
	long long now;           /* generation time (0: time(NULL)); tests pin it */
	FILE *log;               /* warnings and the summary line (NULL: silent) */
};

#endif
