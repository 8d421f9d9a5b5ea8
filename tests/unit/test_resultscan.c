/* The fast result reader (lib/doc/resultscan.c) against the full reader
 * (result_read_buf): whenever the fast one accepts an input, both give the
 * same result (compared through result_to_json); whatever the full one
 * refuses, the fast one hands over. Inputs: results benchkeep writes with
 * random contents, edited variants (nulls, unknown and duplicate members,
 * escapes, odd numbers, truncations), and every fixture file. */
#include <dirent.h>
#include <math.h>

#include "testutil.h"
#include "lib/base/error.h"
#include "lib/doc/json.h"
#include "lib/doc/result.h"
#include "lib/doc/resultscan.h"
#include "lib/base/strbuf.h"

static char *json_of(const struct bk_result *r)
{
	cJSON *j = result_to_json(r);
	char *s = json_print(j);
	cJSON_Delete(j);
	return s;
}

/* Returns 1 when the fast reader accepted buf (and then agreed). */
static int check(const char *buf, size_t len)
{
	struct bk_result a, b;
	int fast = result_scan_buf(&a, buf, len);
	int full = result_read_buf(&b, buf, len, "t.json");
	if (fast == 0) {
		if (full != 0)
			fail_msg("fast reader accepted what the full one refuses: %s\n%.300s", bk_last_error(), buf);
		char *x = json_of(&a), *y = json_of(&b);
		if (strcmp(x, y))
			fail_msg("readers differ on %.300s\nfast: %.400s\nfull: %.400s", buf, x, y);
		free(x);
		free(y);
		result_release(&a);
	} else {
		assert_int_equal(fast, 1);
		assert_int_equal(a.nbenchmarks, 0);
	}
	if (full == 0)
		result_release(&b);
	return fast == 0;
}

static uint64_t rng = 88172645463325252ull;
static double rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

static void make_result(struct strbuf *out, int variant)
{
	struct bk_result r;
	result_init(&r);
	set_str(&r.run.id, "20261130T000000Z-abcdef0-box-0001");
	set_str(&r.run.started_at, "2026-11-30T00:00:00Z");
	set_str(&r.run.commit_sha, "0123456789abcdef0123456789abcdef01234567");
	set_str(&r.run.commit_branch, variant % 3 ? "main" : "feature/é|<x>");
	set_str(&r.run.machine.name, "box <1>");
	set_str(&r.run.machine.cpu_model, "Some CPU @ 2.00GHz");
	r.run.machine.cpu_cores = 2 + variant % 7;
	r.run.machine.memory_gb = 24.5;
	r.run.ci.pr = variant % 5;
	kvlist_set(&r.run.labels, "k", "v");
	if (variant % 2) {
		r.run.rounds = 4;
		r.run.round_seed = 4503599627370496ull + (unsigned)variant;
	}
	int nb = 1 + variant % 9;
	for (int i = 0; i < nb; i++) {
		char name[64];
		snprintf(name, sizeof(name), "bench_%d/size=%d", i, i * 1000);
		struct bk_benchmark *b = result_add_benchmark(&r, i % 2 ? "io" : "cpu", name);
		set_str(&b->unit, i % 3 ? "ns" : "ops/s");
		b->direction = direction_for_unit(b->unit);
		kvlist_set(&b->params, "size", "1000");
		int ns = (variant + i) % 12;
		for (int k = 0; k < ns; k++) {
			double x = (rnd() - 0.2) * pow(10, (int)(rnd() * 30) - 15);
			if (variant % 2)
				bench_add_sample_round(b, x, 1 + (unsigned)k / 3);
			else
				bench_add_sample(b, x);
		}
		if (i % 4 == 1)
			metrics_set(&b->metrics, "peak_rss_kb", 1000 + i);
		if (i % 5 == 2) {
			b->threshold = 0.2;
			b->has_threshold = 1;
		}
		bench_finalize(b);
	}
	cJSON *j = result_to_json(&r);
	char *s = json_print(j);
	strbuf_addstr(out, s);
	free(s);
	cJSON_Delete(j);
	result_release(&r);
}

static void replace(struct strbuf *sb, const char *from, const char *to)
{
	char *at = strstr(sb->buf, from);
	if (!at)
		return;
	struct strbuf n = STRBUF_INIT;
	strbuf_add(&n, sb->buf, (size_t)(at - sb->buf));
	strbuf_addstr(&n, to);
	strbuf_addstr(&n, at + strlen(from));
	strbuf_reset(sb);
	strbuf_addstr(sb, n.buf);
	strbuf_release(&n);
}

static void test_written_results_agree(void **state)
{
	(void)state;
	int accepted = 0;
	for (int v = 0; v < 300; v++) {
		struct strbuf sb = STRBUF_INIT;
		make_result(&sb, v);
		accepted += check(sb.buf, sb.len);
		strbuf_release(&sb);
	}
	/* what benchkeep writes is the common case: all of it on the fast path */
	assert_int_equal(accepted, 300);
}

static void test_edited_variants(void **state)
{
	(void)state;
	static const char *const edits[][2] = {
		{ "\"started_at\":", "\"started_at\": null, \"x_unknown\": [1, {\"a\": [true, false, null]}], \"z\":" },
		{ "\"branch\":", "\"branch\": null, \"other\":" },
		{ "\"unit\":", "\"source\": \"gbench\", \"unit\":" },
		{ "\"direction\":", "\"direction\": \"bigger\", \"d2\":" },
		{ "\"direction\":", "\"direction\": \"sideways\", \"d2\":" },
		{ "\"schema\":", "\"schema\": \"benchkeep/result/v1\", \"schema\":" },
		{ "\"name\":", "\"name\": \"a\\\"b\", \"n2\":" },
		{ "\"name\":", "\"name\": \"\", \"n2\":" },
		{ "\"samples\":", "\"samples\": [1.5e3, -0, 2E-2, 0.5], \"s2\":" },
		{ "\"samples\":", "\"samples\": [01], \"s2\":" },
		{ "\"samples\":", "\"samples\": [1.], \"s2\":" },
		{ "\"samples\":", "\"samples\": [1e400], \"s2\":" },
		{ "\"samples\":", "\"samples\": null, \"s2\":" },
		{ "\"params\":", "\"params\": {\"a\": 1.25, \"b\": true, \"c\": \"x\"}, \"p2\":" },
		{ "\"params\":", "\"params\": {\"a\": null}, \"p2\":" },
		{ "\"params\":", "\"params\": {\"a\": \"1\", \"a\": \"2\"}, \"p2\":" },
		{ "\"cpu_cores\":", "\"cpu_cores\": null, \"c2\":" },
		{ "\"cpu_cores\":", "\"cpu_cores\": 1e7, \"c2\":" },
		{ "\"pr\":", "\"pr\": null, \"p3\":" },
		{ "\"pr\":", "\"pr\": -1, \"p3\":" },
		{ "\"id\":", "\"id\": null, \"i2\":" },
		{ "\"run\":", "\"run\": null, \"r2\":" },
		{ "\"benchmarks\":", "\"benchmarks\": {}, \"b2\":" },
		{ "{", "\xef\xbb\xbf{" },
		{ "\"samples\":", "\"rounds\": [1, 2], \"samples\":" },
		{ "\"samples\":", "\"rounds\": null, \"samples\":" },
		{ "\"rounds\": [", "\"rounds\": [0, " },
		{ "\"rounds\": [", "\"rounds\": [1.5, " },
		{ "\"count\":", "\"count\": 2, \"count\":" },
		{ "\"count\":", "\"x\":" },
		{ "\"seed\":", "\"seed\": -1, \"s\":" },
		{ "\"samples\":", "\"noise\": {\"runs\": 3, \"center\": 1, \"spread\": 0.01}, \"samples\":" },
		{ "\"suite\":", "\"suite\":\f" },
	};
	int accepted = 0, total = 0;
	for (size_t e = 0; e < sizeof(edits) / sizeof(edits[0]); e++)
		for (int v = 1; v < 12; v++) {
			struct strbuf sb = STRBUF_INIT;
			make_result(&sb, v);
			replace(&sb, edits[e][0], edits[e][1]);
			accepted += check(sb.buf, sb.len);
			total++;
			/* every truncation of a small one is handed over, never misread */
			if (v == 1 && e < 3)
				for (size_t cut = 0; cut < sb.len; cut += 7)
					assert_int_equal(check(sb.buf, cut), 0);
			strbuf_release(&sb);
		}
	print_message("%d of %d edited inputs on the fast path\n", accepted, total);
	assert_true(accepted > 0 && accepted < total);
}

static void test_fixtures_are_handed_over(void **state)
{
	(void)state;
	const char *root = getenv("BK_ROOT") ? getenv("BK_ROOT") : ".";
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/tests/fixtures", root);
	DIR *d = opendir(dir);
	if (!d)
		return; /* run from elsewhere: the synthetic cases above still ran */
	struct dirent *e;
	int files = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char sub[8192];
		snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
		DIR *d2 = opendir(sub);
		if (!d2)
			continue;
		struct dirent *f;
		while ((f = readdir(d2))) {
			if (f->d_name[0] == '.')
				continue;
			char path[12288];
			snprintf(path, sizeof(path), "%s/%s", sub, f->d_name);
			struct strbuf sb = STRBUF_INIT;
			if (strbuf_read_file(&sb, path) == 0) {
				check(sb.buf, sb.len);
				files++;
			}
			strbuf_release(&sb);
		}
		closedir(d2);
	}
	closedir(d);
	assert_true(files > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_written_results_agree),
		cmocka_unit_test(test_edited_variants),
		cmocka_unit_test(test_fixtures_are_handed_over),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
