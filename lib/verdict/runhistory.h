/* runhistory: the run-to-run noise of each benchmark, learned from the
 * result files on a git ref (the data branch `run --branch` writes), for
 * `compare`, `summary` and `baseline update` with --history REF.
 *
 * The result files under results/ in REF's tree are read newest first (by
 * file name: results/YYYY/MM/<UTC time>-….json) until every benchmark asked
 * for has `max_runs` runs or the files run out. Only runs measured on the
 * machine named like the one given count (a series is per machine); a run
 * is one location, the median of its samples; the spread of those
 * locations is lib/verdict/noise.h's. Files that cannot be read are skipped and
 * counted (the first is named in the note): one bad file in months of
 * history must not block a pull request. Runs of that name whose machine
 * fingerprint (machine_same) differs from the wanted one still count —
 * the noise then includes the differences between machines, as a
 * comparison across runners must — and the note says how many. */
#ifndef BK_RUNHISTORY_H
#define BK_RUNHISTORY_H

#include "lib/doc/result.h"
#include "lib/base/strbuf.h"

#define RUNHISTORY_DEFAULT_RUNS 20
#define RUNHISTORY_DIR "results"

struct runhistory;

/* Loads from the repository containing `repo` (a path; "." for the current
 * directory) at `ref` the runs of the benchmarks of `want` on the machine
 * named want->run.machine.name, skipping the run with want's own run id
 * (and `skip_id`, may be NULL). *out is freed with runhistory_free.
 * Returns 0, or -1 with bk_error set (no repository, `ref` not found:
 * "history: ref 'x' not found in '/repo'"). */
int runhistory_load(struct runhistory **out, const char *repo, const char *ref,
		    const struct bk_result *want, long max_runs, const char *skip_id);

/* compare_opts.history_for (payload: the struct runhistory *): the noise of
 * benchmark b from up to max_runs runs into *out; returns 1 when the
 * history holds at least one run of b, else 0. */
int runhistory_noise(void *payload, const struct bk_benchmark *b, struct bk_noise *out);

/* One line on what the history holds, e.g. "history 'benchmark-data': 240
 * result files, 20 runs on machine 'ci-1' used per benchmark (2 files
 * skipped, first: results/…: …); mixed machines: 3 of the 20 results of
 * 'ci-1' used differ from HEAD's machine (first: kernel: 6.1 vs 6.8): …;
 * other machines ignored: 'laptop'". Appended to sb. */
void runhistory_describe(const struct runhistory *h, struct strbuf *sb);

/* Frees h (NULL allowed). */
void runhistory_free(struct runhistory *h);

#endif
