#!/usr/bin/env python3
"""Writes large inputs for tests/perf/import.sh, one per import format, in
the shape the real harnesses print (see tests/fixtures/<format>/).
Usage: gen_import.py DIR [SCALE]   (SCALE 1 ~ 20-40 MB per file)"""
import json
import random
import sys

out = sys.argv[1]
scale = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
rnd = random.Random(42)


def t(base):
    return base * (1 + rnd.random() * 0.1)


def gbench(n):
    bs = []
    for i in range(n):
        rn = "BM_Family%d/%d/repeats:5" % (i % 97, i)
        times = []
        for r in range(5):
            rt = t(100 + i % 1000)
            times.append(rt)
            bs.append({"name": rn, "family_index": i % 97, "per_family_instance_index": i,
                       "run_name": rn, "run_type": "iteration", "repetitions": 5,
                       "repetition_index": r, "threads": 1, "iterations": 100000 + i,
                       "real_time": rt, "cpu_time": rt * 0.98, "time_unit": "ns",
                       "bytes_per_second": 1e9 / rt, "items_per_second": 1e9 / rt,
                       "counter_x": float(i)})
        mean = sum(times) / 5
        for agg in ("mean", "median", "stddev", "cv"):
            bs.append({"name": rn + "_" + agg, "family_index": i % 97,
                       "per_family_instance_index": i, "run_name": rn, "run_type": "aggregate",
                       "repetitions": 5, "threads": 1, "aggregate_name": agg,
                       "aggregate_unit": "percentage" if agg == "cv" else "time",
                       "iterations": 5, "real_time": mean, "cpu_time": mean, "time_unit": "ns"})
    ctx = {"date": "2026-11-30T13:08:19+00:00", "host_name": "perf", "executable": "./bench",
           "num_cpus": 2, "mhz_per_cpu": 2596, "cpu_scaling_enabled": False, "caches": [],
           "load_avg": [0.5, 0.5, 0.5], "library_build_type": "release"}
    with open(out + "/gbench.json", "w") as f:
        json.dump({"context": ctx, "benchmarks": bs}, f, indent=2)


def hyperfine(n, runs):
    rs = []
    for i in range(n):
        times = [t(0.01) for _ in range(runs)]
        rs.append({"command": "sleep 0.01 # %d" % i, "mean": sum(times) / runs, "stddev": 0.001,
                   "median": sorted(times)[runs // 2], "user": 0.001, "system": 0.001,
                   "min": min(times), "max": max(times), "times": times,
                   "exit_codes": [0] * runs, "parameters": {"i": str(i)}})
    with open(out + "/hyperfine.json", "w") as f:
        json.dump({"results": rs}, f, indent=2)


def pytest_benchmark(n, rounds):
    bs = []
    for i in range(n):
        data = [t(1e-5) for _ in range(rounds)]
        bs.append({"group": None, "name": "test_x[%d]" % i, "fullname": "bench.py::test_x[%d]" % i,
                   "params": {"n": i}, "param": str(i), "extra_info": {},
                   "options": {"disable_gc": False, "timer": "perf_counter"},
                   "stats": {"min": min(data), "max": max(data), "mean": sum(data) / rounds,
                             "stddev": 1e-6, "rounds": rounds, "median": sorted(data)[rounds // 2],
                             "ops": rounds / sum(data), "total": sum(data), "data": data,
                             "iterations": 1}})
    with open(out + "/pytest-benchmark.json", "w") as f:
        json.dump({"machine_info": {"node": "perf", "machine": "x86_64", "system": "Linux"},
                   "commit_info": {"id": "0" * 40, "branch": "main"}, "benchmarks": bs,
                   "datetime": "2026-11-30T13:08:51.614843", "version": "3.2.2"}, f, indent=4)


def pytest_json_report(n):
    tests = []
    for i in range(n):
        tests.append({"nodeid": "tests/test_mod%d.py::test_case[%d]" % (i % 100, i), "lineno": 10,
                      "outcome": "passed" if i % 50 else "failed",
                      "keywords": ["test_case", "tests"],
                      "setup": {"duration": t(1e-4), "outcome": "passed"},
                      "call": {"duration": t(1e-3), "outcome": "passed" if i % 50 else "failed"},
                      "teardown": {"duration": t(1e-4), "outcome": "passed"}})
    with open(out + "/pytest-json-report.json", "w") as f:
        json.dump({"created": 1796044823.4, "duration": 12.0, "exitcode": 1, "root": "/x",
                   "environment": {"Python": "3.11.2", "Platform": "Linux"},
                   "summary": {"passed": n, "total": n}, "tests": tests}, f, indent=4)


def go(n, count):
    with open(out + "/go.txt", "w") as f:
        for p in range(max(1, n // 500)):
            f.write("goos: linux\ngoarch: amd64\npkg: example.com/p%d\ncpu: AMD EPYC\n" % p)
            for i in range(500):
                for _ in range(count):
                    f.write("BenchmarkThing%d/size=%d-2   \t%8d\t%12.2f ns/op\t%8.2f MB/s\t%6d B/op\t%4d allocs/op\n"
                            % (i, i * 8, 100000, t(200 + i), t(500), i, i % 7))
            f.write("PASS\nok  \texample.com/p%d\t1.234s\n" % p)


def cargo(n):
    with open(out + "/cargo.txt", "w") as f:
        f.write("\nrunning %d tests\n" % n)
        for i in range(n):
            f.write("test bench_thing_%d ... bench:   %s ns/iter (+/- %d)\n"
                    % (i, "{:,}".format(int(t(1000 + i * 10))), i % 100))
        f.write("\ntest result: ok. 0 passed; 0 failed; 0 ignored; %d measured; 0 filtered out\n\n" % n)


def catch2(n):
    with open(out + "/catch2.txt", "w") as f:
        f.write("\n" + "~" * 79 + "\nbench is a Catch v2.13.10 host application.\nRun with -? for options\n\n")
        for g in range(max(1, n // 100)):
            f.write("-" * 79 + "\nGroup %d\n" % g + "-" * 79 + "\nbench.cpp:9\n" + "." * 79 + "\n\n")
            f.write("benchmark name                       samples       iterations    estimated\n"
                    "                                     mean          low mean      high mean\n"
                    "                                     std dev       low std dev   high std dev\n"
                    + "-" * 79 + "\n")
            for i in range(100):
                f.write("Bench %d/%d%s%d%14d%12.5g ms \n" % (g, i, " " * 30, 100, 613, t(0.6)))
                f.write("%46.6g ns%12.6g ns%12.6g ns \n" % (t(46.8), t(46.7), t(47.1)))
                f.write("%46.6g ns%12.6g ns%12.6g ns \n%79s\n" % (t(0.23), t(0.01), t(0.45), ""))
            f.write("\n")
        f.write("=" * 79 + "\ntest cases: %d | %d passed\nassertions: - none -\n\n" % (n // 100, n // 100))


def catch2_xml(n):
    with open(out + "/catch2.xml", "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<Catch name="bench">\n  <Group name="bench">\n')
        for g in range(max(1, n // 100)):
            f.write('    <TestCase name="Group %d" filename="bench.cpp" line="9">\n' % g)
            for i in range(100):
                f.write('      <BenchmarkResults name="Bench %d/%d &amp; co" samples="100" resamples="100000" '
                        'iterations="578" clockResolution="29.4534" estimatedDuration="589560">\n'
                        '        <!--All values in nano seconds-->\n'
                        '        <mean value="%g" lowerBound="%g" upperBound="%g" ci="0.95"/>\n'
                        '        <standardDeviation value="%g" lowerBound="%g" upperBound="%g" ci="0.95"/>\n'
                        '        <outliers variance="0.84" lowMild="0" lowSevere="0" highMild="0" highSevere="1"/>\n'
                        '      </BenchmarkResults>\n'
                        % (g, i, t(50), t(47), t(62), t(12), t(0.5), t(25)))
            f.write('      <OverallResult success="true"/>\n    </TestCase>\n')
        f.write('  </Group>\n</Catch>\n')


def cargo_criterion(n, samples):
    with open(out + "/cargo-criterion.jsonl", "w") as f:
        for i in range(n):
            iters = [float(847 * (k + 1)) for k in range(samples)]
            vals = [it * t(4500) for it in iters]
            est = {"estimate": 4500.0, "lower_bound": 4400.0, "upper_bound": 4600.0, "unit": "ns"}
            f.write(json.dumps({"reason": "benchmark-complete", "id": "group/bench %d" % i,
                                "report_directory": "target/criterion/reports/x", "iteration_count": iters,
                                "measured_values": vals, "unit": "ns", "throughput": [],
                                "typical": est, "mean": est, "median": est, "median_abs_dev": est,
                                "slope": est, "change": None}, separators=(",", ":")) + "\n")


s = scale
gbench(int(10000 * s))
hyperfine(int(2000 * s), 500)
pytest_benchmark(int(1000 * s), 1000)
pytest_json_report(int(60000 * s))
go(int(60000 * s), 3)
cargo(int(300000 * s))
catch2(int(60000 * s))
catch2_xml(int(40000 * s))
cargo_criterion(int(6000 * s), 100)
