/* gitio_walk.c: reading history for the site generator — the first-parent
 * chain, the blobs of a tree, and the blobs each commit added. Part of
 * gitio (interface: gitio.h). */
#include "lib/git/gitio.h"
#include "lib/git/gitio_internal.h"
#include "lib/base/error.h"
#include "lib/base/xalloc.h"

#include <stdlib.h>
#include <string.h>

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
