#include "collector/run/measure.h"
#include "lib/base/error.h"
#include "collector/run/perfcount.h"
#include "collector/run/runner.h"
#include "lib/base/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void vec_add(struct measure_vec *v, double x)
{
	ALLOC_GROW(v->v, v->n + 1, v->alloc);
	v->v[v->n++] = x;
}

int measure_parse_metric(const char *spec, const char **metric, const char **backend)
{
	*metric = *backend = NULL;
	if (!strcmp(spec, "wall_time") || !strcmp(spec, "time")) {
		*metric = "wall_time";
		return 0;
	}
	if (!strcmp(spec, "instructions")) {
		*metric = "instructions";
		return 0;
	}
	if (!strcmp(spec, "instructions:perf") || !strcmp(spec, "instructions:callgrind")) {
		*metric = "instructions";
		*backend = strchr(spec, ':') + 1;
		return 0;
	}
	return bk_error("--metric: expected wall_time, instructions, instructions:perf or "
			"instructions:callgrind, got '%s'", spec);
}

double run_unit_factor(const char *unit)
{
	if (!unit || !strcmp(unit, "s"))
		return 1;
	if (!strcmp(unit, "ms"))
		return 1e3;
	if (!strcmp(unit, "us"))
		return 1e6;
	if (!strcmp(unit, "ns"))
		return 1e9;
	return 0;
}

/* --- binding to a build directory ---------------------------------------- */

/* dst = src with {build} expanded and BENCHKEEP_BUILD set; under --ab (ab
 * set) the working directory follows the build dir too. */
static void bind(struct bk_bench_cfg *dst, const struct bk_bench_cfg *src, const char *dir, int ab)
{
	*dst = *src; /* scalars; every pointer is replaced below */
	dst->suite = xstrdup(src->suite);
	dst->name = xstrdup(src->name);
	memset(&dst->params, 0, sizeof(dst->params));
	kvlist_copy(&dst->params, &src->params);
	struct bk_kvlist build = { 0 };
	kvlist_set(&build, "build", dir);
	command_expand(&dst->cmd, &src->cmd, &build);
	command_expand(&dst->setup, &src->setup, &build);
	command_expand(&dst->teardown, &src->teardown, &build);
	memset(&dst->env, 0, sizeof(dst->env));
	for (size_t i = 0; i < src->env.nr; i++) {
		char *v = config_expand(src->env.items[i].value, &build);
		kvlist_set(&dst->env, src->env.items[i].key, v);
		free(v);
	}
	char *cwd = config_expand(src->cwd, &build);
	kvlist_release(&build);
	kvlist_set(&dst->env, "BENCHKEEP_BUILD", dir);
	if (ab) {
		if (!cwd) {
			cwd = xstrdup(dir);
		} else if (cwd[0] != '/') {
			struct strbuf sb = STRBUF_INIT;
			strbuf_addf(&sb, "%s/%s", dir, cwd);
			free(cwd);
			cwd = strbuf_detach(&sb, NULL);
		}
	}
	dst->cwd = cwd;
	dst->unit = xstrdup(src->unit);
	dst->metric = xstrdup(src->metric);
	dst->backend = xstrdup(src->backend);
	dst->format = xstrdup(src->format);
	dst->output = xstrdup(src->output);
}

/* --- progress ------------------------------------------------------------ */

/* Median med of a wall-time benchmark in unit units/s, for a progress
 * line: "0.123 ms" style (s, ms or us). */
static void add_seconds(struct strbuf *sb, double med, double factor)
{
	med /= factor;
	const char *u = "s";
	if (med < 1e-3) {
		med *= 1e6;
		u = "us";
	} else if (med < 1) {
		med *= 1e3;
		u = "ms";
	}
	strbuf_addf(sb, "  median %.3f %s", med, u);
}

/* The progress line of m: its run in progress, or its final line. */
static void progress(const struct measure *m, int done)
{
	if (!m->o->progress)
		return;
	const struct bk_benchmark *b = &m->bench;
	struct strbuf sb = STRBUF_INIT;
	if (!done && m->nrounds > 1)
		strbuf_addf(&sb, "round %u/%d  ", m->round, m->nrounds);
	strbuf_addf(&sb, "%s%s%s/%s  run %ld/%d", m->tag ? m->tag : "", m->tag ? " " : "",
		    b->suite, b->name, m->ok + m->failed + m->unpaired + !done, m->runs);
	if (b->nsamples) {
		double med = stats_median(b->samples, b->nsamples);
		if (m->metric == MEASURE_INSTRUCTIONS)
			strbuf_addf(&sb, "  median %.4g instructions", med);
		else
			add_seconds(&sb, med, m->factor);
	}
	if (done && m->bench_rounds > 1)
		strbuf_addf(&sb, "  (%d rounds)", m->bench_rounds);
	run_say(m->o, done ? RUN_SAY_LINE : RUN_SAY_STATUS, "%s", sb.buf);
	strbuf_release(&sb);
}

/* --- runs ---------------------------------------------------------------- */

int measure_run_aux(const struct bk_command *c, const struct bk_bench_cfg *b, const char *what)
{
	if (!c->argv && !c->shell)
		return 0;
	struct runner_opts ro = { c, &b->env, b->cwd, b->timeout, NULL, 1 };
	struct runner_result rr;
	if (runner_run(&ro, &rr) < 0)
		return bk_error_prefix("%s/%s: %s", b->suite, b->name, what);
	if (rr.exit_code || rr.timed_out)
		return bk_error("%s/%s: %s failed (%s %d)", b->suite, b->name, what,
				rr.timed_out ? "timed out after" : "exit",
				rr.timed_out ? (int)b->timeout : rr.exit_code);
	return 0;
}

static const char *backend_name(enum measure_backend b)
{
	return b == MEASURE_PERF ? "perf" : b == MEASURE_CALLGRIND ? "callgrind" : "";
}

/* Picks metric and backend; fills the benchmark's identity. */
static int choose(struct measure *m)
{
	const struct bk_bench_cfg *b = &m->cfg;
	const char *metric = m->o->metric ? m->o->metric : b->metric;
	const char *backend = m->o->backend ? m->o->backend : b->backend;
	m->metric = metric && !strcmp(metric, "instructions") ? MEASURE_INSTRUCTIONS
							      : MEASURE_WALL_TIME;
	struct bk_benchmark *bench = &m->bench;
	memset(bench, 0, sizeof(*bench));
	bench->suite = xstrdup(b->suite);
	kvlist_copy(&bench->params, &b->params);
	set_str(&bench->source, "command");
	bench->direction = b->direction >= 0 ? (enum bk_direction)b->direction : BK_SMALLER;
	if (b->threshold >= 0) {
		bench->threshold = b->threshold;
		bench->has_threshold = 1;
	}
	if (m->metric == MEASURE_WALL_TIME) {
		m->factor = run_unit_factor(b->unit);
		if (m->factor == 0)
			return bk_error("%s/%s: unit '%s' is not a time unit (s, ms, us, ns)",
					b->suite, b->name, b->unit);
		bench->name = xstrdup(b->name);
		set_str(&bench->unit, b->unit ? b->unit : "s");
		return 0;
	}
	if (b->unit && strcmp(b->unit, "instructions"))
		return bk_error("%s/%s: unit '%s' does not apply to the instructions metric",
				b->suite, b->name, b->unit);
	m->factor = 1;
	m->backend = backend && !strcmp(backend, "perf") ? MEASURE_PERF : MEASURE_CALLGRIND;
	struct strbuf nm = STRBUF_INIT;
	strbuf_addf(&nm, "%s/metric=instructions/backend=%s", b->name, backend_name(m->backend));
	bench->name = strbuf_detach(&nm, NULL);
	kvlist_set(&bench->params, "metric", "instructions");
	kvlist_set(&bench->params, "backend", backend_name(m->backend));
	set_str(&bench->unit, "instructions");
	if (!bench->has_threshold) {
		bench->threshold = MEASURE_INSTRUCTIONS_THRESHOLD;
		bench->has_threshold = 1;
	}
	return 0;
}

/* Records the backend's version in the machine info; checks it can run. */
static int prepare_backend(struct measure *m, struct bk_result *r)
{
	struct bk_kvlist *extra = &r->run.machine.extra;
	if (m->backend == MEASURE_PERF) {
		struct strbuf sb = STRBUF_INIT;
		perfcount_describe(&sb);
		kvlist_set(extra, "perf", sb.buf);
		strbuf_release(&sb);
		if (!perfcount_available()) {
			m->unavailable = 1;
			return bk_error_prefix("%s/%s", m->bench.suite, m->bench.name);
		}
		return 0;
	}
	if (m->backend == MEASURE_CALLGRIND) {
		if (!kvlist_get(extra, "valgrind")) {
			char *v = callgrind_valgrind_version();
			if (!v) {
				m->unavailable = 1;
				return bk_error_prefix("%s/%s", m->bench.suite, m->bench.name);
			}
			kvlist_set(extra, "valgrind", v);
			free(v);
		}
		if (callgrind_init(&m->cg, m->cfg.cache_sim) < 0)
			return -2;
		callgrind_wrap(&m->cg, &m->cfg.cmd, &m->wrapped);
	}
	return 0;
}

int measure_begin(struct measure *m, const struct bk_bench_cfg *b, const struct run_opts *o,
		  const char *build_dir, const char *tag, struct bk_result *r)
{
	memset(m, 0, sizeof(*m));
	m->o = o;
	m->tag = tag;
	char *cwd = NULL;
	if (!build_dir) {
		cwd = getcwd(NULL, 0);
		if (!cwd)
			return bk_error("cannot read the current directory: %s", strerror(errno));
	}
	bind(&m->cfg, b, build_dir ? build_dir : cwd, build_dir != NULL);
	free(cwd);
	b = &m->cfg;
	if (choose(m) < 0)
		return -1;
	m->runs = o->runs > 0 ? o->runs : b->runs;
	m->max_runs = b->max_runs ? b->max_runs : (long)m->runs * 100;
	if (m->max_runs < m->runs)
		m->max_runs = m->runs;
	int prc = prepare_backend(m, r);
	if (prc == -2)
		return -1;
	if (prc < 0)
		return 1; /* counter absent: the benchmark fails, the run goes on */
	if (measure_run_aux(&b->setup, b, "setup") < 0)
		return -1;
	int warmup = o->warmup >= 0 ? o->warmup : b->warmup;
	struct runner_opts ro = { &b->cmd, &b->env, b->cwd, b->timeout, NULL, 0 };
	struct runner_result rr;
	for (int i = 0; i < warmup; i++) {
		if (runner_run(&ro, &rr) < 0)
			return bk_error_prefix("%s/%s", b->suite, b->name);
	}
	return 0;
}

int measure_done(const struct measure *m)
{
	long k = m->ok + m->failed + m->unpaired;
	if (m->unavailable || k >= m->max_runs)
		return 1;
	if (m->failed && !m->o->keep_going)
		return 1;
	return k >= m->runs && m->measured >= m->cfg.min_time;
}

int measure_round_done(const struct measure *m, int j, int k)
{
	if (measure_done(m))
		return 1;
	if (k <= 1 || j >= k)
		return 0; /* the last round ends where measure_done does */
	long long n = m->ok + m->failed + m->unpaired;
	long long share = (long long)m->runs * j / k;
	long long cap = (long long)m->max_runs * j / k;
	if (cap < share)
		cap = share;
	if (n >= cap)
		return 1;
	return n >= share && m->measured >= m->cfg.min_time * j / k;
}

int measure_once(struct measure *m)
{
	const struct bk_bench_cfg *b = &m->cfg;
	struct runner_opts ro = { &b->cmd, &b->env, b->cwd, b->timeout, NULL, 0 };
	struct runner_result rr;
	struct perfcount pc = { -1, -1 };
	struct perfcount_values pv = { 0 };
	struct callgrind_totals ct = { 0 };
	size_t cycles_before = m->cycles.n;
	int rc = -1;
	progress(m, 0);
	if (m->backend == MEASURE_CALLGRIND)
		ro.cmd = &m->wrapped;
	if (m->backend == MEASURE_PERF && perfcount_open(&pc) < 0)
		goto out;
	if (runner_run(&ro, &rr) < 0)
		goto out;
	if (m->backend == MEASURE_PERF && perfcount_read(&pc, &pv) < 0)
		goto out;
	m->measured += rr.wall;
	if (rr.exit_code || rr.timed_out) {
		if (m->backend == MEASURE_CALLGRIND)
			callgrind_collect(&m->cg, &ct); /* clear what it left */
		m->failed++;
		m->timeouts += rr.timed_out;
		m->last_exit = rr.exit_code;
		rc = 0;
		goto out;
	}
	double sample = rr.wall * m->factor;
	if (m->backend == MEASURE_PERF) {
		sample = (double)pv.instructions;
		if (pv.have_cycles)
			vec_add(&m->cycles, (double)pv.cycles);
		m->multiplexed |= pv.multiplexed;
	} else if (m->backend == MEASURE_CALLGRIND) {
		if (callgrind_collect(&m->cg, &ct) < 0)
			goto out;
		sample = (double)ct.ir;
		if (ct.have_cache)
			vec_add(&m->cycles, callgrind_estimated_cycles(&ct));
	}
	m->last_cycles = m->cycles.n > cycles_before;
	m->ok++;
	if (m->nrounds > 1)
		bench_add_sample_round(&m->bench, sample, m->round);
	else
		bench_add_sample(&m->bench, sample);
	vec_add(&m->wall, rr.wall);
	vec_add(&m->user, rr.user);
	vec_add(&m->sys, rr.sys);
	if (rr.max_rss_kb > m->max_rss)
		m->max_rss = rr.max_rss_kb;
	rc = 0;
out:
	if (rc < 0)
		bk_error_prefix("%s/%s", m->bench.suite, m->bench.name);
	if (pc.fd_instr >= 0)
		perfcount_close(&pc);
	return rc;
}

void measure_drop_last(struct measure *m)
{
	if (!m->ok || !m->bench.nsamples)
		return;
	m->ok--;
	m->unpaired++;
	m->bench.nsamples--; /* a rounds entry past nsamples is ignored */
	m->wall.n--;
	m->user.n--;
	m->sys.n--;
	if (m->last_cycles)
		m->cycles.n--;
	m->last_cycles = 0;
}

int measure_finish(struct measure *m)
{
	struct bk_benchmark *bench = &m->bench;
	struct bk_metrics *mt = &bench->metrics;
	int rc = 0;
	if (m->unavailable) {
		run_say(m->o, RUN_SAY_ERROR, "%s (benchmark failed; no other metric was "
			"substituted)", bk_last_error());
		metrics_set(mt, "successful_ops", 0);
		metrics_set(mt, "failed_ops", 0);
		metrics_set(mt, "error_rate", 1);
		metrics_set(mt, "counter_unavailable", 1);
		bench_finalize(bench);
		return 1;
	}
	progress(m, 1);
	bench_finalize(bench);
	if (m->ok) {
		size_t n = (size_t)m->ok;
		if (m->backend != MEASURE_CALLGRIND) /* valgrind's own RSS otherwise */
			metrics_set(mt, "peak_rss_kb", (double)m->max_rss);
		if (m->metric == MEASURE_WALL_TIME) {
			metrics_set(mt, "cpu_user_s", stats_median(m->user.v, n));
			metrics_set(mt, "cpu_sys_s", stats_median(m->sys.v, n));
			if (bench->stats.median > 0)
				metrics_set(mt, "throughput", m->factor / bench->stats.median);
		} else if (m->backend == MEASURE_PERF) {
			metrics_set(mt, "wall_time_s", stats_median(m->wall.v, m->wall.n));
			if (m->cycles.n == n)
				metrics_set(mt, "cycles", stats_median(m->cycles.v, n));
			if (m->multiplexed)
				metrics_set(mt, "multiplexed", 1);
		} else if (m->cycles.n == n) {
			metrics_set(mt, "estimated_cycles", stats_median(m->cycles.v, n));
		}
	}
	long attempts = m->ok + m->failed + m->unpaired;
	metrics_set(mt, "successful_ops", (double)m->ok);
	metrics_set(mt, "failed_ops", (double)m->failed);
	if (m->unpaired)
		metrics_set(mt, "unpaired_ops", (double)m->unpaired);
	metrics_set(mt, "error_rate", attempts ? (double)m->failed / (double)attempts : 0);
	if (m->timeouts)
		metrics_set(mt, "timeouts", (double)m->timeouts);
	if (m->failed && !m->o->keep_going)
		run_say(m->o, RUN_SAY_WARNING, "%s/%s: run failed (%s %d)", bench->suite,
			bench->name, m->timeouts ? "timed out," : "exit",
			m->timeouts ? (int)m->timeouts : m->last_exit);
	int failed = m->failed ? 1 : 0;
	if (measure_run_aux(&m->cfg.teardown, &m->cfg, "teardown") < 0)
		rc = -1;
	return rc < 0 ? rc : failed;
}

void measure_take(struct measure *m, struct bk_result *r)
{
	result_take_benchmark(r, &m->bench);
}

void measure_release(struct measure *m)
{
	bench_cfg_release(&m->cfg);
	bench_release(&m->bench);
	free(m->wall.v);
	free(m->user.v);
	free(m->sys.v);
	free(m->cycles.v);
	callgrind_release(&m->cg);
	command_release(&m->wrapped);
	memset(m, 0, sizeof(*m));
}
