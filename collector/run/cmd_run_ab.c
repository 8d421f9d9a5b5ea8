/* benchkeep run --ab BASE_DIR HEAD_DIR: interleaved runs of two builds,
 * two result files (see ab.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collector/run/ab.h"
#include "lib/base/error.h"
#include "lib/git/gitio.h"
#include "lib/doc/machine.h"
#include "collector/store.h"
#include "lib/base/xalloc.h"

/* Run info shared by both sides; the commit is the one checked out in dir. */
static void fill_run(struct bk_result *r, const char *dir, const char *ts,
		     const struct bk_kvlist *labels, const char *side)
{
	struct gitio *g = NULL;
	r->run.started_at = xstrdup(ts);
	if (gitio_open(&g, dir) == 0) {
		gitio_head(g, &r->run.commit_sha, &r->run.commit_branch);
		gitio_close(g);
	}
	bk_error_clear();
	ci_collect(&r->run.ci);
	machine_collect(&r->run.machine);
	kvlist_copy(&r->run.labels, labels);
	kvlist_set(&r->run.labels, "ab", side);
	kvlist_set(&r->run.labels, "ab_build", dir);
}

int cmd_run_ab(const struct bk_config *cfg, const struct run_opts *o, const char *base_dir,
	       const char *head_dir, const char *out_dir, const struct bk_kvlist *labels)
{
	struct bk_result rb, rh;
	char *bdir = NULL, *hdir = NULL, *pb = NULL, *ph = NULL;
	int rc = 2;
	result_init(&rb);
	result_init(&rh);
	bdir = ab_build_dir(base_dir);
	hdir = bdir ? ab_build_dir(head_dir) : NULL;
	if (!hdir) {
		rc = bk_fail();
		goto out;
	}
	time_t started = time(NULL);
	char ts[32];
	store_format_time(ts, sizeof(ts), started);
	fill_run(&rb, bdir, ts, labels, "base");
	fill_run(&rh, hdir, ts, labels, "head");
	int failed = ab_run(cfg, o, bdir, hdir, &rb, &rh);
	if (failed < 0) {
		rc = bk_fail();
		goto out;
	}
	store_format_time(ts, sizeof(ts), time(NULL));
	rb.run.finished_at = xstrdup(ts);
	rh.run.finished_at = xstrdup(ts);
	store_make_id(&rb, started);
	store_make_id(&rh, started);
	kvlist_set(&rb.run.labels, "ab_peer", rh.run.id);
	kvlist_set(&rh.run.labels, "ab_peer", rb.run.id);
	pb = store_write(&rb, out_dir);
	ph = pb ? store_write(&rh, out_dir) : NULL;
	if (!ph) {
		if (pb)
			remove(pb); /* both files or neither */
		rc = bk_fail();
		goto out;
	}
	printf("%s\n%s\n", pb, ph);
	rc = failed && !o->keep_going ? 1 : 0;
out:
	free(bdir);
	free(hdir);
	free(pb);
	free(ph);
	result_release(&rb);
	result_release(&rh);
	return rc;
}
