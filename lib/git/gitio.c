/* gitio.c: the repository — libgit2's set-up, opening and creating a
 * repository, HEAD and refs, reading a file or blob, paths in the work tree.
 * Writing commits is in gitio_commit.c, batches in gitio_tip.c, history in
 * gitio_walk.c; what they share is in gitio_internal.h (the only include
 * of <git2.h>). */
#include "lib/git/gitio.h"
#include "lib/git/gitio_internal.h"
#include "lib/base/error.h"
#include "lib/base/xalloc.h"

#include <stdlib.h>
#include <string.h>

int gerr(const char *what)
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
	/* re-hashing every object read (SHA-1 with collision detection) costs as
	 * much as inflating it; git itself does not verify on read either.
	 * Written objects are still hashed, and a corrupt result fails to parse. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
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
char *oid_str(const git_oid *id)
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

/* see gitio_internal.h */
int peel_commit(struct gitio *g, const char *rev, git_commit **out)
{
	git_object *obj = NULL, *c = NULL;
	int r = git_revparse_single(&obj, g->repo, rev);
	if (r == GIT_ENOTFOUND || r == GIT_EINVALIDSPEC || r == GIT_EAMBIGUOUS)
		return GITIO_NOTFOUND;
	if (r < 0)
		return gerr("cannot resolve revision");
	r = git_object_peel(&c, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (r < 0)
		return GITIO_NOTFOUND;
	*out = (git_commit *)c;
	return 0;
}

int gitio_resolve_commit(struct gitio *g, const char *rev, char **sha)
{
	git_commit *c = NULL;
	*sha = NULL;
	int r = peel_commit(g, rev, &c);
	if (r)
		return r;
	*sha = oid_str(git_commit_id(c));
	git_commit_free(c);
	return 0;
}

/* see gitio_internal.h */
int target_ref(struct gitio *g, const char *branch, struct strbuf *ref)
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

/* see gitio_internal.h */
int read_branch_tip(struct gitio *g, const char *ref, git_commit **parent, git_tree **tree)
{
	git_reference *r = NULL;
	git_object *o = NULL;
	*parent = NULL;
	*tree = NULL;
	int e = git_reference_lookup(&r, g->repo, ref);
	if (e == GIT_ENOTFOUND)
		return 0;
	if (e < 0)
		return gerr("cannot read branch");
	e = git_reference_peel(&o, r, GIT_OBJECT_COMMIT);
	git_reference_free(r);
	if (e < 0)
		return gerr("cannot read branch tip");
	if (git_commit_tree(tree, (git_commit *)o) < 0) {
		git_object_free(o);
		return gerr("cannot read branch tree");
	}
	*parent = (git_commit *)o;
	return 0;
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


int gitio_read_blob(struct gitio *g, const char *blob, char **data, size_t *len)
{
	git_oid id;
	git_blob *b = NULL;
	*data = NULL;
	*len = 0;
	if (git_oid_fromstr(&id, blob) < 0 || git_blob_lookup(&b, g->repo, &id) < 0)
		return gerr("cannot read blob");
	*len = (size_t)git_blob_rawsize(b);
	*data = xstrndup(git_blob_rawcontent(b), *len);
	git_blob_free(b);
	return 0;
}

char *gitio_default_branch(struct gitio *g)
{
	git_reference *r = NULL;
	if (git_reference_lookup(&r, g->repo, "refs/remotes/origin/HEAD") == 0) {
		const char *t = git_reference_symbolic_target(r);
		char *res = NULL;
		if (t && !strncmp(t, "refs/remotes/origin/", 20))
			res = xstrdup(t + 20);
		git_reference_free(r);
		if (res) {
			git_reference *local = NULL;
			struct strbuf sb = STRBUF_INIT;
			strbuf_addf(&sb, "refs/heads/%s", res);
			if (git_reference_lookup(&local, g->repo, sb.buf) == 0) {
				git_reference_free(local);
				strbuf_release(&sb);
				return res;
			}
			strbuf_reset(&sb);
			strbuf_addf(&sb, "origin/%s", res);
			free(res);
			return strbuf_detach(&sb, NULL);
		}
	}
	const char *names[] = { "refs/heads/main", "refs/heads/master" };
	for (size_t i = 0; i < 2; i++) {
		if (git_reference_lookup(&r, g->repo, names[i]) == 0) {
			git_reference_free(r);
			return xstrdup(names[i] + 11);
		}
	}
	char *sha = NULL, *branch = NULL;
	gitio_head(g, &sha, &branch);
	free(sha);
	git_error_clear();
	return branch;
}

const char *gitio_gitdir(struct gitio *g)
{
	return git_repository_path(g->repo);
}
