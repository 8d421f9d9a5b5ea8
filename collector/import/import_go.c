/* go test -bench text output (the benchfmt lines).
 *
 * "BenchmarkName-8  N  V ns/op [V unit]..." is one repetition: V ns/op is a
 * sample (unit ns; without ns/op the first value and its unit), N and the
 * other columns (B/op, allocs/op, MB/s, custom b.ReportMetric units) are
 * metrics named by their unit, the mean over the repetitions (-count). The
 * name is kept as printed (with its -GOMAXPROCS suffix). The "pkg:" header
 * becomes the "pkg" param, so one name in two packages stays two
 * benchmarks; goos/goarch/cpu fill the machine facts. "--- FAIL: Name"
 * counts a failed operation. */
#include "collector/import/importbench.h"
#include "lib/base/error.h"
#include "lib/base/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tok {
	const char *s;
	size_t n, off; /* offset in the line */
};

#define MAX_TOKS 64

static size_t tokenize(const char *line, size_t n, struct tok *t, size_t max)
{
	size_t k = 0, i = 0;
	while (k < max) {
		i = importcore_skip_ws(line, n, i);
		if (i >= n)
			break;
		size_t start = i;
		while (i < n && line[i] != ' ' && line[i] != '\t')
			i++;
		t[k].s = line + start;
		t[k].n = i - start;
		t[k].off = start;
		k++;
	}
	return k;
}

/* A benchmark name as benchfmt has it: "Benchmark" then end or a rune that
 * is not a lower-case letter. */
static int is_bench_name(const char *s, size_t n)
{
	return importcore_starts(s, n, "Benchmark") && (n == 9 || s[9] < 'a' || s[9] > 'z');
}

static int is_uint(const char *s, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

struct goimp {
	const struct import_ctx *ctx;
	const char *buf;
	size_t len;
	struct bk_result *out;
	struct importcore_index ix;
	struct importcore_means means;
	struct bk_kvlist params; /* pkg */
};

static int header(struct goimp *g, const struct importcore_lines *it)
{
	static const char *const keys[] = { "goos: ", "goarch: ", "cpu: ", "pkg: " };
	for (size_t k = 0; k < 4; k++) {
		if (!importcore_starts(it->line, it->linelen, keys[k]))
			continue;
		size_t kl = strlen(keys[k]);
		size_t vs = importcore_skip_ws(it->line, it->linelen, kl);
		size_t ve = it->linelen;
		while (ve > vs && (it->line[ve - 1] == ' ' || it->line[ve - 1] == '\t'))
			ve--;
		char where[64];
		snprintf(where, sizeof(where), "line %ld", it->lineno);
		if (importcore_check_name(g->ctx, where, it->line + vs, ve - vs, 0) < 0)
			return -1;
		char *v = xstrndup(it->line + vs, ve - vs);
		struct bk_machine *m = &g->out->run.machine;
		if (k == 3) {
			kvlist_release(&g->params);
			if (*v)
				kvlist_set(&g->params, "pkg", v);
		} else if (*v) {
			set_str(k == 0 ? &m->os : k == 1 ? &m->arch : &m->cpu_model, v);
		}
		free(v);
		return 1;
	}
	return 0;
}

static int fail_line(struct goimp *g, const struct importcore_lines *it)
{
	size_t i = importcore_skip_ws(it->line, it->linelen, 0);
	const char *s = it->line + i;
	size_t n = it->linelen - i;
	if (!importcore_starts(s, n, "--- FAIL: "))
		return 0;
	s += 10;
	n -= 10;
	size_t e = 0;
	while (e < n && s[e] != ' ' && s[e] != '\t')
		e++;
	if (!is_bench_name(s, e))
		return 0;
	char where[64];
	snprintf(where, sizeof(where), "line %ld", it->lineno);
	if (importcore_check_name(g->ctx, where, s, e, 1) < 0)
		return -1;
	char *name = xstrndup(s, e);
	struct bk_benchmark *b = importcore_bench(&g->ix, g->ctx->suite, name, &g->params, "ns");
	importcore_count(b, "failed_ops", 1);
	importcore_error_rate(b);
	free(name);
	return 1;
}

static int result_line(struct goimp *g, const struct importcore_lines *it)
{
	struct tok t[MAX_TOKS];
	size_t nt = tokenize(it->line, it->linelen, t, MAX_TOKS);
	int cut = it->pos >= it->len && (it->len == 0 || it->buf[it->len - 1] != '\n');
	/* a last line cut inside "Benchmark..." (no line end): truncated */
	if (cut && nt < 4 && nt > 0 && t[0].off == 0 &&
	    (importcore_starts(t[0].s, t[0].n, "Benchmark") ||
	     (t[0].n < 9 && !memcmp(t[0].s, "Benchmark", t[0].n))))
		return importcore_error_at(g->ctx, g->buf, g->len, it->start + t[nt - 1].off + t[nt - 1].n,
					   "truncated input: the last benchmark line is incomplete");
	if (nt < 2 || !is_bench_name(t[0].s, t[0].n) || !is_uint(t[1].s, t[1].n))
		return 0; /* a name alone (-v), or log text */
	size_t at = it->start + (nt > 2 ? t[nt - 1].off : t[1].off);
	if (nt < 4 || (nt - 2) % 2)
		return importcore_error_at(g->ctx, g->buf, g->len, at,
					   cut ? "truncated input: the last benchmark line is incomplete"
					       : "malformed benchmark line: expected value/unit pairs after the iteration count");
	char where[64];
	snprintf(where, sizeof(where), "%ld:1", it->lineno);
	if (importcore_check_name(g->ctx, where, t[0].s, t[0].n, 1) < 0)
		return -1;
	double vals[MAX_TOKS];
	size_t primary = (size_t)-1;
	for (size_t i = 2; i + 1 < nt; i += 2) {
		size_t used;
		if (importcore_parse_number(t[i].s, t[i].n, 0, &vals[i], &used) < 0 || used != t[i].n)
			return importcore_error_at(g->ctx, g->buf, g->len, it->start + t[i].off,
						   cut ? "truncated input: the last benchmark line is incomplete"
						       : "expected a number, found '%.*s'",
						   (int)(t[i].n > 40 ? 40 : t[i].n), t[i].s);
		if (t[i + 1].n > RESULT_MAX_NAME)
			return importcore_error_at(g->ctx, g->buf, g->len, it->start + t[i + 1].off,
						   "unit too long");
		if (primary == (size_t)-1 && t[i + 1].n == 5 && !memcmp(t[i + 1].s, "ns/op", 5))
			primary = i;
	}
	if (primary == (size_t)-1)
		primary = 2;
	char *name = xstrndup(t[0].s, t[0].n);
	char unit[RESULT_MAX_NAME + 1];
	const struct tok *u = &t[primary + 1];
	if (u->n == 5 && !memcmp(u->s, "ns/op", 5))
		snprintf(unit, sizeof(unit), "ns");
	else
		snprintf(unit, sizeof(unit), "%.*s", (int)u->n, u->s);
	if (importcore_check_name(g->ctx, where, unit, strlen(unit), 1) < 0) {
		free(name);
		return -1;
	}
	struct bk_benchmark *b = importcore_bench(&g->ix, g->ctx->suite, name, &g->params, unit);
	free(name);
	if (strcmp(b->unit, unit))
		return importcore_error_at(g->ctx, g->buf, g->len, it->start + u->off,
					   "unit '%s' differs from the earlier '%s' of this benchmark",
					   unit, b->unit);
	char p[80];
	snprintf(p, sizeof(p), "%ld:%zu", it->lineno, t[primary].off + 1);
	if (importcore_add_sample(g->ctx, p, b, vals[primary]) < 0)
		return -1;
	double iters;
	size_t used;
	if (importcore_parse_number(t[1].s, t[1].n, 0, &iters, &used) == 0)
		importcore_means_add(&g->means, b, "iterations", iters);
	for (size_t i = 2; i + 1 < nt; i += 2) {
		if (i == primary)
			continue;
		char key[RESULT_MAX_NAME + 1];
		snprintf(key, sizeof(key), "%.*s", (int)t[i + 1].n, t[i + 1].s);
		if (importcore_check_name(g->ctx, p, key, strlen(key), 1) < 0)
			return -1;
		importcore_means_add(&g->means, b, key, vals[i]);
	}
	importcore_count(b, "successful_ops", 1);
	importcore_error_rate(b);
	return 1;
}

static int go_detect(const char *buf, size_t len)
{
	struct importcore_lines it;
	importcore_lines_init(&it, buf, len > 65536 ? 65536 : len);
	int score = 0;
	while (importcore_lines_next(&it) && it.lineno < 2000) {
		if (importcore_starts(it.line, it.linelen, "goos: ") ||
		    importcore_starts(it.line, it.linelen, "goarch: "))
			score = score < 40 ? 40 : score;
		struct tok t[6];
		size_t nt = tokenize(it.line, it.linelen, t, 6);
		if (nt >= 4 && is_bench_name(t[0].s, t[0].n) && is_uint(t[1].s, t[1].n)) {
			double v;
			size_t used;
			if (importcore_parse_number(t[2].s, t[2].n, 0, &v, &used) == 0 &&
			    used == t[2].n)
				return t[3].n == 5 && !memcmp(t[3].s, "ns/op", 5) ? 95 : 80;
		}
	}
	return score;
}

static int go_parse(const struct import_ctx *ctx, const char *buf, size_t len,
		    struct bk_result *out)
{
	if (importcore_check_text(ctx, buf, len) < 0)
		return -1;
	struct goimp g = { .ctx = ctx, .buf = buf, .len = len, .out = out };
	size_t base = out->nbenchmarks; /* benchmarks new in this file */
	importcore_index_init(&g.ix, out);
	importcore_means_init(&g.means, out);
	struct importcore_lines it;
	importcore_lines_init(&it, buf, len);
	int rc = -1;
	while (importcore_lines_next(&it)) {
		int r = header(&g, &it);
		if (r == 0)
			r = fail_line(&g, &it);
		if (r == 0)
			r = result_line(&g, &it);
		if (r < 0)
			goto out;
	}
	importcore_means_finish(&g.means);
	for (size_t i = base; i < out->nbenchmarks; i++) {
		struct bk_benchmark *b = &out->benchmarks[i];
		double v;
		if (!metrics_get(&b->metrics, "successful_ops", &v))
			metrics_set(&b->metrics, "successful_ops", 0);
		if (!metrics_get(&b->metrics, "failed_ops", &v))
			metrics_set(&b->metrics, "failed_ops", 0);
		importcore_error_rate(b);
	}
	rc = 0;
out:
	importcore_means_release(&g.means);
	importcore_index_release(&g.ix);
	kvlist_release(&g.params);
	return rc;
}

const struct importer importer_go = {
	"go",
	"go test -bench text (-benchmem, -count repetitions as samples)",
	go_detect,
	go_parse,
};
