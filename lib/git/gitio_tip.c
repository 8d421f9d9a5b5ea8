/* gitio_tip.c: appending to a branch in batches (the recorder) — a
 * snapshot of the branch's tip, which paths it holds, and one commit of
 * many new files written as a pack with trees rebuilt only along their
 * paths. Part of gitio (interface: gitio.h). */
#include "lib/git/gitio.h"
#include "lib/git/gitio_internal.h"
#include "lib/base/error.h"
#include "lib/git/packfile.h"
#include "lib/base/xalloc.h"

#include <stdlib.h>
#include <string.h>

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
	*out = NULL;
	t->g = g;
	if (target_ref(g, branch, &ref) < 0)
		goto fail;
	t->ref = strbuf_detach(&ref, NULL);
	ALLOC_GROW(t->dirs, 1, t->alloc);
	t->ndirs = 1;
	memset(&t->dirs[0], 0, sizeof(t->dirs[0]));
	t->dirs[0].path = xstrdup("");
	if (read_branch_tip(g, t->ref, &t->parent, &t->dirs[0].tree) < 0)
		goto fail;
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
	if (make_signature(t->g->repo, &sig) < 0)
		goto out;
	int e = create_commit(&commit_id, t->g->repo, t->ref, sig, message, tree, t->parent);
	if (branch_moved(e)) {
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
