/* chart: SVG trend charts and sparklines (see chart.h). */
#include "sitegen/render/chart.h"
#include "lib/base/escape.h"
#include "lib/verdict/format.h"
#include "lib/base/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Appends a path command and a point: "L12.3 45.6". */
static void pt(struct strbuf *sb, char cmd, double x, double y)
{
	strbuf_addch(sb, cmd);
	format_fixed1(sb, x);
	strbuf_addch(sb, ' ');
	format_fixed1(sb, y);
}

/* fmin/fmax, exactly (NaN and signed zeros included): the comparisons
 * decide the common case inline, libm only ties and NaNs. */
static inline double min_d(double a, double b)
{
	return a < b ? a : b < a ? b : fmin(a, b);
}

static inline double max_d(double a, double b)
{
	return a > b ? a : b > a ? b : fmax(a, b);
}

struct col {
	double vmin, vmax, lo, hi;
	size_t first, last;
};

/* Buckets n points into at most `cols` columns. Returns the column count. */
static size_t bucket(const struct chart_point *p, size_t n, size_t cols, struct col *out)
{
	size_t m = n < cols ? n : cols;
	for (size_t c = 0; c < m; c++) {
		size_t a = c * n / m, b = (c + 1) * n / m;
		struct col *k = &out[c];
		k->first = a;
		k->last = b - 1;
		k->vmin = k->lo = INFINITY;
		k->vmax = k->hi = -INFINITY;
		for (size_t i = a; i < b; i++) {
			double v = p[i].median;
			k->vmin = min_d(k->vmin, v);
			k->vmax = max_d(k->vmax, v);
			k->lo = min_d(k->lo, min_d(p[i].lo, v));
			k->hi = max_d(k->hi, max_d(p[i].hi, v));
		}
	}
	return m;
}

#define MAX_TICKS 700 /* y labels; a log axis over the whole double range has 617 */

struct scale {
	double lo, hi;
	int log;
	double top, bottom; /* pixel rows */
	double llo, lspan;  /* log10(lo), log10(hi) - log10(lo): set by scale_fix */
};

/* Computes the scale's logarithms once lo and hi are final. */
static void scale_fix(struct scale *s)
{
	if (s->log) {
		s->llo = log10(s->lo);
		s->lspan = log10(s->hi) - s->llo;
	}
}

static double ypix(const struct scale *s, double v)
{
	double t;
	if (s->log)
		t = (log10(fmax(v, 1e-300)) - s->llo) / s->lspan;
	else /* halves: a range of hostile values may not fit in a double */
		t = (v * 0.5 - s->lo * 0.5) / (s->hi * 0.5 - s->lo * 0.5);
	return s->bottom - t * (s->bottom - s->top);
}

static double nice_step(double range)
{
	double raw = range / 5, mag = pow(10, floor(log10(raw))), f = raw / mag;
	return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
}

void chart_svg(struct strbuf *sb, const struct chart_point *p, size_t n, const struct chart_opts *o)
{
	chart_svg_levels(sb, p, n, o, NULL, 0);
}

/* A chart being drawn: its plot area, columns and y scale. */
struct frame {
	double L, R, T, B; /* plot area (pixels) */
	size_t n, m;       /* points, columns */
	double dx;         /* column spacing */
	const struct col *cols;
	struct scale s;
};

/* The x pixel of column c (the middle when there is one column). */
static inline double xcol(const struct frame *f, size_t c)
{
	return f->m > 1 ? f->L + f->dx * (double)c : (f->L + f->R) / 2;
}

/* Fits the y scale to the columns and the finite levels: a log axis of
 * whole decades when the values are positive and span 100x, else a linear
 * one padded by 8% and rounded to nice steps. */
static void scale_fit(struct scale *s, const struct col *cols, size_t m,
		      const struct chart_level *levels, size_t nlevels)
{
	for (size_t c = 0; c < m; c++) {
		s->lo = fmin(s->lo, cols[c].lo);
		s->hi = fmax(s->hi, cols[c].hi);
	}
	for (size_t i = 0; i < nlevels; i++) {
		if (isfinite(levels[i].lo) && isfinite(levels[i].hi)) {
			s->lo = fmin(s->lo, levels[i].lo);
			s->hi = fmax(s->hi, levels[i].hi);
		}
	}
	/* a log axis only when its decades are finite (1e308 rounds up to inf) */
	if (s->lo > 0 && s->hi / s->lo >= 100 && isfinite(pow(10, ceil(log10(s->hi))))) {
		s->log = 1;
		s->lo = pow(10, floor(log10(s->lo)));
		s->hi = pow(10, ceil(log10(s->hi)));
	} else {
		double pad = (s->hi - s->lo) * 0.08;
		if (pad == 0)
			pad = fabs(s->hi) * 0.05 + 1e-12;
		double lo = s->lo - pad, hi = s->hi + pad;
		if (s->lo >= 0 && lo < 0)
			lo = 0;
		double step = nice_step(hi - lo);
		/* values spanning more than a double can hold keep their raw range */
		if (isfinite(step) && isfinite(floor(lo / step) * step) &&
		    isfinite(ceil(hi / step) * step)) {
			s->lo = floor(lo / step) * step;
			s->hi = ceil(hi / step) * step;
		}
	}
	scale_fix(s);
}

/* A y grid line with its label lab at value v. */
static void y_tick(struct strbuf *sb, const struct frame *f, double v, const char *lab)
{
	double y = ypix(&f->s, v);
	strbuf_addf(sb, "<line class=\"bk-grid\" x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\"/>"
			"<text class=\"bk-axis\" x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">",
		    f->L, f->R, y, y, f->L - 6, y + 4);
	escape_html(sb, lab);
	strbuf_addstr(sb, "</text>");
}

/* The y grid and labels: every decade, or every nice step. At most
 * MAX_TICKS labels: with hostile values a step can be lost in rounding
 * (v += step leaving v unchanged). */
static void y_axis(struct strbuf *sb, const struct frame *f, const char *unit, struct strbuf *lab)
{
	const struct scale *s = &f->s;
	if (s->log) {
		int k = 0;
		for (double v = s->lo; v <= s->hi * 1.0001 && k < MAX_TICKS; v *= 10, k++) {
			strbuf_reset(lab);
			format_value(lab, v, unit);
			y_tick(sb, f, v, lab->buf);
		}
		return;
	}
	double step = nice_step(s->hi - s->lo);
	if (!isfinite(step))
		step = s->hi * 0.25 - s->lo * 0.25;
	int k = 0;
	for (double v = s->lo; v <= s->hi + step * 0.001 && k < MAX_TICKS; v += step, k++) {
		strbuf_reset(lab);
		format_value(lab, fabs(v) < step * 1e-9 ? 0 : v, unit);
		y_tick(sb, f, v, lab->buf);
	}
}

/* Noise bands: one rectangle per segment, from its first column to its
 * last (half a column wider each side, so that they join). */
static void draw_levels(struct strbuf *sb, const struct frame *f, const struct chart_level *levels,
			size_t nlevels)
{
	for (size_t i = 0; i < nlevels; i++) {
		const struct chart_level *lv = &levels[i];
		if (lv->first >= lv->end || lv->end > f->n || !isfinite(lv->lo) || !isfinite(lv->hi))
			continue;
		size_t c0 = lv->first * f->m / f->n, c1 = (lv->end - 1) * f->m / f->n;
		double x0 = xcol(f, c0) - f->dx / 2, x1 = xcol(f, c1) + f->dx / 2;
		x0 = x0 < f->L ? f->L : x0;
		x1 = x1 > f->R ? f->R : x1;
		if (f->m == 1) {
			x0 = f->L;
			x1 = f->R;
		}
		strbuf_addstr(sb, "<path class=\"bk-noise\" d=\"");
		pt(sb, 'M', x0, ypix(&f->s, lv->hi));
		pt(sb, 'L', x1, ypix(&f->s, lv->hi));
		pt(sb, 'L', x1, ypix(&f->s, lv->lo));
		pt(sb, 'L', x0, ypix(&f->s, lv->lo));
		strbuf_addstr(sb, "Z\">");
		if (lv->label) {
			strbuf_addstr(sb, "<title>");
			escape_html(sb, lv->label);
			strbuf_addstr(sb, "</title>");
		}
		strbuf_addstr(sb, "</path>");
	}
}

/* The min-max band of the columns and the median line through each
 * column's min and max. */
static void draw_series(struct strbuf *sb, const struct frame *f)
{
	const struct col *cols = f->cols;
	strbuf_addstr(sb, "<path class=\"bk-band\" d=\"");
	for (size_t c = 0; c < f->m; c++)
		pt(sb, c ? 'L' : 'M', xcol(f, c), ypix(&f->s, cols[c].hi));
	for (size_t c = f->m; c-- > 0;)
		pt(sb, 'L', xcol(f, c), ypix(&f->s, cols[c].lo));
	strbuf_addstr(sb, "Z\"/>");
	strbuf_addstr(sb, "<path class=\"bk-line\" d=\"");
	for (size_t c = 0; c < f->m; c++) {
		double y1 = ypix(&f->s, cols[c].vmax), y2 = ypix(&f->s, cols[c].vmin);
		pt(sb, c ? 'L' : 'M', xcol(f, c), y1);
		if (fabs(y1 - y2) > 0.05)
			pt(sb, 'L', xcol(f, c), y2);
	}
	strbuf_addstr(sb, "\"/>");
}

/* A vertical line per change point, coloured by its kind. */
static void draw_marks(struct strbuf *sb, const struct frame *f, const struct chart_opts *o)
{
	for (size_t i = 0; i < o->nmarks; i++) {
		size_t idx = o->marks[i].index;
		if (idx >= f->n)
			continue;
		size_t c = idx * f->m / f->n;
		double x = xcol(f, c);
		strbuf_addf(sb, "<g class=\"bk-mark %s\"><line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" y2=\"%.0f\"/>"
				"<title>",
			    o->marks[i].regression ? "bk-regression" : "bk-improvement", x, x, f->T, f->B);
		escape_html(sb, o->marks[i].label ? o->marks[i].label : "");
		strbuf_addstr(sb, "</title></g>");
	}
}

/* The hover target of column c with its tooltip (and link). */
static void draw_hit(struct strbuf *sb, const struct frame *f, const struct chart_point *p,
		     size_t c, const char *unit, struct strbuf *lab)
{
	const struct col *k = &f->cols[c];
	const struct chart_point *pt = &p[k->last];
	double x = xcol(f, c), w = f->m > 1 ? f->dx : 8;
	if (pt->href) {
		strbuf_addstr(sb, "<a href=\"");
		escape_html(sb, pt->href);
		strbuf_addstr(sb, "\">");
	}
	if (f->m <= 200) {
		strbuf_addstr(sb, "<circle class=\"bk-point\" cx=\"");
		format_fixed(sb, x, 1);
		strbuf_addstr(sb, "\" cy=\"");
		format_fixed(sb, ypix(&f->s, pt->median), 1);
		strbuf_addstr(sb, "\" r=\"3\"/>");
	}
	strbuf_addstr(sb, "<rect class=\"bk-hit\" x=\"");
	format_fixed1(sb, x - w / 2);
	strbuf_addstr(sb, "\" y=\"");
	format_fixed1(sb, f->T);
	strbuf_addstr(sb, "\" width=\"");
	format_fixed1(sb, w < 0.1 ? 0.1 : w);
	strbuf_addstr(sb, "\" height=\"");
	format_fixed1(sb, f->B - f->T);
	strbuf_addstr(sb, "\" data-i=\"");
	strbuf_addu(sb, k->last);
	strbuf_addstr(sb, "\"><title>");
	if (k->first != k->last) {
		strbuf_reset(lab);
		strbuf_addu(lab, k->last - k->first + 1);
		strbuf_addstr(lab, " points, median ");
		format_value(lab, k->vmin, unit);
		strbuf_addstr(lab, " \xe2\x80\x93 ");
		format_value(lab, k->vmax, unit);
		strbuf_addstr(lab, "; last: ");
		escape_html(sb, lab->buf);
	}
	escape_html(sb, pt->label ? pt->label : "");
	strbuf_addstr(sb, "</title></rect>");
	if (pt->href)
		strbuf_addstr(sb, "</a>");
}

void chart_svg_levels(struct strbuf *sb, const struct chart_point *p, size_t n,
		      const struct chart_opts *o, const struct chart_level *levels, size_t nlevels)
{
	int W = o->width ? o->width : 800, H = o->height ? o->height : 260;
	double L = 70, R = (double)W - 12, T = 12, B = (double)H - 28;
	strbuf_addf(sb, "<svg class=\"bk-chart\" viewBox=\"0 0 %d %d\" role=\"img\" "
			"preserveAspectRatio=\"none\" xmlns=\"http://www.w3.org/2000/svg\">", W, H);
	if (o->title) {
		strbuf_addstr(sb, "<title>");
		escape_html(sb, o->title);
		strbuf_addstr(sb, "</title>");
	}
	if (!n) {
		strbuf_addf(sb, "<text x=\"%d\" y=\"%d\" class=\"bk-axis\">no data</text></svg>", W / 2 - 30, H / 2);
		return;
	}
	size_t maxcols = (size_t)(R - L);
	struct col *cols = xcalloc(n < maxcols ? n : maxcols, sizeof(*cols));
	struct frame f = { L, R, T, B, n, 0, 0, cols, { INFINITY, -INFINITY, 0, T, B, 0, 0 } };
	f.m = bucket(p, n, maxcols, cols);
	f.dx = f.m > 1 ? (R - L) / (double)(f.m - 1) : 0;
	scale_fit(&f.s, cols, f.m, levels, nlevels);
	struct strbuf lab = STRBUF_INIT;
	y_axis(sb, &f, o->unit, &lab);
	draw_levels(sb, &f, levels, nlevels);
	draw_series(sb, &f);
	draw_marks(sb, &f, o);
	for (size_t c = 0; c < f.m; c++)
		draw_hit(sb, &f, p, c, o->unit, &lab);
	strbuf_addf(sb, "<line class=\"bk-axisline\" x1=\"%.0f\" x2=\"%.0f\" y1=\"%.0f\" y2=\"%.0f\"/>",
		    L, R, B, B);
	if (f.s.log)
		strbuf_addf(sb, "<text class=\"bk-axis\" x=\"%.0f\" y=\"%d\">log scale</text>", L, H - 8);
	strbuf_addstr(sb, "</svg>");
	strbuf_release(&lab);
	free(cols);
}

void chart_sparkline(struct strbuf *sb, const double *v, size_t n, int width, int height)
{
	strbuf_addf(sb, "<svg class=\"bk-spark\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
			"aria-hidden=\"true\" xmlns=\"http://www.w3.org/2000/svg\">",
		    width, height, width, height);
	if (n) {
		size_t m = n < (size_t)width / 2 ? n : (size_t)width / 2;
		double lo = INFINITY, hi = -INFINITY;
		for (size_t i = 0; i < n; i++) {
			lo = min_d(lo, v[i]);
			hi = max_d(hi, v[i]);
		}
		if (hi == lo) {
			hi += 1;
			lo -= 1;
		}
		strbuf_addstr(sb, "<path class=\"bk-line\" d=\"");
		for (size_t c = 0; c < m; c++) {
			size_t a = c * n / m, b = (c + 1) * n / m;
			double mn = INFINITY, mx = -INFINITY;
			for (size_t i = a; i < b; i++) {
				mn = min_d(mn, v[i]);
				mx = max_d(mx, v[i]);
			}
			double x = m > 1 ? 1 + (double)(width - 2) * (double)c / (double)(m - 1) : width / 2.0;
			double y1 = 1 + (double)(height - 2) * (1 - (mx - lo) / (hi - lo));
			double y2 = 1 + (double)(height - 2) * (1 - (mn - lo) / (hi - lo));
			pt(sb, c ? 'L' : 'M', x, y1);
			if (y2 - y1 > 0.2)
				pt(sb, 'L', x, y2);
		}
		strbuf_addstr(sb, "\"/>");
	}
	strbuf_addstr(sb, "</svg>");
}
