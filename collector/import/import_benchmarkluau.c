/* Luau benchmark output (bench/bench.py), as github-action-benchmark reads it:
 *   SUCCESS: base64                :   15.041ms +/-  0.636% on luau
 * followed by an optional RESULTS table ("Test | Min | Average | StdDev% |
 * Driver"). One benchmark per SUCCESS line: the one sample is the average
 * in its own unit (s, ms, us or ns), direction smaller; the driver ("luau",
 * "luau-codegen"...) is the param "driver" so drivers stay distinct; the
 * relative stddev is the metric "stddev_percent" and the table's Min, when
 * present, the metric "min" (in the benchmark's unit). A name and driver
 * seen again (the suite run again) adds a sample to its benchmark, the
 * metrics then being those of the last run. Other lines are
 * ignored; a SUCCESS line that cannot be read is an error with its line and
 * column. */
#include "collector/import/importbench.h"
#include "collector/import/importer.h"
#include "lib/base/strbuf.h"
#include "lib/base/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct luau_line {
	const char *name, *driver;
	size_t name_len, driver_len;
	double value, pct;
	const char *unit; /* canonical */
};

static int is_sp(char c)
{
	return c == ' ' || c == '\t';
}

static size_t skip_sp(const char *s, size_t i, size_t n)
{
	while (i < n && is_sp(s[i]))
		i++;
	return i;
}

/* Reads "15.041ms" at s+*i: value and canonical unit. 0 or -1. */
static int read_time(const char *s, size_t *i, size_t n, double *v, const char **unit)
{
	size_t used, u0;
	if (importcore_parse_number(s + *i, n - *i, 1, v, &used) < 0)
		return -1;
	u0 = *i + used;
	size_t e = u0;
	while (e < n && !is_sp(s[e]) && s[e] != '|')
		e++;
	*unit = importcore_time_unit_word(s + u0, e - u0);
	if (!*unit)
		return -1;
	*i = e;
	return 0;
}

/* 1: a SUCCESS line read into *r; 0: another line; -1: malformed at *bad. */
static int luau_match(const char *s, size_t n, struct luau_line *r, size_t *bad)
{
	size_t i = 0;
	if (n < 8 || memcmp(s, "SUCCESS:", 8))
		return 0;
	const char *sep = NULL;
	for (const char *p = s + 8; (p = memmem(p, n - (size_t)(p - s), " : ", 3)); p++)
		sep = p;
	if (!sep) {
		i = 8;
		goto bad;
	}
	size_t a = skip_sp(s, 8, n), b = (size_t)(sep - s);
	if (a > b) /* "SUCCESS:   : ..." (spaces run into the separator) */
		a = b;
	while (b > a && is_sp(s[b - 1]))
		b--;
	r->name = s + a;
	r->name_len = b - a;
	i = skip_sp(s, (size_t)(sep - s) + 3, n);
	if (read_time(s, &i, n, &r->value, &r->unit) < 0)
		goto bad;
	i = skip_sp(s, i, n);
	if (i + 3 > n || memcmp(s + i, "+/-", 3))
		goto bad;
	i = skip_sp(s, i + 3, n);
	size_t used;
	if (importcore_parse_number(s + i, n - i, 1, &r->pct, &used) < 0)
		goto bad;
	i += used;
	if (i >= n || s[i] != '%')
		goto bad;
	i = skip_sp(s, i + 1, n);
	if (i + 3 > n || memcmp(s + i, "on", 2) || !is_sp(s[i + 2]))
		goto bad;
	i = skip_sp(s, i + 2, n);
	size_t e = n;
	while (e > i && is_sp(s[e - 1]))
		e--;
	if (e == i)
		goto bad;
	r->driver = s + i;
	r->driver_len = e - i;
	return 1;
bad:
	*bad = i;
	return -1;
}

static int luau_detect(const char *buf, size_t len)
{
	struct importcore_lines it;
	size_t bad;
	struct luau_line r;
	importcore_lines_init(&it, buf, len < IMPORTCORE_SNIFF_BYTES ? len : IMPORTCORE_SNIFF_BYTES);
	while (importcore_lines_next(&it))
		if (luau_match(it.line, it.linelen, &r, &bad) == 1)
			return 90;
	return 0;
}

static double unit_ns(const char *u)
{
	return !strcmp(u, "s") ? 1e9 : !strcmp(u, "ms") ? 1e6 : !strcmp(u, "us") ? 1e3 : 1;
}

/* Index key of a benchmark: "name\x1fdriver". */
static void luau_key(struct strbuf *k, const char *name, size_t nn, const char *drv, size_t dn)
{
	strbuf_reset(k);
	strbuf_add(k, name, nn);
	strbuf_addch(k, 0x1f);
	strbuf_add(k, drv, dn);
}

/* A RESULTS table row "name | min | avg | pct | driver": sets the metric
 * "min" of the benchmark with that name and driver. */
static void table_row(const char *s, size_t n, struct bk_result *out, const struct importcore_keyindex *ix,
		      struct strbuf *key)
{
	const char *cells[5];
	size_t lens[5], k = 0, i = 0;
	while (k < 5) {
		const char *bar = memchr(s + i, '|', n - i);
		size_t e = bar ? (size_t)(bar - s) : n;
		size_t a = skip_sp(s, i, e), b = e;
		while (b > a && is_sp(s[b - 1]))
			b--;
		cells[k] = s + a;
		lens[k++] = b - a;
		if (!bar)
			break;
		i = e + 1;
	}
	if (k != 5)
		return;
	double min;
	const char *unit;
	size_t j = 0;
	if (read_time(cells[1], &j, lens[1], &min, &unit) < 0 || j != lens[1])
		return;
	luau_key(key, cells[0], lens[0], cells[4], lens[4]);
	size_t pos = importcore_keyindex_get(ix, key->buf, key->len);
	if (pos == (size_t)-1)
		return;
	struct bk_benchmark *b = &out->benchmarks[pos];
	double v = strcmp(unit, b->unit) ? min * unit_ns(unit) / unit_ns(b->unit) : min;
	if (isfinite(v))
		metrics_set(&b->metrics, "min", v);
}

static int luau_parse(const struct import_ctx *ctx, const char *buf, size_t len,
		      struct bk_result *out)
{
	struct importcore_lines it;
	struct importcore_keyindex ix = IMPORTCORE_KEYINDEX_INIT;
	struct strbuf key = STRBUF_INIT;
	size_t bad;
	int found = 0, in_table = 0, rc = 0;
	struct luau_line r;
	importcore_lines_init(&it, buf, len);
	while (importcore_lines_next(&it)) {
		const char *line = it.line;
		size_t n = it.linelen;
		int complete = it.complete;
		size_t off = (size_t)(line - buf);
		int m = luau_match(line, n, &r, &bad);
		if (m < 0) {
			rc = importcore_error_at(ctx, buf, len, off + bad, "%s",
					  complete ? "malformed Luau benchmark line"
						   : "Luau benchmark line cut short (truncated?)");
			break;
		}
		if (m == 0) {
			if (n >= 4 && !memcmp(line, "Test", 4) && memchr(line, '|', n))
				in_table = 1;
			else if (in_table && memchr(line, '|', n))
				table_row(line, n, out, &ix, &key);
			continue;
		}
		in_table = 0;
		if (!r.name_len || r.name_len > RESULT_MAX_NAME || r.driver_len > RESULT_MAX_NAME) {
			rc = importcore_error_at(ctx, buf, len, off + (size_t)(r.name - line), "%s",
					  r.name_len ? "name or driver too long (limit 1024 bytes)"
						     : "empty benchmark name");
			break;
		}
		char *name = xstrndup(r.name, r.name_len);
		char *driver = xstrndup(r.driver, r.driver_len);
		luau_key(&key, r.name, r.name_len, r.driver, r.driver_len);
		size_t pos = importcore_keyindex_get(&ix, key.buf, key.len);
		struct bk_benchmark *b;
		if (pos != (size_t)-1 && !strcmp(out->benchmarks[pos].unit, r.unit)) {
			b = &out->benchmarks[pos]; /* the suite ran again: one more sample */
		} else {
			b = importcore_add_bench(ctx, out, name, r.unit, BK_SMALLER);
			kvlist_set(&b->params, "driver", driver);
			importcore_keyindex_put(&ix, key.buf, key.len, out->nbenchmarks - 1);
		}
		free(name);
		free(driver);
		bench_add_sample(b, r.value);
		metrics_set(&b->metrics, "stddev_percent", r.pct);
		found++;
	}
	importcore_keyindex_release(&ix);
	strbuf_release(&key);
	if (rc < 0)
		return rc;
	if (!found)
		return importcore_error_path(ctx, "", "no Luau benchmark line ('SUCCESS: NAME : 15.041ms +/- 0.636%% on luau')");
	return 0;
}

const struct importer importer_benchmarkluau = {
	"benchmarkluau",
	"Luau benchmark output (SUCCESS: NAME : 15.041ms +/- 0.636% on luau)",
	luau_detect,
	luau_parse,
};
