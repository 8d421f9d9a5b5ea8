/* noise: run-to-run and within-run noise, Student's t (see noise.h). */
#include "lib/verdict/noise.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/stats/stats.h"
#include "lib/base/xalloc.h"

#define MAD_TO_SD 1.482602218505602 /* 1 / Phi^-1(3/4) */
#define MEDIAN_SE 1.253314137315500 /* sqrt(pi / 2): SE of a median / SE of a mean */

/* Median absolute deviation of x[0..n) around its median (x is sorted in
 * place). */
static double mad_sorted(double *x, size_t n, double *median)
{
	stats_sort(x, n);
	double m = stats_quantile_sorted(x, n, 0.5);
	double *dev = xmalloc(n * sizeof(*dev));
	for (size_t i = 0; i < n; i++)
		dev[i] = fabs(x[i] - m);
	double mad = stats_median(dev, n);
	free(dev);
	*median = m;
	return mad;
}

static double sd_of(const double *x, size_t n);

int noise_from_locations(const double *loc, size_t n, struct bk_noise *out)
{
	memset(out, 0, sizeof(*out));
	if (n < NOISE_MIN_RUNS)
		return -1;
	double *lg = xmalloc(n * sizeof(*lg)), *keep = xmalloc(n * sizeof(*keep));
	for (size_t i = 0; i < n; i++) {
		if (!(loc[i] > 0) || !isfinite(loc[i])) {
			free(lg);
			free(keep);
			return -1;
		}
		lg[i] = log(loc[i]);
	}
	double med;
	double robust = MAD_TO_SD * mad_sorted(lg, n, &med);
	/* a rare wild run (at most a tenth of them, beyond NOISE_WILD robust
	 * standard deviations) is set aside; a larger group is a mode of this
	 * machine's behaviour and stays */
	size_t nk = 0, wild = 0;
	for (size_t i = 0; i < n; i++)
		if (robust > 0 && fabs(lg[i] - med) > NOISE_WILD * robust)
			wild++;
	int drop = wild * 10 <= n && n - wild >= NOISE_MIN_RUNS;
	for (size_t i = 0; i < n; i++)
		if (!(drop && robust > 0 && fabs(lg[i] - med) > NOISE_WILD * robust))
			keep[nk++] = lg[i];
	out->runs = (long)nk;
	out->center = exp(med);
	out->spread = sd_of(keep, nk);
	free(lg);
	free(keep);
	return 0;
}

static double sd_of(const double *x, size_t n)
{
	double mean = 0, ss = 0;
	for (size_t i = 0; i < n; i++)
		mean += x[i];
	mean /= (double)n;
	for (size_t i = 0; i < n; i++)
		ss += (x[i] - mean) * (x[i] - mean);
	return sqrt(ss / (double)(n - 1));
}

struct round_sample {
	unsigned round;
	double v;
};

static int cmp_round(const void *pa, const void *pb)
{
	const struct round_sample *a = pa, *b = pb;
	if (a->round != b->round)
		return (a->round > b->round) - (a->round < b->round);
	return (a->v > b->v) - (a->v < b->v);
}

/* Logs of the per-round medians of b into out (caller frees); returns the
 * number of rounds. */
static size_t round_medians(const struct bk_benchmark *b, double **out)
{
	struct round_sample *rs = xmalloc(b->nsamples * sizeof(*rs));
	for (size_t i = 0; i < b->nsamples; i++) {
		rs[i].round = b->rounds[i];
		rs[i].v = b->samples[i];
	}
	qsort(rs, b->nsamples, sizeof(*rs), cmp_round);
	double *med = xmalloc(b->nsamples * sizeof(*med));
	double *tmp = xmalloc(b->nsamples * sizeof(*tmp));
	size_t nr = 0;
	for (size_t i = 0; i < b->nsamples;) {
		size_t j = i;
		while (j < b->nsamples && rs[j].round == rs[i].round) {
			tmp[j - i] = rs[j].v;
			j++;
		}
		med[nr++] = log(stats_quantile_sorted(tmp, j - i, 0.5));
		i = j;
	}
	free(tmp);
	free(rs);
	*out = med;
	return nr;
}

double noise_within_se(const struct bk_benchmark *b, size_t *rounds)
{
	*rounds = 0;
	if (b->nsamples < 3)
		return NAN;
	for (size_t i = 0; i < b->nsamples; i++)
		if (!(b->samples[i] > 0))
			return NAN;
	if (b->rounds) {
		double *med;
		size_t nr = round_medians(b, &med);
		if (nr >= NOISE_MIN_ROUNDS) {
			/* the plain standard deviation, on purpose: one stray
			 * sample in a round of two moves that round's median and
			 * widens the interval (a real change then reads "noisy",
			 * never a false regression). A robust MAD here found more
			 * real 20% slowdowns but, against a history from quieter
			 * hours, called 1.9% of A/A pairs changed (make
			 * bench-verdicts, load 1.2-2.3 on 2 cores): the safe side
			 * is kept. */
			double se = sd_of(med, nr) / sqrt((double)nr);
			free(med);
			*rounds = nr;
			return se;
		}
		free(med);
	}
	double *lg = xmalloc(b->nsamples * sizeof(*lg)), m;
	for (size_t i = 0; i < b->nsamples; i++)
		lg[i] = log(b->samples[i]);
	double mad = mad_sorted(lg, b->nsamples, &m);
	free(lg);
	return MEDIAN_SE * MAD_TO_SD * mad / sqrt((double)b->nsamples);
}

/* ---- Student's t ------------------------------------------------------------ */

/* One step of the modified Lentz algorithm with numerator aa: updates the
 * running c and d and returns the factor the fraction is multiplied by. */
static double lentz_step(double *c, double *d, double aa)
{
	const double tiny = 1e-300;
	*d = 1 + aa * *d;
	if (fabs(*d) < tiny)
		*d = tiny;
	*c = 1 + aa / *c;
	if (fabs(*c) < tiny)
		*c = tiny;
	*d = 1 / *d;
	return *d * *c;
}

/* Continued fraction of the regularized incomplete beta (modified Lentz). */
static double beta_cf(double a, double b, double x)
{
	double c = 1, d = 1 - (a + b) * x / (a + 1);
	if (fabs(d) < 1e-300)
		d = 1e-300;
	d = 1 / d;
	double h = d;
	for (int m = 1; m <= 500; m++) {
		double m2 = 2.0 * m;
		h *= lentz_step(&c, &d, m * (b - m) * x / ((a + m2 - 1) * (a + m2)));
		double del = lentz_step(&c, &d, -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1)));
		h *= del;
		if (fabs(del - 1) < 1e-15)
			break;
	}
	return h;
}

/* I_x(a, b), the regularized incomplete beta function. */
static double beta_inc(double a, double b, double x)
{
	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	double lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
	if (x < (a + 1) / (a + b + 2))
		return exp(lbt) * beta_cf(a, b, x) / a;
	return 1 - exp(lbt) * beta_cf(b, a, 1 - x) / b;
}

double noise_t_two_sided(double t, double df)
{
	if (isnan(t))
		return NAN;
	t = fabs(t);
	if (isinf(df))
		return erfc(t / sqrt(2));
	if (isinf(t))
		return 0;
	return beta_inc(df / 2, 0.5, df / (df + t * t));
}

double noise_t_quantile(double p, double df)
{
	if (!(p > 0 && p < 1))
		return NAN;
	if (p == 0.5)
		return 0;
	/* two-sided tail of |t| is 2 min(p, 1 - p): bisect on |t| */
	double tail = 2 * fmin(p, 1 - p), lo = 0, hi = 1;
	while (noise_t_two_sided(hi, df) > tail && hi < 1e12)
		hi *= 2;
	for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
		double mid = (lo + hi) / 2;
		if (noise_t_two_sided(mid, df) > tail)
			lo = mid;
		else
			hi = mid;
	}
	double q = (lo + hi) / 2;
	return p < 0.5 ? -q : q;
}

double noise_history_df(long n)
{
	return n > 1 ? (double)(n - 1) : 1;
}
