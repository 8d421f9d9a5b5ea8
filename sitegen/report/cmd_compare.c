/* benchkeep compare: BASE against HEAD, per benchmark, with a verdict. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/doc/baseline.h"
#include "sitegen/cli.h"
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

/* What the command line asks for. */
struct compare_args {
	struct compare_opts co;
	struct history_opts ho;
	const char *format, *config, *colour;
	int fail_on_regression;
	const char *base_path, *head_path;
};

/* 1 when word is one of the NULL-terminated words. */
static int one_of(const char *word, const char *const *words)
{
	for (; *words; words++)
		if (!strcmp(word, *words))
			return 1;
	return 0;
}

/* Parses the options into a. Returns -1 to go on, else the exit code. */
static int parse_args(struct compare_args *a, int argc, char **argv)
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
	static const char *const formats[] = { "text", "json", "markdown", NULL };
	static const char *const colours[] = { "auto", "always", "never", NULL };
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "t:a:f:c:h", longopts, NULL)) != -1) {
		int v = verdict_opt(c, optarg, &a->co, &a->ho);
		if (v < 0)
			return bk_fail();
		if (v)
			continue;
		switch (c) {
		case 't':
			if (parse_percent("--threshold", optarg, &a->co.threshold))
				return bk_fail();
			break;
		case 'a':
			if (parse_alpha("--alpha", optarg, &a->co.alpha))
				return bk_fail();
			break;
		case 'f': a->format = optarg; break;
		case 'c': a->config = optarg; break;
		case 'F': a->fail_on_regression = 1; break;
		case 'C': a->colour = optarg; break;
		case 'h': fputs(compare_usage, stdout); return 0;
		default: fputs(compare_usage, stderr); return 2;
		}
	}
	if (!one_of(a->format, formats))
		return bk_fail_msg("--format: expected text, json or markdown, got '%s'", a->format);
	if (!one_of(a->colour, colours))
		return bk_fail_msg("--color: expected auto, always or never, got '%s'", a->colour);
	if (argc - optind != 2) {
		fputs(compare_usage, stderr);
		return bk_fail_msg("compare needs BASE and HEAD");
	}
	a->base_path = argv[optind];
	a->head_path = argv[optind + 1];
	return -1;
}

/* Whether the text report is coloured: --color, else a terminal that is
 * not "dumb" and no NO_COLOR. */
static int use_colour(const char *colour)
{
	const char *term = getenv("TERM");
	return !strcmp(colour, "always") ||
	       (!strcmp(colour, "auto") && isatty(STDOUT_FILENO) && !getenv("NO_COLOR") &&
		!(term && !strcmp(term, "dumb")));
}

/* The comparison in the format asked for, appended to out. 0, or -1 with
 * bk_error set. */
static int render(struct strbuf *out, const struct compare_args *a, const struct verdict_sides *s)
{
	if (!strcmp(a->format, "json")) {
		struct compare_side bs = { a->base_path, s->base_kind };
		struct compare_side hs = { a->head_path, s->head_kind };
		cJSON *j = comparison_to_json(&s->cmp, &bs, &hs);
		char *text = json_print(j);
		cJSON_Delete(j);
		strbuf_addstr(out, text);
		free(text);
		return 0;
	}
	if (!strcmp(a->format, "markdown")) {
		struct summary_opts so = { 0 };
		so.max_chars = (size_t)-1 / 2;
		so.base_label = a->base_path;
		so.base_kind = s->base_kind;
		so.head_label = a->head_path;
		return summary_render(&s->cmp, &so, out, NULL);
	}
	report_text(out, &s->cmp, a->base_path, a->head_path, use_colour(a->colour));
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	struct compare_args a = { COMPARE_OPTS_INIT, HISTORY_OPTS_INIT, "text", NULL, "auto", 0,
				  NULL, NULL };
	struct verdict_sides s;
	struct strbuf out = STRBUF_INIT;
	int rc = parse_args(&a, argc, argv);
	if (rc >= 0)
		return rc;
	verdict_sides_init(&s);
	if (verdict_sides_load(&s, a.config, a.base_path, a.head_path, &a.co, &a.ho) < 0) {
		rc = bk_fail();
	} else {
		comparison_sort(&s.cmp);
		if (render(&out, &a, &s) < 0) {
			rc = bk_fail();
		} else {
			fwrite(out.buf, 1, out.len, stdout);
			rc = verdict_exit(&s.cmp, a.fail_on_regression);
		}
	}
	strbuf_release(&out);
	history_opts_release(&a.ho);
	verdict_sides_release(&s);
	return rc;
}
