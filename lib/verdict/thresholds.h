/* thresholds: what `compare`, `summary` and `baseline` judge a verdict
 * with: the per-benchmark regression thresholds from the suite config
 * (benchkeep.json: a benchmark's own "threshold", else its suite's, in
 * percent, through compare_opts.threshold_for), the verdict options shared
 * by those commands, and the loading of the two sides compared (BASE, HEAD,
 * thresholds, history) into one comparison. Prints nothing: notes go
 * through bk_note, failures through bk_error. */
#ifndef BK_THRESHOLDS_H
#define BK_THRESHOLDS_H

#include "lib/verdict/compare.h"
#include "lib/doc/config.h"
#include "lib/verdict/runhistory.h"

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

/* --history REF, --history-runs N, --repo DIR (where REF lives, default
 * the repository of the current directory) and the history they load. */
struct history_opts {
	const char *ref, *repo;
	long runs;
	struct runhistory *h; /* loaded by verdict_sides_load; history_opts_release */
};
#define HISTORY_OPTS_INIT { NULL, ".", RUNHISTORY_DEFAULT_RUNS, NULL }

/* The long options every command judging verdicts takes (to append to its
 * getopt table): --history, --history-runs, --repo, --assumed-noise. */
#define VERDICT_LONGOPTS                                                  \
	{ "history", required_argument, NULL, 0x101 },                    \
	{ "history-runs", required_argument, NULL, 0x102 },               \
	{ "repo", required_argument, NULL, 0x103 },                       \
	{ "assumed-noise", required_argument, NULL, 0x104 }
#define VERDICT_USAGE                                                                      \
	"      --history REF      learn each benchmark's run-to-run noise from the results\n"  \
	"                         on REF (e.g. the data branch), same machine as HEAD\n"      \
	"      --history-runs N   the last N runs per benchmark (default 20)\n"              \
	"      --repo DIR         the repository holding REF (default: the current one)\n"   \
	"      --assumed-noise PCT  run-to-run noise assumed without history (default 15)\n"

/* Handles one of VERDICT_LONGOPTS (c its code, arg its argument): 1 when
 * handled, 0 when c is not one of them, -1 with bk_error on a bad value. */
int verdict_opt(int c, const char *arg, struct compare_opts *co, struct history_opts *ho);

/* Frees the loaded history. */
void history_opts_release(struct history_opts *ho);

/* The two sides of a verdict and what judging them loaded: the shared
 * front of `compare` and `summary`. */
struct verdict_sides {
	struct thresholds th;
	struct bk_result base, head;
	const char *base_kind, *head_kind; /* "result" or "baseline" */
	struct comparison cmp;
};

/* Zeroes s (both sides empty, kinds "result"). */
void verdict_sides_init(struct verdict_sides *s);

/* Loads the thresholds (config path, or benchkeep.json when present), reads
 * BASE and HEAD (result or baseline files; s->base_kind and s->head_kind
 * say which), loads the history when ho->ref is set (a note says what it
 * holds) and compares them with co (threshold_for and history_for are set
 * here, pointing into s and ho); a comparison of two machines is noted.
 * Returns 0, or -1 with bk_error set (bad input, a missing ref, or no
 * benchmark in common). s was initialised with verdict_sides_init; the
 * caller releases s and ho in every case. */
int verdict_sides_load(struct verdict_sides *s, const char *config, const char *base_path,
		       const char *head_path, struct compare_opts *co, struct history_opts *ho);

/* Frees what verdict_sides_load loaded (s stays initialised). */
void verdict_sides_release(struct verdict_sides *s);

/* The exit code of a gate: 1 when fail_on_regression and a benchmark
 * regressed, unless the comparison is informational (two machines: a note
 * says why it does not fail); else 0. */
int verdict_exit(const struct comparison *cmp, int fail_on_regression);

/* Frees the config. */
void thresholds_release(struct thresholds *t);

/* Parses a percentage ("5", "5%", "2.5") into a relative value (0.05).
 * 0, or -1 with bk_error naming `opt`. */
int parse_percent(const char *opt, const char *s, double *out);
/* Parses a significance level in (0, 1). 0, or -1 with bk_error. */
int parse_alpha(const char *opt, const char *s, double *out);

#endif
