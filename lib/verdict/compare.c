/* compare: matching, statistics and verdicts (see compare.h); the JSON form
 * of a comparison is in compare_json.c. */
#include "lib/verdict/compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/error.h"
#include "lib/doc/machine.h"
#include "lib/verdict/noise.h"
#include "lib/stats/ranktest.h"
#include "lib/stats/signrank.h"
#include "lib/base/strbuf.h"
#include "lib/base/xalloc.h"

static const char *const verdict_names[VERDICT_COUNT] = {
	"regression", "improvement", "noisy", "new", "missing", "unchanged",
};

const char *compare_verdict_name(enum compare_verdict v)
{
	return (unsigned)v < VERDICT_COUNT ? verdict_names[v] : "unknown";
}

const struct bk_benchmark *compare_entry_bench(const struct compare_entry *e)
{
	return e->head ? e->head : e->base;
}

/* ---- matching ------------------------------------------------------------- */

struct keyed {
	char *key;
	size_t idx;
};

static int cmp_keyed(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);
	if (c)
		return c;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

/* Sorted keys of r's benchmarks, duplicates after their first occurrence
 * dropped; *n gets the count. Caller frees with keys_free. */
static struct keyed *keys_of(const struct bk_result *r, size_t *n)
{
	struct keyed *k = xmalloc((r->nbenchmarks + 1) * sizeof(*k));
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < r->nbenchmarks; i++) {
		strbuf_reset(&sb);
		bench_key(&r->benchmarks[i], &sb);
		k[i].key = xstrdup(sb.buf);
		k[i].idx = i;
	}
	strbuf_release(&sb);
	qsort(k, r->nbenchmarks, sizeof(*k), cmp_keyed);
	size_t w = 0;
	for (size_t i = 0; i < r->nbenchmarks; i++) {
		if (w && !strcmp(k[w - 1].key, k[i].key)) {
			free(k[i].key);
			continue;
		}
		k[w++] = k[i];
	}
	*n = w;
	return k;
}

static void keys_free(struct keyed *k, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(k[i].key);
	free(k);
}

/* ---- one pair ---------------------------------------------------------------- */

static void judge(struct compare_entry *e, double alpha)
{
	const struct bk_benchmark *b = e->base, *h = e->head;
	double t = e->threshold;
	if (!b->nsamples || !h->nsamples) {
		e->verdict = VERDICT_NOISY;
		e->reason = !b->nsamples ? "no samples in BASE" : "no samples in HEAD";
		return;
	}
	if (!isfinite(e->change)) {
		e->verdict = VERDICT_NOISY;
		e->reason = "change undefined (BASE median is 0)";
		return;
	}
	int up = e->change > 0;
	int worse = e->direction == BK_BIGGER ? !up : up;
	int big = fabs(e->change) > t;
	enum compare_verdict changed = worse ? VERDICT_REGRESSION : VERDICT_IMPROVEMENT;
	if (e->threshold_only) {
		e->verdict = big ? changed : VERDICT_UNCHANGED;
		e->reason = "values of 0 or less: threshold only";
		return;
	}
	int sig = isfinite(e->q_value) && e->q_value < alpha;
	int have_ci = isfinite(e->ci_low) && isfinite(e->ci_high);
	int ci_beyond = have_ci && (up ? e->ci_low > 0 : e->ci_high < 0);
	if (big && sig && ci_beyond) {
		e->verdict = changed;
		e->reason = worse ? "significant change beyond the threshold and the noise, for the worse"
				  : "significant change beyond the threshold and the noise, for the better";
	} else if (big) {
		e->verdict = VERDICT_NOISY;
		e->reason = !sig ? "change beyond the threshold but within the noise"
				 : "change beyond the threshold but its CI includes zero";
	} else if (e->wide) {
		e->verdict = VERDICT_NOISY;
		e->reason = "measured noise too wide to say";
	} else {
		e->verdict = VERDICT_UNCHANGED;
		e->reason = sig ? "significant but within the threshold" : "no change beyond the noise";
	}
}

static int all_positive(const struct bk_benchmark *b)
{
	for (size_t i = 0; i < b->nsamples; i++)
		if (!(b->samples[i] > 0))
			return 0;
	return b->nsamples > 0;
}

/* Interleaved pairs: the HL estimate of the log ratios and its interval. */
static void measure_paired(struct compare_entry *e)
{
	struct signrank sr;
	if (signrank_paired(e->base->samples, e->head->samples, e->base->nsamples, &sr) < 0)
		return;
	e->paired = 1;
	e->noise = NOISE_SRC_PAIRED;
	e->noise_n = (long)sr.n;
	e->change = expm1(sr.estimate);
	e->ci_low = expm1(sr.lo);
	e->ci_high = expm1(sr.hi);
	e->ci_exact = sr.ci_exact;
	e->p_value = sr.p;
	e->exact = sr.exact;
	e->wide = e->ci_low < -e->threshold && e->ci_high > e->threshold;
}

static int is_count(const struct bk_benchmark *b)
{
	return b->unit && !strcmp(b->unit, "instructions");
}

/* Separate runs: the log ratio of the medians against the noise known. */
static void measure_separate(struct compare_entry *e, const struct compare_opts *o)
{
	const struct bk_benchmark *b = e->base, *h = e->head;
	double d = log(h->stats.median) - log(b->stats.median);
	struct bk_noise hist;
	memset(&hist, 0, sizeof(hist));
	double spread = NAN, df = INFINITY;
	if (o->history_for && o->history_for(o->history_payload, h, &hist)) {
		e->history_runs = hist.runs;
		if (hist.runs >= NOISE_MIN_RUNS) {
			spread = hist.spread;
			e->noise = NOISE_SRC_HISTORY;
			e->noise_n = hist.runs;
		}
	}
	if (!isfinite(spread) && b->noise.runs >= NOISE_MIN_RUNS) {
		spread = b->noise.spread;
		hist = b->noise;
		e->noise = NOISE_SRC_BASELINE;
		e->noise_n = b->noise.runs;
	}
	size_t rb, rh;
	double seb = noise_within_se(b, &rb), seh = noise_within_se(h, &rh);
	double within2 = (isfinite(seb) ? seb * seb : 0) + (isfinite(seh) ? seh * seh : 0);
	double s2;
	if (isfinite(spread)) {
		/* both runs carry the run-to-run noise; never less than what
		 * this pair of runs shows within themselves */
		s2 = fmax(2 * spread * spread, within2);
		df = noise_history_df(hist.runs);
		e->noise_spread = spread;
	} else {
		double a = is_count(h) ? COMPARE_ASSUMED_NOISE_COUNTS : o->assumed_noise;
		s2 = within2 + 2 * a * a;
		e->noise_spread = a;
		if (isfinite(seb) && isfinite(seh)) {
			int rounds = rb >= NOISE_MIN_ROUNDS && rh >= NOISE_MIN_ROUNDS;
			e->noise = rounds ? NOISE_SRC_ROUNDS : NOISE_SRC_SAMPLES;
			e->noise_n = rounds ? (long)(rb < rh ? rb : rh) : 0;
		} else {
			e->noise = NOISE_SRC_NONE;
		}
	}
	e->se = sqrt(s2);
	e->df = df;
	e->change = expm1(d);
	if (!(e->se > 0)) {
		/* no noise at all (identical deterministic counts): any change
		 * is real, none is nothing */
		e->ci_low = e->ci_high = e->change;
		e->p_value = d == 0 ? 1 : 0;
		e->ci_exact = 1;
		return;
	}
	double q = noise_t_quantile(0.975, df);
	e->ci_low = expm1(d - q * e->se);
	e->ci_high = expm1(d + q * e->se);
	/* too noisy to say: judged on what was measured, not on the noise
	 * assumed for want of a history (that alone would make every
	 * comparison without history "noisy") */
	double meas = isfinite(spread) ? e->se : sqrt(within2);
	e->wide = expm1(d - q * meas) < -e->threshold && expm1(d + q * meas) > e->threshold;
	e->ci_exact = 1;
	e->p_value = noise_t_two_sided(d / e->se, df);
	e->exact = 0;
}

static void measure(struct compare_entry *e, const struct compare_opts *o, int paired)
{
	const struct bk_benchmark *b = e->base, *h = e->head;
	e->change = e->ci_low = e->ci_high = e->u = e->p_value = e->q_value = e->mwu_p = NAN;
	e->noise_spread = e->se = NAN;
	e->df = INFINITY;
	if (!b->nsamples || !h->nsamples)
		return;
	struct ranktest rt;
	if (ranktest_mwu(b->samples, b->nsamples, h->samples, h->nsamples, &rt) == 0) {
		e->u = rt.u;
		e->mwu_p = rt.p;
	}
	if (!all_positive(b) || !all_positive(h)) {
		double mb = b->stats.median, mh = h->stats.median;
		if (mb != 0)
			e->change = mh / mb - 1;
		e->threshold_only = 1;
		return;
	}
	if (paired && b->nsamples == h->nsamples)
		measure_paired(e);
	if (!e->paired)
		measure_separate(e, o);
}

static struct compare_entry *add_entry(struct comparison *c, const struct bk_benchmark *base,
				       const struct bk_benchmark *head, const struct compare_opts *o)
{
	ALLOC_GROW(c->entries, c->nr + 1, c->alloc);
	struct compare_entry *e = &c->entries[c->nr++];
	memset(e, 0, sizeof(*e));
	e->base = base;
	e->head = head;
	const struct bk_benchmark *b = head ? head : base;
	e->direction = b->direction;
	e->threshold = o->threshold;
	/* the result's own floor (percent), e.g. 0.2% for instruction counts;
	 * a threshold from the config (threshold_for) still wins */
	if (b->has_threshold && b->threshold >= 0 && isfinite(b->threshold))
		e->threshold = b->threshold / 100.0;
	if (o->threshold_for) {
		double t = o->threshold_for(o->payload, b);
		if (t >= 0 && isfinite(t))
			e->threshold = t;
	}
	e->change = e->ci_low = e->ci_high = e->u = e->p_value = e->q_value = e->mwu_p = NAN;
	e->noise_spread = e->se = NAN;
	e->df = INFINITY;
	return e;
}

/* The two files are the sides of one `run --ab`. */
static int ab_pair(const struct bk_result *base, const struct bk_result *head)
{
	const char *hs = kvlist_get(&head->run.labels, "ab"),
		   *hp = kvlist_get(&head->run.labels, "ab_peer"),
		   *bs = kvlist_get(&base->run.labels, "ab"),
		   *bp = kvlist_get(&base->run.labels, "ab_peer");
	if (!hs || !bs || !strcmp(hs, bs) || !base->run.id || !head->run.id)
		return 0;
	return (hp && !strcmp(hp, base->run.id)) || (bp && !strcmp(bp, head->run.id));
}

void compare_noise_describe(const struct compare_entry *e, struct strbuf *sb)
{
	switch (e->noise) {
	case NOISE_SRC_HISTORY:
		strbuf_addf(sb, "history of %ld runs", e->noise_n);
		break;
	case NOISE_SRC_BASELINE:
		strbuf_addf(sb, "baseline (%ld runs)", e->noise_n);
		break;
	case NOISE_SRC_PAIRED:
		strbuf_addf(sb, "paired A/B (%ld pairs)", e->noise_n);
		break;
	case NOISE_SRC_ROUNDS:
		strbuf_addf(sb, "rounds of this run (%ld)", e->noise_n);
		break;
	case NOISE_SRC_SAMPLES:
		strbuf_addstr(sb, "samples of this run");
		break;
	case NOISE_SRC_NONE:
		strbuf_addstr(sb, "none");
		break;
	}
	if (e->history_runs > 0 && e->history_runs < NOISE_MIN_RUNS)
		strbuf_addf(sb, "; history: only %ld run%s (needs %d)", e->history_runs,
			    e->history_runs == 1 ? "" : "s", NOISE_MIN_RUNS);
}

/* Checks the options' numbers. 0, or -1 with bk_error. */
static int check_opts(const struct compare_opts *o)
{
	if (!(o->alpha > 0 && o->alpha < 1))
		return bk_error("alpha must be between 0 and 1 (exclusive), got %g", o->alpha);
	if (!(o->threshold >= 0) || !isfinite(o->threshold))
		return bk_error("threshold must be a non-negative number, got %g", o->threshold);
	if (!(o->assumed_noise >= 0) || !isfinite(o->assumed_noise))
		return bk_error("assumed noise must be a non-negative number, got %g",
				o->assumed_noise);
	return 0;
}

/* Which benchmarks of HEAD and BASE pair up by key (released with
 * pairing_release). */
struct pairing {
	size_t *partner;  /* of HEAD benchmark i: BASE index + 1, 0 when new */
	char *first_head; /* HEAD benchmark i is the first with its key */
	char *first_base; /* BASE benchmark j is the first with its key */
	char *used_base;  /* BASE benchmark j matched */
};

/* Pairs the first benchmark of each key in HEAD with BASE's (a merge of the
 * two sorted key lists). */
static void pair_benchmarks(struct pairing *pr, const struct bk_result *base,
			    const struct bk_result *head)
{
	size_t nb, nh;
	struct keyed *kb = keys_of(base, &nb), *kh = keys_of(head, &nh);
	pr->partner = xcalloc(head->nbenchmarks + 1, sizeof(*pr->partner));
	pr->first_head = xcalloc(head->nbenchmarks + 1, 1);
	pr->first_base = xcalloc(base->nbenchmarks + 1, 1);
	pr->used_base = xcalloc(base->nbenchmarks + 1, 1);
	for (size_t i = 0; i < nh; i++)
		pr->first_head[kh[i].idx] = 1;
	for (size_t j = 0; j < nb; j++)
		pr->first_base[kb[j].idx] = 1;
	for (size_t i = 0, j = 0; i < nh && j < nb;) {
		int cmp = strcmp(kh[i].key, kb[j].key);
		if (cmp == 0) {
			pr->partner[kh[i].idx] = kb[j].idx + 1;
			pr->used_base[kb[j].idx] = 1;
			i++;
			j++;
		} else if (cmp < 0) {
			i++;
		} else {
			j++;
		}
	}
	keys_free(kb, nb);
	keys_free(kh, nh);
}

/* Frees what pair_benchmarks allocated. */
static void pairing_release(struct pairing *pr)
{
	free(pr->partner);
	free(pr->first_head);
	free(pr->first_base);
	free(pr->used_base);
}

/* One entry per HEAD benchmark (measured against its BASE partner, or new),
 * then one per BASE benchmark left unmatched (missing). */
static void add_entries(struct comparison *out, const struct pairing *pr,
			const struct compare_opts *o)
{
	const struct bk_result *base = out->base, *head = out->head;
	for (size_t i = 0; i < head->nbenchmarks; i++) {
		if (!pr->first_head[i])
			continue;
		const struct bk_benchmark *h = &head->benchmarks[i];
		const struct bk_benchmark *b =
			pr->partner[i] ? &base->benchmarks[pr->partner[i] - 1] : NULL;
		struct compare_entry *e = add_entry(out, b, h, o);
		if (!b) {
			e->verdict = VERDICT_NEW;
			e->reason = "only in HEAD";
			continue;
		}
		out->matched++;
		measure(e, o, out->paired);
	}
	for (size_t j = 0; j < base->nbenchmarks; j++) {
		if (!pr->first_base[j] || pr->used_base[j])
			continue;
		struct compare_entry *e = add_entry(out, &base->benchmarks[j], NULL, o);
		e->verdict = VERDICT_MISSING;
		e->reason = "only in BASE";
	}
}

/* Sets q_value by Benjamini–Hochberg over every tested pair. */
static void adjust_p_values(struct comparison *out)
{
	double *p = xmalloc((out->nr + 1) * sizeof(*p));
	size_t *at = xmalloc((out->nr + 1) * sizeof(*at));
	size_t m = 0;
	for (size_t i = 0; i < out->nr; i++) {
		if (isfinite(out->entries[i].p_value)) {
			p[m] = out->entries[i].p_value;
			at[m++] = i;
		}
	}
	ranktest_bh(p, m, p);
	for (size_t k = 0; k < m; k++)
		out->entries[at[k]].q_value = p[k];
	free(p);
	free(at);
}

int compare_results(struct comparison *out, const struct bk_result *base,
		    const struct bk_result *head, const struct compare_opts *o)
{
	static const struct compare_opts defaults = COMPARE_OPTS_INIT;
	memset(out, 0, sizeof(*out));
	if (!o)
		o = &defaults;
	if (check_opts(o) < 0)
		return -1;
	out->base = base;
	out->head = head;
	out->alpha = o->alpha;
	out->threshold = o->threshold;
	out->assumed_noise = o->assumed_noise;
	out->history = o->history_for != NULL;
	strbuf_init(&out->machine_note, 0);
	out->paired = ab_pair(base, head);
	if (!out->paired && !machine_same(&base->run.machine, &head->run.machine, &out->machine_note))
		out->informational = 1;

	struct pairing pr;
	pair_benchmarks(&pr, base, head);
	add_entries(out, &pr, o);
	pairing_release(&pr);
	adjust_p_values(out);
	for (size_t i = 0; i < out->nr; i++) {
		struct compare_entry *e = &out->entries[i];
		if (e->base && e->head)
			judge(e, out->alpha);
		out->counts[e->verdict]++;
	}
	return 0;
}

int compare_entry_order(const struct compare_entry *a, const struct compare_entry *b)
{
	if (a->verdict != b->verdict)
		return (a->verdict > b->verdict) - (a->verdict < b->verdict);
	double ca = isfinite(a->change) ? fabs(a->change) : -1;
	double cb = isfinite(b->change) ? fabs(b->change) : -1;
	if (ca != cb)
		return (ca < cb) - (ca > cb);
	const struct bk_benchmark *x = compare_entry_bench(a), *y = compare_entry_bench(b);
	int c = strcmp(x->suite, y->suite);
	if (c)
		return c;
	c = strcmp(x->name, y->name);
	if (c)
		return c;
	for (size_t i = 0; i < x->params.nr && i < y->params.nr; i++) {
		c = strcmp(x->params.items[i].key, y->params.items[i].key);
		if (!c)
			c = strcmp(x->params.items[i].value, y->params.items[i].value);
		if (c)
			return c;
	}
	return (x->params.nr > y->params.nr) - (x->params.nr < y->params.nr);
}

static int cmp_entry(const void *pa, const void *pb)
{
	return compare_entry_order(pa, pb);
}

void comparison_sort(struct comparison *c)
{
	qsort(c->entries, c->nr, sizeof(*c->entries), cmp_entry);
}

void comparison_release(struct comparison *c)
{
	free(c->entries);
	strbuf_release(&c->machine_note);
	memset(c, 0, sizeof(*c));
}
