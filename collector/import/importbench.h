/* importbench: building the result of an import: checked names, the
 * benchmarks of a result indexed by suite/name/params or by any key (so
 * that repetitions merge in linear time), per-repetition means, samples,
 * metrics, summary-only benchmarks and run facts (commit, machine, start).
 *
 * Nothing here prints; every failing function records a one-line bk_error
 * and returns -1. */
#ifndef BK_IMPORTBENCH_H
#define BK_IMPORTBENCH_H

#include <stddef.h>
#include <time.h>

#include "collector/import/importcore.h"
#include "lib/base/strbuf.h"
#include "lib/doc/result.h"

/* --- benchmarks --- */
/* Offset of the first byte of s[0..n) that is not valid UTF-8 (overlong
 * forms and surrogates included), or n when it all is. */
size_t importcore_utf8_invalid(const char *s, size_t n);
/* Checks that a benchmark name or other stored string is usable: not empty
 * (when `nonempty`), at most RESULT_MAX_NAME bytes, no NUL, valid UTF-8. -1 with an error
 * naming `where` (a key path or "LINE:COL"-style position text). */
int importcore_check_name(const struct import_ctx *ctx, const char *where, const char *s, size_t n,
			  int nonempty);
/* An index of the benchmarks of a result by suite, name and params, so
 * that repetitions of one benchmark find it in O(1). */
struct importcore_index {
	struct bk_result *r;
	size_t *slots; /* benchmark index + 1; 0 = empty */
	unsigned long long *hashes;
	size_t cap, nr;
};

/* Indexes every benchmark already in r. Release with importcore_index_release. */
void importcore_index_init(struct importcore_index *ix, struct bk_result *r);
/* Frees the index (not the result); ix is left zeroed. */
void importcore_index_release(struct importcore_index *ix);
/* A line of a text format (cursor it over buf) read into the indexed
 * result. >= 0, or -1 with bk_error set. */
typedef int (*importcore_line_fn)(const struct import_ctx *ctx, const char *buf, size_t len,
				  struct importcore_index *ix, const struct importcore_lines *it);
/* Reads every line of the text buf (a NUL byte is an error) with fn, with
 * an index of r's benchmarks (built and freed here). 0, or the first -1. */
int importcore_each_line(const struct import_ctx *ctx, const char *buf, size_t len,
			 struct bk_result *r, importcore_line_fn fn);
/* The benchmark with this suite, name and params (NULL: none) in the
 * indexed result, or a new one (params copied, unit set, direction from the
 * unit). The pointer is valid until the next benchmark is added. */
struct bk_benchmark *importcore_bench(struct importcore_index *ix, const char *suite,
				      const char *name, const struct bk_kvlist *params,
				      const char *unit);
/* The indexed benchmark with this suite, name and params, or NULL. */
struct bk_benchmark *importcore_find(struct importcore_index *ix, const char *suite,
				     const char *name, const struct bk_kvlist *params);
/* Means of per-repetition metrics: values added for a benchmark of the
 * result are averaged into its metrics by importcore_means_finish (a key
 * set this way replaces the value an earlier file gave it). */
struct importcore_means {
	struct bk_result *r;
	size_t base; /* first benchmark covered */
	struct importcore_mean_acc {
		struct bk_metrics sum, cnt;
	} *acc;
	size_t nacc, alloc;
};
/* Covers every benchmark of r, those already there and those added later. */
void importcore_means_init(struct importcore_means *m, struct bk_result *r);
/* Adds value v of metric `key` for benchmark b (one of r's). */
void importcore_means_add(struct importcore_means *m, const struct bk_benchmark *b,
			  const char *key, double v);
/* Sets every covered benchmark's metrics to the means of what was added. */
void importcore_means_finish(struct importcore_means *m);
/* Frees the accumulators (not the result); m is left zeroed. */
void importcore_means_release(struct importcore_means *m);

/* Appends a finite sample; -1 (error naming `where`) for NaN/inf or too
 * many samples. */
int importcore_add_sample(const struct import_ctx *ctx, const char *where, struct bk_benchmark *b,
			  double v);
/* Sets a metric after checking that the key is usable and the value finite:
 * a non-finite value is skipped (0), a bad key -1. */
int importcore_metric(const struct import_ctx *ctx, const char *where, struct bk_benchmark *b,
		      const char *key, double v);
/* Adds to a counting metric (successful_ops, failed_ops ...). */
void importcore_count(struct bk_benchmark *b, const char *key, double add);
/* Sets error_rate from successful_ops and failed_ops when either exists. */
void importcore_error_rate(struct bk_benchmark *b);
/* Marks b as summary-only: the input carried statistics but no raw samples;
 * `value` becomes its one sample and metrics "summary_only" = 1. */
int importcore_summary_only(const struct import_ctx *ctx, const char *where,
			    struct bk_benchmark *b, double value);

/* Checks only that a string fits the result model (non-empty when
 * `nonempty`, at most RESULT_MAX_NAME bytes): the formats whose importers
 * accept any bytes cJSON gives. 0, or -1 + error at PATH. */
int importcore_check_len(const struct import_ctx *ctx, const char *path, const char *s,
			 int nonempty);
/* Appends a benchmark named `name` in ctx->suite with `unit` and
 * `direction`; returns it (valid until the next append to out). */
struct bk_benchmark *importcore_add_bench(const struct import_ctx *ctx, struct bk_result *out,
					  const char *name, const char *unit,
					  enum bk_direction direction);

/* --- indexes by key --- */
/* A hash index from a key (any bytes: a name, or "name\x1fdriver") to the
 * position of a benchmark in a result, so that a format whose output may
 * repeat a benchmark (the suite run again) merges the repetitions as
 * samples in linear time. Initialise with IMPORTCORE_KEYINDEX_INIT; free
 * with importcore_keyindex_release. */
struct importcore_keyindex {
	struct importcore_keyindex_entry *slots;
	size_t cap, count;
	struct strbuf keys; /* every key, end to end (one allocation) */
};
#define IMPORTCORE_KEYINDEX_INIT { NULL, 0, 0, STRBUF_INIT }

/* Position stored for key, or (size_t)-1 when absent. */
size_t importcore_keyindex_get(const struct importcore_keyindex *ix, const char *key, size_t n);
/* Stores pos for key (copied); replaces an existing entry. */
void importcore_keyindex_put(struct importcore_keyindex *ix, const char *key, size_t n, size_t pos);
/* Frees the index; it is left empty and reusable. */
void importcore_keyindex_release(struct importcore_keyindex *ix);

/* --- run facts --- */
/* Sets a run string field from input after checking its length (`path`
 * names it in errors). 0 or -1. Empty values are ignored. */
int importcore_run_str(const struct import_ctx *ctx, const char *path, char **field,
		       const char *value);
/* Sets machine.extra[key] = value from input (checked as above). */
int importcore_machine_extra(const struct import_ctx *ctx, const char *path,
			     struct bk_result *out, const char *key, const char *value);
/* Sets out->run.started_at to t (RFC 3339 UTC). */
void importcore_set_started(struct bk_result *out, time_t t);

#endif
