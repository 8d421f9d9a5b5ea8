#include "format.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void sig(struct strbuf *sb, double v)
{
	double a = fabs(v);
	if (a >= 100 || a == 0)
		strbuf_addf(sb, "%.0f", v);
	else if (a >= 10)
		strbuf_addf(sb, "%.1f", v);
	else if (a >= 1)
		strbuf_addf(sb, "%.2f", v);
	else
		strbuf_addf(sb, "%.3g", v);
}

void format_value(struct strbuf *sb, double v, const char *unit)
{
	static const struct { const char *u; double to_s; } tu[] = {
		{ "s", 1 }, { "ms", 1e-3 }, { "us", 1e-6 }, { "ns", 1e-9 },
	};
	if (!isfinite(v)) {
		strbuf_addstr(sb, "n/a");
		return;
	}
	for (size_t i = 0; unit && i < 4; i++) {
		if (strcmp(unit, tu[i].u))
			continue;
		double s = v * tu[i].to_s, a = fabs(s);
		if (a >= 1 || a == 0) {
			sig(sb, s);
			strbuf_addstr(sb, " s");
		} else if (a >= 1e-3) {
			sig(sb, s * 1e3);
			strbuf_addstr(sb, " ms");
		} else if (a >= 1e-6) {
			sig(sb, s * 1e6);
			strbuf_addstr(sb, " \xc2\xb5s");
		} else {
			sig(sb, s * 1e9);
			strbuf_addstr(sb, " ns");
		}
		return;
	}
	double a = fabs(v);
	if (a >= 1e9) {
		sig(sb, v / 1e9);
		strbuf_addch(sb, 'G');
	} else if (a >= 1e6) {
		sig(sb, v / 1e6);
		strbuf_addch(sb, 'M');
	} else if (a >= 1e4) {
		sig(sb, v / 1e3);
		strbuf_addch(sb, 'k');
	} else {
		sig(sb, v);
	}
	if (unit && *unit) {
		strbuf_addch(sb, ' ');
		strbuf_addstr(sb, unit);
	}
}

void format_change(struct strbuf *sb, double change)
{
	if (!isfinite(change)) {
		strbuf_addstr(sb, "n/a");
		return;
	}
	double p = change * 100;
	double a = fabs(p);
	if (a >= 10)
		strbuf_addf(sb, "%+.1f%%", p);
	else if (a >= 1)
		strbuf_addf(sb, "%+.2f%%", p);
	else
		strbuf_addf(sb, "%+.2f%%", p);
}

/* Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's
 * civil_from_days): no locale, no timezone lookup, several times faster
 * than gmtime_r + strftime over a 2-million-row CSV. */
static void civil(long long days, long long *y, unsigned *m, unsigned *d)
{
	days += 719468;
	long long era = (days >= 0 ? days : days - 146096) / 146097;
	unsigned doe = (unsigned)(days - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long long)yoe + era * 400 + (*m <= 2);
}

void format_date(struct strbuf *sb, long long t, int with_time)
{
	long long days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	long long secs = t - days * 86400;
	long long y;
	unsigned m, d;
	civil(days, &y, &m, &d);
	char buf[40];
	int n;
	if (with_time)
		n = snprintf(buf, sizeof(buf), "%04lld-%02u-%02u %02lld:%02lld", y, m, d, secs / 3600,
			     secs / 60 % 60);
	else
		n = snprintf(buf, sizeof(buf), "%04lld-%02u-%02u", y, m, d);
	strbuf_add(sb, buf, (size_t)n);
}

static const double pow10_tab[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
				    1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17 };

static void add_uint(struct strbuf *sb, unsigned long long u)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	strbuf_grow(sb, (size_t)n);
	while (n)
		sb->buf[sb->len++] = tmp[--n];
	sb->buf[sb->len] = '\0';
}

void format_sig(struct strbuf *sb, double v, int digits)
{
	if (!isfinite(v) || v == 0) {
		strbuf_addch(sb, '0');
		return;
	}
	if (digits < 1)
		digits = 1;
	if (digits > 15)
		digits = 15;
	if (v < 0) {
		strbuf_addch(sb, '-');
		v = -v;
	}
	int e = (int)floor(log10(v));
	if (e < -6 || e >= 15) {
		strbuf_addf(sb, "%.*g", digits, v);
		return;
	}
	/* m = v scaled to an integer of `digits` digits */
	int shift = digits - 1 - e;
	double scaled = shift >= 0 ? v * pow10_tab[shift < 17 ? shift : 17] : v / pow10_tab[-shift];
	if (shift > 17)
		scaled *= pow(10, shift - 17);
	unsigned long long m = (unsigned long long)llround(scaled);
	if (m >= (unsigned long long)pow10_tab[digits]) { /* rounding carried: 9.99 -> 10.0 */
		m /= 10;
		shift--;
	}
	/* drop trailing zeros of the fraction */
	while (shift > 0 && m % 10 == 0) {
		m /= 10;
		shift--;
	}
	if (shift <= 0) {
		add_uint(sb, m);
		for (int i = 0; i < -shift; i++)
			strbuf_addch(sb, '0');
		return;
	}
	char tmp[24];
	int n = 0;
	while (m) {
		tmp[n++] = (char)('0' + m % 10);
		m /= 10;
	}
	if (n <= shift) { /* 0.000ddd */
		strbuf_addstr(sb, "0.");
		for (int i = 0; i < shift - n; i++)
			strbuf_addch(sb, '0');
		while (n)
			strbuf_addch(sb, tmp[--n]);
		return;
	}
	while (n > shift)
		strbuf_addch(sb, tmp[--n]);
	strbuf_addch(sb, '.');
	while (n)
		strbuf_addch(sb, tmp[--n]);
}

void format_fixed1(struct strbuf *sb, double v)
{
	if (!isfinite(v)) {
		strbuf_addch(sb, '0');
		return;
	}
	/* clamp: past 2^63/10 llround has no defined result (and negating it
	 * overflowed); these are SVG coordinates, nothing real comes near */
	if (v > 1e15)
		v = 1e15;
	else if (v < -1e15)
		v = -1e15;
	long long t = llround(v * 10);
	if (t < 0) {
		strbuf_addch(sb, '-');
		t = -t;
	}
	add_uint(sb, (unsigned long long)(t / 10));
	if (t % 10) {
		strbuf_addch(sb, '.');
		strbuf_addch(sb, (char)('0' + t % 10));
	}
}
