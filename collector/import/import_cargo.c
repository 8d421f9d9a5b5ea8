/* cargo bench text: libtest's "test NAME ... bench: N ns/iter (+/- M)" lines,
 * which Criterion also prints with --output-format bencher.
 *
 * Each line is one sample of benchmark NAME (names may hold spaces; the
 * padding before "..." is dropped). Thousands separators and decimals
 * ("18,794.12") are read. "ns/iter" gives unit ns (any time unit per
 * iteration likewise); another "X/iter" gives unit X (e.g. "cycles"); a
 * rate such as "MS/s" is kept as is (direction bigger). The "+/- M" is kept
 * as the "deviation" metric (libtest: max - min of its samples), a trailing
 * "= V MB/s" as the "MB/s" metric. */
#include "collector/import/importbench.h"
#include "lib/base/error.h"
#include "lib/base/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SEP[] = " ... bench:";

/* Finds " ... bench:" in the line: its offset, or (size_t)-1. */
static size_t find_sep(const char *s, size_t n)
{
	const char *p = memmem(s, n, SEP, sizeof(SEP) - 1);
	return p ? (size_t)(p - s) : (size_t)-1;
}

/* What follows " ... bench:" on a line. */
struct bench_fields {
	double v, dev, rate; /* the time per iteration, "+/- M", "= V MB/s" (0: none) */
	char unit[80];
	size_t us; /* offset of the unit in the line */
};

/* The unit after the value, starting at s[i] ("ns/iter" becomes "ns"): into
 * f->unit, *end after it. -1 with an error at the position. */
static int read_unit(const struct import_ctx *ctx, const char *buf, size_t len,
		     const struct importcore_lines *it, size_t i, int cut, struct bench_fields *f,
		     size_t *end)
{
	const char *s = it->line, *trunc = "truncated input: the last benchmark line is incomplete";
	size_t n = it->linelen, us = i;
	while (i < n && s[i] != ' ' && s[i] != '\t')
		i++;
	if (i == us)
		return importcore_error_at(ctx, buf, len, it->start + us,
					   cut ? "%s" : "expected a unit after the value%s",
					   cut ? trunc : "");
	if (i - us > 64)
		return importcore_error_at(ctx, buf, len, it->start + us, "unit too long");
	size_t ul = i - us;
	memcpy(f->unit, s + us, ul);
	f->unit[ul] = '\0';
	if (ul > 5 && !strcmp(f->unit + ul - 5, "/iter")) {
		f->unit[ul - 5] = '\0';
		const char *t = importcore_time_unit(f->unit, ul - 5);
		if (t)
			snprintf(f->unit, sizeof(f->unit), "%s", t);
	}
	f->us = us;
	*end = i;
	return 0;
}

/* Reads the value, unit, deviation and rate from offset i of the line. */
static int read_fields(const struct import_ctx *ctx, const char *buf, size_t len,
		       const struct importcore_lines *it, size_t i, struct bench_fields *f)
{
	const char *s = it->line, *trunc = "truncated input: the last benchmark line is incomplete";
	size_t n = it->linelen, used;
	int cut = it->pos >= it->len && (len == 0 || buf[len - 1] != '\n');
	f->dev = f->rate = 0;
	if (importcore_parse_number(s + i, n - i, 1, &f->v, &used) < 0)
		return importcore_error_at(ctx, buf, len, it->start + i,
					   cut ? "%s" : "expected the time per iteration%s",
					   cut ? trunc : "");
	i = importcore_skip_ws(s, n, i + used);
	if (read_unit(ctx, buf, len, it, i, cut, f, &i) < 0)
		return -1;
	i = importcore_skip_ws(s, n, i);
	if (!importcore_starts(s + i, n - i, "(+/-"))
		return cut ? importcore_error_at(ctx, buf, len, it->start + i, "%s", trunc) : 0;
	i = importcore_skip_ws(s, n, i + 4);
	if (importcore_parse_number(s + i, n - i, 1, &f->dev, &used) < 0)
		return importcore_error_at(ctx, buf, len, it->start + i,
					   cut ? "%s" : "expected the deviation after '(+/-'%s",
					   cut ? trunc : "");
	i += used;
	if (i >= n || s[i] != ')')
		return importcore_error_at(ctx, buf, len, it->start + i,
					   cut ? "%s" : "expected ')'%s", cut ? trunc : "");
	i = importcore_skip_ws(s, n, i + 1);
	if (i < n && s[i] == '=') {
		i = importcore_skip_ws(s, n, i + 1);
		importcore_parse_number(s + i, n - i, 1, &f->rate, &used);
	}
	return 0;
}

/* One line: a "test NAME ... bench:" line becomes a sample of NAME (1),
 * other lines are skipped (0). */
static int bench_line(const struct import_ctx *ctx, const char *buf, size_t len,
		      struct importcore_index *ix, const struct importcore_lines *it)
{
	const char *s = it->line;
	size_t n = it->linelen;
	if (!importcore_starts(s, n, "test "))
		return 0;
	size_t sep = find_sep(s, n);
	if (sep == (size_t)-1)
		return 0; /* a test result ("... ok") or other text */
	size_t ne = sep;
	while (ne > 5 && (s[ne - 1] == ' ' || s[ne - 1] == '\t'))
		ne--;
	char where[64];
	snprintf(where, sizeof(where), "line %ld", it->lineno);
	if (importcore_check_name(ctx, where, s + 5, ne - 5, 1) < 0)
		return -1;
	struct bench_fields f;
	if (read_fields(ctx, buf, len, it, importcore_skip_ws(s, n, sep + sizeof(SEP) - 1), &f) < 0)
		return -1;
	if (importcore_check_name(ctx, where, f.unit, strlen(f.unit), 1) < 0)
		return -1;
	char *name = xstrndup(s + 5, ne - 5);
	struct bk_benchmark *b = importcore_bench(ix, ctx->suite, name, NULL, f.unit);
	free(name);
	if (strcmp(b->unit, f.unit))
		return importcore_error_at(ctx, buf, len, it->start + f.us,
					   "unit '%s' differs from the earlier '%s' of this benchmark",
					   f.unit, b->unit);
	if (importcore_add_sample(ctx, where, b, f.v) < 0)
		return -1;
	metrics_set(&b->metrics, "deviation", f.dev);
	if (f.rate > 0)
		metrics_set(&b->metrics, "MB/s", f.rate);
	return 1;
}

static int cargo_detect(const char *buf, size_t len)
{
	struct importcore_lines it;
	importcore_lines_init(&it, buf, len > 65536 ? 65536 : len);
	while (importcore_lines_next(&it) && it.lineno < 2000) {
		if (!importcore_starts(it.line, it.linelen, "test "))
			continue;
		size_t sep = find_sep(it.line, it.linelen);
		if (sep == (size_t)-1)
			continue;
		size_t i = importcore_skip_ws(it.line, it.linelen, sep + sizeof(SEP) - 1);
		double v;
		size_t used;
		if (importcore_parse_number(it.line + i, it.linelen - i, 1, &v, &used) == 0)
			return 90;
	}
	return 0;
}

static int cargo_parse(const struct import_ctx *ctx, const char *buf, size_t len,
		       struct bk_result *out)
{
	return importcore_each_line(ctx, buf, len, out, bench_line);
}

const struct importer importer_cargo = {
	"cargo",
	"cargo bench / libtest text (test x ... bench: N ns/iter (+/- M)), criterion bencher",
	cargo_detect,
	cargo_parse,
};
