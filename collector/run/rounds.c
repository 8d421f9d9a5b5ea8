#include "collector/run/rounds.h"
#include "lib/base/error.h"
#include "collector/run/harness.h"
#include "collector/run/measure.h"
#include "lib/base/xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* --- seeded shuffling ------------------------------------------------------ */

void rounds_rng_init(struct rounds_rng *g, uint64_t seed)
{
	g->state = seed;
}

uint64_t rounds_rng_next(struct rounds_rng *g)
{
	uint64_t z = (g->state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A number in [0, n), n > 0, without modulo bias: the draws below
 * 2^64 mod n are rejected, which leaves a multiple of n values. */
static uint64_t uniform(struct rounds_rng *g, uint64_t n)
{
	uint64_t reject = -n % n, r;
	do
		r = rounds_rng_next(g);
	while (r < reject);
	return r % n;
}

void rounds_shuffle(struct rounds_rng *g, size_t *v, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)uniform(g, i);
		size_t t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

unsigned long long rounds_random_seed(void)
{
	uint64_t x;
	if (getrandom(&x, sizeof(x), 0) != (ssize_t)sizeof(x)) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		struct rounds_rng g;
		rounds_rng_init(&g, ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec) ^
					    ((uint64_t)getpid() << 32));
		x = rounds_rng_next(&g);
	}
	/* below 10^15: written as a plain integer (15 significant digits),
	 * which a user can copy into --seed as it is */
	return x % 1000000000000000ULL;
}

int rounds_parse_seed(const char *s, unsigned long long *out)
{
	char *end;
	errno = 0;
	if (*s >= '0' && *s <= '9') {
		unsigned long long v = strtoull(s, &end, 10);
		if (!*end && !errno && v < ROUNDS_SEED_LIMIT) {
			*out = v;
			return 0;
		}
		double d = strtod(s, &end);
		if (!*end && !errno && d == floor(d) && d < (double)ROUNDS_SEED_LIMIT) {
			*out = (unsigned long long)d;
			return 0;
		}
	}
	return bk_error("--seed: expected a whole number from 0 to 2^53 - 1, got '%s'", s);
}

/* --- round counts -------------------------------------------------------- */

int rounds_for_suite(const struct bk_config *cfg, const struct bk_suite_cfg *s,
		     const struct run_opts *o)
{
	if (o->rounds > 0)
		return o->rounds;
	if (s->rounds > 0)
		return s->rounds;
	if (cfg->rounds > 0)
		return cfg->rounds;
	return ROUNDS_DEFAULT;
}

int rounds_for_bench(int n, int runs, double min_time)
{
	if (n < 1)
		n = 1;
	if (min_time > 0 || runs >= n)
		return n;
	return runs < 1 ? 1 : runs;
}

/* --- the engine ---------------------------------------------------------- */

enum unit_kind { UNIT_TIMED, UNIT_HARNESS, UNIT_TYPED };
enum unit_state { UNIT_WAITING, UNIT_ACTIVE, UNIT_DONE };

/* One entry of the run in config order: a timed benchmark (one measure per
 * side), a harness entry or a typed suite. */
struct unit {
	enum unit_kind kind;
	const struct bk_bench_cfg *b; /* timed or harness */
	size_t suite;                 /* typed: its index in the config */
	int k;                        /* rounds it takes samples in */
	enum unit_state state;
	int begun;                    /* sides whose measure_begin was called */
	int ready[2];                 /* side set up and measurable */
	struct measure m[2];
	size_t first, count;          /* its benchmarks in res[0] */
};

struct engine {
	const struct bk_config *cfg;
	const struct run_opts *o;
	const char *const *dirs; /* NULL: a normal run */
	struct bk_result *const *res;
	int sides;
	int nrounds;
	unsigned long long seed;
	struct unit *units;
	size_t n, alloc;
	int failed;
	long ran;
};

static const char *const side_tag[2] = { "base", "head" };

static struct unit *add_unit(struct engine *e, enum unit_kind kind)
{
	ALLOC_GROW(e->units, e->n + 1, e->alloc);
	struct unit *u = &e->units[e->n++];
	memset(u, 0, sizeof(*u));
	u->kind = kind;
	u->k = 1;
	return u;
}

/* Under --ab: a warning for each selected harness entry (not run). */
static void warn_harness(const struct bk_config *cfg, const struct run_opts *o)
{
	for (size_t i = 0; i < cfg->nsuites; i++) {
		const struct bk_suite_cfg *s = &cfg->suites[i];
		if (!run_suite_selected(o, s->name) || strcmp(s->type, "command"))
			continue; /* another type: plan refuses it */
		for (size_t k = 0; k < s->nbenchmarks; k++) {
			const struct bk_bench_cfg *b = &s->benchmarks[k];
			if (b->format && run_bench_selected(o, b))
				run_say(o, RUN_SAY_WARNING, "%s/%s: harness entries are not run with "
					"--ab (skipped)", b->suite, b->name);
		}
	}
}

/* The selected entries of the config, in order; their round counts. */
static int plan(struct engine *e)
{
	const struct bk_config *cfg = e->cfg;
	const struct run_opts *o = e->o;
	if (run_check_suites(cfg, o) < 0)
		return -1;
	if (e->sides == 2)
		warn_harness(cfg, o);
	for (size_t i = 0; i < cfg->nsuites; i++) {
		const struct bk_suite_cfg *s = &cfg->suites[i];
		if (!run_suite_selected(o, s->name))
			continue;
		if (e->sides == 2 && strcmp(s->type, "command"))
			return bk_error("%s: suite '%s': --ab runs command suites only, not type '%s'",
					cfg->path, s->name, s->type);
		if (run_suite_type(o, s->type)) {
			add_unit(e, UNIT_TYPED)->suite = i;
			continue;
		}
		if (strcmp(s->type, "command"))
			return bk_error("%s: suite '%s': unknown suite type '%s'", cfg->path, s->name,
					s->type);
		int n = rounds_for_suite(cfg, s, o);
		for (size_t k = 0; k < s->nbenchmarks; k++) {
			const struct bk_bench_cfg *b = &s->benchmarks[k];
			if (!run_bench_selected(o, b))
				continue;
			if (b->format) {
				if (e->sides == 1)
					add_unit(e, UNIT_HARNESS)->b = b;
				continue; /* not with --ab: warn_harness warned */
			}
			struct unit *u = add_unit(e, UNIT_TIMED);
			u->b = b;
			u->k = rounds_for_bench(n, o->runs > 0 ? o->runs : b->runs, b->min_time);
			if (u->k > e->nrounds)
				e->nrounds = u->k;
		}
	}
	if (!e->n)
		return bk_error("%s: no benchmark matched the selection", cfg->path);
	if (e->nrounds < 1)
		e->nrounds = 1;
	return 0;
}

/* A harness entry or a typed suite, into res[0]. */
static int run_external(struct engine *e, struct unit *u)
{
	struct bk_result *r = e->res[0];
	size_t before = r->nbenchmarks;
	if (u->kind == UNIT_HARNESS) {
		if (run_harness(u->b, e->o, r) < 0)
			return -1;
		e->ran++;
	} else {
		const char *type = e->cfg->suites[u->suite].type;
		int n = run_suite_type(e->o, type)->run(e->cfg, u->suite, e->o, r);
		if (n < 0)
			return -1;
		e->ran += n;
	}
	u->first = before;
	u->count = r->nbenchmarks - before;
	u->state = UNIT_DONE;
	return 0;
}

static int unit_done(const struct engine *e, const struct unit *u)
{
	int done = 1, failed = 0;
	for (int s = 0; s < e->sides; s++) {
		done &= !u->ready[s] || measure_done(&u->m[s]);
		failed |= u->m[s].failed > 0;
	}
	return done || (failed && !e->o->keep_going);
}

/* Stats and teardown of every side. */
static int finish(struct engine *e, struct unit *u)
{
	int failed = 0, rc = 0;
	u->state = UNIT_DONE;
	for (int s = 0; s < e->sides; s++) {
		int f = measure_finish(&u->m[s]);
		if (f < 0)
			rc = -1;
		failed |= f > 0;
	}
	e->failed += failed;
	return rc;
}

/* Round j of a benchmark under --ab: pairs of runs, base then head. */
static int pairs(struct engine *e, struct unit *u, int j)
{
	struct measure *a = &u->m[0], *h = &u->m[1];
	int keep_going = e->o->keep_going;
	for (;;) {
		if (!keep_going && (a->failed || h->failed))
			return 0; /* a failed run stops both sides */
		int da = !u->ready[0] || measure_round_done(a, j, u->k);
		int dh = !u->ready[1] || measure_round_done(h, j, u->k);
		if (da && dh)
			return 0;
		if (!u->ready[0] || !u->ready[1]) {
			/* one side cannot be measured: the other runs alone */
			if (measure_once(u->ready[0] ? a : h) < 0)
				return -1;
			continue;
		}
		/* both sides run while either needs more, so their attempts
		 * stay equal (min_time may be reached on one side first) */
		long oka = a->ok, okh = h->ok;
		if (measure_once(a) < 0)
			return -1;
		if (a->failed && !keep_going)
			return 0;
		if (measure_once(h) < 0)
			return -1;
		int sa = a->ok > oka, sh = h->ok > okh;
		if (sa != sh)
			measure_drop_last(sa ? a : h); /* keep the samples paired */
	}
}

/* Benchmark u's turn in round j: set up at the first, its share of runs,
 * finished after its last round or when it stops early. */
static int turn(struct engine *e, struct unit *u, int j)
{
	if (u->state == UNIT_WAITING) {
		u->state = UNIT_ACTIVE;
		for (int s = 0; s < e->sides; s++) {
			int rc = measure_begin(&u->m[s], u->b, e->o, e->dirs ? e->dirs[s] : NULL,
					       e->sides == 2 ? side_tag[s] : NULL, e->res[s]);
			u->begun = s + 1;
			if (rc < 0)
				return -1;
			u->ready[s] = rc == 0;
			u->m[s].nrounds = e->nrounds;
			u->m[s].bench_rounds = u->k;
		}
	}
	for (int s = 0; s < e->sides; s++)
		u->m[s].round = (unsigned)j;
	if (e->sides == 2) {
		if (pairs(e, u, j) < 0)
			return -1;
	} else {
		struct measure *m = &u->m[0];
		while (u->ready[0] && !measure_round_done(m, j, u->k))
			if (measure_once(m) < 0)
				return -1;
	}
	if (j >= u->k || unit_done(e, u))
		return finish(e, u);
	return 0;
}

/* After an error: tear down what was set up, keeping the error. */
static void abort_units(struct engine *e)
{
	char *msg = xstrdup(bk_last_error());
	for (size_t i = 0; i < e->n; i++) {
		struct unit *u = &e->units[i];
		if (u->state != UNIT_ACTIVE)
			continue;
		for (int s = 0; s < e->sides; s++)
			if (u->ready[s])
				measure_run_aux(&u->m[s].cfg.teardown, &u->m[s].cfg, "teardown");
	}
	bk_error("%s", msg);
	free(msg);
}

/* res[0] in config order: each unit's benchmarks where the unit is. */
static void reorder(struct engine *e)
{
	struct bk_result *r = e->res[0];
	size_t total = 0;
	for (size_t i = 0; i < e->n; i++)
		total += e->units[i].count;
	if (total != r->nbenchmarks || !total)
		return;
	struct bk_benchmark *v = xcalloc(total, sizeof(*v));
	size_t k = 0;
	for (size_t i = 0; i < e->n; i++) {
		const struct unit *u = &e->units[i];
		memcpy(&v[k], &r->benchmarks[u->first], u->count * sizeof(*v));
		k += u->count;
	}
	free(r->benchmarks);
	r->benchmarks = v;
	r->benchmarks_alloc = total;
}

static void round_progress(const struct engine *e, int j, size_t took, double secs)
{
	if (e->nrounds < 2)
		return;
	run_say(e->o, RUN_SAY_LINE, "round %d/%d: %zu benchmark%s in %.2f s", j, e->nrounds, took,
		took == 1 ? "" : "s", secs);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run_rounds(struct engine *e)
{
	size_t *order = xcalloc(e->n, sizeof(size_t));
	struct rounds_rng g;
	int rc = -1;
	rounds_rng_init(&g, e->seed);
	if (e->nrounds > 1) {
		for (size_t i = 0; i < e->n; i++)
			if (e->units[i].kind != UNIT_TIMED && run_external(e, &e->units[i]) < 0)
				goto out;
	}
	for (int j = 1; j <= e->nrounds; j++) {
		size_t n = 0, took = 0;
		double t0 = now_s();
		for (size_t i = 0; i < e->n; i++)
			if (e->nrounds == 1 || e->units[i].kind == UNIT_TIMED)
				order[n++] = i;
		if (e->nrounds > 1)
			rounds_shuffle(&g, order, n);
		for (size_t i = 0; i < n; i++) {
			struct unit *u = &e->units[order[i]];
			if (u->kind != UNIT_TIMED) {
				if (run_external(e, u) < 0)
					goto out;
				continue;
			}
			if (u->state == UNIT_DONE || j > u->k)
				continue;
			if (turn(e, u, j) < 0)
				goto out;
			took++;
		}
		round_progress(e, j, took, now_s() - t0);
	}
	rc = 0;
out:
	free(order);
	return rc;
}

int rounds_run(const struct bk_config *cfg, const struct run_opts *o, const char *const dirs[2],
	       struct bk_result *const res[2])
{
	struct engine e = { .cfg = cfg, .o = o, .dirs = dirs, .res = res };
	int rc = -1;
	e.sides = res[1] ? 2 : 1;
	if (plan(&e) < 0)
		goto out;
	e.seed = o->have_seed ? o->round_seed : rounds_random_seed();
	for (int s = 0; s < e.sides; s++) {
		res[s]->run.rounds = e.nrounds > 1 ? e.nrounds : 0;
		res[s]->run.round_seed = e.nrounds > 1 ? e.seed : 0;
	}
	if (run_rounds(&e) < 0) {
		abort_units(&e);
		goto out;
	}
	for (size_t i = 0; i < e.n; i++) {
		struct unit *u = &e.units[i];
		if (u->kind != UNIT_TIMED)
			continue;
		u->first = res[0]->nbenchmarks;
		u->count = 1;
		for (int s = 0; s < e.sides; s++)
			measure_take(&u->m[s], res[s]);
		e.ran++;
	}
	reorder(&e);
	if (!e.ran) {
		bk_error("%s: no benchmark matched the selection", cfg->path);
		goto out;
	}
	rc = e.failed;
out:
	for (size_t i = 0; i < e.n; i++)
		for (int s = 0; s < e.units[i].begun; s++)
			measure_release(&e.units[i].m[s]);
	free(e.units);
	return rc;
}
