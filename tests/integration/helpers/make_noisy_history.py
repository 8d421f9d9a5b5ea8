#!/usr/bin/python3
"""Builds a git repository whose benchmarks have known noise, for the site's
noise-band tests (tests/integration/site_noise.sh).

main: 60 commits; data branch `benchmark-data`: one result per main commit on
machine `box`, six benchmarks of suite `core` (smaller is better):
  quiet   0.2% noise; +3% at the last commit (beyond its noise: coloured)
  noisy   5% noise; +60% level shift at commit 30 (a change point); +8% at
          the last commit (within 3 x 5%: neutral)
  f1..f4  1% noise
and a noisy neighbour: every benchmark x1.30 at commits 43-50 (a burst of
slow runs: divided out, so neither a change point nor a coloured change).
Writes the ground truth (main shas) to truth.json beside the repository.

usage: make_noisy_history.py REPO_DIR
"""
import json, math, os, random, subprocess, sys

def git(repo, *args, env=None, input=None):
    e = dict(os.environ)
    e.update({"GIT_AUTHOR_NAME": "Dev", "GIT_AUTHOR_EMAIL": "dev@example.invalid",
              "GIT_COMMITTER_NAME": "Dev", "GIT_COMMITTER_EMAIL": "dev@example.invalid"})
    if env:
        e.update(env)
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True,
                          env=e, input=input).stdout.decode().strip()

def main():
    repo = sys.argv[1]
    n = 60
    subprocess.run(["git", "init", "-q", "-b", "main", repo], check=True)
    rnd = random.Random(11)
    t0 = 1767225600  # 2026-01-01
    shas = []
    for i in range(n):
        ts = t0 + i * 86400
        env = {"GIT_AUTHOR_DATE": f"{ts} +0000", "GIT_COMMITTER_DATE": f"{ts} +0000"}
        with open(os.path.join(repo, "f.txt"), "w") as f:
            f.write(f"{i}\n")
        git(repo, "add", "f.txt")
        git(repo, "commit", "-q", "-m", f"change {i}", env=env)
        shas.append(git(repo, "rev-parse", "HEAD"))
    benches = {"quiet": (1e-3, 0.002), "noisy": (2e-3, 0.05),
               "f1": (3e-3, 0.01), "f2": (4e-3, 0.01), "f3": (5e-3, 0.01), "f4": (6e-3, 0.01)}
    idx = os.path.join(repo, ".git", "tmp-index")
    env = {"GIT_INDEX_FILE": idx}
    git(repo, "read-tree", "--empty", env=env)
    for i, sha in enumerate(shas):
        machine = 1.30 if 43 <= i <= 50 else 1.0
        bl = []
        for name, (level, sigma) in benches.items():
            v = level * math.exp(sigma * rnd.gauss(0, 1)) * machine
            if name == "noisy" and i >= 30:
                v *= 1.60
            bl.append((name, v))
        vals = dict(bl)
        if i == n - 1:  # the last changes: known sizes against the previous point
            vals["quiet"] = prev["quiet"] * 1.03
            vals["noisy"] = prev["noisy"] * 1.08
        prev = vals
        doc = {"schema": "benchkeep/result/v1",
               "run": {"id": f"r{i:03d}", "started_at": "2026-%02d-%02dT12:00:00Z" % (1 + i // 28, 1 + i % 28),
                       "commit": {"sha": sha, "branch": "main"},
                       "machine": {"name": "box", "os": "linux", "arch": "x86_64"}},
               "benchmarks": [{"suite": "core", "name": k, "unit": "s", "direction": "smaller",
                               "samples": [v * 0.9999, v, v * 1.0001]} for k, v in vals.items()]}
        blob = git(repo, "hash-object", "-w", "--stdin", input=json.dumps(doc).encode())
        git(repo, "update-index", "--add", "--cacheinfo", f"100644,{blob},results/r{i:03d}.json", env=env)
    tree = git(repo, "write-tree", env=env)
    ts = t0 + 100 * 86400
    cenv = {"GIT_AUTHOR_DATE": f"{ts} +0000", "GIT_COMMITTER_DATE": f"{ts} +0000"}
    commit = git(repo, "commit-tree", tree, "-m", "record", env=cenv)
    git(repo, "update-ref", "refs/heads/benchmark-data", commit)
    os.unlink(idx)
    with open(os.path.join(os.path.dirname(os.path.abspath(repo)), "truth.json"), "w") as f:
        json.dump({"main": shas}, f)

main()
