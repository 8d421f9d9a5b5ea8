/* importjson: reading JSON documents in the importers: parsing with errors
 * that name the input (line:col, truncation), typed member access whose
 * errors name the key path (on lib/doc/json's json_field_* accessors),
 * reading an array of entries into an indexed result, and the detection
 * score of JSON-object formats.
 *
 * Nothing here prints; every failing function records a one-line bk_error
 * and returns -1. */
#ifndef BK_IMPORTJSON_H
#define BK_IMPORTJSON_H

#include <stddef.h>

#include "collector/import/importbench.h"
#include "lib/doc/json.h"

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
/* The readers of the part-B importers (BenchmarkDotNet, JMH, Julia, custom,
 * Rust baseline): member `key` of obj into *out (strings borrowed from the
 * tree). 1 present, 0 absent or null and not required, -1 + error naming
 * PATH.KEY when it has another type ("expected a finite number" / "expected
 * a string") or is required and absent ("missing"). */
int importcore_json_num(const struct import_ctx *ctx, const cJSON *obj, const char *path,
			const char *key, int required, double *out);
int importcore_json_str(const struct import_ctx *ctx, const cJSON *obj, const char *path,
			const char *key, int required, const char **out);
/* Most params or metrics one benchmark may get from an input (their maps
 * are searched linearly: a hostile file must not make an import quadratic). */
#define IMPORTCORE_MAX_KEYS 4096
/* 0 when obj (an object or array) has at most IMPORTCORE_MAX_KEYS members,
 * else -1 + error "PATH: too many entries". */
int importcore_check_keys(const struct import_ctx *ctx, const char *path, const cJSON *obj);
/* Like importcore_json_string but the member must be present ("missing"). */
int importcore_json_need_string(const struct import_ctx *ctx, const cJSON *obj, const char *path,
				const char *key, const char **out);
/* The JSON value (string, number or bool) as text in sb (for params);
 * -1 for other types. */
int importcore_json_scalar_text(const cJSON *v, struct strbuf *sb);
/* Parses buf as JSON; errors name the file with line:col and say when the
 * document was cut short. Caller cJSON_Delete. NULL with bk_error. */
cJSON *importcore_json_parse(const struct import_ctx *ctx, const char *buf, size_t len);

/* Parses buf as a JSON object holding the array `key` (a format's list of
 * entries): the tree (caller cJSON_Delete) with *arr set, or NULL with
 * bk_error ("FILE: not WHAT (expected an object with \"KEY\")" when the
 * document is not an object; "FILE: KEY: missing" ...). */
cJSON *importcore_json_root(const struct import_ctx *ctx, const char *buf, size_t len,
			    const char *what, const char *key, const cJSON **arr);
/* Parses the JSON text buf[start, start+n) (one line of a JSON-lines file);
 * errors give the line and column in the whole buf, and a cut last line is
 * reported as truncated. Caller cJSON_Delete. NULL with bk_error. */
cJSON *importcore_json_parse_slice(const struct import_ctx *ctx, const char *buf, size_t len,
				   size_t start, size_t n);
/* Like importcore_json_parse, skipping a UTF-8 byte order mark first. */
cJSON *importcore_json_parse_bom(const struct import_ctx *ctx, const char *buf, size_t len);
/* Reads and parses the JSON file at path (a companion file an importer
 * looks for). Caller cJSON_Delete; NULL with bk_error naming it. */
cJSON *importcore_json_read(const char *path);

/* An entry of a JSON array (element e, index i) read into the indexed
 * result. 0, or -1 with bk_error set. */
typedef int (*importcore_entry_fn)(const struct import_ctx *ctx, struct importcore_index *ix,
				   const cJSON *e, int i);
/* Reads every element of array a with fn, with an index of r's benchmarks
 * (built and freed here). 0, or the first -1. */
int importcore_each_entry(const struct import_ctx *ctx, const cJSON *a, struct bk_result *r,
			  importcore_entry_fn fn);
/* --- members into the result --- */
/* The members of object obj (at key path `path`; NULL: none) as params:
 * keys and values checked as names, errors naming PATH.KEY (the key cut to
 * keymax bytes). A value that is no string, number or bool is an error
 * ("expected a string or number"), or with `print_other` its JSON text. */
int importcore_json_params(const struct import_ctx *ctx, const cJSON *obj, const char *path,
			   int keymax, int print_other, struct bk_kvlist *kv);
/* String member `key` of obj (at `path`), when present and not empty, as
 * machine.extra[extra] of out / as the run string *field. 0 or -1. */
int importcore_json_machine_extra(const struct import_ctx *ctx, const cJSON *obj, const char *path,
				  const char *key, struct bk_result *out, const char *extra);
int importcore_json_run_str(const struct import_ctx *ctx, const cJSON *obj, const char *path,
			    const char *key, char **field);
/* Date member `key` of obj (at `path`), when present, as out's started_at
 * (importcore_parse_time with naive_utc). 0, or -1 ("cannot read the date"). */
int importcore_json_started(const struct import_ctx *ctx, const cJSON *obj, const char *path,
			    const char *key, int naive_utc, struct bk_result *out);

/* --- detection --- */
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

#endif
