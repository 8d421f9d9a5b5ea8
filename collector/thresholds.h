/* thresholds: per-benchmark regression thresholds from the suite config
 * (benchkeep.json): a benchmark's own "threshold", else its suite's, in
 * percent. Used by compare and summary through compare_opts.threshold_for. */
#ifndef BK_THRESHOLDS_H
#define BK_THRESHOLDS_H

#include "compare.h"
#include "config.h"

struct thresholds {
	struct bk_config cfg;
	int loaded; /* 0: no config, every lookup gives the default */
};

/* Loads the config at `path`. With required == 0 a missing file is not an
 * error (t stays empty); a file that exists but is invalid always is.
 * Returns 0, or -1 with bk_error set. Release with thresholds_release. */
int thresholds_load(struct thresholds *t, const char *path, int required);

/* compare_opts.threshold_for callback (payload: struct thresholds *): the
 * relative threshold (percent / 100) configured for b, or -1 for none. */
double thresholds_lookup(void *payload, const struct bk_benchmark *b);

/* The shared front of `compare` and `summary`: loads the thresholds (config
 * path, or benchkeep.json when present), reads BASE and HEAD (result or
 * baseline files; *base_kind and *head_kind say which) and compares them with
 * co (threshold_for is set here). Returns 0; or 2 after printing the error
 * (bad input, or no benchmark in common). The caller releases th, base,
 * head and cmp (which must be zeroed before the call) in every case. */
int compare_files(const char *config, const char *base_path, const char *head_path,
		  struct thresholds *th, struct bk_result *base, const char **base_kind,
		  struct bk_result *head, const char **head_kind, struct compare_opts *co,
		  struct comparison *cmp);

/* Frees the config. */
void thresholds_release(struct thresholds *t);

/* Parses a percentage ("5", "5%", "2.5") into a relative value (0.05).
 * 0, or -1 with bk_error naming `opt`. */
int parse_percent(const char *opt, const char *s, double *out);
/* Parses a significance level in (0, 1). 0, or -1 with bk_error. */
int parse_alpha(const char *opt, const char *s, double *out);

#endif
