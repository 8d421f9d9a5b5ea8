/* run: executes the configured suites and fills a result: the runner's
 * entry for the front-end, which fills in what the options leave to it
 * (the console and the built-in suite types) and hands the run to rounds.
 *
 * For each selected benchmark: setup once, `warmup` unmeasured runs, then at
 * least `runs` measured runs and, when `min_time` is set, more until that
 * much measured time has passed (capped by max_runs, default 100 x runs),
 * then teardown. A run that exits non-zero or times out is a failed
 * operation: without keep_going the benchmark stops at the first one.
 * The measured runs of the timed benchmarks are taken in rounds
 * interleaved across the run (rounds.h). */
#ifndef BK_RUN_H
#define BK_RUN_H

#include "lib/doc/config.h"
#include "collector/run/runopts.h"

/* The suite types built in ("nats"), NULL-terminated: what the front-end
 * sets as run_opts.suite_types. */
extern const struct run_suite_type *const run_builtin_suite_types[];

/* Runs the selected benchmarks of cfg into r (benchmarks appended, stats
 * finalised). Returns the number of benchmarks that had a failed run, or -1
 * with bk_error set when nothing could be run (e.g. no benchmark matched or
 * a typed suite failed). Messages go to o->say (NULL: none; the front-end
 * sets run_console_say), typed suites are looked up in o->suite_types (the
 * front-end sets run_builtin_suite_types). */
int run_config(const struct bk_config *cfg, const struct run_opts *o, struct bk_result *r);

#endif
