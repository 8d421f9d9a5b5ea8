/* fuzz_site: the whole site (benchkeep site) rendered from hostile results.
 *
 * The input is split at 0x1e bytes into fields: suite, benchmark name,
 * param key, param value, machine name, unit, commit message, label value,
 * author; what follows the last field is read as 8-byte doubles, the
 * samples (spread over three results so there is a trend to chart). Every
 * string field is prefixed with a marker holding markup ("<x-bk\"'`|&").
 * Per input a fresh git repository gets four commits on main (the hostile
 * message and author on each) and three result files measuring them; then
 * site_build renders it.
 * Invariants: the build succeeds or fails cleanly; no HTML, SVG, XML or
 * markdown file contains the marker's "<x-bk" unescaped; nothing is
 * written outside the output directory. */
#include "fuzz.h"

#include <dirent.h>
#include <ftw.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "lib/base/error.h"
#include "lib/git/gitio.h"
#include "lib/doc/result.h"
#include "sitegen/render/site.h"
#include "lib/base/strbuf.h"
#include "lib/base/xalloc.h"

#define MARKER "<x-bk\"'`|&"
#define NFIELDS 9

static char base[64];

/* Durability is not what this target tests, and an fsync per output file
 * made it 40x slower: this definition interposes libc's for the whole
 * fuzz binary (benchkeep's atomic writes included). */
int fsync(int fd)
{
	(void)fd;
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	remove(path);
	return 0;
}

static void cleanup(void)
{
	nftw(base, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* tmpfs when there is one: every input makes a repository and a site */
	struct stat st;
	snprintf(base, sizeof(base), "%s/bk-fuzz-site-XXXXXX",
		 stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0
			 ? "/dev/shm"
			 : "/tmp");
	if (!mkdtemp(base))
		fuzz_fail("cannot make a temporary directory", base);
	atexit(cleanup);
	gitio_global_init();
	return 0;
}

static const char *bad_file;

static int check_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)f;
	if (flag != FTW_F || !S_ISREG(st->st_mode))
		return 0;
	size_t n = strlen(path);
	static const char *const marked[] = { ".html", ".xml", ".svg", ".md" };
	int check = 0;
	for (size_t i = 0; i < 4; i++) {
		size_t k = strlen(marked[i]);
		check |= n > k && !strcmp(path + n - k, marked[i]);
	}
	if (!check)
		return 0;
	struct strbuf sb = STRBUF_INIT;
	if (strbuf_read_file(&sb, path) == 0 && memmem(sb.buf, sb.len, "<x-bk", 5)) {
		static char keep[4096];
		snprintf(keep, sizeof(keep), "%s", path);
		bad_file = keep;
	}
	strbuf_release(&sb);
	return 0;
}

/* Field i of the input as a marked, NUL-free string (caller frees). */
static char *field(const char *const *f, const size_t *len, size_t i, int marker)
{
	struct strbuf sb = STRBUF_INIT;
	if (marker)
		strbuf_addstr(&sb, MARKER);
	size_t n = len[i] > 900 ? 900 : len[i];
	for (size_t k = 0; k < n; k++)
		if (f[i][k])
			strbuf_addch(&sb, f[i][k]);
	return strbuf_detach(&sb, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *f[NFIELDS];
	size_t len[NFIELDS];
	const char *p = (const char *)data, *end = p + size;
	for (size_t i = 0; i < NFIELDS; i++) {
		const char *sep = memchr(p, 0x1e, (size_t)(end - p));
		f[i] = p;
		len[i] = sep ? (size_t)(sep - p) : (size_t)(end - p);
		p = sep ? sep + 1 : end;
	}
	char *suite = field(f, len, 0, 1), *name = field(f, len, 1, 1);
	char *pkey = field(f, len, 2, 1), *pval = field(f, len, 3, 1);
	char *machine = field(f, len, 4, 1), *unit = field(f, len, 5, 1);
	char *msg = field(f, len, 6, 1), *label = field(f, len, 7, 1);
	char *author = field(f, len, 8, 0);
	/* libgit2 refuses '<', '>' and newlines in a signature's name */
	for (char *a = author; *a; a++)
		if (*a == '<' || *a == '>' || *a == '\n')
			*a = '_';
	struct strbuf auth = STRBUF_INIT;
	strbuf_addf(&auth, "A%s", author);

	struct strbuf dir = STRBUF_INIT, out = STRBUF_INIT;
	static unsigned long iter;
	strbuf_addf(&dir, "%s/%lu", base, iter++);
	strbuf_addf(&out, "%s/out", dir.buf);
	struct gitio *g = NULL;
	if (gitio_init(&g, dir.buf, 0) < 0)
		fuzz_fail("gitio_init", bk_last_error());
	setenv("GIT_AUTHOR_NAME", auth.buf, 1);
	setenv("GIT_AUTHOR_EMAIL", "a@example.invalid", 1);

	char *prev = NULL;
	struct gitio_file readme = { "README", "x\n", 2 };
	if (gitio_commit_files(g, "main", &readme, 1, msg, &prev) < 0)
		goto skip; /* a message libgit2 refuses */
	for (int k = 0; k < 3; k++) {
		struct bk_result r;
		result_init(&r);
		struct strbuf id = STRBUF_INIT;
		strbuf_addf(&id, "run-%d", k);
		set_str(&r.run.id, id.buf);
		set_str(&r.run.commit_sha, prev);
		set_str(&r.run.started_at, "2026-01-01T00:00:00Z");
		set_str(&r.run.machine.name, machine);
		kvlist_set(&r.run.labels, "label", label);
		struct bk_benchmark *b = result_add_benchmark(&r, suite, name);
		set_str(&b->unit, unit);
		kvlist_set(&b->params, pkey, pval);
		b->direction = (enum bk_direction)(k == 1 && size % 2);
		size_t nd = (size_t)(end - p) / 8;
		for (size_t i = (size_t)k; i < nd; i += 3) {
			double v;
			memcpy(&v, p + 8 * i, 8);
			if (isfinite(v))
				bench_add_sample(b, v);
		}
		if (!b->nsamples)
			bench_add_sample(b, 1.0 + k * 0.5);
		result_finalize(&r);
		cJSON *j = result_to_json(&r);
		char *text = json_print(j);
		cJSON_Delete(j);
		struct strbuf path = STRBUF_INIT;
		strbuf_addf(&path, "results/2026/01/r%d.json", k);
		struct gitio_file rf = { path.buf, text, strlen(text) };
		free(prev);
		prev = NULL;
		int rc = gitio_commit_files(g, "main", &rf, 1, msg, &prev);
		free(text);
		strbuf_release(&path);
		strbuf_release(&id);
		result_release(&r);
		if (rc < 0)
			fuzz_fail("commit of a result", bk_last_error());
	}
	struct site_opts o = { .repo = dir.buf, .ref = "main", .branch = "main", .out = out.buf,
			       .base_url = "https://example.invalid/b/", .title = MARKER,
			       .repo_url = "https://example.invalid/o/r", .no_cache = 1, .threads = 1,
			       .now = 1767225600 };
	struct site_stats st;
	if (site_build(&o, &st) == 0) {
		if (st.results != 3 || st.skipped)
			fuzz_fail("a result written was not read back by the site", bk_last_error());
		bad_file = NULL;
		nftw(out.buf, check_one, 16, FTW_PHYS);
		if (bad_file)
			fuzz_fail("unescaped markup in an output file", bad_file);
		/* the output and the repository are all there is */
		struct strbuf ls = STRBUF_INIT;
		DIR *d = opendir(dir.buf);
		struct dirent *e;
		while (d && (e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
			    strcmp(e->d_name, ".git") && strcmp(e->d_name, "out"))
				fuzz_fail("a file written outside the output directory", e->d_name);
		if (d)
			closedir(d);
		strbuf_release(&ls);
	}
skip:
	free(prev);
	gitio_close(g);
	nftw(dir.buf, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	strbuf_release(&dir);
	strbuf_release(&out);
	strbuf_release(&auth);
	free(suite);
	free(name);
	free(pkey);
	free(pval);
	free(machine);
	free(unit);
	free(msg);
	free(label);
	free(author);
	return 0;
}
