#!/usr/bin/env python3
"""The house rules of benchkeep's source tree, checked from the code itself.

    tools/layout.py check     fail (exit 1) on a broken rule, one line each:
                              - an include circle between modules (a module is
                                a .c file with its .h; run.c -> measure.h and
                                measure.c -> run.h is a circle)
                              - sitegen/ including from collector/, collector/
                                from sitegen/, lib/ from either; inside lib/,
                                a room including its own or a higher layer
                                (base < stats < doc, git < verdict)
                              - a module including a command header (only
                                benchkeep.c and the command front-ends do)
                              - a product function over 80 lines, a product
                                file over 600 lines
                              - a public header whose first comment does not
                                open the file (its one job)
    tools/layout.py graph     the room-level include graph (Mermaid), for
                              docs/ARCHITECTURE.md
    tools/layout.py long      functions over 80 lines and files over 600

Product code is benchkeep.c, lib/, collector/, sitegen/ (tests, tools and
generated files are not). Includes are read as text: #include "x.h" resolves
against the including file's folder, then the Makefile's -I folders.
"""
import os
import re
import sys

ROOT = os.environ.get("LAYOUT_ROOT") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PRODUCT = ("lib", "collector", "sitegen")
MAX_FUNC = 80
MAX_FILE = 600
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def product_files():
    out = ["benchkeep.c"] if os.path.exists(os.path.join(ROOT, "benchkeep.c")) else []
    for top in PRODUCT:
        for d, _, names in os.walk(os.path.join(ROOT, top)):
            for n in names:
                if n.endswith((".c", ".h")):
                    out.append(os.path.relpath(os.path.join(d, n), ROOT))
    return sorted(out)


def include_dirs():
    """The -I folders of the Makefile's compiler flags, as the compiler
    searches them after the including file's own folder."""
    with open(os.path.join(ROOT, "Makefile"), encoding="utf-8") as fh:
        make = fh.read()
    dirs = re.findall(r"(?<![\w$])-I(\S+)", make.split("pkg-config")[0])
    return [d for d in dirs if not d.startswith("$")] or ["."]


def resolve(src, inc, files, dirs):
    for base in [os.path.dirname(src)] + dirs:
        cand = os.path.normpath(os.path.join(base, inc))
        if cand in files:
            return cand
    return None


def includes(files):
    fs = set(files)
    dirs = include_dirs()
    edges = {}
    for f in files:
        with open(os.path.join(ROOT, f), encoding="utf-8") as fh:
            text = fh.read()
        edges[f] = [r for r in (resolve(f, i, fs, dirs) for i in INCLUDE.findall(text)) if r]
    return edges


def module(path):
    return path[:-2] if path.endswith((".c", ".h")) else path


def room(path):
    parts = path.split("/")
    return "/".join(parts[:-1]) if len(parts) > 1 else "benchkeep.c"


def module_graph(edges):
    g = {}
    for f, targets in edges.items():
        m = module(f)
        g.setdefault(m, set())
        for t in targets:
            if module(t) != m:
                g[m].add(module(t))
    return g


def cycles(g):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(g.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def top(path):
    return path.split("/")[0]


# lib/'s sub-rooms in layers: a room includes only rooms of a lower layer
LIB_RANK = {"lib/base": 0, "lib/stats": 1, "lib/doc": 2, "lib/git": 2, "lib/verdict": 3}


def lib_rank(path):
    return LIB_RANK.get(room(path))


def is_command_header(path):
    return os.path.basename(path) in ("commands.h", "cli.h")


def arrow_errors(edges):
    errs = []
    for f, targets in sorted(edges.items()):
        for t in targets:
            a, b = top(f), top(t)
            if a == "lib" and b != "lib":
                errs.append(f"{f}: includes {t} (lib/ depends on nothing above it)")
            elif a == "lib" and lib_rank(f) is not None and lib_rank(t) is not None and room(f) != room(t) \
                    and lib_rank(t) >= lib_rank(f):
                errs.append(f"{f}: includes {t} (inside lib/ the arrows go verdict -> doc, git -> stats -> base)")
            elif a == "sitegen" and b == "collector":
                errs.append(f"{f}: includes {t} (sitegen/ never includes from collector/)")
            elif a == "collector" and b == "sitegen":
                errs.append(f"{f}: includes {t} (collector/ never includes from sitegen/)")
            if is_command_header(t) and not (f == "benchkeep.c" or os.path.basename(f).startswith("cmd_")
                                             or is_command_header(f)):
                errs.append(f"{f}: includes the command header {t} (only benchkeep.c and the front-ends do)")
    return errs


FUNC_START = re.compile(r"^[A-Za-z_][\w \*\(\),\[\]]*\)\s*$|^[A-Za-z_][\w \*\(\),\[\]]*\)\s*\{\s*$")


def functions(path):
    """(name, first line, length) of each top-level function definition: a
    body opened by a '{' at column 0 (or at the end of the signature) and
    closed by a '}' at column 0, as this tree's style writes them."""
    with open(os.path.join(ROOT, path), encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        opens = line == "{" or (line.endswith("{") and "(" in line and not line.startswith((" ", "\t", "#"))
                                and not re.match(r"^(static\s+)?(const\s+)?(struct|enum|union)\s+\w+\s*\{", line)
                                and "=" not in line)
        if opens:
            start = i
            j = i - 1 if line == "{" else i
            while j > 0 and lines[j - 1].strip() and not lines[j - 1].rstrip().endswith((";", "}", "*/")) \
                    and not lines[j - 1].startswith("#"):
                j -= 1
            sig = " ".join(lines[j:i + 1])
            m = re.search(r"(\w+)\s*\(", sig)
            k = i + 1
            while k < len(lines) and lines[k] != "}" and not lines[k].startswith("};"):
                k += 1
            if m and "(" in sig and "=" not in sig.split("(")[0]:
                out.append((m.group(1), j + 1, k - start + 1))
            i = k + 1
            continue
        i += 1
    return out


def long_things(files):
    funcs, big = [], []
    for f in files:
        with open(os.path.join(ROOT, f), encoding="utf-8") as fh:
            n = fh.read().count("\n")
        if n > MAX_FILE:
            big.append((f, n))
        if f.endswith(".c"):
            for name, line, length in functions(f):
                if length > MAX_FUNC:
                    funcs.append((f, line, name, length))
    return funcs, big


def allow_list():
    """(file, function) pairs of tools/layout-allow.txt: long functions not
    yet split, each with its reason."""
    path = os.path.join(ROOT, "tools", "layout-allow.txt")
    out = set()
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if parts and not parts[0].startswith("#"):
                    out.add((parts[0], parts[1]))
    return out


def header_errors(files):
    errs = []
    for f in files:
        if not f.endswith(".h"):
            continue
        with open(os.path.join(ROOT, f), encoding="utf-8") as fh:
            head = fh.read(400).lstrip()
        if not head.startswith(("/*", "//")):
            errs.append(f"{f}:1: the header does not open with a comment stating its module's job")
    return errs


def graph(edges):
    rooms = {}
    for f, targets in edges.items():
        for t in targets:
            a, b = room(f), room(t)
            if a != b:
                rooms.setdefault(a, {}).setdefault(b, 0)
                rooms[a][b] += 1
    ids = {}
    lines = ["flowchart TD"]
    for r in sorted({r for r in rooms} | {t for v in rooms.values() for t in v}):
        ids[r] = "r" + re.sub(r"\W", "_", r)
        lines.append(f'  {ids[r]}["{r}"]')
    for a in sorted(rooms):
        for b, n in sorted(rooms[a].items()):
            lines.append(f"  {ids[a]} -->|{n}| {ids[b]}")
    return "\n".join(lines)


def main(argv):
    cmd = argv[1] if len(argv) > 1 else "check"
    files = product_files()
    edges = includes(files)
    if cmd == "graph":
        print(graph(edges))
        return 0
    funcs, big = long_things(files)
    if cmd == "long":
        for f, line, name, length in sorted(funcs, key=lambda x: -x[3]):
            print(f"{f}:{line}: {name}() {length} lines")
        for f, n in big:
            print(f"{f}: {n} lines")
        return 0
    if cmd != "check":
        print(__doc__, file=sys.stderr)
        return 2
    errs = arrow_errors(edges)
    for comp in cycles(module_graph(edges)):
        errs.append("include circle: " + " -> ".join(comp) + " -> " + comp[0])
    allowed = allow_list()
    for f, line, name, length in funcs:
        if (f, name) in allowed:
            allowed.discard((f, name))
            continue
        errs.append(f"{f}:{line}: {name}() is {length} lines (at most {MAX_FUNC})")
    for f, name in sorted(allowed):
        errs.append(f"tools/layout-allow.txt: {f} {name} is no longer over {MAX_FUNC} lines: remove it")
    for f, n in big:
        errs.append(f"{f}: {n} lines (at most {MAX_FILE})")
    errs += header_errors(files)
    for e in errs:
        print("layout: " + e, file=sys.stderr)
    print(f"layout: {len(files)} files, {sum(len(v) for v in edges.values())} includes, "
          f"{len(errs)} broken rule(s)")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
