/* Import throughput of one format on one file: detection (must pick FORMAT)
 * plus import_buffer (parse, samples, stats), best of REPEAT runs, in MB/s.
 * Times are process CPU time (CLOCK_PROCESS_CPUTIME_ID): on a shared
 * machine wall time mostly measures the other processes.
 * Built and run by tests/perf/import2.sh.
 * Usage: bench_import2 FILE FORMAT [REPEAT]
 * Prints: FORMAT  MB  benchmarks  samples  best-cpu-ms  MB/s  detect-us */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/base/error.h"
#include "collector/import/importer.h"
#include "lib/doc/result.h"
#include "lib/base/strbuf.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_import2 FILE FORMAT [REPEAT]\n");
		return 2;
	}
	int repeat = argc > 3 ? atoi(argv[3]) : 3;
	struct strbuf sb = STRBUF_INIT;
	if (strbuf_read_file(&sb, argv[1]) < 0) {
		perror(argv[1]);
		return 2;
	}
	double t0 = now();
	const struct importer *imp = importer_detect(sb.buf, sb.len);
	double t_detect = now() - t0;
	if (!imp || strcmp(imp->name, argv[2])) {
		fprintf(stderr, "%s: detected as %s, want %s\n", argv[1], imp ? imp->name : "nothing",
			argv[2]);
		return 1;
	}
	double best = 1e30;
	size_t nb = 0, ns = 0;
	for (int i = 0; i < repeat; i++) {
		struct bk_result r;
		result_init(&r);
		t0 = now();
		if (import_buffer(NULL, argv[1], sb.buf, sb.len, "perf", &r) != 0) {
			fprintf(stderr, "%s\n", bk_last_error());
			return 1;
		}
		double dt = now() - t0;
		if (dt < best)
			best = dt;
		nb = r.nbenchmarks;
		ns = 0;
		for (size_t b = 0; b < r.nbenchmarks; b++)
			ns += r.benchmarks[b].nsamples;
		result_release(&r);
	}
	double mb = sb.len / (1024.0 * 1024.0);
	printf("%-16s %7.1f %10zu %10zu %9.1f %8.1f %9.1f\n", argv[2], mb, nb, ns, best * 1e3,
	       mb / best, t_detect * 1e6);
	strbuf_release(&sb);
	return 0;
}
