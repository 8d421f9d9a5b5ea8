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

/* Fills run.commit from the repository at cwd (or GITHUB_SHA). */
int cmd_run(int argc, char **argv)
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
	const char *config = "benchkeep.json", *out_dir = "results", *branch = NULL, *filter = NULL;
	const char *publish_url = NULL;
	const char **suites = NULL;
	size_t nsuites = 0, suites_alloc = 0;
	int commit = 0, rc = 2, c;
	struct run_opts o = { .runs = -1, .warmup = -1, .rounds = -1 };
	const char *ab_base = NULL, *ab_head = NULL;
	struct bk_config cfg = { 0 };
	struct bk_result r;
	struct bk_kvlist labels = { 0 };
	regex_t re;
	int have_re = 0;
	struct gitio *g = NULL;
	char *path = NULL;
	result_init(&r);

	while ((c = getopt_long(argc, argv, "c:s:h", longopts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'c': config = optarg; break;
		case 's':
			ALLOC_GROW(suites, nsuites + 2, suites_alloc);
			suites[nsuites++] = optarg;
			suites[nsuites] = NULL;
			break;
		case 'f': filter = optarg; break;
		case 'r':
		case 'w': {
			long v = strtol(optarg, &end, 10);
			if (*end || end == optarg || v < (c == 'r' ? 1 : 0) || v > 10000000) {
				rc = bk_fail_msg("--%s: invalid number '%s'", c == 'r' ? "runs" : "warmup", optarg);
				goto out;
			}
			if (c == 'r')
				o.runs = (int)v;
			else
				o.warmup = (int)v;
			break;
		}
		case 'R': {
			long v = strtol(optarg, &end, 10);
			if (*end || end == optarg || v < 1 || v > RESULT_MAX_ROUNDS) {
				rc = bk_fail_msg("--rounds: expected a whole number "
					"from 1 to %d, got '%s'", RESULT_MAX_ROUNDS, optarg);
				goto out;
			}
			o.rounds = (int)v;
			break;
		}
		case 'S':
			if (rounds_parse_seed(optarg, &o.round_seed) < 0) {
				rc = bk_fail();
				goto out;
			}
			o.have_seed = 1;
			break;
		case 'o': out_dir = optarg; break;
		case 'C': commit = 1; break;
		case 'b': branch = optarg; break;
		case 'l':
			if (kvlist_set_pair(&labels, optarg) < 0) {
				rc = bk_fail_msg("--label: expected KEY=VALUE, got '%s'", optarg);
				goto out;
			}
			break;
		case 'k': o.keep_going = 1; break;
		case 'P': publish_url = optarg; break;
		case 'M':
			if (measure_parse_metric(optarg, &o.metric, &o.backend) < 0) {
				rc = bk_fail();
				goto out;
			}
			break;
		case 'A':
			ab_base = optarg;
			if (optind >= argc) {
				rc = bk_fail_msg("--ab: expected BASE_DIR HEAD_DIR");
				goto out;
			}
			ab_head = argv[optind++];
			break;
		case 'h': fputs(run_usage, stdout); rc = 0; goto out;
		default: fputs(run_usage, stderr); goto out;
		}
	}
	if (optind < argc) {
		fputs(run_usage, stderr);
		rc = bk_fail_msg("unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (filter) {
		if (regcomp(&re, filter, REG_EXTENDED | REG_NOSUB)) {
			rc = bk_fail_msg("--filter: invalid regular expression '%s'", filter);
			goto out;
		}
		have_re = 1;
		o.filter = &re;
	}
	o.suites = suites;
	if (config_read(&cfg, config) < 0) {
		rc = bk_fail();
		goto out;
	}
	if (gitio_open(&g, ".") < 0) {
		g = NULL;
		if (commit || branch) {
			rc = bk_fail();
			goto out;
		}
	}
	if (isatty(STDOUT_FILENO))
		o.progress = stdout;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	if (ab_base) {
		if (commit || branch) {
			rc = bk_fail_msg("--ab writes two files: commit them yourself");
			goto out;
		}
		rc = cmd_run_ab(&cfg, &o, ab_base, ab_head, out_dir, &labels);
		goto out;
	}

	time_t started = time(NULL);
	char ts[32];
	store_format_time(ts, sizeof(ts), started);
	r.run.started_at = xstrdup(ts);
	store_fill_commit(&r, g);
	ci_collect(&r.run.ci);
	machine_collect(&r.run.machine);
	kvlist_copy(&r.run.labels, &labels);

	int failed = run_config(&cfg, &o, &r);
	if (failed < 0) {
		rc = bk_fail();
		goto out;
	}
	store_format_time(ts, sizeof(ts), time(NULL));
	r.run.finished_at = xstrdup(ts);
	store_make_id(&r, started);
	path = store_write(&r, out_dir);
	if (!path) {
		rc = bk_fail();
		goto out;
	}
	if (commit || branch) {
		struct strbuf content = STRBUF_INIT, msg = STRBUF_INIT;
		char *in_repo = NULL, *sha = NULL;
		if (strbuf_read_file(&content, path) < 0) {
			bk_error("cannot read back '%s'", path);
		} else if (branch) {
			char *rel = store_relpath(&r);
			struct strbuf p = STRBUF_INIT;
			strbuf_addf(&p, "results/%s", rel);
			free(rel);
			in_repo = strbuf_detach(&p, NULL);
		} else {
			in_repo = gitio_relpath(g, path);
		}
		int ok = 0;
		if (in_repo) {
			strbuf_addf(&msg, "benchkeep: record %s\n\n%zu benchmark(s) measured at %s\n",
				    r.run.id, r.nbenchmarks,
				    r.run.commit_sha ? r.run.commit_sha : "an unknown commit");
			struct gitio_file f = { in_repo, content.buf, content.len };
			ok = gitio_commit_files(g, branch, &f, 1, msg.buf, &sha) == 0;
		}
		if (ok)
			fprintf(stderr, "benchkeep: committed %s to %s as %.12s\n", in_repo,
				branch ? branch : "the current branch", sha);
		free(in_repo);
		free(sha);
		strbuf_release(&content);
		strbuf_release(&msg);
		if (!ok) {
			fprintf(stderr, "benchkeep: error: %s (the result file '%s' was kept)\n",
				bk_last_error(), path);
			rc = 2;
			goto out;
		}
	}
	if (publish_url) {
		struct publish_opts po = { publish_url, NATSIO_DEFAULT_STREAM, NATSIO_DEFAULT_SUBJECT };
		struct publisher *pub = NULL;
		struct publish_ack ack = { 0 };
		int ok = publisher_open(&pub, &po) == 0 && publisher_send_file(pub, path, &ack) == 0;
		publisher_close(pub);
		if (!ok) {
			fprintf(stderr, "benchkeep: error: %s (the result file '%s' was kept)\n",
				bk_last_error(), path);
			rc = 2;
			goto out;
		}
		fprintf(stderr, "benchkeep: published %s to %s (stream %s, seq %llu%s)\n", ack.run_id,
			publish_url, NATSIO_DEFAULT_STREAM, ack.seq, ack.duplicate ? ", duplicate" : "");
		free(ack.run_id);
	}
	printf("%s\n", path);
	rc = failed && !o.keep_going ? 1 : 0;
out:
	free(path);
	free(suites);
	if (have_re)
		regfree(&re);
	kvlist_release(&labels);
	config_release(&cfg);
	result_release(&r);
	gitio_close(g);
	return rc;
}
