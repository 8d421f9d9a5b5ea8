/* gitio_internal: what the gitio files share behind lib/git/gitio.h.
 *
 * gitio is one interface (gitio.h) with four files behind it, by sub-job:
 * gitio.c (the repository: open, refs, reading files and blobs),
 * gitio_commit.c (writing one commit), gitio_tip.c (appending to a branch in
 * batches), gitio_walk.c (reading history). This header is the one place
 * in the tree that includes <git2.h>; only those four files include it,
 * after lib/git/gitio.h. */
#ifndef BK_GITIO_INTERNAL_H
#define BK_GITIO_INTERNAL_H

#include <git2.h>

#include "lib/base/strbuf.h"

struct gitio {
	git_repository *repo;
};

/* Records libgit2's last error as "what: message" with bk_error; returns -1. */
int gerr(const char *what);

/* The 40-hex form of id as a heap string (caller frees). */
char *oid_str(const git_oid *id);

/* Peels revision rev to its commit (*out, caller frees with
 * git_commit_free). 0, GITIO_NOTFOUND, or -1 with bk_error. */
int peel_commit(struct gitio *g, const char *rev, git_commit **out);

/* Resolves the full ref name a commit goes to: refs/heads/BRANCH, or for
 * branch NULL the branch HEAD points at. 0, or -1 with bk_error. */
int target_ref(struct gitio *g, const char *branch, struct strbuf *ref);

/* Reads the commit at `ref` and its tree into *parent and *tree (both NULL
 * for an unborn branch; the caller frees them). 0, or -1 with bk_error. */
int read_branch_tip(struct gitio *g, const char *ref, git_commit **parent, git_tree **tree);

/* The author/committer of a new commit: $GIT_AUTHOR_NAME and _EMAIL, else
 * the repository's user, else benchkeep (caller frees with
 * git_signature_free). 0, or -1 with bk_error. */
int make_signature(git_repository *repo, git_signature **sig);

/* Writes the commit and moves `ref` from `parent` to it (see gitio_commit.c).
 * A libgit2 error code: GIT_EMODIFIED, GIT_ELOCKED or GIT_EEXISTS when
 * another writer moved the branch, GIT_EUSER when the sync failed (bk_error
 * set). */
int create_commit(git_oid *id, git_repository *repo, const char *ref,
		  const git_signature *sig, const char *message, const git_tree *tree,
		  const git_commit *parent);

/* Whether create_commit's code e means another writer moved the branch. */
static inline int branch_moved(int e)
{
	return e == GIT_EMODIFIED || e == GIT_ELOCKED || e == GIT_EEXISTS;
}

#endif
