/* In-process cost of compare_results (lib/verdict/compare.c) without file I/O:
 * two results of N benchmarks x S samples built in memory, compared R
 * times; prints the best and median CPU time per comparison.
 * Usage: bench_compare N S R */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "lib/verdict/compare.h"
#include "lib/doc/result.h"

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000;
	size_t s = argc > 2 ? strtoul(argv[2], NULL, 10) : 100;
	int reps = argc > 3 ? atoi(argv[3]) : 5;
	struct bk_result a, b;
	result_init(&a);
	result_init(&b);
	unsigned seed = 1;
	char name[64];
	for (size_t i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "bench%05zu", i);
		struct bk_benchmark *x = result_add_benchmark(&a, "perf", name);
		struct bk_benchmark *y = result_add_benchmark(&b, "perf", name);
		x->unit = y->unit = NULL;
		for (size_t k = 0; k < s; k++) {
			seed = seed * 1103515245u + 12345u;
			double r = (double)((seed >> 8) & 0xFFFF) / 65536.0;
			bench_add_sample(x, 1000 * (1 + 0.05 * r));
			seed = seed * 1103515245u + 12345u;
			r = (double)((seed >> 8) & 0xFFFF) / 65536.0;
			bench_add_sample(y, 1000 * (i % 50 ? 1 : 1.3) * (1 + 0.05 * r));
		}
	}
	result_finalize(&a);
	result_finalize(&b);
	double *t = malloc((size_t)reps * sizeof(double));
	size_t regressions = 0;
	for (int r = 0; r < reps; r++) {
		struct comparison c;
		double t0 = cpu_now();
		compare_results(&c, &a, &b, NULL);
		t[r] = cpu_now() - t0;
		regressions = c.counts[VERDICT_REGRESSION];
		comparison_release(&c);
	}
	qsort(t, (size_t)reps, sizeof(double), cmp_d);
	printf("compare_results %zu benchmarks x %zu samples: best %.1f ms, median %.1f ms CPU "
	       "(%.1f us per benchmark; %zu regressions)\n",
	       n, s, t[0] * 1e3, t[reps / 2] * 1e3, t[0] * 1e6 / (double)n, regressions);
	free(t);
	result_release(&a);
	result_release(&b);
	return 0;
}
