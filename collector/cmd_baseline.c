/* benchkeep baseline update|show: the reference a pull request is compared to. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/doc/baseline.h"
#include "collector/cli.h"
#include "lib/base/error.h"
#include "lib/base/escape.h"
#include "lib/verdict/noise.h"
#include "lib/verdict/thresholds.h"
#include "lib/verdict/report.h"
#include "lib/base/xalloc.h"

static const char baseline_usage[] =
	"usage: benchkeep baseline update [--baseline FILE] [--notes TEXT] [--merge]\n"
	"                                 [--history REF [--history-runs N] [--repo DIR]] RESULT...\n"
	"       benchkeep baseline show [--baseline FILE] [--format text|json]\n"
	"update writes the benchmarks of the results, with their raw samples and metadata\n"
	"(created_at, git_commit, notes, system_info, version), atomically; several suites\n"
	"merge and the newest measurement of a benchmark wins.\n"
	"      --baseline FILE   default " BASELINE_DEFAULT_PATH "\n"
	"      --notes TEXT      free text kept in the metadata\n"
	"      --merge           keep the benchmarks of the existing baseline that the\n"
	"                        results do not measure again\n"
	"      --history REF     store each benchmark's run-to-run noise learned from the\n"
	"                        results on REF (same machine): runs, center, spread\n"
	"      --history-runs N  the last N runs per benchmark (default 20)\n"
	"      --repo DIR        the repository holding REF (default: the current one)\n"
	"created_at is now, or $SOURCE_DATE_EPOCH when set.\n";

/* Stores in every benchmark of bl its run-to-run noise from the history
 * (when it has NOISE_MIN_RUNS runs there); a note on stderr says what the
 * history held. 0, or -1 with bk_error set. */
static int baseline_add_noise(struct bk_baseline *bl, struct history_opts *ho)
{
	if (runhistory_load(&ho->h, ho->repo, ho->ref, &bl->r, ho->runs, NULL) < 0)
		return -1;
	size_t with = 0;
	for (size_t i = 0; i < bl->r.nbenchmarks; i++) {
		struct bk_noise n;
		struct bk_benchmark *b = &bl->r.benchmarks[i];
		memset(&b->noise, 0, sizeof(b->noise));
		if (runhistory_noise(ho->h, b, &n) && n.runs >= NOISE_MIN_RUNS) {
			b->noise = n;
			with++;
		}
	}
	struct strbuf note = STRBUF_INIT;
	runhistory_describe(ho->h, &note);
	bk_note("%s; noise stored for %zu of %zu benchmarks", note.buf, with, bl->r.nbenchmarks);
	strbuf_release(&note);
	return 0;
}

/* Merges the result files paths[0..n) into bl, in order. 0, or -1 with
 * bk_error set. */
static int merge_results(struct bk_baseline *bl, char **paths, int n)
{
	for (int i = 0; i < n; i++) {
		struct bk_result r;
		if (result_read_file(&r, paths[i]) < 0)
			return -1;
		baseline_merge_result(bl, &r);
		result_release(&r);
	}
	return 0;
}

/* The baseline's time: SOURCE_DATE_EPOCH when set, else 0 (now). 0, or -1
 * with bk_error set on a bad value. */
static int source_date(long long *now)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char *end;
	*now = 0;
	if (!sde || !*sde)
		return 0;
	*now = strtoll(sde, &end, 10);
	if (*end || *now <= 0)
		return bk_error("SOURCE_DATE_EPOCH: expected seconds since 1970, got '%.50s'", sde);
	return 0;
}

/* benchkeep baseline update [options] RESULT...: writes the baseline. */
static int baseline_update(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "baseline", required_argument, NULL, 'b' },
		{ "notes", required_argument, NULL, 'n' },
		{ "merge", no_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		VERDICT_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char *path = BASELINE_DEFAULT_PATH, *notes = NULL;
	struct compare_opts co = COMPARE_OPTS_INIT; /* for verdict_opt; unused here */
	struct history_opts ho = HISTORY_OPTS_INIT;
	int merge = 0, c, rc = 2;
	struct bk_baseline bl;
	baseline_init(&bl);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		int v = c == 0x104 ? 0 : verdict_opt(c, optarg, &co, &ho);
		if (v < 0)
			return bk_fail();
		if (v)
			continue;
		switch (c) {
		case 'b': path = optarg; break;
		case 'n': notes = optarg; break;
		case 'm': merge = 1; break;
		case 'h': fputs(baseline_usage, stdout); return 0;
		default: fputs(baseline_usage, stderr); return 2;
		}
	}
	if (optind == argc)
		return bk_fail_msg("baseline update needs at least one RESULT");
	long long now;
	if ((merge && baseline_read_file(&bl, path) < 0) ||
	    merge_results(&bl, argv + optind, argc - optind) < 0 || source_date(&now) < 0 ||
	    (ho.ref && baseline_add_noise(&bl, &ho) < 0)) {
		rc = bk_fail();
		goto out;
	}
	baseline_stamp(&bl, now, notes ? notes : (merge ? bl.meta.notes : NULL));
	if (baseline_write_file(&bl, path) < 0) {
		rc = bk_fail();
		goto out;
	}
	printf("%s\n", path);
	fprintf(stderr, "baseline: %zu benchmarks\n", bl.r.nbenchmarks);
	rc = 0;
out:
	history_opts_release(&ho);
	baseline_release(&bl);
	return rc;
}

static void meta_line(struct strbuf *sb, const char *key, const char *v)
{
	strbuf_addf(sb, "%-16s", key);
	escape_terminal(sb, v && *v ? v : "-");
	strbuf_addch(sb, '\n');
}

static void show_text(struct strbuf *sb, const struct bk_baseline *b, const char *path)
{
	const struct bk_baseline_meta *m = &b->meta;
	meta_line(sb, "baseline", path);
	meta_line(sb, "created_at", m->created_at);
	meta_line(sb, "git_commit", m->git_commit);
	meta_line(sb, "notes", m->notes);
	meta_line(sb, "version", m->version);
	struct strbuf sys = STRBUF_INIT;
	strbuf_addf(&sys, "%s %s, %ld cores, %.1f GB, %s%s%s", m->os ? m->os : "?",
		    m->arch ? m->arch : "?", m->cpu_cores, m->total_memory_gb,
		    m->compiler ? m->compiler : "?", m->machine ? ", machine " : "",
		    m->machine ? m->machine : "");
	meta_line(sb, "system_info", sys.buf);
	strbuf_release(&sys);
	strbuf_addch(sb, '\n');

	enum { NAME, N, MEDIAN, MIN, MAX, RECORDED, COMMIT, NC };
	static const char *const hdr[NC] = { "BENCHMARK", "N", "MEDIAN", "MIN", "MAX",
					     "RECORDED", "COMMIT" };
	size_t rows = b->r.nbenchmarks + 1, w[NC] = { 0 };
	struct strbuf *cell = xcalloc(rows * NC, sizeof(*cell));
	for (size_t i = 0; i < rows; i++) {
		struct strbuf *row = &cell[i * NC];
		for (int k = 0; k < NC; k++)
			strbuf_init(&row[k], 0);
		if (i == 0) {
			for (int k = 0; k < NC; k++)
				strbuf_addstr(&row[k], hdr[k]);
		} else {
			const struct bk_benchmark *x = &b->r.benchmarks[i - 1];
			const struct bk_baseline_origin *o = &b->origins[i - 1];
			escape_terminal(&row[NAME], x->suite);
			strbuf_addstr(&row[NAME], " / ");
			escape_terminal(&row[NAME], x->name);
			strbuf_addf(&row[N], "%zu", x->stats.n);
			report_value(&row[MEDIAN], x->stats.n ? x->stats.median : 0.0 / 0.0, x->unit,
				     REPORT_TERMINAL);
			report_value(&row[MIN], x->stats.n ? x->stats.min : 0.0 / 0.0, x->unit,
				     REPORT_TERMINAL);
			report_value(&row[MAX], x->stats.n ? x->stats.max : 0.0 / 0.0, x->unit,
				     REPORT_TERMINAL);
			escape_terminal(&row[RECORDED], o->recorded_at ? o->recorded_at : "-");
			if (o->commit)
				report_commit(&row[COMMIT], o->commit, REPORT_TERMINAL);
			else
				strbuf_addch(&row[COMMIT], '-');
		}
		for (int k = 0; k < NC; k++)
			if (utf8_width(row[k].buf) > w[k])
				w[k] = utf8_width(row[k].buf);
	}
	for (size_t i = 0; i < rows; i++) {
		struct strbuf *row = &cell[i * NC];
		for (int k = 0; k < NC; k++) {
			size_t pad = w[k] - utf8_width(row[k].buf);
			int right = k >= N && k <= MAX;
			if (k)
				strbuf_addstr(sb, "  ");
			for (size_t p = 0; right && p < pad; p++)
				strbuf_addch(sb, ' ');
			strbuf_addstr(sb, row[k].buf);
			for (size_t p = 0; !right && k < NC - 1 && p < pad; p++)
				strbuf_addch(sb, ' ');
		}
		strbuf_rtrim(sb);
		strbuf_addch(sb, '\n');
	}
	for (size_t i = 0; i < rows * NC; i++)
		strbuf_release(&cell[i]);
	free(cell);
}

/* benchkeep baseline show [FILE]: prints the baseline as text or JSON. */
static int baseline_show(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "baseline", required_argument, NULL, 'b' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = BASELINE_DEFAULT_PATH, *format = "text";
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'b': path = optarg; break;
		case 'f': format = optarg; break;
		case 'h': fputs(baseline_usage, stdout); return 0;
		default: fputs(baseline_usage, stderr); return 2;
		}
	}
	if (optind < argc) {
		path = argv[optind++];
		if (optind < argc)
			return bk_fail_msg("unexpected argument '%s'", argv[optind]);
	}
	if (strcmp(format, "text") && strcmp(format, "json"))
		return bk_fail_msg("--format: expected text or json, got '%s'", format);
	struct bk_baseline b;
	if (baseline_read_file(&b, path) < 0)
		return bk_fail();
	struct strbuf sb = STRBUF_INIT;
	if (!strcmp(format, "json")) {
		cJSON *j = baseline_to_json(&b);
		char *s = json_print(j);
		cJSON_Delete(j);
		strbuf_addstr(&sb, s);
		free(s);
	} else {
		show_text(&sb, &b, path);
	}
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
	baseline_release(&b);
	return 0;
}

int cmd_baseline(int argc, char **argv)
{
	if (argc < 2) {
		fputs(baseline_usage, stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(baseline_usage, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "update"))
		return baseline_update(argc - 1, argv + 1);
	if (!strcmp(argv[1], "show"))
		return baseline_show(argc - 1, argv + 1);
	return bk_fail_msg("unknown baseline command '%s' (update or show)", argv[1]);
}
