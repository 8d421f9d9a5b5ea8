#include "lib/doc/result.h"
#include "lib/base/atomicfile.h"
#include "lib/base/error.h"
#include "lib/base/escape.h"
#include "lib/base/xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void set_str(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

void kvlist_set(struct bk_kvlist *l, const char *key, const char *value)
{
	for (size_t i = 0; i < l->nr; i++) {
		if (!strcmp(l->items[i].key, key)) {
			set_str(&l->items[i].value, value);
			return;
		}
	}
	ALLOC_GROW(l->items, l->nr + 1, l->alloc);
	l->items[l->nr].key = xstrdup(key);
	l->items[l->nr].value = xstrdup(value);
	l->nr++;
}

int kvlist_set_pair(struct bk_kvlist *l, const char *pair)
{
	const char *eq = strchr(pair, '=');
	if (!eq || eq == pair)
		return -1;
	char *key = xstrndup(pair, (size_t)(eq - pair));
	kvlist_set(l, key, eq + 1);
	free(key);
	return 0;
}

const char *kvlist_get(const struct bk_kvlist *l, const char *key)
{
	for (size_t i = 0; i < l->nr; i++)
		if (!strcmp(l->items[i].key, key))
			return l->items[i].value;
	return NULL;
}

void kvlist_release(struct bk_kvlist *l)
{
	for (size_t i = 0; i < l->nr; i++) {
		free(l->items[i].key);
		free(l->items[i].value);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

void kvlist_copy(struct bk_kvlist *dst, const struct bk_kvlist *src)
{
	memset(dst, 0, sizeof(*dst));
	for (size_t i = 0; i < src->nr; i++)
		kvlist_set(dst, src->items[i].key, src->items[i].value);
}

void metrics_set(struct bk_metrics *m, const char *key, double value)
{
	for (size_t i = 0; i < m->nr; i++) {
		if (!strcmp(m->items[i].key, key)) {
			m->items[i].value = value;
			return;
		}
	}
	ALLOC_GROW(m->items, m->nr + 1, m->alloc);
	m->items[m->nr].key = xstrdup(key);
	m->items[m->nr].value = value;
	m->nr++;
}

int metrics_get(const struct bk_metrics *m, const char *key, double *out)
{
	for (size_t i = 0; i < m->nr; i++) {
		if (!strcmp(m->items[i].key, key)) {
			*out = m->items[i].value;
			return 1;
		}
	}
	return 0;
}

void metrics_release(struct bk_metrics *m)
{
	for (size_t i = 0; i < m->nr; i++)
		free(m->items[i].key);
	free(m->items);
	memset(m, 0, sizeof(*m));
}

void result_init(struct bk_result *r)
{
	memset(r, 0, sizeof(*r));
}

void bench_release(struct bk_benchmark *b)
{
	free(b->suite);
	free(b->name);
	free(b->unit);
	free(b->source);
	free(b->samples);
	free(b->rounds);
	kvlist_release(&b->params);
	metrics_release(&b->metrics);
	memset(b, 0, sizeof(*b));
}

void bench_copy(struct bk_benchmark *dst, const struct bk_benchmark *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->suite = xstrdup(src->suite);
	dst->name = xstrdup(src->name);
	dst->unit = xstrdup(src->unit);
	dst->source = xstrdup(src->source);
	dst->direction = src->direction;
	dst->threshold = src->threshold;
	dst->has_threshold = src->has_threshold;
	kvlist_copy(&dst->params, &src->params);
	for (size_t i = 0; i < src->metrics.nr; i++)
		metrics_set(&dst->metrics, src->metrics.items[i].key, src->metrics.items[i].value);
	if (src->nsamples) {
		dst->samples = xmalloc(src->nsamples * sizeof(double));
		memcpy(dst->samples, src->samples, src->nsamples * sizeof(double));
	}
	dst->nsamples = dst->samples_alloc = src->nsamples;
	if (src->rounds && src->nsamples) {
		dst->rounds = xmalloc(src->nsamples * sizeof(unsigned));
		memcpy(dst->rounds, src->rounds, src->nsamples * sizeof(unsigned));
	}
	dst->noise = src->noise;
	dst->stats = src->stats;
}

static void machine_release(struct bk_machine *m)
{
	free(m->name);
	free(m->os);
	free(m->arch);
	free(m->cpu_model);
	free(m->compiler);
	kvlist_release(&m->extra);
}

static void ci_release(struct bk_ci *c)
{
	free(c->provider);
	free(c->run_id);
	free(c->event);
	free(c->ref_name);
	free(c->repository);
	free(c->sha);
}

void result_release(struct bk_result *r)
{
	struct bk_run *run = &r->run;
	free(run->id);
	free(run->started_at);
	free(run->finished_at);
	free(run->commit_sha);
	free(run->commit_branch);
	ci_release(&run->ci);
	machine_release(&run->machine);
	kvlist_release(&run->labels);
	for (size_t i = 0; i < r->nbenchmarks; i++)
		bench_release(&r->benchmarks[i]);
	free(r->benchmarks);
	result_init(r);
}

struct bk_benchmark *result_add_benchmark(struct bk_result *r, const char *suite, const char *name)
{
	ALLOC_GROW(r->benchmarks, r->nbenchmarks + 1, r->benchmarks_alloc);
	struct bk_benchmark *b = &r->benchmarks[r->nbenchmarks++];
	memset(b, 0, sizeof(*b));
	b->suite = xstrdup(suite);
	b->name = xstrdup(name);
	return b;
}

void result_take_benchmark(struct bk_result *r, struct bk_benchmark *b)
{
	ALLOC_GROW(r->benchmarks, r->nbenchmarks + 1, r->benchmarks_alloc);
	r->benchmarks[r->nbenchmarks++] = *b;
	memset(b, 0, sizeof(*b));
}

static int kvlist_equal(const struct bk_kvlist *a, const struct bk_kvlist *b)
{
	if (a->nr != b->nr)
		return 0;
	for (size_t i = 0; i < a->nr; i++) {
		const char *v = kvlist_get(b, a->items[i].key);
		if (!v || strcmp(v, a->items[i].value))
			return 0;
	}
	return 1;
}

struct bk_benchmark *result_find(const struct bk_result *r, const char *suite, const char *name,
				 const struct bk_kvlist *params)
{
	static const struct bk_kvlist empty;
	if (!params)
		params = &empty;
	for (size_t i = 0; i < r->nbenchmarks; i++) {
		struct bk_benchmark *b = &r->benchmarks[i];
		if (!strcmp(b->suite, suite) && !strcmp(b->name, name) && kvlist_equal(&b->params, params))
			return b;
	}
	return NULL;
}

void bench_add_sample(struct bk_benchmark *b, double v)
{
	size_t old = b->samples_alloc;
	ALLOC_GROW(b->samples, b->nsamples + 1, b->samples_alloc);
	if (b->rounds && b->samples_alloc != old)
		b->rounds = xrealloc(b->rounds, b->samples_alloc * sizeof(unsigned));
	if (b->rounds)
		b->rounds[b->nsamples] = 0;
	b->samples[b->nsamples++] = v;
}

void bench_add_sample_round(struct bk_benchmark *b, double v, unsigned round)
{
	if (!b->rounds)
		b->rounds = xcalloc(b->samples_alloc ? b->samples_alloc : 1, sizeof(unsigned));
	bench_add_sample(b, v);
	b->rounds[b->nsamples - 1] = round;
}

void bench_finalize(struct bk_benchmark *b)
{
	stats_compute(b->samples, b->nsamples, &b->stats);
}

void result_finalize(struct bk_result *r)
{
	for (size_t i = 0; i < r->nbenchmarks; i++)
		bench_finalize(&r->benchmarks[i]);
}

void bench_key(const struct bk_benchmark *b, struct strbuf *sb)
{
	strbuf_addstr(sb, b->suite);
	strbuf_addch(sb, 0x1f);
	strbuf_addstr(sb, b->name);
	for (size_t i = 0; i < b->params.nr; i++)
		strbuf_addf(sb, "\x1f%s=%s", b->params.items[i].key, b->params.items[i].value);
}

void bench_slug(const struct bk_benchmark *b, const char *machine, struct strbuf *sb)
{
	struct strbuf full = STRBUF_INIT, readable = STRBUF_INIT;
	bench_key(b, &full);
	strbuf_addf(&full, "\x1e%s", machine);
	strbuf_addf(&readable, "%s-%s%s%s", b->suite, b->name, *machine ? "-" : "", machine);
	escape_slug(sb, readable.buf, full.buf);
	strbuf_release(&readable);
	strbuf_release(&full);
}

const char *direction_name(enum bk_direction d)
{
	return d == BK_BIGGER ? "bigger" : "smaller";
}

int direction_parse(const char *s, enum bk_direction *out)
{
	if (!strcmp(s, "smaller")) {
		*out = BK_SMALLER;
		return 0;
	}
	if (!strcmp(s, "bigger")) {
		*out = BK_BIGGER;
		return 0;
	}
	return -1;
}

enum bk_direction direction_for_unit(const char *unit)
{
	size_t n = unit ? strlen(unit) : 0;
	if (n >= 2 && !strcmp(unit + n - 2, "/s"))
		return BK_BIGGER;
	if (n >= 4 && !strcmp(unit + n - 4, "/sec"))
		return BK_BIGGER;
	if (unit && (!strcmp(unit, "Hz") || !strcmp(unit, "ops") || !strcmp(unit, "items") ||
		     !strcmp(unit, "throughput")))
		return BK_BIGGER;
	return BK_SMALLER;
}

/* ------------------------------------------------------------------ */
/* JSON reading with key paths                                         */

struct rctx {
	const char *name; /* file name */
};

static int fail(const struct rctx *c, const char *path, const char *what)
{
	return bk_error("%s: %s: %s", c->name, path, what);
}

/* Reads an optional string member into *dst (copy). Required when `req`. */
static int get_str(const struct rctx *c, const cJSON *obj, const char *key, const char *path,
		   int req, char **dst)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char p[512];
	snprintf(p, sizeof(p), "%s%s%s", path, *path ? "." : "", key);
	if (!v || cJSON_IsNull(v)) {
		if (req)
			return fail(c, p, "missing");
		return 0;
	}
	if (!cJSON_IsString(v))
		return fail(c, p, "expected a string");
	if (strlen(v->valuestring) > RESULT_MAX_NAME && strcmp(key, "cpu_model"))
		return fail(c, p, "string too long");
	set_str(dst, v->valuestring);
	return 0;
}

static int get_kv(const struct rctx *c, const cJSON *obj, const char *key, const char *path,
		  struct bk_kvlist *dst)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char p[512];
	snprintf(p, sizeof(p), "%s%s%s", path, *path ? "." : "", key);
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsObject(v))
		return fail(c, p, "expected an object");
	if (cJSON_GetArraySize(v) > RESULT_MAX_KEYS)
		return fail(c, p, "too many entries (limit 1000)");
	const cJSON *e;
	cJSON_ArrayForEach(e, v) {
		char num[64];
		const char *val;
		if (cJSON_IsString(e)) {
			val = e->valuestring;
		} else if (cJSON_IsNumber(e)) {
			struct strbuf sb = STRBUF_INIT;
			strbuf_add_double(&sb, e->valuedouble);
			snprintf(num, sizeof(num), "%s", sb.buf);
			strbuf_release(&sb);
			val = num;
		} else if (cJSON_IsBool(e)) {
			val = cJSON_IsTrue(e) ? "true" : "false";
		} else {
			char q[600];
			snprintf(q, sizeof(q), "%s.%s", p, e->string);
			return fail(c, q, "expected a string, number or boolean");
		}
		if (strlen(e->string) > RESULT_MAX_NAME || strlen(val) > RESULT_MAX_NAME)
			return fail(c, p, "key or value too long");
		kvlist_set(dst, e->string, val);
	}
	return 0;
}

/* "rounds": an array of round numbers (1..RESULT_MAX_ROUNDS), one per
 * sample. */
static int rounds_from_json(const struct rctx *c, const cJSON *j, const char *path,
			    struct bk_benchmark *b)
{
	char p[600];
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(j, "rounds");
	if (!r || cJSON_IsNull(r))
		return 0;
	snprintf(p, sizeof(p), "%s.rounds", path);
	if (!cJSON_IsArray(r))
		return fail(c, p, "expected an array of round numbers");
	if ((size_t)cJSON_GetArraySize(r) != b->nsamples)
		return fail(c, p, "expected one round number per sample");
	if (!b->nsamples)
		return 0;
	b->rounds = xmalloc(b->samples_alloc * sizeof(unsigned));
	const cJSON *e;
	size_t i = 0;
	cJSON_ArrayForEach(e, r) {
		if (!cJSON_IsNumber(e) || !(e->valuedouble >= 1 && e->valuedouble <= RESULT_MAX_ROUNDS) ||
		    e->valuedouble != floor(e->valuedouble)) {
			snprintf(p, sizeof(p), "%s.rounds[%zu]", path, i);
			return fail(c, p, "expected a whole number from 1 to 1000000");
		}
		b->rounds[i++] = (unsigned)e->valuedouble;
	}
	return 0;
}

/* "noise": {"runs": N, "center": X, "spread": S} (see struct bk_noise). */
static int noise_from_json(const struct rctx *c, const cJSON *j, const char *path,
			   struct bk_benchmark *b)
{
	char p[600];
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(j, "noise");
	if (!n || cJSON_IsNull(n))
		return 0;
	snprintf(p, sizeof(p), "%s.noise", path);
	if (!cJSON_IsObject(n))
		return fail(c, p, "expected an object");
	double runs, center, spread;
	if (json_get_number(n, "runs", &runs) <= 0 || !(runs >= 1 && runs <= 1e9) ||
	    runs != floor(runs))
		return fail(c, p, "runs: expected a whole number of 1 or more");
	if (json_get_number(n, "center", &center) <= 0 || !isfinite(center))
		return fail(c, p, "center: expected a finite number");
	if (json_get_number(n, "spread", &spread) <= 0 || !(spread >= 0 && spread < 100))
		return fail(c, p, "spread: expected a number from 0 to 100");
	b->noise.runs = (long)runs;
	b->noise.center = center;
	b->noise.spread = spread;
	return 0;
}

int bench_from_json(struct bk_benchmark *b, const cJSON *j, const char *name, const char *path)
{
	struct rctx c = { name };
	char p[512];
	memset(b, 0, sizeof(*b));
	if (!cJSON_IsObject(j))
		return fail(&c, path, "expected an object");
	if (get_str(&c, j, "suite", path, 1, &b->suite) || get_str(&c, j, "name", path, 1, &b->name) ||
	    get_str(&c, j, "unit", path, 1, &b->unit) || get_str(&c, j, "source", path, 0, &b->source) ||
	    get_kv(&c, j, "params", path, &b->params))
		goto err;
	if (!*b->name) {
		snprintf(p, sizeof(p), "%s.name", path);
		fail(&c, p, "must not be empty");
		goto err;
	}
	char *dir = NULL;
	if (get_str(&c, j, "direction", path, 0, &dir))
		goto err;
	if (dir) {
		int bad = direction_parse(dir, &b->direction);
		free(dir);
		if (bad) {
			snprintf(p, sizeof(p), "%s.direction", path);
			fail(&c, p, "expected \"smaller\" or \"bigger\"");
			goto err;
		}
	} else {
		b->direction = direction_for_unit(b->unit);
	}
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(j, "samples");
	snprintf(p, sizeof(p), "%s.samples", path);
	if (!s) {
		fail(&c, p, "missing");
		goto err;
	}
	if (!cJSON_IsArray(s)) {
		fail(&c, p, "expected an array of numbers");
		goto err;
	}
	int n = cJSON_GetArraySize(s);
	if (n > RESULT_MAX_SAMPLES) {
		fail(&c, p, "too many samples");
		goto err;
	}
	if (n > 0) {
		b->samples = xmalloc((size_t)n * sizeof(double));
		b->samples_alloc = (size_t)n;
	}
	const cJSON *e;
	int i = 0;
	cJSON_ArrayForEach(e, s) {
		if (!cJSON_IsNumber(e) || !isfinite(e->valuedouble)) {
			snprintf(p, sizeof(p), "%s.samples[%d]", path, i);
			fail(&c, p, "expected a finite number");
			goto err;
		}
		b->samples[b->nsamples++] = e->valuedouble;
		i++;
	}
	if (rounds_from_json(&c, j, path, b) || noise_from_json(&c, j, path, b))
		goto err;
	const cJSON *th = cJSON_GetObjectItemCaseSensitive(j, "threshold");
	if (th && !cJSON_IsNull(th)) {
		if (!cJSON_IsNumber(th) || !isfinite(th->valuedouble) || th->valuedouble < 0) {
			snprintf(p, sizeof(p), "%s.threshold", path);
			fail(&c, p, "expected a number of percent, 0 or more");
			goto err;
		}
		b->threshold = th->valuedouble;
		b->has_threshold = 1;
	}
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "metrics");
	if (m && !cJSON_IsNull(m)) {
		snprintf(p, sizeof(p), "%s.metrics", path);
		if (!cJSON_IsObject(m)) {
			fail(&c, p, "expected an object");
			goto err;
		}
		if (cJSON_GetArraySize(m) > RESULT_MAX_KEYS) {
			fail(&c, p, "too many entries (limit 1000)");
			goto err;
		}
		cJSON_ArrayForEach(e, m) {
			if (!cJSON_IsNumber(e) || !isfinite(e->valuedouble)) {
				snprintf(p, sizeof(p), "%s.metrics.%.200s", path, e->string);
				fail(&c, p, "expected a finite number");
				goto err;
			}
			if (strlen(e->string) > RESULT_MAX_NAME) {
				fail(&c, p, "key too long");
				goto err;
			}
			metrics_set(&b->metrics, e->string, e->valuedouble);
		}
	}
	bench_finalize(b);
	return 0;
err:
	bench_release(b);
	return -1;
}

static int run_from_json(struct bk_run *run, const cJSON *j, const struct rctx *c)
{
	if (!cJSON_IsObject(j))
		return fail(c, "run", "expected an object");
	if (get_str(c, j, "id", "run", 1, &run->id) ||
	    get_str(c, j, "started_at", "run", 0, &run->started_at) ||
	    get_str(c, j, "finished_at", "run", 0, &run->finished_at) ||
	    get_kv(c, j, "labels", "run", &run->labels))
		return -1;
	const cJSON *cm = cJSON_GetObjectItemCaseSensitive(j, "commit");
	if (cm && !cJSON_IsNull(cm)) {
		if (!cJSON_IsObject(cm))
			return fail(c, "run.commit", "expected an object");
		if (get_str(c, cm, "sha", "run.commit", 0, &run->commit_sha) ||
		    get_str(c, cm, "branch", "run.commit", 0, &run->commit_branch))
			return -1;
	}
	const cJSON *ci = cJSON_GetObjectItemCaseSensitive(j, "ci");
	if (ci && !cJSON_IsNull(ci)) {
		if (!cJSON_IsObject(ci))
			return fail(c, "run.ci", "expected an object");
		if (get_str(c, ci, "provider", "run.ci", 0, &run->ci.provider) ||
		    get_str(c, ci, "run_id", "run.ci", 0, &run->ci.run_id) ||
		    get_str(c, ci, "event", "run.ci", 0, &run->ci.event) ||
		    get_str(c, ci, "ref_name", "run.ci", 0, &run->ci.ref_name) ||
		    get_str(c, ci, "repository", "run.ci", 0, &run->ci.repository) ||
		    get_str(c, ci, "sha", "run.ci", 0, &run->ci.sha))
			return -1;
		double pr;
		int k = json_get_number(ci, "pr", &pr);
		if (k < 0 && !cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(ci, "pr")))
			return fail(c, "run.ci.pr", "expected a number");
		if (k > 0 && !(pr >= 0 && pr <= 2147483647.0))
			return fail(c, "run.ci.pr", "expected a pull request number");
		if (k > 0)
			run->ci.pr = (long)pr;
	}
	const cJSON *ro = cJSON_GetObjectItemCaseSensitive(j, "rounds");
	if (ro && !cJSON_IsNull(ro)) {
		double count, seed;
		if (!cJSON_IsObject(ro))
			return fail(c, "run.rounds", "expected an object");
		if (json_get_number(ro, "count", &count) <= 0 || !(count >= 1 && count <= RESULT_MAX_ROUNDS) ||
		    count != floor(count))
			return fail(c, "run.rounds.count", "expected a whole number from 1 to 1000000");
		int k = json_get_number(ro, "seed", &seed);
		if (k < 0 || (k > 0 && (!(seed >= 0 && seed <= 9007199254740992.0) || seed != floor(seed))))
			return fail(c, "run.rounds.seed", "expected a whole number from 0 to 2^53");
		run->rounds = (long)count;
		run->round_seed = k > 0 ? (unsigned long long)seed : 0;
	}
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "machine");
	if (m && !cJSON_IsNull(m)) {
		if (!cJSON_IsObject(m))
			return fail(c, "run.machine", "expected an object");
		struct bk_machine *mc = &run->machine;
		if (get_str(c, m, "name", "run.machine", 0, &mc->name) ||
		    get_str(c, m, "os", "run.machine", 0, &mc->os) ||
		    get_str(c, m, "arch", "run.machine", 0, &mc->arch) ||
		    get_str(c, m, "cpu_model", "run.machine", 0, &mc->cpu_model) ||
		    get_str(c, m, "compiler", "run.machine", 0, &mc->compiler) ||
		    get_kv(c, m, "extra", "run.machine", &mc->extra))
			return -1;
		double v;
		if (json_get_number(m, "cpu_cores", &v) < 0)
			return fail(c, "run.machine.cpu_cores", "expected a number");
		else if (json_get_number(m, "cpu_cores", &v) > 0) {
			if (!(v >= 0 && v <= 1e6))
				return fail(c, "run.machine.cpu_cores", "expected a number from 0 to 1000000");
			mc->cpu_cores = (long)v;
		}
		if (json_get_number(m, "memory_gb", &v) < 0)
			return fail(c, "run.machine.memory_gb", "expected a number");
		else if (json_get_number(m, "memory_gb", &v) > 0) {
			if (!(v >= 0 && v <= 1e9))
				return fail(c, "run.machine.memory_gb", "expected a number from 0 to 1e9");
			mc->memory_gb = v;
		}
	}
	return 0;
}

int result_from_json(struct bk_result *r, const cJSON *j, const char *name)
{
	struct rctx c = { name };
	result_init(r);
	if (!cJSON_IsObject(j))
		return bk_error("%s: not a benchkeep result (expected a JSON object)", name);
	const char *schema = json_get_string(j, "schema");
	if (!schema)
		return bk_error("%s: schema: missing (not a benchkeep result)", name);
	if (strcmp(schema, RESULT_SCHEMA))
		return bk_error("%s: schema: expected \"%s\", found \"%.100s\"", name, RESULT_SCHEMA,
				schema);
	const cJSON *run = cJSON_GetObjectItemCaseSensitive(j, "run");
	if (!run) {
		fail(&c, "run", "missing");
		goto err;
	}
	if (run_from_json(&r->run, run, &c))
		goto err;
	const cJSON *bs = cJSON_GetObjectItemCaseSensitive(j, "benchmarks");
	if (!bs) {
		fail(&c, "benchmarks", "missing");
		goto err;
	}
	if (!cJSON_IsArray(bs)) {
		fail(&c, "benchmarks", "expected an array");
		goto err;
	}
	if (cJSON_GetArraySize(bs) > RESULT_MAX_BENCHMARKS) {
		fail(&c, "benchmarks", "too many benchmarks");
		goto err;
	}
	const cJSON *e;
	int i = 0;
	cJSON_ArrayForEach(e, bs) {
		char p[64];
		struct bk_benchmark b;
		snprintf(p, sizeof(p), "benchmarks[%d]", i++);
		if (bench_from_json(&b, e, name, p))
			goto err;
		result_take_benchmark(r, &b);
	}
	return 0;
err:
	result_release(r);
	return -1;
}

int result_read_buf(struct bk_result *r, const char *buf, size_t len, const char *name)
{
	result_init(r);
	cJSON *j = json_parse_buf(name, buf, len);
	if (!j)
		return -1;
	int rc = result_from_json(r, j, name);
	cJSON_Delete(j);
	return rc;
}

int result_read_file(struct bk_result *r, const char *path)
{
	result_init(r);
	cJSON *j = json_parse_file(path);
	if (!j)
		return -1;
	int rc = result_from_json(r, j, path);
	cJSON_Delete(j);
	return rc;
}

/* ------------------------------------------------------------------ */
/* JSON writing                                                        */

static void add_str(cJSON *o, const char *k, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, k, v);
}

static cJSON *kv_to_json(const struct bk_kvlist *l)
{
	cJSON *o = cJSON_CreateObject();
	for (size_t i = 0; i < l->nr; i++)
		cJSON_AddStringToObject(o, l->items[i].key, l->items[i].value);
	return o;
}

cJSON *bench_to_json(const struct bk_benchmark *b)
{
	cJSON *o = cJSON_CreateObject();
	add_str(o, "suite", b->suite);
	add_str(o, "name", b->name);
	if (b->params.nr)
		cJSON_AddItemToObject(o, "params", kv_to_json(&b->params));
	add_str(o, "unit", b->unit ? b->unit : "");
	cJSON_AddStringToObject(o, "direction", direction_name(b->direction));
	add_str(o, "source", b->source);
	if (b->has_threshold)
		cJSON_AddItemToObject(o, "threshold", json_number(b->threshold));
	cJSON *s = cJSON_AddArrayToObject(o, "samples");
	for (size_t i = 0; i < b->nsamples; i++)
		cJSON_AddItemToArray(s, json_number(b->samples[i]));
	if (b->rounds && b->nsamples) {
		cJSON *ra = cJSON_AddArrayToObject(o, "rounds");
		for (size_t i = 0; i < b->nsamples; i++)
			cJSON_AddItemToArray(ra, cJSON_CreateNumber(b->rounds[i]));
	}
	if (b->noise.runs > 0) {
		cJSON *nj = cJSON_AddObjectToObject(o, "noise");
		cJSON_AddNumberToObject(nj, "runs", (double)b->noise.runs);
		cJSON_AddItemToObject(nj, "center", json_number(b->noise.center));
		cJSON_AddItemToObject(nj, "spread", json_number(b->noise.spread));
	}
	cJSON *st = cJSON_AddObjectToObject(o, "stats");
	const struct bk_stats *x = &b->stats;
	cJSON_AddNumberToObject(st, "n", (double)x->n);
	cJSON_AddItemToObject(st, "mean", json_number(x->mean));
	cJSON_AddItemToObject(st, "median", json_number(x->median));
	cJSON_AddItemToObject(st, "min", json_number(x->min));
	cJSON_AddItemToObject(st, "max", json_number(x->max));
	cJSON_AddItemToObject(st, "stddev", json_number(x->stddev));
	cJSON_AddItemToObject(st, "p95", json_number(x->p95));
	cJSON_AddItemToObject(st, "p99", json_number(x->p99));
	cJSON *ci = cJSON_AddArrayToObject(st, "median_ci95");
	cJSON_AddItemToArray(ci, json_number(x->ci_low));
	cJSON_AddItemToArray(ci, json_number(x->ci_high));
	if (b->metrics.nr) {
		cJSON *m = cJSON_AddObjectToObject(o, "metrics");
		for (size_t i = 0; i < b->metrics.nr; i++)
			cJSON_AddItemToObject(m, b->metrics.items[i].key,
					      json_number(b->metrics.items[i].value));
	}
	return o;
}

cJSON *result_to_json(const struct bk_result *r)
{
	const struct bk_run *run = &r->run;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "schema", RESULT_SCHEMA);
	cJSON *rj = cJSON_AddObjectToObject(o, "run");
	add_str(rj, "id", run->id);
	add_str(rj, "started_at", run->started_at);
	add_str(rj, "finished_at", run->finished_at);
	cJSON *cm = cJSON_AddObjectToObject(rj, "commit");
	if (run->commit_sha)
		cJSON_AddStringToObject(cm, "sha", run->commit_sha);
	else
		cJSON_AddNullToObject(cm, "sha");
	add_str(cm, "branch", run->commit_branch);
	if (run->ci.provider) {
		cJSON *ci = cJSON_AddObjectToObject(rj, "ci");
		add_str(ci, "provider", run->ci.provider);
		add_str(ci, "run_id", run->ci.run_id);
		add_str(ci, "event", run->ci.event);
		add_str(ci, "ref_name", run->ci.ref_name);
		add_str(ci, "repository", run->ci.repository);
		add_str(ci, "sha", run->ci.sha);
		if (run->ci.pr)
			cJSON_AddNumberToObject(ci, "pr", (double)run->ci.pr);
	}
	const struct bk_machine *m = &run->machine;
	cJSON *mj = cJSON_AddObjectToObject(rj, "machine");
	add_str(mj, "name", m->name);
	add_str(mj, "os", m->os);
	add_str(mj, "arch", m->arch);
	add_str(mj, "cpu_model", m->cpu_model);
	if (m->cpu_cores)
		cJSON_AddNumberToObject(mj, "cpu_cores", (double)m->cpu_cores);
	if (m->memory_gb > 0)
		cJSON_AddNumberToObject(mj, "memory_gb", round(m->memory_gb * 10) / 10);
	add_str(mj, "compiler", m->compiler);
	if (m->extra.nr)
		cJSON_AddItemToObject(mj, "extra", kv_to_json(&m->extra));
	cJSON_AddItemToObject(rj, "labels", kv_to_json(&run->labels));
	if (run->rounds > 0) {
		cJSON *ro = cJSON_AddObjectToObject(rj, "rounds");
		cJSON_AddNumberToObject(ro, "count", (double)run->rounds);
		cJSON_AddNumberToObject(ro, "seed", (double)run->round_seed);
	}
	cJSON *bs = cJSON_AddArrayToObject(o, "benchmarks");
	for (size_t i = 0; i < r->nbenchmarks; i++)
		cJSON_AddItemToArray(bs, bench_to_json(&r->benchmarks[i]));
	return o;
}

int result_write_new(const struct bk_result *r, const char *path)
{
	cJSON *j = result_to_json(r);
	char *s = json_print(j);
	cJSON_Delete(j);
	int rc = atomic_create_file(path, s, strlen(s));
	free(s);
	return rc;
}
