/* harness: runs a harness entry of a command suite (one with a "format"):
 * its command once, its output imported as the results of another
 * benchmark tool (importer.h). */
#ifndef BK_HARNESS_H
#define BK_HARNESS_H

#include "lib/doc/config.h"
#include "collector/run/runopts.h"

/* Runs harness entry b: setup, its command once, its output (stdout or
 * b->output) imported into r, teardown. Returns 0, or -1 with bk_error
 * set (the run stops). */
int run_harness(const struct bk_bench_cfg *b, const struct run_opts *o, struct bk_result *r);

#endif
