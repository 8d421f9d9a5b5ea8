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
#include "collector/import/importcore.h"
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
	int cut = it->pos >= it->len && (len == 0 || buf[len - 1] != '\n');
	const char *trunc = "truncated input: the last benchmark line is incomplete";
	size_t ne = sep;
	while (ne > 5 && (s[ne - 1] == ' ' || s[ne - 1] == '\t'))
		ne--;
	char where[64];
	snprintf(where, sizeof(where), "line %ld", it->lineno);
	if (importcore_check_name(ctx, where, s + 5, ne - 5, 1) < 0)
		return -1;
	size_t i = importcore_skip_ws(s, n, sep + sizeof(SEP) - 1);
	double v, dev = 0, rate = 0;
	size_t used;
	if (importcore_parse_number(s + i, n - i, 1, &v, &used) < 0)
		return importcore_error_at(ctx, buf, len, it->start + i,
					   cut ? "%s" : "expected the time per iteration%s",
					   cut ? trunc : "");
	i += used;
	i = importcore_skip_ws(s, n, i);
	size_t us = i;
	while (i < n && s[i] != ' ' && s[i] != '\t')
		i++;
	if (i == us)
		return importcore_error_at(ctx, buf, len, it->start + us,
					   cut ? "%s" : "expected a unit after the value%s",
					   cut ? trunc : "");
	if (i - us > 64)
		return importcore_error_at(ctx, buf, len, it->start + us, "unit too long");
	char unit[80];
	size_t ul = i - us;
	memcpy(unit, s + us, ul);
	unit[ul] = '\0';
	if (ul > 5 && !strcmp(unit + ul - 5, "/iter")) {
		unit[ul - 5] = '\0';
		const char *t = importcore_time_unit(unit, ul - 5);
		if (t)
			snprintf(unit, sizeof(unit), "%s", t);
	}
	i = importcore_skip_ws(s, n, i);
	if (importcore_starts(s + i, n - i, "(+/-")) {
		i = importcore_skip_ws(s, n, i + 4);
		if (importcore_parse_number(s + i, n - i, 1, &dev, &used) < 0)
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
			if (importcore_parse_number(s + i, n - i, 1, &rate, &used) == 0)
				i += used;
		}
	} else if (cut) {
		return importcore_error_at(ctx, buf, len, it->start + i, "%s", trunc);
	}
	if (importcore_check_name(ctx, where, unit, strlen(unit), 1) < 0)
		return -1;
	char *name = xstrndup(s + 5, ne - 5);
	struct bk_benchmark *b = importcore_bench(ix, ctx->suite, name, NULL, unit);
	free(name);
	if (strcmp(b->unit, unit))
		return importcore_error_at(ctx, buf, len, it->start + us,
					   "unit '%s' differs from the earlier '%s' of this benchmark",
					   unit, b->unit);
	snprintf(where, sizeof(where), "line %ld", it->lineno);
	if (importcore_add_sample(ctx, where, b, v) < 0)
		return -1;
	metrics_set(&b->metrics, "deviation", dev);
	if (rate > 0)
		metrics_set(&b->metrics, "MB/s", rate);
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
	if (importcore_check_text(ctx, buf, len) < 0)
		return -1;
	struct importcore_index ix;
	importcore_index_init(&ix, out);
	struct importcore_lines it;
	importcore_lines_init(&it, buf, len);
	int rc = 0;
	while (importcore_lines_next(&it)) {
		if (bench_line(ctx, buf, len, &ix, &it) < 0) {
			rc = -1;
			break;
		}
	}
	importcore_index_release(&ix);
	return rc;
}

const struct importer importer_cargo = {
	"cargo",
	"cargo bench / libtest text (test x ... bench: N ns/iter (+/- M)), criterion bencher",
	cargo_detect,
	cargo_parse,
};
