#include "lib/doc/configkeys.h"
#include "lib/base/error.h"
#include "lib/base/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ckey_fail(const struct cctx *c, const char *path, const char *what)
{
	return bk_error("%s: %s: %s", c->file, path, what);
}

int ckey_dup(const cJSON *obj, const cJSON *e)
{
	for (const cJSON *q = obj->child; q && q != e; q = q->next)
		if (!strcmp(q->string, e->string))
			return 1;
	return 0;
}

int ckey_command(const struct cctx *c, const cJSON *v, const char *path,
		 struct bk_command *out)
{
	memset(out, 0, sizeof(*out));
	if (cJSON_IsString(v)) {
		if (!*v->valuestring)
			return ckey_fail(c, path, "must not be empty");
		out->shell = xstrdup(v->valuestring);
		return 0;
	}
	if (!cJSON_IsArray(v))
		return ckey_fail(c, path, "expected a string or an array of strings");
	int n = cJSON_GetArraySize(v);
	if (n == 0)
		return ckey_fail(c, path, "must not be empty");
	out->argv = xcalloc((size_t)n + 1, sizeof(char *));
	int i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, v) {
		if (!cJSON_IsString(e)) {
			char p[600];
			snprintf(p, sizeof(p), "%s[%d]", path, i);
			command_release(out);
			return ckey_fail(c, p, "expected a string");
		}
		out->argv[i++] = xstrdup(e->valuestring);
	}
	return 0;
}

int ckey_int(const struct cctx *c, const cJSON *v, const char *path, int min, int max,
	     int *out)
{
	if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble))
		return ckey_fail(c, path, "expected an integer");
	if (v->valuedouble < min || v->valuedouble > max) {
		char msg[100];
		snprintf(msg, sizeof(msg), "must be between %d and %d", min, max);
		return ckey_fail(c, path, msg);
	}
	*out = (int)v->valuedouble;
	return 0;
}

int ckey_num(const struct cctx *c, const cJSON *v, const char *path, double min, double *out)
{
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return ckey_fail(c, path, "expected a number");
	if (v->valuedouble < min) {
		char msg[100];
		snprintf(msg, sizeof(msg), "must be at least %g", min);
		return ckey_fail(c, path, msg);
	}
	*out = v->valuedouble;
	return 0;
}

int ckey_string(const struct cctx *c, const cJSON *v, const char *path, char **out)
{
	if (!cJSON_IsString(v))
		return ckey_fail(c, path, "expected a string");
	if (strlen(v->valuestring) > RESULT_MAX_NAME)
		return ckey_fail(c, path, "string too long");
	set_str(out, v->valuestring);
	return 0;
}

int ckey_env(const struct cctx *c, const cJSON *v, const char *path, struct bk_kvlist *out)
{
	if (!cJSON_IsObject(v))
		return ckey_fail(c, path, "expected an object of strings");
	if (cJSON_GetArraySize(v) > MAX_ENTRIES)
		return ckey_fail(c, path, "too many entries (limit 1000)");
	const cJSON *e;
	cJSON_ArrayForEach(e, v) {
		char p[600];
		snprintf(p, sizeof(p), "%s.%.200s", path, e->string);
		if (ckey_dup(v, e))
			return ckey_fail(c, p, "duplicate key");
		if (!cJSON_IsString(e))
			return ckey_fail(c, p, "expected a string");
		if (!*e->string || strchr(e->string, '='))
			return ckey_fail(c, p, "invalid environment variable name");
		kvlist_set(out, e->string, e->valuestring);
	}
	return 0;
}

int ckey_common(const struct cctx *c, const cJSON *e, const char *p, struct bk_bench_cfg *b,
		int *handled)
{
	const char *k = e->string;
	*handled = 1;
	if (!strcmp(k, "runs"))
		return ckey_int(c, e, p, 1, RESULT_MAX_SAMPLES, &b->runs);
	if (!strcmp(k, "warmup"))
		return ckey_int(c, e, p, 0, 1000000, &b->warmup);
	if (!strcmp(k, "max_runs"))
		return ckey_int(c, e, p, 1, RESULT_MAX_SAMPLES, &b->max_runs);
	if (!strcmp(k, "min_time"))
		return ckey_num(c, e, p, 0, &b->min_time);
	if (!strcmp(k, "timeout"))
		return ckey_num(c, e, p, 0, &b->timeout);
	if (!strcmp(k, "threshold"))
		return ckey_num(c, e, p, 0, &b->threshold);
	if (!strcmp(k, "env"))
		return ckey_env(c, e, p, &b->env);
	if (!strcmp(k, "cwd"))
		return ckey_string(c, e, p, &b->cwd);
	if (!strcmp(k, "unit"))
		return ckey_string(c, e, p, &b->unit);
	if (!strcmp(k, "metric")) {
		if (ckey_string(c, e, p, &b->metric))
			return -1;
		if (strcmp(b->metric, "time") && strcmp(b->metric, "wall_time") &&
		    strcmp(b->metric, "instructions"))
			return ckey_fail(c, p, "expected \"wall_time\" or \"instructions\"");
		return 0;
	}
	if (!strcmp(k, "backend")) {
		if (ckey_string(c, e, p, &b->backend))
			return -1;
		if (strcmp(b->backend, "perf") && strcmp(b->backend, "callgrind"))
			return ckey_fail(c, p, "expected \"perf\" or \"callgrind\"");
		return 0;
	}
	if (!strcmp(k, "cache_sim")) {
		if (!cJSON_IsBool(e))
			return ckey_fail(c, p, "expected true or false");
		b->cache_sim = cJSON_IsTrue(e);
		return 0;
	}
	if (!strcmp(k, "direction")) {
		enum bk_direction d;
		if (!cJSON_IsString(e) || direction_parse(e->valuestring, &d))
			return ckey_fail(c, p, "expected \"smaller\" or \"bigger\"");
		b->direction = (int)d;
		return 0;
	}
	*handled = 0;
	return 0;
}

void ckey_defaults_init(struct bk_bench_cfg *d)
{
	memset(d, 0, sizeof(*d));
	d->runs = 10;
	d->warmup = 1;
	d->threshold = -1;
	d->direction = -1;
}

void ckey_defaults_copy(struct bk_bench_cfg *dst, const struct bk_bench_cfg *src)
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

