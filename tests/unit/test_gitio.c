/* gitio's batch commits (gitio_tip_*): what a tip holds, one commit per
 * batch with every file in it, packed blobs, and the optimistic lock when
 * another writer moves the branch. Checked with git itself. */
#include "testutil.h"
#include "lib/base/error.h"
#include "lib/git/gitio.h"
#include "lib/base/strbuf.h"

/* Runs a shell command, returns its stdout without trailing whitespace
 * (caller frees); asserts exit 0. */
static char *sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *sh(const char *fmt, ...)
{
	struct strbuf cmd = STRBUF_INIT, sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&cmd, fmt, ap);
	va_end(ap);
	FILE *p = popen(cmd.buf, "r");
	assert_non_null(p);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		strbuf_add(&sb, buf, n);
	int rc = pclose(p);
	if (rc != 0)
		fail_msg("'%s' failed (%d): %s", cmd.buf, rc, sb.buf);
	strbuf_release(&cmd);
	strbuf_rtrim(&sb);
	return strbuf_detach(&sb, NULL);
}

static void expect_sh(const char *want, const char *fmt, const char *dir)
{
	char *out = sh(fmt, dir);
	assert_string_equal(out, want);
	free(out);
}

/* n files DIR/f<first..first+n).json with distinct contents */
struct files {
	struct gitio_file f[64];
	char path[64][64], data[64][64];
};

static void make_files(struct files *fs, const char *dir, int first, int n)
{
	for (int i = 0; i < n; i++) {
		snprintf(fs->path[i], sizeof(fs->path[i]), "%s/f%d.json", dir, first + i);
		snprintf(fs->data[i], sizeof(fs->data[i]), "{\"n\": %d}\n", first + i);
		fs->f[i].path = fs->path[i];
		fs->f[i].data = fs->data[i];
		fs->f[i].len = strlen(fs->data[i]);
	}
}

static void test_tip_batches(void **state)
{
	(void)state;
	char *dir = make_tempdir();
	struct gitio *g = NULL;
	struct gitio_tip *t = NULL;
	struct files fs;
	char *sha = NULL;
	gitio_global_init();
	assert_int_equal(gitio_init(&g, dir, 0), 0);

	/* an unborn branch: an empty tip, then a root commit */
	assert_int_equal(gitio_tip_read(g, "data", &t), 0);
	assert_int_equal(gitio_tip_has(t, "results/2024/01/f0.json"), 0);
	make_files(&fs, "results/2024/01", 0, 2);
	fs.f[2] = (struct gitio_file){ "results/2024/02/g.json", "{}", 2 };
	fs.f[3] = (struct gitio_file){ "top.txt", "top\n", 4 };
	assert_int_equal(gitio_tip_commit(t, fs.f, 4, "first\n", &sha), 0);
	assert_non_null(sha);
	gitio_tip_free(t);
	char *tip = sh("git -C '%s' rev-parse data", dir);
	assert_string_equal(tip, sha);
	free(tip);
	free(sha);

	/* the new tip holds them: files, directories; not what was not written */
	assert_int_equal(gitio_tip_read(g, "data", &t), 0);
	assert_int_equal(gitio_tip_has(t, "results/2024/01/f0.json"), 1);
	assert_int_equal(gitio_tip_has(t, "results/2024/01/f1.json"), 1);
	assert_int_equal(gitio_tip_has(t, "results/2024/02/g.json"), 1);
	assert_int_equal(gitio_tip_has(t, "top.txt"), 1);
	assert_int_equal(gitio_tip_has(t, "results/2024"), 1);
	assert_int_equal(gitio_tip_has(t, "results/2024/01/f2.json"), 0);
	assert_int_equal(gitio_tip_has(t, "results/2025/01/f0.json"), 0);
	assert_int_equal(gitio_tip_has(t, "top.txt/x"), 0);

	/* a batch big enough to be packed: one commit, one pack, every file */
	make_files(&fs, "results/2024/01", 2, 40);
	assert_true(40 >= GITIO_PACK_MIN);
	assert_int_equal(gitio_tip_commit(t, fs.f, 40, "second\n", NULL), 0);
	gitio_tip_free(t);
	expect_sh("2", "git -C '%s' rev-list --count data", dir);
	expect_sh("42", "git -C '%s' ls-tree -r --name-only data results/2024/01 | wc -l", dir);
	expect_sh("40", "git -C '%s' diff-tree -r --name-only --diff-filter=A data~1 data | wc -l", dir);
	expect_sh("1", "ls '%s'/.git/objects/pack/*.pack | wc -l", dir);
	expect_sh("{\"n\": 41}", "git -C '%s' show data:results/2024/01/f41.json", dir);
	expect_sh("{}", "git -C '%s' show data:results/2024/02/g.json", dir);
	expect_sh("top", "git -C '%s' show data:top.txt", dir);
	free(sh("git -C '%s' fsck --strict --no-progress 2>&1", dir));

	/* HEAD, index and work tree untouched */
	expect_sh("", "git -C '%s' status --porcelain", dir);

	/* a writer that moved the branch meanwhile: GITIO_MOVED, nothing moved */
	struct gitio_tip *stale = NULL;
	assert_int_equal(gitio_tip_read(g, "data", &stale), 0);
	assert_int_equal(gitio_tip_read(g, "data", &t), 0);
	make_files(&fs, "results/2024/03", 0, 1);
	assert_int_equal(gitio_tip_commit(t, fs.f, 1, "third\n", NULL), 0);
	gitio_tip_free(t);
	char *before = sh("git -C '%s' rev-parse data", dir);
	make_files(&fs, "results/2024/03", 1, 20);
	assert_int_equal(gitio_tip_commit(stale, fs.f, 20, "lost\n", NULL), GITIO_MOVED);
	gitio_tip_free(stale);
	char *after = sh("git -C '%s' rev-parse data", dir);
	assert_string_equal(before, after);
	free(before);
	free(after);

	/* with syncs on */
	gitio_set_fsync(1);
	assert_int_equal(gitio_tip_read(g, "data", &t), 0);
	assert_int_equal(gitio_tip_has(t, "results/2024/03/f0.json"), 1);
	assert_int_equal(gitio_tip_commit(t, fs.f, 20, "fourth\n", NULL), 0);
	gitio_tip_free(t);
	gitio_set_fsync(0);
	expect_sh("4", "git -C '%s' rev-list --count data", dir);
	expect_sh("21", "git -C '%s' ls-tree -r --name-only data results/2024/03 | wc -l", dir);
	free(sh("git -C '%s' fsck --strict --no-progress 2>&1", dir));

	/* a bad name is an error, not a crash */
	assert_int_equal(gitio_tip_read(g, "data", &t), 0);
	struct gitio_file bad = { "results//x.json", "{}", 2 };
	assert_int_equal(gitio_tip_commit(t, &bad, 1, "bad\n", NULL), -1);
	gitio_tip_free(t);
	expect_sh("4", "git -C '%s' rev-list --count data", dir);

	gitio_close(g);
	gitio_global_shutdown();
	rm_rf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tip_batches),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
