/* fuzz_result: the result reader (json_parse_buf + result_from_json), the
 * baseline reader (baseline_from_json, when lib/doc/baseline.h is in the tree)
 * and the site's parsed-result cache decoder, on hostile bytes.
 * Invariants: a result or baseline that reads writes back to JSON that
 * reads again with the same benchmarks; a result that reads survives the
 * cache's encoding; the fast reader (resultscan) agrees or hands over. */
#include "fuzz.h"

#include <string.h>

#include "sitegen/history/siterecord.h"
#include "lib/base/error.h"
#include "lib/doc/result.h"
#include "lib/doc/resultscan.h"

#if defined(__has_include)
#if __has_include("baseline.h")
#include "lib/doc/baseline.h"
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
	struct def_table defs;
	def_table_init(&defs);
	record_encode(&enc, r, &defs);
	struct record rec;
	if (record_open((const unsigned char *)enc.buf, enc.len, (uint32_t)defs.nr, &rec) < 0)
		fuzz_fail("the site record does not read back", NULL);
	if (rec.nbench != r->nbenchmarks)
		fuzz_fail("benchmark count changed in the site record", NULL);
	const unsigned char *p = rec.bench;
	for (uint32_t i = 0; i < rec.nbench; i++) {
		struct record_bench b;
		p = record_next(p, &b);
		if (b.n != r->benchmarks[i].nsamples || strcmp(defs.items[b.def].name, r->benchmarks[i].name))
			fuzz_fail("a benchmark changed in the site record", r->benchmarks[i].name);
	}
	def_table_release(&defs);
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

/* The fast reader (lib/doc/resultscan.c) either hands over or agrees with the
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
	/* the same bytes as a site record or a definition */
	struct record rec;
	if (record_open(data, size, 16, &rec) == 0) {
		const unsigned char *p = rec.bench;
		for (uint32_t i = 0; i < rec.nbench; i++) {
			struct record_bench b;
			p = record_next(p, &b);
		}
		if (p != rec.end)
			fuzz_fail("an opened record does not end where its benchmarks do", NULL);
	}
	struct def_table defs;
	def_table_init(&defs);
	def_table_intern_encoded(&defs, data, size);
	def_table_release(&defs);
	return 0;
}
