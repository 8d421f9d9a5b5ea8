/* timing: phase times of a site build on stderr when BENCHKEEP_TIMING is set
 * in the environment (for tests/perf/site.sh). Header-only. */
#ifndef BK_TIMING_H
#define BK_TIMING_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Prints the time since the previous call (or since the first call) with
 * the phase name, when BENCHKEEP_TIMING is set. Not thread-safe: call from
 * the main thread only. */
static inline void timing_tick(const char *phase)
{
	static double last, last_cpu;
	static int on = -1;
	if (on < 0)
		on = getenv("BENCHKEEP_TIMING") != NULL;
	if (!on)
		return;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double t = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	double c = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
	if (last > 0 && phase) {
		long rss = 0, hwm = 0;
		char line[256];
		FILE *f = fopen("/proc/self/status", "r");
		while (f && fgets(line, sizeof(line), f)) {
			sscanf(line, "VmRSS: %ld", &rss);
			sscanf(line, "VmHWM: %ld", &hwm);
		}
		if (f)
			fclose(f);
		fprintf(stderr, "timing: %-28s %8.3f s wall %8.3f s cpu  rss %ld MB (peak %ld MB)\n",
			phase, t - last, c - last_cpu, rss / 1024, hwm / 1024);
	}
	last = t;
	last_cpu = c;
}

#endif
