"""Record every call a lab's tests make to its answers, and check each against the exercise's contract.

``python -m exercises.record LAB`` runs the lab's nbgrader source top to bottom in this process (an IPython
shell, as the grader's worker runs it); ``tests/test_mutants.py`` runs :func:`recording_notebook` in the kernel
where it grades the lab's mutants, so the suite records each lab once. Each answer named by a contract is wrapped: every call a test makes
(not the answers' calls to each other) is checked against :class:`exercises.contracts.Contract` with the
reference's result, and the shapes that matter for coverage are noted. Test cells run in two parts, the
visible asserts and then the hidden ones, so each call is known to come from one or the other. Prints JSON:
``{"answer/name": {"calls", "hidden_calls", "problems", "diverse", "batch_of_one", "shapes"}}``.
"""
from __future__ import annotations

import functools
import inspect
import json
import os
import sys
import tempfile

HIDDEN = "### BEGIN HIDDEN TESTS"


class _Log:
    def __init__(self, contract):
        self.contract = contract
        self.calls = self.hidden_calls = 0
        self.problems: list[str] = []
        self.diverse = self.batch_of_one = False
        self.shapes: set = set()

    def note(self, bound: dict, phase: str, problem: str) -> None:
        import numpy as np
        import torch

        self.calls += 1
        hidden = phase == "hidden"
        self.hidden_calls += hidden
        if problem and len(self.problems) < 5:
            self.problems.append(f"a {phase} test {problem}")
        c = self.contract
        for name, flag in ((c.diverse_param, "diverse"), (c.batch, "batch_of_one")):
            value = bound.get(name)
            if not isinstance(value, (torch.Tensor, np.ndarray)):
                continue
            shape = tuple(value.shape)
            self.shapes.add((name, phase, shape))
            if not hidden:
                continue
            if flag == "diverse" and shape and len(set(shape)) == len(shape) and min(shape) >= 3:
                self.diverse = True
            if flag == "batch_of_one" and shape and shape[0] == 1:
                self.batch_of_one = True

    def report(self) -> dict:
        return {"calls": self.calls, "hidden_calls": self.hidden_calls, "problems": self.problems,
                "diverse": self.diverse, "batch_of_one": self.batch_of_one,
                "shapes": sorted(f"{n} {p} {s}" for n, p, s in self.shapes)[:40]}


class _Recorder:
    def __init__(self):
        self.phase = "setup"
        self.depth = 0

    def function(self, fn, log: _Log):
        recorder, signature = self, inspect.signature(fn)

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            if recorder.depth:
                return fn(*args, **kwargs)
            try:
                bound = dict(signature.bind(*args, **kwargs).arguments)
            except TypeError as err:
                log.note({}, recorder.phase, f"calls {log.contract.name} with arguments that do not fit its signature: {err}")
                return fn(*args, **kwargs)
            problem = log.contract.check_call(bound)
            recorder.depth += 1
            try:
                out = fn(*args, **kwargs)
            except Exception:
                log.note(bound, recorder.phase, problem)
                raise
            finally:
                recorder.depth -= 1
            log.note(bound, recorder.phase, problem or log.contract.check_call(bound, out, has_result=True))
            return out

        return wrapper

    def cls(self, cls, log: _Log) -> None:
        recorder, init, forward = self, cls.__init__, cls.forward
        init_sig, forward_sig = inspect.signature(init), inspect.signature(forward)

        def __init__(module, *args, **kwargs):
            if recorder.depth == 0 and type(module) is cls:
                try:
                    bound = dict(init_sig.bind(module, *args, **kwargs).arguments)
                    bound.pop(next(iter(init_sig.parameters)))
                    problem = log.contract.check_call(bound)
                except TypeError as err:
                    problem = f"constructs {log.contract.name} with arguments that do not fit: {err}"
                if problem and len(log.problems) < 5:
                    log.problems.append(f"a {recorder.phase} test {problem}")
            recorder.depth += 1
            try:
                init(module, *args, **kwargs)
            finally:
                recorder.depth -= 1

        def forward_(module, *args, **kwargs):
            if recorder.depth:
                return forward(module, *args, **kwargs)
            bound = dict(forward_sig.bind(module, *args, **kwargs).arguments)
            bound.pop(next(iter(forward_sig.parameters)))
            problem = log.contract.check_call(bound, forward=True)
            recorder.depth += 1
            try:
                out = forward(module, *args, **kwargs)
            finally:
                recorder.depth -= 1
            log.note(bound, recorder.phase, problem or log.contract.check_call(bound, out, forward=True, has_result=True))
            return out

        cls.__init__, cls.forward = __init__, forward_


def key(contract) -> str:
    """How a contract's report is keyed: ``answer/name`` (one answer cell may define two graded functions)."""
    return f"{contract.answer}/{contract.name}"


class Session:
    """One lab's recording: wraps each answer as its cell runs, knows the phase, and reports."""

    def __init__(self, lab: str):
        from exercises.contracts import contracts

        self.by_answer: dict = {}
        for c in contracts(lab):
            self.by_answer.setdefault(c.answer, []).append(c)
        self.logs = {key(c): _Log(c) for cs in self.by_answer.values() for c in cs}
        self.rec = _Recorder()
        self.errors: list[str] = []

    def wrap(self, namespace: dict, gid: str) -> None:
        """After answer cell ``gid`` ran: wrap what it defined, so the tests' calls are recorded."""
        for contract in self.by_answer.get(gid, []):
            value = namespace.get(contract.name)
            if isinstance(value, type):
                self.rec.cls(value, self.logs[key(contract)])
            elif callable(value):
                namespace[contract.name] = self.rec.function(value, self.logs[key(contract)])
            else:
                self.errors.append(f"{gid}: the answer cell defines no {contract.name!r}")

    def stop(self) -> None:
        """Record nothing more (the mutants that run afterwards in the same kernel are not the reference)."""
        self.rec.depth = 10**9

    def report(self) -> dict:
        return {"errors": self.errors, "answers": {a: log.report() for a, log in self.logs.items()}}

    def report_json(self) -> str:
        return json.dumps(self.report())


def recording_notebook(nb, lab: str):
    """A copy of the source notebook ``nb`` that records its tests' calls as it runs in a kernel: the answers
    are wrapped after their cells, and each test cell says when its hidden part begins. The graded cells keep
    their grade_ids, so the copy is scored like the original; ``_dl_contracts.report_json()`` gives the report."""
    import nbformat

    from autograder.notebook import grade_id, nbg

    def code(src):
        return nbformat.v4.new_code_cell(src)

    out = nbformat.from_dict(json.loads(json.dumps(nb)))
    cells = [code(f"from exercises.record import Session as _DlSession\n_dl_contracts = _DlSession({lab!r})")]
    for cell in out.cells:
        meta = nbg(cell) if cell.cell_type == "code" else {}
        if cell.cell_type == "code":
            cells.append(code(f"_dl_contracts.rec.phase = {'visible' if meta.get('grade') else 'setup'!r}"))
            if meta.get("grade") and HIDDEN in cell.source:
                cell.source = cell.source.replace(HIDDEN, HIDDEN + "\n_dl_contracts.rec.phase = 'hidden'", 1)
        cells.append(cell)
        if meta.get("solution"):
            cells.append(code(f"_dl_contracts.wrap(globals(), {grade_id(cell)!r})"))
    out.cells = cells
    return out


def record(lab: str) -> dict:
    """Run ``lab``'s source in this process (an IPython shell, as the grader's worker does) and report."""
    import nbformat

    from autograder.course import source_notebook
    from autograder.notebook import grade_id, nbg
    from autograder.sandbox import worker

    nb = nbformat.read(source_notebook(lab), as_version=4)
    session = Session(lab)
    os.chdir(source_notebook(lab).parent)
    os.environ.setdefault("TMPDIR", tempfile.mkdtemp(prefix="record-"))
    shell = worker._prepare()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        gid, meta = grade_id(cell), nbg(cell)
        parts = [("visible", cell.source)]
        if meta.get("grade") and HIDDEN in cell.source:
            head, tail = cell.source.split(HIDDEN, 1)
            parts = [("visible", head), ("hidden", tail)]
        for phase, source in parts:
            session.rec.phase = phase if meta.get("grade") else "setup"
            result = shell.run_cell(source, store_history=False, silent=True)
            err = result.error_before_exec or result.error_in_exec
            if err is not None:
                session.errors.append(f"{gid}: {type(err).__name__}: {err}")
        if meta.get("solution"):
            session.wrap(shell.user_ns, gid)
    return session.report()


if __name__ == "__main__":
    out = record(sys.argv[1])
    sys.stdout.flush()
    os.write(1, (json.dumps(out) + "\n").encode())
