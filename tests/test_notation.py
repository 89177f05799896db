"""One notation: the table in GLOSSARY.md#notation exists, every lecture links it, and every standard
deviation or variance the notebooks compute says which convention it uses.

The table's rules for symbols in prose (Z pre-activation, A activation, H×W for images only) are applied by
hand and read in review; what a test can check without guessing at meaning is checked here.
"""
import ast
import re

import nbformat
import pytest

from autograder.course import LECTURES, ROOT, SOLUTIONS
from autograder.notebook import python_source

GLOSSARY = ROOT / "GLOSSARY.md"
# Symbols the table must define (each as it opens a row), the ones the course used in clashing ways.
REQUIRED = ["$N$", "$D$", "$M$", "$K$", "$W$", "$Z$", "$A$", "$C$", "$H \\times W$", "`nn.Linear.weight`"]
NOTEBOOKS = sorted(LECTURES.glob("lec*.ipynb")) + sorted(SOLUTIONS.glob("lab*/lab*.ipynb"))


def notation_section() -> str:
    text = GLOSSARY.read_text(encoding="utf-8")
    match = re.search(r"^## Notation\n(.*?)(?=^## )", text, flags=re.S | re.M)
    assert match, "GLOSSARY.md has no '## Notation' section"
    return match.group(1)


def test_the_notation_table_defines_every_clashing_symbol():
    rows = [line for line in notation_section().splitlines() if line.startswith("| ")]
    starts = [row.split("|")[1].strip() for row in rows]
    missing = [s for s in REQUIRED if not any(start.startswith(s) for start in starts)]
    assert not missing, f"GLOSSARY.md#notation has no row for {missing}"
    assert "correction=0" in notation_section(), "the notation section states the standard-deviation convention"


@pytest.mark.parametrize("path", sorted(LECTURES.glob("lec*.ipynb")), ids=lambda p: p.stem)
def test_every_lecture_links_the_notation_table(path):
    text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
    assert "GLOSSARY.md#notation" in text, f"{path.name} never links the notation table (../GLOSSARY.md#notation)"


def _unstated(cell) -> list[str]:
    """``x.std(...)`` / ``x.var(...)`` calls in a code cell that do not say which convention they use."""
    try:
        tree = ast.parse(python_source(cell.source))
    except SyntaxError:
        return []
    return [ast.unparse(n) for n in ast.walk(tree)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in ("std", "var")
            and not {k.arg for k in n.keywords} & {"correction", "unbiased", "ddof"}]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_std_states_its_convention(path):
    """torch's std and var divide by N - 1 unless told otherwise, NumPy's by N: a call that does not say which
    is how the course used to mix the two. The course's convention is the population one (correction=0)."""
    nb = nbformat.read(path, as_version=4)
    found = [f"cell {i}: {call}" for i, c in enumerate(nb.cells) if c.cell_type == "code" for call in _unstated(c)]
    assert not found, (f"{path.name}: pass correction=0 (the course's population convention, GLOSSARY.md#notation) "
                       f"or correction=1 where N - 1 is meant:\n" + "\n".join(found))


def test_the_std_check_catches_a_default_call():
    cell = nbformat.v4.new_code_cell("sigma = X.std(dim=0)\nok = X.std(dim=0, correction=0)\nv = x.var(0, unbiased=True)")
    assert _unstated(cell) == ["X.std(dim=0)"]
