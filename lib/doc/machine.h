/* machine: facts about the machine a benchmark ran on, and the CI context.
 * Nothing here prints or fails: a fact that cannot be read stays NULL/0. */
#ifndef BK_MACHINE_H
#define BK_MACHINE_H

#include "lib/doc/result.h"

/* Fills m (which must be zeroed) with the machine's name, os, arch, CPU
 * model, cores, memory and the compiler benchkeep was built with, plus the
 * kernel release in m->extra. The name is $BENCHKEEP_MACHINE when set; on
 * GitHub Actions "github-<runner os>-<runner arch>" (hosted runners get a new
 * host name every run, which would split every series); else the host name.
 * Caller releases with result_release() of the owning result. */
void machine_collect(struct bk_machine *m);

/* Fills c (zeroed) from the GITHUB_* environment variables when
 * GITHUB_ACTIONS=true: provider "github", run id, event, ref name,
 * repository, sha and the pull request number (from GITHUB_REF
 * "refs/pull/N/merge"). Returns 1 when a CI was detected, else 0. */
int ci_collect(struct bk_ci *c);

/* The machine fingerprint: 1 when a and b are the same machine (name, CPU
 * model, cores, memory within 5%, os, arch, kernel, runner image), else 0
 * with why (reset first) saying in one line what differs, e.g. "CPU:
 * AMD EPYC 7B13 vs Intel Xeon; kernel: 6.1.0 vs 6.8.0", or "no CPU model
 * recorded for BASE: the machines cannot be told apart" (a is BASE, b is
 * HEAD; then 0 too). */
int machine_same(const struct bk_machine *a, const struct bk_machine *b, struct strbuf *why);

/* Makes a file-name-safe token of s in sb: [A-Za-z0-9._-] kept, everything
 * else '-', no leading '.', at most `max` bytes, "unknown" when empty. */
void machine_slug(struct strbuf *sb, const char *s, size_t max);

#endif
