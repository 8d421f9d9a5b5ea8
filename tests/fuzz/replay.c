/* replay: a main() for a fuzz target built without libFuzzer (see fuzz.h).
 *
 *   build/fuzz-replay/fuzz_NAME [FILE|DIR]...
 *
 * Feeds each FILE, and every regular file of each DIR (sorted by name), to
 * LLVMFuzzerTestOneInput. Without arguments it replays the target's
 * regression inputs and seed corpus under BK_ROOT (environment; default the
 * source tree it was built from): tests/fuzz/regressions/NAME and
 * tests/fuzz/corpus/NAME. Prints one line with the count; a crash or a
 * broken invariant aborts. Exit 0, or 2 when an input cannot be read. */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/base/strbuf.h"
#include "lib/base/xalloc.h"

#ifndef FUZZ_TARGET
#error "FUZZ_TARGET must name the target"
#endif
#ifndef FUZZ_SRC_ROOT
#define FUZZ_SRC_ROOT "."
#endif

static size_t replayed;

static int replay_file(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	if (strbuf_read_file(&sb, path) < 0) {
		fprintf(stderr, "replay: cannot read '%s': %s\n", path, strerror(errno));
		strbuf_release(&sb);
		return -1;
	}
	/* an exact-size copy, as libFuzzer passes it: reads past the end are
	 * caught by ASan and valgrind */
	uint8_t *copy = xmalloc(sb.len ? sb.len : 1);
	memcpy(copy, sb.buf, sb.len);
	LLVMFuzzerTestOneInput(copy, sb.len);
	free(copy);
	strbuf_release(&sb);
	replayed++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_path(const char *path, int missing_ok)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		if (missing_ok && errno == ENOENT)
			return 0;
		fprintf(stderr, "replay: cannot read '%s': %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path);
	DIR *d = opendir(path);
	if (!d) {
		fprintf(stderr, "replay: cannot open '%s': %s\n", path, strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t n = 0, alloc = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		ALLOC_GROW(names, n + 1, alloc);
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		struct strbuf p = STRBUF_INIT;
		strbuf_addf(&p, "%s/%s", path, names[i]);
		if (!stat(p.buf, &st) && S_ISREG(st.st_mode) && replay_file(p.buf) < 0)
			rc = -1;
		strbuf_release(&p);
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0;
	LLVMFuzzerInitialize(&argc, &argv);
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			if (replay_path(argv[i], 0) < 0)
				rc = 2;
	} else {
		const char *root = getenv("BK_ROOT");
		const char *dirs[] = { "regressions", "corpus" };
		for (size_t i = 0; i < 2; i++) {
			struct strbuf p = STRBUF_INIT;
			strbuf_addf(&p, "%s/tests/fuzz/%s/%s", root && *root ? root : FUZZ_SRC_ROOT,
				    dirs[i], FUZZ_TARGET);
			if (replay_path(p.buf, 1) < 0)
				rc = 2;
			strbuf_release(&p);
		}
	}
	printf("fuzz_%s: replayed %zu inputs\n", FUZZ_TARGET, replayed);
	return rc;
}
