"""autograder.grading.plan: what a student's sandbox runs, built from the lab's source and its release.

``assemble`` takes the student's answer cells and cells they added, and everything else from the
instructor: test cells as *released* (edited or deleted ones restored, hidden tests never), read-only setup
cells as released. ``student_job`` attaches each exercise's probe inputs after its last test cell.
"""
import json

import nbformat
import pytest

from autograder.course import (
    LABS,
    fill_answers,
    lab_names,
    solution_answers,
    source_notebook,
)
from autograder.grading.plan import Plan, is_readonly_setup, text_digest
from autograder.notebook import grade_id, is_test, nbg
from autograder.sandbox.protocol import Limits
from tests.unit_helpers import (
    DEMO,
    HIDDEN,
    SETUP,
    T1,
    T2A,
    by_gid,
    code,
    md,
    tiny_release,
    write_tiny_lab,
)


@pytest.fixture
def plan(tmp_path):
    return Plan.build(*write_tiny_lab(tmp_path))


def student(**answers):
    """The released tiny lab with the given answers written in."""
    nb = tiny_release()
    for cell in nb.cells:
        if grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    return nb


ANSWERS = {"ex1": "def double(x):\n    return x + x", "ex2": "def halve(x):\n    return x * 0.5"}


def test_build_reads_exercises_owners_and_visible_names(plan):
    assert plan.exercises == ["ex1", "ex2"]
    assert plan.exercise_of == {"ex1_tests": "ex1", "ex2_tests_a": "ex2", "ex2_tests_b": "ex2"}
    assert plan.owner == {"double": "ex1", "halve": "ex2"}
    assert "check_close" in plan.visible and "torch" in plan.visible
    assert not {"double", "halve"} & plan.visible, "answers are not public code"
    assert "_secret" not in plan.visible, "names bound only by hidden tests are not public"
    assert {"check_close", "torch"} <= plan.protected
    assert DEMO in plan.plain_sources


def test_assemble_keeps_answers_and_marks_what_the_student_wrote(plan):
    nb, authored = plan.assemble(student(**ANSWERS))
    assert [grade_id(c) for c in nb.cells] == [grade_id(c) for c in tiny_release().cells]
    assert by_gid(nb, "ex1").source == ANSWERS["ex1"] and by_gid(nb, "ex2").source == ANSWERS["ex2"]
    assert {i: what for i, what in authored.items()} == {3: "answer ex1", 7: "answer ex2"}
    assert all(c.get("outputs", []) == [] for c in nb.cells if c.cell_type == "code"), "no output of the student's is kept"


def test_edited_and_deleted_test_cells_are_restored_from_the_release(plan):
    nb = student(**ANSWERS)
    by_gid(nb, "ex1_tests").source = "pass  # all good"
    nb.cells = [c for c in nb.cells if grade_id(c) != "ex2_tests_a"]
    got, _ = plan.assemble(nb)
    assert by_gid(got, "ex1_tests").source == T1
    restored = by_gid(got, "ex2_tests_a")
    assert restored.source == T2A and nbg(restored)["points"] == 1
    ids = [grade_id(c) for c in got.cells]
    assert ids.index("ex2_tests_a") == ids.index("ex2") + 1, "put back after its predecessor"


def test_hidden_tests_never_enter_the_assembled_notebook(plan):
    nb = student(**ANSWERS)
    for gid in ("ex1_tests", "ex2_tests_b"):
        by_gid(nb, gid).source = "edited"
    nb.cells = [c for c in nb.cells if grade_id(c) != "ex2_tests_b"]
    got, _ = plan.assemble(nb)
    text = json.dumps(got)
    assert "HIDDEN" not in text and "_secret" not in text
    for cell in got.cells:
        if is_test(cell):
            assert cell.source == by_gid(plan.release, grade_id(cell)).source


def test_students_cannot_change_the_points_or_kind_of_a_cell(plan):
    nb = student(**ANSWERS)
    by_gid(nb, "ex1_tests").metadata["nbgrader"]["points"] = 100
    by_gid(nb, "ex1").metadata["nbgrader"].update(grade=True, points=50)  # an answer that claims to be graded
    got, authored = plan.assemble(nb)
    assert nbg(by_gid(got, "ex1_tests"))["points"] == 2
    assert nbg(by_gid(got, "ex1")) == nbg(by_gid(plan.source, "ex1")) and by_gid(got, "ex1").source == ANSWERS["ex1"]


def test_edited_readonly_setup_cell_is_restored(plan):
    nb = student(**ANSWERS)
    by_gid(nb, "setup").source = "import torch\ncheck_close = lambda *a, **k: None"
    got, authored = plan.assemble(nb)
    assert by_gid(got, "setup").source == SETUP
    assert 1 not in authored


def test_metadata_less_setup_cell_with_the_released_text_is_mapped_to_its_grade_id(plan):
    """A notebook saved before setup cells carried a grade_id: its setup cell is recognised by its text."""
    nb = student(**ANSWERS)
    old = code(SETUP)  # no nbgrader metadata at all
    nb.cells[1] = old
    assert plan.setup_ids[text_digest(SETUP)] == "setup"
    got, authored = plan.assemble(nb)
    assert [grade_id(c) for c in got.cells].count("setup") == 1, "mapped, not added again"
    assert len(got.cells) == len(tiny_release().cells)
    assert is_readonly_setup(got.cells[1]) and got.cells[1].source == SETUP
    assert 1 not in authored


def test_added_cells_are_marked_and_keep_no_nbgrader_metadata(plan):
    nb = student(**ANSWERS)
    copied = code(ANSWERS["ex1"] + "\n# a second copy", "ex1", solution=True)  # a duplicated answer cell
    nb.cells.insert(4, code("helper = 3"))
    nb.cells.insert(5, copied)
    nb.cells.insert(7, md("my notes", "ex1_tests", grade=True, points=9))  # a markdown cell posing as a test (after it)
    nb.cells.append(code(DEMO))  # the course's own demo again: not the student's code
    got, authored = plan.assemble(nb)
    added = [i for i, what in authored.items() if what == "added"]
    assert [got.cells[i].source for i in added] == ["helper = 3", copied.source]
    assert all("nbgrader" not in got.cells[i].metadata for i in added)
    notes = [c for c in got.cells if c.source == "my notes"]
    assert len(notes) == 1 and "nbgrader" not in notes[0].metadata
    assert sum(1 for c in got.cells if is_test(c)) == 3 and nbg(by_gid(got, "ex1_tests"))["points"] == 2
    assert by_gid(got, "ex1").source == ANSWERS["ex1"], "the first answer cell of an id is the answer"


def test_deleted_answer_cell_comes_back_as_released(plan):
    nb = student(**ANSWERS)
    nb.cells = [c for c in nb.cells if grade_id(c) != "ex2"]
    got, authored = plan.assemble(nb)
    assert by_gid(got, "ex2").source == by_gid(plan.release, "ex2").source
    assert authored[[grade_id(c) for c in got.cells].index("ex2")] == "answer ex2"


def test_student_job_places_probes_after_each_exercises_last_test_cell(plan):
    nb, _ = plan.assemble(student(**ANSWERS))
    probes = [{"id": 0, "name": "double", "kind": "call", "seed": 5, "inputs": {"$dict": {}}, "mode": "values", "tol": [1e-5, 1e-6]},
              {"id": 1, "name": "halve", "kind": "call", "seed": 6, "inputs": {"$dict": {}}, "mode": "skeleton"},
              {"id": 2, "name": "not_an_answer", "kind": "call", "seed": 7, "inputs": {"$dict": {}}}]
    job = plan.student_job(nb, probes, Limits(cell_timeout=7.0))
    assert not job.record and job.limits.cell_timeout == 7.0
    assert [c["index"] for c in job.cells] == [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    placed = {c["index"]: [p["id"] for p in c["probes"]] for c in job.cells if c["probes"]}
    ids = [grade_id(c) for c in nb.cells]
    assert placed == {ids.index("ex1_tests"): [0], ids.index("ex2_tests_b"): [1]}
    sent = [p for c in job.cells for p in c["probes"]]
    assert all("mode" not in p for p in sent), "how the grader compares stays with the grader"
    assert sent[0]["tol"] == [1e-5, 1e-6] and sent[0]["inputs"] == {"$dict": {}}
    wire = json.dumps(job.to_wire())
    assert "HIDDEN" not in wire and "_secret" not in wire and "signature" not in wire


def test_probes_follow_a_moved_test_cell(plan):
    nb = student(**ANSWERS)
    cells = nb.cells
    moved = cells.pop([grade_id(c) for c in cells].index("ex1_tests"))
    cells.append(moved)
    got, _ = plan.assemble(nb)
    job = plan.student_job(got, [{"id": 0, "name": "double", "kind": "call", "seed": 1, "inputs": {}}], Limits())
    at = [c["index"] for c in job.cells if c["probes"]]
    assert at == [[grade_id(c) for c in got.cells].index("ex1_tests")]


def test_reference_job_runs_the_whole_source_and_wraps_the_answers(plan):
    job = plan.reference_job(Limits(), seed=3)
    assert job.record and job.seed == 3 and job.visible == sorted(plan.visible)
    sources = [c["source"] for c in job.cells]
    assert sources == [c.source for c in plan.source.cells if c.cell_type == "code"]
    assert any(HIDDEN in s for s in sources), "the reference runs its hidden tests"
    wraps = {c["index"]: c["wrap"] for c in job.cells if "wrap" in c}
    assert wraps == {3: ["double"], 7: ["halve"]}


@pytest.mark.parametrize("lab", lab_names())
def test_real_labs_assemble_from_the_release_with_reference_answers(lab):
    release = LABS / lab / f"{lab}.ipynb"
    plan = Plan.build(source_notebook(lab), release)
    answers = solution_answers(lab)
    nb, authored = plan.assemble(fill_answers(nbformat.read(release, as_version=4), answers))
    assert sorted(w.split(" ", 1)[1] for w in authored.values() if w.startswith("answer ")) == sorted(
        gid for gid in answers if by_gid(plan.source, gid).cell_type == "code")
    assert "added" not in authored.values()
    assert "BEGIN HIDDEN TESTS" not in json.dumps(nb)
    released = {grade_id(c): c.source for c in plan.release.cells if grade_id(c)}
    for cell in nb.cells:
        gid = grade_id(cell)
        if gid and gid not in answers:
            assert cell.source == released[gid], gid
    assert set(plan.exercise_of.values()) == set(plan.exercises) and set(plan.owner.values()) <= set(answers)


def test_cells_after_the_last_test_cell_are_not_run(plan):
    """A closing demo (lab 12 trains its CNN there) and the self_check() cell cannot change a score: neither
    the reference nor a student's job runs them, and the graded notebook shows them without outputs."""
    from autograder.grading.verdicts import apply
    from autograder.sandbox.protocol import Result

    nb = student(**ANSWERS)
    nb.cells += [code("raise SystemExit('the demo ran')"), md("## The end"), code("from autograder import self_check; self_check()")]
    got, authored = plan.assemble(nb)
    end = plan.graded_end(got)
    assert end == 1 + [grade_id(c) for c in got.cells].index("ex2_tests_b")
    job = plan.student_job(got, [], Limits())
    assert [c["index"] for c in job.cells] == [i for i, c in enumerate(got.cells) if c.cell_type == "code" and i < end]
    assert not any("the demo ran" in c["source"] for c in job.cells)
    source = plan.source.copy()
    source.cells = [*source.cells, code("raise SystemExit('the demo ran')")]
    plan.source = source
    assert not any("the demo ran" in c["source"] for c in plan.reference_job(Limits(), seed=1).cells)
    got.cells[-1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="stale")]
    apply(got, Result(cells={c["index"]: {"outputs": [], "execution_count": 1} for c in job.cells}), end)
    assert got.cells[-1].outputs == [] and got.cells[-1].execution_count is None, "a cell that did not run shows no output"
    assert all(not any(o.get("ename") for o in c.outputs) for c in got.cells if c.cell_type == "code")
