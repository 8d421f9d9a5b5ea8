/* callgrind: counts the instructions of a command and all its children by
 * running it under valgrind's callgrind tool, deterministically (the same
 * binary and input give the same count, whatever the machine's load).
 *
 * The command runs as
 *   valgrind --tool=callgrind -q --trace-children=yes
 *            --callgrind-out-file=DIR/callgrind.out.%p [--cache-sim=yes] -- CMD
 * (a shell command as /bin/sh -c CMD, the shell is counted too), and every
 * output file in DIR (one per process) is read for its total: the
 * "summary:" line, or the "totals:" line when there is no summary, against
 * the "events:" line naming the columns. Instructions are the Ir column.
 *
 * With cache simulation the estimated cycles use KCachegrind's default
 * weights:  Ir + 10 * (I1mr + D1mr + D1mw) + 100 * (ILmr + DLmr + DLmw)
 * (an L1 miss that hits the last level costs ~10 cycles, a last-level miss
 * ~100). The figure is a model of the simulated caches, not a measurement. */
#ifndef BK_CALLGRIND_H
#define BK_CALLGRIND_H

#include <stdint.h>

#include "lib/doc/config.h"

/* Cycle-estimate weights (documented above and in README). */
#define CALLGRIND_L1_MISS_CYCLES 10
#define CALLGRIND_LL_MISS_CYCLES 100

struct callgrind {
	char *dir;     /* private directory for the output files (owned) */
	int cache_sim; /* run with --cache-sim=yes */
};

struct callgrind_totals {
	uint64_t ir;                 /* instructions executed */
	uint64_t i1mr, d1mr, d1mw;   /* L1 misses (cache simulation only) */
	uint64_t ilmr, dlmr, dlmw;   /* last-level misses (cache simulation only) */
	int have_cache;              /* the miss columns were present */
	int files;                   /* output files read */
};

/* Creates the private output directory (under $TMPDIR or /tmp). 0, or -1
 * with bk_error set. Release with callgrind_release. */
int callgrind_init(struct callgrind *cg, int cache_sim);

/* Fills `out` (caller command_release's it) with cmd wrapped in valgrind. */
void callgrind_wrap(const struct callgrind *cg, const struct bk_command *cmd,
		    struct bk_command *out);

/* Reads and sums the totals of every output file of the last run into
 * `out`, then deletes the files. 0, or -1 with bk_error set (no file, a
 * file without totals, a bad number: the message names the file and line). */
int callgrind_collect(struct callgrind *cg, struct callgrind_totals *out);

/* Adds the totals of one callgrind output held in buf to `out` (`name` is
 * used in errors). 0, or -1 + bk_error "NAME:LINE: ...". */
int callgrind_parse(const char *buf, size_t len, const char *name, struct callgrind_totals *out);

/* Estimated cycles from the totals (Ir when there was no cache simulation). */
double callgrind_estimated_cycles(const struct callgrind_totals *t);

/* Removes the output directory and frees cg's contents. */
void callgrind_release(struct callgrind *cg);

/* The installed valgrind's version ("3.19.0"), as a new string the caller
 * frees; NULL with bk_error set when valgrind cannot be run. */
char *callgrind_valgrind_version(void);

#endif
