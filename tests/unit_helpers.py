"""Small hand-built nbgrader notebooks and JSON helpers for the fast unit tests (tests/test_unit_*.py).

A *tiny lab*: a source notebook (hidden tests, reference answers) and its release (hidden tests and answers
removed, as ``nbgrader generate_assignment`` leaves them), written to files so that ``Plan.build`` reads them
as it reads a real lab.
"""
from __future__ import annotations

import json

import nbformat

HIDDEN = "### BEGIN HIDDEN TESTS\n_secret = double(torch.tensor([7.0]))\ncheck_close(_secret, torch.tensor([14.0]))\n### END HIDDEN TESTS\n"


def meta(gid, *, solution=False, grade=False, locked=False, points=None) -> dict:
    m = {"grade": grade, "grade_id": gid, "locked": locked, "schema_version": 3, "solution": solution, "task": False}
    if points is not None:
        m["points"] = points
    return {"nbgrader": m}


def code(source: str, gid: str | None = None, **kw):
    cell = nbformat.v4.new_code_cell(source)
    if gid is not None:
        cell.metadata = meta(gid, **kw)
    return cell


def md(source: str, gid: str | None = None, **kw):
    cell = nbformat.v4.new_markdown_cell(source)
    if gid is not None:
        cell.metadata = meta(gid, **kw)
    return cell


SETUP = "import torch\n\ndef check_close(a, b, rtol=1e-5, atol=1e-6):\n    assert torch.allclose(a, b, rtol=rtol, atol=atol)"
DOUBLE = "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION"
HALVE = "def halve(x):\n    ### BEGIN SOLUTION\n    return x / 2\n    ### END SOLUTION"
STUB = "    # YOUR CODE HERE\n    raise NotImplementedError()"
T1 = "check_close(double(torch.tensor([1.0, 2.0])), torch.tensor([2.0, 4.0]))\n"
T2A = "check_close(halve(torch.tensor([2.0])), torch.tensor([1.0]))"
T2B = "check_close(halve(torch.tensor([4.0, 8.0])), torch.tensor([2.0, 4.0]))"
DEMO = "print('a demo the course runs')"


def tiny_source():
    return nbformat.v4.new_notebook(cells=[
        md("# Tiny lab"),
        code(SETUP, "setup", locked=True),
        md("## Exercise 1"),
        code(DOUBLE, "ex1", solution=True),
        code(T1 + HIDDEN, "ex1_tests", grade=True, locked=True, points=2),
        code(DEMO),
        md("## Exercise 2"),
        code(HALVE, "ex2", solution=True),
        code(T2A, "ex2_tests_a", grade=True, locked=True, points=1),
        code(T2B + "\n" + HIDDEN.replace("double", "halve").replace("14.0", "3.5"), "ex2_tests_b", grade=True, locked=True, points=1),
    ])


def tiny_release():
    return nbformat.v4.new_notebook(cells=[
        md("# Tiny lab"),
        code(SETUP, "setup", locked=True),
        md("## Exercise 1"),
        code("def double(x):\n" + STUB, "ex1", solution=True),
        code(T1, "ex1_tests", grade=True, locked=True, points=2),
        code(DEMO),
        md("## Exercise 2"),
        code("def halve(x):\n" + STUB, "ex2", solution=True),
        code(T2A, "ex2_tests_a", grade=True, locked=True, points=1),
        code(T2B + "\n", "ex2_tests_b", grade=True, locked=True, points=1),
    ])


def write_tiny_lab(folder):
    """(source path, release path) of the tiny lab under ``folder``."""
    src, rel = folder / "tiny_source" / "tinylab.ipynb", folder / "tiny_release" / "tinylab.ipynb"
    for path, nb in ((src, tiny_source()), (rel, tiny_release())):
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
    return src, rel


def wire(value):
    """``value`` as it arrives on the other side of a pipe: through JSON."""
    return json.loads(json.dumps(value))


def by_gid(nb, gid):
    cells = [c for c in nb.cells if (c.get("metadata") or {}).get("nbgrader", {}).get("grade_id") == gid]
    assert len(cells) == 1, (gid, len(cells))
    return cells[0]
