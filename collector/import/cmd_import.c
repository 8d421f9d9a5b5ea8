/* benchkeep import: turn the output of another benchmark harness into one
 * result file, with run, commit, machine and CI facts filled as `run` does
 * and from the input where it carries them. */
#include <errno.h>
#include <fts.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "collector/cli.h"
#include "lib/base/error.h"
#include "lib/git/gitio.h"
#include "collector/import/importcore.h"
#include "collector/import/importer.h"
#include "lib/doc/json.h"
#include "lib/doc/machine.h"
#include "collector/store.h"
#include "lib/base/xalloc.h"

static const char import_usage[] =
	"usage: benchkeep import [options] FILE...\n"
	"  -f, --format NAME     input format (default: detected from the content)\n"
	"      --list-formats    list the formats and exit\n"
	"  -s, --suite NAME      suite of the benchmarks (default: the format name)\n"
	"  -o, --output FILE     write the result to FILE (replaced atomically)\n"
	"      --out DIR         results directory for a new file (default results/)\n"
	"      --measured-sha SHA    commit measured (default: HEAD, or what the input says)\n"
	"      --measured-branch NAME  branch measured (default: the current branch or the input's)\n"
	"      --label KEY=VAL   attach a label to the run (repeatable)\n"
	"      --keep-going      benchmarks with failed runs do not fail the command\n"
	"FILE '-' reads standard input; a directory (target/criterion) imports every\n"
	"<id>/new/estimates.json under it. The path of the result file is the last line printed.\n"
	"Exit: 0 ok, 1 a benchmark had failed runs, 2 bad usage or bad input (nothing written).\n";

static void list_formats(void)
{
	printf("%-20s %s\n", "FORMAT", "DESCRIPTION");
	for (size_t i = 0; i < importer_count(); i++) {
		const struct importer *imp = importer_at(i);
		printf("%-20s %s\n", imp->name, imp->description);
	}
}

/* How much r holds: benchmarks, samples and failed operations (a file that
 * adds nothing to it held no benchmark). */
static double content(const struct bk_result *r)
{
	double n = (double)r->nbenchmarks;
	for (size_t i = 0; i < r->nbenchmarks; i++) {
		double f = 0;
		metrics_get(&r->benchmarks[i].metrics, "failed_ops", &f);
		n += (double)r->benchmarks[i].nsamples + f;
	}
	return n;
}

/* Reads one input file ("-": stdin) and imports it into r. 0 or -1 with
 * bk_error set. */
static int import_one(const char *path, const char *format, const char *suite,
		      struct bk_result *r)
{
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	struct strbuf sb = STRBUF_INIT;
	int rc = -1;
	if ((strcmp(path, "-") ? strbuf_read_file(&sb, path) : strbuf_read_fd(&sb, 0)) < 0) {
		bk_error("cannot read '%s': %s", name, strerror(errno));
		goto out;
	}
	if (sb.len > JSON_MAX_BYTES) {
		bk_error("%s: file too large (%zu bytes, limit %zu)", name, sb.len, JSON_MAX_BYTES);
		goto out;
	}
	const struct importer *imp;
	if (format) {
		imp = importer_find(format);
		if (!imp) {
			bk_error("unknown format '%s' (see benchkeep import --list-formats)", format);
			goto out;
		}
	} else {
		imp = importer_detect(sb.buf, sb.len);
		if (!imp) {
			int c = importcore_first_char(sb.buf, sb.len);
			cJSON *j = NULL;
			/* JSON that does not parse: its position (e.g. truncated) says more */
			if ((c == '{' || c == '[') && (j = json_parse_buf(name, sb.buf, sb.len)) == NULL)
				goto out;
			cJSON_Delete(j);
			bk_error("%s: %s", name,
				 sb.len ? "cannot detect the format (use -f, see --list-formats)"
					: "empty input");
			goto out;
		}
	}
	double before = content(r);
	if (import_buffer(imp->name, name, sb.buf, sb.len, suite ? suite : imp->name, r) < 0)
		goto out;
	if (content(r) == before) {
		bk_error("%s: no benchmark found (read as %s)", name, imp->name);
		goto out;
	}
	rc = 0;
out:
	strbuf_release(&sb);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Imports every <id>/new/estimates.json under dir (a Criterion target/criterion
 * directory), in path order. 0 or -1 with bk_error set. */
static int import_dir(const char *dir, const char *format, const char *suite, struct bk_result *r)
{
	static const char tail[] = "/new/estimates.json";
	char *const roots[] = { (char *)dir, NULL };
	char **paths = NULL;
	size_t nr = 0, alloc = 0;
	int rc = 0;
	FTS *fts = fts_open(roots, FTS_PHYSICAL | FTS_NOCHDIR, NULL);
	if (!fts)
		return bk_error("cannot read the directory '%s': %s", dir, strerror(errno));
	FTSENT *e;
	while ((e = fts_read(fts))) {
		if (e->fts_info == FTS_DNR || e->fts_info == FTS_ERR) {
			rc = bk_error("cannot read '%s': %s", e->fts_path, strerror(e->fts_errno));
			break;
		}
		size_t n = e->fts_pathlen;
		if (e->fts_info == FTS_F && n >= sizeof(tail) - 1 &&
		    !strcmp(e->fts_path + n - (sizeof(tail) - 1), tail)) {
			ALLOC_GROW(paths, nr + 1, alloc);
			paths[nr++] = xstrdup(e->fts_path);
		}
	}
	fts_close(fts);
	if (rc == 0 && !nr)
		rc = bk_error("%s: a directory, and no Criterion <id>/new/estimates.json under it", dir);
	if (rc == 0)
		qsort(paths, nr, sizeof(*paths), cmp_str);
	for (size_t i = 0; i < nr && rc == 0; i++)
		rc = import_one(paths[i], format ? format : "criterion", suite, r);
	for (size_t i = 0; i < nr; i++)
		free(paths[i]);
	free(paths);
	return rc;
}

/* Prints notes on stderr about benchmarks with failed runs and summary-only
 * benchmarks; returns the number with failed runs. */
static size_t report(const struct bk_result *r)
{
	size_t failed = 0, summary = 0;
	for (size_t i = 0; i < r->nbenchmarks; i++) {
		const struct bk_benchmark *b = &r->benchmarks[i];
		double v;
		if (metrics_get(&b->metrics, "failed_ops", &v) && v > 0) {
			failed++;
			fprintf(stderr, "benchkeep: warning: %s/%s: %.0f failed run(s)\n", b->suite,
				b->name, v);
		}
		if (metrics_get(&b->metrics, "summary_only", &v) && v > 0)
			summary++;
	}
	if (summary)
		fprintf(stderr,
			"benchkeep: note: %zu benchmark(s) carry summary statistics only (no raw "
			"samples): one value each, marked summary_only\n",
			summary);
	return failed;
}

int cmd_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "list-formats", no_argument, NULL, 'L' },
		{ "suite", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "out", required_argument, NULL, 'O' },
		{ "measured-sha", required_argument, NULL, 'C' },
		{ "measured-branch", required_argument, NULL, 'b' },
		{ "label", required_argument, NULL, 'l' },
		{ "keep-going", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = NULL, *suite = NULL, *output = NULL, *out_dir = NULL;
	const char *commit = NULL, *branch = NULL;
	int keep_going = 0, rc = 2, c, nstdin = 0;
	struct bk_kvlist labels = { 0 };
	struct bk_result r;
	char *path = NULL;
	result_init(&r);

	while ((c = getopt_long(argc, argv, "f:s:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'L': list_formats(); rc = 0; goto out;
		case 's': suite = optarg; break;
		case 'o': output = optarg; break;
		case 'O': out_dir = optarg; break;
		case 'C': commit = optarg; break;
		case 'b': branch = optarg; break;
		case 'l':
			if (kvlist_set_pair(&labels, optarg) < 0) {
				rc = bk_fail_msg("--label: expected KEY=VALUE, got '%s'", optarg);
				goto out;
			}
			break;
		case 'k': keep_going = 1; break;
		case 'h': fputs(import_usage, stdout); rc = 0; goto out;
		default: fputs(import_usage, stderr); goto out;
		}
	}
	if (optind >= argc) {
		fputs(import_usage, stderr);
		rc = bk_fail_msg("no input file (use - for standard input)");
		goto out;
	}
	if (output && out_dir) {
		rc = bk_fail_msg("-o and --out cannot be used together");
		goto out;
	}
	if (format && !importer_find(format)) {
		rc = bk_fail_msg("unknown format '%s' (see benchkeep import --list-formats)", format);
		goto out;
	}
	if (suite && (!*suite || strlen(suite) > RESULT_MAX_NAME)) {
		rc = bk_fail_msg("--suite: expected a name of 1 to %d bytes", RESULT_MAX_NAME);
		goto out;
	}
	for (int i = optind; i < argc; i++)
		nstdin += !strcmp(argv[i], "-");
	if (nstdin > 1) {
		rc = bk_fail_msg("standard input ('-') given more than once");
		goto out;
	}

	time_t now = time(NULL);
	char ts[32];
	store_format_time(ts, sizeof(ts), now);
	r.run.started_at = xstrdup(ts);
	store_fill_commit(&r, NULL);
	ci_collect(&r.run.ci);
	machine_collect(&r.run.machine);
	kvlist_copy(&r.run.labels, &labels);

	for (int i = optind; i < argc; i++) {
		struct stat st;
		int is_dir = strcmp(argv[i], "-") && stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode);
		if ((is_dir ? import_dir(argv[i], format, suite, &r)
			    : import_one(argv[i], format, suite, &r)) < 0) {
			rc = bk_fail();
			goto out;
		}
	}
	if (commit)
		set_str(&r.run.commit_sha, commit);
	if (branch)
		set_str(&r.run.commit_branch, branch);

	/* the run started when the input says so; else it is now */
	time_t started = now;
	if (strcmp(r.run.started_at, ts)) {
		if (importcore_parse_time(r.run.started_at, 1, &started) < 0)
			started = now;
	} else {
		set_str(&r.run.finished_at, ts);
	}
	store_make_id(&r, started);

	if (output) {
		cJSON *j = result_to_json(&r);
		int w = json_write_file(output, j);
		cJSON_Delete(j);
		if (w < 0) {
			rc = bk_fail();
			goto out;
		}
		path = xstrdup(output);
	} else {
		path = store_write(&r, out_dir ? out_dir : "results");
		if (!path) {
			rc = bk_fail();
			goto out;
		}
	}
	size_t failed = report(&r);
	printf("%s\n", path);
	rc = failed && !keep_going ? 1 : 0;
out:
	free(path);
	kvlist_release(&labels);
	result_release(&r);
	return rc;
}
