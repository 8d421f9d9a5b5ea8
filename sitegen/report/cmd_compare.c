/* benchkeep compare: BASE against HEAD, per benchmark, with a verdict. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/doc/baseline.h"
#include "collector/commands.h"
#include "lib/verdict/compare.h"
#include "lib/base/error.h"
#include "lib/verdict/report.h"
#include "sitegen/report/summary.h"
#include "lib/verdict/thresholds.h"

static const char compare_usage[] =
	"usage: benchkeep compare [options] BASE HEAD\n"
	"BASE and HEAD are result files or baseline files.\n"
	"  -t, --threshold PCT   effect floor in percent (default 5); a benchmark's or\n"
	"                        suite's \"threshold\" in the config overrides it\n"
	"  -a, --alpha A         significance level for the BH q-value (default 0.01)\n"
	"  -f, --format F        text (default), json or markdown\n"
	"  -c, --config FILE     suite config for per-benchmark thresholds\n"
	"                        (default: benchkeep.json when it exists)\n"
	VERDICT_USAGE
	"      --fail-on-regression  exit 1 when a benchmark regressed (not when BASE and\n"
	"                        HEAD ran on different machines: then informational)\n"
	"      --color WHEN      auto (default: on a terminal), always or never\n"
	"Exit: 0 ok, 1 regression under --fail-on-regression, 2 bad usage or input.\n";

int cmd_compare(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "threshold", required_argument, NULL, 't' },
		{ "alpha", required_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "config", required_argument, NULL, 'c' },
		{ "fail-on-regression", no_argument, NULL, 'F' },
		{ "color", required_argument, NULL, 'C' },
		{ "colour", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		VERDICT_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct compare_opts co = COMPARE_OPTS_INIT;
	struct history_opts ho = HISTORY_OPTS_INIT;
	const char *format = "text", *config = NULL, *colour = "auto";
	int fail_on_regression = 0, c, rc = 2;
	struct bk_result base, head;
	struct comparison cmp;
	struct thresholds th;
	const char *base_kind = "result", *head_kind = "result";
	result_init(&base);
	result_init(&head);
	memset(&cmp, 0, sizeof(cmp));
	memset(&th, 0, sizeof(th));

	optind = 1;
	while ((c = getopt_long(argc, argv, "t:a:f:c:h", longopts, NULL)) != -1) {
		int v = verdict_opt(c, optarg, &co, &ho);
		if (v < 0)
			return cmd_fail();
		if (v)
			continue;
		switch (c) {
		case 't':
			if (parse_percent("--threshold", optarg, &co.threshold))
				return cmd_fail();
			break;
		case 'a':
			if (parse_alpha("--alpha", optarg, &co.alpha))
				return cmd_fail();
			break;
		case 'f': format = optarg; break;
		case 'c': config = optarg; break;
		case 'F': fail_on_regression = 1; break;
		case 'C': colour = optarg; break;
		case 'h': fputs(compare_usage, stdout); return 0;
		default: fputs(compare_usage, stderr); return 2;
		}
	}
	if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "markdown")) {
		fprintf(stderr, "benchkeep: error: --format: expected text, json or markdown, got '%s'\n",
			format);
		return 2;
	}
	if (strcmp(colour, "auto") && strcmp(colour, "always") && strcmp(colour, "never")) {
		fprintf(stderr, "benchkeep: error: --color: expected auto, always or never, got '%s'\n",
			colour);
		return 2;
	}
	if (argc - optind != 2) {
		fprintf(stderr, "benchkeep: error: compare needs BASE and HEAD\n");
		fputs(compare_usage, stderr);
		return 2;
	}
	const char *base_path = argv[optind], *head_path = argv[optind + 1];
	if ((rc = compare_files(config, base_path, head_path, &th, &base, &base_kind, &head,
				&head_kind, &co, &ho, &cmp)) != 0)
		goto out;
	comparison_sort(&cmp);
	struct strbuf out = STRBUF_INIT;
	if (!strcmp(format, "json")) {
		struct compare_side bs = { base_path, base_kind }, hs = { head_path, head_kind };
		cJSON *j = comparison_to_json(&cmp, &bs, &hs);
		char *s = json_print(j);
		cJSON_Delete(j);
		strbuf_addstr(&out, s);
		free(s);
	} else if (!strcmp(format, "markdown")) {
		struct summary_opts so = { 0 };
		so.max_chars = (size_t)-1 / 2;
		so.base_label = base_path;
		so.base_kind = base_kind;
	so.head_label = head_path;
		if (summary_render(&cmp, &so, &out, NULL) < 0) {
			strbuf_release(&out);
			rc = cmd_fail();
			goto out;
		}
	} else {
		int col = !strcmp(colour, "always") ||
			  (!strcmp(colour, "auto") && isatty(STDOUT_FILENO) && !getenv("NO_COLOR") &&
			   !(getenv("TERM") && !strcmp(getenv("TERM"), "dumb")));
		report_text(&out, &cmp, base_path, head_path, col);
	}
	fwrite(out.buf, 1, out.len, stdout);
	strbuf_release(&out);
	rc = verdict_exit(&cmp, fail_on_regression);
out:
	comparison_release(&cmp);
	history_opts_release(&ho);
	thresholds_release(&th);
	result_release(&base);
	result_release(&head);
	return rc;
}
