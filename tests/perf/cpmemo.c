/* Incremental change points (sitegen/analysis/cpmemo.h): CPU time of a full detection
 * of N series of LENGTH points without memo, of the same with an empty memo
 * (filling it), and with the saved memo reloaded after one point was
 * appended to every series — the site rebuild after one more result. Every
 * memo result is checked against changepoint_detect (bit for bit).
 * Usage: cpmemo [N_SERIES] [LENGTH] [GAP] [MEMO_FILE] [REPEAT] [THREADS]
 * REPEAT: extra warm runs (each on a freshly opened memo), for profiling.
 * THREADS: series detected on the site's task pool (lib/base/parallel.h) with
 * that many threads sharing the memo (default 1); times are CPU time of the
 * whole process.
 * GAP: the shortest distance between true shifts (cp_synth; default 200). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "sitegen/analysis/changepoint.h"
#include "sitegen/analysis/cpmemo.h"
#include "lib/base/error.h"
#include "lib/base/parallel.h"
#include "../unit/cp_synth.h"

static double cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct run {
	struct changepoint **cp;
	size_t *ncp;
};

struct task {
	double **x;
	size_t len;
	struct cp_memo *m;
	int use_memo;
	struct run *r;
};

static int detect_one(size_t i, void *payload)
{
	struct task *t = payload;
	return t->use_memo ? changepoint_detect_memo(t->x[i], t->len, NULL, t->m, &t->r->cp[i],
						     &t->r->ncp[i])
			   : changepoint_detect(t->x[i], t->len, NULL, &t->r->cp[i], &t->r->ncp[i]);
}

static int threads = 1;

/* Detects every series (memo m, or none when use_memo is 0); CPU seconds. */
static double detect_all(double **x, size_t ns, size_t len, struct cp_memo *m, int use_memo,
			 struct run *r)
{
	struct task t = { x, len, m, use_memo, r };
	double t0 = cpu();
	if (parallel_run(ns, threads, detect_one, &t) < 0) {
		fprintf(stderr, "cpmemo: %s\n", bk_last_error());
		exit(1);
	}
	return cpu() - t0;
}

static size_t same(const struct run *a, const struct run *b, size_t ns)
{
	size_t bad = 0, total = 0;
	for (size_t i = 0; i < ns; i++) {
		total += a->ncp[i];
		if (a->ncp[i] != b->ncp[i] ||
		    (a->ncp[i] && memcmp(a->cp[i], b->cp[i], a->ncp[i] * sizeof(**a->cp))))
			bad++;
	}
	if (bad) {
		fprintf(stderr, "cpmemo: %zu series differ from changepoint_detect\n", bad);
		exit(1);
	}
	return total;
}

static void run_free(struct run *r, size_t ns)
{
	for (size_t i = 0; i < ns; i++)
		free(r->cp[i]);
}

static void stats_line(const char *what, struct cp_memo *m)
{
	struct cp_memo_stats st;
	cp_memo_get_stats(m, &st);
	printf("  %-22s loaded %zu, used %zu, hits on new %zu, misses %zu, added %zu\n", what,
	       st.loaded, st.used, st.hits_new, st.misses, st.added);
}

int main(int argc, char **argv)
{
	size_t ns = argc > 1 ? strtoul(argv[1], NULL, 10) : 200;
	size_t len = argc > 2 ? strtoul(argv[2], NULL, 10) : 10000;
	size_t gap = argc > 3 ? strtoul(argv[3], NULL, 10) : 200;
	const char *path = argc > 4 ? argv[4] : "build/perf/cpmemo.memo";
	size_t repeat = argc > 5 ? strtoul(argv[5], NULL, 10) : 0;
	threads = argc > 6 ? atoi(argv[6]) : 1;
	double **x = malloc(ns * sizeof(*x));
	size_t *truth = malloc((len + 1) * sizeof(*truth));
	for (size_t i = 0; i < ns; i++) {
		x[i] = malloc((len + 1) * sizeof(double));
		/* len + 1 points; the first runs see len of them */
		cp_synth(x[i], len + 1, (enum cp_noise)(i % CP_NOISE_KINDS), 0.01 + 0.01 * (double)(i % 2),
			 0.05, 0.6, gap, i + 1, truth, len + 1);
	}
	struct run ref = { calloc(ns, sizeof(void *)), calloc(ns, sizeof(size_t)) };
	struct run got = { calloc(ns, sizeof(void *)), calloc(ns, sizeof(size_t)) };
	remove(path);

	double t_plain = detect_all(x, ns, len, NULL, 0, &ref);
	struct cp_memo *m = cp_memo_open(path);
	double t_cold = detect_all(x, ns, len, m, 1, &got);
	size_t npoints = same(&ref, &got, ns);
	run_free(&got, ns);
	stats_line("cold memo:", m);
	double t0 = cpu();
	if (cp_memo_save(m) < 0) {
		fprintf(stderr, "cpmemo: %s\n", bk_last_error());
		return 1;
	}
	double t_save = cpu() - t0;
	cp_memo_close(m);
	struct stat sb;
	stat(path, &sb);

	/* the next build: one more point in every series */
	run_free(&ref, ns);
	double t_plain1 = detect_all(x, ns, len + 1, NULL, 0, &ref);
	for (size_t r = 0; r < repeat; r++) {
		m = cp_memo_open(path);
		detect_all(x, ns, len + 1, m, 1, &got);
		run_free(&got, ns);
		cp_memo_close(m);
	}
	t0 = cpu();
	m = cp_memo_open(path);
	double t_open = cpu() - t0;
	double t_warm = detect_all(x, ns, len + 1, m, 1, &got);
	npoints = same(&ref, &got, ns);
	stats_line("warm, +1 point:", m);
	t0 = cpu();
	if (cp_memo_save(m) < 0) {
		fprintf(stderr, "cpmemo: %s\n", bk_last_error());
		return 1;
	}
	double t_save1 = cpu() - t0;
	cp_memo_close(m);

	printf("%zu series x %zu points (shifts >= %zu apart), %zu change points, %d thread(s)\n",
	       ns, len, gap, npoints, threads);
	printf("  no memo:                 %8.1f ms CPU\n", t_plain * 1e3);
	printf("  cold memo (filling):     %8.1f ms CPU (%.2fx no memo)\n", t_cold * 1e3,
	       t_cold / t_plain);
	printf("  save:                    %8.1f ms CPU, file %.1f MB\n", t_save * 1e3,
	       (double)sb.st_size / 1e6);
	printf("  no memo, +1 point:       %8.1f ms CPU\n", t_plain1 * 1e3);
	printf("  open memo:               %8.1f ms CPU\n", t_open * 1e3);
	printf("  warm memo, +1 point:     %8.1f ms CPU (%.1fx faster than no memo)\n",
	       t_warm * 1e3, t_plain1 / t_warm);
	printf("  open + warm + save:      %8.1f ms CPU (save %.1f ms)\n",
	       (t_open + t_warm + t_save1) * 1e3, t_save1 * 1e3);
	run_free(&ref, ns);
	run_free(&got, ns);
	for (size_t i = 0; i < ns; i++)
		free(x[i]);
	free(x);
	free(truth);
	free(ref.cp);
	free(ref.ncp);
	free(got.cp);
	free(got.ncp);
	return 0;
}
