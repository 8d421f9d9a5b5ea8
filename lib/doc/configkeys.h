/* configkeys: the key readers of config.c: a value of benchkeep.json
 * checked and converted, each error naming the file and key path
 * ("FILE: suites[0].runs: expected an integer"); the keys a suite gives as
 * defaults and a benchmark sets itself (runs, warmup, ..., direction) and
 * those defaults. Private to lib/doc/config.c. */
#ifndef BK_CONFIGKEYS_H
#define BK_CONFIGKEYS_H

#include "lib/doc/benchcfg.h"
#include "lib/doc/json.h"

#define MAX_ENTRIES 1000 /* keys of an env object or a params matrix */

/* The file being read, for messages. */
struct cctx {
	const char *file;
};

/* bk_error "FILE: PATH: WHAT"; returns -1. */
int ckey_fail(const struct cctx *c, const char *path, const char *what);

/* 1 when a member before e in obj has e's key: cJSON keeps duplicate keys,
 * and a config must not say one thing twice. */
int ckey_dup(const cJSON *obj, const cJSON *e);

/* Each reads value v at key path `path` into *out: 0, or -1 with bk_error
 * (out then holds nothing to free, but for ckey_string's old value).
 * ckey_command: a shell string or an argv array (caller releases with
 * command_release); ckey_int: an integer in [min, max]; ckey_num: a finite
 * number >= min; ckey_string: a string (set_str into *out, caller frees);
 * ckey_env: an object of environment strings, added to *out. */
int ckey_command(const struct cctx *c, const cJSON *v, const char *path,
		 struct bk_command *out);
int ckey_int(const struct cctx *c, const cJSON *v, const char *path, int min, int max,
	     int *out);
int ckey_num(const struct cctx *c, const cJSON *v, const char *path, double min, double *out);
int ckey_string(const struct cctx *c, const cJSON *v, const char *path, char **out);
int ckey_env(const struct cctx *c, const cJSON *v, const char *path, struct bk_kvlist *out);

/* Reads member e (at path p) into b when it is one of the fields a suite
 * may set as defaults and a benchmark may set itself: *handled = 1 then,
 * else 0 (e is left to the caller). 0, or -1 with bk_error. */
int ckey_common(const struct cctx *c, const cJSON *e, const char *p, struct bk_bench_cfg *b,
		int *handled);

/* The defaults of a suite before its keys: runs 10, warmup 1, threshold
 * and direction unset; d is released with bench_cfg_release. */
void ckey_defaults_init(struct bk_bench_cfg *d);
/* dst = src's defaults (scalars, env, cwd, unit, metric, backend, owned
 * copies); suite, name, params, commands, format, output empty. dst is
 * released with bench_cfg_release. */
void ckey_defaults_copy(struct bk_bench_cfg *dst, const struct bk_bench_cfg *src);

#endif
