#include "collector/run/runner.h"
#include "lib/base/error.h"
#include "lib/base/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

volatile sig_atomic_t runner_current_pgid;

void runner_kill_current(void)
{
	pid_t p = (pid_t)runner_current_pgid;
	if (p > 0)
		kill(-p, SIGKILL);
}

char **runner_make_env(const struct bk_kvlist *env)
{
	size_t n = 0;
	while (environ[n])
		n++;
	char **out = xcalloc(n + (env ? env->nr : 0) + 1, sizeof(char *));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(environ[i], '=');
		size_t kl = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
		int overridden = 0;
		for (size_t j = 0; env && j < env->nr; j++)
			if (strlen(env->items[j].key) == kl && !strncmp(env->items[j].key, environ[i], kl))
				overridden = 1;
		if (!overridden)
			out[k++] = xstrdup(environ[i]);
	}
	for (size_t j = 0; env && j < env->nr; j++) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "%s=%s", env->items[j].key, env->items[j].value);
		out[k++] = strbuf_detach(&sb, NULL);
	}
	return out;
}

void runner_free_env(char **envp)
{
	for (char **p = envp; p && *p; p++)
		free(*p);
	free(envp);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double tv_sec(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;
}

/* Waits for pid without timeout or capture. 0, or -1 with bk_error. */
static int wait_plain(pid_t pid, int *status, struct rusage *ru, double *t_end)
{
	for (;;) {
		pid_t r = wait4(pid, status, 0, ru);
		*t_end = now();
		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return bk_error("wait for child failed: %s", strerror(errno));
	}
}

/* The poll timeout (ms, -1: none) until deadline (0: none); at most 10 ms
 * without a pidfd, as wait4 is then polled. */
static int poll_ms(double deadline, int have_pidfd)
{
	int ms = -1;
	if (deadline > 0) {
		double left = deadline - now();
		ms = left <= 0 ? 0 : (int)(left * 1000) + 1;
	}
	if (!have_pidfd && (ms < 0 || ms > 10))
		ms = 10;
	return ms;
}

/* One read of the capture pipe into cap: capfd, or -1 at its end. */
static int read_some(int capfd, struct strbuf *cap)
{
	char buf[65536];
	ssize_t n = read(capfd, buf, sizeof(buf));
	if (n > 0)
		strbuf_add(cap, buf, (size_t)n);
	else if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
		return -1;
	return capfd;
}

/* Waits for pid with an optional timeout (seconds, 0 none); kills the
 * process group on timeout. Drains `capfd` into `cap` meanwhile. */
static int wait_child(pid_t pid, double timeout, int capfd, struct strbuf *cap, int *status,
		      struct rusage *ru, int *timed_out, double *t_end)
{
	*timed_out = 0;
	if (timeout <= 0 && capfd < 0)
		return wait_plain(pid, status, ru, t_end);
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	double deadline = timeout > 0 ? now() + timeout : 0;
	int exited = 0;
	while (!exited) {
		struct pollfd fds[2];
		int nf = 0, pidx = -1, cidx = -1;
		if (pfd >= 0) {
			fds[nf].fd = pfd;
			fds[nf].events = POLLIN;
			pidx = nf++;
		}
		if (capfd >= 0) {
			fds[nf].fd = capfd;
			fds[nf].events = POLLIN;
			cidx = nf++;
		}
		int r = poll(fds, (nfds_t)nf, poll_ms(deadline, pfd >= 0));
		if (r < 0 && errno != EINTR) {
			if (pfd >= 0)
				close(pfd);
			return bk_error("poll failed: %s", strerror(errno));
		}
		if (cidx >= 0 && r > 0 && (fds[cidx].revents & (POLLIN | POLLHUP)))
			capfd = read_some(capfd, cap);
		if ((pidx >= 0 && r > 0 && (fds[pidx].revents & POLLIN)) || pfd < 0) {
			pid_t w = wait4(pid, status, pfd >= 0 ? 0 : WNOHANG, ru);
			if (w == pid) {
				*t_end = now();
				exited = 1;
				break;
			}
		}
		if (deadline > 0 && now() >= deadline) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			*timed_out = 1;
			while (wait4(pid, status, 0, ru) < 0 && errno == EINTR)
				;
			*t_end = now();
			exited = 1;
		}
	}
	if (pfd >= 0)
		close(pfd);
	/* read what is left of the output */
	while (capfd >= 0) {
		char buf[65536];
		ssize_t n = read(capfd, buf, sizeof(buf));
		if (n > 0)
			strbuf_add(cap, buf, (size_t)n);
		else if (n == 0 || errno != EINTR)
			break;
	}
	return 0;
}

int runner_run(const struct runner_opts *o, struct runner_result *res)
{
	memset(res, 0, sizeof(*res));
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	int pipefd[2] = { -1, -1 };
	char **envp = runner_make_env(o->env);
	char *sh_argv[4] = { "/bin/sh", "-c", o->cmd->shell, NULL };
	char **argv = o->cmd->shell ? sh_argv : o->cmd->argv;
	int rc = -1;

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
					      POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setpgroup(&at, 0);
	sigset_t none, all;
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &all);
	if (o->capture) {
		if (pipe2(pipefd, O_CLOEXEC) < 0) {
			bk_error("cannot create pipe: %s", strerror(errno));
			goto out;
		}
		posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	} else {
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	}
	if (!o->inherit_stderr)
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (o->cwd && *o->cwd)
		posix_spawn_file_actions_addchdir_np(&fa, o->cwd);

	pid_t pid;
	double t0 = now();
	int e = posix_spawnp(&pid, argv[0], &fa, &at, argv, envp);
	if (e) {
		res->spawn_failed = 1;
		res->exit_code = 127;
		bk_error("cannot run '%s': %s", argv[0], strerror(e));
		goto out;
	}
	runner_current_pgid = pid;
	if (pipefd[1] >= 0) {
		close(pipefd[1]);
		pipefd[1] = -1;
	}
	int status = 0;
	struct rusage ru;
	double t1;
	memset(&ru, 0, sizeof(ru));
	int werr = wait_child(pid, o->timeout, pipefd[0], o->capture, &status, &ru,
			      &res->timed_out, &t1);
	runner_current_pgid = 0;
	if (werr)
		goto out;
	res->wall = t1 - t0;
	res->user = tv_sec(ru.ru_utime);
	res->sys = tv_sec(ru.ru_stime);
	res->max_rss_kb = ru.ru_maxrss;
	if (WIFEXITED(status))
		res->exit_code = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		res->exit_code = 128 + WTERMSIG(status);
	rc = 0;
out:
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	runner_free_env(envp);
	return rc;
}
