/* sitegen/format: the hand-written (format_value, format_change,
 * format_fixed, format_fixed1, format_sig, format_date) number and date formatting gives exactly
 * the bytes of the printf formats it replaces. Each function is checked
 * against a printf reference (the formatting as it was written with
 * snprintf) on millions of values: every multiple of 1/1000 up to 200 (and a sample up to 10,000) and
 * of 2^-10 up to 2^14 (exact decimal and binary ties and their neighbours),
 * the neighbours of every rounding boundary (powers of ten, x.5, x.x5,
 * x.xx5, 0.9995...), and random doubles over the whole range and random bit
 * patterns, in every unit. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <time.h>

#include "testutil.h"
#include "lib/verdict/format.h"

/* ---- printf references ---------------------------------------------------- */

static void ref_sig(struct strbuf *sb, double v)
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

static void ref_value(struct strbuf *sb, double v, const char *unit)
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
			ref_sig(sb, s);
			strbuf_addstr(sb, " s");
		} else if (a >= 1e-3) {
			ref_sig(sb, s * 1e3);
			strbuf_addstr(sb, " ms");
		} else if (a >= 1e-6) {
			ref_sig(sb, s * 1e6);
			strbuf_addstr(sb, " \xc2\xb5s");
		} else {
			ref_sig(sb, s * 1e9);
			strbuf_addstr(sb, " ns");
		}
		return;
	}
	double a = fabs(v);
	if (a >= 1e9) {
		ref_sig(sb, v / 1e9);
		strbuf_addch(sb, 'G');
	} else if (a >= 1e6) {
		ref_sig(sb, v / 1e6);
		strbuf_addch(sb, 'M');
	} else if (a >= 1e4) {
		ref_sig(sb, v / 1e3);
		strbuf_addch(sb, 'k');
	} else {
		ref_sig(sb, v);
	}
	if (unit && *unit) {
		strbuf_addch(sb, ' ');
		strbuf_addstr(sb, unit);
	}
}

static void ref_change(struct strbuf *sb, double change)
{
	if (!isfinite(change)) {
		strbuf_addstr(sb, "n/a");
		return;
	}
	double p = change * 100;
	strbuf_addf(sb, fabs(p) >= 10 ? "%+.1f%%" : "%+.2f%%", p);
}

/* format_fixed1 as written with llround */
static void ref_fixed1(struct strbuf *sb, double v)
{
	if (!isfinite(v)) {
		strbuf_addch(sb, '0');
		return;
	}
	if (v > 1e15)
		v = 1e15;
	else if (v < -1e15)
		v = -1e15;
	long long t = llround(v * 10);
	if (t < 0) {
		strbuf_addch(sb, '-');
		t = -t;
	}
	strbuf_addf(sb, "%lld", t / 10);
	if (t % 10)
		strbuf_addf(sb, ".%d", (int)(t % 10));
}

/* format_sig as written with a digit at a time */
static const double ref_p10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
				  1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17 };

static void ref_format_sig(struct strbuf *sb, double v, int digits)
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
	int shift = digits - 1 - e;
	double scaled = shift >= 0 ? v * ref_p10[shift < 17 ? shift : 17] : v / ref_p10[-shift];
	if (shift > 17)
		scaled *= pow(10, shift - 17);
	unsigned long long m = (unsigned long long)llround(scaled);
	if (m >= (unsigned long long)ref_p10[digits]) {
		m /= 10;
		shift--;
	}
	while (shift > 0 && m % 10 == 0) {
		m /= 10;
		shift--;
	}
	if (shift <= 0) {
		strbuf_addf(sb, "%llu", m);
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
	if (n <= shift) {
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

/* ---- the comparison ------------------------------------------------------------ */

static const char *const units[] = { NULL, "", "s", "ms", "us", "ns", "ops/s", "B" };
static unsigned long checked;

static void check(double v)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
		strbuf_reset(&a);
		strbuf_reset(&b);
		format_value(&a, v, units[u]);
		ref_value(&b, v, units[u]);
		if (strcmp(a.buf, b.buf))
			fail_msg("format_value(%a = %.17g, %s) = '%s', printf gives '%s'", v, v,
				 units[u] ? units[u] : "NULL", a.buf, b.buf);
	}
	strbuf_reset(&a);
	strbuf_reset(&b);
	format_change(&a, v);
	ref_change(&b, v);
	if (strcmp(a.buf, b.buf))
		fail_msg("format_change(%a = %.17g) = '%s', printf gives '%s'", v, v, a.buf, b.buf);
	/* the value itself as the change's percentage (ties of %+.1f/%+.2f) */
	strbuf_reset(&a);
	strbuf_reset(&b);
	format_change(&a, v / 100);
	ref_change(&b, v / 100);
	if (strcmp(a.buf, b.buf))
		fail_msg("format_change(%a) = '%s', printf gives '%s'", v / 100, a.buf, b.buf);
	strbuf_reset(&a);
	strbuf_reset(&b);
	format_fixed1(&a, v);
	ref_fixed1(&b, v);
	if (strcmp(a.buf, b.buf))
		fail_msg("format_fixed1(%a) = '%s', llround gives '%s'", v, a.buf, b.buf);
	int digits = (int)(checked % 17); /* 0..16: the clamps too */
	strbuf_reset(&a);
	strbuf_reset(&b);
	format_sig(&a, v, digits);
	ref_format_sig(&b, v, digits);
	if (strcmp(a.buf, b.buf))
		fail_msg("format_sig(%a, %d) = '%s', was '%s'", v, digits, a.buf, b.buf);
	/* format_fixed, a precision in turn */
	int prec = (int)(checked % 7);
	strbuf_reset(&a);
	strbuf_reset(&b);
	format_fixed(&a, v, prec);
	strbuf_addf(&b, "%.*f", prec, v);
	if (strcmp(a.buf, b.buf))
		fail_msg("format_fixed(%a, %d) = '%s', printf gives '%s'", v, prec, a.buf, b.buf);
	strbuf_release(&a);
	strbuf_release(&b);
	checked++;
}

/* v, -v and their neighbours a few ulps away. */
static void check_around(double v)
{
	for (int s = 0; s < 2; s++) {
		double x = s ? -v : v, lo = x, hi = x;
		check(x);
		for (int k = 0; k < 3; k++) {
			lo = nextafter(lo, -INFINITY);
			hi = nextafter(hi, INFINITY);
			check(lo);
			check(hi);
		}
	}
}

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void test_grids(void **state)
{
	(void)state;
	for (long k = 0; k <= 200000; k++)
		check((double)k / 1000);
	for (long k = 200000; k <= 10000000; k += 97)
		check((double)k / 1000);
	for (long k = 0; k <= (1L << 24); k += 1 + (k >> 12))
		check((double)k / 1024);
	/* the scaled forms: values that land on a grid after * 1e3, 1e6, 1e9,
	 * / 1e3, / 1e6, / 1e9 */
	for (long k = 0; k <= 20000; k++) {
		double g = (double)k / 100;
		check(g * 1e3);
		check(g * 1e6);
		check(g * 1e9);
		check(g / 1e3);
		check(g / 1e6);
		check(g / 1e9);
	}
}

static void test_boundaries(void **state)
{
	(void)state;
	for (int e = -20; e <= 20; e++) {
		double p = pow(10, e);
		check_around(p);
		/* the rounding edges of 3-4 significant digits at this magnitude */
		static const double m[] = { 0.5, 0.05, 0.005, 0.0005, 0.00005, 0.95, 0.995, 0.9995,
					    0.99995, 9.5, 9.95, 9.995, 99.5, 99.95, 1.005, 1.015,
					    1.025, 1.125, 2.675, 1.0005, 0.1005, 0.1015 };
		for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
			check_around(m[i] * p);
		for (int d = 1; d <= 999; d += 1 + (e < -12 || e > 12) * 6)
			check_around((d + 0.5) * p / 100);
	}
	check_around(0);
	check(INFINITY);
	check(-INFINITY);
	check(NAN);
	check_around(DBL_MAX);
	check_around(DBL_MIN);
	check_around(4.9e-324);
	check_around(4503599627370496.0);
	check_around(9007199254740992.0);
}

static void test_random(void **state)
{
	(void)state;
	for (int i = 0; i < 150000; i++) {
		/* log-uniform over 1e-15 .. 1e15 */
		double u = (double)(next() >> 11) / 9007199254740992.0;
		double v = pow(10, -15 + 30 * u);
		check(next() & 1 ? -v : v);
	}
	for (int i = 0; i < 50000; i++) {
		uint64_t bits = next();
		double v;
		memcpy(&v, &bits, sizeof(v));
		check(v);
	}
	print_message("%lu values compared with printf\n", checked);
}

/* format_date against the snprintf it replaced, every hour of 1900..2200
 * and the years outside 0..9999 (which keep printf). */
static void test_date(void **state)
{
	(void)state;
	struct strbuf a = STRBUF_INIT;
	char b[64];
	for (long long t = -2208988800LL; t < 7258118400LL; t += 3599) {
		for (int wt = 0; wt < 2; wt++) {
			strbuf_reset(&a);
			format_date(&a, t, wt);
			time_t tt = (time_t)t;
			struct tm tm;
			gmtime_r(&tt, &tm);
			strftime(b, sizeof(b), wt ? "%Y-%m-%d %H:%M" : "%Y-%m-%d", &tm);
			assert_string_equal(a.buf, b);
		}
	}
	strbuf_reset(&a);
	format_date(&a, -62167219200LL - 86400, 1); /* year -1 */
	assert_string_equal(a.buf, "-001-12-31 00:00");
	strbuf_reset(&a);
	format_date(&a, 253402300800LL, 0); /* year 10000 */
	assert_string_equal(a.buf, "10000-01-01");
	strbuf_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grids),
		cmocka_unit_test(test_boundaries),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_date),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
