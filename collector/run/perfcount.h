/* perfcount: counts the user-space instructions (and cycles) of a command
 * and all its children with perf_event_open(2).
 *
 * How: the counters are opened on benchkeep itself, disabled, with
 * `inherit` and `enable_on_exec`, just before the command is spawned. The
 * spawned child inherits them and they switch on when it execs, so
 * benchkeep's own work between fork and exec is not counted; every process
 * the command forks inherits them in turn, and the kernel folds a child's
 * count into ours when it exits. Kernel and hypervisor work is excluded.
 * The counters are closed right after the child has been waited for.
 *
 * Where the CPU or the virtual machine offers no hardware counter (no
 * "cpu" PMU in /sys/bus/event_source/devices, common in VMs), or
 * /proc/sys/kernel/perf_event_paranoid forbids it, perfcount_open fails
 * with a message saying so: the caller must fail the benchmark, never
 * fall back to another metric. */
#ifndef BK_PERFCOUNT_H
#define BK_PERFCOUNT_H

#include <stdint.h>

struct perfcount {
	int fd_instr; /* hardware instructions, -1 when closed */
	int fd_cycles; /* hardware cycles, -1 when not available */
};

struct perfcount_values {
	uint64_t instructions;
	uint64_t cycles;   /* 0 when the cycles counter is not available */
	int have_cycles;
	int multiplexed;   /* the kernel scaled a count (counter shared) */
};

/* Opens the counters (instructions required, cycles when possible) on the
 * calling process, disabled, inherited and enabled on exec, for the next
 * spawn. Returns 0, or -1 with bk_error set to a one-line reason (counter
 * absent, not permitted, ...) and pc closed. Close with perfcount_close. */
int perfcount_open(struct perfcount *pc);

/* Same with an arbitrary event (PERF_TYPE_*, config): the tests use a
 * software event to check the inherit/enable-on-exec plumbing on machines
 * without hardware counters. No cycles counter. */
int perfcount_open_event(struct perfcount *pc, uint32_t type, uint64_t config);

/* Reads the counts once the spawned command has been waited for (the
 * children's counts are folded in as they exit). 0, or -1 + bk_error. */
int perfcount_read(const struct perfcount *pc, struct perfcount_values *out);

/* Closes the counters (safe on a closed or zeroed-then-closed pc). */
void perfcount_close(struct perfcount *pc);

/* Checks once whether the hardware instruction counter can be opened here.
 * Returns 1 when it can, 0 otherwise with bk_error set to the reason. */
int perfcount_available(void);

/* Appends a short description of the counting environment to sb for the
 * machine info: "pmu=<name>" when known, and "paranoid=<n>". */
struct strbuf;
void perfcount_describe(struct strbuf *sb);

#endif
