/* baseline: the reference benchmarks a pull request is compared against,
 * schema "benchkeep/baseline/v1":
 *
 *   {"schema": "benchkeep/baseline/v1",
 *    "metadata": {"created_at": "2026-11-30T12:00:00Z", "git_commit": "3f2a…",
 *                 "notes": "…", "version": "0.1.0",
 *                 "system_info": {"os": "linux", "arch": "x86_64", "cpu_cores": 2,
 *                                 "total_memory_gb": 24.0, "compiler": "gcc 12.2.0",
 *                                 "machine": "runner1", "cpu_model": "AMD EPYC 7B13",
 *                                 "kernel": "6.1.0-28-amd64"}},
 *    "benchmarks": [ {…a result benchmark with its raw samples…,
 *                     "run_id": "…", "recorded_at": "…", "commit": "…"} ]}
 *
 * A baseline is built from results: several suites merge, and for a
 * benchmark present in several results the newest (by the run's finished_at,
 * else started_at; on a tie the one merged last) wins. It is written
 * atomically. Readers accept a result file or a baseline file alike
 * (input_read_file), so `compare` and `summary` take either as BASE. */
#ifndef BK_BASELINE_H
#define BK_BASELINE_H

#include "lib/doc/result.h"

#define BASELINE_SCHEMA "benchkeep/baseline/v1"
#define BASELINE_DEFAULT_PATH "baselines/main-baseline.json"

struct bk_baseline_meta {
	char *created_at; /* RFC 3339 UTC */
	char *git_commit; /* the commit measured, NULL when unknown */
	char *notes;
	char *version;    /* benchkeep version that wrote it */
	char *os, *arch, *compiler, *machine;
	char *cpu_model, *kernel, *runner_image; /* the machine fingerprint */
	long cpu_cores;
	double total_memory_gb;
};

/* Where a benchmark of the baseline came from. */
struct bk_baseline_origin {
	char *run_id, *recorded_at, *commit;
};

/* The benchmarks live in `r` (r.run mirrors the metadata: commit, machine,
 * id "baseline"); origins[i] belongs to r.benchmarks[i]. Everything is owned
 * and freed by baseline_release. */
struct bk_baseline {
	struct bk_baseline_meta meta;
	struct bk_result r;
	struct bk_baseline_origin *origins;
	size_t norigins, origins_alloc; /* norigins == r.nbenchmarks */
	char *meta_from; /* recorded_at of the result the metadata came from */
};

/* Zero-initialises b. */
void baseline_init(struct bk_baseline *b);
/* Frees everything b owns; b is left initialised and empty. */
void baseline_release(struct bk_baseline *b);

/* Merges the benchmarks of result r into b (deep copies): new ones are
 * appended, an existing one is replaced when r is at least as new as the
 * run it came from. The metadata's commit and system info follow the newest
 * result merged so far. */
void baseline_merge_result(struct bk_baseline *b, const struct bk_result *r);

/* Sets created_at (now when `now` is 0), notes (may be NULL) and version. */
void baseline_stamp(struct bk_baseline *b, long long now, const char *notes);

/* Builds the JSON document (caller cJSON_Delete). */
cJSON *baseline_to_json(const struct bk_baseline *b);
/* Writes b to `path` atomically (directories created). 0 or -1 + bk_error. */
int baseline_write_file(const struct bk_baseline *b, const char *path);

/* Fills b from a parsed baseline document; errors name `name` and the key
 * path. 0, or -1 with bk_error set (b released). */
int baseline_from_json(struct bk_baseline *b, const cJSON *j, const char *name);
/* Reads and validates the baseline file at `path`. 0 or -1 + bk_error. */
int baseline_read_file(struct bk_baseline *b, const char *path);

/* Reads `path`, a result or a baseline (by its "schema"), into r (a
 * baseline's benchmarks moved into r, r->run.id "baseline", commit and
 * machine from its metadata). *kind (may be NULL) is set to the static
 * string "result" or "baseline". Anything else fails: "PATH: not a
 * benchkeep result or baseline (...)". 0, or -1 with bk_error set. */
int input_read_file(struct bk_result *r, const char *path, const char **kind);

#endif
