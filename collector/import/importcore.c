/* importcore: the base of the importers' helper library (see importcore.h). */
#include "collector/import/importcore.h"
#include "lib/base/error.h"
#include "lib/base/strbuf.h"
#include "lib/doc/json.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* errors                                                              */

/* Formats the message of an error. */
static void vmessage(struct strbuf *sb, const char *fmt, va_list ap)
{
	strbuf_vaddf(sb, fmt, ap);
}

int importcore_error_at(const struct import_ctx *ctx, const char *buf, size_t len, size_t offset,
			const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	vmessage(&sb, fmt, ap);
	va_end(ap);
	int line, col;
	json_line_col(buf, len, offset, &line, &col);
	bk_error("%s:%d:%d: %s", ctx->file, line, col, sb.buf);
	strbuf_release(&sb);
	return -1;
}

int importcore_error_path(const struct import_ctx *ctx, const char *path, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	vmessage(&sb, fmt, ap);
	va_end(ap);
	if (path && *path)
		bk_error("%s: %s: %s", ctx->file, path, sb.buf);
	else
		bk_error("%s: %s", ctx->file, sb.buf);
	strbuf_release(&sb);
	return -1;
}

/* ------------------------------------------------------------------ */
/* lines                                                               */

void importcore_lines_init(struct importcore_lines *it, const char *buf, size_t len)
{
	memset(it, 0, sizeof(*it));
	it->buf = buf;
	it->len = len;
}

int importcore_lines_next(struct importcore_lines *it)
{
	if (it->pos >= it->len)
		return 0;
	const char *s = it->buf + it->pos;
	const char *nl = memchr(s, '\n', it->len - it->pos);
	size_t n = nl ? (size_t)(nl - s) : it->len - it->pos;
	it->line = s;
	it->start = it->pos;
	it->pos += n + (nl ? 1 : 0);
	it->complete = nl != NULL;
	if (n && s[n - 1] == '\r')
		n--;
	it->linelen = n;
	it->lineno++;
	return 1;
}

int importcore_check_text(const struct import_ctx *ctx, const char *buf, size_t len)
{
	const char *z = memchr(buf, '\0', len);
	if (z)
		return importcore_error_at(ctx, buf, len, (size_t)(z - buf),
					   "NUL byte in text input (not a text file?)");
	return 0;
}

int importcore_starts(const char *s, size_t n, const char *prefix)
{
	size_t p = strlen(prefix);
	return n >= p && !memcmp(s, prefix, p);
}

size_t importcore_skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* ------------------------------------------------------------------ */
/* numbers and units                                                   */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int importcore_parse_scaled(const char *s, size_t n, int commas, int shift, double *out,
			    size_t *used)
{
	char tmp[160];
	size_t i = 0, k = 0, digits = 0;
	long exp = shift;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		tmp[k++] = s[i++];
	while (i < n && k < 100) {
		if (is_digit(s[i])) {
			tmp[k++] = s[i++];
			digits++;
		} else if (commas && s[i] == ',' && digits && i + 1 < n && is_digit(s[i + 1])) {
			i++;
		} else {
			break;
		}
	}
	if (i < n && s[i] == '.' && k < 100) {
		size_t save_i = i, save_k = k;
		tmp[k++] = s[i++];
		size_t frac = 0;
		while (i < n && is_digit(s[i]) && k < 100) {
			tmp[k++] = s[i++];
			frac++;
		}
		if (!frac && !digits) {
			i = save_i;
			k = save_k;
		}
		digits += frac;
	}
	if (!digits || k >= 100)
		return -1; /* no digits, or an absurdly long number */
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t j = i + 1;
		int neg = 0;
		if (j < n && (s[j] == '-' || s[j] == '+'))
			neg = s[j++] == '-';
		if (j < n && is_digit(s[j])) {
			long e = 0;
			while (j < n && is_digit(s[j])) {
				if (e < 100000)
					e = e * 10 + (s[j] - '0');
				j++;
			}
			exp += neg ? -e : e;
			i = j;
		}
	}
	/* the decimal text with the shifted exponent: strtod rounds it once */
	snprintf(tmp + k, sizeof(tmp) - k, "e%ld", exp);
	char *end;
	double v = strtod(tmp, &end);
	if (*end || !isfinite(v))
		return -1;
	*out = v;
	*used = i;
	return 0;
}

int importcore_parse_number(const char *s, size_t n, int commas, double *out, size_t *used)
{
	return importcore_parse_scaled(s, n, commas, 0, out, used);
}

static int unit_is(const char *unit, size_t n, const char *name)
{
	return strlen(name) == n && !memcmp(unit, name, n);
}

double importcore_time_ns(const char *unit, size_t n)
{
	if (unit_is(unit, n, "ns"))
		return 1;
	if (unit_is(unit, n, "us") || unit_is(unit, n, "\xc2\xb5s") || unit_is(unit, n, "\xce\xbcs"))
		return 1e3;
	if (unit_is(unit, n, "ms"))
		return 1e6;
	if (unit_is(unit, n, "s"))
		return 1e9;
	return 0;
}

int importcore_time_shift(const char *unit, size_t n)
{
	double f = importcore_time_ns(unit, n);
	return f == 1 ? 0 : f == 1e3 ? 3 : f == 1e6 ? 6 : f == 1e9 ? 9 : -1;
}

const char *importcore_time_unit(const char *unit, size_t n)
{
	double f = importcore_time_ns(unit, n);
	if (f == 1)
		return "ns";
	if (f == 1e3)
		return "us";
	if (f == 1e6)
		return "ms";
	if (f == 1e9)
		return "s";
	return NULL;
}

const char *importcore_time_unit_word(const char *unit, size_t n)
{
	static const struct {
		const char *text, *canon;
	} units[] = {
		{ "s", "s" },	 { "sec", "s" },     { "secs", "s" },	 { "seconds", "s" },
		{ "ms", "ms" },	 { "msec", "ms" },   { "millis", "ms" }, { "us", "us" },
		{ "usec", "us" }, { "\xC2\xB5s", "us" }, { "\xCE\xBCs", "us" }, { "ns", "ns" },
		{ "nsec", "ns" },
	};
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strlen(units[i].text) == n && !memcmp(units[i].text, unit, n))
			return units[i].canon;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* detection                                                           */

int importcore_first_char(const char *buf, size_t len)
{
	size_t i = 0;
	/* a UTF-8 byte order mark is allowed */
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		i = 3;
	for (; i < len; i++)
		if (buf[i] != ' ' && buf[i] != '\n' && buf[i] != '\r' && buf[i] != '\t')
			return (unsigned char)buf[i];
	return 0;
}


int importcore_has(const char *buf, size_t len, size_t limit, const char *needle)
{
	if (limit && len > limit)
		len = limit;
	return memmem(buf, len, needle, strlen(needle)) != NULL;
}


/* ------------------------------------------------------------------ */
/* dates                                                               */

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}


int importcore_parse_time(const char *s, int naive_utc, time_t *out)
{
	int Y, M, D, h, m, sec;
	size_t n = strlen(s);
	if (n < 19 || digits(s, 4, &Y) || s[4] != '-' || digits(s + 5, 2, &M) || s[7] != '-' ||
	    digits(s + 8, 2, &D) || (s[10] != 'T' && s[10] != ' ') || digits(s + 11, 2, &h) ||
	    s[13] != ':' || digits(s + 14, 2, &m) || s[16] != ':' || digits(s + 17, 2, &sec))
		return -1;
	if (Y < 1970 || Y > 9999 || M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 ||
	    sec > 60)
		return -1;
	const char *p = s + 19;
	if (*p == '.' || *p == ',') {
		p++;
		while (is_digit(*p))
			p++;
	}
	long offset = 0;
	int has_tz = 0;
	if (*p == 'Z' || *p == 'z') {
		has_tz = 1;
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;
		if (digits(p + 1, 2, &oh))
			return -1;
		const char *q = p + 3;
		if (*q == ':')
			q++;
		if (digits(q, 2, &om) || oh > 23 || om > 59)
			return -1;
		offset = (oh * 3600L + om * 60L) * (*p == '-' ? -1 : 1);
		has_tz = 1;
		p = q + 2;
	}
	if (*p)
		return -1;
	struct tm tm = { 0 };
	tm.tm_year = Y - 1900;
	tm.tm_mon = M - 1;
	tm.tm_mday = D;
	tm.tm_hour = h;
	tm.tm_min = m;
	tm.tm_sec = sec;
	time_t t;
	if (has_tz || naive_utc) {
		t = timegm(&tm);
		t -= offset;
	} else {
		tm.tm_isdst = -1;
		t = mktime(&tm);
	}
	if (t == (time_t)-1)
		return -1;
	*out = t;
	return 0;
}

