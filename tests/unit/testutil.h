/* Helpers shared by the cmocka unit tests. */
#ifndef BK_TESTUTIL_H
#define BK_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Makes a fresh temporary directory; the caller frees the string and may
 * remove the tree with rm_rf. */
static inline char *make_tempdir(void)
{
	char tmpl[] = "/tmp/bk-unit-XXXXXX";
	char *d = mkdtemp(tmpl);
	assert_non_null(d);
	return strdup(d);
}

static inline void rm_rf(const char *dir)
{
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static inline void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

#define assert_close(a, b, eps) assert_true(fabs((double)(a) - (double)(b)) <= (eps))

#endif
