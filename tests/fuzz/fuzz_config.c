/* fuzz_config: the configuration reader (benchkeep.json) on hostile bytes:
 * JSON parsing, key validation, params matrix expansion and placeholder
 * substitution. Invariant: every benchmark of a config that reads has a
 * suite, a non-empty name and a command. */
#include "fuzz.h"

#include "lib/doc/config.h"
#include "lib/doc/json.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *j = json_parse_buf("benchkeep.json", (const char *)data, size);
	if (!j)
		return 0;
	struct bk_config cfg;
	if (config_from_json(&cfg, j, "benchkeep.json") == 0) {
		for (size_t i = 0; i < cfg.nsuites; i++) {
			const struct bk_suite_cfg *s = &cfg.suites[i];
			for (size_t k = 0; k < s->nbenchmarks; k++) {
				const struct bk_bench_cfg *b = &s->benchmarks[k];
				if (!b->suite || !b->name || !*b->name)
					fuzz_fail("a benchmark without suite or name", NULL);
				if (!b->cmd.argv && !b->cmd.shell)
					fuzz_fail("a benchmark without a command", b->name);
				struct strbuf sb = STRBUF_INIT;
				command_describe(&b->cmd, &sb);
				command_describe(&b->setup, &sb);
				strbuf_release(&sb);
			}
		}
		config_release(&cfg);
	}
	cJSON_Delete(j);
	return 0;
}
