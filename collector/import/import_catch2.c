/* Catch2 v2/v3 console reporter benchmark tables.
 *
 *   benchmark name        samples    iterations    estimated
 *                         mean       low mean      high mean
 *                         std dev    low std dev   high std dev
 *   ---------------------------------------------------------
 *   Fibonacci 20              100             2     8.3712 ms
 *                       41.731 us      41.25 us     42.622 us
 *                        3.256 us      2.163 us      5.353 us
 *
 * Catch2 prints no raw samples, only these estimates: the mean becomes the
 * one sample and the benchmark is marked summary_only; low/high mean, std
 * dev and its bounds are summary_* metrics, samples and iterations metrics.
 * Every value is converted to ns (unit "ns"): Catch2 picks ns/us/ms/s per
 * value. A name too long for its column wraps over several lines; the
 * pieces are joined with a space. */
#include "collector/import/importcore.h"
#include "lib/base/error.h"

#include <stdio.h>
#include <string.h>

struct vu {
	double ns; /* value in ns */
	size_t off; /* offset of the value in the line */
};

/* Parses `count` "value unit" pairs that end the line [s, s+n) (right to
 * left), leaving in *rest the length of the text before them. 0 or -1 (not
 * such a line; no error set). */
static int trailing_pairs(const char *s, size_t n, struct vu *out, int count, size_t *rest)
{
	size_t e = n;
	for (int k = count - 1; k >= 0; k--) {
		while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t'))
			e--;
		size_t ue = e;
		while (e > 0 && s[e - 1] != ' ' && s[e - 1] != '\t')
			e--;
		int shift = importcore_time_shift(s + e, ue - e);
		if (shift < 0)
			return -1;
		while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t'))
			e--;
		size_t ve = e;
		while (e > 0 && s[e - 1] != ' ' && s[e - 1] != '\t')
			e--;
		double v;
		size_t used;
		if (ve == e || importcore_parse_scaled(s + e, ve - e, 0, shift, &v, &used) < 0 ||
		    used != ve - e)
			return -1;
		out[k].ns = v;
		out[k].off = e;
	}
	*rest = e;
	return 0;
}

/* Parses the trailing "samples iterations estimated-value unit" of a name
 * line: 0 with the name length in *rest, or -1. */
static int name_line(const char *s, size_t n, double *samples, double *iters, size_t *rest)
{
	struct vu est;
	size_t e;
	if (trailing_pairs(s, n, &est, 1, &e) < 0)
		return -1;
	double v[2];
	for (int k = 1; k >= 0; k--) {
		while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t'))
			e--;
		size_t ve = e;
		while (e > 0 && s[e - 1] != ' ' && s[e - 1] != '\t')
			e--;
		size_t used;
		if (ve == e || importcore_parse_number(s + e, ve - e, 0, &v[k], &used) < 0 ||
		    used != ve - e)
			return -1;
	}
	while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	*samples = v[0];
	*iters = v[1];
	*rest = e;
	return 0;
}

static int blank(const char *s, size_t n)
{
	return importcore_skip_ws(s, n, 0) == n;
}

/* A rule line: "-----", "=====", "~~~~~" or "....." across the width. */
static int rule(const char *s, size_t n)
{
	return n >= 10 && (s[0] == '-' || s[0] == '=' || s[0] == '~' || s[0] == '.') &&
	       s[1] == s[0] && s[2] == s[0] && s[9] == s[0];
}

static int header_line(const char *s, size_t n)
{
	return importcore_starts(s, n, "benchmark name") && memmem(s, n, "samples", 7);
}

static int add_bench(const struct import_ctx *ctx, struct importcore_index *ix,
		     const struct strbuf *name, long lineno, double samples, double iters,
		     const struct vu *mean, const struct vu *sd)
{
	char where[64];
	snprintf(where, sizeof(where), "line %ld", lineno);
	if (importcore_check_name(ctx, where, name->buf, name->len, 1) < 0)
		return -1;
	struct bk_benchmark *b = importcore_bench(ix, ctx->suite, name->buf, NULL, "ns");
	metrics_set(&b->metrics, "summary_mean", mean[0].ns);
	metrics_set(&b->metrics, "summary_low_mean", mean[1].ns);
	metrics_set(&b->metrics, "summary_high_mean", mean[2].ns);
	metrics_set(&b->metrics, "summary_stddev", sd[0].ns);
	metrics_set(&b->metrics, "summary_low_stddev", sd[1].ns);
	metrics_set(&b->metrics, "summary_high_stddev", sd[2].ns);
	metrics_set(&b->metrics, "samples", samples);
	metrics_set(&b->metrics, "iterations", iters);
	return importcore_summary_only(ctx, where, b, mean[0].ns);
}

static int catch2_detect(const char *buf, size_t len)
{
	struct importcore_lines it;
	importcore_lines_init(&it, buf, len > 65536 ? 65536 : len);
	int score = 0;
	while (importcore_lines_next(&it) && it.lineno < 2000) {
		if (header_line(it.line, it.linelen))
			return 90;
		if (memmem(it.line, it.linelen, "is a Catch", 10) ||
		    memmem(it.line, it.linelen, "is a Catch2", 11))
			score = 40;
	}
	return score;
}

static int catch2_parse(const struct import_ctx *ctx, const char *buf, size_t len,
			struct bk_result *out)
{
	if (importcore_check_text(ctx, buf, len) < 0)
		return -1;
	struct importcore_index ix;
	size_t ix_base = out->nbenchmarks;
	importcore_index_init(&ix, out);
	struct importcore_lines it;
	importcore_lines_init(&it, buf, len);
	struct strbuf name = STRBUF_INIT;
	/* state: 0 outside a table, 1 in the table header, 2 in the table,
	 * 3 expecting the mean line, 4 expecting the std dev line */
	int state = 0, rc = -1, summary = 0;
	double samples = 0, iters = 0;
	long name_lineno = 0;
	struct vu mean[3], sd[3];
	while (importcore_lines_next(&it)) {
		const char *s = it.line;
		size_t n = it.linelen, rest;
		if (state == 0) {
			if (header_line(s, n))
				state = 1;
			else if (importcore_starts(s, n, "test cases:"))
				summary = 1;
			continue;
		}
		if (state == 1) {
			if (rule(s, n))
				state = 2;
			continue;
		}
		if (state == 3 || state == 4) {
			int cut = it.pos >= it.len && buf[len - 1] != '\n';
			struct vu *dst = state == 3 ? mean : sd;
			if (blank(s, n) || trailing_pairs(s, n, dst, 3, &rest) < 0 ||
			    !blank(s, rest)) {
				if (cut)
					importcore_error_at(ctx, buf, len, it.start,
							    "truncated input: the benchmark '%.60s' is incomplete",
							    name.buf);
				else
					importcore_error_at(ctx, buf, len, it.start,
							    "expected the %s line of the benchmark '%.60s'",
							    state == 3 ? "mean / low mean / high mean"
								       : "std dev / low std dev / high std dev",
							    name.buf);
				goto out;
			}
			if (state == 4) {
				if (add_bench(ctx, &ix, &name, name_lineno, samples, iters, mean, sd) < 0)
					goto out;
				strbuf_reset(&name);
				state = 2;
			} else {
				state = 4;
			}
			continue;
		}
		/* state 2: names, wrapped name pieces, blank lines, or the end */
		if (blank(s, n))
			continue;
		if (rule(s, n) || header_line(s, n)) {
			if (name.len)
				goto dangling;
			state = header_line(s, n) ? 1 : 0;
			continue;
		}
		if (name_line(s, n, &samples, &iters, &rest) == 0) {
			if (name.len)
				strbuf_addch(&name, ' ');
			strbuf_add(&name, s, rest);
			name_lineno = it.lineno;
			state = 3;
			continue;
		}
		/* a piece of a wrapped name */
		size_t e = n;
		while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t'))
			e--;
		if (name.len)
			strbuf_addch(&name, ' ');
		strbuf_add(&name, s, e);
		if (name.len > RESULT_MAX_NAME * 2)
			goto dangling;
	}
	if (state == 3 || state == 4 || name.len) {
		importcore_error_at(ctx, buf, len, len,
				    "truncated input: the benchmark '%.60s' is incomplete", name.buf);
		goto out;
	}
	/* Catch2 always ends its report with "test cases: ..." */
	if (out->nbenchmarks > ix_base && !summary) {
		importcore_error_at(ctx, buf, len, len,
				    "truncated input: the closing 'test cases:' summary is missing");
		goto out;
	}
	rc = 0;
	goto out;
dangling:
	importcore_error_at(ctx, buf, len, it.start,
			    "expected the samples, iterations and estimate after the name '%.60s'",
			    name.buf);
out:
	strbuf_release(&name);
	importcore_index_release(&ix);
	return rc;
}

const struct importer importer_catch2 = {
	"catch2",
	"Catch2 v2/v3 console benchmark tables (mean only: summary_only, ns)",
	catch2_detect,
	catch2_parse,
};
