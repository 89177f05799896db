"""Mutants: plausible wrong answers that each exercise's tests must reject.

Each lab has a module ``exercises/mutants/<lab>.py`` defining ``MUTANTS``, a list of :class:`Mutant`. A mutant
replaces one answer cell of the lab's nbgrader source — either the whole cell (``source=``) or by exact
text substitutions in the reference answer (``replace=[(old, new), ...]``, each ``old`` must occur). The
graded notebook must then lose the points of exactly the test cells in ``fails`` (default: the answer's
``<grade_id>_tests``) and keep every other point.

Each module also has ``MISTAKES``: what a student's feedback says when their answer behaves like a mutant,
``{key: (mistake, hint)}``. The key is the mutant's name, or its id (``answer-name``) where one name is used
by exercises that need different words. ``mistake`` completes "this matches a known mistake: ..." (a clause,
lower case, no full stop); ``hint`` says what to do instead (shown in parentheses after it, no full stop).
"""
from __future__ import annotations

import dataclasses
import importlib
from dataclasses import dataclass, field

import nbformat

from autograder.course import copy_notebook, source_notebook
from autograder.notebook import nbg


@dataclass(frozen=True)
class Mutant:
    answer: str  # grade_id of the answer cell to replace
    name: str  # what is wrong, e.g. "sum_instead_of_mean"
    replace: tuple = ()
    source: str | None = None
    fails: tuple = field(default=())
    breaks: str = ""  # the contract rule this mutant breaks ("device", "no_mutation", "forbids:torch.softmax"...)
    mistake: str = ""  # the misconception, for feedback (from the lab's MISTAKES)
    hint: str = ""  # what to do instead

    @property
    def expected_failures(self) -> set[str]:
        return set(self.fails) if self.fails else {f"{self.answer}_tests"}

    @property
    def id(self) -> str:
        return f"{self.answer}-{self.name}"


@dataclass(frozen=True)
class Alternative:
    """A correct answer written another way (loops, einsum, float64 inside...): must keep every point."""

    answer: str
    name: str
    source: str
    replace: tuple = ()
    expected_failures: frozenset = frozenset()
    known_defect: str = ""  # the lab's tests wrongly reject this correct answer (to be fixed in the lab; xfail until then)

    @property
    def id(self) -> str:
        return f"{self.answer}-alt-{self.name}"


def alternatives(lab: str) -> list[Alternative]:
    return list(getattr(load_module(lab), "ALTERNATIVES", []))


def load_module(lab: str):
    """The lab's mutant module (MUTANTS, and ALTERNATIVES where it has them)."""
    import types

    try:
        return importlib.import_module(f"exercises.mutants.{lab}")
    except ModuleNotFoundError:
        return types.SimpleNamespace(MUTANTS=[], ALTERNATIVES=[])


def load(lab: str) -> list[Mutant]:
    """The lab's written mutants, then those generated from its contracts (``returns_cpu_tensor``)."""
    from exercises.contracts import device_mutants

    try:
        module = importlib.import_module(f"exercises.mutants.{lab}")
    except ModuleNotFoundError:
        return []
    said = getattr(module, "MISTAKES", {})
    written = [dataclasses.replace(m, mistake=said[key][0], hint=said[key][1]) if key else m
               for m in module.MUTANTS for key in [next((k for k in (m.id, m.name) if k in said), None)]]
    return written + device_mutants(lab)


def apply(nb, mutant: Mutant):
    """A copy of the source notebook ``nb`` with the mutant's answer cell rewritten."""
    nb = copy_notebook(nb)
    cells = [c for c in nb.cells if nbg(c).get("grade_id") == mutant.answer
             and nbg(c).get("solution")]
    if len(cells) != 1:
        raise LookupError(f"{mutant.id}: no single answer cell with grade_id {mutant.answer!r}")
    cell = cells[0]
    if mutant.source is not None:
        cell.source = mutant.source
    for old, new in mutant.replace:
        if old not in cell.source:
            raise LookupError(f"{mutant.id}: text {old!r} not found in the reference answer of {mutant.answer}")
        cell.source = cell.source.replace(old, new)
    return nb


def lab_source(lab: str):
    return nbformat.read(source_notebook(lab), as_version=4)


def answer_source(lab: str, mutant: Mutant, src=None) -> str:
    """The mutant's answer cell as a student would submit it (solution markers removed); ``src``: the lab's
    source notebook, if the caller has read it already."""
    from autograder.course import strip_solution_markers

    cell = next(c for c in apply(lab_source(lab) if src is None else src, mutant).cells
                if nbg(c).get("grade_id") == mutant.answer and nbg(c).get("solution"))
    return strip_solution_markers(cell.source)
