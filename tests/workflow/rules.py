"""The rules the GitHub workflows must keep, read as GitHub decides what runs
on each event (wfcheck.py evaluates every job's and step's `if:` with the
event known). Usage: rules.py [ROOT] (the repository, default .); prints
nothing and exits 0 when every rule holds, else the failed assertion."""
import glob, os, re, sys
import yaml
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wfcheck import load, triggers, jobs_on, steps_on, runs_text, uses, evaluate
os.chdir(sys.argv[1] if len(sys.argv) > 1 else ".")
wf = load(".github/workflows/benchmarks.yml")
on = triggers(wf)
pr = on["pull_request"]
for p in ["collector/**", "sitegen/**", "lib/**", "templates/**", "tests/perf/**", ".github/workflows/benchmarks.yml"]:
    assert p in pr["paths"], "paths filter lacks " + p
assert "labeled" in pr["types"] and "unlabeled" in pr["types"], pr
assert on["push"]["branches"] == ["main"], on["push"]
assert on["schedule"] == [{"cron": "0 3 * * 0"}], on["schedule"]
inputs = on["workflow_dispatch"]["inputs"]
assert inputs["suites"]["type"] == "string" and inputs["update-baseline"]["type"] == "boolean", inputs
assert wf["permissions"] == {}, "default permissions must be none"
assert "group" in wf["concurrency"]
jobs = wf["jobs"]
for name, job in jobs.items():
    assert "permissions" in job, name + ": no permissions of its own"
    assert job.get("timeout-minutes", 0) > 0, name + ": no timeout"
    assert "write-all" not in str(job["permissions"]), name
bench = jobs["bench"]
svc = bench["services"]["nats"]
assert svc["image"] == "nats:2.10-alpine" and "--health-cmd" in svc["options"], svc
assert bench["env"]["NATS_URL"].startswith("nats://"), bench["env"]
assert "inputs.suites" in bench["env"]["BK_SUITES"], "the dispatch input does not reach the run"
js = [s for s in bench["steps"] if "docker restart" in s.get("run", "")]
assert js and "jetstream" in js[0]["run"] and "nats-ready.sh" in js[0]["run"], "JetStream not enabled"
sh = open("tools/ci/bench.sh").read()
def sh_function(name):
    m = re.search(r"^%s\(\) \{\n(.*?)^\}" % name, sh, re.S | re.M)
    assert m, "bench.sh has no " + name
    return m.group(1)

def upload(steps):
    up = uses(steps, "actions/upload-artifact@")
    assert up, "no upload"
    return up[0]["with"]

# schedule and manual dispatch: the full check
for ev in ("schedule", "workflow_dispatch"):
    js = jobs_on(wf, ev)
    assert {"bench", "record", "issue", "pages"} <= set(js), (ev, sorted(js))
    st = steps_on(js["bench"], ev)
    text = runs_text(st)
    assert "bench.sh run" in text and "nats-ready.sh" in text, ev + ": the suite (with the NATS service) does not run"
    assert "bench.sh weekly" in text, ev + ": no weekly check"
    assert "bench.sh summary" not in text and "bench.sh ab" not in text, ev + ": pull request steps run"
    w = upload(st)
    assert w["retention-days"] == 90 and "weekly-check.md" in w["path"] and "results/" in w["path"], w
    rec = runs_text(steps_on(js["record"], ev))
    assert "bench.sh record" in rec, ev + ": not recorded"
    pg = steps_on(js["pages"], ev)
    assert "bench.sh site" in runs_text(pg) and uses(pg, "actions/deploy-pages@") and uses(pg, "actions/upload-pages-artifact@"), ev + ": no deploy"
    issue = steps_on(js["issue"], ev)
    assert any("weekly-issue.js" in s.get("with", {}).get("script", "") for s in uses(issue, "actions/github-script@")), ev
    assert js["issue"]["permissions"] == {"issues": "write"}, js["issue"]["permissions"]
    assert js["pages"]["needs"] == "record", "the site must follow the recording"
# the weekly check compares with the baseline using the data branch's history
weekly = sh_function("step_weekly")
assert "history_args" in weekly and "--history" not in weekly.replace("history_args", ""), "history not passed"
assert re.search(r'summary --weekly --head "\$result" --baseline "\$BK_BASELINE"[^\n]*\n?[^\n]*"\$\{hist\[@\]\}"', weekly), weekly
assert "--site-url" in weekly, "no chart links"
assert "--history" in sh_function("history_args") and "BK_DATA_BRANCH" in sh_function("history_args")
# the baseline: every push, a manual run only when asked, never the schedule
bl = [s for s in jobs["record"]["steps"] if "bench.sh baseline" in s.get("run", "")][0]
assert evaluate(bl.get("if"), "schedule") is False and evaluate(bl.get("if"), "push") is True, bl.get("if")
assert "inputs.update-baseline" in bl["if"]

# a push to main records and deploys
js = jobs_on(wf, "push")
assert {"bench", "record", "pages"} <= set(js) and "issue" not in js, sorted(js)
assert "bench.sh record" in runs_text(steps_on(js["record"], "push")) and "bench.sh baseline" in runs_text(steps_on(js["record"], "push"))
assert uses(steps_on(js["pages"], "push"), "actions/deploy-pages@")
cache = uses(js["pages"]["steps"], "actions/cache@")
assert len(cache) == 1 and cache[0]["with"]["path"] == ".git/benchkeep-cache" and cache[0]["with"]["restore-keys"] == "benchkeep-site-", cache
assert upload(steps_on(js["bench"], "push"))["retention-days"] == 90

# pull requests: run, A/B, summary, gate on the label; nothing else
js = jobs_on(wf, "pull_request")
assert set(js) == {"bench"}, "jobs on a pull request: %s" % sorted(js)
st = steps_on(js["bench"], "pull_request")
text = runs_text(st)
assert "bench.sh ab" in text and "bench.sh summary" in text and "bench.sh weekly" not in text
gate = [s for s in st if "bench.sh gate" in s.get("run", "")]
assert gate and "benchmark-gate" in gate[0]["if"], "gate not tied to the label"
w = upload(st)
assert "summary.md" in w["path"] and "pr-number" in w["path"] and w["retention-days"] == 90

# every deploy, in every workflow, in the one concurrency group "pages",
# never cancelled
deploys = 0
for f in glob.glob(".github/workflows/*.yml"):
    for name, job in (load(f).get("jobs") or {}).items():
        if uses(job.get("steps", []), "actions/deploy-pages@"):
            deploys += 1
            assert job.get("concurrency") == {"group": "pages", "cancel-in-progress": False}, (f, name, job.get("concurrency"))
assert deploys >= 1

# pull_request never gets a write token, a secret or persisted credentials,
# in any workflow; no pull_request_target; the workflow_run comment job runs
# the default branch's code only
pr_jobs = 0
for f in glob.glob(".github/workflows/*.yml"):
    w2 = load(f)
    on2 = triggers(w2)
    assert "pull_request_target" not in on2, f + ": pull_request_target"
    text2 = open(f).read()
    for name, job in jobs_on(w2, "pull_request").items():
        pr_jobs += 1
        perms = job.get("permissions", w2.get("permissions"))
        assert perms is not None, "%s:%s: no permissions (the repository default may write)" % (f, name)
        assert isinstance(perms, dict) and all(v in ("read", "none") for v in perms.values()), "%s:%s: %s on pull_request" % (f, name, perms)
        assert "secrets." not in yaml.safe_dump(job), "%s:%s: a secret on pull_request" % (f, name)
        for s in uses(job.get("steps", []), "actions/checkout@"):
            assert s.get("with", {}).get("persist-credentials") is False, "%s:%s: checkout keeps credentials" % (f, name)
    if "workflow_run" in on2:
        for name, job in w2["jobs"].items():
            for s in uses(job.get("steps", []), "actions/checkout@"):
                ref = str(s.get("with", {}).get("ref", ""))
                assert "head" not in ref and "workflow_run" not in ref, "%s:%s checks out the pull request" % (f, name)
                assert s["with"].get("persist-credentials") is False
assert pr_jobs >= 3, pr_jobs
cw = load(".github/workflows/benchmarks-comment.yml")
assert triggers(cw)["workflow_run"] == {"workflows": ["benchmarks"], "types": ["completed"]}
cj = cw["jobs"]["comment"]
assert cj["permissions"] == {"actions": "read", "pull-requests": "write"}, cj["permissions"]
gs = uses(cj["steps"], "actions/github-script@")
assert gs and "pr-comment.js" in gs[0]["with"]["script"] and "prNumber" in gs[0]["with"]["script"]
assert "<!-- benchkeep:summary -->" in sh and "<!-- benchkeep:summary -->" in open(".github/scripts/pr-comment.js").read()
assert "<!-- benchkeep:weekly-check -->" in open(".github/scripts/weekly-issue.js").read()
assert sh.count("[skip ci]") >= 2, "record and baseline commits must carry [skip ci]"

# release: tags and dispatch, both architectures, checksums, the major tag
rw = load(".github/workflows/release.yml")
ron = triggers(rw)
assert ron["push"]["tags"] == ["v*.*.*"] and "workflow_dispatch" in ron
rb = rw["jobs"]["build"]
assert rb["strategy"]["matrix"]["runner"] == ["ubuntu-24.04", "ubuntu-24.04-arm"] and rb["runs-on"] == "${{ matrix.runner }}"
assert rb["permissions"] == {"contents": "read"} and "release.sh package" in runs_text(rb["steps"]) and "check-tag" in runs_text(rb["steps"])
rp = rw["jobs"]["publish"]
assert rp["permissions"] == {"contents": "write"}
rt = runs_text(rp["steps"])
assert "SHA256SUMS" in rt and "sha256sum -c" in rt and "gh release" in rt and "major-tag" in rt and "git push -f origin" in rt
# the action's own test: both install paths, a pull request, default branch trunk
aw = load(".github/workflows/action-test.yml")
steps_all = [s for j in aw["jobs"].values() for s in j["steps"]]
mine = [s for s in steps_all if s.get("uses") == "./"]
assert {s["with"]["install"] for s in mine} == {"source", "prebuilt"}, mine
assert {s["with"]["mode"] for s in mine} == {"push", "pull-request"}
assert all(s["with"].get("build") == "make" for s in mine)
assert all(s["with"].get("comment", "false") == "false" for s in mine)
assert "scratch.sh check-pr" in runs_text(steps_all) and "scratch.sh check-push" in runs_text(steps_all)
assert "-b trunk" in open("tests/workflow/scratch.sh").read()

ci = load(".github/workflows/ci.yml")
cij = ci["jobs"]
assert any("make sanitize" in s.get("run", "") for s in cij["sanitize"]["steps"])
assert any(".ci/run" in s.get("run", "") or "make test" in s.get("run", "") for s in cij["test"]["steps"])
con = triggers(ci)
assert "push" in con and "pull_request" in con

# README's adoption example, usable as written: the tag the release moves,
# the default branch never named, a build step, the pull request's code on a
# read-only token, every input one the action declares
readme = open("README.md", encoding="utf-8").read()
sec = readme[readme.index("### Adopting benchkeep in another repository"):]
m = re.search(r"```yaml\n(.*?)```", sec, re.S)
assert m, "no YAML in the adoption section"
adopt_text = "\n".join(l[3:] if l.startswith("   ") else l for l in m.group(1).split("\n"))
if os.environ.get("TMPDIR_ADOPT"):  # for actionlint (tests/integration/workflows.sh)
    with open(os.path.join(os.environ["TMPDIR_ADOPT"], "adoption.yml"), "w") as f:
        f.write(adopt_text)
adopt = yaml.safe_load(adopt_text)
aon = triggers(adopt)
assert set(aon) >= {"pull_request", "push", "schedule", "workflow_dispatch"}, aon
assert not (aon["push"] or {}).get("branches"), "the adoption example names the default branch in push"
assert not re.search(r"\bmain\b", adopt_text), "the adoption example hard-codes main"
major = "v" + re.search(r"^VERSION = (\d+)\.", open("Makefile").read(), re.M).group(1)
action_inputs = set(load("action.yml")["inputs"])
uses_bk = []
for name, job in adopt["jobs"].items():
    for s in job.get("steps", []):
        if str(s.get("uses", "")).startswith("OWNER/benchkeep"):
            assert s["uses"] == "OWNER/benchkeep@" + major, "%s: %s (the release moves %s)" % (name, s["uses"], major)
            assert set(s.get("with", {})) <= action_inputs, set(s.get("with", {})) - action_inputs
            uses_bk.append((name, s))
runs_bk = [(n, s) for n, s in uses_bk if s.get("with", {}).get("mode") != "comment"]
assert runs_bk and all(s["with"].get("build") for n, s in runs_bk), "a job measures without building the project"
for ev in ("pull_request", "push", "schedule", "workflow_dispatch"):
    assert any(n in jobs_on(adopt, ev) for n, s in runs_bk), ev + ": nothing measures"
for name, job in jobs_on(adopt, "pull_request").items():
    perms = job["permissions"]
    if any(v == "write" for v in perms.values()):
        # a job with a write token on a pull request runs only the action's comment
        assert not uses(job["steps"], "actions/checkout@"), name + ": checks out the pull request with a write token"
        assert all(s.get("with", {}).get("mode") == "comment" for s in job["steps"]), name
    else:
        for s in uses(job["steps"], "actions/checkout@"):
            assert s["with"].get("persist-credentials") is False and s["with"].get("fetch-depth") == 0, name
assert "default_branch" in str(adopt["jobs"]["default-branch"]["if"])
