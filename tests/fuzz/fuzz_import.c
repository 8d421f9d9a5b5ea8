/* fuzz_import: every importer format on hostile bytes.
 *
 * Each input goes through format detection (import_buffer with no format,
 * i.e. every registered detect() and the winner's parse()), then through
 * one format by name chosen by the first byte (the rest of the input is its
 * content), so each parser is reached even for content no detector claims.
 * Invariant: whatever an importer produces is a valid result: it writes and
 * reads back with the same benchmarks and sample counts.
 * The same bytes also go to callgrind's output parser (instruction counts)
 * when collector/run/callgrind.h is in the tree. */
#include "fuzz.h"

#include <string.h>

#include "lib/base/error.h"
#include "collector/import/importer.h"
#include "lib/doc/result.h"

#if defined(__has_include)
#if __has_include("callgrind.h")
#include "collector/run/callgrind.h"
#define HAVE_CALLGRIND 1
#endif
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void check_valid(struct bk_result *r, const char *format)
{
	if (!r->nbenchmarks)
		return;
	set_str(&r->run.id, "fuzz");
	cJSON *j = result_to_json(r);
	char *text = json_print(j);
	cJSON_Delete(j);
	struct bk_result back;
	if (result_read_buf(&back, text, strlen(text), format) < 0)
		fuzz_fail("an importer produced a result that does not read back", bk_last_error());
	if (back.nbenchmarks != r->nbenchmarks)
		fuzz_fail("benchmark count changed in a round trip", format);
	for (size_t i = 0; i < r->nbenchmarks; i++)
		if (back.benchmarks[i].nsamples != r->benchmarks[i].nsamples)
			fuzz_fail("sample count changed in a round trip", format);
	result_release(&back);
	free(text);
}

static void import_one(const char *format, const uint8_t *data, size_t size)
{
	struct bk_result r;
	result_init(&r);
	if (import_buffer(format, "fuzz.txt", (const char *)data, size, "fuzz", &r) == 0)
		check_valid(&r, format ? format : "detected");
	else if (r.nbenchmarks)
		fuzz_fail("a failed import left benchmarks behind", format);
	result_release(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	import_one(NULL, data, size);
	size_t n = importer_count();
	if (n && size >= 1)
		import_one(importer_at(data[0] % n)->name, data + 1, size - 1);
#ifdef HAVE_CALLGRIND
	struct callgrind_totals t;
	memset(&t, 0, sizeof(t));
	callgrind_parse((const char *)data, size, "callgrind.out", &t);
#endif
	return 0;
}
