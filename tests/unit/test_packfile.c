/* sha1 against the FIPS 180 vectors; packfile output read back by git
 * itself (index-pack checks the checksum, cat-file the contents). */
#include "testutil.h"
#include "lib/git/packfile.h"
#include "lib/git/sha1.h"
#include "lib/base/strbuf.h"

static void hex(const unsigned char *d, char *out)
{
	for (int i = 0; i < SHA1_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void check_sha1(const void *data, size_t len, const char *want)
{
	unsigned char d[SHA1_LEN];
	char h[2 * SHA1_LEN + 1];
	struct sha1 c;
	sha1_init(&c);
	sha1_update(&c, data, len);
	sha1_final(&c, d);
	hex(d, h);
	assert_string_equal(h, want);
	/* the same digest fed a byte at a time, and in odd-sized pieces */
	sha1_init(&c);
	for (size_t i = 0; i < len; i++)
		sha1_update(&c, (const char *)data + i, 1);
	sha1_final(&c, d);
	hex(d, h);
	assert_string_equal(h, want);
	sha1_init(&c);
	for (size_t i = 0; i < len; i += 37)
		sha1_update(&c, (const char *)data + i, len - i < 37 ? len - i : 37);
	sha1_final(&c, d);
	hex(d, h);
	assert_string_equal(h, want);
}

static void test_sha1_vectors(void **state)
{
	(void)state;
	check_sha1("", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	check_sha1("abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	check_sha1(two, strlen(two), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	/* 55, 56 and 64 bytes: the padding's edge cases */
	static char a[1000000];
	memset(a, 'a', sizeof(a));
	check_sha1(a, 55, "c1c8bbdc22796e28c0e15163d20899b65621d65a");
	check_sha1(a, 56, "c2db330f6083854c99d4b5bfb6e8f29f201be699");
	check_sha1(a, 64, "0098ba824b5c16427bd7a1122a5a442a25ec644d");
	check_sha1(a, sizeof(a), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

/* Runs a shell command, returns its stdout (caller frees); asserts exit 0. */
static char *sh(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		strbuf_add(&sb, buf, n);
	assert_int_equal(pclose(p), 0);
	strbuf_rtrim(&sb);
	return strbuf_detach(&sb, NULL);
}

static void test_pack_read_by_git(void **state)
{
	(void)state;
	char *dir = make_tempdir();
	char cmd[8192], path[4200];
	/* sizes around the header's 4- and 11-bit boundaries, and a big one */
	static const size_t sizes[] = { 0, 1, 15, 16, 17, 2047, 2048, 100000 };
	const size_t n = sizeof(sizes) / sizeof(sizes[0]);
	struct packfile p;
	packfile_init(&p, 1);
	for (size_t i = 0; i < n; i++) {
		char *data = malloc(sizes[i] + 1);
		assert_non_null(data);
		for (size_t k = 0; k < sizes[i]; k++)
			data[k] = (char)('a' + (k * 7 + i) % 26);
		assert_int_equal(packfile_add(&p, PACKFILE_BLOB, data, sizes[i]), 0);
		snprintf(path, sizeof(path), "%s/obj%zu", dir, i);
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(data, 1, sizes[i], f), sizes[i]);
		assert_int_equal(fclose(f), 0);
		free(data);
	}
	size_t len;
	const char *bytes = packfile_finish(&p, &len);
	snprintf(path, sizeof(path), "%s/x.pack", dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	packfile_release(&p);

	/* git checks the trailing checksum and every object while indexing */
	snprintf(cmd, sizeof(cmd), "cd '%s' && git init -q --bare r && git -C r index-pack --stdin <x.pack",
		 dir);
	free(sh(cmd));
	snprintf(cmd, sizeof(cmd), "git -C '%s/r' count-objects -v | grep in-pack", dir);
	char *out = sh(cmd);
	assert_string_equal(out, "in-pack: 8");
	free(out);
	for (size_t i = 0; i < n; i++) {
		snprintf(cmd, sizeof(cmd),
			 "cd '%s' && git -C r cat-file blob $(git hash-object obj%zu) | cmp - obj%zu && echo same",
			 dir, i, i);
		out = sh(cmd);
		assert_string_equal(out, "same");
		free(out);
	}
	rm_rf(dir);
	free(dir);
}

static void test_empty_pack(void **state)
{
	(void)state;
	struct packfile p;
	size_t len;
	packfile_init(&p, -1);
	const char *b = packfile_finish(&p, &len);
	assert_int_equal(len, 12 + SHA1_LEN);
	assert_memory_equal(b, "PACK\0\0\0\2\0\0\0\0", 12);
	packfile_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha1_vectors),
		cmocka_unit_test(test_pack_read_by_git),
		cmocka_unit_test(test_empty_pack),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
