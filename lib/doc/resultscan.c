/* resultscan: fast path for reading result files (see resultscan.h).
 *
 * A recursive-descent reader of exactly the result schema. Every function
 * returns 0 or -1 ("give up"); nothing is reported: the full reader will
 * read the same input and say precisely what is wrong with it. Anything
 * allocated goes straight into the result, so giving up is one
 * result_release(). The tokens are in resultscan_lex.h, the value checks
 * shared with the full reader (result_read.c) in result_schema.h; why the
 * schema is read twice is said there. */
#include "lib/doc/resultscan.h"
#include "lib/doc/resultscan_lex.h"
#include "lib/doc/result_schema.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/doc/json.h"
#include "lib/base/strbuf.h"
#include "lib/base/xalloc.h"

/* An optional string member as result_read.c's get_str reads it: null is
 * absent; too long is refused (not for cpu_model). */
static int str_member(struct scan *sc, char **dst, int long_ok)
{
	int nul = is_null(sc);
	if (nul)
		return nul < 0 ? -1 : 0;
	struct span v;
	if (string(sc, &v) < 0)
		return -1;
	if (!long_ok && v.n > RESULT_MAX_NAME)
		return -1;
	free(*dst);
	*dst = xstrndup(v.s, v.n);
	return 0;
}

/* A params/labels/extra map as result_read.c's get_kv reads it. */
static int kv_member(struct scan *sc, struct bk_kvlist *dst)
{
	int nul = is_null(sc);
	if (nul)
		return nul < 0 ? -1 : 0;
	if (expect(sc, '{') < 0)
		return -1;
	if (accept(sc, '}'))
		return count_value(sc);
	size_t n = 0;
	char kbuf[RESULT_MAX_NAME + 1], vbuf[RESULT_MAX_NAME + 1];
	do {
		struct span k, v;
		if (++n > RESULT_MAX_KEYS || string(sc, &k) < 0 || k.n > RESULT_MAX_NAME ||
		    expect(sc, ':') < 0)
			return -1;
		ws(sc);
		if (sc->p >= sc->end)
			return -1;
		if (*sc->p == '"') {
			if (string(sc, &v) < 0 || v.n > RESULT_MAX_NAME)
				return -1;
			memcpy(vbuf, v.s, v.n);
			vbuf[v.n] = '\0';
		} else if (*sc->p == 't' || *sc->p == 'f') {
			int t = *sc->p == 't';
			if (literal(sc, t ? "true" : "false") < 0)
				return -1;
			strcpy(vbuf, t ? "true" : "false");
		} else {
			double d;
			if (number(sc, &d) < 0)
				return -1;
			struct strbuf sb = STRBUF_INIT;
			strbuf_add_double(&sb, d);
			if (sb.len > RESULT_MAX_NAME) {
				strbuf_release(&sb);
				return -1;
			}
			memcpy(vbuf, sb.buf, sb.len + 1);
			strbuf_release(&sb);
		}
		memcpy(kbuf, k.s, k.n);
		kbuf[k.n] = '\0';
		kvlist_set(dst, kbuf, vbuf);
	} while (accept(sc, ','));
	if (expect(sc, '}') < 0)
		return -1;
	return count_value(sc);
}

/* Iterates the members of an object: for each, sets *key and calls fn with
 * the scanner at the value. `known` names the members fn reads: a second
 * occurrence of one of them gives up (cJSON would keep the first). */
typedef int (*member_fn)(struct scan *sc, const struct span *key, void *ctx);

static int object(struct scan *sc, const char *const *known, member_fn fn, void *ctx)
{
	if (expect(sc, '{') < 0)
		return -1;
	unsigned seen = 0;
	if (accept(sc, '}'))
		return count_value(sc);
	do {
		struct span k;
		if (string(sc, &k) < 0 || expect(sc, ':') < 0)
			return -1;
		int idx = -1;
		for (int i = 0; known[i]; i++)
			if (span_is(&k, known[i])) {
				idx = i;
				break;
			}
		if (idx >= 0) {
			if (seen & (1u << idx))
				return -1;
			seen |= 1u << idx;
			if (fn(sc, &k, ctx) < 0)
				return -1;
		} else if (skip_value(sc, 1) < 0) {
			return -1;
		}
	} while (accept(sc, ','));
	if (expect(sc, '}') < 0)
		return -1;
	return count_value(sc);
}

/* ---- run ------------------------------------------------------------------ */

static const char *const commit_keys[] = { "sha", "branch", NULL };
static int commit_member(struct scan *sc, const struct span *k, void *ctx)
{
	struct bk_run *run = ctx;
	return str_member(sc, span_is(k, "sha") ? &run->commit_sha : &run->commit_branch, 0);
}

static const char *const ci_keys[] = { "provider", "run_id", "event", "ref_name",
				       "repository", "sha", "pr", NULL };
static int ci_member(struct scan *sc, const struct span *k, void *ctx)
{
	struct bk_ci *ci = ctx;
	if (span_is(k, "pr")) {
		int nul = is_null(sc);
		if (nul)
			return nul < 0 ? -1 : 0;
		double pr;
		if (number(sc, &pr) < 0 || !schema_in(pr, 0, RESULT_MAX_PR))
			return -1;
		ci->pr = (long)pr;
		return 0;
	}
	char **dst = span_is(k, "provider") ? &ci->provider :
		     span_is(k, "run_id")   ? &ci->run_id :
		     span_is(k, "event")    ? &ci->event :
		     span_is(k, "ref_name") ? &ci->ref_name :
		     span_is(k, "repository") ? &ci->repository : &ci->sha;
	return str_member(sc, dst, 0);
}

static const char *const machine_keys[] = { "name", "os", "arch", "cpu_model", "compiler",
					    "extra", "cpu_cores", "memory_gb", NULL };
static int machine_member(struct scan *sc, const struct span *k, void *ctx)
{
	struct bk_machine *m = ctx;
	if (span_is(k, "extra"))
		return kv_member(sc, &m->extra);
	if (span_is(k, "cpu_cores") || span_is(k, "memory_gb")) {
		double v;
		if (number(sc, &v) < 0) /* null is refused by the full reader too */
			return -1;
		if (span_is(k, "cpu_cores")) {
			if (!schema_in(v, 0, RESULT_MAX_CPU_CORES))
				return -1;
			m->cpu_cores = (long)v;
		} else {
			if (!schema_in(v, 0, RESULT_MAX_MEMORY_GB))
				return -1;
			m->memory_gb = v;
		}
		return 0;
	}
	char **dst = span_is(k, "name") ? &m->name :
		     span_is(k, "os")   ? &m->os :
		     span_is(k, "arch") ? &m->arch :
		     span_is(k, "cpu_model") ? &m->cpu_model : &m->compiler;
	return str_member(sc, dst, span_is(k, "cpu_model"));
}

/* A whole number in [lo, hi], as result_read.c accepts it. */
static int whole(struct scan *sc, double lo, double hi, double *out)
{
	if (number(sc, out) < 0 || !schema_whole(*out, lo, hi))
		return -1;
	return 0;
}

static const char *const rounds_keys[] = { "count", "seed", NULL };
static int rounds_member(struct scan *sc, const struct span *k, void *ctx)
{
	struct bk_run *run = ctx;
	double v;
	if (span_is(k, "count")) {
		if (whole(sc, 1, RESULT_MAX_ROUNDS, &v) < 0)
			return -1;
		run->rounds = (long)v;
		return 0;
	}
	if (whole(sc, 0, RESULT_MAX_SEED, &v) < 0)
		return -1;
	run->round_seed = (unsigned long long)v;
	return 0;
}

static const char *const run_keys[] = { "id", "started_at", "finished_at", "labels",
					"commit", "ci", "machine", "rounds", NULL };
static int run_member(struct scan *sc, const struct span *k, void *ctx)
{
	struct bk_run *run = ctx;
	if (span_is(k, "labels"))
		return kv_member(sc, &run->labels);
	if (span_is(k, "rounds")) {
		int nul = is_null(sc);
		if (nul)
			return nul < 0 ? -1 : 0;
		/* a count is required: without one, the full reader says so */
		if (object(sc, rounds_keys, rounds_member, run) < 0 || run->rounds < 1)
			return -1;
		return 0;
	}
	if (span_is(k, "commit") || span_is(k, "ci") || span_is(k, "machine")) {
		int nul = is_null(sc);
		if (nul)
			return nul < 0 ? -1 : 0;
		if (span_is(k, "commit"))
			return object(sc, commit_keys, commit_member, run);
		if (span_is(k, "ci"))
			return object(sc, ci_keys, ci_member, &run->ci);
		return object(sc, machine_keys, machine_member, &run->machine);
	}
	char **dst = span_is(k, "id") ? &run->id :
		     span_is(k, "started_at") ? &run->started_at : &run->finished_at;
	return str_member(sc, dst, 0);
}

/* ---- benchmarks ----------------------------------------------------------- */

/* rounds(), samples(), metrics() (and kv_member() above) each spell out
 * their array or object loop instead of going through object() with a
 * callback per value: they run once per number, and an indirect call per
 * sample would cost the fast path what it is for. */
struct bctx {
	struct bk_benchmark *b;
	char *direction;
	int has_samples;
	unsigned *rounds; /* "rounds", checked against the samples at the end */
	size_t nrounds, rounds_alloc;
	int has_rounds;
};

static int rounds(struct scan *sc, struct bctx *c)
{
	int nul = is_null(sc);
	if (nul)
		return nul < 0 ? -1 : 0;
	c->has_rounds = 1;
	if (expect(sc, '[') < 0)
		return -1;
	if (accept(sc, ']'))
		return count_value(sc);
	do {
		double v;
		if (c->nrounds >= RESULT_MAX_SAMPLES || whole(sc, 1, RESULT_MAX_ROUNDS, &v) < 0)
			return -1;
		ALLOC_GROW(c->rounds, c->nrounds + 1, c->rounds_alloc);
		c->rounds[c->nrounds++] = (unsigned)v;
	} while (accept(sc, ','));
	if (expect(sc, ']') < 0)
		return -1;
	return count_value(sc);
}

static int samples(struct scan *sc, struct bk_benchmark *b)
{
	if (expect(sc, '[') < 0)
		return -1;
	if (accept(sc, ']'))
		return count_value(sc);
	do {
		double v;
		if (number(sc, &v) < 0 || !isfinite(v) || b->nsamples >= RESULT_MAX_SAMPLES)
			return -1;
		ALLOC_GROW(b->samples, b->nsamples + 1, b->samples_alloc);
		b->samples[b->nsamples++] = v;
	} while (accept(sc, ','));
	if (expect(sc, ']') < 0)
		return -1;
	return count_value(sc);
}

static int metrics(struct scan *sc, struct bk_metrics *m)
{
	int nul = is_null(sc);
	if (nul)
		return nul < 0 ? -1 : 0;
	if (expect(sc, '{') < 0)
		return -1;
	if (accept(sc, '}'))
		return count_value(sc);
	size_t n = 0;
	char kbuf[RESULT_MAX_NAME + 1];
	do {
		struct span k;
		double v;
		if (++n > RESULT_MAX_KEYS || string(sc, &k) < 0 || k.n > RESULT_MAX_NAME ||
		    expect(sc, ':') < 0 || number(sc, &v) < 0 || !isfinite(v))
			return -1;
		memcpy(kbuf, k.s, k.n);
		kbuf[k.n] = '\0';
		metrics_set(m, kbuf, v);
	} while (accept(sc, ','));
	if (expect(sc, '}') < 0)
		return -1;
	return count_value(sc);
}

/* "noise" (baselines only) is left to the full reader */
static const char *const bench_keys[] = { "suite", "name", "unit", "source", "params",
					  "direction", "samples", "threshold", "metrics",
					  "rounds", "noise", NULL };
static int bench_member(struct scan *sc, const struct span *k, void *ctx)
{
	struct bctx *c = ctx;
	struct bk_benchmark *b = c->b;
	if (span_is(k, "rounds"))
		return rounds(sc, c);
	if (span_is(k, "noise"))
		return -1;
	if (span_is(k, "params"))
		return kv_member(sc, &b->params);
	if (span_is(k, "samples")) {
		c->has_samples = 1;
		return samples(sc, b);
	}
	if (span_is(k, "metrics"))
		return metrics(sc, &b->metrics);
	if (span_is(k, "threshold")) {
		int nul = is_null(sc);
		if (nul)
			return nul < 0 ? -1 : 0;
		double v;
		if (number(sc, &v) < 0 || !schema_threshold(v))
			return -1;
		b->threshold = v;
		b->has_threshold = 1;
		return 0;
	}
	char **dst = span_is(k, "suite") ? &b->suite :
		     span_is(k, "name")  ? &b->name :
		     span_is(k, "unit")  ? &b->unit :
		     span_is(k, "source") ? &b->source : &c->direction;
	return str_member(sc, dst, 0);
}

static int benchmark(struct scan *sc, struct bk_result *r)
{
	struct bk_benchmark b;
	memset(&b, 0, sizeof(b));
	struct bctx c = { &b, NULL, 0, NULL, 0, 0, 0 };
	int rc = object(sc, bench_keys, bench_member, &c);
	if (rc == 0 && (!b.suite || !b.name || !b.unit || !*b.name || !c.has_samples))
		rc = -1;
	if (rc == 0 && c.has_rounds && c.nrounds != b.nsamples)
		rc = -1;
	if (rc == 0 && c.nrounds) {
		b.rounds = c.rounds; /* nrounds == nsamples: sized to match below */
		c.rounds = NULL;
		if (b.samples_alloc > b.nsamples)
			b.rounds = xrealloc(b.rounds, b.samples_alloc * sizeof(unsigned));
	}
	free(c.rounds);
	if (rc == 0)
		rc = schema_direction(&b, c.direction);
	free(c.direction);
	if (rc < 0) {
		bench_release(&b);
		return -1;
	}
	if (b.samples_alloc > b.nsamples && b.nsamples) {
		b.samples = xrealloc(b.samples, b.nsamples * sizeof(double));
		b.samples_alloc = b.nsamples;
	}
	bench_finalize(&b);
	result_take_benchmark(r, &b);
	return 0;
}

static int benchmarks(struct scan *sc, struct bk_result *r)
{
	if (expect(sc, '[') < 0)
		return -1;
	if (accept(sc, ']'))
		return count_value(sc);
	do {
		if (r->nbenchmarks >= RESULT_MAX_BENCHMARKS || benchmark(sc, r) < 0)
			return -1;
	} while (accept(sc, ','));
	if (expect(sc, ']') < 0)
		return -1;
	return count_value(sc);
}

/* ---- the document --------------------------------------------------------- */

struct tctx {
	struct bk_result *r;
	int schema_ok, has_run, has_benchmarks;
};

static const char *const top_keys[] = { "schema", "run", "benchmarks", NULL };
static int top_member(struct scan *sc, const struct span *k, void *ctx)
{
	struct tctx *t = ctx;
	if (span_is(k, "schema")) {
		struct span v;
		if (string(sc, &v) < 0 || !span_is(&v, RESULT_SCHEMA))
			return -1;
		t->schema_ok = 1;
		return 0;
	}
	if (span_is(k, "run")) {
		t->has_run = 1;
		return object(sc, run_keys, run_member, &t->r->run);
	}
	t->has_benchmarks = 1;
	return benchmarks(sc, t->r);
}

int result_scan_buf(struct bk_result *r, const char *buf, size_t len)
{
	result_init(r);
	if (len > JSON_MAX_BYTES)
		return 1;
	struct scan sc = { buf, buf + len, 0 };
	struct tctx t = { r, 0, 0, 0 };
	int rc = object(&sc, top_keys, top_member, &t);
	if (rc == 0) {
		ws(&sc);
		if (sc.p != sc.end || !t.schema_ok || !t.has_run || !t.has_benchmarks || !r->run.id)
			rc = -1;
	}
	if (rc < 0) {
		result_release(r);
		return 1;
	}
	return 0;
}
