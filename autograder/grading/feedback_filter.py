"""Keep hidden tests hidden in students' feedback, on both grading paths.

nbgrader's feedback page is its HTML of the *autograded* notebook. Under stock ``nbgrader autograde`` that
notebook holds each test cell as in the source, hidden tests included, with what they printed and the
tracebacks of those that failed. (The course grader's autograded notebook is the sandboxed run of the
*released* test cells, so it never held them.) ``nbgrader_config.py`` installs three preprocessors:

* :class:`MarkHiddenTests` (stock autograde, before ``Execute``): each ``### BEGIN HIDDEN TESTS`` line is
  prefixed, on the same line (so line numbers stay), with a statement that writes :data:`HIDDEN_MARK` to
  stdout; :class:`UnmarkHiddenTests` (right after ``Execute``) puts the source back, so the gradebook and
  formgrader see the cell as written. Everything a cell prints after the mark came from the hidden tests:
  the answer's own prints while they call it can echo hidden inputs.
* :class:`HideHiddenTests` (``generate_feedback``, both paths): in every test cell, the hidden region is
  replaced by one comment line, the outputs written after the mark are dropped (a note says so), and an
  error whose traceback quotes a hidden line is cut to its message. Each test's outcome and message stay.

An instructor who wants students to see the hidden tests sets ``HideHiddenTests.reveal = True``
(``python -m autograder grade ... --reveal-hidden-tests``, or ``nbgrader generate_feedback LAB
--HideHiddenTests.reveal=True``): the test cells then show their full source, read from the gradebook.
"""
from __future__ import annotations

import re

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool

from ..notebook import is_test

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
HIDDEN_MARK = "\x1e[hidden tests start]\x1e"  # written to stdout where the hidden tests begin (stock autograde)
SHOWN_INSTEAD = "# (hidden tests: they ran at grading; their code is not shown)"
CUT_NOTE = "[what the cell printed while the hidden tests ran is not shown]\n"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_MARK_CODE = f"__import__('sys').stdout.write({HIDDEN_MARK!r}); "
_SAVED = "dlcourse_source_before_mark"


def hidden_lines(source: str) -> list[str]:
    """The lines between the hidden-test markers (stripped, non-empty)."""
    out, inside = [], False
    for line in source.splitlines():
        if BEGIN in line:
            inside = True
        elif END in line:
            inside = False
        elif inside and line.strip():
            out.append(line.strip())
    return out


def without_hidden(source: str) -> str:
    """``source`` with each hidden region replaced by one comment line."""
    out, inside = [], False
    for line in source.splitlines():
        if BEGIN in line:
            inside = True
            out.append(line[:len(line) - len(line.lstrip())] + SHOWN_INSTEAD)
        elif END in line:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def _quotes(text: str, lines: list[str]) -> bool:
    plain = _ANSI.sub("", text)
    return any(line in plain for line in lines if any(ch.isalnum() for ch in line))


def hide(cell) -> None:
    """Make one executed test cell safe to show: hidden code, their printed output and quoting tracebacks go."""
    lines = hidden_lines(cell.source)
    cell.source = without_hidden(cell.source)
    kept, cut = [], False
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "error":
            if lines and any(_quotes(t, lines) for t in out.get("traceback") or []):
                out["traceback"] = [f"{out.get('ename', 'Error')}: {out.get('evalue', '')}"]
            kept.append(out)
            continue
        if cut:
            continue
        if kind == "stream" and HIDDEN_MARK in str(out.get("text", "")):
            before = str(out["text"]).split(HIDDEN_MARK, 1)[0]
            if before:
                kept.append(nbformat.v4.new_output("stream", name=out["name"], text=before))
            cut = True
            continue
        kept.append(out)
    if cut:
        kept.append(nbformat.v4.new_output("stream", name="stdout", text=CUT_NOTE))
    cell.outputs = kept


class MarkHiddenTests(NbGraderPreprocessor):
    """Stock autograde, before Execute: the hidden region of each test cell first writes :data:`HIDDEN_MARK`."""

    def preprocess(self, nb, resources):
        for cell in nb.cells:
            if is_test(cell) and BEGIN in cell.source:
                cell.metadata[_SAVED] = cell.source
                cell.source = "\n".join(_MARK_CODE + line if line.startswith(BEGIN) else line for line in cell.source.split("\n"))
        return nb, resources


class UnmarkHiddenTests(NbGraderPreprocessor):
    """Stock autograde, right after Execute: every test cell's source as written (the outputs keep the mark)."""

    def preprocess(self, nb, resources):
        for cell in nb.cells:
            if _SAVED in cell.metadata:
                cell.source = cell.metadata.pop(_SAVED)
        return nb, resources


class HideHiddenTests(NbGraderPreprocessor):
    """generate_feedback: hidden tests' code, what they made the answer print, and tracebacks quoting them go."""

    reveal = Bool(False, help="show the hidden tests' code (read from the gradebook) in students' feedback").tag(config=True)

    def preprocess(self, nb, resources):
        if self.reveal:
            self._reveal(nb, resources)
            for cell in nb.cells:
                for out in cell.get("outputs", []) if is_test(cell) else ():
                    if out.get("output_type") == "stream":
                        out["text"] = str(out.get("text", "")).replace(HIDDEN_MARK, "")
            return nb, resources
        for cell in nb.cells:
            if is_test(cell):
                hide(cell)
        return nb, resources

    @staticmethod
    def _reveal(nb, resources) -> None:
        from nbgrader.api import Gradebook, MissingEntry

        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gb:
            for cell in nb.cells:
                if is_test(cell):
                    try:
                        cell.source = gb.find_source_cell(cell.metadata["nbgrader"]["grade_id"], info["notebook"], info["assignment"]).source
                    except MissingEntry:
                        pass
