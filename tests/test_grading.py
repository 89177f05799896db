"""Grading with stock nbgrader: solutions get full marks, untouched labs get zero, broken submissions get a reason.

Also covers the student self-check command. One test per lab, so labs grade in parallel under xdist.
"""
import csv
import json
import os
import subprocess
import sys

import nbformat
import pytest

from autograder.course import LABS, ROOT, fill_answers, lab_names, solution_answers
from autograder.notebook import nbg
from exercises import mutants as M
from tests.cheats import CHEATS
from tests.conftest import WITH_SIMGPU
from tests.misconception_audit import load_catalogue, same, self_naming
from tests.test_feedback_hidden import hidden_code_shown


# the released labs of 2026-12-01 filled with the reference answers, setup cells as they were then: what a
# student saved before the helper library moved must keep grading exactly as it did
SAVED = ROOT / "tests" / "fixtures" / "saved_labs"
EDITED_SETUP_LAB = "lab02_linear_regression"  # the lab with the most setup cells (6)


def released(lab):
    return nbformat.read(LABS / lab / f"{lab}.ipynb", as_version=4)


def submit(root, student, lab, nb=None, text=None, name=None):
    folder = root / student / lab
    folder.mkdir(parents=True)
    target = folder / (name or f"{lab}.ipynb")
    if text is not None:
        target.write_text(text)
    else:
        nbformat.write(nb, target)


def with_cell_on_top(nb, source):
    """A copy of ``nb`` with one extra code cell at the very top (what a student pastes there)."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    nb.cells.insert(0, nbformat.v4.new_code_cell(source))
    return nb


def mutant_answers(lab):
    """Every exercise answered with its first plausible wrong answer (exercises/mutants)."""
    answers = {}
    for m in M.load(lab):
        if m.answer not in answers:
            answers[m.answer] = M.answer_source(lab, m)
    return answers


# "compute it yourself" rules, broken through a name bound before the tests switch the function off: neither
# the visible tests nor the probes see the call, so only the grader's source check of the rule can
ALIASED_RULE_BREAKS = {
    "lab05_logistic_regression": {
        "ex01_sigmoid": "from torch import sigmoid as _sig\n\n\ndef sigmoid(z):\n    return _sig(z)\n",
        "ex02_bce_with_logits": "_bce = F.binary_cross_entropy_with_logits\n\n\ndef bce_with_logits(logits, y):\n    return _bce(logits, y)\n",
    },
    "lab11_convolution_pooling": {
        "ex03_conv2d_im2col": "_conv = getattr(F, 'conv2d')\n\n\ndef conv2d_im2col(x, w, b=None, stride=1, padding=0):\n"
                              "    return _conv(x, w, b, stride=stride, padding=padding)\n",
    },
}
RULE_MUTANTS = {"uses_torch_sigmoid", "uses_builtin", "uses_autograd", "uses_conv2d"}  # forbidden calls, right values


def rule_breaking_answers(lab):
    """Every forbidden-call mutant of the lab, the rest answered correctly (empty if the lab states no such rule)."""
    answers = {}
    for m in M.load(lab):
        if m.name in RULE_MUTANTS or m.breaks.startswith("forbids:"):
            answers[m.answer] = M.answer_source(lab, m)
    return answers


def device_breaking_answers(lab):
    """Every exercise that takes and returns tensors answered with its result moved to the CPU (a device bug
    that only shows off the CPU); graded with the visible tests silenced, so the hidden checks and probes decide."""
    return {m.answer: M.answer_source(lab, m) for m in M.load(lab) if m.breaks == "device" and "returns_cpu_tensor" in m.name}


def submitted_text(folder) -> str:
    """The cell sources of a student's submitted notebooks ('' for ones that are not notebooks)."""
    parts = []
    for path in folder.rglob("*.ipynb") if folder.is_dir() else ():
        try:
            parts += [c.source for c in nbformat.read(path, as_version=4).cells]
        except Exception:  # noqa: BLE001 - the broken-JSON student
            pass
    return "\n".join(parts)


def read_grades(out):
    with open(out / "grades.csv", newline="") as f:
        return list(csv.DictReader(f))


def per_student(rows):
    totals = {}
    for r in rows:
        s = totals.setdefault(r["student"], [0.0, 0.0, set()])
        s[0] += float(r["score"] or 0)
        s[1] += float(r["max_score"])
        s[2].add(r["reason"])
    return totals


@pytest.mark.slow
@pytest.mark.sandbox
@pytest.mark.parametrize("lab", lab_names())
def test_grade_solution_blank_and_broken(lab, tmp_path):
    subs, out = tmp_path / "submitted", tmp_path / "out"
    submit(subs, "ada_solution", lab, fill_answers(released(lab), solution_answers(lab)))
    if lab == EDITED_SETUP_LAB:  # every read-only setup cell edited: all restored (the unit tests cover the rest)
        edited = fill_answers(released(lab), solution_answers(lab))
        for cell in edited.cells:
            if cell.cell_type == "code" and nbg(cell).get("locked") and not nbg(cell).get("grade"):
                cell.source = "raise RuntimeError('a setup cell the student edited')  # a comment too\n" + cell.source
        submit(subs, "gil_edited_setup", lab, edited)
    submit(subs, "bob_blank", lab, released(lab))
    submit(subs, "cy_broken_json", lab, text='{"cells": [')
    submit(subs, "dee_wrong_name", lab, released(lab), name="Untitled.ipynb")
    wrong = fill_answers(released(lab), {**solution_answers(lab), **mutant_answers(lab)})
    submit(subs, "eve_mutants", lab, wrong)
    for kind, cell in CHEATS.items():  # a generic cheat cell pasted at the top, with no answers / wrong answers
        submit(subs, f"mal_{kind}_blank", lab, with_cell_on_top(released(lab), cell))
        submit(subs, f"mal_{kind}_mutants", lab, with_cell_on_top(wrong, cell))
    rules = {"mal_rules": rule_breaking_answers(lab), "fay_aliased_rules": ALIASED_RULE_BREAKS.get(lab, {}),
             "ivy_cpu_results": device_breaking_answers(lab)}
    for student, broken in rules.items():
        if broken:
            nb = fill_answers(released(lab), {**solution_answers(lab), **broken})
            submit(subs, student, lab, with_cell_on_top(nb, CHEATS["silence"]) if student.startswith(("mal_", "ivy_")) else nb)
    before = {p: p.read_bytes() for p in subs.rglob("*.ipynb")}
    run = subprocess.run([sys.executable, "-m", "autograder", "grade", lab, str(subs), "--out", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=600, env={**os.environ, **WITH_SIMGPU})
    assert run.returncode == 0, run.stdout + run.stderr
    if rules["ivy_cpu_results"]:  # the instructor is told the devices answers are checked on
        assert "; their inputs are on cpu, simgpu" in run.stdout, run.stdout[-2000:]
    rows = read_grades(out)
    for student, broken in rules.items():  # a forbidden call costs its exercise, even with the visible tests forged
        for r in (r for r in rows if r["student"] == student):
            exercise = r["grade_id"].removesuffix("_tests")
            if exercise in broken:
                assert float(r["score"] or 0) == 0, f"{student}: {r['grade_id']} breaks its stated rule but kept {r['score']} points"
                assert r["reason"], f"{student}: {r['grade_id']} lost its points without a reason"
                if student.startswith("fay_"):  # the visible test's message, or else the grader's rule check
                    assert "yourself" in r["reason"] or "rules out" in r["reason"], f"{student}: the reason should name the rule, got {r['reason']!r}"
                if student.startswith("ivy_"):  # caught on simgpu, although this grader has no GPU
                    assert "simgpu" in r["reason"] or "device" in r["reason"], f"{student}: {r['grade_id']}: {r['reason']!r}"
            elif student.startswith("fay_") and not any(exercise.startswith(b.split("_")[0]) for b in broken):
                assert r["score"] == r["max_score"], f"{student}: {r['grade_id']} is answered correctly but lost points ({r['reason']})"
    assert list(rows[0]) == ["student", "assignment", "grade_id", "score", "max_score", "reason"]
    totals = per_student(rows)
    n_cells = len([r for r in rows if r["student"] == "ada_solution"])
    assert all(len([r for r in rows if r["student"] == s]) == n_cells for s in totals), "every student gets one row per graded cell"
    score, maximum, reasons = totals["ada_solution"]
    assert score == maximum > 0 and reasons == {""}, f"the reference solution must get full marks: {score}/{maximum}"
    solution = {r["grade_id"]: r["score"] for r in rows if r["student"] == "ada_solution"}
    if lab == EDITED_SETUP_LAB:
        assert {r["grade_id"]: r["score"] for r in rows if r["student"] == "gil_edited_setup"} == solution, (
            "edited read-only setup cells must be restored from the source")
    assert totals["bob_blank"][0] == 0, "an untouched lab must score 0"
    assert all(r.startswith("not attempted") for r in totals["bob_blank"][2]), "each lost point names its reason"
    assert totals["cy_broken_json"][0] == 0 and "not valid notebook JSON" in totals["cy_broken_json"][2].pop()
    assert totals["dee_wrong_name"][0] == 0 and f"missing notebook {lab}.ipynb (found: Untitled.ipynb)" in totals["dee_wrong_name"][2].pop()
    assert totals["eve_mutants"][0] < maximum, "wrong answers must lose points"
    # the feedback names the misconception an answer behaves like (autograder/grading/misconceptions.py)
    cat, plan = load_catalogue(out, lab)
    right, total = self_naming(cat)
    assert total and right >= 0.9 * total, f"{lab}: only {right} of {total} known mistakes are named as themselves"
    state = out / ".nbgrader" / "grader"
    named = {s: (json.loads((state / f"{s}.json").read_text())["notebooks"][f"{lab}.ipynb"].get("mistakes") or {})
             for s in ("ada_solution", "eve_mutants")}
    assert named["ada_solution"] == {}, "a correct answer is never told it matches a mistake"
    first = {}
    for m in M.load(lab):
        first.setdefault(m.answer, m.id)
    for gid, mid in first.items():
        if any(k.id == mid for k in cat.candidates(gid)):
            assert gid in named["eve_mutants"], f"{lab}: eve's {mid} lost points but its mistake was not named"
    for gid, said in named["eve_mutants"].items():
        assert said == first[gid] or same(cat, first[gid], said), f"{lab}: eve wrote {first[gid]}, the feedback named {said}"
        known = next(k for k in cat.candidates(gid) if k.id == said)
        lost = [r for r in rows if r["student"] == "eve_mutants" and plan.exercise_of.get(r["grade_id"]) == gid and r["reason"]]
        assert lost and all(r["reason"].endswith(known.says()) for r in lost), f"{lab}: {gid}: {[r['reason'] for r in lost]}"
    for kind in CHEATS:
        assert totals[f"mal_{kind}_blank"][0] == 0, f"the {kind} cheat cell earned {totals[f'mal_{kind}_blank'][0]} points on an unanswered lab"
        assert totals[f"mal_{kind}_mutants"][0] <= totals["eve_mutants"][0], (
            f"the {kind} cheat cell raised wrong answers from {totals['eve_mutants'][0]} to {totals[f'mal_{kind}_mutants'][0]} points")
    for student in totals:
        pages = list((out / "feedback" / student / lab).glob("*.html"))
        assert pages, f"no feedback for {student}"
        mine = submitted_text(subs / student)
        for page in pages:  # outcomes and messages, never the hidden tests' code
            shown = hidden_code_shown(page.read_text(encoding="utf-8"), lab, mine)
            assert not shown, f"{student}'s feedback shows hidden test code: {shown[:2]}"
    assert "could not be graded" in next((out / "feedback" / "cy_broken_json" / lab).glob("*.html")).read_text()
    assert before == {p: p.read_bytes() for p in subs.rglob("*.ipynb")}, "grading must never modify submissions"


def labs_whose_setup_changed() -> list[str]:
    """Labs whose setup cells read differently today than in the 2026-12-01 fixtures."""
    from autograder.notebook import is_setup

    changed = []
    for lab in lab_names():
        old = [c.source for c in nbformat.read(SAVED / f"{lab}.ipynb", as_version=4).cells if is_setup(c)]
        if old != [c.source for c in released(lab).cells if is_setup(c)]:
            changed.append(lab)
    return changed


@pytest.mark.slow
@pytest.mark.parametrize("lab", labs_whose_setup_changed() or [pytest.param("", marks=pytest.mark.skip(reason="no setup cell changed"))])
def test_stock_nbgrader_grades_a_saved_lab_as_before(lab, tmp_path):
    """Stock nbgrader keeps a saved notebook's own setup cells (they had no metadata then), so their old
    imports must still work: full marks, as on 2026-12-01."""
    from autograder.grading.gradebook import stock_autograde
    from autograder.notebook import is_test, points

    submit(tmp_path / "submitted", "sam_saved_today", lab, nbformat.read(SAVED / f"{lab}.ipynb", as_version=4))
    scores, _ = stock_autograde(lab, tmp_path / "submitted", ["sam_saved_today"], tmp_path / "course")
    source = nbformat.read(LABS.parent / "solutions" / lab / f"{lab}.ipynb", as_version=4)
    assert scores["sam_saved_today"] == {nbg(c)["grade_id"]: points(c) for c in source.cells if is_test(c)}


# a segfault with nothing but numpy (passes the import policy, so the crash itself is what gets reported)
CRASH = "import numpy as np\nnp.lib.stride_tricks.as_strided(np.zeros(1), shape=(10**6,), strides=(10**6,)).sum()"


@pytest.mark.slow
@pytest.mark.sandbox
def test_grade_survives_crash_and_timeout(tmp_path):
    lab = lab_names()[0]
    subs, out = tmp_path / "submitted", tmp_path / "out"
    first = next(c for c in released(lab).cells if nbg(c).get("solution")).metadata.nbgrader.grade_id
    answers = solution_answers(lab)
    submit(subs, "crash", lab, fill_answers(released(lab), {**answers, first: CRASH}))
    submit(subs, "loop", lab, fill_answers(released(lab), {**answers, first: "while True:\n    pass"}))
    submit(subs, "good", lab, fill_answers(released(lab), answers))
    run = subprocess.run([sys.executable, "-m", "autograder", "grade", lab, str(subs), "--out", str(out), "--timeout", "15"],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    totals = per_student(read_grades(out))
    assert totals["good"][0] == totals["good"][1] > 0, "a good submission in the same run is graded as if alone"
    assert totals["crash"][0] == 0 and "kernel crashed" in totals["crash"][2].pop()
    # a timed-out cell is interrupted; the rest of the notebook still runs and keeps its points
    loop_rows = {r["grade_id"]: r for r in read_grades(out) if r["student"] == "loop"}
    assert float(loop_rows[f"{first}_tests"]["score"]) == 0
    assert "ran past the time limit" in loop_rows[f"{first}_tests"]["reason"]
    assert 0 < totals["loop"][0] < totals["loop"][1], "only the exercise that looped loses points"


@pytest.mark.slow
@pytest.mark.parametrize("lab", lab_names())
def test_self_check(lab, tmp_path):
    done = tmp_path / "done.ipynb"
    nbformat.write(fill_answers(released(lab), solution_answers(lab)), done)
    before = done.read_bytes()
    ok = subprocess.run([sys.executable, "-m", "autograder", "check", str(done)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "PASS" in ok.stdout and "FAIL" not in ok.stdout and "TODO" not in ok.stdout
    assert done.read_bytes() == before, "check must not modify the student's notebook"
    todo = subprocess.run([sys.executable, "-m", "autograder", "check", str(LABS / lab / f"{lab}.ipynb")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert todo.returncode == 1
    assert "TODO" in todo.stdout and "PASS" not in todo.stdout and "not attempted" in todo.stdout
