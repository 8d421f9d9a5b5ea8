#!/usr/bin/env python3
"""Inputs of one side of tests/perf/verdicts.sh: a directory holding what
the eight benchmarks of its config read, every size given on the command
line (key=value), everything deterministic (fixed seeds, fixed dates).

    verdicts_gen.py DIR CC startup_spin=N sleep_ns=N sort_lines=N
                    hash_bytes=N gzip_bytes=N py_loops=N git_files=N awk_bytes=N

DIR/true       a C program: process start-up, then startup_spin iterations
               of an empty loop (0 on the base side: exactly a /bin/true)
DIR/sleep      a C program: nanosleep(sleep_ns) (coreutils sleep does the same)
DIR/sort.txt   sort_lines random integers, one a line (sort -n)
DIR/hash.bin   hash_bytes random bytes (sha256sum)
DIR/gzip.txt   gzip_bytes of word-like text (gzip -c)
DIR/awk.txt    awk_bytes of the same text (awk sums the last field)
DIR/work.py    py_loops iterations of an empty Python loop (0: just `pass`)
DIR/git/       a git repository of git_files committed files (git status)

A bigger size is more of the same real work; smaller files are prefixes of
bigger ones (same seed), so two sides differ only by how much there is.
"""
import os
import random
import shutil
import subprocess
import sys

KEYS = ("startup_spin", "sleep_ns", "sort_lines", "hash_bytes", "gzip_bytes",
        "py_loops", "git_files", "awk_bytes")

C_TRUE = r"""
int main(void)
{
	for (volatile unsigned long i = 0; i < SPIN; i++)
		;
	return 0;
}
"""

C_SLEEP = r"""
#define _POSIX_C_SOURCE 200809L
#include <time.h>
int main(void)
{
	struct timespec t = {NS / 1000000000L, NS % 1000000000L};
	while (nanosleep(&t, &t))
		;
	return 0;
}
"""


def text(nbytes):
    """nbytes (cut at a line end) of 12 pseudo-words and a number a line."""
    r = random.Random(2)
    words = ["".join(r.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(r.randint(2, 9)))
             for _ in range(5000)]
    out, n = [], 0
    while n < nbytes:
        line = " ".join(r.choice(words) for _ in range(12)) + " %d\n" % r.randrange(1000)
        out.append(line)
        n += len(line)
    return "".join(out)


def compile_c(cc, src, out, defines):
    path = out + ".c"
    with open(path, "w") as f:
        f.write(src)
    subprocess.run([cc, "-std=c11", "-O2"] + ["-D%s=%s" % kv for kv in defines.items()]
                   + ["-o", out, path], check=True)
    os.unlink(path)


def git_repo(path, nfiles):
    if os.path.exists(path):
        shutil.rmtree(path)
    os.makedirs(path)
    env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.invalid",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.invalid",
               GIT_AUTHOR_DATE="2020-01-01T00:00:00Z", GIT_COMMITTER_DATE="2020-01-01T00:00:00Z",
               GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null")
    for i in range(nfiles):
        d = os.path.join(path, "d%02d" % (i % 50))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "f%05d.txt" % i), "w") as f:
            f.write("file %d\n" % i)

    def git(*args):
        subprocess.run(["git", "-C", path] + list(args), check=True, env=env,
                       stdout=subprocess.DEVNULL)
    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "files")
    git("status")  # refresh the index once, as every later status finds it


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    d, cc = sys.argv[1], sys.argv[2]
    size = {}
    for a in sys.argv[3:]:
        k, _, v = a.partition("=")
        if k not in KEYS:
            sys.exit("verdicts_gen.py: unknown size %r" % k)
        size[k] = int(float(v))
    missing = [k for k in KEYS if k not in size]
    if missing:
        sys.exit("verdicts_gen.py: missing " + ", ".join(missing))
    os.makedirs(d, exist_ok=True)
    compile_c(cc, C_TRUE, os.path.join(d, "true"), {"SPIN": "%dUL" % size["startup_spin"]})
    compile_c(cc, C_SLEEP, os.path.join(d, "sleep"), {"NS": "%dL" % size["sleep_ns"]})
    r = random.Random(1)
    with open(os.path.join(d, "sort.txt"), "w") as f:
        f.write("".join("%d\n" % r.randrange(10 ** 9) for _ in range(size["sort_lines"])))
    with open(os.path.join(d, "hash.bin"), "wb") as f:
        f.write(random.Random(3).randbytes(size["hash_bytes"]))
    t = text(max(size["gzip_bytes"], size["awk_bytes"]))
    for name in ("gzip", "awk"):
        cut = t[:size[name + "_bytes"]]
        with open(os.path.join(d, name + ".txt"), "w") as f:
            f.write(cut[:cut.rfind("\n") + 1])
    with open(os.path.join(d, "work.py"), "w") as f:
        f.write("for _ in range(%d):\n    pass\n" % size["py_loops"] if size["py_loops"] else "pass\n")
    git_repo(os.path.join(d, "git"), size["git_files"])
    with open(os.path.join(d, "sizes.txt"), "w") as f:
        f.write("".join("%s=%d\n" % (k, size[k]) for k in KEYS))


if __name__ == "__main__":
    main()
