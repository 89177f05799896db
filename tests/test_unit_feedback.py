"""autograder.grading.feedback and .replay: pages students open, and nbgrader's execution step replaced.

Published pages are sanitised and headed by the reasons points were lost (escaped: a reason quotes the
student's own error text); a submission that could not be graded gets a page saying why; pages of
students not graded again are left as they are. ``ReplayExecute`` hands nbgrader the sandboxed run.
"""
import os
import re

import nbformat
import pytest

from autograder.grading import feedback as fb
from autograder.grading.feedback import StudentResult
from autograder.grading.replay import ReplayExecute

LAB = "tinylab"


def row(gid, score, points, reason=""):
    return {"student": "s", "assignment": LAB, "grade_id": gid, "score": score, "max_score": points, "reason": reason}


def test_student_result_totals():
    r = StudentResult("alice", rows=[row("a", "2", "2"), row("b", "0", "1", "wrong"), row("c", "", "3", "not graded")])
    assert (r.score, r.max_score) == (2.0, 6.0)


def made_page(made, student, body):
    folder = made / student / LAB
    folder.mkdir(parents=True)
    (folder / f"{LAB}.html").write_text(f"<!DOCTYPE html><html><head><title>t</title></head><body class='jp'>{body}</body></html>")


def test_publish_sanitises_and_heads_pages_with_the_reasons(tmp_path):
    made, dest = tmp_path / "made", tmp_path / "dest"
    made_page(made, "alice", "<p>my work</p><script>steal()</script><img src=x onerror=steal()>")
    alice = StudentResult("alice", rows=[row("ex1_tests", "2", "2"), row("ex2_tests", "0", "1", "CheckFailed: got <img src=x onerror=steal()>")],
                          notes=["answer cell ex1: uses open (opening files) <b>"])
    fb.publish([alice], LAB, made, dest, fresh={"alice"})
    page = (dest / "alice" / LAB / f"{LAB}.html").read_text()
    assert "<script" not in page and not re.search(r"<[^>]*\son\w+=", page), "no script, no handler in any tag"
    assert "<p>my work</p>" in page
    head = page.index("<body class=\"jp\">") + len("<body class=\"jp\">")
    assert page[head:].startswith("<section id='lost-points'"), "the reasons come first"
    assert "CheckFailed: got &lt;img src=x onerror=steal()&gt;" in page, "a reason is text, never markup"
    assert "Notes from the grader (no points lost)" in page and "uses open (opening files) &lt;b&gt;" in page
    assert "<td><code>ex1_tests</code></td><td>2/2</td>" in page and "FAIL" in page


def test_a_full_marks_page_has_no_reasons_section(tmp_path):
    made, dest = tmp_path / "made", tmp_path / "dest"
    made_page(made, "bob", "<p>fine</p>")
    fb.publish([StudentResult("bob", rows=[row("ex1_tests", "2", "2")])], LAB, made, dest, fresh={"bob"})
    page = (dest / "bob" / LAB / f"{LAB}.html").read_text()
    assert "lost-points" not in page and "grader-notes" not in page and "<p>fine</p>" in page


def test_a_submission_that_could_not_be_graded_gets_a_page_saying_why(tmp_path):
    dest = tmp_path / "dest"
    carol = StudentResult("carol", reason="tinylab.ipynb is a symbolic link, not a file <x>", rows=[row("ex1_tests", "0", "2", "r")])
    fb.publish([carol], LAB, tmp_path / "made", dest, fresh={"carol"})
    page = (dest / "carol" / LAB / f"{LAB}.html").read_text()
    assert "<h1>tinylab: 0 / 2</h1>" in page
    assert "Your submission could not be graded:</strong> tinylab.ipynb is a symbolic link, not a file &lt;x&gt;" in page


def test_pages_of_students_not_graded_again_are_kept(tmp_path):
    made, dest = tmp_path / "made", tmp_path / "dest"
    old = dest / "dave" / LAB
    old.mkdir(parents=True)
    (old / "keep.html").write_text("from the first run")
    made_page(made, "dave", "<p>new</p>")
    fb.publish([StudentResult("dave", rows=[row("a", "1", "1")])], LAB, made, dest, fresh=set())
    assert os.listdir(old) == ["keep.html"]
    fb.publish([StudentResult("dave", rows=[row("a", "1", "1")])], LAB, made, dest, fresh={"dave"})
    assert os.listdir(old) == [f"{LAB}.html"], "a fresh grading replaces the old page"


class Api:
    def __init__(self, folder, fail_in_child=False):
        self.folder, self.fail_in_child, self.parent = folder, fail_in_child, os.getpid()

    def generate_feedback(self, lab, student, force):
        if self.fail_in_child and os.getpid() != self.parent:
            os._exit(1)  # a forked part that dies
        (self.folder / f"{student}.{os.getpid()}").write_text(lab)


@pytest.mark.parametrize("workers, fail", [(1, False), (2, False), (2, True)])
def test_generate_makes_every_page_even_when_a_part_dies(tmp_path, workers, fail):
    students = ["a", "b", "c"]
    fb.generate(Api(tmp_path, fail), LAB, students, workers)
    made = sorted(p.name.split(".")[0] for p in tmp_path.iterdir())
    assert made == students


def test_replay_hands_nbgrader_the_sandboxed_run(tmp_path):
    run = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output("stream", name="stdout", text="ran")])])
    (tmp_path / "alice").mkdir()
    nbformat.write(run, tmp_path / "alice" / f"{LAB}.ipynb")
    step = ReplayExecute(runs_dir=str(tmp_path))
    resources = {"nbgrader": {"student": "alice", "notebook": LAB}}
    got, res = step.preprocess(nbformat.v4.new_notebook(), resources)
    assert got.cells[0].outputs[0].text == "ran" and res is resources
    with pytest.raises(FileNotFoundError, match="no sandboxed run for bob/tinylab"):
        step.preprocess(nbformat.v4.new_notebook(), {"nbgrader": {"student": "bob", "notebook": LAB}})
