/* baseline: build, write and read baseline files (see baseline.h). */
#include "lib/doc/baseline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/base/error.h"
#include "lib/doc/json.h"
#include "lib/base/xalloc.h"

#ifndef BENCHKEEP_VERSION
#define BENCHKEEP_VERSION "unknown"
#endif

void baseline_init(struct bk_baseline *b)
{
	memset(b, 0, sizeof(*b));
	result_init(&b->r);
}

static void meta_release(struct bk_baseline_meta *m)
{
	free(m->created_at);
	free(m->git_commit);
	free(m->notes);
	free(m->version);
	free(m->os);
	free(m->arch);
	free(m->compiler);
	free(m->machine);
	free(m->cpu_model);
	free(m->kernel);
	free(m->runner_image);
	memset(m, 0, sizeof(*m));
}

static void origin_release(struct bk_baseline_origin *o)
{
	free(o->run_id);
	free(o->recorded_at);
	free(o->commit);
	memset(o, 0, sizeof(*o));
}

void baseline_release(struct bk_baseline *b)
{
	for (size_t i = 0; i < b->norigins; i++)
		origin_release(&b->origins[i]);
	free(b->origins);
	free(b->meta_from);
	meta_release(&b->meta);
	result_release(&b->r);
	baseline_init(b);
}

/* When r was recorded: finished_at, else started_at, else "" (oldest). */
static const char *recorded_at(const struct bk_result *r)
{
	if (r->run.finished_at && *r->run.finished_at)
		return r->run.finished_at;
	if (r->run.started_at && *r->run.started_at)
		return r->run.started_at;
	return "";
}

/* Sets *field to a copy of v (NULL allowed; v may be *field itself). */
static void set_opt(char **field, const char *v)
{
	char *copy = v ? xstrdup(v) : NULL;
	free(*field);
	*field = copy;
}

/* Mirrors the metadata into r.run so the baseline reads like a result. */
static void sync_run(struct bk_baseline *b)
{
	set_str(&b->r.run.id, "baseline");
	set_opt(&b->r.run.commit_sha, b->meta.git_commit);
	set_opt(&b->r.run.started_at, b->meta.created_at);
	set_opt(&b->r.run.machine.name, b->meta.machine);
	set_opt(&b->r.run.machine.os, b->meta.os);
	set_opt(&b->r.run.machine.arch, b->meta.arch);
	set_opt(&b->r.run.machine.compiler, b->meta.compiler);
	set_opt(&b->r.run.machine.cpu_model, b->meta.cpu_model);
	kvlist_release(&b->r.run.machine.extra);
	if (b->meta.kernel)
		kvlist_set(&b->r.run.machine.extra, "kernel", b->meta.kernel);
	if (b->meta.runner_image)
		kvlist_set(&b->r.run.machine.extra, "runner_image", b->meta.runner_image);
	b->r.run.machine.cpu_cores = b->meta.cpu_cores;
	b->r.run.machine.memory_gb = b->meta.total_memory_gb;
}

void baseline_merge_result(struct bk_baseline *b, const struct bk_result *r)
{
	const char *at = recorded_at(r);
	for (size_t i = 0; i < r->nbenchmarks; i++) {
		const struct bk_benchmark *src = &r->benchmarks[i];
		struct bk_benchmark *dst = result_find(&b->r, src->suite, src->name, &src->params);
		size_t k;
		if (dst) {
			k = (size_t)(dst - b->r.benchmarks);
			const char *old = b->origins[k].recorded_at ? b->origins[k].recorded_at : "";
			if (strcmp(at, old) < 0)
				continue; /* the baseline holds a newer measurement */
			bench_release(dst);
			origin_release(&b->origins[k]);
		} else {
			struct bk_benchmark empty;
			memset(&empty, 0, sizeof(empty));
			result_take_benchmark(&b->r, &empty);
			k = b->r.nbenchmarks - 1;
			ALLOC_GROW(b->origins, b->r.nbenchmarks, b->origins_alloc);
			memset(&b->origins[k], 0, sizeof(b->origins[k]));
			b->norigins = b->r.nbenchmarks;
			dst = &b->r.benchmarks[k];
		}
		bench_copy(dst, src);
		bench_finalize(dst);
		set_opt(&b->origins[k].run_id, r->run.id);
		set_opt(&b->origins[k].recorded_at, at);
		set_opt(&b->origins[k].commit, r->run.commit_sha);
	}
	if (!b->meta_from || strcmp(at, b->meta_from) >= 0) {
		set_opt(&b->meta_from, at);
		const struct bk_machine *m = &r->run.machine;
		set_opt(&b->meta.git_commit, r->run.commit_sha);
		set_opt(&b->meta.os, m->os);
		set_opt(&b->meta.arch, m->arch);
		set_opt(&b->meta.compiler, m->compiler);
		set_opt(&b->meta.machine, m->name);
		set_opt(&b->meta.cpu_model, m->cpu_model);
		set_opt(&b->meta.kernel, kvlist_get(&m->extra, "kernel"));
		set_opt(&b->meta.runner_image, kvlist_get(&m->extra, "runner_image"));
		b->meta.cpu_cores = m->cpu_cores;
		b->meta.total_memory_gb = m->memory_gb;
	}
	sync_run(b);
}

void baseline_stamp(struct bk_baseline *b, long long now, const char *notes)
{
	char buf[32];
	time_t t = now ? (time_t)now : time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	set_str(&b->meta.created_at, buf);
	set_opt(&b->meta.notes, notes);
	set_str(&b->meta.version, BENCHKEEP_VERSION);
	sync_run(b);
}

/* ---- writing ------------------------------------------------------------------ */

static void add_opt(cJSON *o, const char *k, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, k, v);
	else
		cJSON_AddNullToObject(o, k);
}

cJSON *baseline_to_json(const struct bk_baseline *b)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "schema", BASELINE_SCHEMA);
	cJSON *m = cJSON_AddObjectToObject(o, "metadata");
	add_opt(m, "created_at", b->meta.created_at);
	add_opt(m, "git_commit", b->meta.git_commit);
	add_opt(m, "notes", b->meta.notes);
	add_opt(m, "version", b->meta.version);
	cJSON *si = cJSON_AddObjectToObject(m, "system_info");
	add_opt(si, "os", b->meta.os);
	add_opt(si, "arch", b->meta.arch);
	if (b->meta.cpu_cores)
		cJSON_AddNumberToObject(si, "cpu_cores", (double)b->meta.cpu_cores);
	else
		cJSON_AddNullToObject(si, "cpu_cores");
	if (b->meta.total_memory_gb > 0)
		cJSON_AddItemToObject(si, "total_memory_gb",
				      json_number(round(b->meta.total_memory_gb * 10) / 10));
	else
		cJSON_AddNullToObject(si, "total_memory_gb");
	add_opt(si, "compiler", b->meta.compiler);
	add_opt(si, "machine", b->meta.machine);
	add_opt(si, "cpu_model", b->meta.cpu_model);
	add_opt(si, "kernel", b->meta.kernel);
	if (b->meta.runner_image)
		add_opt(si, "runner_image", b->meta.runner_image);
	cJSON *arr = cJSON_AddArrayToObject(o, "benchmarks");
	for (size_t i = 0; i < b->r.nbenchmarks; i++) {
		cJSON *bj = bench_to_json(&b->r.benchmarks[i]);
		const struct bk_baseline_origin *or = &b->origins[i];
		if (or->run_id)
			cJSON_AddStringToObject(bj, "run_id", or->run_id);
		if (or->recorded_at && *or->recorded_at)
			cJSON_AddStringToObject(bj, "recorded_at", or->recorded_at);
		if (or->commit)
			cJSON_AddStringToObject(bj, "commit", or->commit);
		cJSON_AddItemToArray(arr, bj);
	}
	return o;
}

int baseline_write_file(const struct bk_baseline *b, const char *path)
{
	cJSON *j = baseline_to_json(b);
	int rc = json_write_file(path, j);
	cJSON_Delete(j);
	return rc;
}

/* ---- reading ------------------------------------------------------------------ */

static int get_opt_str(const cJSON *obj, const char *key, const char *name, const char *path,
		       char **dst)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v))
		return bk_error("%s: %s.%s: expected a string", name, path, key);
	if (strlen(v->valuestring) > RESULT_MAX_NAME)
		return bk_error("%s: %s.%s: string too long", name, path, key);
	set_str(dst, v->valuestring);
	return 0;
}

static int get_opt_num(const cJSON *obj, const char *key, const char *name, const char *path,
		       double *dst)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < 0)
		return bk_error("%s: %s.%s: expected a non-negative number", name, path, key);
	*dst = v->valuedouble;
	return 0;
}

static int meta_from_json(struct bk_baseline_meta *m, const cJSON *j, const char *name)
{
	if (!cJSON_IsObject(j))
		return bk_error("%s: metadata: expected an object", name);
	if (get_opt_str(j, "created_at", name, "metadata", &m->created_at) ||
	    get_opt_str(j, "git_commit", name, "metadata", &m->git_commit) ||
	    get_opt_str(j, "notes", name, "metadata", &m->notes) ||
	    get_opt_str(j, "version", name, "metadata", &m->version))
		return -1;
	const cJSON *si = cJSON_GetObjectItemCaseSensitive(j, "system_info");
	if (!si || cJSON_IsNull(si))
		return 0;
	if (!cJSON_IsObject(si))
		return bk_error("%s: metadata.system_info: expected an object", name);
	const char *p = "metadata.system_info";
	double cores = 0;
	if (get_opt_str(si, "os", name, p, &m->os) || get_opt_str(si, "arch", name, p, &m->arch) ||
	    get_opt_str(si, "compiler", name, p, &m->compiler) ||
	    get_opt_str(si, "machine", name, p, &m->machine) ||
	    get_opt_str(si, "cpu_model", name, p, &m->cpu_model) ||
	    get_opt_str(si, "kernel", name, p, &m->kernel) ||
	    get_opt_str(si, "runner_image", name, p, &m->runner_image) ||
	    get_opt_num(si, "cpu_cores", name, p, &cores) ||
	    get_opt_num(si, "total_memory_gb", name, p, &m->total_memory_gb))
		return -1;
	m->cpu_cores = (long)cores;
	return 0;
}

int baseline_from_json(struct bk_baseline *b, const cJSON *j, const char *name)
{
	baseline_init(b);
	if (!cJSON_IsObject(j))
		return bk_error("%s: not a benchkeep baseline (expected a JSON object)", name);
	const char *schema = json_get_string(j, "schema");
	if (!schema)
		return bk_error("%s: schema: missing (not a benchkeep baseline)", name);
	if (strcmp(schema, BASELINE_SCHEMA))
		return bk_error("%s: schema: expected \"%s\", found \"%.100s\"", name,
				BASELINE_SCHEMA, schema);
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "metadata");
	if (!m) {
		bk_error("%s: metadata: missing", name);
		goto err;
	}
	if (meta_from_json(&b->meta, m, name))
		goto err;
	const cJSON *bs = cJSON_GetObjectItemCaseSensitive(j, "benchmarks");
	if (!bs) {
		bk_error("%s: benchmarks: missing", name);
		goto err;
	}
	if (!cJSON_IsArray(bs)) {
		bk_error("%s: benchmarks: expected an array", name);
		goto err;
	}
	if (cJSON_GetArraySize(bs) > RESULT_MAX_BENCHMARKS) {
		bk_error("%s: benchmarks: too many benchmarks", name);
		goto err;
	}
	const cJSON *e;
	int i = 0;
	cJSON_ArrayForEach(e, bs) {
		char p[64];
		struct bk_benchmark bench;
		snprintf(p, sizeof(p), "benchmarks[%d]", i++);
		if (bench_from_json(&bench, e, name, p))
			goto err;
		struct bk_baseline_origin o = { NULL, NULL, NULL };
		if (get_opt_str(e, "run_id", name, p, &o.run_id) ||
		    get_opt_str(e, "recorded_at", name, p, &o.recorded_at) ||
		    get_opt_str(e, "commit", name, p, &o.commit)) {
			origin_release(&o);
			bench_release(&bench);
			goto err;
		}
		result_take_benchmark(&b->r, &bench);
		ALLOC_GROW(b->origins, b->r.nbenchmarks, b->origins_alloc);
		b->origins[b->r.nbenchmarks - 1] = o;
		b->norigins = b->r.nbenchmarks;
	}
	sync_run(b);
	return 0;
err:
	baseline_release(b);
	return -1;
}

int baseline_read_file(struct bk_baseline *b, const char *path)
{
	baseline_init(b);
	cJSON *j = json_parse_file(path);
	if (!j)
		return -1;
	int rc = baseline_from_json(b, j, path);
	cJSON_Delete(j);
	return rc;
}

int input_read_file(struct bk_result *r, const char *path, const char **kind)
{
	result_init(r);
	if (kind)
		*kind = "result";
	cJSON *j = json_parse_file(path);
	if (!j)
		return -1;
	const char *schema = cJSON_IsObject(j) ? json_get_string(j, "schema") : NULL;
	int rc;
	if (schema && !strcmp(schema, BASELINE_SCHEMA)) {
		struct bk_baseline b;
		rc = baseline_from_json(&b, j, path);
		if (rc == 0) {
			*r = b.r; /* move the benchmarks and run out */
			result_init(&b.r);
			baseline_release(&b);
			if (kind)
				*kind = "baseline";
		}
	} else if (schema && !strcmp(schema, RESULT_SCHEMA)) {
		rc = result_from_json(r, j, path);
	} else if (!cJSON_IsObject(j)) {
		rc = bk_error("%s: not a benchkeep result or baseline (expected a JSON object)", path);
	} else if (!schema) {
		rc = bk_error("%s: schema: missing (not a benchkeep result or baseline)", path);
	} else {
		rc = bk_error("%s: schema: expected \"%s\" or \"%s\", found \"%.100s\"", path,
			      RESULT_SCHEMA, BASELINE_SCHEMA, schema);
	}
	cJSON_Delete(j);
	return rc;
}
