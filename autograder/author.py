"""Authoring aid: turn a percent-format script into a clean course notebook.

    python -m autograder.author draft.py solutions/lab03_cost/lab03_cost.ipynb

The notebook is the source that is committed; the script is a convenient way to write one. Cell headers:

    # %% [markdown]                              prose
    # %%                                         ordinary code
    # %% solution="ex02_mse"                     an answer cell (nbgrader solution, grade_id ex02_mse)
    # %% tests="ex02_mse_tests" points=2         a locked, graded test cell worth 2 points
    # %% readonly="setup"                        a locked cell the student cannot edit

Outputs, execution counts and jupytext's own metadata are dropped; the kernelspec is set to python3.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE = {"name": "python", "pygments_lexer": "ipython3"}


def _nbgrader(kind: str, grade_id: str, points: float | None = None) -> dict:
    meta = {"grade": kind == "tests", "grade_id": grade_id, "locked": kind != "solution",
            "schema_version": 3, "solution": kind == "solution", "task": False}
    if kind == "tests":
        meta["points"] = points if points is not None else 1
    return meta


def clean(nb) -> nbformat.NotebookNode:
    """Drop outputs/execution counts/foreign metadata; expand the shorthand headers into nbgrader metadata."""
    for cell in nb.cells:
        meta = cell.metadata
        for kind in ("solution", "tests", "readonly"):
            if kind in meta:
                grade_id = meta.pop(kind)
                points = meta.pop("points", None)
                meta["nbgrader"] = _nbgrader(kind, grade_id, points)
        keep = {k: meta[k] for k in ("nbgrader", "dlcourse", "tags") if k in meta}
        cell.metadata = nbformat.from_dict(keep)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cell.pop("id", None)
    nb.metadata = nbformat.from_dict({"kernelspec": KERNELSPEC, "language_info": LANGUAGE})
    nb.nbformat, nb.nbformat_minor = 4, 5
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{i:03d}"
    nbformat.validate(nb)
    return nb


def script_to_notebook(script: Path, target: Path) -> None:
    import jupytext

    nb = jupytext.read(script, fmt="py:percent")
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(clean(nbformat.from_dict(nb)), target)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    script_to_notebook(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"wrote {sys.argv[2]}")
