/* cp_synth2: a second generator of performance histories, built unlike
 * cp_synth.h so that the detector is not tuned to one generator.
 *
 * cp_synth.h makes one series at a time, every series with a step every
 * 40–120 commits, additive noise of a fixed cv (gaussian, Student t or
 * bimodal), xorshift and Box–Muller. This one makes all the series of one
 * machine at once:
 *  - a level per series drawn log-uniformly over six decades (1 ns to 1 ms);
 *  - multiplicative (lognormal) noise, exp(sigma * z), with a sigma of its
 *    own per series drawn uniformly in [sig_lo, sig_hi] (default 1–5%);
 *  - most series flat; a fraction `stepped` (default 12%) with one step, of
 *    which a fraction `two_steps` (default 1/8) with two; a step multiplies
 *    the level by 1 + s (up) or 1 - s (down), s uniform in [step_lo,
 *    step_hi] (default 5–60%), placed uniformly at least `edge` commits from
 *    either end and `gap` commits from the other step;
 *  - a machine factor shared by every series of a commit (a noisy
 *    neighbour): 1 on most commits; with probability `event_rate` per
 *    commit an event starts, one commit long (65%) or a burst of 2–5
 *    consecutive commits, at a level uniform in [1.10, 1.50] with ±1.5%
 *    jitter per commit.
 * splitmix64 and the Marsaglia polar method. Header-only, deterministic. */
#ifndef BK_CP_SYNTH2_H
#define BK_CP_SYNTH2_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

struct cp2_opts {
	size_t nseries, n;
	double sig_lo, sig_hi;   /* per-series lognormal sigma range */
	double stepped;          /* fraction of series with steps */
	double two_steps;        /* of those, fraction with two */
	double step_lo, step_hi; /* relative step sizes */
	size_t edge, gap;        /* steps this far from the ends and apart */
	double event_rate;       /* machine-factor events per commit */
	uint64_t seed;
};
#define CP2_OPTS_INIT(ns, len, seed) \
	{ (ns), (len), 0.01, 0.05, 0.12, 0.125, 0.05, 0.60, 30, 60, 0.02, (seed) }

struct cp2_history {
	size_t ns, n;
	double *x;        /* ns * n values, series-major: x[s * n + i] */
	double *factor;   /* n: the machine factor of each commit */
	double *sigma;    /* ns: the series' noise */
	size_t *truth;    /* ns * 2: the series' step positions */
	size_t *ntruth;   /* ns: 0, 1 or 2 */
	double *step;     /* ns * 2: the steps' relative sizes (signed) */
};

static inline uint64_t cp2_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline double cp2_u01(uint64_t *s)
{
	return ((double)(cp2_next(s) >> 11) + 0.5) / 9007199254740992.0;
}

/* Marsaglia's polar method (one of the pair is dropped: simpler, same law). */
static inline double cp2_gauss(uint64_t *s)
{
	double u, v, q;
	do {
		u = 2 * cp2_u01(s) - 1;
		v = 2 * cp2_u01(s) - 1;
		q = u * u + v * v;
	} while (q >= 1 || q == 0);
	return u * sqrt(-2 * log(q) / q);
}

/* Fills h (allocating its arrays; cp2_release frees them) from o. */
static inline void cp2_generate(struct cp2_history *h, const struct cp2_opts *o)
{
	size_t ns = o->nseries, n = o->n;
	uint64_t s = o->seed * 0x2545f4914f6cdd1dull + 1;
	h->ns = ns;
	h->n = n;
	h->x = malloc(ns * n * sizeof(double));
	h->factor = malloc(n * sizeof(double));
	h->sigma = malloc(ns * sizeof(double));
	h->truth = malloc(ns * 2 * sizeof(size_t));
	h->ntruth = malloc(ns * sizeof(size_t));
	h->step = malloc(ns * 2 * sizeof(double));
	/* the machine factor */
	for (size_t i = 0; i < n; i++)
		h->factor[i] = 1.0;
	for (size_t i = 1; i < n; i++) {
		if (!(cp2_u01(&s) < o->event_rate))
			continue;
		size_t len = cp2_u01(&s) < 0.65 ? 1 : 2 + (size_t)(cp2_u01(&s) * 4);
		double level = 1.10 + 0.40 * cp2_u01(&s);
		for (size_t k = 0; k < len && i < n; k++, i++)
			h->factor[i] = level * (1 + 0.03 * (cp2_u01(&s) - 0.5));
	}
	/* the series */
	for (size_t j = 0; j < ns; j++) {
		double *x = h->x + j * n;
		double sigma = o->sig_lo + (o->sig_hi - o->sig_lo) * cp2_u01(&s);
		double level = 1e-9 * pow(10, 6 * cp2_u01(&s));
		size_t nt = 0;
		if (cp2_u01(&s) < o->stepped && n > 2 * o->edge) {
			nt = cp2_u01(&s) < o->two_steps && n > 2 * o->edge + o->gap ? 2 : 1;
			size_t span = n - 2 * o->edge;
			for (;;) {
				h->truth[2 * j] = o->edge + (size_t)(cp2_u01(&s) * (double)span);
				if (nt == 1)
					break;
				h->truth[2 * j + 1] = o->edge + (size_t)(cp2_u01(&s) * (double)span);
				size_t a = h->truth[2 * j], b = h->truth[2 * j + 1];
				if (a > b) {
					h->truth[2 * j] = b;
					h->truth[2 * j + 1] = a;
				}
				if (h->truth[2 * j + 1] - h->truth[2 * j] >= o->gap)
					break;
			}
			for (size_t k = 0; k < nt; k++) {
				double st = o->step_lo + (o->step_hi - o->step_lo) * cp2_u01(&s);
				h->step[2 * j + k] = cp2_u01(&s) < 0.5 ? st : -st;
			}
		}
		h->sigma[j] = sigma;
		h->ntruth[j] = nt;
		size_t next = 0;
		for (size_t i = 0; i < n; i++) {
			if (next < nt && h->truth[2 * j + next] == i)
				level *= 1 + h->step[2 * j + next++];
			x[i] = level * exp(sigma * cp2_gauss(&s)) * h->factor[i];
		}
	}
}

static inline void cp2_release(struct cp2_history *h)
{
	free(h->x);
	free(h->factor);
	free(h->sigma);
	free(h->truth);
	free(h->ntruth);
	free(h->step);
}

#endif
