/* benchkeep run: run the configured suites and record one result file. */
#include <getopt.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collector/run/ab.h"
#include "collector/run/console.h"
#include "collector/cli.h"
#include "lib/doc/config.h"
#include "lib/base/error.h"
#include "lib/git/gitio.h"
#include "lib/doc/machine.h"
#include "collector/nats/natsio.h"
#include "collector/nats/publish.h"
#include "collector/run/measure.h"
#include "collector/run/rounds.h"
#include "collector/run/run.h"
#include "collector/run/runner.h"
#include "collector/store.h"
#include "lib/base/xalloc.h"

static const char run_usage[] =
	"usage: benchkeep run [options]\n"
	"  -c, --config FILE     suite configuration (default benchkeep.json)\n"
	"  -s, --suite NAME      run only this suite (repeatable)\n"
	"      --filter REGEX    run only benchmarks whose \"suite/name\" matches\n"
	"      --runs N          measured runs per benchmark (overrides the config)\n"
	"      --warmup N        unmeasured runs first (overrides the config)\n"
	"      --rounds N        take each benchmark's runs in N rounds interleaved\n"
	"                        across the run, order shuffled per round (default:\n"
	"                        the config's \"rounds\", else 5; 1: one benchmark\n"
	"                        after the other)\n"
	"      --seed S          seed of the per-round shuffle (0 <= S < 2^53;\n"
	"                        default: random, recorded in run.rounds.seed)\n"
	"      --out DIR         results directory (default results/)\n"
	"      --commit          commit the new file to the current branch\n"
	"      --branch NAME     commit it to branch NAME instead (not checked out)\n"
	"      --label KEY=VAL   attach a label to the run (repeatable)\n"
	"      --keep-going      failed runs do not stop a benchmark or fail the command\n"
	"      --publish URL     also publish the result to NATS JetStream at URL\n"
	"                        (stream BENCHKEEP, as 'benchkeep publish' does)\n"
	"      --metric M        wall_time, or instructions[:perf|:callgrind] for every\n"
	"                        benchmark (overrides the config)\n"
	"      --ab BASE HEAD    run each benchmark interleaved against two build\n"
	"                        directories, write two result files (base, head)\n"
	"The path of the new result file is the last line printed.\n";

static void on_signal(int sig)
{
	runner_kill_current();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* What the command line asks for. */
struct run_args {
	struct run_opts o;
	const char *config, *out_dir, *branch, *filter, *publish_url;
	const char *ab_base, *ab_head;
	const char **suites; /* NULL-terminated */
	size_t nsuites, suites_alloc;
	int commit;
	struct bk_kvlist labels;
	regex_t re;
	int have_re;
};

/* Frees what parsing a took. */
static void run_args_release(struct run_args *a)
{
	free(a->suites);
	if (a->have_re)
		regfree(&a->re);
	kvlist_release(&a->labels);
}

/* --runs N (1..10^7) or --warmup N (0..10^7) into o. 0, or -1 with
 * bk_error set. */
static int parse_count(int c, const char *arg, struct run_opts *o)
{
	char *end;
	long v = strtol(arg, &end, 10);
	if (*end || end == arg || v < (c == 'r' ? 1 : 0) || v > 10000000)
		return bk_error("--%s: invalid number '%s'", c == 'r' ? "runs" : "warmup", arg);
	*(c == 'r' ? &o->runs : &o->warmup) = (int)v;
	return 0;
}

/* --rounds N (1..RESULT_MAX_ROUNDS) into o. 0, or -1 with bk_error set. */
static int parse_rounds(const char *arg, struct run_opts *o)
{
	char *end;
	long v = strtol(arg, &end, 10);
	if (*end || end == arg || v < 1 || v > RESULT_MAX_ROUNDS)
		return bk_error("--rounds: expected a whole number from 1 to %d, got '%s'",
				RESULT_MAX_ROUNDS, arg);
	o->rounds = (int)v;
	return 0;
}

/* Handles the option c that takes a value (arg) and may fail into a. 0, or
 * -1 with bk_error set. */
static int take_value(struct run_args *a, int c, const char *arg, int argc, char **argv)
{
	switch (c) {
	case 'r':
	case 'w':
		return parse_count(c, arg, &a->o);
	case 'R':
		return parse_rounds(arg, &a->o);
	case 'S':
		a->o.have_seed = 1;
		return rounds_parse_seed(arg, &a->o.round_seed);
	case 'l':
		if (kvlist_set_pair(&a->labels, arg) < 0)
			return bk_error("--label: expected KEY=VALUE, got '%s'", arg);
		return 0;
	case 'M':
		return measure_parse_metric(arg, &a->o.metric, &a->o.backend);
	case 'A':
		a->ab_base = arg;
		if (optind >= argc)
			return bk_error("--ab: expected BASE_DIR HEAD_DIR");
		a->ab_head = argv[optind++];
		return 0;
	}
	return 0;
}

/* Handles option c into a. Returns -1 to go on, else the exit code. */
static int take_option(struct run_args *a, int c, int argc, char **argv)
{
	switch (c) {
	case 'c': a->config = optarg; break;
	case 's':
		ALLOC_GROW(a->suites, a->nsuites + 2, a->suites_alloc);
		a->suites[a->nsuites++] = optarg;
		a->suites[a->nsuites] = NULL;
		break;
	case 'f': a->filter = optarg; break;
	case 'o': a->out_dir = optarg; break;
	case 'C': a->commit = 1; break;
	case 'b': a->branch = optarg; break;
	case 'k': a->o.keep_going = 1; break;
	case 'P': a->publish_url = optarg; break;
	case 'r': case 'w': case 'R': case 'S': case 'l': case 'M': case 'A':
		if (take_value(a, c, optarg, argc, argv) < 0)
			return bk_fail();
		break;
	case 'h': fputs(run_usage, stdout); return 0;
	default: fputs(run_usage, stderr); return 2;
	}
	return -1;
}

/* Parses the options into a (the filter compiled, a->o pointing at the
 * suites and the filter). Returns -1 to go on, else the exit code. */
static int parse_args(struct run_args *a, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "suite", required_argument, NULL, 's' },
		{ "filter", required_argument, NULL, 'f' },
		{ "runs", required_argument, NULL, 'r' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "rounds", required_argument, NULL, 'R' },
		{ "seed", required_argument, NULL, 'S' },
		{ "out", required_argument, NULL, 'o' },
		{ "commit", no_argument, NULL, 'C' },
		{ "branch", required_argument, NULL, 'b' },
		{ "label", required_argument, NULL, 'l' },
		{ "keep-going", no_argument, NULL, 'k' },
		{ "publish", required_argument, NULL, 'P' },
		{ "metric", required_argument, NULL, 'M' },
		{ "ab", required_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;
	while ((c = getopt_long(argc, argv, "c:s:h", longopts, NULL)) != -1)
		if ((rc = take_option(a, c, argc, argv)) >= 0)
			return rc;
	if (optind < argc) {
		fputs(run_usage, stderr);
		return bk_fail_msg("unexpected argument '%s'", argv[optind]);
	}
	if (a->filter) {
		if (regcomp(&a->re, a->filter, REG_EXTENDED | REG_NOSUB))
			return bk_fail_msg("--filter: invalid regular expression '%s'", a->filter);
		a->have_re = 1;
		a->o.filter = &a->re;
	}
	a->o.suites = a->suites;
	return -1;
}

/* Runs cfg into r, with the run's times, commit (from g), CI, machine,
 * labels and id. Returns the number of benchmarks with a failed run, or -1
 * with bk_error set. */
static int collect_result(const struct bk_config *cfg, const struct run_args *a, struct gitio *g,
			  struct bk_result *r)
{
	time_t started = time(NULL);
	char ts[32];
	store_format_time(ts, sizeof(ts), started);
	r->run.started_at = xstrdup(ts);
	store_fill_commit(r, g);
	ci_collect(&r->run.ci);
	machine_collect(&r->run.machine);
	kvlist_copy(&r->run.labels, &a->labels);
	int failed = run_config(cfg, &a->o, r);
	if (failed < 0)
		return -1;
	store_format_time(ts, sizeof(ts), time(NULL));
	r->run.finished_at = xstrdup(ts);
	store_make_id(r, started);
	return failed;
}

/* Fails the command with the last error, saying the result file was kept. */
static int fail_kept(const char *path)
{
	char err[1024];
	snprintf(err, sizeof(err), "%s", bk_last_error());
	return bk_fail_msg("%s (the result file '%s' was kept)", err, path);
}

/* Commits the written file f of r (--commit, --branch) and says so. Returns
 * 0, or the exit code. */
static int commit_result(struct gitio *g, const char *branch, const struct bk_result *r,
			 const struct store_file *f)
{
	char *in_repo, *sha;
	if (store_commit(g, branch, r, f, &in_repo, &sha) < 0)
		return fail_kept(f->path);
	fprintf(stderr, "benchkeep: committed %s to %s as %.12s\n", in_repo,
		branch ? branch : "the current branch", sha);
	free(in_repo);
	free(sha);
	return 0;
}

/* Publishes the written file f to NATS JetStream at url (--publish) and
 * says so. Returns 0, or the exit code. */
static int publish_result(const char *url, const struct store_file *f)
{
	struct publish_opts po = { url, NATSIO_DEFAULT_STREAM, NATSIO_DEFAULT_SUBJECT };
	struct publisher *pub = NULL;
	struct publish_ack ack = { 0 };
	int ok = publisher_open(&pub, &po) == 0 &&
		 publisher_send(pub, f->path, f->data, f->len, &ack) == 0;
	publisher_close(pub);
	if (!ok)
		return fail_kept(f->path);
	fprintf(stderr, "benchkeep: published %s to %s (stream %s, seq %llu%s)\n", ack.run_id, url,
		NATSIO_DEFAULT_STREAM, ack.seq, ack.duplicate ? ", duplicate" : "");
	free(ack.run_id);
	return 0;
}

/* Measures cfg, writes the result file under --out, commits and publishes
 * it as asked and prints its path. Returns the exit code. */
static int run_and_record(const struct bk_config *cfg, const struct run_args *a, struct gitio *g)
{
	struct bk_result r;
	struct store_file f = { 0 };
	int rc;
	result_init(&r);
	int failed = collect_result(cfg, a, g, &r);
	if (failed < 0 || store_save(&r, a->out_dir, NULL, &f) < 0) {
		rc = bk_fail();
		goto out;
	}
	if ((a->commit || a->branch) && (rc = commit_result(g, a->branch, &r, &f)) != 0)
		goto out;
	if (a->publish_url && (rc = publish_result(a->publish_url, &f)) != 0)
		goto out;
	printf("%s\n", f.path);
	rc = failed && !a->o.keep_going ? 1 : 0;
out:
	store_file_release(&f);
	result_release(&r);
	return rc;
}

int cmd_run(int argc, char **argv)
{
	struct run_args a = { .o = { .runs = -1, .warmup = -1, .rounds = -1, .say = run_console_say,
				     .suite_types = run_builtin_suite_types },
			      .config = "benchkeep.json", .out_dir = "results" };
	struct bk_config cfg = { 0 };
	struct gitio *g = NULL;
	int rc = parse_args(&a, argc, argv);
	if (rc >= 0)
		goto out;
	if (config_read(&cfg, a.config) < 0) {
		rc = bk_fail();
		goto out;
	}
	if (gitio_open(&g, ".") < 0) {
		g = NULL;
		if (a.commit || a.branch) {
			rc = bk_fail();
			goto out;
		}
	}
	if (isatty(STDOUT_FILENO))
		a.o.progress = stdout;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	if (a.ab_base && (a.commit || a.branch))
		rc = bk_fail_msg("--ab writes two files: commit them yourself");
	else if (a.ab_base)
		rc = cmd_run_ab(&cfg, &a.o, a.ab_base, a.ab_head, a.out_dir, &a.labels);
	else
		rc = run_and_record(&cfg, &a, g);
out:
	run_args_release(&a);
	config_release(&cfg);
	gitio_close(g);
	return rc;
}
