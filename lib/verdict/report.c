/* report: cells and the text table of a comparison (see report.h). */
#include "lib/verdict/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/escape.h"
#include "lib/verdict/format.h"
#include "lib/base/xalloc.h"

static void esc_str(struct strbuf *sb, const char *s, enum report_escape esc)
{
	if (esc == REPORT_MARKDOWN)
		escape_markdown(sb, s);
	else
		escape_terminal(sb, s);
}

static int is_time_unit(const char *u)
{
	return u && (!strcmp(u, "s") || !strcmp(u, "ms") || !strcmp(u, "us") || !strcmp(u, "ns"));
}

void report_value(struct strbuf *sb, double v, const char *unit, enum report_escape esc)
{
	if (!isfinite(v)) {
		strbuf_addstr(sb, "n/a");
		return;
	}
	if (is_time_unit(unit)) {
		format_value(sb, v, unit);
		return;
	}
	format_value(sb, v, NULL);
	if (unit && *unit) {
		strbuf_addch(sb, ' ');
		esc_str(sb, unit, esc);
	}
}

void report_change(struct strbuf *sb, double change)
{
	format_change(sb, change);
}

void report_ci(struct strbuf *sb, double lo, double hi)
{
	if (!isfinite(lo) || !isfinite(hi)) {
		strbuf_addstr(sb, "n/a");
		return;
	}
	format_change(sb, lo);
	strbuf_addstr(sb, " .. ");
	format_change(sb, hi);
}

void report_p(struct strbuf *sb, double p)
{
	if (isnan(p))
		strbuf_addch(sb, '-');
	else if (p < 1e-300)
		strbuf_addstr(sb, "<1e-300");
	else if (p < 0.001)
		strbuf_addf(sb, "%.1e", p);
	else
		strbuf_addf(sb, "%.3f", p);
}

void report_name(struct strbuf *sb, const struct compare_entry *e, enum report_escape esc)
{
	const struct bk_benchmark *b = compare_entry_bench(e);
	esc_str(sb, b->suite, esc);
	strbuf_addstr(sb, " / ");
	esc_str(sb, b->name, esc);
}

void report_commit(struct strbuf *sb, const char *sha, enum report_escape esc)
{
	if (!sha)
		return;
	size_t n = strlen(sha);
	int hex = n >= 7;
	for (size_t i = 0; i < n && hex; i++)
		hex = (sha[i] >= '0' && sha[i] <= '9') || (sha[i] >= 'a' && sha[i] <= 'f');
	if (hex) {
		strbuf_add(sb, sha, 7);
		return;
	}
	char *cut = xstrndup(sha, n > 40 ? 40 : n);
	esc_str(sb, cut, esc);
	free(cut);
}

/* ---- text table ---------------------------------------------------------------- */

enum { C_VERDICT, C_NAME, C_BASE, C_HEAD, C_CHANGE, C_CI, C_P, C_Q, C_NOISE, NCOLS };

static const char *const headers[NCOLS] = {
	"VERDICT", "BENCHMARK", "BASE", "HEAD", "CHANGE", "95% CI", "P", "Q", "NOISE FROM",
};

static void pad(struct strbuf *sb, size_t n)
{
	while (n--)
		strbuf_addch(sb, ' ');
}

static const char *verdict_colour(enum compare_verdict v)
{
	switch (v) {
	case VERDICT_REGRESSION: return "\033[1;31m";
	case VERDICT_IMPROVEMENT: return "\033[1;32m";
	case VERDICT_NOISY: return "\033[33m";
	case VERDICT_NEW:
	case VERDICT_MISSING: return "\033[36m";
	default: return NULL;
	}
}

static void side_line(struct strbuf *out, const char *tag, const char *label,
		      const struct bk_result *r)
{
	strbuf_addf(out, "%s  ", tag);
	escape_terminal(out, label ? label : "-");
	struct strbuf d = STRBUF_INIT;
	if (r->run.commit_sha) {
		strbuf_addstr(&d, "commit ");
		report_commit(&d, r->run.commit_sha, REPORT_TERMINAL);
	}
	if (r->run.commit_branch) {
		strbuf_addstr(&d, d.len ? ", " : "");
		strbuf_addstr(&d, "branch ");
		escape_terminal(&d, r->run.commit_branch);
	}
	if (r->run.machine.name) {
		strbuf_addstr(&d, d.len ? ", " : "");
		strbuf_addstr(&d, "machine ");
		escape_terminal(&d, r->run.machine.name);
	}
	if (d.len)
		strbuf_addf(out, " (%s)", d.buf);
	strbuf_addch(out, '\n');
	strbuf_release(&d);
}

/* The header: both sides, the kind of comparison and its settings. */
static void text_header(struct strbuf *out, const struct comparison *c, const char *base_label,
			const char *head_label)
{
	side_line(out, "BASE", base_label, c->base);
	side_line(out, "HEAD", head_label, c->head);
	if (c->informational)
		strbuf_addf(out, "NOT THE SAME MACHINE (%s): verdicts are informational and do not fail "
				 "--fail-on-regression; use `benchkeep run --ab` for a verdict\n",
			    c->machine_note.buf);
	if (c->paired)
		strbuf_addstr(out, "interleaved A/B (run --ab): judged as pairs taken side by side\n");
	strbuf_addf(out, "alpha %g, threshold %g%% (unless the config sets one per benchmark)\n\n",
		    c->alpha, c->threshold * 100);
}

/* The median of one side's benchmark, or '-' when the side has none. */
static void side_value(struct strbuf *cell, const struct bk_benchmark *side, const char *unit)
{
	if (side)
		report_value(cell, side->stats.n ? side->stats.median : NAN, unit, REPORT_TERMINAL);
	else
		strbuf_addch(cell, '-');
}

/* Fills the NCOLS cells of row (initialised) for entry e. */
static void fill_row(struct strbuf *row, const struct compare_entry *e)
{
	const struct bk_benchmark *b = compare_entry_bench(e);
	strbuf_addstr(&row[C_VERDICT], compare_verdict_name(e->verdict));
	if (e->threshold_only)
		strbuf_addch(&row[C_VERDICT], '*');
	report_name(&row[C_NAME], e, REPORT_TERMINAL);
	side_value(&row[C_BASE], e->base, b->unit);
	side_value(&row[C_HEAD], e->head, b->unit);
	if (e->base && e->head) {
		report_change(&row[C_CHANGE], e->change);
		report_ci(&row[C_CI], e->ci_low, e->ci_high);
	} else {
		strbuf_addch(&row[C_CHANGE], '-');
		strbuf_addch(&row[C_CI], '-');
	}
	report_p(&row[C_P], e->p_value);
	report_p(&row[C_Q], e->q_value);
	if (e->base && e->head && !e->threshold_only)
		compare_noise_describe(e, &row[C_NOISE]);
	else
		strbuf_addch(&row[C_NOISE], '-');
}

/* The cells of the table: the headers, then one row per entry; w gets
 * each column's width. Caller releases the (c->nr + 1) * NCOLS cells and
 * frees the array. */
static struct strbuf *table_cells(const struct comparison *c, size_t w[NCOLS])
{
	size_t rows = c->nr;
	struct strbuf *cells = xcalloc((rows + 1) * NCOLS, sizeof(*cells));
	for (size_t i = 0; i < (rows + 1) * NCOLS; i++)
		strbuf_init(&cells[i], 0);
	for (int k = 0; k < NCOLS; k++)
		strbuf_addstr(&cells[k], headers[k]);
	for (size_t i = 0; i < rows; i++)
		fill_row(&cells[(i + 1) * NCOLS], &c->entries[i]);
	for (int k = 0; k < NCOLS; k++)
		w[k] = 0;
	for (size_t i = 0; i <= rows; i++)
		for (int k = 0; k < NCOLS; k++) {
			size_t x = utf8_width(cells[i * NCOLS + k].buf);
			if (x > w[k])
				w[k] = x;
		}
	return cells;
}

/* One line of the table (i = 0 the headers, else entry i - 1's row). */
static void table_line(struct strbuf *out, const struct comparison *c, const struct strbuf *row,
		       size_t i, const size_t w[NCOLS], int colour)
{
	for (int k = 0; k < NCOLS; k++) {
		size_t x = utf8_width(row[k].buf);
		int right = k >= C_BASE && k != C_CI && k != C_NOISE;
		const char *col = i && k == C_VERDICT && colour
					  ? verdict_colour(c->entries[i - 1].verdict)
					  : NULL;
		if (k)
			strbuf_addstr(out, "  ");
		if (right)
			pad(out, w[k] - x);
		if (col)
			strbuf_addstr(out, col);
		strbuf_addstr(out, row[k].buf);
		if (col)
			strbuf_addstr(out, "\033[0m");
		if (!right && k != NCOLS - 1)
			pad(out, w[k] - x);
	}
	strbuf_rtrim(out);
	strbuf_addch(out, '\n');
}

/* The counts per verdict and the notes on threshold-only and assumed-noise
 * benchmarks. */
static void text_footer(struct strbuf *out, const struct comparison *c)
{
	strbuf_addf(out, "%zu regression%s, %zu improvement%s, %zu unchanged, %zu noisy, %zu new, "
			 "%zu missing (%zu compared)\n",
		    c->counts[VERDICT_REGRESSION], c->counts[VERDICT_REGRESSION] == 1 ? "" : "s",
		    c->counts[VERDICT_IMPROVEMENT], c->counts[VERDICT_IMPROVEMENT] == 1 ? "" : "s",
		    c->counts[VERDICT_UNCHANGED], c->counts[VERDICT_NOISY], c->counts[VERDICT_NEW],
		    c->counts[VERDICT_MISSING], c->matched);
	size_t few = 0, assumed = 0;
	for (size_t i = 0; i < c->nr; i++) {
		const struct compare_entry *e = &c->entries[i];
		few += e->threshold_only;
		assumed += e->base && e->head && !e->threshold_only && !e->paired &&
			   e->noise != NOISE_SRC_HISTORY && e->noise != NOISE_SRC_BASELINE;
	}
	if (few)
		strbuf_addf(out,
			    "* %zu benchmark%s with values of 0 or less: no ratio, judged by the "
			    "threshold alone\n",
			    few, few == 1 ? "" : "s");
	if (assumed)
		strbuf_addf(out,
			    "%zu benchmark%s without a history on this machine: a run-to-run noise of "
			    "%g%% is assumed on each side (--history REF gives each its own)\n",
			    assumed, assumed == 1 ? "" : "s", c->assumed_noise * 100);
}

void report_text(struct strbuf *out, const struct comparison *c, const char *base_label,
		 const char *head_label, int colour)
{
	size_t w[NCOLS];
	text_header(out, c, base_label, head_label);
	struct strbuf *cells = table_cells(c, w);
	for (size_t i = 0; i <= c->nr; i++)
		table_line(out, c, &cells[i * NCOLS], i, w, colour);
	strbuf_addch(out, '\n');
	text_footer(out, c);
	for (size_t i = 0; i < (c->nr + 1) * NCOLS; i++)
		strbuf_release(&cells[i]);
	free(cells);
}
