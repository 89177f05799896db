"""autograder.grading.verdicts: an untrusted sandbox Result turned into a scored notebook, in the grader.

Outputs are re-capped here (the reader decides); a value a test cell displays is never read as partial
credit; cells that never reported say why; a failing probe or a broken rule costs the points of the cells
that would have kept them, with the reason; ``cell_reasons`` names the first cause.
"""
import nbformat
import pytest

from autograder.engine import score_notebook
from autograder.grading.plan import Plan
from autograder.grading.verdicts import (
    GRADER_CHECK,
    apply,
    cell_reasons,
    notes_of,
    probe_failures,
    rule_failures,
    score,
    signal_reason,
)
from autograder.notebook import grade_id
from autograder.sandbox.probes import observe
from autograder.sandbox.protocol import DISPLAY_CAP, STREAM_CAP, Result
from tests.unit_helpers import by_gid, tiny_release, wire, write_tiny_lab

ANSWERS = {"ex1": "def double(x):\n    return x + x", "ex2": "def halve(x):\n    return x * 0.5"}


@pytest.fixture
def plan(tmp_path):
    return Plan.build(*write_tiny_lab(tmp_path))


@pytest.fixture
def nb(plan):
    student = tiny_release()
    for cell in student.cells:
        if grade_id(cell) in ANSWERS:
            cell.source = ANSWERS[grade_id(cell)]
    return plan.assemble(student)[0]


def index(nb, gid):
    return [grade_id(c) for c in nb.cells].index(gid)


def ran(nb, **outputs):
    """A Result in which every code cell ran, with ``outputs`` (by grade_id) for some of them."""
    cells = {i: {"outputs": [], "execution_count": i} for i, c in enumerate(nb.cells) if c.cell_type == "code"}
    for gid, outs in outputs.items():
        cells[index(nb, gid)]["outputs"] = outs
    return Result(cells=cells, exit=0)


def stream(text, name="stdout"):
    return {"output_type": "stream", "name": name, "text": text}


def error(ename="ValueError", evalue="bad"):
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": []}


def scores(nb):
    return {r.grade_id: r.score for r in score_notebook(nb)}


def test_a_clean_run_keeps_every_point(nb):
    apply(nb, ran(nb))
    assert scores(nb) == {"ex1_tests": 2.0, "ex2_tests_a": 1.0, "ex2_tests_b": 1.0}
    assert by_gid(nb, "ex1_tests").execution_count == index(nb, "ex1_tests")


def test_streams_are_capped_here_whatever_the_sandbox_sent(nb):
    apply(nb, ran(nb, setup=[stream("a" * STREAM_CAP), stream("b" * 10), stream("e" * (STREAM_CAP + 5), "stderr")]))
    outs = by_gid(nb, "setup").outputs
    kept = {name: sum(len(o.text) for o in outs if o.output_type == "stream" and o.name == name) for name in ("stdout", "stderr")}
    assert kept == {"stdout": STREAM_CAP, "stderr": STREAM_CAP}
    assert all(o.text for o in outs), "no empty stream outputs"


def test_values_shown_by_a_test_cell_are_never_partial_credit(nb):
    half = {"output_type": "execute_result", "data": {"text/plain": "0.5"}, "execution_count": 1, "metadata": {}}
    apply(nb, ran(nb, ex1_tests=[half], ex1=[half]))
    assert [o.output_type for o in by_gid(nb, "ex1_tests").outputs] == ["display_data"]
    assert [o.output_type for o in by_gid(nb, "ex1").outputs] == ["execute_result"], "elsewhere a value stays a value"
    assert scores(nb)["ex1_tests"] == 2.0, "a displayed 0.5 would have been half the points in stock nbgrader"


def test_rich_output_over_the_cap_and_malformed_outputs_are_dropped(nb):
    big = {"output_type": "display_data", "data": {"text/html": "x" * (DISPLAY_CAP + 1)}, "metadata": {}}
    junk = ["text", None, {"output_type": "display_data", "data": {"image/png": 5}}, {"output_type": "nonsense"},
            {"output_type": "stream", "name": "stdin", "text": "x"}, {"output_type": "stream", "name": "stdout", "text": 5}]
    apply(nb, ran(nb, setup=[big, *junk, error("E" * 500, "v" * 10_000)]))
    outs = by_gid(nb, "setup").outputs
    assert [o.output_type for o in outs] == ["error"]
    assert len(outs[0].ename) == 200 and len(outs[0].evalue) == 4000
    nbformat.validate(nb)


def test_a_malformed_cell_result_becomes_a_grader_error(nb):
    result = ran(nb)
    result.cells[index(nb, "ex1_tests")] = {"outputs": [error(evalue=None)], "execution_count": "seven"}
    apply(nb, result)
    cell = by_gid(nb, "ex1_tests")
    assert cell.execution_count is None
    assert cell.outputs[0].ename == "ValueError" and cell.outputs[0].evalue == "None"


@pytest.mark.parametrize("exit, timeout, problem, first, ename", [
    (-9, False, "", "the kernel was killed (SIGKILL): most likely it ran out of memory", "DeadKernelError"),
    (3, False, "", "the notebook's process exited with status 3 (sys.exit / os._exit in a cell?)", "DeadKernelError"),
    (None, True, "the notebook ran past its 60s time limit and was stopped", "the notebook ran past its 60s time limit and was stopped",
     "CellTimeoutError"),
])
def test_cells_that_never_reported_say_why(nb, exit, timeout, problem, first, ename):
    result = ran(nb)
    stop = index(nb, "ex2")
    result.cells = {i: c for i, c in result.cells.items() if i < stop}
    result.exit, result.timeout, result.problem = exit, timeout, problem
    apply(nb, result)
    missing = [c for i, c in enumerate(nb.cells) if c.cell_type == "code" and i >= stop]
    assert [o.ename for c in missing for o in c.outputs] == [ename] * len(missing)
    assert missing[0].outputs[0].evalue == first
    assert all(c.outputs[0].evalue == f"not run: {first} in an earlier cell" for c in missing[1:])
    assert scores(nb) == {"ex1_tests": 2.0, "ex2_tests_a": 0.0, "ex2_tests_b": 0.0}


def test_signal_reasons():
    assert signal_reason(11).startswith("the kernel crashed (SIGSEGV")
    assert signal_reason(24) == "the kernel was stopped for using too much CPU time (SIGXCPU)"
    assert signal_reason(15) == "the kernel was killed by SIGTERM"
    assert signal_reason(99) == "the kernel was killed by signal 99"


def probe(pid, name, x, kind="call"):
    from autograder.sandbox.codec import pack

    return {"id": pid, "name": name, "kind": kind, "seed": 1, "mode": "values",
            "inputs": wire(pack({"args": [x], "kwargs": {}}))}


def signature(fn, p):
    return wire(observe({p["name"]: fn}, p, 1))


def test_probe_failures_name_the_first_failing_probe_of_each_exercise(plan):
    import torch

    x = torch.tensor([1.0, 3.0])
    probes = [probe(0, "double", x), probe(1, "halve", x), probe(2, "halve", x * 2), probe(3, "nobody", x)]
    ref = {"double": lambda t: 2 * t, "halve": lambda t: t / 2, "nobody": lambda t: t}
    signatures = {p["id"]: signature(ref[p["name"]], p) for p in probes}
    got = Result(probes={0: signature(lambda t: t + t, probes[0]), 1: signature(lambda t: t / 3, probes[1]),
                         2: signature(lambda t: t[:1], probes[2]), 3: {"missing": True}})
    assert probe_failures(plan, probes, signatures, got) == {
        "ex2": "the grader's own check of halve failed: the result has wrong values (2 of 2 elements differ)"}
    silent = Result(probes={}, exit=-9)
    assert probe_failures(plan, probes[:2], signatures, silent) == {
        gid: f"the grader's own check of {name} failed: the notebook stopped before the grader could check it"
        for gid, name in (("ex1", "double"), ("ex2", "halve"))}
    assert probe_failures(plan, probes[:1], signatures, Result())["ex1"].endswith("no result came back")
    init = {**probes[0], "kind": "init"}
    assert probe_failures(plan, [init], {0: {"output": 1}}, Result(probes={0: {"output": 2}}))["ex1"].startswith(
        "the grader's own check of an instance of double failed")


def test_rule_failures_read_the_answer_source_for_switched_off_calls(plan, nb):
    probes = [{"id": 0, "name": "halve", "kind": "call", "disabled": ["torch.div"]}, {"id": 1, "name": "double", "kind": "call"}]
    authored = {index(nb, "ex1"): "answer ex1", index(nb, "ex2"): "answer ex2", 0: "added"}
    assert rule_failures(plan, probes, nb, authored) == {}
    by_gid(nb, "ex2").source = "import torch\nd = torch.div\n\ndef halve(x):\n    return d(x, 2)"
    assert rule_failures(plan, probes, nb, authored) == {
        "ex2": "line 2 of your answer uses torch.div, which this exercise asks you not to call: compute it yourself"}


def test_score_costs_only_the_points_that_were_still_held(nb, plan):
    apply(nb, ran(nb, ex2_tests_b=[error("CheckFailed", "halve(4) should be 2")]))
    score(nb, plan, {"ex2": "the grader's own check of halve failed: the result is wrong"}, {index(nb, "ex1"): "answer cell ex1: uses open"})
    a, b = by_gid(nb, "ex2_tests_a"), by_gid(nb, "ex2_tests_b")
    assert [(o.ename, o.evalue) for o in a.outputs if o.output_type == "error"] == [
        (GRADER_CHECK, "the grader's own check of halve failed: the result is wrong")]
    assert [o.ename for o in b.outputs] == ["CheckFailed"], "a cell that already lost its points keeps its own reason"
    assert by_gid(nb, "ex1_tests").outputs == [] and by_gid(nb, "ex1").outputs[-1].text.startswith("\n[note from the grader]")
    assert scores(nb) == {"ex1_tests": 2.0, "ex2_tests_a": 0.0, "ex2_tests_b": 0.0}, "a note costs nothing"
    assert notes_of(nb) == ["[note from the grader] answer cell ex1: uses open"]
    reasons = cell_reasons(nb)
    assert reasons == {"ex2_tests_a": "the grader's own check of halve failed: the result is wrong",
                       "ex2_tests_b": "CheckFailed: halve(4) should be 2"}


def test_score_leaves_cells_worth_no_points(tmp_path):
    from tests.unit_helpers import tiny_source

    source, release = tiny_source(), tiny_release()
    for nb_ in (source, release):
        by_gid(nb_, "ex1_tests").metadata["nbgrader"]["points"] = 0
    (tmp_path / "s").mkdir()
    (tmp_path / "r").mkdir()
    nbformat.write(source, tmp_path / "s" / "z.ipynb")
    nbformat.write(release, tmp_path / "r" / "z.ipynb")
    plan = Plan.build(tmp_path / "s" / "z.ipynb", tmp_path / "r" / "z.ipynb")
    nb, _ = plan.assemble(release)
    apply(nb, ran(nb))
    score(nb, plan, {"ex1": "wrong"}, {})
    assert by_gid(nb, "ex1_tests").outputs == [], "a cell worth no points has nothing to lose"


def test_cell_reasons_name_the_earlier_cause_first(nb):
    apply(nb, ran(nb, ex1=[error("SyntaxError", "invalid syntax (line 2)")], ex1_tests=[error("NameError", "name 'double' is not defined")],
                  ex2=[error("CellTimeoutError", "ran past")], ex2_tests_a=[error("NameError", "name 'halve' is not defined")],
                  ex2_tests_b=[stream("warning\n", "stderr")]))
    assert cell_reasons(nb) == {
        "ex1_tests": "SyntaxError: invalid syntax (line 2) -> then: NameError: name 'double' is not defined",
        "ex2_tests_a": "the cell ran past the time limit (an infinite loop?) and was interrupted -> then: NameError: name 'halve' is not defined",
        "ex2_tests_b": "the cell wrote to stderr (nbgrader gives 0 to such cells): warning",
    }


def test_a_visible_failure_is_named_before_the_graders_own(nb, plan):
    apply(nb, ran(nb))
    by_gid(nb, "ex1_tests").outputs = [nbformat.v4.new_output("error", ename="CheckFailed", evalue="double(1) should be 2", traceback=[]),
                                       nbformat.v4.new_output("error", ename=GRADER_CHECK, evalue="probe says no", traceback=[])]
    assert cell_reasons(nb)["ex1_tests"] == "CheckFailed: double(1) should be 2"


def test_rich_output_nbformat_would_refuse_is_dropped_not_fatal(nb):
    """A mimebundle of numbers (``display({"text/plain": [1, 2]}, raw=True)``) used to raise out of apply(),
    so the whole submission failed; now that output is dropped like any other malformed one."""
    bad = {"output_type": "display_data", "data": {"text/plain": [1, 2], "text/html": ["<b>", "ok</b>"]}, "metadata": {}}
    apply(nb, ran(nb, ex1=[stream("before\n"), bad, {**bad, "data": {"text/plain": [3]}}]))
    outs = by_gid(nb, "ex1").outputs
    assert [o.output_type for o in outs] == ["stream", "display_data"]
    assert dict(outs[1].data) == {"text/html": ["<b>", "ok</b>"]}
    nbformat.validate(nb)
