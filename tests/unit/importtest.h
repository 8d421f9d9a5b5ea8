/* Helpers for the import unit tests: fixtures under tests/fixtures (from
 * $BK_ROOT, else the current directory), running an importer on them and
 * finding benchmarks and metrics in the result. */
#ifndef BK_IMPORTTEST_H
#define BK_IMPORTTEST_H

#include <math.h>
#include <time.h>

#include "testutil.h"
#include "lib/base/error.h"
#include "collector/import/importer.h"
#include "lib/doc/result.h"
#include "lib/base/strbuf.h"

/* Exact comparison of doubles, printing both on failure. */
#define assert_double_eq(a, b)                                                            \
	do {                                                                                \
		double bk_a_ = (a), bk_b_ = (b);                                                \
		if (!(bk_a_ == bk_b_))                                                          \
			fail_msg("%s == %.17g, expected %.17g", #a, bk_a_, bk_b_);                  \
	} while (0)

/* Fails unless the last error contains `needle`. */
#define assert_error_has(needle)                                                          \
	do {                                                                                \
		if (!strstr(bk_last_error(), (needle)))                                         \
			fail_msg("error '%s' lacks '%s'", bk_last_error(), (needle));               \
	} while (0)

/* The path of fixture `rel` (caller frees). */
static inline char *fixture_path(const char *rel)
{
	const char *root = getenv("BK_ROOT");
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s/tests/fixtures/%s", root && *root ? root : ".", rel);
	return strbuf_detach(&sb, NULL);
}

/* Reads fixture `rel` into sb (appending). */
static inline void read_fixture(const char *rel, struct strbuf *sb)
{
	char *p = fixture_path(rel);
	if (strbuf_read_file(sb, p) < 0)
		fail_msg("cannot read fixture '%s'", p);
	free(p);
}

/* Imports fixture `rel` with `format` (NULL: detect) into a fresh r (suite
 * "s"); returns import_buffer's result. The file name in errors is the
 * fixture's path. */
static inline int import_fixture(const char *format, const char *rel, struct bk_result *r)
{
	struct strbuf sb = STRBUF_INIT;
	char *p = fixture_path(rel);
	read_fixture(rel, &sb);
	result_init(r);
	int rc = import_buffer(format, p, sb.buf, sb.len, "s", r);
	strbuf_release(&sb);
	free(p);
	return rc;
}

/* Imports the text `text` as file "in.txt" into a fresh r. */
static inline int import_text(const char *format, const char *text, struct bk_result *r)
{
	result_init(r);
	return import_buffer(format, "in.txt", text, strlen(text), "s", r);
}

/* Like import_fixture, asserting success. */
static inline void must_import(const char *format, const char *rel, struct bk_result *r)
{
	if (import_fixture(format, rel, r) < 0)
		fail_msg("import of %s failed: %s", rel, bk_last_error());
}

/* The benchmark named `name` (with `pk`=`pv` among its params when pk is
 * not NULL); fails the test when absent. */
static inline struct bk_benchmark *bench_named(const struct bk_result *r, const char *name,
					       const char *pk, const char *pv)
{
	for (size_t i = 0; i < r->nbenchmarks; i++) {
		struct bk_benchmark *b = &r->benchmarks[i];
		if (strcmp(b->name, name))
			continue;
		if (pk) {
			const char *v = kvlist_get(&b->params, pk);
			if (!v || strcmp(v, pv))
				continue;
		}
		return b;
	}
	fail_msg("no benchmark named '%s'", name);
	return NULL;
}

/* The value of metric `key` of b; fails the test when absent. */
static inline double metric(const struct bk_benchmark *b, const char *key)
{
	double v;
	if (!metrics_get(&b->metrics, key, &v))
		fail_msg("benchmark '%s' has no metric '%s'", b->name, key);
	return v;
}

static inline int has_metric(const struct bk_benchmark *b, const char *key)
{
	double v;
	return metrics_get(&b->metrics, key, &v);
}

#endif
