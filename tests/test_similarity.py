"""autograder.similarity: which submissions share answer code (fast: notebooks built from the release with
``fill_answers``, written to a tmp submissions folder; no kernel, no sandbox).

The students: ``ref`` (the reference answers), ``blank`` (the release as handed out), ``ref_renamed``/``blank2``
(copies of those two, which share nothing but boilerplate), ``half1``/``half2`` (the
suite's first alternative correct answer for the first/second half of the exercises, the reference
elsewhere), ``second`` (each exercise's second alternative where it has one), and a *disguised copy*: the same
code with every local name and attribute renamed, reformatted (``ast.unparse``, two-space indents, the
docstrings gone) and a comment on every line. Measured on every lab: the copy scores 1.00 (asked: >= 0.99),
independent pairs at most 0.07 (lab11, 11 shared nodes; 0 elsewhere); the module docstring
of ``autograder.similarity`` has the whole table behind the default threshold (0.5).
"""
from __future__ import annotations

import ast
import builtins
import csv
import functools

import nbformat
import pytest

from autograder import similarity as S
from autograder.__main__ import main
from autograder.course import LABS, fill_answers, lab_names, solution_answers
from autograder.notebook import grade_id, is_answer
from exercises.mutants import alternatives, answer_source

LAB = "lab01_tensors"
HOSTILE = "</td><script>alert(1)</script>"


def disguise(source: str) -> str:
    """The same code with every local name and attribute of its own renamed, reformatted (``ast.unparse``,
    two-space indents), docstrings dropped and a comment on every line: what a student hiding a copy does."""
    tree = ast.parse(source)
    top = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    local, attrs = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.arg):
            local.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            local.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            attrs.add(node.attr)
    local -= top | set(dir(builtins))
    new = {n: f"q{i}_{n.lower()[::-1]}" for i, n in enumerate(sorted(local | attrs))}

    class Rename(ast.NodeTransformer):
        def visit_Name(self, node):
            node.id = new.get(node.id, node.id) if node.id in local else node.id
            return node

        def visit_arg(self, node):
            node.arg = new.get(node.arg, node.arg) if node.arg in local else node.arg
            return node

        def visit_Attribute(self, node):
            self.generic_visit(node)
            node.attr = new[node.attr] if node.attr in attrs else node.attr
            return node

        def _drop_docstring(self, node):
            self.generic_visit(node)
            b = node.body
            if b and isinstance(b[0], ast.Expr) and isinstance(b[0].value, ast.Constant) and isinstance(b[0].value.value, str):
                node.body = b[1:] or [ast.Pass()]
            return node

        visit_FunctionDef = visit_ClassDef = _drop_docstring

    lines = []
    for line in ast.unparse(Rename().visit(tree)).splitlines():
        body = line.lstrip(" ")
        lines.append("  " * ((len(line) - len(body)) // 4) + body + "   # my own work")
    return "# written by me, honestly\n" + "\n".join(lines) + "\n"


@functools.cache
def released(lab: str):
    return nbformat.read(LABS / lab / f"{lab}.ipynb", as_version=4)


@functools.cache
def answer_ids(lab: str) -> tuple[str, ...]:
    return tuple(gid for c in released(lab).cells if (gid := grade_id(c)) and is_answer(c))


@functools.cache
def alts(lab: str) -> dict[str, tuple[str, ...]]:
    return {g: tuple(answer_source(lab, a) for a in alternatives(lab) if a.answer == g) for g in answer_ids(lab)}


def cohort(lab: str) -> dict[str, dict[str, str]]:
    """Independent students of ``lab`` (grade_id -> answer): no two share an answer that is not the reference."""
    ids, ref, alt = answer_ids(lab), solution_answers(lab), alts(lab)
    blank = {c.metadata.nbgrader.grade_id: c.source for c in released(lab).cells if grade_id(c) in ids}
    h = len(ids) // 2
    return {
        "ref": dict(ref),
        "ref_renamed": {g: disguise(s) for g, s in ref.items()},  # a copy of the reference: still boilerplate
        "blank": blank,
        "blank2": dict(blank),
        "half1": {g: alt[g][0] if i < h else ref[g] for i, g in enumerate(ids)},
        "half2": {g: alt[g][0] if i >= h else ref[g] for i, g in enumerate(ids)},
        "second": {g: alt[g][1] if len(alt[g]) > 1 else ref[g] for g in ids},
    }


def submit(folder, student: str, lab: str, answers: dict[str, str], added: list[str] = ()):
    nb = fill_answers(released(lab), answers)
    nb.cells += [nbformat.v4.new_code_cell(src) for src in added]
    path = folder / student / lab / f"{lab}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def all_alternatives(lab: str) -> dict[str, str]:
    return {g: a[0] for g, a in alts(lab).items()}


def test_disguise_changes_the_text_but_not_what_is_compared():
    src = alts(LAB)["ex04_class_means"][1]
    copy = disguise(src)
    assert "sums" in src and "sums" not in copy and "#" in copy
    keep = S._load_lab(LAB).keep
    assert [t for t, _ in S.normalise(src, keep)] == [t for t, _ in S.normalise(copy, keep)]
    assert S.normalise("Z = X.sum(dim=0)") != S.normalise("Z = X.sum(dim=1)")
    # a parameter named like a builtin or a course helper is still the student's own name
    assert S.normalise("def f(input, seed):\n    return input + seed", keep) == S.normalise("def f(a, b):\n    return a + b", keep)
    # a cell that does not compile is still compared, names normalised
    assert [t for t, _ in S.normalise("def f(a):\n    return a.sum(dim=1) +")] == \
        [t for t, _ in S.normalise("def f(b):  # x\n    return b.sum(dim=1) +")]


def test_renamed_copy_is_flagged_with_its_shared_lines(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    alice = all_alternatives(LAB)
    bob = {g: disguise(s) for g, s in alice.items()}
    submit(subs, "alice", LAB, alice)
    submit(subs, "bob", LAB, bob)
    submit(subs, "carol", LAB, solution_answers(LAB))
    pairs = S.similarity_report(LAB, subs, out)
    assert [(p.student_a, p.student_b) for p in pairs] == [("alice", "bob")]
    (pair,) = pairs
    assert pair.score >= 0.99 > S.THRESHOLD and pair.shared_tokens >= S.MIN_TOKENS and pair.shared_lines >= 10
    page = (out / "similarity.html").read_text()
    line_a = next(ln for ln in alice["ex04_class_means"].splitlines() if "@" in ln)  # return (Y.T @ X) / ...
    line_b = next(ln for ln in bob["ex04_class_means"].splitlines() if "@" in ln)
    assert "Y.T" in line_a and "Y.T" not in line_b
    assert S.html.escape(line_a.strip()) in page and S.html.escape(line_b.strip()) in page
    assert "ex04_class_means" in page
    with open(out / "similarity.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows == [{"student_a": "alice", "student_b": "bob", "score": f"{pair.score:.3f}", "shared_lines": str(pair.shared_lines)}]


@pytest.mark.parametrize("lab", lab_names())
def test_independent_answers_are_not_flagged_but_a_copy_is(lab, tmp_path):
    """Every lab: the copy of ``half1`` scores near 1, every independent pair far below the threshold."""
    subs = tmp_path / "subs"
    students = cohort(lab)
    for name, answers in students.items():
        submit(subs, name, lab, answers)
    assert S.similarity_report(lab, subs, tmp_path / "out") == []
    submit(subs, "copy", lab, {g: disguise(s) if s != solution_answers(lab)[g] else s for g, s in students["half1"].items()})
    everything = S.similarity_report(lab, subs, tmp_path / "all", threshold=0.0, min_tokens=0)
    assert len(everything) == len(students) * (len(students) + 1) // 2
    flagged = S.similarity_report(lab, subs, tmp_path / "out")
    assert [(p.student_a, p.student_b) for p in flagged] == [("copy", "half1")]
    assert flagged[0].score >= 0.99
    independent = max(p.score for p in everything if {p.student_a, p.student_b} != {"copy", "half1"})
    assert independent <= 0.25 < S.THRESHOLD
    zero = {"ref", "ref_renamed", "blank", "blank2"}
    assert all(p.score == 0 for p in everything if {p.student_a, p.student_b} <= zero)


def test_independent_alternatives_half_and_half(tmp_path):
    """Alternatives for the first half vs for the second half (the reference elsewhere): nothing shared."""
    subs = tmp_path / "subs"
    students = cohort(LAB)
    submit(subs, "half1", LAB, students["half1"])
    submit(subs, "half2", LAB, students["half2"])
    (pair,) = S.similarity_report(LAB, subs, tmp_path / "out", threshold=0.0, min_tokens=0)
    assert pair.score == 0 and pair.shared_tokens == 0


def test_code_moved_into_an_added_cell_is_still_found(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    alice = all_alternatives(LAB)
    ref = solution_answers(LAB)
    moved = ["ex01_row_normalize", "ex04_class_means", "ex02_standardize"]
    submit(subs, "alice", LAB, alice)
    submit(subs, "bob", LAB, ref, added=[disguise(alice[g]) for g in moved])
    (pair,) = S.similarity_report(LAB, subs, out)
    assert (pair.student_a, pair.student_b) == ("alice", "bob") and pair.score >= 0.99
    assert {s.label_a for s in pair.cells} == set(moved)
    assert all(s.label_b.startswith("added cell") for s in pair.cells)
    assert "added cell" in (out / "similarity.html").read_text()


def test_hostile_text_is_escaped(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    alice = all_alternatives(LAB)
    gid = "ex04_class_means"
    lines = alice[gid].splitlines()
    lines[1] += f"  # {HOSTILE}"
    lines.insert(2, f"    note = {HOSTILE!r}.upper()")
    alice[gid] = "\n".join(lines) + "\n"
    submit(subs, "alice", LAB, alice)
    submit(subs, "bob", LAB, alice)
    hostile_folder = subs / "<img src=x onerror=alert(1)>"
    hostile_folder.mkdir()
    (pair,) = S.similarity_report(LAB, subs, out)
    page = (out / "similarity.html").read_text()
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert S.html.escape(HOSTILE) in page  # the comment and the string, shown as text
    assert page.count(S.html.escape(HOSTILE)) >= 4  # both lines, both students
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the skipped folder, named as text
    assert "default-src 'none'" in page


def test_a_broken_notebook_is_skipped_with_a_reason(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    alice = all_alternatives(LAB)
    submit(subs, "alice", LAB, alice)
    submit(subs, "bob", LAB, {g: disguise(s) for g, s in alice.items()})
    broken = submit(subs, "carol", LAB, alice)
    broken.write_text('{"cells": [')
    (subs / "dave").mkdir()  # no lab folder
    lines = []
    pairs = S.similarity_report(LAB, subs, out, progress=lines.append)
    assert [(p.student_a, p.student_b) for p in pairs] == [("alice", "bob")]
    assert any(ln.startswith("skipped carol:") and "not valid notebook JSON" in ln for ln in lines), lines
    assert any(ln.startswith("skipped dave:") for ln in lines), lines
    page = (out / "similarity.html").read_text()
    assert "skipped carol" in page and "not valid notebook JSON" in page and "2 submissions compared" in page


def test_cli_writes_the_report_outside_feedback(tmp_path, capsys):
    subs, out = tmp_path / "subs", tmp_path / "out"
    alice = all_alternatives(LAB)
    submit(subs, "alice", LAB, alice)
    submit(subs, "bob", LAB, {g: disguise(s) for g, s in alice.items()})
    (out / "feedback").mkdir(parents=True)
    (out / "feedback" / "alice.html").write_text("graded earlier")
    assert main(["similarity", "01", str(subs), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "alice" in printed and "bob" in printed and str(out / "similarity.html") in printed
    assert (out / "similarity.html").is_file() and (out / "similarity.csv").is_file()
    assert [p.name for p in (out / "feedback").iterdir()] == ["alice.html"]
    assert (out / "feedback" / "alice.html").read_text() == "graded earlier"
    # a threshold above every score: nothing reported, the report still written
    assert main(["similarity", LAB, str(subs), "--out", str(tmp_path / "strict"), "--threshold", "1.01"]) == 0
    assert "0 pair(s)" in capsys.readouterr().out and (tmp_path / "strict" / "similarity.html").is_file()
    # never into a feedback folder, which students receive
    assert main(["similarity", LAB, str(subs), "--out", str(out / "feedback")]) == 2
    assert "feedback" in capsys.readouterr().err
    assert [p.name for p in (out / "feedback").iterdir()] == ["alice.html"]


def test_cli_help_states_the_default_threshold(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    with pytest.raises(SystemExit):
        main(["similarity", "--help"])
    assert f"default {S.THRESHOLD:g}" in capsys.readouterr().out


def test_a_link_planted_at_the_report_is_replaced_not_followed(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    alice = all_alternatives(LAB)
    submit(subs, "-alice", LAB, alice)  # a valid id a spreadsheet would read as a formula
    submit(subs, "bob", LAB, alice)
    (out / "feedback").mkdir(parents=True)
    (out / "similarity.html").symlink_to(out / "feedback" / "bob.html")
    (pair,) = S.similarity_report(LAB, subs, out)
    assert not (out / "similarity.html").is_symlink() and list((out / "feedback").iterdir()) == []
    assert (out / "similarity.csv").read_text().splitlines()[1].startswith("'-alice,bob,")
    assert pair.student_a == "-alice"
