/* importcore: small helpers shared by the import_<format>.c modules of
 * part A (gbench, hyperfine, pytest-benchmark, pytest-json-report, catch2,
 * cargo, criterion, go): errors that name the file and a position or key
 * path, line iteration with line:col, number and unit parsing, typed JSON
 * field access, checked names, run facts and summary-only benchmarks.
 *
 * Nothing here prints; every failing function records a one-line bk_error
 * and returns -1. */
#ifndef BK_IMPORTCORE_H
#define BK_IMPORTCORE_H

#include <stddef.h>
#include <time.h>

#include "collector/import/importer.h"
#include "lib/doc/json.h"
#include "lib/doc/result.h"

/* --- errors --- */
/* Records "FILE:LINE:COL: MSG" for byte `offset` of buf; returns -1. */
int importcore_error_at(const struct import_ctx *ctx, const char *buf, size_t len, size_t offset,
			const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Records "FILE: PATH: MSG" (PATH a key path such as benchmarks[3].real_time);
 * returns -1. */
int importcore_error_path(const struct import_ctx *ctx, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* --- lines --- */
/* A cursor over the lines of a text buffer. Lines end at '\n'; a '\r'
 * before it is dropped. */
struct importcore_lines {
	const char *buf;
	size_t len, pos;
	const char *line; /* current line (not NUL-terminated) */
	size_t linelen;   /* its length without the line end */
	size_t start;     /* its offset in buf */
	long lineno;      /* 1-based */
};

/* Starts iterating buf. */
void importcore_lines_init(struct importcore_lines *it, const char *buf, size_t len);
/* Advances to the next line; 1 when there is one, 0 at the end. */
int importcore_lines_next(struct importcore_lines *it);
/* Rejects a NUL byte anywhere in buf (text formats): -1 with the position. */
int importcore_check_text(const struct import_ctx *ctx, const char *buf, size_t len);
/* 1 when the text [s, s+n) starts with prefix. */
int importcore_starts(const char *s, size_t n, const char *prefix);
/* Offset of the first character at or after `i` in s[0..n) that is not a
 * space or tab. */
size_t importcore_skip_ws(const char *s, size_t n, size_t i);

/* --- numbers and units --- */
/* Parses a decimal number at s[0..n) (optional sign, digits, optional
 * fraction and exponent; with `commas`, ',' between digits is a thousands
 * separator). Stores it in *out and the bytes used in *used; 0, or -1 when no
 * finite number starts there (no bk_error is set). */
int importcore_parse_number(const char *s, size_t n, int commas, double *out, size_t *used);
/* Like importcore_parse_number, times 10^shift, rounded once from the
 * decimal text (so "97.0256" with shift 3 is exactly 97025.6). */
int importcore_parse_scaled(const char *s, size_t n, int commas, int shift, double *out,
			    size_t *used);
/* The power of ten from a time unit to ns (0, 3, 6, 9), -1 if unknown. */
int importcore_time_shift(const char *unit, size_t n);
/* Nanoseconds in one `unit` ("ns", "us", "µs", "μs", "ms", "s"); 0 for an
 * unknown unit. n is the unit's length. */
double importcore_time_ns(const char *unit, size_t n);
/* The canonical spelling ("ns", "us", "ms", "s") of a time unit, or NULL. */
const char *importcore_time_unit(const char *unit, size_t n);

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
/* An entry of a JSON array (element e, index i) read into the indexed
 * result. 0, or -1 with bk_error set. */
typedef int (*importcore_entry_fn)(const struct import_ctx *ctx, struct importcore_index *ix,
				   const cJSON *e, int i);
/* Reads every element of array a with fn, with an index of r's benchmarks
 * (built and freed here). 0, or the first -1. */
int importcore_each_entry(const struct import_ctx *ctx, const cJSON *a, struct bk_result *r,
			  importcore_entry_fn fn);
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

/* --- typed JSON fields (key paths in errors) --- */
/* Reads number member `key` of obj into *out. 1 present, 0 absent (or
 * null), -1 wrong type or non-finite (error "FILE: PATH.KEY: expected a
 * number"). */
int importcore_json_number(const struct import_ctx *ctx, const cJSON *obj, const char *path,
			   const char *key, double *out);
/* Reads string member `key`: 1 present (*out points into the tree), 0
 * absent/null, -1 wrong type. */
int importcore_json_string(const struct import_ctx *ctx, const cJSON *obj, const char *path,
			   const char *key, const char **out);
/* Like importcore_json_number but the member must be present. */
int importcore_json_need_number(const struct import_ctx *ctx, const cJSON *obj, const char *path,
				const char *key, double *out);
/* Member `key` of obj that must be an array (need: present) / object.
 * Returns it, or NULL: absent (and !need: no error, *err = 0) or wrong type
 * (*err = -1 with bk_error). */
const cJSON *importcore_json_array(const struct import_ctx *ctx, const cJSON *obj, const char *path,
				   const char *key, int need, int *err);
const cJSON *importcore_json_object(const struct import_ctx *ctx, const cJSON *obj,
				    const char *path, const char *key, int need, int *err);
/* The JSON value (string, number or bool) as text in sb (for params);
 * -1 for other types. */
int importcore_json_scalar_text(const cJSON *v, struct strbuf *sb);
/* Parses buf as JSON; errors name the file with line:col and say when the
 * document was cut short. Caller cJSON_Delete. NULL with bk_error. */
cJSON *importcore_json_parse(const struct import_ctx *ctx, const char *buf, size_t len);

/* Parses the JSON text buf[start, start+n) (one line of a JSON-lines file);
 * errors give the line and column in the whole buf, and a cut last line is
 * reported as truncated. Caller cJSON_Delete. NULL with bk_error. */
cJSON *importcore_json_parse_slice(const struct import_ctx *ctx, const char *buf, size_t len,
				   size_t start, size_t n);
/* Reads and parses the JSON file at path (a companion file an importer
 * looks for). Caller cJSON_Delete; NULL with bk_error naming it. */
cJSON *importcore_json_read(const char *path);

/* --- detection --- */
/* The first non-whitespace byte of buf (0 when none). */
int importcore_first_char(const char *buf, size_t len);
/* 1 when `needle` occurs in the first `limit` bytes of buf (0: all). */
int importcore_has(const char *buf, size_t len, size_t limit, const char *needle);
/* A member name a JSON format's output shows, worth `score` when `key` (or
 * `alt`, when not NULL) occurs; lists end with { NULL, NULL, 0 }. */
struct importcore_cue {
	const char *key, *alt;
	int score;
};
/* The detection score of a JSON-object format: 0 unless buf starts with
 * '{' and holds `required` (NULL: nothing required) in its first `limit`
 * bytes; else `base` plus the score of every cue present there, or 0 when
 * that total is below `min`. */
int importcore_json_score(const char *buf, size_t len, size_t limit, const char *required,
			  int base, int min, const struct importcore_cue *cues);

/* --- run facts --- */
/* Sets a run string field from input after checking its length (`path`
 * names it in errors). 0 or -1. Empty values are ignored. */
int importcore_run_str(const struct import_ctx *ctx, const char *path, char **field,
		       const char *value);
/* Sets machine.extra[key] = value from input (checked as above). */
int importcore_machine_extra(const struct import_ctx *ctx, const char *path,
			     struct bk_result *out, const char *key, const char *value);
/* Parses an ISO 8601 / RFC 3339 date-time ("2026-11-30T13:08:19+00:00",
 * "2019-11-29 21:26:59", fractions allowed). Without an offset the time is
 * taken as UTC when `naive_utc`, else as local time. 0 with *out, or -1. */
int importcore_parse_time(const char *s, int naive_utc, time_t *out);
/* Sets out->run.started_at to t (RFC 3339 UTC). */
void importcore_set_started(struct bk_result *out, time_t t);

#endif
