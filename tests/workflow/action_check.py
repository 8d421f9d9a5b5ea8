#!/usr/bin/env python3
"""Checks a composite action's metadata (action.yml) and writes its steps as
a workflow, so actionlint (which lints workflows, not action metadata) can
check every expression, step and action input in it.

Usage: action_check.py ACTION_YML OUT_WORKFLOW
Prints one line per problem, "action.yml: <key path>: <problem>"; exit 0
only when there is none. OUT_WORKFLOW is written in every case (JSON, which
YAML parsers read): on workflow_dispatch with the action's inputs as inputs,
one job with the action's steps and its outputs as job outputs."""
import json
import re
import sys

import yaml

TOP = {"name", "author", "description", "inputs", "outputs", "runs", "branding"}
INPUT_KEYS = {"description", "required", "default", "deprecationMessage"}
OUTPUT_KEYS = {"description", "value"}
STEP_KEYS = {"id", "if", "name", "uses", "with", "env", "run", "shell",
             "working-directory", "continue-on-error"}


def main():
    src, out = sys.argv[1], sys.argv[2]
    text = open(src, encoding="utf-8").read()
    doc = yaml.safe_load(text)
    name = src.rsplit("/", 1)[-1]
    problems = []

    def bad(where, what):
        problems.append(f"{name}: {where}: {what}")

    if not isinstance(doc, dict):
        bad("(top)", "not a mapping")
        doc = {}
    for k in doc:
        if k not in TOP:
            bad(k, "unknown key")
    for k in ("name", "description", "runs"):
        if k not in doc:
            bad(k, "missing")
    inputs = doc.get("inputs") or {}
    for iname, spec in inputs.items():
        if not isinstance(spec, dict):
            bad(f"inputs.{iname}", "not a mapping")
            continue
        for k in spec:
            if k not in INPUT_KEYS:
                bad(f"inputs.{iname}.{k}", "unknown key")
        if "description" not in spec:
            bad(f"inputs.{iname}", "no description")
    outputs = doc.get("outputs") or {}
    for oname, spec in outputs.items():
        for k in spec or {}:
            if k not in OUTPUT_KEYS:
                bad(f"outputs.{oname}.{k}", "unknown key")
        if not spec or "value" not in spec:
            bad(f"outputs.{oname}", "a composite action's output needs a value")
    runs = doc.get("runs") or {}
    if runs.get("using") != "composite":
        bad("runs.using", "not 'composite'")
    steps = runs.get("steps") or []
    ids = set()
    for i, st in enumerate(steps):
        where = f"runs.steps[{i}]"
        for k in st:
            if k not in STEP_KEYS:
                bad(f"{where}.{k}", "unknown key")
        if ("run" in st) == ("uses" in st):
            bad(where, "needs exactly one of run and uses")
        if "run" in st and "shell" not in st:
            bad(where, "a composite run step needs shell")
        if "id" in st:
            ids.add(st["id"])
    for m in re.finditer(r"\binputs\.([A-Za-z_][A-Za-z0-9_-]*)", text):
        if m.group(1) not in inputs:
            bad(f"line {text.count(chr(10), 0, m.start()) + 1}", f"inputs.{m.group(1)} is not declared")
    for m in re.finditer(r"\bsteps\.([A-Za-z_][A-Za-z0-9_-]*)\.outputs", text):
        if m.group(1) not in ids:
            bad(f"line {text.count(chr(10), 0, m.start()) + 1}", f"no step with id '{m.group(1)}'")

    dispatch = {}
    for iname, spec in inputs.items():
        if not isinstance(spec, dict):
            continue
        d = {"description": str(spec.get("description", "")), "required": bool(spec.get("required", False))}
        if "default" in spec:
            d["default"] = str(spec["default"])
        dispatch[iname] = d
    job = {"runs-on": "ubuntu-latest", "steps": steps}
    if outputs:
        job["outputs"] = {k: v.get("value", "") for k, v in outputs.items() if isinstance(v, dict)}
    wf = {"name": f"{name} as a workflow", "on": {"workflow_dispatch": {"inputs": dispatch}},
          "jobs": {"action": job}}
    with open(out, "w", encoding="utf-8") as f:
        json.dump(wf, f, indent=1)
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
