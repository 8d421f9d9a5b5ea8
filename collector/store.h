/* store: names, writes and commits result files, one new file per run.
 *
 * A run id is "YYYYMMDDTHHMMSSZ-<sha7|nosha>-<machine>-<4 hex>"; its file is
 * "<dir>/YYYY/MM/<id>.json". Files are created atomically and never
 * overwritten: on a name clash a new random suffix is drawn. The bytes
 * written are kept, so committing or publishing the result sends exactly
 * the file, without reading it back. */
#ifndef BK_STORE_H
#define BK_STORE_H

#include <time.h>

#include "lib/doc/result.h"

/* Sets r->run.id from the start time, commit sha and machine name (a fresh
 * random suffix each call). */
void store_make_id(struct bk_result *r, time_t started);

/* Formats t as RFC 3339 UTC ("2026-11-22T10:15:00Z") into buf (>= 21 bytes). */
void store_format_time(char *buf, size_t n, time_t t);

/* The path inside a results tree for r: "YYYY/MM/<id>.json" from the id's
 * timestamp. Heap string, caller frees. */
char *store_relpath(const struct bk_result *r);

/* Writes r as a new file under `dir` (creating YYYY/MM). Retries with a new
 * id on a clash. Returns the path written (caller frees) or NULL with
 * bk_error set; nothing is left behind on failure. */
char *store_write(struct bk_result *r, const char *dir);

/* A result file as written: where, and its exact bytes. */
struct store_file {
	char *path; /* heap */
	char *data; /* heap, len bytes (NUL-terminated) */
	size_t len;
};

/* Writes r as a new file under `dir` (as store_write) or, when `output` is
 * not NULL, to `output` (replaced atomically); fills *f, which the caller
 * releases with store_file_release. 0, or -1 with bk_error set (*f empty,
 * nothing left behind). */
int store_save(struct bk_result *r, const char *dir, const char *output, struct store_file *f);

/* Frees f's strings (f stays valid and empty). */
void store_file_release(struct store_file *f);

struct gitio;
/* Commits the written file f of r in one commit: to `branch` as
 * "results/<store_relpath>" (the branch need not be checked out), or, when
 * branch is NULL, to the current branch at f's path in the work tree of g.
 * On success *in_repo (the path committed) and *sha (the new commit) are
 * heap strings the caller frees. 0, or -1 with bk_error set. */
int store_commit(struct gitio *g, const char *branch, const struct bk_result *r,
		 const struct store_file *f, char **in_repo, char **sha);

/* Sets r->run.commit_sha / commit_branch (replacing nothing: they must be
 * NULL) from the HEAD of g — or, when g is NULL, of the repository at the
 * current directory if there is one — then GITHUB_SHA, GITHUB_HEAD_REF (a
 * pull request's source branch) and GITHUB_REF_NAME override as in CI. The
 * strings belong to r. */
void store_fill_commit(struct bk_result *r, struct gitio *g);

#endif
