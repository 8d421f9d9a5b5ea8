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
	size_t m = bucket(p, n, maxcols, cols);
	struct scale s = { INFINITY, -INFINITY, 0, T, B, 0, 0 };
	for (size_t c = 0; c < m; c++) {
		s.lo = fmin(s.lo, cols[c].lo);
		s.hi = fmax(s.hi, cols[c].hi);
	}
	for (size_t i = 0; i < nlevels; i++) {
		if (isfinite(levels[i].lo) && isfinite(levels[i].hi)) {
			s.lo = fmin(s.lo, levels[i].lo);
			s.hi = fmax(s.hi, levels[i].hi);
		}
	}
	/* a log axis only when its decades are finite (1e308 rounds up to inf) */
	if (s.lo > 0 && s.hi / s.lo >= 100 && isfinite(pow(10, ceil(log10(s.hi))))) {
		s.log = 1;
		s.lo = pow(10, floor(log10(s.lo)));
		s.hi = pow(10, ceil(log10(s.hi)));
	} else {
		double pad = (s.hi - s.lo) * 0.08;
		if (pad == 0)
			pad = fabs(s.hi) * 0.05 + 1e-12;
		double lo = s.lo - pad, hi = s.hi + pad;
		if (s.lo >= 0 && lo < 0)
			lo = 0;
		double step = nice_step(hi - lo);
		/* values spanning more than a double can hold keep their raw range */
		if (isfinite(step) && isfinite(floor(lo / step) * step) &&
		    isfinite(ceil(hi / step) * step)) {
			s.lo = floor(lo / step) * step;
			s.hi = ceil(hi / step) * step;
		}
	}
	scale_fix(&s);
	/* y grid and labels */
	struct strbuf lab = STRBUF_INIT;
	if (s.log) {
		/* at most MAX_TICKS labels: with hostile values a step can be
		 * lost in rounding (v += step leaving v unchanged) */
		int k = 0;
		for (double v = s.lo; v <= s.hi * 1.0001 && k < MAX_TICKS; v *= 10, k++) {
			double y = ypix(&s, v);
			strbuf_reset(&lab);
			format_value(&lab, v, o->unit);
			strbuf_addf(sb, "<line class=\"bk-grid\" x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\"/>"
					"<text class=\"bk-axis\" x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">",
				    L, R, y, y, L - 6, y + 4);
			escape_html(sb, lab.buf);
			strbuf_addstr(sb, "</text>");
		}
	} else {
		double step = nice_step(s.hi - s.lo);
		if (!isfinite(step))
			step = s.hi * 0.25 - s.lo * 0.25;
		int k = 0;
		for (double v = s.lo; v <= s.hi + step * 0.001 && k < MAX_TICKS; v += step, k++) {
			double y = ypix(&s, v);
			strbuf_reset(&lab);
			format_value(&lab, fabs(v) < step * 1e-9 ? 0 : v, o->unit);
			strbuf_addf(sb, "<line class=\"bk-grid\" x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\"/>"
					"<text class=\"bk-axis\" x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">",
				    L, R, y, y, L - 6, y + 4);
			escape_html(sb, lab.buf);
			strbuf_addstr(sb, "</text>");
		}
	}
	double dx = m > 1 ? (R - L) / (double)(m - 1) : 0;
#define XC(c) (m > 1 ? L + dx * (double)(c) : (L + R) / 2)
	/* noise bands: one rectangle per segment, from its first column to its
	 * last (half a column wider each side, so that they join) */
	for (size_t i = 0; i < nlevels; i++) {
		const struct chart_level *lv = &levels[i];
		if (lv->first >= lv->end || lv->end > n || !isfinite(lv->lo) || !isfinite(lv->hi))
			continue;
		size_t c0 = lv->first * m / n, c1 = (lv->end - 1) * m / n;
		double x0 = XC(c0) - dx / 2, x1 = XC(c1) + dx / 2;
		x0 = x0 < L ? L : x0;
		x1 = x1 > R ? R : x1;
		if (m == 1) {
			x0 = L;
			x1 = R;
		}
		strbuf_addstr(sb, "<path class=\"bk-noise\" d=\"");
		pt(sb, 'M', x0, ypix(&s, lv->hi));
		pt(sb, 'L', x1, ypix(&s, lv->hi));
		pt(sb, 'L', x1, ypix(&s, lv->lo));
		pt(sb, 'L', x0, ypix(&s, lv->lo));
		strbuf_addstr(sb, "Z\">");
		if (lv->label) {
			strbuf_addstr(sb, "<title>");
			escape_html(sb, lv->label);
			strbuf_addstr(sb, "</title>");
		}
		strbuf_addstr(sb, "</path>");
	}
	/* band */
	strbuf_addstr(sb, "<path class=\"bk-band\" d=\"");
	for (size_t c = 0; c < m; c++)
		pt(sb, c ? 'L' : 'M', XC(c), ypix(&s, cols[c].hi));
	for (size_t c = m; c-- > 0;)
		pt(sb, 'L', XC(c), ypix(&s, cols[c].lo));
	strbuf_addstr(sb, "Z\"/>");
	/* median: through each column's min and max */
	strbuf_addstr(sb, "<path class=\"bk-line\" d=\"");
	for (size_t c = 0; c < m; c++) {
		double y1 = ypix(&s, cols[c].vmax), y2 = ypix(&s, cols[c].vmin);
		pt(sb, c ? 'L' : 'M', XC(c), y1);
		if (fabs(y1 - y2) > 0.05)
			pt(sb, 'L', XC(c), y2);
	}
	strbuf_addstr(sb, "\"/>");
	/* change points */
	for (size_t i = 0; i < o->nmarks; i++) {
		size_t idx = o->marks[i].index;
		if (idx >= n)
			continue;
		size_t c = idx * m / n;
		double x = XC(c);
		strbuf_addf(sb, "<g class=\"bk-mark %s\"><line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" y2=\"%.0f\"/>"
				"<title>",
			    o->marks[i].regression ? "bk-regression" : "bk-improvement", x, x, T, B);
		escape_html(sb, o->marks[i].label ? o->marks[i].label : "");
		strbuf_addstr(sb, "</title></g>");
	}
	/* hover targets with tooltips (and links), one per column */
	for (size_t c = 0; c < m; c++) {
		const struct chart_point *pt = &p[cols[c].last];
		double x = XC(c), w = m > 1 ? dx : 8;
		if (pt->href) {
			strbuf_addstr(sb, "<a href=\"");
			escape_html(sb, pt->href);
			strbuf_addstr(sb, "\">");
		}
		if (m <= 200) {
			strbuf_addstr(sb, "<circle class=\"bk-point\" cx=\"");
			format_fixed(sb, x, 1);
			strbuf_addstr(sb, "\" cy=\"");
			format_fixed(sb, ypix(&s, pt->median), 1);
			strbuf_addstr(sb, "\" r=\"3\"/>");
		}
		strbuf_addstr(sb, "<rect class=\"bk-hit\" x=\"");
		format_fixed1(sb, x - w / 2);
		strbuf_addstr(sb, "\" y=\"");
		format_fixed1(sb, T);
		strbuf_addstr(sb, "\" width=\"");
		format_fixed1(sb, w < 0.1 ? 0.1 : w);
		strbuf_addstr(sb, "\" height=\"");
		format_fixed1(sb, B - T);
		strbuf_addstr(sb, "\" data-i=\"");
		strbuf_addu(sb, cols[c].last);
		strbuf_addstr(sb, "\"><title>");
		if (cols[c].first != cols[c].last) {
			strbuf_reset(&lab);
			strbuf_addu(&lab, cols[c].last - cols[c].first + 1);
			strbuf_addstr(&lab, " points, median ");
			format_value(&lab, cols[c].vmin, o->unit);
			strbuf_addstr(&lab, " \xe2\x80\x93 ");
			format_value(&lab, cols[c].vmax, o->unit);
			strbuf_addstr(&lab, "; last: ");
			escape_html(sb, lab.buf);
		}
		escape_html(sb, pt->label ? pt->label : "");
		strbuf_addstr(sb, "</title></rect>");
		if (pt->href)
			strbuf_addstr(sb, "</a>");
	}
	strbuf_addf(sb, "<line class=\"bk-axisline\" x1=\"%.0f\" x2=\"%.0f\" y1=\"%.0f\" y2=\"%.0f\"/>",
		    L, R, B, B);
	if (s.log)
		strbuf_addf(sb, "<text class=\"bk-axis\" x=\"%.0f\" y=\"%d\">log scale</text>", L, H - 8);
	strbuf_addstr(sb, "</svg>");
#undef XC
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
