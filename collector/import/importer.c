#include "collector/import/importer.h"
#include "lib/base/error.h"

#include <string.h>

extern const struct importer importer_gbench;
extern const struct importer importer_hyperfine;
extern const struct importer importer_pytest_benchmark;
extern const struct importer importer_pytest_json_report;
extern const struct importer importer_catch2;
extern const struct importer importer_catch2_xml;
extern const struct importer importer_cargo;
extern const struct importer importer_criterion;
extern const struct importer importer_cargo_criterion;
extern const struct importer importer_go;

/* The table of formats: add a new importer_<name> here. */
extern const struct importer importer_benchmarkdotnet, importer_jmh, importer_julia,
	importer_benchmarkjs, importer_benchmarkluau, importer_custom,
	importer_customSmallerIsBetter, importer_customBiggerIsBetter, importer_rustbaseline;
static const struct importer *const formats[] = {
	&importer_gbench,
	&importer_hyperfine,
	&importer_pytest_benchmark,
	&importer_pytest_json_report,
	&importer_catch2,
	&importer_catch2_xml,
	&importer_cargo,
	&importer_criterion,
	&importer_cargo_criterion,
	&importer_go,
	&importer_benchmarkdotnet,
	&importer_jmh,
	&importer_julia,
	&importer_benchmarkjs,
	&importer_benchmarkluau,
	&importer_custom,
	&importer_customSmallerIsBetter,
	&importer_customBiggerIsBetter,
	&importer_rustbaseline,
	NULL /* sentinel: keeps the table valid while it has no format */
};

size_t importer_count(void)
{
	return sizeof(formats) / sizeof(formats[0]) - 1;
}

const struct importer *importer_at(size_t i)
{
	return i < importer_count() ? formats[i] : NULL;
}

const struct importer *importer_find(const char *name)
{
	for (size_t i = 0; i < importer_count(); i++)
		if (!strcmp(formats[i]->name, name))
			return formats[i];
	return NULL;
}

const struct importer *importer_detect(const char *buf, size_t len)
{
	const struct importer *best = NULL;
	int best_score = 0;
	for (size_t i = 0; i < importer_count(); i++) {
		int s = formats[i]->detect(buf, len);
		if (s > best_score) {
			best_score = s;
			best = formats[i];
		}
	}
	return best;
}

int import_buffer(const char *format, const char *file, const char *buf, size_t len,
		  const char *suite, struct bk_result *out)
{
	const struct importer *imp;
	/* every harness writes text: a NUL byte is corruption, and would cut
	 * names short in the text importers (found by fuzz_import) */
	const char *nul = memchr(buf, '\0', len);
	if (nul) {
		int line, col;
		json_line_col(buf, len, (size_t)(nul - buf), &line, &col);
		return bk_error("%s:%d:%d: NUL byte (not a text file)", file, line, col);
	}
	if (format) {
		imp = importer_find(format);
		if (!imp)
			return bk_error("%s: unknown format '%s' (see benchkeep import --list-formats)",
					file, format);
	} else {
		imp = importer_detect(buf, len);
		if (!imp)
			return bk_error("%s: cannot detect the format (use -f, see --list-formats)", file);
	}
	size_t before = out->nbenchmarks;
	struct import_ctx ctx = { file, suite };
	if (imp->parse(&ctx, buf, len, out) < 0) {
		while (out->nbenchmarks > before)
			bench_release(&out->benchmarks[--out->nbenchmarks]);
		return -1;
	}
	for (size_t i = before; i < out->nbenchmarks; i++) {
		struct bk_benchmark *b = &out->benchmarks[i];
		if (!b->source)
			set_str(&b->source, imp->name);
		bench_finalize(b);
	}
	return 0;
}
