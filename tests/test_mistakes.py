"""Every plausible wrong answer says, in a student's words, what misconception it is and what to do instead.

The feedback names a mutant's ``mistake`` and ``hint`` when a submission behaves like it
(``autograder/grading/misconceptions.py``); here the texts themselves are checked: there is one for every
mutant, none is left over, and each reads as the feedback will print it.
"""
import re

import pytest

import exercises.mutants as M
from autograder.course import lab_names


@pytest.mark.parametrize("lab", lab_names())
def test_every_mutant_names_its_mistake(lab):
    mutants = M.load(lab)
    missing = [m.id for m in mutants if not (m.mistake and m.hint)]
    assert not missing, f"{lab}: mutants without a (mistake, hint) in MISTAKES: {missing}"
    said = getattr(M.load_module(lab), "MISTAKES", {})
    used = {k for m in mutants for k in (m.id, m.name) if k in said}
    assert not set(said) - used, f"{lab}: MISTAKES entries that name no mutant: {sorted(set(said) - used)}"
    for m in mutants:
        for part, text, limit in (("mistake", m.mistake, 140), ("hint", m.hint, 200)):
            where = f"{lab} {m.id} {part} {text!r}"
            assert isinstance(text, str) and text == text.strip() and "\n" not in text, where
            assert len(text) <= limit, f"{where}: at most {limit} characters"
            assert not text.endswith("."), f"{where}: no full stop (the feedback adds the punctuation)"
            assert not re.search(r"hidden|BEGIN|probe", text, re.I), f"{where}: says nothing about the grader's tests"
        assert m.mistake[0].islower() or not m.mistake[0].isalpha() or m.mistake.split()[0].isupper(), (
            f"{lab} {m.id}: the mistake continues a sentence ('this matches a known mistake: ...'), so it starts in lower case")


@pytest.mark.parametrize("lab", lab_names())
def test_no_text_quotes_a_hidden_test_line(lab):
    """A hint may name the right call, but never repeats a line of the lab's hidden tests: it is shown to students."""
    import nbformat

    from autograder.course import source_notebook
    from autograder.grading.feedback_filter import hidden_lines
    from autograder.notebook import is_test

    from autograder.course import LABS

    source = nbformat.read(source_notebook(lab), as_version=4)
    public = "\n".join([c.source for c in nbformat.read(LABS / lab / f"{lab}.ipynb", as_version=4).cells]
                       + [c.source for c in source.cells if not is_test(c)])  # the release and the reference answers
    hidden = {ln for c in source.cells if is_test(c) for ln in hidden_lines(c.source) if len(ln) >= 16 and ln not in public}
    quoted = [(m.id, ln) for m in M.load(lab) for ln in hidden if ln in m.mistake or ln in m.hint]
    assert not quoted, f"{lab}: texts that quote hidden test lines: {quoted}"
