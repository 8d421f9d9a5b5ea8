/* compare: matching, verdicts and JSON on synthetic samples. */
#include <math.h>

#include "testutil.h"
#include "lib/verdict/compare.h"
#include "lib/verdict/noise.h"
#include "lib/doc/result.h"
#include "lib/base/xalloc.h"

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
	/* tiny (+2% with almost no noise): unchanged */
	add(&base, "s", "tiny", "ms", 10, 0.001, 30, 11);
	add(&head, "s", "tiny", "ms", 10.2, 0.001, 30, 12);
	/* +20% in 40% noise with 6 samples: cannot tell */
	add(&base, "s", "noisy", "ms", 10, 0.4, 6, 13);
	add(&head, "s", "noisy", "ms", 12, 0.4, 6, 14);
	/* 4 samples a side: judged like the others (no threshold-only path:
	 * the within-run SE of 4 samples plus the assumed run-to-run noise) */
	add(&base, "s", "few-up", "ms", 10, 0.01, 4, 15);
	add(&head, "s", "few-up", "ms", 11, 0.01, 4, 16);
	add(&base, "s", "few-same", "ms", 10, 0.01, 4, 17);
	add(&head, "s", "few-same", "ms", 10.1, 0.01, 4, 18);
	add(&base, "s", "gone", "ms", 10, 0.01, 10, 19);
	add(&head, "s", "fresh", "ms", 10, 0.01, 10, 20);

	struct comparison c;
	/* the default assumes 15% run-to-run noise (a shared VM): a -20%
	 * throughput drop of two separate runs is no proof there */
	assert_int_equal(compare_results(&c, &base, &head, NULL), 0);
	assert_int_equal(find(&c, "tput-drop")->verdict, VERDICT_NOISY);
	/* even a doubling is only about 3.3 standard errors there: significant
	 * alone (p ~ 0.001), not after Benjamini–Hochberg over 9 */
	const struct compare_entry *d = find(&c, "doubled");
	assert_true(d->change > 0.9 && d->p_value < 0.01);
	assert_int_not_equal(d->verdict, VERDICT_IMPROVEMENT);
	assert_close(c.assumed_noise, 0.15, 0);
	comparison_release(&c);
	/* a quieter machine (--assumed-noise 5) */
	struct compare_opts quiet = COMPARE_OPTS_INIT;
	quiet.assumed_noise = 0.05;
	assert_int_equal(compare_results(&c, &base, &head, &quiet), 0);
	assert_int_equal(c.nr, 11);
	assert_int_equal(c.matched, 9);
	const struct compare_entry *e = find(&c, "doubled");
	assert_int_equal(e->verdict, VERDICT_REGRESSION);
	assert_true(fabs(e->change - 1.0) < 0.05);
	/* the CI: +-1.96 x sqrt(within-run SEs + 2 x 5% assumed) on the log */
	assert_true(e->ci_low > 0.6 && e->ci_low < e->change && e->ci_high > e->change && e->ci_high < 1.5);
	assert_true(e->p_value < 1e-6 && e->q_value >= e->p_value && e->q_value < 0.01);
	assert_int_equal(e->noise, NOISE_SRC_SAMPLES);
	assert_false(e->paired);
	assert_true(isfinite(e->mwu_p) && e->mwu_p < 1e-6); /* diagnostic only */
	assert_int_equal(find(&c, "same")->verdict, VERDICT_UNCHANGED);
	assert_int_equal(find(&c, "faster")->verdict, VERDICT_IMPROVEMENT);
	e = find(&c, "tput-drop");
	assert_int_equal(e->verdict, VERDICT_REGRESSION);
	assert_true(e->change < -0.15);
	assert_int_equal(find(&c, "tput-up")->verdict, VERDICT_IMPROVEMENT);
	e = find(&c, "tiny");
	assert_int_equal(e->verdict, VERDICT_UNCHANGED);
	/* the pooled-sample U test calls +2% certain; the run is not */
	assert_true(e->mwu_p < 1e-6);
	assert_true(e->q_value > 0.5);
	assert_string_equal(e->reason, "no change beyond the noise");
	e = find(&c, "noisy");
	assert_int_equal(e->verdict, VERDICT_NOISY);
	assert_false(e->threshold_only);
	e = find(&c, "few-up");
	assert_int_equal(e->verdict, VERDICT_NOISY); /* +10% within 5% + 5% run noise */
	assert_false(e->threshold_only);
	assert_string_equal(e->reason, "change beyond the threshold but within the noise");
	e = find(&c, "few-same");
	assert_int_equal(e->verdict, VERDICT_UNCHANGED);
	assert_false(e->threshold_only);
	e = find(&c, "gone");
	assert_int_equal(e->verdict, VERDICT_MISSING);
	assert_null(e->head);
	assert_true(isnan(e->p_value));
	e = find(&c, "fresh");
	assert_int_equal(e->verdict, VERDICT_NEW);
	assert_null(e->base);
	assert_int_equal(c.counts[VERDICT_REGRESSION], 2);
	assert_int_equal(c.counts[VERDICT_IMPROVEMENT], 2);
	assert_int_equal(c.counts[VERDICT_NOISY], 2);
	assert_int_equal(c.counts[VERDICT_UNCHANGED], 3);

	/* people's order: regressions first, biggest change first */
	comparison_sort(&c);
	assert_string_equal(compare_entry_bench(&c.entries[0])->name, "doubled");
	assert_int_equal(c.entries[1].verdict, VERDICT_REGRESSION);
	assert_int_equal(c.entries[2].verdict, VERDICT_IMPROVEMENT);
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
	assert_close(v, 2, 0);
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
	o.assumed_noise = 0.05;
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
	struct compare_opts o = COMPARE_OPTS_INIT;
	o.assumed_noise = 0.05; /* a quiet machine */
	assert_int_equal(compare_results(&c, &base, &head, &o), 0);
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

/* history_for: a fixed noise for every benchmark named "known" */
struct fake_history {
	long runs;
	double spread;
};

static int fake_history(void *payload, const struct bk_benchmark *b, struct bk_noise *out)
{
	const struct fake_history *h = payload;
	memset(out, 0, sizeof(*out));
	if (strncmp(b->name, "known", 5))
		return 0;
	out->runs = h->runs;
	out->center = b->stats.median;
	out->spread = h->spread;
	return 1;
}

static void test_history_noise(void **state)
{
	(void)state;
	struct bk_result base, head;
	result_init(&base);
	result_init(&head);
	/* +15% against a history of 2% run to run, and against 20% */
	add(&base, "s", "known-up", "ms", 10, 0.01, 10, 1);
	add(&head, "s", "known-up", "ms", 11.5, 0.01, 10, 2);
	add(&base, "s", "unknown-up", "ms", 10, 0.01, 10, 3);
	add(&head, "s", "unknown-up", "ms", 11.5, 0.01, 10, 4);
	struct fake_history fh = { 20, 0.02 };
	struct compare_opts o = COMPARE_OPTS_INIT;
	o.history_for = fake_history;
	o.history_payload = &fh;
	struct comparison c;
	assert_int_equal(compare_results(&c, &base, &head, &o), 0);
	const struct compare_entry *e = find(&c, "known-up");
	assert_int_equal(e->noise, NOISE_SRC_HISTORY);
	assert_int_equal(e->noise_n, 20);
	assert_close(e->se, sqrt(2) * 0.02, 1e-12); /* two runs of 2% each */
	assert_close(e->df, 19, 0);
	assert_int_equal(e->verdict, VERDICT_REGRESSION);
	/* the same change without history: the assumed 15% keeps it in doubt */
	e = find(&c, "unknown-up");
	assert_int_equal(e->noise, NOISE_SRC_SAMPLES);
	assert_int_equal(e->verdict, VERDICT_NOISY);
	comparison_release(&c);

	/* a benchmark whose runs swing by 20%: +15% is inside its noise */
	fh.spread = 0.2;
	assert_int_equal(compare_results(&c, &base, &head, &o), 0);
	e = find(&c, "known-up");
	assert_int_equal(e->verdict, VERDICT_NOISY);
	assert_true(e->p_value > 0.3);
	comparison_release(&c);

	/* two runs are too few: the samples decide, and it is said */
	fh.runs = 2;
	assert_int_equal(compare_results(&c, &base, &head, &o), 0);
	e = find(&c, "known-up");
	assert_int_equal(e->noise, NOISE_SRC_SAMPLES);
	assert_int_equal(e->history_runs, 2);
	struct strbuf sb = STRBUF_INIT;
	compare_noise_describe(e, &sb);
	assert_string_equal(sb.buf, "samples of this run; history: only 2 runs (needs 3)");
	strbuf_release(&sb);
	comparison_release(&c);

	/* the baseline's own noise serves when no history is given */
	struct bk_benchmark *bb = &base.benchmarks[0];
	bb->noise.runs = 15;
	bb->noise.center = 10;
	bb->noise.spread = 0.02;
	assert_int_equal(compare_results(&c, &base, &head, NULL), 0);
	e = find(&c, "known-up");
	assert_int_equal(e->noise, NOISE_SRC_BASELINE);
	assert_int_equal(e->verdict, VERDICT_REGRESSION);
	sb = (struct strbuf)STRBUF_INIT;
	compare_noise_describe(e, &sb);
	assert_string_equal(sb.buf, "baseline (15 runs)");
	strbuf_release(&sb);
	comparison_release(&c);
	result_release(&base);
	result_release(&head);
}

/* Interleaved A/B: a drift of +-40% over the run hits both members of each
 * pair; the pairs see +10% through it, the separate view cannot. */
static void test_paired(void **state)
{
	(void)state;
	struct bk_result base, head;
	result_init(&base);
	result_init(&head);
	set_str(&base.run.id, "run-base");
	set_str(&head.run.id, "run-head");
	kvlist_set(&base.run.labels, "ab", "base");
	kvlist_set(&base.run.labels, "ab_peer", "run-head");
	kvlist_set(&head.run.labels, "ab", "head");
	kvlist_set(&head.run.labels, "ab_peer", "run-base");
	struct bk_benchmark *b = result_add_benchmark(&base, "s", "drift");
	struct bk_benchmark *h = result_add_benchmark(&head, "s", "drift");
	set_str(&b->unit, "s");
	set_str(&h->unit, "s");
	unsigned seed = 7;
	for (int i = 0; i < 20; i++) {
		double drift = 1 + 0.4 * sin(i * 0.7);
		bench_add_sample(b, drift * (1 + 0.005 * noise(&seed)));
		bench_add_sample(h, 1.1 * drift * (1 + 0.005 * noise(&seed)));
	}
	result_finalize(&base);
	result_finalize(&head);
	struct comparison c;
	assert_int_equal(compare_results(&c, &base, &head, NULL), 0);
	assert_true(c.paired);
	assert_false(c.informational); /* one job: one machine by construction */
	const struct compare_entry *e = &c.entries[0];
	assert_true(e->paired);
	assert_int_equal(e->noise, NOISE_SRC_PAIRED);
	assert_int_equal(e->noise_n, 20);
	assert_int_equal(e->verdict, VERDICT_REGRESSION);
	assert_true(fabs(e->change - 0.1) < 0.01);
	assert_true(e->ci_low > 0.09 && e->ci_high < 0.11);
	assert_true(e->exact && e->p_value < 1e-5);
	comparison_release(&c);
	/* without the labels the same samples are two separate runs */
	kvlist_release(&head.run.labels);
	assert_int_equal(compare_results(&c, &base, &head, NULL), 0);
	assert_false(c.paired);
	assert_false(c.entries[0].paired);
	assert_int_not_equal(c.entries[0].verdict, VERDICT_REGRESSION);
	comparison_release(&c);
	result_release(&base);
	result_release(&head);
}

static void test_machine_guard(void **state)
{
	(void)state;
	struct bk_result base, head;
	result_init(&base);
	result_init(&head);
	add(&base, "s", "x", "ms", 10, 0.01, 10, 1);
	add(&head, "s", "x", "ms", 20, 0.01, 10, 2);
	struct bk_machine *m[2] = { &base.run.machine, &head.run.machine };
	for (int i = 0; i < 2; i++) {
		set_str(&m[i]->name, "ci-1");
		set_str(&m[i]->cpu_model, "AMD EPYC 7B13");
		set_str(&m[i]->os, "linux");
		m[i]->cpu_cores = 2;
		m[i]->memory_gb = 7.8;
		kvlist_set(&m[i]->extra, "kernel", "6.1.0");
	}
	m[1]->memory_gb = 7.7; /* within 5%: the same machine */
	struct comparison c;
	assert_int_equal(compare_results(&c, &base, &head, NULL), 0);
	assert_false(c.informational);
	assert_string_equal(c.machine_note.buf, "");
	comparison_release(&c);
	kvlist_set(&m[1]->extra, "kernel", "6.8.0");
	set_str(&m[1]->cpu_model, "Intel Xeon");
	assert_int_equal(compare_results(&c, &base, &head, NULL), 0);
	assert_true(c.informational);
	assert_string_equal(c.machine_note.buf, "CPU: AMD EPYC 7B13 vs Intel Xeon; kernel: 6.1.0 vs 6.8.0");
	/* still judged: the verdict is shown, it just must not gate */
	assert_int_equal(c.entries[0].verdict, VERDICT_REGRESSION);
	comparison_release(&c);
	free(m[0]->cpu_model);
	m[0]->cpu_model = NULL;
	assert_int_equal(compare_results(&c, &base, &head, NULL), 0);
	assert_true(c.informational);
	assert_string_equal(c.machine_note.buf,
			    "no CPU model recorded for BASE: the machines cannot be told apart");
	comparison_release(&c);
	result_release(&base);
	result_release(&head);
}

/* Property: whatever the inputs, the change lies inside its own CI. */
static void test_change_inside_ci(void **state)
{
	(void)state;
	unsigned seed = 12345;
	int checked = 0;
	for (int round = 0; round < 300; round++) {
		struct bk_result base, head;
		result_init(&base);
		result_init(&head);
		int paired = round % 3 == 0;
		if (paired) {
			set_str(&base.run.id, "b");
			set_str(&head.run.id, "h");
			kvlist_set(&base.run.labels, "ab", "base");
			kvlist_set(&head.run.labels, "ab", "head");
			kvlist_set(&head.run.labels, "ab_peer", "b");
		}
		for (int k = 0; k < 6; k++) {
			char name[16];
			snprintf(name, sizeof(name), "b%d", k);
			size_t n1 = 1 + (size_t)((noise(&seed) + 1) * 15);
			size_t n2 = paired ? n1 : 1 + (size_t)((noise(&seed) + 1) * 15);
			double sd = (noise(&seed) + 1) * 0.5, f = exp(noise(&seed));
			struct bk_benchmark *b = add(&base, "s", name, "ms", 10, sd * 0.9, n1, seed += 17);
			struct bk_benchmark *h = add(&head, "s", name, "ms", 10 * f, sd * 0.9, n2, seed += 31);
			if (round % 4 == 1) /* rounds on both sides */
				for (size_t i = 0; i < n1 || i < n2; i++) {
					if (!b->rounds)
						b->rounds = xcalloc(b->samples_alloc + 1, sizeof(unsigned));
					if (!h->rounds)
						h->rounds = xcalloc(h->samples_alloc + 1, sizeof(unsigned));
					if (i < n1)
						b->rounds[i] = 1 + (unsigned)i % 4;
					if (i < n2)
						h->rounds[i] = 1 + (unsigned)i % 4;
				}
		}
		struct fake_history fh = { 3 + round % 20, 0.001 + (noise(&seed) + 1) * 0.2 };
		struct compare_opts o = COMPARE_OPTS_INIT;
		if (round % 2) {
			o.history_for = fake_history;
			o.history_payload = &fh;
		}
		struct comparison c;
		assert_int_equal(compare_results(&c, &base, &head, &o), 0);
		for (size_t i = 0; i < c.nr; i++) {
			const struct compare_entry *e = &c.entries[i];
			if (!e->base || !e->head || !isfinite(e->change))
				continue;
			assert_true(isfinite(e->ci_low) && isfinite(e->ci_high));
			if (!(e->ci_low <= e->change && e->change <= e->ci_high))
				fail_msg("round %d %s: change %g outside [%g, %g] (paired %d, noise %d)", round,
					 e->head->name, e->change, e->ci_low, e->ci_high, e->paired, e->noise);
			checked++;
		}
		comparison_release(&c);
		result_release(&base);
		result_release(&head);
	}
	assert_true(checked > 1500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_thresholds_and_options),
		cmocka_unit_test(test_matching),
		cmocka_unit_test(test_bh_across_benchmarks),
		cmocka_unit_test(test_history_noise),
		cmocka_unit_test(test_paired),
		cmocka_unit_test(test_machine_guard),
		cmocka_unit_test(test_change_inside_ci),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
