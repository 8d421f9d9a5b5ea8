/* compare: matching, verdicts and JSON on synthetic samples. */
#include <math.h>

#include "testutil.h"
#include "compare.h"
#include "result.h"

/* Deterministic noise: a small LCG giving values in [-1, 1). */
static double noise(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return ((double)((*s >> 8) & 0xFFFF) / 32768.0) - 1.0;
}

/* Adds a benchmark with n samples around mu (relative spread sd). */
static struct bk_benchmark *add(struct bk_result *r, const char *suite, const char *name,
				const char *unit, double mu, double sd, size_t n, unsigned seed)
{
	struct bk_benchmark *b = result_add_benchmark(r, suite, name);
	b->unit = strdup(unit);
	b->direction = direction_for_unit(unit);
	unsigned s = seed;
	for (size_t i = 0; i < n; i++)
		bench_add_sample(b, mu * (1 + sd * noise(&s)));
	bench_finalize(b);
	return b;
}

static const struct compare_entry *find(const struct comparison *c, const char *name)
{
	for (size_t i = 0; i < c->nr; i++)
		if (!strcmp(compare_entry_bench(&c->entries[i])->name, name))
			return &c->entries[i];
	fail_msg("no entry '%s'", name);
	return NULL;
}

static void test_verdicts(void **state)
{
	(void)state;
	struct bk_result base, head;
	result_init(&base);
	result_init(&head);
	add(&base, "s", "doubled", "ms", 10, 0.02, 20, 1);
	add(&head, "s", "doubled", "ms", 20, 0.02, 20, 2);
	add(&base, "s", "same", "ms", 10, 0.02, 20, 3);
	add(&head, "s", "same", "ms", 10, 0.02, 20, 4);
	add(&base, "s", "faster", "ms", 10, 0.02, 20, 5);
	add(&head, "s", "faster", "ms", 7, 0.02, 20, 6);
	/* bigger is better: a drop in throughput is the regression */
	add(&base, "s", "tput-drop", "ops/s", 1000, 0.02, 20, 7);
	add(&head, "s", "tput-drop", "ops/s", 800, 0.02, 20, 8);
	add(&base, "s", "tput-up", "ops/s", 1000, 0.02, 20, 9);
	add(&head, "s", "tput-up", "ops/s", 1300, 0.02, 20, 10);
	/* significant but tiny (+2% with almost no noise): unchanged */
	add(&base, "s", "tiny", "ms", 10, 0.001, 30, 11);
	add(&head, "s", "tiny", "ms", 10.2, 0.001, 30, 12);
	/* +20% in 40% noise with 6 samples: cannot tell */
	add(&base, "s", "noisy", "ms", 10, 0.4, 6, 13);
	add(&head, "s", "noisy", "ms", 12, 0.4, 6, 14);
	/* 4 samples a side: the threshold alone */
	add(&base, "s", "few-up", "ms", 10, 0.01, 4, 15);
	add(&head, "s", "few-up", "ms", 11, 0.01, 4, 16);
	add(&base, "s", "few-same", "ms", 10, 0.01, 4, 17);
	add(&head, "s", "few-same", "ms", 10.1, 0.01, 4, 18);
	add(&base, "s", "gone", "ms", 10, 0.01, 10, 19);
	add(&head, "s", "fresh", "ms", 10, 0.01, 10, 20);

	struct comparison c;
	assert_int_equal(compare_results(&c, &base, &head, NULL), 0);
	assert_int_equal(c.nr, 11);
	assert_int_equal(c.matched, 9);
	const struct compare_entry *e = find(&c, "doubled");
	assert_int_equal(e->verdict, VERDICT_REGRESSION);
	assert_true(fabs(e->change - 1.0) < 0.05);
	assert_true(e->ci_low > 0.9 && e->ci_high < 1.1);
	assert_true(e->p_value < 1e-6 && e->q_value >= e->p_value && e->q_value < 0.01);
	assert_int_equal(find(&c, "same")->verdict, VERDICT_UNCHANGED);
	assert_int_equal(find(&c, "faster")->verdict, VERDICT_IMPROVEMENT);
	e = find(&c, "tput-drop");
	assert_int_equal(e->verdict, VERDICT_REGRESSION);
	assert_true(e->change < -0.15);
	assert_int_equal(find(&c, "tput-up")->verdict, VERDICT_IMPROVEMENT);
	e = find(&c, "tiny");
	assert_int_equal(e->verdict, VERDICT_UNCHANGED);
	assert_true(e->q_value < 0.01);
	assert_string_equal(e->reason, "significant but within the threshold");
	e = find(&c, "noisy");
	assert_int_equal(e->verdict, VERDICT_NOISY);
	assert_false(e->threshold_only);
	e = find(&c, "few-up");
	assert_int_equal(e->verdict, VERDICT_REGRESSION);
	assert_true(e->threshold_only);
	assert_true(e->p_value > 0.02); /* 4 v 4 can never reach 0.029 */
	assert_non_null(strstr(e->reason, "threshold only"));
	e = find(&c, "few-same");
	assert_int_equal(e->verdict, VERDICT_UNCHANGED);
	assert_true(e->threshold_only);
	e = find(&c, "gone");
	assert_int_equal(e->verdict, VERDICT_MISSING);
	assert_null(e->head);
	assert_true(isnan(e->p_value));
	e = find(&c, "fresh");
	assert_int_equal(e->verdict, VERDICT_NEW);
	assert_null(e->base);
	assert_int_equal(c.counts[VERDICT_REGRESSION], 3);
	assert_int_equal(c.counts[VERDICT_IMPROVEMENT], 2);
	assert_int_equal(c.counts[VERDICT_NOISY], 1);
	assert_int_equal(c.counts[VERDICT_UNCHANGED], 3);

	/* people's order: regressions first, biggest change first */
	comparison_sort(&c);
	assert_string_equal(compare_entry_bench(&c.entries[0])->name, "doubled");
	assert_int_equal(c.entries[2].verdict, VERDICT_REGRESSION);
	assert_int_equal(c.entries[3].verdict, VERDICT_IMPROVEMENT);
	assert_int_equal(c.entries[c.nr - 1].verdict, VERDICT_UNCHANGED);

	/* JSON: schema fields */
	struct compare_side bs = { "base.json", "baseline" }, hs = { "head.json", "result" };
	cJSON *j = comparison_to_json(&c, &bs, &hs);
	char *txt = cJSON_PrintUnformatted(j);
	cJSON *back = cJSON_Parse(txt); /* raw numbers must read back */
	assert_non_null(back);
	assert_string_equal(json_get_string(back, "schema"), "benchkeep/comparison/v1");
	assert_string_equal(json_get_string(cJSON_GetObjectItem(back, "base"), "kind"), "baseline");
	cJSON *b0 = cJSON_GetArrayItem(cJSON_GetObjectItem(back, "benchmarks"), 0);
	const char *fields[] = { "suite", "name", "unit", "direction", "base", "head", "change",
				 "ci95", "p_value", "q_value", "verdict" };
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		assert_non_null(cJSON_GetObjectItemCaseSensitive(b0, fields[i]));
	assert_string_equal(json_get_string(b0, "verdict"), "regression");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(b0, "ci95")), 2);
	double v;
	assert_int_equal(json_get_number(cJSON_GetObjectItem(b0, "base"), "n", &v), 1);
	assert_close(v, 20, 0);
	cJSON *sum = cJSON_GetObjectItem(back, "summary");
	assert_int_equal(json_get_number(sum, "regression", &v), 1);
	assert_close(v, 3, 0);
	assert_int_equal(json_get_number(sum, "total", &v), 1);
	assert_close(v, 11, 0);
	/* a missing benchmark has null head and null p */
	cJSON *last = NULL, *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(back, "benchmarks"))
		if (!strcmp(json_get_string(it, "verdict"), "missing"))
			last = it;
	assert_non_null(last);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(last, "head")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(last, "p_value")));
	cJSON_Delete(back);
	cJSON_free(txt);
	cJSON_Delete(j);

	comparison_release(&c);
	result_release(&base);
	result_release(&head);
}

static double half_for_core(void *payload, const struct bk_benchmark *b)
{
	(void)payload;
	return !strcmp(b->suite, "core") ? 0.5 : -1;
}

static void test_thresholds_and_options(void **state)
{
	(void)state;
	struct bk_result base, head;
	result_init(&base);
	result_init(&head);
	add(&base, "core", "x", "ms", 10, 0.02, 20, 1);
	add(&head, "core", "x", "ms", 13, 0.02, 20, 2);
	add(&base, "other", "x", "ms", 10, 0.02, 20, 3);
	add(&head, "other", "x", "ms", 13, 0.02, 20, 4);
	struct compare_opts o = COMPARE_OPTS_INIT;
	o.threshold_for = half_for_core;
	struct comparison c;
	assert_int_equal(compare_results(&c, &base, &head, &o), 0);
	assert_int_equal(c.entries[0].verdict, VERDICT_UNCHANGED); /* +30% < 50% */
	assert_close(c.entries[0].threshold, 0.5, 0);
	assert_int_equal(c.entries[1].verdict, VERDICT_REGRESSION);
	comparison_release(&c);
	/* --threshold 40: both unchanged */
	o.threshold_for = NULL;
	o.threshold = 0.4;
	assert_int_equal(compare_results(&c, &base, &head, &o), 0);
	assert_int_equal(c.counts[VERDICT_UNCHANGED], 2);
	comparison_release(&c);
	o.alpha = 0;
	assert_int_equal(compare_results(&c, &base, &head, &o), -1);
	o.alpha = 0.01;
	o.threshold = -1;
	assert_int_equal(compare_results(&c, &base, &head, &o), -1);
	result_release(&base);
	result_release(&head);
}

static void test_matching(void **state)
{
	(void)state;
	struct bk_result base, head;
	result_init(&base);
	result_init(&head);
	/* same name, different params: different benchmarks */
	struct bk_benchmark *b = add(&base, "s", "p", "ms", 10, 0.01, 10, 1);
	kvlist_set(&b->params, "n", "1");
	b = add(&base, "s", "p", "ms", 10, 0.01, 10, 2);
	kvlist_set(&b->params, "n", "2");
	b = add(&head, "s", "p", "ms", 20, 0.01, 10, 3);
	kvlist_set(&b->params, "n", "2");
	/* a duplicate in HEAD: the first occurrence counts */
	b = add(&head, "s", "p", "ms", 10, 0.01, 10, 4);
	kvlist_set(&b->params, "n", "2");
	/* no samples on a side, and a zero base median */
	add(&base, "s", "empty", "ms", 10, 0.01, 0, 5);
	add(&head, "s", "empty", "ms", 10, 0.01, 10, 6);
	add(&base, "s", "zero", "ms", 0, 0, 10, 7);
	add(&head, "s", "zero", "ms", 1, 0, 10, 8);
	struct comparison c;
	assert_int_equal(compare_results(&c, &base, &head, NULL), 0);
	assert_int_equal(c.nr, 4);
	assert_int_equal(c.entries[0].verdict, VERDICT_REGRESSION); /* n=2: 10 -> 20 */
	assert_string_equal(c.entries[0].head->params.items[0].value, "2");
	assert_int_equal(c.entries[1].verdict, VERDICT_NOISY);
	assert_string_equal(c.entries[1].reason, "no samples in BASE");
	assert_int_equal(c.entries[2].verdict, VERDICT_NOISY);
	assert_true(isnan(c.entries[2].change));
	assert_int_equal(c.entries[3].verdict, VERDICT_MISSING); /* n=1 */
	assert_string_equal(c.entries[3].base->params.items[0].value, "1");
	assert_int_equal(c.matched, 3);
	comparison_release(&c);
	/* nothing in common */
	struct bk_result empty;
	result_init(&empty);
	assert_int_equal(compare_results(&c, &empty, &head, NULL), 0);
	assert_int_equal(c.matched, 0);
	assert_int_equal(c.counts[VERDICT_NEW], 3);
	comparison_release(&c);
	result_release(&base);
	result_release(&head);
}

static void test_bh_across_benchmarks(void **state)
{
	(void)state;
	/* 200 unchanged benchmarks and one real change: its q is p times the
	 * number tested over its rank (1), and no unchanged one is flagged */
	struct bk_result base, head;
	result_init(&base);
	result_init(&head);
	char name[32];
	for (unsigned i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "b%u", i);
		add(&base, "s", name, "ms", 10, 0.05, 12, 2 * i + 1);
		add(&head, "s", name, "ms", 10, 0.05, 12, 2 * i + 2);
	}
	add(&base, "s", "real", "ms", 10, 0.02, 12, 1000);
	add(&head, "s", "real", "ms", 15, 0.02, 12, 1001);
	struct comparison c;
	assert_int_equal(compare_results(&c, &base, &head, NULL), 0);
	const struct compare_entry *e = find(&c, "real");
	assert_close(e->q_value, e->p_value * 201, 1e-15 + e->p_value * 201 * 1e-12);
	assert_int_equal(e->verdict, VERDICT_REGRESSION);
	assert_int_equal(c.counts[VERDICT_REGRESSION] + c.counts[VERDICT_IMPROVEMENT], 1);
	for (size_t i = 0; i < c.nr; i++)
		assert_true(c.entries[i].q_value >= c.entries[i].p_value);
	comparison_release(&c);
	result_release(&base);
	result_release(&head);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_thresholds_and_options),
		cmocka_unit_test(test_matching),
		cmocka_unit_test(test_bh_across_benchmarks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
