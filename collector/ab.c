#include "ab.h"
#include "error.h"
#include "measure.h"
#include "xalloc.h"

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

/* One benchmark on both sides. 1 when a side failed, 0, or -1. */
static int ab_bench(const struct bk_bench_cfg *b, const struct run_opts *o, const char *base_dir,
		    const char *head_dir, struct bk_result *rb, struct bk_result *rh)
{
	struct measure a, h;
	int ra = measure_begin(&a, b, o, base_dir, "base", rb);
	int rhd = ra < 0 ? -1 : measure_begin(&h, b, o, head_dir, "head", rh);
	int rc = -1;
	if (ra < 0) {
		measure_release(&a);
		return -1;
	}
	if (rhd < 0)
		goto out;
	/* A B A B ...: one run of each side per round while either needs more */
	while (ra == 0 || rhd == 0) {
		int da = ra != 0 || measure_done(&a), dh = rhd != 0 || measure_done(&h);
		if (da && dh)
			break;
		if (!o->keep_going && (a.failed || h.failed))
			break; /* a failed run stops both sides */
		if (!da && measure_once(&a) < 0)
			goto out;
		if (!dh && measure_once(&h) < 0)
			goto out;
	}
	int fa = measure_end(&a, rb), fh = measure_end(&h, rh);
	if (fa < 0 || fh < 0)
		goto out;
	rc = fa || fh;
out:
	measure_release(&a);
	measure_release(&h);
	return rc;
}

int ab_run(const struct bk_config *cfg, const struct run_opts *o, const char *base_dir,
	   const char *head_dir, struct bk_result *base, struct bk_result *head)
{
	int failed = 0, ran = 0;
	if (run_check_suites(cfg, o) < 0)
		return -1;
	for (size_t i = 0; i < cfg->nsuites; i++) {
		const struct bk_suite_cfg *s = &cfg->suites[i];
		if (!run_suite_selected(o, s->name))
			continue;
		if (strcmp(s->type, "command"))
			return bk_error("%s: suite '%s': --ab runs command suites only, not type '%s'",
					cfg->path, s->name, s->type);
		for (size_t k = 0; k < s->nbenchmarks; k++) {
			const struct bk_bench_cfg *b = &s->benchmarks[k];
			if (!run_bench_selected(o, b))
				continue;
			if (b->format) {
				fprintf(stderr, "benchkeep: warning: %s/%s: harness entries are not "
					"run with --ab (skipped)\n", b->suite, b->name);
				continue;
			}
			int rc = ab_bench(b, o, base_dir, head_dir, base, head);
			if (rc < 0)
				return -1;
			failed += rc;
			ran++;
		}
	}
	if (!ran)
		return bk_error("%s: no benchmark matched the selection", cfg->path);
	return failed;
}
