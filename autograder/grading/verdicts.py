"""Turn a sandbox's (untrusted) result into a graded notebook: the grader decides every point here.

A test cell keeps its points only if (1) its visible tests passed in the student's sandbox, as nbgrader
would score them, and (2) every probe of its exercise agrees with the reference, compared in this process.
(1) can only lower a score, since the student's process could fake a pass; (2) cannot be faked without
computing the right answer, because the reference signatures never leave this process. The verdict is
written into the notebook as an error output, so stock nbgrader's gradebook steps score it the same way.
"""
from __future__ import annotations

import signal

import nbformat

from ..engine import error_message
from ..sandbox.probes import compare
from ..sandbox.protocol import DISPLAY_CAP, STREAM_CAP, Result
from .plan import Plan, is_test, nbg

GRADER_CHECK = "GraderCheckFailed"


def signal_reason(sig: int) -> str:
    """Say in a student's words why the process died of signal ``sig``."""
    name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else f"signal {sig}"
    if sig in (signal.SIGSEGV, signal.SIGBUS, signal.SIGILL, signal.SIGFPE, signal.SIGABRT):
        return f"the kernel crashed ({name}: the code read memory it does not own, e.g. a bad stride or pointer)"
    if sig == signal.SIGXCPU:
        return f"the kernel was stopped for using too much CPU time ({name})"
    if sig == signal.SIGKILL:
        return f"the kernel was killed ({name}): most likely it ran out of memory"
    return f"the kernel was killed by {name}"


def _clean_outputs(outs, graded: bool) -> list:
    """The outputs a cell reported, re-capped here (the reader decides) and made safe for nbgrader."""
    kept, text, rich = [], {"stdout": 0, "stderr": 0}, 0
    for o in outs if isinstance(outs, list) else []:
        if not isinstance(o, dict):
            continue
        kind = o.get("output_type")
        if kind == "stream" and o.get("name") in text and isinstance(o.get("text"), str):
            room = STREAM_CAP - text[o["name"]]
            piece = o["text"][:max(0, room)]
            text[o["name"]] += len(piece)
            if piece:
                kept.append(nbformat.v4.new_output("stream", name=o["name"], text=piece))
        elif kind == "error":
            kept.append(nbformat.v4.new_output("error", ename=str(o.get("ename", "Error"))[:200], evalue=str(o.get("evalue", ""))[:4000],
                                               traceback=[str(t)[:4000] for t in (o.get("traceback") or [])[-30:] if isinstance(t, str)]))
        elif kind in ("display_data", "execute_result") and isinstance(o.get("data"), dict):
            data = {str(k): v for k, v in o["data"].items()  # text, or a list of lines (anything else nbformat refuses)
                    if isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v))}
            size = sum(len(str(v)) for v in data.values())
            if not data or rich + size > DISPLAY_CAP:
                continue
            rich += size
            if kind == "execute_result" and not graded:
                kept.append(nbformat.v4.new_output("execute_result", data=data, execution_count=o.get("execution_count") if isinstance(o.get("execution_count"), int) else None))
            else:  # in a test cell a last-expression value would be read as partial credit: show it, never score it
                kept.append(nbformat.v4.new_output("display_data", data=data))
    return kept


def apply(nb, result: Result, end: int | None = None) -> None:
    """Put the sandbox's outputs into ``nb``; cells that never reported get an error saying why. Cells from
    index ``end`` on were not part of the job (they come after the last test cell): they keep no outputs."""
    problem = result.problem
    if not problem and result.exit not in (0, None):
        code = result.exit
        problem = signal_reason(-code) if code < 0 else f"the notebook's process exited with status {code} (sys.exit / os._exit in a cell?)"
    first_missing = True
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if end is not None and i >= end:
            cell.outputs, cell.execution_count = [], None
            continue
        got = result.cells.get(i)
        if isinstance(got, dict):
            cell.outputs = _clean_outputs(got.get("outputs"), is_test(cell))
            cell.execution_count = got.get("execution_count") if isinstance(got.get("execution_count"), int) else None
        else:
            why = problem or "the notebook's process stopped"
            text = why if first_missing else f"not run: {why} in an earlier cell"
            ename = "CellTimeoutError" if result.timeout else "DeadKernelError"
            cell.outputs = [nbformat.v4.new_output("error", ename=ename, evalue=text, traceback=[])]
            first_missing = False
        try:
            nbformat.validate(nbformat.v4.new_notebook(cells=[cell]))
        except nbformat.ValidationError:
            cell.outputs = [nbformat.v4.new_output("error", ename="GraderError", evalue="the cell's output was malformed", traceback=[])]


def probe_failures(plan: Plan, probes: list[dict], signatures: dict[int, dict], result: Result) -> dict[str, str]:
    """answer grade_id -> why the grader's own checks reject it (the first failing probe), decided here."""
    wrong: dict[str, str] = {}
    for probe in probes:
        gid = plan.owner.get(probe["name"])
        if not gid or gid in wrong:
            continue
        got = result.probes.get(probe["id"])
        if got is None:
            why = "the notebook stopped before the grader could check it" if result.problem or result.exit else "no result came back"
        else:
            why = compare(signatures[probe["id"]], got, probe.get("mode", "values"), bool(probe.get("tight")), probe.get("tol"))
        if why:
            what = "an instance of " + probe["name"] if probe["kind"] != "call" else probe["name"]
            wrong[gid] = f"the grader's own check of {what} failed: {why}"
    return wrong


def rule_failures(plan: Plan, probes: list[dict], nb, authored: dict[int, str]) -> dict[str, str]:
    """answer grade_id -> the stated "don't call X" rule its answer cell breaks, read from the source here.

    The functions an exercise forbids are those its tests switch off while calling the answer (recorded
    with the probes) and the course helpers that answer it (``plan.not_allowed``); a probe makes such a
    call raise, and this catches one reached through a name bound before the probe switched it off."""
    from ..sandbox.policy import switched_off_uses

    disabled: dict[str, set[str]] = {}
    for probe in probes:
        gid = plan.owner.get(probe["name"])
        if gid and probe.get("disabled"):
            disabled.setdefault(gid, set()).update(probe["disabled"])
    broken: dict[str, str] = {}
    for i, what in authored.items():
        gid = what.split(" ", 1)[1] if what.startswith("answer ") else None
        if gid in disabled or gid in plan.not_allowed:
            found = switched_off_uses(nb.cells[i].source, disabled.get(gid, set()), set(plan.not_allowed.get(gid, ())))
            if found:
                broken[gid] = f"line {found[0].line} of your answer {found[0].what}"
    return broken


def score(nb, plan: Plan, wrong: dict[str, str], notes: dict[int, str]) -> None:
    """Write the grader's verdicts into the executed notebook (before nbgrader scores it)."""
    from nbgrader.utils import determine_grade

    for i, text in notes.items():  # teaching-rule findings: reported, not scored (no rule is stated yet)
        nb.cells[i].outputs.append(nbformat.v4.new_output("stream", name="stdout", text=f"\n[note from the grader] {text}\n"))
    for cell in nb.cells:
        if not is_test(cell):
            continue
        gid = plan.exercise_of.get(nbg(cell)["grade_id"])
        if gid in wrong:
            points, _ = determine_grade(cell)
            if points and points > 0:
                cell.outputs.append(nbformat.v4.new_output("error", ename=GRADER_CHECK, evalue=wrong[gid], traceback=[]))


def cell_reasons(nb) -> dict[str, str]:
    """grade_id -> why that graded cell lost points, read from an executed notebook.

    An error earlier in the same exercise (say, an answer cell that timed out) is named first, since the
    test cell's own error (a NameError) is only its consequence. The grader's own verdicts come first of all.
    """
    reasons, earlier = {}, ""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        meta = nbg(cell)
        own = [o for o in cell.get("outputs", []) if o.get("output_type") == "error" and o.get("ename") == GRADER_CHECK]
        visible = [o for o in cell.get("outputs", []) if o.get("output_type") == "error" and o.get("ename") != GRADER_CHECK]
        message = error_message(cell) if visible else (own[0]["evalue"] if own else error_message(cell))
        if meta.get("grade") and not meta.get("solution"):
            if message:
                reasons[meta["grade_id"]] = f"{earlier} -> then: {message}" if earlier and earlier != message and not own else message
            earlier = ""
        elif message:
            earlier = message
    return reasons


def notes_of(nb) -> list[str]:
    return [o["text"].strip() for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
            if o.get("output_type") == "stream" and "[note from the grader]" in str(o.get("text", ""))]
