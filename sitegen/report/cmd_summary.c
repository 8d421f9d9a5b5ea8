/* benchkeep summary: the pull request comment, as markdown on stdout. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/atomicfile.h"
#include "lib/doc/baseline.h"
#include "collector/commands.h"
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

int cmd_summary(int argc, char **argv)
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
	struct compare_opts co = COMPARE_OPTS_INIT;
	struct history_opts ho = HISTORY_OPTS_INIT;
	struct summary_opts so = { 0 };
	const char *head_path = NULL, *baseline_path = NULL, *base_path = NULL, *config = NULL;
	const char *output = NULL, *html_path = NULL;
	int fail_on_regression = 0, c, rc = 2;
	struct bk_result base, head;
	struct comparison cmp;
	struct thresholds th;
	struct strbuf md = STRBUF_INIT;
	const char *base_kind = "result", *head_kind = "result";
	result_init(&base);
	result_init(&head);
	memset(&cmp, 0, sizeof(cmp));
	memset(&th, 0, sizeof(th));
	so.marker = 1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "t:a:c:o:h", longopts, NULL)) != -1) {
		int v = verdict_opt(c, optarg, &co, &ho);
		if (v < 0)
			return cmd_fail();
		if (v)
			continue;
		switch (c) {
		case 'H': head_path = optarg; break;
		case 'B': baseline_path = optarg; break;
		case 'b': base_path = optarg; break;
		case 'm': {
			char *end;
			unsigned long long v = strtoull(optarg, &end, 10);
			if (*end || end == optarg || optarg[0] == '-' || v < 1 || v > (1ULL << 30)) {
				bk_error("--max-chars: expected a positive number, got '%.100s'", optarg);
				return cmd_fail();
			}
			so.max_chars = (size_t)v;
			break;
		}
		case 'A': so.artifacts_url = optarg; break;
		case 'S': so.site_url = optarg; break;
		case 't':
			if (parse_percent("--threshold", optarg, &co.threshold))
				return cmd_fail();
			break;
		case 'a':
			if (parse_alpha("--alpha", optarg, &co.alpha))
				return cmd_fail();
			break;
		case 'c': config = optarg; break;
		case 'T': so.templates = optarg; break;
		case 'o': output = optarg; break;
		case 'F': fail_on_regression = 1; break;
		case 'W': so.weekly = 1; break;
		case 'L': html_path = optarg; break;
		case 'h': fputs(summary_usage, stdout); return 0;
		default: fputs(summary_usage, stderr); return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "benchkeep: error: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (!head_path) {
		fprintf(stderr, "benchkeep: error: summary needs --head RESULT\n");
		fputs(summary_usage, stderr);
		return 2;
	}
	if (baseline_path && base_path) {
		fprintf(stderr, "benchkeep: error: give --baseline or --base, not both\n");
		return 2;
	}
	if (!base_path)
		base_path = baseline_path ? baseline_path : BASELINE_DEFAULT_PATH;
	if ((rc = compare_files(config, base_path, head_path, &th, &base, &base_kind, &head,
				&head_kind, &co, &ho, &cmp)) != 0)
		goto out;
	so.base_label = base_path;
	so.base_kind = base_kind;
	so.head_label = head_path;
	size_t omitted = 0;
	if (summary_render(&cmp, &so, &md, &omitted) < 0) {
		rc = cmd_fail();
		goto out;
	}
	if (html_path && write_html(html_path, &md, so.weekly) < 0) {
		rc = cmd_fail();
		goto out;
	}
	if (output) {
		if (atomic_write_file(output, md.buf, md.len) < 0) {
			rc = cmd_fail();
			goto out;
		}
	} else {
		fwrite(md.buf, 1, md.len, stdout);
	}
	if (omitted)
		fprintf(stderr, "benchkeep: note: %zu rows left out to stay within %zu characters\n",
			omitted, so.max_chars ? so.max_chars : (size_t)SUMMARY_MAX_CHARS);
	rc = verdict_exit(&cmp, fail_on_regression);
out:
	strbuf_release(&md);
	comparison_release(&cmp);
	history_opts_release(&ho);
	thresholds_release(&th);
	result_release(&base);
	result_release(&head);
	return rc;
}
