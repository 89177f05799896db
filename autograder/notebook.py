"""One reading of a lab notebook's cells, used by the grader, the bench and the tests alike.

* **nbgrader metadata** — what kind a cell is (answer, test, setup), its grade_id and points — read through
  ``nbgrader.utils``, the same functions nbgrader's own preprocessors use.
* **names** — the Python a cell runs (IPython magics turned into calls, exactly as IPython does) and the
  names it binds at top level.
"""
from __future__ import annotations

import ast

from nbgrader import utils as _nbu


def nbg(cell) -> dict:
    """A cell's nbgrader metadata ({} for a plain cell)."""
    return (cell.get("metadata") or {}).get("nbgrader") or {}


def grade_id(cell) -> str | None:
    return nbg(cell).get("grade_id")


def is_answer(cell) -> bool:
    """A cell the student writes: ``solution`` and not ``grade`` (code or markdown)."""
    return bool(_nbu.is_solution(cell)) and not _nbu.is_grade(cell)


def is_test(cell) -> bool:
    """A graded test cell: code with ``grade`` and not ``solution`` (locked, points, hidden tests)."""
    return cell.cell_type == "code" and bool(_nbu.is_grade(cell)) and not _nbu.is_solution(cell)


def graded_end(nb) -> int:
    """The index after ``nb``'s last test cell. The cells after it (a closing demo that trains the lab's model,
    the ``self_check()`` cell) cannot change any score, so the grader and the self-check do not run them."""
    return 1 + max((i for i, c in enumerate(nb.cells) if is_test(c)), default=len(nb.cells) - 1)


def is_setup(cell) -> bool:
    """A code cell of the course's own that is neither an answer nor a test (imports, data, plots)."""
    return cell.cell_type == "code" and not _nbu.is_grade(cell) and not _nbu.is_solution(cell)


def is_readonly(cell) -> bool:
    """A cell nbgrader marks read-only (or locked): the grader restores it from the instructor's copy."""
    return bool(_nbu.is_locked(cell))


def points(cell) -> float:
    """The points a graded cell is worth (0 for any other cell)."""
    return float(nbg(cell).get("points", 0) or 0) if _nbu.is_grade(cell) else 0.0


def cells_by_id(nb) -> dict[str, object]:
    """grade_id -> cell, for every cell that has one."""
    return {gid: c for c in nb.cells if (gid := grade_id(c))}


def python_source(cell_source: str) -> str:
    """The cell as IPython would run it (magics and ``!shell`` turned into calls)."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(cell_source)


def parse(cell_source: str) -> ast.Module | None:
    """The cell's syntax tree as IPython would run it, or None if it does not compile."""
    try:
        return ast.parse(python_source(cell_source))
    except (SyntaxError, ValueError):
        return None


def bound_names(stmt) -> list[str]:
    """The names one top-level statement binds (definitions, imports, assignment, loop and ``with`` targets)."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [stmt.name]
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return [a.asname or a.name.split(".")[0] for a in stmt.names if a.name != "*"]
    targets = []
    if isinstance(stmt, ast.Assign):
        targets = stmt.targets
    elif isinstance(stmt, (ast.AugAssign, ast.AnnAssign)):
        targets = [stmt.target]
    elif isinstance(stmt, ast.For):
        targets = [stmt.target]
    elif isinstance(stmt, ast.With):
        targets = [i.optional_vars for i in stmt.items if i.optional_vars]
    return [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]


def top_level_names(cell_source: str) -> set[str]:
    """Every name a cell binds at top level (magics handled as IPython runs them)."""
    tree = parse(cell_source)
    return {name for stmt in tree.body for name in bound_names(stmt)} if tree else set()


def defined_names(cell_source: str) -> list[str]:
    """The functions and classes a cell defines at top level, in order (solution markers are comments)."""
    tree = parse(cell_source)
    return [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))] if tree else []
