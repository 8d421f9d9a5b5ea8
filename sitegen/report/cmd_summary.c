/* benchkeep summary: the pull request comment, as markdown on stdout. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/atomicfile.h"
#include "lib/doc/baseline.h"
#include "sitegen/cli.h"
#include "lib/verdict/compare.h"
#include "lib/base/error.h"
#include "sitegen/render/markdown.h"
#include "sitegen/report/summary.h"
#include "lib/verdict/thresholds.h"

static const char summary_usage[] =
	"usage: benchkeep summary --head RESULT [--baseline FILE | --base RESULT] [options]\n"
	"Prints the pull request comment (GitHub-flavoured markdown); its first line is\n"
	"the marker " SUMMARY_MARKER " (with --weekly: the weekly check, marker\n"
	SUMMARY_WEEKLY_MARKER ").\n"
	"      --head RESULT       the result of the pull request\n"
	"      --baseline FILE     compare with this baseline (default " BASELINE_DEFAULT_PATH ")\n"
	"      --base RESULT       or with this result\n"
	"      --max-chars N       size limit (default 65000): the least important rows are\n"
	"                          dropped, saying how many\n"
	"      --artifacts-url URL link to the run's artifacts (http or https)\n"
	"      --site-url URL      link to the benchmark site (http or https); each\n"
	"                          benchmark also links to its chart there\n"
	"      --weekly            the weekly check: one section per regression with\n"
	"                          its chart link (template weekly-check.md.mustache)\n"
	"      --html FILE         also write the markdown rendered by cmark-gfm as an\n"
	"                          HTML page to FILE (atomically)\n"
	"  -t, --threshold PCT     effect floor in percent (default 5; the config may set one\n"
	"                          per benchmark or suite)\n"
	"  -a, --alpha A           significance level for the BH q-value (default 0.01)\n"
	"  -c, --config FILE       suite config (default: benchkeep.json when it exists)\n"
	"      --templates DIR     use DIR/summary.md.mustache (weekly-check.md.mustache)\n"
	"                          instead of the built-in one\n"
	"  -o, --output FILE       write the markdown to FILE (atomically) instead of stdout\n"
	VERDICT_USAGE
	"      --fail-on-regression  exit 1 when a benchmark regressed (not when BASE and\n"
	"                          HEAD ran on different machines: then informational)\n";

/* The markdown through cmark-gfm (GitHub's renderer, raw HTML omitted) as a
 * standalone page at path. 0, or -1 with bk_error set. */
static int write_html(const char *path, const struct strbuf *md, int weekly)
{
	char *body = markdown_to_html(md->buf, md->len);
	if (!body)
		return bk_error_prefix("%s", path);
	struct strbuf page = STRBUF_INIT;
	strbuf_addf(&page,
		    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		    "<title>%s</title>\n</head>\n<body>\n",
		    weekly ? "Weekly benchmark check" : "Benchmark summary");
	strbuf_addstr(&page, body);
	strbuf_addstr(&page, "</body>\n</html>\n");
	free(body);
	int rc = atomic_write_file(path, page.buf, page.len);
	strbuf_release(&page);
	return rc;
}

/* What the command line asks for. */
struct summary_args {
	struct compare_opts co;
	struct history_opts ho;
	struct summary_opts so;
	const char *head_path, *baseline_path, *base_path, *config, *output, *html_path;
	int fail_on_regression;
};

/* --max-chars N: 1 to 2^30. 0, or -1 with bk_error set. */
static int parse_max_chars(const char *arg, size_t *out)
{
	char *end;
	unsigned long long v = strtoull(arg, &end, 10);
	if (*end || end == arg || arg[0] == '-' || v < 1 || v > (1ULL << 30))
		return bk_error("--max-chars: expected a positive number, got '%.100s'", arg);
	*out = (size_t)v;
	return 0;
}

/* Handles option c (not a verdict option) into a. Returns -1 to go on,
 * else the exit code. */
static int take_option(struct summary_args *a, int c, const char *arg)
{
	switch (c) {
	case 'H': a->head_path = arg; break;
	case 'B': a->baseline_path = arg; break;
	case 'b': a->base_path = arg; break;
	case 'm':
		if (parse_max_chars(arg, &a->so.max_chars) < 0)
			return bk_fail();
		break;
	case 'A': a->so.artifacts_url = arg; break;
	case 'S': a->so.site_url = arg; break;
	case 't':
		if (parse_percent("--threshold", arg, &a->co.threshold))
			return bk_fail();
		break;
	case 'a':
		if (parse_alpha("--alpha", arg, &a->co.alpha))
			return bk_fail();
		break;
	case 'c': a->config = arg; break;
	case 'T': a->so.templates = arg; break;
	case 'o': a->output = arg; break;
	case 'F': a->fail_on_regression = 1; break;
	case 'W': a->so.weekly = 1; break;
	case 'L': a->html_path = arg; break;
	case 'h': fputs(summary_usage, stdout); return 0;
	default: fputs(summary_usage, stderr); return 2;
	}
	return -1;
}

/* Parses the options into a; BASE defaults to the baseline. Returns -1 to
 * go on, else the exit code. */
static int parse_args(struct summary_args *a, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "head", required_argument, NULL, 'H' },
		{ "baseline", required_argument, NULL, 'B' },
		{ "base", required_argument, NULL, 'b' },
		{ "max-chars", required_argument, NULL, 'm' },
		{ "artifacts-url", required_argument, NULL, 'A' },
		{ "site-url", required_argument, NULL, 'S' },
		{ "threshold", required_argument, NULL, 't' },
		{ "alpha", required_argument, NULL, 'a' },
		{ "config", required_argument, NULL, 'c' },
		{ "templates", required_argument, NULL, 'T' },
		{ "output", required_argument, NULL, 'o' },
		{ "fail-on-regression", no_argument, NULL, 'F' },
		{ "weekly", no_argument, NULL, 'W' },
		{ "html", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		VERDICT_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;
	optind = 1;
	while ((c = getopt_long(argc, argv, "t:a:c:o:h", longopts, NULL)) != -1) {
		int v = verdict_opt(c, optarg, &a->co, &a->ho);
		if (v < 0)
			return bk_fail();
		if (!v && (rc = take_option(a, c, optarg)) >= 0)
			return rc;
	}
	if (optind != argc)
		return bk_fail_msg("unexpected argument '%s'", argv[optind]);
	if (!a->head_path) {
		fputs(summary_usage, stderr);
		return bk_fail_msg("summary needs --head RESULT");
	}
	if (a->baseline_path && a->base_path)
		return bk_fail_msg("give --baseline or --base, not both");
	if (!a->base_path)
		a->base_path = a->baseline_path ? a->baseline_path : BASELINE_DEFAULT_PATH;
	return -1;
}

/* Renders the comment of s and writes it (markdown to --output or stdout,
 * the page to --html). 0, or -1 with bk_error set. */
static int write_summary(struct summary_args *a, const struct verdict_sides *s)
{
	struct strbuf md = STRBUF_INIT;
	size_t omitted = 0;
	int rc = -1;
	a->so.base_label = a->base_path;
	a->so.base_kind = s->base_kind;
	a->so.head_label = a->head_path;
	if (summary_render(&s->cmp, &a->so, &md, &omitted) < 0 ||
	    (a->html_path && write_html(a->html_path, &md, a->so.weekly) < 0) ||
	    (a->output && atomic_write_file(a->output, md.buf, md.len) < 0))
		goto out;
	if (!a->output)
		fwrite(md.buf, 1, md.len, stdout);
	if (omitted)
		bk_note("%zu rows left out to stay within %zu characters", omitted,
			a->so.max_chars ? a->so.max_chars : (size_t)SUMMARY_MAX_CHARS);
	rc = 0;
out:
	strbuf_release(&md);
	return rc;
}

int cmd_summary(int argc, char **argv)
{
	struct summary_args a = { .co = COMPARE_OPTS_INIT, .ho = HISTORY_OPTS_INIT };
	struct verdict_sides s;
	a.so.marker = 1;
	int rc = parse_args(&a, argc, argv);
	if (rc >= 0)
		return rc;
	verdict_sides_init(&s);
	if (verdict_sides_load(&s, a.config, a.base_path, a.head_path, &a.co, &a.ho) < 0 ||
	    write_summary(&a, &s) < 0)
		rc = bk_fail();
	else
		rc = verdict_exit(&s.cmp, a.fail_on_regression);
	history_opts_release(&a.ho);
	verdict_sides_release(&s);
	return rc;
}
