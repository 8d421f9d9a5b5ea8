/* benchmark.js console output, one line per benchmark:
 *   fib(20) x 12,146 ops/sec ±0.32% (96 runs sampled)
 * The name is everything before the last " x " (as github-action-benchmark
 * reads it); other lines are ignored. benchmark.js prints no samples: the
 * one sample recorded is the mean rate (hz), in "ops/s", direction bigger;
 * the relative margin of error and the run count go to metrics
 * ("rme_percent", "runs_sampled"), the result model having no note field.
 * A name seen again (the suite run again) adds a sample to its benchmark,
 * the metrics then being those of the last run.
 * A line that starts like a result (" x NUMBER UNIT/sec") but does not
 * finish like one is an error naming its line and column. */
#include "collector/import/importbench.h"
#include "collector/import/importer.h"
#include "lib/base/strbuf.h"
#include "lib/base/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bjs_line {
	size_t name_len;
	double hz, rme, runs;
	struct strbuf unit;
};

static size_t skip_sp(const char *s, size_t i, size_t n)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

static int lit(const char *s, size_t *i, size_t n, const char *w)
{
	size_t m = strlen(w);
	if (*i + m > n || memcmp(s + *i, w, m))
		return 0;
	*i += m;
	return 1;
}

/* Matches one line. Returns 1 (a result, *r filled), 0 (not a result
 * line) or -1 (a result line that is malformed; *bad = column offset). */
static int bjs_match(const char *s, size_t n, struct bjs_line *r, size_t *bad)
{
	const char *x = NULL;
	for (const char *p = s; (p = memmem(p, n - (size_t)(p - s), " x ", 3)); p++)
		x = p;
	if (!x || x == s)
		return 0;
	size_t i = (size_t)(x - s) + 3, used, u0;
	if (importcore_parse_number(s + i, n - i, 1, &r->hz, &used) < 0)
		return 0;
	i += used;
	size_t j = skip_sp(s, i, n);
	if (j == i)
		return 0;
	u0 = j;
	while (j < n && s[j] != ' ' && s[j] != '\t')
		j++;
	size_t ul = j - u0;
	int per_sec = ul > 4 && !memcmp(s + j - 4, "/sec", 4);
	if (!per_sec && !(ul > 2 && !memcmp(s + j - 2, "/s", 2)))
		return 0;
	/* from here on it is a result line: every deviation is an error */
	r->name_len = (size_t)(x - s);
	strbuf_reset(&r->unit);
	strbuf_add(&r->unit, s + u0, ul - (per_sec ? 4 : 2));
	strbuf_addstr(&r->unit, "/s");
	i = skip_sp(s, j, n);
	if (!lit(s, &i, n, "\xC2\xB1") && !lit(s, &i, n, "+-") && !lit(s, &i, n, "+/-"))
		goto bad;
	i = skip_sp(s, i, n);
	if (importcore_parse_number(s + i, n - i, 1, &r->rme, &used) < 0)
		goto bad;
	i += used;
	if (!lit(s, &i, n, "%"))
		goto bad;
	i = skip_sp(s, i, n);
	if (!lit(s, &i, n, "("))
		goto bad;
	if (importcore_parse_number(s + i, n - i, 1, &r->runs, &used) < 0)
		goto bad;
	i += used;
	if (!lit(s, &i, n, " run"))
		goto bad;
	lit(s, &i, n, "s");
	if (!lit(s, &i, n, " sampled)"))
		goto bad;
	i = skip_sp(s, i, n);
	if (i != n)
		goto bad;
	return 1;
bad:
	*bad = i;
	return -1;
}

/* 1 when a line has " x " followed by a digit: the start of a result line
 * (used on a last line without its newline, to spot a truncated file). */
static int starts_result(const char *s, size_t n)
{
	const char *x = NULL;
	for (const char *p = s; (p = memmem(p, n - (size_t)(p - s), " x ", 3)); p++)
		x = p;
	return x && x > s && x + 3 < s + n && x[3] >= '0' && x[3] <= '9';
}

static int bjs_detect(const char *buf, size_t len)
{
	struct importcore_lines it;
	size_t bad;
	struct bjs_line r = { 0, 0, 0, 0, STRBUF_INIT };
	int score = 0;
	importcore_lines_init(&it, buf, len < IMPORTCORE_SNIFF_BYTES ? len : IMPORTCORE_SNIFF_BYTES);
	while (importcore_lines_next(&it))
		if (bjs_match(it.line, it.linelen, &r, &bad) == 1) {
			score = 90;
			break;
		}
	strbuf_release(&r.unit);
	return score;
}

static int bjs_parse(const struct import_ctx *ctx, const char *buf, size_t len,
		     struct bk_result *out)
{
	struct importcore_lines it;
	size_t bad;
	int rc = 0, found = 0;
	struct bjs_line r = { 0, 0, 0, 0, STRBUF_INIT };
	struct importcore_keyindex ix = IMPORTCORE_KEYINDEX_INIT;
	importcore_lines_init(&it, buf, len);
	while (importcore_lines_next(&it)) {
		const char *line = it.line;
		size_t n = it.linelen;
		int complete = it.complete;
		int m = bjs_match(line, n, &r, &bad);
		size_t off = (size_t)(line - buf);
		if (m == 0 && !complete && starts_result(line, n)) {
			rc = importcore_error_at(ctx, buf, len, off + n,
					  "benchmark.js result line cut short (truncated?)");
			break;
		}
		if (m == 0)
			continue;
		if (m < 0) {
			rc = importcore_error_at(ctx, buf, len, off + bad, "%s",
					  complete ? "malformed benchmark.js result line"
						   : "benchmark.js result line cut short (truncated?)");
			break;
		}
		if (r.name_len > RESULT_MAX_NAME) {
			rc = importcore_error_at(ctx, buf, len, off, "name too long (%zu bytes, limit %d)",
					  r.name_len, RESULT_MAX_NAME);
			break;
		}
		char *name = xstrndup(line, r.name_len);
		/* a name seen again (the suite ran again): one more sample */
		size_t pos = importcore_keyindex_get(&ix, line, r.name_len);
		struct bk_benchmark *b;
		if (pos != (size_t)-1 && !strcmp(out->benchmarks[pos].unit, r.unit.buf)) {
			b = &out->benchmarks[pos];
		} else {
			b = importcore_add_bench(ctx, out, name, r.unit.buf, BK_BIGGER);
			importcore_keyindex_put(&ix, line, r.name_len, out->nbenchmarks - 1);
		}
		free(name);
		bench_add_sample(b, r.hz);
		metrics_set(&b->metrics, "rme_percent", r.rme);
		metrics_set(&b->metrics, "runs_sampled", r.runs);
		found++;
	}
	strbuf_release(&r.unit);
	importcore_keyindex_release(&ix);
	if (!rc && !found)
		rc = importcore_error_path(ctx, "", "no benchmark.js result line ('NAME x N ops/sec ±P%% (R runs sampled)')");
	return rc;
}

const struct importer importer_benchmarkjs = {
	"benchmarkjs",
	"benchmark.js console output (NAME x N ops/sec ±P% (R runs sampled)); one sample per benchmark",
	bjs_detect,
	bjs_parse,
};
