/* benchkeep: continuous benchmarking kept in git. Command dispatch only. */
#include <stdio.h>
#include <string.h>

#include "collector/cli.h"
#include "sitegen/cli.h"
#include "lib/base/error.h"
#include "lib/git/gitio.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct command commands[] = {
	{ "run", cmd_run, "run the configured suites, write one new result file" },
	{ "import", cmd_import, "turn another harness's output into a result file" },
	{ "site", cmd_site, "render the static site from the git history of results" },
	{ "publish", cmd_publish, "send result files to NATS JetStream for a recorder" },
	{ "record", cmd_record, "commit results arriving on NATS JetStream to a git branch" },
	{ "compare", cmd_compare, "compare BASE with HEAD: change, CI, p-value, verdict" },
	{ "baseline", cmd_baseline, "write or show the baseline (baselines/main-baseline.json)" },
	{ "summary", cmd_summary, "the pull request comment as markdown" },
};

/* The sink for lib/'s notes: one line each on stderr. */
static void print_note(const char *msg, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "benchkeep: note: %s\n", msg);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: benchkeep <command> [options]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n'benchkeep <command> --help' describes a command.\n"
		   "exit codes: 0 ok, 1 check failed (regression, failed benchmark), 2 bad usage or input\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("benchkeep " BENCHKEEP_VERSION "\n");
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(argv[1], commands[i].name)) {
			gitio_global_init();
			bk_note_sink(print_note, NULL);
			int rc = commands[i].fn(argc - 1, argv + 1);
			gitio_global_shutdown();
			if (bk_failure())
				fprintf(stderr, "benchkeep: error: %s\n", bk_failure());
			if (fflush(stdout) != 0 || ferror(stdout)) {
				fprintf(stderr, "benchkeep: error: cannot write to standard output\n");
				return rc ? rc : 2;
			}
			return rc;
		}
	}
	fprintf(stderr, "benchkeep: error: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
