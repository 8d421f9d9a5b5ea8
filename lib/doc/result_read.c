/* result_read.c: reading a result (or one benchmark) from JSON into the
 * model, checking every field against the schema and naming the exact key
 * path of what is wrong. The fast path for the common case is
 * resultscan.c; both take their limits and value checks from
 * result_schema.h. Part of result (interface: result.h). */
#include "lib/doc/result.h"
#include "lib/doc/result_schema.h"
#include "lib/base/error.h"
#include "lib/base/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		if (!cJSON_IsNumber(e) || !schema_whole(e->valuedouble, 1, RESULT_MAX_ROUNDS)) {
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

/* The names of a benchmark: suite, name (not empty), unit, source, params,
 * and its direction (given, or from the unit). */
static int bench_names_from_json(const struct rctx *c, const cJSON *j, const char *path,
				 struct bk_benchmark *b)
{
	char p[512];
	char *dir = NULL;
	if (get_str(c, j, "suite", path, 1, &b->suite) || get_str(c, j, "name", path, 1, &b->name) ||
	    get_str(c, j, "unit", path, 1, &b->unit) || get_str(c, j, "source", path, 0, &b->source) ||
	    get_kv(c, j, "params", path, &b->params))
		return -1;
	if (!*b->name) {
		snprintf(p, sizeof(p), "%s.name", path);
		return fail(c, p, "must not be empty");
	}
	if (get_str(c, j, "direction", path, 0, &dir))
		return -1;
	int bad = schema_direction(b, dir);
	free(dir);
	if (bad) {
		snprintf(p, sizeof(p), "%s.direction", path);
		return fail(c, p, "expected \"smaller\" or \"bigger\"");
	}
	return 0;
}

/* "samples": the required array of finite numbers. */
static int samples_from_json(const struct rctx *c, const cJSON *j, const char *path,
			     struct bk_benchmark *b)
{
	char p[512];
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(j, "samples");
	snprintf(p, sizeof(p), "%s.samples", path);
	if (!s)
		return fail(c, p, "missing");
	if (!cJSON_IsArray(s))
		return fail(c, p, "expected an array of numbers");
	int n = cJSON_GetArraySize(s);
	if (n > RESULT_MAX_SAMPLES)
		return fail(c, p, "too many samples");
	if (n > 0) {
		b->samples = xmalloc((size_t)n * sizeof(double));
		b->samples_alloc = (size_t)n;
	}
	const cJSON *e;
	int i = 0;
	cJSON_ArrayForEach(e, s) {
		if (!cJSON_IsNumber(e) || !isfinite(e->valuedouble)) {
			snprintf(p, sizeof(p), "%s.samples[%d]", path, i);
			return fail(c, p, "expected a finite number");
		}
		b->samples[b->nsamples++] = e->valuedouble;
		i++;
	}
	return 0;
}

/* "threshold": an optional percent, 0 or more. */
static int threshold_from_json(const struct rctx *c, const cJSON *j, const char *path,
			       struct bk_benchmark *b)
{
	char p[512];
	const cJSON *th = cJSON_GetObjectItemCaseSensitive(j, "threshold");
	if (!th || cJSON_IsNull(th))
		return 0;
	if (!cJSON_IsNumber(th) || !schema_threshold(th->valuedouble)) {
		snprintf(p, sizeof(p), "%s.threshold", path);
		return fail(c, p, "expected a number of percent, 0 or more");
	}
	b->threshold = th->valuedouble;
	b->has_threshold = 1;
	return 0;
}

/* "metrics": an optional object of named finite numbers. */
static int metrics_from_json(const struct rctx *c, const cJSON *j, const char *path,
			     struct bk_benchmark *b)
{
	char p[512];
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "metrics");
	if (!m || cJSON_IsNull(m))
		return 0;
	snprintf(p, sizeof(p), "%s.metrics", path);
	if (!cJSON_IsObject(m))
		return fail(c, p, "expected an object");
	if (cJSON_GetArraySize(m) > RESULT_MAX_KEYS)
		return fail(c, p, "too many entries (limit 1000)");
	const cJSON *e;
	cJSON_ArrayForEach(e, m) {
		if (!cJSON_IsNumber(e) || !isfinite(e->valuedouble)) {
			snprintf(p, sizeof(p), "%s.metrics.%.200s", path, e->string);
			return fail(c, p, "expected a finite number");
		}
		if (strlen(e->string) > RESULT_MAX_NAME)
			return fail(c, p, "key too long");
		metrics_set(&b->metrics, e->string, e->valuedouble);
	}
	return 0;
}

int bench_from_json(struct bk_benchmark *b, const cJSON *j, const char *name, const char *path)
{
	struct rctx c = { name };
	memset(b, 0, sizeof(*b));
	if (!cJSON_IsObject(j))
		return fail(&c, path, "expected an object");
	if (bench_names_from_json(&c, j, path, b) || samples_from_json(&c, j, path, b) ||
	    rounds_from_json(&c, j, path, b) || noise_from_json(&c, j, path, b) ||
	    threshold_from_json(&c, j, path, b) || metrics_from_json(&c, j, path, b)) {
		bench_release(b);
		return -1;
	}
	bench_finalize(b);
	return 0;
}

/* The member `key` of j when it is an object, into *out (NULL when absent
 * or null). 0, or -1 with bk_error naming `path` when it is not an object. */
static int get_obj(const struct rctx *c, const cJSON *j, const char *key, const char *path,
		   const cJSON **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
	*out = NULL;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsObject(v))
		return fail(c, path, "expected an object");
	*out = v;
	return 0;
}

/* "run.commit": the measured commit's sha and branch. */
static int commit_from_json(const struct rctx *c, const cJSON *j, struct bk_run *run)
{
	const cJSON *cm;
	if (get_obj(c, j, "commit", "run.commit", &cm))
		return -1;
	if (cm && (get_str(c, cm, "sha", "run.commit", 0, &run->commit_sha) ||
		   get_str(c, cm, "branch", "run.commit", 0, &run->commit_branch)))
		return -1;
	return 0;
}

/* "run.ci": the CI provider's run, all optional. */
static int ci_from_json(const struct rctx *c, const cJSON *j, struct bk_run *run)
{
	const cJSON *ci;
	if (get_obj(c, j, "ci", "run.ci", &ci))
		return -1;
	if (!ci)
		return 0;
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
	if (k > 0 && !schema_in(pr, 0, RESULT_MAX_PR))
		return fail(c, "run.ci.pr", "expected a pull request number");
	if (k > 0)
		run->ci.pr = (long)pr;
	return 0;
}

/* "run.rounds": the count of interleaved rounds and their shuffle's seed. */
static int run_rounds_from_json(const struct rctx *c, const cJSON *j, struct bk_run *run)
{
	const cJSON *ro;
	double count, seed;
	if (get_obj(c, j, "rounds", "run.rounds", &ro))
		return -1;
	if (!ro)
		return 0;
	if (json_get_number(ro, "count", &count) <= 0 ||
	    !schema_whole(count, 1, RESULT_MAX_ROUNDS))
		return fail(c, "run.rounds.count", "expected a whole number from 1 to 1000000");
	int k = json_get_number(ro, "seed", &seed);
	if (k < 0 || (k > 0 && !schema_whole(seed, 0, RESULT_MAX_SEED)))
		return fail(c, "run.rounds.seed", "expected a whole number from 0 to 2^53");
	run->rounds = (long)count;
	run->round_seed = k > 0 ? (unsigned long long)seed : 0;
	return 0;
}

/* "run.machine": where the run ran. */
static int machine_from_json(const struct rctx *c, const cJSON *j, struct bk_run *run)
{
	const cJSON *m;
	if (get_obj(c, j, "machine", "run.machine", &m))
		return -1;
	if (!m)
		return 0;
	struct bk_machine *mc = &run->machine;
	if (get_str(c, m, "name", "run.machine", 0, &mc->name) ||
	    get_str(c, m, "os", "run.machine", 0, &mc->os) ||
	    get_str(c, m, "arch", "run.machine", 0, &mc->arch) ||
	    get_str(c, m, "cpu_model", "run.machine", 0, &mc->cpu_model) ||
	    get_str(c, m, "compiler", "run.machine", 0, &mc->compiler) ||
	    get_kv(c, m, "extra", "run.machine", &mc->extra))
		return -1;
	double v;
	int k = json_get_number(m, "cpu_cores", &v);
	if (k < 0)
		return fail(c, "run.machine.cpu_cores", "expected a number");
	if (k > 0) {
		if (!schema_in(v, 0, RESULT_MAX_CPU_CORES))
			return fail(c, "run.machine.cpu_cores", "expected a number from 0 to 1000000");
		mc->cpu_cores = (long)v;
	}
	k = json_get_number(m, "memory_gb", &v);
	if (k < 0)
		return fail(c, "run.machine.memory_gb", "expected a number");
	if (k > 0) {
		if (!schema_in(v, 0, RESULT_MAX_MEMORY_GB))
			return fail(c, "run.machine.memory_gb", "expected a number from 0 to 1e9");
		mc->memory_gb = v;
	}
	return 0;
}

/* "run": its id, times and labels, then its commit, CI, rounds and machine. */
static int run_from_json(struct bk_run *run, const cJSON *j, const struct rctx *c)
{
	if (!cJSON_IsObject(j))
		return fail(c, "run", "expected an object");
	if (get_str(c, j, "id", "run", 1, &run->id) ||
	    get_str(c, j, "started_at", "run", 0, &run->started_at) ||
	    get_str(c, j, "finished_at", "run", 0, &run->finished_at) ||
	    get_kv(c, j, "labels", "run", &run->labels))
		return -1;
	if (commit_from_json(c, j, run) || ci_from_json(c, j, run) ||
	    run_rounds_from_json(c, j, run) || machine_from_json(c, j, run))
		return -1;
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
