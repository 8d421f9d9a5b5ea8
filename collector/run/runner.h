/* runner: runs one command once and measures it.
 *
 * Wall time is taken with CLOCK_MONOTONIC immediately around posix_spawn and
 * the wait for the child; user/system CPU time and peak RSS come from
 * wait4(2)'s rusage (the child and everything it waited for). The child runs
 * in its own process group, so a timeout kills the whole group. */
#ifndef BK_RUNNER_H
#define BK_RUNNER_H

#include "lib/doc/config.h"
#include "lib/base/strbuf.h"

struct runner_opts {
	const struct bk_command *cmd;
	const struct bk_kvlist *env; /* added to the inherited environment */
	const char *cwd;             /* NULL: current directory */
	double timeout;              /* seconds; 0: none */
	struct strbuf *capture;      /* when non-NULL, the child's stdout goes here */
	int inherit_stderr;          /* else stdout/stderr go to /dev/null */
};

struct runner_result {
	double wall;      /* seconds */
	double user, sys; /* seconds of CPU */
	long max_rss_kb;
	int exit_code;    /* exit status, or 128+signal */
	int timed_out;
	int spawn_failed; /* could not start (errno in exit_code) */
};

/* Process group of the child being measured (0 when none), so a signal
 * handler can take the child down with benchkeep (runner_kill_current). */
#include <signal.h>
extern volatile sig_atomic_t runner_current_pgid;
/* Async-signal-safe: SIGKILLs the process group of the running child. */
void runner_kill_current(void);

/* Runs the command once. Returns 0 when the child ran (whatever its exit
 * status: see res), -1 with bk_error set when it could not be started. */
int runner_run(const struct runner_opts *o, struct runner_result *res);

/* Builds "KEY=VALUE" environment for a child: the current environment with
 * `env` applied on top. NULL-terminated; free with runner_free_env. */
char **runner_make_env(const struct bk_kvlist *env);
void runner_free_env(char **envp);

#endif
