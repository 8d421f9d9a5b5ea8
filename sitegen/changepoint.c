/* changepoint: windowed E-divisive means with a rank test (see the header
 * and docs/changepoints.md). */
#include "changepoint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "stats.h"
#include "xalloc.h"

struct ranked {
	double v;
	int side; /* 0: a, 1: b */
};

static int cmp_ranked(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;
	return (a->v > b->v) - (a->v < b->v);
}

/* Mann–Whitney with a caller's scratch of na + nb entries. */
static double mw_p_scratch(const double *a, size_t na, const double *b, size_t nb,
			   struct ranked *r)
{
	if (!na || !nb)
		return 1.0;
	size_t n = na + nb;
	for (size_t i = 0; i < na; i++)
		r[i] = (struct ranked){ a[i], 0 };
	for (size_t i = 0; i < nb; i++)
		r[na + i] = (struct ranked){ b[i], 1 };
	qsort(r, n, sizeof(*r), cmp_ranked);
	double ra = 0, ties = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && r[j].v == r[i].v)
			j++;
		double t = (double)(j - i), rank = (double)(i + j + 1) / 2.0; /* 1-based mean */
		for (size_t k = i; k < j; k++)
			if (!r[k].side)
				ra += rank;
		ties += t * t * t - t;
		i = j;
	}
	double dna = (double)na, dnb = (double)nb, dn = (double)n;
	double u = ra - dna * (dna + 1) / 2.0;
	double mu = dna * dnb / 2.0;
	double var = dna * dnb / 12.0 * ((dn + 1) - ties / (dn * (dn - 1)));
	if (var <= 0)
		return 1.0;
	double z = (fabs(u - mu) - 0.5) / sqrt(var);
	if (z < 0)
		z = 0;
	return erfc(z / sqrt(2.0));
}

double changepoint_mw_p(const double *a, size_t na, const double *b, size_t nb)
{
	struct ranked *r = xmalloc((na + nb + 1) * sizeof(*r));
	double p = mw_p_scratch(a, na, b, nb, r);
	free(r);
	return p;
}

/* Index t in [m0, L - m0] maximising the energy statistic of v[0..t) against
 * v[t..L); 0 when L < 2 * m0. O(L^2) with running sums of distances. */
static size_t energy_argmax(const double *v, size_t L, size_t m0)
{
	if (L < 2 * m0)
		return 0;
	double between = 0, wl = 0, wr = 0;
	for (size_t j = 0; j < L; j++)
		for (size_t k = j + 1; k < L; k++)
			wr += fabs(v[j] - v[k]);
	size_t best = 0;
	double bestq = -INFINITY;
	for (size_t t = 0; t + m0 < L; t++) {
		double sl = 0, sr = 0;
		for (size_t i = 0; i < t; i++)
			sl += fabs(v[i] - v[t]);
		for (size_t j = t + 1; j < L; j++)
			sr += fabs(v[t] - v[j]);
		wl += sl;
		wr -= sr;
		between += sr - sl;
		size_t m = t + 1, k = L - m;
		if (m < m0 || k < m0)
			continue;
		double dm = (double)m, dk = (double)k;
		double q = dm * dk / (dm + dk) *
			   (2.0 * between / (dm * dk) - wl / (dm * (dm - 1) / 2.0) -
			    wr / (dk * (dk - 1) / 2.0));
		if (q > bestq) {
			bestq = q;
			best = m;
		}
	}
	return best;
}

struct cand {
	size_t idx;
	double p;
};

struct ctx {
	const double *y; /* transformed series */
	const double *x; /* raw series */
	size_t n;
	const struct changepoint_opts *o;
	struct ranked *scratch;
	double *tmp;
	struct cand *c;
	size_t nc, ac;
};

static void segment(struct ctx *cx, size_t s, size_t e, int depth)
{
	size_t m0 = cx->o->min_segment;
	if (e - s < 2 * m0 || depth > 64)
		return;
	size_t t = energy_argmax(cx->y + s, e - s, m0);
	if (!t)
		return;
	t += s;
	double p = mw_p_scratch(cx->y + s, t - s, cx->y + t, e - t, cx->scratch);
	if (!(p < cx->o->p_loose))
		return;
	ALLOC_GROW(cx->c, cx->nc + 1, cx->ac);
	cx->c[cx->nc++] = (struct cand){ t, p };
	segment(cx, s, t, depth + 1);
	segment(cx, t, e, depth + 1);
}

static int cmp_cand(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;
	if (a->idx != b->idx)
		return a->idx < b->idx ? -1 : 1;
	return (a->p > b->p) - (a->p < b->p);
}

static double median_of(struct ctx *cx, size_t lo, size_t hi)
{
	memcpy(cx->tmp, cx->x + lo, (hi - lo) * sizeof(double));
	stats_sort(cx->tmp, hi - lo);
	return stats_quantile_sorted(cx->tmp, hi - lo, 0.5);
}

/* The neighbourhood of candidate i among c[0..k): [*lo, *hi). */
static void bounds(const struct ctx *cx, const struct cand *c, size_t k, size_t i, size_t *lo,
		   size_t *hi)
{
	size_t w = cx->o->window;
	size_t l = i ? c[i - 1].idx : 0, h = i + 1 < k ? c[i + 1].idx : cx->n;
	if (c[i].idx - l > w)
		l = c[i].idx - w;
	if (h - c[i].idx > w)
		h = c[i].idx + w;
	*lo = l;
	*hi = h;
}

struct score {
	double p, effect;
	int fails;
};

static struct score score_of(struct ctx *cx, const struct cand *c, size_t k, size_t i)
{
	struct score s = { 1.0, 0.0, 1 };
	size_t lo, hi, t = c[i].idx, m0 = cx->o->min_segment;
	bounds(cx, c, k, i, &lo, &hi);
	if (t - lo < m0 || hi - t < m0)
		return s;
	s.p = mw_p_scratch(cx->y + lo, t - lo, cx->y + t, hi - t, cx->scratch);
	double before = median_of(cx, lo, t), after = median_of(cx, t, hi);
	s.effect = before != 0 ? after / before - 1 : (after != 0 ? INFINITY : 0);
	s.fails = !(s.p < cx->o->p_strict) || !(fabs(s.effect) >= cx->o->min_effect);
	return s;
}

int changepoint_detect(const double *x, size_t n, const struct changepoint_opts *opts,
		       struct changepoint **out, size_t *nout)
{
	struct changepoint_opts def = CHANGEPOINT_OPTS_INIT;
	const struct changepoint_opts *o = opts ? opts : &def;
	*out = NULL;
	*nout = 0;
	if (o->min_segment < 2 || o->window < 2 * o->min_segment || !(o->p_loose > 0) ||
	    !(o->p_strict > 0) || o->p_strict > o->p_loose || !(o->min_effect >= 0))
		return bk_error("change points: invalid options (need min_segment >= 2, window >= "
				"2 * min_segment, 0 < p_strict <= p_loose)");
	if (n < 2 * o->min_segment)
		return 0;
	int positive = 1;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(x[i]))
			return 0;
		if (x[i] <= 0)
			positive = 0;
	}
	double *y = xmalloc(n * sizeof(double));
	for (size_t i = 0; i < n; i++)
		y[i] = positive ? log(x[i]) : x[i];

	struct ctx cx = { .y = y, .x = x, .n = n, .o = o };
	cx.scratch = xmalloc((2 * o->window + 2) * sizeof(*cx.scratch));
	cx.tmp = xmalloc((2 * o->window + 2) * sizeof(double));

	/* pass 1: candidates from half-overlapping windows */
	size_t w = o->window;
	if (n <= w) {
		segment(&cx, 0, n, 0);
	} else {
		for (size_t s = 0;; s += w / 2) {
			size_t e = s + w;
			if (e >= n) {
				segment(&cx, n - w, n, 0);
				break;
			}
			segment(&cx, s, e, 0);
		}
	}
	/* one candidate per neighbourhood: the most significant */
	if (cx.nc) /* qsort(NULL, 0) is undefined */
		qsort(cx.c, cx.nc, sizeof(*cx.c), cmp_cand);
	size_t k = 0;
	for (size_t i = 0; i < cx.nc; i++) {
		if (k && cx.c[i].idx - cx.c[k - 1].idx < o->min_segment) {
			if (cx.c[i].p < cx.c[k - 1].p)
				cx.c[k - 1] = cx.c[i];
			continue;
		}
		cx.c[k++] = cx.c[i];
	}

	/* pass 2: drop the weakest until every point passes the strict test */
	struct score *sc = xmalloc((k + 1) * sizeof(*sc));
	for (size_t i = 0; i < k; i++)
		sc[i] = score_of(&cx, cx.c, k, i);
	for (;;) {
		size_t worst = k;
		for (size_t i = 0; i < k; i++) {
			if (!sc[i].fails)
				continue;
			if (worst == k || sc[i].p > sc[worst].p ||
			    (sc[i].p == sc[worst].p &&
			     fabs(sc[i].effect) < fabs(sc[worst].effect)))
				worst = i;
		}
		if (worst == k)
			break;
		memmove(cx.c + worst, cx.c + worst + 1, (k - worst - 1) * sizeof(*cx.c));
		memmove(sc + worst, sc + worst + 1, (k - worst - 1) * sizeof(*sc));
		k--;
		if (worst > 0)
			sc[worst - 1] = score_of(&cx, cx.c, k, worst - 1);
		if (worst < k)
			sc[worst] = score_of(&cx, cx.c, k, worst);
	}

	/* refine each position inside its final neighbourhood, then report */
	if (k) {
		*out = xmalloc(k * sizeof(**out));
		for (size_t i = 0; i < k; i++) {
			size_t lo, hi;
			bounds(&cx, cx.c, k, i, &lo, &hi);
			size_t t = energy_argmax(y + lo, hi - lo, o->min_segment);
			if (t) {
				struct cand keep = cx.c[i];
				cx.c[i].idx = lo + t;
				struct score s2 = score_of(&cx, cx.c, k, i);
				if (s2.fails)
					cx.c[i] = keep;
			}
			bounds(&cx, cx.c, k, i, &lo, &hi);
			size_t ti = cx.c[i].idx;
			struct changepoint *cp = &(*out)[i];
			cp->index = ti;
			cp->before = median_of(&cx, lo, ti);
			cp->after = median_of(&cx, ti, hi);
			cp->change = cp->before != 0 ? cp->after / cp->before - 1 : 0;
			cp->p_value = mw_p_scratch(y + lo, ti - lo, y + ti, hi - ti, cx.scratch);
		}
		*nout = k;
	}
	free(sc);
	free(cx.c);
	free(cx.scratch);
	free(cx.tmp);
	free(y);
	return 0;
}
