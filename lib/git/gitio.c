#include "lib/git/gitio.h"
#include "lib/base/error.h"
#include "lib/git/packfile.h"
#include "lib/base/strbuf.h"
#include "lib/base/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

struct gitio {
	git_repository *repo;
};

/* gitio_set_fsync: one syncfs(2) before and one after the ref update
 * instead of libgit2's fsync of every object (measured 8-10x faster on a
 * batch of 100 files). Process-wide, set before any commit. */
static int sync_commits;

void gitio_set_fsync(int on)
{
	sync_commits = on;
}

/* Flushes the file system holding the repository's objects to disk. */
static int sync_repo(git_repository *repo)
{
	int fd = open(git_repository_path(repo), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return bk_error("cannot open '%s' to sync it: %s", git_repository_path(repo),
				strerror(errno));
	int rc = syncfs(fd);
	int e = errno;
	close(fd);
	return rc < 0 ? bk_error("cannot sync '%s': %s", git_repository_path(repo), strerror(e)) : 0;
}

/* The commit object, then the ref moved only if it still points at
 * `parent` — or, for a new branch, created only if nobody created it
 * meanwhile (GIT_EMODIFIED / GIT_EEXISTS: the caller rebuilds on the new
 * tip). git_commit_create(..., update_ref, ...) is not used: it creates a
 * missing branch with force, so two first commits racing lose one. With
 * sync_commits, a sync before and after the ref update. */
static int create_commit(git_oid *id, git_repository *repo, const char *ref,
			 const git_signature *sig, const char *message, const git_tree *tree,
			 const git_commit *parent)
{
	const git_commit *parents[1] = { parent };
	int e = git_commit_create(id, repo, NULL, sig, sig, NULL, message, tree, parent ? 1 : 0,
				  parents);
	if (e < 0)
		return e;
	if (sync_commits && sync_repo(repo) < 0)
		return GIT_EUSER;
	git_reference *r = NULL;
	struct strbuf log = STRBUF_INIT;
	const char *nl = strchr(message, '\n');
	strbuf_addf(&log, "commit: %.*s", nl ? (int)(nl - message) : (int)strlen(message), message);
	if (parent)
		e = git_reference_create_matching(&r, repo, ref, id, 1, git_commit_id(parent),
						  log.buf);
	else
		e = git_reference_create(&r, repo, ref, id, 0, log.buf);
	strbuf_release(&log);
	git_reference_free(r);
	if (e == 0 && sync_commits && sync_repo(repo) < 0)
		return GIT_EUSER;
	return e;
}

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

/* Adds the files' entries to the index. libgit2 locks the index only while
 * writing it, so two processes committing at once each read the index,
 * added their own entry and wrote it over the other's (the other file then
 * showed as a staged deletion). The read-add-write is therefore done under
 * an flock on <gitdir>/benchkeep-index.lock (between benchkeep processes),
 * re-reading the index from disk, and retried while another program (git)
 * holds index.lock. */
static int update_index(struct gitio *g, const struct gitio_file *files, size_t n,
			const git_oid *blob_ids)
{
	git_index *idx = NULL;
	if (git_repository_is_bare(g->repo))
		return 0;
	if (git_repository_index(&idx, g->repo) < 0)
		return gerr("cannot open the index");
	struct strbuf lock = STRBUF_INIT;
	strbuf_addf(&lock, "%sbenchkeep-index.lock", git_repository_path(g->repo));
	int lfd = open(lock.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	strbuf_release(&lock);
	if (lfd >= 0)
		while (flock(lfd, LOCK_EX) < 0 && errno == EINTR)
			;
	int rc = 0;
	for (int attempt = 0; attempt < 100; attempt++) {
		rc = git_index_read(idx, 1);
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
		if (rc != GIT_ELOCKED)
			break;
		struct timespec ts = { 0, 5000000L };
		nanosleep(&ts, NULL);
	}
	if (lfd >= 0)
		close(lfd); /* releases the flock */
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
		e = create_commit(&commit_id, g->repo, ref.buf, sig, message, tree, parent);
		git_tree_free(tree);
		git_tree_free(base);
		git_commit_free(parent);
		if (e == GIT_EMODIFIED || e == GIT_ELOCKED || e == GIT_EEXISTS) {
			struct timespec ts = { 0, 2000000L * (attempt + 1) };
			nanosleep(&ts, NULL);
			continue; /* someone else moved the branch: rebuild on the new tip */
		}
		if (e == GIT_EUSER)
			goto out; /* sync_repo set the error */
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

/* ------------------------------------------------------------------ */
/* appending to a branch in batches                                    */

struct tip_dir {
	char *path;     /* "" for the root, else "a/b" */
	git_tree *tree; /* the tip's tree there; NULL when absent (or not a tree) */
	size_t parent;  /* index of the parent directory (the root: itself) */
	int depth;      /* 0 for the root */
	int touched;    /* gitio_tip_commit: gets a new tree */
	git_oid id;     /* gitio_tip_commit: the new tree's id */
};

struct gitio_tip {
	struct gitio *g;
	char *ref;          /* refs/heads/BRANCH */
	git_commit *parent; /* NULL: unborn branch */
	struct tip_dir *dirs; /* dirs[0] is the root */
	size_t ndirs, alloc;
};

int gitio_tip_read(struct gitio *g, const char *branch, struct gitio_tip **out)
{
	struct gitio_tip *t = xcalloc(1, sizeof(*t));
	struct strbuf ref = STRBUF_INIT;
	git_reference *r = NULL;
	*out = NULL;
	t->g = g;
	if (target_ref(g, branch, &ref) < 0)
		goto fail;
	t->ref = strbuf_detach(&ref, NULL);
	ALLOC_GROW(t->dirs, 1, t->alloc);
	t->ndirs = 1;
	memset(&t->dirs[0], 0, sizeof(t->dirs[0]));
	t->dirs[0].path = xstrdup("");
	int e = git_reference_lookup(&r, g->repo, t->ref);
	if (e == 0) {
		git_object *o = NULL;
		e = git_reference_peel(&o, r, GIT_OBJECT_COMMIT);
		git_reference_free(r);
		if (e < 0) {
			gerr("cannot read branch tip");
			goto fail;
		}
		t->parent = (git_commit *)o;
		if (git_commit_tree(&t->dirs[0].tree, t->parent) < 0) {
			gerr("cannot read branch tree");
			goto fail;
		}
	} else if (e != GIT_ENOTFOUND) {
		gerr("cannot read branch");
		goto fail;
	}
	*out = t;
	return 0;
fail:
	strbuf_release(&ref);
	gitio_tip_free(t);
	return -1;
}

void gitio_tip_free(struct gitio_tip *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->ndirs; i++) {
		free(t->dirs[i].path);
		git_tree_free(t->dirs[i].tree);
	}
	free(t->dirs);
	git_commit_free(t->parent);
	free(t->ref);
	free(t);
}

/* The index in t->dirs of directory path[0..len), read from the tip's tree
 * on first use (with its parents). 0 or -1 with bk_error. */
static int tip_dir(struct gitio_tip *t, const char *path, size_t len, size_t *out)
{
	for (size_t i = 0; i < t->ndirs; i++)
		if (strlen(t->dirs[i].path) == len && !memcmp(t->dirs[i].path, path, len)) {
			*out = i;
			return 0;
		}
	/* len > 0 here: the root is dirs[0] */
	size_t slash = len, parent;
	while (slash > 0 && path[slash - 1] != '/')
		slash--;
	if (tip_dir(t, path, slash ? slash - 1 : 0, &parent) < 0)
		return -1;
	git_tree *tree = NULL;
	git_tree *ptree = t->dirs[parent].tree;
	if (ptree) {
		char *name = xstrndup(path + slash, len - slash);
		const git_tree_entry *e = git_tree_entry_byname(ptree, name);
		free(name);
		if (e && git_tree_entry_type(e) == GIT_OBJECT_TREE &&
		    git_tree_lookup(&tree, t->g->repo, git_tree_entry_id(e)) < 0)
			return gerr("cannot read tree");
	}
	ALLOC_GROW(t->dirs, t->ndirs + 1, t->alloc);
	struct tip_dir *d = &t->dirs[t->ndirs];
	memset(d, 0, sizeof(*d));
	d->path = xstrndup(path, len);
	d->tree = tree;
	d->parent = parent;
	d->depth = t->dirs[parent].depth + 1;
	*out = t->ndirs++;
	return 0;
}

/* Splits path into its directory (index in t->dirs) and its last name. */
static int tip_split(struct gitio_tip *t, const char *path, size_t *dir, const char **name)
{
	const char *slash = strrchr(path, '/');
	*name = slash ? slash + 1 : path;
	return tip_dir(t, path, slash ? (size_t)(slash - path) : 0, dir);
}

int gitio_tip_has(struct gitio_tip *t, const char *path)
{
	size_t d;
	const char *name;
	if (tip_split(t, path, &d, &name) < 0)
		return -1;
	return t->dirs[d].tree && git_tree_entry_byname(t->dirs[d].tree, name) ? 1 : 0;
}

/* Writes the blobs: one pack file (checked and indexed by libgit2) when
 * there are many, else loose objects. ids[i] gets the id of files[i]. */
static int write_blobs(struct gitio *g, const struct gitio_file *files, size_t n, git_oid *ids)
{
	git_odb *odb = NULL;
	if (git_repository_odb(&odb, g->repo) < 0)
		return gerr("cannot open the object database");
	int rc = 0;
	if (n < GITIO_PACK_MIN) {
		for (size_t i = 0; i < n && !rc; i++)
			if (git_odb_write(&ids[i], odb, files[i].data, files[i].len, GIT_OBJECT_BLOB) < 0)
				rc = gerr("cannot write blob");
		git_odb_free(odb);
		return rc;
	}
	struct packfile pack;
	packfile_init(&pack, 1); /* as git's loose objects: speed over size */
	for (size_t i = 0; i < n && !rc; i++) {
		if (git_odb_hash(&ids[i], files[i].data, files[i].len, GIT_OBJECT_BLOB) < 0)
			rc = gerr("cannot hash blob");
		else
			rc = packfile_add(&pack, PACKFILE_BLOB, files[i].data, files[i].len);
	}
	if (!rc) {
		size_t len;
		const char *bytes = packfile_finish(&pack, &len);
		git_odb_writepack *wp = NULL;
		git_indexer_progress st;
		memset(&st, 0, sizeof(st));
		if (git_odb_write_pack(&wp, odb, NULL, NULL) < 0 ||
		    wp->append(wp, bytes, len, &st) < 0 || wp->commit(wp, &st) < 0)
			rc = gerr("cannot write pack of blobs");
		if (wp)
			wp->free(wp);
	}
	packfile_release(&pack);
	git_odb_free(odb);
	return rc;
}

static int by_depth_desc(const void *a, const void *b)
{
	const struct tip_dir *x = *(const struct tip_dir *const *)a;
	const struct tip_dir *y = *(const struct tip_dir *const *)b;
	return (y->depth > x->depth) - (y->depth < x->depth);
}

/* Builds the new root tree: every directory on the files' paths gets one
 * treebuilder, seeded with the tip's tree there, taking its files and its
 * rebuilt subdirectories; the deepest first. */
static int build_tree(struct gitio_tip *t, const struct gitio_file *files, size_t n,
		      const git_oid *ids, git_oid *root)
{
	size_t *fdir = xcalloc(n ? n : 1, sizeof(*fdir));
	const char **fname = xcalloc(n ? n : 1, sizeof(*fname));
	struct tip_dir **order = NULL;
	git_treebuilder *b = NULL;
	int rc = -1;
	for (size_t i = 0; i < t->ndirs; i++)
		t->dirs[i].touched = 0;
	t->dirs[0].touched = 1;
	for (size_t i = 0; i < n; i++) {
		if (tip_split(t, files[i].path, &fdir[i], &fname[i]) < 0)
			goto out;
		for (size_t d = fdir[i]; !t->dirs[d].touched; d = t->dirs[d].parent)
			t->dirs[d].touched = 1;
	}
	order = xcalloc(t->ndirs, sizeof(*order));
	size_t norder = 0;
	for (size_t i = 0; i < t->ndirs; i++)
		if (t->dirs[i].touched)
			order[norder++] = &t->dirs[i];
	qsort(order, norder, sizeof(*order), by_depth_desc);
	for (size_t k = 0; k < norder; k++) {
		struct tip_dir *d = order[k];
		size_t di = (size_t)(d - t->dirs);
		if (git_treebuilder_new(&b, t->g->repo, d->tree) < 0) {
			gerr("cannot build tree");
			goto out;
		}
		for (size_t i = 0; i < n; i++)
			if (fdir[i] == di &&
			    git_treebuilder_insert(NULL, b, fname[i], &ids[i], GIT_FILEMODE_BLOB) < 0) {
				bk_error("cannot add '%s' to a tree: %s", files[i].path,
					 git_error_last() ? git_error_last()->message : "unknown error");
				goto out;
			}
		for (size_t j = 1; j < t->ndirs; j++) {
			struct tip_dir *c = &t->dirs[j];
			if (!c->touched || c->parent != di)
				continue;
			const char *cname = strrchr(c->path, '/');
			cname = cname ? cname + 1 : c->path;
			if (git_treebuilder_insert(NULL, b, cname, &c->id, GIT_FILEMODE_TREE) < 0) {
				bk_error("cannot add directory '%s' to a tree: %s", c->path,
					 git_error_last() ? git_error_last()->message : "unknown error");
				goto out;
			}
		}
		if (git_treebuilder_write(&d->id, b) < 0) {
			gerr("cannot write tree");
			goto out;
		}
		git_treebuilder_free(b);
		b = NULL;
	}
	*root = t->dirs[0].id;
	rc = 0;
out:
	git_treebuilder_free(b);
	free(order);
	free(fname);
	free(fdir);
	return rc;
}

int gitio_tip_commit(struct gitio_tip *t, const struct gitio_file *files, size_t n,
		     const char *message, char **out_sha)
{
	git_oid *ids = xcalloc(n ? n : 1, sizeof(*ids));
	git_signature *sig = NULL;
	git_tree *tree = NULL;
	git_oid root, commit_id;
	int rc = -1;
	if (out_sha)
		*out_sha = NULL;
	if (write_blobs(t->g, files, n, ids) < 0 || build_tree(t, files, n, ids, &root) < 0)
		goto out;
	if (git_tree_lookup(&tree, t->g->repo, &root) < 0) {
		gerr("cannot read the new tree");
		goto out;
	}
	if (make_signature(t->g->repo, &sig) < 0) {
		gerr("cannot make a commit signature");
		goto out;
	}
	int e = create_commit(&commit_id, t->g->repo, t->ref, sig, message, tree, t->parent);
	if (e == GIT_EMODIFIED || e == GIT_ELOCKED || e == GIT_EEXISTS) {
		rc = GITIO_MOVED;
		goto out;
	}
	if (e == GIT_EUSER)
		goto out; /* sync_repo set the error */
	if (e < 0) {
		gerr("cannot create commit");
		goto out;
	}
	if (out_sha)
		*out_sha = oid_str(&commit_id);
	rc = 0;
out:
	git_signature_free(sig);
	git_tree_free(tree);
	free(ids);
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

/* ------------------------------------------------------------------ */
/* history reading                                                     */

void gitio_commit_release(struct gitio_commit *c)
{
	free(c->summary);
	free(c->author);
	free(c->parent);
	c->summary = c->author = c->parent = NULL;
}

static void fill_commit(struct gitio_commit *out, const git_commit *c)
{
	memset(out, 0, sizeof(*out));
	git_oid_tostr(out->sha, sizeof(out->sha), git_commit_id(c));
	out->time = (long long)git_commit_time(c);
	const char *s = git_commit_summary((git_commit *)c);
	out->summary = xstrdup(s ? s : "");
	const git_signature *a = git_commit_author(c);
	out->author = xstrdup(a && a->name ? a->name : "");
	if (git_commit_parentcount(c) > 0)
		out->parent = oid_str(git_commit_parent_id(c, 0));
}

static int peel_commit(struct gitio *g, const char *rev, git_commit **out)
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

int gitio_walk_first_parent(struct gitio *g, const char *rev, gitio_commit_fn fn, void *payload)
{
	git_commit *c = NULL;
	int r = peel_commit(g, rev, &c);
	if (r)
		return r;
	/* the chain of first parents, followed by hand: a revwalk would load
	 * the whole graph before the first commit (its topological sort), so
	 * a caller that stops early would still pay for all of history */
	int rc = 0;
	while (c && !rc) {
		struct gitio_commit gc;
		fill_commit(&gc, c);
		rc = fn(&gc, payload);
		gitio_commit_release(&gc);
		git_commit *parent = NULL;
		if (!rc && git_commit_parentcount(c) > 0 && git_commit_parent(&parent, c, 0) < 0)
			rc = gerr("cannot read commit");
		git_commit_free(c);
		c = parent;
	}
	git_commit_free(c);
	return rc;
}

/* Looks up the subtree at dir in tree (NULL dir or "" = tree itself). */
static int subtree(struct gitio *g, git_tree *tree, const char *dir, git_tree **out)
{
	*out = NULL;
	if (!dir || !*dir)
		return git_tree_dup(out, tree) < 0 ? -1 : 0;
	git_tree_entry *e = NULL;
	int r = git_tree_entry_bypath(&e, tree, dir);
	if (r == GIT_ENOTFOUND)
		return 0;
	if (r < 0)
		return -1;
	if (git_tree_entry_type(e) == GIT_OBJECT_TREE)
		r = git_tree_lookup(out, g->repo, git_tree_entry_id(e));
	git_tree_entry_free(e);
	return r < 0 ? -1 : 0;
}

static int list_rec(struct gitio *g, git_tree *t, struct strbuf *prefix, gitio_blob_fn fn,
		    void *payload)
{
	size_t n = git_tree_entrycount(t);
	for (size_t i = 0; i < n; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);
		size_t keep = prefix->len;
		strbuf_addf(prefix, "%s%s", prefix->len ? "/" : "", git_tree_entry_name(e));
		int rc = 0;
		if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
			git_tree *sub = NULL;
			if (git_tree_lookup(&sub, g->repo, git_tree_entry_id(e)) < 0)
				rc = gerr("cannot read tree");
			else
				rc = list_rec(g, sub, prefix, fn, payload);
			git_tree_free(sub);
		} else if (git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
			char id[GIT_OID_HEXSZ + 1];
			git_oid_tostr(id, sizeof(id), git_tree_entry_id(e));
			rc = fn(prefix->buf, id, payload);
		}
		strbuf_setlen(prefix, keep);
		if (rc)
			return rc;
	}
	return 0;
}

int gitio_list_tree(struct gitio *g, const char *rev, const char *dir, gitio_blob_fn fn,
		    void *payload)
{
	git_commit *c = NULL;
	int r = peel_commit(g, rev, &c);
	if (r)
		return r;
	git_tree *root = NULL, *t = NULL;
	int rc = 0;
	if (git_commit_tree(&root, c) < 0 || subtree(g, root, dir, &t) < 0) {
		rc = gerr("cannot read tree");
	} else if (t) {
		struct strbuf prefix = STRBUF_INIT;
		strbuf_addstr(&prefix, dir ? dir : "");
		while (prefix.len && prefix.buf[prefix.len - 1] == '/')
			strbuf_setlen(&prefix, prefix.len - 1);
		rc = list_rec(g, t, &prefix, fn, payload);
		strbuf_release(&prefix);
	}
	git_tree_free(t);
	git_tree_free(root);
	git_commit_free(c);
	return rc;
}

/* Reports blobs of `now` not present with the same id in `old` (NULL:
 * everything), recursing only into subtrees whose ids differ. */
static int diff_rec(struct gitio *g, git_tree *old, git_tree *now, struct strbuf *prefix,
		    const struct gitio_commit *gc, gitio_added_fn fn, void *payload)
{
	size_t n = git_tree_entrycount(now);
	for (size_t i = 0; i < n; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(now, i);
		const git_tree_entry *o = old ? git_tree_entry_byname(old, git_tree_entry_name(e)) : NULL;
		if (o && !git_oid_cmp(git_tree_entry_id(o), git_tree_entry_id(e)))
			continue;
		size_t keep = prefix->len;
		strbuf_addf(prefix, "%s%s", prefix->len ? "/" : "", git_tree_entry_name(e));
		int rc = 0;
		if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
			git_tree *sub = NULL, *osub = NULL;
			if (git_tree_lookup(&sub, g->repo, git_tree_entry_id(e)) < 0) {
				rc = gerr("cannot read tree");
			} else {
				if (o && git_tree_entry_type(o) == GIT_OBJECT_TREE)
					git_tree_lookup(&osub, g->repo, git_tree_entry_id(o));
				rc = diff_rec(g, osub, sub, prefix, gc, fn, payload);
			}
			git_tree_free(sub);
			git_tree_free(osub);
		} else if (git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
			char id[GIT_OID_HEXSZ + 1];
			git_oid_tostr(id, sizeof(id), git_tree_entry_id(e));
			rc = fn(prefix->buf, id, gc, payload);
		}
		strbuf_setlen(prefix, keep);
		if (rc)
			return rc;
	}
	return 0;
}

int gitio_walk_added(struct gitio *g, const char *rev, const char *dir, const char *stop_sha,
		     gitio_added_fn fn, void *payload)
{
	git_commit *tip = NULL;
	int r = peel_commit(g, rev, &tip);
	if (r)
		return r;
	git_revwalk *w = NULL;
	if (git_revwalk_new(&w, g->repo) < 0) {
		git_commit_free(tip);
		return gerr("cannot walk history");
	}
	git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	git_revwalk_push(w, git_commit_id(tip));
	git_commit_free(tip);
	if (stop_sha) {
		git_oid stop;
		if (git_oid_fromstr(&stop, stop_sha) == 0)
			git_revwalk_hide(w, &stop); /* an unknown sha is ignored */
		git_error_clear();
	}
	struct strbuf prefix = STRBUF_INIT;
	git_oid id;
	int rc = 0;
	while (!rc && (r = git_revwalk_next(&id, w)) == 0) {
		git_commit *c = NULL, *p = NULL;
		git_tree *root = NULL, *proot = NULL, *t = NULL, *pt = NULL;
		if (git_commit_lookup(&c, g->repo, &id) < 0 || git_commit_tree(&root, c) < 0 ||
		    subtree(g, root, dir, &t) < 0) {
			rc = gerr("cannot read commit");
		} else if (t) {
			if (git_commit_parentcount(c) > 0 && git_commit_parent(&p, c, 0) == 0 &&
			    git_commit_tree(&proot, p) == 0)
				subtree(g, proot, dir, &pt);
			if (!pt || git_oid_cmp(git_tree_id(pt), git_tree_id(t))) {
				struct gitio_commit gc;
				fill_commit(&gc, c);
				strbuf_reset(&prefix);
				strbuf_addstr(&prefix, dir ? dir : "");
				while (prefix.len && prefix.buf[prefix.len - 1] == '/')
					strbuf_setlen(&prefix, prefix.len - 1);
				rc = diff_rec(g, pt, t, &prefix, &gc, fn, payload);
				gitio_commit_release(&gc);
			}
		}
		git_tree_free(pt);
		git_tree_free(proot);
		git_commit_free(p);
		git_tree_free(t);
		git_tree_free(root);
		git_commit_free(c);
	}
	if (!rc && r != GIT_ITEROVER && r != 0)
		rc = gerr("cannot walk history");
	strbuf_release(&prefix);
	git_revwalk_free(w);
	return rc;
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
