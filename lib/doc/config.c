#include "lib/doc/config.h"
#include "lib/base/error.h"
#include "lib/base/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MATRIX 10000 /* combinations a params matrix may expand to */
#define MAX_SUITES 1000
#define MAX_SUITE_BENCHMARKS 10000 /* per suite, after matrix expansion */
#define MAX_ENTRIES 1000 /* keys of an env object or a params matrix */

struct cctx {
	const char *file;
};

static int cfail(const struct cctx *c, const char *path, const char *what)
{
	return bk_error("%s: %s: %s", c->file, path, what);
}

/* 1 when a member before e in obj has e's key: cJSON keeps duplicate keys,
 * and a config must not say one thing twice. */
static int dup_key(const cJSON *obj, const cJSON *e)
{
	for (const cJSON *q = obj->child; q && q != e; q = q->next)
		if (!strcmp(q->string, e->string))
			return 1;
	return 0;
}

void command_release(struct bk_command *c)
{
	if (c->argv) {
		for (char **p = c->argv; *p; p++)
			free(*p);
		free(c->argv);
	}
	free(c->shell);
	memset(c, 0, sizeof(*c));
}

void command_describe(const struct bk_command *c, struct strbuf *sb)
{
	if (c->shell) {
		strbuf_addstr(sb, c->shell);
		return;
	}
	for (char **p = c->argv; p && *p; p++) {
		if (p != c->argv)
			strbuf_addch(sb, ' ');
		strbuf_addstr(sb, *p);
	}
}

void bench_cfg_release(struct bk_bench_cfg *b)
{
	free(b->suite);
	free(b->name);
	kvlist_release(&b->params);
	command_release(&b->cmd);
	command_release(&b->setup);
	command_release(&b->teardown);
	kvlist_release(&b->env);
	free(b->cwd);
	free(b->unit);
	free(b->metric);
	free(b->backend);
	free(b->format);
	free(b->output);
	memset(b, 0, sizeof(*b));
}

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

/* --- placeholder expansion --------------------------------------------- */

/* Replaces "{key}" for every param key; other braces are left alone. */
char *config_expand(const char *s, const struct bk_kvlist *params)
{
	if (!s)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	for (const char *p = s; *p;) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			if (close) {
				int done = 0;
				for (size_t i = 0; i < params->nr && !done; i++) {
					size_t kl = strlen(params->items[i].key);
					if ((size_t)(close - p - 1) == kl &&
					    !strncmp(p + 1, params->items[i].key, kl)) {
						strbuf_addstr(&sb, params->items[i].value);
						p = close + 1;
						done = 1;
					}
				}
				if (done)
					continue;
			}
		}
		strbuf_addch(&sb, *p++);
	}
	return strbuf_detach(&sb, NULL);
}

void command_expand(struct bk_command *dst, const struct bk_command *src,
			   const struct bk_kvlist *params)
{
	memset(dst, 0, sizeof(*dst));
	if (src->shell)
		dst->shell = config_expand(src->shell, params);
	if (src->argv) {
		size_t n = 0;
		while (src->argv[n])
			n++;
		dst->argv = xcalloc(n + 1, sizeof(char *));
		for (size_t i = 0; i < n; i++)
			dst->argv[i] = config_expand(src->argv[i], params);
	}
}

/* --- typed readers ------------------------------------------------------- */

static int read_command(const struct cctx *c, const cJSON *v, const char *path,
			struct bk_command *out)
{
	memset(out, 0, sizeof(*out));
	if (cJSON_IsString(v)) {
		if (!*v->valuestring)
			return cfail(c, path, "must not be empty");
		out->shell = xstrdup(v->valuestring);
		return 0;
	}
	if (!cJSON_IsArray(v))
		return cfail(c, path, "expected a string or an array of strings");
	int n = cJSON_GetArraySize(v);
	if (n == 0)
		return cfail(c, path, "must not be empty");
	out->argv = xcalloc((size_t)n + 1, sizeof(char *));
	int i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, v) {
		if (!cJSON_IsString(e)) {
			char p[600];
			snprintf(p, sizeof(p), "%s[%d]", path, i);
			command_release(out);
			return cfail(c, p, "expected a string");
		}
		out->argv[i++] = xstrdup(e->valuestring);
	}
	return 0;
}

static int read_int(const struct cctx *c, const cJSON *v, const char *path, int min, int max,
		    int *out)
{
	if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble))
		return cfail(c, path, "expected an integer");
	if (v->valuedouble < min || v->valuedouble > max) {
		char msg[100];
		snprintf(msg, sizeof(msg), "must be between %d and %d", min, max);
		return cfail(c, path, msg);
	}
	*out = (int)v->valuedouble;
	return 0;
}

static int read_num(const struct cctx *c, const cJSON *v, const char *path, double min, double *out)
{
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return cfail(c, path, "expected a number");
	if (v->valuedouble < min) {
		char msg[100];
		snprintf(msg, sizeof(msg), "must be at least %g", min);
		return cfail(c, path, msg);
	}
	*out = v->valuedouble;
	return 0;
}

static int read_string(const struct cctx *c, const cJSON *v, const char *path, char **out)
{
	if (!cJSON_IsString(v))
		return cfail(c, path, "expected a string");
	if (strlen(v->valuestring) > RESULT_MAX_NAME)
		return cfail(c, path, "string too long");
	set_str(out, v->valuestring);
	return 0;
}

static int read_env(const struct cctx *c, const cJSON *v, const char *path, struct bk_kvlist *out)
{
	if (!cJSON_IsObject(v))
		return cfail(c, path, "expected an object of strings");
	if (cJSON_GetArraySize(v) > MAX_ENTRIES)
		return cfail(c, path, "too many entries (limit 1000)");
	const cJSON *e;
	cJSON_ArrayForEach(e, v) {
		char p[600];
		snprintf(p, sizeof(p), "%s.%.200s", path, e->string);
		if (dup_key(v, e))
			return cfail(c, p, "duplicate key");
		if (!cJSON_IsString(e))
			return cfail(c, p, "expected a string");
		if (!*e->string || strchr(e->string, '='))
			return cfail(c, p, "invalid environment variable name");
		kvlist_set(out, e->string, e->valuestring);
	}
	return 0;
}

/* Fields a suite may set as defaults and a benchmark may set itself. */
static int read_common(const struct cctx *c, const cJSON *e, const char *p, struct bk_bench_cfg *b,
		       int *handled)
{
	const char *k = e->string;
	*handled = 1;
	if (!strcmp(k, "runs"))
		return read_int(c, e, p, 1, RESULT_MAX_SAMPLES, &b->runs);
	if (!strcmp(k, "warmup"))
		return read_int(c, e, p, 0, 1000000, &b->warmup);
	if (!strcmp(k, "max_runs"))
		return read_int(c, e, p, 1, RESULT_MAX_SAMPLES, &b->max_runs);
	if (!strcmp(k, "min_time"))
		return read_num(c, e, p, 0, &b->min_time);
	if (!strcmp(k, "timeout"))
		return read_num(c, e, p, 0, &b->timeout);
	if (!strcmp(k, "threshold"))
		return read_num(c, e, p, 0, &b->threshold);
	if (!strcmp(k, "env"))
		return read_env(c, e, p, &b->env);
	if (!strcmp(k, "cwd"))
		return read_string(c, e, p, &b->cwd);
	if (!strcmp(k, "unit"))
		return read_string(c, e, p, &b->unit);
	if (!strcmp(k, "metric")) {
		if (read_string(c, e, p, &b->metric))
			return -1;
		if (strcmp(b->metric, "time") && strcmp(b->metric, "wall_time") &&
		    strcmp(b->metric, "instructions"))
			return cfail(c, p, "expected \"wall_time\" or \"instructions\"");
		return 0;
	}
	if (!strcmp(k, "backend")) {
		if (read_string(c, e, p, &b->backend))
			return -1;
		if (strcmp(b->backend, "perf") && strcmp(b->backend, "callgrind"))
			return cfail(c, p, "expected \"perf\" or \"callgrind\"");
		return 0;
	}
	if (!strcmp(k, "cache_sim")) {
		if (!cJSON_IsBool(e))
			return cfail(c, p, "expected true or false");
		b->cache_sim = cJSON_IsTrue(e);
		return 0;
	}
	if (!strcmp(k, "direction")) {
		enum bk_direction d;
		if (!cJSON_IsString(e) || direction_parse(e->valuestring, &d))
			return cfail(c, p, "expected \"smaller\" or \"bigger\"");
		b->direction = (int)d;
		return 0;
	}
	*handled = 0;
	return 0;
}

static void defaults_init(struct bk_bench_cfg *d)
{
	memset(d, 0, sizeof(*d));
	d->runs = 10;
	d->warmup = 1;
	d->threshold = -1;
	d->direction = -1;
}

static void defaults_copy(struct bk_bench_cfg *dst, const struct bk_bench_cfg *src)
{
	*dst = *src;
	memset(&dst->env, 0, sizeof(dst->env));
	kvlist_copy(&dst->env, &src->env);
	dst->cwd = xstrdup(src->cwd);
	dst->unit = xstrdup(src->unit);
	dst->metric = xstrdup(src->metric);
	dst->backend = xstrdup(src->backend);
	dst->suite = dst->name = dst->format = dst->output = NULL;
	memset(&dst->params, 0, sizeof(dst->params));
	memset(&dst->cmd, 0, sizeof(dst->cmd));
	memset(&dst->setup, 0, sizeof(dst->setup));
	memset(&dst->teardown, 0, sizeof(dst->teardown));
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
		return cfail(c, path, "expected an object of value lists");
	if (cJSON_GetArraySize(v) > MAX_ENTRIES)
		return cfail(c, path, "too many parameters (limit 1000)");
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
			return cfail(c, p, "invalid parameter name (no '{', '}', '/' or '=')");
		}
		if (dup_key(v, e)) {
			matrix_release(m);
			return cfail(c, p, "duplicate key");
		}
		size_t i = m->n++;
		m->keys[i] = xstrdup(e->string);
		if (cJSON_IsArray(e)) {
			size_t cnt = (size_t)cJSON_GetArraySize(e);
			if (cnt == 0) {
				matrix_release(m);
				return cfail(c, p, "must not be empty");
			}
			m->values[i] = xcalloc(cnt, sizeof(char *));
			const cJSON *x;
			cJSON_ArrayForEach(x, e) {
				char *t = scalar_text(x);
				if (!t) {
					char q[700];
					snprintf(q, sizeof(q), "%s[%zu]", p, m->counts[i]);
					matrix_release(m);
					return cfail(c, q, "expected a string, number or boolean");
				}
				m->values[i][m->counts[i]++] = t;
			}
		} else {
			char *t = scalar_text(e);
			if (!t) {
				matrix_release(m);
				return cfail(c, p, "expected a list of values");
			}
			m->values[i] = xcalloc(1, sizeof(char *));
			m->values[i][m->counts[i]++] = t;
		}
		total *= m->counts[i];
		if (total > MAX_MATRIX) {
			matrix_release(m);
			return cfail(c, path, "expands to too many combinations");
		}
	}
	return 0;
}

static int read_benchmark(const struct cctx *c, struct bk_suite_cfg *s, const cJSON *j,
			  const char *path, const struct bk_bench_cfg *defaults)
{
	struct bk_bench_cfg t;
	struct matrix m = { 0 };
	char *name = NULL;
	int have_cmd = 0, rc = -1;
	defaults_copy(&t, defaults);
	if (!cJSON_IsObject(j)) {
		cfail(c, path, "expected an object");
		goto out;
	}
	const cJSON *e;
	cJSON_ArrayForEach(e, j) {
		char p[600];
		int handled;
		snprintf(p, sizeof(p), "%s.%.200s", path, e->string);
		if (dup_key(j, e)) {
			cfail(c, p, "duplicate key");
			goto out;
		}
		if (read_common(c, e, p, &t, &handled))
			goto out;
		if (handled)
			continue;
		const char *k = e->string;
		if (!strcmp(k, "name")) {
			if (read_string(c, e, p, &name))
				goto out;
			if (!*name) {
				cfail(c, p, "must not be empty");
				goto out;
			}
		} else if (!strcmp(k, "cmd")) {
			if (read_command(c, e, p, &t.cmd))
				goto out;
			have_cmd = 1;
		} else if (!strcmp(k, "setup")) {
			if (read_command(c, e, p, &t.setup))
				goto out;
		} else if (!strcmp(k, "teardown")) {
			if (read_command(c, e, p, &t.teardown))
				goto out;
		} else if (!strcmp(k, "params")) {
			if (read_matrix(c, e, p, &m))
				goto out;
		} else if (!strcmp(k, "format")) {
			if (read_string(c, e, p, &t.format))
				goto out;
		} else if (!strcmp(k, "output")) {
			if (read_string(c, e, p, &t.output))
				goto out;
		} else {
			cfail(c, p, "unknown key");
			goto out;
		}
	}
	if (!name) {
		char p[600];
		snprintf(p, sizeof(p), "%s.name", path);
		cfail(c, p, "missing");
		goto out;
	}
	if (!have_cmd) {
		char p[600];
		snprintf(p, sizeof(p), "%s.cmd", path);
		cfail(c, p, "missing");
		goto out;
	}
	if (t.format && t.metric && !strcmp(t.metric, "instructions")) {
		char p[600];
		snprintf(p, sizeof(p), "%s.metric", path);
		cfail(c, p, "instruction counts apply to timed commands, not to a harness \"format\"");
		goto out;
	}
	if (t.metric && !strcmp(t.metric, "instructions") && t.unit &&
	    strcmp(t.unit, "instructions")) {
		char p[600];
		snprintf(p, sizeof(p), "%s.unit", path);
		cfail(c, p, "must be \"instructions\" (or absent) with \"metric\": \"instructions\"");
		goto out;
	}
	if (t.max_runs && t.max_runs < t.runs) {
		char p[600];
		snprintf(p, sizeof(p), "%s.max_runs", path);
		cfail(c, p, "must not be less than runs");
		goto out;
	}
	/* expand the matrix: odometer over the value lists */
	size_t *idx = xcalloc(m.n ? m.n : 1, sizeof(size_t));
	for (;;) {
		if (s->nbenchmarks >= MAX_SUITE_BENCHMARKS) {
			cfail(c, path, "too many benchmarks in the suite (limit 10000 after params expansion)");
			free(idx);
			goto out;
		}
		ALLOC_GROW(s->benchmarks, s->nbenchmarks + 1, s->alloc);
		struct bk_bench_cfg *b = &s->benchmarks[s->nbenchmarks++];
		defaults_copy(b, &t);
		b->suite = xstrdup(s->name);
		struct strbuf nm = STRBUF_INIT;
		strbuf_addstr(&nm, name);
		for (size_t i = 0; i < m.n; i++) {
			kvlist_set(&b->params, m.keys[i], m.values[i][idx[i]]);
			strbuf_addf(&nm, "/%s=%s", m.keys[i], m.values[i][idx[i]]);
		}
		b->name = strbuf_detach(&nm, NULL);
		command_expand(&b->cmd, &t.cmd, &b->params);
		command_expand(&b->setup, &t.setup, &b->params);
		command_expand(&b->teardown, &t.teardown, &b->params);
		char *cwd = config_expand(t.cwd, &b->params);
		free(b->cwd);
		b->cwd = cwd;
		for (size_t i = 0; i < b->env.nr; i++) {
			char *v = config_expand(b->env.items[i].value, &b->params);
			free(b->env.items[i].value);
			b->env.items[i].value = v;
		}
		b->format = xstrdup(t.format);
		b->output = config_expand(t.output, &b->params);
		size_t i = 0;
		while (i < m.n && ++idx[i] == m.counts[i])
			idx[i++] = 0;
		if (i == m.n)
			break;
	}
	free(idx);
	rc = 0;
out:
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

static int read_suite(const struct cctx *c, struct bk_config *cfg, const cJSON *j, const char *path)
{
	char p[600];
	if (!cJSON_IsObject(j))
		return cfail(c, path, "expected an object");
	if (cJSON_GetArraySize(j) > MAX_ENTRIES)
		return cfail(c, path, "too many keys (limit 1000)");
	ALLOC_GROW(cfg->suites, cfg->nsuites + 1, cfg->alloc);
	struct bk_suite_cfg *s = &cfg->suites[cfg->nsuites++];
	memset(s, 0, sizeof(*s));
	struct bk_bench_cfg d;
	defaults_init(&d);
	const cJSON *benches = NULL, *e;
	int rc = -1;
	cJSON_ArrayForEach(e, j) {
		int handled;
		snprintf(p, sizeof(p), "%s.%.200s", path, e->string);
		if (dup_key(j, e)) {
			cfail(c, p, "duplicate key");
			goto out;
		}
		if (read_common(c, e, p, &d, &handled))
			goto out;
		if (handled)
			continue;
		if (!strcmp(e->string, "name")) {
			if (read_string(c, e, p, &s->name))
				goto out;
			if (!*s->name) {
				cfail(c, p, "must not be empty");
				goto out;
			}
		} else if (!strcmp(e->string, "type")) {
			if (read_string(c, e, p, &s->type))
				goto out;
		} else if (!strcmp(e->string, "benchmarks")) {
			benches = e;
		} else if (!strcmp(e->string, "rounds") && command_suite(j)) {
			if (read_int(c, e, p, 1, RESULT_MAX_ROUNDS, &s->rounds))
				goto out;
		} else if (command_suite(j)) {
			/* typed suites (e.g. "nats") keep their own keys in raw */
			cfail(c, p, "unknown key");
			goto out;
		}
	}
	snprintf(p, sizeof(p), "%s.name", path);
	if (!s->name) {
		cfail(c, p, "missing");
		goto out;
	}
	for (size_t i = 0; i + 1 < cfg->nsuites; i++) {
		if (!strcmp(cfg->suites[i].name, s->name)) {
			cfail(c, p, "duplicate suite name");
			goto out;
		}
	}
	if (!s->type)
		s->type = xstrdup("command");
	s->raw = cJSON_Duplicate(j, 1);
	if (!strcmp(s->type, "command")) {
		snprintf(p, sizeof(p), "%s.benchmarks", path);
		if (!benches) {
			cfail(c, p, "missing");
			goto out;
		}
		if (!cJSON_IsArray(benches)) {
			cfail(c, p, "expected an array");
			goto out;
		}
		int i = 0;
		cJSON_ArrayForEach(e, benches) {
			snprintf(p, sizeof(p), "%s.benchmarks[%d]", path, i++);
			if (read_benchmark(c, s, e, p, &d))
				goto out;
		}
		/* names must be unique within a suite */
		for (size_t a = 0; a < s->nbenchmarks; a++) {
			for (size_t b = a + 1; b < s->nbenchmarks; b++) {
				if (!strcmp(s->benchmarks[a].name, s->benchmarks[b].name)) {
					snprintf(p, sizeof(p), "%s.benchmarks", path);
					bk_error("%s: %s: duplicate benchmark name '%.200s'", c->file, p,
						 s->benchmarks[a].name);
					goto out;
				}
			}
		}
	} else if (benches) {
		snprintf(p, sizeof(p), "%s.benchmarks", path);
		bk_error("%s: %s: not allowed in a suite of type '%.100s'", c->file, p, s->type);
		goto out;
	}
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
		if (dup_key(j, e)) {
			char p[300];
			snprintf(p, sizeof(p), "%.200s", e->string);
			cfail(&c, p, "duplicate key");
			goto err;
		}
		if (!strcmp(e->string, "suites")) {
			suites = e;
		} else if (!strcmp(e->string, "rounds")) {
			if (read_int(&c, e, "rounds", 1, RESULT_MAX_ROUNDS, &cfg->rounds))
				goto err;
		} else if (!strcmp(e->string, "$schema") || !strcmp(e->string, "description")) {
			continue;
		} else {
			char p[300];
			snprintf(p, sizeof(p), "%.200s", e->string);
			cfail(&c, p, "unknown key");
			goto err;
		}
	}
	if (!suites) {
		cfail(&c, "suites", "missing");
		goto err;
	}
	if (!cJSON_IsArray(suites)) {
		cfail(&c, "suites", "expected an array");
		goto err;
	}
	if (cJSON_GetArraySize(suites) > MAX_SUITES) {
		cfail(&c, "suites", "too many suites (limit 1000)");
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
