/* Site generator building blocks: number formatting, the result cache
 * round trip (and its refusal of corrupt segments), output path safety,
 * charts that keep spikes when downsampled. */
#include <math.h>

#include "testutil.h"
#include <time.h>
#include <fcntl.h>
#include <sys/stat.h>
#include "sitegen/history/cache.h"
#include "lib/base/strmap.h"
#include "sitegen/render/chart.h"
#include "lib/base/error.h"
#include "lib/verdict/format.h"
#include "sitegen/render/output.h"

static void check_sig(double v, int d, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	format_sig(&sb, v, d);
	if (strcmp(sb.buf, want))
		fail_msg("format_sig(%.17g, %d) = '%s', want '%s'", v, d, sb.buf, want);
	/* and it agrees with printf's rounding */
	char ref[64];
	snprintf(ref, sizeof(ref), "%.*g", d, v);
	assert_true(fabs(strtod(ref, NULL) - strtod(sb.buf, NULL)) <= fabs(v) * 1e-15);
	strbuf_release(&sb);
}

static void test_format(void **state)
{
	(void)state;
	check_sig(0.0123456789, 7, "0.01234568");
	check_sig(123456.789, 7, "123456.8");
	check_sig(1500, 7, "1500");
	check_sig(-2.5, 7, "-2.5");
	check_sig(9.9999999, 7, "10");
	check_sig(1e-7, 7, "1e-07");
	check_sig(0, 7, "0");
	check_sig(0.000123, 3, "0.000123");
	struct strbuf sb = STRBUF_INIT;
	format_fixed1(&sb, 12.34);
	strbuf_addch(&sb, ' ');
	format_fixed1(&sb, -0.05);
	strbuf_addch(&sb, ' ');
	format_fixed1(&sb, 7.0);
	assert_string_equal(sb.buf, "12.3 -0.1 7");
	strbuf_reset(&sb);
	format_value(&sb, 0.0116, "s");
	assert_string_equal(sb.buf, "11.6 ms");
	strbuf_reset(&sb);
	format_value(&sb, 1500, "ns");
	assert_string_equal(sb.buf, "1.50 \xc2\xb5s");
	strbuf_reset(&sb);
	format_value(&sb, 2500000, "ops/s");
	assert_string_equal(sb.buf, "2.50M ops/s");
	strbuf_reset(&sb);
	format_change(&sb, 0.3019);
	assert_string_equal(sb.buf, "+30.2%");
	strbuf_release(&sb);
}

/* One record of a benchmark named name, sample v. */
static void one_record(struct strbuf *enc, struct def_table *defs, const char *name, double v)
{
	struct bk_result r;
	result_init(&r);
	r.run.id = strdup(name);
	struct bk_benchmark *b = result_add_benchmark(&r, "s", name);
	b->unit = strdup("ns");
	bench_add_sample(b, v);
	result_finalize(&r);
	strbuf_reset(enc);
	record_encode(enc, &r, defs);
	result_release(&r);
}

static size_t count_segments(const char *dir)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "ls '%s' | grep -c '^seg-'", dir);
	FILE *f = popen(cmd, "r");
	size_t n = 0;
	assert_int_equal(fscanf(f, "%zu", &n), 1);
	pclose(f);
	return n;
}

/* Many segments, each numbering its definitions its own way, read back
 * through their maps; past 16 they are compacted into one, renumbered,
 * without the results the build did not look up. */
static void test_cache_segments(void **state)
{
	(void)state;
	char *dir = make_tempdir();
	char blob[41], name[32];
	struct strbuf enc = STRBUF_INIT;
	for (int i = 0; i < 18; i++) {
		/* a fresh table per build: benchmark i is definition 0 in its segment */
		struct def_table defs;
		def_table_init(&defs);
		struct cache *c = cache_open(dir, &defs);
		/* a build looks up every result in its tree; result 3 has left it */
		for (int k = 0; k < i; k++) {
			snprintf(blob, sizeof(blob), "%040d", k);
			assert_true(k == 3 || cache_has_result(c, blob));
		}
		snprintf(name, sizeof(name), "bench-%02d", i);
		one_record(&enc, &defs, name, 100 + i);
		snprintf(blob, sizeof(blob), "%040d", i);
		cache_put_record(c, blob, (const unsigned char *)enc.buf, enc.len);
		assert_int_equal(cache_save(c), 0);
		cache_close(c);
		def_table_release(&defs);
		assert_true(count_segments(dir) <= 16 || i == 16);
	}
	assert_true(count_segments(dir) <= 3);
	struct def_table defs;
	def_table_init(&defs);
	struct cache *c = cache_open(dir, &defs);
	snprintf(blob, sizeof(blob), "%040d", 3);
	assert_false(cache_has_result(c, blob)); /* dropped by the compaction */
	for (int i = 0; i < 18; i++) {
		if (i == 3)
			continue;
		snprintf(blob, sizeof(blob), "%040d", i);
		const unsigned char *rec;
		size_t len;
		const uint32_t *defmap;
		uint32_t ndefmap;
		assert_true(cache_get_record(c, blob, &rec, &len, &defmap, &ndefmap));
		struct record r;
		assert_int_equal(record_open(rec, len, ndefmap, &r), 0);
		struct record_bench b;
		record_next(r.bench, &b);
		snprintf(name, sizeof(name), "bench-%02d", i);
		assert_string_equal(defs.items[defmap[b.def]].name, name);
		assert_true(b.median == 100 + i);
	}
	assert_int_equal(defs.nr, 17);
	cache_close(c);
	def_table_release(&defs);
	strbuf_release(&enc);
	rm_rf(dir);
	free(dir);
}

/* strmap: values, interned copies and membership, across table growth */
static void test_strmap(void **state)
{
	(void)state;
	struct strmap m = STRMAP_INIT;
	char key[32];
	const char *first = strmap_intern(&m, "k0");
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		int fresh;
		uint32_t *v = strmap_slot(&m, key, &fresh);
		assert_int_equal(fresh, i != 0); /* k0 was interned already */
		*v = (uint32_t)i;
	}
	assert_ptr_equal(strmap_intern(&m, "k0"), first); /* one copy, kept across growth */
	assert_null(strmap_intern(&m, NULL));
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_int_equal(strmap_get(&m, key), (uint32_t)i);
		assert_true(strmap_has(&m, key));
	}
	assert_false(strmap_has(&m, "k1000"));
	assert_int_equal(strmap_get(&m, "k1000"), UINT32_MAX);
	strmap_release(&m);
	assert_false(strmap_has(&m, "k0"));
}

static void test_cache_round_trip(void **state)
{
	(void)state;
	char *dir = make_tempdir();
	struct bk_result r;
	result_init(&r);
	r.run.id = strdup("run-1");
	r.run.commit_sha = strdup("abc");
	r.run.machine.name = strdup("m");
	r.run.ci.pr = 7;
	kvlist_set(&r.run.labels, "a", "b");
	struct bk_benchmark *b = result_add_benchmark(&r, "s", "n/x=1");
	b->unit = strdup("ns");
	kvlist_set(&b->params, "x", "1");
	bench_add_sample(b, 0.1 + 0.2);
	bench_add_sample(b, 3);
	metrics_set(&b->metrics, "k", 4);
	result_finalize(&r);
	const char *blob = "0123456789012345678901234567890123456789";
	struct def_table defs;
	def_table_init(&defs);
	struct strbuf enc = STRBUF_INIT;
	record_encode(&enc, &r, &defs);
	assert_int_equal(defs.nr, 1);
	struct cache *c = cache_open(dir, &defs);
	assert_false(cache_has_result(c, blob));
	cache_put_record(c, blob, (const unsigned char *)enc.buf, enc.len);
	cache_put_recorded(c, blob, "feedfeedfeedfeedfeedfeedfeedfeedfeedfeed", 1234);
	assert_int_equal(cache_save(c), 0);
	cache_close(c);
	def_table_release(&defs);
	/* read back into a fresh table: the definition comes from the segment */
	def_table_init(&defs);
	c = cache_open(dir, &defs);
	const unsigned char *rec;
	size_t len;
	const uint32_t *defmap;
	uint32_t ndefmap;
	assert_true(cache_get_record(c, blob, &rec, &len, &defmap, &ndefmap));
	assert_int_equal(len, enc.len);
	struct record back;
	assert_int_equal(record_open(rec, len, ndefmap, &back), 0);
	assert_string_equal(back.id, "run-1");
	assert_int_equal(back.pr, 7);
	assert_null(back.commit_branch);
	assert_string_equal(back.machine, "m");
	assert_int_equal(back.nbench, 1);
	struct record_bench rb;
	assert_ptr_equal(record_next(back.bench, &rb), back.end);
	assert_int_equal(rb.n, 2);
	double xs[2];
	record_samples(rb.samples, rb.n, xs);
	assert_true(xs[0] == 0.1 + 0.2 && xs[1] == 3);
	assert_true(rb.median == r.benchmarks[0].stats.median);
	assert_true(rb.ci_high == r.benchmarks[0].stats.ci_high);
	const struct bench_def *d = &defs.items[defmap[rb.def]];
	assert_string_equal(d->suite, "s");
	assert_string_equal(d->unit, "ns");
	assert_string_equal(kvlist_get(&d->params, "x"), "1");
	char sha[41];
	long long t;
	assert_true(cache_get_recorded(c, blob, sha, &t));
	assert_string_equal(sha, "feedfeedfeedfeedfeedfeedfeedfeedfeedfeed");
	assert_int_equal(t, 1234);
	cache_close(c);
	/* a truncated segment is ignored (and removed), never trusted */
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "for f in '%s'/seg-*.bkc; do truncate -s -5 \"$f\"; done", dir);
	assert_int_equal(system(cmd), 0);
	c = cache_open(dir, &defs);
	assert_false(cache_has_result(c, blob));
	cache_close(c);
	/* a cut record is refused at every length */
	for (size_t cut = 0; cut < enc.len; cut++)
		assert_int_equal(record_open((const unsigned char *)enc.buf, cut, 1, &back), -1);
	assert_int_equal(record_open((const unsigned char *)enc.buf, enc.len, 1, &back), 0);
	/* and so is a definition number the segment does not have */
	assert_int_equal(record_open((const unsigned char *)enc.buf, enc.len, 0, &back), -1);
	strbuf_release(&enc);
	def_table_release(&defs);
	result_release(&r);
	rm_rf(dir);
	free(dir);
}

static void test_output_paths(void **state)
{
	(void)state;
	char *dir = make_tempdir();
	struct output o;
	output_init(&o, dir);
	assert_int_equal(output_write(&o, "a/b.html", "x", 1), 0);
	assert_int_equal(output_write(&o, "a/b.html", "x", 1), 0);
	assert_int_equal(o.written, 1);
	assert_int_equal(o.unchanged, 1);
	const char *bad[] = { "../x", "a/../../x", "/etc/x", "a//b", "a/./b", "a\nb", "..", "" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(output_write(&o, bad[i], "x", 1), -1);
	/* the manifest: a file made from the same inputs is skipped while it is
	 * as the last build left it */
	assert_int_equal(output_write(&o, "a/c.csv", "1,2\n", 4), 0);
	output_note(&o, "a/c.csv", 42);
	assert_int_equal(output_save_manifest(&o), 0);
	struct output o2;
	output_init(&o2, dir);
	output_load_manifest(&o2);
	assert_int_equal(output_skip(&o2, "a/c.csv", 41), 0);
	assert_int_equal(output_skip(&o2, "a/missing.csv", 42), 0);
	assert_int_equal(output_skip(&o2, "a/c.csv", 42), 1);
	assert_int_equal(o2.unchanged, 1);
	char cpath[4200];
	snprintf(cpath, sizeof(cpath), "%s/a/c.csv", dir);
	struct timespec later[2] = { { time(NULL) - 100, 0 }, { time(NULL) - 100, 0 } };
	assert_int_equal(utimensat(AT_FDCWD, cpath, later, 0), 0);
	struct output o3;
	output_init(&o3, dir);
	output_load_manifest(&o3);
	assert_int_equal(output_skip(&o3, "a/c.csv", 42), 0); /* touched: made again */
	output_release(&o3);
	output_release(&o2);
	/* a garbled manifest is an empty one */
	char mpath[4200];
	snprintf(mpath, sizeof(mpath), "%s/.benchkeep-manifest", dir);
	write_text(mpath, "benchkeep-manifest 1\nzz 1 2 a/c.csv\n000000000000002a x y a/c.csv\n");
	output_init(&o3, dir);
	output_load_manifest(&o3);
	assert_int_equal(output_skip(&o3, "a/c.csv", 42), 0);
	output_release(&o3);
	unlink(mpath);
	/* pruning: a page this build did not produce goes, others stay */
	char p[4200];
	snprintf(p, sizeof(p), "%s/a/old.html", dir);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fclose(f);
	/* temporaries: an old one (a killed build) goes, a fresh one stays */
	char oldtmp[4200], newtmp[4200];
	snprintf(oldtmp, sizeof(oldtmp), "%s/a/x.html.tmp.AAAAAA", dir);
	snprintf(newtmp, sizeof(newtmp), "%s/a/y.html.tmp.BBBBBB", dir);
	fclose(fopen(oldtmp, "w"));
	fclose(fopen(newtmp, "w"));
	struct timespec times[2] = { { time(NULL) - 7200, 0 }, { time(NULL) - 7200, 0 } };
	assert_int_equal(utimensat(AT_FDCWD, oldtmp, times, 0), 0);
	size_t removed = 0;
	assert_int_equal(output_prune(&o, "a", ".html", &removed), 0);
	assert_int_equal(removed, 2);
	assert_int_equal(access(p, F_OK), -1);
	assert_int_equal(access(oldtmp, F_OK), -1);
	assert_int_equal(access(newtmp, F_OK), 0);
	snprintf(p, sizeof(p), "%s/a/b.html", dir);
	assert_int_equal(access(p, F_OK), 0);
	output_release(&o);
	rm_rf(dir);
	free(dir);
}

static void test_chart_keeps_spikes(void **state)
{
	(void)state;
	enum { N = 10000 };
	struct chart_point *p = calloc(N, sizeof(*p));
	for (int i = 0; i < N; i++)
		p[i].median = p[i].lo = p[i].hi = 100;
	p[4321].median = p[4321].hi = 1000; /* one spike in 10,000 */
	struct chart_opts o = { 0, 0, "ns", "t<script>", NULL, 0 };
	struct strbuf sb = STRBUF_INIT;
	chart_svg(&sb, p, N, &o);
	/* the y axis reaches the spike (a label of 1 us or more appears) */
	assert_non_null(strstr(sb.buf, "1.00 \xc2\xb5s"));
	assert_null(strstr(sb.buf, "<script>"));
	assert_non_null(strstr(sb.buf, "t&lt;script&gt;"));
	/* light: bounded by pixel columns, not by points */
	assert_true(sb.len < 200 * 1024);
	strbuf_release(&sb);
	free(p);
}

/* The noise band: one bk-noise path per segment, under the line, with its
 * title escaped; the y axis spans it; no band without levels. */
static void test_chart_noise_band(void **state)
{
	(void)state;
	enum { N = 300 };
	struct chart_point *p = calloc(N, sizeof(*p));
	for (int i = 0; i < N; i++)
		p[i].median = p[i].lo = p[i].hi = i < 150 ? 100 : 130;
	struct chart_level lv[2] = { { 0, 150, 100, 90, 111, "band <1>" },
				     { 150, N, 130, 117, 144, "band <2>" } };
	struct chart_opts o = { 0, 0, "ns", "t", NULL, 0 };
	struct strbuf sb = STRBUF_INIT;
	chart_svg_levels(&sb, p, N, &o, lv, 2);
	const char *a = strstr(sb.buf, "class=\"bk-noise\"");
	assert_non_null(a);
	assert_non_null(strstr(a + 1, "class=\"bk-noise\""));
	assert_null(strstr(strstr(a + 1, "class=\"bk-noise\"") + 1, "class=\"bk-noise\""));
	assert_true(a < strstr(sb.buf, "class=\"bk-line\""));
	assert_non_null(strstr(sb.buf, "<title>band &lt;1&gt;</title>"));
	assert_null(strstr(sb.buf, "band <"));
	/* the axis reaches the top of the second band (144 ns: a 150 label) */
	assert_non_null(strstr(sb.buf, ">150 ns<"));
	strbuf_reset(&sb);
	chart_svg(&sb, p, N, &o);
	assert_null(strstr(sb.buf, "bk-noise"));
	strbuf_release(&sb);
	free(p);
}

/* format_date against gmtime_r + strftime over 800 years, negative times too */
static void test_format_date_matches_libc(void **state)
{
	(void)state;
	for (long long t = -5000000000LL; t < 20000000000LL; t += 7777777) {
		struct strbuf a = STRBUF_INIT;
		format_date(&a, t, 1);
		char b[64];
		time_t tt = (time_t)t;
		struct tm tm;
		gmtime_r(&tt, &tm);
		strftime(b, sizeof(b), "%Y-%m-%d %H:%M", &tm);
		assert_string_equal(a.buf, b);
		strbuf_reset(&a);
		format_date(&a, t, 0);
		b[10] = '\0';
		assert_string_equal(a.buf, b);
		strbuf_release(&a);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_date_matches_libc),
		cmocka_unit_test(test_strmap),
		cmocka_unit_test(test_cache_round_trip),
		cmocka_unit_test(test_cache_segments),
		cmocka_unit_test(test_output_paths),
		cmocka_unit_test(test_chart_keeps_spikes),
		cmocka_unit_test(test_chart_noise_band),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
