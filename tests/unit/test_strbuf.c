/* lib/strbuf: the inline appends, in-place reserve/commit, the one-pass
 * strbuf_addf across the growth boundary, the integer appenders against
 * printf; and lib/json json_add_string (copying runs) against its
 * byte-at-a-time original. */
#include <limits.h>

#include "testutil.h"
#include "lib/doc/json.h"
#include "lib/base/strbuf.h"

static void test_add_and_grow(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	strbuf_add(&sb, "", 0); /* nothing written into the shared empty buffer */
	assert_int_equal(sb.alloc, 0);
	assert_string_equal(sb.buf, "");
	char want[5000];
	for (int i = 0; i < 4999; i++) {
		want[i] = (char)('a' + i % 26);
		if (i % 3)
			strbuf_addch(&sb, want[i]);
		else
			strbuf_add(&sb, &want[i], 1);
		assert_int_equal(sb.len, (size_t)i + 1);
		assert_true(sb.len < sb.alloc);
		assert_int_equal(sb.buf[sb.len], '\0');
	}
	want[4999] = '\0';
	assert_string_equal(sb.buf, want);
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "x");
	char *p = strbuf_reserve(&sb, 100);
	memset(p, 'y', 100);
	strbuf_commit(&sb, 100);
	assert_int_equal(sb.len, 101);
	assert_int_equal(sb.buf[101], '\0');
	strbuf_release(&sb);
}

/* strbuf_addf writes in place when the text fits and again after growing
 * when it does not: every length around the room left */
static void test_addf_boundaries(void **state)
{
	(void)state;
	char big[300];
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (size_t pre = 0; pre < 140; pre++) {
		for (size_t n = 0; n < 140; n += 7) {
			struct strbuf sb = STRBUF_INIT;
			for (size_t i = 0; i < pre; i++)
				strbuf_addch(&sb, 'a');
			strbuf_addf(&sb, "<%.*s>%d", (int)n, big, 42);
			assert_int_equal(sb.len, pre + n + 4);
			assert_int_equal(sb.buf[sb.len], '\0');
			assert_int_equal(sb.buf[pre], '<');
			assert_int_equal(sb.buf[pre + n + 1], '>');
			assert_string_equal(sb.buf + pre + n + 2, "42");
			strbuf_release(&sb);
		}
	}
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s", "");
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	strbuf_release(&sb);
}

static void test_integers(void **state)
{
	(void)state;
	static const long long v[] = { 0, 1, -1, 9, 10, -10, 99, 100, 12345678901234LL,
				       LLONG_MAX, LLONG_MIN, LLONG_MIN + 1 };
	struct strbuf sb = STRBUF_INIT;
	char ref[64];
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		strbuf_reset(&sb);
		strbuf_addi(&sb, v[i]);
		snprintf(ref, sizeof(ref), "%lld", v[i]);
		assert_string_equal(sb.buf, ref);
		strbuf_reset(&sb);
		strbuf_addu(&sb, (unsigned long long)v[i]);
		snprintf(ref, sizeof(ref), "%llu", (unsigned long long)v[i]);
		assert_string_equal(sb.buf, ref);
	}
	strbuf_release(&sb);
}

static void ref_json_string(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': strbuf_addstr(sb, "\\\""); break;
		case '\\': strbuf_addstr(sb, "\\\\"); break;
		case '\n': strbuf_addstr(sb, "\\n"); break;
		case '\r': strbuf_addstr(sb, "\\r"); break;
		case '\t': strbuf_addstr(sb, "\\t"); break;
		case '\b': strbuf_addstr(sb, "\\b"); break;
		case '\f': strbuf_addstr(sb, "\\f"); break;
		default:
			if (*p < 0x20)
				strbuf_addf(sb, "\\u%04x", *p);
			else
				strbuf_addch(sb, *p);
		}
	}
	strbuf_addch(sb, '"');
}

static void test_json_string(void **state)
{
	(void)state;
	unsigned x = 88675123u;
	struct strbuf in = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
	for (int round = 0; round < 50000; round++) {
		strbuf_reset(&in);
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		int n = (int)(x % 16);
		for (int k = 0; k < n; k++) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			/* mostly plain text, often a byte that needs an escape */
			int c = x % 3 ? (int)('a' + (x >> 8) % 26) : (int)((x >> 8) % 255) + 1;
			strbuf_addch(&in, c);
		}
		strbuf_reset(&a);
		strbuf_reset(&b);
		json_add_string(&a, in.buf);
		ref_json_string(&b, in.buf);
		assert_string_equal(a.buf, b.buf);
	}
	strbuf_release(&in);
	strbuf_release(&a);
	strbuf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_grow),
		cmocka_unit_test(test_addf_boundaries),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_json_string),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
