/* compare: per-benchmark comparison of two results (BASE and HEAD), the
 * statistics behind `benchkeep compare`, `benchkeep summary`, the gate and
 * the site's commit pages. Pure computation: no I/O, no printing.
 *
 * The question a verdict answers is "would this change show up again on
 * another run?", so its unit is the run, not the sample: ten samples taken
 * within a second say nothing about the next hour. Benchmarks are matched
 * by bench_key() (suite + name + params); one only in HEAD is `new`, one
 * only in BASE `missing` (a key repeated inside one result: its first
 * occurrence). Each matched pair is judged by one of two methods:
 *
 *  - paired: the two files were written by one `run --ab` (HEAD's labels
 *    ab=head and ab_peer=BASE's run id, or the reverse) and the benchmark
 *    has as many samples on both sides: sample i of each side was taken
 *    side by side, so drift cancels. Change and CI: the Hodges–Lehmann
 *    estimate of the pairs' log ratios and its signed-rank interval; p: the
 *    Wilcoxon signed-rank test (lib/stats/signrank.h).
 *  - separate runs: d = log(median HEAD / median BASE), the change
 *    exp(d) - 1. Its standard error s combines what is known of the noise
 *    (lib/verdict/noise.h), best first:
 *      history   the benchmark's run-to-run spread on HEAD's machine from
 *                the history (opts.history_for), N >= 3 runs:
 *                s = sqrt(2) spread (two runs, each with that noise), t with
 *                noise_history_df(N) degrees of freedom;
 *      baseline  the same, stored in BASE by `baseline update --history`;
 *      rounds / samples  within-run standard errors of both sides plus an
 *                assumed run-to-run noise (opts.assumed_noise, 15% for
 *                times — what separate runs of the same commands varied by
 *                on a shared 2-core VM (tests/perf/verdicts.sh) —, 0.1% for
 *                instruction counts) on each side, normal;
 *      none      too few samples and no history: the assumed noise alone.
 *    The 95% CI is d +- q s (q the 97.5% quantile of the same t), so the
 *    change always lies inside its interval; p = P(|T| >= |d| / s).
 *  The U test of the pooled samples stays as a diagnostic (mwu_p); it does
 *  not decide. q_value: Benjamini–Hochberg over every pair with a p-value.
 *
 * Verdict, direction-aware ("worse" is a rise for `smaller` benchmarks, a
 * drop for `bigger` ones), t the benchmark's effect floor:
 *   - regression / improvement: q < alpha, |change| > t and the CI on the
 *     same side of zero as the change;
 *   - noisy: no samples on a side, an undefined change; |change| > t
 *     without the evidence above; or a CI reaching beyond -t and +t from
 *     the measured noise alone (the assumed noise does not count: it would
 *     make every comparison without history "noisy");
 *   - unchanged: everything else.
 * Values <= 0 (no logs) fall back to the threshold alone (threshold_only).
 *
 * Machine guard: unless paired, when BASE and HEAD were not measured on the
 * same machine (machine_same: name, CPU, cores, memory, os, kernel, runner
 * image; or a side without a CPU model recorded) the comparison is
 * `informational` with a one-line `machine_note`: verdicts are still
 * computed but must not fail a gate. The thresholds are relative (0.05 =
 * 5%). */
#ifndef BK_COMPARE_H
#define BK_COMPARE_H

#include <stddef.h>

#include "lib/doc/json.h"
#include "lib/doc/result.h"
#include "lib/base/strbuf.h"

#define COMPARISON_SCHEMA "benchkeep/comparison/v1"
#define COMPARE_MIN_SAMPLES 5

enum compare_verdict {
	VERDICT_REGRESSION,
	VERDICT_IMPROVEMENT,
	VERDICT_NOISY,
	VERDICT_NEW,
	VERDICT_MISSING,
	VERDICT_UNCHANGED,
	VERDICT_COUNT
};

/* Where a separate-run verdict's noise figure came from. */
enum compare_noise {
	NOISE_SRC_NONE,     /* nothing known: the assumed noise alone */
	NOISE_SRC_SAMPLES,  /* within-run, from the samples (+ assumed) */
	NOISE_SRC_ROUNDS,   /* within-run, from the per-round medians (+ assumed) */
	NOISE_SRC_HISTORY,  /* run-to-run, from the history */
	NOISE_SRC_BASELINE, /* run-to-run, stored in the baseline */
	NOISE_SRC_PAIRED,   /* interleaved A/B pairs */
};

/* Options; COMPARE_OPTS_INIT gives the defaults (alpha 0.01, threshold 5%,
 * assumed run-to-run noise 15% for times). */
struct compare_opts {
	double alpha;     /* significance level for the q-value */
	double threshold; /* default effect floor, relative (0.05 = 5%) */
	/* Optional per-benchmark threshold (relative); a negative return means
	 * "use the default". b is HEAD's benchmark (BASE's when missing). */
	double (*threshold_for)(void *payload, const struct bk_benchmark *b);
	void *payload;
	/* Optional run-to-run noise of HEAD's benchmark b from a history:
	 * fills *out (out->runs = the runs found, possibly fewer than
	 * NOISE_MIN_RUNS) and returns 1, or returns 0 when the history has
	 * nothing for b. */
	int (*history_for)(void *payload, const struct bk_benchmark *b, struct bk_noise *out);
	void *history_payload;
	/* run-to-run noise assumed when no history is known (log scale,
	 * 0.05 = 5%); instruction counts use COMPARE_ASSUMED_NOISE_COUNTS */
	double assumed_noise;
};
#define COMPARE_ASSUMED_NOISE 0.15
#define COMPARE_ASSUMED_NOISE_COUNTS 0.001
#define COMPARE_OPTS_INIT { 0.01, 0.05, NULL, NULL, NULL, NULL, COMPARE_ASSUMED_NOISE }

struct compare_entry {
	/* Borrowed from the compared results (NULL for the absent side):
	 * valid as long as those results are. */
	const struct bk_benchmark *base, *head;
	enum bk_direction direction; /* HEAD's (BASE's when missing) */
	double change;               /* NAN when undefined */
	double ci_low, ci_high;      /* NAN when not computed */
	int ci_exact;                /* 1 when the CI reaches 95% coverage */
	double p_value, q_value;     /* the verdict's test; NAN when untested */
	int exact;                   /* p from an exact distribution */
	int paired;                  /* judged as interleaved A/B pairs */
	enum compare_noise noise;    /* where the noise figure came from */
	long noise_n;                /* history runs, rounds, or pairs behind it */
	double noise_spread;         /* run-to-run spread used (log), NAN if none */
	double se;                   /* standard error of the log change */
	double df;                   /* its degrees of freedom (INFINITY: normal) */
	long history_runs;           /* runs found in the history (even if too few) */
	int wide;                    /* the measured noise alone spans -t..+t */
	double u;                    /* diagnostic: U statistic of BASE's samples */
	double mwu_p;                /* diagnostic: pooled-sample U test p-value */
	double threshold;            /* the threshold applied (relative) */
	int threshold_only;          /* too few samples: threshold alone */
	enum compare_verdict verdict;
	const char *reason;          /* static one-line explanation */
};

struct comparison {
	const struct bk_result *base, *head; /* borrowed */
	struct compare_entry *entries;
	size_t nr, alloc;
	size_t counts[VERDICT_COUNT];
	size_t matched; /* benchmarks present on both sides */
	double alpha, threshold, assumed_noise;
	int paired;        /* the two results are the sides of one run --ab */
	int history;       /* a history lookup was given */
	int informational; /* not the same machine: verdicts must not gate */
	struct strbuf machine_note; /* why, one line ("" when the same) */
};

/* "history of N runs", "baseline (N runs)", "rounds of this run (N)",
 * "samples of this run", "paired A/B (N pairs)", "none": where e's noise
 * figure came from, into sb (appended). */
void compare_noise_describe(const struct compare_entry *e, struct strbuf *sb);

/* "regression", "improvement", "noisy", "new", "missing", "unchanged". */
const char *compare_verdict_name(enum compare_verdict v);

/* Compares base and head (both finalized results; o NULL = defaults) into
 * *out: entries in HEAD's order, then the missing ones in BASE's order. The
 * entries borrow from base and head, which must outlive *out. Free with
 * comparison_release. Returns 0, or -1 with bk_error set on invalid options
 * (alpha outside (0, 1), negative threshold or assumed noise). */
int compare_results(struct comparison *out, const struct bk_result *base,
		    const struct bk_result *head, const struct compare_opts *o);

/* qsort-style order of two entries, the one comparison_sort uses. */
int compare_entry_order(const struct compare_entry *a, const struct compare_entry *b);

/* Orders the entries for people: regressions, improvements, noisy, new,
 * missing, unchanged; inside a group the largest |change| first, then by
 * suite and name. */
void comparison_sort(struct comparison *c);

/* Frees the entries and the note (not the borrowed results); c is left
 * empty. */
void comparison_release(struct comparison *c);

/* The suite / name / unit of an entry (from HEAD, or BASE when missing). */
const struct bk_benchmark *compare_entry_bench(const struct compare_entry *e);

/* Describes one side of a comparison for comparison_to_json. */
struct compare_side {
	const char *path; /* file compared (may be NULL) */
	const char *kind; /* "result" or "baseline" */
};

/* The JSON document (schema benchkeep/comparison/v1): base, head, options,
 * benchmarks[] (suite, name, params, unit, direction, base/head stats,
 * change, ci95, method, noise {source, n, spread}, p_value, q_value,
 * mwu_p, verdict, threshold, threshold_only, reason), machine {same, note},
 * paired, informational and summary (a count per verdict and the total).
 * Numbers that are undefined are null. Caller frees with cJSON_Delete. */
cJSON *comparison_to_json(const struct comparison *c, const struct compare_side *base,
			  const struct compare_side *head);

#endif
