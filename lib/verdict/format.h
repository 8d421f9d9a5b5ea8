/* format: numbers as people read them on the site and in summaries. */
#ifndef BK_FORMAT_H
#define BK_FORMAT_H

#include "lib/base/strbuf.h"

/* Appends v in `unit` with 3-4 significant digits; time units (s, ms, us,
 * ns) are scaled to the most readable one ("11.6 ms"), others keep their
 * unit ("1.23M ops/s" uses k/M/G for large values). */
void format_value(struct strbuf *sb, double v, const char *unit);
/* Appends a relative change as a signed percentage ("+5.2%", "-0.31%"). */
void format_change(struct strbuf *sb, double change);
/* Appends the UTC date of t as "YYYY-MM-DD" (with_time: "YYYY-MM-DD HH:MM"). */
void format_date(struct strbuf *sb, long long t, int with_time);

/* Appends v with `digits` (1..15) significant digits, shortest form (no
 * trailing zeros, exponent form outside 1e-6..1e15). Much faster than
 * printf for the millions of numbers of the data files; not for values that
 * must read back bit-exact. Non-finite values are written as 0. */
void format_sig(struct strbuf *sb, double v, int digits);
/* Appends v exactly as printf("%.*f", prec, v) does (prec 0..6), without
 * printf except near a rounding tie: "12.30", "-0.0", "nan". */
void format_fixed(struct strbuf *sb, double v, int prec);
/* Appends v rounded to one decimal ("12.3", "-0.5", "7"): chart coordinates. */
void format_fixed1(struct strbuf *sb, double v);

#endif
