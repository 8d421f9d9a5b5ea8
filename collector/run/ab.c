#include "collector/run/ab.h"
#include "lib/base/error.h"
#include "collector/run/rounds.h"
#include "lib/base/xalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *ab_build_dir(const char *dir)
{
	struct stat st;
	if (stat(dir, &st) < 0)
		return bk_error("--ab: cannot use build directory '%s': %s", dir, strerror(errno)),
		       NULL;
	if (!S_ISDIR(st.st_mode))
		return bk_error("--ab: '%s' is not a directory", dir), NULL;
	char *abs = realpath(dir, NULL);
	if (!abs)
		bk_error("--ab: cannot resolve '%s': %s", dir, strerror(errno));
	return abs;
}

int ab_run(const struct bk_config *cfg, const struct run_opts *o, const char *base_dir,
	   const char *head_dir, struct bk_result *base, struct bk_result *head)
{
	if (run_check_suites(cfg, o) < 0)
		return -1;
	for (size_t i = 0; i < cfg->nsuites; i++) {
		const struct bk_suite_cfg *s = &cfg->suites[i];
		if (!run_suite_selected(o, s->name) || strcmp(s->type, "command"))
			continue; /* another type: rounds_run refuses it */
		for (size_t k = 0; k < s->nbenchmarks; k++) {
			const struct bk_bench_cfg *b = &s->benchmarks[k];
			if (b->format && run_bench_selected(o, b))
				fprintf(stderr, "benchkeep: warning: %s/%s: harness entries are not "
					"run with --ab (skipped)\n", b->suite, b->name);
		}
	}
	const char *dirs[2] = { base_dir, head_dir };
	struct bk_result *res[2] = { base, head };
	return rounds_run(cfg, o, dirs, res);
}
