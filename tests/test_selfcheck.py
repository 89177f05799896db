"""self_check(): the one-line check in a lab's last cell, as JupyterLab runs it (JPY_SESSION_NAME set).

Each check runs lab 01 in a fresh kernel (a few seconds). The lab copies keep the self-check cell, so every
run also shows that the check kernel does not self-check again.
"""
import re
import shutil
import subprocess
import sys
from datetime import datetime

import nbformat
import pytest

from autograder import self_check
from autograder.check import HINT, report_html
from autograder.course import LABS, fill_answers, solution_answers, strip_solution_markers
from exercises import mutants as M
from autograder.notebook import grade_id, nbg

LAB = "lab01_tensors"
pytestmark = pytest.mark.xdist_group(LAB)  # test_mutants groups lab 01's kernels under this name too


def released():
    return nbformat.read(LABS / LAB / f"{LAB}.ipynb", as_version=4)


def graded_cells():
    """grade_id -> points of the lab's test cells, in notebook order."""
    return {grade_id(c): nbg(c).points for c in released().cells if nbg(c).get("grade")}


@pytest.fixture
def popen_calls(monkeypatch):
    """Record (command, env) of every subprocess started, and start it."""
    calls, real = [], subprocess.Popen

    def spy(cmd, *args, **kwargs):
        calls.append((cmd, kwargs.get("env")))
        return real(cmd, *args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", spy)
    return calls


def open_in_jupyterlab(monkeypatch, tmp_path, nb=None):
    """Save the lab (the released file itself, or ``nb``) in tmp_path and act as its JupyterLab kernel."""
    path = tmp_path / f"{LAB}.ipynb"
    if nb is None:
        shutil.copyfile(LABS / LAB / f"{LAB}.ipynb", path)
    else:
        nbformat.write(nb, path)
    monkeypatch.setenv("JPY_SESSION_NAME", str(path))  # what jupyter_server sets: the notebook's absolute path
    monkeypatch.chdir(tmp_path)  # and it starts the kernel in the notebook's folder
    return path


def run_self_check(capfd):
    results = self_check()
    out, err = capfd.readouterr()
    assert err == "", f"self_check wrote to stderr (nbgrader zeroes such cells): {err!r}"
    return results, out


def line(out, status, gid, score, points):
    return re.search(rf"^{status}\s+{gid}\s+{score:g}/{points:g}$", out, re.M)


def test_outside_jupyterlab_prints_a_hint_and_starts_nothing(monkeypatch, capfd):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    started = []

    def refuse(*args, **kwargs):
        started.append(args)
        raise AssertionError("self_check started a subprocess outside JupyterLab")

    for name in ("Popen", "run", "call", "check_call", "check_output"):
        monkeypatch.setattr(subprocess, name, refuse)
    results, out = run_self_check(capfd)
    assert results is None and started == []
    assert out == HINT + "\n", f"expected the one-line hint, got {out!r}"
    assert "JupyterLab" in out and "make check NB=" in out and "python -m autograder check" in out


def test_inherited_session_name_starts_nothing(monkeypatch, tmp_path, capfd, popen_calls):
    """A kernel started elsewhere (e.g. by a grader run from a notebook) inherits JPY_SESSION_NAME: no check."""
    path = open_in_jupyterlab(monkeypatch, tmp_path)
    elsewhere = tmp_path / "grading"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    results, out = run_self_check(capfd)
    assert results is None and popen_calls == []
    assert "nothing was checked" in out and str(path) in out and len(out.strip().splitlines()) == 1


@pytest.mark.slow
def test_untouched_lab_is_all_todo(monkeypatch, tmp_path, capfd, popen_calls):
    path = open_in_jupyterlab(monkeypatch, tmp_path)
    before = path.read_bytes()
    results, out = run_self_check(capfd)
    cells = graded_cells()
    assert [r.grade_id for r in results] == list(cells)
    assert all(r.status == "not attempted" and r.score == 0 for r in results), results
    for gid, points in cells.items():
        assert line(out, "TODO", gid, 0, points), f"no TODO line for {gid}:\n{out}"
    assert out.count("not attempted: the answer cell still raises NotImplementedError") == len(cells)
    assert f"\n0/{sum(cells.values()):g} points" in out and "PASS" not in out and "FAIL" not in out
    saved = datetime.fromtimestamp(path.stat().st_mtime)
    assert f"SAVED on disk at {saved:%Y-%m-%d %H:%M:%S}" in out and "Ctrl+S" in out
    assert path.read_bytes() == before, "self_check must not modify the notebook"
    # one subprocess, this interpreter, and a check kernel that cannot self-check again
    assert len(popen_calls) == 1
    cmd, env = popen_calls[0]
    assert cmd[:4] == [sys.executable, "-m", "autograder", "check"] and cmd[-1] == str(path)
    assert "JPY_SESSION_NAME" not in env


@pytest.mark.slow
def test_solved_lab_passes_everything(monkeypatch, tmp_path, capfd):
    open_in_jupyterlab(monkeypatch, tmp_path, fill_answers(released(), solution_answers(LAB)))
    results, out = run_self_check(capfd)
    cells = graded_cells()
    assert [r.grade_id for r in results] == list(cells)
    assert all(r.passed and r.score == r.points for r in results), results
    for gid, points in cells.items():
        assert line(out, "PASS", gid, points, points), f"no PASS line for {gid}:\n{out}"
    total = sum(cells.values())
    assert f"\n{total:g}/{total:g} points — {len(cells)} passed, 0 failed, 0 not attempted" in out
    assert "FAIL" not in out and "TODO" not in out


@pytest.mark.slow
def test_one_wrong_answer_fails_only_its_exercise(monkeypatch, tmp_path, capfd):
    mutant = next(m for m in M.load(LAB) if m.id == "ex02_standardize-unbiased_std")
    wrong = next(c for c in M.apply(M.lab_source(LAB), mutant).cells if grade_id(c) == mutant.answer)
    answers = {**solution_answers(LAB), mutant.answer: strip_solution_markers(wrong.source)}
    open_in_jupyterlab(monkeypatch, tmp_path, fill_answers(released(), answers))
    results, out = run_self_check(capfd)
    cells = graded_cells()
    failed = {r.grade_id: r for r in results if not r.passed}
    assert set(failed) == mutant.expected_failures == {"ex02_standardize_tests"}, results
    bad = failed["ex02_standardize_tests"]
    # the test cell's own message, hint included
    assert bad.status == "failed" and bad.score == 0 and bad.message.startswith("CheckFailed: population std"), bad
    assert "correction=0" in bad.message, bad
    assert line(out, "FAIL", bad.grade_id, 0, bad.points)
    first = bad.message.splitlines()[0]
    assert re.search(rf"^FAIL\s+ex02_standardize_tests .*\n\s+↳ {re.escape(first)}$", out, re.M), out
    for gid, points in cells.items():
        if gid != bad.grade_id:
            assert line(out, "PASS", gid, points, points), f"{gid} should pass:\n{out}"
    total = sum(cells.values())
    assert f"\n{total - bad.points:g}/{total:g} points — {len(cells) - 1} passed, 1 failed" in out
    table = report_html(results)
    assert table.count("<tr>") == len(cells) + 2 and ">FAIL<" in table and ">PASS<" in table
