#!/usr/bin/env python3
"""Turns Google Benchmark JSON (--benchmark_format=json with repetitions)
into a benchkeep result: one benchmark per run_name, the cpu_time of each
repetition as a sample. Usage: gbench_to_result.py GBENCH.json RUN_ID SHA OUT.json"""
import json, sys

src, run_id, sha, out = sys.argv[1:5]
g = json.load(open(src))
bench = {}
for b in g["benchmarks"]:
    if b.get("run_type") != "iteration":
        continue
    e = bench.setdefault(b["run_name"], {"suite": "gbench", "name": b["run_name"],
                                         "unit": b["time_unit"], "direction": "smaller",
                                         "source": "googlebenchmark", "samples": []})
    e["samples"].append(b["cpu_time"])
# the machine's fingerprint, as benchkeep records it (compare treats results
# without a CPU model as from an unknown machine: informational verdicts)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown cpu")
json.dump({"schema": "benchkeep/result/v1",
           "run": {"id": run_id, "started_at": g["context"]["date"][:19] + "Z",
                   "commit": {"sha": sha, "branch": "main"},
                   "machine": {"name": "it", "os": "linux", "arch": "x86_64", "cpu_model": cpu,
                               "cpu_cores": g["context"]["num_cpus"]},
                   "labels": {}},
           "benchmarks": list(bench.values())}, open(out, "w"))
