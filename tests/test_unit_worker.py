"""autograder.sandbox.worker.execute, in this process, with a stand-in for the IPython shell.

The whole round trip the grader makes, minus the sandbox: the tiny lab's reference job (hidden tests
included) runs with recording on and yields probes; a student's job (released tests only, probe inputs
after each exercise's last test cell) answers them; the verdict is decided from the two signatures. Also
the child's own rules: a per-cell timer, no keyboard input, output captured per cell, clean-up of /tmp.
"""
import builtins
import json
import os
import signal
import sys
import types

import pytest

from autograder.grading.plan import Plan
from autograder.grading.verdicts import apply, probe_failures
from autograder.notebook import grade_id
from autograder.sandbox import worker
from autograder.sandbox.protocol import Job, Limits, Result
from tests.unit_helpers import tiny_release, wire, write_tiny_lab


class Shell:
    """The parts of IPython's InteractiveShell that execute() uses; a cell is run with exec."""

    def __init__(self):
        self.user_ns = {"get_ipython": lambda: self}
        self.execution_count = 0
        self.display_pub = types.SimpleNamespace()
        self.displayhook = types.SimpleNamespace()

    def run_cell(self, source, store_history=True):
        self.execution_count += 1
        try:
            exec(compile(source, f"<cell {self.execution_count}>", "exec"), self.user_ns)
        except Exception as err:  # IPython shows the traceback and carries on
            self._showtraceback(type(err), err, [f"{type(err).__name__}: {err}"])


@pytest.fixture
def child_state():
    """What execute() changes in its process (the child's own), put back after each test."""
    saved = sys.stdout, sys.stderr, sys.stdin, builtins.input, signal.getsignal(signal.SIGALRM)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    if sys.stdin is not saved[2]:
        sys.stdin.close()
    sys.stdout, sys.stderr, sys.stdin, builtins.input = saved[:4]
    signal.signal(signal.SIGALRM, saved[4])


def run(job, shell=None):
    frames = []
    worker.execute(shell or Shell(), wire(job.to_wire()), lambda f: frames.append(wire(f)))
    return frames


def as_result(frames):
    result = Result(exit=0)
    for f in frames:
        if f["op"] == "cell":
            result.cells[f["index"]] = f
        elif f["op"] == "probe":
            result.probes[f["id"]] = f["signature"]
    return result


def test_reference_then_student_the_whole_round_trip(tmp_path, child_state):
    plan = Plan.build(*write_tiny_lab(tmp_path))
    frames = run(plan.reference_job(Limits(cell_timeout=30.0), seed=5))
    assert frames[-1] == {"op": "done"}
    cells = [f for f in frames if f["op"] == "cell"]
    assert all(not [o for o in f["outputs"] if o["output_type"] == "error"] for f in cells), "the reference passes its tests"
    made = [(f["probe"], f["signature"]) for f in frames if f["op"] == "reference_probe"]
    probes = [{**p, "id": k} for k, (p, _) in enumerate(made)]
    signatures = {k: s for k, (_, s) in enumerate(made)}
    assert {p["name"] for p in probes} == {"double", "halve"}
    sizes = sorted({(p["name"], json.dumps(p["inputs"]["$dict"]["args"][0]["$tensor"]["shape"])) for p in probes})
    assert ("halve", "[1]") in sizes and ("halve", "[2]") in sizes

    def student_job(ex2):
        nb = tiny_release()
        for cell in nb.cells:
            if grade_id(cell) == "ex1":
                cell.source = "def double(x):\n    return x * 2"
            if grade_id(cell) == "ex2":
                cell.source = ex2
        nb, _ = plan.assemble(nb)
        return nb, plan.student_job(nb, probes, Limits(cell_timeout=30.0))

    nb, job = student_job("def halve(x):\n    return x / 2")
    text = json.dumps(job.to_wire())
    assert "_secret" not in text and "HIDDEN" not in text and "signature" not in text
    result = as_result(run(job))
    assert set(result.probes) == set(signatures), "every probe was answered"
    assert probe_failures(plan, probes, signatures, result) == {}
    # right on every visible test, wrong on the hidden test's input (one element above 5), which a probe replays
    nb, job = student_job("def halve(x):\n    return x * 0.5 if x.numel() > 1 or x.max() < 5 else x")
    result = as_result(run(job))
    apply(nb, result)
    assert not [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"], "the visible tests pass"
    assert probe_failures(plan, probes, signatures, result) == {
        "ex2": "the grader's own check of halve failed: the result has wrong values (1 of 1 elements differ)"}


def cell_outputs(frames):
    return {f["index"]: f["outputs"] for f in frames if f["op"] == "cell"}


def test_cells_are_timed_captured_and_cannot_ask_for_input(child_state):
    job = Job(cells=[
        {"index": 0, "source": "print('hello')\nimport sys\nprint('warn', file=sys.stderr)"},
        {"index": 1, "source": "while True:\n    pass"},
        {"index": 2, "source": "name = input('your name? ')"},
        {"index": 3, "source": "get_ipython().display_pub.publish({'text/html': '<b>hi</b>'})\n"
                               "get_ipython().displayhook.write_format_data({'text/plain': '3'})"},
        {"index": 4, "source": "1 / 0"},
        {"index": 5, "source": "print('still running')"},
    ], limits=Limits(cell_timeout=0.3))
    outs = cell_outputs(run(job))
    assert outs[0] == [{"output_type": "stream", "name": "stdout", "text": "hello\n"},
                       {"output_type": "stream", "name": "stderr", "text": "warn\n"}]
    assert outs[1][0]["ename"] == "CellTimeoutError" and "0.3s time limit" in outs[1][0]["evalue"]
    assert outs[2][0]["ename"] == "StdinNotImplementedError" and "input() is not available while grading" in outs[2][0]["evalue"]
    assert [(o["output_type"], o["data"]) for o in outs[3]] == [("display_data", {"text/html": "<b>hi</b>"}),
                                                                ("execute_result", {"text/plain": "3"})]
    assert outs[4][0]["ename"] == "ZeroDivisionError"
    assert outs[5] == [{"output_type": "stream", "name": "stdout", "text": "still running\n"}], "a cell's failure stops only that cell"


def test_streams_have_no_file_descriptor_and_say_they_are_not_a_terminal():
    stream = worker._Stream([None], "stdout")
    assert stream.write("dropped") == 7 and not stream.isatty()
    with pytest.raises(OSError):
        stream.fileno()


def test_clean_up_empties_the_scratch_folders_even_read_only_ones(tmp_path, monkeypatch):
    monkeypatch.setattr(worker, "TMP", str(tmp_path))
    monkeypatch.delenv("DLCOURSE_SANDBOX", raising=False)
    locked = tmp_path / "s-1" / "deep"
    locked.mkdir(parents=True)
    (locked / "file").write_text("x")
    os.chmod(locked, 0o500)
    os.chmod(tmp_path / "s-1", 0o500)
    (tmp_path / "top.txt").write_text("y")
    os.symlink("/etc", tmp_path / "link")
    keep = tmp_path / "course" / "datasets"
    keep.mkdir(parents=True)
    monkeypatch.setenv("DLCOURSE_BINDS", str(keep))
    assert worker._clean() is True, "everything but the course's own bound folder is gone"
    assert sorted(os.listdir(tmp_path)) == ["course"] and keep.is_dir()
    assert os.path.isdir("/etc"), "a link is removed, never followed"


def test_a_fresh_scratch_folder_is_private_and_writable_places_are_not_importable(tmp_path, monkeypatch):
    monkeypatch.setattr(worker, "TMP", str(tmp_path))
    path = worker._fresh_scratch()
    assert os.path.dirname(path) == str(tmp_path) and os.stat(path).st_mode & 0o777 == 0o700
    assert worker._fresh_scratch() != path
    course = tmp_path / "repo"
    monkeypatch.setenv("DLCOURSE_BINDS", str(course))
    monkeypatch.setenv("PYTHONPATH", "")
    monkeypatch.setattr(sys, "path", ["", ".", os.getcwd(), str(tmp_path / "evil"), str(course / "dlcourse"), "/usr/lib/python3"])
    worker._no_unsafe_path()
    assert sys.path == [str(course / "dlcourse"), "/usr/lib/python3"]
