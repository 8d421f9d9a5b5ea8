/* importcore: the base of the importers' helper library: errors that name
 * the input file and a position (FILE:LINE:COL) or key path (FILE: PATH),
 * text scanning (lines, numbers, time units, dates) and cheap content
 * sniffing for detect(). The library's other parts build on it:
 * importbench.h (building the result) and importjson.h (reading JSON).
 *
 * Nothing here prints; every failing function records a one-line bk_error
 * and returns -1. */
#ifndef BK_IMPORTCORE_H
#define BK_IMPORTCORE_H

#include <stddef.h>
#include <time.h>

#include "collector/import/importer.h"

/* --- errors --- */
/* Records "FILE:LINE:COL: MSG" for byte `offset` of buf; returns -1. */
int importcore_error_at(const struct import_ctx *ctx, const char *buf, size_t len, size_t offset,
			const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Records "FILE: PATH: MSG" (PATH a key path such as benchmarks[3].real_time,
 * or "" / NULL for the whole document: "FILE: MSG"); returns -1. */
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
	int complete;     /* 1 when the line ended with '\n' (0: a last line cut short) */
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
/* Like importcore_time_unit, reading also the spelled-out forms "sec",
 * "secs", "seconds", "msec", "millis", "usec", "nsec". */
const char *importcore_time_unit_word(const char *unit, size_t n);

/* --- detection --- */
/* Bytes of the input that detect() functions look at (a prefix). */
#define IMPORTCORE_SNIFF_BYTES ((size_t)64 * 1024)
/* The first non-whitespace byte of buf (0 when none). */
int importcore_first_char(const char *buf, size_t len);
/* 1 when `needle` occurs in the first `limit` bytes of buf (0: all). */
int importcore_has(const char *buf, size_t len, size_t limit, const char *needle);
/* --- dates --- */
/* Parses an ISO 8601 / RFC 3339 date-time ("2026-11-30T13:08:19+00:00",
 * "2019-11-29 21:26:59", fractions allowed). Without an offset the time is
 * taken as UTC when `naive_utc`, else as local time. 0 with *out, or -1. */
int importcore_parse_time(const char *s, int naive_utc, time_t *out);
#endif
