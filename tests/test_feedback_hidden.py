"""Students' feedback shows each test's outcome and message, never the hidden tests' code (unless asked).

Both paths: stock ``nbgrader autograde`` + ``generate_feedback`` with the repository's ``nbgrader_config.py``
(whose autograded notebook holds the hidden tests, what they made the answer print, and their tracebacks),
and the course grader (``python -m autograder grade``). The opt-in, ``HideHiddenTests.reveal`` /
``--reveal-hidden-tests``, shows the code. The unit tests drive :mod:`autograder.grading.feedback_filter`.
"""
import subprocess
import sys
from html.parser import HTMLParser

import nbformat
import pytest

from autograder.course import LABS, ROOT, fill_answers, solution_answers, source_notebook
from autograder.grading.feedback_filter import (CUT_NOTE, HIDDEN_MARK, SHOWN_INSTEAD, MarkHiddenTests, UnmarkHiddenTests, hide,
                                                hidden_lines)
from autograder.notebook import is_test
from tests.unit_helpers import code

LAB = "lab01_tensors"
SECRET = "X_hidden = torch.arange(12.).reshape(3, 4)  # a hidden input"
TEST = ("check_close(double(2), 4)\nprint('visible checks passed')\n### BEGIN HIDDEN TESTS\n" + SECRET +
        "\nassert double(X_hidden).sum() == 132, 'double is wrong on a hidden input'\n### END HIDDEN TESTS\n")


def page_text(html: str) -> str:
    """What a reader of the page sees (tags gone, syntax-highlighting spans joined up)."""
    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts = []

        def handle_data(self, data):
            self.parts.append(data)

    t = Text()
    t.feed(html)
    return "".join(t.parts)


def hidden_code_shown(html: str, lab: str, submitted: str = "") -> list[str]:
    """The lines of ``lab``'s hidden tests that appear in a feedback page, and neither in the released lab nor
    in the reference answers nor in ``submitted`` (the student's own text: a hidden test may compute the
    expected value with the same line an answer uses)."""
    source = nbformat.read(source_notebook(lab), as_version=4)
    released = "\n".join([c.source for c in nbformat.read(LABS / lab / f"{lab}.ipynb", as_version=4).cells]
                         + [c.source for c in source.cells if not is_test(c)] + [submitted])
    text = page_text(html)
    found = []
    for cell in source.cells:
        if is_test(cell):
            found += [ln for ln in hidden_lines(cell.source) if len(ln) >= 12 and ln not in released and ln in text]
    return found


def test_hide_cuts_the_code_the_output_it_caused_and_quoting_tracebacks():
    cell = code(TEST, "ex1_tests", grade=True, locked=True, points=2)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="visible checks passed\n" + HIDDEN_MARK + "tensor([[0., 1.]])  # echoed input\n"),
                    nbformat.v4.new_output("stream", name="stdout", text="more echo\n"),
                    nbformat.v4.new_output("error", ename="AssertionError", evalue="double is wrong on a hidden input",
                                           traceback=["\x1b[0;31mAssertionError\x1b[0m Traceback", "----> 6 \x1b[38;5;28massert\x1b[39m double(X_hidden).sum() == 132, 'double is wrong on a hidden input'",
                                                      "AssertionError: double is wrong on a hidden input"])]
    hide(cell)
    assert SECRET not in cell.source and "BEGIN HIDDEN" not in cell.source and SHOWN_INSTEAD in cell.source
    assert cell.source.startswith("check_close(double(2), 4)\nprint('visible checks passed')")
    streams = [o["text"] for o in cell.outputs if o["output_type"] == "stream"]
    assert streams == ["visible checks passed\n", CUT_NOTE], "what printed after the mark is gone, with a note"
    error = next(o for o in cell.outputs if o["output_type"] == "error")
    assert error["traceback"] == ["AssertionError: double is wrong on a hidden input"], "the outcome and message stay"


def test_hide_keeps_a_traceback_that_quotes_only_visible_code():
    cell = code(TEST, "ex1_tests", grade=True, locked=True, points=2)
    tb = ["----> 1 check_close(double(2), 4)", "CheckFailed: double(2) should be 4"]
    cell.outputs = [nbformat.v4.new_output("error", ename="CheckFailed", evalue="double(2) should be 4", traceback=tb)]
    hide(cell)
    assert cell.outputs[0]["traceback"] == tb


def test_mark_goes_on_the_begin_line_and_the_source_comes_back():
    nb = nbformat.v4.new_notebook(cells=[code(TEST, "ex1_tests", grade=True, locked=True, points=2), code("x = 1")])
    nb, _ = MarkHiddenTests().preprocess(nb, {})
    marked = nb.cells[0].source.split("\n")
    assert len(marked) == len(TEST.split("\n")), "line numbers in tracebacks stay those of the source"
    assert marked[2].startswith("__import__('sys').stdout.write(") and marked[2].endswith("### BEGIN HIDDEN TESTS")
    compile(nb.cells[0].source, "cell", "exec")
    assert nb.cells[1].source == "x = 1"
    nb, _ = UnmarkHiddenTests().preprocess(nb, {})
    assert nb.cells[0].source == TEST and "dlcourse_source_before_mark" not in nb.cells[0].metadata


def printing_wrong_answer() -> dict:
    """lab01 answered with the reference, except that row_normalize prints its input and divides by the max."""
    answers = solution_answers(LAB)
    answers["ex01_row_normalize"] = ("def row_normalize(X):\n    print('my input:', X.tolist())\n"
                                     "    return X / X.max(dim=1, keepdim=True).values\n")
    return answers


def stock_feedback(tmp_path, reveal: bool) -> str:
    from nbgrader.apps import NbGraderAPI

    from autograder.course import course_config
    from autograder.grading.gradebook import stock_autograde

    sub = tmp_path / "submitted" / "pat" / LAB
    sub.mkdir(parents=True)
    released = nbformat.read(LABS / LAB / f"{LAB}.ipynb", as_version=4)
    nbformat.write(fill_answers(released, printing_wrong_answer()), sub / f"{LAB}.ipynb")
    scores, _ = stock_autograde(LAB, tmp_path / "submitted", ["pat"], tmp_path / "course")
    assert scores["pat"]["ex01_row_normalize_tests"] == 0 and scores["pat"]["ex02_standardize_tests"] > 0
    cfg = course_config(tmp_path / "course")
    cfg.HideHiddenTests.reveal = reveal
    made = NbGraderAPI(config=cfg).generate_feedback(LAB, "pat", force=True)
    assert made["success"], made
    autograded = (tmp_path / "course" / "autograded" / "pat" / LAB / f"{LAB}.ipynb").read_text()
    assert "### BEGIN HIDDEN TESTS" in autograded and "__import__('sys').stdout.write" not in autograded, (
        "the gradebook's copy keeps the test cells as written")
    return (tmp_path / "course" / "feedback" / "pat" / LAB / f"{LAB}.html").read_text()


@pytest.mark.slow
def test_stock_nbgrader_feedback_hides_hidden_tests(tmp_path):
    page = stock_feedback(tmp_path, reveal=False)
    assert not hidden_code_shown(page, LAB), hidden_code_shown(page, LAB)[:3]
    text = page_text(page)
    assert "BEGIN HIDDEN TESTS" not in text and SHOWN_INSTEAD in text
    assert text.count("my input:") >= 1, "what the answer printed during the visible tests is shown"
    assert CUT_NOTE.strip() in text, "what it printed while the hidden tests ran is cut, with a note"
    assert HIDDEN_MARK not in text


@pytest.mark.slow
def test_stock_nbgrader_feedback_reveals_hidden_tests_when_asked(tmp_path):
    page = stock_feedback(tmp_path, reveal=True)
    assert hidden_code_shown(page, LAB), "HideHiddenTests.reveal=True shows the hidden tests' code"
    assert HIDDEN_MARK not in page_text(page)


@pytest.mark.slow
@pytest.mark.sandbox
def test_course_grader_reveals_hidden_tests_only_when_asked(tmp_path):
    subs = tmp_path / "subs" / "pat" / LAB
    subs.mkdir(parents=True)
    released = nbformat.read(LABS / LAB / f"{LAB}.ipynb", as_version=4)
    nbformat.write(fill_answers(released, printing_wrong_answer()), subs / f"{LAB}.ipynb")
    pages = {}
    for reveal in (False, True):
        run = subprocess.run([sys.executable, "-m", "autograder", "grade", LAB, str(tmp_path / "subs"), "--out", str(tmp_path / "out"),
                              *(["--reveal-hidden-tests"] if reveal else [])], cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stdout + run.stderr
        pages[reveal] = (tmp_path / "out" / "feedback" / "pat" / LAB / f"{LAB}.html").read_text()
    assert not hidden_code_shown(pages[False], LAB)
    assert hidden_code_shown(pages[True], LAB), "--reveal-hidden-tests redoes the pages, with the hidden tests' code"
