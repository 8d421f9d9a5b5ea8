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
#include "collector/import/importbench.h"
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

/* The state of a console report being read. */
struct c2 {
	const struct import_ctx *ctx;
	const char *buf;
	size_t len;
	struct importcore_index ix;
	struct strbuf name; /* the benchmark name being read (wrapped pieces joined) */
	/* state: 0 outside a table, 1 in the table header, 2 in the table,
	 * 3 expecting the mean line, 4 expecting the std dev line */
	int state, summary;
	double samples, iters;
	long name_lineno;
	struct vu mean[3], sd[3];
};

/* The mean (state 3) or std dev (state 4) line of the benchmark being read;
 * after the std dev line the benchmark is added. */
static int stat_line(struct c2 *c, const struct importcore_lines *it)
{
	const char *s = it->line;
	size_t n = it->linelen, rest;
	int cut = it->pos >= it->len && c->buf[c->len - 1] != '\n';
	struct vu *dst = c->state == 3 ? c->mean : c->sd;
	if (blank(s, n) || trailing_pairs(s, n, dst, 3, &rest) < 0 || !blank(s, rest)) {
		if (cut)
			return importcore_error_at(c->ctx, c->buf, c->len, it->start,
						   "truncated input: the benchmark '%.60s' is incomplete",
						   c->name.buf);
		return importcore_error_at(c->ctx, c->buf, c->len, it->start,
					   "expected the %s line of the benchmark '%.60s'",
					   c->state == 3 ? "mean / low mean / high mean"
							 : "std dev / low std dev / high std dev",
					   c->name.buf);
	}
	if (c->state == 3) {
		c->state = 4;
		return 0;
	}
	if (add_bench(c->ctx, &c->ix, &c->name, c->name_lineno, c->samples, c->iters, c->mean,
		      c->sd) < 0)
		return -1;
	strbuf_reset(&c->name);
	c->state = 2;
	return 0;
}

/* A line inside a table (state 2): a name line, a wrapped name piece, a
 * blank line, or the table's end. */
static int table_line(struct c2 *c, const struct importcore_lines *it)
{
	const char *s = it->line;
	size_t n = it->linelen, rest;
	if (blank(s, n))
		return 0;
	if (rule(s, n) || header_line(s, n)) {
		if (c->name.len)
			goto dangling;
		c->state = header_line(s, n) ? 1 : 0;
		return 0;
	}
	if (name_line(s, n, &c->samples, &c->iters, &rest) == 0) {
		if (c->name.len)
			strbuf_addch(&c->name, ' ');
		strbuf_add(&c->name, s, rest);
		c->name_lineno = it->lineno;
		c->state = 3;
		return 0;
	}
	/* a piece of a wrapped name */
	size_t e = n;
	while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	if (c->name.len)
		strbuf_addch(&c->name, ' ');
	strbuf_add(&c->name, s, e);
	if (c->name.len <= RESULT_MAX_NAME * 2)
		return 0;
dangling:
	return importcore_error_at(c->ctx, c->buf, c->len, it->start,
				   "expected the samples, iterations and estimate after the name '%.60s'",
				   c->name.buf);
}

/* Reads one line of the report in the current state. */
static int report_line(struct c2 *c, const struct importcore_lines *it)
{
	const char *s = it->line;
	size_t n = it->linelen;
	switch (c->state) {
	case 0:
		if (header_line(s, n))
			c->state = 1;
		else if (importcore_starts(s, n, "test cases:"))
			c->summary = 1;
		return 0;
	case 1:
		if (rule(s, n))
			c->state = 2;
		return 0;
	case 3:
	case 4:
		return stat_line(c, it);
	default:
		return table_line(c, it);
	}
}

static int catch2_parse(const struct import_ctx *ctx, const char *buf, size_t len,
			struct bk_result *out)
{
	if (importcore_check_text(ctx, buf, len) < 0)
		return -1;
	struct c2 c = { .ctx = ctx, .buf = buf, .len = len, .name = STRBUF_INIT };
	size_t ix_base = out->nbenchmarks;
	importcore_index_init(&c.ix, out);
	struct importcore_lines it;
	importcore_lines_init(&it, buf, len);
	int rc = -1;
	while (importcore_lines_next(&it))
		if (report_line(&c, &it) < 0)
			goto out;
	if (c.state == 3 || c.state == 4 || c.name.len) {
		importcore_error_at(ctx, buf, len, len,
				    "truncated input: the benchmark '%.60s' is incomplete", c.name.buf);
		goto out;
	}
	/* Catch2 always ends its report with "test cases: ..." */
	if (out->nbenchmarks > ix_base && !c.summary) {
		importcore_error_at(ctx, buf, len, len,
				    "truncated input: the closing 'test cases:' summary is missing");
		goto out;
	}
	rc = 0;
out:
	strbuf_release(&c.name);
	importcore_index_release(&c.ix);
	return rc;
}

const struct importer importer_catch2 = {
	"catch2",
	"Catch2 v2/v3 console benchmark tables (mean only: summary_only, ns)",
	catch2_detect,
	catch2_parse,
};
