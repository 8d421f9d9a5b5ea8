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
		bk_note("%zu benchmark(s) carry summary statistics only (no raw samples): one value "
			"each, marked summary_only",
			summary);
	return failed;
}

/* What the command line asks for. */
struct import_args {
	const char *format, *suite, *output, *out_dir;
	const char *commit, *branch; /* --measured-sha, --measured-branch */
	int keep_going;
	struct bk_kvlist labels;
	char **files; /* the inputs, nfiles of them */
	int nfiles;
};

/* Checks the options against each other and the inputs. 0, or -1 with
 * bk_error set. */
static int check_args(const struct import_args *a)
{
	int nstdin = 0;
	if (a->output && a->out_dir)
		return bk_error("-o and --out cannot be used together");
	if (a->format && !importer_find(a->format))
		return bk_error("unknown format '%s' (see benchkeep import --list-formats)", a->format);
	if (a->suite && (!*a->suite || strlen(a->suite) > RESULT_MAX_NAME))
		return bk_error("--suite: expected a name of 1 to %d bytes", RESULT_MAX_NAME);
	for (int i = 0; i < a->nfiles; i++)
		nstdin += !strcmp(a->files[i], "-");
	if (nstdin > 1)
		return bk_error("standard input ('-') given more than once");
	return 0;
}

/* Parses the options into a. Returns -1 to go on, else the exit code. */
static int parse_args(struct import_args *a, int argc, char **argv)
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
	int c;
	while ((c = getopt_long(argc, argv, "f:s:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': a->format = optarg; break;
		case 'L': list_formats(); return 0;
		case 's': a->suite = optarg; break;
		case 'o': a->output = optarg; break;
		case 'O': a->out_dir = optarg; break;
		case 'C': a->commit = optarg; break;
		case 'b': a->branch = optarg; break;
		case 'l':
			if (kvlist_set_pair(&a->labels, optarg) < 0)
				return bk_fail_msg("--label: expected KEY=VALUE, got '%s'", optarg);
			break;
		case 'k': a->keep_going = 1; break;
		case 'h': fputs(import_usage, stdout); return 0;
		default: fputs(import_usage, stderr); return 2;
		}
	}
	if (optind >= argc) {
		fputs(import_usage, stderr);
		return bk_fail_msg("no input file (use - for standard input)");
	}
	a->files = argv + optind;
	a->nfiles = argc - optind;
	return check_args(a) < 0 ? bk_fail() : -1;
}

/* Imports every input (a file, '-' or a Criterion directory) into r. 0, or
 * -1 with bk_error set. */
static int import_inputs(const struct import_args *a, struct bk_result *r)
{
	for (int i = 0; i < a->nfiles; i++) {
		const char *in = a->files[i];
		struct stat st;
		int is_dir = strcmp(in, "-") && stat(in, &st) == 0 && S_ISDIR(st.st_mode);
		if ((is_dir ? import_dir(in, a->format, a->suite, r)
			    : import_one(in, a->format, a->suite, r)) < 0)
			return -1;
	}
	return 0;
}

/* Imports the inputs into r, with the run facts filled as `run` does (now
 * is the time of the import, ts it formatted) and then those the input and
 * --measured-* give, and the run's id. 0, or -1 with bk_error set. */
static int build_result(const struct import_args *a, struct bk_result *r)
{
	time_t now = time(NULL);
	char ts[32];
	store_format_time(ts, sizeof(ts), now);
	r->run.started_at = xstrdup(ts);
	store_fill_commit(r, NULL);
	ci_collect(&r->run.ci);
	machine_collect(&r->run.machine);
	kvlist_copy(&r->run.labels, &a->labels);
	if (import_inputs(a, r) < 0)
		return -1;
	if (a->commit)
		set_str(&r->run.commit_sha, a->commit);
	if (a->branch)
		set_str(&r->run.commit_branch, a->branch);
	/* the run started when the input says so; else it is now */
	time_t started = now;
	if (strcmp(r->run.started_at, ts)) {
		if (importcore_parse_time(r->run.started_at, 1, &started) < 0)
			started = now;
	} else {
		set_str(&r->run.finished_at, ts);
	}
	store_make_id(r, started);
	return 0;
}

int cmd_import(int argc, char **argv)
{
	struct import_args a = { 0 };
	struct bk_result r;
	struct store_file f = { 0 };
	result_init(&r);
	int rc = parse_args(&a, argc, argv);
	if (rc >= 0)
		goto out;
	if (build_result(&a, &r) < 0 ||
	    store_save(&r, a.out_dir ? a.out_dir : "results", a.output, &f) < 0) {
		rc = bk_fail();
		goto out;
	}
	size_t failed = report(&r);
	printf("%s\n", f.path);
	rc = failed && !a.keep_going ? 1 : 0;
out:
	store_file_release(&f);
	kvlist_release(&a.labels);
	result_release(&r);
	return rc;
}
