/* benchkeep record: commit results arriving on NATS JetStream to git. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/cli.h"
#include "lib/base/error.h"
#include "collector/nats/natsio.h"
#include "collector/nats/record.h"

static const char record_usage[] =
	"usage: benchkeep record [--nats URL] --repo DIR [options]\n"
	"  --nats URL          NATS server (default $NATS_URL, else " NATSIO_DEFAULT_URL ")\n"
	"  --repo DIR          git repository to commit to (work tree and index untouched)\n"
	"  --branch NAME       branch the results go to (default benchmark-data)\n"
	"  --results-dir DIR   directory in the branch (default results)\n"
	"  --batch N           at most N results per commit, 1-1000 (default 100)\n"
	"  --idle-exit SECS    exit 0 after SECS without a message (default: run until SIGTERM)\n"
	"  --stream NAME       JetStream stream (default " NATSIO_DEFAULT_STREAM ")\n"
	"  --subject PREFIX    subjects PREFIX.> are read (default " NATSIO_DEFAULT_SUBJECT ")\n"
	"  --durable NAME      durable consumer name (default benchkeep-recorder)\n"
	"  --ack-wait SECS     redelivery delay of unacknowledged messages (default 30)\n"
	"  --no-fsync          do not fsync objects and ref before acknowledging\n"
	"Messages are acknowledged only after their commit is written. Invalid\n"
	"messages are terminated with a log line. SIGTERM/SIGINT finish the current\n"
	"batch and exit 0.\n";

static volatile sig_atomic_t stop_flag;

static void on_stop(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* Parses the number s of option --opt into *out, within [lo, hi]. 0, or -1
 * with bk_error set. */
static int parse_num(const char *opt, const char *s, double lo, double hi, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end || !(v >= lo && v <= hi))
		return bk_error("--%s: invalid value '%s' (expected %g to %g)", opt, s, lo, hi);
	*out = v;
	return 0;
}

/* results dir: relative, no "." or ".." component, no trailing '/' */
static int check_dir(const char *d)
{
	if (!*d || *d == '/')
		return -1;
	const char *p = d;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && !strncmp(p, "..", 2)))
			return -1;
		p += n;
		if (*p == '/')
			p++;
		else
			break;
	}
	return d[strlen(d) - 1] == '/' ? -1 : 0;
}

int cmd_record(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "nats", required_argument, NULL, 'n' },
		{ "repo", required_argument, NULL, 'r' },
		{ "branch", required_argument, NULL, 'b' },
		{ "results-dir", required_argument, NULL, 'd' },
		{ "batch", required_argument, NULL, 'B' },
		{ "idle-exit", required_argument, NULL, 'i' },
		{ "stream", required_argument, NULL, 's' },
		{ "subject", required_argument, NULL, 'S' },
		{ "durable", required_argument, NULL, 'D' },
		{ "ack-wait", required_argument, NULL, 'a' },
		{ "no-fsync", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct record_opts o = { natsio_default_url(), NATSIO_DEFAULT_STREAM,
				 NATSIO_DEFAULT_SUBJECT, "benchkeep-recorder", NULL,
				 "benchmark-data", "results", 100, 0, 30, 1, stderr, &stop_flag };
	double v;
	int c;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': o.url = optarg; break;
		case 'r': o.repo = optarg; break;
		case 'b': o.branch = optarg; break;
		case 'd': o.results_dir = optarg; break;
		case 'B':
			if (parse_num("batch", optarg, 1, RECORD_MAX_BATCH, &v) < 0)
				return bk_fail();
			if (v != (int)v)
				return 2;
			o.batch = (int)v;
			break;
		case 'i':
			if (parse_num("idle-exit", optarg, 0.01, 1e7, &v) < 0)
				return bk_fail();
			o.idle_exit = v;
			break;
		case 's': o.stream = optarg; break;
		case 'S': o.subject = optarg; break;
		case 'D': o.durable = optarg; break;
		case 'a':
			if (parse_num("ack-wait", optarg, 0.1, 86400, &v) < 0)
				return bk_fail();
			o.ack_wait = v;
			break;
		case 'F': o.fsync = 0; break;
		case 'h': fputs(record_usage, stdout); return 0;
		default: fputs(record_usage, stderr); return 2;
		}
	}
	if (optind < argc)
		return bk_fail_msg("unexpected argument '%s'", argv[optind]);
	if (!o.repo) {
		fputs(record_usage, stderr);
		return bk_fail_msg("--repo is required");
	}
	if (check_dir(o.results_dir) < 0)
		return bk_fail_msg("--results-dir: '%s' must be a relative path "
				"without '.' or '..' components", o.results_dir);
	if (!*o.durable || strpbrk(o.durable, ".*> \t"))
		return bk_fail_msg("--durable: invalid consumer name '%s'", o.durable);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	struct record_stats st;
	int rc = record_run(&o, &st);
	fprintf(stderr, "benchkeep: record: %lu result(s) committed in %lu commit(s), %lu duplicate(s), "
			"%lu rejected\n", st.committed, st.commits, st.duplicates, st.rejected);
	return rc < 0 ? bk_fail() : 0;
}
