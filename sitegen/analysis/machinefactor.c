/* machinefactor: per-run factors shared by the series of one machine (see
 * the header for the method). */
#include "sitegen/analysis/machinefactor.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/stats/select.h"
#include "lib/base/xalloc.h"

/* The smallest relative factor worth dividing out: log(1.01). */
#define MF_FLOOR 0.00995033085

/* The median of v[0..n) (reordered) and its standard error, from the
 * median absolute deviation (tmp: n entries). */
static double median_se(double *v, size_t n, double *tmp, double *se)
{
	double m = select_median(v, n);
	for (size_t i = 0; i < n; i++)
		tmp[i] = fabs(v[i] - m);
	*se = 1.2533141373155 * 1.4826 * select_median(tmp, n) / sqrt((double)n);
	return m;
}

/* Whether location m with standard error se is a factor worth dividing out. */
static int beyond(double m, double se, double z)
{
	return fabs(m) > z * se && fabs(m) > MF_FLOOR;
}

struct ref {
	uint32_t s, i; /* series, point */
};

/* The level of series point i from up to MF_HALF of its non-candidate
 * neighbours on one side (dir -1 or +1); NaN when fewer than 3. */
static double side_level(const double *lx, const uint32_t *run, size_t n, size_t i, int dir,
			 const unsigned char *cand)
{
	double w[MF_HALF];
	size_t c = 0, scanned = 0;
	for (size_t k = i; c < MF_HALF && scanned < 3 * MF_HALF; scanned++) {
		if (dir < 0 ? k == 0 : k + 1 >= n)
			break;
		k = dir < 0 ? k - 1 : k + 1;
		if (!cand[run[k]])
			w[c++] = lx[k];
	}
	return c >= 3 ? select_median(w, c) : NAN;
}

size_t machine_factor_estimate(const struct mf_series *s, size_t ns, size_t nruns, double *factor)
{
	/* usable series: every value positive and finite, every run in range */
	unsigned char *ok = xcalloc(ns + 1, 1);
	size_t usable = 0, total = 0;
	for (size_t j = 0; j < ns; j++) {
		int good = s[j].n > 0;
		for (size_t i = 0; i < s[j].n && good; i++)
			good = s[j].x[i] > 0 && isfinite(s[j].x[i]) && s[j].run[i] < nruns &&
			       (!i || s[j].run[i] > s[j].run[i - 1]);
		ok[j] = (unsigned char)good;
		usable += good;
		total += good ? s[j].n : 0;
	}
	if (usable < MF_MIN_SERIES) {
		free(ok);
		return 0;
	}
	/* log values, and the points of each run (counting sort by run) */
	double *lx = xmalloc(total * sizeof(double));
	size_t *base = xmalloc((ns + 1) * sizeof(size_t));
	size_t *off = xcalloc(nruns + 2, sizeof(size_t));
	for (size_t j = 0, at = 0; j < ns; j++) {
		base[j] = at;
		if (!ok[j])
			continue;
		for (size_t i = 0; i < s[j].n; i++) {
			lx[at++] = s[j].inverse ? -log(s[j].x[i]) : log(s[j].x[i]);
			off[s[j].run[i] + 1]++;
		}
	}
	for (size_t r = 0; r < nruns; r++)
		off[r + 1] += off[r];
	struct ref *pts = xmalloc(total * sizeof(*pts));
	size_t *cur = xmalloc((nruns + 1) * sizeof(size_t));
	memcpy(cur, off, (nruns + 1) * sizeof(size_t));
	for (size_t j = 0; j < ns; j++)
		for (size_t i = 0; ok[j] && i < s[j].n; i++)
			pts[cur[s[j].run[i]]++] = (struct ref){ (uint32_t)j, (uint32_t)i };
	free(cur);
	/* this machine's runs, in order */
	uint32_t *runs = xmalloc((nruns + 1) * sizeof(uint32_t));
	size_t nr = 0;
	for (size_t r = 0; r < nruns; r++)
		if (off[r + 1] > off[r])
			runs[nr++] = (uint32_t)r;
	double *buf = xmalloc((ns + 1) * sizeof(double)), *tmp = xmalloc((ns + 1) * sizeof(double));
	unsigned char *flag = xcalloc(nr + 1, 1), *cand = xcalloc(nruns + 1, 1);

	/* 1. screen: the median step into each run */
	for (size_t q = 0; q < nr; q++) {
		size_t m = 0;
		for (size_t p = off[runs[q]]; p < off[runs[q] + 1]; p++) {
			const struct ref *rf = &pts[p];
			if (rf->i)
				buf[m++] = lx[base[rf->s] + rf->i] - lx[base[rf->s] + rf->i - 1];
		}
		double se;
		if (m >= MF_MIN_SERIES) {
			double med = median_se(buf, m, tmp, &se);
			flag[q] = (unsigned char)beyond(med, se, MF_SCREEN_Z);
		}
	}
	for (size_t q = 0; q < nr; q++) {
		if (!flag[q])
			continue;
		cand[runs[q]] = 1;
		size_t q2 = q + 1;
		while (q2 < nr && q2 - q <= MF_BURST && !flag[q2])
			q2++;
		if (q2 < nr && q2 - q <= MF_BURST)
			for (size_t k = q + 1; k < q2; k++)
				cand[runs[k]] = 1;
	}

	/* 2. estimate each candidate from the residuals against the levels */
	size_t corrected = 0;
	for (size_t q = 0; q < nr; q++) {
		uint32_t r = runs[q];
		if (!cand[r])
			continue;
		size_t m = 0;
		for (size_t p = off[r]; p < off[r + 1]; p++) {
			const struct ref *rf = &pts[p];
			const double *l = lx + base[rf->s];
			const uint32_t *rn = s[rf->s].run;
			size_t n = s[rf->s].n;
			double v = l[rf->i];
			double a = side_level(l, rn, n, rf->i, -1, cand);
			double b = side_level(l, rn, n, rf->i, +1, cand);
			if (isnan(a) && isnan(b))
				continue;
			double level;
			if (isnan(a) || isnan(b))
				level = isnan(a) ? b : a;
			else if (fmin(fabs(v - a), fabs(v - b)) < fabs(a - b) / 2)
				level = fabs(v - a) < fabs(v - b) ? a : b; /* on one of two levels */
			else
				level = (a + b) / 2;
			buf[m++] = v - level;
		}
		double se;
		if (m >= MF_MIN_SERIES) {
			double med = median_se(buf, m, tmp, &se);
			if (beyond(med, se, MF_Z)) {
				factor[r] = exp(med);
				corrected++;
			}
		}
	}
	free(ok);
	free(lx);
	free(base);
	free(off);
	free(pts);
	free(runs);
	free(buf);
	free(tmp);
	free(flag);
	free(cand);
	return corrected;
}
