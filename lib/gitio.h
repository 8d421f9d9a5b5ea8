/* gitio: the only module that talks to libgit2.
 *
 * Opens a repository, tells what HEAD is, and writes commits built directly
 * from objects (blob -> tree -> commit) onto any branch, checked out or not,
 * without touching the work tree. Every function returns 0 or -1 with
 * bk_error set; strings handed out are heap copies the caller frees. */
#ifndef BK_GITIO_H
#define BK_GITIO_H

#include <stddef.h>
#include <stdint.h>

struct gitio;

/* One file to write in a commit: `path` relative to the repository root. */
struct gitio_file {
	const char *path;
	const void *data;
	size_t len;
};

/* Initialises libgit2 (reference counted; pair with gitio_global_shutdown). */
void gitio_global_init(void);
void gitio_global_shutdown(void);

/* Opens the repository containing `path` (searching parent directories).
 * *out is freed with gitio_close. */
int gitio_open(struct gitio **out, const char *path);
/* Creates a new repository at `path` (bare when `bare`). */
int gitio_init(struct gitio **out, const char *path, int bare);
void gitio_close(struct gitio *g);

/* The work tree root with a trailing '/', or NULL for a bare repository.
 * Owned by g. */
const char *gitio_workdir(struct gitio *g);

/* HEAD's commit sha (40 hex; NULL when the branch is unborn) and branch short
 * name (NULL when detached). Both are heap strings the caller frees. */
int gitio_head(struct gitio *g, char **sha, char **branch);

/* Resolves a revision ("HEAD", "main", a sha, ...) to a full commit sha
 * (caller frees). Returns 0, GITIO_NOTFOUND (1) when it does not exist, or
 * -1 on error. */
#define GITIO_NOTFOUND 1
int gitio_resolve_commit(struct gitio *g, const char *rev, char **sha);

/* Creates one commit holding `n` files on top of `branch`'s tip (or a root
 * commit when the branch does not exist yet), updating refs/heads/BRANCH.
 * `branch` NULL means the branch HEAD points at; then, when the repository
 * has an index, only the entries of these files are updated in it, so the
 * user's other staged and unstaged changes are left as they were. Retries
 * when another writer moved the branch meanwhile. The new commit's sha is
 * stored in *out_sha when non-NULL (caller frees). */
int gitio_commit_files(struct gitio *g, const char *branch, const struct gitio_file *files,
		       size_t n, const char *message, char **out_sha);

/* Reads the blob at `path` in the tree of commit-ish `rev`. Returns 0 with a
 * heap copy in *data and *len (caller frees), GITIO_NOTFOUND, or -1. */
int gitio_read_file(struct gitio *g, const char *rev, const char *path, char **data, size_t *len);

/* Makes `path` (absolute or relative to the current directory) relative to
 * the work tree root. Returns a heap string or NULL with bk_error set when
 * the path lies outside the work tree. */
char *gitio_relpath(struct gitio *g, const char *path);

#endif
