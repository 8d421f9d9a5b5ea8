#include "gitio.h"
#include "error.h"
#include "strbuf.h"
#include "xalloc.h"

#include <git2.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct gitio {
	git_repository *repo;
};

static int gerr(const char *what)
{
	const git_error *e = git_error_last();
	return bk_error("%s: %s", what, e && e->message ? e->message : "unknown libgit2 error");
}

void gitio_global_init(void)
{
	git_libgit2_init();
	/* results repositories are often checked out by another uid in CI
	 * containers; benchkeep runs no hooks or config commands */
	git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
}

void gitio_global_shutdown(void)
{
	git_libgit2_shutdown();
}

int gitio_open(struct gitio **out, const char *path)
{
	git_repository *repo;
	*out = NULL;
	if (git_repository_open_ext(&repo, path, 0, NULL) < 0) {
		const git_error *e = git_error_last();
		return bk_error("not a git repository: '%s'%s%s", path, e ? ": " : "",
				e ? e->message : "");
	}
	*out = xcalloc(1, sizeof(**out));
	(*out)->repo = repo;
	return 0;
}

int gitio_init(struct gitio **out, const char *path, int bare)
{
	git_repository *repo;
	*out = NULL;
	if (git_repository_init(&repo, path, bare ? 1 : 0) < 0)
		return gerr("cannot create repository");
	*out = xcalloc(1, sizeof(**out));
	(*out)->repo = repo;
	return 0;
}

void gitio_close(struct gitio *g)
{
	if (!g)
		return;
	git_repository_free(g->repo);
	free(g);
}

const char *gitio_workdir(struct gitio *g)
{
	return git_repository_workdir(g->repo);
}

static char *oid_str(const git_oid *id)
{
	char buf[GIT_OID_HEXSZ + 1];
	git_oid_tostr(buf, sizeof(buf), id);
	return xstrdup(buf);
}

int gitio_head(struct gitio *g, char **sha, char **branch)
{
	git_reference *head = NULL;
	*sha = *branch = NULL;
	int r = git_repository_head(&head, g->repo);
	if (r == GIT_EUNBORNBRANCH || r == GIT_ENOTFOUND) {
		git_reference *sym = NULL;
		if (git_reference_lookup(&sym, g->repo, "HEAD") == 0) {
			const char *t = git_reference_symbolic_target(sym);
			if (t && !strncmp(t, "refs/heads/", 11))
				*branch = xstrdup(t + 11);
			git_reference_free(sym);
		}
		return 0;
	}
	if (r < 0)
		return gerr("cannot read HEAD");
	*sha = oid_str(git_reference_target(head));
	if (git_reference_is_branch(head))
		*branch = xstrdup(git_reference_shorthand(head));
	git_reference_free(head);
	return 0;
}

int gitio_resolve_commit(struct gitio *g, const char *rev, char **sha)
{
	git_object *obj = NULL;
	*sha = NULL;
	int r = git_revparse_single(&obj, g->repo, rev);
	if (r == GIT_ENOTFOUND || r == GIT_EAMBIGUOUS || r == GIT_EINVALIDSPEC)
		return GITIO_NOTFOUND;
	if (r < 0)
		return gerr("cannot resolve revision");
	git_object *c = NULL;
	r = git_object_peel(&c, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (r < 0)
		return GITIO_NOTFOUND;
	*sha = oid_str(git_object_id(c));
	git_object_free(c);
	return 0;
}

static int make_signature(git_repository *repo, git_signature **sig)
{
	const char *name = getenv("GIT_AUTHOR_NAME"), *email = getenv("GIT_AUTHOR_EMAIL");
	if (name && *name && email && *email)
		return git_signature_now(sig, name, email);
	if (git_signature_default(sig, repo) == 0)
		return 0;
	return git_signature_now(sig, "benchkeep", "benchkeep@localhost");
}

/* Resolves the full ref name the commit goes to. */
static int target_ref(struct gitio *g, const char *branch, struct strbuf *ref)
{
	if (branch) {
		strbuf_addf(ref, "refs/heads/%s", branch);
		if (!git_reference_is_valid_name(ref->buf))
			return bk_error("invalid branch name: '%s'", branch);
		return 0;
	}
	git_reference *sym = NULL;
	if (git_reference_lookup(&sym, g->repo, "HEAD") < 0)
		return gerr("cannot read HEAD");
	const char *t = git_reference_symbolic_target(sym);
	if (!t) {
		git_reference_free(sym);
		return bk_error("HEAD is detached: give a branch to commit to");
	}
	strbuf_addstr(ref, t);
	git_reference_free(sym);
	return 0;
}

static int update_index(struct gitio *g, const struct gitio_file *files, size_t n,
			const git_oid *blob_ids)
{
	git_index *idx = NULL;
	if (git_repository_is_bare(g->repo))
		return 0;
	if (git_repository_index(&idx, g->repo) < 0)
		return gerr("cannot open the index");
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		git_index_entry e;
		memset(&e, 0, sizeof(e));
		e.mode = GIT_FILEMODE_BLOB;
		e.path = files[i].path;
		e.id = blob_ids[i];
		e.file_size = (uint32_t)files[i].len;
		/* from the work-tree copy when it is there, so that the index
		 * carries its stat data and git status need not re-hash it */
		if (git_repository_workdir(g->repo))
			rc = git_index_add_bypath(idx, files[i].path);
		if (rc < 0 || !git_repository_workdir(g->repo))
			rc = git_index_add(idx, &e);
	}
	if (!rc)
		rc = git_index_write(idx);
	git_index_free(idx);
	return rc < 0 ? gerr("cannot update the index") : 0;
}

int gitio_commit_files(struct gitio *g, const char *branch, const struct gitio_file *files,
		       size_t n, const char *message, char **out_sha)
{
	struct strbuf ref = STRBUF_INIT;
	git_signature *sig = NULL;
	git_oid *blob_ids = xcalloc(n ? n : 1, sizeof(git_oid));
	git_tree_update *ups = xcalloc(n ? n : 1, sizeof(git_tree_update));
	int rc = -1;
	if (out_sha)
		*out_sha = NULL;
	if (target_ref(g, branch, &ref) < 0)
		goto out;
	if (make_signature(g->repo, &sig) < 0) {
		gerr("cannot make a commit signature");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (git_blob_create_from_buffer(&blob_ids[i], g->repo, files[i].data, files[i].len) < 0) {
			gerr("cannot write blob");
			goto out;
		}
		ups[i].action = GIT_TREE_UPDATE_UPSERT;
		ups[i].id = blob_ids[i];
		ups[i].filemode = GIT_FILEMODE_BLOB;
		ups[i].path = files[i].path;
	}
	for (int attempt = 0; attempt < 50; attempt++) {
		git_reference *r = NULL;
		git_commit *parent = NULL;
		git_tree *base = NULL, *tree = NULL;
		git_oid tree_id, commit_id;
		int e = git_reference_lookup(&r, g->repo, ref.buf);
		if (e == 0) {
			git_object *o = NULL;
			if (git_reference_peel(&o, r, GIT_OBJECT_COMMIT) < 0) {
				git_reference_free(r);
				gerr("cannot read branch tip");
				goto out;
			}
			parent = (git_commit *)o;
			git_reference_free(r);
			if (git_commit_tree(&base, parent) < 0) {
				git_commit_free(parent);
				gerr("cannot read branch tree");
				goto out;
			}
		} else if (e != GIT_ENOTFOUND) {
			gerr("cannot read branch");
			goto out;
		}
		if (git_tree_create_updated(&tree_id, g->repo, base, n, ups) < 0 ||
		    git_tree_lookup(&tree, g->repo, &tree_id) < 0) {
			gerr("cannot build tree");
			git_tree_free(base);
			git_commit_free(parent);
			goto out;
		}
		const git_commit *parents[1] = { parent };
		e = git_commit_create(&commit_id, g->repo, ref.buf, sig, sig, NULL, message, tree,
				      parent ? 1 : 0, parents);
		git_tree_free(tree);
		git_tree_free(base);
		git_commit_free(parent);
		if (e == GIT_EMODIFIED || e == GIT_ELOCKED || e == GIT_EEXISTS) {
			struct timespec ts = { 0, 2000000L * (attempt + 1) };
			nanosleep(&ts, NULL);
			continue; /* someone else moved the branch: rebuild on the new tip */
		}
		if (e < 0) {
			gerr("cannot create commit");
			goto out;
		}
		if (!branch && update_index(g, files, n, blob_ids) < 0)
			goto out;
		if (out_sha)
			*out_sha = oid_str(&commit_id);
		rc = 0;
		goto out;
	}
	bk_error("cannot commit to '%s': the branch kept moving", ref.buf);
out:
	git_signature_free(sig);
	free(blob_ids);
	free(ups);
	strbuf_release(&ref);
	return rc;
}

int gitio_read_file(struct gitio *g, const char *rev, const char *path, char **data, size_t *len)
{
	struct strbuf spec = STRBUF_INIT;
	git_object *obj = NULL;
	*data = NULL;
	*len = 0;
	strbuf_addf(&spec, "%s:%s", rev, path);
	int r = git_revparse_single(&obj, g->repo, spec.buf);
	strbuf_release(&spec);
	if (r == GIT_ENOTFOUND || r == GIT_EINVALIDSPEC)
		return GITIO_NOTFOUND;
	if (r < 0)
		return gerr("cannot read file from git");
	if (git_object_type(obj) != GIT_OBJECT_BLOB) {
		git_object_free(obj);
		return GITIO_NOTFOUND;
	}
	git_blob *b = (git_blob *)obj;
	*len = (size_t)git_blob_rawsize(b);
	*data = xstrndup(git_blob_rawcontent(b), *len);
	git_object_free(obj);
	return 0;
}

char *gitio_relpath(struct gitio *g, const char *path)
{
	const char *wd = git_repository_workdir(g->repo);
	if (!wd) {
		bk_error("repository has no work tree");
		return NULL;
	}
	char *real_wd = realpath(wd, NULL);
	/* the file may not exist yet: resolve its directory */
	char *copy = xstrdup(path);
	char *slash = strrchr(copy, '/');
	const char *base = path;
	char *dir_real;
	if (slash) {
		*slash = '\0';
		dir_real = realpath(*copy ? copy : "/", NULL);
		base = slash + 1;
	} else {
		dir_real = realpath(".", NULL);
	}
	char *res = NULL;
	if (real_wd && dir_real) {
		size_t n = strlen(real_wd);
		if (!strncmp(dir_real, real_wd, n) && (dir_real[n] == '/' || dir_real[n] == '\0')) {
			struct strbuf sb = STRBUF_INIT;
			const char *rest = dir_real + n;
			while (*rest == '/')
				rest++;
			if (*rest)
				strbuf_addf(&sb, "%s/", rest);
			strbuf_addstr(&sb, base);
			res = strbuf_detach(&sb, NULL);
		}
	}
	if (!res)
		bk_error("'%s' is outside the repository work tree '%s'", path, wd);
	free(real_wd);
	free(dir_real);
	free(copy);
	return res;
}
