/* site_data: the site's data files (see site_data.h). */
#include "sitegen/render/site_data.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/escape.h"
#include "sitegen/render/fingerprint.h"
#include "lib/verdict/format.h"
#include "lib/doc/json.h"
#include "lib/base/xalloc.h"

/* ---- data files ------------------------------------------------------------ */

/* The members that say which series se is: {"name":…,"machine":…,"unit":…,
 * "direction":…,"params":{…} (the object left open for more members). */
static void series_json_head(struct strbuf *js, const struct series *se)
{
	const struct bk_kvlist *params = &se->proto->params;
	strbuf_addstr(js, "{\"name\":");
	json_add_string(js, se->name);
	strbuf_addstr(js, ",\"machine\":");
	json_add_string(js, se->machine);
	strbuf_addstr(js, ",\"unit\":");
	json_add_string(js, se->proto->unit ? se->proto->unit : "");
	strbuf_addf(js, ",\"direction\":\"%s\",\"params\":{", direction_name(se->proto->direction));
	for (size_t i = 0; i < params->nr; i++) {
		if (i)
			strbuf_addch(js, ',');
		json_add_string(js, params->items[i].key);
		strbuf_addch(js, ':');
		json_add_string(js, params->items[i].value);
	}
	strbuf_addch(js, '}');
}

/* Per result of a chunk, what every point of it repeats: `"sha",time` for
 * the JSON and `sha,date` for the CSV, made once instead of once per point. */
struct result_cols {
	size_t lo;           /* index in h.results of the first result */
	struct strbuf text;  /* the columns, one after the other */
	size_t *js, *csv;    /* per result: where its columns start in text */
	size_t *js_len, *csv_len; /* and their lengths */
};

static void result_cols_init(struct result_cols *rc, const struct site *st, size_t lo, size_t hi)
{
	size_t n = hi - lo;
	rc->lo = lo;
	strbuf_init(&rc->text, n * 96);
	rc->js = xcalloc(n + 1, sizeof(size_t));
	rc->csv = xcalloc(n + 1, sizeof(size_t));
	rc->js_len = xcalloc(n + 1, sizeof(size_t));
	rc->csv_len = xcalloc(n + 1, sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		const struct site_result *r = &st->h.results[lo + i];
		const char *sha = site_result_sha(st, r);
		rc->js[i] = rc->text.len;
		json_add_string(&rc->text, sha ? sha : "");
		strbuf_addf(&rc->text, ",%lld,", r->time);
		rc->js_len[i] = rc->text.len - rc->js[i];
		rc->csv[i] = rc->text.len;
		escape_csv(&rc->text, sha ? sha : "");
		strbuf_addch(&rc->text, ',');
		if (r->time)
			format_date(&rc->text, r->time, 1);
		strbuf_addch(&rc->text, ',');
		rc->csv_len[i] = rc->text.len - rc->csv[i];
	}
}

static void result_cols_release(struct result_cols *rc)
{
	strbuf_release(&rc->text);
	free(rc->js);
	free(rc->csv);
	free(rc->js_len);
	free(rc->csv_len);
}

/* The series' points [from, to) into a chunk's JSON (preceded by a comma
 * unless first) and CSV rows; rc holds the columns of their results. */
static void series_data(const struct series *se, size_t from, size_t to, int first,
			const struct result_cols *rc, struct strbuf *js, struct strbuf *csv)
{
	if (!first)
		strbuf_addch(js, ',');
	strbuf_addch(js, '\n');
	series_json_head(js, se);
	strbuf_addstr(js, ",\"points\":[");
	/* the CSV columns that are the same on every row of the series */
	struct strbuf lead = STRBUF_INIT;
	escape_csv(&lead, se->suite);
	strbuf_addch(&lead, ',');
	escape_csv(&lead, se->name);
	strbuf_addch(&lead, ',');
	escape_csv(&lead, se->machine);
	strbuf_addch(&lead, ',');
	escape_csv(&lead, se->proto->unit ? se->proto->unit : "");
	strbuf_addf(&lead, ",%s,", direction_name(se->proto->direction));
	for (size_t i = from; i < to; i++) {
		const struct series_point *p = &se->points[i];
		size_t k = p->result - rc->lo;
		double vals[] = { p->median, p->min, p->max, p->ci_low, p->ci_high };
		strbuf_add(js, i > from ? ",\n[" : "\n[", i > from ? 3 : 2);
		strbuf_add(js, rc->text.buf + rc->js[k], rc->js_len[k]);
		strbuf_addu(js, p->n);
		/* the five values, formatted once for both files */
		size_t vstart = js->len;
		for (size_t v = 0; v < 5; v++) {
			strbuf_addch(js, ',');
			format_sig(js, vals[v], 7);
		}
		size_t vend = js->len;
		strbuf_addch(js, ']');
		strbuf_add(csv, lead.buf, lead.len);
		strbuf_add(csv, rc->text.buf + rc->csv[k], rc->csv_len[k]);
		strbuf_addu(csv, p->n);
		strbuf_add(csv, js->buf + vstart, vend - vstart);
		strbuf_addch(csv, '\n');
	}
	strbuf_addstr(js, "]}");
	strbuf_release(&lead);
}

#define POINT_FIELDS "[\"commit\",\"time\",\"n\",\"median\",\"min\",\"max\",\"ci_low\",\"ci_high\"]"
#define CSV_HEAD "suite,name,machine,unit,direction,commit,date,n,median,min,max,ci_low,ci_high\n"

struct data_chunk {
	size_t suite, index;
	size_t res_lo, res_hi; /* its results: h.results[res_lo..res_hi) */
	size_t *range; /* per series of the suite: first and end point in the chunk */
	uint64_t fp;
};

struct data_job {
	struct data_chunk *chunks; /* those to (re)write */
	size_t n;
	size_t **members; /* per suite: its series (indexes in s.items) */
	size_t *nmembers;
};

static void chunk_path(const struct site *st, struct strbuf *sb, size_t suite, size_t index,
		       const char *ext)
{
	strbuf_addf(sb, "data/%s/c%05zu.%s", st->suite_slugs[suite], index, ext);
}

static int chunk_task(struct site *st, size_t i, void *payload)
{
	struct data_job *j = payload;
	const struct data_chunk *c = &j->chunks[i];
	struct strbuf js = STRBUF_INIT, csv = STRBUF_INIT, path = STRBUF_INIT;
	strbuf_addstr(&js, "{\"suite\":");
	json_add_string(&js, st->s.suites[c->suite]);
	strbuf_addf(&js, ",\"chunk\":%zu,\"series\":[", c->index);
	strbuf_addstr(&csv, CSV_HEAD);
	struct result_cols rc;
	result_cols_init(&rc, st, c->res_lo, c->res_hi);
	int first = 1;
	for (size_t k = 0; k < j->nmembers[c->suite]; k++) {
		size_t from = c->range[2 * k], to = c->range[2 * k + 1];
		if (from == to)
			continue;
		series_data(&st->s.items[j->members[c->suite][k]], from, to, first, &rc, &js, &csv);
		first = 0;
	}
	result_cols_release(&rc);
	strbuf_addstr(&js, "],\n\"point_fields\":" POINT_FIELDS "}\n");
	chunk_path(st, &path, c->suite, c->index, "json");
	int r = output_write(&st->out, path.buf, js.buf, js.len);
	if (!r)
		output_note(&st->out, path.buf, c->fp);
	strbuf_reset(&path);
	chunk_path(st, &path, c->suite, c->index, "csv");
	if (!r && !(r = output_write(&st->out, path.buf, csv.buf, csv.len)))
		output_note(&st->out, path.buf, c->fp);
	strbuf_release(&js);
	strbuf_release(&csv);
	strbuf_release(&path);
	return r;
}

/* One suite's chunks: which exist (listed in the catalogue cat) and which
 * must be written (added to job). */
static void plan_suite(struct site *st, size_t si, struct data_job *j, size_t *ajob,
		       struct strbuf *cat)
{
	const size_t *mem = j->members[si];
	size_t nm = j->nmembers[si];
	size_t *cur = xcalloc(nm ? nm : 1, sizeof(size_t));
	size_t nchunks = (st->h.ncommits + DATA_CHUNK - 1) / DATA_CHUNK, rc = 0, listed = 0;
	for (size_t k = 0; k < nchunks; k++) {
		double hi = (double)((k + 1) * DATA_CHUNK);
		struct fp f = { st->config_fp };
		fp_str(&f, st->s.suites[si]);
		fp_u64(&f, k);
		/* the results of these commits (contiguous: sorted by order) */
		long first = -1, last = -1;
		size_t res_lo = rc;
		for (; rc < st->h.nmain && st->h.results[rc].order < hi; rc++) {
			const struct site_result *r = &st->h.results[rc];
			fp_bytes(&f, r->blob, 40);
			fp_f64(&f, r->order);
			fp_u64(&f, (uint64_t)r->time);
			if (r->main_index >= 0) {
				if (first < 0)
					first = r->main_index;
				last = r->main_index;
			}
		}
		size_t *range = xcalloc(nm ? 2 * nm : 1, sizeof(size_t)), npoints = 0;
		for (size_t m = 0; m < nm; m++) {
			const struct series *se = &st->s.items[mem[m]];
			size_t e = cur[m];
			while (e < se->npoints && st->h.results[se->points[e].result].order < hi)
				e++;
			range[2 * m] = cur[m];
			range[2 * m + 1] = e;
			if (e > cur[m]) {
				fp_str(&f, se->slug);
				fp_str(&f, se->proto->unit);
				fp_u64(&f, se->proto->direction);
				fp_u64(&f, e - cur[m]);
				npoints += e - cur[m];
			}
			cur[m] = e;
		}
		if (!npoints) {
			free(range);
			continue;
		}
		struct suite_chunks *sc = &st->chunks[si];
		ALLOC_GROW(sc->items, sc->nr + 1, sc->alloc);
		sc->items[sc->nr++] = (struct data_chunk_info){ k, npoints, first, last };
		strbuf_addstr(cat, listed++ ? ",\n{" : "\n{");
		strbuf_addf(cat, "\"index\":%zu,\"points\":%zu,\"json\":\"%s/c%05zu.json\","
				 "\"csv\":\"%s/c%05zu.csv\"",
			    k, npoints, st->suite_slugs[si], k, st->suite_slugs[si], k);
		if (first >= 0)
			strbuf_addf(cat, ",\"first_commit\":\"%s\",\"last_commit\":\"%s\"",
				    st->h.commits[first].sha, st->h.commits[last].sha);
		strbuf_addch(cat, '}');
		struct strbuf pj = STRBUF_INIT, pc = STRBUF_INIT;
		chunk_path(st, &pj, si, k, "json");
		chunk_path(st, &pc, si, k, "csv");
		/* both checked: a skipped file must count as produced */
		int skip_j = output_skip(&st->out, pj.buf, f.h);
		int skip_c = output_skip(&st->out, pc.buf, f.h);
		strbuf_release(&pj);
		strbuf_release(&pc);
		if (skip_j && skip_c) {
			free(range);
			continue;
		}
		ALLOC_GROW(j->chunks, j->n + 1, *ajob);
		j->chunks[j->n++] = (struct data_chunk){ si, k, res_lo, rc, range, f.h };
	}
	free(cur);
}

/* data/<suite>.json (the catalogue: series and chunks), the changed chunks
 * data/<suite>/cNNNNN.json|.csv (on all cores) and data/changes.json. */
int site_render_data(struct site *st, const struct change_ref *ch, size_t nch)
{
	struct data_job j = { NULL, 0, xcalloc(st->s.nsuites + 1, sizeof(size_t *)),
			      xcalloc(st->s.nsuites + 1, sizeof(size_t)) };
	size_t ajob = 0;
	for (size_t si = 0; si < st->s.nsuites; si++)
		j.members[si] = xcalloc(st->s.nr + 1, sizeof(size_t));
	for (size_t k = 0, si = 0; k < st->s.nr; k++) {
		while (strcmp(st->s.items[k].suite, st->s.suites[si]))
			si++; /* series are sorted by suite, like the suite names */
		j.members[si][j.nmembers[si]++] = k;
	}
	int r = 0;
	for (size_t si = 0; si < st->s.nsuites && !r; si++) {
		struct strbuf cat = STRBUF_INIT, path = STRBUF_INIT;
		strbuf_addstr(&cat, "{\"suite\":");
		json_add_string(&cat, st->s.suites[si]);
		strbuf_addf(&cat, ",\"chunk_commits\":%d,\"point_fields\":" POINT_FIELDS
				  ",\n\"series\":[", DATA_CHUNK);
		for (size_t m = 0; m < j.nmembers[si]; m++) {
			const struct series *se = &st->s.items[j.members[si][m]];
			strbuf_addstr(&cat, m ? ",\n" : "\n");
			series_json_head(&cat, se);
			strbuf_addf(&cat, ",\"points\":%zu,\"page\":", se->npoints);
			strbuf_reset(&path);
			strbuf_addf(&path, "../bench/%s.html", se->slug);
			json_add_string(&cat, path.buf);
			strbuf_addch(&cat, '}');
		}
		strbuf_addstr(&cat, "],\n\"chunks\":[");
		plan_suite(st, si, &j, &ajob, &cat);
		strbuf_addstr(&cat, "]}\n");
		strbuf_reset(&path);
		strbuf_addf(&path, "data/%s.json", st->suite_slugs[si]);
		r = output_write(&st->out, path.buf, cat.buf, cat.len);
		strbuf_release(&cat);
		strbuf_release(&path);
	}
	if (!r)
		r = site_parallel_for(st, j.n, chunk_task, &j);
	for (size_t i = 0; i < j.n; i++)
		free(j.chunks[i].range);
	free(j.chunks);
	for (size_t si = 0; si < st->s.nsuites; si++)
		free(j.members[si]);
	free(j.members);
	free(j.nmembers);
	if (r)
		return -1;
	/* every change point, oldest first */
	struct strbuf js = STRBUF_INIT;
	strbuf_addch(&js, '[');
	for (size_t i = nch; i-- > 0;) {
		const struct series *se = ch[i].se;
		const struct changepoint *c = ch[i].c;
		const struct site_result *r = &st->h.results[se->points[c->index].result];
		const char *sha = site_result_sha(st, r);
		strbuf_addstr(&js, i == nch - 1 ? "\n{\"suite\":" : ",\n{\"suite\":");
		json_add_string(&js, se->suite);
		strbuf_addstr(&js, ",\"name\":");
		json_add_string(&js, se->name);
		strbuf_addstr(&js, ",\"machine\":");
		json_add_string(&js, se->machine);
		strbuf_addstr(&js, ",\"commit\":");
		json_add_string(&js, sha ? sha : "");
		strbuf_addstr(&js, ",\"change\":");
		strbuf_add_double(&js, c->change);
		strbuf_addf(&js, ",\"kind\":\"%s\",\"before\":",
			    site_is_regression(c->change, se->proto->direction) ? "regression" : "improvement");
		strbuf_add_double(&js, c->before);
		strbuf_addstr(&js, ",\"after\":");
		strbuf_add_double(&js, c->after);
		strbuf_addstr(&js, ",\"p_value\":");
		strbuf_add_double(&js, c->p_value);
		strbuf_addch(&js, '}');
	}
	strbuf_addstr(&js, "\n]\n");
	int rw = output_write(&st->out, "data/changes.json", js.buf, js.len);
	strbuf_release(&js);
	return rw;
}

