/* gitio_commit.c: writing one commit — blobs, the tree updated from the
 * branch's tip, the commit and the compare-and-swap of the ref (retried
 * while other writers move the branch), and the index entries of a
 * checked-out branch. Part of gitio (interface: gitio.h). */
#include "lib/git/gitio.h"
#include "lib/git/gitio_internal.h"
#include "lib/base/error.h"
#include "lib/base/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

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
int create_commit(git_oid *id, git_repository *repo, const char *ref,
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
	else {
		/* a new branch: "must not exist yet", checked under the ref's
		 * lock (the zero id); git_reference_create(.., force 0, ..)
		 * checks before taking the lock, so of two first commits
		 * racing, the second overwrote the first */
		git_oid none;
		memset(&none, 0, sizeof(none));
		e = git_reference_create_matching(&r, repo, ref, id, 1, &none, log.buf);
	}
	strbuf_release(&log);
	git_reference_free(r);
	if (e == 0 && sync_commits && sync_repo(repo) < 0)
		return GIT_EUSER;
	return e;
}

int make_signature(git_repository *repo, git_signature **sig)
{
	const char *name = getenv("GIT_AUTHOR_NAME"), *email = getenv("GIT_AUTHOR_EMAIL");
	int e;
	if (name && *name && email && *email)
		e = git_signature_now(sig, name, email);
	else if (git_signature_default(sig, repo) == 0)
		e = 0;
	else
		e = git_signature_now(sig, "benchkeep", "benchkeep@localhost");
	return e < 0 ? gerr("cannot make a commit signature") : 0;
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

/* Writes the files' blobs (ids into blob_ids) and the tree updates that put
 * them at their paths (ups[i].path points into files). 0, or -1 with
 * bk_error. */
static int write_updates(struct gitio *g, const struct gitio_file *files, size_t n,
			 git_oid *blob_ids, git_tree_update *ups)
{
	for (size_t i = 0; i < n; i++) {
		if (git_blob_create_from_buffer(&blob_ids[i], g->repo, files[i].data, files[i].len) < 0)
			return gerr("cannot write blob");
		ups[i].action = GIT_TREE_UPDATE_UPSERT;
		ups[i].id = blob_ids[i];
		ups[i].filemode = GIT_FILEMODE_BLOB;
		ups[i].path = files[i].path;
	}
	return 0;
}

/* One try: the tree of ref's current tip with the updates applied,
 * committed on top of that tip. create_commit's code (branch_moved() when
 * another writer moved the branch), or GIT_EUSER with bk_error when the tip
 * or the tree could not be read or built. */
static int commit_on_tip(struct gitio *g, const char *ref, const git_signature *sig,
			 const char *message, const git_tree_update *ups, size_t n,
			 git_oid *commit_id)
{
	git_commit *parent = NULL;
	git_tree *base = NULL, *tree = NULL;
	git_oid tree_id;
	int e;
	if (read_branch_tip(g, ref, &parent, &base) < 0)
		return GIT_EUSER;
	if (git_tree_create_updated(&tree_id, g->repo, base, n, ups) < 0 ||
	    git_tree_lookup(&tree, g->repo, &tree_id) < 0) {
		gerr("cannot build tree");
		e = GIT_EUSER;
	} else {
		e = create_commit(commit_id, g->repo, ref, sig, message, tree, parent);
	}
	git_tree_free(tree);
	git_tree_free(base);
	git_commit_free(parent);
	return e;
}

int gitio_commit_files(struct gitio *g, const char *branch, const struct gitio_file *files,
		       size_t n, const char *message, char **out_sha)
{
	struct strbuf ref = STRBUF_INIT;
	git_signature *sig = NULL;
	git_oid *blob_ids = xcalloc(n ? n : 1, sizeof(git_oid));
	git_tree_update *ups = xcalloc(n ? n : 1, sizeof(git_tree_update));
	git_oid commit_id;
	int rc = -1, e = GIT_EUSER;
	if (out_sha)
		*out_sha = NULL;
	if (target_ref(g, branch, &ref) < 0)
		goto out;
	if (make_signature(g->repo, &sig) < 0)
		goto out;
	if (write_updates(g, files, n, blob_ids, ups) < 0)
		goto out;
	for (int attempt = 0; attempt < 50; attempt++) {
		e = commit_on_tip(g, ref.buf, sig, message, ups, n, &commit_id);
		if (!branch_moved(e))
			break;
		struct timespec ts = { 0, 2000000L * (attempt + 1) };
		nanosleep(&ts, NULL); /* someone else moved the branch: rebuild on the new tip */
	}
	if (branch_moved(e))
		bk_error("cannot commit to '%s': the branch kept moving", ref.buf);
	else if (e < 0 && e != GIT_EUSER)
		gerr("cannot create commit");
	else if (e == 0 && (branch || update_index(g, files, n, blob_ids) == 0)) {
		if (out_sha)
			*out_sha = oid_str(&commit_id);
		rc = 0;
	}
out:
	git_signature_free(sig);
	free(blob_ids);
	free(ups);
	strbuf_release(&ref);
	return rc;
}
