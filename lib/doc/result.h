/* result: the result model, schema "benchkeep/result/v1" (see DESIGN.md).
 *
 * A result is one run: who/where/what commit (struct bk_run) and a list of
 * benchmarks, each with its raw samples. Statistics are always recomputed
 * from the samples (result_finalize), never trusted from input.
 *
 * Ownership: every char * and array inside these structs is owned by the
 * struct that holds it and freed by result_release(). Setters copy their
 * arguments. */
#ifndef BK_RESULT_H
#define BK_RESULT_H

#include <stddef.h>

#include "lib/doc/json.h"
#include "lib/stats/stats.h"

#define RESULT_SCHEMA "benchkeep/result/v1"

/* Limits that keep a hostile file from exhausting memory. */
#define RESULT_MAX_NAME 1024        /* bytes in a suite/name/unit/key */
#define RESULT_MAX_SAMPLES 10000000 /* per benchmark */
#define RESULT_MAX_BENCHMARKS 1000000
#define RESULT_MAX_ROUNDS 1000000  /* round numbers */
#define RESULT_MAX_KEYS 1000        /* entries of a params/labels/extra/metrics map */

enum bk_direction { BK_SMALLER = 0, BK_BIGGER = 1 };

struct bk_kv {
	char *key;
	char *value;
};

/* An ordered string -> string map (params, labels, machine extras). */
struct bk_kvlist {
	struct bk_kv *items;
	size_t nr, alloc;
};

struct bk_metric {
	char *key;
	double value;
};

/* An ordered string -> number map (metrics). */
struct bk_metrics {
	struct bk_metric *items;
	size_t nr, alloc;
};

/* A benchmark's run-to-run noise learned from history (stored in a
 * baseline by `baseline update --history`): `runs` results of the same
 * benchmark on the same machine, the median of their medians (`center`, in
 * the benchmark's unit) and the robust standard deviation of the logs of
 * those medians (`spread`: 1.4826 x MAD, so 0.05 is about 5% run to run).
 * runs == 0: none known. */
struct bk_noise {
	long runs;
	double center, spread;
};

struct bk_benchmark {
	char *suite;
	char *name;
	struct bk_kvlist params;
	char *unit;                  /* "s", "ms", "us", "ns", "ops/s", "instructions", ... */
	enum bk_direction direction; /* which way is better */
	char *source;                /* "command", or the importer format name */
	double *samples;
	size_t nsamples, samples_alloc;
	/* the round (1-based) each sample was taken in, parallel to samples;
	 * NULL when the run took no rounds (older files, imports) */
	unsigned *rounds;
	struct bk_stats stats; /* filled by result_finalize / bench_finalize */
	struct bk_metrics metrics;
	/* optional "threshold": the regression effect floor in percent this
	 * benchmark asks compare for (e.g. 0.2 for instruction counts); only
	 * meaningful when has_threshold is set */
	double threshold;
	int has_threshold;
	struct bk_noise noise; /* optional "noise" (baselines) */
};

struct bk_machine {
	char *name, *os, *arch, *cpu_model, *compiler;
	long cpu_cores;
	double memory_gb;
	struct bk_kvlist extra; /* further string facts (kernel, ...) */
};

struct bk_ci {
	char *provider, *run_id, *event, *ref_name, *repository, *sha;
	long pr; /* 0 when not a pull request */
};

struct bk_run {
	char *id;
	char *started_at, *finished_at; /* RFC 3339 UTC */
	char *commit_sha, *commit_branch;
	struct bk_ci ci;
	struct bk_machine machine;
	struct bk_kvlist labels;
	/* "rounds": {"count": N, "seed": S}: samples were taken in N rounds
	 * interleaved across the run's benchmarks, in an order shuffled per
	 * round from seed S (< 2^53). 0: no rounds. */
	long rounds;
	unsigned long long round_seed;
};

struct bk_result {
	struct bk_run run;
	struct bk_benchmark *benchmarks;
	size_t nbenchmarks, benchmarks_alloc;
};

/* --- kv and metrics maps --- */
/* Sets key to value (copies both; replaces an existing key). */
void kvlist_set(struct bk_kvlist *l, const char *key, const char *value);
/* Sets KEY=VALUE given as one string (a --label argument). 0, or -1 when
 * it has no '=' or an empty key (nothing set). */
int kvlist_set_pair(struct bk_kvlist *l, const char *pair);
/* Value for key, or NULL. Owned by the list. */
const char *kvlist_get(const struct bk_kvlist *l, const char *key);
/* Frees all entries; the list is left empty. */
void kvlist_release(struct bk_kvlist *l);
/* Deep copy of src into dst (dst must be empty/initialised to zero). */
void kvlist_copy(struct bk_kvlist *dst, const struct bk_kvlist *src);

void metrics_set(struct bk_metrics *m, const char *key, double value);
/* Stores the value in *out and returns 1 when present, else 0. */
int metrics_get(const struct bk_metrics *m, const char *key, double *out);
void metrics_release(struct bk_metrics *m);

/* --- result and benchmarks --- */
/* Zero-initialises r. */
void result_init(struct bk_result *r);
/* Frees everything r owns; r is left initialised and empty. */
void result_release(struct bk_result *r);
/* Appends a zeroed benchmark with suite and name set (copied) and returns
 * it. The pointer is valid until the next result_add_benchmark. */
struct bk_benchmark *result_add_benchmark(struct bk_result *r, const char *suite,
					  const char *name);
/* Finds a benchmark by suite, name and params; NULL when absent. */
struct bk_benchmark *result_find(const struct bk_result *r, const char *suite, const char *name,
				 const struct bk_kvlist *params);
/* Moves benchmark b (taking its contents; b is zeroed) into r. */
void result_take_benchmark(struct bk_result *r, struct bk_benchmark *b);
void bench_add_sample(struct bk_benchmark *b, double v);
/* Appends sample v taken in round `round` (1-based). A benchmark's samples
 * either all carry a round or none does: the first call on a benchmark
 * that already has samples without rounds gives those round 0. */
void bench_add_sample_round(struct bk_benchmark *b, double v, unsigned round);
/* Frees everything b owns and zeroes it. */
void bench_release(struct bk_benchmark *b);
/* Deep copy of src into dst (dst's old contents are not freed). */
void bench_copy(struct bk_benchmark *dst, const struct bk_benchmark *src);
/* Recomputes b->stats from b->samples. */
void bench_finalize(struct bk_benchmark *b);
/* Recomputes the stats of every benchmark. */
void result_finalize(struct bk_result *r);
/* Sets the string field *field to a copy of value (frees the old one). */
void set_str(char **field, const char *value);
/* Writes the key used to match a benchmark across runs into sb:
 * "suite\x1fname\x1fk=v\x1f..." (params in stored order). */
void bench_key(const struct bk_benchmark *b, struct strbuf *sb);
/* Appends the file-name-safe id of b's series on `machine` (b's suite, name
 * and params; machine may be "") to sb: the name of its page on the site,
 * bench/<slug>.html. Readable, and unique through a hash of the full key. */
void bench_slug(const struct bk_benchmark *b, const char *machine, struct strbuf *sb);

/* "smaller"/"bigger" <-> enum. direction_parse returns -1 on other text. */
const char *direction_name(enum bk_direction d);
int direction_parse(const char *s, enum bk_direction *out);
/* Direction implied by a unit: bigger for throughput-like units (".../s",
 * "ops/s", "items/s", "bytes/s", "B/s", "Hz"), smaller otherwise. */
enum bk_direction direction_for_unit(const char *unit);

/* --- JSON --- */
/* Fills r from a parsed result document; validates the schema, types and
 * limits. `name` (usually the file name) prefixes errors, which carry the
 * key path: "NAME: benchmarks[2].samples[0]: expected a number". Stats are
 * recomputed. Returns 0, or -1 with bk_error set (r is then released). */
int result_from_json(struct bk_result *r, const cJSON *j, const char *name);
/* Parses one benchmark object (used by result and baseline readers). `path`
 * is the key path for errors (e.g. "benchmarks[3]"). 0 or -1 + bk_error. */
int bench_from_json(struct bk_benchmark *b, const cJSON *j, const char *name, const char *path);
/* Reads and validates the result file at `path`. 0 or -1 + bk_error. */
int result_read_file(struct bk_result *r, const char *path);
/* Parses and validates a result held in memory. 0 or -1 + bk_error. */
int result_read_buf(struct bk_result *r, const char *buf, size_t len, const char *name);
/* Builds the JSON document of r (caller cJSON_Delete). */
cJSON *result_to_json(const struct bk_result *r);
/* Builds the JSON object of one benchmark (caller cJSON_Delete). */
cJSON *bench_to_json(const struct bk_benchmark *b);
/* Writes r to a new file at `path` (fails if it exists). 0 or -1 + bk_error. */
int result_write_new(const struct bk_result *r, const char *path);

#endif
