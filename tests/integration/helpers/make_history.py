#!/usr/bin/python3
"""Builds a real git repository for site tests.

main: N commits (one merge of a feature branch among them); data branch
`benchmark-data`: one result file per main commit (benchkeep/result/v1), with
a known step change, plus a result for a commit that is not on main, a result
without a sha, a corrupt file and hostile names.  Writes the ground truth to
truth.json beside the repository.

usage: make_history.py REPO_DIR [--commits N] [--step-at K] [--step PCT]
"""
import argparse, json, os, random, subprocess, sys

def git(repo, *args, env=None, input=None):
    e = dict(os.environ)
    e.update({"GIT_AUTHOR_NAME": "Dev", "GIT_AUTHOR_EMAIL": "dev@example.invalid",
              "GIT_COMMITTER_NAME": "Dev", "GIT_COMMITTER_EMAIL": "dev@example.invalid"})
    if env:
        e.update(env)
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True,
                          env=e, input=input).stdout.decode().strip()

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("repo")
    ap.add_argument("--commits", type=int, default=40)
    ap.add_argument("--step-at", type=int, default=25)
    ap.add_argument("--step", type=float, default=0.30)
    a = ap.parse_args()
    repo = a.repo
    subprocess.run(["git", "init", "-q", "-b", "main", repo], check=True)
    rnd = random.Random(7)
    t0 = 1767225600  # 2026-01-01
    shas = []
    for i in range(a.commits):
        ts = t0 + i * 86400
        env = {"GIT_AUTHOR_DATE": f"{ts} +0000", "GIT_COMMITTER_DATE": f"{ts} +0000"}
        msg = f"change {i}" if i != 3 else "fix <script>alert(1)</script> & \"quotes\""
        if i == 10:
            # a feature branch, merged into main below (first parent stays on main)
            git(repo, "checkout", "-q", "-b", "feature")
            with open(os.path.join(repo, "g.txt"), "w") as f:
                f.write("feature\n")
            git(repo, "add", "g.txt")
            git(repo, "commit", "-q", "-m", "feature work", env=env)
            feature_sha = git(repo, "rev-parse", "HEAD")
            git(repo, "checkout", "-q", "main")
        with open(os.path.join(repo, "f.txt"), "w") as f:
            f.write(f"{i}\n")
        git(repo, "add", "f.txt")
        git(repo, "commit", "-q", "-m", msg, env=env)
        if i == 10:
            git(repo, "merge", "-q", "--no-ff", "-m", "merge feature", "feature", env=env)
        shas.append(git(repo, "rev-parse", "HEAD"))

    def result(run_id, sha, when, machine, step, benches):
        bl = []
        for suite, name, base, unit, direction, params in benches:
            level = base * (1 + a.step) if step else base
            samples = [level * (1 + rnd.gauss(0, 0.01)) for _ in range(7)]
            b = {"suite": suite, "name": name, "unit": unit, "direction": direction,
                 "samples": samples}
            if params:
                b["params"] = params
            bl.append(b)
        return {"schema": "benchkeep/result/v1",
                "run": {"id": run_id, "started_at": when,
                        "commit": {"sha": sha, "branch": "main"},
                        "machine": {"name": machine, "os": "linux", "arch": "x86_64"}},
                "benchmarks": bl}

    hostile = "<script>alert('x')</script>|`tick`\"q\"../../etc"
    benches = [("core", "parse", 0.002, "s", "smaller", None),
               ("core", "sort/n=1000", 150.0, "us", "smaller", {"n": "1000"}),
               ("net", "throughput", 5000.0, "ops/s", "bigger", None),
               ("evil<b>", hostile, 1.0, "ms", "smaller", {"k": "<i>v</i>"})]
    files = {}
    for i, sha in enumerate(shas):
        when = "2026-%02d-%02dT12:00:00Z" % (1 + i // 28, 1 + i % 28)
        rid = "r%04d-%s" % (i, sha[:7])
        files[f"results/2026/01/{rid}.json"] = result(rid, sha, when, "box1", i >= a.step_at, benches)
    # a pull-request result for the feature commit (not on main's first-parent line)
    files["results/2026/02/pr-run.json"] = result("pr-run", feature_sha, "2026-02-01T00:00:00Z",
                                                   "box1", False, benches[:1])
    # no sha: placed by run time
    r = result("nosha-run", None, "2026-01-05T18:00:00Z", "box1", False, benches[:1])
    r["run"]["commit"] = {"sha": None}
    files["results/2026/01/nosha.json"] = r
    # a second machine for one benchmark
    for i, sha in enumerate(shas[:5]):
        rid = "m2-%d" % i
        files[f"results/2026/01/{rid}.json"] = result(rid, sha, "2026-01-0%dT00:00:00Z" % (i + 1),
                                                      "box2", False, benches[:1])

    # commit them to benchmark-data one file per commit, like a recorder
    idx = os.path.join(repo, ".git", "tmp-index")
    env = {"GIT_INDEX_FILE": idx}
    parent = None
    for n, (path, doc) in enumerate(sorted(files.items())):
        blob = git(repo, "hash-object", "-w", "--stdin", input=json.dumps(doc, indent=1).encode())
        if parent:
            git(repo, "read-tree", parent, env=env)
        else:
            git(repo, "read-tree", "--empty", env=env)
        git(repo, "update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=env)
        tree = git(repo, "write-tree", env=env)
        ts = t0 + 100 * 86400 + n * 3600
        cenv = {"GIT_AUTHOR_DATE": f"{ts} +0000", "GIT_COMMITTER_DATE": f"{ts} +0000"}
        args = ["commit-tree", tree, "-m", f"record {path}"] + (["-p", parent] if parent else [])
        parent = git(repo, *args, env=cenv)
    # a corrupt file, recorded last
    blob = git(repo, "hash-object", "-w", "--stdin", input=b'{"schema": "benchkeep/result/v1", "run": {')
    git(repo, "read-tree", parent, env=env)
    git(repo, "update-index", "--add", "--cacheinfo", f"100644,{blob},results/2026/03/corrupt.json", env=env)
    tree = git(repo, "write-tree", env=env)
    parent = git(repo, "commit-tree", tree, "-p", parent, "-m", "record corrupt")
    git(repo, "update-ref", "refs/heads/benchmark-data", parent)
    os.unlink(idx)
    truth = {"main": shas, "step_commit": shas[a.step_at], "feature": feature_sha,
             "corrupt_commit": parent, "hostile": hostile, "files": len(files)}
    with open(os.path.join(os.path.dirname(os.path.abspath(repo)), "truth.json"), "w") as f:
        json.dump(truth, f)

main()
