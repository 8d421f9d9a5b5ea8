/* fuzz_result: the result reader (json_parse_buf + result_from_json), the
 * baseline reader (baseline_from_json, when lib/baseline.h is in the tree)
 * and the site's parsed-result cache decoder, on hostile bytes.
 * Invariants: a result or baseline that reads writes back to JSON that
 * reads again with the same benchmarks; a result that reads survives the
 * cache's encoding; the fast reader (resultscan) agrees or hands over. */
#include "fuzz.h"

#include <string.h>

#include "cache.h"
#include "error.h"
#include "result.h"
#include "resultscan.h"

#if defined(__has_include)
#if __has_include("baseline.h")
#include "baseline.h"
#define HAVE_BASELINE 1
#endif
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void check_round_trip(const struct bk_result *r)
{
	cJSON *j = result_to_json(r);
	char *text = json_print(j);
	cJSON_Delete(j);
	struct bk_result back;
	if (result_read_buf(&back, text, strlen(text), "round-trip") < 0)
		fuzz_fail("a result read does not read back after writing", bk_last_error());
	if (back.nbenchmarks != r->nbenchmarks)
		fuzz_fail("benchmark count changed in a round trip", NULL);
	for (size_t i = 0; i < r->nbenchmarks; i++)
		if (back.benchmarks[i].nsamples != r->benchmarks[i].nsamples)
			fuzz_fail("sample count changed in a round trip", r->benchmarks[i].name);
	result_release(&back);
	free(text);

	struct strbuf enc = STRBUF_INIT;
	cache_encode_result(&enc, r);
	if (cache_decode_result((const unsigned char *)enc.buf, enc.len, &back) < 0)
		fuzz_fail("cache encoding does not decode", NULL);
	if (back.nbenchmarks != r->nbenchmarks)
		fuzz_fail("benchmark count changed in the cache", NULL);
	result_release(&back);
	strbuf_release(&enc);
}

#ifdef HAVE_BASELINE
static void check_baseline(const uint8_t *data, size_t size)
{
	cJSON *j = json_parse_buf("baseline.json", (const char *)data, size);
	if (!j)
		return;
	struct bk_baseline b;
	if (baseline_from_json(&b, j, "baseline.json") == 0) {
		cJSON *o = baseline_to_json(&b);
		char *text = json_print(o);
		cJSON_Delete(o);
		cJSON *back_j = json_parse_buf("round-trip", text, strlen(text));
		struct bk_baseline back;
		if (!back_j || baseline_from_json(&back, back_j, "round-trip") < 0)
			fuzz_fail("a baseline read does not read back after writing", bk_last_error());
		if (back.r.nbenchmarks != b.r.nbenchmarks)
			fuzz_fail("baseline benchmark count changed in a round trip", NULL);
		baseline_release(&back);
		cJSON_Delete(back_j);
		free(text);
		baseline_release(&b);
	}
	cJSON_Delete(j);
}
#endif

/* The fast reader (lib/resultscan.c) either hands over or agrees with the
 * full one, byte for byte once written back. */
static void check_fast_reader(const uint8_t *data, size_t size, const struct bk_result *full, int full_ok)
{
	struct bk_result fast;
	if (result_scan_buf(&fast, (const char *)data, size) != 0)
		return;
	if (!full_ok)
		fuzz_fail("the fast reader accepted what the full reader refuses", NULL);
	cJSON *a = result_to_json(&fast), *b = result_to_json(full);
	char *x = json_print(a), *y = json_print(b);
	if (strcmp(x, y))
		fuzz_fail("the fast and full readers disagree", NULL);
	free(x);
	free(y);
	cJSON_Delete(a);
	cJSON_Delete(b);
	result_release(&fast);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#ifdef HAVE_BASELINE
	check_baseline(data, size);
#endif
	struct bk_result r;
	int ok = result_read_buf(&r, (const char *)data, size, "fuzz.json") == 0;
	check_fast_reader(data, size, &r, ok);
	if (ok) {
		check_round_trip(&r);
		result_release(&r);
	}
	/* the same bytes as a cache entry */
	if (cache_decode_result(data, size, &r) == 0)
		result_release(&r);
	return 0;
}
