#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char last[1024];

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
}
