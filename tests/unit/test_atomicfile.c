/* Atomic writes: replace, create-exclusive, nothing left behind on failure. */
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include "testutil.h"
#include "lib/base/atomicfile.h"
#include "lib/base/error.h"
#include "lib/base/strbuf.h"

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void test_write_and_replace(void **state)
{
	(void)state;
	char *dir = make_tempdir();
	char path[512];
	snprintf(path, sizeof(path), "%s/a/b/c.json", dir);
	assert_int_equal(atomic_write_file(path, "one", 3), 0);
	assert_int_equal(atomic_write_file(path, "second", 6), 0);
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(strbuf_read_file(&sb, path), 0);
	assert_string_equal(sb.buf, "second");
	strbuf_release(&sb);
	snprintf(path, sizeof(path), "%s/a/b", dir);
	assert_int_equal(count_entries(path), 1); /* no temporary left */
	struct stat st;
	snprintf(path, sizeof(path), "%s/a/b/c.json", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	/* the unsynced variant: the same replacement, no temporary left */
	assert_int_equal(atomic_replace_file(path, "third!", 6), 0);
	assert_int_equal(strbuf_read_file(&sb, path), 0);
	assert_string_equal(sb.buf, "third!");
	strbuf_release(&sb);
	snprintf(path, sizeof(path), "%s/a/b", dir);
	assert_int_equal(count_entries(path), 1);
	snprintf(path, sizeof(path), "%s/new/dir/d.html", dir);
	assert_int_equal(atomic_replace_file(path, "x", 1), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 1);
	rm_rf(dir);
	free(dir);
}

static void test_create_exclusive(void **state)
{
	(void)state;
	char *dir = make_tempdir();
	char path[512];
	snprintf(path, sizeof(path), "%s/r.json", dir);
	assert_int_equal(atomic_create_file(path, "first", 5), 0);
	assert_int_equal(atomic_create_file(path, "other", 5), -1);
	assert_int_equal(errno, EEXIST);
	assert_non_null(strstr(bk_last_error(), "r.json"));
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(strbuf_read_file(&sb, path), 0);
	assert_string_equal(sb.buf, "first"); /* never overwritten */
	strbuf_release(&sb);
	assert_int_equal(count_entries(dir), 1);
	rm_rf(dir);
	free(dir);
}

static void test_failure_leaves_nothing(void **state)
{
	(void)state;
	char *dir = make_tempdir();
	char path[512];
	snprintf(path, sizeof(path), "%s/file", dir);
	write_text(path, "x");
	/* parent "directory" is a regular file: must fail cleanly */
	snprintf(path, sizeof(path), "%s/file/sub/r.json", dir);
	assert_int_equal(atomic_write_file(path, "data", 4), -1);
	assert_non_null(strstr(bk_last_error(), "file"));
	/* target is a directory: rename fails, temporary removed */
	snprintf(path, sizeof(path), "%s/adir", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/adir/inner", dir);
	write_text(path, "y");
	snprintf(path, sizeof(path), "%s/adir", dir);
	assert_int_equal(atomic_write_file(path, "data", 4), -1);
	assert_int_equal(count_entries(dir), 2); /* file, adir: no temporaries */
	rm_rf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_and_replace),
		cmocka_unit_test(test_create_exclusive),
		cmocka_unit_test(test_failure_leaves_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
