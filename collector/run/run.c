#include "collector/run/run.h"
#include "lib/base/error.h"
#include "collector/import/importer.h"
#include "collector/run/measure.h"
#include "collector/run/rounds.h"
#include "collector/run/runner.h"
#include "lib/base/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

double run_unit_factor(const char *unit)
{
	if (!unit || !strcmp(unit, "s"))
		return 1;
	if (!strcmp(unit, "ms"))
		return 1e3;
	if (!strcmp(unit, "us"))
		return 1e6;
	if (!strcmp(unit, "ns"))
		return 1e9;
	return 0;
}

static void progress(const struct run_opts *o, const struct bk_bench_cfg *b, int k, int n,
		     const double *samples, size_t ns, int done)
{
	if (!o->progress)
		return;
	double med = stats_median(samples, ns);
	const char *u = "s";
	if (med < 1e-3) {
		med *= 1e6;
		u = "us";
	} else if (med < 1) {
		med *= 1e3;
		u = "ms";
	}
	fprintf(o->progress, "\r\033[K%s/%s  run %d/%d", b->suite, b->name, k, n);
	if (ns)
		fprintf(o->progress, "  median %.3f %s", med, u);
	if (done)
		fputc('\n', o->progress);
	fflush(o->progress);
}

int run_harness(const struct bk_bench_cfg *b, const struct run_opts *o, struct bk_result *r)
{
	if (measure_run_aux(&b->setup, b, "setup") < 0)
		return -1;
	struct strbuf out = STRBUF_INIT;
	struct runner_opts ro = { &b->cmd, &b->env, b->cwd, b->timeout, b->output ? NULL : &out, 1 };
	struct runner_result rr;
	int rc = -1;
	progress(o, b, 1, 1, NULL, 0, 0);
	if (runner_run(&ro, &rr) < 0) {
		bk_error_prefix("%s/%s", b->suite, b->name);
		goto out;
	}
	if (rr.exit_code || rr.timed_out) {
		bk_error("%s/%s: harness command failed (%s %d)", b->suite, b->name,
			 rr.timed_out ? "timed out after" : "exit",
			 rr.timed_out ? (int)b->timeout : rr.exit_code);
		goto out;
	}
	struct strbuf name = STRBUF_INIT;
	if (b->output) {
		struct strbuf path = STRBUF_INIT;
		if (b->cwd && b->output[0] != '/')
			strbuf_addf(&path, "%s/", b->cwd);
		strbuf_addstr(&path, b->output);
		if (strbuf_read_file(&out, path.buf) < 0) {
			bk_error("%s/%s: cannot read harness output '%s': %s", b->suite, b->name,
				 path.buf, strerror(errno));
			strbuf_release(&path);
			goto out;
		}
		strbuf_addstr(&name, path.buf);
		strbuf_release(&path);
	} else {
		strbuf_addf(&name, "%s/%s (stdout)", b->suite, b->name);
	}
	rc = import_buffer(b->format, name.buf, out.buf, out.len, b->suite, r);
	strbuf_release(&name);
	progress(o, b, 1, 1, NULL, 0, 1);
	if (rc == 0 && measure_run_aux(&b->teardown, b, "teardown") < 0)
		rc = -1;
out:
	strbuf_release(&out);
	return rc;
}

int run_suite_selected(const struct run_opts *o, const char *name)
{
	if (!o->suites)
		return 1;
	for (const char **s = o->suites; *s; s++)
		if (!strcmp(*s, name))
			return 1;
	return 0;
}

int run_bench_selected(const struct run_opts *o, const struct bk_bench_cfg *b)
{
	if (!o->filter)
		return 1;
	struct strbuf full = STRBUF_INIT;
	strbuf_addf(&full, "%s/%s", b->suite, b->name);
	int m = regexec(o->filter, full.buf, 0, NULL, 0);
	strbuf_release(&full);
	return m == 0;
}

int run_check_suites(const struct bk_config *cfg, const struct run_opts *o)
{
	for (const char **s = o->suites; s && *s; s++) {
		int found = 0;
		for (size_t i = 0; i < cfg->nsuites; i++)
			found |= !strcmp(cfg->suites[i].name, *s);
		if (!found)
			return bk_error("%s: no suite named '%s'", cfg->path, *s);
	}
	return 0;
}

int run_config(const struct bk_config *cfg, const struct run_opts *o, struct bk_result *r)
{
	struct bk_result *res[2] = { r, NULL };
	return rounds_run(cfg, o, NULL, res);
}
