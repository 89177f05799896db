"""The README's instructor guide, run word for word on a copy of the repository.

The bash blocks marked ``<!-- guide:NAME -->`` are executed as written: roster and release, then (after the
test puts two students' notebooks where step 2 says) stock nbgrader and the course's grader. The results
must be what the guide promises: grades for the roster, feedback pages, exported CSVs.
"""
from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess

import nbformat
import pytest

from autograder.course import LABS, ROOT, fill_answers, solution_answers

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("lab01_tensors")]
LAB = "lab01_tensors"


def guide_blocks() -> dict[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return dict(re.findall(r"<!-- guide:(\w+) -->\s*```bash\n(.*?)```", text, flags=re.S))


def run_block(repo, name):
    run = subprocess.run(["bash", "-euo", "pipefail", "-c", guide_blocks()[name]], cwd=repo, capture_output=True,
                         text=True, timeout=900, env={k: v for k, v in os.environ.items() if k != "JPY_SESSION_NAME"})
    assert run.returncode == 0, f"README guide step {name!r} failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    return run


@pytest.fixture
def repo(tmp_path):
    """A copy of the repository's files (not its ignored outputs), sharing the built .venv."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    target = tmp_path / "course"
    for rel in filter(None, listed.decode().split("\0")):
        src = ROOT / rel
        if src.is_file():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target / rel)
    (target / ".venv").symlink_to(ROOT / ".venv")
    return target


def test_guide_has_the_steps():
    assert set(guide_blocks()) == {"setup", "stock", "course", "similarity"}


def hand_in(repo):
    released = nbformat.read(LABS / LAB / f"{LAB}.ipynb", as_version=4)
    for student, nb in (("ada", fill_answers(released, solution_answers(LAB))), ("bob", released)):
        folder = repo / ".nbgrader" / "submitted" / student / LAB
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{LAB}.ipynb")


def test_stock_nbgrader_path(repo):
    run_block(repo, "setup")
    assert not subprocess.run(["git", "diff", "--quiet", "--", "labs"], cwd=ROOT).returncode, "labs/ must not change"
    hand_in(repo)
    run_block(repo, "stock")
    with open(repo / "grades.csv", newline="") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    assert float(rows["ada"]["score"]) == 15 and rows["ada"]["last_name"] == "Lovelace"
    assert float(rows["bob"]["score"]) == 0
    assert list((repo / ".nbgrader" / "feedback" / "ada" / LAB).glob("*.html"))


@pytest.mark.sandbox
def test_course_grader_path(repo):
    run_block(repo, "setup")
    hand_in(repo)
    (repo / ".nbgrader" / "submitted" / "bob").rename(repo / "bob_late")  # bob on the roster, nothing handed in
    run_block(repo, "course")
    out = repo / "grades" / "lab01"
    with open(out / "grades.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    totals = {}
    for r in rows:
        totals[r["student"]] = totals.get(r["student"], 0.0) + float(r["score"] or 0)
    assert totals == {"ada": 15.0, "bob": 0.0}
    assert {r["reason"] for r in rows if r["student"] == "bob"} == {"no submission from this student"}
    assert list((out / "feedback" / "ada" / LAB).glob("*.html")) and list((out / "feedback" / "bob" / LAB).glob("*.html"))
    with open(out / "export.csv", newline="") as f:
        exported = {r["student_id"]: r for r in csv.DictReader(f)}
    assert float(exported["ada"]["score"]) == 15 and exported["ada"]["first_name"] == "Ada"
    assert float(exported["bob"]["score"]) == 0


def test_similarity_step(repo):
    """Step 4 flags a renamed, reformatted and commented copy, and not the others; the report is not feedback."""
    from tests.test_similarity import cohort, disguise

    run_block(repo, "setup")
    hand_in(repo)
    released = nbformat.read(LABS / LAB / f"{LAB}.ipynb", as_version=4)
    own = cohort(LAB)["half1"]
    for student, answers in (("cat", own), ("dan", {g: disguise(a) for g, a in own.items()}), ("eli", cohort(LAB)["half2"])):
        folder = repo / ".nbgrader" / "submitted" / student / LAB
        folder.mkdir(parents=True)
        nbformat.write(fill_answers(released, answers), folder / f"{LAB}.ipynb")
    run_block(repo, "similarity")
    out = repo / "grades" / "lab01"
    with open(out / "similarity.csv", newline="") as f:
        pairs = {frozenset((r["student_a"], r["student_b"])) for r in csv.DictReader(f)}
    assert pairs == {frozenset(("cat", "dan"))}, pairs
    assert (out / "similarity.html").is_file() and not (out / "feedback").exists()
