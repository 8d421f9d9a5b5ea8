/* baseline: merge (newest wins), metadata, atomic write, round trip, and
 * the reader that takes a result or a baseline. */
#include <math.h>
#include <sys/stat.h>

#include "testutil.h"
#include "lib/doc/baseline.h"
#include "lib/base/error.h"

static void make_result(struct bk_result *r, const char *id, const char *at, const char *sha,
			double base)
{
	result_init(r);
	set_str(&r->run.id, id);
	set_str(&r->run.started_at, at);
	set_str(&r->run.finished_at, at);
	set_str(&r->run.commit_sha, sha);
	set_str(&r->run.machine.name, "box1");
	set_str(&r->run.machine.os, "linux");
	set_str(&r->run.machine.arch, "x86_64");
	set_str(&r->run.machine.compiler, "gcc 12.2.0");
	r->run.machine.cpu_cores = 2;
	r->run.machine.memory_gb = 7.75;
	struct bk_benchmark *b = result_add_benchmark(r, "core", "parse");
	set_str(&b->unit, "ms");
	for (int i = 0; i < 5; i++)
		bench_add_sample(b, base + i * 0.1);
}

static void test_merge_and_round_trip(void **state)
{
	(void)state;
	char *dir = make_tempdir();
	struct bk_result old, new1, other;
	make_result(&old, "r-old", "2026-11-20T10:00:00Z", "1111111111111111111111111111111111111111", 1);
	make_result(&new1, "r-new", "2026-11-22T10:00:00Z", "2222222222222222222222222222222222222222", 2);
	make_result(&other, "r-io", "2026-11-21T10:00:00Z", "3333333333333333333333333333333333333333", 3);
	set_str(&other.benchmarks[0].suite, "io");
	struct bk_baseline bl;
	baseline_init(&bl);
	/* the newest wins whatever the order given */
	baseline_merge_result(&bl, &new1);
	baseline_merge_result(&bl, &old);
	baseline_merge_result(&bl, &other);
	assert_int_equal(bl.r.nbenchmarks, 2);
	struct bk_benchmark *p = result_find(&bl.r, "core", "parse", NULL);
	assert_non_null(p);
	assert_close(p->samples[0], 2, 0);
	assert_string_equal(bl.origins[p - bl.r.benchmarks].run_id, "r-new");
	assert_string_equal(bl.meta.git_commit, "2222222222222222222222222222222222222222");
	baseline_stamp(&bl, 1770000000, "after the parser rewrite | `x`");
	assert_string_equal(bl.meta.created_at, "2026-02-02T02:40:00Z");

	char path[4200];
	snprintf(path, sizeof(path), "%s/baselines/main-baseline.json", dir);
	assert_int_equal(baseline_write_file(&bl, path), 0);
	struct bk_baseline back;
	assert_int_equal(baseline_read_file(&back, path), 0);
	assert_int_equal(back.r.nbenchmarks, 2);
	assert_string_equal(back.meta.created_at, "2026-02-02T02:40:00Z");
	assert_string_equal(back.meta.notes, "after the parser rewrite | `x`");
	assert_string_equal(back.meta.git_commit, "2222222222222222222222222222222222222222");
	assert_string_equal(back.meta.os, "linux");
	assert_string_equal(back.meta.arch, "x86_64");
	assert_string_equal(back.meta.compiler, "gcc 12.2.0");
	assert_int_equal(back.meta.cpu_cores, 2);
	assert_close(back.meta.total_memory_gb, 7.8, 1e-12);
	assert_non_null(back.meta.version);
	p = result_find(&back.r, "core", "parse", NULL);
	assert_int_equal(p->nsamples, 5); /* raw samples kept */
	assert_close(p->samples[4], 2.4, 1e-15);
	assert_close(p->stats.median, 2.2, 1e-12);
	assert_string_equal(back.origins[p - back.r.benchmarks].recorded_at, "2026-11-22T10:00:00Z");
	/* written again unchanged: byte-identical */
	char path2[4300];
	snprintf(path2, sizeof(path2), "%s/again.json", dir);
	assert_int_equal(baseline_write_file(&back, path2), 0);
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	assert_int_equal(strbuf_read_file(&a, path), 0);
	assert_int_equal(strbuf_read_file(&b, path2), 0);
	assert_string_equal(a.buf, b.buf);
	strbuf_release(&a);
	strbuf_release(&b);

	/* the generic reader: a baseline reads as a result */
	struct bk_result r;
	const char *kind = NULL;
	assert_int_equal(input_read_file(&r, path, &kind), 0);
	assert_string_equal(kind, "baseline");
	assert_int_equal(r.nbenchmarks, 2);
	assert_string_equal(r.run.commit_sha, "2222222222222222222222222222222222222222");
	result_release(&r);
	snprintf(path2, sizeof(path2), "%s/result.json", dir);
	assert_int_equal(result_write_new(&old, path2), 0);
	assert_int_equal(input_read_file(&r, path2, &kind), 0);
	assert_string_equal(kind, "result");
	result_release(&r);

	baseline_release(&back);
	baseline_release(&bl);
	result_release(&old);
	result_release(&new1);
	result_release(&other);
	rm_rf(dir);
	free(dir);
}

static void test_bad_input(void **state)
{
	(void)state;
	char *dir = make_tempdir();
	char path[4200];
	struct bk_result r;
	snprintf(path, sizeof(path), "%s/x.json", dir);
	write_text(path, "{\"schema\": \"something/else\"}");
	assert_int_equal(input_read_file(&r, path, NULL), -1);
	assert_non_null(strstr(bk_last_error(), "x.json: schema: expected"));
	write_text(path, "[1, 2]");
	assert_int_equal(input_read_file(&r, path, NULL), -1);
	assert_non_null(strstr(bk_last_error(), "not a benchkeep result or baseline"));
	write_text(path, "{\"schema\": \"benchkeep/baseline/v1\", \"metadata\": {},\n"
			 " \"benchmarks\": [{\"suite\": \"s\", \"name\": \"n\", \"unit\": \"s\","
			 " \"samples\": [1, \"x\"]}]}");
	assert_int_equal(input_read_file(&r, path, NULL), -1);
	assert_non_null(strstr(bk_last_error(), "x.json: benchmarks[0].samples[1]"));
	write_text(path, "{\"schema\": \"benchkeep/baseline/v1\", \"metadata\": "
			 "{\"system_info\": {\"cpu_cores\": \"two\"}}, \"benchmarks\": []}");
	struct bk_baseline b;
	assert_int_equal(baseline_read_file(&b, path), -1);
	assert_non_null(strstr(bk_last_error(), "metadata.system_info.cpu_cores"));
	write_text(path, "{\"schema\": \"benchkeep/baseline/v1\", \"metadata\"");
	assert_int_equal(input_read_file(&r, path, NULL), -1);
	assert_non_null(strstr(bk_last_error(), "x.json:1:"));
	snprintf(path, sizeof(path), "%s/none.json", dir);
	assert_int_equal(input_read_file(&r, path, NULL), -1);
	assert_non_null(strstr(bk_last_error(), "none.json"));
	rm_rf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_and_round_trip),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
