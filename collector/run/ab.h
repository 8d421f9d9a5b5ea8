/* ab: interleaved A/B runs of the configured benchmarks against two builds
 * on the same machine (`benchkeep run --ab BASE_DIR HEAD_DIR`).
 *
 * For each selected benchmark: setup and warmup on the base build, then on
 * the head build, then measured runs alternately base, head, base, head ...
 * so that drift of the machine (other jobs, thermal state, cache) hits both
 * sides alike; then teardown. The runs are taken in rounds across the
 * benchmarks as in a normal run (rounds.h): in round r each benchmark, in
 * the round's shuffled order, takes its share of base/head pairs. Base
 * sample i and head sample i are one pair, taken side by side: both files
 * have the same sample counts and rounds, and the same run.rounds (count
 * and seed). A benchmark refers to its build through
 * "{build}" (replaced by the build directory's absolute path) and runs
 * with its working directory in the build directory (see measure.h), so
 * `"cmd": ["build/benchkeep", "--version"]` runs each checkout's own binary.
 * Both results get the same benchmark keys, in any metric: `benchkeep
 * compare BASE.json HEAD.json` takes the two files as they are.
 *
 * Harness entries ("format") are skipped with a warning: their output is
 * one run of another tool. Suites of another type are an error. */
#ifndef BK_AB_H
#define BK_AB_H

#include "lib/doc/config.h"
#include "collector/run/run.h"

/* Runs the selected benchmarks of cfg interleaved against base_dir and
 * head_dir, appending to `base` and `head` (their run info is left to the
 * caller, but for run.rounds; the backends' versions go into each machine
 * info). Warns (o->say) for each harness entry skipped. Returns the
 * number of benchmarks that had a failed run (on either side), or -1 with
 * bk_error set when nothing could be run. */
int ab_run(const struct bk_config *cfg, const struct run_opts *o, const char *base_dir,
	   const char *head_dir, struct bk_result *base, struct bk_result *head);

/* Checks that dir is a directory and returns its absolute path (caller
 * frees), or NULL with bk_error set. */
char *ab_build_dir(const char *dir);

/* Command layer of `benchkeep run --ab`: resolves the two directories, runs
 * ab_run, and writes two result files under out_dir, each with its side's
 * commit (the git HEAD of its directory, when it is a repository) and the
 * labels plus "ab" = "base"/"head" and "ab_peer" = the other file's run
 * id. Prints both paths, base first; errors go to stderr. Returns the exit
 * code: 0, 1 when a benchmark failed (without keep_going), 2 on error. */
struct bk_kvlist;
int cmd_run_ab(const struct bk_config *cfg, const struct run_opts *o, const char *base_dir,
	       const char *head_dir, const char *out_dir, const struct bk_kvlist *labels);

#endif
