/* chart: inline SVG trend charts and sparklines, complete without JavaScript.
 *
 * Long histories are downsampled per pixel column keeping each column's
 * minimum and maximum (so a one-commit spike is never lost); the band is the
 * column's lowest `lo` to highest `hi`. A log scale is used when all values
 * are positive and they span two decades or more. Every string is escaped;
 * colours come from CSS classes (bk-line, bk-band, bk-noise, bk-mark,
 * bk-axis, bk-point) so the page's light/dark styles apply. */
#ifndef BK_CHART_H
#define BK_CHART_H

#include <stddef.h>

#include "lib/base/strbuf.h"

struct chart_point {
	double median, lo, hi;
	const char *label; /* tooltip text (raw; escaped here), may be NULL */
	const char *href;  /* link for the point (raw; escaped here), may be NULL */
};

struct chart_mark {
	size_t index;      /* point index of the change */
	const char *label; /* raw text */
	int regression;    /* 1: drawn as a regression, 0: improvement */
};

/* A level drawn as a shaded band (the noise band around a segment's level):
 * points first..end-1 between lo and hi. */
struct chart_level {
	size_t first, end;
	double level, lo, hi;
	const char *label; /* raw text (a <title>), may be NULL */
};

struct chart_opts {
	int width, height; /* viewBox size; 0: 800 x 260 */
	const char *unit;
	const char *title; /* accessible title (raw) */
	const struct chart_mark *marks;
	size_t nmarks;
};

/* Appends an <svg> trend chart of n points to sb. Nothing to free besides sb. */
void chart_svg(struct strbuf *sb, const struct chart_point *p, size_t n, const struct chart_opts *o);
/* chart_svg with the bands levels[0..nlevels) drawn under everything else
 * (class bk-noise; the y axis spans them too). */
void chart_svg_levels(struct strbuf *sb, const struct chart_point *p, size_t n,
		      const struct chart_opts *o, const struct chart_level *levels, size_t nlevels);
/* Appends a small <svg> sparkline of n values (downsampled likewise). */
void chart_sparkline(struct strbuf *sb, const double *v, size_t n, int width, int height);

#endif
