/* Change-point accuracy and speed on synthetic histories.
 * Usage: changepoint [N_SERIES] [LENGTH]
 *
 * Prints precision, recall and F1 with each found point within 3 commits of
 * a true one (a true point matches at most one found point):
 *  A. tests/unit/cp_synth.h, one series at a time: per noise kind
 *     (gaussian, heavy-tailed, bimodal), cv 1% and 2%, step range; N_SERIES
 *     series of LENGTH commits per case;
 *  B. the same generator with a noisy neighbour (cp_neighbour: 2% of
 *     commits start an event of 1.10–1.50, a third of them bursts of 2–4
 *     commits) shared by 50 series of 1,000 commits per case, with the
 *     machine factor divided out (sitegen/analysis/machinefactor.h) and without;
 *  C. tests/unit/cp_synth2.h (lognormal noise of 1–5% per series, 12% of
 *     series with one or two steps of 5–60%, a shared per-commit machine
 *     factor), 200 series x 1,000 and x 5,000 commits, 3 seeds each, with
 *     recall per step/noise ratio;
 * then the detection time (CPU) per 10,000-point series.
 * Built with -DCP_BASELINE it links a library without the machine factor
 * (the code before it) and reports only the uncorrected figures. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sitegen/analysis/changepoint.h"
#ifndef CP_BASELINE
#include "sitegen/analysis/machinefactor.h"
#endif
#include "../unit/cp_synth.h"
#include "../unit/cp_synth2.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct tally {
	size_t tp, fp, fn;
};

static void tally_print(const char *what, const struct tally *t)
{
	double p = t->tp + t->fp ? (double)t->tp / (double)(t->tp + t->fp) : 1;
	double r = t->tp + t->fn ? (double)t->tp / (double)(t->tp + t->fn) : 1;
	printf("%-40s %6.3f %6.3f %6.3f  (%zu true, %zu found, %zu false)\n", what, p, r,
	       p + r ? 2 * p * r / (p + r) : 0, t->tp + t->fn, t->tp + t->fp, t->fp);
}

/* Divides the machine factor out of the ns series x[s * n + i] (every
 * series has a point in every commit); returns the runs corrected. */
static size_t correct(double *x, size_t ns, size_t n)
{
#ifdef CP_BASELINE
	(void)x;
	(void)ns;
	(void)n;
	return 0;
#else
	uint32_t *run = malloc(n * sizeof(uint32_t));
	struct mf_series *s = malloc(ns * sizeof(*s));
	double *f = malloc(n * sizeof(double));
	for (size_t i = 0; i < n; i++) {
		run[i] = (uint32_t)i;
		f[i] = 1;
	}
	for (size_t j = 0; j < ns; j++)
		s[j] = (struct mf_series){ x + j * n, run, n };
	size_t k = machine_factor_estimate(s, ns, n, f);
	for (size_t j = 0; j < ns; j++)
		for (size_t i = 0; i < n; i++)
			x[j * n + i] /= f[i];
	free(run);
	free(s);
	free(f);
	return k;
#endif
}

/* Detects series j of x and scores it against truth[0..nt); found points
 * go to *nfound (for the caller's breakdown) when not NULL. */
static void detect_score(const double *x, size_t n, const size_t *truth, size_t nt,
			 struct tally *t, size_t *found, size_t *nfound)
{
	struct changepoint *cp;
	size_t ncp;
	if (changepoint_detect(x, n, NULL, &cp, &ncp) < 0)
		exit(1);
	for (size_t j = 0; j < ncp; j++)
		found[j] = cp[j].index;
	free(cp);
	cp_score(truth, nt, found, ncp, 3, &t->tp, &t->fp, &t->fn);
	if (nfound)
		*nfound = ncp;
}

static const char *kinds[] = { "gaussian", "heavy-tailed", "bimodal" };

static void section_a(size_t nseries, size_t len)
{
	static const double steps[][2] = { { 0.05, 0.10 }, { 0.10, 0.60 }, { 0.05, 0.60 } };
	static const double cvs[] = { 0.01, 0.02 };
	double *x = malloc(len * sizeof(double));
	size_t *truth = malloc(len * sizeof(size_t)), *found = malloc(len * sizeof(size_t));
	struct tally all = { 0 }, kind[CP_NOISE_KINDS] = { { 0 } };
	printf("A. cp_synth.h, %zu series x %zu commits per case\n", nseries, len);
	printf("%-40s %6s %6s %6s\n", "noise, cv, steps", "prec", "recall", "F1");
	for (int k = 0; k < CP_NOISE_KINDS; k++)
		for (size_t c = 0; c < sizeof(cvs) / sizeof(cvs[0]); c++)
			for (size_t st = 0; st < sizeof(steps) / sizeof(steps[0]); st++) {
				struct tally t = { 0 };
				for (size_t i = 0; i < nseries; i++) {
					size_t nt = cp_synth(x, len, (enum cp_noise)k, cvs[c], steps[st][0],
							     steps[st][1], 40, 1000 * i + 17 * st + k + 7 * c,
							     truth, len);
					detect_score(x, len, truth, nt, &t, found, NULL);
				}
				char what[64];
				snprintf(what, sizeof(what), "%s, %.0f%%, %.0f-%.0f%%", kinds[k], cvs[c] * 100,
					 steps[st][0] * 100, steps[st][1] * 100);
				tally_print(what, &t);
				all.tp += t.tp;
				all.fp += t.fp;
				all.fn += t.fn;
				kind[k].tp += t.tp;
				kind[k].fp += t.fp;
				kind[k].fn += t.fn;
			}
	for (int k = 0; k < CP_NOISE_KINDS; k++) {
		char what[64];
		snprintf(what, sizeof(what), "%s, all", kinds[k]);
		tally_print(what, &kind[k]);
	}
	tally_print("A overall", &all);
	free(x);
	free(truth);
	free(found);
}

static void section_b(void)
{
	enum { NS = 50, LEN = 1000 };
	static const double cvs[] = { 0.01, 0.02 };
	double *x = malloc(NS * LEN * sizeof(double)), *f = malloc(LEN * sizeof(double));
	size_t(*truth)[LEN] = malloc(NS * sizeof(*truth));
	size_t *nt = malloc(NS * sizeof(size_t)), *found = malloc(LEN * sizeof(size_t));
	struct tally all[2] = { { 0 } };
	printf("\nB. cp_synth.h with a noisy neighbour, %d series x %d commits per case, steps "
	       "5-60%%\n",
	       NS, LEN);
	for (int k = 0; k < CP_NOISE_KINDS; k++)
		for (size_t c = 0; c < 2; c++) {
			cp_neighbour(f, LEN, 0.02, 31 * (uint64_t)k + (uint64_t)c + 5);
			for (size_t j = 0; j < NS; j++) {
				nt[j] = cp_synth(x + j * LEN, LEN, (enum cp_noise)k, cvs[c], 0.05, 0.60, 40,
						 977 * j + 13 * (uint64_t)k + c + 3, truth[j], LEN);
				for (size_t i = 0; i < LEN; i++)
					x[j * LEN + i] *= f[i];
			}
			for (int corr = 0; corr < 2; corr++) {
#ifdef CP_BASELINE
				if (corr)
					break;
#endif
				size_t nfix = corr ? correct(x, NS, LEN) : 0;
				struct tally t = { 0 };
				for (size_t j = 0; j < NS; j++)
					detect_score(x + j * LEN, LEN, truth[j], nt[j], &t, found, NULL);
				char what[80];
				snprintf(what, sizeof(what), "%s, %.0f%%, %s", kinds[k], cvs[c] * 100,
					 corr ? "factor divided out" : "raw");
				tally_print(what, &t);
				if (corr)
					printf("%-40s (%zu runs corrected)\n", "", nfix);
				all[corr].tp += t.tp;
				all[corr].fp += t.fp;
				all[corr].fn += t.fn;
			}
		}
	tally_print("B overall, raw", &all[0]);
#ifndef CP_BASELINE
	tally_print("B overall, factor divided out", &all[1]);
#endif
	free(x);
	free(f);
	free(truth);
	free(nt);
	free(found);
}

static void section_c(size_t len, size_t seeds)
{
	size_t *found = malloc(len * sizeof(size_t));
	struct tally all[2] = { { 0 } };
	/* recall by step / noise: < 1.5, 1.5-3, >= 3 */
	size_t hit[2][3] = { { 0 } }, tot[2][3] = { { 0 } };
	double secs[2] = { 0 };
	printf("\nC. cp_synth2.h, 200 series x %zu commits, %zu seeds\n", len, seeds);
	for (size_t seed = 1; seed <= seeds; seed++) {
		struct cp2_opts o = CP2_OPTS_INIT(200, len, seed + 100 * len);
		struct cp2_history h;
		cp2_generate(&h, &o);
		for (int corr = 0; corr < 2; corr++) {
#ifdef CP_BASELINE
			if (corr)
				break;
#endif
			double t0 = now();
			if (corr)
				correct(h.x, h.ns, h.n);
			for (size_t j = 0; j < h.ns; j++) {
				struct tally t = { 0 };
				size_t nf;
				detect_score(h.x + j * len, len, h.truth + 2 * j, h.ntruth[j], &t, found, &nf);
				all[corr].tp += t.tp;
				all[corr].fp += t.fp;
				all[corr].fn += t.fn;
				for (size_t k = 0; k < h.ntruth[j]; k++) {
					double ratio = fabs(log(1 + h.step[2 * j + k])) / h.sigma[j];
					int b = ratio < 1.5 ? 0 : ratio < 3 ? 1 : 2;
					tot[corr][b]++;
					for (size_t q = 0; q < nf; q++) {
						size_t a = h.truth[2 * j + k];
						if ((a > found[q] ? a - found[q] : found[q] - a) <= 3) {
							hit[corr][b]++;
							break;
						}
					}
				}
			}
			secs[corr] += now() - t0;
		}
		cp2_release(&h);
	}
	static const char *bucket[] = { "< 1.5", "1.5-3", ">= 3" };
	for (int corr = 0; corr < 2; corr++) {
#ifdef CP_BASELINE
		if (corr)
			break;
#endif
		char what[80];
		snprintf(what, sizeof(what), "C %zu commits, %s", len,
			 corr ? "factor divided out" : "raw");
		tally_print(what, &all[corr]);
		for (int b = 0; b < 3; b++)
			printf("   recall with |log step| / sigma %-6s %5.3f (%zu steps)\n", bucket[b],
			       tot[corr][b] ? (double)hit[corr][b] / (double)tot[corr][b] : 1.0,
			       tot[corr][b]);
		printf("   %.2f s for %zu x 200 series\n", secs[corr], seeds);
	}
	free(found);
}

int main(int argc, char **argv)
{
	size_t nseries = argc > 1 ? strtoul(argv[1], NULL, 10) : 50;
	size_t len = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000;
	section_a(nseries, len);
	section_b();
	section_c(1000, 3);
	section_c(5000, 3);
	double *x = malloc(10000 * sizeof(double));
	size_t *big = malloc(10000 * sizeof(size_t));
	size_t nt = cp_synth(x, 10000, CP_HEAVY, 0.02, 0.05, 0.6, 200, 3, big, 10000);
	double t0 = now();
	int reps = 20;
	for (int i = 0; i < reps; i++) {
		struct changepoint *cp;
		size_t ncp;
		changepoint_detect(x, 10000, NULL, &cp, &ncp);
		free(cp);
	}
	printf("\nspeed: %.2f ms per 10,000-point series (%zu true shifts)\n",
	       (now() - t0) / reps * 1e3, nt);
	free(x);
	free(big);
	return 0;
}
