#include "lib/verdict/format.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const double pow10_tab[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
				    1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17 };

/* a * 10^prec (a >= 0, prec 0..6) rounded to the nearest integer exactly as
 * printf rounds the exact binary value, in *r; 0 when that cannot be told
 * from the double product (too large, or within a few ulps of a tie, where
 * printf's exact decimal arithmetic decides): the caller then uses printf. */
static int round_scaled(double a, int prec, unsigned long long *r)
{
	double x = a * pow10_tab[prec]; /* 10^prec exact: one rounding, <= ulp/2 */
	if (!(x < 4503599627370496.0))  /* 2^52: every integer and .5 exact below */
		return 0;
	double f = floor(x), frac = x - f; /* both exact */
	double margin = x * 0x1p-50 + 0x1p-1074;
	if (fabs(frac - 0.5) <= margin)
		return 0;
	*r = (unsigned long long)f + (frac > 0.5);
	return 1;
}

/* Writes the decimal digits of u backwards ending at `end`; returns the
 * start. */
static char *utoa_rev(char *end, unsigned long long u)
{
	do {
		*--end = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	return end;
}

/* Appends r / 10^prec with exactly prec decimals ("12.30"), after `sign`
 * (0 for none); with `trim`, trailing fraction zeros and a bare '.' are
 * dropped as %g does. */
static void add_fixed_digits(struct strbuf *sb, char sign, unsigned long long r, int prec, int trim)
{
	char tmp[48], *end = tmp + sizeof(tmp), *p = end;
	unsigned long long ip = r, fp = 0;
	if (prec) {
		unsigned long long s = (unsigned long long)pow10_tab[prec];
		ip = r / s;
		fp = r % s;
		for (int i = 0; i < prec; i++) {
			*--p = (char)('0' + fp % 10);
			fp /= 10;
		}
		if (trim) {
			while (end > p && end[-1] == '0')
				end--;
		}
		if (end > p)
			*--p = '.';
		else
			end = p;
	}
	/* when trimming left no fraction, end == p and the '.' was not written */
	p = utoa_rev(p, ip);
	if (sign)
		*--p = sign;
	strbuf_add(sb, p, (size_t)(end - p));
}

/* printf("%.*f", prec, v) (with `plus`: "%+.*f"), v finite, prec 0..6. */
static void add_fixed(struct strbuf *sb, double v, int prec, int plus)
{
	unsigned long long r;
	int neg = signbit(v) != 0;
	if (!round_scaled(fabs(v), prec, &r)) {
		strbuf_addf(sb, plus ? "%+.*f" : "%.*f", prec, v);
		return;
	}
	add_fixed_digits(sb, neg ? '-' : plus ? '+' : 0, r, prec, 0);
}

/* printf("%.3g", v) for finite v with 0 < |v| < 1. */
static void add_g3_small(struct strbuf *sb, double v)
{
	double a = fabs(v);
	int x = (int)floor(log10(a)); /* decimal exponent, maybe off by one */
	unsigned long long r;
	/* %g picks the exponent of the value rounded to 3 digits */
	for (int tries = 0; tries < 3; tries++) {
		if (x < -4 || x > -1 || !round_scaled(a, 2 - x, &r))
			break;
		if (r >= 1000) {
			x++;
			continue;
		}
		if (r < 100) {
			x--;
			continue;
		}
		add_fixed_digits(sb, signbit(v) ? '-' : 0, r, 2 - x, 1);
		return;
	}
	/* x == 0 (0.9996 rounds to 1.00) is the %.2f form of "1" */
	if (x == 0 && round_scaled(a, 2, &r) && r == 100) {
		add_fixed_digits(sb, signbit(v) ? '-' : 0, r, 2, 1);
		return;
	}
	strbuf_addf(sb, "%.3g", v);
}

/* 3-4 significant digits as printf would write them ("%.0f", "%.1f",
 * "%.2f" or "%.3g" by magnitude), without printf on the common paths. */
static void sig(struct strbuf *sb, double v)
{
	double a = fabs(v);
	if (a >= 100 || a == 0)
		add_fixed(sb, v, 0, 0);
	else if (a >= 10)
		add_fixed(sb, v, 1, 0);
	else if (a >= 1)
		add_fixed(sb, v, 2, 0);
	else
		add_g3_small(sb, v);
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
	add_fixed(sb, p, a >= 10 ? 1 : 2, 1);
	strbuf_addch(sb, '%');
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
	if (y < 0 || y > 9999) {
		if (with_time)
			n = snprintf(buf, sizeof(buf), "%04lld-%02u-%02u %02lld:%02lld", y, m, d,
				     secs / 3600, secs / 60 % 60);
		else
			n = snprintf(buf, sizeof(buf), "%04lld-%02u-%02u", y, m, d);
		strbuf_add(sb, buf, (size_t)n);
		return;
	}
	/* "%04lld-%02u-%02u %02lld:%02lld" by hand (0 <= secs < 86400) */
	unsigned yy = (unsigned)y, hh = (unsigned)(secs / 3600), mi = (unsigned)(secs / 60 % 60);
	char *p = strbuf_reserve(sb, 16);
	p[0] = (char)('0' + yy / 1000);
	p[1] = (char)('0' + yy / 100 % 10);
	p[2] = (char)('0' + yy / 10 % 10);
	p[3] = (char)('0' + yy % 10);
	p[4] = '-';
	p[5] = (char)('0' + m / 10);
	p[6] = (char)('0' + m % 10);
	p[7] = '-';
	p[8] = (char)('0' + d / 10);
	p[9] = (char)('0' + d % 10);
	if (!with_time) {
		strbuf_commit(sb, 10);
		return;
	}
	p[10] = ' ';
	p[11] = (char)('0' + hh / 10);
	p[12] = (char)('0' + hh % 10);
	p[13] = ':';
	p[14] = (char)('0' + mi / 10);
	p[15] = (char)('0' + mi % 10);
	strbuf_commit(sb, 16);
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
	/* the digits of m, then placed around the decimal point in one buffer */
	char dig[24], out[64];
	char *d = utoa_rev(dig + sizeof(dig), m);
	int n = (int)(dig + sizeof(dig) - d), k = 0;
	if (shift <= 0) { /* ddd000 */
		memcpy(out, d, (size_t)n);
		k = n;
		for (int i = 0; i < -shift; i++)
			out[k++] = '0';
	} else if (n <= shift) { /* 0.000ddd */
		out[k++] = '0';
		out[k++] = '.';
		for (int i = 0; i < shift - n; i++)
			out[k++] = '0';
		memcpy(out + k, d, (size_t)n);
		k += n;
	} else { /* dd.ddd */
		memcpy(out, d, (size_t)(n - shift));
		k = n - shift;
		out[k++] = '.';
		memcpy(out + k, d + n - shift, (size_t)shift);
		k += shift;
	}
	strbuf_add(sb, out, (size_t)k);
}

void format_fixed(struct strbuf *sb, double v, int prec)
{
	if (prec < 0 || prec > 6) {
		strbuf_addf(sb, "%.*f", prec, v);
		return;
	}
	add_fixed(sb, v, prec, 0);
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
	/* llround(v * 10) without the libm call: the cast truncates, and
	 * x - trunc(x) is exact, so halves round away from zero as llround does */
	double x = v * 10;
	long long t = (long long)x;
	double frac = x - (double)t;
	if (frac >= 0.5)
		t++;
	else if (frac <= -0.5)
		t--;
	unsigned long long u = t < 0 ? -(unsigned long long)t : (unsigned long long)t;
	char tmp[32], *end = tmp + sizeof(tmp), *p = end;
	if (u % 10) {
		*--p = (char)('0' + u % 10);
		*--p = '.';
	}
	p = utoa_rev(p, u / 10);
	if (t < 0)
		*--p = '-';
	strbuf_add(sb, p, (size_t)(end - p));
}
