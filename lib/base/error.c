/* error: the thread's last error, the failure main() prints, notes (see error.h). */
#include "lib/base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char last[1024];
static _Thread_local int failed;
static void (*note_fn)(const char *msg, void *ctx);
static void *note_ctx;

int bk_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last, sizeof(last), fmt, ap);
	va_end(ap);
	return -1;
}

int bk_error_prefix(const char *fmt, ...)
{
	char prefix[512], old[sizeof(last)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, last, sizeof(old));
	snprintf(last, sizeof(last), "%s: %s", prefix, old);
	return -1;
}

const char *bk_last_error(void)
{
	return last;
}

void bk_error_clear(void)
{
	last[0] = '\0';
	failed = 0;
}

int bk_fail(void)
{
	failed = 1;
	return 2;
}

int bk_fail_msg(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last, sizeof(last), fmt, ap);
	va_end(ap);
	return bk_fail();
}

const char *bk_failure(void)
{
	return failed ? last : NULL;
}

void bk_note_sink(void (*fn)(const char *msg, void *ctx), void *ctx)
{
	note_fn = fn;
	note_ctx = ctx;
}

void bk_note(const char *fmt, ...)
{
	if (!note_fn)
		return;
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	note_fn(msg, note_ctx);
}
