/* importutil: small parsing helpers shared by the importers (JSON field
 * access with key paths, line cursors, numbers with thousands separators,
 * time units, cheap content sniffing for detect()).
 *
 * Errors follow one form so every importer reads alike:
 *   "FILE: KEY.PATH: what is wrong"      (JSON formats)
 *   "FILE:LINE:COL: what is wrong"       (text formats)
 * All functions returning int give 0 on success or -1 with bk_error set. */
#ifndef BK_IMPORTUTIL_H
#define BK_IMPORTUTIL_H

#include <stddef.h>

#include "collector/import/importer.h"
#include "lib/doc/json.h"
#include "lib/doc/result.h"
#include "lib/base/strbuf.h"

/* Bytes of the input that detect() functions look at (a prefix). */
#define IU_SNIFF_BYTES ((size_t)64 * 1024)

/* --- errors --- */
/* Records "FILE: PATH: MESSAGE" (PATH may be "" for the whole document);
 * returns -1. */
int iu_error_at(const struct import_ctx *ctx, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Records "FILE:LINE:COL: MESSAGE" for byte offset `off` of buf; returns -1. */
int iu_error_pos(const struct import_ctx *ctx, const char *buf, size_t len, size_t off,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* --- JSON --- */
/* Parses buf as one JSON document, errors named after ctx->file with line
 * and column. Returns the tree (caller cJSON_Delete) or NULL + bk_error. */
cJSON *iu_json_parse(const struct import_ctx *ctx, const char *buf, size_t len);
/* Number member `key` of obj into *out. Returns 1 when present, 0 when absent
 * (or null) and not required, -1 + error naming PATH.key when it has another
 * type, is not finite, or is required and absent. */
int iu_json_num(const struct import_ctx *ctx, const cJSON *obj, const char *path,
		const char *key, int required, double *out);
/* String member `key` of obj into *out (borrowed from the tree). Same
 * return convention as iu_json_num. */
int iu_json_str(const struct import_ctx *ctx, const cJSON *obj, const char *path,
		const char *key, int required, const char **out);
/* Checks that a name, key or value fits the result model (non-empty when
 * `nonempty`, at most RESULT_MAX_NAME bytes). 0, or -1 + error at PATH. */
int iu_check_name(const struct import_ctx *ctx, const char *path, const char *s, int nonempty);

/* Most params or metrics one benchmark may get from an input (their maps
 * are searched linearly: a hostile file must not make an import quadratic). */
#define IU_MAX_KEYS 4096

/* 0 when obj (an object or array) has at most IU_MAX_KEYS members, else
 * -1 + error "PATH: too many entries". */
int iu_check_keys(const struct import_ctx *ctx, const char *path, const cJSON *obj);

/* --- benchmarks --- */
/* Appends a benchmark named `name` in ctx->suite with `unit` and
 * `direction`; returns it (valid until the next append to out). */
struct bk_benchmark *iu_add_bench(const struct import_ctx *ctx, struct bk_result *out,
				  const char *name, const char *unit, enum bk_direction direction);

/* A hash index from a key (any bytes: a name, or "name\x1fdriver") to the
 * position of a benchmark in a result, so that a format whose output may
 * repeat a benchmark (the suite run again) merges the repetitions as
 * samples in linear time. Initialise with IU_INDEX_INIT; free with
 * iu_index_release. */
struct iu_index {
	struct iu_index_entry *slots;
	size_t cap, count;
	struct strbuf keys; /* every key, end to end (one allocation) */
};
#define IU_INDEX_INIT { NULL, 0, 0, STRBUF_INIT }

/* Position stored for key, or (size_t)-1 when absent. */
size_t iu_index_get(const struct iu_index *ix, const char *key, size_t n);
/* Stores pos for key (copied); replaces an existing entry. */
void iu_index_put(struct iu_index *ix, const char *key, size_t n, size_t pos);
/* Frees the index; it is left empty and reusable. */
void iu_index_release(struct iu_index *ix);

/* --- text --- */
/* A cursor over the lines of a buffer ("\n" or "\r\n" endings). */
struct iu_lines {
	const char *buf, *end, *p;
	int lineno; /* 1-based number of the line last returned */
};

void iu_lines_init(struct iu_lines *it, const char *buf, size_t len);
/* Sets *line and *n to the next line (without its ending) and returns 1, or
 * returns 0 at the end. *complete is 1 when the line ended with "\n" (0 for
 * a last line cut short: possibly truncated input); may be NULL. */
int iu_lines_next(struct iu_lines *it, const char **line, size_t *n, int *complete);

/* Parses a decimal number at s[0..n) with optional "," thousands
 * separators (ASCII digits, ".", exponent). Stores it in *out and the bytes
 * used in *used. Returns 0, or -1 (no error recorded) when no number starts
 * at s or it is not finite. */
int iu_parse_number(const char *s, size_t n, double *out, size_t *used);

/* Canonical time unit for `unit` (n bytes): "s", "ms", "us" or "ns" (also
 * reads "sec", "µs"/"μs", "nsec"...), or NULL when it is not a time unit. */
const char *iu_time_unit(const char *unit, size_t n);

/* --- sniffing for detect() --- */
/* First non-whitespace byte of buf (skipping a UTF-8 BOM), or 0. */
int iu_first_char(const char *buf, size_t len);
/* 1 when `needle` occurs in the first IU_SNIFF_BYTES of buf. */
int iu_sniff(const char *buf, size_t len, const char *needle);
/* Like memmem (bounded search, no NUL needed); NULL when absent. */
const char *iu_memmem(const char *hay, size_t n, const char *needle, size_t m);

#endif
