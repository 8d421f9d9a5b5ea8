/* changepoint: windowed E-divisive means with a rank test (see the header
 * and docs/changepoints.md). */
#include "sitegen/analysis/changepoint.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sitegen/analysis/cpmemo.h"
#include "lib/base/error.h"
#include "lib/stats/select.h"
#include "lib/base/xalloc.h"

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
	double *y;          /* transformed series (with a memo: see y_range) */
	unsigned char *yok; /* with a memo: blocks of Y_BLOCK points of y computed */
	int positive;       /* y is log(x), else y is x */
	const double *x;    /* raw series */
	size_t n;
	const struct changepoint_opts *o;
	struct ranked *scratch;
	double *tmp;
	struct cand *c;
	size_t nc, ac;
	/* memoisation (m NULL: none) */
	struct cp_memo *m;
	struct cp_key salt; /* hash of the options and of `positive` */
	uint64_t *val;      /* a value being read or written */
	size_t valcap;      /* its size in words */
};

/* With a memo, y is computed only where a computation misses the memo, in
 * blocks of Y_BLOCK points: y_range(cx, lo, hi) before using y[lo..hi). */
#define Y_BLOCK 64

static void y_range(struct ctx *cx, size_t lo, size_t hi)
{
	if (!cx->yok || lo >= hi)
		return;
	for (size_t b = lo / Y_BLOCK; b <= (hi - 1) / Y_BLOCK; b++) {
		if (cx->yok[b])
			continue;
		size_t e = (b + 1) * Y_BLOCK < cx->n ? (b + 1) * Y_BLOCK : cx->n;
		for (size_t i = b * Y_BLOCK; i < e; i++)
			cx->y[i] = cx->positive ? log(cx->x[i]) : cx->x[i];
		cx->yok[b] = 1;
	}
}

/* The version of every memoised computation, part of every key: bump it
 * when a change to this file can change any of their results (segment,
 * score_compute, refine_compute or what they call), so that entries of the
 * old code are never used (they are dropped by the next save). */
#define MEMO_ALGORITHM 2

/* What a memo entry holds (the first word of its key). */
enum memo_kind { MEMO_WINDOW = 1, MEMO_GROUP, MEMO_SCORE, MEMO_REFINE };

/* The key of a computation of `kind` that reads the raw values v[0..len)
 * (and y over the same range, which follows from them and the transform
 * flag in the salt) and depends on `a` and `b` besides the options. */
static void memo_key(const struct ctx *cx, struct cp_key *k, enum memo_kind kind,
		     const double *v, size_t len, size_t a, size_t b)
{
	uint64_t head[6] = { kind, len, a, b, cx->salt.a, cx->salt.b };
	cp_hash128(k, head, 6, v, len * sizeof(double));
}

static uint64_t bits_of(double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof(u));
	return u;
}

static double double_of(uint64_t u)
{
	double d;
	memcpy(&d, &u, sizeof(d));
	return d;
}

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

/* Candidates in the memo are (offset from the first point read, bits of p)
 * pairs. Appends those of key k to cx->c, with offsets below `span`, and
 * returns 1; 0 when k is not there (or its value is not such a list). */
static int cands_get(struct ctx *cx, const struct cp_key *k, size_t s, size_t span)
{
	size_t len;
	if (!cp_memo_get(cx->m, k, cx->val, cx->valcap * sizeof(uint64_t), &len) || len % 16)
		return 0;
	size_t nv = len / 16;
	for (size_t i = 0; i < nv; i++)
		if (cx->val[2 * i] >= span)
			return 0;
	ALLOC_GROW(cx->c, cx->nc + nv, cx->ac);
	for (size_t i = 0; i < nv; i++)
		cx->c[cx->nc++] = (struct cand){ s + (size_t)cx->val[2 * i],
						 double_of(cx->val[2 * i + 1]) };
	return 1;
}

/* Adds cx->c[first..nc) (positions relative to s) to the memo under k. */
static void cands_put(struct ctx *cx, const struct cp_key *k, size_t first, size_t s)
{
	size_t nv = cx->nc - first;
	if (2 * nv > cx->valcap)
		return; /* cannot happen: at most w/2 candidates per window */
	for (size_t i = 0; i < nv; i++) {
		cx->val[2 * i] = cx->c[first + i].idx - s;
		cx->val[2 * i + 1] = bits_of(cx->c[first + i].p);
	}
	cp_memo_put(cx->m, k, cx->val, nv * 16);
}

/* Pass 1 on the window [s, e): the candidates of segment(), memoised by the
 * window's values (they depend on nothing else), in segment()'s order. A
 * computed window is added to the memo when `keep`. */
static void window_candidates(struct ctx *cx, size_t s, size_t e, int keep)
{
	if (!cx->m) {
		segment(cx, s, e, 0);
		return;
	}
	struct cp_key k;
	memo_key(cx, &k, MEMO_WINDOW, cx->x + s, e - s, 0, 0);
	if (cands_get(cx, &k, s, e - s))
		return;
	size_t first = cx->nc;
	y_range(cx, s, e);
	segment(cx, s, e, 0);
	if (keep)
		cands_put(cx, &k, first, s);
}

/* Windows per memo entry in the body of a series: one lookup instead of
 * WINDOW_GROUP (lookups are cache misses) and each value hashed about once
 * instead of twice. */
#define WINDOW_GROUP 16

/* Pass 1 on the WINDOW_GROUP windows starting at s, s + w/2, ...: their
 * candidates in window order, memoised by the values they cover. On a miss
 * the windows are looked up one by one (a group is first complete when the
 * series has grown over it: its windows were then the series' last ones)
 * and only the group is added. */
static void group_candidates(struct ctx *cx, size_t s)
{
	size_t w = cx->o->window, st = w / 2, e = s + (WINDOW_GROUP - 1) * st + w;
	struct cp_key k;
	memo_key(cx, &k, MEMO_GROUP, cx->x + s, e - s, WINDOW_GROUP, st);
	if (cands_get(cx, &k, s, e - s))
		return;
	size_t first = cx->nc;
	for (size_t j = 0; j < WINDOW_GROUP; j++)
		window_candidates(cx, s + j * st, s + j * st + w, 0);
	cands_put(cx, &k, first, s);
}

/* Pass 1: windows of w points starting every w/2 while they end before n,
 * then the last w points (or the whole series when n <= w). */
static void pass1(struct ctx *cx)
{
	size_t n = cx->n, w = cx->o->window, st = w / 2;
	if (n <= w) {
		window_candidates(cx, 0, n, 1);
		return;
	}
	size_t inner = (n - w - 1) / st + 1, j = 0; /* windows with j * st + w < n */
	if (cx->m)
		for (; j + WINDOW_GROUP <= inner; j += WINDOW_GROUP)
			group_candidates(cx, j * st);
	for (; j < inner; j++)
		window_candidates(cx, j * st, j * st + w, 1);
	window_candidates(cx, n - w, n, 1);
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
	return select_median(cx->tmp, hi - lo);
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
	double p, effect, z;
	int fails;
};

/* 1.4826 / sqrt(2): the median of |a - b| for a, b independent N(0, s^2)
 * is s * sqrt(2) / 1.4826 */
#define NOISE_SCALE 1.0483425549

/* The noise of y[0..n) (changepoint_noise) without the difference between
 * y[skip - 1] and y[skip] (skip 0: none), using tmp[0..n). */
static double noise_scratch(const double *y, size_t n, size_t skip, double *tmp)
{
	size_t m = 0;
	for (size_t i = 1; i < n; i++)
		if (i != skip)
			tmp[m++] = fabs(y[i] - y[i - 1]);
	if (!m)
		return NAN;
	return NOISE_SCALE * select_median(tmp, m);
}

double changepoint_noise(const double *x, size_t n)
{
	if (n < 3)
		return NAN;
	int positive = 1;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(x[i]))
			return NAN;
		positive &= x[i] > 0;
	}
	double *y = xmalloc(2 * n * sizeof(double));
	for (size_t i = 0; i < n; i++)
		y[i] = positive ? log(x[i]) : x[i];
	double s = noise_scratch(y, n, 0, y + n);
	free(y);
	return s;
}

/* The strict test of a split at t of [lo, hi) (t - lo, hi - t >= min_segment):
 * the rank test, the relative effect, and the shift of the medians against
 * the neighbourhood's own noise (see the header). */
static struct score score_compute(struct ctx *cx, size_t lo, size_t t, size_t hi)
{
	struct score s;
	y_range(cx, lo, hi);
	s.p = mw_p_scratch(cx->y + lo, t - lo, cx->y + t, hi - t, cx->scratch);
	double before = median_of(cx, lo, t), after = median_of(cx, t, hi);
	s.effect = before != 0 ? after / before - 1 : (after != 0 ? INFINITY : 0);
	double shift = cx->positive ? fabs(log(after / before)) : fabs(after - before);
	double sigma = noise_scratch(cx->y + lo, hi - lo, t - lo, cx->tmp);
	double se = sigma * 1.2533141373155 *
		    sqrt(1.0 / (double)(t - lo) + 1.0 / (double)(hi - t));
	s.z = se > 0 ? shift / se : (shift > 0 ? INFINITY : 0);
	s.fails = !(s.p < cx->o->p_strict) || !(fabs(s.effect) >= cx->o->min_effect) ||
		  !(s.z >= cx->o->min_z) || !(shift >= cx->o->min_noise * sigma);
	return s;
}

static struct score score_of(struct ctx *cx, const struct cand *c, size_t k, size_t i)
{
	struct score s = { 1.0, 0.0, 0.0, 1 };
	size_t lo, hi, t = c[i].idx, m0 = cx->o->min_segment;
	bounds(cx, c, k, i, &lo, &hi);
	if (t - lo < m0 || hi - t < m0)
		return s;
	if (!cx->m)
		return score_compute(cx, lo, t, hi);
	/* memoised by x[lo..hi) (y follows from x and the transform) and t - lo */
	struct cp_key key;
	size_t len;
	memo_key(cx, &key, MEMO_SCORE, cx->x + lo, hi - lo, t - lo, 0);
	if (cp_memo_get(cx->m, &key, cx->val, 4 * sizeof(uint64_t), &len) &&
	    len == 4 * sizeof(uint64_t) && cx->val[3] <= 1)
		return (struct score){ double_of(cx->val[0]), double_of(cx->val[1]),
				       double_of(cx->val[2]), (int)cx->val[3] };
	s = score_compute(cx, lo, t, hi);
	uint64_t v[4] = { bits_of(s.p), bits_of(s.effect), bits_of(s.z), (uint64_t)s.fails };
	cp_memo_put(cx->m, &key, v, sizeof(v));
	return s;
}

/* Refines point i of c[0..k) (whose predecessors are final) inside its
 * neighbourhood and reports it in *cp: the energy argmax replaces the
 * position when the point still passes there. */
static void refine_compute(struct ctx *cx, size_t k, size_t i, struct changepoint *cp)
{
	size_t lo, hi, w = cx->o->window, idx = cx->c[i].idx;
	/* every range read is within 2w of idx (see refine) */
	y_range(cx, idx > 2 * w ? idx - 2 * w : 0, cx->n - idx > 2 * w ? idx + 2 * w : cx->n);
	bounds(cx, cx->c, k, i, &lo, &hi);
	size_t t = energy_argmax(cx->y + lo, hi - lo, cx->o->min_segment);
	if (t) {
		struct cand keep = cx->c[i];
		cx->c[i].idx = lo + t;
		struct score s2 = score_of(cx, cx->c, k, i);
		if (s2.fails)
			cx->c[i] = keep;
	}
	bounds(cx, cx->c, k, i, &lo, &hi);
	size_t ti = cx->c[i].idx;
	cp->index = ti;
	cp->before = median_of(cx, lo, ti);
	cp->after = median_of(cx, ti, hi);
	cp->change = cp->before != 0 ? cp->after / cp->before - 1 : 0;
	cp->p_value = mw_p_scratch(cx->y + lo, ti - lo, cx->y + ti, hi - ti, cx->scratch);
}

/* refine_compute, memoised. With l, h the neighbours' positions (or the
 * series' ends), it reads only x[L..H) with L = max(l, idx - 2w) and
 * H = min(h, idx + 2w): the first neighbourhood is within w of idx, the
 * refined one within w of a point of the first, and every bound it takes
 * (max(l, p - w), min(h, p + w)) is the same computed from L and H. */
static void refine(struct ctx *cx, size_t k, size_t i, struct changepoint *cp)
{
	if (!cx->m) {
		refine_compute(cx, k, i, cp);
		return;
	}
	size_t w = cx->o->window, idx = cx->c[i].idx;
	size_t l = i ? cx->c[i - 1].idx : 0, h = i + 1 < k ? cx->c[i + 1].idx : cx->n;
	size_t L = idx - l > 2 * w ? idx - 2 * w : l, H = h - idx > 2 * w ? idx + 2 * w : h;
	struct cp_key key;
	size_t len;
	memo_key(cx, &key, MEMO_REFINE, cx->x + L, H - L, idx - L, 0);
	if (cp_memo_get(cx->m, &key, cx->val, 5 * sizeof(uint64_t), &len) &&
	    len == 5 * sizeof(uint64_t) && cx->val[0] < H - L) {
		cx->c[i].idx = L + (size_t)cx->val[0];
		*cp = (struct changepoint){ cx->c[i].idx, double_of(cx->val[1]),
					    double_of(cx->val[2]), double_of(cx->val[3]),
					    double_of(cx->val[4]) };
		return;
	}
	refine_compute(cx, k, i, cp);
	uint64_t v[5] = { cp->index - L, bits_of(cp->before), bits_of(cp->after),
			  bits_of(cp->change), bits_of(cp->p_value) };
	cp_memo_put(cx->m, &key, v, sizeof(v));
}

int changepoint_detect_memo(const double *x, size_t n, const struct changepoint_opts *opts,
			    struct cp_memo *m, struct changepoint **out, size_t *nout)
{
	struct changepoint_opts def = CHANGEPOINT_OPTS_INIT;
	const struct changepoint_opts *o = opts ? opts : &def;
	*out = NULL;
	*nout = 0;
	if (o->min_segment < 2 || o->window < 2 * o->min_segment || !(o->p_loose > 0) ||
	    !(o->p_strict > 0) || o->p_strict > o->p_loose || !(o->min_effect >= 0) ||
	    !(o->min_z >= 0) || !(o->min_noise >= 0))
		return bk_error("change points: invalid options (need min_segment >= 2, window >= "
				"2 * min_segment, 0 < p_strict <= p_loose, min_effect, min_z and "
				"min_noise >= 0)");
	if (n < 2 * o->min_segment)
		return 0;
	int finite = 1, positive = 1; /* branch-free: the loop vectorises */
	for (size_t i = 0; i < n; i++) {
		finite &= fabs(x[i]) <= DBL_MAX;
		positive &= x[i] > 0;
	}
	if (!finite)
		return 0;
	double *y = xmalloc(n * sizeof(double));
	struct ctx cx = { .y = y, .x = x, .n = n, .o = o, .m = m, .positive = positive };
	if (m) {
		cx.yok = xcalloc(n / Y_BLOCK + 1, 1);
	} else {
		for (size_t i = 0; i < n; i++)
			y[i] = positive ? log(x[i]) : x[i];
	}
	cx.scratch = xmalloc((2 * o->window + 2) * sizeof(*cx.scratch));
	cx.tmp = xmalloc((2 * o->window + 2) * sizeof(double));
	if (m) {
		uint64_t os[9] = { MEMO_ALGORITHM,	   bits_of(o->p_loose),
				   bits_of(o->p_strict),   o->window,
				   bits_of(o->min_effect), o->min_segment,
				   (uint64_t)positive,	   bits_of(o->min_z),
				   bits_of(o->min_noise) };
		cp_hash128(&cx.salt, os, 9, NULL, 0);
		cx.valcap = WINDOW_GROUP * o->window + 2;
		cx.val = xmalloc(cx.valcap * sizeof(uint64_t));
	}

	/* pass 1: candidates from half-overlapping windows */
	pass1(&cx);
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

	/* pass 2: drop the weakest (lowest z; then highest p, smallest effect)
	 * until every point passes the strict test */
	struct score *sc = xmalloc((k + 1) * sizeof(*sc));
	for (size_t i = 0; i < k; i++)
		sc[i] = score_of(&cx, cx.c, k, i);
	for (;;) {
		size_t worst = k;
		for (size_t i = 0; i < k; i++) {
			if (!sc[i].fails)
				continue;
			if (worst == k || sc[i].z < sc[worst].z ||
			    (sc[i].z == sc[worst].z &&
			     (sc[i].p > sc[worst].p ||
			      (sc[i].p == sc[worst].p &&
			       fabs(sc[i].effect) < fabs(sc[worst].effect)))))
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
		for (size_t i = 0; i < k; i++)
			refine(&cx, k, i, &(*out)[i]);
		*nout = k;
	}
	free(sc);
	free(cx.c);
	free(cx.scratch);
	free(cx.tmp);
	free(cx.val);
	free(cx.yok);
	free(y);
	return 0;
}

int changepoint_detect(const double *x, size_t n, const struct changepoint_opts *opts,
		       struct changepoint **out, size_t *nout)
{
	return changepoint_detect_memo(x, n, opts, NULL, out, nout);
}
