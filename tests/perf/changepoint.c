/* Change-point accuracy and speed on synthetic histories (tests/unit/cp_synth.h).
 * Usage: changepoint [N_SERIES] [LENGTH]
 * Prints, per noise kind and step range, precision, recall and F1 with each
 * found point within 3 commits of a true one, then the detection time per
 * 10,000-point series. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "changepoint.h"
#include "../unit/cp_synth.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	size_t nseries = argc > 1 ? strtoul(argv[1], NULL, 10) : 50;
	size_t len = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000;
	static const char *kinds[] = { "gaussian", "heavy-tailed", "bimodal" };
	static const double steps[][2] = { { 0.05, 0.10 }, { 0.10, 0.60 }, { 0.05, 0.60 } };
	static const double cvs[] = { 0.01, 0.02 };
	double *x = malloc(len * sizeof(double));
	size_t *truth = malloc(len * sizeof(size_t)), *found = malloc(len * sizeof(size_t));
	size_t ttp = 0, tfp = 0, tfn = 0;
	printf("%-13s %-5s %-10s %6s %6s %6s\n", "noise", "cv", "steps", "prec", "recall", "F1");
	for (int k = 0; k < CP_NOISE_KINDS; k++)
		for (size_t c = 0; c < sizeof(cvs) / sizeof(cvs[0]); c++)
			for (size_t st = 0; st < sizeof(steps) / sizeof(steps[0]); st++) {
				size_t tp = 0, fp = 0, fn = 0;
				for (size_t i = 0; i < nseries; i++) {
					size_t nt = cp_synth(x, len, (enum cp_noise)k, cvs[c], steps[st][0],
							     steps[st][1], 40, 1000 * i + 17 * st + k + 7 * c,
							     truth, len);
					struct changepoint *cp;
					size_t ncp;
					if (changepoint_detect(x, len, NULL, &cp, &ncp) < 0)
						return 1;
					for (size_t j = 0; j < ncp; j++)
						found[j] = cp[j].index;
					free(cp);
					cp_score(truth, nt, found, ncp, 3, &tp, &fp, &fn);
				}
				double p = tp + fp ? (double)tp / (double)(tp + fp) : 1;
				double r = tp + fn ? (double)tp / (double)(tp + fn) : 1;
				printf("%-13s %-5.2f %2.0f-%2.0f%%     %6.3f %6.3f %6.3f\n", kinds[k], cvs[c],
				       steps[st][0] * 100, steps[st][1] * 100, p, r,
				       p + r ? 2 * p * r / (p + r) : 0);
				ttp += tp;
				tfp += fp;
				tfn += fn;
			}
	double p = (double)ttp / (double)(ttp + tfp), r = (double)ttp / (double)(ttp + tfn);
	printf("overall: precision %.3f recall %.3f F1 %.3f (%zu true points)\n", p, r,
	       2 * p * r / (p + r), ttp + tfn);
	free(x);
	x = malloc(10000 * sizeof(double));
	size_t big[10000];
	size_t nt = cp_synth(x, 10000, CP_HEAVY, 0.02, 0.05, 0.6, 200, 3, big, 10000);
	double t0 = now();
	int reps = 20;
	for (int i = 0; i < reps; i++) {
		struct changepoint *cp;
		size_t ncp;
		changepoint_detect(x, 10000, NULL, &cp, &ncp);
		free(cp);
	}
	printf("speed: %.2f ms per 10,000-point series (%zu true shifts)\n",
	       (now() - t0) / reps * 1e3, nt);
	free(x);
	free(truth);
	free(found);
	return 0;
}
