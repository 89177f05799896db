"""Do the grader's probes reject every plausible wrong answer, and accept every correct one?

``python -m tests.probe_audit LAB`` prints JSON: for each mutant of the lab (exercises/mutants) and each correct
alternative (``ALTERNATIVES`` in the same module, if any), the reason the grader's probes give, or '' if
they accept it. The reference runs exactly as in a grading run (its own process, recording its tests'
calls); the student side runs the released notebook with the reference's answers once, in this process,
then swaps each mutant's answer cell in, answers that exercise's probes with the grader's own code
(:func:`autograder.sandbox.worker.answer_probes`) and compares them with :func:`autograder.sandbox.probes.compare`,
then puts the reference answer back.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path


def audit(lab: str) -> dict:
    import nbformat

    from autograder.course import LABS, fill_answers, solution_answers, source_notebook
    from autograder.grading.plan import Plan
    from autograder.sandbox import worker
    from autograder.sandbox.host import Zygote
    from autograder.sandbox.policy import switched_off_uses
    from autograder.sandbox.probes import compare
    from autograder.sandbox.protocol import Limits
    from exercises import mutants as M

    plan = Plan.build(source_notebook(lab), LABS / lab / f"{lab}.ipynb")
    limits = Limits(cell_timeout=120.0)
    ref = Zygote("audit", isolate=False)
    try:
        result = ref.run(plan.reference_job(limits, seed=12345), deadline=900)
    finally:
        ref.stop()
    probes = [{**p, "id": k, **plan.probe_rules(p)} for k, (p, _) in enumerate(result.reference)]
    signatures = {k: s for k, (_, s) in enumerate(result.reference)}
    answers = solution_answers(lab)
    nb, _ = plan.assemble(fill_answers(nbformat.read(LABS / lab / f"{lab}.ipynb", as_version=4), answers))
    os.chdir(tempfile.mkdtemp(prefix="probe-audit-"))
    os.environ.setdefault("TMPDIR", os.getcwd())
    shell = worker._prepare()
    got: dict = {}

    def emit(frame):
        if frame.get("op") == "probe":
            got[frame["id"]] = frame["signature"]

    worker.execute(shell, plan.student_job(nb, probes, limits).to_wire(), emit)
    by_exercise: dict[str, list] = {}
    for p in probes:
        by_exercise.setdefault(plan.owner[p["name"]], []).append(p)

    def verdict(probe_list, gid=None, source="") -> str:
        disabled = {n for p in probe_list for n in p.get("disabled", ())}
        found = switched_off_uses(source, disabled, set(plan.not_allowed.get(gid, ()))) if gid else []
        if found:
            return f"rule: line {found[0].line} {found[0].what}"
        for p in probe_list:
            why = compare(signatures[p["id"]], got.get(p["id"]), p.get("mode", "values"), bool(p.get("tight")), p.get("tol"))
            if why:
                return f"{p['name']} ({p['kind']}): {why}"
        return ""

    out = {"lab": lab, "probes": len(probes), "exercises": sorted(by_exercise), "reference": verdict(probes),
           "mutants": {}, "alternatives": {}, "helpers": {}, "broken": {}}
    module = M.load_module(lab)
    candidates = [("mutants", m.id, m.answer, M.answer_source(lab, m)) for m in M.load(lab)]
    candidates += [("alternatives", a.id, a.answer, a.source) for a in getattr(module, "ALTERNATIVES", [])]
    candidates += [("helpers", name, gid, source) for name, gid, source in helper_answers(lab, plan)]
    for group, name, gid, source in candidates:
        got.clear()
        ran = shell.run_cell(source, store_history=False)
        err = ran.error_before_exec or ran.error_in_exec
        if isinstance(err, SyntaxError):  # a mutant that does not compile tests nothing: the old answer stays defined
            out["broken"][name] = f"{type(err).__name__}: {err}"
        worker.answer_probes(shell, by_exercise.get(gid, []), emit)
        out[group][name] = verdict(by_exercise.get(gid, []), gid, source) if by_exercise.get(gid) else "no probes for this exercise"
        shell.run_cell(answers[gid], store_history=False)
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    return out


def helper_answers(lab: str, plan) -> list[tuple[str, str, str]]:
    """(id, answer grade_id, answer source): each public course-library function that could stand in for an
    answer function (same name, the same required parameters, or named in the exercise's ``not_allowed``),
    submitted as that answer — the reference cell with that one function replaced by a call to the helper."""
    import ast
    import importlib
    import inspect
    import pkgutil

    import dlcourse
    from autograder.course import solution_answers

    modules = [dlcourse] + [importlib.import_module(f"dlcourse.{m.name}") for m in pkgutil.walk_packages(dlcourse.__path__)
                            if not m.name.split(".")[-1].startswith("_")]
    helpers: dict[int, tuple[str, str, object]] = {}  # one entry per function object: (module, name, function)
    for mod in modules:
        for name, obj in sorted(vars(mod).items()):
            if (not name.startswith("_") and inspect.isfunction(obj) and obj.__module__.startswith("dlcourse")
                    and id(obj) not in helpers):
                helpers[id(obj)] = (mod.__name__, name, obj)

    def required(fn) -> list[str]:
        return [p.name for p in inspect.signature(fn).parameters.values()
                if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]

    out = []
    for gid, source in solution_answers(lab).items():
        tree = ast.parse(source)
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef):
                continue
            want = [a.arg for a in node.args.args[:len(node.args.args) - len(node.args.defaults)]]
            for mod, name, fn in helpers.values():
                if name == node.name or (want and required(fn) == want) or name in plan.not_allowed.get(gid, ()):
                    wrapper = (f"\n\nfrom {mod} import {name} as _course_helper\n\n\n"
                               f"def {node.name}(*args, **kwargs):\n    return _course_helper(*args, **kwargs)\n")
                    out.append((f"{gid}-{node.name}-as-{mod}.{name}", gid, source + wrapper))
    return out


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    result = audit(sys.argv[1])
    target = sys.argv[2] if len(sys.argv) > 2 else None
    text = json.dumps(result, indent=1)
    if target:
        Path(target).write_text(text)
    else:
        sys.__stdout__.write(text + "\n")
