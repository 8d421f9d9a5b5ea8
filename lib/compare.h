/* compare: per-benchmark comparison of two results (BASE and HEAD), the
 * statistics behind `benchkeep compare`, `benchkeep summary` and the site's
 * commit pages. Pure computation: no I/O, no printing.
 *
 * Benchmarks are matched by bench_key() (suite + name + params); one only in
 * HEAD is `new`, one only in BASE `missing` (when a key repeats inside one
 * result, its first occurrence is used). For each matched pair, on the raw
 * samples (lib/ranktest.h):
 *   change    median(HEAD) / median(BASE) - 1 (undefined when the base
 *             median is 0)
 *   ci95      95% CI of that ratio - 1: Hodges–Lehmann on log samples with
 *             the distribution-free interval from the U distribution
 *   p_value   two-sided Mann–Whitney U (as scipy.stats.mannwhitneyu)
 *   q_value   Benjamini–Hochberg over every pair with a p-value
 * and a verdict, direction-aware ("worse" is a rise for `smaller`
 * benchmarks, a drop for `bigger` ones), with t the benchmark's threshold:
 *   - fewer than COMPARE_MIN_SAMPLES samples on either side: the threshold
 *     alone decides (|change| > t: regression or improvement, else
 *     unchanged); `threshold_only` is set and the reason says so. With 4
 *     samples a side no two-sided U test can reach p < 0.029;
 *   - regression / improvement: q < alpha, |change| > t, and the CI on the
 *     same side of zero as the change;
 *   - noisy: no samples on a side or an undefined change; |change| > t
 *     without the evidence above; or a CI reaching beyond -t and +t (too
 *     wide to say);
 *   - unchanged: everything else.
 * The thresholds are relative (0.05 = 5%). */
#ifndef BK_COMPARE_H
#define BK_COMPARE_H

#include <stddef.h>

#include "json.h"
#include "result.h"

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

/* Options; COMPARE_OPTS_INIT gives the defaults (alpha 0.01, threshold 5%). */
struct compare_opts {
	double alpha;     /* significance level for the q-value */
	double threshold; /* default effect floor, relative (0.05 = 5%) */
	/* Optional per-benchmark threshold (relative); a negative return means
	 * "use the default". b is HEAD's benchmark (BASE's when missing). */
	double (*threshold_for)(void *payload, const struct bk_benchmark *b);
	void *payload;
};
#define COMPARE_OPTS_INIT { 0.01, 0.05, NULL, NULL }

struct compare_entry {
	/* Borrowed from the compared results (NULL for the absent side):
	 * valid as long as those results are. */
	const struct bk_benchmark *base, *head;
	enum bk_direction direction; /* HEAD's (BASE's when missing) */
	double change;               /* NAN when undefined */
	double ci_low, ci_high;      /* NAN when not computed */
	int ci_exact;                /* 1 when the CI reaches 95% coverage */
	double u;                    /* U statistic of BASE's samples; NAN if untested */
	double p_value, q_value;     /* NAN when untested */
	int exact;                   /* p from the exact distribution */
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
	double alpha, threshold;
};

/* "regression", "improvement", "noisy", "new", "missing", "unchanged". */
const char *compare_verdict_name(enum compare_verdict v);

/* Compares base and head (both finalized results; o NULL = defaults) into
 * *out: entries in HEAD's order, then the missing ones in BASE's order. The
 * entries borrow from base and head, which must outlive *out. Free with
 * comparison_release. Returns 0, or -1 with bk_error set on invalid options
 * (alpha outside (0, 1), negative threshold). */
int compare_results(struct comparison *out, const struct bk_result *base,
		    const struct bk_result *head, const struct compare_opts *o);

/* qsort-style order of two entries, the one comparison_sort uses. */
int compare_entry_order(const struct compare_entry *a, const struct compare_entry *b);

/* Orders the entries for people: regressions, improvements, noisy, new,
 * missing, unchanged; inside a group the largest |change| first, then by
 * suite and name. */
void comparison_sort(struct comparison *c);

/* Frees the entries (not the borrowed results); c is left empty. */
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
 * change, ci95, p_value, q_value, verdict, threshold, threshold_only,
 * reason) and summary (a count per verdict and the total). Numbers that are
 * undefined are null. Caller frees with cJSON_Delete. */
cJSON *comparison_to_json(const struct comparison *c, const struct compare_side *base,
			  const struct compare_side *head);

#endif
