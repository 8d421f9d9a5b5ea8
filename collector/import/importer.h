/* importer: turns the output of other benchmark harnesses into benchmarks.
 *
 * Each format lives in its own collector/import_<name>.c and exposes one
 * `const struct importer importer_<name>`; importer.c lists them in one
 * table. detect() looks at the content only; parse() appends benchmarks to
 * a result (run/machine information is filled by the caller). */
#ifndef BK_IMPORTER_H
#define BK_IMPORTER_H

#include <stddef.h>

#include "lib/doc/result.h"

struct import_ctx {
	const char *file;  /* name for error messages ("<stdin>" for -) */
	const char *suite; /* suite name for the benchmarks (never NULL) */
};

struct importer {
	const char *name;        /* "gbench", "hyperfine", ... (-f NAME) */
	const char *description; /* one line for --list-formats */
	/* How sure this format is that buf is its output: 0 (no) .. 100. */
	int (*detect)(const char *buf, size_t len);
	/* Appends the benchmarks found in buf to out; may fill out->run fields
	 * the input carries (commit, machine, started_at). 0, or -1 with
	 * bk_error naming ctx->file and the position or field. */
	int (*parse)(const struct import_ctx *ctx, const char *buf, size_t len,
		     struct bk_result *out);
};

/* Number of registered formats, and the i-th one (table order). */
size_t importer_count(void);
const struct importer *importer_at(size_t i);
/* The format called `name`, or NULL. */
const struct importer *importer_find(const char *name);
/* The format that detects buf with the highest confidence, or NULL. */
const struct importer *importer_detect(const char *buf, size_t len);

/* Imports buf with format `format` (NULL: detect) into out, stamping every
 * new benchmark's `source` with the format name and finalising its stats.
 * 0, or -1 with bk_error set (unknown format, undetectable content, or the
 * parser's error). On failure no benchmark is added to out. */
int import_buffer(const char *format, const char *file, const char *buf, size_t len,
		  const char *suite, struct bk_result *out);

#endif
