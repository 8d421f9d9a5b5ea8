/* cp_synth: synthetic performance histories with known level shifts, and
 * the F1 score of a detector against them. Shared by the change-point unit
 * test and tests/perf/changepoint.c. Header-only, deterministic (xorshift). */
#ifndef BK_CP_SYNTH_H
#define BK_CP_SYNTH_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

enum cp_noise { CP_GAUSS, CP_HEAVY, CP_BIMODAL, CP_NOISE_KINDS };

static inline double cp_u01(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return ((double)(*s >> 11) + 0.5) / 9007199254740992.0;
}

static inline double cp_gauss(uint64_t *s)
{
	return sqrt(-2 * log(cp_u01(s))) * cos(6.283185307179586 * cp_u01(s));
}

/* Fills x[0..n) with a history at base level 100 whose level changes by a
 * factor 1 ± U(min_step, max_step) at each of the returned positions (at
 * least `gap` points apart, never closer than gap to either end); noise:
 * CP_GAUSS N(0, cv) relative; CP_HEAVY Student-t with 3 degrees of freedom
 * scaled to cv plus 2% outliers up to +200%; CP_BIMODAL gaussian cv with 30%
 * of points 8% slower (a second mode). Returns the number of true change
 * points written to truth[] (at most max_truth). */
static inline size_t cp_synth(double *x, size_t n, enum cp_noise kind, double cv, double min_step,
			      double max_step, size_t gap, uint64_t seed, size_t *truth,
			      size_t max_truth)
{
	uint64_t s = seed * 2654435761u + 88172645463325252ull;
	size_t nt = 0;
	size_t pos = gap + (size_t)(cp_u01(&s) * (double)gap);
	while (pos + gap < n && nt < max_truth) {
		truth[nt++] = pos;
		pos += gap + (size_t)(cp_u01(&s) * 2.0 * (double)gap);
	}
	double level = 100;
	size_t next = 0;
	for (size_t i = 0; i < n; i++) {
		if (next < nt && truth[next] == i) {
			double step = min_step + cp_u01(&s) * (max_step - min_step);
			level *= cp_u01(&s) < 0.5 ? 1 + step : 1 / (1 + step);
			next++;
		}
		double e;
		switch (kind) {
		case CP_HEAVY: {
			double z = cp_gauss(&s), c = 0;
			for (int k = 0; k < 3; k++) {
				double g = cp_gauss(&s);
				c += g * g;
			}
			e = cv * z / sqrt(c / 3) / sqrt(3.0); /* t3 has variance 3 */
			if (cp_u01(&s) < 0.02)
				e += cp_u01(&s) * 2.0;
			break;
		}
		case CP_BIMODAL:
			e = cv * cp_gauss(&s) + (cp_u01(&s) < 0.3 ? 0.08 : 0);
			break;
		default:
			e = cv * cp_gauss(&s);
		}
		x[i] = level * (1 + e);
		if (x[i] <= 0)
			x[i] = level * 0.01;
	}
	return nt;
}

/* A noisy neighbour for the series of one machine: fills f[0..n) with the
 * factor every series of commit i is multiplied by — 1, except that with
 * probability `rate` per commit an event starts: one commit (60%) or a burst
 * of 2–4 consecutive commits, all at one level uniform in [1.10, 1.50]. */
static inline void cp_neighbour(double *f, size_t n, double rate, uint64_t seed)
{
	uint64_t s = seed * 2654435761u + 0x5851f42d4c957f2dull;
	for (size_t i = 0; i < n; i++)
		f[i] = 1;
	for (size_t i = 1; i < n; i++) {
		if (!(cp_u01(&s) < rate))
			continue;
		size_t len = cp_u01(&s) < 0.6 ? 1 : 2 + (size_t)(cp_u01(&s) * 3);
		double level = 1.10 + 0.40 * cp_u01(&s);
		for (size_t k = 0; k < len && i < n; k++, i++)
			f[i] = level;
	}
}

/* Matches found[] to truth[] one to one within `tol` points (greedy in
 * order) and adds to *tp, *fp, *fn. */
static inline void cp_score(const size_t *truth, size_t nt, const size_t *found, size_t nf,
			    size_t tol, size_t *tp, size_t *fp, size_t *fn)
{
	size_t i = 0, j = 0, hit = 0;
	while (i < nt && j < nf) {
		size_t a = truth[i], b = found[j];
		if ((a > b ? a - b : b - a) <= tol) {
			hit++;
			i++;
			j++;
		} else if (b < a) {
			j++;
		} else {
			i++;
		}
	}
	*tp += hit;
	*fp += nf - hit;
	*fn += nt - hit;
}

#endif
