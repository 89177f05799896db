"""Which test cells can observe an answer cell: a static name-dependency analysis of a lab notebook.

A test cell depends on an answer cell when the names it uses reach, directly or through functions and
classes defined elsewhere in the notebook, a name the answer cell defines. Mutant grading uses it to run
only the test cells a mutant can affect; ``test_mutants`` also reports exercises whose tests reach other
exercises' answers (a wrong answer there would cost points twice).
"""
from __future__ import annotations

import ast
import builtins

from autograder.notebook import grade_id, nbg, parse

BUILTINS = set(dir(builtins))



def _used(node) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} - BUILTINS


def defined_names(tree) -> dict[str, set[str]]:
    """name -> names its definition uses, for every top-level binding in ``tree``."""
    out: dict[str, set[str]] = {}
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out[stmt.name] = _used(stmt)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for t in targets:
                for n in ast.walk(t):
                    if isinstance(n, ast.Name):
                        out.setdefault(n.id, set()).update(_used(stmt.value) if stmt.value else set())
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            for alias in stmt.names:
                out[(alias.asname or alias.name).split(".")[0]] = set()
        elif isinstance(stmt, (ast.For, ast.With, ast.If, ast.Try)):
            for n in ast.walk(stmt):
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                    out.setdefault(n.id, set()).update(_used(stmt))
    return out


def analyse(nb) -> tuple[dict[str, set[str]], dict[int, set[str]]]:
    """(answer grade_id -> names it defines, code-cell index -> answer grade_ids that cell can reach).

    A cell can reach an answer through any chain of names defined in cells above it (conservatively: every
    earlier definition of a name counts, and a function's body counts as used where it is defined).
    """
    graph: dict[str, set[str]] = {}
    owner: dict[str, str] = {}
    answers: dict[str, set[str]] = {}
    reach: dict[int, set[str]] = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        meta = nbg(cell)
        tree = parse(cell.source) or ast.Module(body=[], type_ignores=[])  # magics as IPython runs them
        # a cell sees only what earlier cells defined (top-to-bottom execution)
        seen, todo = set(), list(_used(tree))
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            todo.extend(graph.get(name, ()))
        reach[index] = {owner[n] for n in seen if n in owner}
        if meta.get("grade"):
            continue
        defs = defined_names(tree)
        for name, names_used in defs.items():
            graph.setdefault(name, set()).update(names_used)
        if meta.get("solution"):
            answers[meta["grade_id"]] = set(defs)
            for name in defs:
                owner[name] = meta["grade_id"]
    return answers, reach


def affected_cells(nb, answer: str) -> list[int]:
    """Indices of the code cells (not answer cells) that can observe the answer cell ``answer``, in order."""
    _, reach = analyse(nb)
    return [i for i, answers in sorted(reach.items())
            if answer in answers and not nbg(nb.cells[i]).get("solution")]


def affected_tests(nb, answer: str) -> list[str]:
    """Test cells (grade_ids, notebook order) that can observe the answer cell ``answer``."""
    return [grade_id(nb.cells[i]) for i in affected_cells(nb, answer)
            if nbg(nb.cells[i]).get("grade")]
