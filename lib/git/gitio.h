/* gitio: the only module that talks to libgit2.
 *
 * Opens a repository, tells what HEAD is, and writes commits built directly
 * from objects (blob -> tree -> commit) onto any branch, checked out or not,
 * without touching the work tree. Every function returns 0 or -1 with
 * bk_error set; strings handed out are heap copies the caller frees.
 * One interface over four files by sub-job (gitio.c, gitio_commit.c,
 * gitio_tip.c, gitio_walk.c); <git2.h> comes in only through
 * lib/git/gitio_internal.h, which only those files include. */
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

/* --- appending to a branch in batches (the recorder) ------------------ */

/* A snapshot of one branch's tip: which paths it holds, and a commit made
 * on top of exactly that tip. For many new files per commit: each directory
 * touched is read once per tip (a binary search per name afterwards) and
 * rebuilt once (one tree per directory level), and the blobs of a commit
 * with at least GITIO_PACK_MIN files go into one pack file instead of one
 * loose file each. */
struct gitio_tip;

#define GITIO_MOVED 2    /* gitio_tip_commit: the branch moved since gitio_tip_read */
#define GITIO_PACK_MIN 16 /* files per commit from which the blobs are packed */

/* Reads the tip of `branch` (refs/heads/BRANCH; an unborn branch gives an
 * empty tip). Not for the branch checked out in a work tree: its index is
 * not updated. *out is freed with gitio_tip_free. 0 or -1 with bk_error. */
int gitio_tip_read(struct gitio *g, const char *branch, struct gitio_tip **out);

/* Whether `path` (relative to the root, '/'-separated) is an entry of the
 * tip's tree: 1 yes, 0 no, -1 with bk_error when a tree cannot be read. */
int gitio_tip_has(struct gitio_tip *t, const char *path);

/* Commits the n files on top of the tip (a file at an existing path
 * replaces it): blobs, one new tree per directory on the files' paths, the
 * commit, then refs/heads/BRANCH moved only if it still points at the tip
 * (created only if still absent); with gitio_set_fsync, synced before and
 * after the ref update as gitio_commit_files. Returns 0 (the commit's sha
 * in *out_sha when non-NULL; caller frees), GITIO_MOVED when another writer
 * moved the branch since gitio_tip_read (nothing then refers to the objects
 * written: read a new tip, check again, retry), or -1 with bk_error. */
int gitio_tip_commit(struct gitio_tip *t, const struct gitio_file *files, size_t n,
		     const char *message, char **out_sha);

/* Frees t (NULL is fine). */
void gitio_tip_free(struct gitio_tip *t);

/* Reads the blob at `path` in the tree of commit-ish `rev`. Returns 0 with a
 * heap copy in *data and *len (caller frees), GITIO_NOTFOUND, or -1. */
int gitio_read_file(struct gitio *g, const char *rev, const char *path, char **data, size_t *len);

/* Makes `path` (absolute or relative to the current directory) relative to
 * the work tree root. Returns a heap string or NULL with bk_error set when
 * the path lies outside the work tree. */
char *gitio_relpath(struct gitio *g, const char *path);



/* --- history reading (site generator) --------------------------------- */

/* A commit as the site shows it. Strings are owned by the struct. */
struct gitio_commit {
	char sha[41];
	long long time;      /* committer time, seconds since the epoch */
	char *summary;       /* first line of the message */
	char *author;        /* author name */
	char *parent;        /* first parent sha, NULL for a root commit */
};
void gitio_commit_release(struct gitio_commit *c);

/* Called once per commit; return non-zero to stop the walk (that value is
 * returned by the walker). */
typedef int (*gitio_commit_fn)(const struct gitio_commit *c, void *payload);

/* Walks the first-parent history of `rev`, newest first, calling fn for
 * each commit. GITIO_NOTFOUND when rev does not exist. */
int gitio_walk_first_parent(struct gitio *g, const char *rev, gitio_commit_fn fn, void *payload);

/* Called for each blob found. `path` is relative to the repository root,
 * `blob` the 40-hex id. */
typedef int (*gitio_blob_fn)(const char *path, const char *blob, void *payload);

/* Lists every blob under directory `dir` (recursively) in the tree of
 * commit-ish `rev`. A missing dir lists nothing. */
int gitio_list_tree(struct gitio *g, const char *rev, const char *dir, gitio_blob_fn fn,
		    void *payload);

/* Called for each blob a commit added under dir (or changed to a new id). */
typedef int (*gitio_added_fn)(const char *path, const char *blob, const struct gitio_commit *c,
			      void *payload);

/* Walks all of `rev`'s history (every parent, newest first) and reports,
 * per commit, the blobs under `dir` that differ from its first parent's
 * (added or modified). Only subtrees whose ids changed are descended, so
 * the cost is proportional to what changed. Stops at (and excludes)
 * `stop_sha` and its ancestors when non-NULL. */
int gitio_walk_added(struct gitio *g, const char *rev, const char *dir, const char *stop_sha,
		     gitio_added_fn fn, void *payload);

/* Reads blob `blob` (40 hex) into a heap buffer (caller frees; NUL-
 * terminated for convenience, *len excludes the NUL). 0 or -1. */
int gitio_read_blob(struct gitio *g, const char *blob, char **data, size_t *len);

/* The repository's main branch name: origin/HEAD's target, else "main",
 * else "master", else the branch HEAD points at. Heap string or NULL. */
char *gitio_default_branch(struct gitio *g);

/* The repository's git directory (e.g. "/x/.git/"), owned by g. */
const char *gitio_gitdir(struct gitio *g);

/* When on, gitio_commit_files flushes the repository's file system to disk
 * (syncfs) after writing the objects and again after moving the branch, so
 * a commit it reported also survives a power loss, not only a crash of the
 * process; the ref never points at objects that are not on disk.
 * Process-wide; off by default (libgit2's default: no fsync). */
void gitio_set_fsync(int on);
#endif
