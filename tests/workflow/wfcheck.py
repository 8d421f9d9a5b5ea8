"""Reading GitHub workflows as GitHub would decide what runs: which jobs
and steps of a workflow may run on an event, found by evaluating their `if:`
expressions with the event name known and everything else unknown
(three-valued: True, False, None = may be either). A job runs only when its
`needs` may run too. Used by tests/integration/workflows.sh.

    wf = load(".github/workflows/benchmarks.yml")
    jobs = jobs_on(wf, "schedule")            # {name: job} that may run
    steps = steps_on(job, "schedule")         # [step] that may run
"""
import re

import yaml

_TOKEN = re.compile(r"\s*(\|\||&&|==|!=|<=|>=|<|>|!|\(|\)|,|'(?:[^']|'')*'|"
                    r"[A-Za-z_][A-Za-z0-9_\-]*(?:\.(?:\*|[A-Za-z_][A-Za-z0-9_\-]*))*|\d+(?:\.\d+)?)")
UNKNOWN = object()


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def triggers(wf):
    """The `on:` mapping (YAML 1.1 reads a bare `on` as True)."""
    on = wf[True] if True in wf else wf["on"]
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {e: None for e in on}
    return on


def _tokens(expr):
    pos, out = 0, []
    expr = expr.strip()
    while pos < len(expr):
        m = _TOKEN.match(expr, pos)
        if not m or m.end() == pos:
            raise ValueError("cannot read the expression at %r" % expr[pos:])
        out.append(m.group(1))
        pos = m.end()
    return out


class _Eval:
    def __init__(self, tokens, event):
        self.t, self.i, self.event = tokens, 0, event

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else None

    def take(self, want=None):
        tok = self.peek()
        if want is not None and tok != want:
            raise ValueError("expected %r, got %r" % (want, tok))
        self.i += 1
        return tok

    @staticmethod
    def truth(v):
        if v is UNKNOWN:
            return None
        return bool(v)

    def or_(self):
        v = self.and_()
        while self.peek() == "||":
            self.take()
            w = self.and_()
            a, b = self.truth(v), self.truth(w)
            v = True if (a is True or b is True) else (False if (a is False and b is False) else UNKNOWN)
        return v

    def and_(self):
        v = self.not_()
        while self.peek() == "&&":
            self.take()
            w = self.not_()
            a, b = self.truth(v), self.truth(w)
            v = False if (a is False or b is False) else (True if (a and b) else UNKNOWN)
        return v

    def not_(self):
        if self.peek() == "!":
            self.take()
            a = self.truth(self.not_())
            return UNKNOWN if a is None else (not a)
        return self.cmp()

    def cmp(self):
        v = self.primary()
        while self.peek() in ("==", "!=", "<", ">", "<=", ">="):
            op = self.take()
            w = self.primary()
            if v is UNKNOWN or w is UNKNOWN or op not in ("==", "!="):
                v = UNKNOWN
                continue
            eq = (v.lower() == w.lower()) if isinstance(v, str) and isinstance(w, str) else (v == w)
            v = eq if op == "==" else not eq
        return v

    def primary(self):
        tok = self.take()
        if tok == "(":
            v = self.or_()
            self.take(")")
            return v
        if tok.startswith("'"):
            return tok[1:-1].replace("''", "'")
        if tok in ("true", "false"):
            return tok == "true"
        if tok == "null":
            return None
        if re.fullmatch(r"\d+(\.\d+)?", tok):
            return float(tok)
        if self.peek() == "(":  # a function call: arguments read, result known for a few
            self.take("(")
            while self.peek() != ")":
                self.or_()
                if self.peek() == ",":
                    self.take()
            self.take(")")
            return {"cancelled": False, "always": True}.get(tok, UNKNOWN)
        if tok == "github.event_name":
            return self.event
        if tok.startswith("inputs.") and self.event not in ("workflow_dispatch", "workflow_call"):
            return None  # no inputs on other events
        return UNKNOWN


def evaluate(cond, event):
    """True, False or None (unknown) for an `if:` on `event`; no `if`: True."""
    if cond is None:
        return True
    if isinstance(cond, bool):
        return cond
    text = str(cond).strip()
    m = re.fullmatch(r"\$\{\{(.*)\}\}", text, re.S)
    if m:
        text = m.group(1)
    e = _Eval(_tokens(text), event)
    v = e.or_()
    if e.peek() is not None:
        raise ValueError("trailing tokens in %r" % cond)
    return _Eval.truth(v)


def jobs_on(wf, event):
    """The jobs of wf that may run on event (if not False, needs too)."""
    if event not in triggers(wf):
        return {}
    jobs = wf.get("jobs") or {}
    may = {}

    def runs(name):
        if name in may:
            return may[name]
        job = jobs[name]
        needs = job.get("needs") or []
        needs = [needs] if isinstance(needs, str) else needs
        ok = evaluate(job.get("if"), event) is not False and all(runs(n) for n in needs)
        may[name] = ok
        return ok

    return {n: jobs[n] for n in jobs if runs(n)}


def steps_on(job, event):
    return [s for s in job.get("steps", []) if evaluate(s.get("if"), event) is not False]


def runs_text(steps):
    return "\n".join(s.get("run", "") for s in steps)


def uses(steps, prefix):
    return [s for s in steps if str(s.get("uses", "")).startswith(prefix)]
