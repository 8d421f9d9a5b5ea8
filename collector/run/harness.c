#include "collector/run/harness.h"
#include "lib/base/error.h"
#include "collector/import/importer.h"
#include "collector/run/measure.h"
#include "collector/run/runner.h"

#include <errno.h>
#include <string.h>

/* Reads the harness output into out (from b->output, relative to its cwd,
 * or as captured from stdout) and names it in *name. 0, or -1 + bk_error. */
static int harness_output(const struct bk_bench_cfg *b, struct strbuf *out, struct strbuf *name)
{
	if (!b->output) {
		strbuf_addf(name, "%s/%s (stdout)", b->suite, b->name);
		return 0;
	}
	struct strbuf path = STRBUF_INIT;
	if (b->cwd && b->output[0] != '/')
		strbuf_addf(&path, "%s/", b->cwd);
	strbuf_addstr(&path, b->output);
	int rc = 0;
	if (strbuf_read_file(out, path.buf) < 0)
		rc = bk_error("%s/%s: cannot read harness output '%s': %s", b->suite, b->name,
			      path.buf, strerror(errno));
	else
		strbuf_addstr(name, path.buf);
	strbuf_release(&path);
	return rc;
}

int run_harness(const struct bk_bench_cfg *b, const struct run_opts *o, struct bk_result *r)
{
	if (measure_run_aux(&b->setup, b, "setup") < 0)
		return -1;
	struct strbuf out = STRBUF_INIT, name = STRBUF_INIT;
	struct runner_opts ro = { &b->cmd, &b->env, b->cwd, b->timeout, b->output ? NULL : &out, 1 };
	struct runner_result rr;
	int rc = -1;
	run_say(o, RUN_SAY_STATUS, "%s/%s  run 1/1", b->suite, b->name);
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
	if (harness_output(b, &out, &name) < 0)
		goto out;
	rc = import_buffer(b->format, name.buf, out.buf, out.len, b->suite, r);
	run_say(o, RUN_SAY_LINE, "%s/%s  run 1/1", b->suite, b->name);
	if (rc == 0 && measure_run_aux(&b->teardown, b, "teardown") < 0)
		rc = -1;
out:
	strbuf_release(&name);
	strbuf_release(&out);
	return rc;
}
