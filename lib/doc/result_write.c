/* result_write.c: writing the result model as JSON (a document, or one
 * benchmark) and to a new file. Part of result (interface: result.h). */
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
