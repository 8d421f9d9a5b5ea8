#include "collector/store.h"
#include "lib/base/error.h"
#include "lib/git/gitio.h"
#include "lib/doc/machine.h"
#include "lib/base/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

void store_format_time(char *buf, size_t n, time_t t)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void store_make_id(struct bk_result *r, time_t started)
{
	struct tm tm;
	char ts[32];
	unsigned short rnd = 0;
	gmtime_r(&started, &tm);
	strftime(ts, sizeof(ts), "%Y%m%dT%H%M%SZ", &tm);
	if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd))
		rnd = (unsigned short)(rand() ^ (int)clock());
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s-", ts);
	const char *sha = r->run.commit_sha;
	if (sha && strlen(sha) >= 7)
		machine_slug(&sb, sha, 7);
	else
		strbuf_addstr(&sb, "nosha");
	strbuf_addch(&sb, '-');
	machine_slug(&sb, r->run.machine.name ? r->run.machine.name : "unknown", 40);
	strbuf_addf(&sb, "-%04x", rnd);
	free(r->run.id);
	r->run.id = strbuf_detach(&sb, NULL);
}

char *store_relpath(const struct bk_result *r)
{
	struct strbuf sb = STRBUF_INIT;
	const char *id = r->run.id ? r->run.id : "unknown";
	/* ids written here start with YYYYMM; others go under "imported/" */
	int dated = strlen(id) >= 6;
	for (int i = 0; i < 6 && dated; i++)
		dated = id[i] >= '0' && id[i] <= '9';
	if (dated)
		strbuf_addf(&sb, "%.4s/%.2s/", id, id + 4);
	else
		strbuf_addstr(&sb, "imported/");
	struct strbuf name = STRBUF_INIT;
	machine_slug(&name, id, 200);
	strbuf_addf(&sb, "%s.json", name.buf);
	strbuf_release(&name);
	return strbuf_detach(&sb, NULL);
}

char *store_write(struct bk_result *r, const char *dir)
{
	time_t started = time(NULL);
	for (int attempt = 0; attempt < 20; attempt++) {
		char *rel = store_relpath(r);
		struct strbuf path = STRBUF_INIT;
		strbuf_addf(&path, "%s/%s", dir, rel);
		free(rel);
		if (result_write_new(r, path.buf) == 0)
			return strbuf_detach(&path, NULL);
		strbuf_release(&path);
		if (errno != EEXIST)
			return NULL;
		store_make_id(r, started); /* clash: draw another suffix */
	}
	bk_error("cannot find a free result file name under '%s'", dir);
	return NULL;
}

void store_fill_commit(struct bk_result *r, struct gitio *g)
{
	char *sha = NULL, *branch = NULL;
	struct gitio *own = NULL;
	if (!g && gitio_open(&own, ".") == 0)
		g = own;
	if (g)
		gitio_head(g, &sha, &branch);
	gitio_close(own);
	bk_error_clear();
	const char *gsha = getenv("GITHUB_SHA");
	if (gsha && *gsha) {
		free(sha);
		sha = xstrdup(gsha);
	}
	const char *head_ref = getenv("GITHUB_HEAD_REF"); /* PR source branch */
	const char *ref_name = getenv("GITHUB_REF_NAME");
	if (head_ref && *head_ref) {
		free(branch);
		branch = xstrdup(head_ref);
	} else if (!branch && ref_name && *ref_name) {
		branch = xstrdup(ref_name);
	}
	r->run.commit_sha = sha;
	r->run.commit_branch = branch;
}
