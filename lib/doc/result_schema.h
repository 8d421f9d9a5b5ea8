/* result_schema: the value checks of the result schema that both readers
 * apply, result_read.c (through cJSON, with precise errors) and
 * resultscan.c (the fast path, which gives up instead).
 *
 * Only the checks are shared, as static inline functions: the fast path
 * applies them per number and must not pay a call for it. The two readers
 * themselves stay two by design: the full one walks a cJSON tree and names
 * the key path of each error; the fast one scans the bytes once without
 * building a tree (no allocation per value), which the site generator needs
 * for its thousands of files. One reader would cost either the messages or
 * the speed; the differential test and the result fuzz target keep the two
 * in step. */
#ifndef BK_RESULT_SCHEMA_H
#define BK_RESULT_SCHEMA_H

#include <math.h>

#include "lib/doc/result.h"

#define RESULT_MAX_SEED 9007199254740992.0 /* run.rounds.seed: 2^53 */
#define RESULT_MAX_PR 2147483647.0         /* run.ci.pr */
#define RESULT_MAX_CPU_CORES 1e6           /* run.machine.cpu_cores */
#define RESULT_MAX_MEMORY_GB 1e9           /* run.machine.memory_gb */

/* Whether v lies in [lo, hi] (NaN does not). */
static inline int schema_in(double v, double lo, double hi)
{
	return v >= lo && v <= hi;
}

/* Whether v is a whole number in [lo, hi] (NaN is not). */
static inline int schema_whole(double v, double lo, double hi)
{
	return v >= lo && v <= hi && v == floor(v);
}

/* Whether v is a benchmark's threshold: a finite percent, 0 or more. */
static inline int schema_threshold(double v)
{
	return isfinite(v) && v >= 0;
}

/* Sets b->direction from the "direction" member dir (NULL: from b->unit).
 * 0, or -1 when dir is neither "smaller" nor "bigger". */
static inline int schema_direction(struct bk_benchmark *b, const char *dir)
{
	if (dir)
		return direction_parse(dir, &b->direction) ? -1 : 0;
	b->direction = direction_for_unit(b->unit);
	return 0;
}

#endif
