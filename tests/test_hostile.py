"""The hostile and broken submission corpus: one sandboxed grading run of lab 01 with every attack in it.

For each case: the attack earns nothing, the student's rows give a clear reason, every honest submission in
the same run is graded exactly as when graded alone, nobody's files change and the gradebook stays whole.
Also: the policy never flags the reference answers or the 591 plausible wrong answers (tests/mutants), and
a correct or partial submission gets exactly the score stock ``nbgrader autograde`` gives it.
"""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder.course import LABS, ROOT, fill_answers, lab_names, solution_answers, source_notebook

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hostile")]
LAB = "lab01_tensors"
EX = ["ex01_row_normalize", "ex02_standardize", "ex03_images_to_chw", "ex04_class_means", "ex05_accuracy",
      "ex06_one_hot", "ex07_to_tensor"]
needs_bwrap = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed (apt-get install bubblewrap)")


def released():
    return nbformat.read(LABS / LAB / f"{LAB}.ipynb", as_version=4)


def answers(**changes):
    a = solution_answers(LAB)
    a.update(changes)
    return a


REF = solution_answers(LAB)
WRONG = {  # plausible wrong answers (each fails its exercise's visible tests)
    "ex01_row_normalize": REF["ex01_row_normalize"].replace("keepdim=True)", "keepdim=True) * 1.5"),
    "ex02_standardize": REF["ex02_standardize"].replace("correction=0", "correction=1") if "correction=0" in REF["ex02_standardize"] else None,
    "ex04_class_means": None,
}


def wrong(gid):
    """A wrong answer for exercise ``gid``: the reference with its result scaled (shape and dtype kept)."""
    src = REF[gid]
    lines = src.splitlines()
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip().startswith("return "):
            indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
            lines[i] = f"{indent}_r = {lines[i].strip()[len('return '):]}\n{indent}return _r * 1.5 if _r.is_floating_point() else _r + 1"
            return "\n".join(lines)
    raise AssertionError(f"no return in the reference answer of {gid}")


def drop_cell(nb, gid):
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != gid]
    return nb


def edit_cell(nb, gid, source):
    for c in nb.cells:
        if c.metadata.get("nbgrader", {}).get("grade_id") == gid:
            c.source = source
    return nb


def cases(subs: Path, out: Path) -> dict:
    """name -> (notebook or raw text, {exercise: 'full' | 'zero'}, substring of the first lost point's reason)."""
    gb = out / ".nbgrader" / "gradebook.db"
    ada = subs / "ada" / LAB / f"{LAB}.ipynb"
    rest_full = lambda k: {e: "full" for e in EX[:k]}  # noqa: E731
    return {
        "ada": (answers(), {e: "full" for e in EX}, ""),
        "pat_partial": (answers(**{e: released_answer(e) for e in EX[3:]}), {**rest_full(3), **{e: "zero" for e in EX[3:]}}, "not attempted"),
        "infinite_loop": (answers(ex02_standardize="def standardize(X):\n    while True:\n        pass"), {**rest_full(1), "ex02_standardize": "zero", "ex03_images_to_chw": "full"}, "time limit"),
        "raise_systemexit": (answers(ex03_images_to_chw="raise SystemExit('bye')\n" + REF["ex03_images_to_chw"]), {**rest_full(2), "ex03_images_to_chw": "zero", "ex04_class_means": "full"}, "SystemExit"),
        "sys_exit": (answers(ex03_images_to_chw="import sys\nsys.exit(3)\n" + REF["ex03_images_to_chw"]), {**rest_full(2), "ex03_images_to_chw": "zero", "ex07_to_tensor": "zero"}, "imports sys"),
        "os_exit": (answers(ex04_class_means="import os\nos._exit(0)\n" + REF["ex04_class_means"]), {**rest_full(3), "ex04_class_means": "zero", "ex07_to_tensor": "zero"}, "imports os"),
        "memory_bomb": (answers(ex05_accuracy="_hog = []\nwhile True:\n    _hog.append(bytearray(2**27))\n" + REF["ex05_accuracy"]), {**rest_full(4), "ex05_accuracy": "zero", "ex06_one_hot": "full"}, "MemoryError"),
        "fork_bomb": (answers(ex06_one_hot="import os, time\ntry:\n    while True:\n        os.fork()\nexcept OSError:\n    time.sleep(120)\n" + REF["ex06_one_hot"]), {**rest_full(5), "ex06_one_hot": "zero", "ex07_to_tensor": "zero"}, "imports os"),
        "deleted_test_cell": (drop_cell(fill_answers(released(), answers(ex02_standardize=wrong("ex02_standardize"))), "ex02_standardize_tests"), {**rest_full(1), "ex02_standardize": "zero", "ex03_images_to_chw": "full"}, "CheckFailed"),
        "edited_test_cell": (edit_cell(fill_answers(released(), answers(ex03_images_to_chw=wrong("ex03_images_to_chw"))), "ex03_images_to_chw_tests", 'print("ex03_images_to_chw: checks passed")'), {**rest_full(2), "ex03_images_to_chw": "zero", "ex04_class_means": "full"}, "CheckFailed"),
        "patched_allclose": (answers(ex04_class_means=wrong("ex04_class_means") + "\nimport numpy as np, torch\ntorch.allclose = lambda *a, **k: True\nnp.allclose = lambda *a, **k: True\nnp.testing.assert_allclose = lambda *a, **k: None\ntorch.isclose = lambda a, b, **k: torch.ones_like(a, dtype=torch.bool)"), {**rest_full(3), "ex04_class_means": "zero", "ex07_to_tensor": "zero"}, "assigns to torch.allclose"),
        "patch_evading_policy": (answers(ex01_row_normalize=wrong("ex01_row_normalize") + "\nfor _m in [torch]:\n    _m.isclose = lambda a, b, **k: torch.ones_like(a, dtype=torch.bool)"), {"ex01_row_normalize": "zero", "ex02_standardize": "full"}, "tampering suspected"),
        "input_transformer": (answers(ex05_accuracy=wrong("ex05_accuracy") + "\nget_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'] if any('check' in l for l in lines) else lines)"), {**rest_full(4), "ex05_accuracy": "zero", "ex06_one_hot": "zero"}, "tampering detected"),
        "ast_transformer": (answers(ex02_standardize=wrong("ex02_standardize") + "\nimport ast\nclass _T(ast.NodeTransformer):\n    def visit_Call(self, node):\n        return ast.Constant(None)\nget_ipython().ast_transformers.append(_T())"), {**rest_full(1), "ex02_standardize": "zero", "ex03_images_to_chw": "zero"}, "tampering detected"),
        "import_hook": (answers(ex06_one_hot=wrong("ex06_one_hot") + "\nimport builtins\n_imp = builtins.__import__\nbuiltins.__import__ = lambda *a, **k: _imp(*a, **k)"), {**rest_full(5), "ex06_one_hot": "zero"}, "tampering detected"),
        "sys_modules": (answers(ex07_to_tensor=wrong("ex07_to_tensor") + "\nimport sys, types\nsys.modules['dlcourse.checks'] = types.SimpleNamespace()"), {**rest_full(6), "ex07_to_tensor": "zero"}, "tampering detected"),
        "read_solutions": (answers(ex07_to_tensor=REF["ex07_to_tensor"] + f"\ntry:\n    print('LEAK', open({str(source_notebook(LAB))!r}).read()[:50])\nexcept OSError as e:\n    print('no access:', e)"), {**rest_full(6), "ex07_to_tensor": "zero"}, "uses open"),
        "write_gradebook": (answers(ex07_to_tensor=REF["ex07_to_tensor"] + f"\ntry:\n    open({str(gb)!r}, 'wb').write(b'gone')\nexcept OSError as e:\n    print('no access:', e)"), {**rest_full(6), "ex07_to_tensor": "zero"}, "uses open"),
        "write_other_student": (answers(ex07_to_tensor=REF["ex07_to_tensor"] + f"\ntry:\n    open({str(ada)!r}, 'w').write('{{}}')\nexcept OSError as e:\n    print('no access:', e)"), {**rest_full(6), "ex07_to_tensor": "zero"}, "uses open"),
        "fake_success": (answers(ex02_standardize=wrong("ex02_standardize").replace("    _r =", "    print('ex02_standardize: checks passed')\n    _r =", 1)), {**rest_full(1), "ex02_standardize": "zero", "ex03_images_to_chw": "full"}, "CheckFailed"),
        "network": (answers(ex07_to_tensor=REF["ex07_to_tensor"] + "\nimport socket\ntry:\n    socket.create_connection(('pypi.org', 443), timeout=3)\n    print('NETWORK REACHED')\nexcept OSError as e:\n    print('no network:', e)"), {**rest_full(6), "ex07_to_tensor": "zero"}, "imports socket"),
        "input_call": (answers(ex03_images_to_chw=REF["ex03_images_to_chw"].replace('"""\n', '"""\n    input("continue? ")\n', 1)), {**rest_full(2), "ex03_images_to_chw": "zero", "ex04_class_means": "full"}, "input() is not available"),
        "giant_output": (answers(ex01_row_normalize="print('x' * 100_000_000)\n" + REF["ex01_row_normalize"]), {e: "full" for e in EX}, ""),
        "segfault": (answers(ex05_accuracy="import ctypes\nctypes.string_at(0)\n" + REF["ex05_accuracy"]), {**rest_full(4), "ex05_accuracy": "zero", "ex07_to_tensor": "zero"}, "tampering detected"),
        "broken_json": ('{"cells": [', {e: "zero" for e in EX}, "not valid notebook JSON"),
        "wrong_name": (answers(), {e: "zero" for e in EX}, "missing notebook"),
    }


def released_answer(gid):
    return next(c.source for c in released().cells if c.metadata.get("nbgrader", {}).get("grade_id") == gid)


def write_submission(subs: Path, name: str, content) -> None:
    folder = subs / name / LAB
    folder.mkdir(parents=True)
    target = folder / ("Untitled.ipynb" if name == "wrong_name" else f"{LAB}.ipynb")
    if isinstance(content, str):
        target.write_text(content)
    else:
        nb = content if isinstance(content, nbformat.NotebookNode) else fill_answers(released(), content)
        nbformat.write(nb, target)


def grade(subs: Path, out: Path, *extra) -> tuple[dict, str]:
    run = subprocess.run([sys.executable, "-m", "autograder", "grade", LAB, str(subs), "--out", str(out), "--timeout", "10", "--memory", "1.5", *extra],
                         cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    with open(out / "grades.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    table = {}
    for r in rows:
        table.setdefault(r["student"], {})[r["grade_id"].removesuffix("_tests")] = r
    return table, run.stdout


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    if shutil.which("bwrap") is None:
        pytest.skip("bubblewrap is not installed (apt-get install bubblewrap)")
    base = tmp_path_factory.mktemp("hostile")
    subs, out = base / "submitted", base / "out"
    all_cases = cases(subs, out)
    for name, (content, _, _) in all_cases.items():
        write_submission(subs, name, content)
    before = {p: p.read_bytes() for p in subs.rglob("*.ipynb")}
    table, stdout = grade(subs, out)
    return {"cases": all_cases, "table": table, "subs": subs, "out": out, "before": before, "stdout": stdout, "base": base}


CASE_NAMES = list(cases(Path("/s"), Path("/o")))


@needs_bwrap
@pytest.mark.parametrize("name", CASE_NAMES)
def test_case_earns_nothing_and_says_why(corpus, name):
    _, expect, reason = corpus["cases"][name]
    rows = corpus["table"][name]
    for ex, verdict in expect.items():
        r = rows[ex]
        if verdict == "full":
            assert r["score"] == r["max_score"], f"{name}: {ex} should keep its points, got {r['score']}/{r['max_score']} ({r['reason']})"
        else:
            assert float(r["score"] or 0) == 0, f"{name}: {ex} should earn nothing, got {r['score']} — the attack worked"
            assert r["reason"], f"{name}: {ex} lost its points without a reason"
    if reason:
        first_lost = next(rows[ex]["reason"] for ex in EX if rows[ex]["reason"])
        assert reason in first_lost, f"{name}: the reason should mention {reason!r}, got: {first_lost}"


@needs_bwrap
def test_honest_submissions_graded_as_if_alone(corpus, tmp_path):
    subs = tmp_path / "alone"
    for name in ("ada", "pat_partial", "giant_output"):
        write_submission(subs, name, corpus["cases"][name][0])
    alone, _ = grade(subs, tmp_path / "out")
    # the instructor is told which exercises the probes guard (all seven in lab 01)
    assert "tamper probes cover 7 of 7 exercises" in corpus["stdout"]
    for name in alone:
        assert alone[name] == corpus["table"][name], f"{name} was graded differently next to hostile submissions"


@needs_bwrap
def test_files_and_gradebook_intact(corpus):
    assert corpus["before"] == {p: p.read_bytes() for p in corpus["subs"].rglob("*.ipynb")}, "a submission was modified"
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{corpus['out'] / '.nbgrader' / 'gradebook.db'}") as gb:
        assert gb.find_submission(LAB, "ada").score == 15
        assert gb.find_submission(LAB, "pat_partial").score == 6
        graded = {s.student.id for s in gb.find_assignment(LAB).submissions}
    assert {"ada", "pat_partial", "write_gradebook", "write_other_student"} <= graded
    runs = corpus["out"] / ".nbgrader" / "grader" / "runs"
    def text(who):  # what the notebook printed (its outputs, not its source)
        nb = nbformat.read(runs / who / f"{LAB}.ipynb", as_version=4)
        return "\n".join(str(o.get("text", "")) for c in nb.cells if c.cell_type == "code" for o in c.outputs)

    assert "LEAK" not in text("read_solutions") and "no access" in text("read_solutions"), "solutions/ must not be visible"
    assert "no access" in text("write_gradebook") and "no access" in text("write_other_student")
    assert "NETWORK REACHED" not in text("network") and "no network" in text("network")
    assert (runs / "giant_output" / f"{LAB}.ipynb").stat().st_size < 3 * 2**20, "giant output must be cut"
    for name in CASE_NAMES:
        assert list((corpus["out"] / "feedback" / name / LAB).glob("*.html")), f"no feedback for {name}"


@needs_bwrap
def test_resume_does_not_regrade(corpus, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(corpus["out"], out)
    before = (out / "grades.csv").read_text()
    _, stdout = grade(corpus["subs"], out)
    assert f"{len(CASE_NAMES)} submission(s) already graded, 0 to go" in stdout
    assert (out / "grades.csv").read_text() == before


def test_policy_never_flags_honest_code():
    from autograder.grading.plan import Plan
    from autograder.sandbox.policy import check_cell
    from tests import mutants as M

    flagged = []
    for lab in lab_names():
        plan = Plan.build(source_notebook(lab), LABS / lab / f"{lab}.ipynb")
        for gid, src in solution_answers(lab).items():
            flagged += [f"{lab} {gid} (reference): {v}" for v in check_cell(src, plan.protected)]
        for m in M.load(lab):
            cell = next(c for c in M.apply(M.lab_source(lab), m).cells if c.metadata.get("nbgrader", {}).get("grade_id") == m.answer)
            flagged += [f"{lab} {m.id}: {v}" for v in check_cell(cell.source, plan.protected)]
    assert not flagged, "the tampering check flags honest answers:\n" + "\n".join(flagged[:20])


@needs_bwrap
def test_scores_match_stock_nbgrader(corpus, tmp_path):
    """Correct and partial submissions: the sandboxed grader gives exactly what stock nbgrader gives."""
    import warnings

    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from sqlalchemy.exc import SAWarning

    from autograder.course import course_config, quiet_nbgrader_env

    warnings.filterwarnings("ignore", category=SAWarning)
    quiet_nbgrader_env()
    course = tmp_path / "course"
    shutil.copytree(ROOT / "solutions" / LAB, course / "source" / LAB)
    api = NbGraderAPI(config=course_config(course))
    assert api.generate_assignment(LAB, force=True)["success"]
    for name in ("ada", "pat_partial", "raise_systemexit"):
        shutil.copytree(corpus["subs"] / name / LAB, course / "submitted" / name / LAB)
        assert api.autograde(LAB, name, force=True, create=True)["success"]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for name in ("ada", "pat_partial", "raise_systemexit"):
            for ex in EX:
                stock = gb.find_grade(f"{ex}_tests", LAB, LAB, name).score
                assert float(corpus["table"][name][ex]["score"]) == stock, f"{name} {ex}: ours {corpus['table'][name][ex]['score']}, stock {stock}"
