#include "collector/run/ab.h"
#include "collector/run/rounds.h"
#include "lib/base/error.h"
#include "lib/base/xalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *ab_build_dir(const char *dir)
{
	struct stat st;
	if (stat(dir, &st) < 0)
		return bk_error("--ab: cannot use build directory '%s': %s", dir, strerror(errno)),
		       NULL;
	if (!S_ISDIR(st.st_mode))
		return bk_error("--ab: '%s' is not a directory", dir), NULL;
	char *abs = realpath(dir, NULL);
	if (!abs)
		bk_error("--ab: cannot resolve '%s': %s", dir, strerror(errno));
	return abs;
}

int ab_run(const struct bk_config *cfg, const struct run_opts *o, const char *base_dir,
	   const char *head_dir, struct bk_result *base, struct bk_result *head)
{
	const char *dirs[2] = { base_dir, head_dir };
	struct bk_result *res[2] = { base, head };
	return rounds_run(cfg, o, dirs, res);
}
