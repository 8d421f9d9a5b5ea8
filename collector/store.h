/* store: names and writes result files, one new file per run.
 *
 * A run id is "YYYYMMDDTHHMMSSZ-<sha7|nosha>-<machine>-<4 hex>"; its file is
 * "<dir>/YYYY/MM/<id>.json". Files are created atomically and never
 * overwritten: on a name clash a new random suffix is drawn. */
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

struct gitio;
/* Sets r->run.commit_sha / commit_branch (replacing nothing: they must be
 * NULL) from the HEAD of g — or, when g is NULL, of the repository at the
 * current directory if there is one — then GITHUB_SHA, GITHUB_HEAD_REF (a
 * pull request's source branch) and GITHUB_REF_NAME override as in CI. The
 * strings belong to r. */
void store_fill_commit(struct bk_result *r, struct gitio *g);

#endif
