/* Import throughput: for each input file, detects its format and imports
 * it with import_buffer (parse, samples, metrics, statistics) several
 * times, printing the best time and MB/s. The output file is not written
 * (tests/perf/import.sh times the whole command separately).
 * Usage: bench_import MIN_SECONDS FILE... */
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
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_import MIN_SECONDS FILE...\n");
		return 2;
	}
	double min_s = strtod(argv[1], NULL);
	printf("%-22s %9s %11s %9s %8s %11s\n", "format", "MB", "benchmarks", "samples", "best s", "MB/s");
	for (int i = 2; i < argc; i++) {
		struct strbuf sb = STRBUF_INIT;
		if (strbuf_read_file(&sb, argv[i]) < 0) {
			fprintf(stderr, "cannot read %s\n", argv[i]);
			return 2;
		}
		const struct importer *imp = importer_detect(sb.buf, sb.len);
		if (!imp) {
			fprintf(stderr, "%s: format not detected\n", argv[i]);
			return 2;
		}
		double best = 1e9, spent = 0;
		size_t nb = 0, ns = 0;
		for (int rep = 0; rep < 3 || spent < min_s; rep++) {
			struct bk_result r;
			result_init(&r);
			double t0 = now();
			if (import_buffer(imp->name, argv[i], sb.buf, sb.len, "perf", &r) < 0) {
				fprintf(stderr, "%s\n", bk_last_error());
				return 2;
			}
			double dt = now() - t0;
			spent += dt;
			if (dt < best)
				best = dt;
			nb = r.nbenchmarks;
			ns = 0;
			for (size_t b = 0; b < r.nbenchmarks; b++)
				ns += r.benchmarks[b].nsamples;
			result_release(&r);
			if (rep >= 20)
				break;
		}
		double mb = (double)sb.len / 1e6;
		printf("%-22s %9.1f %11zu %9zu %8.3f %11.1f\n", imp->name, mb, nb, ns, best, mb / best);
		strbuf_release(&sb);
	}
	return 0;
}
