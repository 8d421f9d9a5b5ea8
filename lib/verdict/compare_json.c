/* compare_json.c: a comparison as JSON (the document `compare --json`
 * writes): both sides, and each entry's statistics and verdict. Part of
 * compare (interface: compare.h). */
#include "lib/verdict/compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/strbuf.h"

static cJSON *side_json(const struct bk_result *r, const struct compare_side *s)
{
	cJSON *o = cJSON_CreateObject();
	if (s && s->path)
		cJSON_AddStringToObject(o, "path", s->path);
	cJSON_AddStringToObject(o, "kind", s && s->kind ? s->kind : "result");
	if (r->run.id)
		cJSON_AddStringToObject(o, "run_id", r->run.id);
	if (r->run.commit_sha)
		cJSON_AddStringToObject(o, "commit", r->run.commit_sha);
	if (r->run.commit_branch)
		cJSON_AddStringToObject(o, "branch", r->run.commit_branch);
	if (r->run.started_at)
		cJSON_AddStringToObject(o, "started_at", r->run.started_at);
	if (r->run.machine.name)
		cJSON_AddStringToObject(o, "machine", r->run.machine.name);
	cJSON_AddNumberToObject(o, "benchmarks", (double)r->nbenchmarks);
	return o;
}

static cJSON *stats_json(const struct bk_benchmark *b)
{
	if (!b)
		return cJSON_CreateNull();
	const struct bk_stats *s = &b->stats;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "n", (double)s->n);
	cJSON_AddItemToObject(o, "median", s->n ? json_number(s->median) : cJSON_CreateNull());
	cJSON_AddItemToObject(o, "mean", s->n ? json_number(s->mean) : cJSON_CreateNull());
	cJSON_AddItemToObject(o, "min", s->n ? json_number(s->min) : cJSON_CreateNull());
	cJSON_AddItemToObject(o, "max", s->n ? json_number(s->max) : cJSON_CreateNull());
	cJSON_AddItemToObject(o, "stddev", s->n ? json_number(s->stddev) : cJSON_CreateNull());
	return o;
}

cJSON *comparison_to_json(const struct comparison *c, const struct compare_side *base,
			  const struct compare_side *head)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "schema", COMPARISON_SCHEMA);
	cJSON_AddItemToObject(o, "base", side_json(c->base, base));
	cJSON_AddItemToObject(o, "head", side_json(c->head, head));
	cJSON *opt = cJSON_AddObjectToObject(o, "options");
	cJSON_AddItemToObject(opt, "alpha", json_number(c->alpha));
	cJSON_AddItemToObject(opt, "threshold", json_number(c->threshold));
	cJSON_AddItemToObject(opt, "assumed_noise", json_number(c->assumed_noise));
	cJSON_AddBoolToObject(opt, "history", c->history);
	cJSON *mj = cJSON_AddObjectToObject(o, "machine");
	cJSON_AddBoolToObject(mj, "same", !c->informational);
	cJSON_AddStringToObject(mj, "note", c->machine_note.buf);
	cJSON_AddBoolToObject(o, "paired", c->paired);
	cJSON_AddBoolToObject(o, "informational", c->informational);
	cJSON *arr = cJSON_AddArrayToObject(o, "benchmarks");
	for (size_t i = 0; i < c->nr; i++) {
		const struct compare_entry *e = &c->entries[i];
		const struct bk_benchmark *b = compare_entry_bench(e);
		cJSON *j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "suite", b->suite);
		cJSON_AddStringToObject(j, "name", b->name);
		if (b->params.nr) {
			cJSON *pj = cJSON_AddObjectToObject(j, "params");
			for (size_t k = 0; k < b->params.nr; k++)
				cJSON_AddStringToObject(pj, b->params.items[k].key,
							b->params.items[k].value);
		}
		cJSON_AddStringToObject(j, "unit", b->unit ? b->unit : "");
		cJSON_AddStringToObject(j, "direction", direction_name(e->direction));
		cJSON_AddItemToObject(j, "base", stats_json(e->base));
		cJSON_AddItemToObject(j, "head", stats_json(e->head));
		cJSON_AddItemToObject(j, "change", json_number(e->change));
		if (isfinite(e->ci_low) && isfinite(e->ci_high)) {
			cJSON *ci = cJSON_AddArrayToObject(j, "ci95");
			cJSON_AddItemToArray(ci, json_number(e->ci_low));
			cJSON_AddItemToArray(ci, json_number(e->ci_high));
		} else {
			cJSON_AddNullToObject(j, "ci95");
		}
		cJSON_AddStringToObject(j, "method", !e->base || !e->head ? "none" :
						    e->threshold_only ? "threshold" :
						    e->paired ? "paired" : "separate");
		if (e->base && e->head && !e->threshold_only) {
			struct strbuf nd = STRBUF_INIT;
			compare_noise_describe(e, &nd);
			static const char *const src[] = { "none", "samples", "rounds",
							   "history", "baseline", "paired" };
			cJSON *nj = cJSON_AddObjectToObject(j, "noise");
			cJSON_AddStringToObject(nj, "source", src[e->noise]);
			cJSON_AddNumberToObject(nj, "n", (double)e->noise_n);
			cJSON_AddItemToObject(nj, "spread", json_number(e->noise_spread));
			cJSON_AddItemToObject(nj, "se", json_number(e->se));
			cJSON_AddStringToObject(nj, "description", nd.buf);
			strbuf_release(&nd);
		}
		cJSON_AddItemToObject(j, "p_value", json_number(e->p_value));
		cJSON_AddItemToObject(j, "q_value", json_number(e->q_value));
		if (isfinite(e->p_value))
			cJSON_AddStringToObject(j, "p_method", e->paired ? (e->exact ? "signed-rank exact" : "signed-rank normal")
								       : isfinite(e->df) ? "t" : "normal");
		cJSON_AddItemToObject(j, "mwu_p", json_number(e->mwu_p));
		cJSON_AddStringToObject(j, "verdict", compare_verdict_name(e->verdict));
		cJSON_AddItemToObject(j, "threshold", json_number(e->threshold));
		cJSON_AddBoolToObject(j, "threshold_only", e->threshold_only);
		cJSON_AddStringToObject(j, "reason", e->reason ? e->reason : "");
		cJSON_AddItemToArray(arr, j);
	}
	cJSON *s = cJSON_AddObjectToObject(o, "summary");
	for (int v = 0; v < VERDICT_COUNT; v++)
		cJSON_AddNumberToObject(s, compare_verdict_name((enum compare_verdict)v),
					(double)c->counts[v]);
	cJSON_AddNumberToObject(s, "matched", (double)c->matched);
	cJSON_AddNumberToObject(s, "total", (double)c->nr);
	return o;
}
