#include "collector/store.h"
#include "lib/base/atomicfile.h"
#include "lib/base/error.h"
#include "lib/doc/json.h"
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

/* The bytes of r's result file (heap, NUL-terminated; *len without the NUL). */
static char *serialise(const struct bk_result *r, size_t *len)
{
	cJSON *j = result_to_json(r);
	char *data = json_print(j);
	cJSON_Delete(j);
	*len = strlen(data);
	return data;
}

/* Serialises r and creates its file under dir, drawing a new id on a
 * name clash; fills *f. 0, or -1 with bk_error set. */
static int write_new(struct bk_result *r, const char *dir, struct store_file *f)
{
	time_t started = time(NULL);
	for (int attempt = 0; attempt < 20; attempt++) {
		char *rel = store_relpath(r);
		struct strbuf path = STRBUF_INIT;
		strbuf_addf(&path, "%s/%s", dir, rel);
		free(rel);
		size_t len;
		char *data = serialise(r, &len);
		if (atomic_create_file(path.buf, data, len) == 0) {
			f->path = strbuf_detach(&path, NULL);
			f->data = data;
			f->len = len;
			return 0;
		}
		free(data);
		strbuf_release(&path);
		if (errno != EEXIST)
			return -1;
		store_make_id(r, started); /* clash: draw another suffix */
	}
	return bk_error("cannot find a free result file name under '%s'", dir);
}

/* Serialises r and writes it to path, replacing it; fills *f. 0, or -1
 * with bk_error set. */
static int write_to(const struct bk_result *r, const char *path, struct store_file *f)
{
	size_t len;
	char *data = serialise(r, &len);
	if (atomic_write_file(path, data, len) < 0) {
		free(data);
		return -1;
	}
	f->path = xstrdup(path);
	f->data = data;
	f->len = len;
	return 0;
}

int store_save(struct bk_result *r, const char *dir, const char *output, struct store_file *f)
{
	memset(f, 0, sizeof(*f));
	return output ? write_to(r, output, f) : write_new(r, dir, f);
}

void store_file_release(struct store_file *f)
{
	free(f->path);
	free(f->data);
	memset(f, 0, sizeof(*f));
}

char *store_write(struct bk_result *r, const char *dir)
{
	struct store_file f;
	if (store_save(r, dir, NULL, &f) < 0)
		return NULL;
	free(f.data);
	return f.path;
}

int store_commit(struct gitio *g, const char *branch, const struct bk_result *r,
		 const struct store_file *f, char **in_repo, char **sha)
{
	struct strbuf msg = STRBUF_INIT;
	*in_repo = NULL;
	*sha = NULL;
	if (branch) {
		char *rel = store_relpath(r);
		strbuf_addf(&msg, "results/%s", rel);
		free(rel);
		*in_repo = strbuf_detach(&msg, NULL);
	} else if (!(*in_repo = gitio_relpath(g, f->path))) {
		return -1;
	}
	strbuf_addf(&msg, "benchkeep: record %s\n\n%zu benchmark(s) measured at %s\n", r->run.id,
		    r->nbenchmarks, r->run.commit_sha ? r->run.commit_sha : "an unknown commit");
	struct gitio_file gf = { *in_repo, f->data, f->len };
	int rc = gitio_commit_files(g, branch, &gf, 1, msg.buf, sha);
	strbuf_release(&msg);
	if (rc < 0) {
		free(*in_repo);
		*in_repo = NULL;
	}
	return rc < 0 ? -1 : 0;
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
