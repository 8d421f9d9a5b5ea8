#include "lib/doc/config.h"
#include "lib/doc/configkeys.h"
#include "lib/base/error.h"
#include "lib/base/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MATRIX 10000 /* combinations a params matrix may expand to */
#define MAX_SUITES 1000
#define MAX_SUITE_BENCHMARKS 10000 /* per suite, after matrix expansion */

void config_release(struct bk_config *cfg)
{
	for (size_t i = 0; i < cfg->nsuites; i++) {
		struct bk_suite_cfg *s = &cfg->suites[i];
		for (size_t k = 0; k < s->nbenchmarks; k++)
			bench_cfg_release(&s->benchmarks[k]);
		free(s->benchmarks);
		free(s->name);
		free(s->type);
		cJSON_Delete(s->raw);
	}
	free(cfg->suites);
	free(cfg->path);
	memset(cfg, 0, sizeof(*cfg));
}

/* A params matrix: key -> list of string values. */
struct matrix {
	char **keys;
	char ***values;
	size_t *counts;
	size_t n;
};

static void matrix_release(struct matrix *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->keys[i]);
		for (size_t k = 0; k < m->counts[i]; k++)
			free(m->values[i][k]);
		free(m->values[i]);
	}
	free(m->keys);
	free(m->values);
	free(m->counts);
	memset(m, 0, sizeof(*m));
}

static char *scalar_text(const cJSON *v)
{
	if (cJSON_IsString(v))
		return xstrdup(v->valuestring);
	if (cJSON_IsNumber(v)) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_add_double(&sb, v->valuedouble);
		return strbuf_detach(&sb, NULL);
	}
	if (cJSON_IsBool(v))
		return xstrdup(cJSON_IsTrue(v) ? "true" : "false");
	return NULL;
}

static int read_matrix(const struct cctx *c, const cJSON *v, const char *path, struct matrix *m)
{
	if (!cJSON_IsObject(v))
		return ckey_fail(c, path, "expected an object of value lists");
	if (cJSON_GetArraySize(v) > MAX_ENTRIES)
		return ckey_fail(c, path, "too many parameters (limit 1000)");
	size_t n = (size_t)cJSON_GetArraySize(v);
	m->keys = xcalloc(n, sizeof(char *));
	m->values = xcalloc(n, sizeof(char **));
	m->counts = xcalloc(n, sizeof(size_t));
	size_t total = 1;
	const cJSON *e;
	cJSON_ArrayForEach(e, v) {
		char p[600];
		snprintf(p, sizeof(p), "%s.%.200s", path, e->string);
		if (!*e->string || strpbrk(e->string, "{}/=")) {
			matrix_release(m);
			return ckey_fail(c, p, "invalid parameter name (no '{', '}', '/' or '=')");
		}
		if (ckey_dup(v, e)) {
			matrix_release(m);
			return ckey_fail(c, p, "duplicate key");
		}
		size_t i = m->n++;
		m->keys[i] = xstrdup(e->string);
		if (cJSON_IsArray(e)) {
			size_t cnt = (size_t)cJSON_GetArraySize(e);
			if (cnt == 0) {
				matrix_release(m);
				return ckey_fail(c, p, "must not be empty");
			}
			m->values[i] = xcalloc(cnt, sizeof(char *));
			const cJSON *x;
			cJSON_ArrayForEach(x, e) {
				char *t = scalar_text(x);
				if (!t) {
					char q[700];
					snprintf(q, sizeof(q), "%s[%zu]", p, m->counts[i]);
					matrix_release(m);
					return ckey_fail(c, q, "expected a string, number or boolean");
				}
				m->values[i][m->counts[i]++] = t;
			}
		} else {
			char *t = scalar_text(e);
			if (!t) {
				matrix_release(m);
				return ckey_fail(c, p, "expected a list of values");
			}
			m->values[i] = xcalloc(1, sizeof(char *));
			m->values[i][m->counts[i]++] = t;
		}
		total *= m->counts[i];
		if (total > MAX_MATRIX) {
			matrix_release(m);
			return ckey_fail(c, path, "expands to too many combinations");
		}
	}
	return 0;
}

/* ckey_fail at "PATH.KEY". */
static int key_fail(const struct cctx *c, const char *path, const char *key, const char *what)
{
	char p[600];
	snprintf(p, sizeof(p), "%s.%s", path, key);
	return ckey_fail(c, p, what);
}

/* Member e of a suite or benchmark object j at `path`: its key path into
 * p (600 bytes), not a duplicate key, and, when it is one of the fields
 * both set (*handled), read into b. 0 or -1. */
static int read_shared(const struct cctx *c, const cJSON *j, const cJSON *e, const char *path,
		       char p[600], struct bk_bench_cfg *b, int *handled)
{
	snprintf(p, 600, "%s.%.200s", path, e->string);
	if (ckey_dup(j, e))
		return ckey_fail(c, p, "duplicate key");
	return ckey_common(c, e, p, b, handled);
}

/* A "name": a non-empty string into *out. 0 or -1. */
static int read_name(const struct cctx *c, const cJSON *e, const char *p, char **out)
{
	if (ckey_string(c, e, p, out))
		return -1;
	if (!**out)
		return ckey_fail(c, p, "must not be empty");
	return 0;
}

/* The keys of benchmark object j into t (over the suite's defaults), its
 * name and params matrix; *have_cmd when "cmd" was given. 0 or -1. */
static int read_bench_keys(const struct cctx *c, const cJSON *j, const char *path,
			   struct bk_bench_cfg *t, char **name, struct matrix *m, int *have_cmd)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, j) {
		char p[600];
		int handled;
		if (read_shared(c, j, e, path, p, t, &handled))
			return -1;
		if (handled)
			continue;
		const char *k = e->string;
		if (!strcmp(k, "name")) {
			if (read_name(c, e, p, name))
				return -1;
		} else if (!strcmp(k, "cmd")) {
			if (ckey_command(c, e, p, &t->cmd))
				return -1;
			*have_cmd = 1;
		} else if (!strcmp(k, "setup")) {
			if (ckey_command(c, e, p, &t->setup))
				return -1;
		} else if (!strcmp(k, "teardown")) {
			if (ckey_command(c, e, p, &t->teardown))
				return -1;
		} else if (!strcmp(k, "params")) {
			if (read_matrix(c, e, p, m))
				return -1;
		} else if (!strcmp(k, "format")) {
			if (ckey_string(c, e, p, &t->format))
				return -1;
		} else if (!strcmp(k, "output")) {
			if (ckey_string(c, e, p, &t->output))
				return -1;
		} else {
			return ckey_fail(c, p, "unknown key");
		}
	}
	return 0;
}

/* What a benchmark entry needs as a whole: name, cmd, a metric that fits
 * its kind and unit, max_runs >= runs. 0 or -1. */
static int check_bench(const struct cctx *c, const char *path, const char *name, int have_cmd,
		       const struct bk_bench_cfg *t)
{
	if (!name)
		return key_fail(c, path, "name", "missing");
	if (!have_cmd)
		return key_fail(c, path, "cmd", "missing");
	if (t->format && t->metric && !strcmp(t->metric, "instructions"))
		return key_fail(c, path, "metric", "instruction counts apply to timed commands, "
				"not to a harness \"format\"");
	if (t->metric && !strcmp(t->metric, "instructions") && t->unit &&
	    strcmp(t->unit, "instructions"))
		return key_fail(c, path, "unit", "must be \"instructions\" (or absent) with "
				"\"metric\": \"instructions\"");
	if (t->max_runs && t->max_runs < t->runs)
		return key_fail(c, path, "max_runs", "must not be less than runs");
	return 0;
}

/* Appends to s the benchmark of template t for the matrix combination
 * idx: params set, "/key=value" added to the name, placeholders expanded. */
static void add_combination(struct bk_suite_cfg *s, const struct bk_bench_cfg *t,
			    const char *name, const struct matrix *m, const size_t *idx)
{
	ALLOC_GROW(s->benchmarks, s->nbenchmarks + 1, s->alloc);
	struct bk_bench_cfg *b = &s->benchmarks[s->nbenchmarks++];
	ckey_defaults_copy(b, t);
	b->suite = xstrdup(s->name);
	struct strbuf nm = STRBUF_INIT;
	strbuf_addstr(&nm, name);
	for (size_t i = 0; i < m->n; i++) {
		kvlist_set(&b->params, m->keys[i], m->values[i][idx[i]]);
		strbuf_addf(&nm, "/%s=%s", m->keys[i], m->values[i][idx[i]]);
	}
	b->name = strbuf_detach(&nm, NULL);
	command_expand(&b->cmd, &t->cmd, &b->params);
	command_expand(&b->setup, &t->setup, &b->params);
	command_expand(&b->teardown, &t->teardown, &b->params);
	char *cwd = config_expand(t->cwd, &b->params);
	free(b->cwd);
	b->cwd = cwd;
	for (size_t i = 0; i < b->env.nr; i++) {
		char *v = config_expand(b->env.items[i].value, &b->params);
		free(b->env.items[i].value);
		b->env.items[i].value = v;
	}
	b->format = xstrdup(t->format);
	b->output = config_expand(t->output, &b->params);
}

/* One benchmark per combination of the matrix (an odometer over the
 * value lists; one without params). 0, or -1 past the suite's limit. */
static int expand_matrix(const struct cctx *c, struct bk_suite_cfg *s, const char *path,
			 const struct bk_bench_cfg *t, const char *name, const struct matrix *m)
{
	size_t *idx = xcalloc(m->n ? m->n : 1, sizeof(size_t));
	int rc = 0;
	for (;;) {
		if (s->nbenchmarks >= MAX_SUITE_BENCHMARKS) {
			rc = ckey_fail(c, path, "too many benchmarks in the suite (limit 10000 "
				       "after params expansion)");
			break;
		}
		add_combination(s, t, name, m, idx);
		size_t i = 0;
		while (i < m->n && ++idx[i] == m->counts[i])
			idx[i++] = 0;
		if (i == m->n)
			break;
	}
	free(idx);
	return rc;
}

static int read_benchmark(const struct cctx *c, struct bk_suite_cfg *s, const cJSON *j,
			  const char *path, const struct bk_bench_cfg *defaults)
{
	struct bk_bench_cfg t;
	struct matrix m = { 0 };
	char *name = NULL;
	int have_cmd = 0, rc = -1;
	ckey_defaults_copy(&t, defaults);
	if (!cJSON_IsObject(j))
		ckey_fail(c, path, "expected an object");
	else if (!read_bench_keys(c, j, path, &t, &name, &m, &have_cmd) &&
		 !check_bench(c, path, name, have_cmd, &t))
		rc = expand_matrix(c, s, path, &t, name, &m);
	free(name);
	matrix_release(&m);
	bench_cfg_release(&t);
	return rc;
}

/* 1 when suite object j is of type "command" (given or by default). */
static int command_suite(const cJSON *j)
{
	const cJSON *ty = cJSON_GetObjectItemCaseSensitive(j, "type");
	return !cJSON_IsString(ty) || !strcmp(ty->valuestring, "command");
}

/* The keys of suite object j: name, type, rounds into s, the benchmarks'
 * defaults into d, the "benchmarks" member into *benches. 0 or -1. */
static int read_suite_keys(const struct cctx *c, const cJSON *j, const char *path,
			   struct bk_suite_cfg *s, struct bk_bench_cfg *d, const cJSON **benches)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, j) {
		char p[600];
		int handled;
		if (read_shared(c, j, e, path, p, d, &handled))
			return -1;
		if (handled)
			continue;
		if (!strcmp(e->string, "name")) {
			if (read_name(c, e, p, &s->name))
				return -1;
		} else if (!strcmp(e->string, "type")) {
			if (ckey_string(c, e, p, &s->type))
				return -1;
		} else if (!strcmp(e->string, "benchmarks")) {
			*benches = e;
		} else if (!strcmp(e->string, "rounds") && command_suite(j)) {
			if (ckey_int(c, e, p, 1, RESULT_MAX_ROUNDS, &s->rounds))
				return -1;
		} else if (command_suite(j)) {
			/* typed suites (e.g. "nats") keep their own keys in raw */
			return ckey_fail(c, p, "unknown key");
		}
	}
	return 0;
}

/* The benchmarks of command suite s (member `benches`, NULL when absent),
 * each over the defaults d; names unique within the suite. 0 or -1. */
static int read_suite_benchmarks(const struct cctx *c, struct bk_suite_cfg *s, const char *path,
				 const cJSON *benches, const struct bk_bench_cfg *d)
{
	char p[600];
	snprintf(p, sizeof(p), "%s.benchmarks", path);
	if (!benches)
		return ckey_fail(c, p, "missing");
	if (!cJSON_IsArray(benches))
		return ckey_fail(c, p, "expected an array");
	int i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, benches) {
		snprintf(p, sizeof(p), "%s.benchmarks[%d]", path, i++);
		if (read_benchmark(c, s, e, p, d))
			return -1;
	}
	for (size_t a = 0; a < s->nbenchmarks; a++) {
		for (size_t b = a + 1; b < s->nbenchmarks; b++) {
			if (!strcmp(s->benchmarks[a].name, s->benchmarks[b].name))
				return bk_error("%s: %s.benchmarks: duplicate benchmark name '%.200s'",
						c->file, path, s->benchmarks[a].name);
		}
	}
	return 0;
}

static int read_suite(const struct cctx *c, struct bk_config *cfg, const cJSON *j, const char *path)
{
	if (!cJSON_IsObject(j))
		return ckey_fail(c, path, "expected an object");
	if (cJSON_GetArraySize(j) > MAX_ENTRIES)
		return ckey_fail(c, path, "too many keys (limit 1000)");
	ALLOC_GROW(cfg->suites, cfg->nsuites + 1, cfg->alloc);
	struct bk_suite_cfg *s = &cfg->suites[cfg->nsuites++];
	memset(s, 0, sizeof(*s));
	struct bk_bench_cfg d;
	ckey_defaults_init(&d);
	const cJSON *benches = NULL;
	int rc = -1;
	if (read_suite_keys(c, j, path, s, &d, &benches) < 0)
		goto out;
	if (!s->name) {
		key_fail(c, path, "name", "missing");
		goto out;
	}
	for (size_t i = 0; i + 1 < cfg->nsuites; i++) {
		if (!strcmp(cfg->suites[i].name, s->name)) {
			key_fail(c, path, "name", "duplicate suite name");
			goto out;
		}
	}
	if (!s->type)
		s->type = xstrdup("command");
	s->raw = cJSON_Duplicate(j, 1);
	if (!strcmp(s->type, "command"))
		rc = read_suite_benchmarks(c, s, path, benches, &d);
	else if (benches)
		bk_error("%s: %s.benchmarks: not allowed in a suite of type '%.100s'", c->file, path,
			 s->type);
	else
		rc = 0;
out:
	bench_cfg_release(&d);
	return rc;
}

int config_from_json(struct bk_config *cfg, const cJSON *j, const char *name)
{
	struct cctx c = { name };
	memset(cfg, 0, sizeof(*cfg));
	cfg->path = xstrdup(name);
	if (!cJSON_IsObject(j)) {
		bk_error("%s: expected a JSON object with \"suites\"", name);
		goto err;
	}
	const cJSON *suites = NULL, *e;
	cJSON_ArrayForEach(e, j) {
		if (ckey_dup(j, e)) {
			char p[300];
			snprintf(p, sizeof(p), "%.200s", e->string);
			ckey_fail(&c, p, "duplicate key");
			goto err;
		}
		if (!strcmp(e->string, "suites")) {
			suites = e;
		} else if (!strcmp(e->string, "rounds")) {
			if (ckey_int(&c, e, "rounds", 1, RESULT_MAX_ROUNDS, &cfg->rounds))
				goto err;
		} else if (!strcmp(e->string, "$schema") || !strcmp(e->string, "description")) {
			continue;
		} else {
			char p[300];
			snprintf(p, sizeof(p), "%.200s", e->string);
			ckey_fail(&c, p, "unknown key");
			goto err;
		}
	}
	if (!suites) {
		ckey_fail(&c, "suites", "missing");
		goto err;
	}
	if (!cJSON_IsArray(suites)) {
		ckey_fail(&c, "suites", "expected an array");
		goto err;
	}
	if (cJSON_GetArraySize(suites) > MAX_SUITES) {
		ckey_fail(&c, "suites", "too many suites (limit 1000)");
		goto err;
	}
	int i = 0;
	cJSON_ArrayForEach(e, suites) {
		char p[64];
		snprintf(p, sizeof(p), "suites[%d]", i++);
		if (read_suite(&c, cfg, e, p))
			goto err;
	}
	return 0;
err:
	config_release(cfg);
	return -1;
}

int config_read(struct bk_config *cfg, const char *path)
{
	memset(cfg, 0, sizeof(*cfg));
	cJSON *j = json_parse_file(path);
	if (!j)
		return -1;
	int rc = config_from_json(cfg, j, path);
	cJSON_Delete(j);
	return rc;
}
