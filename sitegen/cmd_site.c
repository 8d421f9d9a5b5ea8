/* benchkeep site: render the static site from the git history of results. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sitegen/cli.h"
#include "lib/base/error.h"
#include "sitegen/render/site.h"

static const char site_usage[] =
	"usage: benchkeep site [options]\n"
	"  --repo DIR          repository holding the results (default .)\n"
	"  --ref REF           revision whose tree has the results (default HEAD; often a data branch)\n"
	"  --results-dir DIR   directory of result files in that tree (default results)\n"
	"  --branch BRANCH     branch whose first-parent history orders the points\n"
	"                      (default: the repository's main branch)\n"
	"  --out DIR           output directory (default site)\n"
	"  --templates DIR     templates overriding the built-in ones (same file names)\n"
	"  --base-url URL      absolute URL of the published site (feed links)\n"
	"  --title TEXT        site title (default Benchmarks)\n"
	"  --repo-url URL      repository web URL; commits link to URL/commit/SHA\n"
	"  --no-cache          parse every result again (the cache lives in the git dir)\n"
	"  --threads N         threads for parsing and rendering (default: all cores, at most 8)\n";

/* 1 when url starts with http:// or https://. */
static int is_http_url(const char *url)
{
	return !strncmp(url, "https://", 8) || !strncmp(url, "http://", 7);
}

int cmd_site(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "repo", required_argument, NULL, 'r' },
		{ "ref", required_argument, NULL, 'R' },
		{ "results-dir", required_argument, NULL, 'd' },
		{ "branch", required_argument, NULL, 'b' },
		{ "out", required_argument, NULL, 'o' },
		{ "templates", required_argument, NULL, 't' },
		{ "base-url", required_argument, NULL, 'u' },
		{ "title", required_argument, NULL, 'T' },
		{ "repo-url", required_argument, NULL, 'U' },
		{ "no-cache", no_argument, NULL, 'n' },
		{ "threads", required_argument, NULL, 'j' },
		{ "now", required_argument, NULL, 'N' }, /* pins the generation time (tests) */
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct site_opts o;
	memset(&o, 0, sizeof(o));
	o.log = stderr;
	int c;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'r': o.repo = optarg; break;
		case 'R': o.ref = optarg; break;
		case 'd': o.results_dir = optarg; break;
		case 'b': o.branch = optarg; break;
		case 'o': o.out = optarg; break;
		case 't': o.templates = optarg; break;
		case 'u': o.base_url = optarg; break;
		case 'T': o.title = optarg; break;
		case 'U':
			o.repo_url = optarg;
			if (!is_http_url(optarg))
				return bk_fail_msg("--repo-url: expected an http(s) URL, got '%s'", optarg);
			break;
		case 'n': o.no_cache = 1; break;
		case 'j':
		case 'N': {
			long long v = strtoll(optarg, &end, 10);
			if (*end || end == optarg || v < 0 || (c == 'j' && v > 64))
				return bk_fail_msg("invalid number '%s'", optarg);
			if (c == 'j')
				o.threads = (int)v;
			else
				o.now = v;
			break;
		}
		case 'h': fputs(site_usage, stdout); return 0;
		default: fputs(site_usage, stderr); return 2;
		}
	}
	if (optind < argc)
		return bk_fail_msg("unexpected argument '%s'", argv[optind]);
	if (o.base_url && !is_http_url(o.base_url))
		return bk_fail_msg("--base-url: expected an http(s) URL, got '%s'", o.base_url);
	struct site_stats st;
	if (site_build(&o, &st) < 0)
		return bk_fail();
	fprintf(stderr,
		"benchkeep: site: %zu results (%zu parsed, %zu from cache, %zu skipped, %zu off the main branch), "
		"%zu series, %zu change points, %zu files written, %zu unchanged, %zu stale removed, "
		"%.2f s\n",
		st.results, st.parsed, st.cached, st.skipped, st.off_main, st.series, st.changes,
		st.written, st.unchanged, st.removed, st.seconds);
	printf("%s/index.html\n", o.out ? o.out : "site");
	return 0;
}
