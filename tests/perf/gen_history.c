/* Builds a synthetic repository for the site benchmark: COMMITS commits on
 * main, and a data branch "benchmark-data" with one result file per main
 * commit (BENCHES benchmarks x SAMPLES samples, written by the real result
 * writer), with level shifts in some series. Usage:
 *   gen_history DIR COMMITS BENCHES SAMPLES [--append N]
 * --append N adds N more commits and results to an existing repository. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/error.h"
#include "lib/git/gitio.h"
#include "lib/doc/json.h"
#include "lib/doc/result.h"
#include "collector/store.h"
#include "lib/base/xalloc.h"

static unsigned long long rng = 88172645463325252ULL;
static double unif(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}
static double gauss(void)
{
	double u = unif(), v = unif();
	return sqrt(-2 * log(u + 1e-300)) * cos(2 * M_PI * v);
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: gen_history DIR COMMITS BENCHES SAMPLES [--append N]\n");
		return 2;
	}
	const char *dir = argv[1];
	long commits = atol(argv[2]), benches = atol(argv[3]), samples = atol(argv[4]);
	long start = 0;
	gitio_global_init();
	struct gitio *g;
	if (argc > 6 && !strcmp(argv[5], "--append")) {
		if (gitio_open(&g, dir) < 0) {
			fprintf(stderr, "%s\n", bk_last_error());
			return 1;
		}
		start = commits;
		commits += atol(argv[6]);
	} else if (gitio_init(&g, dir, 1) < 0) {
		fprintf(stderr, "%s\n", bk_last_error());
		return 1;
	}
	for (long i = start; i < commits; i++) {
		char content[64], msg[64];
		snprintf(content, sizeof(content), "%ld\n", i);
		snprintf(msg, sizeof(msg), "change %ld\n", i);
		struct gitio_file f = { "src.txt", content, strlen(content) };
		char *sha = NULL;
		if (gitio_commit_files(g, "main", &f, 1, msg, &sha) < 0) {
			fprintf(stderr, "%s\n", bk_last_error());
			return 1;
		}
		rng = 88172645463325252ULL ^ (unsigned long long)(i * 2654435761UL);
		struct bk_result r;
		result_init(&r);
		r.run.commit_sha = sha;
		r.run.commit_branch = xstrdup("main");
		r.run.machine.name = xstrdup("perf-box");
		char ts[32];
		long long t = 1600000000LL + i * 3600;
		store_format_time(ts, sizeof(ts), (time_t)t);
		r.run.started_at = xstrdup(ts);
		char id[64];
		snprintf(id, sizeof(id), "%08ld-%.7s-perf-box", i, sha);
		r.run.id = xstrdup(id);
		for (long b = 0; b < benches; b++) {
			char name[64];
			snprintf(name, sizeof(name), "bench_%03ld/size=%ld", b, (b % 7 + 1) * 1000);
			struct bk_benchmark *bm = result_add_benchmark(&r, b % 10 == 0 ? "io" : "compute", name);
			bm->unit = xstrdup("ns");
			/* a 5-60% step every ~1,500 commits in one series out of three */
			double level = 1000 + 37 * (double)b;
			if (b % 3 == 0)
				level *= 1 + 0.05 * (double)(1 + b % 12) * (double)((i + b * 97) / 1500 % 2);
			for (long s = 0; s < samples; s++)
				bench_add_sample(bm, level * (1 + 0.02 * gauss()));
			metrics_set(&bm->metrics, "peak_rss_kb", 12000 + (double)b);
		}
		result_finalize(&r);
		cJSON *j = result_to_json(&r);
		char *text = json_print(j);
		cJSON_Delete(j);
		char path[128];
		snprintf(path, sizeof(path), "results/%04ld/%s.json", i / 1000, id);
		struct gitio_file rf = { path, text, strlen(text) };
		if (gitio_commit_files(g, "benchmark-data", &rf, 1, "record\n", NULL) < 0) {
			fprintf(stderr, "%s\n", bk_last_error());
			return 1;
		}
		free(text);
		result_release(&r);
		if ((i + 1) % 1000 == 0)
			fprintf(stderr, "%ld commits\n", i + 1);
	}
	gitio_close(g);
	gitio_global_shutdown();
	return 0;
}
