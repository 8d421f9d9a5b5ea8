#include "collector/run/perfcount.h"
#include "lib/base/error.h"
#include "lib/base/strbuf.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int sys_perf_event_open(struct perf_event_attr *attr, pid_t pid, int cpu, int group,
			       unsigned long flags)
{
	return (int)syscall(SYS_perf_event_open, attr, pid, cpu, group, flags);
}

static int open_one(uint32_t type, uint64_t config)
{
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = type;
	a.config = config;
	a.disabled = 1;       /* off in benchkeep itself ... */
	a.enable_on_exec = 1; /* ... on in the child once it execs */
	a.inherit = 1;        /* and in everything it forks */
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	a.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	return sys_perf_event_open(&a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

static int paranoid_level(void)
{
	struct strbuf sb = STRBUF_INIT;
	int v = -100;
	if (strbuf_read_file(&sb, "/proc/sys/kernel/perf_event_paranoid") == 0) {
		char *end;
		long l = strtol(sb.buf, &end, 10);
		if (end != sb.buf)
			v = (int)l;
	}
	strbuf_release(&sb);
	return v;
}

static int open_error(int err, const char *what)
{
	int par = paranoid_level();
	switch (err) {
	case ENOENT:
	case EOPNOTSUPP:
	case ENODEV:
		return bk_error("perf: no hardware %s counter on this machine (perf_event_open: %s; "
				"common in virtual machines): use the callgrind backend",
				what, strerror(err));
	case EACCES:
	case EPERM:
		return bk_error("perf: not permitted to count %s (perf_event_open: %s; "
				"kernel.perf_event_paranoid=%d, needs 2 or less, or CAP_PERFMON)",
				what, strerror(err), par);
	case ENOSYS:
		return bk_error("perf: this kernel has no perf_event_open (%s)", strerror(err));
	default:
		return bk_error("perf: cannot open the %s counter: %s", what, strerror(err));
	}
}

int perfcount_open_event(struct perfcount *pc, uint32_t type, uint64_t config)
{
	pc->fd_cycles = -1;
	pc->fd_instr = open_one(type, config);
	if (pc->fd_instr < 0)
		return open_error(errno, "event");
	return 0;
}

int perfcount_open(struct perfcount *pc)
{
	pc->fd_cycles = -1;
	pc->fd_instr = open_one(PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS);
	if (pc->fd_instr < 0)
		return open_error(errno, "instructions");
	/* cycles are a bonus: some VMs expose instructions only */
	pc->fd_cycles = open_one(PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES);
	return 0;
}

/* read_format TOTAL_TIME_ENABLED | TOTAL_TIME_RUNNING: value, enabled, running */
static int read_scaled(int fd, uint64_t *out, int *multiplexed)
{
	uint64_t v[3];
	ssize_t n;
	do
		n = read(fd, v, sizeof(v));
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(v))
		return bk_error("perf: cannot read the counter: %s",
				n < 0 ? strerror(errno) : "short read");
	*out = v[0];
	if (v[2] && v[2] < v[1]) { /* counted part of the time only: scale */
		*out = (uint64_t)((double)v[0] * (double)v[1] / (double)v[2]);
		*multiplexed = 1;
	}
	return 0;
}

int perfcount_read(const struct perfcount *pc, struct perfcount_values *out)
{
	memset(out, 0, sizeof(*out));
	if (pc->fd_instr < 0)
		return bk_error("perf: counter not open");
	if (read_scaled(pc->fd_instr, &out->instructions, &out->multiplexed))
		return -1;
	if (pc->fd_cycles >= 0 && read_scaled(pc->fd_cycles, &out->cycles, &out->multiplexed) == 0)
		out->have_cycles = 1;
	return 0;
}

void perfcount_close(struct perfcount *pc)
{
	if (pc->fd_instr >= 0)
		close(pc->fd_instr);
	if (pc->fd_cycles >= 0)
		close(pc->fd_cycles);
	pc->fd_instr = pc->fd_cycles = -1;
}

int perfcount_available(void)
{
	struct perfcount pc;
	if (perfcount_open(&pc) < 0)
		return 0;
	perfcount_close(&pc);
	return 1;
}

void perfcount_describe(struct strbuf *sb)
{
	struct strbuf pmu = STRBUF_INIT;
	if (strbuf_read_file(&pmu, "/sys/bus/event_source/devices/cpu/caps/pmu_name") == 0) {
		strbuf_rtrim(&pmu);
		strbuf_addf(sb, "pmu=%s ", pmu.buf);
	} else if (access("/sys/bus/event_source/devices/cpu", F_OK) != 0 &&
		   access("/sys/bus/event_source/devices/cpu_core", F_OK) != 0) {
		strbuf_addstr(sb, "pmu=none ");
	}
	strbuf_release(&pmu);
	strbuf_addf(sb, "paranoid=%d", paranoid_level());
}
